"""The one configured markdown-it-py parser, with the pymdownx block containers MkDocs renders.

CommonMark alone reads ``!!! note`` and ``=== "Tab"`` as paragraphs, and a fence indented under
them as paragraph text. Material for MkDocs renders those blocks (admonition, details, tabbed),
so the fences inside them are real examples. The block rule below turns each such container into
``pkb_container_open`` / ``pkb_container_close`` tokens around its normally tokenized body.
"""

from __future__ import annotations

import re
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

CONTAINER_OPEN = "pkb_container_open"
CONTAINER_CLOSE = "pkb_container_close"

# The opening lines as Python-Markdown's processors accept them (admonition, pymdownx.details,
# pymdownx.tabbed). They only recognise the container's first line; the body is found by indent.
_ADMONITION = re.compile(r'!!!(?P<mods>) ?(?P<kind>[\w-]+(?: +[\w-]+)*)(?: +"(?P<title>.*?)")? *$')
_DETAILS = re.compile(
    r'\?\?\?(?P<mods>\+?) ?(?P<kind>[\w-]+(?: +[\w-]+)*)(?: +"(?P<title>.*?)")? *$'
)
_TABBED = re.compile(r'===(?P<mods>[!+]{0,2}) +"(?P<title>.*?)"(?P<kind>) *(?:\{.*\})? *$')
_SYNTAXES = (("admonition", _ADMONITION), ("details", _DETAILS), ("tab", _TABBED))

BODY_INDENT = 4
"""Python-Markdown indents container bodies by four columns."""


def _match_opening(line: str) -> tuple[str, re.Match[str]] | None:
    for kind, syntax in _SYNTAXES:
        found = syntax.match(line)
        if found:
            return kind, found
    return None


def _container_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.is_code_block(start_line):
        return False
    begin = state.bMarks[start_line] + state.tShift[start_line]
    line = state.src[begin : state.eMarks[start_line]]
    if not line or line[0] not in "!?=":
        return False
    opening = _match_opening(line.rstrip())
    if opening is None:
        return False
    if silent:
        return True
    kind, found = opening

    body_indent = state.sCount[start_line] + BODY_INDENT
    next_line = start_line + 1
    last_content = start_line
    while next_line < end_line:
        is_blank = state.isEmpty(next_line)
        if not is_blank and state.sCount[next_line] < body_indent:
            break
        if not is_blank:
            last_content = next_line
        next_line += 1
    # Trailing blank lines belong to whatever follows, not to the container.
    end = last_content + 1

    old_parent, old_line_max, old_indent = state.parentType, state.lineMax, state.blkIndent
    state.parentType = "pkb_container"
    state.lineMax = end
    state.blkIndent = body_indent

    token = state.push(CONTAINER_OPEN, "div", 1)
    token.block = True
    token.map = [start_line, end]
    token.markup = line[:3] + found.group("mods")
    token.info = line.strip()
    token.meta = {
        "kind": kind,
        "type": (found.group("kind") or "").split(" ")[0].lower(),
        "title": found.group("title") or "",
    }
    if end > start_line + 1:
        state.md.block.tokenize(state, start_line + 1, end)
    close = state.push(CONTAINER_CLOSE, "div", -1)
    close.block = True

    state.parentType, state.lineMax, state.blkIndent = old_parent, old_line_max, old_indent
    state.line = end
    return True


def container_plugin(md: MarkdownIt) -> None:
    """A markdown-it-py plugin: pymdownx admonition, details and tabbed blocks as containers.

    Use it on any parser that must see the Markdown as MkDocs does (e.g. to find links).
    """
    md.block.ruler.before(
        "fence",
        "pkb_container",
        _container_rule,
        {"alt": ["paragraph", "reference", "blockquote", "list"]},
    )


_container_plugin = container_plugin
"""Former private name, kept for callers that imported it."""


@cache
def markdown_parser() -> MarkdownIt:
    """The shared block-structure parser: CommonMark plus tables and the pymdownx containers.

    It does not parse inline Markdown (``inline`` tokens have no children), so it is for reading
    structure, not for rendering HTML.

    Front matter is deliberately not recognised: callers pass the body only, and a ``---`` line
    in a body is a thematic break (or a setext underline), never front matter.
    """
    md = MarkdownIt("commonmark").enable("table")
    md.use(container_plugin)
    # Structure needs block tokens only; the text of headings and paragraphs is already in
    # each ``inline`` token's ``content``. Skipping inline parsing halves the parse time.
    md.core.ruler.disable(["inline", "text_join"])
    return md


def parse_tokens(markdown: str) -> list[Token]:
    """Block-level tokens of ``markdown`` (``token.map`` lines are 0-based within it)."""
    return markdown_parser().parse(terminated(markdown))


def terminated(markdown: str) -> str:
    """``markdown`` ending with a newline (the line numbers are the same).

    markdown-it-py 3.0 raises ``IndexError`` on a table in a blockquote whose last line,
    at the very end of the text, is a bare ``>``; a final newline avoids it.
    """
    return markdown if markdown.endswith("\n") else markdown + "\n"


def source_lines(markdown: str) -> list[str]:
    """``markdown`` split into lines exactly as markdown-it numbers them (``token.map``).

    Not ``str.splitlines()``: that also splits on form feeds and Unicode line separators, which
    markdown-it keeps inside a line, and the line numbers would drift.
    """
    return markdown.replace("\r\n", "\n").replace("\r", "\n").split("\n")
