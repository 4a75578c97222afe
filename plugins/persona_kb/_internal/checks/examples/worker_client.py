"""The runner's side of the fork server: start it, preload, switch pages, run blocks."""

from __future__ import annotations

import contextlib
import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterable
from typing import IO, Any

_GRACE = 30.0
"""Seconds past a block's own timeout before the server itself is presumed stuck."""


class ForkServer:
    """One fork-server process (see ``worker.py``); restarted if it ever dies.

    Use as a context manager, or call [`close`][] yourself.
    """

    def __init__(self, cwd: str | None = None) -> None:
        self.cwd = cwd
        self._proc: subprocess.Popen[bytes] | None = None
        self._page: str | None = None
        self._preloaded: set[str] = set()

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self) -> subprocess.Popen[bytes]:
        if self._proc is None or self._proc.poll() is not None:
            env = dict(os.environ)
            env.setdefault("NO_MKDOCS_2_WARNING", "1")
            env.setdefault("DISABLE_MKDOCS_2_WARNING", "true")
            env["PYTHONDONTWRITEBYTECODE"] = "1"
            proc = subprocess.Popen(
                [sys.executable, "-m", "persona_kb._internal.checks.examples.worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                cwd=self.cwd,
                env=env,
            )
            self._proc = proc
            self._page = None
            if self._preloaded:
                # A preload that fails kills the process (self._proc becomes None): the
                # caller's request then fails on the dead pipe and reports a WorkerError,
                # instead of an AttributeError on None.
                self._call({"op": "preload", "modules": sorted(self._preloaded)}, 120.0)
            return proc
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
        reply = json.loads(line)
        return reply if isinstance(reply, dict) else {}

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
