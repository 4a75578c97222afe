"""Metadata normalisation: awkward real-world values become one predictable shape."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from persona_kb._internal.core.model import Metadata
from persona_kb._internal.ingest import read_persona
from persona_kb._internal.ingest.frontmatter import FrontMatter
from persona_kb._internal.ingest.metadata import (
    IdentityFacts,
    normalise_metadata,
    parse_versions,
    split_top_level_commas,
)


def normalise(data: dict[str, object]) -> tuple[Metadata, list[str]]:
    lines = {key: index + 2 for index, key in enumerate(data)}
    metadata, diagnostics = normalise_metadata(FrontMatter(data, 1, lines), "p.md")
    return metadata, [f"{d.code}@{d.span.line}" for d in diagnostics]


def test_version_date_becomes_iso_string() -> None:
    metadata, problems = normalise({"version": dt.date(2025, 11, 9)})
    assert (metadata.version, problems) == ("2025-11-09", [])


def test_numeric_version_becomes_string() -> None:
    assert normalise({"version": 1.5})[0].version == "1.5"


def test_tools_comma_string_becomes_list() -> None:
    metadata, _ = normalise({"tools": "Read, Write,  Edit ,Bash,"})
    assert metadata.tools == ("Read", "Write", "Edit", "Bash")


def test_tools_list_is_kept_and_allowed_tools_is_an_alias() -> None:
    assert normalise({"tools": ["Read", "Grep"]})[0].tools == ("Read", "Grep")
    assert normalise({"allowed-tools": "Bash(git:*), Read"})[0].tools == ("Bash(git:*)", "Read")


def test_model_list_is_joined() -> None:
    assert normalise({"model": ["sonnet", "opus"]})[0].model == "sonnet, opus"


def test_capabilities_and_do_not_are_lists_and_never_split_on_commas() -> None:
    metadata, _ = normalise({"capabilities": "Auth, authz and OWASP", "do-not": ["push", "leak"]})
    assert metadata.capabilities == ("Auth, authz and OWASP",)
    assert metadata.do_not == ("push", "leak")


@pytest.mark.parametrize(
    "data", [{"topic": "python"}, {"kb": {"topic": "python"}}], ids=["topic", "kb.topic"]
)
def test_topic(data: dict[str, object]) -> None:
    assert normalise(data)[0].topic == "python"


def test_globs_apply_to_and_always_apply() -> None:
    assert normalise({"globs": "**/*.ts, src/**"})[0].globs == ("**/*.ts", "src/**")
    assert normalise({"applyTo": "**/*.py"})[0].globs == ("**/*.py",)
    assert normalise({"alwaysApply": "true"})[0].always_apply is True
    assert normalise({"alwaysApply": False})[0].always_apply is False


def test_unexpected_types_are_warned_at_their_key_line() -> None:
    metadata, problems = normalise({"name": "x", "tools": {"Read": 1}, "alwaysApply": "maybe"})
    assert metadata.tools == ("Read",)
    assert metadata.always_apply is None
    assert problems == ["PKB204@3", "PKB204@4"]


def test_extra_keeps_other_keys_as_json() -> None:
    metadata, _ = normalise(
        {"name": "x", "color": "green", "released": dt.datetime(2025, 1, 2, 3, 4), "n": {1: {2}}}
    )
    assert metadata.extra == {
        "color": "green",
        "released": "2025-01-02T03:04:00",
        "n": {"1": [2]},
    }


def test_identity_facts_fill_what_front_matter_lacks() -> None:
    identity = IdentityFacts(role="Engineer", seniority="Senior", stack=("Go 1.26.0",))
    metadata, _ = normalise_metadata(None, "p.md", identity=identity)
    assert (metadata.role, metadata.seniority, metadata.stack) == (
        "Engineer",
        "Senior",
        ("Go 1.26.0",),
    )
    assert metadata.versions == {"go": "1.26.0"}


def test_front_matter_stack_string_is_split_outside_parentheses() -> None:
    metadata, _ = normalise({"stack": "Python 3.12, SwiftUI (iOS 26, macOS), Redis"})
    assert metadata.stack == ("Python 3.12", "SwiftUI (iOS 26, macOS)", "Redis")
    assert metadata.versions == {"python": "3.12"}


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("Python 3.14.3", {"python": "3.14.3"}),
        ("Node.js 24.13.1 LTS", {"node.js": "24.13.1"}),
        ("C# 13", {"c#": "13"}),
        ("Android Studio Otter 3 (2025.2.3)", {"android studio otter": "3"}),
        ("GitHub Actions", {}),
        ("Terraform v1.9", {"terraform": "1.9"}),
    ],
)
def test_parse_versions(entry: str, expected: dict[str, str]) -> None:
    assert parse_versions((entry,)) == expected


def test_split_top_level_commas() -> None:
    assert split_top_level_commas("A (x, y), B [1, 2], C") == ("A (x, y)", "B [1, 2]", "C")


def test_glob_braces_and_tool_arguments_are_not_split() -> None:
    metadata, _ = normalise(
        {"globs": "**/*.{ts,tsx}, src/**", "tools": "Bash(git add, git commit), Read"}
    )
    assert metadata.globs == ("**/*.{ts,tsx}", "src/**")
    assert metadata.tools == ("Bash(git add, git commit)", "Read")


def test_yaml_alias_bombs_and_cycles_stay_small(tmp_path: Path) -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 9):
        levels.append(
            f"l{index}: &l{index} ["
            + ", ".join([f"*{'a' if index == 1 else f'l{index - 1}'}"] * 9)
            + "]"
        )
    bomb = tmp_path / "bomb.md"
    bomb.write_text(
        "---\nname: bomb\n" + "\n".join(levels) + "\ncycle: &c [*c]\n---\nBody.\n", "utf-8"
    )
    persona, diagnostics = read_persona(bomb)
    # Measured on YAML events, never expanded: the front matter is set aside at its line,
    # and the body is still read.
    assert persona is not None, diagnostics
    assert ("PKB205", 2) in [(d.code, d.span.line) for d in diagnostics]
    assert persona.metadata.extra == {}
    assert "Body." in persona.body


def count_values(value: object) -> int:
    if isinstance(value, dict):
        return 1 + sum(count_values(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(count_values(v) for v in value)
    return 1
