"""Which fenced blocks are found, where they are, and what is said about broken fences."""

from __future__ import annotations

import pytest
from md_structure_helpers import assert_block_lines_map, read_fixture
from persona_kb._internal.core.diagnostics import Severity, SourceSpan
from persona_kb._internal.core.model import CodeBlock
from persona_kb._internal.markdown import find_code_blocks


def _names(blocks: tuple[CodeBlock, ...]) -> list[str]:
    """The string each selection-fixture block assigns (its case name)."""
    return [block.code.split('"')[1] for block in blocks if '"' in block.code]


SELECTION_CASES = [
    # (case, fence line, column, language, nested)
    ("top", 5, 1, "python", False),
    ("list", 11, 3, "python", False),
    ("nested-list", 18, 7, "python", False),
    ("quote", 24, 3, "python", False),
    ("admonition", 30, 5, "python", False),
    ("details", 35, 5, "python", False),
    ("tab-in-details", 45, 9, "python", False),
    ("list-in-tab", 52, 13, "python", False),
    ("tilde-attrs", 56, 1, "python", False),
    ("five", 60, 1, "python", False),
    ("marked", 73, 1, "python", False),
    ("nested", 80, 1, "python", True),
]


def test_selection_finds_exactly_the_rendered_blocks() -> None:
    source = read_fixture("selection.md")
    scan = find_code_blocks(source, path="docs/selection.md")
    python = [b for b in scan.blocks if b.language == "python"]
    assert _names(tuple(python)) == [case for case, *_ in SELECTION_CASES]
    assert [(b.fence.line, b.fence.column, b.language, b.nested) for b in python] == [
        (line, column, language, nested) for _, line, column, language, nested in SELECTION_CASES
    ]
    assert [b.language for b in scan.blocks if b.language != "python"] == ["markdown", "bash"]
    assert scan.diagnostics == ()


@pytest.mark.parametrize("excluded", ["comment", "indented code, not an example"])
def test_selection_skips_comments_and_indented_code(excluded: str) -> None:
    scan = find_code_blocks(read_fixture("selection.md"), path="s.md")
    assert excluded not in _names(scan.blocks)
    assert all(excluded not in block.code for block in scan.blocks)


def test_selection_attributes_marker_and_spans() -> None:
    scan = find_code_blocks(read_fixture("selection.md"), path="docs/selection.md")
    by_name = dict(zip(_names(scan.blocks), scan.blocks, strict=False))
    assert by_name["tilde-attrs"].classes == ("no-run",)
    assert by_name["tilde-attrs"].info == "{.python .no-run}"
    assert by_name["list-in-tab"].attributes == {"title": "x.py", "hl_lines": "2"}
    assert by_name["five"].attributes == {"linenums": "1"}
    assert by_name["marked"].marker == "no-run"
    assert by_name["top"].marker == ""
    assert by_name["quote"].code == 'in_quote = "quote"\n'
    assert by_name["list-in-tab"].code == 'in_list_in_tab = "list-in-tab"\n'
    assert by_name["admonition"].fence == SourceSpan("docs/selection.md", 30, 5)
    assert by_name["admonition"].code_line == 31
    assert by_name["admonition"].line_span(0) == SourceSpan("docs/selection.md", 31)
    bash = scan.blocks[-1]
    assert bash.heading_path == ("Selection", "Setext heading")
    assert by_name["five"].heading_path == ("Selection",)


def test_every_block_maps_to_its_source_lines() -> None:
    source = read_fixture("selection.md")
    for block in find_code_blocks(source, path="s.md").blocks:
        assert_block_lines_map(source, block)


def test_first_line_offsets_every_span() -> None:
    source = read_fixture("selection.md")
    plain = find_code_blocks(source, path="p.md").blocks
    shifted = find_code_blocks(source, path="p.md", first_line=60).blocks
    assert [b.fence.line + 59 for b in plain] == [b.fence.line for b in shifted]
    assert [b.code_line + 59 for b in plain] == [b.code_line for b in shifted]
    for block in shifted:
        assert_block_lines_map(source, block, first_line=60)


def test_thematic_break_at_start_is_not_front_matter() -> None:
    source = "---\n\n```python\nx = 1\n```\n\n---\n\n```yaml\na: 1\n```\n"
    scan = find_code_blocks(source, path="b.md", first_line=10)
    assert [(b.language, b.fence.line, b.code) for b in scan.blocks] == [
        ("python", 12, "x = 1\n"),
        ("yaml", 18, "a: 1\n"),
    ]


def test_multiline_html_comment_hides_fences() -> None:
    source = "Text\n\n<!-- draft\n\n```python\nhidden()\n```\n\n-->\n\n```python\nshown()\n```\n"
    scan = find_code_blocks(source, path="c.md")
    assert [b.code for b in scan.blocks] == ["shown()\n"]
    assert scan.blocks[0].fence.line == 11


