"""A persona's content cut into mapped fragments: sections, list items, front-matter facts.

[`PersonaParts`][persona_kb._internal.render.persona_parts.PersonaParts] wraps one
[`Persona`][persona_kb.Persona] for the renderers. Everything it returns is already
sanitised (unless HTML is allowed) and carries the persona line of every line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from persona_kb._internal.diagnostics import Diagnostic, SourceSpan
from persona_kb._internal.model import Persona, Section, SectionRole
from persona_kb._internal.render.sanitize import (
    SanitizeResult,
    parse_markdown,
    sanitize_markdown,
    sanitize_text,
)
from persona_kb._internal.render.sourcemap import Fragment, Line
from persona_kb._internal.topics import slugify

_LIST_START_RE = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
"""A line that can open a list item: only a pre-check; markdown-it decides."""


@dataclass(frozen=True, slots=True)
class ListItem:
    """One top-level list item of a section."""

    text: str
    """The item's first paragraph on one line (for tables and folding)."""
    span: SourceSpan
    fragment: Fragment
    """The item's lines exactly as written (nested items included)."""
    task: bool | None = None
    """``False`` for ``- [ ]``, ``True`` for ``- [x]``, ``None`` for a plain item."""


def fold_key(text: str) -> str:
    """The key under which identical bullets fold: case, spacing and punctuation ignored."""
    return " ".join(slugify(text).split("-"))


def one_line(text: str) -> str:
    """``text`` collapsed onto one line, safe inside a Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


@dataclass
class PersonaParts:
    """Rendering helpers for one persona."""

    persona: Persona
    allow_html: bool = False
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _items: dict[tuple[int, bool], list[ListItem]] = field(default_factory=dict)

    @cached_property
    def _sanitized(self) -> SanitizeResult:
        if self.allow_html:
            return SanitizeResult()
        code = self._code_lines()
        result = sanitize_markdown(
            self.persona.body, self.persona.path, self.persona.body_line, code_lines=code
        )
        self.diagnostics.extend(result.diagnostics)
        return result

    def _code_lines(self) -> frozenset[int]:
        # Body-relative indexes of every fenced-code line: code is never sanitised.
        code: set[int] = set()
        first = self.persona.body_line
        for block in self.persona.code_blocks:
            count = block.code.count("\n") + (0 if block.code.endswith("\n") else 1)
            if not block.code:
                count = 0
            last = block.code_line + count - (0 if block.closed else 1)  # the closing fence
            code.update(range(block.fence.line - first, last - first + 1))
        return frozenset(code)

    @property
    def span(self) -> SourceSpan:
        """Where the persona starts (facts from front matter map here)."""
        return SourceSpan(self.persona.path, 1)

    @property
    def anchor(self) -> str:
        """The persona's anchor id on its topic's pages."""
        return f"persona-{self.persona.id}"

    def clean(self, text: str) -> str:
        """A front-matter string, sanitised unless HTML is allowed."""
        return text if self.allow_html else sanitize_text(text)

    def source_lines(self, text: str, first_line: int) -> list[Line]:
        """``text`` (starting at persona line ``first_line``) as sanitised, mapped lines."""
        out: list[Line] = []
        sanitized = self._sanitized
        for i, line in enumerate(text.split("\n")):
            number = first_line + i
            span = SourceSpan(self.persona.path, number)
            out.extend((new, span) for new in sanitized.apply(number, line))
        return out

    def content(self, section: Section) -> Fragment:
        """The section's own Markdown (without its heading), trimmed of blank edges."""
        lines = self.source_lines(section.content, section.content_line)
        while lines and not lines[0][0].strip():
            lines.pop(0)
        while lines and not lines[-1][0].strip():
            lines.pop()
        return Fragment(tuple(lines))

    def preamble(self) -> Fragment:
        """The body before the first heading."""
        lines = self.source_lines(self.persona.preamble, self.persona.body_line)
        while lines and not lines[0][0].strip():
            lines.pop(0)
        while lines and not lines[-1][0].strip():
            lines.pop()
        return Fragment(tuple(lines))

    def list_items(self, section: Section, *, first_list_only: bool = False) -> list[ListItem]:
        """The top-level list items of the section's own content (or of its first list)."""
        key = (section.span.line, first_list_only)
        cached = self._items.get(key)
        if cached is None:
            cached = self._items[key] = self._parse_items(section, first_list_only)
        return cached

    def has_tasks(self, section: Section) -> bool:
        """Whether the section's content may hold task-list items (a cheap pre-check)."""
        return any(mark in section.content for mark in ("[ ]", "[x]", "[X]"))

    def _parse_items(self, section: Section, first_list_only: bool) -> list[ListItem]:
        content = section.content
        if not any(_LIST_START_RE.match(line) for line in content.split("\n")):
            return []
        tokens = parse_markdown(content, {}, inline=False)
        lines = content.split("\n")
        items: list[ListItem] = []
        depth = 0
        for index, token in enumerate(tokens):
            if token.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
                if depth == 0 and first_list_only:
                    break
            elif token.type == "list_item_open" and depth == 1 and token.map:
                start, end = token.map
                inline = next((t for t in tokens[index + 1 :] if t.type == "inline"), None)
                text = " ".join(inline.content.split()) if inline else ""
                task: bool | None = None
                if text[:3] in ("[ ]", "[x]", "[X]"):
                    task = text[1] != " "
                    text = text[3:].strip()
                while end > start + 1 and not lines[end - 1].strip():
                    end -= 1
                first = section.content_line + start
                items.append(
                    ListItem(
                        text=self.clean(text),
                        span=SourceSpan(self.persona.path, first),
                        fragment=Fragment(
                            tuple(self.source_lines("\n".join(lines[start:end]), first))
                        ),
                        task=task,
                    )
                )
        return items

    def title_section(self) -> Section | None:
        """The single top-level H1 that only repeats the persona's title, if any."""
        sections = self.persona.sections
        if len(sections) == 1 and sections[0].level == 1:
            return sections[0]
        return None

    def body_sections(self) -> tuple[Section, ...]:
        """The top-level sections, with a title-only H1 unwrapped."""
        title = self.title_section()
        return title.children if title else self.persona.sections

    def base_level(self) -> int:
        """The smallest heading level among the body sections."""
        levels = [s.level for s in self.body_sections()]
        return min(levels) if levels else 2

    def sections_with_role(self, *roles: SectionRole) -> list[Section]:
        """Every section whose role is one of ``roles``, in document order."""
        return [s for s in self.persona.all_sections() if s.role in roles]

    @property
    def role_text(self) -> str:
        """Role and seniority, as one table cell."""
        meta = self.persona.metadata
        parts = [p for p in (meta.role, meta.seniority) if p]
        return one_line(self.clean(" · ".join(parts))) if parts else "—"
