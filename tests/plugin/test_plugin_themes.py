"""The knowledge base on MkDocs' own themes: built --strict, pattern cards stay readable."""

from __future__ import annotations

import pytest
from tempsite import Project

pytestmark = pytest.mark.slow


def _use_theme(project: Project, theme: str) -> None:
    config = project.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("name: material", f"name: {theme}")
    config.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("theme", ["mkdocs", "readthedocs"])
def test_pattern_cards_get_the_readable_tabs_stylesheet(project: Project, theme: str) -> None:
    _use_theme(project, theme)
    result = project.build()
    assert result.returncode == 0, result.stderr
    css = (project.site / "assets/persona-kb/tabbed-fallback.css").read_text(encoding="utf-8")
    assert ".tabbed-set > .tabbed-labels > label:nth-child(2) { grid-row: 3; }" in css
    page = project.html("kb/python/PYTHON-SPECIFIC-PATTERNS")
    assert "assets/persona-kb/tabbed-fallback.css" in page
    assert 'class="tabbed-labels"' in page
    assert page.index("❌ Wrong") < page.index("✅ Correct")


def test_material_gets_no_fallback_stylesheet(project: Project) -> None:
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert not (project.site / "assets/persona-kb").exists()
    assert "tabbed-fallback.css" not in project.html("kb/python/PYTHON-SPECIFIC-PATTERNS")
