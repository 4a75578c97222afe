"""The plugin's events called in-process on a real MkDocs config."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import get_files
from persona_kb._internal.adapters.mkdocs_plugin.plugin import PersonaKBPlugin
from tempsite import Project, tree_snapshot


@pytest.fixture
def in_project(project: Project) -> Iterator[Project]:
    cwd = Path.cwd()
    os.chdir(project.root)
    try:
        yield project
    finally:
        os.chdir(cwd)


def _config(project: Project) -> MkDocsConfig:
    config = load_config(config_file=str(project.root / "mkdocs.yml"))
    config.plugins.on_startup(command="build", dirty=False)
    return config.plugins.on_config(config)


def test_on_files_adds_generated_pages_without_touching_docs_dir(in_project: Project) -> None:
    before = tree_snapshot(in_project.docs)
    config = _config(in_project)
    files = config.plugins.on_files(get_files(config), config=config)
    generated = {f.src_uri: f for f in files if f.generated_by}
    assert {
        "kb/README.md",
        "kb/python/README.md",
        "kb/python/QUICK-REFERENCE.md",
        "kb/python/PYTHON-COMPREHENSIVE-GUIDE.md",
        "kb/python/PYTHON-SPECIFIC-PATTERNS.md",
        "kb/go/README.md",
    } <= set(generated)
    assert all(f.generated_by == "persona-kb" for f in generated.values())
    assert all(f.abs_src_path is None for f in generated.values())  # in memory
    assert "Python API Engineer" in generated["kb/python/README.md"].content_string
    assert config.nav is None  # the KB enters the nav in on_nav; config.nav is the user's
    assert tree_snapshot(in_project.docs) == before
    assert not (in_project.docs / "kb").exists()


def test_disabled_plugin_adds_nothing(in_project: Project) -> None:
    text = (in_project.root / "mkdocs.yml").read_text(encoding="utf-8")
    (in_project.root / "mkdocs.yml").write_text(
        text.replace("  - persona-kb\n", "  - persona-kb:\n      enabled: false\n"),
        encoding="utf-8",
    )
    config = _config(in_project)
    files = config.plugins.on_files(get_files(config), config=config)
    assert not [f for f in files if f.generated_by]
    assert config.nav is None


def test_serve_dirty_keeps_pages_outside_docs_dir_rewriting_only_changes(
    in_project: Project,
) -> None:
    config = load_config(config_file=str(in_project.root / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=True)
    config = config.plugins.on_config(config)
    plugin = config.plugins["persona-kb"]
    assert isinstance(plugin, PersonaKBPlugin)
    try:
        files = config.plugins.on_files(get_files(config), config=config)
        guide = files.get_file_from_path("kb/go/GO-COMPREHENSIVE-GUIDE.md")
        python = files.get_file_from_path("kb/python/README.md")
        assert guide is not None
        assert python is not None
        assert guide.abs_src_path is not None
        assert python.abs_src_path is not None
        docs = in_project.docs.resolve()
        assert docs not in Path(guide.abs_src_path).resolve().parents
        go_mtime = Path(guide.abs_src_path).stat().st_mtime_ns
        py_text = Path(python.abs_src_path).read_text(encoding="utf-8")

        persona = in_project.kb / "python-api-engineer.md"
        persona.write_text(
            persona.read_text(encoding="utf-8").replace("Builds FastAPI", "Designs FastAPI"),
            encoding="utf-8",
        )
        config.plugins.on_files(get_files(config), config=config)
        assert Path(guide.abs_src_path).stat().st_mtime_ns == go_mtime  # untouched topic
        assert Path(python.abs_src_path).read_text(encoding="utf-8") != py_text
        page_dir = Path(guide.abs_src_path).parents[2]
    finally:
        config.plugins.on_shutdown()
    # The pages live in the on-disk cache (default .cache/persona-kb beside mkdocs.yml),
    # which outlives the session so that the next `serve --dirty` starts warm.
    assert page_dir == (in_project.root / ".cache" / "persona-kb" / "pages").resolve()
    assert page_dir.is_dir()


def test_without_the_disk_cache_serve_dirty_pages_live_in_a_temporary_folder(
    in_project: Project,
) -> None:
    text = (in_project.root / "mkdocs.yml").read_text(encoding="utf-8")
    (in_project.root / "mkdocs.yml").write_text(
        text.replace("  - persona-kb\n", "  - persona-kb:\n      cache: false\n"),
        encoding="utf-8",
    )
    config = load_config(config_file=str(in_project.root / "mkdocs.yml"))
    config.plugins.on_startup(command="serve", dirty=True)
    config = config.plugins.on_config(config)
    try:
        files = config.plugins.on_files(get_files(config), config=config)
        guide = files.get_file_from_path("kb/go/GO-COMPREHENSIVE-GUIDE.md")
        assert guide is not None
        assert guide.abs_src_path is not None
        page_dir = Path(guide.abs_src_path).parents[2]
        assert page_dir.is_dir()
        assert in_project.root.resolve() not in page_dir.resolve().parents
    finally:
        config.plugins.on_shutdown()
    assert not page_dir.exists()  # the temporary page folder is removed on shutdown
    assert not (in_project.root / ".cache").exists()  # and nothing was cached on disk
