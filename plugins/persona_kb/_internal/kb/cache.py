"""On-disk caches for ``KBCache``: rendered topic pages and read personas.

Both live in one [`CacheStore`][persona_kb._internal.kb.cache_store.CacheStore] (a
SQLite file of JSON entries, each checked against its hash). An entry that does not
fit the model is a miss and is written again. Every key includes a fingerprint of
persona-kb's own code, so an upgrade (or a developer's edit) never serves stale
output.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.ingest import PersonaCache
from persona_kb._internal.ingest.cache import CacheKey
from persona_kb._internal.ingest.reader import ReadOutcome
from persona_kb._internal.core.model import KBPage, PageKind, SourceMap
from persona_kb._internal.kb.cache_store import CacheStore
from persona_kb._internal.kb.codec import decode_as, encode

_PACKAGE = Path(__file__).resolve().parent.parent  # all of persona_kb._internal


@cache
def code_fingerprint() -> str:
    """A hash of the contents of persona-kb's own source files and templates.

    Contents, not modification times: a fresh checkout, a CI cache restore or a
    ``touch`` keeps the cache valid, and any real change to the code invalidates it.
    """
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".j2") and path.is_file():
            digest.update(str(path.relative_to(_PACKAGE)).encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


class DiskPersonaCache(PersonaCache):
    """A [`PersonaCache`][persona_kb._internal.ingest.PersonaCache] that also keeps every
    read persona in a [`CacheStore`][persona_kb._internal.kb.cache_store.CacheStore], so a
    new process (a fresh ``mkdocs build``) skips parsing."""

    def __init__(self, store: CacheStore) -> None:
        super().__init__()
        self.store = store
        self.live: list[CacheKey] = []
        """The keys of the files the last ``ingest`` read (display path, SHA-256, format)."""

    @staticmethod
    def _key(key: CacheKey) -> str:
        return json.dumps([*map(str, key), code_fingerprint()])

    def get(self, key: CacheKey) -> ReadOutcome | None:
        """The outcome from memory, else from disk (counted as a hit), else ``None``."""
        outcome = super().get(key)
        if outcome is not None:
            return outcome
        data = self.store.get("persona", self._key(key))
        if data is None:
            return None
        try:
            outcome = decode_as(ReadOutcome, data)
        except (ValueError, KeyError, TypeError, RecursionError):
            return None
        self.stats.misses -= 1
        self.stats.hits += 1
        super().put(key, outcome)
        return outcome

    def put(self, key: CacheKey, outcome: ReadOutcome) -> None:
        """Remember ``outcome`` in memory and on disk."""
        super().put(key, outcome)
        self.store.put("persona", self._key(key), encode(outcome))

    def retain(self, keys: Iterable[CacheKey]) -> None:
        """Forget entries (in memory and on disk) of files no longer read."""
        live = list(keys)
        self.live = live
        super().retain(live)
        self.store.retain("persona", map(self._key, live))


Entry = tuple[tuple[KBPage, ...], tuple[Diagnostic, ...]]


def _span_to_json(span: SourceSpan | None) -> list[object] | None:
    return None if span is None else [span.path, span.line, span.column]


def _span_from_json(value: object) -> SourceSpan | None:
    if not isinstance(value, list):
        return None
    path, line, column = value
    return SourceSpan(str(path), int(line), int(column))


def lines_to_runs(lines: Sequence[SourceSpan | None]) -> list[list[object]]:
    """A source map in JSON-ready runs: a page's lines mostly come from consecutive lines
    of one file, so each run is ``[path, first line, column, count]`` (``[None, 0, 0,
    count]`` for added lines)."""
    runs: list[list[object]] = []
    for span in lines:
        if runs:
            last = runs[-1]
            count = last[3]
            assert isinstance(count, int)
            if span is None and last[0] is None:
                last[3] = count + 1
                continue
            line = last[1]
            assert isinstance(line, int)
            if (
                span is not None
                and last[0] == span.path
                and last[2] == span.column
                and line + count == span.line
            ):
                last[3] = count + 1
                continue
        runs.append([None, 0, 0, 1] if span is None else [span.path, span.line, span.column, 1])
    return runs


def runs_to_lines(runs: object) -> tuple[SourceSpan | None, ...]:
    """The inverse of [`lines_to_runs`][persona_kb._internal.kb.cache.lines_to_runs];
    ``ValueError`` (or ``TypeError``) when ``runs`` is not what it made."""
    if not isinstance(runs, list):
        raise ValueError("source map: expected a list of runs")
    lines: list[SourceSpan | None] = []
    for path, line, column, count in runs:
        if path is None:
            lines.extend([None] * int(count))
        else:
            lines.extend(SourceSpan(str(path), int(line) + i, int(column)) for i in range(count))
    return tuple(lines)


def entry_to_json(entry: Entry) -> dict[str, object]:
    """A JSON-ready form of one cached topic."""
    pages, diagnostics = entry
    return {
        "pages": [
            {
                "path": p.path,
                "title": p.title,
                "markdown": p.markdown,
                "lines": lines_to_runs(p.source_map.lines),
                "kind": str(p.kind),
                "topic": p.topic,
                "sources": list(p.sources),
            }
            for p in pages
        ],
        "diagnostics": [
            {
                "code": d.code,
                "severity": str(d.severity),
                "message": d.message,
                "span": _span_to_json(d.span),
                "hint": d.hint,
                "related": [_span_to_json(r) for r in d.related],
            }
            for d in diagnostics
        ],
    }


def entry_from_json(data: dict[str, object]) -> Entry:
    """The inverse of [`entry_to_json`][persona_kb._internal.kb.cache.entry_to_json]."""
    pages_data = data["pages"]
    diagnostics_data = data["diagnostics"]
    assert isinstance(pages_data, list)
    assert isinstance(diagnostics_data, list)
    pages = tuple(
        KBPage(
            path=str(p["path"]),
            title=str(p["title"]),
            markdown=str(p["markdown"]),
            source_map=SourceMap(runs_to_lines(p["lines"])),
            kind=PageKind(p["kind"]),
            topic=None if p["topic"] is None else str(p["topic"]),
            sources=tuple(str(s) for s in p["sources"]),
        )
        for p in pages_data
    )
    diagnostics = []
    for d in diagnostics_data:
        span = _span_from_json(d["span"])
        assert span is not None
        diagnostics.append(
            Diagnostic(
                code=str(d["code"]),
                severity=Severity(d["severity"]),
                message=str(d["message"]),
                span=span,
                hint=str(d["hint"]),
                related=tuple(s for s in map(_span_from_json, d["related"]) if s is not None),
            )
        )
    return pages, tuple(diagnostics)


class RenderCache:
    """Topic key → rendered pages and their diagnostics (memory, and the store if any)."""

    def __init__(self, store: CacheStore | None = None) -> None:
        self.store = store
        self._memory: dict[str, Entry] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> Entry | None:
        """The cached entry for ``key`` (memory first, then disk), counting hits and misses."""
        entry = self._memory.get(key)
        if entry is None and self.store is not None:
            data = self.store.get("topic", key)
            if isinstance(data, dict):
                try:
                    entry = entry_from_json(data)
                except (ValueError, KeyError, TypeError, AssertionError, RecursionError):
                    entry = None
            if entry is not None:
                self._memory[key] = entry
        if entry is None:
            self.misses += 1
        else:
            self.hits += 1
        return entry

    def put(self, key: str, pages: tuple[KBPage, ...], diagnostics: tuple[Diagnostic, ...]) -> None:
        """Remember an entry, in memory and in the store."""
        self._memory[key] = (pages, diagnostics)
        if self.store is not None:
            self.store.put("topic", key, entry_to_json((pages, diagnostics)))

    def retain(self, keys: Iterable[str]) -> None:
        """Forget (in memory and in the store) every entry not in ``keys``."""
        live = set(keys)
        for key in [k for k in self._memory if k not in live]:
            del self._memory[key]
        if self.store is not None:
            self.store.retain("topic", live)
