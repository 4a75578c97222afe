"""``mkdocs serve``: rebuild the knowledge base as soon as a persona file changes.

MkDocs' server polls its watched folders every 0.5 s, then waits 0.1 s for more
changes before it rebuilds: on average a third of a second after the file was saved.
The operating system tells a native watcher (inotify, FSEvents, ReadDirectoryChangesW,
through watchdog, which MkDocs already depends on) at once, so a background thread
rebuilds the knowledge base in that time. When the server's rebuild comes, it takes
that knowledge base only if it was built from exactly the files there are now;
otherwise it builds one itself, as without this.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from persona_kb._internal.kb.build import KnowledgeBase
from persona_kb._internal.kb.live_edit import FileStates

Prebuild = Callable[[], tuple[FileStates, KnowledgeBase] | None]
"""Build the knowledge base now, with the file states it was built from (``None``: not
worth it, or it failed)."""

_SETTLE_SECONDS = 0.02
"""Wait this long after a change for the rest of an editor's save (write, rename…)."""


class BuildAhead:
    """A native watcher on the persona folder and one worker thread that prebuilds."""

    def __init__(self, prebuild: Prebuild) -> None:
        self._prebuild = prebuild
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._slot_lock = threading.Lock()
        self._built: tuple[FileStates, KnowledgeBase] | None = None
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

    def take(self, now: FileStates) -> KnowledgeBase | None:
        """The knowledge base built ahead, if it was built from the files as they are
        ``now``; it is handed out once."""
        with self._slot_lock:
            built, self._built = self._built, None
        return built[1] if built is not None and built[0] == now else None

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
            try:
                built = self._prebuild()
            except Exception:  # the server's own rebuild will report it
                built = None
            with self._slot_lock:
                self._built = built
