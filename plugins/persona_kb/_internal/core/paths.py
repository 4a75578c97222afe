"""How a file is named in diagnostics and reports: the one ``display_path``."""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path


def display_path(path: Path | str, root: Path | None = None) -> str:
    """``path`` as shown to users: POSIX, relative to ``root`` (default: the current
    directory) when under it, else absolute.

    Symlinks are kept as the user wrote them (``os.path.abspath`` normalises ``..``
    without resolving links), so a symlinked persona reads ``link/a.md`` in every
    command's output, and every ``path:line`` can be clicked in a terminal or editor.
    """
    # String operations, not Path objects: this runs for every file of every build.
    absolute = os.path.abspath(path)  # noqa: PTH100
    base = os.path.abspath(root) if root is not None else os.getcwd()  # noqa: PTH100, PTH109
    if absolute == base:
        return "."
    prefix = base if base.endswith(os.sep) else base + os.sep
    shown = absolute[len(prefix) :] if absolute.startswith(prefix) else absolute
    return shown.replace(os.sep, "/") if os.sep != "/" else shown


def as_if_opened(fd: int) -> None:
    """Give a file made with ``mkstemp`` (private, ``0o600``) the mode ``open()`` would:
    ``0o666`` less the umask. A page or ``index.json`` in ``site/`` must be readable by the
    web server like every other file there."""
    if hasattr(os, "fchmod"):  # not on Windows before Python 3.13, where it does not apply
        os.fchmod(fd, 0o666 & ~_umask())


@cache
def _umask() -> int:
    # Reading the umask means setting it for an instant: once per process.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
