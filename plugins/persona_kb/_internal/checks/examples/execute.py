"""Inside one block's process: run the preludes and the block, and describe the outcome.

This runs in a forked child that is thrown away afterwards, so it may change any
global state it likes; it reports through a plain dict that becomes JSON.
"""

from __future__ import annotations

import builtins
import inspect
import linecache
import os
import sys
import traceback
import types
import warnings
from collections.abc import Mapping
from pathlib import Path
from types import CodeType, TracebackType
from typing import Any

from persona_kb._internal.checks.examples.python_source import CompileError, compile_example

Outcome = dict[str, Any]
MAX_OUTPUT = 4000

MISSING_MODULE = (
    "module {name} is not installed: add it to the examples environment or mark the block"
)


def _fresh_globals(path: str) -> dict[str, Any]:
    """A fresh ``__main__`` module's namespace, registered in ``sys.modules``.

    Libraries that resolve annotations through ``sys.modules[cls.__module__]``
    (dataclasses, pydantic, SQLAlchemy) then see the block's own names.
    """
    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__dict__["__builtins__"] = builtins
    sys.modules["__main__"] = module
    return module.__dict__


def _frame_line(tb: TracebackType | None, paths: frozenset[str]) -> tuple[str, int] | None:
    """The innermost traceback frame that belongs to one of ``paths``."""
    found: tuple[str, int] | None = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in paths:
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _trimmed_traceback(exc: BaseException, paths: frozenset[str]) -> str:
    """The traceback from the first example frame on: the worker's own frames hidden."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename not in paths:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb or exc.__traceback__))


def _run_code(code: CodeType, namespace: dict[str, Any], loop: list[Any]) -> None:
    if code.co_flags & inspect.CO_COROUTINE:
        # Loaded here, not by the fork server: only top-level ``await`` needs it (and the
        # runner preloads it for the blocks that hold an ``await``).
        import asyncio

        if not loop:
            loop.append(asyncio.new_event_loop())
            asyncio.set_event_loop(loop[0])
        loop[0].run_until_complete(eval(code, namespace))  # noqa: S307 - running examples is the job
    else:
        exec(code, namespace)  # noqa: S102 - running examples is the job


def describe_exception(
    exc: BaseException, path: str, paths: frozenset[str], missing: str, fallback_line: int
) -> Outcome:
    """The outcome dict for an exception raised by an example (or its prelude)."""
    where = _frame_line(exc.__traceback__, paths)
    file, line = where if where else (path, fallback_line)
    kind = type(exc).__name__
    message = str(exc)
    status = "failed"
    if isinstance(exc, SystemExit):
        message = f"the block called sys.exit({exc.code!r})"
    elif isinstance(exc, ModuleNotFoundError) and exc.name:
        message = MISSING_MODULE.format(name=exc.name)
        status = "skipped" if missing == "skip" else "failed"
    return {
        "status": status,
        "kind": kind,
        "message": message,
        "file": file,
        "line": line,
        "traceback": _trimmed_traceback(exc, paths),
        "mro": [cls.__name__ for cls in type(exc).__mro__],
    }


def _register_source(code: str, path: str, lines: tuple[int, ...]) -> None:
    """Let tracebacks quote the block's lines: the process runs in another directory."""
    numbered = code.splitlines()
    if not lines or len(numbered) > len(lines):
        return
    text = [""] * lines[-1]
    for number, line in zip(lines, numbered, strict=False):
        text[number - 1] = line + "\n"
    linecache.cache[path] = (sum(map(len, text)), None, text, path)


def _compile_or_fail(code: str, path: str, lines: tuple[int, ...]) -> CodeType | Outcome:
    _register_source(code, path, lines)
    compiled = compile_example(code, path, lines)
    if isinstance(compiled, CompileError):
        return {
            "status": "failed",
            "kind": compiled.kind,
            "message": compiled.message,
            "file": path,
            "line": compiled.line,
            "traceback": "",
        }
    return compiled


def _run_preludes(
    request: Mapping[str, Any], namespace: dict[str, Any], loop: list[Any]
) -> Outcome | None:
    """Run every prelude in ``namespace``; an outcome if one fails, else ``None``."""
    preludes = request.get("preludes", [])
    paths = frozenset([request["path"], *(p["path"] for p in preludes)])
    for prelude in preludes:
        p_lines = tuple(prelude["lines"])
        compiled = _compile_or_fail(prelude["code"], prelude["path"], p_lines)
        if isinstance(compiled, dict):
            compiled["message"] = f"prelude does not compile: {compiled['message']}"
            return compiled
        try:
            _run_code(compiled, namespace, loop)
        except BaseException as exc:  # the prelude is user code too
            missing = request.get("missing_module", "fail")
            out = describe_exception(exc, prelude["path"], paths, missing, p_lines[0])
            out["message"] = f"prelude failed: {out['kind']}: {out['message']}"
            return out
    return None


