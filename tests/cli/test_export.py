"""``persona-kb export``: writes, rewrites only what changed, removes its own stale files,
never touches foreign files, never writes outside ``--out``; ``--check`` exit codes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from persona_kb._internal.adapters.cli.main import main
from persona_kb._internal.core.diagnostics import PersonaKBError
from persona_kb._internal.core.model import KBPage, PageKind, SourceMap
from persona_kb._internal.kb.build import GENERATED_MARKER
from persona_kb._internal.kb.export import export_pages

REPO = Path(__file__).resolve().parent.parent.parent
FIXTURE_KB = REPO / "tests" / "fixtures" / "render" / "kb"


def page(path: str, body: str = "Body.\n", kind: PageKind = PageKind.README) -> KBPage:
    markdown = f"---\ntitle: T\n---\n{GENERATED_MARKER}\n\n# T\n\n{body}"
    return KBPage(path, "T", markdown, SourceMap(()), kind, "python", ("kb/a.md",))


PAGES = [
    page("kb/python/README.md"),
    page("kb/python/QUICK-REFERENCE.md", kind=PageKind.QUICK_REFERENCE),
    page("kb/README.md", kind=PageKind.INDEX),
]


def test_writes_every_page_under_out_dir(tmp_path: Path) -> None:
    out = tmp_path / "docs" / "kb"
    report = export_pages(PAGES, out)
    assert report.ok
    assert sorted(p.relative_to(out).as_posix() for p in report.written) == [
        "README.md",
        "python/QUICK-REFERENCE.md",
        "python/README.md",
    ]
    assert (out / "python" / "README.md").read_text() == PAGES[0].markdown


def test_second_run_rewrites_only_changed_files(tmp_path: Path) -> None:
    out = tmp_path / "kb"
    export_pages(PAGES, out)
    untouched = out / "python" / "QUICK-REFERENCE.md"
    os.utime(untouched, ns=(1, 1))
    changed = [page("kb/python/README.md", "New body.\n"), *PAGES[1:]]
    report = export_pages(changed, out)
    assert report.written == [out / "python" / "README.md"]
    assert len(report.unchanged) == 2
    assert untouched.stat().st_mtime_ns == 1
    assert "New body." in (out / "python" / "README.md").read_text()


def test_stale_generated_files_are_removed_and_foreign_files_kept(tmp_path: Path) -> None:
    out = tmp_path / "kb"
    export_pages([*PAGES, page("kb/go/README.md")], out)
    (out / "python" / "notes.md").write_text("my own notes\n")
    (out / "go" / "mine.md").write_text("mine\n")
    report = export_pages(PAGES, out)
    assert report.removed == [out / "go" / "README.md"]
    assert (out / "go" / "mine.md").read_text() == "mine\n"
    assert (out / "python" / "notes.md").read_text() == "my own notes\n"
    export_pages([p for p in PAGES if "go" not in p.path], out)
    (out / "go" / "mine.md").unlink()
    export_pages([*PAGES, page("kb/rust/README.md")], out)
    export_pages(PAGES, out)
    assert not (out / "rust").exists()  # emptied folder pruned


def test_a_foreign_file_at_a_page_path_is_a_conflict_and_never_replaced(tmp_path: Path) -> None:
    out = tmp_path / "kb"
    (out / "python").mkdir(parents=True)
    (out / "python" / "README.md").write_text("hand written\n")
    report = export_pages(PAGES, out)
    assert not report.ok
    assert report.conflicts == [out / "python" / "README.md"]
    assert (out / "python" / "README.md").read_text() == "hand written\n"
    assert report.diagnostics[0].code == "PKB510"
    assert "python/README.md" in report.diagnostics[0].format()
    assert (out / "python" / "QUICK-REFERENCE.md").is_file()  # the rest is written


def test_never_writes_outside_out_dir(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "kb"
    out.mkdir()
    (out / "python").symlink_to(outside, target_is_directory=True)
    report = export_pages(PAGES, out)
    assert sorted(report.conflicts) == [
        out / "python" / "QUICK-REFERENCE.md",
        out / "python" / "README.md",
    ]
    assert list(outside.iterdir()) == []
    with pytest.raises(PersonaKBError, match="not a safe relative path"):
        export_pages([page("kb/../../etc/passwd.md"), PAGES[2]], out)
    with pytest.raises(PersonaKBError, match="not a safe relative path"):
        export_pages([page("/etc/passwd.md"), PAGES[2]], out)


def test_stale_removal_never_follows_symlinks_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    victim = outside / "old.md"
    victim.write_text(f"{GENERATED_MARKER}\nold\n")
    out = tmp_path / "kb"
    out.mkdir()
    (out / "link.md").symlink_to(victim)
    export_pages(PAGES, out)
    assert victim.is_file()


def test_check_writes_nothing_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "kb"
    report = export_pages(PAGES, out, check=True)
    assert not report.ok
    assert len(report.out_of_date) == 3
    assert not out.exists()
    export_pages(PAGES, out)
    assert export_pages(PAGES, out, check=True).ok


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(FIXTURE_KB, tmp_path / "personas")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ndocs_dir: site-docs\n"
        "markdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - search\n  - persona-kb:\n      source: personas\n      output: reference\n"
        "      topics:\n        backend: ['*backend-go*']\n"
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_cli_reads_the_plugin_options_and_check_exit_codes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--check"]) == 1
    assert (
        "site-docs/reference/python/PYTHON-SPECIFIC-PATTERNS.md: out of date"
        in capsys.readouterr().out
    )
    assert main(["export"]) == 0
    out = project / "site-docs" / "reference"
    assert (out / "backend" / "BACKEND-SPECIFIC-PATTERNS.md").is_file()
    assert "`personas/python-backend-engineer.md`" in (out / "python" / "README.md").read_text()
    assert main(["export", "--check"]) == 0
    capsys.readouterr()
    (out / "python" / "README.md").write_text(f"{GENERATED_MARKER}\nedited\n")
    assert main(["export", "--check"]) == 1
    assert "python/README.md: out of date" in capsys.readouterr().out


def test_cli_from_another_directory_gives_the_same_pages(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["export"]) == 0
    monkeypatch.chdir(project / "personas")
    assert main(["export", "--check", "--config", "../mkdocs.yml"]) == 0


def test_cli_out_option_and_conflict_exit(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "elsewhere"
    (out / "python").mkdir(parents=True)
    (out / "python" / "README.md").write_text("mine\n")
    assert main(["export", "--out", str(out)]) == 1
    assert (out / "python" / "README.md").read_text() == "mine\n"


def test_a_persona_with_errors_is_written_around_and_exits_1(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export"]) == 0
    capsys.readouterr()
    (project / "personas" / "huge.md").write_text("# Huge\n\n" + "x" * (3 * 1024 * 1024))
    assert main(["export"]) == 1  # the other personas' pages are written all the same
    assert "personas/huge.md:1:1: error:" in capsys.readouterr().err
    assert main(["export", "--check"]) == 1
    (project / "personas" / "huge.md").unlink()
    assert main(["export", "--check"]) == 0


def test_a_site_without_the_plugin_is_an_error_at_its_config(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - search\n")
    assert main(["export"]) == 2
    assert "mkdocs.yml:1: the persona-kb plugin is not enabled" in capsys.readouterr().err


def test_cli_configuration_errors_exit_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "mkdocs.yml").write_text("plugins:\n  - persona-kb:\n      output: ../escape\n")
    assert main(["export"]) == 2
    assert "not a safe folder name" in capsys.readouterr().err
    (project / "mkdocs.yml").write_text("plugins: [\n")
    assert main(["export"]) == 2
    assert "mkdocs.yml:" in capsys.readouterr().err


def test_the_repository_docs_kb_has_no_drift(monkeypatch: pytest.MonkeyPatch) -> None:
    """The committed docs/kb/ is exactly what `persona-kb export` generates from kb/."""
    monkeypatch.chdir(REPO)
    assert (REPO / "docs" / "kb" / "README.md").is_file(), "run `uv run persona-kb export`"
    assert main(["export", "--check", "--quiet"]) == 0, "run `uv run persona-kb export`"


def test_cli_derives_source_links_like_the_plugin(project: Path) -> None:
    text = (project / "mkdocs.yml").read_text()
    (project / "mkdocs.yml").write_text(
        "repo_url: https://github.com/org/repo\nedit_uri: edit/main/site-docs\n" + text
    )
    assert main(["export"]) == 0
    readme = (project / "site-docs" / "reference" / "python" / "README.md").read_text()
    assert "(https://github.com/org/repo/blob/main/personas/python-backend-engineer.md)" in readme


def test_a_page_without_the_marker_gets_it_after_its_front_matter(tmp_path: Path) -> None:
    bare = KBPage(
        "kb/README.md", "T", "---\ntitle: T\n---\n# T\n", SourceMap(()), PageKind.INDEX, None, ()
    )
    export_pages([bare], tmp_path)
    assert (tmp_path / "README.md").read_text() == f"---\ntitle: T\n---\n{GENERATED_MARKER}\n# T\n"
