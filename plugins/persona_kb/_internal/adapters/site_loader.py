"""The one reader of the site's config file, on MkDocs' (or ProperDocs') own loader.

Every command (``lint``, ``export``, ``examples``, ``links``, ``check``) and the pytest
plugin read the site through
[`load_site_config`][persona_kb._internal.adapters.site_loader.load_site_config]:

- the file is found as MkDocs and ProperDocs find it (``mkdocs.yml``, ``mkdocs.yaml``,
  ``properdocs.yml``, ``properdocs.yaml``) unless one is named;
- it is parsed by MkDocs' ``yaml_load`` (ProperDocs' for a ``properdocs.yml`` when it is
  installed), so ``INHERIT``, ``!ENV`` and ``!relative`` behave as in a build. Our loader
  class beneath it is a ``SafeLoader`` that turns ``!!python/name:…`` into a string
  instead of importing it: reading a config never runs code;
- the plugin's options are validated once, by the plugin's own ``Config`` class;
- the core turns the result into a typed
  [`SiteConfig`][persona_kb._internal.config.site.SiteConfig].
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any

import yaml

from persona_kb._internal.config.site import CONFIG_NAMES, PLUGIN_NAMES, SiteConfig, site_config
from persona_kb._internal.core.diagnostics import PersonaKBError, SourceSpan
from persona_kb._internal.core.paths import display_path
from persona_kb._internal.core.yaml_tags import plain_value
from persona_kb._internal.kb.options import KBOptions


class _SafeConfigLoader(yaml.SafeLoader):
    """A ``SafeLoader`` that tolerates MkDocs' custom tags instead of executing them."""


def _construct_python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> str:
    return f"!!python/{suffix}"


_SafeConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_python_tag)
_SafeConfigLoader.add_multi_constructor("!", plain_value)


def find_config(path: Path | None) -> Path:
    """The config file: ``path`` when given (it must exist), else the first of
    ``mkdocs.yml``, ``mkdocs.yaml``, ``properdocs.yml``, ``properdocs.yaml`` here."""
    if path is not None:
        if not path.is_file():
            raise PersonaKBError(
                f"{display_path(path)} not found; pass the site's config with --config"
            )
        return path
    for name in CONFIG_NAMES:
        candidate = Path(name)
        if candidate.is_file():
            return candidate
    raise PersonaKBError(
        "no mkdocs.yml (or properdocs.yml) here; run in the site's folder or pass --config"
    )


def optional_config(path: Path | None) -> Path | None:
    """Like [`find_config`][persona_kb._internal.adapters.site_loader.find_config], but
    ``None`` when no path is given and none of the default names exists."""
    if path is not None:
        return find_config(path)
    return next((Path(n) for n in CONFIG_NAMES if Path(n).is_file()), None)


def load_site_config(path: Path | None) -> SiteConfig:
    """Read, merge (``INHERIT``), validate and resolve the site's config.

    Raises [`PersonaKBError`][persona_kb.PersonaKBError] naming ``path:line`` and what to
    do when the file cannot be read, is not YAML, or the plugin's options are invalid.
    """
    config_path = find_config(path)
    data = _load(config_path)
    for name in PLUGIN_NAMES:
        options = site_plugin_options(data, name)
        if options is not None:
            _validate_plugin_options(config_path, options)
    return site_config(config_path, data)


def kb_site(path: Path | None, purpose: str) -> tuple[SiteConfig | None, KBOptions, Path]:
    """The site (if there is a config), the KB options and the project folder for a
    command that builds the knowledge base: the plugin's options from the config named
    (or found), else the defaults in the current folder. ``purpose`` ends the error when
    the config does not enable the plugin ("to export its knowledge base")."""
    found = optional_config(path)
    site = load_site_config(found) if found is not None else None
    if site is None:
        return None, KBOptions(), Path.cwd()
    if site.kb is None:
        raise PersonaKBError(
            f"{display_path(site.config_path)}:1: the persona-kb plugin is not enabled; "
            f"add it under plugins: {purpose}"
        )
    return site, site.kb, site.project


