"""Colour for the text output on a terminal, as ruff and pytest do it.

Colour is on when the stream is a TTY, unless ``NO_COLOR`` is set (https://no-color.org)
or ``TERM=dumb``; ``FORCE_COLOR`` (any value but ``0``) turns it on even in a pipe, as
GitHub Actions logs want. Only the ``text`` format is painted: JSON, GitHub commands
and JUnit XML stay byte for byte what tools parse.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Iterator, Mapping
from typing import IO, Any

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
DIM = "\x1b[2m"
RED = "\x1b[31m"
GREEN = "\x1b[32m"
YELLOW = "\x1b[33m"
CYAN = "\x1b[36m"

_SEVERITY = {"error": RED, "warning": YELLOW, "info": CYAN}
_DIAGNOSTIC = re.compile(
    r"^(?P<where>\S[^\n]*?:\d+(?::\d+)?:) (?P<severity>error|warning|info): "
    r"(?P<message>.*?)(?P<code> \[PKB\d{3}\])?$"
)


def colour_wanted(stream: IO[str], environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour ``stream``: NO_COLOR, then FORCE_COLOR, then TERM and isatty."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    force = env.get("FORCE_COLOR")
    if force is not None and force not in ("", "0"):
        return True
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def paint_line(line: str) -> str:
    """One output line with ANSI colours (a diagnostic, a diff line, or as it is)."""
    match = _DIAGNOSTIC.match(line)
    if match is not None:
        severity = match.group("severity")
        code = match.group("code") or ""
        return (
            f"{BOLD}{match.group('where')}{RESET} {_SEVERITY[severity]}{BOLD}{severity}{RESET}: "
            f"{match.group('message')}{DIM}{code}{RESET}"
        )
    if line.startswith(("+++ ", "--- ")):
        return f"{BOLD}{line}{RESET}"
    if line.startswith("+"):
        return f"{GREEN}{line}{RESET}"
    if line.startswith("-"):
        return f"{RED}{line}{RESET}"
    if line.startswith("@@"):
        return f"{CYAN}{line}{RESET}"
    return line


class _Painter:
    """A text stream that paints each complete line before passing it on."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            end = "\r\n" if line.endswith("\r") else "\n"
            self._stream.write(paint_line(line.removesuffix("\r")) + end)
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if self._pending:
            self._stream.write(paint_line(self._pending))
            self._pending = ""
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def painted_output(enabled: bool) -> Iterator[None]:
    """Paint ``sys.stdout`` and ``sys.stderr`` (each if it wants colour) while inside."""
    if not enabled:
        yield
        return
    saved = sys.stdout, sys.stderr
    painters = [
        _Painter(stream) if colour_wanted(stream) else None for stream in (sys.stdout, sys.stderr)
    ]
    if painters[0] is not None:
        sys.stdout = painters[0]
    if painters[1] is not None:
        sys.stderr = painters[1]
    try:
        yield
    finally:
        for painter in painters:
            if painter is not None:
                painter.flush()
        sys.stdout, sys.stderr = saved
