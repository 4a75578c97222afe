"""The diagnostic-code reference page is generated from CODES and lists every code used."""

from __future__ import annotations

import re
from pathlib import Path

from persona_kb._internal.core.code_reference import GROUPS, render_code_reference
from persona_kb._internal.core.diagnostics import CODES

REPO_ROOT = Path(__file__).resolve().parents[2]
PAGE = REPO_ROOT / "docs" / "guide" / "codes.md"


def test_the_committed_page_is_the_generated_one() -> None:
    assert PAGE.read_text(encoding="utf-8") == render_code_reference(), (
        "docs/guide/codes.md is out of date: run "
        "`uv run python -m persona_kb._internal.core.code_reference docs/guide/codes.md`"
    )


def test_every_code_has_a_row_and_an_anchor_and_a_group() -> None:
    page = render_code_reference()
    for code, meaning in CODES.items():
        assert f'<span id="{code.lower()}">`{code}`</span>' in page
        assert meaning[1:] in page
        assert code[3] in GROUPS, f"{code} belongs to no group"


def test_every_code_the_package_reports_is_documented() -> None:
    source = REPO_ROOT / "plugins" / "persona_kb"
    used = {
        code
        for path in source.rglob("*.py")
        for code in re.findall(r"\"(PKB\d{3})\"", path.read_text(encoding="utf-8"))
    }
    assert used, "found no codes: the search itself is broken"
    assert sorted(used - set(CODES)) == []
