"""The JSON Schemas persona-kb ships: persona front matter (one per format) and the KB index.

They live beside this module (``json_schemas/``), are installed with the package and
published on the site under ``schemas/v1/``. Use them from an editor with a first
front-matter line such as
``# yaml-language-server: $schema=https://your.site/schemas/v1/persona/claude-subagent.schema.json``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

SCHEMA_VERSION = "1"
"""The version of every shipped schema; it is part of each ``$id`` and published path."""

SCHEMA_DIR = Path(__file__).parent / "json_schemas"
PUBLISHED_PREFIX = f"schemas/v{SCHEMA_VERSION}"
"""Where the schemas are published, relative to the site root."""

INDEX_SCHEMA = "index.schema.json"


def persona_schema_formats() -> tuple[str, ...]:
    """The persona formats (``PersonaFormat`` values) that have a front-matter schema."""
    return tuple(
        sorted(p.name.removesuffix(".schema.json") for p in (SCHEMA_DIR / "persona").glob("*.json"))
    )


@cache
def persona_schema(persona_format: str) -> dict[str, object] | None:
    """The front-matter schema of ``persona_format`` (``None`` when the format has none)."""
    path = SCHEMA_DIR / "persona" / f"{persona_format}.schema.json"
    if not path.is_file():
        return None
    loaded: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


@cache
def index_schema() -> dict[str, object]:
    """The schema of ``kb/index.json``."""
    loaded: dict[str, object] = json.loads((SCHEMA_DIR / INDEX_SCHEMA).read_text(encoding="utf-8"))
    return loaded


def published_files() -> dict[str, str]:
    """Every shipped schema by its published path (``schemas/v1/persona/…``) → text."""
    out: dict[str, str] = {}
    for path in sorted(SCHEMA_DIR.rglob("*.schema.json")):
        relative = path.relative_to(SCHEMA_DIR).as_posix()
        out[f"{PUBLISHED_PREFIX}/{relative}"] = path.read_text(encoding="utf-8")
    return out
