"""How a file is named in diagnostics and reports: the one ``display_path``."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: Path | str, root: Path | None = None) -> str:
    """``path`` as shown to users: POSIX, relative to ``root`` (default: the current
    directory) when under it, else absolute.

    Symlinks are kept as the user wrote them (``os.path.abspath`` normalises ``..``
    without resolving links), so a symlinked persona reads ``link/a.md`` in every
    command's output, and every ``path:line`` can be clicked in a terminal or editor.
    """
    absolute = Path(os.path.abspath(path))  # noqa: PTH100
    base = Path(os.path.abspath(root)) if root is not None else Path.cwd()  # noqa: PTH100
    try:
        return absolute.relative_to(base).as_posix()
    except ValueError:
        return absolute.as_posix()
