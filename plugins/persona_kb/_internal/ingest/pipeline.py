"""Ingest a set of paths: discover, read (through the cache), find duplicates, assign ids."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from persona_kb._internal.core.diagnostics import sort_diagnostics
from persona_kb._internal.core.model import IngestResult, Persona, PersonaFormat
from persona_kb._internal.core.paths import display_path
from persona_kb._internal.ingest.cache import CacheKey, PersonaCache
from persona_kb._internal.ingest.discover import discover_persona_files
from persona_kb._internal.ingest.duplicates import find_duplicates
from persona_kb._internal.ingest.reader import (
    ReadOutcome,
    read_file_bytes,
    read_persona_bytes,
    sha256,
)
from persona_kb._internal.ingest.slug import unique_slugs


def ingest(
    paths: Sequence[Path],
    *,
    persona_format: PersonaFormat | None = None,
    cache: PersonaCache | None = None,
) -> IngestResult:
    """Read every persona file under ``paths`` (files or folders).

    Every candidate file is either in ``personas`` or named by an error
    diagnostic; duplicates are found across the whole set; ids are made
    unique (a clash gets the parent folder as a prefix). Never raises for
    bad input. With a ``cache``, files whose bytes did not change are not
    parsed again.
    """
    files, diagnostics = discover_persona_files(paths)
    outcomes: list[ReadOutcome] = []
    live: list[CacheKey] = []
    for file in files:
        shown = display_path(file)
        data = read_file_bytes(file, shown)
        if isinstance(data, bytes):
            digest = sha256(data)
            key: CacheKey = (shown, digest, persona_format)
            live.append(key)
            cached = cache.get(key) if cache is not None else None
            if cached is None:
                cached = read_persona_bytes(
                    data, shown, persona_format=persona_format, content_hash=digest
                )
                if cache is not None:
                    cache.put(key, cached)
            outcomes.append(cached)
        else:
            outcomes.append(read_persona_bytes(data, shown))
    if cache is not None:
        cache.retain(live)
    for outcome in outcomes:
        diagnostics.extend(outcome.diagnostics)
    read = [(o.persona, o.name_span) for o in outcomes if o.persona is not None]
    duplicates = find_duplicates(read)
    ids = unique_slugs((p.id, _qualifiers(p.path)) for p, _ in read)
    personas: list[Persona] = []
    for (persona, _), persona_id in zip(read, ids, strict=True):
        extra = duplicates.get(persona.path, [])
        diagnostics.extend(extra)
        if extra or persona_id != persona.id:
            persona = dataclasses.replace(
                persona, id=persona_id, diagnostics=persona.diagnostics + tuple(extra)
            )
        personas.append(persona)
    return IngestResult(
        personas=tuple(personas),
        diagnostics=tuple(sort_diagnostics(diagnostics)),
        files=len(files),
    )


def _qualifiers(path: str) -> list[str]:
    # Parent folders, nearest first, skipping generic ones such as `agents/` or `rules/`.
    generic = {"agents", "rules", "personas", "patterns", "data", "categories", "plugins"}
    parents = [p for p in reversed(PurePosixPath(path).parent.parts) if p not in ("/", ".", "..")]
    return [p for p in parents if p.lower() not in generic] + parents
