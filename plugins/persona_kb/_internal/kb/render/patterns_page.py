"""The topic's ``<TOPIC>-SPECIFIC-PATTERNS.md``: pattern cards, anti-patterns, rules, playbook."""

from __future__ import annotations

from persona_kb._internal.core.model import KBPage, PageKind, Section, SectionRole, Topic
from persona_kb._internal.kb.render.cards import collect_cards, locate_why, side_block
from persona_kb._internal.kb.render.frame import RenderContext, persona_label, render_page
from persona_kb._internal.kb.render.naming import page_filename
from persona_kb._internal.kb.render.persona_parts import PersonaParts, one_line
from persona_kb._internal.kb.render.sourcemap import Fragment, FragmentTable

_SOLUTION_LABELS = ("solution", "fix", "resolution", "answer", "remedy", "workaround", "how to fix")
_NOT_SOLUTION_LABELS = ("cause", "symptom", "problem", "error", "why", "issue", "context")
_REASON_SEPARATORS = (" \u2014 ", " \u2013 ", " -- ", " - ", ": ")  # em dash, en dash


def split_reason(text: str) -> tuple[str, str]:
    """``"Fat views — move logic to services"`` → ``("Fat views", "move logic to services")``."""
    for separator in _REASON_SEPARATORS:
        head, found, tail = text.partition(separator)
        if found and head.strip() and tail.strip():
            return head.strip(), tail.strip()
    if text.endswith(")") and " (" in text:
        head, _, tail = text[:-1].rpartition(" (")
        return head.strip(), tail.strip()
    return text, ""


def _playbook(
    parts: PersonaParts, cards_by_heading: dict[tuple[str, str], str], table: FragmentTable
) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    for section in parts.sections_with_role(SectionRole.PLAYBOOK):
        for child in section.children:
            error = child.title
            for prefix in ("Error:", "error:", "Problem:", "Issue:"):
                if error.startswith(prefix):
                    error = error[len(prefix) :]
            error = error.strip().strip('"').strip()
            solution = _solution(child.content)
            anchor = cards_by_heading.get((parts.persona.path, child.title), "")
            entries.append(
                {
                    # Mapped to the entry's heading line: a row is the persona's text.
                    "error": table.text(one_line(parts.clean(error)), child.span),
                    "solution": one_line(parts.clean(solution)) or "see the card",
                    "anchor": anchor,
                    "persona": persona_label(parts.persona),
                }
            )
    return entries


def _label_of(line: str) -> tuple[str, str]:
    # "**Cause:** text" / "Solution: text" → ("cause", "text"); ("", line) when unlabelled.
    plain = line.lstrip("-*+> ").strip()
    bare = plain.replace("**", "").replace("__", "")
    head, colon, rest = bare.partition(":")
    if colon and 0 < len(head) <= 20 and len(head.split()) <= 3:
        return head.strip().lower(), rest.strip()
    return "", plain


def _solution(content: str) -> str:
    """The solution a playbook entry gives: a line labelled Solution/Fix, else the first
    unlabelled line; never the Cause or Symptom. Code is left to the card."""
    first = ""
    in_code = False
    for line in content.split("\n"):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_code = not in_code
            continue
        if in_code or not stripped:
            continue
        label, text = _label_of(stripped)
        if label.startswith(_SOLUTION_LABELS) and text:
            return text
        if not first and text and not label.startswith(_NOT_SOLUTION_LABELS) and not label:
            first = text
    return first


def role_texts(parts: PersonaParts, role: SectionRole) -> list[Fragment]:
    """The persona's text with ``role`` (constraints, anti-drift), as written: each section
    with that role, then lists labelled so elsewhere. Never an empty fragment: a section
    with no text of its own shows its sub-sections (a ``## Rules`` heading over
    ``### Naming`` and ``### Testing``), or nothing when it is the persona's title (a
    ``# … Development Rules`` H1 over the whole persona, which the guide shows)."""
    title = parts.title_section()
    out: list[Fragment] = []
    covered: set[int] = set()
    for section in parts.sections_with_role(role):
        if section.span.line in covered:
            continue
        fragment = parts.content(section)
        if not fragment.lines and section is not title:
            fragment = _sub_sections(parts, section)
            covered.update(s.span.line for s in section.walk())
        if fragment.lines:
            out.append(fragment)
    out.extend(_labelled(parts, role))
    return out


def _sub_sections(parts: PersonaParts, section: Section) -> Fragment:
    # Each sub-section with text, under its title in bold (headings would enter the TOC).
    pieces: list[Fragment] = []
    for child in section.walk()[1:]:
        content = parts.content(child)
        if content.lines:
            label = Fragment.from_text(f"**{one_line(parts.clean(child.title))}**", child.span)
            pieces.append(Fragment.join([label, content]))
    return Fragment.join(pieces)


