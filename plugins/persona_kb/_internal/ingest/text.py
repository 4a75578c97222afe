"""Bytes → normalised text, without ever moving a line.

Every repair here keeps line *n* of the output on line *n* of the input, so
every later ``SourceSpan`` points at the user's file as it is on disk:

* size, emptiness and binary checks (errors: the file is not read further);
* UTF-8 decoding, with a Windows-1252 fallback (warning) for legacy files;
* a leading BOM is dropped, CRLF and lone CR become LF;
* mojibake (UTF-8 read as Windows-1252, e.g. ``âœ…`` for ✅) is repaired line
  by line with ftfy, with one info diagnostic per repaired line;
* NBSP-like spaces become spaces and invisible zero-width characters go;
* a file whose every line is indented by 4+ spaces is dedented (otherwise
  Markdown would read it as one big code block).
"""

from __future__ import annotations

import re

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Persona files larger than this are refused (the largest real one seen is 231 KB)."""

_BINARY_SNIFF_BYTES = 8192
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")

# Spaces that look like a space but break YAML keys, Markdown lists and Python code.
_SPACE_LIKE = "\u00a0\u2007\u202f"
# Invisible characters with no meaning in a persona file. ZWJ (U+200D) and ZWNJ (U+200C)
# are kept on purpose: they glue emoji sequences and shape Persian/Indic scripts.
_INVISIBLE = "\u200b\u2060\ufeff\u00ad"
_INVISIBLE_TABLE = str.maketrans({**dict.fromkeys(_SPACE_LIKE, " "), **dict.fromkeys(_INVISIBLE)})
_NEEDS_INVISIBLE_FIX = re.compile(f"[{_SPACE_LIKE}{_INVISIBLE}]")

# Mojibake that ftfy cannot undo alone: Windows-1252 has no character for bytes 0x81, 0x8D,
# 0x8F, 0x90 and 0x9D, so editors silently *drop* them. ❌ (E2 9D 8C) then survives only as
# "âŒ" and ⭐ (E2 AD 90) as "â\xad". These pairs never occur in real prose, so they are
# restored first; ftfy repairs everything else on the line.
_LOSSY_MOJIBAKE = {"\u00e2\u0152": "\u274c", "\u00e2\u017d": "\u274e", "\u00e2\u00ad": "\u2b50"}
_LOSSY_PATTERN = re.compile("|".join(re.escape(k) for k in _LOSSY_MOJIBAKE))


def decode_persona_bytes(
    data: bytes, path: str, *, max_bytes: int = MAX_FILE_BYTES
) -> tuple[str | None, tuple[Diagnostic, ...]]:
    """Decode and normalise the raw bytes of a persona file.

    Returns ``(None, diagnostics)`` when the file cannot be a persona (empty,
    binary, over-size); the diagnostics then hold one error that says why.
    Otherwise the text has LF line endings and exactly as many lines as the
    file, and the diagnostics say what was repaired, each at its own line.
    """
    start = SourceSpan(path, 1)
    if len(data) > max_bytes:
        return None, (
            _error(
                "PKB102",
                f"file is {len(data):,} bytes, over the {max_bytes:,}-byte limit for a persona",
                start,
                "split it into smaller personas, or move it out of the persona source folder",
            ),
        )
    if not data.strip():
        return None, (
            _error(
                "PKB100",
                "file is empty",
                start,
                "write the persona, or delete the file",
            ),
        )
    diagnostics: list[Diagnostic] = []
    text: str
    if data.startswith(_UTF16_BOMS):
        text = data.decode("utf-16", errors="replace")
        diagnostics.append(
            Diagnostic(
                "PKB103",
                Severity.WARNING,
                "file is UTF-16, not UTF-8; decoded as UTF-16",
                start,
                hint="save it as UTF-8",
            )
        )
    elif b"\x00" in data[:_BINARY_SNIFF_BYTES]:
        return None, (
            _error(
                "PKB101",
                "file is binary (it contains NUL bytes), not a Markdown persona",
                start,
                "move it out of the persona source folder",
            ),
        )
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            text = data.decode("cp1252", errors="replace")
            line, column = _line_col_of_offset(data, exc.start)
            diagnostics.append(
                Diagnostic(
                    "PKB103",
                    Severity.WARNING,
                    f"file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
                    "decoded as Windows-1252",
                    SourceSpan(path, line, column),
                    hint="check the characters on this line and save the file as UTF-8",
                )
            )
    if text.startswith("\ufeff"):
        text = text[1:]
        diagnostics.append(
            Diagnostic("PKB105", Severity.INFO, "byte-order mark (BOM) removed", start)
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    diagnostics.extend(_repair_mojibake(lines, path))
    diagnostics.extend(_remove_invisible(lines, path))
    diagnostics.extend(_dedent_whole_file(lines, path))
    return "\n".join(lines), tuple(diagnostics)


def _error(code: str, message: str, span: SourceSpan, hint: str) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, message, span, hint=hint)


def _line_col_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def repair_mojibake_line(line: str) -> str:
    """One line with its mojibake repaired (unchanged if it has none)."""
    if line.isascii():
        return line
    import ftfy  # only for non-ASCII lines: the example checker imports this module too

    restored = _LOSSY_PATTERN.sub(lambda m: _LOSSY_MOJIBAKE[m.group(0)], line)
    return ftfy.fix_encoding(restored)


def _repair_mojibake(lines: list[str], path: str) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for index, line in enumerate(lines):
        fixed = repair_mojibake_line(line)
        if fixed == line:
            continue
        lines[index] = fixed
        column = next(
            (i + 1 for i, (a, b) in enumerate(zip(line, fixed, strict=False)) if a != b),
            1,
        )
        before, after = _changed_excerpt(line, fixed, column - 1)
        found.append(
            Diagnostic(
                "PKB104",
                Severity.INFO,
                f"mojibake repaired: {before!r} → {after!r}",
                SourceSpan(path, index + 1, column),
                hint="fix these characters in the file to make the repair permanent",
            )
        )
    return found


def _changed_excerpt(before: str, after: str, start: int) -> tuple[str, str]:
    # Trim the common tail too, so the message shows just the repaired characters.
    tail = 0
    while (
        tail < len(before) - start
        and tail < len(after) - start
        and before[-1 - tail] == after[-1 - tail]
    ):
        tail += 1
    limit = 24
    return before[start : len(before) - tail][:limit], after[start : len(after) - tail][:limit]


def _remove_invisible(lines: list[str], path: str) -> list[Diagnostic]:
    first: tuple[int, int] | None = None
    count = 0
    for index, line in enumerate(lines):
        match = _NEEDS_INVISIBLE_FIX.search(line)
        if match is None:
            continue
        count += len(_NEEDS_INVISIBLE_FIX.findall(line))
        if first is None:
            first = (index + 1, match.start() + 1)
        lines[index] = line.translate(_INVISIBLE_TABLE)
    if first is None:
        return []
    return [
        Diagnostic(
            "PKB105",
            Severity.INFO,
            f"{count} non-breaking space or zero-width character(s) normalised, the first here",
            SourceSpan(path, first[0], first[1]),
        )
    ]


def _dedent_whole_file(lines: list[str], path: str) -> list[Diagnostic]:
    indents = [len(line) - len(line.lstrip(" ")) for line in lines if line.strip()]
    indent = min(indents, default=0)
    if indent < 4:
        return []
    first = next(i for i, line in enumerate(lines) if line.strip())
    for index, line in enumerate(lines):
        lines[index] = line[indent:] if line.strip() else ""
    return [
        Diagnostic(
            "PKB107",
            Severity.WARNING,
            f"every line of the file is indented by {indent} spaces; read it dedented",
            SourceSpan(path, first + 1),
            hint="remove the indentation, or Markdown renders the whole file as a code block",
        )
    ]
