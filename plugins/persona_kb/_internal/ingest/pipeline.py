"""Ingest a set of paths: discover, read (through the cache), attach what each Agent Skill
bundles, find duplicates, assign ids."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath

from persona_kb._internal.core.diagnostics import Diagnostic, sort_diagnostics
from persona_kb._internal.core.model import IngestResult, Persona, PersonaFormat
from persona_kb._internal.core.paths import display_path
from persona_kb._internal.ingest.agent_skill import check_references
from persona_kb._internal.ingest.cache import (
    CacheKey,
    FileSignature,
    PersonaCache,
    file_signature,
)
from persona_kb._internal.ingest.discover import SkillBundle, discover
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
    keep: Mapping[str, Persona] | None = None,
) -> IngestResult:
    """Read every persona file under ``paths`` (files or folders).

    Every candidate file is either in ``personas`` or named by an error
    diagnostic; duplicates are found across the whole set; ids are made
    unique (a clash gets the parent folder as a prefix). Never raises for
    bad input. With a ``cache``, files whose bytes did not change are not
    parsed again. ``keep`` (display path → persona, ``mkdocs serve``'s last build):
    a file that now has an error is still in ``personas`` as it was, beside its error,
    so that a save halfway through an edit does not take its pages away.
    """
    found = discover(paths)
    files, diagnostics = found.files, found.diagnostics
    live: list[CacheKey] = []

    def read_one(file: Path, fmt: PersonaFormat | None) -> ReadOutcome:
        shown = display_path(file)
        signature = _signature(file) if cache is not None else None
        if cache is not None and signature is not None:
            known = cache.known_digest(shown, signature)
            unread = cache.get((shown, known, fmt)) if known is not None else None
            if known is not None and unread is not None:
                live.append((shown, known, fmt))
                return unread
        data = read_file_bytes(file, shown)
        if not isinstance(data, bytes):
            return read_persona_bytes(data, shown)
        digest = sha256(data)
        if cache is not None and signature is not None:
            cache.note_digest(shown, signature, digest)
        key: CacheKey = (shown, digest, fmt)
        live.append(key)
        cached = cache.get(key) if cache is not None else None
        if cached is None:
            cached = read_persona_bytes(data, shown, persona_format=fmt, content_hash=digest)
            if cache is not None:
                cache.put(key, cached)
        return cached

    outcomes: list[ReadOutcome] = []
    kept: list[str] = []
    for file in files:
        outcome = read_one(file, persona_format)
        bundle = found.bundles.get(file)
        if bundle is not None and outcome.persona is not None:
            outcome = _with_bundle(outcome, file, bundle, read_one)
        previous = keep.get(display_path(file)) if keep and outcome.persona is None else None
        if previous is not None:
            outcome = ReadOutcome(previous, outcome.diagnostics, outcome.name_span)
            kept.append(previous.path)
        outcomes.append(outcome)
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
        files=len(files) + sum(len(b.markdown) for b in found.bundles.values()),
        kept=tuple(kept),
    )


def _signature(file: Path) -> FileSignature | None:
    # Taken before the file is read: a write during the read changes it for next time.
    try:
        return file_signature(file.stat())
    except OSError:
        return None


def _with_bundle(
    outcome: ReadOutcome,
    skill_file: Path,
    bundle: SkillBundle,
    read: Callable[[Path, PersonaFormat | None], ReadOutcome],
) -> ReadOutcome:
    """The skill's persona with its bundled Markdown (each read on its own) and resources."""
    skill = outcome.persona
    assert skill is not None
    diagnostics: list[Diagnostic] = list(outcome.diagnostics)
    bundled: list[Persona] = []
    for path in bundle.markdown:
        part = read(path, PersonaFormat.MARKDOWN)
        # A reference file needs no name of its own: "named after the file" is noise here.
        diagnostics.extend(d for d in part.diagnostics if d.code != "PKB301")
        if part.persona is not None:
            bundled.append(part.persona)
    resources = tuple(display_path(p) for p in bundle.resources)
    if skill.format is PersonaFormat.AGENT_SKILL:
        diagnostics.extend(check_references(skill, skill_file.parent))
    digest = hashlib.sha256(skill.content_hash.encode())
    for part_persona in bundled:
        digest.update(f"\0{part_persona.path}\0{part_persona.content_hash}".encode())
    for resource in resources:
        digest.update(f"\0{resource}".encode())
    persona = dataclasses.replace(
        skill,
        bundled=tuple(bundled),
        resources=resources,
        diagnostics=tuple(diagnostics),
        content_hash=digest.hexdigest(),
    )
    return ReadOutcome(persona, tuple(diagnostics), outcome.name_span)


def _qualifiers(path: str) -> list[str]:
    # Parent folders, nearest first, skipping generic ones such as `agents/` or `rules/`.
    generic = {"agents", "rules", "personas", "patterns", "data", "categories", "plugins"}
    parents = [p for p in reversed(PurePosixPath(path).parent.parts) if p not in ("/", ".", "..")]
    return [p for p in parents if p.lower() not in generic] + parents
