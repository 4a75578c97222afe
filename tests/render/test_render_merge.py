"""Several personas in one topic: attribution and folding of identical bullets."""

from __future__ import annotations

from pathlib import Path

import pytest
from persona_kb._internal.core.model import KBPage
from persona_kb._internal.kb.build import KBOptions, KnowledgeBase, build_knowledge_base

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
    assert rows == ["| ✅ | Use type hints everywhere | Python API A and Python API B |"]
    secrets = [line for line in text.split("\n") if "secrets" in line.lower()]
    assert secrets == ["| ❌ | Don't commit secrets | Python API A and Python API B |"]
    assert "| ❌ | Never push to main | Python API B |" in text
    assert "| ✅ | Prefer pathlib over os.path | Python API A |" in text
    # Agreement ranks first: the two folded rules lead their groups.
    assert text.index("Use type hints") < text.index("Prefer pathlib")


def test_folded_row_maps_to_the_first_writer(merged: KnowledgeBase) -> None:
    quick = page(merged, "QUICK-REFERENCE.md")
    number = quick.markdown.split("\n").index(
        "| ✅ | Use type hints everywhere | Python API A and Python API B |"
    )
    span = quick.source_map.lookup(number + 1)
    assert span is not None
    assert (span.path, span.line) == ("kb/a.md", 12)


def test_every_section_is_attributed(merged: KnowledgeBase) -> None:
    guide = page(merged, "PYTHON-COMPREHENSIVE-GUIDE.md").markdown
    assert "### Python API A {#persona-python-api-a}\n\nFrom `kb/a.md`." in guide
    assert "### Python API B {#persona-python-api-b}\n\nFrom `kb/b.md`." in guide
    assert "*From [Python API A](README.md#persona-python-api-a), `kb/a.md:11`.*" in guide
    readme = page(merged, "python/README.md").markdown
    assert readme.count("- Type safety with mypy") == 1  # folded capability
    patterns = page(merged, "PYTHON-SPECIFIC-PATTERNS.md").markdown
    assert "| Avoid bare except clauses | catch specific exceptions | Python API A |" in patterns


def test_source_url_makes_links_and_none_shows_code(tmp_path: Path, merged: KnowledgeBase) -> None:
    assert "`kb/a.md`" in page(merged, "python/README.md").markdown
    kb = build_knowledge_base(
        KBOptions(source=Path("kb"), source_url="https://example.org/repo/blob/main/")
    )
    readme = page(kb, "python/README.md").markdown
    assert "[`kb/a.md`](https://example.org/repo/blob/main/kb/a.md)" in readme


def test_headings_nested_in_content_stay_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "rules.md").write_text(
        "# Go Rules\n\n## Example\n\n- id: bad\n  # a YAML comment, not a heading\n  level: 1\n"
        "\n```yaml\n# a comment in code stays as it is\n```\n"
    )
    kb = build_knowledge_base(KBOptions(source=Path("kb")))
    guide = page(kb, "GO-COMPREHENSIVE-GUIDE.md").markdown
    assert "- id: bad\n  \\# a YAML comment, not a heading\n  level: 1" in guide
    assert "```yaml\n# a comment in code stays as it is\n```" in guide
    assert [line for line in guide.split("\n") if line.startswith("# ")] == [
        "# Go comprehensive guide",
        "# a comment in code stays as it is",
    ]


def test_labelled_lists_feed_the_cheat_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Personas without headings (Claude subagents) label their lists instead."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "rust-pro.md").write_text(
        "---\nname: rust-pro\ndescription: Rust expert.\n---\n\nYou are a Rust expert.\n\n"
        "Rust review checklist:\n- Clippy clean\n- No unsafe without a comment\n\n"
        "Best practices:\n- Prefer iterators\n- Never unwrap in libraries\n\n"
        "Key takeaways:\n- Ownership first\n"
    )
    kb = build_knowledge_base(KBOptions(source=Path("kb")))
    quick = page(kb, "rust/QUICK-REFERENCE.md")
    text = quick.markdown
    assert "## Checklist {#checklist}\n\n- [ ] Clippy clean *(Rust Pro)*\n- [ ] No unsafe" in text
    assert "| ✅ | Prefer iterators | Rust Pro |" in text
    assert "| ❌ | Never unwrap in libraries | Rust Pro |" in text
    assert "- Ownership first *(Rust Pro)*" in text
    number = text.split("\n").index("- [ ] Clippy clean *(Rust Pro)*") + 1
    span = quick.source_map.lookup(number)
    assert span is not None
    assert (span.path, span.line) == ("kb/rust-pro.md", 9)
