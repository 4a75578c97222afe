"""One fixture per real-world quirk (issue 2 §4): each is repaired or diagnosed, never raised."""

from __future__ import annotations

from pathlib import Path

from ingest_helpers import PERSONAS, codes, read_fixture, read_ok
from persona_kb._internal.core.diagnostics import Severity
from persona_kb._internal.core.model import Label
from persona_kb._internal.ingest import read_persona
from persona_kb._internal.ingest.text import MAX_FILE_BYTES


def test_mojibake_is_repaired_with_an_info_naming_each_line() -> None:
    persona, diagnostics = read_fixture("quirks/mojibake.md")
    assert persona is not None
    infos = [(d.code, d.severity, d.span.line) for d in diagnostics]
    assert infos == [("PKB104", Severity.INFO, line) for line in (8, 11, 14, 19)]
    assert diagnostics[0].format() == (
        "quirks/mojibake.md:8:6: info: mojibake repaired: 'âŒ' → '❌'; "
        "fix these characters in the file to make the repair permanent [PKB104]"
    )
    assert "\u274c WRONG (blocking call)" in persona.body
    assert "Café au lait — and a plain line." in persona.body
    assert "# \u274c blocks" in persona.code_blocks[0].code


def test_seed_000_mojibake_is_repaired_and_its_labels_are_read() -> None:
    persona, diagnostics = read_fixture("seed-000/python-backend-engineer.md")
    assert persona is not None
    repaired = [d.span.line for d in diagnostics if d.code == "PKB104"]
    assert len(repaired) == 30
    assert repaired[:3] == [160, 166, 179]
    assert "â" not in persona.body
    assert "ð" not in persona.body
    assert {b.label for b in persona.code_blocks} >= {Label.WRONG, Label.CORRECT}


def test_crlf_keeps_line_numbers() -> None:
    persona, diagnostics = read_fixture("quirks/crlf.md")
    assert persona is not None
    assert diagnostics == ()
    assert "\r" not in persona.body
    [block] = persona.code_blocks
    assert (block.fence.line, block.code_line, block.code) == (8, 9, "x = 1\n")


def test_bom_is_dropped_and_front_matter_still_read() -> None:
    persona, diagnostics = read_fixture("quirks/bom.md")
    assert persona is not None
    assert persona.name == "bom-persona"
    assert codes(diagnostics) == ["PKB105"]


def test_nbsp_and_zero_width_are_normalised() -> None:
    persona, diagnostics = read_fixture("quirks/invisible.md")
    assert persona is not None
    assert persona.description == "Has non-breaking spaces"
    assert persona.title == "Invisible persona"
    assert persona.code_blocks[0].code == "x = 1\n"
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == [("PKB105", 3, 17)]


def test_unquoted_globs_are_recovered() -> None:
    persona, diagnostics = read_fixture("quirks/unquoted-globs.mdc")
    assert persona is not None
    assert persona.metadata.globs == ("**/*",)
    assert persona.metadata.always_apply is True
    warning = next(d for d in diagnostics if d.code == "PKB201")
    assert (warning.span.line, warning.span.column) == (3, 8)


def test_description_with_colon_is_recovered() -> None:
    persona, diagnostics = read_fixture("quirks/description-colon.md")
    assert persona is not None
    assert persona.description == (
        "Use when grooming a backlog. Triggers on: 'groom backlog', 'refine stories'."
    )
    assert persona.metadata.tools == ("Read", "Write")
    assert [(d.code, d.severity, d.span.line, d.span.column) for d in diagnostics] == [
        ("PKB201", Severity.WARNING, 3, 14)
    ]


def test_unrecoverable_yaml_skips_the_file_with_an_error() -> None:
    persona, diagnostics = read_fixture("quirks/broken-yaml.md")
    assert persona is None
    assert [(d.code, d.severity, d.span.line) for d in diagnostics] == [
        ("PKB200", Severity.ERROR, 3)
    ]


def test_unclosed_fence_runs_to_the_end_with_a_warning() -> None:
    persona, diagnostics = read_fixture("quirks/unclosed-fence.md")
    assert persona is not None
    [block] = persona.code_blocks
    assert (block.closed, block.fence.line, block.code) == (False, 8, "print('runs to the end')\n")
    assert [(d.code, d.span.line) for d in diagnostics] == [("PKB300", 8)]


