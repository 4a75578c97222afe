"""The ``persona-kb`` plugin's options as core options.

The MkDocs plugin and the one config reader turn the same option mapping into
[`KBOptions`][persona_kb._internal.kb.options.KBOptions] with
[`options_from_mapping`][persona_kb._internal.config.settings.options_from_mapping], so an
export is byte-identical to what the plugin serves.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from persona_kb._internal.core.code_policy import code_policy
from persona_kb._internal.core.diagnostics import PersonaKBError, SourceSpan
from persona_kb._internal.core.model import PersonaFormat
from persona_kb._internal.core.paths import display_path
from persona_kb._internal.kb.options import KBOptions


def _string_list(value: object, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise PersonaKBError(f"plugin option '{key}' must be a list of strings, not {value!r}")


def options_from_mapping(
    options: Mapping[str, object], *, base_dir: Path, config_path: Path | None = None
) -> KBOptions:
    """[`KBOptions`][persona_kb._internal.kb.options.KBOptions] from plugin options.

    Relative ``source`` and ``templates`` paths are resolved against ``base_dir`` (the
    folder of ``mkdocs.yml``). Unknown keys are ignored (the plugin validates its own);
    a value of the wrong type raises [`PersonaKBError`][persona_kb.PersonaKBError]
    (for ``codes:``, at the line of ``config_path`` that holds the offending code).
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
    where = config_option_span(config_path, "codes:")
    codes = code_policy(
        options.get("codes"), where, locate=lambda text: config_option_span(config_path, text)
    )
    return KBOptions(
        source=_under(base_dir, source),
        output=output,
        topics=topics,
        vocabulary=vocabulary,
        templates=_under(base_dir, templates) if templates else None,
        allow_html=bool(options.get("allow_html", False)),
        persona_format=fmt,
        source_url=source_url or None,
        codes=codes,
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


def config_option_span(config_path: Path | None, text: str) -> SourceSpan:
    """``config_path:line`` of the first line that mentions ``text`` (line 1 if none does).

    Configuration errors name the line to fix; a config that ``INHERIT``s the option from
    another file is reported at its first line.
    """
    path = config_path if config_path is not None else Path("mkdocs.yml")
    line = 1
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for number, content in enumerate(handle, 1):
                if text in content.split("#", 1)[0]:
                    line = number
                    break
    except OSError:
        pass
    return SourceSpan(display_path(path), line)
