"""Finding each link of a Markdown page at its line: the report's half of the mapping."""

from __future__ import annotations

from persona_kb._internal.checks.links.report import markdown_links

PAGE = """\
---
title: links [not](front-matter.md)
---
# T

| a | b |
|---|---|
| [one](one.md) | x |
| y | [two](two.md#z) |

- item [three](three.md)
  continued [four](four.md)

!!! note
    In an [admonition](adm.md).

=== "Tab"
    ![img](i.png)

<div markdown>
<a href="raw.html">raw</a>
</div>

[ref link][r] and `[code](not-a-link.md)`

    [indented code](not-a-link-either.md)

[r]: ref.md
"""


def test_every_link_at_its_line() -> None:
    assert [(link.url, link.line) for link in markdown_links(PAGE)] == [
        ("one.md", 8),
        ("two.md#z", 9),
        ("three.md", 11),
        ("four.md", 12),
        ("adm.md", 15),
        ("i.png", 18),
        ("raw.html", 21),
        ("ref.md", 24),
    ]


def test_the_same_url_twice_in_a_paragraph_gets_both_lines() -> None:
    text = "# T\n\nFirst [a](x.md),\nthen [b](y.md),\nthen [c](x.md) again.\n"
    assert [(link.url, link.line) for link in markdown_links(text)] == [
        ("x.md", 3),
        ("y.md", 4),
        ("x.md", 5),
    ]
