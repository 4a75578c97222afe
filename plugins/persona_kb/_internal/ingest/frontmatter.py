"""YAML front matter: split it from the body, load it safely, recover what the wild writes.

Front matter starts on line 1 with ``---`` and ends at the next ``---`` (or
``...``) line. It is loaded with ``yaml.safe_load`` only.

The lenient fallback
--------------------
Real persona files often contain front matter that YAML rejects but whose
meaning is obvious:

* ``globs: **/*`` (Cursor rules): a plain scalar may not start with ``*``,
  which YAML reads as an alias;
* ``description: Use when …. Triggers on: 'x', 'y'`` (Claude subagents): an
  unquoted value containing ``: ``.

* a Claude Code ``description:`` that runs on over unindented lines, carrying
  ``<example>`` blocks with ``user:`` / ``assistant:`` dialogue: Claude Code
  reads the agent anyway, and so do we.

When ``safe_load`` fails, the top-level ``key:`` line that owns the error
(the error's line or the nearest front-matter key above it) has its value,
together with its continuation lines, read as one literal string. Continuation
lines are the indented ones and, as Claude Code reads them, unindented lines up
to the next line that starts a front-matter key: a key the known formats use
(``name``, ``model``, ``tools``, ``applyTo``…) or a lower-case word that is not a
speaker of an example dialogue (``user:``, ``assistant:``…). The value is
re-written as a double-quoted YAML string and loading is retried. Each repair is a
warning (``PKB201``) at the value's ``path:line:col``. Values that are already quoted, block scalars
(``|``/``>``) and flow collections (``[``/``{``) are never rewritten: if the
error is there, or the retry still fails, the file gets error ``PKB200`` at
the YAML error's position and is skipped. Line numbers never move, because
folded continuation lines are replaced by blank lines.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan

_KEY_LINE = re.compile(r"^(?!- )(?P<key>[^\s#'\"\[\]{}:][^:]*?):(?:[ \t]+(?P<value>.*?))?[ \t]*$")
_KNOWN_KEYS = frozenset(
    {
        # Claude Code subagents and skills, Agent Skills, Copilot, Cursor, Windsurf, seeds.
        "name", "description", "tools", "model", "color", "permissionMode", "skills",
        "hooks", "memory", "mcpServers", "maxTurns", "disallowedTools", "allowed-tools",
        "license", "compatibility", "metadata", "argument-hint", "disable-model-invocation",
        "user-invocable", "context", "agent", "version", "when_to_use", "applyTo", "mode",
        "target", "handoffs", "infer", "globs", "alwaysApply", "trigger", "paths", "title",
        "topic", "kb", "prompt", "capabilities", "do_not", "stack", "seniority", "role",
        "tags", "category", "author", "effort", "isolation", "background",
    }
)  # fmt: skip
_SPEAKER_KEYS = frozenset(
    {"user", "assistant", "human", "ai", "system", "bot", "claude", "example", "examples"}
)
_PLAIN_KEY = re.compile(r"^[a-z][a-z0-9_-]*$")
_OPENING = "---"
_CLOSINGS = ("---", "...")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """Loaded front matter and where each top-level key sits in the file."""

    data: Mapping[str, object]
    start_line: int
    """Source line of the opening ``---``."""
    key_lines: Mapping[str, int] = field(default_factory=dict)
    """Top-level key → source line of ``key:``."""

    def span(self, path: str, key: str) -> SourceSpan:
        """The span of ``key:`` (the opening ``---`` when the key is absent)."""
        return SourceSpan(path, self.key_lines.get(key, self.start_line))


@dataclass(frozen=True, slots=True)
class SplitDocument:
    """A file split into its front matter (``None`` when it has none) and its body."""

    front_matter: FrontMatter | None
    body: str
    body_line: int
    """Source line of the body's first line."""


