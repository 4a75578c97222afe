"""The knowledge base's navigation, as MkDocs ``nav:`` data (pure, no MkDocs import).

A nav entry is what a user would write under ``nav:`` in ``mkdocs.yml``: a page
path (``"kb/README.md"``), or a one-key mapping from a title to a path or to a list
of entries. The MkDocs plugin feeds these structures to MkDocs unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
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


class NavLayout(StrEnum):
    """How much of the knowledge base the site navigation lists.

    Themes draw the whole navigation into every HTML page, so a nav listing all four
    pages of hundreds of topics makes every page of the site heavy (and slow to draw).
    """

    AUTO = "auto"
    """``pages`` for up to 30 topics, ``topics`` for up to 150, else ``index``."""
    PAGES = "pages"
    """The KB index, then one section per topic with its four pages."""
    TOPICS = "topics"
    """The KB index, then one link per topic (to its overview, which links its other
    three pages)."""
    INDEX = "index"
    """Only the KB index, which links every topic and persona."""


PAGES_LAYOUT_MAX_TOPICS = 30
"""``auto`` lists every page of up to this many topics (121 nav entries)..."""
TOPICS_LAYOUT_MAX_TOPICS = 150
"""...and one entry per topic up to this many; beyond, only the index."""


def choose_nav_layout(layout: NavLayout | str, topic_count: int) -> NavLayout:
    """The concrete layout for ``layout`` (resolving ``auto`` by the number of topics)."""
    chosen = NavLayout(layout)
    if chosen is not NavLayout.AUTO:
        return chosen
    if topic_count <= PAGES_LAYOUT_MAX_TOPICS:
        return NavLayout.PAGES
    if topic_count <= TOPICS_LAYOUT_MAX_TOPICS:
        return NavLayout.TOPICS
    return NavLayout.INDEX


def build_kb_nav(
    pages: Iterable[KBPage],
    topics: Iterable[Topic] = (),
    layout: NavLayout | str = NavLayout.AUTO,
) -> list[NavEntry]:
    """The entries of the knowledge-base section: the KB index, then the topics.

    Topics are ordered by title. With the ``pages`` layout each topic is a
    sub-section whose pages follow ``PAGE_ORDER``; with ``topics`` each topic is one
    link to its overview; with ``index`` the section holds the KB index alone (see
    [`NavLayout`][persona_kb._internal.kb.nav.NavLayout]). Index pages come first in
    their section, so Material's ``navigation.indexes`` turns them into section links.
    Pages left out stay reachable from the pages that are in (mark them
    not-in-nav: see [`nav_paths`][persona_kb._internal.kb.nav.nav_paths]).
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
    chosen = choose_nav_layout(layout, len(by_topic))
    if chosen is NavLayout.INDEX and index:
        return entries

    def topic_key(slug: str) -> tuple[str, str]:
        return titles.get(slug, slug).casefold(), slug

    for slug in sorted(by_topic, key=topic_key):
        ordered = sorted(by_topic[slug], key=_page_rank)
        if chosen is not NavLayout.PAGES:
            entries.append({titles.get(slug, slug): ordered[0].path})
            continue
        children: list[NavEntry] = [
            {PAGE_NAV_TITLES.get(page.kind, page.title): page.path} for page in ordered
        ]
        entries.append({titles.get(slug, slug): children})
    return entries


def nav_paths(nav: Sequence[object]) -> set[str]:
    """Every page path a nav (or a KB nav section) lists."""
    return set(_leaf_paths(nav))


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


def _leaf_paths(items: Sequence[object]) -> Iterable[str]:
    for item in items:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for value in item.values():
                if isinstance(value, str):
                    yield value
                elif isinstance(value, list):
                    yield from _leaf_paths(value)
