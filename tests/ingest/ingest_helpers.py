"""Paths and small helpers shared by the ingestion tests."""

from __future__ import annotations

from pathlib import Path

from persona_kb._internal.core.diagnostics import Diagnostic
from persona_kb._internal.core.model import Persona
from persona_kb._internal.ingest import read_persona

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures"
PERSONAS = FIXTURES / "personas"
QUIRKS = PERSONAS / "quirks"
VENDORED_CORPUS = FIXTURES / "corpus"
GOLDEN = REPO_ROOT / "tests" / "golden" / "ingest"
# `../shared/corpus` beside the repository; a git worktree one level deeper also finds it.
SHARED_CORPUS = next(
    (
        base / "shared" / "corpus"
        for base in (REPO_ROOT.parent, REPO_ROOT.parent.parent)
        if (base / "shared" / "corpus").is_dir()
    ),
    REPO_ROOT.parent / "shared" / "corpus",
)


def read_fixture(relative: str) -> tuple[Persona | None, tuple[Diagnostic, ...]]:
    """Read ``tests/fixtures/personas/<relative>`` with a stable display path."""
    return read_persona(PERSONAS / relative, display_path=relative)


def read_ok(relative: str) -> Persona:
    """Read a fixture that must produce a persona."""
    persona, diagnostics = read_fixture(relative)
    assert persona is not None, [d.format() for d in diagnostics]
    return persona


def codes(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> list[str]:
    """The codes of ``diagnostics``, in order."""
    return [d.code for d in diagnostics]
