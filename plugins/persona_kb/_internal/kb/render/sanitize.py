"""Escape, never delete: persona Markdown made safe for the site while every word stays.

Persona bodies are third-party input on a hosted site. markdown-it-py tokens locate the
HTML blocks, inline HTML, links and attribute lists; code fences, indented code and code
spans are never looked at. Each ``<`` that starts something the browser would read as a
tag is kept only when it opens or closes a plain formatting tag (``<details>``,
``<kbd>``, ``<br>``, …) without event handlers or script URLs. Everything else, text
that only looks like HTML (``Result<T>``, ``<ProjectName>``, ``<role>``) as much as
``<script>``, has its ``<`` written as ``&lt;``: it is shown literally, and runs nowhere.
Links with a ``javascript:``-like destination (however entity-encoded) lose their link
syntax and attribute lists with ``on*=`` lose their braces' meaning, the same way.

Only dangerous HTML (a script, an event handler, a script URL, a frame, …) is reported
(PKB502); harmless text is escaped silently. Untouched lines stay byte-identical, and
the result is a mapping *source line → replacement lines*, so the page's source map
still points every line at the persona line it came from.

This is the Markdown half. The HTML that MkDocs renders from the page goes through an
allow-list as well (``render.html_allowlist``), which is what guarantees the site.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.kb.render.sanitize_inline import Edits, InlineWalk
from persona_kb._internal.markdown.parser import terminated
from persona_kb._internal.kb.render.html_escape import (
    TAG_RE,
    is_dangerous_url,
    judge_tag,
    neutralize_html,
    sanitize_html,
)

__all__ = [
    "SanitizeResult",
    "is_dangerous_url",
    "parse_markdown",
    "sanitize_html",
    "sanitize_markdown",
    "sanitize_text",
]

_REFERENCE_RE = re.compile(r"^( {0,3})\[((?:[^\]\\]|\\.)+)\]:[ \t]*(\S*)")
_md = MarkdownIt("commonmark", {"html": True}).enable("table")
# Let every destination through, so that dangerous ones become tokens we can see.
_md.validateLink = lambda url: True  # type: ignore[method-assign]
_md_blocks = MarkdownIt("commonmark", {"html": True}).enable("table").disable("inline")

HINT = (
    "it is shown as text on the page and runs nowhere; remove it from the persona if it "
    "is not meant to be there"
)



@dataclass
class SanitizeResult:
    """Source line → replacement lines, and the diagnostics for dangerous HTML."""

    replacements: dict[int, list[str]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def apply(self, line_number: int, line: str) -> list[str]:
        """The lines to print for source line ``line_number``."""
        return self.replacements.get(line_number, [line])


def might_be_unsafe(text: str) -> bool:
    """A cheap pre-check: could ``text`` hold HTML, an attribute list or a script URL?"""
    if "<" in text or "{" in text or "&" in text:
        return True
    lowered = text.lower()
    return any(s in lowered for s in ("script", "data:", "mocha:"))


def parse_markdown(text: str, env: dict[str, object], *, inline: bool = True) -> list[Token]:
    """Tokens of ``text`` with HTML on and every link destination let through.

    ``inline=False`` skips inline parsing (inline tokens keep their ``content`` but get
    no children), which is several times faster when only the block structure matters.
    """
    # A lone `\r` is a line break to markdown-it but not to `str.split("\n")`, whose line
    # numbers the callers use (ingest has normalised line endings; fuzzed text may not).
    return (_md if inline else _md_blocks).parse(terminated(text).replace("\r", " "), env)


def _suspicious_only(lines: list[str], code_lines: frozenset[int]) -> str:
    # Keep only the paragraphs (runs of non-blank prose lines) that could hold HTML or
    # a dangerous URL; blank everything else, so line numbers stay put and the parse is
    # small. A kept run indented like code is dedented: in the full document it would
    # continue a list item, where its HTML renders.
    out = [""] * len(lines)
    run: list[int] = []

    def flush() -> None:
        if run and any(might_be_unsafe(lines[i]) for i in run):
            indent = min(len(lines[i]) - len(lines[i].lstrip()) for i in run)
            cut = indent if indent >= 4 else 0
            for i in run:
                out[i] = lines[i][cut:]
        run.clear()

    for i, line in enumerate(lines):
        if i in code_lines or not line.strip():
            flush()
        else:
            run.append(i)
    flush()
    return "\n".join(out)


def sanitize_markdown(
    text: str,
    path: str,
    first_line: int,
    *,
    code_lines: frozenset[int] | None = None,
) -> SanitizeResult:
    """Escape HTML, script URLs and handler attribute lists in Markdown ``text``.

    Line 1 of ``text`` is ``path:first_line``. ``code_lines`` (0-based indexes of the
    lines of fenced code blocks, when the caller already knows them) lets the parse skip
    everything but the suspicious paragraphs.
    """
    result = SanitizeResult()
    if not might_be_unsafe(text):
        return result
    lines = text.split("\n")
    env: dict[str, object] = {}
    parse_text = text if code_lines is None else _suspicious_only(lines, code_lines)
    tokens = parse_markdown(parse_text, env)
    edits = Edits(lines)
    reported: set[int] = set()

    def report(i: int, what: str) -> None:
        if i in reported:
            return
        reported.add(i)
        result.diagnostics.append(
            Diagnostic(
                "PKB502",
                Severity.WARNING,
                f"{what} neutralised: the page shows it as text",
                SourceSpan(path, first_line + i),
                hint=HINT,
            )
        )

    depth = [0]
    for token in tokens:
        if token.type == "html_block" and token.map:
            _neutralize_block(token.map[0], token.map[1], lines, edits, report)
            _bound_nesting(token.map[0], token.map[1], lines, edits, depth, path, first_line, result)
        elif token.type == "inline" and token.map and token.children:
            InlineWalk(token, lines, edits, report).run()
    _neutralize_references(env, lines, tokens, code_lines or frozenset(), edits, report)
    for i in edits.by_line:
        result.replacements[first_line + i] = [edits.apply(i)]
    return result


def _neutralize_block(
    start: int, end: int, lines: list[str], edits: Edits, report: Callable[[int, str], None]
) -> None:
    block = "\n".join(lines[start:end])
    _, changed, dangerous = neutralize_html(block)
    if not changed:
        return
    # Escape line by line at the positions the whole-block scan chose, so that a tag
    # split across lines is judged as one tag.
    offset = 0
    for i in range(start, end):
        line = lines[i]
        for column, length in _escaped_positions(block, offset, len(line)):
            edits.add(i, column, length, "&lt;")
        offset += len(line) + 1
    if dangerous:
        report(start, "dangerous raw HTML")


MAX_HTML_DEPTH = 24
"""HTML blocks nested deeper than this are shown as text: Python-Markdown's md_in_html
recurses once per level and ends the whole build with ``RecursionError`` near 1,000."""
_VOID_TAGS = frozenset({"br", "hr", "img", "wbr", "col", "source", "input", "area"})


def _bound_nesting(
    start: int,
    end: int,
    lines: list[str],
    edits: Edits,
    depth: list[int],
    path: str,
    first_line: int,
    result: SanitizeResult,
) -> None:
    for i in range(start, end):
        line = lines[i]
        for match in TAG_RE.finditer(line):
            tag = match.group(0)
            name = tag[1:].lstrip("/").split(None, 1)[0].rstrip(">/").lower()
            if name in _VOID_TAGS or not judge_tag(tag)[0] or tag.startswith("<!"):
                continue
            if tag.startswith("</"):
                depth[0] = max(0, depth[0] - 1)
            elif not tag.endswith("/>"):
                depth[0] += 1
                if depth[0] > MAX_HTML_DEPTH:
                    edits.add(i, match.start(), 1, "&lt;")
                    depth[0] -= 1
                    if not any(d.code == "PKB304" for d in result.diagnostics):
                        result.diagnostics.append(
                            Diagnostic(
                                "PKB304",
                                Severity.WARNING,
                                f"HTML nested more than {MAX_HTML_DEPTH} levels deep; the "
                                "deeper tags are shown as text",
                                SourceSpan(path, first_line + i),
                                hint="flatten the HTML in the persona",
                            )
                        )


def _escaped_positions(block: str, offset: int, length: int) -> list[tuple[int, int]]:
    # The `<` positions (relative to the line at `offset`) that neutralize_html escapes.
    positions: list[tuple[int, int]] = []
    pos = 0
    while True:
        lt = block.find("<", pos)
        if lt < 0 or lt >= offset + length:
            break
        match = TAG_RE.match(block, lt)
        escape = False
        if match is not None:
            keep, _ = judge_tag(match.group(0))
            if keep:
                pos = match.end()
                continue
            escape = True
        else:
            following = block[lt + 1 : lt + 2]
            escape = bool(following) and (following.isalpha() or following in "/!?")
        if escape and lt >= offset:
            positions.append((lt - offset, 1))
        pos = lt + 1
    return positions


def _neutralize_references(
    env: Mapping[str, object],
    lines: list[str],
    tokens: list[Token],
    code_lines: frozenset[int],
    edits: Edits,
    report: Callable[[int, str], None],
) -> None:
    references = env.get("references")
    if not isinstance(references, dict) or not any(
        isinstance(ref, dict) and is_dangerous_url(str(ref.get("href", "")))
        for ref in references.values()
    ):
        return
    in_code: set[int] = set(code_lines)
    for token in tokens:
        if token.type in ("fence", "code_block") and token.map:
            in_code.update(range(*token.map))
    for i, line in enumerate(lines):
        match = _REFERENCE_RE.match(line)
        if i in in_code or match is None:
            continue
        destination = match.group(3)
        if not destination and i + 1 < len(lines):
            destination = lines[i + 1].strip().split(" ")[0]
        if is_dangerous_url(destination.strip("<>")):
            edits.add(i, len(match.group(1)), 1, "\\[")
            report(i, "a script URL")


def sanitize_text(text: str) -> str:
    """Neutralise a short Markdown string (a front-matter value); returns the safe text."""
    result = sanitize_markdown(text, "", 1)
    if not result.replacements:
        return text
    out: list[str] = []
    for i, line in enumerate(text.split("\n")):
        out.extend(result.apply(i + 1, line))
    return "\n".join(out)
