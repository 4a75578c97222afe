"""Front matter (and identity bullets from the body) → [`Metadata`][persona_kb.Metadata].

Normalisation is the same for every format, whatever the file wrote:

* ``version`` → string; a YAML date (``2025-11-09``) stays ``"2025-11-09"``;
* ``tools`` (also ``allowed-tools``) → list; a comma string is split;
* ``model`` → one string; a list is joined with ``", "``;
* ``capabilities``, ``do_not`` (also ``do-not``) → lists of strings;
* ``stack`` → list, and ``versions`` parsed from it (``Python 3.14.3`` →
  ``{"python": "3.14.3"}``);
* ``topic`` or ``kb: {topic: …}`` → topic; ``globs`` / ``applyTo`` / Cline's ``paths``
  → globs (a comma string is split); ``alwaysApply`` (or Windsurf's
  ``trigger: always_on``) → bool;
* every other key is kept in ``extra`` as JSON-able values.

Values of an unexpected type are converted where the meaning is clear and
reported as ``PKB204`` warnings at the key's line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.model import JSONValue, Metadata
from persona_kb._internal.ingest.frontmatter import FrontMatter

_VERSION_TOKEN = re.compile(r"^v?\d+(?:\.\d+)*[a-z0-9.+-]*$", re.IGNORECASE)
_PARENTHESISED = re.compile(r"\([^)]*\)")

# Keys that Metadata fields (or Persona fields) consume; everything else goes to ``extra``.
_CONSUMED = frozenset(
    {
        "name",
        "title",
        "description",
        "prompt",
        "version",
        "tools",
        "allowed-tools",
        "model",
        "capabilities",
        "do_not",
        "do-not",
        "stack",
        "seniority",
        "role",
        "topic",
        "globs",
        "applyTo",
        "alwaysApply",
        "paths",
        "trigger",
    }
)


@dataclass(frozen=True, slots=True)
class IdentityFacts:
    """Identity bullets read from a body (seed-002 ``## Identity``)."""

    role: str | None = None
    seniority: str | None = None
    stack: tuple[str, ...] = ()
    extra: Mapping[str, str] = field(default_factory=dict)


def normalise_metadata(
    front_matter: FrontMatter | None,
    path: str,
    *,
    identity: IdentityFacts | None = None,
) -> tuple[Metadata, list[Diagnostic]]:
    """Build normalised [`Metadata`][persona_kb.Metadata] from front matter and body facts.

    Front matter wins over ``identity`` facts for the same field.
    """
    data: Mapping[str, object] = front_matter.data if front_matter is not None else {}
    diagnostics: list[Diagnostic] = []

    def span(key: str) -> SourceSpan:
        return front_matter.span(path, key) if front_matter is not None else SourceSpan(path, 1)

    def strings(key: str, *, split_commas: bool) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        items, problem = string_list(value, split_commas=split_commas)
        if problem:
            diagnostics.append(_unexpected(key, problem, span(key)))
        return items

    def scalar(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, list | tuple):
            return ", ".join(scalar_text(v) for v in value if v is not None) or None
        if isinstance(value, dict):
            diagnostics.append(_unexpected(key, "a mapping", span(key)))
        return scalar_text(value).strip() or None

    identity = identity or IdentityFacts()
    tools = strings("tools", split_commas=True) or strings("allowed-tools", split_commas=True)
    raw_stack = data.get("stack")
    stack = (
        split_top_level_commas(raw_stack)
        if isinstance(raw_stack, str)
        else strings("stack", split_commas=False)
    ) or identity.stack
    globs = (
        strings("globs", split_commas=True)
        or strings("applyTo", split_commas=True)
        or strings("paths", split_commas=True)  # Cline rules
    )
    # One conversion for all keys, so the size budget covers the whole front matter.
    converted = to_json_value({k: v for k, v in data.items() if k not in _CONSUMED})
    extra: dict[str, JSONValue] = converted if isinstance(converted, dict) else {}
    for key, value in identity.extra.items():
        extra.setdefault(key, value)
    metadata = Metadata(
        version=scalar("version"),
        tools=tools,
        model=scalar("model"),
        capabilities=strings("capabilities", split_commas=False),
        do_not=strings("do_not", split_commas=False) or strings("do-not", split_commas=False),
        stack=stack,
        versions=parse_versions(stack),
        seniority=scalar("seniority") or identity.seniority,
        role=scalar("role") or identity.role,
        topic=_topic(data),
        globs=globs,
        always_apply=_boolean(data.get("alwaysApply"), diagnostics, span("alwaysApply"))
        if data.get("alwaysApply") is not None or data.get("trigger") is None
        else scalar_text(data.get("trigger")).strip().lower() == "always_on",  # Windsurf
        extra=extra,
    )
    return metadata, diagnostics


def scalar_text(value: object) -> str:
    """A YAML scalar as text: dates in ISO form, booleans as ``true``/``false``."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def string_list(value: object, *, split_commas: bool) -> tuple[tuple[str, ...], str]:
    """A YAML value as a tuple of strings, and a description of anything unexpected."""
    if isinstance(value, str):
        raw = split_top_level_commas(value) if split_commas else (value,)
        return tuple(s.strip() for s in raw if s.strip()), ""
    if isinstance(value, list | tuple | set):
        items: list[str] = []
        problem = ""
        for item in value:
            if isinstance(item, dict | list):
                problem = f"a list holding a {type(item).__name__}"
            if item is not None and scalar_text(item).strip():
                items.append(scalar_text(item).strip())
        return tuple(items), problem
    if isinstance(value, dict):
        return tuple(str(k) for k in value), "a mapping (its keys are used)"
    return (scalar_text(value),), ""


MAX_EXTRA_NODES = 10_000
MAX_EXTRA_DEPTH = 32


def to_json_value(value: object) -> JSONValue:
    """Any YAML-loaded value as a JSON-able value (dates become ISO strings).

    YAML aliases can make a tiny file describe an exponentially large (or
    cyclic) value, so conversion stops after ``MAX_EXTRA_NODES`` values or
    ``MAX_EXTRA_DEPTH`` levels and writes ``"…"`` in place of the rest.
    """
    budget = [MAX_EXTRA_NODES]
    return _to_json(value, budget, 0)


def _to_json(value: object, budget: list[int], depth: int) -> JSONValue:
    budget[0] -= 1
    if budget[0] < 0 or depth > MAX_EXTRA_DEPTH:
        return "…"
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        mapping: dict[str, JSONValue] = {}
        for key, item in value.items():
            if budget[0] < 0:
                break
            mapping[str(key)] = _to_json(item, budget, depth + 1)
        return mapping
    if isinstance(value, list | tuple | set):
        items: list[JSONValue] = []
        for item in value:
            if budget[0] < 0:
                items.append("…")
                break
            items.append(_to_json(item, budget, depth + 1))
        return items
    return scalar_text(value)


def parse_versions(stack: tuple[str, ...]) -> dict[str, str]:
    """Lower-cased technology → version from stack entries such as ``"Python 3.14.3"``.

    The first version-like word ends the name: ``"Node.js 24.13.1 LTS"`` →
    ``{"node.js": "24.13.1"}``; parenthesised asides are ignored; entries
    without a version are left out.
    """
    versions: dict[str, str] = {}
    for entry in stack:
        words = _PARENTHESISED.sub(" ", entry).split()
        for index, word in enumerate(words):
            if index > 0 and _VERSION_TOKEN.match(word):
                versions.setdefault(" ".join(words[:index]).lower(), word.removeprefix("v"))
                break
    return versions


def split_top_level_commas(text: str) -> tuple[str, ...]:
    """Split ``text`` on commas outside brackets: ``"A (x, y), B"`` → ``("A (x, y)", "B")``.

    Brackets include braces, so a glob such as ``**/*.{ts,tsx}`` stays whole.
    """
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(depth - 1, 0)
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return tuple(p.strip() for p in parts if p.strip())


def _topic(data: Mapping[str, object]) -> str | None:
    value = data.get("topic")
    if value is None:
        kb = data.get("kb")
        value = kb.get("topic") if isinstance(kb, dict) else None
    if value is None:
        return None
    return scalar_text(value).strip() or None


def _boolean(value: object, diagnostics: list[Diagnostic], span: SourceSpan) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = scalar_text(value).strip().lower()
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0"):
        return False
    diagnostics.append(_unexpected("alwaysApply", f"the value {text!r}", span))
    return None


def _unexpected(key: str, what: str, span: SourceSpan) -> Diagnostic:
    return Diagnostic(
        "PKB204",
        Severity.WARNING,
        f"front matter '{key}:' is {what}, which persona-kb does not expect; normalised",
        span,
        hint=f"check the '{key}:' value",
    )
