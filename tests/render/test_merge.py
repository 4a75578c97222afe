"""Several personas in one topic: attribution and folding of identical bullets."""

from __future__ import annotations

from pathlib import Path

import pytest
from persona_kb._internal.kb import KBOptions, KnowledgeBase, build_knowledge_base
from persona_kb._internal.model import KBPage

PERSONA_A = """\
---
name: python-api-a
description: First persona.
capabilities:
  - "Type safety with mypy"
do_not:
  - "commit secrets"
---
# Python API A

## Best Practices
- Use type hints everywhere
- Prefer pathlib over os.path

## Anti-Patterns to Avoid
- Bare except clauses — catch specific exceptions
"""

PERSONA_B = """\
---
name: python-api-b
description: Second persona.
capabilities:
  - "Type safety with mypy"
do_not:
  - "Commit secrets."
---
# Python API B

## Best Practices
- use type hints  everywhere.
- Log with the logging module

## Constraints
- Never push to main
"""


@pytest.fixture
def merged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> KnowledgeBase:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "a.md").write_text(PERSONA_A)
    (tmp_path / "kb" / "b.md").write_text(PERSONA_B)
    return build_knowledge_base(KBOptions(source=Path("kb")))


def page(kb: KnowledgeBase, suffix: str) -> KBPage:
    return next(p for p in kb.pages if p.path.endswith(suffix))


def test_both_personas_merge_into_one_topic(merged: KnowledgeBase) -> None:
    assert [t.slug for t in merged.topics] == ["python"]
    assert page(merged, "python/README.md").sources == ("kb/a.md", "kb/b.md")


def test_identical_bullets_fold_with_both_personas_named(merged: KnowledgeBase) -> None:
    text = page(merged, "QUICK-REFERENCE.md").markdown
    rows = [line for line in text.split("\n") if "type hints" in line.lower()]
    assert rows == ["| ✅ Do | Use type hints everywhere | Python API A, Python API B |"]
    secrets = [line for line in text.split("\n") if "secrets" in line.lower()]
    assert secrets == ["| ❌ Don't | commit secrets | Python API A, Python API B |"]
    assert "| ❌ Don't | Never push to main | Python API B |" in text
    assert "| ✅ Do | Prefer pathlib over os.path | Python API A |" in text


def test_folded_row_maps_to_the_first_writer(merged: KnowledgeBase) -> None:
    quick = page(merged, "QUICK-REFERENCE.md")
    number = quick.markdown.split("\n").index(
        "| ✅ Do | Use type hints everywhere | Python API A, Python API B |"
    )
    span = quick.source_map.lookup(number + 1)
    assert span is not None
    assert (span.path, span.line) == ("kb/a.md", 12)


def test_every_section_is_attributed(merged: KnowledgeBase) -> None:
    guide = page(merged, "PYTHON-COMPREHENSIVE-GUIDE.md").markdown
    assert "## Python API A {#persona-python-api-a}\n\nFrom `kb/a.md`." in guide
    assert "## Python API B {#persona-python-api-b}\n\nFrom `kb/b.md`." in guide
    readme = page(merged, "python/README.md").markdown
    assert readme.count("- Type safety with mypy") == 1  # folded capability
    patterns = page(merged, "PYTHON-SPECIFIC-PATTERNS.md").markdown
    assert "| Bare except clauses | catch specific exceptions | Python API A |" in patterns


def test_source_url_makes_links_and_none_shows_code(tmp_path: Path, merged: KnowledgeBase) -> None:
    assert "`kb/a.md`" in page(merged, "python/README.md").markdown
    kb = build_knowledge_base(
        KBOptions(source=Path("kb"), source_url="https://example.org/repo/blob/main/")
    )
    readme = page(kb, "python/README.md").markdown
    assert "[`kb/a.md`](https://example.org/repo/blob/main/kb/a.md)" in readme
