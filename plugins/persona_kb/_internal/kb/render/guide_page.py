"""The topic's ``<TOPIC>-COMPREHENSIVE-GUIDE.md``: every persona's text, arranged by theme.

Each persona section becomes a passage under its theme (testing, security, performance,
tooling, …), credited to and linked to its persona and source line; a section whose
sub-sections are about other themes is split so that each lands where it belongs. Then
come the full rule list (folded, every persona credited), where the personas disagree,
and every persona's sections in their own order, so each persona's text stays reachable.
"""

from __future__ import annotations

from functools import lru_cache

from dataclasses import dataclass, field

from persona_kb._internal.core.model import KBPage, PageKind, Persona, Section, Topic
from persona_kb._internal.kb.render.bundled import bundled_lines
from persona_kb._internal.kb.render.cards import fence_for
from persona_kb._internal.kb.render.folding import FoldedItem
from persona_kb._internal.kb.render.frame import RenderContext, persona_label, render_page
from persona_kb._internal.kb.render.naming import AnchorSet, page_filename
from persona_kb._internal.kb.render.persona_links import GUIDE_RESERVED, section_anchors
from persona_kb._internal.kb.render.persona_parts import PersonaParts, one_line
from persona_kb._internal.kb.render.sourcemap import Fragment, FragmentTable, Line
from persona_kb._internal.kb.render.themes import THEMES, theme_of, theme_title
from persona_kb._internal.markdown.parser import parse_tokens

_PASSAGE_LEVEL = 3  # themes are H2, passages H3, their sub-sections H4 and below
_RESERVED = set(GUIDE_RESERVED) | {theme for theme, _ in THEMES}


@dataclass
class _Passage:
    theme: str
    persona: Persona
    title: str
    anchor: str
    lines: list[Line] = field(default_factory=list)
    line: int = 0


@dataclass
class _Builder:
    """Passages of one topic, with a unique anchor for every heading they print."""

    ctx: RenderContext
    anchors: AnchorSet = field(default_factory=lambda: AnchorSet(_RESERVED))
    passages: list[_Passage] = field(default_factory=list)
    headings: dict[tuple[str, int], str] = field(default_factory=dict)
    """``(persona path, section line)`` → the anchor of that section's heading."""
    _own: dict[str, dict[int, str]] = field(default_factory=dict)

    def _heading(self, parts: PersonaParts, section: Section, level: int) -> Line:
        title = " ".join(parts.clean(section.title).split())
        own = self._own.get(parts.persona.path)
        if own is None:
            own = self._own[parts.persona.path] = section_anchors(parts.persona)
        anchor = own.get(section.span.line, "")
        anchor = anchor if anchor and self.anchors.take(anchor) else self.anchors.make(title)
        self.headings[(parts.persona.path, section.span.line)] = anchor
        if level <= 6:
            return (f"{'#' * level} {title} {{#{anchor}}}", section.span)
        return (f"**{title}**", section.span)

    def _whole(self, parts: PersonaParts, section: Section, level: int) -> list[Line]:
        lines: list[Line] = [self._heading(parts, section, level), ("", None)]
        content = parts.content(section)
        if content.lines:
            lines.extend(content.lines)
            lines.append(("", None))
        for child in section.children:
            lines.extend(self._whole(parts, child, level + 1))
        return lines

    def add(self, parts: PersonaParts, section: Section, inherited: str, context: str) -> None:
        """Add ``section`` as one passage, or split it when sub-sections change theme."""
        theme = theme_of(section, inherited)
        descendants = section.walk()[1:]
        whole = all(theme_of(d, theme) == theme for d in descendants)
        title = " ".join(parts.clean(section.title).split())
        passage = _Passage(theme, parts.persona, title, "", line=section.span.line)
        if whole:
            passage.lines = self._whole(parts, section, _PASSAGE_LEVEL)
        else:
            content = parts.content(section)
            passage.lines = [self._heading(parts, section, _PASSAGE_LEVEL), ("", None)]
            passage.lines.extend(content.lines)
        passage.lines = close_fences(parts, passage.lines)
        passage.anchor = self.headings[(parts.persona.path, section.span.line)]
        credit = f"*From [{persona_label(parts.persona)}](README.md#{parts.anchor})"
        credit += f" ({context}), " if context else ", "
        credit += f"{self.ctx.source_line_link(parts.persona.path, section.span.line)}.*"
        passage.lines[1:1] = [("", None), (credit, section.span)]
        self.passages.append(passage)
        if not whole:
            for child in section.children:
                self.add(parts, child, theme, title)

    def add_text(self, parts: PersonaParts, title: str, fragment: Fragment, theme: str) -> None:
        """A passage that is not a section: the front-matter prompt or the preamble."""
        if not fragment.lines:
            return
        span = next((s for _, s in fragment.lines if s is not None), parts.span)
        wanted = f"{parts.persona.id}-{'-'.join(title.lower().split())}"
        anchor = wanted if self.anchors.take(wanted) else self.anchors.make(title)
        credit = (
            f"*From [{persona_label(parts.persona)}](README.md#{parts.anchor}), "
            f"{self.ctx.source_line_link(span.path, span.line)}.*"
        )
        lines: list[Line] = [(f"### {title} {{#{anchor}}}", span), ("", None), (credit, span)]
        lines.extend((("", None), *fragment.lines))
        lines = close_fences(parts, lines)
        self.passages.append(_Passage(theme, parts.persona, title, anchor, lines, span.line))


