"""``persona-kb examples``: paths, formats, summaries and the fixed exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from persona_kb._internal.adapters.cli.main import main

GOOD = '# Sums\n\n```python\nassert 2 + 2 == 4\n```\n\n```json\n{"a": 1}\n```\n'
BAD = "# Parsing\n\nText.\n\n```python\nx = 1\nraise ValueError('boom')\n```\n"
PERSONA = """\
---
name: cli-demo
description: A persona checked on its own.
---

# CLI demo

#### ❌ WRONG (mutable default)
```python
def add(item, items=[]):
    items.append(item)
```

#### ✅ CORRECT (None default)
```python
def add(item, items=None):
    return [*(items or []), item]

assert add(1) == [1]
```
"""


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "good.md").write_text(GOOD, encoding="utf-8")
    (tmp_path / "pages" / "bad.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "persona.md").write_text(PERSONA, encoding="utf-8")
    return tmp_path


def test_a_passing_page_exits_0_with_a_summary(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["examples", "pages/good.md"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "pages/good.md: 0 failed; 1 run, 0 no-run, 1 parsed, 0 ignored, 0 not checked",
        "json: 1 block: 1 parsed",
        "python: 1 block: 1 executed",
        "2 examples, 0 failed; executed coverage 100% of 1 python block",
    ]


def test_a_site_without_python_says_so_rather_than_100_percent(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "pages" / "data.md").write_text('# Data\n\n```json\n{"a": 1}\n```\n')
    assert main(["examples", "pages/data.md"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "1 example, 0 failed; no python blocks"


def test_a_failure_exits_1_and_names_path_line_type_and_message(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["examples", "pages"]) == 1
    out = capsys.readouterr().out
    assert "pages/bad.md:7:1: error: ValueError: boom (in Parsing) [PKB600]" in out.splitlines()


def test_a_persona_file_is_read_as_a_persona_with_tiers_from_its_labels(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["examples", "persona.md", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    tiers = {(r["line"], r["tier"], r["status"]) for r in document["results"]}
    assert (10, "no-run", "compiled") in tiers
    assert (16, "run", "passed") in tiers
    assert document["executed_coverage"] == 0.5


def test_json_junit_and_github_formats(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["examples", "pages", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    (failure,) = [r for r in document["results"] if r["status"] == "failed"]
    assert (failure["path"], failure["line"], failure["kind"]) == ("pages/bad.md", 7, "ValueError")
    assert {p["page"] for p in document["pages"]} == {"pages/bad.md", "pages/good.md"}

    assert main(["examples", "pages", "--format", "junit"]) == 1
    root = ET.fromstring(capsys.readouterr().out.split("\n", 1)[1])
    failures = [case for case in root.iter("testcase") if case.find("failure") is not None]
    assert [(c.get("file"), c.get("line")) for c in failures] == [("pages/bad.md", "7")]

    assert main(["examples", "pages", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("::error file=pages/bad.md,line=7,col=1,title=PKB600::ValueError")
    assert lines[-1].startswith("::notice title=persona-kb examples::3 examples, 1 failed")


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["examples", "missing.md"], id="missing-path"),
        pytest.param(["examples"], id="no-mkdocs-yml"),
        pytest.param(["examples", "pages", "--jobs", "zero"], id="bad-jobs"),
        pytest.param(["examples", "pages", "--prelude", "nope.py"], id="missing-prelude"),
        pytest.param(["examples", "--format", "yaml"], id="bad-format"),
    ],
)
def test_usage_errors_exit_2(
    folder: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "error" in err
    assert "Traceback" not in err


def test_the_site_is_checked_when_no_path_is_given(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "mkdocs.yml").write_text("site_name: t\ndocs_dir: pages\n", encoding="utf-8")
    assert main(["examples", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert {r["path"] for r in document["results"]} == {"pages/bad.md", "pages/good.md"}
