"""The example runner's options, built from the settings every entry point shares."""

from __future__ import annotations

from pathlib import Path

from persona_kb._internal.checks.examples.prelude import discover_preludes
from persona_kb._internal.checks.examples.runner import ExampleOptions, default_jobs
from persona_kb._internal.config.options import ExampleSettings
from persona_kb._internal.core.diagnostics import PersonaKBError
from persona_kb._internal.core.paths import display_path


def runtime_options(
    settings: ExampleSettings,
    *,
    source: Path | None,
    root: Path | None = None,
    cwd: str | None = None,
) -> ExampleOptions:
    """The runner's options from the validated settings every entry point shares.

    ``source`` is the persona folder (its ``_preludes/`` are found), ``root`` the folder
    relative prelude paths are read from (the current directory by default). Raises
    [`PersonaKBError`][persona_kb.PersonaKBError] for a prelude that does not exist.
    """
    base = root or Path.cwd()
    prelude_files = [base / p for p in settings.preludes]
    for prelude in prelude_files:
        if not prelude.is_file():
            raise PersonaKBError(
                f"prelude {display_path(prelude)} not found; fix the prelude option's path"
            )
    return ExampleOptions(
        timeout=settings.timeout,
        memory_mb=settings.memory_mb,
        missing_module=settings.missing_module,
        undefined_names=settings.undefined_names,
        allow_shell=settings.allow_shell,
        isolation=settings.isolation,
        jobs=settings.jobs if settings.jobs is not None else default_jobs(),
        preludes=discover_preludes(source, prelude_files, root=base),
        cwd=cwd,
    )
