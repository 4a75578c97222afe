"""Read ``mkdocs.yml`` safely, without MkDocs: the one loader every command shares.

``mkdocs.yml`` files use tags PyYAML's ``SafeLoader`` refuses, such as Material's
``!!python/name:material.extensions.emoji.twemoji`` and MkDocs' ``!ENV``. A
``SafeLoader`` subclass neutralises them: ``!!python/…`` becomes the dotted name as a
string, ``!ENV [NAME, default]`` reads the environment like MkDocs does, and any
other tag gives its plain value. Nothing is ever imported or called.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from persona_kb._internal.core.diagnostics import PersonaKBError, SourceSpan

PLUGIN_NAMES = ("persona-kb", "persona_kb")
"""How ``mkdocs.yml`` may name our plugin under ``plugins:``."""


class _MkDocsYamlLoader(yaml.SafeLoader):
    """A ``SafeLoader`` that tolerates MkDocs' custom tags instead of executing them."""


def _construct_python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> str:
    return f"!!python/{suffix}"


def _construct_env(loader: yaml.SafeLoader, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        names: list[object] = [loader.construct_scalar(node)]
    elif isinstance(node, yaml.SequenceNode):
        names = list(loader.construct_sequence(node))
    else:
        return None
    default: object = names.pop() if len(names) > 1 else None
    for name in names:
        if isinstance(name, str) and name in os.environ:
            return yaml.safe_load(os.environ[name]) if os.environ[name] else ""
    return default


def _construct_any(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    if isinstance(node, yaml.MappingNode):
        return loader.construct_mapping(node, deep=True)
    return None  # pragma: no cover - every node is one of the three


_MkDocsYamlLoader.add_multi_constructor("tag:yaml.org,2002:python/", _construct_python_tag)
_MkDocsYamlLoader.add_constructor("!ENV", _construct_env)
_MkDocsYamlLoader.add_multi_constructor("!", _construct_any)


def load_mkdocs_yaml(path: Path) -> dict[str, Any]:
    """Parse an ``mkdocs.yml`` safely.

    Raises [`PersonaKBError`][persona_kb.PersonaKBError] (a configuration error, exit 2)
    naming ``path:line`` when the file cannot be read, is not YAML, or is not a mapping.
    """
    shown = path.as_posix()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise PersonaKBError(
            f"cannot read the MkDocs config: {reason}; run from the folder that holds "
            "mkdocs.yml or pass --config",
            SourceSpan(shown, 1),
        ) from None
    try:
        data = yaml.load(text, Loader=_MkDocsYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        span = SourceSpan(shown, mark.line + 1, mark.column + 1) if mark else SourceSpan(shown, 1)
        problem = getattr(exc, "problem", None) or exc
        raise PersonaKBError(f"the MkDocs config is not valid YAML: {problem}", span) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PersonaKBError("the MkDocs config must be a mapping", SourceSpan(shown, 1))
    return {str(key): value for key, value in data.items()}


def plugin_options(config: Mapping[str, Any]) -> dict[str, object] | None:
    """The ``persona-kb`` plugin's options in a loaded config (``{}`` when it is enabled
    without options), or ``None`` when the plugin is not configured."""
    plugins = config.get("plugins")
    entries: list[object]
    if isinstance(plugins, dict):
        entries = [{name: options} for name, options in plugins.items()]
    elif isinstance(plugins, list):
        entries = plugins
    else:
        return None
    for entry in entries:
        if entry in PLUGIN_NAMES:
            return {}
        if isinstance(entry, dict):
            for name in PLUGIN_NAMES:
                if name in entry:
                    options = entry[name]
                    if isinstance(options, dict):
                        return {str(k): v for k, v in options.items()}
                    return {}
    return None
