"""Real persona files: the vendored subset always, the shared corpus when present."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from ingest_helpers import SHARED_CORPUS, VENDORED_CORPUS
from persona_kb._internal.core.diagnostics import Severity
from persona_kb._internal.core.model import IngestResult, PersonaFormat
from persona_kb._internal.ingest import discover_persona_files, display_path, ingest

CORPORA = (
    "Sonbbal__superpowers",
    "wshobson__agents",
    "VoltAgent__awesome-claude-code-subagents",
    "PatrickJS__awesome-cursorrules",
    "danielmiessler__fabric",
    "obra__superpowers",
)


def assert_every_file_ingested_or_diagnosed(root: Path) -> IngestResult:
    files, _ = discover_persona_files([root])
    result = ingest([root])
    bundled = {b.path for p in result.personas for b in p.bundled}
    assert result.files >= len(files)
    ingested = {p.path for p in result.personas}
    errored = {d.span.path for d in result.diagnostics if d.severity is Severity.ERROR}
    assert ingested | errored == {display_path(f) for f in files}
    # Every Markdown file at all, not just the candidates: read, or skipped with a reason.
    markdown = {
        display_path(p)
        for p in root.rglob("*")
        if p.suffix in {".md", ".mdc"}
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }
    skipped = {d.span.path for d in result.diagnostics if d.code == "PKB110"}
    # A skill's bundled Markdown is read with it; a bundled file that fails has an error.
    assert markdown == ingested | errored | skipped | bundled
    assert not [d.format() for d in result.diagnostics if d.code == "PKB109"], "exceptions"
    assert all(d.span.line >= 1 for d in result.diagnostics)
    return result


def test_vendored_subset_has_at_least_50_files_from_all_six_corpora_with_licenses() -> None:
    files, _ = discover_persona_files([VENDORED_CORPUS])
    per_corpus = Counter(f.relative_to(VENDORED_CORPUS).parts[0] for f in files)
    assert sum(per_corpus.values()) >= 50
    assert set(per_corpus) == set(CORPORA)
    for corpus in CORPORA:
        assert (VENDORED_CORPUS / corpus / "LICENSE").is_file()


def test_vendored_subset_ingests_with_no_exception() -> None:
    result = assert_every_file_ingested_or_diagnosed(VENDORED_CORPUS)
    formats = Counter(p.format for p in result.personas)
    assert formats[PersonaFormat.SEED_002] >= 5
    assert formats[PersonaFormat.CLAUDE_SUBAGENT] >= 20
    assert formats[PersonaFormat.CURSOR_RULE] >= 12
    assert formats[PersonaFormat.FABRIC_PATTERN] >= 12
    codes = Counter(d.code for d in result.diagnostics)
    assert codes["PKB201"] >= 2  # unquoted globs and `description:` with ': '
    assert codes["PKB104"] >= 1  # the netlify rule's mojibake
    assert codes["PKB400"] >= 2  # wshobson's code-reviewer copies


def test_vendored_crlf_fabric_patterns_are_read_with_lf() -> None:
    result = ingest([VENDORED_CORPUS / "danielmiessler__fabric"])
    crlf = [p for p in result.personas if p.name == "analyze_malware"]
    assert crlf
    assert "\r" not in crlf[0].body


def test_whole_shared_corpus() -> None:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"shared corpus not present at {SHARED_CORPUS}")
    result = assert_every_file_ingested_or_diagnosed(SHARED_CORPUS)
    assert result.files >= 850
    assert len(result.personas) >= 850
