"""The partial ``serve`` rebuild leaves the search plugins out of the page events."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.config import load_config
from persona_kb._internal.adapters.mkdocs_plugin.live_edit import _search_index_paused


@pytest.mark.parametrize("theme", ["mkdocs", "material"])
def test_search_plugins_are_left_out_of_page_context_and_put_back(
    tmp_path: Path, theme: str
) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        f"site_name: t\ntheme: {theme}\nplugins: [search, persona-kb]\n", "utf-8"
    )
    config = load_config(str(tmp_path / "mkdocs.yml"))
    handlers = config.plugins.events["page_context"]
    owners = [type(getattr(h, "__self__", None)).__name__ for h in handlers]
    assert "SearchPlugin" in owners
    before = list(handlers)
    with _search_index_paused(config):
        inside = [type(getattr(h, "__self__", None)).__name__ for h in handlers]
        assert "SearchPlugin" not in inside
        assert len(inside) == len(owners) - 1  # nothing else is left out
    assert handlers == before
