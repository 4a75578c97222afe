"""Real ``mkdocs build`` / ``properdocs build`` runs of a temporary project."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from navhtml import primary_nav_links
from persona_kb._internal.kb.build import GENERATED_MARKER
from tempsite import BASE_CONFIG, PYTHON_PERSONA, Project, host_env

pytestmark = pytest.mark.slow

HOSTS = ["mkdocs", "properdocs"]

PYTHON_PAGES = [
    "kb/python/",
    "kb/python/QUICK-REFERENCE/",
    "kb/python/PYTHON-COMPREHENSIVE-GUIDE/",
    "kb/python/PYTHON-SPECIFIC-PATTERNS/",
]


def _kb_hrefs(project: Project, page: str) -> list[str]:
    """The KB links of ``page``'s primary nav, as site-absolute paths, in nav order."""
    base = "/" + page
    out = []
    for href, _text in primary_nav_links(project.html(page)):
        if not href:
            continue  # a section label
        # Material writes relative hrefs; resolve them against the page's own URL.
        parts = [p for p in base.split("/") if p]
        for piece in href.split("#")[0].split("/"):
            if piece == "..":
                parts.pop()
            elif piece not in ("", "."):
                parts.append(piece)
        path = "/".join(parts) + "/"
        if path.startswith("kb/") and path not in out:
            out.append(path)
    return out


@pytest.mark.parametrize("host", HOSTS)
def test_build_without_nav_makes_the_kb_its_own_section(project: Project, host: str) -> None:
    result = project.build(host)
    assert result.returncode == 0, result.stderr
    for page in ["kb/", *PYTHON_PAGES, "kb/go/"]:
        assert (project.site / page / "index.html").is_file(), page
    assert "Never ignore a returned error" in (
        project.site / "kb/go/GO-SPECIFIC-PATTERNS/index.html"
    ).read_text(encoding="utf-8") + project.html("kb/go/GO-COMPREHENSIVE-GUIDE/")
    hrefs = _kb_hrefs(project, "kb/python/")
    assert hrefs[0] == "kb/"
    assert hrefs.index("kb/go/") < hrefs.index("kb/python/")
    python = [h for h in hrefs if h.startswith("kb/python/")]
    assert python == PYTHON_PAGES
    texts = [text for _href, text in primary_nav_links(project.html("kb/python/"))]
    assert "Knowledge base" in " ".join(texts)
    assert texts.index("Quick reference") < texts.index("Specific patterns")


@pytest.mark.parametrize("host", HOSTS)
def test_explicit_nav_placeholder_expands_into_the_kb_nav(project: Project, host: str) -> None:
    project.write("docs/about.md", "# About\n")
    project.config(
        """
        nav:
          - Home: index.md
          - Knowledge base: kb/
          - About: about.md
        """
    )
    result = project.build(host)
    # validation.nav.omitted_files is `warn`: --strict passing means every page is in the nav.
    assert result.returncode == 0, result.stderr
    links = primary_nav_links(project.html("about/"))
    texts = [text for _href, text in links]
    assert texts.index("Home") < texts.index("Knowledge base") < texts.index("About")
    hrefs = _kb_hrefs(project, "about/")
    assert hrefs[:1] == ["kb/"]
    assert [h for h in hrefs if h.startswith("kb/python/")] == PYTHON_PAGES


def test_explicit_nav_without_placeholder_says_so(project: Project) -> None:
    project.config("nav:\n  - Home: index.md\n")
    result = project.build(strict=False)
    assert result.returncode == 0, result.stderr
    assert "has no 'kb/' entry" in result.stderr
    assert (project.site / "kb/python/index.html").is_file()


def test_strict_fails_on_a_broken_persona_naming_path_and_line(project: Project) -> None:
    project.write("kb/broken.md", "---\nname: [unclosed\n  nope: {\n---\n# Broken\n")
    strict = project.build()
    assert strict.returncode != 0
    assert re.search(r"ERROR +-  persona_kb: kb/broken\.md:[23]:\d+: .*\[PKB2\d\d\]", strict.stderr)
    assert "Aborted with 1 errors in strict mode!" in strict.stdout + strict.stderr

    relaxed = project.build(strict=False)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "kb/broken.md:" in relaxed.stderr
    for page in PYTHON_PAGES:
        assert (project.site / page / "index.html").is_file(), page
    assert (project.site / "kb/go/index.html").is_file()


def test_a_symlinked_persona_folder_keeps_its_written_paths(
    project: Project, tmp_path: Path
) -> None:
    # A submodule or shared checkout linked in as kb/: the pages name `kb/…`, never the
    # machine path the link points at.
    shared = tmp_path / "elsewhere" / "personas"
    shared.parent.mkdir()
    project.kb.rename(shared)
    project.kb.symlink_to(shared, target_is_directory=True)
    result = project.build()
    assert result.returncode == 0, result.stderr
    readme = project.html("kb/python")
    assert "kb/python-api-engineer.md" in readme
    assert str(shared) not in readme
    assert "elsewhere" not in readme


def test_hand_written_file_at_a_generated_path_is_a_conflict(project: Project) -> None:
    project.write("docs/kb/python/README.md", "# My own notes\n")
    strict = project.build()
    assert strict.returncode != 0
    assert "docs/kb/python/README.md:1: this file is in the way of the generated page" in (
        strict.stderr
    )
    relaxed = project.build(strict=False)
    assert relaxed.returncode == 0, relaxed.stderr
    assert "My own notes" in project.html("kb/python/")
    assert (project.docs / "kb/python/README.md").read_text(encoding="utf-8") == (
        "# My own notes\n"
    )


