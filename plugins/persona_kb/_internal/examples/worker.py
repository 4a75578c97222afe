"""The fork server that runs examples: ``python -m persona_kb._internal.examples.worker``.

Three layers of processes, so that imports are paid once and nothing leaks:

1. the **server** (this module's ``main``) imports the preloads, then reads
   JSON-line requests on stdin;
2. ``{"op": "page"}`` forks a **page process** that takes over stdin/stdout and
   serves that page's blocks until ``{"op": "end-page"}``; the server waits for it;
3. every ``{"op": "block"}`` forks a **block process** in its own session and
   process group, with a memory rlimit, no core dumps and a fresh temporary
   working directory. It runs the preludes and the block in fresh globals and
   writes its outcome to a pipe. The page process waits with a timeout, then
   kills the whole process group, whatever happened.

A crash, ``sys.exit``, ``os._exit``, a segfault or an infinite loop therefore
fails that one block; the page process and the server carry on.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import resource
import select
import shutil
import signal
import sys
import tempfile
import time
from typing import Any

from persona_kb._internal.examples import execute

Request = dict[str, Any]

_NEVER_PRELOAD = frozenset({"antigravity", "this", "__hello__", "__phello__", "turtle"})
_MIB = 1024 * 1024


class _LineReader:
    """Reads newline-terminated requests from a raw fd without over-reading.

    The page process inherits the server's fd 0; nothing may sit in a buffer at
    fork time, so this reads one byte at a time past the last newline (requests
    are strictly one at a time, so this is cheap).
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def read_request(self) -> Request | None:
        chunks: list[bytes] = []
        while True:
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return None
            chunks.append(chunk)
            if chunk.endswith(b"\n"):
                break
        loaded = json.loads(b"".join(chunks))
        return loaded if isinstance(loaded, dict) else None


def _reply(payload: dict[str, Any]) -> None:
    os.write(1, json.dumps(payload).encode() + b"\n")


def preload(modules: list[str]) -> list[str]:
    """Import ``modules`` (top-level names) into this process; return those that loaded."""
    loaded = []
    for name in modules:
        if name in _NEVER_PRELOAD or not name.isidentifier():
            continue
        try:
            importlib.import_module(name)
        except BaseException:  # noqa: S112 - a failing preload is the block's problem, not ours
            continue
        loaded.append(name)
    return loaded


def _vm_size() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _child(request: Request, write_fd: int, workdir: str, output_fd: int) -> None:
    """The block process: sandbox itself, run the block, report, and leave at once."""
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
    os.chdir(workdir)
    os.environ["TMPDIR"] = workdir
    tempfile.tempdir = workdir
    kind = request.get("kind", "python")
    if kind == "shell":
        execute.run_shell(request)
    outcome = execute.run_pycon(request) if kind == "pycon" else execute.run_python(request)
    sys.stdout.flush()
    sys.stderr.flush()
    data = json.dumps(outcome, default=str).encode()
    view = memoryview(data)
    while view:
        view = view[os.write(write_fd, view) :]
    os._exit(0)


def _describe_exit(status: int) -> tuple[str, str]:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        name = signal.Signals(sig).name if sig in signal.Signals.__members__.values() else sig
        return "Crashed", f"the block's process was killed by signal {name}"
    code = os.WEXITSTATUS(status)
    return "ProcessExit", f"the block ended its process with exit status {code} (os._exit?)"


def run_block(request: Request) -> dict[str, Any]:
    """Fork a block process for ``request``, wait (with the timeout), clean up."""
    timeout = float(request.get("timeout", 10.0))
    workdir = tempfile.mkdtemp(prefix="persona-kb-example-")
    output = tempfile.TemporaryFile(prefix="persona-kb-output-")  # noqa: SIM115 - closed below
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        try:
            os.close(read_fd)
            _child(request, write_fd, workdir, output.fileno())
        finally:
            os._exit(70)
    os.close(write_fd)
    data, timed_out = _collect(read_fd, pid, started + timeout)
    os.close(read_fd)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    elapsed = time.monotonic() - started
    output.seek(0)
    captured = output.read(8000).decode(errors="replace")
    output.close()
    shutil.rmtree(workdir, ignore_errors=True)
    outcome: dict[str, Any]
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
    elif request.get("kind") == "shell" and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        outcome = {"status": "passed"}
    else:
        kind, message = _describe_exit(status)
        outcome = {"status": "failed", "kind": kind, "message": message}
    outcome["output"] = captured
    outcome["duration"] = elapsed
    return outcome


def _collect(read_fd: int, pid: int, deadline: float) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return b"".join(chunks), True
        ready, _, _ = select.select([read_fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(read_fd, 1 << 16)
        if not chunk:
            return b"".join(chunks), False
        chunks.append(chunk)


def _serve_page(reader: _LineReader) -> None:
    """The page process: serve ``block`` requests until ``end-page`` or EOF."""
    _reply({"ok": True, "pid": os.getpid()})
    while True:
        request = reader.read_request()
        if request is None or request.get("op") == "end-page":
            os._exit(0)
        if request.get("op") == "preload":
            _reply({"ok": True, "loaded": preload(list(request.get("modules", [])))})
            continue
        try:
            _reply(run_block(request))
        except Exception as exc:
            _reply({"status": "failed", "kind": "WorkerError", "message": repr(exc)})


def main() -> None:
    """The server loop (see the module docstring for the protocol)."""
    reader = _LineReader(0)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - nobody may read fd 0 through a buffer
    while True:
        request = reader.read_request()
        if request is None or request.get("op") == "exit":
            return
        op = request.get("op")
        if op == "preload":
            _reply({"ok": True, "loaded": preload(list(request.get("modules", [])))})
        elif op == "page":
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the page process never returns
                try:
                    _serve_page(reader)
                finally:
                    os._exit(70)
            _, status = os.waitpid(pid, 0)
            if status == 0:  # the page ended on request: acknowledge the end-page
                _reply({"ok": True})
            else:
                _reply(
                    {
                        "status": "failed",
                        "kind": "WorkerError",
                        "message": "the page worker process died; the next block restarts it",
                    }
                )
        else:
            _reply({"status": "failed", "kind": "WorkerError", "message": f"unknown op {op!r}"})


if __name__ == "__main__":
    main()
