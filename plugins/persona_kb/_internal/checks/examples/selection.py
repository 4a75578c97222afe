"""Which blocks are examples, where each line came from, and which tier each one gets.

Blocks are found exactly as MkDocs renders them (``markdown.find_code_blocks``):
never in front matter, HTML comments or an outer ``md`` fence. A block's tier is
resolved in this order, first match wins:

1. the block itself: a fence class or word (``{.python .no-run}``, ``python ignore``),
   ``raises=Name``, or a ``<!-- persona-kb: no-run -->`` comment on the line before;
2. the page's front matter, then the persona's: ``persona-kb: {examples: no-run}``;
3. the ❌/✅ label: WRONG → ``no-run``, CORRECT → ``run``;
4. the config default (``run``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

import yaml

from persona_kb._internal.checks.examples.languages import normalise_language
from persona_kb._internal.checks.examples.page_blocks import (
    FENCE_PROBLEMS,
    mkdocs_meta,
    rendered_blocks,
)
from persona_kb._internal.checks.examples.rendered import SiteMarkdown
from persona_kb._internal.checks.examples.spec import Example, Tier
from persona_kb._internal.checks.examples.tiers import default_tier, resolve_tier, settings_default
from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.model import CodeBlock, KBPage, Label, PatternSide, Persona
from persona_kb._internal.markdown import superfences_info

SEP = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"
_SETTINGS_KEY = "persona-kb"


def split_front_matter(markdown: str) -> tuple[dict[str, Any], str, int]:
    """``(front matter, body, body's first line)``; bad YAML counts as no front matter."""
    lines = markdown.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return {}, markdown, 1
    for index in range(1, len(lines)):
        if lines[index].rstrip() in {"---", "..."}:
            try:
                loaded = yaml.safe_load("".join(lines[1:index]))
            except yaml.YAMLError:
                loaded = None
            data = loaded if isinstance(loaded, dict) else {}
            return data, "".join(lines[index + 1 :]), index + 2
    return {}, markdown, 1


@dataclass(frozen=True, slots=True)
class PageContext:
    """What selection needs to know about the page a block is on."""

    page: str | None
    title: str
    topic: str | None = None
    page_default: Tier | None = None
    config_default: Tier = Tier.RUN


def _make(
    block: CodeBlock | None,
    language: str,
    code: str,
    path: str,
    lines: tuple[int, ...],
    fence_line: int,
    heading: str,
    ctx: PageContext,
    label: Label | None,
    persona_default: Tier | None,
    problems: list[Diagnostic],
) -> Example:
    choice, problem = resolve_tier(
        block,
        label=label,
        page_default=ctx.page_default,
        persona_default=persona_default,
        config_default=ctx.config_default,
    )
    if problem is not None:
        problems.append(problem)
    where = f"{ctx.title} {SEP} {heading}" if ctx.title and heading else ctx.title or heading
    lang = normalise_language(language)
    if lang == "python" and code.lstrip().startswith(">>>"):
        lang = "pycon"  # a ``>>>`` session fenced as python is checked doctest-style
    return Example(
        language=lang,
        code=code,
        path=path,
        lines=lines,
        fence_line=fence_line,
        tier=choice.tier,
        raises=choice.raises,
        page=ctx.page,
        heading=where,
        topic=ctx.topic,
        run_shell=choice.run_shell,
        defaulted=choice.defaulted,
    )


def _code_lines(block: CodeBlock) -> tuple[int, ...]:
    count = len(block.code.splitlines()) if block.code else 0
    return tuple(range(block.code_line, block.code_line + count))


def _persona_default(persona: Persona | None, problems: list[Diagnostic]) -> Tier | None:
    if persona is None:
        return None
    raw = settings_default(persona.metadata.extra)
    tier, problem = default_tier(raw, SourceSpan(persona.path, 1))
    if problem is not None:
        problems.append(problem)
    return tier


def _origin(
    persona: Persona | None, lines: tuple[int, ...]
) -> tuple[CodeBlock | None, Label | None]:
    """The persona block (or pattern half) these source lines came from, and its label."""
    if persona is None or not lines:
        return None, None
    for pair in persona.patterns:
        for side, label in ((pair.wrong, Label.WRONG), (pair.correct, Label.CORRECT)):
            if _same_lines(side, lines) and side.lines != _block_lines(persona, lines[-1]):
                return _containing(persona, lines[-1]), label
    block = _containing(persona, lines[0])
    return block, (block.label if block is not None else None)


def _block_lines(persona: Persona, line: int) -> tuple[int, ...]:
    block = _containing(persona, line)
    return _code_lines(block) if block is not None else ()


_HALF = {Label.WRONG: "\N{CROSS MARK} Wrong", Label.CORRECT: "\N{WHITE HEAVY CHECK MARK} Correct"}
"""How a pattern half is named in an example's id (the card's tab titles)."""


def _same_lines(side: PatternSide, lines: tuple[int, ...]) -> bool:
    return side.lines == lines


def _containing(persona: Persona, line: int) -> CodeBlock | None:
    for block in persona.code_blocks:
        if block.code_line <= line < block.code_line + max(1, len(block.code.splitlines())):
            return block
    return None


def examples_from_page(
    page: KBPage,
    personas: Mapping[str, Persona],
    *,
    config_default: Tier = Tier.RUN,
    renderer: SiteMarkdown | None = None,
) -> tuple[list[Example], list[Diagnostic]]:
    """Every example on a generated page, each mapped back to its persona's lines.

    Only blocks the site renders as code count (``renderer`` converts like the site)."""
    front, body, first = mkdocs_meta(page.markdown)
    problems: list[Diagnostic] = []
    page_default, problem = default_tier(settings_default(front), SourceSpan(page.path, 1))
    if problem is not None:
        problems.append(problem)
    ctx = PageContext(
        page.path, PurePosixPath(page.path).stem, page.topic, page_default, config_default
    )
    shown, _, _ = rendered_blocks(body, path=page.path, first_line=first, renderer=renderer)
    out: list[Example] = []
    for block in shown:
        page_lines = _code_lines(block)
        spans = [page.source_map.lookup(n) for n in page_lines]
        heading = block.heading_path[-1] if block.heading_path else ""
        mapped = _mapped(spans)
        if mapped is None:  # written by the renderer itself: report at the page line
            out.append(
                _make(
                    block,
                    block.language,
                    block.code,
                    page.path,
                    page_lines,
                    block.fence.line,
                    heading,
                    ctx,
                    block.label,
                    None,
                    problems,
                )
            )
            continue
        path, lines = mapped
        persona = personas.get(path)
        origin, label = _origin(persona, lines)
        if label is not None and origin is not None and lines != _code_lines(origin):
            heading = f"{heading} {SEP} {_HALF[label]}" if heading else _HALF[label]
        fence_line = origin.fence.line if origin is not None else lines[0] - 1
        marker_block = _with_page_markers(origin, block)
        out.append(
            _make(
                marker_block,
                block.language,
                block.code,
                path,
                lines,
                fence_line,
                heading,
                ctx,
                label or block.label,
                _persona_default(persona, problems),
                problems,
            )
        )
    return out, problems


def _with_page_markers(origin: CodeBlock | None, shown: CodeBlock) -> CodeBlock:
    """The persona's own block for its markers, unless the page block carries some."""
    if origin is None or shown.classes or shown.marker or shown.attributes.get("raises"):
        return shown
    return origin


def _mapped(spans: list[SourceSpan | None]) -> tuple[str, tuple[int, ...]] | None:
    if not spans or any(s is None for s in spans):
        return None
    paths = {s.path for s in spans if s is not None}
    lines = tuple(s.line for s in spans if s is not None)
    if len(paths) != 1 or any(b <= a for a, b in itertools.pairwise(lines)):
        return None
    return paths.pop(), lines


def examples_from_markdown(
    markdown: str,
    *,
    path: str,
    topic: str | None = None,
    config_default: Tier = Tier.RUN,
    renderer: SiteMarkdown | None = None,
) -> tuple[list[Example], list[Diagnostic]]:
    """Every example on a hand-written page, reported at the page's own lines.

    Only blocks the site renders as code count (``renderer`` converts like the site); a
    block ``pymdownx.snippets`` pulls in is reported at the snippet file's lines."""
    front, body, first = mkdocs_meta(markdown)
    problems: list[Diagnostic] = []
    page_default, problem = default_tier(settings_default(front), SourceSpan(path, 1))
    if problem is not None:
        problems.append(problem)
    ctx = PageContext(path, "", topic, page_default, config_default)
    shown, as_text, scanned = rendered_blocks(body, path=path, first_line=first, renderer=renderer)
    problems.extend(d for d in scanned if d.code in FENCE_PROBLEMS)
    for block in as_text:
        if block.closed:
            _renders_as_code(block, problems)
    out = [
        _make(
            b,
            b.language,
            b.code,
            b.fence.path or path,
            _code_lines(b),
            b.fence.line,
            b.heading_path[-1] if b.heading_path else "",
            ctx,
            b.label,
            None,
            problems,
        )
        for b in shown
    ]
    return out, problems


def _renders_as_code(block: CodeBlock, problems: list[Diagnostic]) -> bool:
    # MkDocs renders `python no-run` as inline text on a hand-written page (generated pages
    # get the attribute-list spelling): it is no example, and its author should know.
    fixed = superfences_info(block.info)
    if fixed is None:
        return True
    problems.append(
        Diagnostic(
            "PKB616",
            Severity.WARNING,
            f"pymdownx.superfences renders this fence as text, not code: {block.info.strip()!r}",
            block.fence,
            hint=f"write the info string as {fixed}",
        )
    )
    return False


def examples_from_persona(
    persona: Persona, *, topic: str | None = None, config_default: Tier = Tier.RUN
) -> tuple[list[Example], list[Diagnostic]]:
    """Every example of one persona: its blocks, plus each pattern card's two halves."""
    problems: list[Diagnostic] = []
    ctx = PageContext(None, "", topic or persona.metadata.topic, None, config_default)
    default = _persona_default(persona, problems)
    out: list[Example] = []
    for b in persona.code_blocks:
        if b.nested:
            continue
        heading = b.heading_path[-1] if b.heading_path else ""
        out.append(
            _make(
                b,
                b.language,
                b.code,
                persona.path,
                _code_lines(b),
                b.fence.line,
                heading,
                ctx,
                b.label,
                default,
                problems,
            )
        )
    for pair in persona.patterns:
        for side, label in ((pair.wrong, Label.WRONG), (pair.correct, Label.CORRECT)):
            if not side.lines:
                continue
            origin = _containing(persona, side.lines[-1])
            out.append(
                _make(
                    origin,
                    side.language,
                    side.code,
                    persona.path,
                    side.lines,
                    origin.fence.line if origin else side.lines[0] - 1,
                    f"{pair.title} ({label})",
                    ctx,
                    label,
                    default,
                    problems,
                )
            )
    return out, problems


def select_examples(
    examples: Iterable[Example],
    *,
    topics: Iterable[str] = (),
    personas: Iterable[str] = (),
) -> list[Example]:
    """Keep examples of the given topics and persona paths (empty means all)."""
    wanted_topics = set(topics)
    wanted_personas = {p.strip("/") for p in personas}
    return [
        e
        for e in examples
        if (not wanted_topics or e.topic in wanted_topics)
        and (not wanted_personas or any(_matches(e.path, p) for p in wanted_personas))
    ]


def _matches(path: str, wanted: str) -> bool:
    return path == wanted or path.startswith(wanted + "/") or PurePosixPath(path).stem == wanted
