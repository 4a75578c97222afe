"""The section tree: ATX and setext headings, own content with exact lines, roles."""

from __future__ import annotations

from md_structure_helpers import SEED_000_BODY_LINE, read_fixture, seed_000_body
from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.core.model import Section, SectionRole
from persona_kb._internal.markdown import parse_body
from persona_kb._internal.markdown.parser import source_lines


def _flat(sections: tuple[Section, ...]) -> list[tuple[str, int, int, int, SectionRole]]:
    return [
        (s.title, s.level, s.span.line, s.content_line, s.role)
        for root in sections
        for s in root.walk()
    ]


def _assert_content_maps(source: str, sections: tuple[Section, ...], first_line: int = 1) -> None:
    lines = source_lines(source)
    for root in sections:
        for section in root.walk():
            for index, line in enumerate(section.content.split("\n") if section.content else []):
                assert lines[section.content_line + index - first_line] == line


def test_seed_002_section_tree_and_roles() -> None:
    source = read_fixture("seed-002.md")
    body = parse_body(source, path="kb/backend-python-engineer.md")
    assert _flat(body.sections) == [
        ("Backend Python Engineer", 1, 1, 2, SectionRole.OTHER),
        ("Identity", 2, 3, 4, SectionRole.IDENTITY),
        ("Domain Expertise", 2, 8, 9, SectionRole.EXPERTISE),
        ("Technical Knowledge", 2, 15, 16, SectionRole.KNOWLEDGE),
        ("Core Patterns", 3, 17, 18, SectionRole.CORE_PATTERNS),
        ("Best Practices", 3, 29, 30, SectionRole.BEST_PRACTICES),
        ("Anti-Patterns to Avoid", 3, 40, 41, SectionRole.ANTI_PATTERNS),
        ("Testing Approach", 3, 50, 51, SectionRole.TESTING),
        ("Goal Template", 2, 58, 59, SectionRole.GOAL),
        ("Constraints", 2, 61, 62, SectionRole.CONSTRAINTS),
        ("Anti-Drift", 2, 70, 71, SectionRole.ANTI_DRIFT),
    ]
    (root,) = body.sections
    assert [child.title for child in root.children[2].children] == [
        "Core Patterns",
        "Best Practices",
        "Anti-Patterns to Avoid",
        "Testing Approach",
    ]
    identity = root.children[0]
    assert identity.span == SourceSpan("kb/backend-python-engineer.md", 3)
    assert identity.content.splitlines()[-1] == (
        "- **Stack**: Python 3.14.3, Django 6.0.2, FastAPI 0.129.0"
    )
    assert root.children[2].content == ""
    constraints = root.children[4]
    assert constraints.content.count("\n") == 6
    assert constraints.content.endswith("broad exception catching")
    assert body.preamble == ""
    assert body.code_blocks == ()
    assert body.diagnostics == ()
    _assert_content_maps(source, body.sections)


def test_seed_000_sections_with_body_offset() -> None:
    body = parse_body(seed_000_body(), path="kb/p.md", first_line=SEED_000_BODY_LINE)
    top = [(s.title, s.span.line, s.role) for s in body.sections]
    assert top == [
        ("Knowledge Base References", 69, SectionRole.REFERENCES),
        ("Core Responsibilities", 97, SectionRole.RESPONSIBILITIES),
        ("Development Approach", 109, SectionRole.WORKFLOW),
        ("Working on Existing Codebases", 124, SectionRole.OTHER),
        ("New Project Setup", 133, SectionRole.OTHER),
        ("Testing & Validation Checklist", 142, SectionRole.CHECKLIST),
        ("🎯 Critical Python Backend Patterns & Best Practices", 160, SectionRole.PATTERNS),
        ("🔧 Common Python Error Resolution Playbook", 809, SectionRole.PLAYBOOK),
        ("🎓 Key Learnings for Python Backend Development", 862, SectionRole.LEARNINGS),
    ]
    assert body.preamble.startswith("\nYou are a Senior Python Backend Engineer")
    patterns = body.sections[6]
    assert [c.title for c in patterns.children][:3] == [
        "1. FastAPI Async Route Patterns with Pydantic v2",
        "2. Pydantic v2 Validation Patterns",
        "3. SQLAlchemy 2.0+ Async Patterns",
    ]
    # The "# mypy.ini" and "# conftest.py" comments inside fences are not headings.
    titles = [s.title for root in body.sections for s in root.walk()]
    assert len(titles) == 31
    assert not any(
        title.startswith(("mypy.ini", "conftest.py", "1. Type check")) for title in titles
    )
    references = body.sections[-1].content.splitlines()
    assert references[-1] == "- mypy Documentation: https://mypy.readthedocs.io"
    _assert_content_maps(seed_000_body(), body.sections, first_line=SEED_000_BODY_LINE)


def test_setext_headings_and_attribute_lists() -> None:
    source = (
        "Intro line.\n\nTop\n===\n\nText under top.\n\nSub {#custom-id}\n---\n\n"
        "> # Quoted heading is content\n\n### Deep ###\n"
    )
    body = parse_body(source, path="s.md", first_line=10)
    assert _flat(body.sections) == [
        ("Top", 1, 12, 15, SectionRole.OTHER),
        ("Sub", 2, 17, 20, SectionRole.OTHER),
        ("Deep", 3, 22, 23, SectionRole.OTHER),
    ]
    assert body.preamble == "Intro line."
    assert body.sections[0].children[0].content == "> # Quoted heading is content"
    _assert_content_maps(source, body.sections, first_line=10)


def test_thematic_break_is_not_a_heading_or_front_matter() -> None:
    source = "---\ntitle: not front matter\n---\n\n# Real\n\n---\n\nEnd.\n"
    body = parse_body(source, path="t.md")
    # "title: not front matter" followed by "---" is a setext heading, as MkDocs renders it.
    assert [(s.title, s.level, s.span.line) for s in body.sections] == [
        ("title: not front matter", 2, 2),
        ("Real", 1, 5),
    ]
    assert body.preamble == "---"
    assert body.sections[1].content == "---\n\nEnd."


def test_custom_classifier_is_used() -> None:
    body = parse_body("# A\n\n## B\n", path="c.md", classify=lambda title: SectionRole.GOAL)
    assert {s.role for root in body.sections for s in root.walk()} == {SectionRole.GOAL}


def test_empty_body() -> None:
    body = parse_body("", path="e.md", first_line=4)
    assert (body.preamble, body.sections, body.code_blocks, body.patterns) == ("", (), (), ())
