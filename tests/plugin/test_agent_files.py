"""A site build serves llms.txt, llms-full.txt, kb/index.json, Markdown twins and the schemas."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator
from markdown_it import MarkdownIt
from persona_kb._internal.core.schema_files import index_schema
from tempsite import Project

pytestmark = pytest.mark.slow

_RAW = re.compile(r'^(?:!!!|\?\?\?)\s|^===\s+"|\{#', re.MULTILINE)


def validate_llms_txt(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Check the llmstxt.org structure; return the H2 sections with their (title, url) links.

    An H1 first, then a blockquote, then optional prose, then H2 sections each made of a
    list whose every item starts with a Markdown link.
    """
    tokens = MarkdownIt("commonmark").parse(text)
    assert tokens[0].type == "heading_open"
    assert tokens[0].tag == "h1"
    assert tokens[3].type == "blockquote_open", "a blockquote summary follows the H1"
    assert sum(t.type == "heading_open" and t.tag == "h1" for t in tokens) == 1
    sections: list[tuple[str, list[tuple[str, str]]]] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            assert token.tag in ("h1", "h2"), "only H1 and H2 headings"
            if token.tag == "h2":
                sections.append((tokens[i + 1].content, []))
        elif token.type == "inline" and sections and tokens[i - 2].type == "list_item_open":
            children = token.children or []
            assert children[0].type == "link_open", token.content
            title = children[1].content
            sections[-1][1].append((title, str(children[0].attrGet("href"))))
        elif token.type == "paragraph_open" and sections:
            assert tokens[i - 1].type == "list_item_open", "sections hold lists of links only"
    assert sections
    assert all(links for _, links in sections)
    return sections


def test_build_writes_llms_txt_index_twins_and_schemas(project: Project) -> None:
    result = project.build()
    assert result.returncode == 0, result.stderr
    site = project.site
    sections = validate_llms_txt((site / "llms.txt").read_text(encoding="utf-8"))
    titles = [title for _, links in sections for title, _ in links]
    assert "Python: quick reference" in titles
    assert "Go: overview" in titles
    for _, links in sections:
        for _, href in links:
            assert (site / href).is_file(), href
    twin = (site / "kb" / "python" / "QUICK-REFERENCE.md").read_text(encoding="utf-8")
    assert not _RAW.search(twin.split("```")[0])
    assert "Validate every request body" in twin
    html = site / "kb" / "python" / "QUICK-REFERENCE" / "index.html"
    assert html.is_file()  # the twin sits beside the page's HTML folder
    index = json.loads((site / "kb" / "index.json").read_text(encoding="utf-8"))
    assert list(Draft202012Validator(index_schema()).iter_errors(index)) == []
    assert {t["slug"] for t in index["topics"]} == {"python", "go"}
    assert (site / "schemas" / "v1" / "persona" / "claude-subagent.schema.json").is_file()
    full = (site / "llms-full.txt").read_text(encoding="utf-8")
    assert full.startswith("# temp project\n\n> ")
    assert "# Python: specific patterns" in full
    assert "await asyncio.sleep(1)" in full
    # the site itself keeps Material's tabs
    patterns = site / "kb" / "python" / "PYTHON-SPECIFIC-PATTERNS" / "index.html"
    assert "tabbed-set" in patterns.read_text(encoding="utf-8")
