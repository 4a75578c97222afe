"""Failures are reported at the source: the persona line inside the block, not the fence."""

from __future__ import annotations

from examples_helpers import block, check, only, page
from persona_kb._internal.checks.examples.prelude import Prelude, PreludeSet
from persona_kb._internal.checks.examples.runner import dedupe
from persona_kb._internal.checks.examples.selection import examples_from_page
from persona_kb._internal.checks.examples.spec import Example
from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.core.model import KBPage, PageKind, SourceMap

PERSONA = "kb/persona.md"
SEP = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"


def _generated(path: str, markdown: str, mapping: dict[int, int]) -> KBPage:
    """A generated page whose line ``k`` came from persona line ``mapping[k]``."""
    total = len(markdown.splitlines())
    lines = tuple(
        SourceSpan(PERSONA, mapping[n]) if n in mapping else None for n in range(1, total + 1)
    )
    return KBPage(
        path=path,
        title="T",
        markdown=markdown,
        source_map=SourceMap(lines),
        kind=PageKind.COMPREHENSIVE_GUIDE,
        topic="python",
        sources=(PERSONA,),
    )


GUIDE = "---\ntitle: Guide\n---\n# Guide\n\n## Pattern B\n\n```python\nx = 1\nprint(nope)\n```\n"


def test_a_generated_page_block_maps_to_the_persona_line_inside_the_block() -> None:
    kb_page = _generated("kb/python/PYTHON-COMPREHENSIVE-GUIDE.md", GUIDE, {9: 281, 10: 282})
    (example,), problems = examples_from_page(kb_page, {})
    assert problems == []
    assert (example.path, example.lines, example.page) == (
        PERSONA,
        (281, 282),
        "kb/python/PYTHON-COMPREHENSIVE-GUIDE.md",
    )
    assert example.name == f"kb/persona.md:281 [PYTHON-COMPREHENSIVE-GUIDE {SEP} Pattern B]"
    result = only(check(example))
    assert (str(result.span), result.kind) == ("kb/persona.md:282", "NameError")
    assert 'File "kb/persona.md", line 282' in result.traceback
    diagnostic = result.diagnostic()
    assert diagnostic is not None
    assert diagnostic.format() == (
        "kb/persona.md:282:1: error: NameError: name 'nope' is not defined "
        f"(on kb/python/PYTHON-COMPREHENSIVE-GUIDE.md {SEP} Pattern B) [PKB600]"
    )


def test_the_same_block_on_two_pages_is_checked_once() -> None:
    guide = _generated("kb/python/PYTHON-COMPREHENSIVE-GUIDE.md", GUIDE, {9: 281, 10: 282})
    cards = _generated("kb/python/PYTHON-SPECIFIC-PATTERNS.md", GUIDE, {9: 281, 10: 282})
    found = examples_from_page(guide, {})[0] + examples_from_page(cards, {})[0]
    (unique,) = dedupe(found)
    assert unique.also_on == ("kb/python/PYTHON-SPECIFIC-PATTERNS.md",)


def test_lines_the_renderer_wrote_itself_are_reported_at_the_page() -> None:
    kb_page = _generated("kb/python/README.md", GUIDE, {})
    (example,), _ = examples_from_page(kb_page, {})
    assert (example.path, example.first_line) == ("kb/python/README.md", 9)


def test_a_hand_written_page_reports_its_own_line() -> None:
    (example,) = page("# Title\n\nText.\n\n```python\nx = 1\n\nraise KeyError('k')\n```\n")
    result = only(check(example))
    assert str(result.span) == "docs/page.md:8"


def test_non_contiguous_lines_of_a_pattern_half_map_each_line() -> None:
    half = Example(
        language="python",
        code="import os\n\nx = 1\nos.nope()\n",
        path=PERSONA,
        lines=(5, 6, 20, 21),
        fence_line=4,
    )
    result = only(check(half))
    assert (str(result.span), result.kind) == ("kb/persona.md:21", "AttributeError")


def test_syntax_errors_are_reported_at_their_line_contiguous_or_not() -> None:
    plain = only(check(block("x = 1\ny = = 2", first=50)))
    split = only(
        check(
            Example(
                language="python",
                code="import os\n\ny = = 2\n",
                path=PERSONA,
                lines=(5, 6, 30),
                fence_line=4,
            )
        )
    )
    assert (plain.kind, str(plain.span)) == ("SyntaxError", "kb/persona.md:51")
    assert (split.kind, str(split.span)) == ("SyntaxError", "kb/persona.md:30")


def test_a_failing_prelude_is_reported_at_the_prelude_line() -> None:
    preludes = PreludeSet(
        config=(Prelude("kb/_preludes/python.py", "x = 1\nraise OSError('db')\n"),)
    )
    result = only(check(block("y = 2"), preludes=preludes))
    assert (str(result.span), result.code) == ("kb/_preludes/python.py:2", "PKB612")
    assert result.message == "prelude failed: OSError: db"


def test_functions_defined_in_the_block_report_the_innermost_block_line() -> None:
    code = "def parse(v):\n    return int(v)\n\nparse('x')"
    result = only(check(block(code, first=100)))
    assert (str(result.span), result.kind) == ("kb/persona.md:101", "ValueError")
