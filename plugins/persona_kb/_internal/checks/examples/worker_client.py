"""The runner's side of the fork server: start it, preload, switch pages, run blocks.

The server starts with the scrubbed environment (``sandbox.ALLOWED_ENVIRONMENT``) and a
private directory that this side creates and removes, even when the server was killed.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from persona_kb._internal.checks.examples import sandbox

_GRACE = 30.0
"""Seconds past a block's own timeout before the server itself is presumed stuck."""


class ForkServer:
    """One fork-server process (see ``worker.py``); restarted if it ever dies.

    Use as a context manager, or call [`close`][] yourself.
    """

    def __init__(self, cwd: str | None = None, read_roots: Sequence[str] = ()) -> None:
        self.cwd = cwd
        self.read_roots = tuple(read_roots)
        """Folders blocks may also read and execute (an opted-in toolchain's install)."""
        self._proc: subprocess.Popen[bytes] | None = None
        self._page: str | None = None
        self._preloaded: set[str] = set()
        self._root: str | None = None
        self._sandbox: dict[str, Any] | None = None

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            env = sandbox.scrubbed_environment(os.environ)
            env.setdefault("NO_MKDOCS_2_WARNING", "1")
            env.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
            if os.environ.get("PYTHONDONTWRITEBYTECODE"):  # else the server caches its own
                env["PYTHONDONTWRITEBYTECODE"] = "1"  # (blocks never write: see worker.main)
            self._remove_root()
            self._root = tempfile.mkdtemp(prefix="persona-kb-examples-", dir=sandbox.temp_root())
            self._proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "persona_kb._internal.checks.examples.worker",
                    self._root,
                    *self.read_roots,
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=self.cwd,
                env=env,
            )
            self._page = None
            if self._preloaded:
                self._call({"op": "preload", "modules": sorted(self._preloaded)}, 120.0)
                if self._proc is None:
                    # The preload timed out and the server was killed: start one without
                    # it (each block then imports what it needs) rather than hand back None.
                    self._preloaded.clear()
                    return self._start()
        return self._proc

    def _call(self, request: dict[str, Any], timeout: float) -> dict[str, Any]:
        proc = self._start()
        stdin, stdout = proc.stdin, proc.stdout
        assert stdin is not None
        assert stdout is not None
        try:
            stdin.write(json.dumps(request).encode() + b"\n")
            stdin.flush()
            line = _read_line(stdout, timeout)
        except (BrokenPipeError, OSError):
            line = None
        if line is None:
            self._kill()
            return {
                "status": "failed",
                "kind": "WorkerError",
                "message": "the example worker stopped responding; it was restarted",
            }
        try:
            reply = json.loads(line)
        except ValueError:
            reply = None
        if not isinstance(reply, dict):
            self._kill()
            return {
                "status": "failed",
                "kind": "WorkerError",
                "message": "the example worker sent an unreadable reply; it was restarted",
            }
        return reply

    def start(self) -> None:
        """Start the server process now (it imports while the caller keeps working)."""
        self._start()

    def preload(self, modules: Iterable[str]) -> None:
        """Import ``modules`` in the server, once, so every block starts with them loaded."""
        new = sorted(set(modules) - self._preloaded)
        if not new:
            return
        self._preloaded.update(new)
        self._call({"op": "preload", "modules": new}, 120.0)
        self._page = None

    def run(self, page: str, request: dict[str, Any]) -> dict[str, Any]:
        """Run one block request; a new ``page`` first ends the previous page's process."""
        if self._page != page:
            reply = self._call({"op": "page", "key": page}, 60.0)
            if not reply.get("ok"):
                return reply
            self._page = page
        reply = self._call(request, float(request.get("timeout", 10.0)) + _GRACE)
        if reply.get("kind") == "WorkerError":
            self._page = None
        return reply

    @property
    def running(self) -> bool:
        """Whether the server process is up."""
        return self._proc is not None and self._proc.poll() is None

    def sandbox(self) -> dict[str, Any]:
        """What the sandbox enforces here: ``{"enforced": [...], "missing": [...]}``."""
        if self._sandbox is None:
            reply = self._call({"op": "sandbox"}, 60.0)
            if reply.get("ok"):
                self._sandbox = reply
            else:
                return {"enforced": [], "missing": ["the example worker did not start"]}
        return self._sandbox

    def run_command(
        self,
        key: str,
        argv: Sequence[str],
        *,
        path: str,
        line: int,
        files: Mapping[str, str] | None = None,
        timeout: float = 10.0,
        memory_mb: int = 1024,
    ) -> dict[str, Any]:
        """Run a program (``node``, ``bash`` …) in the same sandbox as python blocks.

        ``files`` (relative name -> text) are written into the block's private directory,
        which is the program's working directory, ``HOME`` and ``TMPDIR``; then ``argv``
        is executed there (looked up on the scrubbed ``PATH``), with the environment
        allow-list, Landlock, the network namespace, the timeout, ``memory_mb`` as the
        address-space, file-size and directory budget, and everything it starts killed
        at the end. ``key`` groups processes like a page key (see [`run`][]); ``path``
        and ``line`` say where the example is, for messages.

        Returns the outcome: ``{"status": "passed"}``, or ``"failed"`` with ``kind``
        (``ExitStatus`` with ``exit_status``, ``Timeout``, ``Crashed``, ``CommandError``,
        ``DiskBudget``) and ``message``; ``output`` holds stdout and stderr (capped).
        """
        request = {
            "op": "block",
            "kind": "command",
            "argv": list(argv),
            "files": dict(files or {}),
            "path": path,
            "code": "",
            "lines": [line],
            "timeout": timeout,
            "memory_mb": memory_mb,
        }
        return self.run(key, request)

    def _remove_root(self) -> None:
        if self._root is not None:
            sandbox.remove_tree(self._root)
            self._root = None

    def _kill(self) -> None:
        if self._proc is not None:
            with contextlib.suppress(ProcessLookupError):
                self._proc.kill()
            self._proc.wait()
            for stream in (self._proc.stdin, self._proc.stdout):
                if stream is not None:
                    stream.close()
        self._proc = None
        self._page = None
        self._remove_root()

    def close(self) -> None:
        """End the server (it ends its children)."""
        if self._proc is not None and self._proc.poll() is None:
            stdin = self._proc.stdin
            assert stdin is not None
            with contextlib.suppress(BrokenPipeError, OSError):
                stdin.write(b'{"op": "exit"}\n')
                stdin.flush()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(timeout=10)
        self._kill()


def _read_line(stream: IO[bytes], timeout: float) -> bytes | None:
    deadline = time.monotonic() + timeout
    fd = stream.fileno()
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return None
        ready, _, _ = select.select([fd], [], [], remaining)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return None
        chunks.append(chunk)
        if chunk.endswith(b"\n"):
            return b"".join(chunks)
