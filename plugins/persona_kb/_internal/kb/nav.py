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


def expand_placeholder(
    nav: Sequence[object], placeholders: Iterable[str], kb_nav: list[NavEntry], title: str
) -> tuple[list[object], int]:
    """Replace every placeholder entry of a user's ``nav:`` with the knowledge base's nav.

    ``- Knowledge base: kb/`` becomes ``- Knowledge base: [<kb_nav>]``; a bare ``- kb/``
    becomes a section named ``title``. Other entries are copied unchanged. Returns the
    new nav and how many placeholders were expanded.
    """
    wanted = set(placeholders)
    count = 0

    def walk(items: Sequence[object]) -> list[object]:
        nonlocal count
        out: list[object] = []
        for item in items:
            if isinstance(item, str) and item in wanted:
                count += 1
                out.append({title: list(kb_nav)})
            elif isinstance(item, dict) and len(item) == 1:
                ((key, value),) = item.items()
                if isinstance(value, str) and value in wanted:
                    count += 1
                    out.append({key: list(kb_nav)})
                elif isinstance(value, list):
                    out.append({key: walk(value)})
                else:
                    out.append(item)
            else:
                out.append(item)
        return out

    return walk(nav), count


def placeholders_for(output: str, configured: str | None) -> tuple[str, ...]:
    """The ``nav:`` values that stand for the knowledge base: the configured one, or
    the output folder written with or without a trailing slash."""
    if configured:
        return (configured,)
    folder = output.strip("/")
    return (f"{folder}/", folder)


def splice_kb_section(
    auto_nav: Sequence[object], output: str, kb_nav: list[NavEntry], title: str
) -> list[object]:
    """Put the knowledge base's section into a nav that MkDocs derived from the files.

    ``auto_nav`` is MkDocs' own nested nav (``mkdocs.utils.nest_paths``), in which the
    output folder appears as a section of file paths. That section, wherever it sits,
    is replaced by ``{title: kb_nav}``; the rest keeps MkDocs' order. When the output
    folder is absent from ``auto_nav`` the section is appended at the end.
    """
    folder = tuple(part for part in output.split("/") if part)
    replaced = False

    def walk(items: Sequence[object], depth: int) -> list[object]:
        nonlocal replaced
        out: list[object] = []
        for item in items:
            if isinstance(item, dict) and len(item) == 1 and not replaced:
                ((key, value),) = item.items()
                if isinstance(value, list):
                    # nest_paths makes one section per folder, so a section at this depth
                    # stands for the first `depth` folders of any path inside it.
                    paths = list(_leaf_paths(value))
                    here = tuple(paths[0].split("/")[:depth]) if paths else ()
                    if here == folder:
                        replaced = True
                        out.append({title: list(kb_nav)})
                    elif here == folder[: len(here)]:
                        out.append({key: walk(value, depth + 1)})
                    else:
                        out.append(item)
                    continue
            out.append(item)
        return out

    result = walk(auto_nav, 1)
    if not replaced:
        result.append({title: list(kb_nav)})
    return result


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
