"""The knowledge base's navigation, as MkDocs ``nav:`` data (pure, no MkDocs import).

A nav entry is what a user would write under ``nav:`` in ``mkdocs.yml``: a page
path (``"kb/README.md"``), or a one-key mapping from a title to a path or to a list
of entries. The MkDocs plugin feeds these structures to MkDocs unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TypeAlias

from persona_kb._internal.core.model import KBPage, PageKind, Topic

NavEntry: TypeAlias = "str | dict[str, str | list[NavEntry]]"

PAGE_ORDER: tuple[PageKind, ...] = (
    PageKind.README,
    PageKind.QUICK_REFERENCE,
    PageKind.COMPREHENSIVE_GUIDE,
    PageKind.SPECIFIC_PATTERNS,
)
"""The order of a topic's four pages in the navigation: overview first, then the
cheat sheet, the deep dive and the pattern cards."""

PAGE_NAV_TITLES: dict[PageKind, str] = {
    PageKind.INDEX: "Overview",
    PageKind.README: "Overview",
    PageKind.QUICK_REFERENCE: "Quick reference",
    PageKind.COMPREHENSIVE_GUIDE: "Comprehensive guide",
    PageKind.SPECIFIC_PATTERNS: "Specific patterns",
}


def build_kb_nav(pages: Iterable[KBPage], topics: Iterable[Topic] = ()) -> list[NavEntry]:
    """The entries of the knowledge-base section: the KB index, then one sub-section per topic.

    Topics are ordered by title; inside a topic the pages follow
    ``PAGE_ORDER``. Index pages come first in
    their section, so Material's ``navigation.indexes`` turns them into section links.
    """
    titles = {topic.slug: topic.title for topic in topics}
    index: list[NavEntry] = []
    by_topic: dict[str, list[KBPage]] = {}
    for page in pages:
        if page.topic is None:
            index.append({PAGE_NAV_TITLES.get(page.kind, page.title): page.path})
        else:
            by_topic.setdefault(page.topic, []).append(page)

    entries: list[NavEntry] = list(index)

    def topic_key(slug: str) -> tuple[str, str]:
        return titles.get(slug, slug).casefold(), slug

    for slug in sorted(by_topic, key=topic_key):
        ordered = sorted(by_topic[slug], key=_page_rank)
        children: list[NavEntry] = [
            {PAGE_NAV_TITLES.get(page.kind, page.title): page.path} for page in ordered
        ]
        entries.append({titles.get(slug, slug): children})
    return entries


def _page_rank(page: KBPage) -> tuple[int, str]:
    rank = PAGE_ORDER.index(page.kind) if page.kind in PAGE_ORDER else len(PAGE_ORDER)
    return rank, page.path


def count_placeholders(nav: Sequence[object], placeholders: Iterable[str]) -> int:
    """How many entries of a user's ``nav:`` stand for the knowledge base.

    A placeholder is a bare entry (``- kb/``) or a titled one (``- Knowledge base: kb/``)
    whose value is one of ``placeholders``; sections are searched too.
    """
    wanted = set(placeholders)
    count = 0
    for item in nav:
        if isinstance(item, str):
            count += item in wanted
        elif isinstance(item, dict):
            for value in item.values():
                if isinstance(value, str):
                    count += value in wanted
                elif isinstance(value, list):
                    count += count_placeholders(value, wanted)
    return count


def placeholders_for(output: str, configured: str | None) -> tuple[str, ...]:
    """The ``nav:`` values that stand for the knowledge base: the configured one, or
    the output folder written with or without a trailing slash."""
    if configured:
        return (configured,)
    folder = output.strip("/")
    return (f"{folder}/", folder)
