"""Find every fenced code block MkDocs would render, with exact source lines.

Fences come from markdown-it-py tokens (``token.map``), never from a regex, so ``~~~`` fences,
fences of any length, fences in lists, blockquotes, admonitions and content tabs are all found,
and nothing inside an HTML comment is. A ``markdown``/``md`` fence is an example of an example:
its content is scanned again and the blocks found there are returned with ``nested=True``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from markdown_it.token import Token

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.model import CodeBlock
from persona_kb._internal.markdown.info_string import parse_info_string
from persona_kb._internal.markdown.labels import LabelMatch, detect_label
from persona_kb._internal.markdown.parser import (
    CONTAINER_CLOSE,
    CONTAINER_OPEN,
    parse_tokens,
    source_lines,
)
from persona_kb._internal.markdown.sections import heading_title

_MARKER_PREFIX = "persona-kb:"
_MAX_NESTING = 4
"""How deep examples of examples are scanned (a ``md`` fence inside a ``md`` fence …)."""
_TEXT_BLOCK_OPENERS = frozenset({"paragraph_open", "heading_open"})


@dataclass(frozen=True, slots=True)
class FenceScan:
    """What [`find_code_blocks`][] found: the blocks, in document order, and the diagnostics."""

    blocks: tuple[CodeBlock, ...]
    diagnostics: tuple[Diagnostic, ...]
    captions: dict[int, str] = field(default_factory=dict, compare=False)
    """Label text per block, keyed by the fence's source line (e.g. ``"Blocking sync code"``)."""


@dataclass(frozen=True, slots=True)
class _Sibling:
    """A block-level token already seen in the current container (for look-behind)."""

    kind: str
    start: int
    end: int
    text: str = ""


@dataclass(slots=True)
class _Walk:
    path: str
    first_line: int
    lines: list[str]
    blocks: list[CodeBlock] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    captions: dict[int, str] = field(default_factory=dict)
    headings: list[tuple[int, str, LabelMatch | None]] = field(default_factory=list)
    siblings: list[list[_Sibling]] = field(default_factory=lambda: [[]])
    container_labels: list[LabelMatch | None] = field(default_factory=list)
    """Labels of the enclosing admonitions and tabs (``=== "❌ Wrong"``), innermost last."""
    stray_fences: set[int] = field(default_factory=set)
    """Lines just after an outer fence closed early: the stray fence there is reported once."""


def find_code_blocks(markdown: str, *, path: str, first_line: int = 1) -> FenceScan:
    """Every fenced code block in ``markdown`` as MkDocs (pymdownx) would render it.

    ``first_line`` is the source line of ``markdown``'s first line, so the spans point into the
    persona file even when ``markdown`` is a body that starts further down. Unclosed fences are
    returned with ``closed=False`` and a ``PKB300`` warning at the fence.
    """
    return scan_code_blocks(parse_tokens(markdown), markdown, path=path, first_line=first_line)


def scan_code_blocks(
    tokens: list[Token], markdown: str, *, path: str, first_line: int = 1, depth: int = 0
) -> FenceScan:
    """[`find_code_blocks`][] over tokens already parsed from ``markdown``."""
    walk = _Walk(path=path, first_line=first_line, lines=source_lines(markdown))
    for index, token in enumerate(tokens):
        _visit(walk, tokens, index, token, depth)
    return FenceScan(tuple(walk.blocks), tuple(walk.diagnostics), walk.captions)


def _visit(walk: _Walk, tokens: list[Token], index: int, token: Token, depth: int) -> None:
    siblings = walk.siblings[-1]
    if token.type == "heading_open" and token.map:
        title = heading_title(tokens[index + 1].content)
        if token.level == 0:
            level = int(token.tag[1:])
            while walk.headings and walk.headings[-1][0] >= level:
                walk.headings.pop()
            walk.headings.append((level, title, detect_label(title)))
        siblings.append(_Sibling("heading", token.map[0], token.map[1], title))
    elif token.type == "paragraph_open" and token.map:
        siblings.append(
            _Sibling("paragraph", token.map[0], token.map[1], tokens[index + 1].content)
        )
    elif token.type == "fence" and token.map:
        _add_fence(walk, token, depth)
        siblings.append(_Sibling("fence", token.map[0], token.map[1]))
    elif token.nesting == 1 and token.type not in _TEXT_BLOCK_OPENERS:
        walk.siblings.append([])
        if token.type == CONTAINER_OPEN:
            walk.container_labels.append(detect_label(str(token.meta.get("title", ""))))
    elif token.nesting == -1 and token.type not in {"paragraph_close", "heading_close"}:
        if len(walk.siblings) > 1:
            walk.siblings.pop()
        if token.type == CONTAINER_CLOSE and walk.container_labels:
            walk.container_labels.pop()
        walk.siblings[-1].append(_Sibling(token.type, -1, -1))
    elif token.nesting == 0 and token.map and token.type != "inline":
        siblings.append(_Sibling(token.type, token.map[0], token.map[1], token.content))


