"""The topic's ``README.md`` (overview) and ``QUICK-REFERENCE.md`` (cheat sheet)."""

from __future__ import annotations

from collections.abc import Sequence

from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.core.model import KBPage, PageKind, SectionRole, Topic
from persona_kb._internal.kb.render.cards import collect_cards, fence_for
from persona_kb._internal.kb.render.folding import fold_items
from persona_kb._internal.kb.render.applies import applies_to
from persona_kb._internal.kb.render.frame import RenderContext, persona_label, render_page
from persona_kb._internal.kb.render.naming import page_filename
from persona_kb._internal.kb.render.persona_parts import ListItem, PersonaParts, one_line
from persona_kb._internal.kb.render.sourcemap import Fragment, FragmentTable, Line

_SHELL = frozenset({"bash", "sh", "shell", "console", "zsh", "shell-session", "powershell"})
_KEY_COMMAND_MAX_LINES = 15
_DONT_WORDS = ("never ", "don't ", "do not ", "avoid ", "no ", "not ")


def summary_sentence(text: str, limit: int = 160) -> str:
    """The first sentence of ``text`` on one line, cut at ``limit`` characters."""
    flat = " ".join(text.split())
    end = flat.find(". ")
    sentence = flat if end < 0 else flat[: end + 1]
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def pages_guide(topic: Topic) -> list[dict[str, str]]:
    """The three other pages, each with its purpose and when to reach for it."""
    return [
        {
            "title": "Quick reference",
            "file": page_filename(topic.slug, PageKind.QUICK_REFERENCE),
            "purpose": "a cheat sheet: do and don't, checklists, key commands and learnings",
            "when": "while coding, when you need the rule rather than the reasoning",
        },
        {
            "title": f"{topic.title} comprehensive guide",
            "file": page_filename(topic.slug, PageKind.COMPREHENSIVE_GUIDE),
            "purpose": "every section of every persona, with its code examples intact",
            "when": "when designing a feature or learning the stack in depth",
        },
        {
            "title": f"{topic.title} specific patterns",
            "file": page_filename(topic.slug, PageKind.SPECIFIC_PATTERNS),
            "purpose": "❌ wrong / ✅ correct pattern cards, anti-patterns, constraints "
            "and the error → solution playbook",
            "when": "when reviewing code or fixing an error you have seen before",
        },
    ]


def render_readme(topic: Topic, ctx: RenderContext) -> KBPage:
    """``kb/<topic>/README.md``: summary, personas table, capabilities, organisation."""
    table = FragmentTable()
    summary, rows, capabilities = [], [], []
    seen: dict[str, str] = {}
    for persona in topic.personas:
        parts = ctx.parts(persona)
        meta = persona.metadata
        label = persona_label(persona)
        description = parts.clean(" ".join(persona.description.split()))
        scope = applies_to(persona)
        text = description or "No description given."
        summary.append(
            {
                "name": label,
                "anchor": parts.anchor,
                "text": table.text(f"{text} *{scope}*" if scope else text, parts.span),
            }
        )
        rows.append(
            {
                "name": one_line(label),
                "anchor": parts.anchor,
                "role": parts.role_text,
                "version": one_line(meta.version or "—"),
                "stack": one_line(parts.clean(", ".join(meta.stack)) or "—"),
                "tools": one_line(", ".join(meta.tools) or "—"),
                "model": one_line(meta.model or "—"),
                "source": table.text(ctx.source_link(persona.path), parts.span),
            }
        )
        items = []
        entries = [(c, parts.span) for c in meta.capabilities]
        entries.extend((i.text, i.span) for i in parts.items_with_role(SectionRole.EXPERTISE))
        for text, span in entries:
            key = " ".join(text.lower().split())
            if key in seen:
                continue  # folded: shown once, under the first persona that wrote it
            seen[key] = label
            items.append(table.text(f"- {parts.clean(' '.join(text.split()))}", span))
        capabilities.append(
            {
                "name": label,
                "anchor": parts.anchor,
                "source": ctx.source_link(persona.path),
                "entries": items,
            }
        )
    description = summary_sentence(
        f"The {topic.title} knowledge base, generated from {len(topic.personas)} persona "
        f"file{'s' if len(topic.personas) != 1 else ''}: "
        + ", ".join(persona_label(p) for p in topic.personas)
        + "."
    )
    return render_page(
        ctx,
        template="readme.md.j2",
        kind=PageKind.README,
        topic=topic.slug,
        title=f"{topic.title} knowledge base",
        description=description,
        personas=topic.personas,
        table=table,
        body={
            "topic": {"slug": topic.slug, "title": topic.title},
            "summary": summary,
            "personas": rows,
            "capabilities": capabilities,
            "pages": pages_guide(topic),
        },
    )


def _is_dont(text: str) -> bool:
    lowered = text.lower().lstrip("*_ ")
    return lowered.startswith(_DONT_WORDS)


def shell_block(block_code: str, language: str, spans: Sequence[Line]) -> Fragment:
    """A fenced shell block whose code lines keep their persona spans."""
    fence = fence_for(block_code)
    return Fragment(((f"{fence}{language}", None), *spans, (fence, None)))


