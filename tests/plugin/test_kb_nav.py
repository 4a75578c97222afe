"""The knowledge base's nav structure, and how it joins a user's or MkDocs' own nav."""

from __future__ import annotations

import pytest
from persona_kb._internal.core.model import KBPage, PageKind, SourceMap, Topic
from persona_kb._internal.kb.nav import (
    PAGES_LAYOUT_MAX_TOPICS,
    TOPICS_LAYOUT_MAX_TOPICS,
    NavLayout,
    build_kb_nav,
    choose_nav_layout,
    count_placeholders,
    nav_paths,
    placeholders_for,
)


def _page(path: str, kind: PageKind, topic: str | None) -> KBPage:
    return KBPage(path, path, "# x\n", SourceMap(()), kind, topic, ())


def _pages() -> list[KBPage]:
    # Deliberately shuffled: the nav must impose its own order.
    return [
        _page("kb/python/PYTHON-SPECIFIC-PATTERNS.md", PageKind.SPECIFIC_PATTERNS, "python"),
        _page("kb/go/README.md", PageKind.README, "go"),
        _page("kb/python/QUICK-REFERENCE.md", PageKind.QUICK_REFERENCE, "python"),
        _page("kb/python/README.md", PageKind.README, "python"),
        _page("kb/README.md", PageKind.INDEX, None),
        _page("kb/python/PYTHON-COMPREHENSIVE-GUIDE.md", PageKind.COMPREHENSIVE_GUIDE, "python"),
    ]


KB_NAV = [
    {"Overview": "kb/README.md"},
    {"Go": [{"Overview": "kb/go/README.md"}]},
    {
        "Python": [
            {"Overview": "kb/python/README.md"},
            {"Quick reference": "kb/python/QUICK-REFERENCE.md"},
            {"Comprehensive guide": "kb/python/PYTHON-COMPREHENSIVE-GUIDE.md"},
            {"Specific patterns": "kb/python/PYTHON-SPECIFIC-PATTERNS.md"},
        ]
    },
]


def test_index_first_then_topics_by_title_with_pages_in_reading_order() -> None:
    topics = [Topic("python", "Python", ()), Topic("go", "Go", ())]
    assert build_kb_nav(_pages(), topics) == KB_NAV


def test_topic_without_a_title_uses_its_slug() -> None:
    nav = build_kb_nav([_page("kb/rust/README.md", PageKind.README, "rust")])
    assert nav == [{"rust": [{"Overview": "kb/rust/README.md"}]}]


def test_placeholders_are_found_at_any_depth_titled_or_bare() -> None:
    user_nav = ["index.md", {"Guide": ["guide.md", {"KB": "kb/"}]}, "kb", {"About": "about.md"}]
    assert count_placeholders(user_nav, placeholders_for("kb", None)) == 2
    assert count_placeholders(["index.md", {"Guide": ["kb/README.md"]}], ("kb/", "kb")) == 0


def test_configured_placeholder_replaces_the_default() -> None:
    assert placeholders_for("kb", "@kb") == ("@kb",)
    assert placeholders_for("/docs-kb/", None) == ("docs-kb/", "docs-kb")
    assert count_placeholders([{"K": "kb/"}], ("@kb",)) == 0
    assert count_placeholders([{"K": "@kb"}], ("@kb",)) == 1


def _topics(count: int) -> tuple[list[KBPage], list[Topic]]:
    pages = [_page("kb/README.md", PageKind.INDEX, None)]
    topics = []
    for i in range(count):
        slug = f"t{i:03d}"
        topics.append(Topic(slug, slug.upper(), ()))
        pages.append(_page(f"kb/{slug}/README.md", PageKind.README, slug))
        pages.append(_page(f"kb/{slug}/QUICK-REFERENCE.md", PageKind.QUICK_REFERENCE, slug))
    return pages, topics


def test_topics_layout_lists_one_overview_per_topic() -> None:
    topics = [Topic("python", "Python", ()), Topic("go", "Go", ())]
    nav = build_kb_nav(_pages(), topics, NavLayout.TOPICS)
    assert nav == [
        {"Overview": "kb/README.md"},
        {"Go": "kb/go/README.md"},
        {"Python": "kb/python/README.md"},
    ]
    assert nav_paths(nav) == {"kb/README.md", "kb/go/README.md", "kb/python/README.md"}


def test_index_layout_lists_the_index_alone() -> None:
    assert build_kb_nav(_pages(), (), "index") == [{"Overview": "kb/README.md"}]


@pytest.mark.parametrize(
    ("count", "layout"),
    [
        (PAGES_LAYOUT_MAX_TOPICS, NavLayout.PAGES),
        (PAGES_LAYOUT_MAX_TOPICS + 1, NavLayout.TOPICS),
        (TOPICS_LAYOUT_MAX_TOPICS, NavLayout.TOPICS),
        (TOPICS_LAYOUT_MAX_TOPICS + 1, NavLayout.INDEX),
    ],
)
def test_auto_layout_keeps_the_nav_small_as_topics_grow(count: int, layout: NavLayout) -> None:
    assert choose_nav_layout("auto", count) is layout
    pages, topics = _topics(count)
    nav = build_kb_nav(pages, topics)
    expected = {NavLayout.PAGES: 1 + 2 * count, NavLayout.TOPICS: 1 + count, NavLayout.INDEX: 1}
    assert len(nav_paths(nav)) == expected[layout]
