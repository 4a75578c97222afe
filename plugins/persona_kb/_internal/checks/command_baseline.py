"""The baseline in the commands ``check`` runs as steps: ``lint``, ``links``, ``examples``.

``persona-kb check --update-baseline`` records every step's known findings; each of these
commands, run on its own, honours the entries of its own step the same way: known findings
do not fail it, the summary says how many remain, and ``--update-baseline`` rewrites that
step's entries alone (the other steps' entries and the example failures are kept).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from persona_kb._internal.checks.findings_baseline import (
    findings,
    known_findings,
    read_findings,
    write_findings,
)
from persona_kb._internal.checks.results import StepResult, StepStatus
from persona_kb._internal.core.diagnostics import Diagnostic, PersonaKBError, has_errors
from persona_kb._internal.core.wording import plural


@dataclass(frozen=True, slots=True)
class Baselined:
    """A command's diagnostics without the known findings, and what to say about them."""

    diagnostics: tuple[Diagnostic, ...]
    note: str = ""
    """``2 baselined findings remain`` (and how many were fixed since), or ``""``."""
    known: int = 0
    """How many of the diagnostics the baseline knew (taken out)."""


def refuse_partial_update(update: bool, partial: str) -> None:
    """A usage error for ``--update-baseline`` on part of the site (``partial`` names
    what narrowed it, e.g. ``PATH``): it would drop the rest's entries."""
    if update and partial:
        raise PersonaKBError(
            f"--update-baseline records what the whole site has: run it without {partial}"
        )


def baseline_findings(
    step: str,
    diagnostics: Sequence[Diagnostic],
    *,
    baseline: Path,
    project: Path,
    update: bool = False,
    whole: bool = True,
    site: str | None = None,
) -> Baselined:
    """``step``'s ``diagnostics`` with the findings ``baseline`` knows taken out.

    With ``update``, the step's entries are rewritten first from ``diagnostics``.
    ``whole`` says the command looked at everything ``check``'s step looks at, so that
    known findings not seen count as fixed. ``site`` is how the built site's folder is
    shown in the diagnostics.
    """
    if update:
        found = findings(step, diagnostics, project, site)
        write_findings(baseline, {step: found})
        sys.stderr.write(
            f"persona-kb: {plural(len(found), f'{step} finding')} recorded in "
            f"{baseline.as_posix()}\n"
        )
    known = read_findings(baseline)
    status = StepStatus.FAILED if has_errors(diagnostics) else StepStatus.PASSED
    result = StepResult(step, status, "", tuple(diagnostics))
    (result,) = known_findings([result], known, project, site, count_fixed=whole)
    known_count = len(diagnostics) - len(result.diagnostics)
    return Baselined(result.diagnostics, result.summary.removeprefix("; "), known_count)
