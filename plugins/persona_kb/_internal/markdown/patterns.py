"""❌ WRONG / ✅ CORRECT pattern cards, in the two shapes persona files write them.

* ``headings``: a ❌-labelled block and a ✅-labelled block (either order) in the same section
  family, labelled by headings (``#### ❌ WRONG (…)``) or by a label line before each block.
* ``markers``: one block whose whole-line comments at its base indentation (``# ❌ …`` /
  ``# ✅ …``, ``// ❌ …``) split it into halves. Lines before the first marker are a preamble
  that both halves keep; the source line of every kept line is recorded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.model import CodeBlock, Label, PatternPair, PatternSide, Section
from persona_kb._internal.markdown.fences import scan_code_blocks
from persona_kb._internal.markdown.labels import LabelMatch, detect_comment_label, detect_label
from persona_kb._internal.markdown.outline import (
    OutlineBlock,
    blocks_after,
    blocks_between,
    outline_blocks,
)
from persona_kb._internal.markdown.parser import parse_tokens, source_lines

_LEADING_SYMBOLS = re.compile(r"^[^\w\"'`(\[<]+")
_NUMBERING = re.compile(r"^\d+(?:\.\d+)*[.)]\s+")
_WHY_STOPS = frozenset({"heading", "hr", "fence", "code", "container"})
_PROSE = frozenset({"paragraph", "list", "blockquote", "table"})


@dataclass(frozen=True, slots=True)
class PatternContext:
    """What pairing needs to know about the Markdown around the blocks."""

    path: str
    first_line: int
    lines: list[str]
    outline: list[OutlineBlock]
    captions: Mapping[int, str]
    heading_lines: frozenset[int]
    """Source lines of every heading."""


def find_patterns(
    markdown: str,
    blocks: Sequence[CodeBlock],
    sections: Sequence[Section],
    *,
    path: str,
    first_line: int = 1,
) -> tuple[tuple[PatternPair, ...], tuple[Diagnostic, ...]]:
    """The pattern cards among ``blocks`` (found in ``markdown``), and ``PKB302`` for lone labels.

    ``sections`` are the body's sections (as [`parse_body`][] builds them); ``first_line`` is the
    source line of ``markdown``'s first line.
    """
    tokens = parse_tokens(markdown)
    scan = scan_code_blocks(tokens, markdown, path=path, first_line=first_line)
    context = PatternContext(
        path=path,
        first_line=first_line,
        lines=source_lines(markdown),
        outline=outline_blocks(tokens),
        captions=scan.captions,
        heading_lines=frozenset(s.span.line for root in sections for s in root.walk()),
    )
    return pair_patterns(context, blocks)


def pair_patterns(
    context: PatternContext, blocks: Sequence[CodeBlock]
) -> tuple[tuple[PatternPair, ...], tuple[Diagnostic, ...]]:
    """Both shapes of cards, in source order, and the diagnostics for labels left unpaired."""
    pairs: list[PatternPair] = []
    diagnostics: list[Diagnostic] = []
    split: set[int] = set()
    for block in blocks:
        if block.nested or block.language == "markdown":
            continue
        found = _split_markers(context, block, diagnostics)
        if found:
            pairs.extend(found)
            split.add(block.fence.line)
    labelled = [b for b in blocks if b.label and not b.nested and b.fence.line not in split]
    pending: CodeBlock | None = None
    for block in labelled:
        if pending and pending.label != block.label and _family(pending) == _family(block):
            pairs.append(_heading_pair(context, pending, block))
            pending = None
            continue
        if pending:
            diagnostics.append(_lone(pending.fence, pending.label))
        pending = block
    if pending:
        diagnostics.append(_lone(pending.fence, pending.label))
    pairs.sort(key=lambda pair: pair.span.line)
    return tuple(pairs), tuple(diagnostics)


def clean_title(title: str) -> str:
    """A card title: the heading without leading emoji or numbering (``1. ``, ``2.3) ``)."""
    text = _LEADING_SYMBOLS.sub("", title.strip())
    return _NUMBERING.sub("", text).strip() or title.strip()


def _family(block: CodeBlock) -> tuple[str, ...]:
    """The block's heading path without ❌/✅ label headings: the section the pair belongs to."""
    return tuple(title for title in block.heading_path if detect_label(title) is None)


def _code_lines(code: str) -> list[str]:
    """The lines of a block's code (its final newline does not start another line)."""
    lines = code.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _block_end(context: PatternContext, block: CodeBlock) -> int:
    """0-based line just after the block's closing fence."""
    count = len(_code_lines(block.code))
    return block.code_line - context.first_line + count + (1 if block.closed else 0)


def _text(context: PatternContext, blocks: list[OutlineBlock]) -> str:
    if not blocks:
        return ""
    return "\n".join(context.lines[blocks[0].start : blocks[-1].end]).strip()


def _why_after(context: PatternContext, end: int) -> str:
    """Prose after a pair up to the next heading, ``---``, or code block."""
    following = blocks_after(context.outline, end)
    taken: list[OutlineBlock] = []
    for block in following:
        if block.kind in _WHY_STOPS:
            if block.kind == "fence" and taken and taken[-1].kind == "paragraph":
                intro = "\n".join(context.lines[taken[-1].start : taken[-1].end]).rstrip()
                if intro.rstrip("*_ ").endswith(":"):
                    taken.pop()  # "**Next example:**" introduces the next block, not this pair
            break
        if block.kind not in _PROSE:
            break
        taken.append(block)
    return _text(context, taken)


