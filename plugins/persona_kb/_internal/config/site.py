"""The site's configuration as every command sees it: one typed value, resolved once.

The adapters load ``mkdocs.yml`` (or ``properdocs.yml``) with MkDocs' or ProperDocs'
own loader, so ``INHERIT`` and ``!ENV`` work everywhere, validate the plugin's block
with the plugin's own ``Config`` class, and hand the result to
[`site_config`][persona_kb._internal.config.site.site_config]. Everything below the
adapters takes the [`SiteConfig`][persona_kb._internal.config.site.SiteConfig] it returns
and never reads the file again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from persona_kb._internal.config.options import ExampleSettings, OptionSource, example_settings
from persona_kb._internal.config.settings import options_from_mapping
from persona_kb._internal.core.diagnostics import PersonaKBError, SourceSpan
from persona_kb._internal.core.paths import display_path
from persona_kb._internal.kb.options import KBOptions
from persona_kb._internal.kb.source_links import source_url_from_repo

PLUGIN_NAMES = ("persona-kb", "persona_kb")
"""How ``mkdocs.yml`` may name our plugin under ``plugins:``."""

CONFIG_NAMES = ("mkdocs.yml", "mkdocs.yaml", "properdocs.yml", "properdocs.yaml")
"""The config files looked for, in order, when none is named."""


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """The parts of the site's config that persona-kb uses, with every path resolved."""

    config_path: Path
    """The config file, as given (``mkdocs.yml``)."""
    docs_dir: Path
    site_dir: Path
    use_directory_urls: bool = True
    base_path: str = "/"
    """The path of ``site_url`` (``/persona-kb/`` on GitHub Pages): root-relative links
    carry it."""
    plugins: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Configured plugins, name → options as written."""
    settings: Mapping[str, Any] = field(default_factory=dict)
    """The whole config as loaded (``INHERIT`` merged, ``!ENV`` resolved)."""
    kb: KBOptions | None = None
    """The knowledge base this site generates; ``None`` when the plugin is absent or off."""
    examples: ExampleSettings = field(default_factory=ExampleSettings)
    """The example settings of the plugin's ``examples:`` block (defaults otherwise)."""

    @property
    def project(self) -> Path:
        """The folder of the config file: relative paths in it are relative to this."""
        return self.config_path.resolve().parent

    @property
    def uses_persona_kb(self) -> bool:
        """Whether the persona-kb plugin generates pages for this site."""
        return self.kb is not None

    @property
    def kb_out_dir(self) -> Path | None:
        """``docs_dir`` + the plugin's ``output``: where ``persona-kb export`` writes."""
        return None if self.kb is None else self.docs_dir / self.kb.output

    def persona_kb_options(self) -> Mapping[str, Any]:
        """The persona-kb plugin's options as written (``{}`` if not configured)."""
        for name in PLUGIN_NAMES:
            if name in self.plugins:
                return self.plugins[name]
        return {}


def site_config(config_path: Path, data: Mapping[str, Any]) -> SiteConfig:
    """Turn a loaded config into a [`SiteConfig`][persona_kb._internal.config.site.SiteConfig].

    ``data`` is the whole config as the adapter's loader produced it, with the plugin's
    options already validated by its ``Config`` class. Relative paths are resolved
    against the config file's folder, as MkDocs does.
    """
    root = config_path.resolve().parent
    docs_dir = root / str(data.get("docs_dir") or "docs")
    site_dir = root / str(data.get("site_dir") or "site")
    site_url = data.get("site_url")
    base_path = urlsplit(site_url).path if isinstance(site_url, str) and site_url else "/"
    if not base_path.endswith("/"):
        base_path += "/"
    plugins = plugin_entries(data.get("plugins"))
    options = next((plugins[n] for n in PLUGIN_NAMES if n in plugins), None)
    kb: KBOptions | None = None
    examples = ExampleSettings()
    if options is not None and options.get("enabled", True) is not False:
        span = SourceSpan(display_path(config_path), 1)
        plugin = dict(options)
        if not plugin.get("source_url"):
            docs_rel = str(data.get("docs_dir") or "docs")
            plugin["source_url"] = source_url_from_repo(
                _text(data.get("repo_url")), default_edit_uri(data), Path(docs_rel).as_posix()
            )
        try:
            kb = options_from_mapping(plugin, base_dir=root, config_path=config_path)
        except PersonaKBError as exc:
            raise PersonaKBError(exc.message, exc.span or span) from None
        raw_examples = options.get("examples") or {}
        if not isinstance(raw_examples, Mapping):
            raise PersonaKBError("plugin option 'examples' must be a mapping", span)
        examples = example_settings(
            {str(k): v for k, v in raw_examples.items()}, OptionSource("mkdocs", span)
        )
    return SiteConfig(
        config_path=config_path,
        docs_dir=docs_dir,
        site_dir=site_dir,
        use_directory_urls=bool(data.get("use_directory_urls", True)),
        base_path=base_path,
        plugins=plugins,
        settings=data,
        kb=kb,
        examples=examples,
    )


def plugin_entries(raw: object) -> dict[str, Mapping[str, Any]]:
    """``plugins:`` (a list of names and one-key mappings, or a mapping) as name → options."""
    plugins: dict[str, Mapping[str, Any]] = {}
    items: list[tuple[object, object]] = []
    if isinstance(raw, dict):
        items = list(raw.items())
    elif isinstance(raw, list):
        for entry in raw:
            if isinstance(entry, str):
                items.append((entry, {}))
            elif isinstance(entry, dict):
                items.extend(entry.items())
    for name, options in items:
        plugins[str(name)] = options if isinstance(options, dict) else {}
    return plugins


def default_edit_uri(data: Mapping[str, Any]) -> str | None:
    """``edit_uri`` as MkDocs derives it when unset (``mkdocs.config.config_options``)."""
    edit_uri = data.get("edit_uri")
    repo_url = _text(data.get("repo_url"))
    if edit_uri is None and repo_url is not None:
        host = urlsplit(repo_url).netloc.lower()
        if host in ("github.com", "gitlab.com"):
            edit_uri = "edit/master/docs/"
        elif host == "bitbucket.org":
            edit_uri = "src/default/docs/"
        else:
            edit_uri = ""
    if isinstance(edit_uri, str) and edit_uri and not edit_uri.endswith("/"):
        edit_uri += "/"
    return _text(edit_uri)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
