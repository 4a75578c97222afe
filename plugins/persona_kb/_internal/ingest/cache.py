"""Remember what was read, so ``mkdocs serve`` re-reads only the files that changed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from persona_kb._internal.core.model import PersonaFormat
from persona_kb._internal.ingest.reader import ReadOutcome

CacheKey = tuple[str, str, PersonaFormat | None]
"""(display path, SHA-256 of the file's bytes, format override)."""


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
        self.stats = CacheStats()

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

    def clear(self) -> None:
        """Forget everything."""
        self._entries.clear()
