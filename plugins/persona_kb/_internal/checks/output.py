"""Render a [`CheckReport`][persona_kb._internal.checks.pipeline.CheckReport].

As text, JSON, GitHub annotations or JUnit XML.
"""

from __future__ import annotations

import json

from persona_kb._internal.checks.command_report import error_cases
from persona_kb._internal.checks.pipeline import CheckReport, StepResult, StepStatus
from persona_kb._internal.core.diagnostics import Severity, summarize
from persona_kb._internal.core.junit import JUnitCase, JUnitSuite
from persona_kb._internal.core.junit import render_junit as render_junit_document
from persona_kb._internal.core.wording import plural

_MARK = {StepStatus.PASSED: "ok", StepStatus.FAILED: "FAILED", StepStatus.SKIPPED: "skipped"}


def summary_lines(report: CheckReport) -> list[str]:
    """The one summary: a line per step, then the verdict."""
    diagnostics = report.diagnostics()
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in diagnostics)
    lines = ["persona-kb check:"]
    for step in report.steps:
        lines.append(
            f"  {step.name:<9} {_MARK[step.status]:<8} {step.summary}"
            + (f" ({step.seconds:.1f}s)" if step.status is not StepStatus.SKIPPED else "")
        )
    verdict = "passed" if report.ok else "FAILED"
    lines.append(f"{verdict}: {plural(errors, 'error')}, {plural(warnings, 'warning')}")
    return lines


def render_text(report: CheckReport) -> str:
    """Every diagnostic as ``path:line:col: severity: message [CODE]``, then the summary."""
    lines = [d.format() for d in report.diagnostics()]
    if lines:
        lines.append("")
    lines.extend(summary_lines(report))
    return "\n".join(lines) + "\n"


def render_github(report: CheckReport) -> str:
    """GitHub Actions workflow commands (``::error file=…,line=…::…``), then the summary."""
    lines = [d.format_github() for d in report.diagnostics()]
    lines.extend(summary_lines(report))
    return "\n".join(lines) + "\n"


def render_json(report: CheckReport) -> str:
    """One JSON document: the verdict and counts, each step, then every diagnostic."""
    diagnostics = report.diagnostics()
    payload = {
        "summary": {"ok": report.ok, **summarize(diagnostics)},
        "steps": [
            {
                "name": step.name,
                "status": str(step.status),
                "summary": step.summary,
                "seconds": round(step.seconds, 3),
                "diagnostics": len(step.diagnostics),
            }
            for step in report.steps
        ],
        "diagnostics": [d.to_json() for d in diagnostics],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def render_step_summary(report: CheckReport) -> str:
    """A Markdown table for ``$GITHUB_STEP_SUMMARY``."""
    rows = [
        "### persona-kb check: " + ("passed" if report.ok else "failed"),
        "",
        "| step | status | summary | seconds |",
        "|---|---|---|---|",
    ]
    for step in report.steps:
        summary = step.summary.replace("|", "\\|")
        rows.append(f"| {step.name} | {_MARK[step.status]} | {summary} | {step.seconds:.1f} |")
    return "\n".join(rows) + "\n"


def render_junit(report: CheckReport) -> str:
    """JUnit XML: a test suite per step, a test case per error (with ``file`` and ``line``).

    A step without errors is one passing test case; a skipped step is one skipped case.
    """
    suites = [JUnitSuite(f"persona-kb {s.name}", _cases(s), s.seconds) for s in report.steps]
    return render_junit_document("persona-kb check", suites)


def _cases(step: StepResult) -> list[JUnitCase]:
    classname = f"persona-kb.{step.name}"
    if step.status is StepStatus.SKIPPED:
        return [JUnitCase(classname, step.name, "skipped", step.summary)]
    errors = error_cases(classname, step.diagnostics)
    if errors:
        return errors
    failed = step.status is StepStatus.FAILED
    return [
        JUnitCase(
            classname,
            step.name,
            "failed" if failed else "passed",
            message=step.summary if failed else "",
            text=step.summary,
            seconds=step.seconds,
        )
    ]


RENDERERS = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "junit": render_junit,
}
"""The report in each ``--format``."""