def test_markdown_fence_wrapping_inner_fences_is_paired_correctly() -> None:
    persona = read_ok("quirks/nested-fence.md")
    outer, inner = persona.code_blocks
    assert (outer.language, outer.fence.line, outer.nested) == ("markdown", 8, False)
    assert (inner.language, inner.code_line, inner.nested) == ("python", 12, True)
    # The heading after the outer fence is a real section, not swallowed by the fence.
    assert [s.title for s in persona.all_sections()] == ["Template", "After"]


def test_whole_file_indented_by_four_spaces_is_read() -> None:
    persona, diagnostics = read_fixture("quirks/indented.md")
    assert persona is not None
    assert (persona.name, persona.title) == ("indented-persona", "Indented persona")
    assert persona.code_blocks == ()
    assert [(d.code, d.span.line) for d in diagnostics] == [("PKB107", 1)]


def test_empty_file() -> None:
    persona, diagnostics = read_fixture("quirks/empty.md")
    assert persona is None
    assert [(d.code, d.severity) for d in diagnostics] == [("PKB100", Severity.ERROR)]


def test_binary_file() -> None:
    persona, diagnostics = read_fixture("quirks/binary.md")
    assert persona is None
    assert [(d.code, d.severity) for d in diagnostics] == [("PKB101", Severity.ERROR)]


def test_over_size_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.md"
    with open(path, "wb") as handle:
        handle.write(b"# Huge\n")
        handle.truncate(MAX_FILE_BYTES * 4)  # sparse: cheap to create
    persona, diagnostics = read_persona(path, display_path="huge.md")
    assert persona is None
    assert [(d.code, d.severity, d.span.line) for d in diagnostics] == [
        ("PKB102", Severity.ERROR, 1)
    ]


def test_non_utf8_file_is_read_with_a_warning() -> None:
    persona, diagnostics = read_fixture("quirks/non-utf8.md")
    assert persona is not None
    assert persona.title == "Café persona"
    assert "Naïve text — with a dash." in persona.body
    assert [(d.code, d.severity, d.span.line) for d in diagnostics] == [
        ("PKB103", Severity.WARNING, 6)
    ]


def test_unreadable_path_is_diagnosed(tmp_path: Path) -> None:
    persona, diagnostics = read_persona(tmp_path / "missing.md", display_path="missing.md")
    assert persona is None
    assert codes(diagnostics) == ["PKB106"]


def test_version_date_is_a_string() -> None:
    persona = read_ok("quirks/version-date.md")
    assert persona.metadata.version == "2025-11-09"
    assert persona.metadata.extra["released"] == "2025-11-09T10:00:00"


def test_tools_comma_string_is_a_list() -> None:
    assert read_ok("quirks/tools-comma.md").metadata.tools == ("Read", "Write", "Edit", "Bash")


def test_model_list_is_one_string() -> None:
    assert read_ok("quirks/model-list.md").metadata.model == "sonnet, opus"


def test_code_in_the_front_matter_prompt_is_prompt_not_an_example() -> None:
    persona = read_ok("quirks/prompt-code.md")
    assert persona.prompt is not None
    assert "```python\ndef bad(items=[]):" in persona.prompt
    assert [b.code for b in persona.code_blocks] == [
        "def good(items: list[int] | None = None) -> list[int]:\n    return items or []\n"
    ]
    assert all("bad" not in b.code for b in persona.code_blocks)
    assert persona.prompt_span is not None
    assert persona.prompt_span.line == 5


def test_prompt_lines_map_to_source_lines() -> None:
    persona = read_ok("seed-000/python-backend-engineer.md")
    assert persona.prompt is not None
    assert persona.prompt_span is not None
    source = (PERSONAS / "seed-000" / "python-backend-engineer.md").read_text(encoding="utf-8")
    lines = source.split("\n")
    for index, line in enumerate(persona.prompt.rstrip("\n").split("\n")):
        assert lines[persona.prompt_span.line - 1 + index].strip() == line.strip()
