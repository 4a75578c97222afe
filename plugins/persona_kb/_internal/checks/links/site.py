"""Map built pages back to their Markdown.

This works for any MkDocs site, with or without the persona-kb plugin: the
layout rules are MkDocs' own (``foo.md`` → ``foo/index.html`` with directory
URLs, ``foo.html`` without; ``index.md`` and ``README.md`` → ``index.html``).
When the persona-kb plugin is configured, its generated pages are added, and
each carries the source map that leads back to the persona's ``path:line``.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from persona_kb._internal.config.site import SiteConfig
from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.core.model import SourceMap
from persona_kb._internal.core.paths import display_path


def dest_path(src: str, *, use_directory_urls: bool) -> str:
    """Where MkDocs writes the page built from ``src`` (both POSIX, docs-relative)."""
    directory, name = posixpath.split(src)
    stem = name.rsplit(".", 1)[0]
    if stem in ("index", "README"):
        return posixpath.join(directory, "index.html")
    if use_directory_urls:
        return posixpath.join(directory, stem, "index.html")
    return posixpath.join(directory, stem + ".html")


@dataclass(frozen=True, slots=True)
class PageSource:
    """The Markdown a built page came from."""

    path: str
    """Display path: the Markdown file (``docs/guide.md``), or for a generated page
    its docs path (``docs/kb/python/README.md``)."""
    markdown: Callable[[], str]
    """Reads the Markdown (lazily: only pages with a problem are ever read)."""
    docs_path: str
    """The page's path relative to ``docs_dir`` (``guide.md``)."""
    source_map: SourceMap | None = None
    """For generated pages: page line → persona ``path:line``."""

    def locate(self, line: int) -> SourceSpan:
        """The span to report for Markdown ``line``: the persona's, when it is known."""
        if self.source_map is not None:
            origin = self.source_map.lookup(line)
            if origin is not None:
                return origin
        return SourceSpan(self.path, line)


GeneratedPages = Callable[[SiteConfig], Mapping[str, tuple[str, SourceMap]]]
"""Returns docs path → (Markdown, source map) for the pages a plugin generates."""


_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


def map_sources(
    config: SiteConfig,
    *,
    display_root: Path | None = None,
    generated: GeneratedPages | None = None,
) -> dict[str, PageSource]:
    """Map each built page (site-relative, ``guide/index.html``) to its Markdown source.

    ``generated`` supplies plugin-generated pages; by default the persona-kb
    knowledge base is built when the plugin is configured. Generated pages win
    over files on disk, as they do in the build.
    """
    root = display_root or Path.cwd()
    mapping: dict[str, PageSource] = {}
    if config.docs_dir.is_dir():
        for full in _markdown_files(config.docs_dir):
            rel = full.relative_to(config.docs_dir).as_posix()
            dest = dest_path(rel, use_directory_urls=config.use_directory_urls)
            # index.md beats README.md for the same folder, as in MkDocs.
            if dest in mapping and full.name.startswith("README"):
                continue
            mapping[dest] = PageSource(
                path=display_path(full, root), markdown=_reader(full), docs_path=rel
            )
    if generated is None and config.uses_persona_kb:
        generated = generated_kb_pages
    if generated is not None:
        for rel, (markdown, source_map) in generated(config).items():
            dest = dest_path(rel, use_directory_urls=config.use_directory_urls)
            mapping[dest] = PageSource(
                path=display_path(config.docs_dir / rel, root),
                markdown=_constant(markdown),
                docs_path=rel,
                source_map=source_map,
            )
    return mapping


def generated_kb_pages(config: SiteConfig) -> dict[str, tuple[str, SourceMap]]:
    """The persona-kb pages this site generates, built by the core (no MkDocs)."""
    from persona_kb._internal.checks.links.knowledge_base import knowledge_base_pages

    return knowledge_base_pages(config)


def _markdown_files(docs_dir: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(docs_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        found.extend(
            Path(dirpath, name)
            for name in sorted(filenames)
            if not name.startswith(".") and name.lower().endswith(_MARKDOWN_SUFFIXES)
        )
    return found


def _reader(path: Path) -> Callable[[], str]:
    def read() -> str:
        return path.read_text(encoding="utf-8", errors="replace")

    return read


def _constant(text: str) -> Callable[[], str]:
    return lambda: text


_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def has_scheme(url: str) -> bool:
    """Whether ``url`` starts with ``scheme:`` (``https:``, ``mailto:``, ``data:``)."""
    return _SCHEME.match(url) is not None
