"""On-disk caches for ``KBCache``: rendered topic pages and read personas, as JSON.

JSON (not pickle) so that a cache folder can never execute anything when read back.
A corrupt or foreign cache file is ignored and overwritten. Every key includes a
fingerprint of persona-kb's own code, so an upgrade (or a developer's edit) never
serves stale output.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.ingest import PersonaCache
from persona_kb._internal.ingest.cache import CacheKey
from persona_kb._internal.ingest.reader import ReadOutcome
from persona_kb._internal.core.model import KBPage, PageKind, SourceMap
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


def write_json(path: Path, data: object) -> None:
    """Write ``data`` as JSON atomically; a failure only costs the cache its entry."""
    # Written under a per-process temporary name, then renamed: readers never see a
    # half-written file, and two processes sharing the folder never collide.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # dumps + one write: json.dump streams small chunks and is several times slower.
        tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)  # the cache is an optimisation: a failure costs speed only


class DiskPersonaCache(PersonaCache):
    """A [`PersonaCache`][persona_kb._internal.ingest.PersonaCache] that also keeps every
    read persona on disk, so a new process (a fresh ``mkdocs build``) skips parsing."""

    def __init__(self, directory: Path) -> None:
        super().__init__()
        self.directory = directory

    def _file(self, key: CacheKey) -> Path:
        name = hashlib.sha256(json.dumps([*map(str, key), code_fingerprint()]).encode())
        return self.directory / f"persona-{name.hexdigest()[:32]}.json"

    def get(self, key: CacheKey) -> ReadOutcome | None:
        """The outcome from memory, else from disk (counted as a hit), else ``None``."""
        outcome = super().get(key)
        if outcome is not None:
            return outcome
        path = self._file(key)
        if not path.is_file():
            return None
        try:
            outcome = decode_as(ReadOutcome, json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self.stats.misses -= 1
        self.stats.hits += 1
        super().put(key, outcome)
        return outcome

    def put(self, key: CacheKey, outcome: ReadOutcome) -> None:
        """Remember ``outcome`` in memory and on disk."""
        super().put(key, outcome)
        write_json(self._file(key), encode(outcome))

    def retain(self, keys: Iterable[CacheKey]) -> None:
        """Forget entries (in memory and on disk) of files no longer read."""
        live = list(keys)
        super().retain(live)
        if self.directory.is_dir():
            keep = {self._file(k).name for k in live}
            for path in self.directory.glob("persona-*.json"):
                if path.name not in keep:
                    path.unlink(missing_ok=True)


Entry = tuple[tuple[KBPage, ...], tuple[Diagnostic, ...]]


def _span_to_json(span: SourceSpan | None) -> list[object] | None:
    return None if span is None else [span.path, span.line, span.column]


def _span_from_json(value: object) -> SourceSpan | None:
    if not isinstance(value, list):
        return None
    path, line, column = value
    return SourceSpan(str(path), int(line), int(column))


def entry_to_json(entry: Entry) -> dict[str, object]:
    """A JSON-ready form of one cached topic."""
    pages, diagnostics = entry
    return {
        "pages": [
            {
                "path": p.path,
                "title": p.title,
                "markdown": p.markdown,
                "lines": [_span_to_json(s) for s in p.source_map.lines],
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
            source_map=SourceMap(tuple(_span_from_json(s) for s in p["lines"])),
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
    """Topic key → rendered pages and their diagnostics."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self._memory: dict[str, Entry] = {}
        self.hits = 0
        self.misses = 0

    def _file(self, key: str) -> Path | None:
        return None if self.directory is None else self.directory / f"topic-{key}.json"

    def get(self, key: str) -> Entry | None:
        """The cached entry for ``key`` (memory first, then disk), counting hits and misses."""
        entry = self._memory.get(key)
        path = self._file(key)
        if entry is None and path is not None and path.is_file():
            try:
                entry = entry_from_json(json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError, AssertionError):
                entry = None
            if entry is not None:
                self._memory[key] = entry
        if entry is None:
            self.misses += 1
        else:
            self.hits += 1
        return entry

    def put(self, key: str, pages: tuple[KBPage, ...], diagnostics: tuple[Diagnostic, ...]) -> None:
        """Remember an entry; with a directory, also write it atomically to disk."""
        self._memory[key] = (pages, diagnostics)
        path = self._file(key)
        if path is not None:
            write_json(path, entry_to_json((pages, diagnostics)))

    def retain(self, keys: Iterable[str]) -> None:
        """Forget (and delete from disk) every entry not in ``keys``."""
        live = set(keys)
        for key in [k for k in self._memory if k not in live]:
            del self._memory[key]
        if self.directory is not None and self.directory.is_dir():
            for path in self.directory.glob("topic-*.json"):
                if path.stem.removeprefix("topic-") not in live:
                    path.unlink(missing_ok=True)
