"""The on-disk cache: one SQLite file, every entry checked against its content hash.

One file rather than a JSON file per persona: a cold build writes ~1,000 entries in
one transaction, and a warm build reads them without opening ~1,000 files. Entries
are JSON (never pickle, so reading the cache can never run code), compressed, and
stored with the SHA-256 of their bytes; an entry whose bytes no longer match (a
damaged or hand-edited file) is dropped and rebuilt. A cache that cannot be used at
all (its folder is a file, the file is not a database) never stops a build: the
build runs without it and says why, once.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import weakref
import zlib
from collections.abc import Iterable
from pathlib import Path

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.paths import display_path

CACHE_FILE = "cache.sqlite"
"""The file name of the cache inside its folder."""

_SCHEMA = 1
# Bounds on what one entry may expand to: a cache file is input like any other.
_MAX_ENTRY_BYTES = 256 * 1024 * 1024


class CacheStore:
    """Key → JSON value, grouped by kind (``persona``, ``topic``), in ``directory``.

    Writes are collected in one transaction and committed by
    [`flush`][persona_kb._internal.kb.cache_store.CacheStore.flush]. Every failure to
    read or write costs speed only; problems worth telling the user about are kept in
    ``diagnostics``.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / CACHE_FILE
        self.diagnostics: list[Diagnostic] = []
        self._db: sqlite3.Connection | None = None
        self._opened = False
        self._dirty = False

    def _tell(self, severity: Severity, message: str, hint: str) -> None:
        span = SourceSpan(display_path(self.path), 1)
        self.diagnostics.append(Diagnostic("PKB590", severity, message, span, hint))

    def _connect(self) -> sqlite3.Connection | None:
        if self._opened:
            return self._db
        self._opened = True
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._tell(
                Severity.WARNING,
                f"the cache folder cannot be created ({exc.strerror or exc}), so this build "
                "reads and renders every persona",
                "remove or rename the file in the way, or point the plugin's `cache_dir` "
                "option at another folder (or set `cache: false`)",
            )
            return None
        _remove_legacy_files(self.directory)
        try:
            self._db = _open(self.path, self)
        except sqlite3.DatabaseError as exc:
            # Not a database, or a damaged one: start again from an empty file.
            try:
                self.path.unlink(missing_ok=True)
                self._db = _open(self.path, self)
            except (OSError, sqlite3.Error):
                self._db = None
            damaged = f"the cache file was damaged ({exc})"
            if self._db is None:
                self._tell(
                    Severity.WARNING,
                    f"{damaged} and cannot be replaced, so this build reads every persona",
                    f"delete {display_path(self.path)}",
                )
            else:
                self._tell(
                    Severity.INFO,
                    f"{damaged}; it was replaced by a new one",
                    "nothing to do",
                )
        except OSError as exc:
            self._tell(
                Severity.WARNING,
                f"the cache file cannot be opened ({exc}), so this build reads every persona",
                "check the permissions of the cache folder, or set `cache: false`",
            )
        return self._db

    def get(self, kind: str, key: str) -> object | None:
        """The value stored under ``(kind, key)``, or ``None`` (absent, damaged, unusable)."""
        db = self._connect()
        if db is None:
            return None
        try:
            row = db.execute(
                "SELECT digest, data FROM entries WHERE kind = ? AND key = ?", (kind, key)
            ).fetchone()
        except sqlite3.Error as exc:
            self._failed(exc)
            return None
        if row is None:
            return None
        digest, data = row
        if not isinstance(data, bytes) or hashlib.sha256(data).hexdigest() != digest:
            self._forget(db, kind, key)
            return None
        try:
            inflate = zlib.decompressobj()
            raw = inflate.decompress(data, _MAX_ENTRY_BYTES)
            if inflate.unconsumed_tail:
                raise ValueError("entry too large")
            value: object = json.loads(raw)
            return value
        except (zlib.error, ValueError, RecursionError):
            self._forget(db, kind, key)
            return None

    def put(self, kind: str, key: str, value: object) -> None:
        """Store ``value`` (JSON data) under ``(kind, key)``, committed at ``flush``."""
        db = self._connect()
        if db is None:
            return
        data = zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), 1)
        try:
            db.execute(
                "INSERT OR REPLACE INTO entries (kind, key, digest, data) VALUES (?, ?, ?, ?)",
                (kind, key, hashlib.sha256(data).hexdigest(), data),
            )
            self._dirty = True
        except sqlite3.Error as exc:
            self._failed(exc)

    def retain(self, kind: str, keys: Iterable[str]) -> None:
        """Delete every entry of ``kind`` whose key is not in ``keys``."""
        db = self._connect()
        if db is None:
            return
        live = set(keys)
        try:
            stored = [k for (k,) in db.execute("SELECT key FROM entries WHERE kind = ?", (kind,))]
            stale = [(kind, k) for k in stored if k not in live]
            if stale:
                db.executemany("DELETE FROM entries WHERE kind = ? AND key = ?", stale)
                self._dirty = True
        except sqlite3.Error:
            pass

    def flush(self) -> None:
        """Commit the writes since the last flush."""
        if self._db is None or not self._dirty:
            return
        try:
            self._db.commit()
        except sqlite3.Error:
            self._db.rollback()
        self._dirty = False

    def _failed(self, exc: sqlite3.Error) -> None:
        # A lock held by another process (OperationalError) costs this build its
        # entries; any other database error means a damaged file: start a new one.
        if isinstance(exc, sqlite3.OperationalError) or self._db is None:
            return
        self._db.close()
        self._db = None
        self._opened = False
        self._dirty = False
        try:
            self.path.unlink(missing_ok=True)
        except OSError:
            return
        self._connect()
        self._tell(Severity.INFO, f"the cache file was damaged ({exc}); it was replaced", "nothing to do")

    def _forget(self, db: sqlite3.Connection, kind: str, key: str) -> None:
        try:
            db.execute("DELETE FROM entries WHERE kind = ? AND key = ?", (kind, key))
            self._dirty = True
        except sqlite3.Error:
            pass


def _open(path: Path, owner: object | None = None) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=10, check_same_thread=False)
    if owner is not None:
        # Closed when its store goes away (Python 3.13 warns about a connection that is
        # garbage-collected open, and the suite turns warnings into errors).
        weakref.finalize(owner, db.close)
    try:
        # A cache: losing the last writes on a power cut costs a rebuild, nothing more.
        db.execute("PRAGMA synchronous = OFF")
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version != _SCHEMA:
            db.execute("DROP TABLE IF EXISTS entries")
        db.execute(
            "CREATE TABLE IF NOT EXISTS entries ("
            "kind TEXT NOT NULL, key TEXT NOT NULL, digest TEXT NOT NULL, data BLOB NOT NULL, "
            "PRIMARY KEY (kind, key)) WITHOUT ROWID"
        )
        db.execute(f"PRAGMA user_version = {_SCHEMA}")
        db.commit()
    except BaseException:
        db.close()
        raise
    return db


def _remove_legacy_files(directory: Path) -> None:
    # Earlier versions kept one JSON file per persona and per topic.
    try:
        for pattern in ("topic-*.json", "personas/persona-*.json"):
            for path in directory.glob(pattern):
                path.unlink(missing_ok=True)
    except OSError:
        pass
