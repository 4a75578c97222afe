"""``mkdocs serve``: what a persona edit changed is rebuilt as soon as the file is saved."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from persona_kb._internal.adapters.mkdocs_plugin.ahead import BuildAhead


def _until(check: Callable[[], bool], seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return False


def test_a_change_is_rebuilt_at_once_and_not_after_the_server_stopped(tmp_path: Path) -> None:
    persona = tmp_path / "a.md"
    persona.write_text("# A\n", "utf-8")
    calls: list[str] = []
    ahead = BuildAhead(lambda: calls.append(persona.read_text("utf-8")))
    assert ahead.start(tmp_path)
    try:
        time.sleep(0.3)
        assert not calls  # nothing changed, nothing rebuilt
        persona.write_text("# A, edited\n", "utf-8")
        assert _until(lambda: bool(calls)), "the change was not rebuilt"
        assert calls[-1] == "# A, edited\n"  # after the save, not during it
    finally:
        ahead.stop()
    count = len(calls)
    persona.write_text("# A, after the server stopped\n", "utf-8")
    time.sleep(0.5)
    assert len(calls) == count


def test_a_burst_of_writes_is_one_rebuild(tmp_path: Path) -> None:
    # An editor's save is several writes (a temporary file, a rename…).
    calls: list[int] = []
    ahead = BuildAhead(lambda: calls.append(1))
    assert ahead.start(tmp_path)
    try:
        for i in range(5):
            (tmp_path / "a.md").write_text(f"# A{i}\n", "utf-8")
        assert _until(lambda: bool(calls))
        time.sleep(0.3)
        assert len(calls) <= 2
    finally:
        ahead.stop()


def test_a_failed_rebuild_leaves_the_watcher_alive(tmp_path: Path) -> None:
    calls: list[int] = []

    def rebuild() -> None:
        calls.append(1)
        raise RuntimeError("a broken template")

    ahead = BuildAhead(rebuild)
    assert ahead.start(tmp_path)
    try:
        (tmp_path / "a.md").write_text("# A\n", "utf-8")
        assert _until(lambda: bool(calls))
        time.sleep(0.2)
        (tmp_path / "a.md").write_text("# A2\n", "utf-8")
        assert _until(lambda: len(calls) >= 2)  # the worker is still alive
    finally:
        ahead.stop()


def test_no_native_watcher_means_no_rebuild_ahead(tmp_path: Path) -> None:
    assert not BuildAhead(lambda: None).start(tmp_path / "missing")


def test_writes_to_the_cache_or_git_do_not_wake_it(tmp_path: Path) -> None:
    # With `source: .`, every build writes the cache inside the persona folder.
    cache, git = tmp_path / ".cache" / "persona-kb", tmp_path / ".git"
    cache.mkdir(parents=True)
    git.mkdir()
    calls: list[int] = []
    ahead = BuildAhead(lambda: calls.append(1))
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
