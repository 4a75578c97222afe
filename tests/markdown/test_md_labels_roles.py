"""❌/✅ label recognition and heading roles."""

from __future__ import annotations

import pytest
from persona_kb._internal.core.model import Label, SectionRole
from persona_kb._internal.markdown import (
    classify_heading,
    detect_comment_label,
    detect_label,
    find_code_blocks,
)


@pytest.mark.parametrize(
    ("text", "label", "caption"),
    [
        (
            "❌ WRONG (Blocking sync code in async route)",
            Label.WRONG,
            "Blocking sync code in async route",
        ),
        ("✅ CORRECT (SQLAlchemy 2.0+ select API)", Label.CORRECT, "SQLAlchemy 2.0+ select API"),
        ("**❌ WRONG:**", Label.WRONG, ""),
        ("❌ Bad:", Label.WRONG, ""),
        ("✅ Good", Label.CORRECT, ""),
        ("**Bad:** shared session", Label.WRONG, "shared session"),
        ("Good practice: close sessions", Label.CORRECT, "close sessions"),
        ("Don't: swallow errors", Label.WRONG, "swallow errors"),
        (":x: mutable default", Label.WRONG, "mutable default"),
        (":white_check_mark: Correct", Label.CORRECT, ""),
        ("✔️ Fine", Label.CORRECT, "Fine"),
        ("#### ✅ CORRECT — async version", Label.CORRECT, "async version"),
        ("**CORRECT Patterns:**", Label.CORRECT, ""),
        ("bad practice:", Label.WRONG, ""),
    ],
)
def test_detect_label(text: str, label: Label, caption: str) -> None:
    found = detect_label(text)
    assert found is not None
    assert (found.label, found.caption) == (label, caption)


@pytest.mark.parametrize(
    "text",
    ["Good luck with the migration", "Correct the offset first", "Done", "Right?", "Doing it", ""],
)
def test_prose_is_not_a_label(text: str) -> None:
    assert detect_label(text) is None


@pytest.mark.parametrize(
    ("line", "label", "caption"),
    [
        ("# ❌ Pydantic v1 style (deprecated)", Label.WRONG, "Pydantic v1 style (deprecated)"),
        ("    # ✅ Field validator", Label.CORRECT, "Field validator"),
        ("// ✅ Good: const", Label.CORRECT, "const"),
        ("-- ❌ SELECT *", Label.WRONG, "SELECT *"),
        ("<!-- ❌ inline styles -->", Label.WRONG, "inline styles"),
        ("/* ✅ typed */", Label.CORRECT, "typed"),
        ("# Bad", Label.WRONG, ""),
    ],
)
def test_detect_comment_label(line: str, label: Label, caption: str) -> None:
    found = detect_comment_label(line)
    assert found is not None
    assert (found.label, found.caption) == (label, caption)


@pytest.mark.parametrize(
    "line", ["x = 1  # ✅ Clean!", "# Correct the offset", "print('❌')", "# plain comment"]
)
def test_code_is_not_a_comment_label(line: str) -> None:
    assert detect_comment_label(line) is None


def test_label_line_beats_heading_and_marker_sits_between() -> None:
    source = (
        "#### ✅ CORRECT\n\n```python\na = 1\n```\n\n"
        "**❌ Bad:**\n<!-- persona-kb: no-run -->\n```python\nb = 1\n```\n\n"
        "Some prose in between.\n\n```python\nc = 1\n```\n\n"
        "## Plain\n\n```python\nd = 1\n```\n"
    )
    blocks = find_code_blocks(source, path="x.md").blocks
    assert [(b.label, b.marker) for b in blocks] == [
        (Label.CORRECT, ""),
        (Label.WRONG, "no-run"),
        (Label.CORRECT, ""),
        (None, ""),
    ]


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("Identity", SectionRole.IDENTITY),
        ("IDENTITY and PURPOSE", SectionRole.PURPOSE),
        ("Domain Expertise", SectionRole.EXPERTISE),
        ("Capabilities", SectionRole.EXPERTISE),
        ("Expertise", SectionRole.EXPERTISE),
        ("Technical Knowledge", SectionRole.KNOWLEDGE),
        ("Core Patterns", SectionRole.CORE_PATTERNS),
        ("Best Practices", SectionRole.BEST_PRACTICES),
        ("Anti-Patterns to Avoid", SectionRole.ANTI_PATTERNS),
        ("Testing Approach", SectionRole.TESTING),
        ("Goal Template", SectionRole.GOAL),
        ("Constraints", SectionRole.CONSTRAINTS),
        ("Rules", SectionRole.CONSTRAINTS),
        ("Anti-Drift", SectionRole.ANTI_DRIFT),
        ("Testing & Validation Checklist", SectionRole.CHECKLIST),
        ("🎓 Key Learnings for Python Backend Development", SectionRole.LEARNINGS),
        ("🔧 Common Python Error Resolution Playbook", SectionRole.PLAYBOOK),
        ("Troubleshooting", SectionRole.PLAYBOOK),
        ("🎯 Critical Python Backend Patterns & Best Practices", SectionRole.PATTERNS),
        ("STEPS", SectionRole.STEPS),
        ("OUTPUT INSTRUCTIONS", SectionRole.OUTPUT),
        ("Output Format", SectionRole.OUTPUT),
        ("INPUT", SectionRole.INPUT),
        ("References", SectionRole.REFERENCES),
        ("Knowledge Base References", SectionRole.REFERENCES),
        ("Core Responsibilities", SectionRole.RESPONSIBILITIES),
        ("Purpose", SectionRole.PURPOSE),
        ("Development Approach", SectionRole.WORKFLOW),
        ("2. Workflow", SectionRole.WORKFLOW),
        ("Working on Existing Codebases", SectionRole.OTHER),
        ("Error Handling & Custom Exceptions", SectionRole.OTHER),
        ("", SectionRole.OTHER),
    ],
)
def test_classify_heading(title: str, role: SectionRole) -> None:
    assert classify_heading(title) is role
