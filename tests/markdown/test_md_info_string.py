"""Info strings and language aliases."""

from __future__ import annotations

import pytest
from persona_kb._internal.markdown import normalize_language, parse_info_string


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("py", "python"),
        ("python3", "python"),
        ("Python", "python"),
        ("py3", "python"),
        ("pycon", "pycon"),
        ("sh", "bash"),
        ("shell", "bash"),
        ("zsh", "bash"),
        ("console", "console"),
        ("yml", "yaml"),
        ("json", "json"),
        ("jsonc", "jsonc"),
        ("cfg", "ini"),
        ("ini", "ini"),
        ("toml", "toml"),
        ("js", "javascript"),
        ("ts", "typescript"),
        ("md", "markdown"),
        ("Rust", "rust"),
        ("", ""),
        (".py", "python"),
    ],
)
def test_normalize_language(word: str, expected: str) -> None:
    assert normalize_language(word) == expected


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        ('python title="x.py" hl_lines="2"', ("python", (), {"title": "x.py", "hl_lines": "2"})),
        ("{.python .no-run}", ("python", ("no-run",), {})),
        ("python {.no-run}", ("python", ("no-run",), {})),
        ("python no-run", ("python", ("no-run",), {})),
        ("python raises=ValueError", ("python", (), {"raises": "ValueError"})),
        ('py linenums="1"', ("python", (), {"linenums": "1"})),
        ('{ .python title="x" }', ("python", (), {"title": "x"})),
        ('{ .py .no-run title="a b.py" }', ("python", ("no-run",), {"title": "a b.py"})),
        ("python,no-run", ("python", ("no-run",), {})),
        ("python compile-fail", ("python", ("compile-fail",), {})),
        ("{.python #setup}", ("python", (), {"id": "setup"})),
        ("Python3", ("python", (), {})),
        ("", ("", (), {})),
        ("   ", ("", (), {})),
        ("yaml title='ci.yml'", ("yaml", (), {"title": "ci.yml"})),
        ("{: .python .no-run }", ("python", ("no-run",), {})),
        ("{python}", ("python", (), {})),
        ("{python no-run}", ("python", ("no-run",), {})),
        ("python {.no-run #tests}", ("python", ("no-run",), {"id": "tests"})),
        ("text {.ignore}", ("text", ("ignore",), {})),
    ],
)
def test_parse_info_string(
    info: str, expected: tuple[str, tuple[str, ...], dict[str, str]]
) -> None:
    assert parse_info_string(info) == expected
