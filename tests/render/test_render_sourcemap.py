"""Fragments expand with their spans, keeping indentation for content tabs."""

from __future__ import annotations

from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.kb.render.sourcemap import Fragment, FragmentTable, expand


def test_multi_line_fragment_repeats_indentation_and_maps_each_line() -> None:
    table = FragmentTable()
    code = table.add(Fragment.from_source("def f():\n    return 1\n\nf()", "kb/a.md", 40))
    text, source_map = expand(f'=== "Tab"\n\n    {code}\nafter', table)
    assert text == '=== "Tab"\n\n    def f():\n        return 1\n\n    f()\nafter\n'
    assert source_map.lines == (
        None,
        None,
        SourceSpan("kb/a.md", 40),
        SourceSpan("kb/a.md", 41),
        SourceSpan("kb/a.md", 42),
        SourceSpan("kb/a.md", 43),
        None,
    )


def test_single_line_fragments_inside_a_table_row_give_the_row_their_span() -> None:
    table = FragmentTable()
    cell = table.text("Use hints", SourceSpan("kb/a.md", 7))
    other = table.text("A")
    text, source_map = expand(f"| {cell} | {other} |", table)
    assert text == "| Use hints | A |\n"
    assert source_map.lines == (SourceSpan("kb/a.md", 7),)


def test_content_cannot_forge_a_placeholder() -> None:
    table = FragmentTable()
    table.text("secret")
    forged = table.text("\x1a0\x1a")
    text, _ = expand(forged, table)
    assert text == "0\n"


def test_blockquote_prefix_repeats() -> None:
    table = FragmentTable()
    quote = table.add(Fragment.from_text("one\ntwo"))
    text, _ = expand(f"> {quote}", table)
    assert text == "> one\n> two\n"
