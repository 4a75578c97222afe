"""ingest(): every file ingested or diagnosed, duplicates across the set, unique ids, the cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from ingest_helpers import PERSONAS, QUIRKS
from persona_kb._internal.core.diagnostics import Severity
from persona_kb._internal.ingest import PersonaCache, display_path, ingest
from persona_kb._internal.ingest import cache as cache_module
from persona_kb._internal.ingest import pipeline as pipeline_module
from persona_kb._internal.ingest import reader as reader_module


def test_every_file_is_ingested_or_has_an_error_and_bad_files_do_not_stop_the_rest() -> None:
    result = ingest([QUIRKS])
    paths = {p.path for p in result.personas}
    errored = {d.span.path for d in result.diagnostics if d.severity is Severity.ERROR}
    candidates = {display_path(p) for p in QUIRKS.iterdir()}
    assert result.files == len(candidates)
    assert paths | errored == candidates
    assert paths.isdisjoint(errored)
    assert {Path(p).name for p in errored} == {"broken-yaml.md", "empty.md", "binary.md"}
    assert len(result.personas) == result.files - 3


def test_diagnostics_are_sorted_and_every_one_has_a_line() -> None:
    result = ingest([PERSONAS])
    keys = [(d.span.path, d.span.line, d.span.column, d.code) for d in result.diagnostics]
    assert keys == sorted(keys)
    assert all(d.span.line >= 1 and d.span.column >= 1 for d in result.diagnostics)


def test_duplicate_bodies_name_both_files() -> None:
    result = ingest([PERSONAS / "duplicates" / "same-body"])
    [duplicate] = [d for d in result.diagnostics if d.code == "PKB400"]
    one = display_path(PERSONAS / "duplicates" / "same-body" / "one" / "sql-pro.md")
    two = display_path(PERSONAS / "duplicates" / "same-body" / "two" / "sql-pro.md")
    assert duplicate.severity is Severity.WARNING
    assert duplicate.span.path == two
    assert one in duplicate.message
    assert [str(r) for r in duplicate.related] == [f"{one}:5"]
    assert len(result.personas) == 2
    [second] = [p for p in result.personas if p.path == two]
    assert "PKB400" in [d.code for d in second.diagnostics]


def test_duplicate_names_name_both_files_at_the_name_line() -> None:
    result = ingest([PERSONAS / "duplicates" / "same-name"])
    [duplicate] = [d for d in result.diagnostics if d.code == "PKB401"]
    alpha = display_path(PERSONAS / "duplicates" / "same-name" / "alpha.md")
    beta = display_path(PERSONAS / "duplicates" / "same-name" / "beta.md")
    assert (duplicate.span.path, duplicate.span.line) == (beta, 2)
    assert f"{alpha}:2" in duplicate.message
    assert [str(r) for r in duplicate.related] == [f"{alpha}:2"]
    # Same name, yet unique and still safe ids.
    assert [p.id for p in result.personas] == ["reviewer", "same-name-reviewer"]


def test_ids_are_unique_across_the_whole_ingest() -> None:
    result = ingest([PERSONAS])
    ids = [p.id for p in result.personas]
    assert len(ids) == len(set(ids))


def test_the_cache_reparses_only_changed_files(tmp_path: Path) -> None:
    for name in ("a.md", "b.md", "c.md"):
        (tmp_path / name).write_text(f"---\nname: {name[0]}\n---\n\nPersona {name}.\n", "utf-8")
    cache = PersonaCache()
    first = ingest([tmp_path], cache=cache)
    assert (cache.stats.hits, cache.stats.misses) == (0, 3)
    second = ingest([tmp_path], cache=cache)
    assert (cache.stats.hits, cache.stats.misses) == (3, 3)
    assert second.personas == first.personas
    (tmp_path / "b.md").write_text("---\nname: b2\n---\n\nChanged.\n", "utf-8")
    (tmp_path / "c.md").unlink()
    third = ingest([tmp_path], cache=cache)
    assert (cache.stats.hits, cache.stats.misses) == (4, 4)
    assert [p.name for p in third.personas] == ["a", "b2"]
    assert len(cache) == 2  # the deleted and the stale entries are gone


def _count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """From now on, the names of the files ingest reads from disk."""
    read: list[str] = []
    real = pipeline_module.read_file_bytes

    def counting(path: Path, shown: str) -> object:
        read.append(path.name)
        return real(path, shown)

    monkeypatch.setattr(pipeline_module, "read_file_bytes", counting)
    return read


def test_the_cache_does_not_read_files_whose_stat_is_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As if the files were written long ago (their change time cannot be set back).
    monkeypatch.setattr(cache_module, "_SETTLED_NS", 0)
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text(f"---\nname: {name[0]}\n---\n\nPersona {name}.\n", "utf-8")
    cache = PersonaCache()
    first = ingest([tmp_path], cache=cache)
    read = _count_reads(monkeypatch)
    assert ingest([tmp_path], cache=cache).personas == first.personas
    assert read == []
    # Same size and the old modification time put back: the change time still tells.
    b = tmp_path / "b.md"
    before = b.stat()
    b.write_text(b.read_text("utf-8").replace("name: b", "name: c"), "utf-8")
    os.utime(b, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert b.stat().st_size == before.st_size
    third = ingest([tmp_path], cache=cache)
    assert read == ["b.md"]
    assert [p.name for p in third.personas] == ["a", "c"]


def test_a_file_written_just_now_is_read_again_every_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two writes within one timestamp tick look alike to stat: a fresh file is not trusted.
    (tmp_path / "a.md").write_text("---\nname: a\n---\n\nPersona a.\n", "utf-8")
    cache = PersonaCache()
    ingest([tmp_path], cache=cache)
    read = _count_reads(monkeypatch)
    ingest([tmp_path], cache=cache)
    assert read == ["a.md"]


def test_cache_keys_include_the_format_override(tmp_path: Path) -> None:
    shutil.copy(PERSONAS / "markdown" / "release-notes-writer.md", tmp_path / "r.md")
    cache = PersonaCache()
    plain = ingest([tmp_path], cache=cache)
    forced = ingest([tmp_path], cache=cache, persona_format=reader_module.PersonaFormat.MARKDOWN)
    assert plain.personas == forced.personas
    assert cache.stats.misses == 2


def test_an_unexpected_exception_becomes_an_error_at_line_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The safety net for bugs: simulated, because no real input should reach it.
    (tmp_path / "a.md").write_text("# A\n", "utf-8")
    (tmp_path / "b.md").write_text("# B\n", "utf-8")
    real = reader_module.parse_body

    def explode_on_a(markdown: str, **kwargs: object) -> object:
        if markdown.startswith("# A"):
            raise RuntimeError("boom")
        return real(markdown, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reader_module, "parse_body", explode_on_a)
    result = ingest([tmp_path])
    assert [p.name for p in result.personas] == ["B"]
    [error] = result.diagnostics
    assert (error.code, error.span.line, error.severity) == ("PKB109", 1, Severity.ERROR)
    assert "RuntimeError: boom" in error.message
