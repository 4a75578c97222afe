"""Read one persona file: bytes → text → front matter → body structure → format reader → Persona."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import ModuleType

import persona_kb._internal.ingest.agent_skill as agent_skill
import persona_kb._internal.ingest.claude_subagent as claude_subagent
import persona_kb._internal.ingest.copilot as copilot
import persona_kb._internal.ingest.cursor_rule as cursor_rule
import persona_kb._internal.ingest.fabric_pattern as fabric_pattern
import persona_kb._internal.ingest.instruction_file as instruction_file
import persona_kb._internal.ingest.markdown_fallback as markdown_fallback
import persona_kb._internal.ingest.seed000 as seed000
import persona_kb._internal.ingest.seed002 as seed002
from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan, has_errors
from persona_kb._internal.core.model import Persona, PersonaFormat
from persona_kb._internal.core.paths import display_path as _display_path
from persona_kb._internal.ingest.detect import detect_format
from persona_kb._internal.ingest.document import (
    HeadingClassifier,
    PersonaIdentity,
    SourceDocument,
    reclassify,
)
from persona_kb._internal.ingest.frontmatter import split_front_matter
from persona_kb._internal.ingest.metadata import normalise_metadata, scalar_text
from persona_kb._internal.ingest.schema_check import check_front_matter
from persona_kb._internal.ingest.slug import slugify
from persona_kb._internal.ingest.text import MAX_FILE_BYTES, decode_persona_bytes
from persona_kb._internal.markdown import parse_body
from persona_kb._internal.markdown.references import bound_reference_runs

_READERS: dict[PersonaFormat, ModuleType] = {
    PersonaFormat.SEED_000: seed000,
    PersonaFormat.SEED_002: seed002,
    PersonaFormat.CLAUDE_SUBAGENT: claude_subagent,
    PersonaFormat.COPILOT_AGENT: copilot,
    PersonaFormat.COPILOT_INSTRUCTIONS: copilot,
    PersonaFormat.CURSOR_RULE: cursor_rule,
    PersonaFormat.FABRIC_PATTERN: fabric_pattern,
    PersonaFormat.MARKDOWN: markdown_fallback,
    PersonaFormat.AGENT_SKILL: agent_skill,
    PersonaFormat.AGENTS_MD: instruction_file,
    PersonaFormat.CLAUDE_MD: instruction_file,
    PersonaFormat.GEMINI_MD: instruction_file,
    PersonaFormat.COPILOT_PROMPT: copilot,
    PersonaFormat.WINDSURF_RULE: instruction_file,
    PersonaFormat.CLINE_RULE: instruction_file,
}


@dataclass(frozen=True, slots=True)
class ReadOutcome:
    """A file's persona (``None`` when skipped), its diagnostics, and where its name is."""

    persona: Persona | None
    diagnostics: tuple[Diagnostic, ...]
    name_span: SourceSpan | None = None


def read_persona(
    path: Path,
    *,
    display_path: str | None = None,
    persona_format: PersonaFormat | None = None,
) -> tuple[Persona | None, tuple[Diagnostic, ...]]:
    """Read one persona file.

    Returns ``(persona, diagnostics)``; ``persona`` is ``None`` when the file
    has an error diagnostic (it is then skipped). Never raises for bad input.
    ``persona_format`` overrides format detection.
    """
    shown = display_path or _display_path(path)
    outcome = read_persona_bytes(read_file_bytes(path, shown), shown, persona_format=persona_format)
    return outcome.persona, outcome.diagnostics


