"""Inside a block process: confine itself once, then run blocks and report each on a pipe.

The fork server forks these ahead of time (see ``block_process``). Before it waits for
its first request, a process confines itself (see ``sandbox``): its own session, only
its own pipes, no core dumps, Landlock. Each request is a newline-framed JSON object;
each outcome is one newline-framed JSON object that echoes the request's ``token``.

A block can write to the result pipe too (it runs in this process), so the parent
accepts exactly one frame carrying the token it sent, for this block only; anything
else fails the block and retires the process. A block that tampers with this module,
the runner or ``builtins`` (seen after it ran) also retires the process, so the next
block starts in a fresh one.
"""

from __future__ import annotations

import contextlib
import faulthandler
import functools
import json
import operator
import os
import resource
import signal
import sys
import tempfile
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from persona_kb._internal.checks.examples import execute, landlock, python_source, sandbox

_MIB = 1024 * 1024

# Bound at import: a block may monkeypatch ``json``, ``os`` or the runner before we report.
_ENCODER = json.JSONEncoder(default=str)
_DECODER = json.JSONDecoder()
_write = os.write
_read = os.read
_exit = os._exit
_run_block = execute.run_block
_run_shell = execute.run_shell


DUMP_SIGNAL: int | None = int(signal.SIGRTMIN) + 4 if hasattr(signal, "SIGRTMIN") else None
"""The signal on which a block process prints its Python stack: the fork server sends it
just before the block's deadline, so a timeout names the line the block was stuck on. A
real-time signal, which no library claims. Where there is none, the process arms
faulthandler's own timer (a watchdog thread) for each block instead."""


def dump_delay(timeout: float) -> float:
    """Seconds after a block starts at which its stack is printed (just before ``timeout``)."""
    return max(timeout - min(0.2, timeout / 10), 0.01)


def _vm_size() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _Lines:
    """Newline-framed JSON requests read from a pipe (one request at a time)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""

    def next(self) -> dict[str, Any] | None:
        while b"\n" not in self.buffer:
            chunk = _read(self.fd, 1 << 16)
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        request = _DECODER.decode(line.decode() or "null")
        return request if isinstance(request, dict) else None


def confine(writable: list[str], output_fd: int, ruleset: landlock.Ruleset | None) -> bool:
    """Once per process, before any request: own session, stdio to the output pipe, no
    core dumps, and Landlock (writes only below ``writable``). ``True`` if Landlock holds."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    os.close(output_fd)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sandbox.make_dumpable()
    faulthandler.enable()  # a segfault prints the Python stack, so we can name the line
    if DUMP_SIGNAL is not None:  # and so does the server's signal, before a timeout
        faulthandler.register(DUMP_SIGNAL, all_threads=True, chain=False)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {DUMP_SIGNAL})
    confined = ruleset is not None and landlock.restrict_self(ruleset, writable)
    if ruleset is not None:
        os.close(ruleset.fd)
    return confined


def _limit(request: dict[str, Any]) -> None:
    """Once per process, at its first block: the memory and file-size budgets."""
    budget = int(request.get("memory_mb", 1024)) * _MIB
    if budget > 0:
        # Node's V8 reserves about 1.2 GiB of address space before it runs a line; its heap
        # is capped separately (--max-old-space-size), so a Node block asks for headroom.
        limit = _vm_size() + budget + int(request.get("reserve_mb", 0)) * _MIB
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_FSIZE, (budget, budget))


def _report(result_fd: int, outcome: dict[str, Any]) -> None:
    view = memoryview(_ENCODER.encode(outcome).encode() + b"\n")
    while view:
        view = view[_write(result_fd, view) :]


def _run_one(request: dict[str, Any], result_fd: int) -> dict[str, Any]:
    """Run one block in this process, in its own directory; return its outcome."""
    workdir = str(request["workdir"])
    os.chdir(workdir)
    sandbox.enter_block_environment(workdir)
    tempfile.tempdir = workdir
    timeout = float(request.get("timeout", 10.0))
    if DUMP_SIGNAL is None:  # else the server asks for the stack just before the deadline
        # Just before the deadline, print where the block is stuck (the parent kills it then).
        faulthandler.dump_traceback_later(dump_delay(timeout))
    if request.get("kind") in {"shell", "command"}:
        os.set_inheritable(result_fd, True)  # held until the command exits: our "done" signal
        try:
            _run_shell(request)
        except (OSError, ValueError) as exc:
            os.set_inheritable(result_fd, False)
            program = (request.get("argv") or ["bash"])[0]
            return {
                "status": "failed",
                "kind": "CommandError",
                "message": f"cannot run {program}: {exc}",
                "file": request.get("path", ""),
                "line": (request.get("lines") or [1])[0],
                "traceback": "",
            }
    outcome = _run_block(request)
    if DUMP_SIGNAL is None:
        faulthandler.cancel_dump_traceback_later()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # the block may have replaced or closed them
            stream.flush()
    sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
    return outcome


