"""How a file is named in diagnostics: relative to the current directory when under it."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: Path) -> str:
    """``path`` as shown to users: POSIX, relative to the current directory when under it.

    Paths outside the current directory stay absolute, so every diagnostic's
    ``path:line`` can be clicked in a terminal or editor.
    """
    # abspath, not resolve(): keep symlinked paths as the user typed them, only normalise `..`.
    absolute = Path(os.path.abspath(path))  # noqa: PTH100
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()
