"""Reading any ``mkdocs.yml`` safely, and MkDocs' page layout rules."""

from __future__ import annotations

from pathlib import Path

import pytest
from persona_kb._internal.adapters.site_loader import load_site_config as read_site_config
from persona_kb._internal.checks.links.run import check_links
from persona_kb._internal.checks.links.site import dest_path, map_sources
from persona_kb._internal.core.diagnostics import PersonaKBError
from seeded_site import build, write_project


def test_custom_tags_are_read_not_executed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PKB_SITE_DIR", "public")
    monkeypatch.delenv("PKB_UNSET", raising=False)
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: t\n"
        "site_url: https://example.org/project\n"
        "docs_dir: !ENV [PKB_UNSET, pages]\n"
        "site_dir: !ENV PKB_SITE_DIR\n"
        "use_directory_urls: false\n"
        "markdown_extensions:\n"
        "  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:os.system\n"
        "  - pymdownx.superfences:\n"
        "      custom_fences:\n"
        "        - name: mermaid\n"
        "          format: !!python/object/apply:os.system [echo pwned]\n"
        "plugins:\n"
        "  - search\n"
        "  - persona-kb:\n"
        "      source: personas\n",
        encoding="utf-8",
    )
    site = read_site_config(config)
    assert site.docs_dir == tmp_path / "pages"
    assert site.site_dir == tmp_path / "public"
    assert site.use_directory_urls is False
    assert site.base_path == "/project/"
    assert site.uses_persona_kb
    assert site.persona_kb_options() == {"source": "personas"}
    emoji = site.settings["markdown_extensions"][0]["pymdownx.emoji"]
    assert emoji["emoji_index"] == "!!python/name:os.system"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("site_name: [unclosed\n", "the site config is not valid YAML"),
        ("- a list\n", "the site config must be a mapping"),
    ],
)
def test_bad_config_is_a_usage_error(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(PersonaKBError, match=message):
        read_site_config(config)


@pytest.mark.parametrize(
    ("src", "directory_urls", "expected"),
    [
        ("index.md", True, "index.html"),
        ("README.md", True, "index.html"),
        ("guide.md", True, "guide/index.html"),
        ("guide.md", False, "guide.html"),
        ("kb/python/README.md", True, "kb/python/index.html"),
        ("kb/python/QUICK-REFERENCE.md", True, "kb/python/QUICK-REFERENCE/index.html"),
        ("a/b/index.md", False, "a/b/index.html"),
    ],
)
def test_dest_path(src: str, directory_urls: bool, expected: str) -> None:
    assert dest_path(src, use_directory_urls=directory_urls) == expected


def test_index_md_wins_over_readme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docs = tmp_path / "docs" / "topic"
    docs.mkdir(parents=True)
    (docs / "README.md").write_text("# readme\n", encoding="utf-8")
    (docs / "index.md").write_text("# index\n", encoding="utf-8")
    (docs / ".hidden.md").write_text("# hidden\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    sources = map_sources(read_site_config(Path("mkdocs.yml")))
    assert sorted(sources) == ["topic/index.html"]
    assert sources["topic/index.html"].path == "docs/topic/index.md"
    assert sources["topic/index.html"].markdown() == "# index\n"


def test_a_broken_nav_entry_is_reported_once_at_mkdocs_yml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write_project(
        tmp_path,
        extra_yaml="nav:\n  - Home: index.md\n  - Guide: guide.md\n  - Gone: gone.md\n"
        "extra_css:\n  - css/missing.css\n",
    )
    build(config)
    monkeypatch.chdir(tmp_path)
    result = check_links(Path("site"), read_site_config(Path("mkdocs.yml")))
    at_config = [d for d in result.diagnostics if d.span.path == "mkdocs.yml"]
    lines = Path("mkdocs.yml").read_text(encoding="utf-8").splitlines()
    assert [(d.code, lines[d.span.line - 1].strip()) for d in at_config] == [
        ("PKB700", "- Gone: gone.md"),
        ("PKB702", "- css/missing.css"),
    ]
    # Every page, 404.html included, repeats the theme's links: one report each.
    for diagnostic in at_config:
        assert f"in the navigation or theme ({result.report.pages} pages)" in diagnostic.message
