"""One command's findings, rendered as text, JSON, GitHub annotations or JUnit XML.

``lint``, ``links`` and ``export`` build a
[`CommandReport`][persona_kb._internal.checks.command_report.CommandReport] and render it
with [`render_report`][persona_kb._internal.checks.command_report.render_report], so the
four formats mean the same for each of them (``check`` and ``examples`` render their
richer reports in the same four shapes).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, summarize
from persona_kb._internal.core.junit import JUnitCase, JUnitSuite, render_junit


@dataclass(frozen=True, slots=True)
class CommandReport:
    """What one command found: its diagnostics and its summary."""

    command: str
    """The subcommand (``lint``): names the summary line and the JUnit suite."""
    diagnostics: Sequence[Diagnostic]
    """What is shown (a command may leave out infos: ``counted`` still counts them)."""
    summary: str
    """The human summary, after ``persona-kb <command>: ``."""
    counts: Mapping[str, object] = field(default_factory=dict)
    """The JSON ``summary`` fields besides the per-severity counts."""
    extra: Mapping[str, object] = field(default_factory=dict)
    """More top-level JSON keys (``personas`` for lint)."""
    counted: Sequence[Diagnostic] | None = None
    """The diagnostics the severity counts cover (default: ``diagnostics``)."""
    related_label: str = ""
    """Text format: print each related place on its own line after this label."""
    seconds: float = 0.0


def render_report(report: CommandReport, output_format: str) -> str:
    """``report`` in ``output_format`` (text, json, github or junit), ending in a newline."""
    if output_format == "json":
        return render_json(report)
    if output_format == "junit":
        return render_junit_report(report)
    lines: list[str] = []
    for d in report.diagnostics:
        if output_format == "github":
            lines.append(d.format_github())
            continue
        lines.append(d.format())
        if report.related_label:
            lines.extend(f"    {report.related_label} {r}" for r in d.related)
    lines.append(f"persona-kb {report.command}: {report.summary}")
    return "\n".join(lines) + "\n"


def render_json(report: CommandReport) -> str:
    """``{"summary": {...}, <extra>, "diagnostics": [...]}``."""
    counted = report.diagnostics if report.counted is None else report.counted
    payload: dict[str, object] = {"summary": {**report.counts, **summarize(counted)}}
    payload.update(report.extra)
    payload["diagnostics"] = [d.to_json() for d in report.diagnostics]
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def render_junit_report(report: CommandReport) -> str:
    """One suite: a failed case per error (with ``file`` and ``line``), else one passed case."""
    classname = f"persona-kb.{report.command}"
    cases = error_cases(classname, report.diagnostics) or [
        JUnitCase(classname, report.command, "passed", text=report.summary)
    ]
    suite = JUnitSuite(f"persona-kb {report.command}", cases, report.seconds)
    return render_junit(f"persona-kb {report.command}", [suite])


def error_cases(classname: str, diagnostics: Sequence[Diagnostic]) -> list[JUnitCase]:
    """A failed JUnit case per error diagnostic, named and placed at its ``path:line``."""
    return [
        JUnitCase(
            classname,
            f"{d.span} [{d.code}]",
            "failed",
            message=d.message,
            text=d.format(),
            kind=d.code,
            file=d.span.path,
            line=d.span.line,
        )
        for d in diagnostics
        if d.severity is Severity.ERROR
    ]
