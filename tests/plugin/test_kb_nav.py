"""The knowledge base's nav structure, and how it joins a user's or MkDocs' own nav."""

from __future__ import annotations

from persona_kb._internal.core.model import KBPage, PageKind, SourceMap, Topic
from persona_kb._internal.kb.nav import build_kb_nav, count_placeholders, placeholders_for


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