def test_exported_copy_is_replaced_silently_and_stale_ones_hidden(project: Project) -> None:
    old = f"{GENERATED_MARKER}\n\n# An outdated export\n"
    project.write("docs/kb/python/README.md", old)
    project.write("docs/kb/cobol/README.md", old)  # no persona generates this any more
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "conflict" not in result.stderr.lower()
    page = project.html("kb/python/")
    assert "An outdated export" not in page
    assert "Python API Engineer" in page
    assert not (project.site / "kb/cobol").exists()


def test_cache_dir_inside_docs_dir_is_a_config_error(project: Project) -> None:
    project.write(
        "mkdocs.yml",
        (project.root / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace("  - persona-kb\n", "  - persona-kb:\n      cache_dir: docs/.cache\n"),
    )
    result = project.build()
    assert result.returncode != 0
    assert "cache_dir: docs/.cache" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_source_folder_is_a_config_error(project: Project) -> None:
    project.write(
        "mkdocs.yml",
        (project.root / "mkdocs.yml")
        .read_text(encoding="utf-8")
        .replace("  - persona-kb\n", "  - persona-kb:\n      source: personas\n"),
    )
    result = project.build()
    assert result.returncode != 0
    assert "persona folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_source_links_follow_the_sites_repo_url(project: Project) -> None:
    project.config(
        """
        repo_url: https://github.com/example/personas
        edit_uri: edit/main/docs/
        """
    )
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert (
        'href="https://github.com/example/personas/blob/main/kb/python-api-engineer.md"'
        in project.html("kb/python/")
    )


def test_info_diagnostics_never_fail_strict_and_show_with_verbose(project: Project) -> None:
    # "âŒ" is ❌ saved as UTF-8 and read back as cp1252: ingestion repairs it (an info).
    project.write(
        "kb/python-api-engineer.md",
        PYTHON_PERSONA.replace("- Validate every", "- âŒ Never trust input. Validate every"),
    )
    quiet = project.build()
    assert quiet.returncode == 0, quiet.stderr
    assert "PKB104" not in quiet.stderr
    assert re.search(r"persona_kb: 2 personas in 2 topics, 9 pages; \d+ notes?", quiet.stderr)
    assert "❌ Never trust input" in project.html("kb/python/PYTHON-COMPREHENSIVE-GUIDE/")

    verbose = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-v"],
        cwd=project.root,
        env=host_env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert verbose.returncode == 0, verbose.stderr
    assert re.search(
        r"kb/python-api-engineer\.md:\d+:\d+: mojibake repaired.*\[PKB104\]", (verbose.stderr)
    )


def test_nested_output_folder_is_its_own_section_where_it_lives(project: Project) -> None:
    project.write("docs/library/about.md", "# About the library\n")
    text = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    project.write(
        "mkdocs.yml",
        text.replace("  - persona-kb\n", "  - persona-kb:\n      output: library/kb\n"),
    )
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert (project.site / "library/kb/python/QUICK-REFERENCE/index.html").is_file()
    texts = [text for _href, text in primary_nav_links(project.html("library/about/"))]
    # MkDocs' own "Library" section keeps its page and gains the KB section inside it.
    assert texts.index("Library") < texts.index("About the library")
    assert texts.index("Library") < texts.index("Knowledge base") < texts.index("Python")


def test_a_site_without_the_needed_markdown_extensions_gets_them(project: Project) -> None:
    bare = "site_name: bare\ntheme:\n  name: material\nvalidation:\n  links:\n    anchors: warn\n"
    project.write("mkdocs.yml", bare + "plugins:\n  - persona-kb\n")
    project.write(
        "kb/cards-python-engineer.md",
        "# Cards Python Engineer\n\n## Patterns\n\n### Lists\n\n"
        "#### ❌ WRONG\n```python\nitems = []\n```\n\n"
        "#### ✅ CORRECT\n```python\nitems = ()\n```\n",
    )
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "enabled the Markdown extensions the knowledge-base pages need" in result.stderr
    page = project.html("kb/python/PYTHON-SPECIFIC-PATTERNS")
    assert 'class="tabbed-set' in page  # the ❌/✅ card renders as tabs, not `===` text
    assert '=== "' not in page


def test_topics_nav_layout_leaves_pages_out_without_omitted_warnings(project: Project) -> None:
    project.write("docs/about.md", "# About\n")
    project.write(
        "mkdocs.yml",
        BASE_CONFIG.replace("  - persona-kb\n", "  - persona-kb:\n      nav_layout: topics\n")
        + "nav:\n  - Home: index.md\n  - Knowledge base: kb/\n  - About: about.md\n",
    )
    # validation.nav.omitted_files is `warn`: the pages left out are marked not-in-nav.
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert _kb_hrefs(project, "about/") == ["kb/", "kb/go/", "kb/python/"]
    guide = project.html("kb/python/PYTHON-COMPREHENSIVE-GUIDE/")
    assert "Pydantic model" in guide
    assert "QUICK-REFERENCE" in project.html("kb/python/")  # reached from the overview
