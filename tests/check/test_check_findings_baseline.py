"""``check`` with a baseline on a library we did not write: every step's known findings pass,
a new one fails at its ``path:line``, and an edit above a known finding keeps it known.

The fixture (``tests/fixtures/third_party_library``) is four VoltAgent subagents as they are
published (MIT, its LICENSE beside them): one has front matter PyYAML rejects (PKB201, which
``mkdocs build --strict`` fails on), one a TypeScript block importing a package that is not
installed (an example failure).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from persona_kb._internal.adapters.cli.main import main
from persona_kb._internal.checks.build import build_site

GDPR = "personas/04-quality-security/gdpr-ccpa-compliance.md"
API = "personas/01-core-development/api-designer.md"


def _errors(out: str) -> list[str]:
    return [row for row in out.splitlines() if ": error: " in row]


def _step(out: str, name: str) -> str:
    return next(row for row in out.splitlines() if row.strip().startswith(name + " "))


def _insert_after_front_matter(path: Path, lines: list[str]) -> None:
    text = path.read_text(encoding="utf-8").splitlines(keepends=True)
    end = text.index("---\n", 1) + 1
    path.write_text("".join(text[:end] + lines + text[end:]), encoding="utf-8")


@pytest.mark.slow
def test_a_baseline_covers_every_step_and_a_new_finding_fails(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["check", "--jobs", "1"]
    assert main(args) == 1  # as published, the library does not pass
    out = capsys.readouterr().out
    assert "FAILED" in _step(out, "build")
    assert any(e.startswith(f"{GDPR}:3:") for e in _errors(out) if "[PKB201]" in e), out

    assert main([*args, "--update-baseline"]) == 0
    capsys.readouterr()
    recorded = json.loads((library / "persona-kb-baseline.json").read_text("utf-8"))
    assert [f["code"] for f in recorded["failures"]] == ["PKB604"]
    assert [(f["step"], f["code"], f["path"]) for f in recorded["findings"]] == [
        ("build", "PKB201", GDPR)
    ]
    assert "description:" in recorded["findings"][0]["text"]  # keyed by content, not line

    assert main(args) == 0
    out = capsys.readouterr().out
    assert _errors(out) == []
    assert "1 baselined finding remains" in _step(out, "build")
    assert "1 baselined failure remains" in _step(out, "examples")

    # Lines added above the known finding's line: still the same finding.
    gdpr = library / GDPR
    text = gdpr.read_text(encoding="utf-8")
    gdpr.write_text(text.replace("---\n", "---\nmodel: sonnet\n", 1), encoding="utf-8")
    assert main(args) == 0, capsys.readouterr().out
    capsys.readouterr()

    # A new finding of the same kind in another persona, and a broken example: both fail,
    # each at its own line, and nothing else is reported.
    api = library / API
    api_lines = api.read_text(encoding="utf-8").splitlines(keepends=True)
    api_lines[2] = "description: Designs APIs: REST, GraphQL and gRPC\n"
    api.write_text("".join(api_lines), encoding="utf-8")
    _insert_after_front_matter(api, ["\n", "```json\n", '{"broken": ,}\n', "```\n"])
    assert main(args) == 1
    out = capsys.readouterr().out
    errors = _errors(out)
    assert len(errors) == 2, out
    assert errors[0].startswith(f"{API}:3:"), errors
    assert "[PKB201]" in errors[0], errors
    broken = api.read_text(encoding="utf-8").splitlines().index('{"broken": ,}') + 1
    assert errors[1].startswith(f"{API}:{broken}:"), errors
    assert "FAILED" in _step(out, "build")
    assert "1 baselined finding remains" in _step(out, "build")
    assert "FAILED" in _step(out, "examples")


@pytest.mark.slow
def test_a_fixed_finding_is_counted_and_a_rewrite_drops_it(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["check", "--jobs", "1", "--skip", "examples", "--skip", "links"]
    assert main([*args, "--update-baseline"]) == 0
    gdpr = library / GDPR
    lines = gdpr.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = 'description: "' + lines[2].removeprefix("description: ").rstrip("\n") + '"\n'
    gdpr.write_text("".join(lines), encoding="utf-8")
    capsys.readouterr()
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "1 baselined finding fixed since" in _step(out, "build"), out
    assert main([*args, "--update-baseline"]) == 0
    recorded = json.loads((library / "persona-kb-baseline.json").read_text("utf-8"))
    assert recorded["findings"] == []
    assert recorded["failures"] == []  # the examples step was left out: none recorded


def test_a_build_that_fails_beyond_its_warnings_is_never_baselined(tmp_path: Path) -> None:
    """A crash next to warnings is its own PKB711 (a baseline never lets it pass)."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "hooks.py").write_text(
        "import logging\n"
        "log = logging.getLogger('mkdocs.plugins.hooks')\n"
        "def on_config(config):\n"
        "    log.warning('a known warning')\n"
        "def on_post_build(config):\n"
        "    raise RuntimeError('the build broke')\n",
        encoding="utf-8",
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\nhooks:\n  - hooks.py\n", encoding="utf-8")
    result = build_site(config, tmp_path / "site", {})
    assert result.returncode != 0
    codes = [d.code for d in result.diagnostics]
    assert "PKB710" in codes, result.output  # the warning
    assert "PKB711" in codes, result.output  # and the failure itself


def test_the_examples_command_keeps_the_other_findings(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = library / "persona-kb-baseline.json"
    finding = {"step": "build", "code": "PKB201", "path": GDPR, "fingerprint": "0123"}
    baseline.write_text(json.dumps({"version": 1, "failures": [], "findings": [finding]}))
    assert main(["examples", "--jobs", "1", "--update-baseline"]) == 0
    capsys.readouterr()
    recorded = json.loads(baseline.read_text("utf-8"))
    assert recorded["findings"] == [finding]
    assert [f["code"] for f in recorded["failures"]] == ["PKB604"]


def test_an_example_failure_is_known_whatever_its_block_directory() -> None:
    """A message naming the block's private directory (new every run, e.g. Node's
    "Cannot find module '/dev/shm/persona-kb-examples-x/p1/block-2/_generated/server'")
    keeps its fingerprint; the rest of the message still counts."""
    from persona_kb._internal.checks.examples.baseline import fingerprint
    from persona_kb._internal.checks.examples.report import ExampleResult, Status
    from persona_kb._internal.checks.examples.spec import Example

    example = Example("typescript", "import x", "rules/x.mdc", (3,), 2)

    def failed(message: str) -> ExampleResult:
        return ExampleResult(example, Status.FAILED, "PKB604", "ModuleNotFoundError", message)

    run_1 = "module /dev/shm/persona-kb-examples-6xhc/ppor2/block-9njq/_generated/server"
    run_2 = "module /tmp/persona-kb-examples-a1b2/pd10l/block-7/_generated/server"
    other = "module /tmp/persona-kb-examples-a1b2/pd10l/block-7/_generated/client"
    assert fingerprint(failed(run_1)) == fingerprint(failed(run_2))
    assert fingerprint(failed(run_1)) != fingerprint(failed(other))
