"""``persona-kb lint --fix``: write back the repairs ingestion already makes in memory.

Only mechanical repairs, each the one ingestion applies when it reads the file:

- mojibake (``PKB104``): ``âœ…`` back to ``✅``, line by line, as the reader does;
- a byte-order mark (``PKB105``) is dropped;
- front-matter values YAML cannot read (``PKB201``), such as ``globs: **/*.py``, are
  written as the double-quoted strings they were read as.

Nothing else changes: line endings, the other characters (zero-width joiners in emoji
included) and every other line stay byte for byte. A fix is kept only when reading the
fixed file gives exactly the persona the original gave (same names, metadata, sections,
code), so a fix can never change what a persona means.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from persona_kb._internal.core.diagnostics import Diagnostic
from persona_kb._internal.core.model import PersonaFormat
from persona_kb._internal.ingest.frontmatter import repair_front_matter
from persona_kb._internal.ingest.reader import read_persona_bytes
from persona_kb._internal.ingest.serialize import to_plain
from persona_kb._internal.ingest.text import repair_mojibake_line

FIXABLE = frozenset({"PKB104", "PKB105", "PKB201"})
"""The codes ``--fix`` repairs (PKB105 only for a byte-order mark)."""

_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True, slots=True)
class Fix:
    """The outcome of fixing one file."""

    before: bytes
    after: bytes
    """Equal to ``before`` when there was nothing to fix, or no safe fix."""
    fixed: tuple[str, ...]
    """The codes that the fix removes."""
    refused: str = ""
    """Why a fix was not applied although the file has fixable problems."""

    @property
    def changed(self) -> bool:
        """Whether the file should be rewritten."""
        return self.after != self.before


def fix_persona(data: bytes, shown: str, *, persona_format: PersonaFormat | None = None) -> Fix:
    """The repaired bytes of one persona file (see the module docstring)."""
    original = read_persona_bytes(data, shown, persona_format=persona_format)
    wanted = {d.code for d in original.diagnostics if d.code in FIXABLE}
    if not wanted or original.persona is None:
        return Fix(data, data, ())
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Fix(data, data, (), refused="not UTF-8; save it as UTF-8 first")
    had_bom = text.startswith("\ufeff")
    lines = (text[1:] if had_bom else text).splitlines(keepends=True)
    lines = [_repair_line(line) for line in lines]
    lines = _repair_front_matter(lines)
    after = "".join(lines).encode("utf-8")
    if after == data:
        return Fix(data, data, ())
    fixed = read_persona_bytes(after, shown, persona_format=persona_format)
    if fixed.persona is None or _meaning(fixed.persona) != _meaning(original.persona):
        return Fix(data, data, (), refused="the repair would change what the persona says")
    remaining = {d.code for d in fixed.diagnostics}
    gone = tuple(sorted(code for code in wanted if code not in remaining))
    return Fix(data, after, gone)


def _repair_line(line: str) -> str:
    body = line.rstrip("\r\n")
    return repair_mojibake_line(body) + line[len(body) :]


def _repair_front_matter(lines: list[str]) -> list[str]:
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---":
        return lines
    closing = next(
        (i for i in range(1, len(lines)) if lines[i].rstrip("\r\n").rstrip() in ("---", "...")),
        None,
    )
    if closing is None:
        return lines
    yaml_lines = [line.rstrip("\r\n") for line in lines[1:closing]]
    repaired = repair_front_matter(yaml_lines)
    if repaired is None or repaired == yaml_lines:
        return lines
    newline = lines[0][len(lines[0].rstrip("\r\n")) :] or "\n"
    out = [lines[0]]
    for old, new in zip(yaml_lines, repaired, strict=True):
        if new == "" and old.strip():
            continue  # a continuation line folded into the quoted value above it
        out.append(new + newline)
    return out + lines[closing:]


def _meaning(persona: object) -> str:
    """What a persona says, without where it says it (lines and hashes move with a fix)."""

    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if not _is_location(k)}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return json.dumps(strip(to_plain(persona)), sort_keys=True, ensure_ascii=False)


def _is_location(key: str) -> bool:
    return any(part in key for part in ("span", "line", "hash", "column", "diagnostic"))


def fixable(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> bool:
    """Whether ``lint --fix`` could repair any of ``diagnostics``."""
    return any(d.code in FIXABLE for d in diagnostics)
