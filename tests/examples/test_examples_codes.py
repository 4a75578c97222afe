"""The code policy for examples: the same meaning in ``persona-kb examples`` and in pytest."""

from __future__ import annotations

from pathlib import Path

import pytest
from persona_kb._internal.adapters.cli.main import main

PERSONA = """\
---
name: imports-demo
description: A persona whose example needs a module nobody installed.
topic: python
---

# Imports demo

## Setup

{comment}```python
import persona_kb_surely_not_installed_module
```
"""
# The python block's import is line 12 without a comment, 13 with one.

COMMENT = "<!-- persona-kb: ignore PKB604 -->\n"


def _site(root: Path, codes: str = "", comment: str = "") -> None:
    (root / "kb").mkdir(exist_ok=True)
    (root / "kb" / "imports.md").write_text(PERSONA.format(comment=comment), encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    plugin = "  - persona-kb" + (f":\n      codes:\n{codes}" if codes else "\n")
    (root / "mkdocs.yml").write_text(f"site_name: demo\nplugins:\n{plugin}", encoding="utf-8")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_without_a_policy_the_missing_module_fails(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _site(here)
    assert main(["examples"]) == 1
    assert "kb/imports.md:12:1: error: " in capsys.readouterr().out


def test_a_code_set_to_warning_is_reported_without_failing(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _site(here, codes="        severity:\n          PKB604: warning\n")
    assert main(["examples"]) == 0
    out = capsys.readouterr().out
    assert "kb/imports.md:12:1: warning: " in out
    assert "[PKB604]" in out


def test_an_inline_comment_ignores_the_block_after_it(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _site(here, comment=COMMENT)
    assert main(["examples", "--format", "json"]) == 0
    assert '"status": "ignored"' in capsys.readouterr().out


def test_pytest_gives_the_policy_the_same_meaning(pytester: pytest.Pytester) -> None:
    _site(pytester.path, codes="        severity:\n          PKB6: warning\n")
    pytester.makeini("[pytest]\npersona_kb = true\ntestpaths = mkdocs.yml\n")
    result = pytester.runpytest("-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*kb/imports.md:12*persona_kb_surely_not_installed_module*"])

    _site(pytester.path, comment=COMMENT)  # no configured policy: the comment alone
    result = pytester.runpytest("-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*PKB604 ignored by the code policy*"])
