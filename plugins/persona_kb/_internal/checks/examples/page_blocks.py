"""A page's code blocks as MkDocs shows them: its front matter read the MkDocs way, its
fences kept only where the site renders them as code, and blocks found where it does."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from persona_kb._internal.checks.examples.render_map import map_rendered_blocks
from persona_kb._internal.checks.examples.rendered import SiteMarkdown, configured_extensions
from persona_kb._internal.core.diagnostics import Diagnostic, SourceSpan
from persona_kb._internal.core.model import CodeBlock
from persona_kb._internal.kb.options import MARKDOWN_EXTENSIONS
from persona_kb._internal.markdown import find_code_blocks

# MkDocs' own front-matter rules (mkdocs.utils.meta.get_data), kept exactly: YAML between
# ``---`` lines only when it is a mapping, else MultiMarkdown ``Key: value`` lines up to
# the first blank line. Anything else is page content, and so are its code blocks.
_YAML = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)
_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_META_MORE = re.compile(r"^([ ]{4}|\t)(\s*)(?P<value>.*)")
_MAX_FRONT_MATTER = 1 << 20

FENCE_PROBLEMS = frozenset({"PKB300", "PKB303"})
"""Fences that never close, or close early: the blocks after them are not what the author
meant, so the example report repeats these warnings at the persona's line."""


def mkdocs_meta(doc: str) -> tuple[dict[str, Any], str, int]:
    """``(meta, body, body's first line)`` exactly as MkDocs splits a page."""
    found = _YAML.match(doc)
    if found:
        try:
            data = (
                yaml.safe_load(found.group(1)) if len(found.group(1)) < _MAX_FRONT_MATTER else None
            )
        except yaml.YAMLError:
            data = None
        if not isinstance(data, dict):
            return {}, doc, 1
        rest = doc[found.end() :]
        body = rest.lstrip("\n")
        return data, body, 1 + doc[: found.end()].count("\n") + len(rest) - len(body)
    lines = doc.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    meta: dict[str, Any] = {}
    key: str | None = None
    taken = 0
    while taken < len(lines):
        line = lines[taken]
        if line.strip() == "":
            taken += 1
            break
        first = _META.match(line)
        more = _META_MORE.match(line)
        if first:
            key = first.group("key").lower().strip()
            value = first.group("value").strip()
            meta[key] = f"{meta[key]} {value}" if key in meta else value
        elif more and key:
            meta[key] = f"{meta[key]} {more.group('value').strip()}"
        else:
            break
        taken += 1
    rest = "\n".join(lines[taken:])
    body = rest.lstrip("\n")
    return meta, body, 1 + taken + len(rest) - len(body)


def site_markdown(
    settings: Mapping[str, Any], *, config_dir: Path, persona_kb: bool, where: SourceSpan
) -> SiteMarkdown:
    """The converter the site renders its pages with (``settings`` is ``mkdocs.yml``)."""
    extensions = configured_extensions(settings)
    if persona_kb:  # the plugin enables what the generated pages need, with these defaults
        names = {name for name, _ in extensions}
        extensions += [(n, dict(o)) for n, o in MARKDOWN_EXTENSIONS.items() if n not in names]
    return SiteMarkdown(extensions, config_dir=config_dir, where=where)


@cache
def default_site_markdown() -> SiteMarkdown:
    """For pages outside any site: MkDocs' built-ins plus what persona-kb pages use."""
    return site_markdown({}, config_dir=Path.cwd(), persona_kb=True, where=SourceSpan("", 1))


def rendered_blocks(
    body: str,
    *,
    path: str,
    first_line: int,
    renderer: SiteMarkdown | None,
    snippet_bases: Sequence[Path] = (),
) -> tuple[list[CodeBlock], list[CodeBlock], tuple[Diagnostic, ...]]:
    """``(blocks the page renders as code, fences it renders as text, scan diagnostics)``."""
    scan = find_code_blocks(body, path=path, first_line=first_line)
    converter = renderer or default_site_markdown()
    rendered = converter.code_blocks(body)
    if rendered is None:
        return [b for b in scan.blocks if not b.nested], [], scan.diagnostics
    shown = map_rendered_blocks(
        scan.blocks,
        rendered,
        body,
        path=path,
        first_line=first_line,
        snippet_bases=snippet_bases or converter.snippet_bases,
    )
    kept = {id(block) for block in shown}
    as_text = [b for b in scan.blocks if not b.nested and id(b) not in kept]
    return shown, as_text, scan.diagnostics
