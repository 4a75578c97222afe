"""One options model for the example checker and ``persona-kb check``.

Every entry point (CLI flags, pytest ini and command-line options, the plugin's
``examples:`` block in ``mkdocs.yml``) hands its raw values to
[`example_settings`][persona_kb._internal.config.options.example_settings], under the
name the user wrote, so that a value means the same everywhere and a bad value gets the
same error from every entry point: it names the option and its allowed values.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Literal, get_args

from persona_kb._internal.core.diagnostics import PersonaKBError, SourceSpan

DefaultTier = Literal["run", "no-run", "ignore"]
MissingModule = Literal["fail", "skip"]
UndefinedNames = Literal["warn", "fail"]
Isolation = Literal["page", "block"]

CHECK_STEPS = ("lint", "build", "export", "examples", "links")
"""The steps of ``persona-kb check``, in the order they run."""


@dataclass(frozen=True, slots=True)
class ExampleSettings:
    """How code examples are selected and run. Each field has a safe default."""

    timeout: float = 10.0
    """Seconds each block may run before its process group is killed."""
    memory_mb: int = 1024
    """Address space each block may add (RLIMIT_AS), in MiB; 0 for no limit."""
    default_tier: DefaultTier = "run"
    """Tier of blocks whose fence, marker comment or front matter sets none."""
    missing_module: MissingModule = "fail"
    """``fail`` or ``skip`` a block whose third-party import is not installed."""
    undefined_names: UndefinedNames = "warn"
    """``warn`` or ``fail`` when a ``no-run`` block uses a name nothing defines."""
    isolation: Isolation = "page"
    """``page``: one process per page, reused across its blocks; ``block``: one per block."""
    jobs: int | None = None
    """Worker processes in parallel; ``None`` chooses from the CPUs this process may use."""
    allow_shell: bool = False
    """Execute shell blocks marked ``run`` (otherwise shell blocks only get ``bash -n``)."""
    preludes: tuple[str, ...] = field(default=())
    """Prelude files run before every block, as written (relative to the project)."""


@dataclass(frozen=True, slots=True)
class OptionSource:
    """Where option values come from, to name each option as the user wrote it.

    ``spell`` turns a field name (``missing_module``) into the user's spelling
    (``--missing-module``, ``persona_kb_missing_module``, ``examples.missing_module``).
    """

    kind: Literal["cli", "pytest", "mkdocs"]
    span: SourceSpan | None = None

    def spell(self, name: str) -> str:
        """The option ``name`` as this entry point spells it."""
        if self.kind == "cli":
            return "--" + {"memory_mb": "memory"}.get(name, name).replace("_", "-")
        if self.kind == "pytest":
            return "persona_kb_" + {"memory_mb": "memory", "preludes": "prelude"}.get(name, name)
        return "examples." + name


_CHOICES: dict[str, tuple[str, ...]] = {
    "default_tier": get_args(DefaultTier),
    "missing_module": get_args(MissingModule),
    "undefined_names": get_args(UndefinedNames),
    "isolation": get_args(Isolation),
}
_FIELDS = frozenset(f.name for f in fields(ExampleSettings))


def example_settings(
    values: Mapping[str, object],
    source: OptionSource,
    *,
    base: ExampleSettings | None = None,
) -> ExampleSettings:
    """Validate raw option ``values`` (field name → value; ``None`` means unset) over ``base``.

    Raises [`PersonaKBError`][persona_kb.PersonaKBError] naming the option as
    ``source`` spells it and its allowed values.
    """
    settings = base or ExampleSettings()
    changes: dict[str, object] = {}
    for name, raw in values.items():
        if raw is None:
            continue
        if name not in _FIELDS:
            known = ", ".join(sorted(source.spell(f) for f in _FIELDS))
            raise _error(source, f"unknown option {source.spell(name)!r}; known: {known}")
        changes[name] = _validate(name, raw, source)
    return replace(settings, **changes)  # type: ignore[arg-type]


def _validate(name: str, raw: object, source: OptionSource) -> object:
    shown = source.spell(name)
    if name in _CHOICES:
        allowed = _CHOICES[name]
        if raw not in allowed:
            choices = ", ".join(allowed)
            raise _error(source, f"{shown} is {raw!r}; use one of: {choices}")
        return raw
    if name == "timeout":
        number = _number(raw)
        if number is None or number <= 0:
            raise _error(source, f"{shown} is {raw!r}; use a number of seconds above 0")
        return number
    if name == "memory_mb":
        number = _number(raw)
        if number is None or number < 0 or number != int(number):
            raise _error(source, f"{shown} is {raw!r}; use a whole number of MiB (0: no limit)")
        return int(number)
    if name == "jobs":
        if raw == "auto":
            return None
        number = _number(raw)
        if number is None or number < 1 or number != int(number):
            raise _error(source, f"{shown} is {raw!r}; use a positive whole number or 'auto'")
        return int(number)
    if name == "allow_shell":
        flag = _flag(raw)
        if flag is None:
            raise _error(source, f"{shown} is {raw!r}; use true or false")
        return flag
    # preludes
    items = [raw] if isinstance(raw, str | os.PathLike) else raw
    if not isinstance(items, list | tuple) or not all(
        isinstance(i, str | os.PathLike) for i in items
    ):
        raise _error(source, f"{shown} is {raw!r}; use a list of file paths")
    return tuple(os.fspath(i) for i in items)


def _number(raw: object) -> float | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(raw.strip())
        except ValueError:
            return None
    return None


def _flag(raw: object) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "1", "yes", "on"):
        return True
    if isinstance(raw, str) and raw.strip().lower() in ("false", "0", "no", "off"):
        return False
    return None


def _error(source: OptionSource, message: str) -> PersonaKBError:
    return PersonaKBError(f"invalid option: {message}", source.span)


def check_skips(values: list[str] | tuple[str, ...]) -> frozenset[str]:
    """Validate ``persona-kb check --skip`` values against the step names."""
    for value in values:
        if value not in CHECK_STEPS:
            raise PersonaKBError(
                f"invalid option: --skip is {value!r}; use one of: {', '.join(CHECK_STEPS)}"
            )
    return frozenset(values)
