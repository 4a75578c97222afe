"""Hostile blocks fail alone: the others still run, and nothing leaks into the working tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from examples_helpers import block, check
from persona_kb._internal.checks.examples.report import Status

HOSTILE = {
    "infinite loop": ("while True:\n    pass", "Timeout", "PKB602"),
    "os._exit(3)": ("import os\nos._exit(3)", "ProcessExit", "PKB603"),
    "sys.exit": ("import sys\nsys.exit(0)", "SystemExit", "PKB603"),
    "10 GB allocation": ("data = bytearray(10 * 1024 ** 3)", "MemoryError", "PKB600"),
    "segfault": ("import ctypes\nctypes.string_at(0)", "Crashed", "PKB603"),
    "fork bomb child left behind": (
        "import subprocess\nsubprocess.Popen(['sleep', '30'])\nraise RuntimeError('left a child')",
        "RuntimeError",
        "PKB600",
    ),
}


@pytest.mark.parametrize("isolation", ["block", "page"])
def test_each_hostile_block_fails_alone_and_the_others_run(isolation: str) -> None:
    examples = [block("x = 1", first=1)]
    for n, (code, _, _) in enumerate(HOSTILE.values()):
        examples.append(block(code, first=100 * (n + 1)))
        examples.append(block(f"assert {n} == {n}", first=100 * (n + 1) + 50))
    report = check(*examples, timeout=2.0, isolation=isolation)
    by_line = {r.example.first_line: r for r in report.results}
    assert by_line[1].status == Status.PASSED
    for n, (name, (_, kind, code)) in enumerate(HOSTILE.items()):
        hostile = by_line[100 * (n + 1)]
        assert (hostile.status, hostile.kind, hostile.code) == (Status.FAILED, kind, code), name
        assert by_line[100 * (n + 1) + 50].status == Status.PASSED, f"block after {name}"


def test_writes_go_to_a_temporary_directory_never_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    code = (
        "import os, pathlib\n"
        "pathlib.Path('written.txt').write_text('x')\n"
        "os.mkdir('made')\n"
        "print(os.getcwd())\n"
    )
    report = check(block(code))
    (result,) = report.results
    assert result.status == Status.PASSED
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    workdir = result.output.strip()
    assert workdir != str(tmp_path)
    assert not Path(workdir).exists(), "the block's directory is removed afterwards"


@pytest.mark.parametrize("isolation", ["block", "page"])
def test_every_block_gets_fresh_globals(isolation: str) -> None:
    report = check(
        block("leaked = 1", first=1), block("print(leaked)", first=5), isolation=isolation
    )
    first, second = report.results
    assert first.status == Status.PASSED
    assert (second.status, second.kind) == (Status.FAILED, "NameError")


def test_with_block_isolation_module_state_changes_do_not_leak() -> None:
    report = check(
        block("import json\njson.dumps = None", first=1),
        block("import json\nassert json.dumps({}) == '{}'", first=5),
        isolation="block",
    )
    assert [r.status for r in report.results] == [Status.PASSED, Status.PASSED]


def test_a_missing_module_fails_with_advice_or_skips_when_configured() -> None:
    code = "import surely_not_installed_pkb\n"
    failed = check(block(code)).results[0]
    assert (failed.status, failed.code, failed.message) == (
        Status.FAILED,
        "PKB604",
        "module surely_not_installed_pkb is not installed: add it to the examples environment "
        "or mark the block",
    )
    skipped = check(block(code), missing_module="skip").results[0]
    assert (skipped.status, skipped.message) == (Status.SKIPPED, failed.message)
    assert skipped.diagnostic() is not None


def test_output_is_captured_not_printed(capfd: pytest.CaptureFixture[str]) -> None:
    result = check(block("print('hello from the block')")).results[0]
    assert result.output == "hello from the block\n"
    assert "hello from the block" not in capfd.readouterr().out


def test_page_isolation_reuses_one_process_per_page_until_it_crashes() -> None:
    code = "import os\nprint(os.getpid())"
    report = check(
        block(code, first=1),
        block(code, first=5),
        block("import os\nos._exit(3)", first=10),
        block(code, first=20),
        isolation="page",
    )
    first, second, crash, after = report.results
    assert first.output == second.output, "the page's process is reused"
    assert (crash.kind, str(crash.span)) == ("ProcessExit", "kb/persona.md:11")
    assert after.status == Status.PASSED
    assert after.output != first.output, "a crashed process is replaced"


def test_page_isolation_kills_what_a_block_left_running() -> None:
    spawn = "import subprocess\np = subprocess.Popen(['sleep', '30'])\nprint(p.pid)"
    report = check(block(spawn, first=1), block("x = 1", first=10), isolation="page")
    leftover = int(report.results[0].output.strip())
    assert report.results[1].status == Status.PASSED
    assert not Path(f"/proc/{leftover}").exists() or _is_zombie(leftover)


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


def test_a_timeout_in_a_busy_loop_is_reported_at_the_loop_whenever_the_dump_is_taken() -> None:
    from persona_kb._internal.checks.examples.block_outcome import enclosing_loop_line

    code = "x = 0\nfor i in range(3):\n    while True:\n        x += 1\n        pass\ny = 1\n"
    request = {"code": code, "lines": [10, 11, 12, 13, 14, 15]}
    # The stack dump may land on any line of the inner loop: always the `while` line.
    assert {enclosing_loop_line(request, line) for line in (12, 13, 14)} == {12}
    assert enclosing_loop_line(request, 11) == 11  # the outer loop's own line
    assert enclosing_loop_line(request, 15) == 15  # not in a loop: the line itself
    assert enclosing_loop_line({"code": "def (:", "lines": [1]}, 1) == 1  # unparsable


@pytest.mark.parametrize("isolation", ["block", "page"])
def test_a_timeout_names_the_line_a_block_is_stuck_on_and_the_next_block_runs(
    isolation: str,
) -> None:
    """The fork server asks the block's process for its stack just before the deadline:
    a block stuck inside a C call is reported at its own line, and the page's next block
    runs in a fresh process (the one asked may still print)."""
    stuck_code = "import time\n\ndef wait():\n    time.sleep(60)\n\nwait()\n"
    report = check(
        block(stuck_code, first=10),
        block("import os\nprint(os.getpid())", first=30),
        block("import os\nprint(os.getpid())", first=40),
        timeout=1.0,
        isolation=isolation,
    )
    stuck, after, last = report.results
    assert (stuck.status, stuck.kind, stuck.code, stuck.line) == (
        Status.FAILED,
        "Timeout",
        "PKB602",
        13,
    ), stuck.output
    assert "(most recent call first)" in stuck.output  # the dump itself
    assert (after.status, last.status) == (Status.PASSED, Status.PASSED)
    assert "most recent call" not in after.output + last.output


_EARLY_SIGNAL = """
import os, sys, tempfile, time
from persona_kb._internal.checks.examples.block_child import DUMP_SIGNAL
from persona_kb._internal.checks.examples.block_process import Spare

spare = Spare.fork(tempfile.mkdtemp(), None)
os.kill(spare.pid, DUMP_SIGNAL)  # before the process could set anything up
time.sleep(0.5)
alive = os.waitpid(spare.pid, os.WNOHANG) == (0, 0)
spare.discard()
print("alive" if alive else "killed")
"""


def test_a_stack_request_never_kills_a_process_that_is_still_starting() -> None:
    """The server may ask for a stack before a fresh process listens for the request:
    the request waits (the signal is blocked until then), it never kills the process."""
    from persona_kb._internal.checks.examples.block_child import DUMP_SIGNAL

    if DUMP_SIGNAL is None:
        pytest.skip("no real-time signals here: a timer thread prints the stack instead")
    done = subprocess.run(
        [sys.executable, "-c", _EARLY_SIGNAL], capture_output=True, text=True, check=False
    )
    assert done.stdout.strip() == "alive", done.stderr
