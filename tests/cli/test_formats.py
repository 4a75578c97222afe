"""``--format``: the same choices, under the same names, on every subcommand."""

from __future__ import annotations

import argparse
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from persona_kb._internal.adapters.cli.formats import FORMATS
from persona_kb._internal.adapters.cli.main import build_parser, main

RECOVERED = "---\nname: globber\nglobs: **/*.py\n---\n# Globber\n\nUse pathlib.\n"
"""Front matter the lenient reader has to recover (PKB201, a warning)."""


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _option(parser: argparse.ArgumentParser, flag: str) -> argparse.Action:
    return next(a for a in parser._actions if flag in a.option_strings)


@pytest.mark.parametrize("command", ["check", "examples", "export", "lint", "links"])
def test_every_checking_subcommand_offers_every_format(command: str) -> None:
    parser = _subparsers()[command]
    action = _option(parser, "--format")
    assert tuple(action.choices or ()) == FORMATS
    assert action.dest == "output_format"
    assert "--output-format" in action.option_strings


@pytest.mark.parametrize("command", ["check", "examples", "export", "lint", "links", "topics"])
def test_dash_f_names_the_config_file_on_every_subcommand(command: str) -> None:
    action = _option(_subparsers()[command], "-f")
    assert action.dest == "config"
    assert {"--config", "--config-file"} <= set(action.option_strings)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "globber.md").write_text(RECOVERED, encoding="utf-8")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\nplugins:\n  - persona-kb:\n      codes:\n        severity:\n"
        "          PKB201: error\n",
        encoding="utf-8",
    )
    return tmp_path


def test_check_format_json_is_one_document_with_steps_and_diagnostics(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    skip = ["--skip", "build", "--skip", "export", "--skip", "examples", "--skip", "links"]
    assert main(["check", "--format", "json", *skip]) == 1
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["summary"] == {"ok": False, "error": 1, "warning": 0, "info": 0}
    assert [(s["name"], s["status"]) for s in report["steps"]] == [
        ("lint", "failed"),
        ("build", "skipped"),
        ("export", "skipped"),
        ("examples", "skipped"),
        ("links", "skipped"),
    ]
    (diagnostic,) = report["diagnostics"]
    assert (diagnostic["path"], diagnostic["line"], diagnostic["code"]) == (
        "kb/globber.md",
        3,
        "PKB201",
    )
    assert diagnostic["severity"] == "error"  # re-levelled by `codes:` in mkdocs.yml
    assert "running" not in captured.err  # stdout is the document; no progress either


def test_lint_junit_has_a_failed_case_at_the_persona_line(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", "-f", "mkdocs.yml", "--output-format", "junit"]) == 1
    root = ET.fromstring(capsys.readouterr().out)
    (case,) = root.iter("testcase")
    assert (case.get("file"), case.get("line")) == ("kb/globber.md", "3")
    assert case.find("failure") is not None
    assert root.get("failures") == "1"


def test_export_check_reports_drift_as_pkb720_in_every_machine_format(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # globber.md's PKB201 is an error here (`codes:`): the pages are written, exit 1.
    assert main(["export", "-q"]) == 1
    assert main(["export", "--check", "-q"]) == 1
    assert "[PKB720]" not in capsys.readouterr().out  # written: no drift
    (project / "kb" / "globber.md").write_text(RECOVERED + "\nMore.\n", encoding="utf-8")
    assert main(["export", "--check", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith("::error file=docs/kb/") and "[PKB720]" in line for line in lines)
    assert lines[-1].startswith("persona-kb export: ")
    assert main(["export", "--check", "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["check"] is True
    assert report["summary"]["out_of_date"] >= 1
    assert {d["code"] for d in report["diagnostics"]} == {"PKB201", "PKB720"}


def test_links_junit_names_the_broken_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(
        '<html><body><a href="missing.html">x</a></body></html>\n', encoding="utf-8"
    )
    assert main(["links", "site", "--format", "junit"]) == 1
    root = ET.fromstring(capsys.readouterr().out)
    (case,) = root.iter("testcase")
    assert case.get("file") == "site/index.html"
    assert "[PKB700]" in (case.get("name") or "")
