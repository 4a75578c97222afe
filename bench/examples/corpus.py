"""Generate the example-checker benchmark corpus: Markdown pages full of python blocks.

About 70% of the blocks pass, 20% raise and 10% have a syntax error. Every
failure's page line is recorded, so each tool's report can be scored for
"found at the exact line".
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Expected:
    """A block that must fail, at ``line`` of ``page``."""

    page: str
    line: int
    kind: str


_PASSING = [
    [
        "def fib(n: int) -> int:",
        "    a, b = 0, 1",
        "    for _ in range(n):",
        "        a, b = b, a + b",
        "    return a",
        "",
        "assert fib({n}) == {fib}",
    ],
    [
        "from dataclasses import dataclass",
        "",
        "@dataclass",
        "class Point{n}:",
        "    x: int",
        "    y: int",
        "",
        "p = Point{n}({n}, {n} + 1)",
        "assert p.y - p.x == 1",
    ],
    [
        "import json",
        "",
        'data = {{"id": {n}, "tags": ["a", "b"]}}',
        "text = json.dumps(data)",
        'assert json.loads(text)["id"] == {n}',
    ],
    [
        "import asyncio",
        "",
        "async def double(x: int) -> int:",
        "    await asyncio.sleep(0)",
        "    return 2 * x",
        "",
        "assert asyncio.run(double({n})) == {double}",
    ],
    [
        "squares = [i * i for i in range({n} % 50 + 5)]",
        "total = sum(squares)",
        "assert total >= 0",
        "print(total)",
    ],
]

_RAISING = [
    (
        ["def parse(value: str) -> int:", "    return int(value)", "", 'parse("x{n}")'],
        1,
        "ValueError",
    ),
    (["items = {{'a': 1}}", "key = 'missing{n}'", "print(items[key])"], 2, "KeyError"),
    (
        [
            "def check(x: int) -> None:",
            "    assert x < 0, f'{{x}} is not negative'",
            "",
            "check({n})",
        ],
        1,
        "AssertionError",
    ),
    (["total = {n}", "print(undefined_name_{n} + total)"], 1, "NameError"),
    (["class Box:", "    pass", "", "Box().open_{n}()"], 3, "AttributeError"),
]

_SYNTAX = [
    (["x = {n}", "def broken(a=1, b):", "    return a + b"], 1),
    (["values = [1, 2, 3]", "for v in values", "    print(v)"], 1),
    (["y = {n}", "z = = y"], 1),
]


def _fib(n: int) -> int:
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def generate(
    folder: Path, *, blocks: int = 420, per_page: int = 12, seed: int = 7
) -> list[Expected]:
    """Write the pages under ``folder``; return the expected failures."""
    rng = random.Random(seed)
    kinds = ["pass"] * 70 + ["raise"] * 20 + ["syntax"] * 10
    plan = [kinds[i % 100] for i in range(blocks)]
    rng.shuffle(plan)
    folder.mkdir(parents=True, exist_ok=True)
    expected: list[Expected] = []
    for page_index in range(0, blocks, per_page):
        name = f"page-{page_index // per_page:03d}.md"
        lines = [f"# Benchmark page {page_index // per_page}", ""]
        for n, kind in enumerate(plan[page_index : page_index + per_page], start=page_index):
            lines += [f"## Example {n}", "", "Some prose before the block.", "", "```python"]
            first = len(lines) + 1
            if kind == "pass":
                body = [
                    t.format(n=n, fib=_fib(n), double=2 * n) for t in _PASSING[n % len(_PASSING)]
                ]
            elif kind == "raise":
                template, offset, exc = _RAISING[n % len(_RAISING)]
                body = [t.format(n=n) for t in template]
                # The line of the innermost frame on the page (inside the function, if any).
                expected.append(Expected(name, first + offset, exc))
            else:
                template, offset = _SYNTAX[n % len(_SYNTAX)]
                body = [t.format(n=n) for t in template]
                expected.append(Expected(name, first + offset, "SyntaxError"))
            lines += [*body, "```", ""]
        (folder / name).write_text("\n".join(lines), encoding="utf-8")
    (folder / "expected.json").write_text(
        json.dumps([e.__dict__ for e in expected], indent=1), encoding="utf-8"
    )
    return expected
