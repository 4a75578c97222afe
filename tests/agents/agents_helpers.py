"""Shared helpers for the agent-facing tests: raw Material syntax finder, KB builders."""

from __future__ import annotations

import os
import re
from pathlib import Path

from markdown_it import MarkdownIt

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED_CORPUS = Path(os.environ.get("PKB_CORPUS", REPO_ROOT.parent / "shared" / "corpus"))
EXPORT = REPO_ROOT / "docs" / "kb"

_RAW = re.compile(r'^(?:!!!|\?\?\?\+?)\s*[\w-]|^===[!+]*\s+"|\{#')


def raw_material_text(markdown: str) -> list[str]:
    """Text GitHub would show as raw Material syntax: ``!!! note``, ``=== "Tab"``, ``{#id}``.

    Only rendered text counts (markdown-it ``text`` tokens): code spans and fenced code
    may legitimately hold ``===`` or ``{#``.
    """
    body = markdown
    if body.startswith("---\n"):
        body = body[body.index("\n---\n", 3) + 5 :]
    found = []
    for token in MarkdownIt("commonmark").enable("table").parse(body):
        if token.type == "inline":
            for child in token.children or ():
                if child.type == "text" and _RAW.search(child.content):
                    found.append(child.content)
    return found