def _rules(parts: PersonaParts, label: str) -> list[tuple[str, str, str, SourceSpan | None]]:
    # Best practices and constraints are rules to follow unless they are worded as a
    # prohibition; do_not and anti-patterns are always things not to do.
    rules: list[tuple[str, str, str, SourceSpan | None]] = [
        ("dont" if _is_dont(i.text) else "do", i.text, label, i.span)
        for i in parts.items_with_role(SectionRole.BEST_PRACTICES, SectionRole.CONSTRAINTS)
    ]
    rules.extend(("dont", parts.clean(t), label, parts.span) for t in parts.persona.metadata.do_not)
    rules.extend(
        ("dont", i.text, label, i.span) for i in parts.items_with_role(SectionRole.ANTI_PATTERNS)
    )
    return rules


def _as_task(item: ListItem) -> Fragment:
    # A checklist stays a task list: plain items become unchecked tasks.
    if item.task is not None:
        return item.fragment
    return Fragment.from_text(f"- [ ] {one_line(item.text)}", item.span)


def _checklists(parts: PersonaParts, label: str, table: FragmentTable) -> list[dict[str, str]]:
    found: list[tuple[str, list[ListItem]]] = []
    for section in parts.persona.all_sections():
        if section.role is SectionRole.CHECKLIST:
            found.append((section.title, parts.list_items(section)))
        elif parts.has_tasks(section):
            tasks = [i for i in parts.list_items(section) if i.task is not None]
            found.append((section.title, tasks))
    found.extend((c.label, c.items) for c in parts.labelled_lists(SectionRole.CHECKLIST))
    out: list[dict[str, str]] = []
    seen: set[int] = set()
    for title, items in found:
        fresh = [i for i in items if i.span.line not in seen]
        seen.update(i.span.line for i in fresh)
        if fresh:
            out.append(
                {
                    "title": one_line(parts.clean(title)),
                    "persona": label,
                    "tasks": table.add(Fragment.join((_as_task(i) for i in fresh), None)),
                }
            )
    return out


def _commands(parts: PersonaParts, label: str, table: FragmentTable) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for block in parts.persona.code_blocks:
        code_lines = block.code.rstrip("\n").split("\n")
        if block.language not in _SHELL or block.nested or not block.code.strip():
            continue
        if len(code_lines) > _KEY_COMMAND_MAX_LINES:
            continue
        spans = [(line, block.line_span(i)) for i, line in enumerate(code_lines)]
        caption = block.heading_path[-1] if block.heading_path else "Commands"
        out.append(
            {
                "title": one_line(parts.clean(caption)),
                "persona": label,
                "block": table.add(shell_block(block.code, block.language, spans)),
            }
        )
    return out


def render_quick_reference(topic: Topic, ctx: RenderContext) -> KBPage:
    """``kb/<topic>/QUICK-REFERENCE.md``: the cheat sheet."""
    table = FragmentTable()
    rules: list[tuple[str, str, str, SourceSpan | None]] = []
    learnings: list[tuple[str, str, str, SourceSpan | None]] = []
    checklists: list[dict[str, str]] = []
    commands: list[dict[str, str]] = []
    for persona in topic.personas:
        parts = ctx.parts(persona)
        label = persona_label(persona)
        rules.extend(_rules(parts, label))
        checklists.extend(_checklists(parts, label, table))
        commands.extend(_commands(parts, label, table))
        for section in parts.sections_with_role(SectionRole.LEARNINGS):
            items = parts.list_items(section, first_list_only=True)
            learnings.extend(("", i.text, label, i.span) for i in items)
        for labelled in parts.labelled_lists(SectionRole.LEARNINGS):
            learnings.extend(("", i.text, label, i.span) for i in labelled.items)
    do_dont = [
        {
            "kind": "✅ Do" if item.kind == "do" else "❌ Don't",
            "text": table.text(one_line(item.text), item.span),
            "personas": one_line(item.attribution),
        }
        # Every "do" first, then every "don't"; each group keeps the personas' order.
        for item in sorted(fold_items(rules), key=lambda folded: folded.kind != "do")
    ]
    learned = [
        {"text": table.text(f"- {one_line(i.text)}", i.span), "personas": i.attribution}
        for i in fold_items(learnings)
    ]
    patterns_file = page_filename(topic.slug, PageKind.SPECIFIC_PATTERNS)
    index = [
        {
            "title": one_line(card.title),
            "anchor": card.anchor,
            "persona": persona_label(card.persona),
        }
        for card in collect_cards(topic)
    ]
    return render_page(
        ctx,
        template="quick_reference.md.j2",
        kind=PageKind.QUICK_REFERENCE,
        topic=topic.slug,
        title=f"{topic.title} quick reference",
        description=f"Cheat sheet for {topic.title}: do and don't, checklists, key commands, "
        "key learnings and an index of the pattern cards.",
        personas=topic.personas,
        table=table,
        body={
            "topic": {"slug": topic.slug, "title": topic.title},
            "do_dont": do_dont,
            "checklists": checklists,
            "commands": commands,
            "learnings": learned,
            "pattern_index": index,
            "patterns_file": patterns_file,
            "readme_file": page_filename(topic.slug, PageKind.README),
        },
    )
