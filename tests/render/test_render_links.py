"""Links between personas point at the page and anchor where the target now lives."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from persona_kb._internal.kb.build import KBOptions, KnowledgeBase, build_knowledge_base
from persona_kb._internal.kb.render.persona_links import github_slug
from test_render_pages import anchors

HELPER = """\
---
name: python-helper
description: Python helper.
---
# Python Helper

## Safety & Bias Mitigation

Be careful.

## Links

- See [the prompt guide](./prompt.instructions.md).
- And [its safety part](prompt.instructions.md#safety--bias-mitigation).
- Back to [our own safety section](#safety--bias-mitigation); an [unknown one](#nowhere).
- External [site](https://example.org/x.md) and `[code](./prompt.instructions.md)`.

```markdown
[in code](./prompt.instructions.md)
```
"""

PROMPT = """\
---
description: Prompt writing rules for Go services.
applyTo: "**/*.go"
topic: go
---
# Prompt rules

## Safety & Bias Mitigation

Never leak.
"""


@pytest.fixture
def linked(tmp_path: Path) -> KnowledgeBase:
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "python-helper.md").write_text(HELPER)
    (tmp_path / "kb" / "prompt.instructions.md").write_text(PROMPT)
    with contextlib.chdir(tmp_path):
        return build_knowledge_base(KBOptions(source=Path("kb")))


def test_github_anchor_slugs() -> None:
    assert github_slug("Safety & Bias Mitigation") == "safety--bias-mitigation"
    assert github_slug("Step 1: Set up `uv`") == "step-1-set-up-uv"


def test_links_to_personas_are_rewritten(linked: KnowledgeBase) -> None:
    guide = next(p for p in linked.pages if p.path == "kb/python/PYTHON-COMPREHENSIVE-GUIDE.md")
    text = guide.markdown
    assert "[the prompt guide](../go/GO-COMPREHENSIVE-GUIDE.md#persona-prompt)" in text
    assert (
        "[its safety part](../go/GO-COMPREHENSIVE-GUIDE.md#prompt-safety-bias-mitigation)" in text
    )
    assert (
        "[our own safety section](PYTHON-COMPREHENSIVE-GUIDE.md"
        "#python-helper-safety-bias-mitigation)" in text
    )
    # Left as written: unknown anchors, external links, code spans and code blocks.
    assert "[unknown one](#nowhere)" in text
    assert "[site](https://example.org/x.md)" in text
    assert "`[code](./prompt.instructions.md)`" in text
    assert "[in code](./prompt.instructions.md)" in text
    go = next(p for p in linked.pages if p.path == "kb/go/GO-COMPREHENSIVE-GUIDE.md")
    assert {"persona-prompt", "prompt-safety-bias-mitigation"} <= anchors(go)
    assert "python-helper-safety-bias-mitigation" in anchors(guide)


def test_a_moved_target_re_renders_the_linking_topic(tmp_path: Path) -> None:
    from persona_kb._internal.kb.build import KBCache

    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "python-helper.md").write_text(HELPER)
    (tmp_path / "kb" / "prompt.instructions.md").write_text(PROMPT)
    cache = KBCache()
    with contextlib.chdir(tmp_path):
        build_knowledge_base(KBOptions(source=Path("kb")), cache=cache)
        (tmp_path / "kb" / "prompt.instructions.md").write_text(
            PROMPT.replace("topic: go", "topic: rust")
        )
        kb = build_knowledge_base(KBOptions(source=Path("kb")), cache=cache)
    guide = next(p for p in kb.pages if p.path == "kb/python/PYTHON-COMPREHENSIVE-GUIDE.md")
    assert (
        "[the prompt guide](../rust/RUST-COMPREHENSIVE-GUIDE.md#persona-prompt)" in guide.markdown
    )
