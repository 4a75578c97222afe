"""``lint``, ``links`` and ``examples`` on their own honour the baseline ``check`` wrote:
known findings of their step pass, from the project's folder or any other, a new one fails
at its ``path:line``, and ``--update-baseline`` rewrites that step's entries alone.

The library is ``tests/fixtures/third_party_library`` (four VoltAgent subagents as
published, MIT) with one finding for each step: a persona whose front matter is never
closed (lint), an unclosed code fence (the examples step's page problems), a link to a
missing page (links); the site's ``codes:`` makes the first two errors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from persona_kb._internal.adapters.cli.main import main
from persona_kb._internal.checks.build import build_site

BROKEN = "personas/01-core-development/broken.md"
CSHARP = "personas/02-language-specialists/csharp-developer.md"
CONFIG = """\
site_name: third-party library
plugins:
  - persona-kb:
      source: personas
      codes:
        severity:
          PKB203: error
          PKB300: error
"""
NEVER_CLOSED = "---\nname: {name}\ndescription: never closed\n\n# {name}\n\nBody.\n"


@pytest.fixture
def findings_library(library: Path) -> Path:
    """The third-party library with one more finding for lint, examples and links."""
    (library / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    (library / BROKEN).write_text(NEVER_CLOSED.format(name="broken-one"), encoding="utf-8")
    with (library / "docs" / "index.md").open("a", encoding="utf-8") as page:
        page.write("\nSee [the missing guide](missing-guide.md).\n")
    with (library / CSHARP).open("a", encoding="utf-8") as persona:
        persona.write("\n## Unclosed\n\n```python\nprint(1)\n")
    return library


def _errors(out: str) -> list[str]:
    return [row for row in out.splitlines() if ": error: " in row]


def _built(library: Path) -> Path:
    site = library / "site"
    result = build_site(library / "mkdocs.yml", site, {})
    assert (site / "index.html").is_file(), result.output
    return site


@pytest.mark.slow
def test_each_command_honours_checks_baseline_from_any_folder(
    findings_library: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    library = findings_library
    _built(library)
    for command in (["lint"], ["links"], ["examples", "--jobs", "1"]):
        assert main(command) == 1, command  # as it stands, each command fails
    capsys.readouterr()
    assert main(["check", "--jobs", "1", "--update-baseline"]) == 0
    capsys.readouterr()

    assert main(["lint"]) == 0
    out = capsys.readouterr().out
    assert _errors(out) == []
    assert out.rstrip().endswith("0 errors, 1 warning, 0 infos; 2 baselined findings remain")
    assert main(["links"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("; 1 baselined finding remains")
    assert main(["examples", "--jobs", "1"]) == 0
    captured = capsys.readouterr()
    assert "1 baselined failure remains" in captured.err
    assert "2 baselined findings remain" in captured.err  # the unclosed fence and front matter

    # From another folder: the paths shown change, the entries still match.
    monkeypatch.chdir(library / "personas")
    assert main(["lint", "-f", "../mkdocs.yml"]) == 0
    assert main(["links", "-f", "../mkdocs.yml", "../site"]) == 0
    assert main(["examples", "-f", "../mkdocs.yml", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "01-core-development/broken.md" not in out
    monkeypatch.chdir(library)

    # New findings of the same kinds fail, each alone, at its own line.
    (library / "personas" / "01-core-development" / "second.md").write_text(
        NEVER_CLOSED.format(name="second-one"), encoding="utf-8"
    )
    with (library / "docs" / "index.md").open("a", encoding="utf-8") as page:
        page.write("\nAnd [another one](gone.md).\n")
    with (library / "personas" / "01-core-development" / "api-designer.md").open("a") as api:
        api.write("\n## Also unclosed\n\n```python\nprint(2)\n")
    _built(library)
    new_files = {
        "personas/01-core-development/second.md": "[PKB203]",
        "personas/01-core-development/api-designer.md": "[PKB300]",
    }

    def only_new(errors: list[str]) -> set[str]:
        where = {e.split(":")[0]: e for e in errors}
        assert len(where) == len(errors), errors  # one error per new problem
        assert set(where) <= set(new_files), errors
        assert all(e.endswith(new_files[path]) for path, e in where.items()), errors
        return set(where)

    assert main(["lint"]) == 1
    errors = _errors(capsys.readouterr().out)
    assert only_new(errors) == set(new_files), errors
    assert "second.md:1:1: error:" in errors[-1]
    assert main(["links"]) == 1
    errors = _errors(capsys.readouterr().out)
    assert len(errors) == 1, errors
    assert errors[0].startswith("docs/index.md:"), errors
    assert "gone.md" in errors[0]
    assert main(["examples", "--jobs", "1"]) == 1
    errors = _errors(capsys.readouterr().out)
    assert "personas/01-core-development/api-designer.md" in only_new(errors), errors


def test_a_commands_update_rewrites_its_own_step_only(
    findings_library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = findings_library
    baseline = library / "persona-kb-baseline.json"
    other = {"step": "build", "code": "PKB201", "path": "x.md", "fingerprint": "0123"}
    failure = {"path": "x.md", "fingerprint": "4567"}
    baseline.write_text(
        json.dumps({"version": 1, "failures": [failure], "findings": [other]}), encoding="utf-8"
    )
    assert main(["lint", "--update-baseline"]) == 0
    assert "2 lint findings recorded" in capsys.readouterr().err
    recorded = json.loads(baseline.read_text("utf-8"))
    assert recorded["failures"] == [failure]
    assert [(f["step"], f["code"], f["path"]) for f in recorded["findings"]] == [
        ("build", "PKB201", "x.md"),
        ("lint", "PKB203", BROKEN),
        ("lint", "PKB300", CSHARP),
    ]
    assert main(["lint"]) == 0
    capsys.readouterr()

    # The fixed finding is counted, and the rewrite drops it.
    (library / BROKEN).unlink()
    assert main(["lint"]) == 0
    assert "1 baselined finding fixed since" in capsys.readouterr().out
    assert main(["lint", "--update-baseline"]) == 0
    recorded = json.loads(baseline.read_text("utf-8"))
    assert [(f["step"], f["path"]) for f in recorded["findings"]] == [
        ("build", "x.md"),
        ("lint", CSHARP),
    ]


@pytest.mark.parametrize(
    "command",
    [
        ["lint", "personas", "--update-baseline"],
        ["examples", "personas", "--update-baseline"],
        ["examples", "--persona", "api-designer", "--update-baseline"],
    ],
)
def test_an_update_of_part_of_the_site_is_refused(
    findings_library: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    library = findings_library
    assert main(command) == 2
    assert "--update-baseline records what the whole site has" in capsys.readouterr().err
    assert not (library / "persona-kb-baseline.json").exists()


def test_a_partial_run_does_not_count_the_rest_as_fixed(
    findings_library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", "--update-baseline"]) == 0
    capsys.readouterr()
    assert main(["lint", "personas/04-quality-security"]) == 0
    assert "fixed since" not in capsys.readouterr().out


def test_a_finding_on_a_built_page_is_the_same_wherever_the_site_was_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken theme link is reported on the built HTML: `check` shows its temporary
    site as ``<built site>``, ``links`` shows ``site/``; both key it the same."""
    from persona_kb._internal.checks.findings_baseline import findings
    from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan

    monkeypatch.chdir(tmp_path)
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text('<a href="gone.html">x</a>\n', "utf-8")

    def broken(site: str) -> Diagnostic:
        message = f"broken link 'gone.html' (in {site}/index.html:1)"
        return Diagnostic("PKB700", Severity.ERROR, message, SourceSpan(f"{site}/index.html", 1))

    (in_check,) = findings("links", [broken("<built site>")], tmp_path, "<built site>")
    (alone,) = findings("links", [broken("site")], tmp_path, "site")
    assert in_check.path == alone.path == "<built site>/index.html"
    assert in_check.fingerprint == alone.fingerprint