def _labelled(parts: PersonaParts, role: SectionRole) -> list[Fragment]:
    # Lists labelled "Rules:" or "Constraints:" outside sections that already say so.
    inside = {s.span.line for s in parts.sections_with_role(role)}
    out = []
    for labelled in parts.labelled_lists(role):
        items = [i.fragment for i in labelled.items]
        first = labelled.items[0].span if labelled.items else None
        if first is None or _under_section(parts, first.line, inside):
            continue
        heading = Fragment.from_text(f"*{one_line(parts.clean(labelled.label))}:*", first)
        out.append(Fragment.join([heading, Fragment.join(items, None)]))
    return out


def _under_section(parts: PersonaParts, line: int, headings: set[int]) -> bool:
    owner = None
    for section in parts.persona.all_sections():
        if section.span.line < line:
            owner = section.span.line
    return owner in headings


def render_patterns(topic: Topic, ctx: RenderContext) -> KBPage:
    """``<TOPIC>-SPECIFIC-PATTERNS.md``: cards, anti-patterns, rules, playbook."""
    table = FragmentTable()
    cards, anti_patterns, rules, playbook = [], [], [], []
    cards_by_heading: dict[tuple[str, str], str] = {}
    for card in collect_cards(topic):
        parts = ctx.parts(card.persona)
        pair = card.pair
        for heading in pair.heading_path:
            cards_by_heading.setdefault((card.persona.path, heading), card.anchor)
        why = locate_why(parts, pair)
        cards.append(
            {
                "title": one_line(parts.clean(card.title)),
                "anchor": card.anchor,
                "persona": persona_label(card.persona),
                "persona_anchor": parts.anchor,
                "origin": table.text(f"`{pair.span}`", pair.span),
                "why": table.add(why) if why.lines else "",
                "wrong_caption": one_line(parts.clean(pair.wrong.caption)),
                "wrong": table.add(side_block(pair.wrong)),
                "correct_caption": one_line(parts.clean(pair.correct.caption)),
                "correct": table.add(side_block(pair.correct)),
            }
        )
    # Constraint and anti-drift text is shown as written below; the Don't rows are the
    # rest (anti-patterns, do_not, prohibitions among best practices), folded.
    texts: dict[str, tuple[list[Fragment], list[Fragment]]] = {}
    shown_as_text: set[tuple[str, int]] = set()
    for persona in topic.personas:
        parts = ctx.parts(persona)
        found = (
            role_texts(parts, SectionRole.CONSTRAINTS),
            role_texts(parts, SectionRole.ANTI_DRIFT),
        )
        texts[persona.path] = found
        for fragment in (*found[0], *found[1]):
            shown_as_text.update((s.path, s.line) for _, s in fragment.lines if s is not None)
    for rule in ctx.synthesis(topic).rules:
        if rule.kind != "dont" or all(
            s is not None and (s.path, s.line) in shown_as_text for _, s in rule.sources
        ):
            continue
        what, reason = split_reason(rule.text)
        anti_patterns.append(
            {
                "what": table.text(one_line(what), rule.span),
                "why": one_line(reason) or "—",
                "persona": one_line(rule.attribution),
            }
        )
    for persona in topic.personas:
        parts = ctx.parts(persona)
        constraints, drift = texts[persona.path]
        if constraints or drift:
            rules.append(
                {
                    "persona": persona_label(persona),
                    "anchor": f"rules-{persona.id}",
                    "source": ctx.source_link(persona.path),
                    "constraints": table.add(Fragment.join(constraints)) if constraints else "",
                    "anti_drift": table.add(Fragment.join(drift)) if drift else "",
                }
            )
        playbook.extend(_playbook(parts, cards_by_heading, table))
    return render_page(
        ctx,
        template="specific_patterns.md.j2",
        kind=PageKind.SPECIFIC_PATTERNS,
        topic=topic.slug,
        title=f"{topic.title} specific patterns",
        description=f"{topic.title} pattern cards (❌ wrong / ✅ correct), the things not to "
        "do, constraints, anti-drift rules and the error → solution playbook.",
        personas=topic.personas,
        table=table,
        body={
            "topic": {"slug": topic.slug, "title": topic.title},
            "cards": cards,
            "anti_patterns": anti_patterns,
            "rules": rules,
            "playbook": playbook,
            "readme_file": page_filename(topic.slug, PageKind.README),
            "guide_file": page_filename(topic.slug, PageKind.COMPREHENSIVE_GUIDE),
        },
    )
