"""The top-level blocks of a Markdown body with their line ranges, for look-around by lines."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it.token import Token

_KINDS = {
    "heading_open": "heading",
    "paragraph_open": "paragraph",
    "fence": "fence",
    "code_block": "code",
    "hr": "hr",
    "html_block": "html",
    "bullet_list_open": "list",
    "ordered_list_open": "list",
    "blockquote_open": "blockquote",
    "table_open": "table",
    "pkb_container_open": "container",
}


@dataclass(frozen=True, slots=True)
class OutlineBlock:
    """A top-level block: its kind and its 0-based line range ``[start, end)``."""

    kind: str
    start: int
    end: int


def outline_blocks(tokens: list[Token]) -> list[OutlineBlock]:
    """The level-0 blocks of a token stream, in document order."""
    return [
        OutlineBlock(_KINDS[token.type], token.map[0], token.map[1])
        for token in tokens
        if token.level == 0 and token.map and token.type in _KINDS
    ]


def blocks_after(outline: list[OutlineBlock], line: int) -> list[OutlineBlock]:
    """The top-level blocks that start at or after 0-based ``line``."""
    return [block for block in outline if block.start >= line]


def blocks_between(outline: list[OutlineBlock], start: int, stop: int) -> list[OutlineBlock]:
    """The top-level blocks that lie wholly inside 0-based lines ``[start, stop)``."""
    return [block for block in outline if block.start >= start and block.end <= stop]