def _why_before(context: PatternContext, block: CodeBlock) -> str:
    """Prose between the block's heading and the block (``**Solution:** …``), if it is first."""
    fence = block.fence.line - context.first_line
    headings = [line - context.first_line for line in context.heading_lines]
    start = max((line + 1 for line in headings if line < fence), default=-1)
    if start < 0:
        return ""  # before the first heading there is no entry the prose could belong to
    between = blocks_between(context.outline, start, fence)
    if any(b.kind not in _PROSE for b in between):
        return ""
    return _text(context, between)


def _side(block: CodeBlock, indices: list[int], code_lines: list[str], caption: str) -> PatternSide:
    return PatternSide(
        code="".join(code_lines[i] + "\n" for i in indices),
        language=block.language,
        path=block.fence.path,
        lines=tuple(block.code_line + i for i in indices),
        caption=caption,
    )


def _whole_side(context: PatternContext, block: CodeBlock) -> PatternSide:
    code_lines = _code_lines(block.code)
    caption = context.captions.get(block.fence.line, "")
    return _side(block, list(range(len(code_lines))), code_lines, caption)


def _heading_pair(context: PatternContext, first: CodeBlock, second: CodeBlock) -> PatternPair:
    wrong, correct = (first, second) if first.label is Label.WRONG else (second, first)
    family = _family(first)
    wrong_side = _whole_side(context, wrong)
    title = clean_title(family[-1]) if family else ""
    return PatternPair(
        title=title or wrong_side.caption or f"Pattern at line {first.fence.line}",
        span=first.fence,
        wrong=wrong_side,
        correct=_whole_side(context, correct),
        why=_why_after(context, _block_end(context, second)),
        shape="headings",
        heading_path=family,
    )


@dataclass(frozen=True, slots=True)
class _Segment:
    label: Label
    start: int
    stop: int
    caption: str


def _marker_segments(code_lines: list[str]) -> list[_Segment]:
    """Runs of lines opened by a marker comment at the block's base indentation."""
    indents = [len(line) - len(line.lstrip()) for line in code_lines if line.strip()]
    if not indents:
        return []
    base = min(indents)
    markers: list[tuple[int, LabelMatch]] = []
    for index, line in enumerate(code_lines):
        if line.strip() and len(line) - len(line.lstrip()) == base:
            found = detect_comment_label(line)
            if found:
                markers.append((index, found))
    if {found.label for _, found in markers} != {Label.WRONG, Label.CORRECT}:
        return []
    segments: list[_Segment] = []
    for position, (index, found) in enumerate(markers):
        stop = markers[position + 1][0] if position + 1 < len(markers) else len(code_lines)
        if segments and segments[-1].label is found.label:
            previous = segments.pop()
            segments.append(_Segment(found.label, previous.start, stop, previous.caption))
        else:
            segments.append(_Segment(found.label, index, stop, found.caption))
    return segments


def _trimmed(start: int, stop: int, code_lines: list[str]) -> list[int]:
    while stop > start and not code_lines[stop - 1].strip():
        stop -= 1
    return list(range(start, stop))


def _split_markers(
    context: PatternContext, block: CodeBlock, diagnostics: list[Diagnostic]
) -> list[PatternPair]:
    code_lines = _code_lines(block.code)
    segments = _marker_segments(code_lines)
    if not segments:
        return []
    preamble = list(range(segments[0].start))
    if not any(code_lines[i].strip() for i in preamble):
        preamble = []
    innermost = block.heading_path[-1] if block.heading_path else ""
    family = _family(block)
    heading = innermost if innermost and detect_label(innermost) is None else ""
    title = clean_title(heading or (family[-1] if family else ""))
    why = "\n\n".join(
        part
        for part in (_why_before(context, block), _why_after(context, _block_end(context, block)))
        if part
    )
    pairs: list[PatternPair] = []
    for position in range(0, len(segments) - 1, 2):
        first, second = segments[position], segments[position + 1]
        wrong, correct = (first, second) if first.label is Label.WRONG else (second, first)
        number = position // 2 + 1
        pairs.append(
            PatternPair(
                title=(title or wrong.caption or f"Pattern at line {block.fence.line}")
                + (f" ({number})" if number > 1 else ""),
                span=block.fence,
                wrong=_side(
                    block,
                    preamble + _trimmed(wrong.start, wrong.stop, code_lines),
                    code_lines,
                    wrong.caption,
                ),
                correct=_side(
                    block,
                    preamble + _trimmed(correct.start, correct.stop, code_lines),
                    code_lines,
                    correct.caption,
                ),
                why=why,
                shape="markers",
                heading_path=family,
            )
        )
    if len(segments) % 2:
        leftover = segments[-1]
        diagnostics.append(
            _lone(block.fence.at_line(block.code_line + leftover.start), leftover.label)
        )
    return pairs


def _lone(span: SourceSpan, label: Label | None) -> Diagnostic:
    mine, other = ("❌ WRONG", "✅ CORRECT") if label is Label.WRONG else ("✅ CORRECT", "❌ WRONG")
    return Diagnostic(
        code="PKB302",
        severity=Severity.INFO,
        message=f"{mine} example has no {other} partner in its section, so it makes no "
        "pattern card",
        span=span,
        hint=f"add a {other} block next to it under the same heading, or drop the label",
    )
