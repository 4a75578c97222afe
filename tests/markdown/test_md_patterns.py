"""❌/✅ pattern cards: both shapes of seed-000, line mapping, lone labels."""

from __future__ import annotations

import pytest
from md_structure_helpers import (
    SEED_000_BODY_LINE,
    assert_side_lines_map,
    read_fixture,
    repair,
    seed_000_body,
)
from persona_kb._internal.core.diagnostics import Severity, SourceSpan
from persona_kb._internal.core.model import Label, PatternPair
from persona_kb._internal.markdown import find_code_blocks, find_patterns, parse_body

PATH = "kb/python-backend-engineer.md"


@pytest.fixture(scope="module")
def seed_000_cards() -> tuple[PatternPair, ...]:
    body = parse_body(seed_000_body(), path=PATH, first_line=SEED_000_BODY_LINE)
    assert body.diagnostics == ()
    return body.patterns


def test_repaired_fixture_is_the_seed_repaired() -> None:
    raw = read_fixture("seed-000-repaired.md")
    assert "\u00e2\u0152" not in raw
    assert raw.count("❌") == 10
    assert raw.count("✅") == 15
    assert repair(raw) == raw


def test_seed_000_has_exactly_eight_cards(seed_000_cards: tuple[PatternPair, ...]) -> None:
    assert [(card.shape, card.span.line, card.title) for card in seed_000_cards] == [
        ("headings", 167, "FastAPI Async Route Patterns with Pydantic v2"),
        ("markers", 254, "Pattern A: Model Configuration (v2 style)"),
        ("headings", 338, "SQLAlchemy 2.0+ Async Patterns"),
        ("markers", 381, "Pattern: Prevent N+1 Queries"),
        ("markers", 813, 'Error: "Incompatible types in assignment"'),
        ("markers", 825, 'Error: "Argument has incompatible type"'),
        ("markers", 836, 'Error: "Mutable default argument"'),
        ("markers", 852, 'Error: "Coroutine was never awaited"'),
    ]
    for card in seed_000_cards:
        assert card.span.path == PATH
        assert card.wrong.path == card.correct.path == PATH
        assert card.wrong.language == card.correct.language == "python"


def test_heading_shape_sides_and_why(seed_000_cards: tuple[PatternPair, ...]) -> None:
    card = seed_000_cards[0]
    assert card.wrong.caption == "Blocking sync code in async route"
    assert card.correct.caption == "Async with proper dependency injection"
    assert card.wrong.lines == tuple(range(168, 187))
    assert card.correct.lines == tuple(range(191, 240))
    assert card.wrong.code.startswith("from fastapi import FastAPI, HTTPException\n")
    assert card.correct.code.endswith("    return UserResponse.model_validate(new_user)\n")
    assert card.why == (
        "**Why this matters:**\n"
        "- Blocking calls in async routes block the entire event loop\n"
        "- Can reduce throughput by 10-100x\n"
        "- Always use async database drivers (asyncpg, aiomysql, motor)"
    )
    assert card.heading_path == (
        "🎯 Critical Python Backend Patterns & Best Practices",
        "1. FastAPI Async Route Patterns with Pydantic v2",
    )
    sqlalchemy = seed_000_cards[2]
    assert sqlalchemy.wrong.lines == (339, 340, 341)
    assert sqlalchemy.wrong.code.startswith("# ❌ Deprecated query API\n")
    assert sqlalchemy.correct.caption == "SQLAlchemy 2.0+ select API"
    assert sqlalchemy.why == ""


