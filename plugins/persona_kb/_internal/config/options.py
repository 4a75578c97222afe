"""One options model for the example checker and ``persona-kb check``.

Every entry point (CLI flags, pytest ini and command-line options, the plugin's
``examples:`` block in ``mkdocs.yml``) hands its raw values to
[`example_settings`][persona_kb._internal.config.options.example_settings], under the
name the user wrote, so that a value means the same everywhere and a bad value gets the
same error from every entry point: it names the option and its allowed values.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import PurePosixPath
from typing import Literal, get_args

from persona_kb._internal.core.diagnostics import PersonaKBError, SourceSpan

DefaultTier = Literal["run", "no-run", "ignore"]
MissingModule = Literal["fail", "skip"]
UndefinedNames = Literal["warn", "fail"]
Isolation = Literal["page", "block"]
Placeholders = Literal["fail", "skip"]

TOOLCHAINS = ("go", "rust", "java", "c", "cpp")
"""Toolchains a user may opt into (``toolchains:``); each runs only where it is installed."""
SCOPED_KEYS = ("default_tier", "missing_module", "placeholders")
"""The settings that can differ by language and by source folder."""


@dataclass(frozen=True, slots=True)
class ScopedDefaults:
    """Defaults for the blocks of one language or one source folder (``None``: inherit)."""

    default_tier: DefaultTier | None = None
    missing_module: MissingModule | None = None
    placeholders: Placeholders | None = None


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
    """Worker processes in parallel; ``None`` chooses from the idle CPUs this process may use
    and the number of blocks to run (see ``checks/examples/jobs.py``)."""
    allow_shell: bool = False
    """Execute shell blocks marked ``run`` (otherwise shell blocks only get ``bash -n``)."""
    preludes: tuple[str, ...] = field(default=())
    """Prelude files run before every block, as written (relative to the project)."""
    placeholders: Placeholders = "fail"
    """``skip``: a block that does not parse or compile and holds a placeholder (``<id>``,
    ``{{ name }}``, ``YOUR_API_KEY``, a ``...`` line) is a fragment: skipped, with a warning."""
    languages: tuple[tuple[str, ScopedDefaults], ...] = field(default=())
    """Defaults by block language (``typescript``: ``missing_module: skip`` …)."""
    folders: tuple[tuple[str, ScopedDefaults], ...] = field(default=())
    """Defaults by source folder (relative to the project); they win over ``languages``,
    and a longer folder over a shorter one."""
    baseline: str | None = None
    """The baseline file (relative to the project; default ``persona-kb-baseline.json``)."""
    toolchains: tuple[str, ...] = field(default=())
    """Opt-in toolchains (``go``, ``rust``, ``java``, ``c``, ``cpp``) that compile and run
    complete programs of their language in the sandbox, where they are installed."""

    def defaults_for(
        self, language: str, path: str, normalise: Callable[[str], str] = str.lower
    ) -> ScopedDefaults:
        """The tier, missing-module and placeholder policy for a block of ``language``
        written in ``path``: the global value, then its language's, then its folder's."""
        found = {key: getattr(self, key) for key in SCOPED_KEYS}
        layers = [d for name, d in self.languages if normalise(name) == normalise(language)]
        where = PurePosixPath(path.replace("\\", "/")).as_posix().removeprefix("./")
        folders = [(len(name), d) for name, d in self.folders if _inside(where, name.strip("/"))]
        layers += [d for _, d in sorted(folders, key=lambda item: item[0])]
        for layer in layers:
            found.update({k: getattr(layer, k) for k in SCOPED_KEYS if getattr(layer, k)})
        return ScopedDefaults(**found)


def _inside(path: str, folder: str) -> bool:
    folder = folder.removeprefix("./")
    return not folder or folder == "." or path == folder or path.startswith(folder + "/")


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
            return "--" + _CLI_NAMES.get(name, name).replace("_", "-")
        if self.kind == "pytest":
            return "persona_kb_" + _PYTEST_NAMES.get(name, name)
        return "examples." + name


_CLI_NAMES = {
    "memory_mb": "memory",
    "preludes": "prelude",
    "languages": "language_defaults",
    "folders": "folder_defaults",
    "toolchains": "toolchain",
}
_PYTEST_NAMES = {
    "memory_mb": "memory",
    "preludes": "prelude",
    "languages": "language_defaults",
    "folders": "folder_defaults",
}


_CHOICES: dict[str, tuple[str, ...]] = {
    "default_tier": get_args(DefaultTier),
    "missing_module": get_args(MissingModule),
    "undefined_names": get_args(UndefinedNames),
    "isolation": get_args(Isolation),
    "placeholders": get_args(Placeholders),
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
    if name in {"languages", "folders"}:
        return _scoped(name, raw, source)
    if name == "baseline":
        if not isinstance(raw, str | os.PathLike) or not os.fspath(raw).strip():
            raise _error(source, f"{shown} is {raw!r}; use a file path")
        return os.fspath(raw)
    if name == "toolchains":
        names = _names(raw)
        unknown = [n for n in names or () if n not in TOOLCHAINS]
        if names is None or unknown:
            choices = ", ".join(TOOLCHAINS)
            raise _error(source, f"{shown} is {raw!r}; use a list of: {choices}")
        return tuple(dict.fromkeys(names))
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


def _names(raw: object) -> list[str] | None:
    """A list of names from a list or a comma/space-separated string."""
    if isinstance(raw, str):
        return [n for n in raw.replace(",", " ").split() if n]
    if isinstance(raw, list | tuple) and all(isinstance(n, str) for n in raw):
        return [n.strip() for n in raw if n.strip()]
    return None


def _scoped(name: str, raw: object, source: OptionSource) -> tuple[tuple[str, ScopedDefaults], ...]:
    """``languages``/``folders``: a mapping ``{scope: {key: value}}`` (``mkdocs.yml``), or
    lines ``"scope: key=value, key=value"`` (CLI flags, pytest ini, also ``mkdocs.yml``)."""
    shown = source.spell(name)
    entries: list[tuple[str, object]] = []
    if isinstance(raw, Mapping):
        entries = [(str(k), v) for k, v in raw.items()]
    else:
        lines = [raw] if isinstance(raw, str) else raw
        if not isinstance(lines, list | tuple) or not all(isinstance(i, str) for i in lines):
            raise _error(source, f"{shown} is {raw!r}; use 'SCOPE: key=value, …' entries")
        for line in lines:
            scope, colon, rest = line.partition(":")
            pairs = [p.partition("=") for p in rest.split(",") if p.strip()]
            if not colon or not scope.strip() or any(not eq for _, eq, _ in pairs):
                raise _error(source, f"{shown} entry {line!r}: use 'SCOPE: key=value, …'")
            entries.append((scope, {k.strip(): v.strip() for k, _, v in pairs}))
    out: dict[str, ScopedDefaults] = {}
    for scope, values in entries:
        where = f"{shown} entry {scope.strip()!r}"
        if not isinstance(values, Mapping):
            raise _error(source, f"{where} is {values!r}; use a mapping of settings")
        for key, value in values.items():
            if key not in SCOPED_KEYS:
                raise _error(source, f"{where}: unknown key {key!r}; use {', '.join(SCOPED_KEYS)}")
            if value not in _CHOICES[key]:
                raise _error(
                    source, f"{where}: {key} is {value!r}; use one of: {', '.join(_CHOICES[key])}"
                )
        out[scope.strip()] = ScopedDefaults(**{str(k): v for k, v in values.items()})
    return tuple(out.items())


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
