"""The topic's ``<TOPIC>-COMPREHENSIVE-GUIDE.md`` and ``<TOPIC>-SPECIFIC-PATTERNS.md``."""

from __future__ import annotations

from persona_kb._internal.core.model import KBPage, PageKind, Section, SectionRole, Topic
from persona_kb._internal.kb.render.bundled import bundled_lines
from persona_kb._internal.kb.render.cards import collect_cards, fence_for, locate_why, side_block
from persona_kb._internal.kb.render.frame import RenderContext, persona_label, render_page
from persona_kb._internal.kb.render.naming import page_filename
from persona_kb._internal.kb.render.persona_parts import PersonaParts, one_line
from persona_kb._internal.kb.render.sourcemap import Fragment, FragmentTable, Line

_GUIDE_TOP = 3  # persona chapters are H2, so their sections start at H3
_REASON_SEPARATORS = (" \u2014 ", " \u2013 ", " -- ", " - ", ": ")  # em dash, en dash


def _section_lines(
    parts: PersonaParts, section: Section, base: int, top: int = _GUIDE_TOP
) -> list[Line]:
    level = top + max(0, section.level - base)
    title = " ".join(parts.clean(section.title).split())
    heading = f"{'#' * level} {title}" if level <= 6 else f"**{title}**"
    lines: list[Line] = [(heading, section.span), ("", None)]
    content = parts.content(section)
    if content.lines:
        lines.extend(content.lines)
        lines.append(("", None))
    for child in section.children:
        lines.extend(_section_lines(parts, child, base, top))
    return lines


def prompt_block(parts: PersonaParts) -> Fragment:
    """The front-matter prompt as a ``text`` block: shown, never run as an example."""
    prompt = (parts.persona.prompt or "").strip("\n")
    if not prompt.strip():
        return Fragment(())
    fence = fence_for(prompt)
    span = parts.persona.prompt_span or parts.span
    return Fragment(
        ((f"{fence}text", None), *((line, span) for line in prompt.split("\n")), (fence, None))
    )


def render_guide(topic: Topic, ctx: RenderContext) -> KBPage:
    """``<TOPIC>-COMPREHENSIVE-GUIDE.md``: every section of every persona, re-levelled."""
    table = FragmentTable()
    chapters = []
    for persona in topic.personas:
        parts = ctx.parts(persona)
        lines: list[Line] = []
        preamble = parts.preamble()
        title = parts.title_section()
        if title is not None:
            inner = parts.content(title)
            preamble = Fragment.join([preamble, inner]) if preamble.lines else inner
        base = parts.base_level()
        for section in parts.body_sections():
            lines.extend(_section_lines(parts, section, base))
        if persona.bundled or persona.resources:
            lines.extend(bundled_lines(persona, ctx, _section_lines))
        chapters.append(
            {
                "name": persona_label(persona),
                "anchor": parts.anchor,
                "source": ctx.source_link(persona.path),
                "prompt": table.add(prompt_block(parts)) if persona.prompt else "",
                "preamble": table.add(preamble) if preamble.lines else "",
                "sections": table.add(Fragment(tuple(lines))),
            }
        )
    return render_page(
        ctx,
        template="comprehensive_guide.md.j2",
        kind=PageKind.COMPREHENSIVE_GUIDE,
        topic=topic.slug,
        title=f"{topic.title} comprehensive guide",
        description=f"Every section of every {topic.title} persona, with its code examples.",
        personas=topic.personas,
        table=table,
        body={
            "topic": {"slug": topic.slug, "title": topic.title},
            "chapters": chapters,
            "readme_file": page_filename(topic.slug, PageKind.README),
        },
    )


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
    parts: PersonaParts, cards_by_heading: dict[tuple[str, str], str]
) -> list[dict[str, object]]:
    entries: list[dict[str, object]] = []
    for section in parts.sections_with_role(SectionRole.PLAYBOOK):
        for child in section.children:
            error = child.title
            for prefix in ("Error:", "error:", "Problem:", "Issue:"):
                if error.startswith(prefix):
                    error = error[len(prefix) :]
            error = error.strip().strip('"').strip()
            solution = ""
            for line in child.content.split("\n"):
                stripped = line.strip()
                if stripped and not stripped.startswith(("```", "~~~")):
                    solution = stripped
                    for label in ("**Solution:**", "**Fix:**", "Solution:"):
                        solution = solution.removeprefix(label).strip()
                    break
            anchor = cards_by_heading.get((parts.persona.path, child.title), "")
            entries.append(
                {
                    "error": one_line(parts.clean(error)),
                    "solution": one_line(parts.clean(solution)) or "see the card",
                    "anchor": anchor,
                    "persona": persona_label(parts.persona),
                }
            )
    return entries


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
    for persona in topic.personas:
        parts = ctx.parts(persona)
        label = persona_label(persona)
        for item in parts.items_with_role(SectionRole.ANTI_PATTERNS):
            what, reason = split_reason(item.text)
            anti_patterns.append(
                {
                    "what": table.text(one_line(what), item.span),
                    "why": one_line(reason) or "—",
                    "persona": label,
                }
            )
        constraints = [parts.content(s) for s in parts.sections_with_role(SectionRole.CONSTRAINTS)]
        constraints.extend(_labelled(parts, SectionRole.CONSTRAINTS))
        drift = [parts.content(s) for s in parts.sections_with_role(SectionRole.ANTI_DRIFT)]
        drift.extend(_labelled(parts, SectionRole.ANTI_DRIFT))
        if constraints or drift:
            rules.append(
                {
                    "persona": label,
                    "anchor": f"rules-{persona.id}",
                    "source": ctx.source_link(persona.path),
                    "constraints": table.add(Fragment.join(constraints)) if constraints else "",
                    "anti_drift": table.add(Fragment.join(drift)) if drift else "",
                }
            )
        playbook.extend(_playbook(parts, cards_by_heading))
    return render_page(
        ctx,
        template="specific_patterns.md.j2",
        kind=PageKind.SPECIFIC_PATTERNS,
        topic=topic.slug,
        title=f"{topic.title} specific patterns",
        description=f"{topic.title} pattern cards (❌ wrong / ✅ correct), anti-patterns, "
        "constraints, anti-drift rules and the error → solution playbook.",
        personas=topic.personas,
        table=table,
        body={
            "topic": {"slug": topic.slug, "title": topic.title},
            "cards": cards,
            "anti_patterns": anti_patterns,
            "rules": rules,
            "playbook": playbook,
            "readme_file": page_filename(topic.slug, PageKind.README),
        },
    )