def run_python(request: Mapping[str, Any]) -> Outcome:
    """Run the preludes, then the block, in fresh globals; report the outcome.

    A coroutine the block creates and never awaits fails it, at the line that created it.
    """
    path: str = request["path"]
    lines = tuple(request["lines"])
    paths = frozenset([path, *(p["path"] for p in request.get("preludes", []))])
    namespace = _fresh_globals(path)
    loop: list[Any] = []
    sys.argv = [path]
    failed = _run_preludes(request, namespace, loop)
    if failed is not None:
        return failed
    namespace["__file__"] = path
    compiled = _compile_or_fail(request["code"], path, lines)
    if isinstance(compiled, dict):
        return compiled
    sys.set_coroutine_origin_tracking_depth(_ORIGIN_DEPTH)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", RuntimeWarning)
        try:
            _run_code(compiled, namespace, loop)
        except BaseException as exc:  # whatever the example raises is its outcome
            missing = request.get("missing_module", "fail")
            return describe_exception(exc, path, paths, missing, lines[0] if lines else 1)
        pending = _unawaited_in(namespace)
    # A dropped coroutine is finalised (and warns) at once by reference counting; one in a
    # reference cycle is not, and a gc pass per block would cost more than it finds.
    for w in caught:
        if "was never awaited" not in str(w.message):
            sys.stderr.write(warnings.formatwarning(w.message, w.category, w.filename, w.lineno))
    return _never_awaited(pending, caught, paths) or {"status": "passed"}


_ORIGIN_DEPTH = 16
"""Frames kept of where each coroutine was created (to name the block's line)."""


def _unawaited_in(namespace: dict[str, Any]) -> list[Any]:
    """Coroutines the block still holds that never started; closed so they stay quiet."""
    found = []
    for value in list(namespace.values()):
        if inspect.iscoroutine(value) and inspect.getcoroutinestate(value) == "CORO_CREATED":
            found.append(value)
    return found


def _never_awaited(
    pending: list[Any], caught: list[warnings.WarningMessage], paths: frozenset[str]
) -> Outcome | None:
    """The first coroutine never awaited (held, or dropped and collected), as a failure."""
    coroutines = list(pending)
    coroutines += [
        w.source
        for w in caught
        if issubclass(w.category, RuntimeWarning)
        and "was never awaited" in str(w.message)
        and inspect.iscoroutine(w.source)
    ]
    for coroutine in coroutines:
        origin = getattr(coroutine, "cr_origin", None) or ()
        where = next(((f, n) for f, n, _ in origin if f in paths), None)
        coroutine.close()
        if where is None:
            continue
        name = getattr(coroutine, "__qualname__", "coroutine")
        return {
            "status": "failed",
            "kind": "CoroutineNeverAwaited",
            "message": f"coroutine {name!r} was created but never awaited: await it, "
            "or run it with asyncio.run()",
            "file": where[0],
            "line": where[1],
            "traceback": "",
        }
    return None


def run_block(request: Mapping[str, Any]) -> Outcome:
    """Run one block of any executed language (python, a ``>>>`` session, JS/TS on Node)."""
    kind = request.get("kind", "python")
    if kind == "pycon":
        return run_pycon(request)
    if kind == "node":
        from persona_kb._internal.checks.examples.node_block import run_node

        return run_node(request)
    return run_python(request)


def run_pycon(request: Mapping[str, Any]) -> Outcome:
    """Run the preludes, then a ``>>>`` session doctest-style."""
    from persona_kb._internal.checks.examples.doctest_session import run_session

    namespace = _fresh_globals(request["path"])
    failed = _run_preludes(request, namespace, [])
    return failed if failed is not None else run_session(request, namespace)


def run_shell(request: Mapping[str, Any]) -> None:
    """Replace this process with a command: ``bash -e -c code`` for shell blocks, or
    ``request["argv"]`` (kind ``command``) after writing ``request["files"]`` (relative
    names) into the working directory. Raises ``OSError``/``ValueError`` if it cannot."""
    for name, text in dict(request.get("files") or {}).items():
        target = Path(name)
        if target.is_absolute() or ".." in target.parts:
            raise ValueError(f"file name {name!r} leaves the block's directory")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(str(text), encoding="utf-8")
    argv = [str(a) for a in request.get("argv") or ()]
    if not argv:
        argv = ["bash", "-e", "-c", request["code"], request["path"]]
    os.execvp(argv[0], argv)  # noqa: S606 - shell blocks are opted in; commands are ours