def test_unclosed_fence_runs_to_the_end_with_a_warning() -> None:
    source = "# Title\n\n```python\nx = 1\n\ny = 2\n"
    scan = find_code_blocks(source, path="kb/u.md", first_line=5)
    (block,) = scan.blocks
    assert block.closed is False
    assert block.code == "x = 1\n\ny = 2\n"
    (diagnostic,) = scan.diagnostics
    assert diagnostic.code == "PKB300"
    assert diagnostic.severity is Severity.WARNING
    assert diagnostic.span == SourceSpan("kb/u.md", 7, 1)
    assert "add a closing ``` line" in diagnostic.hint
    assert diagnostic.format().startswith("kb/u.md:7:1: warning: code fence ``` opened here")


def test_unclosed_fence_in_a_list_item_ends_with_the_item() -> None:
    source = "- a\n  ~~~~bash\n  ls\n- b\n\n```python\nok = 1\n```\n"
    scan = find_code_blocks(source, path="l.md")
    assert [(b.language, b.closed, b.code) for b in scan.blocks] == [
        ("bash", False, "ls\n"),
        ("python", True, "ok = 1\n"),
    ]
    assert [(d.code, d.span.line) for d in scan.diagnostics] == [("PKB300", 2)]
    assert "~~~~" in scan.diagnostics[0].hint


def test_closed_fences_of_every_shape() -> None:
    source = "```\n```\n\n~~~ini\n[a]\n~~~~~\n\n````py\n```\nnot closed by three\n````\n"
    scan = find_code_blocks(source, path="f.md")
    assert [(b.language, b.closed, b.code) for b in scan.blocks] == [
        ("", True, ""),
        ("ini", True, "[a]\n"),
        ("python", True, "```\nnot closed by three\n"),
    ]
    assert scan.diagnostics == ()


def test_long_markdown_fence_wrapping_fences_marks_them_nested() -> None:
    source = read_fixture("markdown-wrapping.md")
    scan = find_code_blocks(source, path="w.md", first_line=3)
    assert [(b.language, b.nested, b.fence.line, b.code_line) for b in scan.blocks] == [
        ("markdown", False, 5, 6),
        ("python", True, 8, 9),
        ("bash", True, 15, 16),
        ("python", False, 22, 23),
    ]
    assert scan.blocks[1].code == "from app import db\ndb.create_all()\n"
    assert scan.blocks[1].heading_path == ("Writing examples",)
    for block in scan.blocks:
        assert_block_lines_map(source, block, first_line=3)
    assert scan.diagnostics == ()


def test_short_markdown_fence_closed_by_inner_fence_is_reported_once() -> None:
    source = "# Doc\n\n```markdown\nUse this:\n\n```python\nx = 1\n```\n```\n\nAfter.\n"
    scan = find_code_blocks(source, path="w.md")
    assert [(b.language, b.nested, b.closed, b.fence.line) for b in scan.blocks] == [
        ("markdown", False, True, 3),
        ("python", True, False, 6),
        ("", False, False, 9),
    ]
    (diagnostic,) = scan.diagnostics
    assert diagnostic.code == "PKB303"
    assert diagnostic.span.line == 3
    assert "closed early at line 8" in diagnostic.message
    assert diagnostic.related == (SourceSpan("w.md", 6, 1),)
    assert "````markdown" in diagnostic.hint


def test_marker_comment_must_be_right_before_the_fence() -> None:
    source = (
        "<!-- persona-kb: raises=ValueError -->\n```python\nraise ValueError\n```\n\n"
        "<!-- persona-kb: no-run -->\n\n```python\nfar()\n```\n\n"
        "<!-- just a comment -->\n```python\nplain()\n```\n"
    )
    scan = find_code_blocks(source, path="m.md")
    assert [b.marker for b in scan.blocks] == ["raises=ValueError", "", ""]


def test_indented_code_block_is_not_an_example() -> None:
    scan = find_code_blocks("Text:\n\n    x = 1\n    y = 2\n", path="i.md")
    assert scan.blocks == ()


def test_crlf_and_form_feed_keep_line_numbers() -> None:
    source = "# T\r\n\r\nA\x0cB\r\n\r\n```python\r\nx = 1\r\n```\r\n"
    (block,) = find_code_blocks(source, path="c.md").blocks
    assert (block.fence.line, block.code_line, block.code) == (5, 6, "x = 1\n")


def test_headings_inside_fences_are_not_headings() -> None:
    source = "# Real\n\n```markdown\n# Not a heading\n```\n\n```python\n# comment\n```\n"
    scan = find_code_blocks(source, path="h.md")
    assert {b.heading_path for b in scan.blocks} == {("Real",)}


def test_open_fence_inside_a_longer_markdown_fence_is_only_text() -> None:
    source = "````markdown\nShow an unfinished fence:\n\n```python\nx = 1\n````\n\nDone.\n"
    scan = find_code_blocks(source, path="o.md")
    assert [(b.language, b.nested, b.closed) for b in scan.blocks] == [
        ("markdown", False, True),
        ("python", True, False),
    ]
    assert scan.diagnostics == ()
