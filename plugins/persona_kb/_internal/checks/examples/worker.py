"""The fork server that runs examples: ``python -m persona_kb._internal.checks.examples.worker``.

The server imports the preloads once, then reads JSON-line requests on stdin and
answers each with one JSON line on stdout:

- ``{"op": "preload", "modules": [...]}`` imports modules (failures are ignored);
- ``{"op": "page"}`` starts a new page: with page isolation, the process that ran the
  previous page's blocks is ended, so every page gets its own process;
- ``{"op": "block", ...}`` runs one block in a child process forked from the server
  (see ``block_process``): its own session and process group, a memory rlimit, no
  core dumps, a fresh temporary working directory, fresh globals, a timeout, and
  the whole process group killed at the end;
- ``{"op": "sandbox"}`` answers what the sandbox enforces here (see ``sandbox``);
- ``{"op": "exit"}`` ends everything.

Started as ``worker ROOT``: block processes get private directories inside ``ROOT``
(which the caller removes). At start the server becomes a subreaper and undumpable,
enters its network and mount namespaces where it may (``namespaces``), refuses Unix
sockets (``seccomp``), and builds the Landlock ruleset that every block process applies
to itself.

Everything the server has imported is moved out of the garbage collector's reach
(``gc.freeze``) before it forks: a block process's collections then never walk, and so
never copy, the pages it shares with the server.

User code never runs in the server itself, so a crash, ``sys.exit``, ``os._exit``,
a segfault or an infinite loop fails that one block; the server carries on.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from persona_kb._internal.checks.examples import (
    block_child,
    landlock,
    namespaces,
    sandbox,
    seccomp,
)
from persona_kb._internal.checks.examples.block_process import BlockRunner

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
        if name.split(".")[0] in _NEVER_PRELOAD or not all(
            part.isidentifier() for part in name.split(".")
        ):
            continue
        try:
            importlib.import_module(name)
        except BaseException:  # noqa: S112 - a failing preload is the block's problem, not ours
            continue
        loaded.append(name)
    return loaded


def main() -> None:
    """The server loop (see the module docstring for the protocol)."""
    # The server's own modules were just imported (and their bytecode cached, as for any
    # program); nothing the blocks import or start writes bytecode anywhere.
    sys.dont_write_bytecode = True
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    reader = _LineReader(0)
    sys.stdin = open(os.devnull)  # noqa: SIM115 - nobody may read fd 0 through a buffer
    root = sys.argv[1] if len(sys.argv) > 1 else None
    network, shm = namespaces.enter_private_namespaces()  # first: it writes its id map
    if root and not shm:
        Path(root).mkdir(parents=True, exist_ok=True)  # hidden by the private /dev/shm
    subreaper = sandbox.harden_server()
    extra_roots = [r for r in sys.argv[2:] if Path(r).is_dir()]  # opted-in toolchains
    ruleset = landlock.build_ruleset([*sandbox.read_roots(str(Path.cwd())), *extra_roots])
    sockets = seccomp.deny_unix_sockets()
    enforced = sandbox.describe(
        ruleset, subreaper=subreaper, network=network, shm=shm, sockets=sockets
    )
    block_child.prepare()
    gc.freeze()  # see the module docstring
    blocks = BlockRunner(root, ruleset, private_shm=not shm)
    while True:
        request = reader.read_request() or {"op": "exit"}
        op = request.get("op")
        if op == "exit":
            blocks.close()
            return
        if op == "preload":
            blocks.close()  # a spare forked earlier would miss the new imports
            loaded = preload(list(request.get("modules", [])))
            gc.freeze()
            _reply({"ok": True, "loaded": loaded})
        elif op == "sandbox":
            _reply({"ok": True, **enforced})
        elif op == "page":
            blocks.new_page()
            _reply({"ok": True})
        elif op == "block":
            try:
                _reply(blocks.run(request))
            except Exception as exc:
                _reply({"status": "failed", "kind": "WorkerError", "message": repr(exc)})
            blocks.cleanup()  # after the reply: the runner prepares the next block meanwhile
        else:
            _reply({"status": "failed", "kind": "WorkerError", "message": f"unknown op {op!r}"})


if __name__ == "__main__":
    main()
