"""Ingestion: persona files in, [`Persona`][persona_kb.Persona] values and diagnostics out.

``ingest(paths)`` is the entry point; ``read_persona(path)`` reads one file.
Neither raises for bad input: every problem is a
[`Diagnostic`][persona_kb.Diagnostic] at ``path:line:col``.
"""

from __future__ import annotations

from persona_kb._internal.core.paths import display_path
from persona_kb._internal.ingest.cache import PersonaCache
from persona_kb._internal.ingest.detect import detect_format
from persona_kb._internal.ingest.discover import discover_persona_files
from persona_kb._internal.ingest.pipeline import ingest
from persona_kb._internal.ingest.reader import read_persona
from persona_kb._internal.ingest.slug import slugify

__all__ = [
    "PersonaCache",
    "detect_format",
    "discover_persona_files",
    "display_path",
    "ingest",
    "read_persona",
    "slugify",
]
