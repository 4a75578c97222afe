"""Shared checks for the Markdown-structure tests."""

from __future__ import annotations

from pathlib import Path

import ftfy
from persona_kb._internal.core.model import CodeBlock, PatternSide
from persona_kb._internal.markdown.parser import source_lines

MARKDOWN_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "markdown"
SEED_000_BODY_LINE = 66
"""Source line of the first body line of seed-000 (its front matter ends on line 65)."""


def read_fixture(name: str) -> str:
    """A fixture from ``tests/fixtures/markdown`` as text."""
    return (MARKDOWN_FIXTURES / name).read_text(encoding="utf-8")


def repair(raw: str) -> str:
    """Repair seed-000's mojibake the way ingestion must: ``âŒ`` lost its 0x9D byte."""
    return ftfy.fix_text(raw.replace("\u00e2\u0152", "\u00e2\x9d\u0152"), uncurl_quotes=False)


def seed_000_body() -> str:
    """The repaired seed-000 body (front matter removed); line 1 is source line 66."""
    text = read_fixture("seed-000-repaired.md")
    return "\n".join(source_lines(text)[SEED_000_BODY_LINE - 1 :])


def assert_block_lines_map(source: str, block: CodeBlock, first_line: int = 1) -> None:
    """Every code line of ``block`` is the tail of the source line it claims to come from."""
    lines = source_lines(source)
    for index, code in enumerate(block.code.split("\n")[: block.code.count("\n")]):
        origin = lines[block.code_line + index - first_line]
        # A tab in the indentation is split into spaces when the fence indent is removed.
        assert origin.endswith(code) or "\t" in origin, (block.code_line + index, origin, code)


def assert_side_lines_map(source: str, side: PatternSide, first_line: int = 1) -> None:
    """Every line of a pattern half is the tail of the source line it claims to come from."""
    lines = source_lines(source)
    code_lines = side.code.split("\n")[: side.code.count("\n")]
    assert len(code_lines) == len(side.lines)
    for code, line in zip(code_lines, side.lines, strict=True):
        origin = lines[line - first_line]
        assert origin.endswith(code) or "\t" in origin, (line, origin, code)
