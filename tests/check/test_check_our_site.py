"""Our own project passes ``persona-kb check``: lint, strict build, drift, examples, links."""

from __future__ import annotations

from pathlib import Path

import pytest
from persona_kb._internal.adapters.cli.main import main

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_persona_kb_check_passes_on_this_repository(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(REPO_ROOT)
    code = main(["check"])
    out = capsys.readouterr().out
    assert code == 0, out
    summary = out[out.index("persona-kb check:") :].splitlines()
    assert [line.split()[:2] for line in summary[1:6]] == [
        ["lint", "ok"],
        ["build", "ok"],
        ["export", summary[3].split()[1]],  # ok once docs/kb/ is exported, else skipped
        ["examples", "ok"],
        ["links", "ok"],
    ]
    assert summary[3].split()[1] in ("ok", "skipped")
    assert summary[-1] == "passed: 0 errors, 0 warnings"
    assert "0 broken" in summary[5]