def read_file_bytes(path: Path, shown: str) -> bytes | Diagnostic:
    """The bytes of ``path``, or the error that stops it being read (``PKB106``, ``PKB102``)."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            # Never open a FIFO or a device: it could block or stream forever.
            return Diagnostic(
                "PKB112",
                Severity.ERROR,
                "not a regular file (a FIFO, device or socket); refused without opening it",
                SourceSpan(shown, 1),
                hint="name a regular Markdown file",
            )
        size = info.st_size
        if size > MAX_FILE_BYTES:
            # Never read a huge file just to refuse it.
            return Diagnostic(
                "PKB102",
                Severity.ERROR,
                f"file is {size:,} bytes, over the {MAX_FILE_BYTES:,}-byte limit for a persona",
                SourceSpan(shown, 1),
                hint="split it into smaller personas, or move it out of the persona source folder",
            )
        return _read_regular(path)
    except OSError as exc:
        return Diagnostic(
            "PKB106",
            Severity.ERROR,
            f"file could not be read: {exc.strerror or exc}",
            SourceSpan(shown, 1),
            hint="check that the file exists and is readable",
        )


def _read_regular(path: Path) -> bytes:
    # O_NONBLOCK: if a FIFO replaced the file since the stat, opening it does not wait
    # for a writer; fstat then refuses it, and at most the size limit is ever read.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise OSError(0, "not a regular file")
        return handle.read(MAX_FILE_BYTES + 1)


def read_persona_bytes(
    data: bytes | Diagnostic,
    shown: str,
    *,
    persona_format: PersonaFormat | None = None,
    content_hash: str | None = None,
) -> ReadOutcome:
    """Read a persona from its raw bytes (or the read error); never raises."""
    if isinstance(data, Diagnostic):
        return ReadOutcome(None, (data,))
    if persona_format is not None and persona_format not in _READERS:
        known = ", ".join(f.value for f in PersonaFormat)
        return ReadOutcome(
            None,
            (
                Diagnostic(
                    "PKB402",
                    Severity.ERROR,
                    f"unknown persona format {persona_format!r}",
                    SourceSpan(shown, 1),
                    hint=f"use one of: {known}",
                ),
            ),
        )
    try:
        return _read(data, shown, persona_format, content_hash or sha256(data))
    except Exception as exc:  # one file must never stop the others
        return ReadOutcome(
            None,
            (
                Diagnostic(
                    "PKB109",
                    Severity.ERROR,
                    f"internal error while reading this file: {type(exc).__name__}: {exc}",
                    SourceSpan(shown, 1),
                    hint="this is a persona-kb bug; please report it with the file attached",
                ),
            ),
        )


def sha256(data: bytes) -> str:
    """The hex SHA-256 of ``data``: a persona's ``content_hash`` and cache key."""
    return hashlib.sha256(data).hexdigest()


def _read(
    data: bytes, shown: str, persona_format: PersonaFormat | None, content_hash: str
) -> ReadOutcome:
    text, text_diagnostics = decode_persona_bytes(data, shown)
    diagnostics = list(text_diagnostics)
    if text is None:
        return ReadOutcome(None, tuple(diagnostics))
    split, split_diagnostics = split_front_matter(text, shown)
    diagnostics.extend(split_diagnostics)
    if split is None:
        return ReadOutcome(None, tuple(diagnostics))
    bounded, reference_diagnostics = bound_reference_runs(split.body, shown, split.body_line)
    if reference_diagnostics:
        diagnostics.extend(reference_diagnostics)
        split = dataclasses.replace(split, body=bounded)
    structure = parse_body(split.body, path=shown, first_line=split.body_line)
    diagnostics.extend(structure.diagnostics)
    front = split.front_matter
    titles = [s.title for top in structure.sections for s in top.walk()]
    fmt = (
        PersonaFormat(persona_format)
        if persona_format
        else detect_format(PurePosixPath(shown), front.data if front is not None else None, titles)
    )
    reader = _READERS[fmt]
    classify: HeadingClassifier | None = getattr(reader, "classify", None)
    sections = reclassify(structure.sections, classify) if classify else structure.sections
    doc = SourceDocument(shown, front, split.body, split.body_line, structure)
    identify: Callable[[SourceDocument], PersonaIdentity] = reader.identify
    identity = identify(doc)
    diagnostics.extend(identity.diagnostics)
    diagnostics.extend(check_front_matter(front, str(fmt), shown))
    metadata, metadata_diagnostics = normalise_metadata(front, shown, identity=identity.identity)
    diagnostics.extend(metadata_diagnostics)
    scope = instruction_file.scope_of(shown, fmt)
    if scope is not None:
        metadata = dataclasses.replace(metadata, scope=scope)
    prompt_value = front.data.get("prompt") if front is not None else None
    prompt = scalar_text(prompt_value) if prompt_value is not None else None
    all_diagnostics = tuple(diagnostics)
    if has_errors(all_diagnostics):
        return ReadOutcome(None, all_diagnostics, identity.name_span)
    persona = Persona(
        id=slugify(identity.id_source or identity.name, fallback=doc.stem),
        name=identity.name,
        title=identity.title,
        description=identity.description,
        path=shown,
        format=fmt,
        metadata=metadata,
        prompt=prompt,
        prompt_span=_prompt_span(doc, text) if prompt is not None else None,
        body=split.body,
        body_line=split.body_line,
        sections=sections,
        preamble=structure.preamble,
        code_blocks=structure.code_blocks,
        patterns=structure.patterns,
        diagnostics=all_diagnostics,
        content_hash=content_hash,
    )
    return ReadOutcome(persona, all_diagnostics, identity.name_span)


def _prompt_span(doc: SourceDocument, text: str) -> SourceSpan:
    """Where the prompt's text starts: the line after ``prompt: |``, else the key's line.

    For a literal block scalar, prompt line *i* is then source line ``span.line + i``.
    """
    span = doc.key_span("prompt")
    lines = text.split("\n")
    key_line = lines[span.line - 1] if 0 < span.line <= len(lines) else ""
    value = key_line.partition(":")[2].strip()
    if value.startswith("|") and span.line < len(lines):
        return span.at_line(span.line + 1)
    return span
