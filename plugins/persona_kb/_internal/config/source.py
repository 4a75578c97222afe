"""Find the persona source folder that ``mkdocs.yml`` configures, without importing MkDocs.

The file is read by the shared safe loader in ``persona_kb._internal.config.yaml_loader``.
"""

from __future__ import annotations

from pathlib import Path

from persona_kb._internal.config.yaml_loader import load_mkdocs_yaml, plugin_options
from persona_kb._internal.core.diagnostics import PersonaKBError, SourceSpan

PLUGIN_NAME = "persona-kb"
DEFAULT_SOURCE = "kb"


def load_mkdocs_source(config_path: Path) -> Path | None:
    """The ``persona-kb`` plugin's ``source`` folder, resolved against the config's folder.

    Returns ``None`` when ``config_path`` does not exist or does not enable
    the plugin; the default ``source`` is ``kb``. Raises
    [`PersonaKBError`][persona_kb.PersonaKBError] (a configuration error)
    when the file cannot be read or parsed, or ``source`` is not a string.
    """
    shown = config_path.as_posix()
    if not config_path.is_file():
        return None
    options = plugin_options(load_mkdocs_yaml(config_path))
    if options is None:
        return None
    source = options.get("source", DEFAULT_SOURCE)
    if not isinstance(source, str) or not source.strip():
        raise PersonaKBError(
            f"plugin '{PLUGIN_NAME}': 'source' must be a folder path, not {source!r}",
            SourceSpan(shown, 1),
        )
    return (config_path.parent / source).resolve()