def test_marker_shape_keeps_the_preamble_in_both_halves(
    seed_000_cards: tuple[PatternPair, ...],
) -> None:
    card = seed_000_cards[1]
    assert card.wrong.lines == (255, 256, 257, 258, 259, 260, 261, 262)
    assert card.correct.lines == (255, 256, 257, *range(264, 277))
    assert card.wrong.code == (
        "from pydantic import BaseModel, Field, ConfigDict\n"
        "from datetime import datetime\n"
        "\n"
        "# ❌ Pydantic v1 style (deprecated)\n"
        "class UserV1(BaseModel):\n"
        "    class Config:\n"
        "        orm_mode = True\n"
        "        use_enum_values = True\n"
    )
    assert card.correct.code.startswith(
        "from pydantic import BaseModel, Field, ConfigDict\nfrom datetime import datetime\n\n"
        "# ✅ Pydantic v2 style\nclass User(BaseModel):\n"
    )
    assert (card.wrong.caption, card.correct.caption) == (
        "Pydantic v1 style (deprecated)",
        "Pydantic v2 style",
    )
    assert card.why == ""
    n_plus_one = seed_000_cards[3]
    assert n_plus_one.wrong.lines == tuple(range(382, 389))
    assert n_plus_one.correct.lines == tuple(range(390, 400))
    assert n_plus_one.correct.caption == "Solution: Eager loading"


def test_playbook_cards_carry_the_solution(seed_000_cards: tuple[PatternPair, ...]) -> None:
    playbook = seed_000_cards[4:]
    assert [card.why for card in playbook] == [
        "**Solution:** Use proper type annotations and Optional",
        "**Solution:** Use Pydantic model_dump() instead of dict()",
        "**Solution:** Use None as default, initialize inside function",
        "**Solution:** Add await keyword",
    ]
    mutable = playbook[2]
    assert mutable.wrong.lines == (837, 838, 839, 840)
    assert mutable.correct.lines == (842, 843, 844, 845, 846, 847)
    assert mutable.wrong.code == (
        "# ❌ Dangerous!\ndef add_item(item: str, items: list = []):\n"
        "    items.append(item)\n    return items\n"
    )
    assert mutable.wrong.line_span(1) == SourceSpan(PATH, 838)
    assert [(c.wrong.caption, c.correct.caption) for c in playbook] == [
        ("Before", "After"),
        ("Pydantic v1", "Pydantic v2"),
        ("Dangerous!", "Safe"),
        ("Missing await", ""),
    ]


def test_every_card_line_maps_to_the_source(seed_000_cards: tuple[PatternPair, ...]) -> None:
    body = seed_000_body()
    for card in seed_000_cards:
        assert_side_lines_map(body, card.wrong, first_line=SEED_000_BODY_LINE)
        assert_side_lines_map(body, card.correct, first_line=SEED_000_BODY_LINE)


def test_seed_000_block_labels() -> None:
    scan = find_code_blocks(seed_000_body(), path=PATH, first_line=SEED_000_BODY_LINE)
    labelled = [(b.fence.line, b.label) for b in scan.blocks if b.label]
    assert labelled == [
        (167, Label.WRONG),
        (190, Label.CORRECT),
        (338, Label.WRONG),
        (345, Label.CORRECT),
    ]


def test_find_patterns_matches_parse_body() -> None:
    body_text = seed_000_body()
    body = parse_body(body_text, path=PATH, first_line=SEED_000_BODY_LINE)
    pairs, diagnostics = find_patterns(
        body_text, body.code_blocks, body.sections, path=PATH, first_line=SEED_000_BODY_LINE
    )
    assert pairs == body.patterns
    assert diagnostics == ()


LABEL_LINES = """\
## Sessions

**❌ WRONG:**

```python
session = Session()
```

✅ Good: close it

```python
with Session() as session:
    pass
```

## Only wrong

❌ Bad:
```python
eval(user_input)
```

## Reversed

**Do:**

```python
x = [1]
```

**Don't:**

```python
x = []
x.append(1)
```
"""


