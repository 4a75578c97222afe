"""Source links derived from a site's repo_url and edit_uri."""

from __future__ import annotations

import pytest
from persona_kb._internal.kb.source_links import source_url_from_repo


@pytest.mark.parametrize(
    ("repo_url", "edit_uri", "docs_dir", "expected"),
    [
        (
            "https://github.com/org/repo",
            "edit/main/docs/",
            "docs",
            "https://github.com/org/repo/blob/main/",
        ),
        (
            "https://github.com/org/repo/",
            "edit/master/documentation/",
            "documentation",
            "https://github.com/org/repo/blob/master/",
        ),
        (
            "https://gitlab.com/org/repo",
            "-/edit/main/docs/",
            "docs",
            "https://gitlab.com/org/repo/-/blob/main/",
        ),
        (
            "https://github.com/org/repo",
            "https://github.com/org/repo/edit/dev/site/docs/",
            "site/docs",
            "https://github.com/org/repo/blob/dev/",
        ),
        (
            "https://github.com/org/repo",
            "blob/main/",
            "docs",
            "https://github.com/org/repo/blob/main/",
        ),
        ("https://example.org/repo", "?mode=edit", "docs", None),
        ("https://github.com/org/repo", None, "docs", None),
        ("https://github.com/org/repo", "", "docs", None),
        (None, "edit/main/docs/", "docs", None),
    ],
)
def test_source_url_from_repo(
    repo_url: str | None, edit_uri: str | None, docs_dir: str, expected: str | None
) -> None:
    assert source_url_from_repo(repo_url, edit_uri, docs_dir) == expected
