"""Put the knowledge base into MkDocs' ``Navigation`` in ``on_nav``, never into ``config.nav``.

The nav MkDocs (or a nav plugin such as awesome-nav or literate-nav) built is kept; only
the knowledge base's own part changes:

- a ``nav:`` placeholder entry (``- Knowledge base: kb/``) becomes the KB section;
- otherwise the section that holds only KB pages (MkDocs' folder section for ``kb/``,
  or the one a nav plugin made) gets the KB's own order and titles;
- otherwise the nav is left as it is (the KB pages are still built and linked).

The entries themselves come from the core (``kb.nav.build_kb_nav``); this module only
maps them onto MkDocs' ``Section`` and ``Page`` objects.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure import StructureItem
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section, get_navigation
from mkdocs.structure.pages import Page
from mkdocs.utils import dirname_to_title

from persona_kb._internal.kb.nav import NavEntry


@dataclass(frozen=True, slots=True)
class NavPlacement:
    """Where ``place_kb_nav`` put the knowledge base: ``placeholder``, ``section`` or ``""``."""

    how: str


def place_kb_nav(
    nav: Navigation,
    files: Files,
    config: MkDocsConfig,
    kb_nav: Sequence[NavEntry],
    *,
    output: str,
    title: str,
    placeholders: Iterable[str],
) -> NavPlacement:
    """Replace the knowledge base's part of ``nav`` (in place) with ``kb_nav``."""
    items = _items(kb_nav, files, config)
    wanted = set(placeholders)
    how = ""
    if _replace_placeholders(nav.items, wanted, items, title):
        how = "placeholder"
    elif _replace_kb_section(nav.items, output.strip("/") + "/", items, title):
        how = "section"
    if how:
        _relink(nav)
    return NavPlacement(how)


def _items(entries: Sequence[NavEntry], files: Files, config: MkDocsConfig) -> list[StructureItem]:
    out: list[StructureItem] = []
    for entry in entries:
        if isinstance(entry, str):
            page = _page(None, entry, files, config)
            if page is not None:
                out.append(page)
            continue
        for key, value in entry.items():
            if isinstance(value, str):
                page = _page(key, value, files, config)
                if page is not None:
                    out.append(page)
            else:
                children = _items(value, files, config)
                if children:
                    out.append(Section(key, children))
    return out


def _page(title: str | None, path: str, files: Files, config: MkDocsConfig) -> Page | None:
    file = files.get_file_from_path(path)
    if file is None or file.inclusion.is_excluded():  # type: ignore[no-untyped-call]
        return None
    page = file.page
    if not isinstance(page, Page):
        return Page(title, file, config)
    if title is not None:
        page.title = title
    return page


def _replace_placeholders(
    items: list[StructureItem], wanted: set[str], kb_items: list[StructureItem], title: str
) -> bool:
    found = False
    for index, item in enumerate(items):
        if isinstance(item, Link) and item.url in wanted:
            items[index] = Section(item.title or title, _copy(kb_items) if found else kb_items)
            found = True
        elif isinstance(item, Section):
            found = _replace_placeholders(item.children, wanted, kb_items, title) or found
    return found


def _copy(items: list[StructureItem]) -> list[StructureItem]:
    # A second placeholder gets its own sections (a section has one parent); pages are
    # shared, as they are when a user lists one page twice in `nav:`.
    return [Section(i.title, _copy(i.children)) if isinstance(i, Section) else i for i in items]


def _replace_kb_section(
    items: list[StructureItem], prefix: str, kb_items: list[StructureItem], title: str
) -> bool:
    for index, item in enumerate(items):
        if not isinstance(item, Section):
            continue
        uris = [page.file.src_uri for page in _pages(item.children)]
        if uris and all(uri.startswith(prefix) for uri in uris):
            # MkDocs names a folder's section after the folder ("Kb"); a title someone
            # chose (literate-nav, awesome-nav's .nav.yml) is kept.
            folder = prefix.rstrip("/").rsplit("/", 1)[-1]
            keep = item.title not in (None, "", dirname_to_title(folder))
            items[index] = Section(item.title if keep else title, kb_items)
            return True
        if _replace_kb_section(item.children, prefix, kb_items, title):
            return True
    return False


def _pages(items: Iterable[StructureItem]) -> Iterator[Page]:
    for item in items:
        if isinstance(item, Page):
            yield item
        elif isinstance(item, Section):
            yield from _pages(item.children)


def _relink(nav: Navigation) -> None:
    # What MkDocs' get_navigation does after building the items: parents, the flat
    # page list and previous/next links.
    def parents(items: list[StructureItem], parent: Section | None) -> None:
        for item in items:
            item.parent = parent
            if isinstance(item, Section):
                parents(item.children, item)

    parents(nav.items, None)
    pages = list(_pages(nav.items))
    nav.pages = pages
    for i, page in enumerate(pages):
        page.previous_page = pages[i - 1] if i > 0 else None
        page.next_page = pages[i + 1] if i + 1 < len(pages) else None


class PlaceholderWarningFilter(logging.Filter):
    """Drops MkDocs' "not found in the documentation files" message for our placeholders.

    ``- Knowledge base: kb/`` is not a file, so MkDocs reports it (a warning under
    ``validation: nav: not_found: warn``) before ``on_nav`` replaces it with the KB.
    """

    def __init__(self, placeholders: Iterable[str]) -> None:
        super().__init__()
        self._quoted = tuple(f"A reference to '{p}' " for p in placeholders)

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record but the placeholder's "not found" message."""
        message = record.getMessage()
        return not (message.startswith(self._quoted) and "is not found" in message)


def nav_logger() -> logging.Logger:
    """The logger MkDocs' (or ProperDocs') nav builder reports missing nav entries on."""
    return logging.getLogger(get_navigation.__module__)
