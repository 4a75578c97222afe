"""The inline half of ``render.sanitize``: place an inline token's children on their
source lines and escape what they hold (tags, script-URL links, handler attribute lists)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown_it.token import Token

from persona_kb._internal.kb.render.html_escape import is_dangerous_url, neutralize_html

__all__ = ["Edits", "InlineWalk"]

# An attribute list (attr_list) that sets a handler, a URL or a style: `{: onclick=…}`.
_ATTR_LIST_RE = re.compile(r"\{[^{}\n]*\}")
_ATTR_LIST_DANGER_RE = re.compile(
    r"(?:^|[\s{:])(?:on[a-z]+|href|src|action|formaction|srcdoc|style|xlink:href)\s*=",
    re.IGNORECASE,
)

@dataclass
class Edits:
    """Edits to source lines: (column, length replaced, new text), applied right to left."""

    lines: list[str]
    by_line: dict[int, dict[int, tuple[int, str]]] = field(default_factory=dict)

    def add(self, line: int, column: int, length: int, new: str) -> None:
        self.by_line.setdefault(line, {})[column] = (length, new)

    def apply(self, line: int) -> str:
        text = self.lines[line]
        for column, (length, new) in sorted(self.by_line[line].items(), reverse=True):
            text = text[:column] + new + text[column + length :]
        return text



class InlineWalk:
    """Locate an inline token's children in the source lines and neutralise them."""

    def __init__(
        self,
        token: Token,
        lines: list[str],
        edits: Edits,
        report: Callable[[int, str], None],
    ) -> None:
        assert token.map is not None
        self.token = token
        self.start = token.map[0]
        self.lines = lines
        self.edits = edits
        self.report = report
        self.content = token.content
        self.content_lines = token.content.split("\n")

    def _where(self, pos: int) -> tuple[int, int] | None:
        # Content offset → (source line index, column), or None if it cannot be placed.
        k = self.content.count("\n", 0, pos)
        column = pos - (self.content.rfind("\n", 0, pos) + 1)
        index = self.start + k
        if index >= len(self.lines):
            return None
        base = self.lines[index].find(self.content_lines[k])
        return None if base < 0 else (index, base + column)

    def _edit(self, pos: int, length: int, new: str) -> int | None:
        where = self._where(pos)
        if where is None:
            return None
        self.edits.add(where[0], where[1], length, new)
        return where[0]

    def run(self) -> None:
        cursor = 0
        dangerous_link = False
        content = self.content
        for child in self.token.children or ():
            kind = child.type
            if kind == "html_inline":
                pos = content.find(child.content, cursor)
                if pos < 0:
                    continue
                cursor = pos + len(child.content)
                _, changed, dangerous = neutralize_html(child.content)
                if not changed:
                    continue
                # One tag: every `<` in it goes, including those in attribute values.
                line = None
                for offset, char in enumerate(child.content):
                    if char == "<":
                        edited = self._edit(pos + offset, 1, "&lt;")
                        line = line if edited is None else edited
                if dangerous and line is not None:
                    self.report(line, "dangerous inline HTML")
            elif kind == "code_inline":
                opening = content.find(child.markup, cursor)
                if opening >= 0:
                    closing = content.find(child.markup, opening + len(child.markup))
                    if closing >= 0:
                        cursor = closing + len(child.markup)
            elif kind == "text":
                pos = content.find(child.content, cursor)
                if pos >= 0:
                    self._attr_lists(child.content, pos)
                    self._tag_like(child.content, pos)
                    cursor = pos + len(child.content)
            elif kind in ("link_open", "image"):
                url = str(child.attrs.get("href" if kind == "link_open" else "src", ""))
                if child.markup == "autolink":
                    pos = content.find("<", cursor)
                    if pos >= 0 and is_dangerous_url(url):
                        line = self._edit(pos, 1, "&lt;")
                        if line is not None:
                            self.report(line, "a script URL")
                    continue
                if kind == "image":
                    cursor = self._close_link(cursor, is_dangerous_url(url))
                else:
                    dangerous_link = is_dangerous_url(url)
            elif kind == "link_close":
                if child.markup != "autolink":
                    cursor = self._close_link(cursor, dangerous_link)
                dangerous_link = False

    def _close_link(self, cursor: int, dangerous: bool) -> int:
        # The destination follows the link text: `](…)`. A dangerous one loses its link
        # syntax (`]\(`), so the whole link shows as the text it was written as.
        pos = self.content.find("](", cursor)
        if pos < 0:
            return cursor
        if dangerous:
            line = self._edit(pos + 1, 1, "\\(")
            if self.content[pos + 2 : pos + 3] == "<":  # `](<javascript:…>)`
                self._edit(pos + 2, 1, "&lt;")
            if line is not None:
                self.report(line, "a script URL")
        return pos + 2

    def _tag_like(self, text: str, pos: int) -> None:
        # Text to markdown-it, but Python-Markdown reads `<String, Integer>` as a tag and a
        # browser reads any `<` and a letter as one: escape each such `<`.
        if "<" not in text:
            return
        _, changed, dangerous = neutralize_html(text)
        if not changed:
            return
        line = None
        for offset, char in enumerate(text):
            if char == "<" and text[offset + 1 : offset + 2] and (
                text[offset + 1].isalpha() or text[offset + 1] in "/!?"
            ):
                edited = self._edit(pos + offset, 1, "&lt;")
                line = line if edited is None else edited
        if dangerous and line is not None:
            self.report(line, "dangerous inline HTML")

    def _attr_lists(self, text: str, pos: int) -> None:
        for match in _ATTR_LIST_RE.finditer(text):
            if _ATTR_LIST_DANGER_RE.search(match.group(0)):
                line = self._edit(pos + match.start(), 1, "\\{")
                if line is not None:
                    self.report(line, "an attribute list setting a handler or URL")


