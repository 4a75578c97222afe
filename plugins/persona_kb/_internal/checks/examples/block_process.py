"""One block, one process: a pre-forked spare confines itself, receives the block, runs it.

The fork server keeps one *spare* child forked ahead of time, blocked on a pipe.
When a block arrives, the spare gets it and the next spare is forked at once, so
the cost of ``fork`` overlaps with the block's own run. Each block process holds
only its own pipes, starts its own session, drops core dumps, caps its address
space and file sizes, applies Landlock (writes only in its private directory, see
``sandbox``), works in a fresh directory inside it, and reports through a pipe.

The parent accepts one result frame per block, carrying the random token it sent;
anything else fails that block and retires its process. After every block, whatever
it left running (re-parented to this subreaper server) is killed, what it stored is
counted against its budget, and its directory is removed.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from persona_kb._internal.checks.examples import sandbox
from persona_kb._internal.checks.examples.block_child import DUMP_SIGNAL, child_loop, dump_delay
from persona_kb._internal.checks.examples.block_outcome import (
    MAX_OUTPUT,
    StackDump,
    collect,
    describe_exit,
    drain,
    enclosing_loop_line,
    locate_in_output,
    over_budget,
    parse_outcome,
)
from persona_kb._internal.checks.examples.landlock import Ruleset
from persona_kb._internal.checks.examples.namespaces import SHM

_OWN_PROCESS = frozenset({"shell", "command", "node"})
"""Block kinds that run another program: their process is never reused afterwards."""
_EXEC = frozenset({"shell", "command"})
"""Block kinds whose process becomes another program (no Python stack to print)."""
_FRESH_PROCESS = frozenset({"node"})
"""Block kinds that need a process of their own limits (Node reserves address space; so
does any request with a ``reserve_mb``, such as a JVM's)."""


@dataclass(slots=True)
class Spare:
    """A forked child waiting for its block on ``request_fd``."""

    pid: int
    request_fd: int
    result_fd: int
    output_fd: int
    procdir: str
    """The process's private directory: the only place it may write (Landlock)."""

    @classmethod
    def fork(cls, root: str, ruleset: Ruleset | None, private_shm: bool = False) -> Spare:
        """Fork a spare; in the child this never returns. With ``private_shm`` (a tmpfs of
        the server's own mount namespace), it may write to ``/dev/shm`` too."""
        procdir = tempfile.mkdtemp(prefix="p", dir=root)
        req_r, req_w = os.pipe()
        res_r, res_w = os.pipe()
        out_r, out_w = os.pipe()
        # The stack-dump signal stays pending until the child listens for it (``confine``).
        mask = None
        if DUMP_SIGNAL is not None:
            mask = signal.pthread_sigmask(signal.SIG_BLOCK, {DUMP_SIGNAL})
        pid = os.fork()
        if pid and mask is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        if pid == 0:  # pragma: no cover - the child never returns
            try:
                keep = [req_r, res_w, out_w] + ([ruleset.fd] if ruleset else [])
                sandbox.close_descriptors_except(keep)
                writable = [procdir, SHM] if private_shm else [procdir]
                child_loop(req_r, res_w, out_w, writable, ruleset)
            finally:
                os._exit(70)
        for fd in (req_r, res_w, out_w):
            os.close(fd)
        return cls(pid, req_w, res_r, out_r, procdir)

    def discard(self) -> None:
        """Kill and reap an unused spare; remove its directory."""
        for fd in (self.request_fd, self.result_fd, self.output_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        sandbox.remove_tree(self.procdir)


@dataclass(slots=True)
class Finished:
    """A block that has reported; the page process cleans up after replying."""

    pid: int | None
    """The process to reap, or ``None`` when it lives on for the next block."""
    workdir: str
    """The directory to remove: the block's own, or the whole process directory."""

    def reap(self) -> int:
        """Wait for the process (if any), remove the directory; return the wait status."""
        status = 0
        if self.pid is not None:
            try:
                _, status = os.waitpid(self.pid, 0)
            except ChildProcessError:
                status = 0
        sandbox.remove_tree(self.workdir)
        return status


class BlockRunner:
    """Runs blocks in pre-forked processes; one per page process.

    With ``reuse`` (page isolation), a process that reported normally runs the page's
    next block too (fresh globals and directory, its leftover children killed); any
    crash or timeout replaces it. Without, every block gets a new process.
    """

    def __init__(
        self, root: str | None = None, ruleset: Ruleset | None = None, *, private_shm: bool = False
    ) -> None:
        self._own_root = root is None
        self._root = root or tempfile.mkdtemp(
            prefix="persona-kb-examples-", dir=sandbox.temp_root()
        )
        self._ruleset = ruleset
        self._private_shm = private_shm
        self._spare: Spare | None = None
        self._live: Spare | None = None
        self._pending: Finished | None = None
        self._swept = False  # nothing ran since the last cleanup (done after each reply)
        self._blocks = 0
        self._root_on_shm = Path(self._root).is_relative_to(SHM)

    def warm(self) -> None:
        """Fork the first spare ahead of the first block."""
        if self._spare is None:
            self._spare = Spare.fork(self._root, self._ruleset, self._private_shm)

    def _take(self, *, fresh: bool = False) -> Spare:
        if fresh:
            self.new_page()  # its own limits: a process that ran python blocks will not do
        if self._live is not None:
            live, self._live = self._live, None
            return live
        spare = self._spare or Spare.fork(self._root, self._ruleset, self._private_shm)
        # overlaps with the block running on the other core
        self._spare = Spare.fork(self._root, self._ruleset, self._private_shm)
        return spare

    def run(self, request: dict[str, Any]) -> dict[str, Any]:
        """Run one block; returns its outcome (call [`cleanup`][] after replying)."""
        self.cleanup()
        self._swept = False
        reuse = bool(request.get("reuse")) and request.get("kind") not in _OWN_PROCESS
        fresh = request.get("kind") in _FRESH_PROCESS or bool(request.get("reserve_mb"))
        worker = self._take(fresh=fresh)
        timeout = float(request.get("timeout", 10.0))
        workdir = self._fresh_directory(worker.procdir)
        token = secrets.token_hex(16)
        message = {**request, "workdir": workdir, "reuse": reuse, "token": token}
        payload = json.dumps(message).encode() + b"\n"
        started = time.monotonic()
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(worker.request_fd, view) :]
        except OSError:
            pass  # the process died; its exit status tells why
        dump = None
        if DUMP_SIGNAL is not None and request.get("kind") not in _EXEC:
            dump = StackDump(worker.pid, started + dump_delay(timeout), DUMP_SIGNAL)
        got = collect(worker.result_fd, worker.output_fd, started + timeout, dump)
        output, timed_out, ended = got.output, got.timed_out, got.ended
        outcome = parse_outcome(got.result, timed_out, timeout, token)
        # A process that was asked for its stack may print it later: it serves no more.
        retire = outcome is None or bool(outcome.pop("retire", True)) or bool(dump and dump.sent)
        if reuse and outcome is not None and not (timed_out or ended or retire):
            drain(worker.output_fd, output)
            self._live = worker
            self._pending = Finished(None, workdir)
        else:
            outcome = self._finish(worker, outcome, output, request)
        over_budget(outcome, self._stored(worker.procdir), int(request.get("memory_mb", 1024)))
        outcome["output"] = output[:MAX_OUTPUT].decode(errors="replace")
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
        outcome: dict[str, Any] | None,
        output: bytearray,
        request: dict[str, Any],
    ) -> dict[str, Any]:
        """End the block's process and its group; the exit status explains a silent end."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(worker.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)  # not yet a group leader if it died early
        drain(worker.output_fd, output)
        for fd in (worker.request_fd, worker.result_fd, worker.output_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        finished = Finished(worker.pid, worker.procdir)
        if outcome is not None:
            self._pending = finished
            return outcome
        status = finished.reap()
        if request.get("kind") == "shell" and os.WIFEXITED(status) and not os.WEXITSTATUS(status):
            return {"status": "passed"}
        if request.get("kind") == "command" and os.WIFEXITED(status):
            code = os.WEXITSTATUS(status)
            if not code:
                return {"status": "passed"}
            return {
                "status": "failed",
                "kind": "ExitStatus",
                "message": f"the command exited with status {code}",
                "exit_status": code,
            }
        kind, message = describe_exit(status)
        return {"status": "failed", "kind": kind, "message": message}

    def _fresh_directory(self, procdir: str) -> str:
        """A new, empty directory in the process's private one (a name it made is skipped)."""
        while True:
            self._blocks += 1
            path = os.path.join(procdir, f"block-{self._blocks}")  # noqa: PTH118 - per block
            with contextlib.suppress(FileExistsError):
                os.mkdir(path, 0o700)  # noqa: PTH102 - a str path, per block
                return path

    def _stored(self, procdir: str) -> int:
        """Bytes the block stored: its process directory, and the private ``/dev/shm``."""
        if not self._private_shm:
            return sandbox.directory_bytes(procdir, 1 << 62)
        try:
            shm = os.statvfs(SHM)
        except OSError:
            return sandbox.directory_bytes(procdir, 1 << 62)
        used = (shm.f_blocks - shm.f_bfree) * shm.f_frsize
        if self._root_on_shm:
            return used  # the process directory is on that tmpfs too
        return used + sandbox.directory_bytes(procdir, 1 << 62)

    def _wipe_shm(self) -> None:
        """Empty the private ``/dev/shm`` but for the live and spare processes' directories."""
        keep = {w.procdir for w in (self._spare, self._live) if w is not None}
        for folder in (SHM, self._root):
            try:
                entries = [entry.path for entry in os.scandir(folder)]
            except OSError:
                continue
            for path in entries:
                if path not in keep and path != self._root:
                    sandbox.remove_tree(path)

    def new_page(self) -> None:
        """Start a new page: the process that served the last page's blocks ends."""
        self.cleanup()
        if self._live is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._live.pid, signal.SIGKILL)
            self._live.discard()
            self._live = None

    def cleanup(self) -> None:
        """After the reply: reap the last block's process, remove its directory, and kill
        whatever it left running (orphans are re-parented to this subreaper server).
        Nothing to do when no block ran since the last call."""
        if self._swept:
            return
        self._swept = True
        sandbox.kill_strays(w.pid for w in (self._spare, self._live) if w is not None)
        if self._pending is not None:  # after the strays: nothing writes into it any more
            self._pending.reap()
            self._pending = None
        if self._private_shm:
            self._wipe_shm()

    def close(self) -> None:
        """Clean up; end the live process and the spare."""
        self.cleanup()
        for worker in (self._live, self._spare):
            if worker is not None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(worker.pid, signal.SIGKILL)
                worker.discard()
        self._live = self._spare = None
        sandbox.kill_strays()
        if self._own_root:
            sandbox.remove_tree(self._root)