def close_fences(parts: PersonaParts, lines: list[Line]) -> list[Line]:
    """``lines`` with a closing fence added when a code block is still open at the end of
    the passage, so that it cannot swallow the passages that follow it on the page.

    A passage is a piece of a persona moved next to other personas' passages: a fence the
    persona closes in a later section (an outer ``markdown`` fence around headings), or
    never closes, must end with the passage. Decided by the parser, not by the persona's
    own blocks, so every way of leaving a fence open is covered.
    """
    del parts  # the passage's own text decides
    if not any(text.lstrip(" >").startswith(("```", "~~~")) for text, _ in lines):
        return lines
    closing = _closing_fence("\n".join(text for text, _ in lines))
    return lines if closing is None else [*lines, (closing, None)]


@lru_cache(maxsize=2048)
def _closing_fence(text: str) -> str | None:
    # Remembered by text: `mkdocs serve` renders a topic again when one persona changes,
    # and the other personas' passages are the same.
    source = text.split("\n")
    for token in parse_tokens(text):
        if token.type != "fence" or token.map is None or token.map[1] < len(source):
            continue
        opening = source[token.map[0]]
        closing = source[token.map[1] - 1].strip() if token.map[1] - token.map[0] > 1 else ""
        marker = token.markup
        if closing and set(closing) == {marker[0]} and len(closing) >= len(marker):
            continue  # closed on the passage's last line
        indent = opening[: len(opening) - len(opening.lstrip(" >"))]
        return indent + marker
    return None


def _plain_section(parts: PersonaParts, section: Section, base: int, top: int) -> list[Line]:
    """A bundled file's section and its children, re-levelled from ``top``."""
    level = top + max(0, section.level - base)
    title = " ".join(parts.clean(section.title).split())
    lines: list[Line] = [(f"{'#' * level} {title}" if level <= 6 else f"**{title}**", section.span)]
    lines.append(("", None))
    content = parts.content(section)
    if content.lines:
        lines.extend((*content.lines, ("", None)))
    for child in section.children:
        lines.extend(_plain_section(parts, child, base, top))
    return lines


def add_bundled(builder: _Builder, parts: PersonaParts) -> None:
    """An Agent Skill's bundled files and resources as one passage, each line mapped to
    the bundled file's own path and line."""
    lines = bundled_lines(parts.persona, builder.ctx, _plain_section)
    if not lines:
        return
    kept: list[Line] = []
    for text, span in lines:
        head, sep, anchor = text.rpartition(" {#")
        if sep and anchor.endswith("}") and not builder.anchors.take(anchor[:-1]):
            text = head  # the id is already used on this page: keep the generated one
        kept.append((text, span))
    builder.add_text(parts, "Bundled files", Fragment(tuple(kept)), "tooling")


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


