"""One block, one process: a pre-forked spare receives the block, sandboxes itself, runs it.

The page process keeps one *spare* child forked ahead of time, blocked on a pipe.
When a block arrives, the spare gets it and the next spare is forked at once, so
the cost of ``fork`` overlaps with the block's own run. Each block process:
starts its own session (process group), drops core dumps, caps its address
space, works in a fresh temporary directory, and reports through a pipe.
"""

from __future__ import annotations

import contextlib
import faulthandler
import json
import os
import re
import resource
import select
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from persona_kb._internal.examples import execute

_MIB = 1024 * 1024
_MAX_OUTPUT = 8000

# Bound at import: a block may monkeypatch ``json.dumps`` or ``os.write`` before we report.
_ENCODER = json.JSONEncoder(default=str)
_write = os.write
_exit = os._exit


def temp_root() -> str:
    """Where block directories go: tmpfs (``/dev/shm``) when usable, it is much faster."""
    shm = "/dev/shm"  # noqa: S108 - a private mkdtemp below it, never a fixed name
    if Path(shm).is_dir() and os.access(shm, os.W_OK | os.X_OK):
        return shm
    return tempfile.gettempdir()


def _vm_size() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 16):
        chunks.append(chunk)
    return b"".join(chunks)


def _sandbox_and_run(request: dict[str, Any], result_fd: int, output_fd: int) -> None:
    """In the block process: isolate, run, write the outcome, leave without cleanup."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    budget = int(request.get("memory_mb", 1024)) * _MIB
    if budget > 0:
        limit = _vm_size() + budget
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    workdir = str(request["workdir"])
    os.chdir(workdir)
    os.environ["TMPDIR"] = workdir
    tempfile.tempdir = workdir
    kind = request.get("kind", "python")
    faulthandler.enable()  # a segfault prints the Python stack, so we can name the line
    timeout = float(request.get("timeout", 10.0))
    # Just before the deadline, print where the block is stuck (the parent kills it then).
    faulthandler.dump_traceback_later(max(timeout - min(0.2, timeout / 10), 0.01))
    os._exit = _reporting_exit(result_fd)  # type: ignore[assignment]
    if kind == "shell":
        os.set_inheritable(result_fd, True)  # held by bash until it exits: our "done" signal
        execute.run_shell(request)
    outcome = execute.run_pycon(request) if kind == "pycon" else execute.run_python(request)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # the block may have replaced or closed them
            stream.flush()
    view = memoryview(_ENCODER.encode(outcome).encode())
    while view:
        view = view[_write(result_fd, view) :]
    _exit(0)


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
            _write(result_fd, _ENCODER.encode(outcome).encode())
        _exit(status)

    return _exit_with_report


_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')


def locate_in_output(output: str, paths: set[str]) -> tuple[str, int] | None:
    """The innermost example frame in a faulthandler dump (it lists the newest first)."""
    for match in _FRAME.finditer(output):
        if match.group("file") in paths:
            return match.group("file"), int(match.group("line"))
    return None


@dataclass(slots=True)
class Spare:
    """A forked child waiting for its block on ``request_fd``."""

    pid: int
    request_fd: int
    result_fd: int
    output_fd: int

    @classmethod
    def fork(cls) -> Spare:
        """Fork a spare; in the child this never returns."""
        req_r, req_w = os.pipe()
        res_r, res_w = os.pipe()
        out_r, out_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            try:
                for fd in (req_w, res_r, out_r):
                    os.close(fd)
                request = json.loads(_read_all(req_r) or b"null")
                if not isinstance(request, dict):
                    os._exit(0)  # the page ended before using this spare
                _sandbox_and_run(request, res_w, out_w)
            finally:
                os._exit(70)
        for fd in (req_r, res_w, out_w):
            os.close(fd)
        return cls(pid, req_w, res_r, out_r)

    def discard(self) -> None:
        """Kill and reap an unused spare."""
        for fd in (self.request_fd, self.result_fd, self.output_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


@dataclass(slots=True)
class Finished:
    """A block that has reported; the page process reaps and cleans up after replying."""

    pid: int
    workdir: str

    def reap(self) -> int:
        """Wait for the process, remove its directory; return the wait status."""
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            status = 0
        shutil.rmtree(self.workdir, ignore_errors=True)
        return status


def _collect(spare: Spare, deadline: float) -> tuple[bytes, bytearray, bool]:
    """Read result and output until the result pipe closes or the deadline passes."""
    result = bytearray()
    output = bytearray()
    open_fds = [spare.result_fd, spare.output_fd]
    while spare.result_fd in open_fds:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return bytes(result), output, True
        ready, _, _ = select.select(open_fds, [], [], remaining)
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                open_fds.remove(fd)
            elif fd == spare.result_fd:
                result += chunk
            elif len(output) < _MAX_OUTPUT:
                output += chunk
    return bytes(result), output, False


def _drain(fd: int, output: bytearray) -> None:
    while select.select([fd], [], [], 0)[0]:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return
        if len(output) < _MAX_OUTPUT:
            output += chunk


def _describe_exit(status: int) -> tuple[str, str]:
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = str(number)
        return "Crashed", f"the block's process was killed by signal {name}"
    code = os.WEXITSTATUS(status)
    return "ProcessExit", f"the block ended its process with exit status {code} (os._exit?)"


class BlockRunner:
    """Runs blocks in pre-forked processes; one per page process."""

    def __init__(self) -> None:
        self._root = temp_root()
        self._spare: Spare | None = None
        self._pending: Finished | None = None

    def warm(self) -> None:
        """Fork the first spare ahead of the first block."""
        if self._spare is None:
            self._spare = Spare.fork()

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run one block; returns its outcome (call [`cleanup`][] after replying)."""
        self.cleanup()
        spare = self._spare or Spare.fork()
        self._spare = None
        timeout = float(request.get("timeout", 10.0))
        workdir = tempfile.mkdtemp(prefix="persona-kb-example-", dir=self._root)
        payload = json.dumps({**request, "workdir": workdir}).encode()
        started = time.monotonic()
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(spare.request_fd, view) :]
        except OSError:
            pass  # the spare died; its exit status tells why
        os.close(spare.request_fd)
        self._spare = Spare.fork()  # overlaps with the block running on the other core
        data, output, timed_out = _collect(spare, started + timeout)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(spare.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.kill(spare.pid, signal.SIGKILL)  # not yet a group leader if it died early
        _drain(spare.output_fd, output)
        os.close(spare.result_fd)
        os.close(spare.output_fd)
        elapsed = time.monotonic() - started
        finished = Finished(spare.pid, workdir)
        outcome: dict[str, Any] | None = None
        if timed_out:
            outcome = {
                "status": "failed",
                "kind": "Timeout",
                "message": f"the block did not finish within {timeout:g} s",
            }
        elif data:
            try:
                outcome = json.loads(data)
            except ValueError:
                outcome = {
                    "status": "failed",
                    "kind": "Crashed",
                    "message": "the block's process wrote an unreadable result",
                }
        if outcome is None:  # no report: how the process ended is the outcome
            status = finished.reap()
            if (
                request.get("kind") == "shell"
                and os.WIFEXITED(status)
                and not os.WEXITSTATUS(status)
            ):
                outcome = {"status": "passed"}
            else:
                kind, message = _describe_exit(status)
                outcome = {"status": "failed", "kind": kind, "message": message}
        else:
            self._pending = finished
        outcome["output"] = output[:_MAX_OUTPUT].decode(errors="replace")
        if "line" not in outcome:  # a timeout or a crash: faulthandler printed the stack
            paths = {str(request["path"]), *(str(p["path"]) for p in request.get("preludes", []))}
            found = locate_in_output(outcome["output"], paths)
            if found is not None:
                outcome["file"], outcome["line"] = found
        outcome["duration"] = elapsed
        return outcome

    def cleanup(self) -> None:
        """Reap the last block's process and remove its directory (after the reply)."""
        if self._pending is not None:
            self._pending.reap()
            self._pending = None

    def close(self) -> None:
        """Clean up and discard the spare."""
        self.cleanup()
        if self._spare is not None:
            self._spare.discard()
            self._spare = None
