"""Front matter: split, safe_load, and the documented lenient fallback."""

from __future__ import annotations

from persona_kb._internal.core.diagnostics import Severity
from persona_kb._internal.ingest.frontmatter import split_front_matter


def test_no_front_matter_means_the_whole_text_is_body() -> None:
    split, diagnostics = split_front_matter("# Title\n---\n", "p.md")
    assert split is not None
    assert (split.front_matter, split.body, split.body_line, diagnostics) == (
        None,
        "# Title\n---\n",
        1,
        [],
    )


def test_front_matter_keys_and_body_line() -> None:
    text = "---\nname: a\ntools:\n  - Read\n...\n# Body\n"
    split, diagnostics = split_front_matter(text, "p.md")
    assert split is not None
    assert split.front_matter is not None
    assert split.front_matter.data == {"name": "a", "tools": ["Read"]}
    assert split.front_matter.key_lines == {"name": 2, "tools": 3}
    assert (split.body, split.body_line, diagnostics) == ("# Body\n", 6, [])


def test_unquoted_globs_are_recovered_with_a_warning_at_line_and_column() -> None:
    text = "---\ndescription: x\nglobs: **/*\nalwaysApply: false\n---\nbody\n"
    split, diagnostics = split_front_matter(text, "rule.mdc")
    assert split is not None
    assert split.front_matter is not None
    assert split.front_matter.data == {"description": "x", "globs": "**/*", "alwaysApply": False}
    [warning] = diagnostics
    assert (warning.code, warning.severity) == ("PKB201", Severity.WARNING)
    assert warning.format().startswith("rule.mdc:3:8: warning: front matter 'globs:'")


def test_description_with_colon_and_continuation_lines_keeps_later_lines_in_place() -> None:
    text = (
        "---\nname: groom\ndescription: Use when x. Triggers on: 'a', 'b'\n"
        "  and more\ntools: Read\nbad: [\n---\nbody\n"
    )
    split, diagnostics = split_front_matter(text, "p.md")
    # `bad: [` is unrecoverable and reported at its own line: proof lines did not move.
    assert split is None
    assert [(d.code, d.span.line) for d in diagnostics] == [("PKB201", 3), ("PKB200", 6)]


def test_description_with_colon_is_recovered() -> None:
    text = "---\nname: groom\ndescription: Use when x. Triggers on: 'a', 'b'\n  and more\n---\nb\n"
    split, diagnostics = split_front_matter(text, "p.md")
    assert split is not None
    assert split.front_matter is not None
    assert split.front_matter.data["description"] == "Use when x. Triggers on: 'a', 'b' and more"
    assert [(d.code, d.span.line, d.span.column) for d in diagnostics] == [("PKB201", 3, 14)]


def test_unrecoverable_yaml_is_an_error_at_the_broken_value() -> None:
    split, diagnostics = split_front_matter("---\nname: x\ndescription: [open\n---\n", "p.md")
    assert split is None
    [error] = diagnostics
    assert (error.code, error.severity, error.span.line) == ("PKB200", Severity.ERROR, 3)
    assert "skipped" in error.hint


def test_quoted_values_are_never_rewritten() -> None:
    split, diagnostics = split_front_matter("---\nname: 'it's'\n---\n", "p.md")
    assert split is None
    assert [d.code for d in diagnostics] == ["PKB200"]


def test_front_matter_that_is_not_a_mapping_is_read_as_markdown_with_a_warning() -> None:
    text = "---\n- a\n- b\n---\nbody\n"
    split, diagnostics = split_front_matter(text, "p.md")
    assert split is not None
    assert (split.front_matter, split.body, split.body_line) == (None, text, 1)
    assert [(d.code, d.severity, d.span.line) for d in diagnostics] == [
        ("PKB202", Severity.WARNING, 1)
    ]


def test_a_leading_rule_over_prose_is_not_front_matter() -> None:
    text = "---\nJust an intro, then a rule.\n---\n# Title\n"
    split, diagnostics = split_front_matter(text, "p.md")
    assert split is not None
    assert (split.front_matter, split.body) == (None, text)
    assert [d.code for d in diagnostics] == ["PKB202"]


def test_empty_front_matter_is_an_empty_mapping() -> None:
    split, diagnostics = split_front_matter("---\n---\nbody\n", "p.md")
    assert split is not None
    assert split.front_matter is not None
    assert (split.front_matter.data, split.body_line, diagnostics) == ({}, 3, [])


def test_unclosed_front_matter_is_read_as_body_with_a_warning() -> None:
    split, diagnostics = split_front_matter("---\nname: x\n# Title\n", "p.md")
    assert split is not None
    assert (split.front_matter, split.body_line) == (None, 1)
    assert [(d.code, d.span.line) for d in diagnostics] == [("PKB203", 1)]
