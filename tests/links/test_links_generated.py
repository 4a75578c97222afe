"""Broken links on generated knowledge-base pages are reported at the persona's line."""

from __future__ import annotations

from pathlib import Path

import pytest
from persona_kb._internal.adapters.cli.main import main
from persona_kb._internal.adapters.site_loader import load_site_config as read_site_config
from persona_kb._internal.checks.links.run import check_links
from seeded_site import build, write_persona_project


@pytest.fixture(scope="module")
def persona_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("persona-links")
    build(write_persona_project(root))
    return root


def test_persona_links_point_at_the_persona_file(
    persona_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(persona_project)
    result = check_links(Path("site"), read_site_config(Path("mkdocs.yml")))
    found = {(d.code, d.span.path, d.span.line, d.message) for d in result.diagnostics}
    # Generated pages are clean: the only broken links are the two the persona wrote, one
    # of them shown on two pages (the guide and the quick reference).
    assert sorted((d.code, d.span.path, d.span.line) for d in result.diagnostics) == [
        ("PKB700", "kb/python-helper.md", 10),
        ("PKB701", "kb/python-helper.md", 14),
        ("PKB701", "kb/python-helper.md", 14),
    ]
    guide = "kb/python/PYTHON-COMPREHENSIVE-GUIDE.md"
    assert (
        "PKB700",
        "kb/python-helper.md",
        10,
        f"broken link 'missing-guide.md' in {guide}: no page at "
        "kb/python/PYTHON-COMPREHENSIVE-GUIDE/missing-guide.md in the built site",
    ) in found
    assert (
        "PKB701",
        "kb/python-helper.md",
        14,
        f"broken anchor '#nowhere' in {guide}: "
        "kb/python/PYTHON-COMPREHENSIVE-GUIDE/index.html has no id 'nowhere'",
    ) in found
    # The built page is named too, for whoever wants to look at the HTML.
    by_line = {(d.span.path, d.span.line, d.code): d for d in result.diagnostics}
    related = by_line[("kb/python-helper.md", 10, "PKB700")].related
    assert len(related) == 1
    assert related[0].path == "site/kb/python/PYTHON-COMPREHENSIVE-GUIDE/index.html"
    html = (persona_project / related[0].path).read_text(encoding="utf-8").splitlines()
    assert 'href="missing-guide.md"' in html[related[0].line - 1]


def test_without_mkdocs_yml_reports_fall_back_to_html_lines(
    persona_project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(persona_project / "site")
    assert main(["links", "."]) == 1
    out = capsys.readouterr().out
    assert "kb/python/PYTHON-COMPREHENSIVE-GUIDE/index.html:" in out
    assert "kb/python-helper.md" not in out