def test_label_lines_pair_in_either_order_and_lone_labels_are_reported() -> None:
    body = parse_body(LABEL_LINES, path="l.md", first_line=3)
    assert [(p.title, p.wrong.lines, p.correct.lines) for p in body.patterns] == [
        ("Sessions", (8,), (14, 15)),
        ("Reversed", (36, 37), (30,)),
    ]
    assert body.patterns[0].wrong.caption == ""
    assert body.patterns[0].correct.caption == "close it"
    (lone,) = body.diagnostics
    assert lone.code == "PKB302"
    assert lone.severity is Severity.INFO
    assert lone.span == SourceSpan("l.md", 21)
    assert "❌ WRONG example has no ✅ CORRECT partner" in lone.message


def test_pairs_do_not_cross_section_boundaries() -> None:
    source = (
        "## One\n\n#### ❌ WRONG\n```python\na = 1\n```\n\n"
        "## Two\n\n#### ✅ CORRECT\n```python\nb = 2\n```\n"
    )
    body = parse_body(source, path="x.md")
    assert body.patterns == ()
    assert [(d.code, d.span.line) for d in body.diagnostics] == [("PKB302", 4), ("PKB302", 11)]


MARKERS = """\
### Several pairs

```javascript
import x from "x";

// ❌ Bad: var
var a = 1;

// ✅ Good: const
const a = 1;

// ❌ Bad: loose equality
if (a == "1") {}
// ✅ Good: strict
if (a === 1) {}
// ❌ leftover
```

### Only indented markers

```python
class A:
    # ✅ fine
    x = 1
    # ❌ not a split
    y = 2
```

### Only wrong markers

```python
# ❌ one
a = 1
# ❌ two
b = 2
```
"""


def test_marker_blocks_split_into_several_cards() -> None:
    body = parse_body(MARKERS, path="m.md")
    assert [(p.title, p.shape, p.wrong.lines, p.correct.lines) for p in body.patterns] == [
        ("Several pairs", "markers", (4, 5, 6, 7), (4, 5, 9, 10)),
        ("Several pairs (2)", "markers", (4, 5, 12, 13), (4, 5, 14, 15)),
    ]
    first, second = body.patterns
    assert (first.wrong.caption, first.correct.caption) == ("var", "const")
    assert second.wrong.caption == "loose equality"
    assert second.correct.code == 'import x from "x";\n\n// ✅ Good: strict\nif (a === 1) {}\n'
    assert [(d.code, d.span.line) for d in body.diagnostics] == [("PKB302", 16)]
    for card in body.patterns:
        assert_side_lines_map(MARKERS, card.wrong)
        assert_side_lines_map(MARKERS, card.correct)


def test_nested_examples_are_not_cards() -> None:
    source = "````markdown\n```python\n# ❌ a\nx = 1\n# ✅ b\nx = 2\n```\n````\n"
    body = parse_body(source, path="n.md")
    assert body.patterns == ()
    assert [b.nested for b in body.code_blocks] == [False, True]


TABBED = """\
### Closing sessions

=== "❌ Wrong"

    ```python
    session = make_session()
    ```

=== "✅ Correct"

    ```python
    with make_session() as session:
        pass
    ```

!!! tip "Why"
    Sessions leak.
"""


def test_tab_titles_label_their_blocks() -> None:
    body = parse_body(TABBED, path="t.md", first_line=100)
    assert [b.label for b in body.code_blocks] == [Label.WRONG, Label.CORRECT]
    (card,) = body.patterns
    assert (card.title, card.shape, card.span.line) == ("Closing sessions", "headings", 104)
    assert card.wrong.lines == (105,)
    assert card.correct.lines == (111, 112)
    assert card.correct.code == "with make_session() as session:\n    pass\n"
    assert card.why == ""
    assert_side_lines_map(TABBED, card.correct, first_line=100)


def test_marker_block_before_any_heading_has_no_why() -> None:
    source = "Some intro prose.\n\n```python\n# ❌ old\nx = 1\n# ✅ new\nx = 2\n```\n"
    (card,) = parse_body(source, path="p.md").patterns
    assert (card.title, card.why, card.wrong.lines, card.correct.lines) == (
        "old",
        "",
        (4, 5),
        (6, 7),
    )
