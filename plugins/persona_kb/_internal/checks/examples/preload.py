"""Which modules the fork server imports once, before the first block.

Only modules of the stdlib and installed packages: a module that lives beside the docs is
never preloaded, so its import runs inside a block's sandbox.
"""

from __future__ import annotations

import importlib.util
import sys
import sysconfig
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from persona_kb._internal.checks.examples.prelude import PreludeSet
from persona_kb._internal.checks.examples.python_source import imported_modules
from persona_kb._internal.checks.examples.spec import Example, Tier


class ExampleOptions(Protocol):
    """What preloading needs of the runner's options."""

    @property
    def preload(self) -> tuple[str, ...]: ...

    @property
    def preludes(self) -> PreludeSet: ...


def _installed_roots() -> tuple[Path, ...]:
    paths = sysconfig.get_paths()
    return tuple(
        Path(paths[key]).resolve() for key in ("stdlib", "platstdlib", "purelib", "platlib")
    )


def _is_installed(top: str, roots: tuple[Path, ...]) -> bool:
    """Whether ``top`` is a stdlib or installed package (never a file beside the docs)."""
    if top in sys.builtin_module_names:
        return True
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return False
    if spec is None:
        return False
    locations = [spec.origin] if spec.origin else []
    locations.extend(spec.submodule_search_locations or [])
    for location in locations:
        if location in {"built-in", "frozen"}:
            return True
        resolved = Path(location).resolve()
        if any(resolved.is_relative_to(root) for root in roots):
            return True
    return False


def preload_modules(examples: Iterable[Example], options: ExampleOptions) -> list[str]:
    """Modules the blocks and preludes import, limited to the stdlib and installed packages.

    The fork server imports these once, so blocks start with them loaded (``asyncio`` too,
    for a block that awaits). A module that lives beside the docs is never preloaded: its
    import runs inside a block's sandbox.
    """
    names: set[str] = set(options.preload)
    codes = [prelude.code for prelude in options.preludes.all()]
    for example in examples:
        if example.language in {"python", "pycon"} and example.tier in {Tier.RUN, Tier.RAISES}:
            codes.append(example.code)
    for code in codes:
        names |= imported_modules(code)
        if "await" in code:  # top-level ``await`` runs in an asyncio event loop
            names.add("asyncio")
    roots = _installed_roots()
    verdict: dict[str, bool] = {}
    found = []
    for name in sorted(names):
        top = name.split(".")[0]
        if top not in verdict:
            verdict[top] = _is_installed(top, roots)
        if verdict[top]:
            found.append(name)
    return found
