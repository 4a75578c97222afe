"""Golden files: the python topic's four pages and the KB index, byte for byte.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 uv run pytest tests/render``
and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from persona_kb._internal.kb.build import KnowledgeBase

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
PAGES = [
    "kb/python/README.md",
    "kb/python/QUICK-REFERENCE.md",
    "kb/python/PYTHON-COMPREHENSIVE-GUIDE.md",
    "kb/python/PYTHON-SPECIFIC-PATTERNS.md",
    "kb/README.md",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_matches_golden(fixture_kb: KnowledgeBase, path: str) -> None:
    page = next(p for p in fixture_kb.pages if p.path == path)
    golden = GOLDEN / path
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(page.markdown, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing: run with UPDATE_GOLDEN=1"
    assert page.markdown == golden.read_text(encoding="utf-8")
