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

import importlib
import json
import os
import sys
from typing import Any

from persona_kb._internal.examples.block_process import BlockRunner

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


def _serve_page(reader: _LineReader) -> None:
    """The page process: serve ``block`` requests until ``end-page`` or EOF."""
    blocks = BlockRunner()
    blocks.warm()
    _reply({"ok": True, "pid": os.getpid()})
    while True:
        request = reader.read_request()
        if request is None or request.get("op") == "end-page":
            blocks.close()
            os._exit(0)
        if request.get("op") == "preload":
            _reply({"ok": True, "loaded": preload(list(request.get("modules", [])))})
            continue
        try:
            _reply(blocks.run(request))
        except Exception as exc:
            _reply({"status": "failed", "kind": "WorkerError", "message": repr(exc)})
        blocks.cleanup()  # after the reply: the runner prepares the next block meanwhile


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