def _credits(item: FoldedItem, anchors: dict[str, str], ctx: RenderContext) -> str:
    out: list[str] = []
    seen: set[str] = set()
    for persona, span in item.sources:
        where = f" {ctx.source_line_link(span.path, span.line)}" if span is not None else ""
        name = f"[{one_line(persona)}](README.md#{anchors.get(persona, '')})"
        out.append((name if persona not in seen else "") + where)
        seen.add(persona)
    return "; ".join(o.strip() for o in out)


def _synthesis_body(topic: Topic, ctx: RenderContext, table: FragmentTable) -> dict[str, object]:
    synth = ctx.synthesis(topic)
    rules = [
        {
            "icon": "✅" if r.kind == "do" else "❌",
            "text": table.text(one_line(r.text), r.span),
            "personas": one_line(_credits(r, synth.anchors, ctx)),
        }
        for r in synth.rules
    ]
    versions = [
        {
            "tech": one_line(tech),
            "said": table.text(
                "; ".join(
                    f"{one_line(c.version)} ([{one_line(c.persona)}](README.md#{c.anchor}))"
                    for c in claims
                ),
                claims[0].span,
            ),
        }
        for tech, claims in synth.versions.items()
    ]
    conflicts = [
        {
            "do": table.text(one_line(c.do.text), c.do.span),
            "do_by": one_line(_credits(c.do, synth.anchors, ctx)),
            "dont": one_line(c.dont.text),
            "dont_by": one_line(_credits(c.dont, synth.anchors, ctx)),
        }
        for c in synth.conflicts
    ]
    return {
        "rules": rules,
        "rules_before": synth.rules_before,
        "versions": versions,
        "conflicts": conflicts,
    }


def render_guide(topic: Topic, ctx: RenderContext) -> KBPage:
    """``<TOPIC>-COMPREHENSIVE-GUIDE.md``: passages by theme, rules, disagreements, personas."""
    table = FragmentTable()
    builder = _Builder(ctx, AnchorSet(_RESERVED | {f"persona-{p.id}" for p in topic.personas}))
    for persona in topic.personas:
        parts = ctx.parts(persona)
        if persona.prompt:
            builder.add_text(parts, "Prompt", prompt_block(parts), "overview")
        preamble = parts.preamble()
        title = parts.title_section()
        if title is not None:
            inner = parts.content(title)
            preamble = Fragment.join([preamble, inner]) if preamble.lines else inner
            builder.headings[(persona.path, title.span.line)] = parts.anchor
        builder.add_text(parts, "Introduction", preamble, "overview")
        for section in parts.body_sections():
            builder.add(parts, section, "other", "")
        if persona.bundled or persona.resources:
            add_bundled(builder, parts)
    themes = []
    for theme, _ in THEMES:
        passages = [p for p in builder.passages if p.theme == theme]
        if passages:
            lines = [line for p in passages for line in (*p.lines, ("", None))]
            themes.append(
                {
                    "title": theme_title(theme),
                    "anchor": theme,
                    "passages": table.add(Fragment(tuple(lines))),
                }
            )
    by_persona = []
    for persona in topic.personas:
        parts = ctx.parts(persona)
        own = sorted((p for p in builder.passages if p.persona is persona), key=lambda p: p.line)
        by_persona.append(
            {
                "name": persona_label(persona),
                "anchor": parts.anchor,
                "source": ctx.source_link(persona.path),
                "passages": [
                    {"title": one_line(p.title), "anchor": p.anchor, "theme": theme_title(p.theme)}
                    for p in own
                ],
            }
        )
    return render_page(
        ctx,
        template="comprehensive_guide.md.j2",
        kind=PageKind.COMPREHENSIVE_GUIDE,
        topic=topic.slug,
        title=f"{topic.title} comprehensive guide",
        description=f"What the {topic.title} personas say, by theme, each passage credited "
        "to its persona; the full rule list; where they disagree.",
        personas=topic.personas,
        table=table,
        body={
            "topic": {"slug": topic.slug, "title": topic.title},
            "themes": themes,
            "by_persona": by_persona,
            **_synthesis_body(topic, ctx, table),
            "readme_file": page_filename(topic.slug, PageKind.README),
            "quick_file": page_filename(topic.slug, PageKind.QUICK_REFERENCE),
        },
    )
