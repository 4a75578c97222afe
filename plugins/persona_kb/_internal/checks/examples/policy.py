"""An example's result as the code policy says: ignored, a warning, or a failure.

The runner applies this to every result it returns, so ``persona-kb examples``,
``persona-kb check`` and the pytest plugin agree: an ignored code is not a failure
(``ignored``), a code set to ``warning`` or ``info`` is reported without failing
(``skipped``, with the message), and a warning set to ``error`` fails the example.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from persona_kb._internal.checks.examples.report import ExampleResult, Status
from persona_kb._internal.core.code_policy import CodePolicy
from persona_kb._internal.core.diagnostics import Diagnostic, Severity
from persona_kb._internal.ingest.directives import DirectiveFiles, apply_code_policy


def apply_result_policy(
    result: ExampleResult,
    codes: CodePolicy,
    roots: Sequence[Path],
    files: DirectiveFiles | None = None,
) -> ExampleResult:
    """``result`` with its status and warnings as ``codes`` and inline comments say
    (``files``: the comments read so far, for ``roots``, kept by the caller)."""
    diagnostic = result.diagnostic()
    if diagnostic is None and not result.warnings:
        return result
    if not codes.configured and not (codes.inline and roots):
        return result

    def policed(found: Sequence[Diagnostic]) -> list[Diagnostic]:
        return apply_code_policy(found, codes, roots=roots, report_problems=False, files=files)

    warnings = tuple(policed(result.warnings))
    status, code, message = result.status, result.code, result.message
    if diagnostic is not None:
        kept = policed([diagnostic])
        if not kept:
            status = Status.IGNORED
            message = f"{diagnostic.code} ignored by the code policy: {result.message}"
        elif kept[0].severity is Severity.ERROR:
            status = Status.FAILED
        else:
            status = Status.SKIPPED  # reported as a warning, not a failure
    raised = [w for w in warnings if w.severity is Severity.ERROR]
    if raised and status is not Status.FAILED:
        status, code, message = Status.FAILED, raised[0].code, raised[0].message
        warnings = tuple(w for w in warnings if w is not raised[0])
    return replace(result, status=status, code=code, message=message, warnings=warnings)
