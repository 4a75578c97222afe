"""The topic's ``QUICK-REFERENCE.md``: a cheat sheet of about two screens.

The rules of every persona, folded and ranked by how many personas agree, then the
disagreements, a checklist, key commands, key learnings and the pattern index, each cut
to what fits in [`MAX_LINES`][persona_kb._internal.kb.render.quick_reference.MAX_LINES]
lines. The full lists are on the guide. Sections with nothing to say are left out.
"""

from __future__ import annotations

from persona_kb._internal.core.model import KBPage, PageKind, Topic
from persona_kb._internal.kb.render.cards import collect_cards, fence_for
from persona_kb._internal.kb.render.folding import FoldedItem
from persona_kb._internal.kb.render.frame import RenderContext, persona_label, render_page
from persona_kb._internal.kb.render.naming import page_filename
from persona_kb._internal.kb.render.persona_parts import one_line
from persona_kb._internal.kb.render.sourcemap import Fragment, FragmentTable, Line
from persona_kb._internal.kb.render.synthesis import TopicSynthesis

MAX_LINES = 150
"""The most lines a quick reference may have, front matter included."""

_SHELL = frozenset({"bash", "sh", "shell", "console", "zsh", "shell-session", "powershell"})
_CAPS = {"rules": 40, "disagree": 6, "checklist": 12, "commands": 10, "learnings": 10, "cards": 12}
_TRIM_ORDER = ("rules", "cards", "commands", "checklist", "learnings", "disagree")


def _commands(topic: Topic, ctx: RenderContext) -> list[tuple[str, list[str], Line]]:
    # Single commands from short shell blocks, each once, most personas first: a list of
    # commands reads faster than every persona's whole script.
    found: dict[str, tuple[list[str], Line]] = {}
    for persona in topic.personas:
        label = persona_label(persona)
        for block in persona.code_blocks:
            if block.language not in _SHELL or block.nested or not block.closed:
                continue
            for i, line in enumerate(block.code.rstrip("\n").split("\n")):
                command = line.strip()
                if not command or command.startswith(("#", "//")) or len(command) > 100:
                    continue
                if command.endswith(("\\", "{", "(", "|")) or line[:1].isspace():
                    continue  # part of a longer command
                key = " ".join(command.split())
                entry = found.setdefault(key, ([], (line.strip(), block.line_span(i))))
                if label not in entry[0]:
                    entry[0].append(label)
    ranked = sorted(found.items(), key=lambda kv: -len(kv[1][0]))
    return [(key, personas, line) for key, (personas, line) in ranked]


def _rule_row(item: FoldedItem, table: FragmentTable) -> dict[str, str]:
    return {
        "icon": "✅" if item.kind == "do" else "❌",
        "text": table.text(one_line(item.text), item.span),
        "personas": one_line(item.attribution),
    }


def _disagreements(synth: TopicSynthesis, table: FragmentTable) -> list[str]:
    rows: list[str] = []
    for tech, claims in synth.versions.items():
        said = "; ".join(f"{one_line(c.version)} ({one_line(c.persona)})" for c in claims)
        rows.append(table.text(f"- **{one_line(tech)}**: {said}", claims[0].span))
    for conflict in synth.conflicts:
        rows.append(
            table.text(
                f"- ✅ {one_line(conflict.do.text)} *({one_line(conflict.do.attribution)})* "
                f"against ❌ {one_line(conflict.dont.text)} "
                f"*({one_line(conflict.dont.attribution)})*",
                conflict.do.span,
            )
        )
    return rows


def _body(
    topic: Topic, ctx: RenderContext, caps: dict[str, int], table: FragmentTable
) -> tuple[dict[str, object], dict[str, int]]:
    synth = ctx.synthesis(topic)
    rules = synth.rules[: caps["rules"]]
    # Do rows first, then Don't rows; each group keeps the agreement ranking.
    rows = [_rule_row(r, table) for r in sorted(rules, key=lambda r: r.kind != "do")]
    disagree = _disagreements(synth, table)
    commands = _commands(topic, ctx)
    command_lines: list[Line] = [c[2] for c in commands[: caps["commands"]]]
    block = ""
    if command_lines:
        code = "\n".join(line for line, _ in command_lines)
        fence = fence_for(code)
        block = table.add(Fragment(((f"{fence}bash", None), *command_lines, (fence, None))))
    cards: dict[str, dict[str, object]] = {}
    for card in collect_cards(topic):
        key = one_line(card.title).lower()
        entry = cards.setdefault(
            key, {"title": one_line(card.title), "anchor": card.anchor, "personas": []}
        )
        personas = entry["personas"]
        assert isinstance(personas, list)
        label = persona_label(card.persona)
        if label not in personas:
            personas.append(label)
    card_rows = [
        {**c, "personas": ", ".join(str(p) for p in c["personas"])}  # type: ignore[attr-defined]
        for c in cards.values()
    ]
    sizes = {
        "rules": len(synth.rules),
        "disagree": len(disagree),
        "checklist": len(synth.checklist),
        "commands": len(commands),
        "learnings": len(synth.learnings),
        "cards": len(card_rows),
    }
    body: dict[str, object] = {
        "rules": rows,
        "more_rules": len(synth.rules) - len(rules),
        "disagreements": disagree[: caps["disagree"]],
        "more_disagreements": max(0, len(disagree) - caps["disagree"]),
        "checklist": [
            {"text": table.text(one_line(i.text), i.span), "personas": one_line(i.attribution)}
            for i in synth.checklist[: caps["checklist"]]
        ],
        "commands": block,
        "learnings": [
            {"text": table.text(one_line(i.text), i.span), "personas": one_line(i.attribution)}
            for i in synth.learnings[: caps["learnings"]]
        ],
        "cards": card_rows[: caps["cards"]],
        "more_cards": max(0, len(card_rows) - caps["cards"]),
    }
    return body, sizes


def render_quick_reference(topic: Topic, ctx: RenderContext) -> KBPage:
    """``kb/<topic>/QUICK-REFERENCE.md``: the cheat sheet, at most ``MAX_LINES`` lines."""
    caps = dict(_CAPS)
    while True:
        table = FragmentTable()
        body, sizes = _body(topic, ctx, caps, table)
        page = render_page(
            ctx,
            template="quick_reference.md.j2",
            kind=PageKind.QUICK_REFERENCE,
            topic=topic.slug,
            title=f"{topic.title} quick reference",
            description=f"Cheat sheet for {topic.title}: the rules most personas agree on, "
            "where they disagree, a checklist, key commands and learnings.",
            personas=topic.personas,
            table=table,
            body={
                **body,
                "topic": {"slug": topic.slug, "title": topic.title},
                "guide_file": page_filename(topic.slug, PageKind.COMPREHENSIVE_GUIDE),
                "patterns_file": page_filename(topic.slug, PageKind.SPECIFIC_PATTERNS),
                "readme_file": page_filename(topic.slug, PageKind.README),
            },
        )
        over = page.markdown.count("\n") - MAX_LINES
        if over <= 0 or not any(min(caps[k], sizes[k]) for k in _TRIM_ORDER):
            return page
        # Take the overflow from the largest section still shown, a few rows at a time.
        shown = {k: min(caps[k], sizes[k]) for k in _TRIM_ORDER}
        largest = max(_TRIM_ORDER, key=lambda k: shown[k])
        caps[largest] = max(0, shown[largest] - max(1, min(over, shown[largest] // 2 or 1)))
