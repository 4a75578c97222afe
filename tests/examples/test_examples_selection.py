"""Which blocks are examples: what MkDocs renders; never comments, nested or front matter."""

from __future__ import annotations

from pathlib import Path

import pytest
from examples_helpers import page
from persona_kb._internal.checks.examples.selection import examples_from_markdown
from persona_kb._internal.checks.examples.site import path_examples
from persona_kb._internal.checks.examples.spec import Tier


def _codes(markdown: str) -> list[tuple[str, int, str]]:
    return [(e.language, e.first_line, e.code.strip()) for e in page(markdown)]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        pytest.param("```python\nx = 1\n```\n", [("python", 2, "x = 1")], id="top-level"),
        pytest.param(
            "- item\n\n    ```python\n    x = 1\n    ```\n",
            [("python", 4, "x = 1")],
            id="in-a-list",
        ),
        pytest.param(
            '!!! note "Note"\n\n    ```python\n    x = 1\n    ```\n',
            [("python", 4, "x = 1")],
            id="in-an-admonition",
        ),
        pytest.param(
            '=== "Tab"\n\n    ```python\n    x = 1\n    ```\n',
            [("python", 4, "x = 1")],
            id="in-a-content-tab",
        ),
        pytest.param(
            "> ```python\n> x = 1\n> ```\n", [("python", 2, "x = 1")], id="in-a-blockquote"
        ),
        pytest.param("~~~python\nx = 1\n~~~\n", [("python", 2, "x = 1")], id="tilde-fence"),
        pytest.param("`````python\nx = 1\n`````\n", [("python", 2, "x = 1")], id="long-fence"),
        pytest.param(
            '```python title="x.py" hl_lines="2"\nx = 1\ny = 2\n```\n',
            [("python", 2, "x = 1\ny = 2")],
            id="attributes",
        ),
        pytest.param(
            "```{.python .no-run}\nx = 1\n```\n", [("python", 2, "x = 1")], id="brace-attributes"
        ),
        pytest.param("```py\nx = 1\n```\n", [("python", 2, "x = 1")], id="alias-py"),
        pytest.param("```python3\nx = 1\n```\n", [("python", 2, "x = 1")], id="alias-python3"),
        pytest.param("```Python\nx = 1\n```\n", [("python", 2, "x = 1")], id="alias-Python"),
        pytest.param("<!--\n```python\nx = 1\n```\n-->\n", [], id="html-comment"),
        pytest.param(
            "````markdown\n```python\nx = 1\n```\n````\n",
            [("markdown", 2, "```python\nx = 1\n```")],
            id="nested-in-md",
        ),
        pytest.param(
            "````md\n```python\nx = 1\n```\n````\n",
            [("markdown", 2, "```python\nx = 1\n```")],
            id="nested-in-md-alias",
        ),
        pytest.param(
            "---\ntitle: x\nprompt: |\n  ```python\n  boom()\n  ```\n---\n\ntext\n",
            [],
            id="front-matter",
        ),
    ],
)
def test_selection_matches_what_mkdocs_renders(
    markdown: str, expected: list[tuple[str, int, str]]
) -> None:
    assert _codes(markdown) == expected


def test_front_matter_is_skipped_but_lines_stay_true() -> None:
    markdown = "---\ntitle: x\n---\n\n```python\nx = 1\n```\n"
    assert _codes(markdown) == [("python", 6, "x = 1")]


@pytest.mark.parametrize(
    ("markdown", "tier", "raises"),
    [
        pytest.param("```python\nx = 1\n```\n", Tier.RUN, None, id="default-run"),
        pytest.param("```{.python .no-run}\nx = 1\n```\n", Tier.NO_RUN, None, id="class-no-run"),
        pytest.param("```{.python .ignore}\nx = 1\n```\n", Tier.IGNORE, None, id="class-ignore"),
        pytest.param(
            "```{.python .compile-fail}\nx = (\n```\n",
            Tier.COMPILE_FAIL,
            None,
            id="class-compile-fail",
        ),
        pytest.param(
            '```{.python raises="ValueError"}\nint("x")\n```\n',
            Tier.RAISES,
            "ValueError",
            id="attribute-raises",
        ),
        pytest.param(
            "<!-- persona-kb: no-run -->\n```python\nx = 1\n```\n",
            Tier.NO_RUN,
            None,
            id="marker-comment",
        ),
        pytest.param(
            "<!-- persona-kb: raises=KeyError -->\n```python\n{}['k']\n```\n",
            Tier.RAISES,
            "KeyError",
            id="marker-raises",
        ),
        pytest.param(
            "---\npersona-kb:\n  examples: no-run\n---\n```python\nx = 1\n```\n",
            Tier.NO_RUN,
            None,
            id="page-front-matter-default",
        ),
        pytest.param(
            "---\npersona-kb:\n  examples: no-run\n---\n"
            "<!-- persona-kb: run -->\n```python\nx = 1\n```\n",
            Tier.RUN,
            None,
            id="marker-beats-front-matter",
        ),
        pytest.param(
            "#### ❌ WRONG (bad)\n```python\nx = 1\n```\n",
            Tier.NO_RUN,
            None,
            id="wrong-label-no-run",
        ),
        pytest.param(
            "#### ✅ CORRECT (good)\n```python\nx = 1\n```\n",
            Tier.RUN,
            None,
            id="correct-label-run",
        ),
    ],
)
def test_tier_resolution(markdown: str, tier: Tier, raises: str | None) -> None:
    (example,) = page(markdown)
    assert (example.tier, example.raises) == (tier, raises)


def test_config_default_applies_to_unmarked_blocks_only() -> None:
    from persona_kb._internal.checks.examples.selection import examples_from_markdown

    markdown = "```python\nx = 1\n```\n\n<!-- persona-kb: run -->\n```python\ny = 2\n```\n"
    found, _ = examples_from_markdown(markdown, path="p.md", config_default=Tier.NO_RUN)
    assert [e.tier for e in found] == [Tier.NO_RUN, Tier.RUN]


def test_unknown_front_matter_default_is_a_diagnostic_at_the_page() -> None:
    from persona_kb._internal.checks.examples.selection import examples_from_markdown

    markdown = "---\npersona-kb:\n  examples: sometimes\n---\n```python\nx = 1\n```\n"
    found, problems = examples_from_markdown(markdown, path="docs/p.md")
    assert [e.tier for e in found] == [Tier.RUN]
    assert [(d.code, str(d.span)) for d in problems] == [("PKB614", "docs/p.md:1")]


def test_a_persona_prompt_in_front_matter_is_never_an_example(tmp_path: Path) -> None:
    persona = tmp_path / "agent.md"
    persona.write_text(
        "---\nname: agent\ndescription: d\nprompt: |\n  Run this:\n  ```python\n"
        "  raise SystemExit('from the prompt')\n  ```\n---\n\n# Agent\n\n"
        "```python\nx = 1\n```\n",
        encoding="utf-8",
    )
    site = path_examples([persona], None)
    assert [(e.language, e.code) for e in site.examples] == [("python", "x = 1\n")]
    assert site.examples[0].first_line == 14


def test_a_fence_superfences_renders_as_text_is_no_example_and_is_reported() -> None:
    found, problems = examples_from_markdown(
        "# Page\n\n```python no-run\nx = 1\n```\n", path="docs/page.md"
    )
    assert found == []
    assert [(d.code, str(d.span), d.hint) for d in problems] == [
        ("PKB616", "docs/page.md:3", "write the info string as {.python .no-run}")
    ]
