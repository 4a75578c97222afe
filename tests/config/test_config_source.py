"""The default persona source comes from mkdocs.yml, read without MkDocs or running its tags."""

from __future__ import annotations

from pathlib import Path

import pytest
from persona_kb._internal.config.source import load_mkdocs_source
from persona_kb._internal.core.diagnostics import PersonaKBError

MATERIAL_TAGS = """\
site_name: x
site_url: !ENV [SITE_URL, "http://localhost"]
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
      emoji_generator: !!python/name:material.extensions.emoji.to_svg
plugins:
  - search
"""


def write(tmp_path: Path, text: str) -> Path:
    config = tmp_path / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return config


def test_source_is_resolved_against_the_config_folder(tmp_path: Path) -> None:
    config = write(tmp_path, MATERIAL_TAGS + "  - persona-kb:\n      source: personas\n")
    assert load_mkdocs_source(config) == (tmp_path / "personas").resolve()


@pytest.mark.parametrize(
    "plugins",
    ["  - persona-kb\n", "  - persona-kb: {}\n", "  - persona-kb:\n      output: kb\n"],
)
def test_default_source_is_kb(tmp_path: Path, plugins: str) -> None:
    config = write(tmp_path, MATERIAL_TAGS + plugins)
    assert load_mkdocs_source(config) == (tmp_path / "kb").resolve()


def test_plugins_as_a_mapping(tmp_path: Path) -> None:
    config = write(tmp_path, "site_name: x\nplugins:\n  persona-kb:\n    source: src/kb\n")
    assert load_mkdocs_source(config) == (tmp_path / "src" / "kb").resolve()


def test_none_when_the_plugin_is_not_configured_or_there_is_no_config(tmp_path: Path) -> None:
    assert load_mkdocs_source(write(tmp_path, MATERIAL_TAGS)) is None
    assert load_mkdocs_source(tmp_path / "absent.yml") is None


def test_invalid_yaml_is_a_configuration_error_with_its_line(tmp_path: Path) -> None:
    config = write(tmp_path, "site_name: x\nplugins: [\n  - persona-kb\n")
    with pytest.raises(PersonaKBError, match=r"mkdocs\.yml:\d+: the MkDocs config is not valid"):
        load_mkdocs_source(config)


def test_a_source_that_is_not_a_string_is_a_configuration_error(tmp_path: Path) -> None:
    config = write(tmp_path, "plugins:\n  - persona-kb:\n      source: [a, b]\n")
    with pytest.raises(PersonaKBError, match="'source' must be a folder path"):
        load_mkdocs_source(config)
