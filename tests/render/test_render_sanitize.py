"""Raw HTML in persona bodies is untrusted: sanitised by default, kept with allow_html."""

from __future__ import annotations

from pathlib import Path

import pytest
from persona_kb._internal.kb.build import KBOptions, KnowledgeBase, build_knowledge_base
from persona_kb._internal.kb.render.sanitize import sanitize_html, sanitize_markdown

HOSTILE = """\
# Python Hostile

## Notes

Hello <img src="x.png" onerror="alert(1)"> world <b onclick="steal()">bold</b>.

<script>alert("block")</script>

<div class="note" onmouseover="x()">
<a href="javascript:alert(2)">click</a>
</div>

[link](javascript:alert(3)) and [fine](https://example.org)

`<script>inline code</script>` stays.

```html
<script>alert("code")</script>
<img src=x onerror=alert(4)>
```

```
plain code
```
<img src=y onerror="alert(5)">

<details markdown>
<summary>More</summary>

Body.

</details>
"""


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "hostile.md").write_text(HOSTILE)
    return Path("kb")


def guide(kb: KnowledgeBase) -> str:
    return next(p.markdown for p in kb.pages if p.path.endswith("COMPREHENSIVE-GUIDE.md"))


def outside_code(text: str) -> str:
    head, _, rest = text.partition("```html")
    _, _, tail = rest.partition("```\n")
    return (head + tail).replace("`<script>inline code</script>`", "")


def test_scripts_handlers_and_javascript_urls_are_removed(source: Path) -> None:
    kb = build_knowledge_base(KBOptions(source=source))
    text = outside_code(guide(kb))
    assert "<script" not in text
    assert "alert(" not in text.replace('<script>alert("code")</script>', "")
    assert "onerror" not in text
    assert "onclick" not in text
    assert "onmouseover" not in text
    assert "javascript:" not in text.lower()
    assert '<img src="x.png">' in text
    assert "<b>bold</b>" in text
    assert '<div class="note">' in text
    assert "[fine](https://example.org)" in text
    assert "<details markdown>" in text  # safe HTML is kept byte for byte
    codes = [d for d in kb.diagnostics if d.code == "PKB502"]
    assert {d.span.line for d in codes} == {5, 7, 9, 13, 25}
    assert all(d.span.path == "kb/hostile.md" for d in codes)


def test_code_is_never_touched(source: Path) -> None:
    text = guide(build_knowledge_base(KBOptions(source=source)))
    assert '```html\n<script>alert("code")</script>\n<img src=x onerror=alert(4)>\n```' in text
    assert "`<script>inline code</script>` stays." in text


def test_allow_html_keeps_everything(source: Path) -> None:
    kb = build_knowledge_base(KBOptions(source=source, allow_html=True))
    text = guide(kb)
    assert '<script>alert("block")</script>' in text
    assert 'onerror="alert(1)"' in text
    assert "[link](javascript:alert(3))" in text
    assert not [d for d in kb.diagnostics if d.code == "PKB502"]


def test_sanitised_lines_still_map_to_their_source(source: Path) -> None:
    kb = build_knowledge_base(KBOptions(source=source))
    page = next(p for p in kb.pages if p.path.endswith("COMPREHENSIVE-GUIDE.md"))
    lines = page.markdown.split("\n")
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("Hello <img"))
    span = page.source_map.lookup(number)
    assert span is not None
    assert (span.path, span.line) == ("kb/hostile.md", 5)


def test_sanitize_html_unit() -> None:
    assert sanitize_html("<p>ok</p>") == ("<p>ok</p>", False)
    assert sanitize_html("<iframe src=x></iframe>after") == ("after", True)
    cleaned, changed = sanitize_html('<a href="JaVaScRiPt:alert(1)" title="t">x</a>')
    assert changed
    assert "javascript" not in cleaned.lower()
    assert 'title="t"' in cleaned


def test_reference_definitions_and_front_matter_fields() -> None:
    result = sanitize_markdown("[x][r]\n\n[r]: javascript:alert(1)\n", "p.md", 1)
    assert result.replacements == {3: ["[r]: #"]}
    assert sanitize_markdown("plain text, no html", "p.md", 1).replacements == {}


@pytest.mark.parametrize(
    ("html", "kept", "gone"),
    [
        ('<a href="java&#x09;script:alert(1)">x</a>', "<a>x</a>", "script"),
        ('<svg onload="alert(1)"><circle/></svg>', "", "onload"),
        ('<div style="background:url(x)">y</div>', "<div>y</div>", "style"),
        ("<iframe src=https://evil.example></iframe>", "", "iframe"),
        ('<img src="data:image/svg+xml;base64,AAAA">', "<img>", "data:"),
        ('<details open class="note"><summary>S</summary>', '<details open class="note">', "x"),
    ],
)
def test_hostile_html_cases(html: str, kept: str, gone: str) -> None:
    cleaned, _ = sanitize_html(html)
    assert kept in cleaned
    assert gone not in cleaned.lower()
