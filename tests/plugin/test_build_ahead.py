"""``mkdocs serve``: the knowledge base is rebuilt as soon as a persona file changes."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import cast

from persona_kb._internal.adapters.mkdocs_plugin.ahead import BuildAhead
from persona_kb._internal.kb.build import KnowledgeBase
from persona_kb._internal.kb.live_edit import FileStates, file_states

KB = cast(KnowledgeBase, object())


def _until(check: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False


def test_a_change_is_built_at_once_and_handed_out_once(tmp_path: Path) -> None:
    persona = tmp_path / "a.md"
    persona.write_text("# A\n", "utf-8")
    calls: list[FileStates] = []

    def prebuild() -> tuple[FileStates, KnowledgeBase]:
        calls.append(file_states([tmp_path]))
        return calls[-1], KB

    ahead = BuildAhead(prebuild)
    assert ahead.start(tmp_path)
    try:
        assert not calls  # nothing changed, nothing built
        persona.write_text("# A, edited\n", "utf-8")
        now = file_states([tmp_path])
        assert _until(lambda: ahead.take(now) is KB), "the change was not built ahead"
        assert ahead.take(now) is None  # handed out once
    finally:
        ahead.stop()
    count = len(calls)
    persona.write_text("# A, after the server stopped\n", "utf-8")
    time.sleep(0.5)
    assert len(calls) == count


def test_a_build_from_other_files_is_never_handed_out(tmp_path: Path) -> None:
    # Built before the last write (or from a half-saved file): the server builds its own.
    (tmp_path / "a.md").write_text("# A\n", "utf-8")
    calls: list[int] = []

    def prebuild() -> tuple[FileStates, KnowledgeBase]:
        calls.append(1)
        return {str(tmp_path / "a.md"): (0, 4)}, KB

    ahead = BuildAhead(prebuild)
    assert ahead.start(tmp_path)
    try:
        (tmp_path / "a.md").write_text("# B\n", "utf-8")
        assert _until(lambda: bool(calls))
        time.sleep(0.2)
        assert ahead.take(file_states([tmp_path])) is None
    finally:
        ahead.stop()


def test_a_failed_build_ahead_is_dropped(tmp_path: Path) -> None:
    calls: list[int] = []

    def prebuild() -> tuple[FileStates, KnowledgeBase]:
        calls.append(1)
        raise RuntimeError("a broken template")

    ahead = BuildAhead(prebuild)
    assert ahead.start(tmp_path)
    try:
        (tmp_path / "a.md").write_text("# A\n", "utf-8")
        assert _until(lambda: bool(calls))
        time.sleep(0.2)
        assert ahead.take(file_states([tmp_path])) is None
        (tmp_path / "a.md").write_text("# A2\n", "utf-8")
        assert _until(lambda: len(calls) >= 2)  # the worker is still alive
    finally:
        ahead.stop()


def test_no_native_watcher_means_no_build_ahead(tmp_path: Path) -> None:
    assert not BuildAhead(lambda: None).start(tmp_path / "missing")


def test_writes_to_the_cache_or_git_do_not_wake_it(tmp_path: Path) -> None:
    # With `source: .`, every build writes the cache inside the persona folder.
    cache, git = tmp_path / ".cache" / "persona-kb", tmp_path / ".git"
    cache.mkdir(parents=True)
    git.mkdir()
    calls: list[int] = []

    def prebuild() -> None:
        calls.append(1)

    ahead = BuildAhead(prebuild)
    assert ahead.start(tmp_path, [cache])
    try:
        (cache / "cache.sqlite").write_bytes(b"x")
        (git / "index").write_bytes(b"x")
        time.sleep(0.5)
        assert not calls
        (tmp_path / "a.md").write_text("# A\n", "utf-8")
        assert _until(lambda: bool(calls))
    finally:
        ahead.stop()
