"""Validate front matter against its format's JSON Schema (``PKB240``), at ``path:line``.

The schemas ship with persona-kb (see ``core.schema_files``); validation uses the
``jsonschema`` library. Values are compared as an editor's YAML language server sees
them: YAML dates and times are strings. Each problem names the line of the top-level
key it concerns (the opening ``---`` for a missing key) and says what to write instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.schema_files import PUBLISHED_PREFIX, persona_schema
from persona_kb._internal.ingest.frontmatter import FrontMatter

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

_MAX_REPORTED = 20  # per file: a wholly foreign front matter must not flood the report
_validators: dict[str, Draft202012Validator] = {}


def _validator(persona_format: str) -> Draft202012Validator | None:
    found = _validators.get(persona_format)
    if found is None:
        schema = persona_schema(persona_format)
        if schema is None:
            return None
        # Imported on first use: a build whose personas all come from the cache
        # validates nothing.
        from jsonschema import Draft202012Validator

        found = _validators[persona_format] = Draft202012Validator(schema)
    return found


_MAX_NODES = 20_000
"""Values converted per front matter: YAML aliases can make a 600-byte file stand for
billions of values (and a cycle for infinitely many); past the budget, "…" stands in."""


def _as_json(value: object) -> object:
    budget = [_MAX_NODES]

    def convert(item: object, path: frozenset[int]) -> object:
        budget[0] -= 1
        if budget[0] < 0 or id(item) in path:
            return "…"
        if isinstance(item, Mapping):
            inner = path | {id(item)}
            return {str(k): convert(v, inner) for k, v in item.items()}
        if isinstance(item, list | tuple):
            inner = path | {id(item)}
            return [convert(v, inner) for v in item]
        if isinstance(item, dt.date | dt.time):
            return item.isoformat()
        return item

    return convert(value, frozenset())


def _describe(error: ValidationError) -> str:
    where = "/".join(str(p) for p in error.absolute_path)
    if error.validator == "required":
        return error.message
    if error.validator == "anyOf":
        alternatives = error.validator_value if isinstance(error.validator_value, list) else []
        options = [str(s.get("type", "?")) for s in alternatives if isinstance(s, dict)]
        shown = repr(error.instance)
        if len(shown) > 60:
            shown = shown[:57] + "..."
        return f"'{where}' is {shown}; expected one of: {', '.join(options)}"
    message = error.message
    if len(message) > 160:
        message = message[:157] + "..."
    return f"'{where}': {message}" if where else message


def check_front_matter(
    front: FrontMatter | None, persona_format: str, path: str
) -> list[Diagnostic]:
    """``PKB240`` warnings for every way ``front`` breaks the schema of ``persona_format``.

    Formats without a schema (Fabric patterns, seed-002, plain Markdown) and files
    without front matter where none is required yield nothing.
    """
    validator = _validator(persona_format)
    if validator is None:
        return []
    data = _as_json(dict(front.data)) if front is not None else {}
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    out: list[Diagnostic] = []
    schema_name = f"{PUBLISHED_PREFIX}/persona/{persona_format}.schema.json"
    for error in errors[:_MAX_REPORTED]:
        key = str(error.absolute_path[0]) if error.absolute_path else None
        if front is None:
            span_line = 1
        elif key is not None:
            span_line = front.key_lines.get(key, front.start_line)
        else:
            span_line = front.start_line
        out.append(
            Diagnostic(
                "PKB240",
                Severity.WARNING,
                f"front matter does not match the {persona_format} schema: {_describe(error)}",
                SourceSpan(path, span_line),
                hint=(
                    "add the key to the front matter"
                    if error.validator == "required"
                    else "change the value to match"
                )
                + f" (schema: {schema_name})",
            )
        )
    return out
