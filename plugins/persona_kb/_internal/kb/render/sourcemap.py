"""Keep every generated line tied to its source while Jinja2 lays the page out.

Renderers never hand persona text to a template directly. They register it as a
[`Fragment`][persona_kb._internal.kb.render.sourcemap.Fragment] (lines, each with its
``SourceSpan``) in a [`FragmentTable`][persona_kb._internal.kb.render.sourcemap.FragmentTable],
which returns a short placeholder. The template places placeholders wherever it likes,
indented or not; [`expand`][persona_kb._internal.kb.render.sourcemap.expand] then swaps
each placeholder for its lines, repeating the indentation (so code inside a content tab
stays in the tab) and records each line's span in a
[`SourceMap`][persona_kb.SourceMap]. Lines the template wrote itself map to ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.core.model import SourceMap

Line = tuple[str, SourceSpan | None]

# U+001A (SUBSTITUTE) never appears in normalised persona text; it is stripped from
# fragments anyway, so content can never forge a placeholder.
_SUB = "\x1a"
_PLACEHOLDER_RE = re.compile(_SUB + r"(\d+)" + _SUB)


@dataclass(frozen=True, slots=True)
class Fragment:
    """Lines of Markdown, each with where it came from."""

    lines: tuple[Line, ...]

    @classmethod
    def from_text(cls, text: str, span: SourceSpan | None = None) -> Fragment:
        """Every line of ``text`` mapped to the same ``span``."""
        return cls(tuple((line, span) for line in text.split("\n")))

    @classmethod
    def from_source(cls, text: str, path: str, first_line: int) -> Fragment:
        """Line *i* of ``text`` mapped to ``path:first_line + i``."""
        return cls(
            tuple(
                (line, SourceSpan(path, first_line + i)) for i, line in enumerate(text.split("\n"))
            )
        )

    @classmethod
    def join(cls, parts: Iterable[Fragment], separator: Line | None = ("", None)) -> Fragment:
        """Concatenate fragments, with ``separator`` (a blank line by default) between them."""
        lines: list[Line] = []
        for part in parts:
            if lines and separator is not None:
                lines.append(separator)
            lines.extend(part.lines)
        return cls(tuple(lines))

    @property
    def text(self) -> str:
        """The fragment's Markdown."""
        return "\n".join(line for line, _ in self.lines)


class FragmentTable:
    """Fragments registered for one page render, addressed by placeholder."""

    def __init__(self) -> None:
        self._fragments: list[Fragment] = []

    def add(self, fragment: Fragment) -> str:
        """Register ``fragment`` and return the placeholder a template prints for it."""
        clean = Fragment(tuple((line.replace(_SUB, ""), span) for line, span in fragment.lines))
        self._fragments.append(clean)
        return f"{_SUB}{len(self._fragments) - 1}{_SUB}"

    def text(self, text: str, span: SourceSpan | None = None) -> str:
        """Register ``text`` (all lines mapped to ``span``) and return its placeholder."""
        return self.add(Fragment.from_text(text, span))

    def get(self, index: int) -> Fragment:
        """The fragment behind placeholder number ``index``."""
        return self._fragments[index]


class SourceMapBuilder:
    """Append lines with their spans; ``build()`` gives the page text and its source map."""

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._spans: list[SourceSpan | None] = []

    def append(self, line: str, span: SourceSpan | None = None) -> None:
        """Append one line (without its newline)."""
        self._lines.append(line)
        self._spans.append(span)

    def extend(self, lines: Sequence[Line]) -> None:
        """Append many lines."""
        for line, span in lines:
            self.append(line, span)

    def build(self) -> tuple[str, SourceMap]:
        """The Markdown (ending in one newline) and its source map."""
        while self._lines and not self._lines[-1].strip():
            self._lines.pop()
            self._spans.pop()
        return "\n".join(self._lines) + "\n", SourceMap(tuple(self._spans))


def _continuation_prefix(prefix: str) -> str:
    # Indentation and blockquote markers repeat on every line; anything else (a list
    # marker, a table cell) becomes plain indentation of the same width.
    if all(ch in " \t>" for ch in prefix):
        return prefix
    return " " * len(prefix)


def _expand_line(line: str, table: FragmentTable, out: SourceMapBuilder) -> None:
    match = _PLACEHOLDER_RE.search(line)
    if match is None:
        out.append(line, None)
        return
    prefix, rest = line[: match.start()], line[match.end() :]
    lines = table.get(int(match.group(1))).lines
    if not lines:
        _expand_line(prefix + rest, table, out)
        return
    if len(lines) == 1:
        text, span = lines[0]
        # Later placeholders on the same line are single-line values (table cells);
        # the line keeps the first span found.
        builder = SourceMapBuilder()
        _expand_line(prefix + text + rest, table, builder)
        for produced, produced_span in zip(builder._lines, builder._spans, strict=True):
            out.append(produced, span if span is not None else produced_span)
        return
    continuation = _continuation_prefix(prefix)
    for i, (text, span) in enumerate(lines):
        lead = prefix if i == 0 else continuation
        content = lead + text
        if not text.strip():
            content = content.rstrip()
        if i == len(lines) - 1 and rest:
            builder = SourceMapBuilder()
            _expand_line(content + rest, table, builder)
            for produced, produced_span in zip(builder._lines, builder._spans, strict=True):
                out.append(produced, span if span is not None else produced_span)
        else:
            out.append(content, span)


def expand(rendered: str, table: FragmentTable) -> tuple[str, SourceMap]:
    """Replace every placeholder in ``rendered`` and build the page's source map."""
    out = SourceMapBuilder()
    for line in rendered.split("\n"):
        _expand_line(line, table, out)
    return out.build()
