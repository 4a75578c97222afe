"""``mkdocs serve``: rebuild what a persona edit changed as soon as the file is saved.

MkDocs' server polls its watched folders every 0.5 s, then waits 0.1 s for more
changes before it rebuilds: on average about 0.4 s after the file was saved, and its
HTTP server holds every request while that rebuild runs. The operating system tells a
native watcher (inotify, FSEvents, ReadDirectoryChangesW, through watchdog, which MkDocs
already depends on) at once, so a background thread does the partial rebuild in that
time. When the server's own rebuild comes, it finds nothing left to do and tells the
browsers to reload.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

Rebuild = Callable[[], None]
"""Rebuild what changed now (it must not raise: it reports its own failures)."""

_SETTLE_SECONDS = 0.02
"""Wait this long after a change for the rest of an editor's save (write, rename…)."""


class BuildAhead:
    """A native watcher on the persona folder and one worker thread that rebuilds."""

    def __init__(self, rebuild: Rebuild) -> None:
        self._rebuild = rebuild
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._observer: Any = None

    def start(self, folder: Path, ignore: Sequence[Path] = ()) -> bool:
        """Watch ``folder``, except what lies under ``ignore`` (the cache, which every
        build writes: it must not wake the next one); ``False`` (and nothing runs) when no
        native watcher can."""
        try:
            from watchdog.events import FileSystemEvent, FileSystemEventHandler
            from watchdog.observers import Observer
        except ImportError:
            return False
        wake = self._wake
        skipped = [p.absolute() for p in (*ignore, folder / ".git")]

        class _Changed(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                paths = [os.fsdecode(p) for p in (event.src_path, event.dest_path) if p]
                if not event.is_directory and any(
                    not any(Path(p).absolute().is_relative_to(s) for s in skipped) for p in paths
                ):
                    wake.set()

        observer = Observer()
        observer.daemon = True
        try:
            observer.schedule(_Changed(), str(folder), recursive=True)
            observer.start()
        except OSError:  # no inotify watches left, an unsupported filesystem…
            return False
        self._observer = observer
        threading.Thread(target=self._work, name="persona-kb-ahead", daemon=True).start()
        return True

    def stop(self) -> None:
        """Stop watching (the worker ends with it)."""
        self._stopped.set()
        self._wake.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer = None

    def _work(self) -> None:
        while not self._stopped.is_set():
            self._wake.wait()
            if self._stopped.is_set():
                return
            while self._wake.is_set():  # until the save is over
                self._wake.clear()
                self._stopped.wait(_SETTLE_SECONDS)
            if self._stopped.is_set():
                return
            try:
                self._rebuild()
            except Exception:  # noqa: S112 - it reports its own; the watcher stays alive
                continue
