"""Which files are persona candidates, and why the others are not."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from persona_kb._internal.ingest import discover_persona_files


def make(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# x\n", encoding="utf-8")


def relative(paths: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in paths]


def test_walks_sorted_and_skips_non_personas(tmp_path: Path) -> None:
    make(
        tmp_path,
        "b.md",
        "a.mdc",
        "sub/c.markdown",
        "README.md",
        "LICENSE.md",
        "CHANGELOG.md",
        "index.md",
        "notes.txt",
        ".hidden.md",
        ".github/agent.md",
        "node_modules/pkg/readme-persona.md",
        "patterns/summarize/system.md",
        "patterns/summarize/user.md",
        "other/user.md",
    )
    files, diagnostics = discover_persona_files([tmp_path])
    assert relative(files, tmp_path) == [
        "a.mdc",
        "b.md",
        "other/user.md",
        "patterns/summarize/system.md",
        "sub/c.markdown",
    ]
    skipped = {Path(d.span.path).relative_to(tmp_path).as_posix(): d for d in diagnostics}
    assert sorted(skipped) == [
        "CHANGELOG.md",
        "LICENSE.md",
        "README.md",
        "index.md",
        "patterns/summarize/user.md",
    ]
    assert {(d.code, d.severity.value, d.span.line) for d in diagnostics} == {("PKB110", "info", 1)}
    assert "Fabric" in skipped["patterns/summarize/user.md"].message


def test_an_explicit_file_is_always_a_candidate_and_is_not_listed_twice(tmp_path: Path) -> None:
    make(tmp_path, "README.md", "a.md")
    files, _ = discover_persona_files([tmp_path / "README.md", tmp_path, tmp_path / "a.md"])
    assert relative(files, tmp_path) == ["README.md", "a.md"]


def test_a_missing_path_is_a_diagnostic_not_an_exception(tmp_path: Path) -> None:
    files, diagnostics = discover_persona_files([tmp_path / "nope"])
    assert files == []
    assert [(d.code, d.severity.value, d.span.line) for d in diagnostics] == [
        ("PKB108", "error", 1)
    ]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinked_folder_loops_do_not_hang(tmp_path: Path) -> None:
    make(tmp_path, "a/p.md")
    (tmp_path / "a" / "loop").symlink_to(tmp_path, target_is_directory=True)
    files, _ = discover_persona_files([tmp_path])
    assert relative(files, tmp_path) == ["a/p.md"]
