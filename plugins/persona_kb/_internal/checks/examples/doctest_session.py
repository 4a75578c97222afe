"""``pycon`` / ``>>>`` sessions, checked doctest-style: every output compared with what ran."""

from __future__ import annotations

import doctest
from collections.abc import Mapping
from types import TracebackType
from typing import Any


class _FirstFailure(doctest.DocTestRunner):
    """A doctest runner that remembers the first failing example instead of printing."""

    failure: tuple[int, str, str] | None = None

    def report_failure(
        self, out: Any, test: doctest.DocTest, example: doctest.Example, got: str
    ) -> None:
        if self.failure is None:
            want = example.want.rstrip()
            message = f"expected {want!r}, got {got.rstrip()!r}"
            self.failure = (example.lineno, "OutputMismatch", message)

    def report_unexpected_exception(
        self,
        out: Any,
        test: doctest.DocTest,
        example: doctest.Example,
        exc_info: tuple[type[BaseException], BaseException, TracebackType],
    ) -> None:
        if self.failure is None:
            exc = exc_info[1]
            self.failure = (example.lineno, type(exc).__name__, str(exc))


def run_session(request: Mapping[str, Any], namespace: dict[str, Any]) -> dict[str, Any]:
    """Run the session in ``namespace``; the outcome names the failing ``>>>`` line."""
    path: str = request["path"]
    lines = tuple(request["lines"])
    first = lines[0] if lines else 1
    try:
        test = doctest.DocTestParser().get_doctest(request["code"], namespace, path, path, 0)
    except ValueError as exc:
        return {
            "status": "failed",
            "kind": "DoctestSyntax",
            "message": str(exc),
            "file": path,
            "line": first,
            "traceback": "",
        }
    runner = _FirstFailure(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test, out=lambda _text: None, clear_globs=False)
    if runner.failure is None:
        return {"status": "passed"}
    index, kind, message = runner.failure
    line = lines[min(index, len(lines) - 1)] if lines else first
    return {
        "status": "failed",
        "kind": kind,
        "message": message,
        "file": path,
        "line": line,
        "traceback": "",
    }
