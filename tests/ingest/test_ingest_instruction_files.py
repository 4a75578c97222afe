"""Instruction files as formats of their own, with what each applies to; Claude Code's
multi-line descriptions recovered as Claude Code reads them."""

from __future__ import annotations

from pathlib import Path

from persona_kb._internal.core.model import PersonaFormat
from persona_kb._internal.ingest import ingest, read_persona


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def test_each_instruction_file_is_its_own_format_with_what_it_applies_to(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "AGENTS.md": "# Project rules\n\nUse uv.\n",
            "services/api/AGENTS.md": "# API rules\n\nValidate input.\n",
            "web/CLAUDE.md": "Use pnpm.\n",
            "GEMINI.md": "# Gemini\n\nBe brief.\n",
            ".github/copilot-instructions.md": "# Repo\n\nPrefer small PRs.\n",
            ".github/instructions/py.instructions.md": "---\napplyTo: '**/*.py'\n---\n# Py\n",
            ".github/prompts/review.prompt.md": "---\ndescription: Review code\n---\nReview.\n",
            ".github/ISSUE_TEMPLATE/bug.md": "# Bug\n",
            ".cursor/rules/style.mdc": "---\nglobs: '*.ts'\nalwaysApply: false\n---\n# Style\n",
            ".windsurf/rules/tests.md": "---\ntrigger: always_on\n---\n# Tests\n",
            ".clinerules/docs.md": "---\npaths:\n  - 'docs/**'\n---\n# Docs\n",
            ".git/info.md": "# not read\n",
        },
    )
    result = ingest([tmp_path])
    found = {
        Path(p.path).relative_to(tmp_path).as_posix(): (
            p.format,
            p.metadata.scope,
            p.metadata.globs,
            p.metadata.always_apply,
        )
        for p in result.personas
    }
    root = f"{tmp_path.as_posix()}/"
    assert found == {
        "AGENTS.md": (PersonaFormat.AGENTS_MD, root, (), None),
        "services/api/AGENTS.md": (PersonaFormat.AGENTS_MD, f"{root}services/api/", (), None),
        "web/CLAUDE.md": (PersonaFormat.CLAUDE_MD, f"{root}web/", (), None),
        "GEMINI.md": (PersonaFormat.GEMINI_MD, root, (), None),
        ".github/copilot-instructions.md": (PersonaFormat.COPILOT_INSTRUCTIONS, root, (), None),
        ".github/instructions/py.instructions.md": (
            PersonaFormat.COPILOT_INSTRUCTIONS,
            None,
            ("**/*.py",),
            None,
        ),
        ".github/prompts/review.prompt.md": (PersonaFormat.COPILOT_PROMPT, None, (), None),
        ".cursor/rules/style.mdc": (PersonaFormat.CURSOR_RULE, None, ("*.ts",), False),
        ".windsurf/rules/tests.md": (PersonaFormat.WINDSURF_RULE, None, (), True),
        ".clinerules/docs.md": (PersonaFormat.CLINE_RULE, None, ("docs/**",), None),
    }
    ids = {p.id for p in result.personas}
    assert {"api-agents", "web-claude"} <= ids


def test_claude_code_multi_line_description_with_examples_loses_no_persona(
    tmp_path: Path,
) -> None:
    path = tmp_path / "code-simplifier.md"
    path.write_text(
        "---\n"
        "name: code-simplifier\n"
        "description: Use this agent when code needs simplifying. Examples:\n"
        "\n"
        "<example>\n"
        "Context: The user has just written a function.\n"
        'user: "Please simplify this"\n'
        'assistant: "I\'ll use the code-simplifier agent."\n'
        "<commentary>\n"
        "Since code was written, use the agent.\n"
        "</commentary>\n"
        "</example>\n"
        "model: opus\n"
        "color: blue\n"
        "---\n"
        "\n"
        "You simplify code.\n",
        encoding="utf-8",
    )
    persona, diagnostics = read_persona(path, display_path="code-simplifier.md")
    assert persona is not None
    assert persona.format is PersonaFormat.CLAUDE_SUBAGENT
    assert persona.name == "code-simplifier"
    assert persona.metadata.model == "opus"
    assert persona.metadata.extra == {"color": "blue"}
    assert persona.description.startswith("Use this agent when code needs simplifying.")
    assert 'user: "Please simplify this"' in persona.description
    assert persona.description.endswith("</example>")
    assert [(d.code, d.severity.value, d.span.line) for d in diagnostics] == [
        ("PKB201", "warning", 3)
    ]
