"""Line mapping holds on random and real-world Markdown, and nothing ever raises."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from md_structure_helpers import assert_block_lines_map, assert_side_lines_map
from persona_kb._internal.markdown import BodyStructure, find_code_blocks, parse_body
from persona_kb._internal.markdown.parser import source_lines

SHARED_CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"

_PIECES = [
    "# H", "## ❌ WRONG", "### ✅ CORRECT (x)", "text", "", "", "```python", "```", "~~~",
    "````md", "````", "    ```py", "    code", "> ```", "> x", "- item", "  ```js", "  // ❌ a",
    "  // ✅ b", "!!! note", '??? tip "t"', '=== "A"', "        ```", "<!--", "-->",
    "<!-- persona-kb: no-run -->", "# ❌ bad", "# ✅ good", "x = 1", "---", "Title", "===",
    "**❌ WRONG:**", "✅ Good:", "\t```", "1. a", "   ```bash", "\x0c", "   > - ```", "```markdown",
]  # fmt: skip


def _assert_all_lines_map(text: str, body: BodyStructure, first_line: int) -> None:
    for block in body.code_blocks:
        assert_block_lines_map(text, block, first_line)
    for card in body.patterns:
        assert_side_lines_map(text, card.wrong, first_line)
        assert_side_lines_map(text, card.correct, first_line)
    lines = source_lines(text)
    for root in body.sections:
        for section in root.walk():
            for index, line in enumerate(section.content.split("\n") if section.content else []):
                assert lines[section.content_line + index - first_line] == line
    for diagnostic in body.diagnostics:
        assert first_line <= diagnostic.span.line < first_line + len(lines)


@pytest.mark.parametrize("seed", range(3))
def test_random_markdown_maps_every_line(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(150):
        text = "\n".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 40)))
        first_line = rng.randint(1, 50)
        _assert_all_lines_map(
            text, parse_body(text, path="f.md", first_line=first_line), first_line
        )


@pytest.mark.parametrize(
    "text",
    [
        "> " * 300 + "```python\nx\n```\n",
        "".join("    " * depth + "!!! note\n" for depth in range(60)) + " " * 240 + "```py\nx\n",
        "- " * 200 + "```\n",
        "````markdown\n" * 50 + "```python\nx\n",
        "```\n" * 1001,
        "#" * 7 + " not a heading\n" + "=" * 10000 + "\n",
    ],
    ids=["deep-quotes", "deep-admonitions", "deep-lists", "deep-md-fences", "many-fences", "long"],
)
def test_pathological_input_never_raises(text: str) -> None:
    body = parse_body(text, path="p.md")
    _assert_all_lines_map(text, body, 1)
    assert find_code_blocks(text, path="p.md").blocks == body.code_blocks


@pytest.mark.slow
def test_shared_corpus_maps_every_line() -> None:
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"shared corpus not present at {SHARED_CORPUS}")
    files = sorted(
        path
        for path in SHARED_CORPUS.rglob("*")
        if path.suffix in {".md", ".mdc"} and path.is_file()
    )
    assert len(files) > 800
    blocks = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        body = parse_body(text, path=path.name)
        _assert_all_lines_map(text, body, 1)
        blocks += len(body.code_blocks)
    assert blocks > 900
