"""Personas as plain JSON data: for golden snapshots, debugging and machine output."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from enum import Enum

from persona_kb._internal.core.model import Persona


def to_plain(value: object) -> object:
    """Any model value as JSON-ready data: dataclasses → dicts, enums → values, tuples → lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    return value


def persona_to_json(persona: Persona) -> str:
    """A stable, readable JSON document of everything read from one persona file."""
    return json.dumps(to_plain(persona), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
