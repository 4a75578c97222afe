"""``persona-kb lint``: read personas and report every problem, as the site's policy says."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from persona_kb._internal.core.code_policy import CodePolicy
from persona_kb._internal.core.diagnostics import sort_diagnostics
from persona_kb._internal.core.model import IngestResult, PersonaFormat
from persona_kb._internal.ingest import ingest
from persona_kb._internal.ingest.directives import apply_code_policy


def lint_personas(
    paths: Sequence[Path],
    *,
    persona_format: PersonaFormat | None = None,
    codes: CodePolicy | None = None,
) -> IngestResult:
    """Read ``paths`` and return every diagnostic, ignored or re-levelled as ``codes`` and
    the personas' own ``<!-- persona-kb: ignore … -->`` comments say."""
    result = ingest(list(paths), persona_format=persona_format)
    # Every persona's comments are checked, not only those of files with a diagnostic.
    every = [p.path for p in result.personas]
    found = apply_code_policy(
        result.diagnostics, codes or CodePolicy(), roots=paths, validate=every
    )
    return replace(result, diagnostics=tuple(sort_diagnostics(found)))
