"""``persona-kb lint --fix`` / ``--diff``: mechanical repairs, shown as a diff, meaning kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from persona_kb._internal.adapters.cli.main import main
from persona_kb._internal.ingest.fix import fix_persona

# CRLF body, LF front matter, a mojibake ✅, an unquoted glob and an emoji held together
# by zero-width joiners (which must survive: they are part of the emoji).
BROKEN = (
    b"---\ndescription: Cursor rule for Python\nglobs: **/*.py\nalwaysApply: false\n---\r\n"
    b"\r\n# Python rule\r\n\r\n- Use type hints \xc3\xa2\xc5\x93\xe2\x80\xa6 always.\r\n"
    b"- Family: \xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7\r\n"
)
FIXED = BROKEN.replace(b"globs: **/*.py", b'globs: "**/*.py"').replace(
    b"\xc3\xa2\xc5\x93\xe2\x80\xa6", "✅".encode()
)
CLEAN = b"---\nname: go-dev\ndescription: Go.\n---\n\n# Go\n\n- Handle errors.\n"


@pytest.fixture
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "python.mdc").write_bytes(BROKEN)
    (tmp_path / "kb" / "go.md").write_bytes(CLEAN)
    return tmp_path / "kb"


def test_fix_repairs_only_what_ingestion_repairs_byte_for_byte() -> None:
    fix = fix_persona(BROKEN, "kb/python.mdc")
    assert fix.after == FIXED
    assert fix.fixed == ("PKB104", "PKB201")
    assert fix_persona(FIXED, "kb/python.mdc").changed is False


def test_fix_folds_a_multi_line_plain_value_into_one_quoted_line() -> None:
    data = b"---\nname: x\ndescription: use it: always\n  and everywhere\n---\n\n# X\n"
    fix = fix_persona(data, "kb/x.md")
    assert fix.after == b'---\nname: x\ndescription: "use it: always and everywhere"\n---\n\n# X\n'


def test_fix_writes_changed_files_only_and_shows_the_diff(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean_before = (kb / "go.md").stat().st_mtime_ns
    assert main(["lint", "--fix", "kb"]) == 0
    out, err = capsys.readouterr()
    assert "--- a/kb/python.mdc\n+++ b/kb/python.mdc\n" in out
    assert '-globs: **/*.py\n+globs: "**/*.py"\n' in out
    assert "+- Use type hints ✅ always.\r\n" in out
    assert "kb/python.mdc: fixed PKB104, PKB201" in err
    assert "fixed 1 file" in err
    assert "[PKB201]" not in out  # nothing left to report
    assert "[PKB104]" not in out
    assert (kb / "python.mdc").read_bytes() == FIXED
    assert (kb / "go.md").stat().st_mtime_ns == clean_before


def test_diff_shows_the_fix_writes_nothing_and_exits_1(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["lint", "--diff", "kb"]) == 1
    out, err = capsys.readouterr()
    assert '+globs: "**/*.py"' in out
    assert "would fix 1 file" in err
    assert (kb / "python.mdc").read_bytes() == BROKEN
    assert main(["lint", "--fix", "kb"]) == 0
    assert main(["lint", "--diff", "kb"]) == 0  # nothing left to fix


def test_a_file_that_cannot_be_read_as_utf8_is_left_alone(
    kb: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = BROKEN.replace(b"# Python rule", b"# Python r\xe9gle")  # Windows-1252
    (kb / "python.mdc").write_bytes(data)
    main(["lint", "--fix", "kb"])
    assert (kb / "python.mdc").read_bytes() == data
    assert "kb/python.mdc: not fixed: not UTF-8" in capsys.readouterr().err
