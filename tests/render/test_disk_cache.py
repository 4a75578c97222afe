"""The on-disk cache: one SQLite file, entries checked by hash, damage never fatal."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import sqlite3
import zlib
from pathlib import Path

import pytest
from persona_kb._internal.core.diagnostics import Severity
from persona_kb._internal.kb.build import (
    KBCache,
    KBOptions,
    KnowledgeBase,
    build_knowledge_base,
    knowledge_base_pages,
)
from persona_kb._internal.kb.cache_store import CACHE_FILE

RENDER_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "render"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(RENDER_FIXTURES / "kb", tmp_path / "kb")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _entries(directory: Path, kind: str) -> int:
    with contextlib.closing(sqlite3.connect(directory / CACHE_FILE)) as db, db:
        (count,) = db.execute("SELECT count(*) FROM entries WHERE kind = ?", (kind,)).fetchone()
    assert isinstance(count, int)
    return count


def _same_output(a: KnowledgeBase, b: KnowledgeBase) -> None:
    assert [(p.path, p.markdown, p.source_map, p.kind, p.sources) for p in a.pages] == [
        (p.path, p.markdown, p.source_map, p.kind, p.sources) for p in b.pages
    ]


def _cache_notes(kb: KnowledgeBase) -> list[str]:
    return [d.format() for d in kb.diagnostics if d.code == "PKB590"]


def test_a_new_process_reads_and_renders_nothing_again(project: Path) -> None:
    directory = project / ".cache"
    first = build_knowledge_base(KBOptions(), cache=KBCache(directory))
    assert [p.name for p in directory.iterdir()] == [CACHE_FILE]  # one file, not one per entry
    fresh = KBCache(directory)
    second = build_knowledge_base(KBOptions(), cache=fresh)
    assert (fresh.misses, fresh.hits) == (0, len(first.topics))
    assert (fresh.personas.stats.misses, fresh.personas.stats.hits) == (
        0,
        len(first.ingest.personas),
    )
    assert second.ingest.personas == first.ingest.personas
    assert second.diagnostics == first.diagnostics
    _same_output(first, second)
    assert _cache_notes(second) == []


def test_deleted_and_edited_personas_leave_no_stale_entries(project: Path) -> None:
    directory = project / ".cache"
    first = build_knowledge_base(KBOptions(), cache=KBCache(directory))
    (project / "kb" / "sonbbal-superpowers" / "backend-go.md").unlink()
    build_knowledge_base(KBOptions(), cache=KBCache(directory))
    assert _entries(directory, "topic") == len(first.topics) - 1
    assert _entries(directory, "persona") == len(first.ingest.personas) - 1


def _rewrite_entries(directory: Path, data: bytes, *, fix_digest: bool) -> None:
    with contextlib.closing(sqlite3.connect(directory / CACHE_FILE)) as db, db:
        digest = hashlib.sha256(data).hexdigest() if fix_digest else "0" * 64
        db.execute("UPDATE entries SET data = ?, digest = ?", (data, digest))


@pytest.mark.parametrize(
    ("payload", "fix_digest"),
    [
        (zlib.compress(b'{"pages": [1]}'), False),  # edited by hand: the hash no longer fits
        (zlib.compress(b'{"pages": [1]}'), True),  # fits the hash, not the model
        (zlib.compress(b"[" * 100_000 + b"]" * 100_000), True),  # nested past the recursion limit
        (b"not compressed at all", True),
    ],
)
def test_a_damaged_entry_is_rebuilt(project: Path, payload: bytes, fix_digest: bool) -> None:
    directory = project / ".cache"
    first = build_knowledge_base(KBOptions(), cache=KBCache(directory))
    _rewrite_entries(directory, payload, fix_digest=fix_digest)
    cache = KBCache(directory)
    again = build_knowledge_base(KBOptions(), cache=cache)
    _same_output(first, again)
    assert cache.hits == 0
    assert cache.personas.stats.hits == 0
    # ...and the rebuilt entries are good again.
    third = KBCache(directory)
    build_knowledge_base(KBOptions(), cache=third)
    assert third.misses == 0


def test_a_file_that_is_no_database_is_replaced_with_a_note(project: Path) -> None:
    directory = project / ".cache"
    first = build_knowledge_base(KBOptions(), cache=KBCache(directory))
    (directory / CACHE_FILE).write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    again = build_knowledge_base(KBOptions(), cache=KBCache(directory))
    _same_output(first, again)
    notes = [d for d in again.diagnostics if d.code == "PKB590"]
    assert [d.severity for d in notes] == [Severity.INFO]
    assert notes[0].span.path == f".cache/{CACHE_FILE}"
    assert "damaged" in notes[0].message
    assert _cache_notes(build_knowledge_base(KBOptions(), cache=KBCache(directory))) == []


def test_a_cache_folder_that_is_a_file_is_a_warning_not_a_traceback(project: Path) -> None:
    (project / ".cache").write_text("not a folder\n")
    plain = build_knowledge_base(KBOptions())
    kb = build_knowledge_base(KBOptions(), cache=KBCache(project / ".cache" / "persona-kb"))
    _same_output(plain, kb)
    (warning,) = [d for d in kb.diagnostics if d.code == "PKB590"]
    assert warning.severity is Severity.WARNING
    assert warning.span.path == f".cache/persona-kb/{CACHE_FILE}"
    assert "cache_dir" in warning.text
    assert (project / ".cache").read_text() == "not a folder\n"


def test_source_maps_survive_the_round_trip(project: Path) -> None:
    directory = project / ".cache"
    first = build_knowledge_base(KBOptions(), cache=KBCache(directory))
    second = build_knowledge_base(KBOptions(), cache=KBCache(directory))
    for a, b in zip(first.pages, second.pages, strict=True):
        assert a.source_map == b.source_map
    mapped = [s for p in second.pages for s in p.source_map.lines if s is not None]
    assert len(mapped) > 100  # the fixture maps lines to personas


def test_checkers_take_the_pages_from_the_manifest_without_building(project: Path) -> None:
    directory = project / ".cache"
    first = build_knowledge_base(KBOptions(), cache=KBCache(directory))
    cache = KBCache(directory)
    pages = knowledge_base_pages(KBOptions(), cache=cache)
    assert [(p.path, p.markdown, p.source_map) for p in pages] == [
        (p.path, p.markdown, p.source_map) for p in first.pages
    ]
    # No persona was looked up (no ingest), every topic came from the cache.
    assert (cache.personas.stats.hits, cache.personas.stats.misses) == (0, 0)
    assert (cache.hits, cache.misses) == (len(first.topics), 0)


def test_an_edited_persona_makes_checkers_build_again(project: Path) -> None:
    directory = project / ".cache"
    build_knowledge_base(KBOptions(), cache=KBCache(directory))
    persona = project / "kb" / "sonbbal-superpowers" / "backend-go.md"
    persona.write_text(persona.read_text() + "\n- Added after the build\n")
    cache = KBCache(directory)
    pages = knowledge_base_pages(KBOptions(), cache=cache)
    guide = next(p for p in pages if p.path == "kb/go/GO-COMPREHENSIVE-GUIDE.md")
    assert "- Added after the build" in guide.markdown
    assert cache.personas.stats.misses == 1
    (project / "kb" / "new.md").write_text("# New Persona\n\nHello.\n")
    again = KBCache(directory)
    knowledge_base_pages(KBOptions(), cache=again)
    assert again.personas.stats.misses == 1  # the new file only


def test_other_options_do_not_use_the_manifest(project: Path) -> None:
    directory = project / ".cache"
    build_knowledge_base(KBOptions(), cache=KBCache(directory))
    cache = KBCache(directory)
    pages = knowledge_base_pages(KBOptions(source_url="https://x.org/"), cache=cache)
    assert any("https://x.org/" in p.markdown for p in pages)
