"""Find the persona source folder that ``mkdocs.yml`` configures, without importing MkDocs.

``mkdocs.yml`` files use tags PyYAML's ``SafeLoader`` refuses, such as
``!!python/name:material.extensions.emoji.twemoji`` and ``!ENV [VAR, default]``.
A ``SafeLoader`` subclass reads every unknown tag as the plain value it
decorates, which is all we need to find ``plugins: [persona-kb: {source: …}]``;
nothing is ever executed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from persona_kb._internal.diagnostics import PersonaKBError, SourceSpan

PLUGIN_NAME = "persona-kb"
DEFAULT_SOURCE = "kb"


class _TolerantLoader(yaml.SafeLoader):
    """``SafeLoader`` that reads unknown tags as untagged values."""


def _untagged(loader: yaml.SafeLoader, _suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return None  # pragma: no cover - PyYAML has no other node kinds


_TolerantLoader.add_multi_constructor("!", _untagged)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _untagged)


def load_mkdocs_source(config_path: Path) -> Path | None:
    """The ``persona-kb`` plugin's ``source`` folder, resolved against the config's folder.

    Returns ``None`` when ``config_path`` does not exist or does not enable
    the plugin; the default ``source`` is ``kb``. Raises
    [`PersonaKBError`][persona_kb.PersonaKBError] (a configuration error)
    when the file cannot be read or parsed, or ``source`` is not a string.
    """
    shown = config_path.as_posix()
    try:
        text = config_path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise PersonaKBError(f"cannot read the MkDocs config: {exc}", SourceSpan(shown, 1)) from exc
    try:
        config = yaml.load(text, Loader=_TolerantLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or exc
        raise PersonaKBError(
            f"the MkDocs config is not valid YAML: {problem}", SourceSpan(shown, line)
        ) from exc
    options = _plugin_options(config)
    if options is None:
        return None
    source = options.get("source", DEFAULT_SOURCE)
    if not isinstance(source, str) or not source.strip():
        raise PersonaKBError(
            f"plugin '{PLUGIN_NAME}': 'source' must be a folder path, not {source!r}",
            SourceSpan(shown, 1),
        )
    return (config_path.parent / source).resolve()


def _plugin_options(config: object) -> dict[str, object] | None:
    plugins = config.get("plugins") if isinstance(config, dict) else None
    entries: list[object]
    if isinstance(plugins, dict):
        entries = [{name: options} for name, options in plugins.items()]
    elif isinstance(plugins, list):
        entries = plugins
    else:
        return None
    for entry in entries:
        if entry == PLUGIN_NAME:
            return {}
        if isinstance(entry, dict) and PLUGIN_NAME in entry:
            options = entry[PLUGIN_NAME]
            if isinstance(options, dict):
                return {str(k): v for k, v in options.items()}
            return {}
    return None
