"""``persona-kb check``: one summary, one exit code, every step reported at its source."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest
from persona_kb._internal.adapters.cli.main import main

VALIDATION = "validation:\n  links:\n    not_found: warn\n    anchors: warn\n"


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seeded_site: ModuleType) -> Path:
    seeded_site.write_project(tmp_path, extra_yaml=VALIDATION)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_seeded_project_fails_with_every_defect_at_its_line(
    seeded_site: ModuleType, seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--skip", "examples"]) == 1
    captured = capsys.readouterr()
    out = captured.out.splitlines()
    located = {line.split(": error: ")[0] for line in out if ": error: " in line}
    for code, path, line in seeded_site.EXPECTED:
        assert f"{path}:{line}:1" in located, (code, path, line)
    summary = out[out.index("persona-kb check:") :]
    assert summary[1].split()[:2] == ["lint", "skipped"]
    assert summary[2].split()[:2] == ["build", "FAILED"]
    assert summary[3].split()[:2] == ["export", "skipped"]
    assert summary[4].split()[:2] == ["examples", "skipped"]
    assert summary[5].split()[:2] == ["links", "FAILED"]
    assert summary[-1].startswith("FAILED: ")
    assert "running build" in captured.err
    assert not (seeded / "site").exists()  # built into a temporary folder
    assert sorted(p.name for p in (seeded / "docs").iterdir()) == [
        "guide.md",
        "img",
        "index.md",
        "other.md",
        "sub",
    ]


def test_mkdocs_warnings_land_on_the_markdown_line(
    seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--skip", "examples", "--skip", "links"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        "docs/index.md:5:1: error: mkdocs build --strict: Doc file 'index.md' contains a link "
        "'nope.md', but the target is not found among documentation files; fix it: under "
        "--strict every warning fails the build [PKB710]"
    ) in out
    assert any(
        line.startswith(
            "docs/guide.md:5:1: error: mkdocs build --strict: Doc file 'guide.md' "
            "contains a link 'other.md#no-such-heading'"
        )
        for line in out
    )


def test_github_annotations_map_to_the_persona_lines(
    seeded_site: ModuleType,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seeded_site.write_persona_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "github", "--skip", "examples"]) == 1
    out = capsys.readouterr().out.splitlines()
    guide = "kb/python/PYTHON-COMPREHENSIVE-GUIDE"
    assert (
        "::error file=kb/python-helper.md,line=10,col=1,title=PKB700::broken link "
        f"'missing-guide.md' in {guide}.md: no page at {guide}/missing-guide.md in the built "
        "site; point it at an existing page (Markdown links name the .md file) or add the page "
        "[PKB700]"
    ) in out
    assert (
        "::error file=kb/python-helper.md,line=10,col=1,title=PKB710::mkdocs build --strict: "
        f"Doc file '{guide}.md' contains a link 'missing-guide.md', but the target "
        f"'{guide[: -len('PYTHON-COMPREHENSIVE-GUIDE')]}missing-guide.md' is not found among "
        "documentation files; fix it: under --strict every warning fails the build [PKB710]"
    ) in out
    assert (
        "::error file=kb/python-helper.md,line=14,col=1,title=PKB701::broken anchor "
        f"'#nowhere' in {guide}.md: {guide}/index.html has no id 'nowhere'; link to an "
        "existing heading or add an id [PKB701]"
    ) in out
    annotations = [line for line in out if line.startswith("::")]
    summary = [line for line in out if not line.startswith("::")]
    assert all(line.startswith("::error file=") for line in annotations)
    assert summary[0] == "persona-kb check:"
    assert [line.split()[0] for line in summary[1:-1]] == [
        "lint",
        "build",
        "export",
        "examples",
        "links",
    ]


def test_junit_xml(
    seeded_site: ModuleType, seeded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--format", "junit", "--skip", "examples"]) == 1
    out = capsys.readouterr().out
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == [
        f"persona-kb {s}" for s in ("lint", "build", "export", "examples", "links")
    ]
    links = suites["persona-kb links"]
    cases = links.findall("testcase")
    assert int(links.get("failures", "")) == len(cases) == len(seeded_site.EXPECTED)
    places = {(c.get("file"), int(c.get("line", "0"))) for c in cases}
    assert places == {(path, line) for _, path, line in seeded_site.EXPECTED}
    assert suites["persona-kb examples"].find("testcase/skipped") is not None
    assert int(root.get("failures", "")) >= len(seeded_site.EXPECTED)


def test_junit_file_beside_text_output(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = seeded / "reports" / "check.xml"
    assert main(["check", "--skip", "examples", "--skip", "build", "--junit-xml", str(target)]) == 0
    root = ET.parse(target).getroot()
    assert root.get("failures") == "0"
    assert capsys.readouterr().out.splitlines()[-1] == "passed: 0 errors, 0 warnings"


def test_usage_errors_exit_2(
    seeded_site: ModuleType,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert "no mkdocs.yml (or properdocs.yml) here" in capsys.readouterr().err
    seeded_site.write_project(tmp_path)
    assert main(["check", "--site-dir", "docs/out"]) == 2
    assert "overlaps docs_dir" in capsys.readouterr().err
    assert not (tmp_path / "docs" / "out").exists()


def _annotation(path: str, line: int, code: str, message: str) -> str:
    return f"::error file={path},line={line},col=1,title={code}::{message} [{code}]"


LINK = "point it at an existing page (Markdown links name the .md file) or add the page"
ANCHOR = "link to an existing heading or add an id"
IMAGE = "add the file under docs/ or fix its path"
STRICT = "fix it: under --strict every warning fails the build"


def test_github_annotations_line_for_line(seeded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--format", "github", "--skip", "examples"]) == 1
    out = capsys.readouterr().out.splitlines()
    guide, index, deep = "docs/guide.md", "docs/index.md", "docs/sub/deep.md"
    assert out[:-7] == [
        _annotation(
            guide,
            5,
            "PKB701",
            "broken anchor 'other.md#no-such-heading' in guide.md: "
            f"other/index.html has no id 'no-such-heading'; {ANCHOR}",
        ),
        _annotation(
            guide,
            5,
            "PKB710",
            "mkdocs build --strict: Doc file 'guide.md' contains a "
            "link 'other.md#no-such-heading', but the doc 'other.md' does not contain an "
            f"anchor '#no-such-heading'; {STRICT}",
        ),
        _annotation(
            guide,
            8,
            "PKB701",
            f"broken anchor '#nowhere' in guide.md: guide/index.html has no id 'nowhere'; {ANCHOR}",
        ),
        _annotation(
            guide,
            8,
            "PKB710",
            "mkdocs build --strict: Doc file 'guide.md' contains a "
            f"link '#nowhere', but there is no such anchor on this page; {STRICT}",
        ),
        _annotation(
            guide,
            11,
            "PKB702",
            "missing image 'img/missing.png' in guide.md: no file at "
            f"guide/img/missing.png in the site; {IMAGE}",
        ),
        _annotation(
            guide,
            11,
            "PKB710",
            "mkdocs build --strict: Doc file 'guide.md' contains a "
            "link 'img/missing.png', but the target is not found among documentation "
            f"files; {STRICT}",
        ),
        _annotation(
            guide,
            14,
            "PKB700",
            "broken link 'ghost.md' in guide.md: no page at "
            f"guide/ghost.md in the built site; {LINK}",
        ),
        _annotation(
            guide,
            14,
            "PKB710",
            "mkdocs build --strict: Doc file 'guide.md' contains a "
            "link 'ghost.md', but the target is not found among documentation files; "
            f"{STRICT}",
        ),
        _annotation(
            guide,
            16,
            "PKB700",
            "broken link '../phantom/' in guide.md: no page at "
            f"phantom/index.html in the built site; {LINK}",
        ),
        _annotation(
            guide,
            18,
            "PKB702",
            "missing image '../img/none.svg' in guide.md: no file at "
            f"img/none.svg in the site; {IMAGE}",
        ),
        _annotation(
            guide,
            20,
            "PKB700",
            "broken link 'ghost.md' in guide.md: no page at "
            f"guide/ghost.md in the built site; {LINK}",
        ),
        _annotation(
            guide,
            22,
            "PKB700",
            "broken link 'refs/missing.md' in guide.md: no page at "
            f"guide/refs/missing.md in the built site; {LINK}",
        ),
        _annotation(
            guide,
            22,
            "PKB710",
            "mkdocs build --strict: Doc file 'guide.md' contains a "
            "link 'refs/missing.md', but the target is not found among documentation "
            f"files; {STRICT}",
        ),
        _annotation(
            index,
            5,
            "PKB700",
            f"broken link 'nope.md' in index.md: no page at nope.md in the built site; {LINK}",
        ),
        _annotation(
            index,
            5,
            "PKB710",
            "mkdocs build --strict: Doc file 'index.md' contains a "
            "link 'nope.md', but the target is not found among documentation files; "
            f"{STRICT}",
        ),
        _annotation(
            deep,
            4,
            "PKB703",
            "link '../../../../outside.md' in sub/deep.md points "
            "outside the site (../../outside.md); use a path inside docs/ (or a full "
            "https:// URL for other sites)",
        ),
        _annotation(
            deep,
            4,
            "PKB710",
            "mkdocs build --strict: Doc file 'sub/deep.md' contains a "
            "link '../../../../outside.md', but the target '../../../outside.md' is not "
            f"found among documentation files; {STRICT}",
        ),
    ]
    summary = out[-7:]
    assert summary[0] == "persona-kb check:"
    assert summary[1] == "  lint      skipped  no persona folder"
    assert re.fullmatch(
        r"  build     FAILED   mkdocs build --strict: 8 warnings and errors \(\d+\.\ds\)",
        summary[2],
    )
    assert summary[3] == "  export    skipped  the persona-kb plugin is off"
    assert summary[4] == "  examples  skipped  left out with --skip"
    assert re.fullmatch(
        r"  links     FAILED   5 pages, 94 links, 10 broken \(\d+\.\ds\)", summary[5]
    )
    assert summary[6] == "FAILED: 17 errors, 0 warnings"


def test_cli_step_names_match_the_core() -> None:
    from persona_kb._internal.adapters.cli import check as cli_check
    from persona_kb._internal.checks import pipeline as check

    assert cli_check.STEPS == check.STEPS


def test_a_crashing_step_fails_alone(
    seeded: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from persona_kb._internal.checks import pipeline as check

    def explode(*_: object) -> check.StepResult:
        raise RuntimeError("boom")

    monkeypatch.setitem(check._STEP_FUNCTIONS, "lint", explode)
    assert main(["check", "--skip", "examples", "--skip", "build"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("mkdocs.yml:1:1: error: lint: crashed: RuntimeError: boom (at ")
    assert out[0].endswith("[PKB731]")
    assert out[-6].split()[:2] == ["lint", "FAILED"]
    assert out[-3].split()[:2] == ["examples", "skipped"]
    assert out[-2].split()[:2] == ["links", "skipped"]


def test_export_drift_is_a_failed_step(
    seeded_site: ModuleType,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seeded_site.write_persona_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    skip = ["--skip", "examples", "--skip", "build", "--skip", "lint"]
    assert main(["check", *skip]) == 0
    assert "  export    skipped  no exported KB at docs/kb" in capsys.readouterr().out
    assert main(["export"]) == 0
    capsys.readouterr()
    assert main(["check", *skip]) == 0
    assert re.search(r"  export    ok       \d+ pages up to date", capsys.readouterr().out)
    persona = tmp_path / "kb" / "python-helper.md"
    persona.write_text(persona.read_text("utf-8") + "- A new practice.\n", encoding="utf-8")
    assert main(["check", *skip]) == 1
    out = capsys.readouterr().out.splitlines()
    drift = [line for line in out if line.endswith("[PKB720]")]
    assert drift
    # the topic's pages, and the index that counts their rules and tokens
    assert all(line.startswith(("docs/kb/python/", "docs/kb/index.json")) for line in drift)
    assert any(line.startswith("docs/kb/python/") for line in drift)
    assert all(
        (": error: docs/kb/python/" in line or ": error: docs/kb/index.json" in line)
        and "is out of date with the personas; run `persona-kb export` and commit the result"
        in line
        for line in drift
    )
    assert any(line.startswith("  export    FAILED") for line in out)


def test_github_job_summary(
    seeded: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = seeded / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    assert main(["check", "--format", "github", "--skip", "examples", "--skip", "build"]) == 0
    capsys.readouterr()
    lines = summary.read_text(encoding="utf-8").splitlines()
    assert lines[:4] == [
        "### persona-kb check: passed",
        "",
        "| step | status | summary | seconds |",
        "|---|---|---|---|",
    ]
    assert [row.split(" | ")[0:2] for row in lines[4:]] == [
        ["| lint", "skipped"],
        ["| build", "skipped"],
        ["| export", "skipped"],
        ["| examples", "skipped"],
        ["| links", "skipped"],
    ]


def test_export_drift_uses_the_same_source_links_as_export(
    seeded_site: ModuleType,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # With repo_url set, pages link personas to the repository; the drift check must
    # build them the same way `persona-kb export` wrote them, or it reports false drift.
    seeded_site.write_persona_project(tmp_path)
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "repo_url: https://github.com/example/kb\n" + config.read_text("utf-8"), encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["export"]) == 0
    readme = (tmp_path / "docs" / "kb" / "python" / "README.md").read_text("utf-8")
    assert "](https://github.com/example/kb/" in readme
    capsys.readouterr()
    skip = ["--skip", "examples", "--skip", "build", "--skip", "lint", "--skip", "links"]
    assert main(["check", *skip]) == 0
    assert re.search(r"  export    ok       \d+ pages up to date", capsys.readouterr().out)
