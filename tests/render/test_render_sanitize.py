"""Raw HTML in persona bodies is untrusted: escaped (shown as text) by default, kept with
allow_html. Nothing is ever deleted, and only dangerous HTML is reported (PKB502)."""

from __future__ import annotations

from pathlib import Path

import pytest
from persona_kb._internal.kb.build import KBOptions, KnowledgeBase, build_knowledge_base
from persona_kb._internal.kb.render.sanitize import (
    is_dangerous_url,
    sanitize_html,
    sanitize_markdown,
    sanitize_text,
)

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


def test_scripts_handlers_and_javascript_urls_are_escaped_not_deleted(source: Path) -> None:
    kb = build_knowledge_base(KBOptions(source=source))
    text = outside_code(guide(kb))
    assert "<script" not in text
    assert '<img src="x.png" onerror' not in text
    assert '&lt;img src="x.png" onerror="alert(1)">' in text  # visible as written
    assert '&lt;b onclick="steal()">bold</b>' in text
    assert '&lt;script>alert("block")&lt;/script>' in text
    assert '&lt;div class="note" onmouseover="x()">' in text
    assert '&lt;a href="javascript:alert(2)">click</a>' in text
    assert "[link]\\(javascript:alert(3))" in text  # no longer a link, still readable
    assert "[fine](https://example.org)" in text
    assert "<details markdown>" in text  # safe HTML is kept byte for byte
    codes = [d for d in kb.diagnostics if d.code == "PKB502"]
    assert {d.span.line for d in codes} == {5, 7, 9, 13, 25}
    assert all(d.span.path == "kb/hostile.md" for d in codes)
    assert all("allow_html" not in (d.hint or "") for d in codes)


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
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("Hello &lt;img"))
    span = page.source_map.lookup(number)
    assert span is not None
    assert (span.path, span.line) == ("kb/hostile.md", 5)


def test_sanitize_html_unit() -> None:
    assert sanitize_html("<p>ok</p>") == ("<p>ok</p>", False)
    assert sanitize_html("<iframe src=x></iframe>after") == (
        "&lt;iframe src=x>&lt;/iframe>after",
        True,
    )
    cleaned, changed = sanitize_html('<a href="JaVaScRiPt:alert(1)" title="t">x</a>')
    assert changed
    assert cleaned == '&lt;a href="JaVaScRiPt:alert(1)" title="t">x</a>'


def test_reference_definitions_and_front_matter_fields() -> None:
    result = sanitize_markdown("[x][r]\n\n[r]: javascript:alert(1)\n", "p.md", 1)
    assert result.replacements == {3: ["\\[r]: javascript:alert(1)"]}
    assert sanitize_markdown("plain text, no html", "p.md", 1).replacements == {}
    assert sanitize_text("Evil <img src=x onerror=alert(1)>") == (
        "Evil &lt;img src=x onerror=alert(1)>"
    )


@pytest.mark.parametrize(
    "text",
    [
        "Use Result<T> and Promise<void>.",
        "Replace <ProjectName> with yours.",
        "<role>You are a reviewer</role>",
        "<example>\nuser: hi\n</example>",
        "A List<Map<String, Integer>> here",
        "<T extends Base>",
        "<!DOCTYPE html> is a declaration",
    ],
)
def test_text_that_is_not_html_is_shown_literally_without_a_warning(text: str) -> None:
    result = sanitize_markdown(text, "p.md", 1)
    assert result.diagnostics == []
    shown = "\n".join(
        line for i, raw in enumerate(text.split("\n"), 1) for line in result.apply(i, raw)
    )
    assert shown.replace("&lt;", "<") == text
    assert "<" not in shown.replace("&lt;", "")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "javascript&colon;alert(1)",
        "javascript&#58;alert(1)",
        "java&#9;script:alert(1)",
        "java%09script:alert(1)",
        " \x01javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
    ],
)
def test_dangerous_urls_are_recognised_however_encoded(url: str) -> None:
    assert is_dangerous_url(url)


@pytest.mark.parametrize("url", ["https://example.org", "#anchor", "../x.md", "mailto:a@b.c"])
def test_ordinary_urls_are_not_dangerous(url: str) -> None:
    assert not is_dangerous_url(url)
