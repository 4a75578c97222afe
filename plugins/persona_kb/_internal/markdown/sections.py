"""The section tree of a Markdown body, from ATX and setext heading tokens.

Only top-level headings make sections: a ``#`` line inside a code fence is code, and a heading
inside a blockquote or list belongs to that block's content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it.token import Token

from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.core.model import Section, SectionRole


@dataclass(frozen=True, slots=True)
class Heading:
    """A top-level heading: ``line`` is its 0-based first line, ``body`` the line after it."""

    level: int
    title: str
    line: int
    body: int


def heading_title(inline: str) -> str:
    """A heading's title as written, without a trailing ``{#id .class}`` attribute list."""
    title = inline.strip()
    if title.endswith("}") and "{" in title:
        head, _, attrs = title.rpartition("{")
        if attrs[:1] in ("#", ".", ":") or attrs.lstrip()[:1] in ("#", "."):
            title = head.rstrip()
    return " ".join(title.split())


def headings_from_tokens(tokens: list[Token]) -> list[Heading]:
    """Top-level headings in document order."""
    found: list[Heading] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.level == 0 and token.map:
            title = heading_title(tokens[index + 1].content)
            found.append(Heading(int(token.tag[1:]), title, token.map[0], token.map[1]))
    return found


@dataclass(slots=True)
class _Draft:
    heading: Heading
    content: str
    content_line: int
    role: SectionRole
    children: list[_Draft] = field(default_factory=list)

    def freeze(self, path: str, first_line: int) -> Section:
        return Section(
            title=self.heading.title,
            level=self.heading.level,
            span=SourceSpan(path, first_line + self.heading.line),
            content=self.content,
            content_line=self.content_line,
            role=self.role,
            children=tuple(child.freeze(path, first_line) for child in self.children),
        )


def _own_content(lines: list[str], start: int, stop: int, first_line: int) -> tuple[str, int]:
    """Lines ``start:stop`` without surrounding blank lines, and the first one's source line."""
    first = start
    while start < stop and not lines[start].strip():
        start += 1
    while stop > start and not lines[stop - 1].strip():
        stop -= 1
    if start == stop:
        return "", first_line + first
    return "\n".join(lines[start:stop]), first_line + start


def build_sections(
    headings: list[Heading],
    lines: list[str],
    *,
    path: str,
    first_line: int,
    classify: Callable[[str], SectionRole],
) -> tuple[str, tuple[Section, ...]]:
    """The preamble (Markdown before the first heading) and the tree of sections.

    A section's ``content`` is its own Markdown up to the next heading of any level, without
    surrounding blank lines; ``content_line`` is the source line of its first line.
    """
    first_heading = headings[0].line if headings else len(lines)
    preamble = "\n".join(lines[:first_heading]).rstrip()
    roots: list[_Draft] = []
    stack: list[_Draft] = []
    for position, heading in enumerate(headings):
        stop = headings[position + 1].line if position + 1 < len(headings) else len(lines)
        content, content_line = _own_content(lines, heading.body, stop, first_line)
        draft = _Draft(heading, content, content_line, classify(heading.title))
        while stack and stack[-1].heading.level >= heading.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(draft)
        stack.append(draft)
    return preamble, tuple(draft.freeze(path, first_line) for draft in roots)