_Snapshot = tuple[list[Any], list[list[Any]], list[Any], list[Any]]
_WATCHED = (
    __name__,
    execute.__name__,
    python_source.__name__,
    "persona_kb._internal.checks.examples.doctest_session",  # imported by the first ``>>>``
    "json",
    "json.encoder",
    "json.decoder",
    "builtins",
)


def _fingerprint(base: _Snapshot | None = None) -> _Snapshot:
    """What reporting depends on, by identity: the watched modules as ``sys.modules`` maps
    them, their globals in order (``builtins``' too), the JSON classes' methods, and the
    code of the runner's functions. ``base`` is the first snapshot, to compare with."""
    modules = [sys.modules.get(name) for name in _WATCHED]
    present = base[0] if base else modules
    spaces: list[Mapping[str, Any]] = [vars(m) for m in present if m is not None]
    spaces += [vars(json.JSONEncoder), vars(json.JSONDecoder)]
    functions = base[2] if base else _runner_functions()
    values = [list(space.values()) for space in spaces]
    return modules, values, functions, [f.__code__ for f in functions]


def prepare() -> None:
    """In the fork server, before forking: the work every block process would repeat."""
    _runner_functions()


@functools.cache
def _runner_functions() -> list[Any]:
    """The functions of the runner's modules (found once, in the fork server)."""
    spaces = (vars(sys.modules[__name__]), vars(execute), vars(python_source))
    return [f for space in spaces for f in space.values() if hasattr(f, "__code__")]


def _tampered(before: _Snapshot) -> bool:
    """Whether a block replaced something [`_fingerprint`][] watches (names added after
    the snapshot are fine: dictionaries keep insertion order, so they come last; so is a
    watched module imported for the first time)."""
    after = _fingerprint(before)
    if not all(old is None or old is new for old, new in zip(before[0], after[0], strict=True)):
        return True
    for old, new in zip(before[1], after[1], strict=True):
        if len(new) < len(old) or not all(map(operator.is_, old, new)):
            return True
    return not all(map(operator.is_, before[3], after[3]))


def child_loop(
    request_fd: int,
    result_fd: int,
    output_fd: int,
    writable: list[str],
    ruleset: landlock.Ruleset | None,
) -> None:
    """A spare's life: confine, wait for a block, run it; with ``reuse``, run more."""
    confined = confine(writable, output_fd, ruleset)
    requests = _Lines(request_fd)
    token: list[str] = [""]
    os._exit = _reporting_exit(result_fd, token)  # type: ignore[assignment]
    limited = False
    marks: _Snapshot = ([], [], [], [])
    while True:
        request = requests.next()
        if request is None:
            _exit(0)  # the page ended before (or after) using this process
        token[0] = str(request.get("token", ""))
        if not limited:
            _limit(request)
            limited = True
            marks = _fingerprint()
        outcome = _run_one(request, result_fd)
        outcome["token"] = token[0]
        outcome["landlock"] = confined
        _kill_children()  # before reporting: their orphans reach the server's sweep
        retire = not request.get("reuse") or _tampered(marks)
        outcome["retire"] = retire
        _report(result_fd, outcome)
        if retire:
            _exit(0)


def _kill_children() -> None:
    """Kill what the last block left running (the fork server reaps their orphans)."""
    try:
        os.waitpid(-1, os.WNOHANG)  # one system call tells whether there is any child
    except ChildProcessError:
        return
    for child in sandbox.children():
        with contextlib.suppress(OSError):
            os.kill(child, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(child, 0)


def _reporting_exit(result_fd: int, token: list[str]) -> Callable[[int], NoReturn]:
    """An ``os._exit`` that first reports which line of the block called it (only in the
    block's own process: a child it forked, such as a ``multiprocessing`` worker, ends
    with ``os._exit`` too, and must not report)."""
    pid = os.getpid()

    def _exit_with_report(status: int) -> NoReturn:
        if os.getpid() != pid:
            _exit(status)
        frame = sys._getframe(1)
        outcome = {
            "status": "failed",
            "kind": "ProcessExit",
            "message": f"the block called os._exit({status})",
            "file": frame.f_code.co_filename,
            "line": frame.f_lineno,
            "traceback": "",
            "token": token[0],
            "retire": True,
        }
        with contextlib.suppress(OSError):
            _report(result_fd, outcome)
        _exit(status)

    return _exit_with_report
