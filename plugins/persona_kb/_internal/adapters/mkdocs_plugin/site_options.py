"""The plugin's options from ``mkdocs.yml`` as the core's ``KBOptions``.

The same conversion ``persona-kb export`` uses (``options_from_mapping``), so the site
and the export produce the same pages, and a bad value reads the same everywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from persona_kb._internal.adapters.mkdocs_plugin.config import PersonaKBConfig
from persona_kb._internal.config.options import OptionSource, example_settings
from persona_kb._internal.config.settings import options_from_mapping
from persona_kb._internal.core.diagnostics import PersonaKBError, SourceSpan
from persona_kb._internal.core.paths import display_path
from persona_kb._internal.kb.build import DEFAULT_CACHE_DIR, KBOptions
from persona_kb._internal.kb.source_links import source_url_from_repo


def core_options(plugin: PersonaKBConfig, config: MkDocsConfig) -> KBOptions:
    """The plugin's options, checked against the site (folders exist, the cache is
    outside ``docs_dir`` and the personas); a bad value is a ``PluginError``."""
    docs_dir = Path(config.docs_dir).resolve()
    config_dir = Path(config.config_file_path or "mkdocs.yml").resolve().parent
    written_dir = Path(os.path.abspath(config.config_file_path or "mkdocs.yml")).parent  # noqa: PTH100
    source = Path(plugin.source)
    if not source.is_dir():
        raise PluginError(
            f"persona-kb: the persona folder '{source}' does not exist; create it "
            "or point the plugin's `source:` option at your persona files"
        )
    cache_dir = cache_dir_of(plugin, config)
    if cache_dir is not None:
        cache = cache_dir.resolve()
        for inside, name in ((docs_dir, "docs_dir"), (source.resolve(), "source")):
            if cache == inside or inside in cache.parents:
                raise PluginError(
                    f"persona-kb: `cache_dir: {relative_posix(cache, config_dir)}` is "
                    f"inside {name} ('{relative_posix(inside, config_dir)}'); choose a "
                    "folder outside it, such as .persona-kb-cache"
                )
    docs_rel = relative_posix(docs_dir, config_dir)
    source_url = plugin.source_url or source_url_from_repo(
        config.repo_url, config.edit_uri, docs_rel
    )
    # The same conversion `persona-kb export` uses, so both produce the same pages.
    try:
        options = options_from_mapping(
            {
                # As written, not resolved: a symlinked persona folder (a submodule, a
                # shared checkout) keeps `kb/…` paths on the pages, never the machine's.
                "source": relative_posix(Path(os.path.abspath(source)), written_dir),  # noqa: PTH100
                "output": plugin.output,
                "topics": {k: list(v) for k, v in plugin.topics.items()},
                "vocabulary": list(plugin.vocabulary),
                "templates": relative_posix(Path(plugin.templates).resolve(), config_dir)
                if plugin.templates
                else None,
                "allow_html": plugin.allow_html,
                "persona_format": plugin.persona_format,
                "source_url": source_url,
                "codes": dict(plugin.codes),
            },
            base_dir=config_dir,
            config_path=Path(config.config_file_path or "mkdocs.yml"),
        )
        # Validated here too, by the same core model as the CLI and pytest, so that a
        # bad `examples:` value fails the build with the same message.
        example_settings(
            dict(plugin.examples),
            OptionSource(
                "mkdocs",
                SourceSpan(display_path(Path(config.config_file_path or "mkdocs.yml")), 1),
            ),
        )
    except PersonaKBError as exc:
        raise PluginError(f"persona-kb: {exc}") from None
    return options


def cache_dir_of(plugin: PersonaKBConfig, config: MkDocsConfig) -> Path | None:
    """Where the on-disk cache lives (``None`` with ``cache: false``)."""
    if not plugin.cache:
        return None
    if plugin.cache_dir:
        return Path(plugin.cache_dir)
    config_dir = Path(config.config_file_path or "mkdocs.yml").resolve().parent
    return config_dir / DEFAULT_CACHE_DIR


def relative_posix(path: Path, start: Path) -> str:
    """``path`` relative to ``start`` when inside it, else as it is (POSIX form)."""
    try:
        return path.relative_to(start).as_posix()
    except ValueError:
        return path.as_posix()
