"""One block, one process: a pre-forked spare receives the block, sandboxes itself, runs it.

The page process keeps one *spare* child forked ahead of time, blocked on a pipe.
When a block arrives, the spare gets it and the next spare is forked at once, so
the cost of ``fork`` overlaps with the block's own run. Each block process:
starts its own session (process group), drops core dumps, caps its address
space, works in a fresh temporary directory, and reports through a pipe.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import select
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from persona_kb._internal.checks.examples.block_child import child_loop

_MIB = 1024 * 1024
_MAX_OUTPUT = 8000


def temp_root() -> str:
    """Where block directories go: tmpfs (``/dev/shm``) when usable, it is much faster."""
    shm = "/dev/shm"  # noqa: S108 - a private mkdtemp below it, never a fixed name
    if Path(shm).is_dir() and os.access(shm, os.W_OK | os.X_OK):
        return shm
    return tempfile.gettempdir()


_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+)')


def locate_in_output(output: str, paths: set[str]) -> tuple[str, int] | None:
    """The innermost example frame in a faulthandler dump (it lists the newest first)."""
    for match in _FRAME.finditer(output):
        if match.group("file") in paths:
            return match.group("file"), int(match.group("line"))
    return None


def enclosing_loop_line(request: dict[str, Any], line: int) -> int:
    """The first line of the innermost loop around page ``line`` of a block, else ``line``.

    When a block times out, the stack dump shows wherever the interpreter happened to be,
    and in a busy loop that is any of the loop's lines: the loop itself is what never
    ended, and its first line is the same whenever the dump is taken.
    """
    lines = [int(n) for n in request.get("lines", ())]
    try:
        tree = ast.parse(str(request.get("code", "")))
    except (SyntaxError, ValueError):
        return line
    best = line
    best_start = 0
    for node in ast.walk(tree):
        if not isinstance(node, ast.For | ast.AsyncFor | ast.While):
            continue
        end = node.end_lineno or node.lineno
        if not (0 < node.lineno <= end <= len(lines)):
            continue
        start_line, end_line = lines[node.lineno - 1], lines[end - 1]
        if start_line <= line <= end_line and start_line >= best_start:
            best, best_start = start_line, start_line
    return best


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
                child_loop(req_r, res_w, out_w)
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
    """A block that has reported; the page process cleans up after replying."""

    pid: int | None
    """The process to reap, or ``None`` when it lives on for the next block."""
    workdir: str

    def reap(self) -> int:
        """Wait for the process (if any), remove the directory; return the wait status."""
        status = 0
        if self.pid is not None:
            try:
                _, status = os.waitpid(self.pid, 0)
            except ChildProcessError:
                status = 0
        shutil.rmtree(self.workdir, ignore_errors=True)
        return status


def _collect(spare: Spare, deadline: float) -> tuple[bytes, bytearray, bool, bool]:
    """Read output and the result line; ``(result, output, timed_out, ended)``."""
    result = bytearray()
    output = bytearray()
    open_fds = [spare.result_fd, spare.output_fd]
    while spare.result_fd in open_fds and b"\n" not in result:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return bytes(result), output, True, False
        ready, _, _ = select.select(open_fds, [], [], remaining)
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                open_fds.remove(fd)
            elif fd == spare.result_fd:
                result += chunk
            elif len(output) < _MAX_OUTPUT:
                output += chunk
    return bytes(result), output, False, spare.result_fd not in open_fds


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
    """Runs blocks in pre-forked processes; one per page process.

    With ``reuse`` (page isolation), a process that reported normally runs the page's
    next block too (fresh globals and directory, its leftover children killed); any
    crash or timeout replaces it. Without, every block gets a new process.
    """

    def __init__(self) -> None:
        self._root = temp_root()
        self._spare: Spare | None = None
        self._live: Spare | None = None
        self._pending: Finished | None = None

    def warm(self) -> None:
        """Fork the first spare ahead of the first block."""
        if self._spare is None:
            self._spare = Spare.fork()

    def _take(self) -> Spare:
        if self._live is not None:
            live, self._live = self._live, None
            return live
        spare = self._spare or Spare.fork()
        self._spare = Spare.fork()  # overlaps with the block running on the other core
        return spare

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run one block; returns its outcome (call [`cleanup`][] after replying)."""
        self.cleanup()
        reuse = bool(request.get("reuse")) and request.get("kind") != "shell"
        worker = self._take()
        timeout = float(request.get("timeout", 10.0))
        workdir = tempfile.mkdtemp(prefix="persona-kb-example-", dir=self._root)
        payload = json.dumps({**request, "workdir": workdir, "reuse": reuse}).encode() + b"\n"
        started = time.monotonic()
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(worker.request_fd, view) :]
        except OSError:
            pass  # the process died; its exit status tells why
        data, output, timed_out, ended = _collect(worker, started + timeout)
        outcome = _parse(data, timed_out, timeout)
        exited = outcome is not None and outcome.get("kind") == "ProcessExit"
        if reuse and outcome is not None and not (timed_out or ended or exited):
            _drain(worker.output_fd, output)
            self._live = worker
            self._pending = Finished(None, workdir)
        else:
            outcome = self._finish(worker, workdir, outcome, output, request)
        outcome["output"] = output[:_MAX_OUTPUT].decode(errors="replace")
        if "line" not in outcome:  # a timeout or a crash: faulthandler printed the stack
            paths = {str(request["path"]), *(str(p["path"]) for p in request.get("preludes", []))}
            found = locate_in_output(outcome["output"], paths)
            if found is not None:
                outcome["file"], outcome["line"] = found
                if outcome.get("kind") == "Timeout" and found[0] == str(request["path"]):
                    outcome["line"] = enclosing_loop_line(request, found[1])
        outcome["duration"] = time.monotonic() - started
        return outcome

    def _finish(
        self,
        worker: Spare,
        workdir: str,
        outcome: dict[str, Any] | None,
        output: bytearray,
        request: dict[str, Any],
    ) -> dict[str, Any]:
        """End the block's process and its group; the exit status explains a silent end."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(worker.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)  # not yet a group leader if it died early
        _drain(worker.output_fd, output)
        for fd in (worker.request_fd, worker.result_fd, worker.output_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        finished = Finished(worker.pid, workdir)
        if outcome is not None:
            self._pending = finished
            return outcome
        status = finished.reap()
        if request.get("kind") == "shell" and os.WIFEXITED(status) and not os.WEXITSTATUS(status):
            return {"status": "passed"}
        kind, message = _describe_exit(status)
        return {"status": "failed", "kind": kind, "message": message}

    def new_page(self) -> None:
        """Start a new page: the process that served the last page's blocks ends."""
        self.cleanup()
        if self._live is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._live.pid, signal.SIGKILL)
            self._live.discard()
            self._live = None

    def cleanup(self) -> None:
        """Reap the last block's process and remove its directory (after the reply)."""
        if self._pending is not None:
            self._pending.reap()
            self._pending = None

    def close(self) -> None:
        """Clean up; end the live process and the spare."""
        self.cleanup()
        for worker in (self._live, self._spare):
            if worker is not None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(worker.pid, signal.SIGKILL)
                worker.discard()
        self._live = self._spare = None


def _parse(data: bytes, timed_out: bool, timeout: float) -> dict[str, Any] | None:
    """The outcome the block reported, a timeout, or ``None`` when it said nothing."""
    if timed_out:
        return {
            "status": "failed",
            "kind": "Timeout",
            "message": f"the block did not finish within {timeout:g} s",
        }
    line = data.split(b"\n", 1)[0]
    if not line:
        return None
    try:
        outcome = json.loads(line)
    except ValueError:
        outcome = None
    if not isinstance(outcome, dict):
        return {
            "status": "failed",
            "kind": "Crashed",
            "message": "the block's process wrote an unreadable result",
        }
    return outcome