def _marker_words(html: str) -> str | None:
    """The words of a ``<!-- persona-kb: … -->`` comment, or ``None`` for any other HTML."""
    text = html.strip()
    if not (text.startswith("<!--") and text.endswith("-->")) or text.count("<!--") != 1:
        return None
    inner = text[4:-3].strip()
    if not inner.lower().startswith(_MARKER_PREFIX):
        return None
    return " ".join(inner[len(_MARKER_PREFIX) :].split())


def _look_behind(siblings: list[_Sibling], fence_start: int) -> tuple[str, LabelMatch | None]:
    """The marker comment right before a fence, and the label line just before it."""
    marker = ""
    before = list(siblings)
    if before and before[-1].kind == "html_block" and before[-1].end == fence_start:
        words = _marker_words(before[-1].text)
        if words is not None:
            marker = words
            before.pop()
    label = None
    if before and before[-1].kind == "paragraph":
        last_line = before[-1].text.rstrip().rsplit("\n", 1)[-1]
        label = detect_label(last_line)
    return marker, label


def _is_closed(token: Token) -> bool:
    assert token.map is not None
    content = token.content
    content_lines = content.count("\n") + (1 if content and not content.endswith("\n") else 0)
    return token.map[1] - token.map[0] - 1 > content_lines


def _add_fence(walk: _Walk, token: Token, depth: int) -> None:
    assert token.map is not None
    start, end = token.map
    fence_line = walk.first_line + start
    source = walk.lines[start] if start < len(walk.lines) else ""
    column = max(source.find(token.markup), 0) + 1
    span = SourceSpan(walk.path, fence_line, column)
    language, classes, attributes = parse_info_string(token.info)
    marker, line_label = _look_behind(walk.siblings[-1], start)
    heading_label = walk.headings[-1][2] if walk.headings else None
    container_label = next((found for found in reversed(walk.container_labels) if found), None)
    label = line_label or container_label or heading_label
    closed = _is_closed(token)
    block = CodeBlock(
        language=language,
        info=token.info.strip(),
        classes=classes,
        attributes=attributes,
        code=token.content,
        fence=span,
        code_line=fence_line + 1,
        heading_path=tuple(title for _, title, _ in walk.headings),
        label=label.label if label else None,
        closed=closed,
        marker=marker,
    )
    walk.blocks.append(block)
    if label and label.caption:
        walk.captions[fence_line] = label.caption
    if not closed and fence_line not in walk.stray_fences:
        walk.diagnostics.append(_unclosed(span, token.markup))
    if language == "markdown" and depth < _MAX_NESTING:
        _add_nested(walk, block, token.markup, walk.first_line + end - 1, depth)


def _unclosed(span: SourceSpan, markup: str) -> Diagnostic:
    return Diagnostic(
        code="PKB300",
        severity=Severity.WARNING,
        message=f"code fence {markup} opened here is never closed, so it runs to the end of "
        "its section",
        span=span,
        hint=f"add a closing {markup} line after the last line of code, indented like the opening "
        "fence",
    )


def _add_nested(walk: _Walk, outer: CodeBlock, markup: str, last_line: int, depth: int) -> None:
    inner = scan_code_blocks(
        parse_tokens(outer.code),
        outer.code,
        path=walk.path,
        first_line=outer.code_line,
        depth=depth + 1,
    )
    walk.blocks.extend(
        replace(block, nested=True, heading_path=outer.heading_path) for block in inner.blocks
    )
    # An inner fence left open means the outer fence was closed by the inner block's closing
    # line, when that line could close the outer fence (same character, at least as long).
    # Otherwise the open inner fence is only text inside the example and harmless.
    example_lines = source_lines(outer.code)
    unclosed_inside = [
        d
        for d in inner.diagnostics
        if d.code == "PKB300" and _could_close(example_lines[d.span.line - outer.code_line], markup)
    ]
    walk.diagnostics.extend(d for d in inner.diagnostics if d.code != "PKB300")
    if outer.closed and unclosed_inside:
        walk.stray_fences.add(last_line + 1)
        walk.diagnostics.append(
            Diagnostic(
                code="PKB303",
                severity=Severity.WARNING,
                message=f"the {markup}{outer.info} fence opened here is "
                f"closed early at line {last_line} by the fence meant to close the inner block "
                f"at line {unclosed_inside[0].span.line}; everything after it renders wrongly",
                span=outer.fence,
                hint="make the outer fence longer than the inner ones (````markdown … ````) "
                "or fence the inner blocks with ~~~",
                related=tuple(d.span for d in unclosed_inside),
            )
        )


def _could_close(inner_opening: str, outer_markup: str) -> bool:
    """Whether the closing line of a fence opened by ``inner_opening`` closes ``outer_markup``."""
    text = inner_opening.lstrip(" >")
    run = len(text) - len(text.lstrip(outer_markup[0]))
    return run >= len(outer_markup)
