"""Heading anchors as GitHub generates them (github-slugger's algorithm)."""

from __future__ import annotations

import unicodedata
from functools import cache

from markdown_it import MarkdownIt

_KEEP = frozenset(" -_")


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading whose rendered text is ``text`` (before de-duplication).

    Lower-case; letters, digits, combining marks, ``-`` and ``_`` kept; every other character
    (punctuation, symbols, emoji) dropped; each space becomes ``-`` (runs are not collapsed).
    """
    kept = []
    for ch in text.strip().lower():
        if ch in _KEEP or unicodedata.category(ch)[0] in "LNM":
            kept.append("-" if ch == " " else ch)
    return "".join(kept)


class GithubSlugger:
    """Unique anchors for one page, numbered as GitHub numbers repeats (``x``, ``x-1``, …)."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def slug(self, text: str) -> str:
        """The anchor of the next heading whose rendered text is ``text``."""
        original = result = github_slug(text)
        while result in self._seen:
            self._seen[original] += 1
            result = f"{original}-{self._seen[original]}"
        self._seen[result] = 0
        return result


@cache
def _inline_parser() -> MarkdownIt:
    return MarkdownIt("commonmark")


def rendered_text(inline_markdown: str) -> str:
    """The plain text a heading's inline Markdown renders to (code, emphasis, link texts)."""
    tokens = _inline_parser().parseInline(inline_markdown)
    parts: list[str] = []
    for token in tokens:
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type == "image":
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return "".join(parts)
