"""Reading the plugin block of mkdocs.yml without MkDocs, and turning it into KBOptions."""

from __future__ import annotations

from pathlib import Path

import pytest
from persona_kb._internal.adapters.site_loader import load_site_config
from persona_kb._internal.config.settings import options_from_mapping
from persona_kb._internal.core.diagnostics import PersonaKBError
from persona_kb._internal.core.model import PersonaFormat


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text(text)
    return path


def read_plugin_options(config: Path) -> dict[str, object] | None:
    site = load_site_config(config)
    return dict(site.persona_kb_options()) if site.kb is not None or site.plugins else None


def test_unknown_tags_are_neutralised_and_env_reads_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALLOW", raising=False)
    config = write(
        tmp_path,
        "site_name: !ENV [NAME, x]\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "plugins:\n  - search\n  - persona-kb:\n      source: personas\n"
        "      allow_html: !ENV [ALLOW, false]\n",
    )
    assert read_plugin_options(config) == {"source": "personas", "allow_html": False}
    monkeypatch.setenv("ALLOW", "true")
    assert read_plugin_options(config) == {"source": "personas", "allow_html": True}


@pytest.mark.parametrize(
    ("plugins", "expected"),
    [
        ("plugins: [search]", {}),
        ("plugins: [persona-kb]", {}),
        ("plugins:\n  persona-kb:\n    output: docs-kb", {"output": "docs-kb"}),
    ],
)
def test_plugin_block_shapes(tmp_path: Path, plugins: str, expected: object) -> None:
    assert read_plugin_options(write(tmp_path, plugins + "\n")) == expected


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    config = write(tmp_path, "site_name: x\nplugins: [\n")
    with pytest.raises(PersonaKBError, match=r"mkdocs\.yml:3: the site config is not valid YAML"):
        read_plugin_options(config)


def test_options_from_mapping(tmp_path: Path) -> None:
    options = options_from_mapping(
        {
            "source": "personas",
            "output": "reference/kb",
            "topics": {"python": ["*py*"], "go": "*go*"},
            "vocabulary": ["htmx"],
            "templates": "overrides",
            "allow_html": True,
            "persona_format": "seed-002",
            "source_url": "https://x.org/blob/main/",
        },
        base_dir=tmp_path,
    )
    assert options.source == tmp_path / "personas"
    assert options.templates == tmp_path / "overrides"
    assert options.topics == {"python": ("*py*",), "go": ("*go*",)}
    assert options.vocabulary == ("htmx",)
    assert options.persona_format is PersonaFormat.SEED_002
    assert options.allow_html
    assert options.output == "reference/kb"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"source": 3}, "'source' must be a folder path"),
        ({"topics": ["python"]}, "'topics' must map a topic"),
        ({"topics": {"python": [1]}}, "'topics.python' must be a list of strings"),
        ({"persona_format": "word"}, "use one of seed-000"),
        ({"output": 5}, "'output' must be a folder name"),
    ],
)
def test_bad_option_types_are_configuration_errors(
    tmp_path: Path, options: dict[str, object], message: str
) -> None:
    with pytest.raises(PersonaKBError, match=message):
        options_from_mapping(options, base_dir=tmp_path)
