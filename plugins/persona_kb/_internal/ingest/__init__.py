"""Ingestion: persona files in, [`Persona`][persona_kb.Persona] values and diagnostics out.

``ingest(paths)`` is the entry point; ``read_persona(path)`` reads one file.
Neither raises for bad input: every problem is a
[`Diagnostic`][persona_kb.Diagnostic] at ``path:line:col``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from persona_kb._internal.core.lazy import lazy_exports
from persona_kb._internal.core.paths import display_path

if TYPE_CHECKING:
    from persona_kb._internal.ingest.cache import PersonaCache
    from persona_kb._internal.ingest.detect import detect_format
    from persona_kb._internal.ingest.discover import discover_persona_files
    from persona_kb._internal.ingest.pipeline import ingest
    from persona_kb._internal.ingest.reader import read_persona
    from persona_kb._internal.ingest.slug import slugify

# Loaded on first use (PEP 562): a light submodule such as ``ingest.directives`` (the
# inline code-policy comments the example checker reads) must not pull in the readers,
# ftfy and jsonschema through this package's import.
_LAZY = {
    "PersonaCache": "persona_kb._internal.ingest.cache",
    "detect_format": "persona_kb._internal.ingest.detect",
    "discover_persona_files": "persona_kb._internal.ingest.discover",
    "ingest": "persona_kb._internal.ingest.pipeline",
    "read_persona": "persona_kb._internal.ingest.reader",
    "slugify": "persona_kb._internal.ingest.slug",
}


__getattr__, __dir__ = lazy_exports(globals(), _LAZY)

__all__ = [
    "PersonaCache",
    "detect_format",
    "discover_persona_files",
    "display_path",
    "ingest",
    "read_persona",
    "slugify",
]
