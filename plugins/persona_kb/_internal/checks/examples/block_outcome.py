"""What a block process reported, read by the fork server: the result frame, its output,
a timeout (with the stack the block was stuck in), a crash, a forged frame.

Used by ``block_process``: reading the pipes of one block until its deadline, and turning
what came (or did not) into the outcome the server replies with.
"""

from __future__ import annotations

import ast
import contextlib
import json
import os
import re
import select
import signal
import time
from dataclasses import dataclass
from typing import Any

MAX_OUTPUT = 8000
"""Bytes of a block's output kept."""

_MIB = 1024 * 1024
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
class StackDump:
    """Just before a block's deadline, ask its process to print its Python stack (the
    signal its ``faulthandler`` listens to), so a timeout names the line it was stuck on."""

    pid: int
    at: float
    """``time.monotonic()`` at which to ask."""
    signum: int
    sent: bool = False

    def send(self) -> None:
        """Send the signal (once)."""
        if not self.sent:
            self.sent = True
            with contextlib.suppress(OSError):
                os.kill(self.pid, self.signum)


@dataclass(slots=True)
class Collected:
    """What one block's pipes gave before its result frame, its end or its deadline."""

    result: bytes
    output: bytearray
    timed_out: bool
    ended: bool
    """The result pipe closed: the process is gone."""


def collect(
    result_fd: int, output_fd: int, deadline: float, dump: StackDump | None = None
) -> Collected:
    """Read output and the result line until the line, the end, or ``deadline``."""
    result = bytearray()
    output = bytearray()
    open_fds = [result_fd, output_fd]
    while result_fd in open_fds and b"\n" not in result:
        now = time.monotonic()
        remaining = deadline - now
        if remaining <= 0:
            return Collected(bytes(result), output, True, False)
        if dump is not None and not dump.sent:
            if now >= dump.at:
                dump.send()
            else:
                remaining = min(remaining, dump.at - now)
        ready, _, _ = select.select(open_fds, [], [], remaining)
        for fd in ready:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                open_fds.remove(fd)
            elif fd == result_fd:
                result += chunk
            elif len(output) < MAX_OUTPUT:
                output += chunk
    return Collected(bytes(result), output, False, result_fd not in open_fds)


def drain(fd: int, output: bytearray) -> None:
    """Add what is left in the output pipe (without waiting)."""
    while select.select([fd], [], [], 0)[0]:
        chunk = os.read(fd, 1 << 16)
        if not chunk:
            return
        if len(output) < MAX_OUTPUT:
            output += chunk


def describe_exit(status: int) -> tuple[str, str]:
    """``(kind, message)`` for a block process that ended without reporting."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = str(number)
        return "Crashed", f"the block's process was killed by signal {name}"
    code = os.WEXITSTATUS(status)
    return "ProcessExit", f"the block ended its process with exit status {code} (os._exit?)"


def over_budget(outcome: dict[str, Any], used: int, budget_mb: int) -> None:
    """Fail a block that stored more than its budget (tmpfs is memory)."""
    if budget_mb > 0 and used > budget_mb * _MIB:
        outcome.update(
            status="failed",
            kind="DiskBudget",
            message=f"the block stored over {budget_mb} MiB in its directory and /dev/shm (the "
            "budget is the --memory limit); write less, or raise the limit",
        )


_FORGED = {
    "status": "failed",
    "kind": "ForgedResult",
    "message": "the block wrote to persona-kb's result channel; its process was replaced",
    "retire": True,
}


def parse_outcome(
    data: bytes, timed_out: bool, timeout: float, token: str
) -> dict[str, Any] | None:
    """The outcome the block reported, a timeout, or ``None`` when it said nothing.

    Exactly one frame, carrying this block's ``token``, is accepted; more data after it,
    or a frame without the token, is a forgery by the block (its process is retired).
    """
    if timed_out:
        return {
            "status": "failed",
            "kind": "Timeout",
            "message": f"the block did not finish within {timeout:g} s",
        }
    line, _, rest = data.partition(b"\n")
    if not line:
        return None
    try:
        outcome = json.loads(line)
    except ValueError:
        outcome = None
    if not isinstance(outcome, dict) or rest or outcome.pop("token", None) != token:
        return dict(_FORGED)
    return outcome
