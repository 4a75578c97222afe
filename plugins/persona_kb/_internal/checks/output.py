"""Render a [`CheckReport`][persona_kb._internal.checks.pipeline.CheckReport].

As text, GitHub annotations or JUnit XML.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

from persona_kb._internal.checks.pipeline import CheckReport, StepResult, StepStatus
from persona_kb._internal.core.diagnostics import Diagnostic, Severity

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
    lines.append(f"{verdict}: {errors} errors, {warnings} warnings")
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
    suites = ET.Element("testsuites", name="persona-kb check")
    total_tests = total_failures = total_skipped = 0
    for step in report.steps:
        cases = _cases(step)
        failures = sum(1 for c in cases if c.find("failure") is not None)
        skipped = sum(1 for c in cases if c.find("skipped") is not None)
        suite = ET.SubElement(
            suites,
            "testsuite",
            name=f"persona-kb {step.name}",
            tests=str(len(cases)),
            failures=str(failures),
            errors="0",
            skipped=str(skipped),
            time=f"{step.seconds:.3f}",
        )
        suite.extend(cases)
        total_tests += len(cases)
        total_failures += failures
        total_skipped += skipped
    suites.set("tests", str(total_tests))
    suites.set("failures", str(total_failures))
    suites.set("errors", "0")
    suites.set("skipped", str(total_skipped))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(suites, "unicode") + "\n"


def _cases(step: StepResult) -> list[ET.Element]:
    classname = f"persona-kb.{step.name}"
    if step.status is StepStatus.SKIPPED:
        case = ET.Element("testcase", classname=classname, name=step.name, time="0")
        ET.SubElement(case, "skipped", message=step.summary)
        return [case]
    errors: Sequence[Diagnostic] = [d for d in step.diagnostics if d.severity is Severity.ERROR]
    if not errors:
        case = ET.Element(
            "testcase", classname=classname, name=step.name, time=f"{step.seconds:.3f}"
        )
        if step.status is StepStatus.FAILED:
            ET.SubElement(case, "failure", message=step.summary, type="failed")
        else:
            out = ET.SubElement(case, "system-out")
            out.text = step.summary
        return [case]
    cases = []
    for d in errors:
        case = ET.Element(
            "testcase",
            classname=classname,
            name=f"{d.span} [{d.code}]",
            file=d.span.path,
            line=str(d.span.line),
            time="0",
        )
        failure = ET.SubElement(case, "failure", message=d.message, type=d.code)
        failure.text = d.format()
        cases.append(case)
    return cases
