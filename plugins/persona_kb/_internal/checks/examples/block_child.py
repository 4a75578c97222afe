"""Inside a block process: isolate once, then run blocks and report each on a pipe.

The page process forks these ahead of time (see ``block_process``); each waits for a
newline-framed JSON request, runs it, and writes a newline-framed JSON outcome.
"""

from __future__ import annotations

import contextlib
import faulthandler
import json
import os
import resource
import signal
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from persona_kb._internal.checks.examples import execute

_MIB = 1024 * 1024

# Bound at import: a block may monkeypatch ``json.dumps`` or ``os.write`` before we report.
_ENCODER = json.JSONEncoder(default=str)
_write = os.write
_exit = os._exit


def _vm_size() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _Lines:
    """Newline-framed JSON requests read from a pipe (one request at a time)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""

    def next(self) -> dict[str, Any] | None:
        while b"\n" not in self.buffer:
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        request = json.loads(line or b"null")
        return request if isinstance(request, dict) else None


def _isolate(request: dict[str, Any], result_fd: int, output_fd: int) -> None:
    """Once per process: own session, stdio to the output pipe, no core, capped memory."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    budget = int(request.get("memory_mb", 1024)) * _MIB
    if budget > 0:
        # Node's V8 reserves about 1.2 GiB of address space before it runs a line; its heap
        # is capped separately (--max-old-space-size), so a Node block asks for headroom.
        limit = _vm_size() + budget + int(request.get("reserve_mb", 0)) * _MIB
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    faulthandler.enable()  # a segfault prints the Python stack, so we can name the line
    os._exit = _reporting_exit(result_fd)  # type: ignore[assignment]


def _report(result_fd: int, outcome: dict[str, Any]) -> None:
    view = memoryview(_ENCODER.encode(outcome).encode() + b"\n")
    while view:
        view = view[_write(result_fd, view) :]


def _run_one(request: dict[str, Any], result_fd: int) -> None:
    """Run one block in this process, in its own directory, and report its outcome."""
    workdir = str(request["workdir"])
    os.chdir(workdir)
    os.environ["TMPDIR"] = workdir
    tempfile.tempdir = workdir
    timeout = float(request.get("timeout", 10.0))
    # Just before the deadline, print where the block is stuck (the parent kills it then).
    faulthandler.dump_traceback_later(max(timeout - min(0.2, timeout / 10), 0.01))
    if request.get("kind") == "shell":
        os.set_inheritable(result_fd, True)  # held by bash until it exits: our "done" signal
        execute.run_shell(request)
    outcome = execute.run_block(request)
    faulthandler.cancel_dump_traceback_later()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # the block may have replaced or closed them
            stream.flush()
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    _report(result_fd, outcome)


def _kill_children() -> None:
    """Between two blocks in one process: kill what the last block left running."""
    pid = os.getpid()
    try:
        tasks = [task.name for task in Path(f"/proc/{pid}/task").iterdir()]
    except OSError:
        return
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as children:
                found = [int(c) for c in children.read().split()]
        except (OSError, ValueError):
            continue
        for child in found:
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(child, 0)


def child_loop(request_fd: int, result_fd: int, output_fd: int) -> None:
    """A spare's life: wait for a block, isolate once, run; with ``reuse``, run more."""
    requests = _Lines(request_fd)
    isolated = False
    while True:
        request = requests.next()
        if request is None:
            _exit(0)  # the page ended before (or after) using this process
        if not isolated:
            _isolate(request, result_fd, output_fd)
            isolated = True
        _run_one(request, result_fd)
        if not request.get("reuse"):
            _exit(0)
        _kill_children()


def _reporting_exit(result_fd: int) -> Callable[[int], NoReturn]:
    """An ``os._exit`` that first reports which line of the block called it."""

    def _exit_with_report(status: int) -> NoReturn:
        frame = sys._getframe(1)
        outcome = {
            "status": "failed",
            "kind": "ProcessExit",
            "message": f"the block called os._exit({status})",
            "file": frame.f_code.co_filename,
            "line": frame.f_lineno,
            "traceback": "",
        }
        with contextlib.suppress(OSError):
            _report(result_fd, outcome)
        _exit(status)

    return _exit_with_report
