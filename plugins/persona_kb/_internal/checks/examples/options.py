"""The example runner's options, built from the settings every entry point shares."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from persona_kb._internal.checks.examples.baseline import BASELINE_FILE
from persona_kb._internal.checks.examples.fragments import relative_path
from persona_kb._internal.checks.examples.languages import normalise_language
from persona_kb._internal.checks.examples.prelude import discover_preludes
from persona_kb._internal.checks.examples.runner import ExampleOptions
from persona_kb._internal.checks.examples.spec import TIER_WORDS, Example
from persona_kb._internal.config.options import ExampleSettings
from persona_kb._internal.core.code_policy import CodePolicy
from persona_kb._internal.core.diagnostics import PersonaKBError
from persona_kb._internal.core.paths import display_path

if TYPE_CHECKING:
    from persona_kb._internal.checks.examples.site import SiteExamples
    from persona_kb._internal.config.site import SiteConfig


def runtime_options(
    settings: ExampleSettings,
    *,
    source: Path | None,
    root: Path | None = None,
    cwd: str | None = None,
    project: Path | None = None,
    codes: CodePolicy | None = None,
    code_roots: Sequence[Path] = (),
) -> ExampleOptions:
    """The runner's options from the validated settings every entry point shares.

    ``source`` is the persona folder (its ``_preludes/`` are found), ``root`` the folder
    relative prelude paths are read from (the current directory by default), ``project``
    the folder that folder defaults are relative to (``root`` by default); ``codes`` and
    ``code_roots`` are the code policy and the folders whose comments count. Raises
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
        jobs=settings.jobs if settings.jobs is not None else 0,  # 0: auto, per workload
        preludes=discover_preludes(source, prelude_files, root=base),
        cwd=cwd,
        scopes=settings,
        project=str(project or base),
        toolchains=settings.toolchains,
        codes=codes or CodePolicy(),
        code_roots=tuple(code_roots),
    )


def scoped_tier(example: Example, settings: ExampleSettings, project: Path) -> Example:
    """``example`` with the default tier of its language and folder, when nothing on the
    block, its page, its persona or its label chose one."""
    if not example.defaulted:
        return example
    where = relative_path(example.path, str(project))
    scoped = settings.defaults_for(example.language, where, normalise_language)
    tier = TIER_WORDS[scoped.default_tier or settings.default_tier]
    return example if tier is example.tier else replace(example, tier=tier)


def configured_examples(site: SiteConfig, settings: ExampleSettings) -> SiteExamples:
    """Every example the site renders, with the tiers the settings give by default."""
    from persona_kb._internal.checks.examples.site import site_examples

    found = site_examples(site, config_default=TIER_WORDS[settings.default_tier])
    return with_scoped_tiers(found, settings, site.project)


def with_scoped_tiers(
    found: SiteExamples, settings: ExampleSettings, project: Path
) -> SiteExamples:
    """``found`` with each example's default tier by language and folder applied."""
    if not settings.languages and not settings.folders:
        return found
    examples = tuple(scoped_tier(e, settings, project) for e in found.examples)
    return replace(found, examples=examples)


def baseline_path(settings: ExampleSettings, project: Path) -> Path:
    """The baseline file: the setting (relative to the project), else the default name."""
    return project / (settings.baseline or BASELINE_FILE)
