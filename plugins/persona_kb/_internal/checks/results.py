"""What ``persona-kb check`` runs and what each step found: plain data, no logic."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from persona_kb._internal.config.options import CHECK_STEPS, ExampleSettings
from persona_kb._internal.config.site import SiteConfig
from persona_kb._internal.core.diagnostics import Diagnostic, sort_diagnostics

STEPS = CHECK_STEPS
"""The steps of ``persona-kb check``, in the order they run."""


class StepStatus(StrEnum):
    """How a step ended."""

    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class StepResult:
    """One step: its status, a one-line summary, and what it found."""

    name: str
    status: StepStatus
    summary: str
    diagnostics: tuple[Diagnostic, ...] = ()
    seconds: float = 0.0

    @property
    def ran(self) -> bool:
        """The step ran (it was neither left out nor without anything to check)."""
        return self.status is not StepStatus.SKIPPED


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """What ``persona-kb check`` runs, and how."""

    site: SiteConfig
    """The site, read by the one config reader."""
    skip: frozenset[str] = frozenset()
    site_dir: Path | None = None
    """Build into this folder (kept) instead of a temporary one."""
    examples: ExampleSettings | None = None
    """How examples are checked; ``None`` takes the site's ``examples:`` settings."""
    external_links: bool = False
    update_baseline: bool = False
    """Record the current example failures and every step's findings in the baseline
    instead of failing on them."""

    @property
    def config_path(self) -> Path:
        """The site's config file."""
        return self.site.config_path


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Every step's result, in order."""

    steps: tuple[StepResult, ...] = field(default=())

    @property
    def ok(self) -> bool:
        """No step failed."""
        return all(step.status is not StepStatus.FAILED for step in self.steps)

    def diagnostics(self) -> list[Diagnostic]:
        """All diagnostics, sorted; one a place: a problem several steps see is shown once."""
        seen: set[tuple[str, str, int, str]] = set()
        unique: list[Diagnostic] = []
        for step in self.steps:
            for d in step.diagnostics:
                key = (d.code, d.span.path, d.span.line, d.message.removeprefix(BUILD_PREFIX))
                if key not in seen:
                    seen.add(key)
                    unique.append(d)
        return sort_diagnostics(unique)


BUILD_PREFIX = "mkdocs build --strict: "
