"""Info strings that pymdownx.superfences would render as text get the attribute-list spelling."""

from __future__ import annotations

import markdown as python_markdown
import pytest
from persona_kb._internal.markdown import parse_info_string, superfences_info


def renders_as_code(info: str) -> bool:
    """Whether MkDocs' Markdown stack renders a fence with this info string as a code block."""
    md = python_markdown.Markdown(
        extensions=["pymdownx.superfences", "pymdownx.highlight", "attr_list"]
    )
    html = md.convert(f"```{info}\nx = 1\n```\n")
    return 'class="highlight"' in html or "highlight" in html.split(">", 1)[0]


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        ("python no-run", "{.python .no-run}"),
        ("python,no-run", "{.python .no-run}"),
        ("py raises=ValueError", '{.python raises="ValueError"}'),
        ('python hl_lines="2 3" no-run', '{.python .no-run hl_lines="2 3"}'),
        ('python title="x.py" {.no-run}', '{.python .no-run title="x.py"}'),
        ("python linenums=1", '{.python linenums="1"}'),
    ],
)
def test_info_strings_superfences_rejects_are_rewritten(info: str, expected: str) -> None:
    assert not renders_as_code(info)
    fixed = superfences_info(info)
    assert fixed == expected
    assert renders_as_code(fixed)
    assert parse_info_string(fixed) == parse_info_string(info)


@pytest.mark.parametrize(
    "info",
    ["python", "", "{.python .no-run}", "python {.no-run}", 'python title="x.py" hl_lines="2"'],
)
def test_info_strings_superfences_accepts_are_left_alone(info: str) -> None:
    assert renders_as_code(info) or not info
    assert superfences_info(info) is None
