"""Persona front-matter JSON Schemas: shipped, valid, and enforced by lint at path:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from persona_kb._internal.adapters.cli.main import main
from persona_kb._internal.core.schema_files import (
    SCHEMA_DIR,
    persona_schema,
    persona_schema_formats,
    published_files,
)
from persona_kb._internal.ingest import ingest, read_persona
from persona_kb._internal.ingest.frontmatter import split_front_matter
from persona_kb._internal.ingest.schema_check import _as_json
from persona_kb._internal.ingest.text import decode_persona_bytes

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
REQUIRED_FORMATS = {
    "claude-subagent",
    "copilot-agent",
    "copilot-instructions",
    "copilot-prompt",
    "cursor-rule",
    "agent-skill",
    "seed-000",
}


def test_one_schema_per_format_each_a_valid_2020_12_schema() -> None:
    assert set(persona_schema_formats()) >= REQUIRED_FORMATS
    for name in persona_schema_formats():
        schema = persona_schema(name)
        assert schema is not None
        Draft202012Validator.check_schema(schema)
        assert f":v1:persona:{name}" in str(schema["$id"])
    published = published_files()
    assert "schemas/v1/persona/claude-subagent.schema.json" in published
    assert "schemas/v1/index.schema.json" in published
    assert all(json.loads(text) for text in published.values())


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_lint_reports_a_wrong_type_at_the_key_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(
        tmp_path,
        "agents/reviewer.md",
        "---\nname: reviewer\ndescription: Reviews code\nmodel:\n  - sonnet\n  - opus\n"
        "permissionMode: sometimes\n---\n\n# Reviewer\n\nReview the code.\n",
    )
    assert main(["lint", str(tmp_path)]) == 0  # warnings do not fail lint
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if "[PKB240]" in line]
    assert any(
        line.startswith(f"{tmp_path.as_posix()}/agents/reviewer.md:4:")
        and "'model'" in line
        and "claude-subagent" in line
        for line in lines
    ), out
    assert any(":7:" in line and "permissionMode" in line for line in lines), out


def test_a_missing_required_key_is_reported_at_the_opening_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "skills/pdf-tools/SKILL.md",
        "---\nname: pdf-tools\n---\n\n# PDF tools\n\nRead PDFs.\n",
    )
    from persona_kb._internal.ingest.schema_check import check_front_matter

    split, _ = split_front_matter(path.read_text(encoding="utf-8"), "SKILL.md")
    assert split is not None
    found = check_front_matter(split.front_matter, "agent-skill", "SKILL.md")
    assert [(d.code, d.span.line) for d in found] == [("PKB240", 1)]
    assert "'description' is a required property" in found[0].message


def test_the_yaml_language_server_line_and_a_valid_persona_give_no_schema_warning(
    tmp_path: Path,
) -> None:
    path = _write(
        tmp_path,
        "agents/sql-pro.md",
        "---\n# yaml-language-server: $schema=../schemas/v1/persona/claude-subagent.schema.json\n"
        "name: sql-pro\ndescription: Writes SQL\ntools: Read, Grep\nmodel: sonnet\n---\n\n"
        "# SQL pro\n\nWrite SQL.\n",
    )
    persona, diagnostics = read_persona(path, display_path="agents/sql-pro.md")
    assert persona is not None
    assert str(persona.format) == "claude-subagent"
    assert [d.format() for d in diagnostics if d.code == "PKB240"] == []


def _front_matter_problems(path: Path, persona_format: str) -> list[str]:
    text, _ = decode_persona_bytes(path.read_bytes(), path.as_posix())
    assert text is not None
    split, _ = split_front_matter(text, path.as_posix())
    schema = persona_schema(persona_format)
    if split is None or schema is None:
        return []
    data = _as_json(dict(split.front_matter.data)) if split.front_matter else {}
    return [e.message for e in Draft202012Validator(schema).iter_errors(data)]


def _assert_valid_or_diagnosed(root: Path) -> int:
    result = ingest([root])
    schema_warnings: dict[str, list[int]] = {}
    for d in result.diagnostics:
        if d.code == "PKB240":
            schema_warnings.setdefault(d.span.path, []).append(d.span.line)
    checked = 0
    for persona in result.personas:
        if persona_schema(str(persona.format)) is None:
            continue
        checked += 1
        problems = _front_matter_problems(Path(persona.path), str(persona.format))
        lines = schema_warnings.get(persona.path, [])
        assert bool(problems) == bool(lines), (persona.path, problems, lines)
        assert len(lines) == len(problems)
        end = persona.body_line  # every reported line sits inside the front matter
        assert all(1 <= line < end for line in lines), (persona.path, lines)
    return checked


def test_vendored_corpus_every_persona_validates_or_is_diagnosed() -> None:
    assert _assert_valid_or_diagnosed(REPO_ROOT / "tests" / "fixtures" / "corpus") >= 30


@pytest.mark.skipif(not SHARED_CORPUS.is_dir(), reason="no shared corpus beside the repository")
def test_shared_corpus_every_persona_validates_or_is_diagnosed() -> None:
    assert _assert_valid_or_diagnosed(SHARED_CORPUS) >= 300


def test_schemas_are_package_data() -> None:
    assert SCHEMA_DIR.is_dir()
    assert (SCHEMA_DIR / "persona" / "cursor-rule.schema.json").is_file()
