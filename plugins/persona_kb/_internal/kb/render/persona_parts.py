"""A persona's content cut into mapped fragments: sections, list items, front-matter facts.

[`PersonaParts`][persona_kb._internal.kb.render.persona_parts.PersonaParts] wraps one
[`Persona`][persona_kb.Persona] for the renderers. Everything it returns is already
sanitised (unless HTML is allowed) and carries the persona line of every line.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import cached_property

from markdown_it.token import Token

from persona_kb._internal.core.diagnostics import Diagnostic, SourceSpan
from persona_kb._internal.markdown.info_string import superfences_info
from persona_kb._internal.markdown.roles import classify_heading
from persona_kb._internal.core.model import Persona, Section, SectionRole
from persona_kb._internal.kb.render.fence_fixes import fence_fixes
from persona_kb._internal.kb.render.sanitize import (
    SanitizeResult,
    parse_markdown,
    sanitize_markdown,
    sanitize_text,
)
from persona_kb._internal.kb.render.block_scan import (
    escape_heading,
    has_heading_marker,
    has_list_marker,
    label_roles,
    lists_after_paragraph_lines,
    nested_heading_lines,
)
from persona_kb._internal.kb.render.persona_links import PersonaLinks
from persona_kb._internal.kb.render.sourcemap import Fragment, Line
from persona_kb._internal.kb.topics import slugify

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


@dataclass(frozen=True, slots=True)
class LabelledList:
    """A top-level list and the label paragraph right before it (``"Checklist:"``)."""

    label: str
    role: SectionRole
    items: list[ListItem]


def _label_before(tokens: list[Token], index: int) -> tuple[str, SectionRole]:
    # `Label:` as a one-line paragraph directly above the list.
    if index >= 3 and tokens[index - 1].type == "paragraph_close":
        inline = tokens[index - 2]
        text = inline.content.strip()
        if inline.type == "inline" and "\n" not in text and text.endswith(":") and len(text) < 80:
            label = text.rstrip(":").strip("*_ ").strip()
            return label, classify_heading(label)
    return "", SectionRole.OTHER


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
    _list_cache: dict[int, list[LabelledList]] = field(default_factory=dict)
    # Each text is parsed at most once per persona, however many pages show it: the
    # renderers ask for the same sections' fragments and lists again and again.
    _token_cache: dict[str, list[Token]] = field(default_factory=dict)
    _fragment_cache: dict[tuple[str, int], Fragment] = field(default_factory=dict)
    _label_cache: dict[str, frozenset[SectionRole]] = field(default_factory=dict)
    links: PersonaLinks | None = None
    """Where other personas live: links to them are rewritten (``None``: left as written)."""
    topic: str = ""
    """The slug of the topic whose pages show this persona."""

    @cached_property
    def _code_numbers(self) -> frozenset[int]:
        return frozenset(self.persona.body_line + i for i in self._code_lines())

    def _label_roles(self, text: str) -> frozenset[SectionRole]:
        found = self._label_cache.get(text)
        if found is None:
            found = self._label_cache[text] = label_roles(text)
        return found

    def _tokens(self, text: str) -> list[Token]:
        # Block tokens of ``text`` (read-only: shared by every caller).
        tokens = self._token_cache.get(text)
        if tokens is None:
            tokens = self._token_cache[text] = parse_markdown(text, {}, inline=False)
        return tokens

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
            if not block.closed:
                continue  # shown as text (see _unclosed_fences), so sanitised like text
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

    @cached_property
    def _fence_infos(self) -> dict[int, tuple[str, str]]:
        # Fence lines whose info string superfences would render as text (`python no-run`):
        # the page gets the attribute-list spelling, so a marker word never breaks the site.
        rewrites: dict[int, tuple[str, str]] = {}
        for block in self.persona.code_blocks:
            fixed = superfences_info(block.info)
            if fixed is not None and not block.nested:
                rewrites[block.fence.line] = (block.info.strip(), fixed)
        return rewrites

    @cached_property
    def _unclosed_fences(self) -> frozenset[int]:
        # MkDocs shows a fence that is never closed as text. On a topic page it would run on
        # into the next persona's content and swallow its examples, so its opening line is
        # made inert there: the page shows it as text too, and nothing after it changes.
        return frozenset(
            b.fence.line for b in self.persona.code_blocks if not b.closed and not b.nested
        )

    def source_lines(self, text: str, first_line: int) -> list[Line]:
        """``text`` (starting at persona line ``first_line``) as sanitised, mapped lines."""
        out: list[Line] = []
        sanitized = self._sanitized
        fences = self._fence_infos
        unclosed = self._unclosed_fences
        for i, line in enumerate(text.split("\n")):
            number = first_line + i
            span = SourceSpan(self.persona.path, number)
            if number in unclosed:
                line = inert_fence(line)
            elif number in fences:
                written, fixed = fences[number]
                stripped = line.rstrip()
                if written and stripped.endswith(written):
                    line = stripped[: len(stripped) - len(written)] + fixed
            extra: list[str] = []
            if number in self._fence_fixes:
                replacement, extra = self._fence_fixes[number]
                line = line if replacement is None else replacement
            produced = sanitized.apply(number, line)
            if self.links is not None and "]" in line and number not in self._code_numbers:
                produced = [self.links.rewrite_line(self.persona, self.topic, p) for p in produced]
            out.extend((new, span) for new in produced)
            out.extend((new, span) for new in extra)
        return out

    @cached_property
    def _fence_fixes(self) -> dict[int, tuple[str | None, list[str]]]:
        return fence_fixes(self.persona)

    def content(self, section: Section) -> Fragment:
        """The section's own Markdown (without its heading), trimmed of blank edges.

        Headings nested inside the content (in a list item or a blockquote) are escaped
        so that they stay text: the generated page keeps one H1 and a clean table of
        contents. (Unfenced YAML in a list often has ``# comment`` lines that Markdown
        would otherwise turn into headings.)
        """
        return self.fragment(section.content, section.content_line)

    def preamble(self) -> Fragment:
        """The body before the first heading."""
        return self.fragment(self.persona.preamble, self.persona.body_line)

    def fragment(self, text: str, first_line: int) -> Fragment:
        """Persona Markdown (from line ``first_line``) as page lines: sanitised, headings kept
        as text, lists spaced for Python-Markdown, blank edges trimmed."""
        key = (text, first_line)
        cached = self._fragment_cache.get(key)
        if cached is None:
            cached = self._fragment_cache[key] = self._make_fragment(text, first_line)
        return cached

    def _prose(self, text: str, first_line: int) -> str:
        # ``text`` without its fenced-code lines, for the cheap pre-checks below: a
        # ``# comment`` or ``- item`` inside a code block never makes a parse worth it.
        code = self._code_numbers
        if not code:
            return text
        return "\n".join(
            line for i, line in enumerate(text.split("\n")) if first_line + i not in code
        )

    def _make_fragment(self, text: str, first_line: int) -> Fragment:
        lines = self.source_lines(text, first_line)
        prose = self._prose(text, first_line)
        list_starts = (
            lists_after_paragraph_lines(self._tokens(text), first_line)
            if has_list_marker(prose)
            else set()
        )
        if list_starts:
            spaced: list[Line] = []
            for line, span in lines:
                if span is not None and span.line in list_starts:
                    list_starts.discard(span.line)
                    spaced.append(("", None))
                spaced.append((line, span))
            lines = spaced
        nested = (
            nested_heading_lines(self._tokens(text), first_line)
            if has_heading_marker(prose)
            else set()
        )
        if nested:
            lines = [
                (escape_heading(line), span)
                if span is not None and span.line in nested
                else (line, span)
                for line, span in lines
            ]
        while lines and not lines[0][0].strip():
            lines.pop(0)
        while lines and not lines[-1][0].strip():
            lines.pop()
        return Fragment(tuple(lines))

    def list_items(self, section: Section, *, first_list_only: bool = False) -> list[ListItem]:
        """The top-level list items of the section's own content (or of its first list)."""
        lists = self._lists(section.content, section.content_line)
        if first_list_only:
            return list(lists[0].items) if lists else []
        return [item for found in lists for item in found.items]

    def has_tasks(self, section: Section) -> bool:
        """Whether the section's content may hold task-list items (a cheap pre-check)."""
        return any(mark in section.content for mark in ("[ ]", "[x]", "[X]"))

    def labelled_lists(self, *roles: SectionRole) -> list[LabelledList]:
        """Lists introduced by a label paragraph (``Security checklist:``) whose label
        reads as one of ``roles``, anywhere in the body: the headings of personas that
        write no headings."""
        found: list[LabelledList] = []
        parts = [(self.persona.preamble, self.persona.body_line)]
        parts.extend((s.content, s.content_line) for s in self.persona.all_sections())
        for text, first_line in parts:
            if self._label_roles(text).isdisjoint(roles):
                continue
            for candidate in self._lists(text, first_line):
                if candidate.label and candidate.role in roles:
                    found.append(candidate)
        return found

    def items_with_role(self, *roles: SectionRole) -> list[ListItem]:
        """List items of the sections with ``roles`` and of lists labelled as such."""
        items: list[ListItem] = []
        seen: set[int] = set()
        for section in self.sections_with_role(*roles):
            for item in self.list_items(section):
                seen.add(item.span.line)
                items.append(item)
        for labelled in self.labelled_lists(*roles):
            items.extend(i for i in labelled.items if i.span.line not in seen)
        return items

    def _lists(self, text: str, first_line: int) -> list[LabelledList]:
        cached = self._list_cache.get(first_line)
        if cached is None:
            cached = self._list_cache[first_line] = self._parse_lists(text, first_line)
        return cached

    def _parse_lists(self, text: str, first_line: int) -> list[LabelledList]:
        lines = text.split("\n")
        if not has_list_marker(self._prose(text, first_line)):
            return []
        tokens = self._tokens(text)
        headings = nested_heading_lines(tokens, first_line)
        found: list[LabelledList] = []
        depth = 0
        for index, token in enumerate(tokens):
            if token.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
                if depth == 1:
                    label, role = _label_before(tokens, index)
                    found.append(LabelledList(label, role, []))
            elif token.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            elif token.type == "list_item_open" and depth == 1 and token.map and found:
                found[-1].items.append(self._item(tokens, index, lines, first_line, headings))
        return found

    def _item(
        self,
        tokens: list[Token],
        index: int,
        lines: list[str],
        first_line: int,
        headings: set[int],
    ) -> ListItem:
        start, end = tokens[index].map or (0, 1)
        inline = next((t for t in tokens[index + 1 :] if t.type == "inline"), None)
        text = " ".join(inline.content.split()) if inline else ""
        task: bool | None = None
        if text[:3] in ("[ ]", "[x]", "[X]"):
            task = text[1] != " "
            text = text[3:].strip()
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        first = first_line + start
        return ListItem(
            text=self.clean(text),
            span=SourceSpan(self.persona.path, first),
            fragment=Fragment(
                tuple(
                    (escape_heading(line), span)
                    if span is not None and span.line in headings
                    else (line, span)
                    for line, span in self.source_lines("\n".join(lines[start:end]), first)
                )
            ),
            task=task,
        )

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


_FENCE_ENTITIES = {"`": "&#96;", "~": "&#126;"}


def inert_fence(line: str) -> str:
    """A fence's opening line that no Markdown parser opens a fence on: its fence
    characters written as HTML entities (the page still shows them as written)."""
    body = line.lstrip(" \t>")
    prefix = line[: len(line) - len(body)]
    run = len(body) - len(body.lstrip(body[:1])) if body[:1] in _FENCE_ENTITIES else 0
    return prefix + _FENCE_ENTITIES.get(body[:1], "") * run + body[run:]
