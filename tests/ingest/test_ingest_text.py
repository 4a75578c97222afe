"""Bytes → normalised text: every repair keeps every line where it was."""

from __future__ import annotations

import pytest
from persona_kb._internal.core.diagnostics import Severity
from persona_kb._internal.ingest.text import decode_persona_bytes, repair_mojibake_line


def decode(data: bytes, **kwargs: int) -> tuple[str, list[str], list[tuple[int, int]]]:
    text, diagnostics = decode_persona_bytes(data, "p.md", **kwargs)
    assert text is not None, diagnostics
    return text, [d.code for d in diagnostics], [(d.span.line, d.span.column) for d in diagnostics]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "PKB100"),
        (b"  \n\n\t\n", "PKB100"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PKB101"),
        (b"x" * 101, "PKB102"),
    ],
    ids=["empty", "whitespace-only", "binary", "over-size"],
)
def test_files_that_cannot_be_personas_get_one_error(data: bytes, code: str) -> None:
    text, diagnostics = decode_persona_bytes(data, "p.md", max_bytes=100)
    assert text is None
    assert [(d.code, d.severity, d.span.line) for d in diagnostics] == [(code, Severity.ERROR, 1)]
    assert diagnostics[0].hint


def test_non_utf8_is_decoded_as_cp1252_with_a_warning_at_the_first_bad_byte() -> None:
    text, found, where = decode("line one\nCaf\u00e9 \u2014 ok\n".encode("cp1252"))
    assert text == "line one\nCaf\u00e9 \u2014 ok\n"
    assert found == ["PKB103"]
    assert where == [(2, 4)]


def test_utf16_with_bom_is_decoded() -> None:
    text, found, _ = decode("# Title\nbody\n".encode("utf-16"))
    assert text == "# Title\nbody\n"
    assert found == ["PKB103"]


def test_bom_is_removed_with_an_info() -> None:
    text, found, where = decode(b"\xef\xbb\xbf# Title\n")
    assert text == "# Title\n"
    assert found == ["PKB105"]
    assert where == [(1, 1)]


def test_crlf_and_lone_cr_become_lf_without_moving_lines() -> None:
    text, found, _ = decode(b"a\r\nb\rc\r\n")
    assert text == "a\nb\nc\n"
    assert found == []


def test_nbsp_and_zero_width_are_normalised_but_zwj_is_kept() -> None:
    source = "one\nx\u00a0= 1\u200b\nfamily \U0001f468\u200d\U0001f469\n"
    text, found, where = decode(source.encode())
    assert text == "one\nx = 1\nfamily \U0001f468\u200d\U0001f469\n"
    assert found == ["PKB105"]
    assert where == [(2, 2)]


def test_mojibake_is_repaired_with_one_info_per_line_at_that_line() -> None:
    source = (
        "ok\n#### \u00e2\u0152 WRONG\nplain\n# \u00e2\u0153\u2026 right \u00e2\u20ac\u201d yes\n"
    )
    text, found, where = decode(source.encode())
    assert text == "ok\n#### \u274c WRONG\nplain\n# \u2705 right \u2014 yes\n"
    assert found == ["PKB104", "PKB104"]
    assert where == [(2, 6), (4, 3)]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("\u00e2\u0152 WRONG", "\u274c WRONG"),
        ("\u00f0\u0178\u017d\u00af Goal", "\U0001f3af Goal"),
        ("Netlify\u00e2\u20ac\u2122s", "Netlify\u2019s"),
        ("caf\u00e9 na\u00efve r\u00e9sum\u00e9", "caf\u00e9 na\u00efve r\u00e9sum\u00e9"),
        ("\u274c already fine \u2705", "\u274c already fine \u2705"),
        ("plain ascii", "plain ascii"),
    ],
)
def test_repair_mojibake_line(line: str, expected: str) -> None:
    assert repair_mojibake_line(line) == expected


def test_whole_file_indented_by_four_spaces_is_dedented() -> None:
    text, found, where = decode(b"\n    # Title\n\n    Body\n      more\n")
    assert text == "\n# Title\n\nBody\n  more\n"
    assert found == ["PKB107"]
    assert where == [(2, 1)]


def test_a_file_with_some_unindented_lines_is_left_alone() -> None:
    text, found, _ = decode(b"# Title\n\n    code\n")
    assert text == "# Title\n\n    code\n"
    assert found == []


def test_line_count_never_changes() -> None:
    source = b"\xef\xbb\xbf    a\r\n    \xc3\xa2\xc5\x92 b\r\n\r\n    c\xc2\xa0d"
    text, _, _ = decode(source)
    assert text.count("\n") == source.count(b"\n")
