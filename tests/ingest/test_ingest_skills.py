"""Agent Skills: one persona per SKILL.md folder, bundled files attached, the spec linted."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from ingest_helpers import SHARED_CORPUS, VENDORED_CORPUS
from persona_kb._internal.adapters.cli.main import main
from persona_kb._internal.core.model import PersonaFormat
from persona_kb._internal.ingest import display_path, ingest
from persona_kb._internal.kb.build import KBOptions, build_knowledge_base

OBRA = VENDORED_CORPUS / "obra__superpowers"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("library", "skills"),
    [("obra__superpowers", 14), ("K-Dense-AI__claude-scientific-skills", 134)],
)
def test_shared_skill_libraries_count_one_persona_per_skill(
    library: str, skills: int, capsys: pytest.CaptureFixture[str]
) -> None:
    root = SHARED_CORPUS / library
    if not root.is_dir():
        pytest.skip(f"shared corpus not present at {root}")
    assert main(["lint", "-q", str(root)]) == 0
    summary = capsys.readouterr().out.strip().splitlines()[-1]
    match = re.fullmatch(r"persona-kb lint: (\d+) files, (\d+) personas, .*", summary)
    assert match is not None, summary
    assert int(match.group(2)) == skills
    assert int(match.group(1)) >= skills


def test_a_skill_is_one_persona_with_its_markdown_bundled_and_scripts_listed() -> None:
    result = ingest([OBRA])
    by_id = {p.id: p for p in result.personas}
    assert sorted(by_id) == ["brainstorming", "requesting-code-review", "using-superpowers"]
    assert {p.format for p in result.personas} == {PersonaFormat.AGENT_SKILL}
    brainstorming = by_id["brainstorming"]
    assert brainstorming.name == "brainstorming"
    assert brainstorming.description.startswith("You MUST use this before any creative work")
    assert [Path(b.path).name for b in brainstorming.bundled] == [
        "spec-document-reviewer-prompt.md",
        "visual-companion.md",
    ]
    assert [Path(r).name for r in brainstorming.resources] == [
        "frame-template.html",
        "helper.js",
        "server.cjs",
        "start-server.sh",
        "stop-server.sh",
    ]
    references = by_id["using-superpowers"].bundled
    assert [Path(b.path).parent.name for b in references] == ["references"] * 4
    # Bundled files keep their own paths: their lines map to themselves, not to SKILL.md.
    assert all(b.path.endswith(".md") and "SKILL.md" not in b.path for b in references)
    # Shared reference names no longer raise duplicate warnings.
    assert not [d for d in result.diagnostics if d.code in ("PKB400", "PKB401")]


def test_instruction_files_at_the_top_of_a_library_are_accounted_for_not_read() -> None:
    result = ingest([OBRA])
    skipped = {Path(d.span.path).name for d in result.diagnostics if d.code == "PKB110"}
    assert {"AGENTS.md", "CLAUDE.md", "GEMINI.md"} <= skipped
    claude = ingest([OBRA / "CLAUDE.md"])  # named explicitly: read
    assert [p.format for p in claude.personas] == [PersonaFormat.CLAUDE_MD]


def test_nested_skill_is_a_skill_of_its_own(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "outer/SKILL.md": "---\nname: outer\ndescription: Outer.\n---\n# Outer\n",
            "outer/references/a.md": "# A\n\nText.\n",
            "outer/inner/SKILL.md": "---\nname: inner\ndescription: Inner.\n---\n# Inner\n",
            "outer/inner/notes.md": "# Notes\n",
            "outer/inner/run.py": "print('never run')\n",
        },
    )
    result = ingest([tmp_path])
    by_id = {p.id: p for p in result.personas}
    assert sorted(by_id) == ["inner", "outer"]
    assert [Path(b.path).name for b in by_id["outer"].bundled] == ["a.md"]
    assert [Path(b.path).name for b in by_id["inner"].bundled] == ["notes.md"]
    assert [Path(r).name for r in by_id["inner"].resources] == ["run.py"]
    assert by_id["outer"].resources == ()
    assert result.files == 4


def test_spec_is_linted_at_path_and_line(tmp_path: Path) -> None:
    long_name = "a" * 65
    write(
        tmp_path,
        {
            "good-one/SKILL.md": "---\nname: Good_One\ndescription: Fine.\n---\n# x\n",
            f"{long_name}/SKILL.md": f"---\nname: {long_name}\n---\n# x\n",
            "wordy/SKILL.md": "---\nname: wordy\ndescription: " + "w" * 1025 + "\n---\n",
            "refs/SKILL.md": (
                "---\nname: refs\ndescription: Refers.\n---\n# Refs\n\n"
                "See [the API](references/api.md) and [ok](references/ok.md).\n\n"
                "Run `scripts/missing.py` first.\n"
            ),
            "refs/references/ok.md": "# OK\n",
            "nameless/SKILL.md": "---\ndescription: No name.\n---\n",
        },
    )
    result = ingest([tmp_path])
    found = {
        (Path(d.span.path).parent.name, d.span.line, d.code)
        for d in result.diagnostics
        if d.code.startswith("PKB31")
    }
    assert found == {
        ("good-one", 2, "PKB311"),  # not the folder name
        ("good-one", 2, "PKB312"),  # not lowercase and hyphens
        (long_name, 2, "PKB312"),  # over 64 characters
        (long_name, 1, "PKB313"),  # no description
        ("wordy", 3, "PKB313"),  # over 1,024 characters
        ("refs", 7, "PKB314"),  # the missing linked file
        ("refs", 9, "PKB314"),  # the missing file named in code
        ("nameless", 1, "PKB310"),
    }
    assert len(result.personas) == 5  # warnings only: no skill is lost


def test_bundled_lines_render_with_the_skill_mapped_to_their_own_file(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "kb/pdf-tools/SKILL.md": (
                "---\nname: pdf-tools\ndescription: Work with PDF files.\n---\n"
                "# PDF tools\n\n## Usage\n\nRead references/forms.md.\n"
            ),
            "kb/pdf-tools/references/forms.md": (
                "# Forms\n\n## Filling forms\n\nUNIQUE-BUNDLED-LINE here.\n"
            ),
            "kb/pdf-tools/scripts/fill.py": "print('never run')\n",
        },
    )
    kb = build_knowledge_base(KBOptions(source=tmp_path / "kb"))
    guide = next(p for p in kb.pages if p.path.endswith("COMPREHENSIVE-GUIDE.md"))
    lines = guide.markdown.split("\n")
    number = next(i for i, line in enumerate(lines, 1) if "UNIQUE-BUNDLED-LINE" in line)
    span = guide.source_map.lookup(number)
    assert span is not None
    assert span.path == display_path(tmp_path / "kb/pdf-tools/references/forms.md")
    assert span.line == 5
    assert any("scripts/fill.py" in line for line in lines)
    assert [p.id for t in kb.topics for p in t.personas] == ["pdf-tools"]


def test_a_rebuild_parses_an_unchanged_skill_once_and_checks_its_files_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `mkdocs serve` ingests on every save: a skill's references are parsed once per
    # content, but whether the files exist is asked each time.
    from persona_kb._internal.ingest import agent_skill

    parsed: list[str] = []
    parse = agent_skill._references

    def counting(body: str, first_line: int) -> Iterator[tuple[str, int]]:
        parsed.append(body)
        return parse(body, first_line)

    monkeypatch.setattr(agent_skill, "_references", counting)
    skill = tmp_path / "refs" / "SKILL.md"
    write(
        tmp_path,
        {
            "refs/SKILL.md": "---\nname: refs\ndescription: Refers.\n---\n# Refs\n\n"
            "See [the API](references/api.md).\n"
        },
    )

    def missing() -> list[int]:
        return [d.span.line for d in ingest([tmp_path]).diagnostics if d.code == "PKB314"]

    assert missing() == [7]
    assert len(parsed) == 1
    write(tmp_path, {"refs/references/api.md": "# API\n"})
    assert missing() == []  # the file was added: found, without parsing the skill again
    assert len(parsed) == 1
    skill.write_text(skill.read_text("utf-8") + "\nAnd [more](references/more.md).\n", "utf-8")
    assert missing() == [9]  # the skill changed: parsed again
    assert len(parsed) == 2
