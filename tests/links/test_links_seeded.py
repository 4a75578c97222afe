"""Every seeded defect is reported at its Markdown ``path:line``, and nothing else."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from persona_kb._internal.adapters.cli.main import main
from persona_kb._internal.adapters.site_loader import load_site_config as read_site_config
from persona_kb._internal.checks.links.run import check_links
from seeded_site import EXPECTED, build, write_project


def _found(project: Path, monkeypatch: pytest.MonkeyPatch) -> set[tuple[str, str, int]]:
    monkeypatch.chdir(project)
    config = read_site_config(Path("mkdocs.yml"))
    result = check_links(Path("site"), config)
    return {(d.code, d.span.path, d.span.line) for d in result.diagnostics}


def test_every_seeded_defect_is_reported_at_its_markdown_line(
    seeded_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _found(seeded_project, monkeypatch) == EXPECTED


def test_cli_text_output_names_path_line_and_exits_1(
    seeded_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(seeded_project)
    assert main(["links"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        "docs/guide.md:5:1: error: broken anchor 'other.md#no-such-heading' in guide.md: "
        "other/index.html has no id 'no-such-heading'; link to an existing heading or add an id "
        "[PKB701]"
    ) in out
    assert "    in the built page site/guide/index.html" in "\n".join(out)
    assert out[-1].startswith("persona-kb links: ")
    # example.invalid plus the theme's own footer links.
    assert re.fullmatch(
        rf"persona-kb links: 5 pages, \d+ links, {len(EXPECTED)} broken "
        r"\(\d+ external URLs not checked: pass --external\)",
        out[-1],
    )


def test_cli_json_output(
    seeded_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(seeded_project)
    assert main(["links", "site", "--format", "json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["summary"]["error"] == len(EXPECTED)
    assert {(d["code"], d["path"], d["line"]) for d in payload["diagnostics"]} == EXPECTED


def test_github_annotations_line_for_line(
    seeded_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(seeded_project)
    assert main(["links", "--format", "github", "--exclude", "ghost|phantom|refs/"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[:6] == [
        "::error file=docs/guide.md,line=5,col=1,title=PKB701::broken anchor "
        "'other.md#no-such-heading' in guide.md: other/index.html has no id 'no-such-heading'; "
        "link to an existing heading or add an id [PKB701]",
        "::error file=docs/guide.md,line=8,col=1,title=PKB701::broken anchor '#nowhere' in "
        "guide.md: guide/index.html has no id 'nowhere'; link to an existing heading or add an "
        "id [PKB701]",
        "::error file=docs/guide.md,line=11,col=1,title=PKB702::missing image "
        "'img/missing.png' in guide.md: no file at guide/img/missing.png in the site; add the "
        "file under docs/ or fix its path [PKB702]",
        "::error file=docs/guide.md,line=18,col=1,title=PKB702::missing image "
        "'../img/none.svg' in guide.md: no file at img/none.svg in the site; add the file "
        "under docs/ or fix its path [PKB702]",
        "::error file=docs/index.md,line=5,col=1,title=PKB700::broken link 'nope.md' in "
        "index.md: no page at nope.md in the built site; point it at an existing page "
        "(Markdown links name the .md file) or add the page [PKB700]",
        "::error file=docs/sub/deep.md,line=4,col=1,title=PKB703::link "
        "'../../../../outside.md' in sub/deep.md points outside the site (../../outside.md); "
        "use a path inside docs/ (or a full https:// URL for other sites) [PKB703]",
    ]
    assert lines[6].startswith("persona-kb links: ")
    assert len(lines) == 7


def test_directory_urls_off_and_a_site_url_prefix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_project(
        tmp_path,
        extra_yaml="use_directory_urls: false\nsite_url: https://example.org/project/\n",
    )
    build(config)
    # Without directory URLs guide.md becomes guide.html at the site root, so its raw
    # HTML links written for guide/index.html ("../phantom/") climb out of the site.
    expected = EXPECTED - {("PKB700", "docs/guide.md", 16), ("PKB702", "docs/guide.md", 18)}
    expected |= {("PKB703", "docs/guide.md", 16), ("PKB703", "docs/guide.md", 18)}
    assert _found(tmp_path, monkeypatch) == expected


def test_clean_site_exits_0(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\n[Me](#home) and [b](b.md#x)\n", encoding="utf-8"
    )
    (tmp_path / "docs" / "b.md").write_text("# B\n\n## X\n\n[home](index.md)\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: clean\ntheme: material\n", encoding="utf-8")
    build(tmp_path / "mkdocs.yml")
    monkeypatch.chdir(tmp_path)
    assert main(["links"]) == 0
    assert " 0 broken " in capsys.readouterr().out


def test_missing_site_dir_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["links", "nowhere"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("persona-kb: error: no built site at nowhere")
