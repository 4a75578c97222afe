"""``persona-kb lint``: output lines, summary, formats and exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from persona_kb._internal.adapters.cli.main import main

REPO_ROOT = Path(__file__).resolve().parents[2]
PERSONAS = REPO_ROOT / "tests" / "fixtures" / "personas"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary project with two good personas and one broken, as the cwd."""
    kb = tmp_path / "kb"
    kb.mkdir()
    shutil.copy(PERSONAS / "claude-subagent" / "agents" / "code-reviewer.md", kb)
    shutil.copy(PERSONAS / "quirks" / "mojibake.md", kb)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_default_source_is_kb_and_exit_0_without_errors(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        "kb/mojibake.md:8:6: info: mojibake repaired: 'âŒ' → '❌'; "
        "fix these characters in the file to make the repair permanent [PKB104]"
    )
    assert out[-1] == "persona-kb lint: 2 files, 2 personas, 0 errors, 0 warnings, 4 infos"


def test_errors_exit_1_and_every_line_has_path_line_col(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(PERSONAS / "quirks" / "broken-yaml.md", project / "kb")
    assert main(["lint", "kb", "--no-info"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "kb/broken-yaml.md:3:14: error: front matter is not valid YAML: while parsing a flow "
        "sequence, expected ',' or ']', but got ':' at line 4; quote values that contain ': ' "
        "or start with '*', '&', '!', '@' or '`'; this file is skipped until then [PKB200]",
        "persona-kb lint: 3 files, 2 personas, 1 error, 0 warnings, 4 infos",
    ]


def test_default_source_comes_from_mkdocs_yml(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "personas").mkdir()
    shutil.copy(PERSONAS / "quirks" / "empty.md", project / "personas")
    (project / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - search\n  - persona-kb:\n      source: personas\n",
        encoding="utf-8",
    )
    assert main(["lint", "--quiet"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("personas/empty.md:1:1: error: file is empty")
    assert out[-1].startswith("persona-kb lint: 1 file, 0 personas, 1 error")


def test_json_format(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"] == {"files": 2, "personas": 2, "error": 0, "warning": 0, "info": 4}
    assert [p["id"] for p in data["personas"]] == ["code-reviewer", "mojibake-persona"]
    first = data["diagnostics"][0]
    assert (first["path"], first["line"], first["code"]) == ("kb/mojibake.md", 8, "PKB104")


def test_github_format(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--format", "github"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("::notice file=kb/mojibake.md,line=8,col=6,title=PKB104::")


def test_persona_format_override(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--persona-format", "cursor-rule", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {p["format"] for p in data["personas"]} == {"cursor-rule"}


def test_missing_path_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "nope"]) == 2
    assert capsys.readouterr().err == "persona-kb: error: no such file or folder: nope\n"


def test_missing_default_source_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["lint"]) == 2
    assert "no such file or folder: kb (pass the persona folder as PATH)" in capsys.readouterr().err


def test_broken_mkdocs_yml_is_a_configuration_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "mkdocs.yml").write_text("plugins: [\n", encoding="utf-8")
    assert main(["lint"]) == 2
    assert capsys.readouterr().err.startswith("persona-kb: error: mkdocs.yml:")


def test_unknown_persona_format_is_a_usage_error(project: Path) -> None:
    assert main(["lint", "--persona-format", "nonsense"]) == 2


def test_shipped_kb_as_a_real_subprocess() -> None:
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH")
    command = [uv, "run", "--frozen", "persona-kb", "lint"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    completed = subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, env=env, timeout=300, check=False
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    lines = completed.stdout.splitlines()
    assert "Traceback" not in completed.stderr
    assert any(
        line.startswith("kb/python-backend-engineer.md:166:6: info: mojibake repaired")
        for line in lines
    )
    assert lines[-1].startswith("persona-kb lint: ")
    assert ", 0 errors, " in lines[-1]


def test_every_line_on_real_files_names_path_line_col(capsys: pytest.CaptureFixture[str]) -> None:
    corpus = REPO_ROOT / "tests" / "fixtures" / "corpus"
    assert main(["lint", str(corpus)]) == 0
    *lines, summary = capsys.readouterr().out.splitlines()
    assert lines
    pattern = re.compile(r"^\S[^:]*:\d+:\d+: (error|warning|info): .+ \[PKB\d{3}\]$")
    assert [line for line in lines if not pattern.match(line)] == []
    assert re.fullmatch(r"persona-kb lint: \d+ files, \d+ personas, 0 errors, .*", summary)
