"""Runs of link reference definitions are bounded so markdown-it-py 3.x stays linear."""

from __future__ import annotations

from pathlib import Path

from persona_kb._internal.ingest import ingest
from persona_kb._internal.kb.build import KBOptions, build_knowledge_base
from persona_kb._internal.markdown.parser import parse_tokens
from persona_kb._internal.markdown.references import MAX_REFERENCE_WORK, bound_reference_runs


def _definitions(count: int, start: int = 0) -> list[str]:
    return [f"[ref{i}]: https://example.com/{i}" for i in range(start, start + count)]


def test_a_small_run_is_left_alone() -> None:
    text = "\n".join(["# T", "", *_definitions(150), "", "See [ref1]."])
    assert bound_reference_runs(text, "x.md", 5) == (text, [])


def test_definitions_separated_by_blank_lines_are_left_alone() -> None:
    text = "\n\n".join(_definitions(3000))
    assert bound_reference_runs(text, "x.md", 1) == (text, [])


def test_an_over_budget_paragraph_is_shown_as_text_on_the_same_lines() -> None:
    lines = ["# T", "", *_definitions(2000), "", "[kept]: https://example.com/kept"]
    text = "\n".join(lines)
    bounded, diagnostics = bound_reference_runs(text, "kb/x.md", 5)
    out = bounded.split("\n")
    assert len(out) == len(lines)
    assert out[2] == "\\[ref0]: https://example.com/0"
    assert out[-1] == lines[-1]  # its own paragraph, within budget
    assert [(d.code, d.span.path, d.span.line) for d in diagnostics] == [("PKB305", "kb/x.md", 7)]
    # what remains parses as text: the definitions are no longer definitions
    inline = [t for t in parse_tokens(bounded) if t.type == "inline"]
    assert any("[ref1999]: https://example.com/1999" in t.content for t in inline)
    assert MAX_REFERENCE_WORK < 2000 * 2000


def test_code_blocks_and_quotes() -> None:
    fenced = ["```text", *_definitions(2000), "```"]
    text = "\n".join(fenced)
    assert bound_reference_runs(text, "x.md", 1) == (text, [])
    quoted = "\n".join(f"> {line}" for line in _definitions(2000))
    bounded, diagnostics = bound_reference_runs(quoted, "x.md", 1)
    assert bounded.split("\n")[0] == "> \\[ref0]: https://example.com/0"
    assert len(diagnostics) == 1


def test_a_persona_with_8000_definitions_is_built_with_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "kb"
    source.mkdir()
    body = "\n".join(["---", "name: refs", "---", "", "# Refs", "", *_definitions(8000), ""])
    (source / "refs.md").write_text(body, encoding="utf-8")
    result = ingest([source])
    assert [(d.code, d.span.line) for d in result.diagnostics if d.code == "PKB305"] == [
        ("PKB305", 7)
    ]
    kb = build_knowledge_base(KBOptions(source=source))
    guide = next(p for p in kb.pages if p.path.endswith("COMPREHENSIVE-GUIDE.md"))
    assert "ref7999" in guide.markdown
