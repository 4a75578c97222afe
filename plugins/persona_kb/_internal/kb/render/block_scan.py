"""Cheap scans of persona Markdown that the renderers run before (or instead of) a parse."""

from __future__ import annotations

import itertools
import re

from markdown_it.token import Token

from persona_kb._internal.core.model import SectionRole
from persona_kb._internal.markdown.roles import classify_heading

LIST_START_RE = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
"""A line that can open a list item: only a pre-check; markdown-it decides."""


def has_heading_marker(text: str) -> bool:
    # A cheap pre-check: no line can be an ATX heading without a "#" after its markers.
    return any(line.lstrip(" >-*+0123456789.)").startswith("#") for line in text.split("\n"))


def has_list_marker(text: str) -> bool:
    # A cheap pre-check: no top-level list can start without such a line.
    return any(LIST_START_RE.match(line) for line in text.split("\n"))


def nested_heading_lines(tokens: list[Token], first_line: int) -> set[int]:
    # Source lines of ATX headings inside the text (markdown-it decides what is one).
    return {
        first_line + token.map[0]
        for token in tokens
        if token.type == "heading_open" and token.markup.startswith("#") and token.map
    }


def lists_after_paragraph_lines(tokens: list[Token], first_line: int) -> set[int]:
    # Source lines where a top-level list starts right under a paragraph line. CommonMark
    # (GitHub, most editors) lets a list interrupt a paragraph; Python-Markdown, which MkDocs
    # uses, needs a blank line first, or it runs the items into the paragraph as one line.
    return {
        first_line + token.map[0]
        for previous, token in itertools.pairwise(tokens)
        if token.type in ("bullet_list_open", "ordered_list_open")
        and token.level == 0
        and previous.type == "paragraph_close"
        and token.map
    }


def label_roles(text: str) -> frozenset[SectionRole]:
    # The roles that a label paragraph (see `_label_before`) in ``text`` could have; a
    # text with none of the wanted roles needs no parse to find labelled lists. A label
    # is a whole one-line paragraph ending in ":", so its line ends in ":" and holds the
    # same words as the label (container markers such as ">" are not words).
    return frozenset(
        classify_heading(line.strip()) for line in text.split("\n") if line.rstrip().endswith(":")
    )


def escape_heading(line: str) -> str:
    index = line.find("#")
    return line if index < 0 else line[:index] + "\\" + line[index:]
