"""Read the ``persona-kb`` plugin block of ``mkdocs.yml`` without importing MkDocs.

Both the MkDocs plugin and ``persona-kb export`` turn the same option mapping into
[`KBOptions`][persona_kb._internal.kb.build.KBOptions] with
[`options_from_mapping`][persona_kb._internal.config.settings.options_from_mapping], so an
export is byte-identical to what the plugin serves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from persona_kb._internal.config.yaml_loader import load_mkdocs_yaml, plugin_options
from persona_kb._internal.core.diagnostics import PersonaKBError
from persona_kb._internal.core.model import PersonaFormat
from persona_kb._internal.kb.build import KBOptions
from persona_kb._internal.kb.source_links import source_url_from_repo


def read_config(config_path: Path) -> dict[str, object]:
    """The whole MkDocs config as plain data; ``PersonaKBError`` (with line) if unreadable."""
    return load_mkdocs_yaml(config_path)


def read_plugin_options(config_path: Path) -> dict[str, object] | None:
    """The ``persona-kb`` plugin's options (``{}`` when enabled bare), ``None`` if absent."""
    return plugin_options(load_mkdocs_yaml(config_path))


def _string_list(value: object, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise PersonaKBError(f"plugin option '{key}' must be a list of strings, not {value!r}")


def options_from_mapping(options: Mapping[str, object], *, base_dir: Path) -> KBOptions:
    """[`KBOptions`][persona_kb._internal.kb.build.KBOptions] from plugin options.

    Relative ``source`` and ``templates`` paths are resolved against ``base_dir`` (the
    folder of ``mkdocs.yml``). Unknown keys are ignored (the plugin validates its own);
    a value of the wrong type raises [`PersonaKBError`][persona_kb.PersonaKBError].
    """
    source = options.get("source", "kb")
    if not isinstance(source, str) or not source.strip():
        raise PersonaKBError(f"plugin option 'source' must be a folder path, not {source!r}")
    output = options.get("output", "kb")
    if not isinstance(output, str):
        raise PersonaKBError(f"plugin option 'output' must be a folder name, not {output!r}")
    topics_value = options.get("topics") or {}
    if not isinstance(topics_value, dict):
        raise PersonaKBError("plugin option 'topics' must map a topic to a list of globs")
    topics = {str(k): _string_list(v, f"topics.{k}") for k, v in topics_value.items()}
    vocabulary = _string_list(options.get("vocabulary") or [], "vocabulary")
    templates = options.get("templates")
    if templates is not None and not isinstance(templates, str):
        raise PersonaKBError(f"plugin option 'templates' must be a folder path, not {templates!r}")
    persona_format = options.get("persona_format") or options.get("format")
    try:
        fmt = PersonaFormat(str(persona_format)) if persona_format else None
    except ValueError:
        known = ", ".join(f.value for f in PersonaFormat)
        raise PersonaKBError(
            f"plugin option 'persona_format' is {persona_format!r}; use one of {known}"
        ) from None
    source_url = options.get("source_url")
    if source_url is not None and not isinstance(source_url, str):
        raise PersonaKBError(f"plugin option 'source_url' must be a URL, not {source_url!r}")
    return KBOptions(
        source=_under(base_dir, source),
        output=output,
        topics=topics,
        vocabulary=vocabulary,
        templates=_under(base_dir, templates) if templates else None,
        allow_html=bool(options.get("allow_html", False)),
        persona_format=fmt,
        source_url=source_url or None,
    )


def _under(base_dir: Path, value: str) -> Path:
    path = Path(value)
    if path.is_absolute():
        return path
    # Keep paths relative when the config sits in the current directory, so persona
    # display paths (and therefore the pages) do not depend on where the repo lives.
    if base_dir.resolve() == Path.cwd().resolve():
        return path
    return base_dir / path


@dataclass(frozen=True, slots=True)
class ExportSettings:
    """What ``persona-kb export`` (and ``check``'s drift step) build, and where it goes."""

    options: KBOptions
    project: Path
    """The folder of ``mkdocs.yml``: builds run from here so persona paths read ``kb/…``."""
    out_dir: Path
    """``docs_dir`` + the plugin's ``output`` (default ``docs/kb``)."""


def export_settings(config_path: Path) -> ExportSettings:
    """The plugin's options from ``mkdocs.yml``, converted exactly as the plugin does
    (including source links derived from ``repo_url``/``edit_uri``), so exported pages
    are byte-identical to the ones the site serves. Without a config: the defaults."""
    if not config_path.is_file():
        project = Path.cwd()
        return ExportSettings(KBOptions(), project, project / "docs" / "kb")
    project = config_path.resolve().parent
    data = load_mkdocs_yaml(config_path)
    plugin = dict(plugin_options(data) or {})
    docs_value = data.get("docs_dir", "docs")
    docs_dir = docs_value if isinstance(docs_value, str) else "docs"
    if not plugin.get("source_url"):
        plugin["source_url"] = source_url_from_repo(
            _text(data.get("repo_url")), _edit_uri(data), Path(docs_dir).as_posix()
        )
    options = options_from_mapping(plugin, base_dir=Path())
    return ExportSettings(options, project, project / docs_dir / options.output)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _edit_uri(data: Mapping[str, object]) -> str | None:
    from urllib.parse import urlsplit

    # MkDocs' own default when `edit_uri` is unset (mkdocs.config.config_options).
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
