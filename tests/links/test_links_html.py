"""The one-pass HTML reader: links, anchors, what it skips, and agreement with html.parser."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from persona_kb._internal.checks.links.html import HtmlLink, parse_html
from persona_kb._internal.core.diagnostics import CODES

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_links_and_anchors() -> None:
    page = parse_html(
        '<!doctype html>\n<html><head><base href="sub/">\n'
        '<link rel="stylesheet" href="a.css"><link rel="preconnect" href="https://fonts.x">\n'
        "<script src='app.js'></script></head>\n"
        '<body><h2 id="intro">Intro</h2><a name="legacy"></a>\n'
        '<a href="other/#intro" class="x">x</a><A HREF=up.html ID=Caps>y</A>\n'
        '<img src="i.png" srcset="i-1x.png 1x, i-2x.png 2x" alt="a > b">\n'
        '<a href="?q=1&amp;r=2#t%C3%A9">entities</a>\n'
        "</body></html>\n"
    )
    assert page.ids == frozenset({"intro", "legacy", "Caps"})
    assert page.base_href == "sub/"
    assert page.links == (
        HtmlLink("a.css", "link", "href", 3),
        HtmlLink("app.js", "script", "src", 4),
        HtmlLink("other/#intro", "a", "href", 6),
        HtmlLink("up.html", "a", "href", 6),
        HtmlLink("i.png", "img", "src", 7),
        HtmlLink("i-1x.png", "img", "srcset", 7),
        HtmlLink("i-2x.png", "img", "srcset", 7),
        HtmlLink("?q=1&r=2#t%C3%A9", "a", "href", 8),
    )


@pytest.mark.parametrize(
    "html",
    [
        '<!-- <a href="in-comment.html" id="c"> -->',
        '<script>var s = "<a href=in-script.html id=s>";</script>',
        '<SCRIPT type="module">if (a<b) { x = "<img src=no.png>" }</script >',
        "<style>a[href='in-style.html'] { color: red }</style>",
        '<textarea><a href="in-textarea.html"></textarea>',
        '<pre><code>&lt;a href="escaped.html"&gt;</code></pre>',
        '<p title="<a href=in-attribute.html>">text</p>',
    ],
)
def test_markup_that_is_not_markup_is_skipped(html: str) -> None:
    page = parse_html(html + '\n<a href="real.html" id="real">ok</a>')
    assert [link.url for link in page.links] == ["real.html"]
    assert page.ids == frozenset({"real"})


def test_unclosed_input_is_fast_and_total() -> None:
    assert parse_html("<a " + "b" * 50_000).links == ()
    assert parse_html('<a href="x' + "b" * 50_000).links == ()
    assert parse_html("<script>" + "<a href=x>" * 1000).links == ()


class _Reference(HTMLParser):
    """What the standard library's tolerant parser sees, for the same attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.urls: list[tuple[str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values: dict[str, str] = {}
        for name, value in attrs:
            values.setdefault(name, value or "")
        if values.get("id"):
            self.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.ids.add(values["name"])
        rel = set(values.get("rel", "").lower().split())
        if tag == "link" and rel & {"preconnect", "dns-prefetch", "canonical", "alternate", "me"}:
            return
        attribute = {"a": "href", "link": "href", "img": "src", "script": "src"}.get(tag)
        if attribute and values.get(attribute, "").strip():
            self.urls.append((values[attribute].strip(), self.getpos()[0]))

    handle_startendtag = handle_starttag


def test_agrees_with_html_parser_on_material_pages(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text(
        "# Home\n\n## A *rich* heading {#custom}\n\n[x](other.md#b) ![i](i.png)\n\n"
        "```python\nprint('<a href=no>')\n```\n\n!!! note\n    <b id='raw'>raw</b>\n",
        encoding="utf-8",
    )
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n## B\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme:\n  name: material\n  features: [content.code.copy]\n"
        "markdown_extensions: [admonition, attr_list, md_in_html, pymdownx.superfences]\n",
        encoding="utf-8",
    )
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tmp_path / "mkdocs.yml")],
        check=True,
        capture_output=True,
    )
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert len(pages) == 3
    for html_file in pages:
        text = html_file.read_text(encoding="utf-8")
        reference = _Reference()
        reference.feed(text)
        reference.close()
        page = parse_html(text)
        mine = [(link.url, link.line) for link in page.links if link.attribute != "srcset"]
        assert page.ids == reference.ids, html_file
        assert mine == reference.urls, html_file
    assert "custom" in parse_html((tmp_path / "site" / "index.html").read_text("utf-8")).ids


def test_every_links_and_check_code_is_registered() -> None:
    sources = [
        *(REPO_ROOT / "plugins" / "persona_kb" / "_internal" / "checks" / "links").glob("*.py"),
        *(REPO_ROOT / "plugins" / "persona_kb" / "_internal" / "checks").glob("*.py"),
    ]
    emitted = {c for f in sources for c in re.findall(r'"(PKB7\d\d)"', f.read_text("utf-8"))}
    assert emitted >= {"PKB700", "PKB701", "PKB702", "PKB703", "PKB704", "PKB710", "PKB720"}
    assert sorted(emitted - set(CODES)) == []