def split_front_matter(text: str, path: str) -> tuple[SplitDocument | None, list[Diagnostic]]:
    """Split ``text`` (already normalised, LF endings) into front matter and body.

    Returns ``(None, diagnostics)`` when the front matter cannot be loaded
    even leniently; the diagnostics then hold error ``PKB200`` and the file
    must be skipped. Otherwise every problem is a warning and nothing is lost.
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _OPENING:
        return SplitDocument(None, text, 1), []
    closing = next(
        (i for i in range(1, len(lines)) if lines[i].rstrip() in _CLOSINGS),
        None,
    )
    if closing is None:
        return SplitDocument(None, text, 1), [
            Diagnostic(
                "PKB203",
                Severity.WARNING,
                "front matter opened with '---' is never closed; the whole file is read as body",
                SourceSpan(path, 1),
                hint="add a '---' line after the last front-matter key",
            )
        ]
    yaml_lines = lines[1:closing]
    if any(line.strip() for line in yaml_lines) and not any(
        _KEY_LINE.match(line) for line in yaml_lines
    ):
        # A leading `---` rule over prose, not front matter: keep every line as Markdown.
        return SplitDocument(None, text, 1), [_not_a_mapping(path, "has no 'key: value' lines")]
    body = "\n".join(lines[closing + 1 :])
    body_line = closing + 2
    diagnostics: list[Diagnostic] = []
    yaml_lines = [line.translate(_YAML_ONLY_BREAKS) for line in yaml_lines]
    problem = yaml_budget_problem("\n".join(yaml_lines))
    if problem is not None:
        # Never expanded, never walked: the front matter is set aside and the body is
        # still read, so the persona stays in the KB (named after its heading or file).
        return SplitDocument(None, body, body_line), [
            Diagnostic(
                "PKB205",
                Severity.WARNING,
                f"{problem}; the front matter is ignored and only the body is read",
                SourceSpan(path, 2),
                hint="write plain 'key: value' front matter without YAML anchors and aliases",
            )
        ]
    data = _load_leniently(yaml_lines, path, first_line=2, diagnostics=diagnostics)
    if data is _FAILED:
        return None, diagnostics
    key_lines = _top_level_key_lines(yaml_lines, first_line=2)
    if data is not None and not isinstance(data, dict):
        diagnostics.append(_not_a_mapping(path, f"is a YAML {type(data).__name__}"))
        return SplitDocument(None, text, 1), diagnostics
    mapping = {str(k): v for k, v in (data or {}).items()}
    return SplitDocument(FrontMatter(mapping, 1, key_lines), body, body_line), diagnostics


def _not_a_mapping(path: str, what: str) -> Diagnostic:
    return Diagnostic(
        "PKB202",
        Severity.WARNING,
        f"the '---' block at the top {what}, not front matter; the whole file is read as Markdown",
        SourceSpan(path, 1),
        hint="write front matter as 'key: value' lines, or remove the first '---' line",
    )


class _Failed:
    pass


_FAILED = _Failed()


_FAST_LOADER: type[yaml.SafeLoader] | None = getattr(yaml, "CSafeLoader", None)
"""libyaml's scanner and parser with PyYAML's safe constructor: ``safe_load``, only faster."""


# YAML reads these as line breaks, Markdown and our line numbers do not: as spaces, the
# lines YAML reports stay the file's lines.
_YAML_ONLY_BREAKS = str.maketrans({"\u2028": " ", "\u2029": " ", "\x85": " "})
MAX_FRONT_MATTER_BYTES = 64 * 1024
"""Front matter larger than this is refused (``PKB205``)."""
MAX_YAML_NODES = 20_000
"""Nodes after expanding aliases: an alias bomb is refused before anything walks it."""
MAX_YAML_DEPTH = 32
"""Nesting of mappings and sequences."""


def yaml_budget_problem(text: str) -> str | None:
    """Why ``text`` (front-matter YAML) is over budget, or ``None``.

    Only YAML *events* are read, so an alias bomb is measured without being expanded.
    """
    if len(text.encode("utf-8", "replace")) > MAX_FRONT_MATTER_BYTES:
        return f"front matter is over {MAX_FRONT_MATTER_BYTES // 1024} KB"
    sizes: dict[str, int] = {}
    stack: list[tuple[str | None, int]] = []  # (anchor, nodes so far) per open collection
    total = 0
    try:
        for event in yaml.parse(text, Loader=_FAST_LOADER or yaml.SafeLoader):
            count = 0
            if isinstance(event, yaml.AliasEvent):
                count = sizes.get(event.anchor or "", 1)
            elif isinstance(event, yaml.ScalarEvent):
                count = 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.CollectionStartEvent):
                stack.append((event.anchor, total))
                if len(stack) > MAX_YAML_DEPTH:
                    return f"front matter is nested more than {MAX_YAML_DEPTH} levels deep"
                total += 1
                continue
            elif isinstance(event, yaml.CollectionEndEvent) and stack:
                anchor, before = stack.pop()
                if anchor:
                    sizes[anchor] = total - before
                continue
            total += count
            if total > MAX_YAML_NODES:
                return (
                    f"front matter expands to over {MAX_YAML_NODES:,} values "
                    "(YAML aliases repeat what they point at)"
                )
    except yaml.YAMLError:
        return None  # not YAML at all: the loader reports it, with its repair
    return None


def _safe_load(text: str) -> object:
    # The fast loader reads well-formed YAML; anything it rejects is re-read by the
    # pure-Python one, whose error marks and messages the lenient repair and the
    # diagnostics are written against (libyaml words and places its errors differently).
    if _FAST_LOADER is not None:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            pass
    return yaml.safe_load(text)


def _load_leniently(
    yaml_lines: list[str], path: str, *, first_line: int, diagnostics: list[Diagnostic]
) -> object:
    lines = list(yaml_lines)
    repaired: set[int] = set()
    while True:
        try:
            return _safe_load("\n".join(lines))
        except yaml.YAMLError as exc:
            error = exc
        mark = _first_mark(error)
        problem = _describe(error, first_line)
        error_index = int(mark.line) if mark is not None else 0
        key_index = _owning_key_index(lines, min(error_index, len(lines) - 1))
        repair = None if key_index is None or key_index in repaired else _quote(lines, key_index)
        if repair is None or key_index is None:
            column = int(mark.column) + 1 if mark is not None else 1
            diagnostics.append(
                Diagnostic(
                    "PKB200",
                    Severity.ERROR,
                    f"front matter is not valid YAML: {problem}",
                    SourceSpan(path, first_line + error_index, column),
                    hint="quote values that contain ': ' or start with '*', '&', '!', '@' "
                    "or '`'; this file is skipped until then",
                )
            )
            return _FAILED
        repaired.add(key_index)
        key, value, column = repair
        diagnostics.append(
            Diagnostic(
                "PKB201",
                Severity.WARNING,
                f"front matter '{key}:' is not valid YAML ({problem}); "
                f"read leniently as the string {_shorten(value)!r}",
                SourceSpan(path, first_line + key_index, column),
                hint=f'quote the value: {key}: "…"',
            )
        )


def _first_mark(error: yaml.YAMLError) -> Any:
    # The context mark (e.g. "while parsing a flow sequence") points at where the
    # broken value starts, which may be lines above where YAML noticed the problem.
    problem_mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    if problem_mark is not None and context_mark is not None:
        return min(context_mark, problem_mark, key=lambda m: (m.line, m.column))
    return context_mark or problem_mark


def repair_front_matter(yaml_lines: list[str]) -> list[str] | None:
    """The front-matter lines with every value the lenient reader quotes, quoted.

    The same repairs ``split_front_matter`` makes in memory (``PKB201``), as lines to
    write back: a folded continuation line becomes ``""``. ``None`` when the front
    matter cannot be read even leniently.
    """
    lines = list(yaml_lines)
    repaired: set[int] = set()
    while True:
        try:
            _safe_load("\n".join(lines))
        except yaml.YAMLError as error:
            mark = _first_mark(error)
            error_index = int(mark.line) if mark is not None else 0
            key_index = _owning_key_index(lines, min(error_index, len(lines) - 1))
            if key_index is None or key_index in repaired or _quote(lines, key_index) is None:
                return None
            repaired.add(key_index)
            continue
        return lines


def _describe(error: yaml.YAMLError, first_line: int) -> str:
    context = getattr(error, "context", None)
    problem = getattr(error, "problem", None)
    problem_mark = getattr(error, "problem_mark", None)
    if problem and context and problem_mark is not None:
        return f"{context}, {problem} at line {first_line + int(problem_mark.line)}"
    return str(problem or context or error).strip()


def _starts_key(line: str) -> bool:
    """Whether an unindented line starts a front-matter key (not text of a long value)."""
    match = _KEY_LINE.match(line)
    if match is None:
        return False
    key = match.group("key").strip()
    return key in _KNOWN_KEYS or (bool(_PLAIN_KEY.match(key)) and key not in _SPEAKER_KEYS)


def _owning_key_index(lines: list[str], index: int) -> int | None:
    for i in range(index, -1, -1):
        line = lines[i]
        if line[:1] in (" ", "\t") or not line.strip():
            continue
        if _starts_key(line):
            return i
        if i == index and _KEY_LINE.match(line) and not _continues_value(lines, i):
            return i
    return None


def _continues_value(lines: list[str], index: int) -> bool:
    # Whether the unindented line at ``index`` is text of a value started above it.
    for i in range(index - 1, -1, -1):
        line = lines[i]
        if line[:1] in (" ", "\t") or not line.strip():
            continue
        if _starts_key(line):
            return True
    return False


def _quote(lines: list[str], key_index: int) -> tuple[str, str, int] | None:
    """Rewrite ``key: value`` (and its continuation lines) as a quoted string, in place."""
    match = _KEY_LINE.match(lines[key_index])
    if match is None or not match.group("value"):
        return None
    value = match.group("value")
    if value[0] in "'\"|>[{":
        return None
    parts = [value]
    end = key_index + 1
    while end < len(lines) and (
        lines[end][:1] in (" ", "\t") or not lines[end].strip() or not _starts_key(lines[end])
    ):
        end += 1
    # Trailing blank lines belong to no value.
    while end > key_index + 1 and not lines[end - 1].strip():
        end -= 1
    parts.extend(line.strip() for line in lines[key_index + 1 : end] if line.strip())
    text = " ".join(parts)
    key = match.group("key")
    lines[key_index] = f"{key}: {json.dumps(text, ensure_ascii=False)}"
    for i in range(key_index + 1, end):
        lines[i] = ""
    return key, text, match.start("value") + 1


def _shorten(value: str, limit: int = 60) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _top_level_key_lines(yaml_lines: list[str], *, first_line: int) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, line in enumerate(yaml_lines):
        match = _KEY_LINE.match(line)
        if match is not None:
            found.setdefault(match.group("key").strip().strip("'\""), first_line + index)
    return found
