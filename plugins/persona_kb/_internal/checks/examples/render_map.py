"""Map the blocks a page renders as code back to the Markdown lines they came from.

Two readings of one page meet here: markdown-it-py's fences (exact lines, info strings,
marker comments, ❌/✅ labels) and Python-Markdown's ``<pre><code>`` output (exactly what the
site shows). A fence that renders is kept with everything markdown-it knew about it; a fence
that renders as text is dropped; a rendered block markdown-it did not see as a fence (in
``<details>``, a footnote, a definition list …) is found in the page by its lines; a block
pulled in by ``pymdownx.snippets`` is found in the snippet file it came from.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from persona_kb._internal.checks.examples.rendered import RenderedBlock
from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.core.model import CodeBlock
from persona_kb._internal.markdown import parse_info_string
from persona_kb._internal.markdown.parser import source_lines

_SNIPPET = re.compile(r"""^\s*-{1,}8<-{1,}\s+["']?([^"'\s]+?)(?::\d+(?::\d+)?)?["']?\s*$""")


def _normal(line: str) -> str:
    return " ".join(line.split())


def _normal_code(code: str) -> tuple[str, ...]:
    lines = [_normal(line) for line in code.replace("\r\n", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return tuple(lines)


def _line_matches(source: str, code: str) -> bool:
    """Whether normalised ``source`` is normalised ``code`` behind a container prefix."""
    if source == code:
        return True
    if not source.endswith(code):
        return False
    prefix = source[: len(source) - len(code)].strip()
    # A blockquote's ``>`` markers, or the raw HTML tags (``<pre><code …>``) of a block
    # written in HTML, may stand before the code on its first line.
    return not prefix.strip(">") or (bool(code) and prefix.startswith("<") and prefix[-1] == ">")


def _wrapped(start: int, stop: int) -> list[int]:
    """``start … stop-1``, then ``0 … start-1``: search forward first, then from the top."""
    start = min(start, stop)
    return [*range(start, stop), *range(start)]


@dataclass(slots=True)
class _Page:
    path: str
    first_line: int
    lines: list[str]
    normal: list[str] = field(default_factory=list)
    claimed: set[int] = field(default_factory=set)

    def find(self, code: tuple[str, ...], after: int) -> int | None:
        """0-based index of the first line of ``code`` in the page, preferring ``after`` on."""
        if not code:
            return None
        count = len(code)
        for start in _wrapped(after, len(self.normal)):
            if start + count > len(self.normal):
                continue
            if any(n in self.claimed for n in range(start, start + count)):
                continue
            if all(_line_matches(self.normal[start + i], code[i]) for i in range(count)):
                return start
        return None


def map_rendered_blocks(
    candidates: Sequence[CodeBlock],
    rendered: Sequence[RenderedBlock],
    body: str,
    *,
    path: str,
    first_line: int,
    snippet_bases: Sequence[Path] = (),
) -> list[CodeBlock]:
    """The blocks the page renders as code, each at its source lines, in document order.

    ``candidates`` are markdown-it's fences of ``body`` (whose first line is ``first_line``
    of ``path``); ``rendered`` are the page's ``<pre><code>`` blocks.
    """
    page = _Page(path, first_line, source_lines(body))
    page.normal = [_normal(line) for line in page.lines]
    pool = [c for c in candidates if not c.nested]
    used: set[int] = set()
    found: list[tuple[int, CodeBlock]] = []
    cursor = 0
    for block in rendered:
        wanted = _normal_code(block.code)
        index = _candidate(pool, used, wanted, cursor)
        if index is not None:
            used.add(index)
            chosen = pool[index]
            start = chosen.code_line - first_line
            page.claimed.update(range(start, start + max(1, len(wanted))))
            cursor = index + 1
            found.append((chosen.code_line, chosen))
            continue
        recovered = _recover(page, block, wanted)
        if recovered is None:
            recovered = _from_snippet(pool, used, block, wanted, snippet_bases)
        if recovered is not None:
            found.append((recovered.code_line if recovered.fence.path == path else 0, recovered))
    found.sort(key=lambda pair: pair[0])
    return [block for _, block in found]


def _candidate(
    pool: Sequence[CodeBlock], used: set[int], wanted: tuple[str, ...], cursor: int
) -> int | None:
    for index in _wrapped(cursor, len(pool)):
        if index not in used and _normal_code(pool[index].code) == wanted:
            return index
    return None


def _recover(page: _Page, block: RenderedBlock, wanted: tuple[str, ...]) -> CodeBlock | None:
    """A rendered block markdown-it did not see as a fence, found by its lines."""
    after = max(page.claimed, default=-1) + 1
    start = page.find(wanted, after)
    if start is None:
        return None
    page.claimed.update(range(start, start + len(wanted)))
    fence_index = start - 1
    opener = page.lines[fence_index].lstrip(" \t>") if fence_index >= 0 else ""
    info = opener.lstrip("`~") if opener[:3] in {"```", "~~~"} else ""
    language, classes, attributes = parse_info_string(info) if info else (block.language, (), {})
    return CodeBlock(
        language=language or parse_info_string(block.language)[0],
        info=info.strip(),
        classes=classes,
        attributes=attributes,
        code=_trimmed(block.code),
        fence=SourceSpan(page.path, page.first_line + max(fence_index, 0)),
        code_line=page.first_line + start,
        heading_path=block.headings,
    )


def _trimmed(code: str) -> str:
    """The rendered code without its blank first and last lines (what ``wanted`` holds).

    The rendered text is what runs (tabs that Python-Markdown expanded stay expanded, as
    the site shows them); the source lines only say where each line came from.
    """
    lines = code.split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return "\n".join(lines) + "\n"


def _from_snippet(
    pool: Sequence[CodeBlock],
    used: set[int],
    block: RenderedBlock,
    wanted: tuple[str, ...],
    bases: Sequence[Path],
) -> CodeBlock | None:
    """A block whose content came from a ``--8<--`` snippet: at the snippet file's lines."""
    for index, candidate in enumerate(pool):
        if index in used:
            continue
        names = [m.group(1) for m in map(_SNIPPET.match, candidate.code.splitlines()) if m]
        if not names:
            continue
        used.add(index)
        for name in names:
            for base in bases:
                file = base / name
                located = _in_file(file, wanted)
                if located is not None:
                    return replace(
                        candidate,
                        code=_trimmed(block.code),
                        fence=SourceSpan(_display(file), max(located - 1, 1)),
                        code_line=located,
                    )
        return replace(candidate, code=_trimmed(block.code))
    return None


def _in_file(file: Path, wanted: tuple[str, ...]) -> int | None:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    page = _Page(file.as_posix(), 1, source_lines(text))
    page.normal = [_normal(line) for line in page.lines]
    start = page.find(wanted, 0)
    return None if start is None else start + 1


def _display(file: Path) -> str:
    resolved = file.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()
