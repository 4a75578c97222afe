"""The plugin compatibility matrix: persona-kb next to other MkDocs plugins, built --strict.

Every row of the table in ``docs/guide/compatibility.md`` is one case here, and a test
checks that the two agree. Each case is a real ``mkdocs build --strict`` of a temporary
project; a hook records the navigation each page was rendered with, so the assertions
read MkDocs' own nav objects rather than a theme's HTML.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from tempsite import Project

pytestmark = pytest.mark.slow

REPO_ROOT = Path(__file__).resolve().parents[2]

NAV_HOOK = '''\
"""Record the nav every page is rendered with (a test hook)."""
import json
from pathlib import Path

SEEN = {}


def _tree(items):
    out = []
    for item in items:
        if item.is_section:
            out.append([item.title, _tree(item.children)])
        elif item.is_page:
            out.append([item.title, item.file.src_uri])
        else:
            out.append([item.title, item.url])
    return out


def on_page_context(context, page, config, nav):
    SEEN[page.url] = _tree(nav.items)
    return context


def on_post_build(config):
    target = Path(config.config_file_path).parent / "nav.json"
    seen = json.loads(target.read_text()) if target.exists() else {}
    seen.update({config.site_dir + "|" + url: tree for url, tree in SEEN.items()})
    target.write_text(json.dumps(seen))
'''

KB_TOPIC_PAGES = [
    ["Overview", "kb/python/README.md"],
    ["Quick reference", "kb/python/QUICK-REFERENCE.md"],
    ["Comprehensive guide", "kb/python/PYTHON-COMPREHENSIVE-GUIDE.md"],
    ["Specific patterns", "kb/python/PYTHON-SPECIFIC-PATTERNS.md"],
]


@dataclass(frozen=True)
class Case:
    """One row of the compatibility matrix."""

    name: str
    plugins: str
    """The ``plugins:`` list, with ``persona-kb`` where it goes."""
    files: dict[str, str] = field(default_factory=dict)
    extra_config: str = ""
    kb_title: str = "Knowledge base"
    check: Callable[[Project, dict[str, list[object]]], None] | None = None


def _titles(tree: list[object]) -> list[str]:
    return [str(item[0]) for item in tree if isinstance(item, list)]


def _section(tree: list[object], title: str) -> list[object]:
    for item in tree:
        if isinstance(item, list) and item[0] == title and isinstance(item[1], list):
            return item[1]
    raise AssertionError(f"no section {title!r} in {_titles(tree)}")


def _leaves(tree: list[object]) -> list[str]:
    out: list[str] = []
    for item in tree:
        if isinstance(item, list):
            out.extend(_leaves(item[1]) if isinstance(item[1], list) else [str(item[1])])
    return out


def _gen_files_page_in_nav(project: Project, navs: dict[str, list[object]]) -> None:
    assert "generated/hello.md" in _leaves(next(iter(navs.values())))
    assert "Hello from gen-files" in project.html("generated/hello")


def _blog_posts_stay_out_of_the_main_nav(project: Project, navs: dict[str, list[object]]) -> None:
    home = navs[str(project.site) + "|"]
    assert not [leaf for leaf in _leaves(home) if leaf.startswith("blog/posts/")]
    assert "blog/index.md" in _leaves(home)
    assert list(project.site.glob("blog/*/*/*/first-post/index.html"))


def _every_language_has_the_kb(project: Project, navs: dict[str, list[object]]) -> None:
    for prefix in ("", "fr/"):
        html = project.html(prefix + "kb/python")
        assert "Python API Engineer" in html, prefix
    french = next(tree for key, tree in navs.items() if key.endswith("|fr/"))
    assert _section(french, "Knowledge base")[0] == ["Overview", "kb/README.md"]


def _llms_txt_lists_the_kb(project: Project, navs: dict[str, list[object]]) -> None:
    llms = (project.site / "llms.txt").read_text(encoding="utf-8")
    assert "kb/python/QUICK-REFERENCE" in llms


def _tags_page_lists_the_tagged_page(project: Project, navs: dict[str, list[object]]) -> None:
    assert "Tagged page" in project.html("tags")


CASES = [
    Case("awesome-nav before persona-kb", "- search\n- awesome-nav\n- persona-kb"),
    Case("awesome-nav after persona-kb", "- search\n- persona-kb\n- awesome-nav"),
    Case(
        "literate-nav",
        "- search\n- persona-kb\n- literate-nav",
        files={"docs/SUMMARY.md": "* [Home](index.md)\n* [Personas](kb/)\n"},
        kb_title="Personas",
    ),
    Case(
        "gen-files before persona-kb",
        "- search\n- gen-files:\n    scripts: [gen.py]\n- persona-kb",
        files={"gen.py": "import mkdocs_gen_files\n"},
        check=_gen_files_page_in_nav,
    ),
    Case(
        "gen-files after persona-kb",
        "- search\n- persona-kb\n- gen-files:\n    scripts: [gen.py]",
        check=_gen_files_page_in_nav,
    ),
    Case(
        "Material blog",
        "- search\n- blog\n- persona-kb",
        files={
            "docs/blog/index.md": "# Blog\n",
            "docs/blog/posts/first.md": "---\ndate: 2024-01-31\n---\n\n# First post\n\nHi.\n",
        },
        check=_blog_posts_stay_out_of_the_main_nav,
    ),
    Case(
        "mkdocs-static-i18n",
        textwrap.dedent(
            """\
            - search
            - persona-kb
            - i18n:
                docs_structure: suffix
                languages:
                  - locale: en
                    default: true
                    name: English
                  - locale: fr
                    name: Français"""
        ),
        files={"docs/index.fr.md": "# Accueil\n"},
        check=_every_language_has_the_kb,
    ),
    Case(
        "llmstxt",
        "- search\n- persona-kb\n- llmstxt:\n    sections:\n      Knowledge base:\n"
        "        - kb/README.md\n        - kb/python/*.md",
        extra_config="site_url: https://example.org/\n",
        check=_llms_txt_lists_the_kb,
    ),
    Case(
        "tags",
        "- search\n- tags\n- persona-kb",
        files={
            "docs/tags.md": "# Tags\n\n<!-- material/tags -->\n",
            "docs/tagged.md": "---\ntags: [python]\n---\n\n# Tagged page\n",
        },
        check=_tags_page_lists_the_tagged_page,
    ),
]

_GEN_SCRIPT = (
    "import mkdocs_gen_files\n\n"
    "with mkdocs_gen_files.open('generated/hello.md', 'w') as f:\n"
    "    f.write('# Hello\\n\\nHello from gen-files.\\n')\n"
)


def _configure(project: Project, case: Case) -> None:
    for path, text in case.files.items():
        project.write(path, _GEN_SCRIPT if path == "gen.py" else text)
    if "gen-files" in case.plugins:
        project.write("gen.py", _GEN_SCRIPT)
    project.write("hooks/navdump.py", NAV_HOOK)
    config = project.root / "mkdocs.yml"
    base = config.read_text(encoding="utf-8").replace("plugins:\n  - persona-kb\n", "")
    plugins = textwrap.indent(case.plugins, "  ")
    config.write_text(
        base + case.extra_config + "hooks:\n  - hooks/navdump.py\nplugins:\n" + plugins + "\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_builds_strict_next_to(project: Project, case: Case) -> None:
    _configure(project, case)
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    navs: dict[str, list[object]] = json.loads((project.root / "nav.json").read_text())
    home = navs[str(project.site) + "|"]
    kb = _section(home, case.kb_title)
    assert kb[0] == ["Overview", "kb/README.md"]
    assert _titles(kb)[1:] == ["Go", "Python"]
    assert _section(kb, "Python") == KB_TOPIC_PAGES
    if case.check is not None:
        case.check(project, navs)


def test_add_to_nav_false_leaves_mkdocs_own_nav(project: Project) -> None:
    _configure(project, Case("plain", "- search\n- persona-kb:\n    add_to_nav: false"))
    result = project.build()
    assert result.returncode == 0, result.stderr
    home = json.loads((project.root / "nav.json").read_text())[str(project.site) + "|"]
    assert "Knowledge base" not in _titles(home)
    kb = _section(home, "Kb")  # MkDocs' own section for the kb/ folder, in file order
    assert kb[0] == ["Overview", "kb/README.md"] or kb[0][1] == "kb/README.md"
    assert "kb/python/PYTHON-SPECIFIC-PATTERNS.md" in _leaves(kb)


def test_the_docs_matrix_lists_exactly_the_cases_tested() -> None:
    page = (REPO_ROOT / "docs" / "guide" / "compatibility.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([^|]+?) \| ✅", page, flags=re.MULTILINE)
    assert rows == [case.name for case in CASES]
