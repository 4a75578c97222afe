"""Remember what was read, so ``mkdocs serve`` re-reads only the files that changed."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass

from persona_kb._internal.core.model import PersonaFormat
from persona_kb._internal.ingest.reader import ReadOutcome

CacheKey = tuple[str, str, PersonaFormat | None]
"""(display path, SHA-256 of the file's bytes, format override)."""

FileSignature = tuple[int, int, int, int]
"""What ``stat`` says of a file: modification and change times (ns), size, inode."""

_SETTLED_NS = 2_000_000_000
"""A file changed less than this long before it was read may change again within the
same timestamp tick: its signature is not trusted (git's "racily clean" rule)."""


def file_signature(info: os.stat_result) -> FileSignature:
    """The signature of a ``stat`` result: any write, replace or rename changes it."""
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)


@dataclass(slots=True)
class CacheStats:
    """How many look-ups the cache answered and how many files had to be read."""

    hits: int = 0
    misses: int = 0


class PersonaCache:
    """Read outcomes keyed by (display path, SHA-256 of the bytes, format override).

    A file whose bytes did not change is never decoded or parsed again. Pass
    the same cache to every [`ingest`][persona_kb._internal.ingest.ingest]
    call of a long-running process; each call drops the entries of files it
    no longer saw, so the cache holds one entry per live file.
    """

    def __init__(self) -> None:
        self._entries: dict[CacheKey, ReadOutcome] = {}
        self._digests: dict[str, tuple[FileSignature, str]] = {}
        self.stats = CacheStats()

    def known_digest(self, path: str, signature: FileSignature) -> str | None:
        """The SHA-256 read from ``path`` last time, if ``stat`` says it did not change
        since (so ``mkdocs serve`` need not read every unchanged file again)."""
        found = self._digests.get(path)
        return found[1] if found is not None and found[0] == signature else None

    def note_digest(self, path: str, signature: FileSignature, digest: str) -> None:
        """Remember what ``path`` held when ``stat`` (taken *before* reading) said
        ``signature``; a file written in the last moments is not remembered."""
        if time.time_ns() - max(signature[0], signature[1]) >= _SETTLED_NS:
            self._digests[path] = (signature, digest)
        else:
            self._digests.pop(path, None)

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: CacheKey) -> ReadOutcome | None:
        """The cached outcome for ``key``, counting a hit or a miss."""
        outcome = self._entries.get(key)
        if outcome is None:
            self.stats.misses += 1
        else:
            self.stats.hits += 1
        return outcome

    def put(self, key: CacheKey, outcome: ReadOutcome) -> None:
        """Remember ``outcome`` for ``key``."""
        self._entries[key] = outcome

    def retain(self, keys: Iterable[CacheKey]) -> None:
        """Forget every entry whose key is not in ``keys`` (deleted or changed files)."""
        live = set(keys)
        for key in [k for k in self._entries if k not in live]:
            del self._entries[key]
        paths = {path for path, _, _ in live}
        for path in [p for p in self._digests if p not in paths]:
            del self._digests[path]

    def clear(self) -> None:
        """Forget everything."""
        self._entries.clear()
        self._digests.clear()
