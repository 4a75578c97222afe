"""Synthesis across personas: rules fold, statements stay out, disagreements surface.

The examples are the ones readers met on real libraries (awesome-copilot, lst97, our kb/).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from persona_kb._internal.kb.build import KBOptions, KnowledgeBase, build_knowledge_base
from persona_kb._internal.kb.render.folding import fold_with_conflicts, same_rule
from persona_kb._internal.kb.render.tags import AGENT_TOOL_IDS
from persona_kb._internal.kb.render.wording import word_rule
from persona_kb._internal.kb.titles import display_title
from persona_kb._internal.kb.topics import topic_title


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (
            "NEVER use ListView (deprecated). Use CollectionView.",
            "**NEVER use ListView** - obsolete, will be deleted. Use CollectionView",
        ),
        (
            "Use type hints on all function signatures and return types",
            "Use type hints on all function signatures",
        ),
        (
            "Never use mutable default arguments or broad exception catching",
            "Avoid using mutable default arguments in function definitions",
        ),
        ("Don't use mutable default arguments (def func(items=[]))", "Never use mutable defaults"),
    ],
)
def test_near_duplicates_fold(a: str, b: str) -> None:
    if "defaults" in b:
        assert not same_rule(a, b)  # two words in common are not enough
    else:
        assert same_rule(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Use environment variables for secrets", "Use environment variables for feature flags"),
        ("Write unit tests for services", "Write docstrings for public functions"),
        ("Prefer composition over inheritance", "Prefer async I/O over threads"),
    ],
)
def test_different_rules_stay_apart(a: str, b: str) -> None:
    assert not same_rule(a, b)


def test_folded_rule_credits_every_persona() -> None:
    folded, _ = fold_with_conflicts(
        [
            ("dont", "NEVER use ListView (deprecated). Use CollectionView.", "MAUI A", None),
            ("dont", "**NEVER use ListView** - obsolete. Use CollectionView", "MAUI B", None),
            ("dont", "Never use ListView; it is deprecated — use CollectionView", "MAUI C", None),
        ]
    )
    assert len(folded) == 1
    assert folded[0].personas == ["MAUI A", "MAUI B", "MAUI C"]
    assert folded[0].attribution == "MAUI A, MAUI B and MAUI C (3 personas)"


def test_a_do_against_a_dont_is_a_conflict_only_across_personas() -> None:
    entries = [
        ("do", "Use raw SQL queries for reports", "A", None),
        ("dont", "Never use raw SQL queries for reports", "B", None),
        ("do", "Log security events", "A", None),
        ("dont", "Never log secrets without masking them", "B", None),
    ]
    _, conflicts = fold_with_conflicts(entries)
    assert [(c.do.personas, c.dont.personas) for c in conflicts] == [(["A"], ["B"])]
    _, own = fold_with_conflicts([(k, t, "A", s) for k, t, _, s in entries])
    assert own == []


@pytest.mark.parametrize(
    ("text", "prohibition", "expected"),
    [
        ("The SDK is in technical preview and may have breaking changes", False, None),
        ("Use a **single PR per repository**:", False, None),
        ("Using raw SQL without parameterized queries", True, "Avoid using raw SQL without"),
        ("push to main", True, "Don't push to main"),
        ("Fat views — move business logic to services", True, "Avoid fat views — move"),
        ("Always validate input at the boundary", False, "Always validate input"),
        ("**Async First**: Use async/await for all I/O", False, "**Async First**: Use async"),
    ],
)
def test_rows_are_imperative_rules(text: str, prohibition: bool, expected: str | None) -> None:
    worded = word_rule(text, prohibition=prohibition, verb_list=text == "push to main")
    if expected is None:
        assert worded is None
    else:
        assert worded is not None
        assert worded.text.startswith(expected)


@pytest.mark.parametrize(
    ("slug", "title"),
    [
        ("ai-team-dev", "AI Team Dev"),
        ("aws-cloud-expert", "AWS Cloud Expert"),
        ("ci-cd-automation", "CI/CD Automation"),
        ("dotnet-maui", ".NET MAUI"),
        ("ios-developer", "iOS Developer"),
        ("github-actions", "GitHub Actions"),
        ("postgresql-pro", "PostgreSQL Pro"),
        ("api-design-principles", "API Design Principles"),
    ],
)
def test_titles_keep_acronyms_and_brands(slug: str, title: str) -> None:
    assert topic_title(slug) == title


def test_a_title_cased_on_purpose_is_kept() -> None:
    assert display_title("Mobile iOS/Swift Engineer") == "Mobile iOS/Swift Engineer"
    assert display_title("MyAI Helper") == "MyAI Helper"


def test_version_disagreements_and_tags(fixture_kb: KnowledgeBase) -> None:
    quick = next(p for p in fixture_kb.pages if p.path == "kb/python/QUICK-REFERENCE.md")
    assert "## Where the personas disagree {#where-the-personas-disagree}" in quick.markdown
    assert (
        "- **Python**: 3.14.3 (Backend Python Engineer); 3.11+ (Python Backend Engineer)"
        in quick.markdown
    )
    tools = {t.lower() for p in fixture_kb.ingest.personas for t in p.metadata.tools}
    assert tools  # the fixture personas do name tools (Read, Write, …)
    for page in fixture_kb.pages:
        front = page.markdown.split("\n---\n", 1)[0]
        tags = [line[5:-1] for line in front.split("tags:", 1)[1].split("\n") if line[:4] == "  - "]
        assert not {t.lower() for t in tags} & (tools | AGENT_TOOL_IDS), page.path


def test_topic_summary_is_written_from_all_personas(tmp_path: Path) -> None:
    (tmp_path / "kb").mkdir()
    for name, description in (("Ivy", "Optional AI QA engineer (Ivy)."), ("Tess", "Tester.")):
        (tmp_path / "kb" / f"{name}.md").write_text(
            f"---\nname: {name}\ndescription: {description}\ntopic: testing\n"
            f"capabilities: [Playwright end-to-end tests]\n---\n# {name}\n\nBody.\n"
        )
    kb = build_knowledge_base(KBOptions(source=tmp_path / "kb"))
    readme = next(p for p in kb.pages if p.path == "kb/testing/README.md")
    assert (
        'description: "2 personas on Testing, covering Playwright and AI: Ivy and Tess."'
        in readme.markdown
    )