def site_plugin_options(data: Mapping[str, Any], name: str) -> dict[str, Any] | None:
    """The options of plugin ``name`` in a loaded config (``{}`` when listed bare)."""
    plugins = data.get("plugins")
    entries = [{k: v} for k, v in plugins.items()] if isinstance(plugins, dict) else plugins
    if not isinstance(entries, list):
        return None
    for entry in entries:
        if entry == name:
            return {}
        if isinstance(entry, dict) and name in entry:
            options = entry[name]
            return dict(options) if isinstance(options, dict) else {}
    return None


def _yaml_load() -> Callable[[IO[bytes], type[yaml.BaseLoader] | None], dict[str, Any]]:
    from mkdocs.utils.yaml import get_yaml_loader, yaml_load

    def load(stream: IO[bytes], loader: type[yaml.BaseLoader] | None) -> dict[str, Any]:
        return yaml_load(stream, loader or get_yaml_loader(_SafeConfigLoader))

    return load


def _properdocs_yaml_load() -> (
    Callable[[IO[bytes], type[yaml.BaseLoader] | None], dict[str, Any]] | None
):
    try:
        from properdocs.utils.yaml import get_yaml_loader, yaml_load
    except ImportError:
        return None

    def load(stream: IO[bytes], loader: type[yaml.BaseLoader] | None) -> dict[str, Any]:
        result: dict[str, Any] = yaml_load(stream, loader or get_yaml_loader(_SafeConfigLoader))
        return result

    return load


def _load(config_path: Path) -> dict[str, Any]:
    from mkdocs.exceptions import ConfigurationError

    shown = display_path(config_path)
    loader = None
    if config_path.name.startswith("properdocs."):
        loader = _properdocs_yaml_load()
    load = loader or _yaml_load()
    try:
        with config_path.open("rb") as stream:
            data = load(stream, None)
    except OSError as exc:
        raise PersonaKBError(
            f"cannot read the site config: {exc.strerror or exc}; run from the folder that "
            "holds mkdocs.yml or pass --config",
            SourceSpan(shown, 1),
        ) from None
    except Exception as exc:  # ConfigurationError from MkDocs or from ProperDocs
        if not isinstance(exc, ConfigurationError) and type(exc).__name__ != "ConfigurationError":
            raise
        raise _config_error(exc, shown) from None
    if not isinstance(data, dict):
        raise PersonaKBError("the site config must be a mapping", SourceSpan(shown, 1))
    return {str(key): value for key, value in data.items()}


def _config_error(exc: Exception, shown: str) -> PersonaKBError:
    cause = exc.__context__
    mark = getattr(cause, "problem_mark", None)
    if isinstance(cause, yaml.YAMLError) and mark is not None:
        where = SourceSpan(getattr(mark, "name", None) or shown, mark.line + 1, mark.column + 1)
        if where.path in ("<file>", "<unicode string>", "<byte string>"):
            where = SourceSpan(shown, where.line, where.column)
        problem = getattr(cause, "problem", None) or cause
        return PersonaKBError(
            f"the site config is not valid YAML: {problem}; fix it at this line",
            SourceSpan(display_path(Path(where.path)), where.line, where.column),
        )
    return PersonaKBError(f"{exc}; fix the site config", SourceSpan(shown, 1))


def _validate_plugin_options(config_path: Path, options: dict[str, Any]) -> None:
    from persona_kb._internal.adapters.mkdocs_plugin.config import PersonaKBConfig

    config = PersonaKBConfig(config_file_path=str(config_path))
    config.load_dict(options)
    failed, _warnings = config.validate()
    if failed:
        key, error = failed[0]
        raise PersonaKBError(
            f"plugin 'persona-kb' option '{key}': {error}",
            SourceSpan(display_path(config_path), _line_of(config_path, key)),
        )


def _line_of(config_path: Path, key: str) -> int:
    """The first line of the config file that sets ``key`` (1 when not found there)."""
    try:
        lines = config_path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return 1
    return next((n for n, line in enumerate(lines, 1) if line.strip().startswith(f"{key}:")), 1)
