"""One fixture per format reader: detection, name, title, description and metadata."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from ingest_helpers import PERSONAS, codes, read_fixture, read_ok
from persona_kb._internal.core.model import PersonaFormat, SectionRole
from persona_kb._internal.ingest import detect_format, read_persona


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("seed-000/python-backend-engineer.md", PersonaFormat.SEED_000),
        ("seed-002/backend-python-engineer.md", PersonaFormat.SEED_002),
        ("claude-subagent/agents/code-reviewer.md", PersonaFormat.CLAUDE_SUBAGENT),
        ("copilot/reviewer.agent.md", PersonaFormat.COPILOT_AGENT),
        ("copilot/python.instructions.md", PersonaFormat.COPILOT_INSTRUCTIONS),
        ("cursor/python-fastapi.mdc", PersonaFormat.CURSOR_RULE),
        ("fabric/patterns/summarize_code/system.md", PersonaFormat.FABRIC_PATTERN),
        ("markdown/release-notes-writer.md", PersonaFormat.MARKDOWN),
    ],
)
def test_format_is_detected(relative: str, expected: PersonaFormat) -> None:
    assert read_ok(relative).format is expected


@pytest.mark.parametrize(
    ("name", "front_matter", "headings", "expected"),
    [
        ("x.md", {"globs": "**"}, [], PersonaFormat.CURSOR_RULE),
        ("x.md", {"applyTo": "**"}, [], PersonaFormat.COPILOT_INSTRUCTIONS),
        ("x.chatmode.md", {"description": "d"}, [], PersonaFormat.COPILOT_AGENT),
        ("x.md", None, ["IDENTITY and PURPOSE", "STEPS"], PersonaFormat.FABRIC_PATTERN),
        ("x.md", None, ["T", "Identity", "Goal Template", "Anti-Drift"], PersonaFormat.SEED_002),
        ("x.md", None, ["T", "Identity", "Goal Template"], PersonaFormat.MARKDOWN),
        ("x.md", {"title": "t"}, [], PersonaFormat.MARKDOWN),
    ],
)
def test_detection_rules(
    name: str,
    front_matter: dict[str, object] | None,
    headings: list[str],
    expected: PersonaFormat,
) -> None:
    assert detect_format(PurePosixPath("a") / name, front_matter, headings) is expected


def test_the_user_can_override_the_format() -> None:
    persona, _ = read_persona(
        PERSONAS / "markdown" / "release-notes-writer.md",
        persona_format=PersonaFormat.CURSOR_RULE,
    )
    assert persona is not None
    assert persona.format is PersonaFormat.CURSOR_RULE


def test_seed_000_reader() -> None:
    persona = read_ok("seed-000/python-backend-engineer.md")
    assert (persona.id, persona.name, persona.title) == (
        "python-backend-engineer",
        "python-backend-engineer",
        "Python Backend Engineer",
    )
    assert persona.description.startswith("Senior Python Backend Engineer with deep expertise")
    assert persona.metadata.version == "2025-11-09"
    assert persona.metadata.tools[:2] == ("Read", "Write")
    assert len(persona.metadata.capabilities) == 11
    assert persona.metadata.do_not[0] == "push to main"
    assert persona.metadata.extra["run_defaults"] == {"dry_run": True, "timeout_seconds": 300}
    assert persona.prompt is not None
    assert persona.prompt.startswith("You are a Senior Python")
    assert persona.prompt_span is not None
    assert persona.prompt_span.line == 11
    assert persona.body_line == 66


def test_seed_002_reader_reads_identity_bullets() -> None:
    persona = read_ok("seed-002/backend-python-engineer.md")
    assert (persona.id, persona.name, persona.title) == (
        "backend-python-engineer",
        "Backend Python Engineer",
        "Backend Python Engineer",
    )
    assert persona.description.startswith("Build well-structured, type-safe Python APIs")
    metadata = persona.metadata
    assert metadata.role == "Backend Python Engineer"
    assert metadata.seniority == "Senior-level specialist"
    assert metadata.stack == ("Python 3.14.3", "Django 6.0.2", "FastAPI 0.129.0")
    assert metadata.versions == {"python": "3.14.3", "django": "6.0.2", "fastapi": "0.129.0"}
    assert persona.prompt is None
    roles = {s.title: s.role for s in persona.all_sections()}
    assert roles["Identity"] is SectionRole.IDENTITY
    assert roles["Anti-Drift"] is SectionRole.ANTI_DRIFT


def test_claude_subagent_reader() -> None:
    persona = read_ok("claude-subagent/agents/code-reviewer.md")
    assert (persona.name, persona.title) == ("code-reviewer", "Code Reviewer")
    assert persona.metadata.tools == ("Read", "Grep", "Glob", "Bash")
    assert persona.metadata.model == "sonnet"
    assert persona.metadata.extra == {"color": "blue"}
    assert [b.code_line for b in persona.code_blocks] == [19]


def test_copilot_agent_is_named_after_the_file_not_its_heading() -> None:
    persona = read_ok("copilot/reviewer.agent.md")
    assert (persona.name, persona.title) == ("reviewer", "Security reviewer")
    assert persona.metadata.tools == ("search", "fetch")
    assert persona.metadata.model == "GPT-4.1"


def test_copilot_instructions_apply_to_becomes_globs() -> None:
    persona = read_ok("copilot/python.instructions.md")
    assert persona.name == "python"
    assert persona.metadata.globs == ("**/*.py", "tests/**/*.py")
    assert persona.description == "Follow PEP 8 and type every public function."


def test_cursor_rule_reader() -> None:
    persona = read_ok("cursor/python-fastapi.mdc")
    # The id follows the file, not the (often generic, often edited) heading.
    assert persona.id == "python-fastapi"
    assert (persona.name, persona.description) == (
        "FastAPI rules",
        "FastAPI conventions for this repository",
    )
    assert persona.metadata.globs == ("app/**/*.py", "tests/**/*.py")
    assert persona.metadata.always_apply is False


def test_fabric_pattern_is_named_after_its_folder() -> None:
    persona = read_ok("fabric/patterns/summarize_code/system.md")
    assert (persona.id, persona.name, persona.title) == (
        "summarize-code",
        "summarize_code",
        "Summarize Code",
    )
    assert persona.description.startswith("You are an expert code summarizer.")
    assert [s.role for s in persona.sections] == [
        SectionRole.IDENTITY,
        SectionRole.STEPS,
        SectionRole.OUTPUT,
        SectionRole.INPUT,
    ]


def test_markdown_fallback_is_named_after_the_file_with_an_info() -> None:
    persona, diagnostics = read_fixture("markdown/release-notes-writer.md")
    assert persona is not None
    assert (persona.name, persona.title) == ("release-notes-writer", "Release Notes Writer")
    assert persona.description == "Writes release notes from a list of merged pull requests."
    assert codes(diagnostics) == ["PKB301"]
    assert diagnostics[0].span.line == 1


def test_a_hostile_name_still_gives_a_safe_id(tmp_path: Path) -> None:
    path = tmp_path / "evil.md"
    path.write_text("---\nname: ../../etc/passwd\n---\nBody.\n", encoding="utf-8")
    persona, _ = read_persona(path)
    assert persona is not None
    assert persona.id == "etc-passwd"


def test_an_h1_after_the_opening_prose_is_not_the_title(tmp_path: Path) -> None:
    # Real subagents print report templates whose `# Research: [topic]` is not their title.
    path = tmp_path / "researcher.md"
    path.write_text(
        "---\nname: researcher\ndescription: d\n---\n\nYou research.\n\n"
        "Search first.\n\nThen read.\n\nReport in this form:\n\n"
        "# Research: [topic]\n\n## Summary\n",
        encoding="utf-8",
    )
    persona, _ = read_persona(path)
    assert persona is not None
    assert (persona.name, persona.title) == ("researcher", "Researcher")


def test_an_h1_after_a_one_line_intro_is_the_title(tmp_path: Path) -> None:
    path = tmp_path / "zustand.mdc"
    path.write_text(
        "---\nglobs: src/**\n---\nYou are an expert in React.\n\n# React + Zustand\n",
        encoding="utf-8",
    )
    persona, _ = read_persona(path)
    assert persona is not None
    assert (persona.id, persona.name, persona.title) == (
        "zustand",
        "React + Zustand",
        "React + Zustand",
    )


def test_an_unknown_format_override_is_an_error_not_an_exception() -> None:
    persona, diagnostics = read_persona(
        PERSONAS / "markdown" / "release-notes-writer.md",
        persona_format="cursor",  # type: ignore[arg-type]
    )
    assert persona is None
    assert [(d.code, d.span.line) for d in diagnostics] == [("PKB402", 1)]
    assert "cursor-rule" in diagnostics[0].hint


def test_a_format_given_as_its_string_value_is_accepted() -> None:
    persona, _ = read_persona(
        PERSONAS / "markdown" / "release-notes-writer.md",
        persona_format="cursor-rule",  # type: ignore[arg-type]
    )
    assert persona is not None
    assert persona.format is PersonaFormat.CURSOR_RULE
