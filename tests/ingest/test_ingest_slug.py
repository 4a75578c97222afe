"""Persona ids are safe slugs: never a path, never empty, unique per ingest."""

from __future__ import annotations

import pytest
from persona_kb._internal.ingest.slug import slugify, unique_slugs


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("python-backend-engineer", "python-backend-engineer"),
        ("Backend C# / .NET Engineer", "backend-c-net-engineer"),
        ("../../etc", "etc"),
        ("/etc/passwd", "etc-passwd"),
        ("..", "persona"),
        ("", "persona"),
        ("Café Crème", "cafe-creme"),
        ("日本語", "persona"),
        ("x" * 200, "x" * 80),
    ],
)
def test_slugify(text: str, expected: str) -> None:
    slug = slugify(text)
    assert slug == expected
    assert ".." not in slug
    assert not slug.startswith("/")


def test_slugify_uses_the_fallback_when_the_text_has_no_usable_character() -> None:
    assert slugify("日本語", fallback="backend-go.md") == "backend-go-md"


def test_unique_slugs_prefix_the_parent_folder_then_number() -> None:
    wanted = [
        ("code-reviewer", ["review"]),
        ("code-reviewer", ["docs"]),
        ("code-reviewer", ["review"]),
        ("code-reviewer", []),
    ]
    assert unique_slugs(wanted) == [
        "code-reviewer",
        "docs-code-reviewer",
        "review-code-reviewer",
        "code-reviewer-2",
    ]
