"""A budget on runs of link reference definitions, so parsing stays linear.

markdown-it-py 3.x reads a run of link reference definitions with no blank line
between them in quadratic time: 8,000 such lines take about two minutes. Version 4
fixes it, but mkdocs-llmstxt and pytest-markdown-docs still require ``<4``, so
persona-kb cannot demand it. Instead, a paragraph over
[`MAX_REFERENCE_WORK`][persona_kb._internal.markdown.references.MAX_REFERENCE_WORK]
has its definitions escaped (``\\[``): they show as the text they are, on the line
they were, and a diagnostic says so. Definitions separated by blank lines are linear
and left alone; so is every line of a code block, found by a parse with the reference
rule switched off (linear too).
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan

MAX_REFERENCE_WORK = 60_000
"""Budget of one paragraph: its reference definitions times its lines (markdown-it-py
3.x reads each definition by scanning to the end of its paragraph). 200 definitions in
a row cost 40,000, parsed in well under a second."""

# A line that may open a link reference definition, optionally inside block quotes.
_CANDIDATE = re.compile(r"^(?P<prefix>(?: {0,3}>)* {0,3})\[(?!\^)[^\]\n]*\]:")


@cache
def _block_parser() -> MarkdownIt:
    # Block structure only: neither the slow reference rule nor any inline parsing.
    return MarkdownIt("commonmark").enable("table").disable(["reference", "inline"])


def _code_lines(text: str) -> set[int]:
    lines: set[int] = set()
    for token in _block_parser().parse(text):
        if token.type in ("fence", "code_block", "html_block") and token.map is not None:
            lines.update(range(*token.map))
    return lines


def bound_reference_runs(text: str, path: str, first_line: int) -> tuple[str, list[Diagnostic]]:
    """``text`` with the reference definitions of every over-budget paragraph escaped (see
    the module docs), and a ``PKB305`` warning for each such paragraph. Line numbers
    never change."""
    lines = text.split("\n")
    if _worst(lines, set()) <= MAX_REFERENCE_WORK:
        return text, []
    code = _code_lines(text)
    diagnostics: list[Diagnostic] = []
    for start, end, found in _paragraphs(lines, code):
        if len(found) * (end - start) <= MAX_REFERENCE_WORK:
            continue
        for index, prefix in found:
            lines[index] = f"{prefix}\\{lines[index][len(prefix) :]}"
        diagnostics.append(_cut(path, first_line + found[0][0], len(found)))
    return "\n".join(lines), diagnostics


def _paragraphs(lines: list[str], code: set[int]) -> list[tuple[int, int, list[tuple[int, str]]]]:
    """Runs of non-blank lines outside code: ``(start, end, [(line, quote prefix)])`` of
    the lines that may open a reference definition."""
    out: list[tuple[int, int, list[tuple[int, str]]]] = []
    start = 0
    found: list[tuple[int, str]] = []
    for index, line in enumerate([*lines, ""]):
        if index in code or not line.strip():
            if found:
                out.append((start, index, found))
            start, found = index + 1, []
            continue
        match = _CANDIDATE.match(line)
        if match is not None:
            found.append((index, match.group("prefix")))
    return out


def _worst(lines: list[str], code: set[int]) -> int:
    return max((len(f) * (end - start) for start, end, f in _paragraphs(lines, code)), default=0)


def _cut(path: str, line: int, count: int) -> Diagnostic:
    return Diagnostic(
        "PKB305",
        Severity.WARNING,
        f"{count} link reference definitions in one paragraph are more than the parser "
        "can read in bounded time; they are shown as text",
        SourceSpan(path, line),
        hint="put a blank line between groups of link reference definitions",
    )
