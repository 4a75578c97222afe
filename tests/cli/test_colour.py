"""Colour on a terminal, NO_COLOR and FORCE_COLOR, and never in machine formats."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from persona_kb._internal.adapters.cli.colour import colour_wanted, paint_line
from persona_kb._internal.adapters.cli.main import main


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("stream", "env", "wanted"),
    [
        (_Tty(), {}, True),
        (io.StringIO(), {}, False),
        (_Tty(), {"NO_COLOR": "1"}, False),
        (_Tty(), {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        (io.StringIO(), {"FORCE_COLOR": "1"}, True),
        (io.StringIO(), {"FORCE_COLOR": "0"}, False),
        (_Tty(), {"TERM": "dumb"}, False),
        (_Tty(), {"NO_COLOR": ""}, True),  # an empty NO_COLOR does not count
    ],
)
def test_when_colour_is_wanted(stream: io.StringIO, env: dict[str, str], wanted: bool) -> None:
    assert colour_wanted(stream, env) is wanted


def test_a_diagnostic_line_is_painted_and_keeps_its_text() -> None:
    line = "kb/a.md:3:1: error: front matter is not valid YAML [PKB200]"
    painted = paint_line(line)
    assert "\x1b[31m" in painted
    assert "\x1b[" not in paint_line("persona-kb lint: 1 file")
    assert (
        painted.replace("\x1b[0m", "")
        .replace("\x1b[1m", "")
        .replace("\x1b[31m", "")
        .replace("\x1b[2m", "")
        == line
    )


@pytest.fixture
def broken_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "a.md").write_text("---\nname: a\nglobs: **/*\n---\n# A\n", "utf-8")
    return tmp_path


def test_force_color_paints_text_output(
    broken_kb: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    main(["lint", "kb"])
    out = capsys.readouterr().out
    assert "\x1b[33m\x1b[1mwarning\x1b[0m" in out


def test_machine_formats_are_never_painted(
    broken_kb: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    main(["lint", "--format", "json", "kb"])
    out = capsys.readouterr().out
    assert "\x1b[" not in out
    assert json.loads(out)["diagnostics"][0]["code"] == "PKB201"
    main(["lint", "--format", "github", "kb"])
    assert "\x1b[" not in capsys.readouterr().out
