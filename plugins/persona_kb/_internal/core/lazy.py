"""Names a package exports but imports only on first use (PEP 562).

A package's ``__init__`` runs before any of its submodules is imported, so one that
imports its heavy modules eagerly makes every light submodule pay for them. Such a
package lists its exports here instead and keeps ``TYPE_CHECKING`` imports for mypy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
from importlib import import_module


def lazy_exports(
    namespace: MutableMapping[str, object], exports: Mapping[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for a package whose ``exports`` map a name to the
    module that defines it; a name is imported once, then kept in ``namespace``."""

    def module_getattr(name: str) -> object:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        namespace[name] = value
        return value

    def module_dir() -> list[str]:
        return sorted({*namespace, *exports})

    return module_getattr, module_dir
