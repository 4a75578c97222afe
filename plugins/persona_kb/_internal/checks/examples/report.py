"""Results as data, and the text / JSON / JUnit / GitHub renderers."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from persona_kb._internal.checks.examples.spec import Example, Tier
from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan, github_command
from persona_kb._internal.core.junit import JUnitCase, JUnitSuite
from persona_kb._internal.core.junit import render_junit as render_junit_document
from persona_kb._internal.core.wording import plural

_SEP = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"

RUN_LANGUAGES = frozenset({"python", "pycon", "javascript", "typescript"})
"""Languages whose blocks are executed (the others are parsed, compiled or skipped)."""
_NOT_RUN_KINDS = frozenset({"SyntaxError", "IndentationError", "TabError"})
COVERAGE_KINDS = ("executed", "compiled", "parsed", "skipped")


class Status(StrEnum):
    """What happened to one example."""

    PASSED = "passed"
    """Ran (or parsed) and met its tier."""
    COMPILED = "compiled"
    """A ``no-run`` python block: it compiles."""
    FAILED = "failed"
    SKIPPED = "skipped"
    """Not run, with a reason (a missing module configured to skip)."""
    IGNORED = "ignored"
    NOT_CHECKED = "not-checked"
    """A language persona-kb has no check for: counted, never a silent pass."""
    BASELINED = "baselined"
    """Failed, as recorded in the baseline: reported as remaining, not as a new failure."""


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """The outcome of checking one example.

    ``line`` is the source line of the failure (the line inside the block);
    ``code`` is the stable diagnostic code (``PKB600`` …) when it did not pass.
    """

    example: Example
    status: Status
    code: str = ""
    kind: str = ""
    message: str = ""
    line: int | None = None
    file: str = ""
    output: str = ""
    traceback: str = ""
    warnings: tuple[Diagnostic, ...] = ()
    duration: float = 0.0
    parsed_only: bool = False
    """Checked by a parser only (a JS/TS block when Node is not installed …)."""
    toolchain: bool = False
    """Compiled and run by an opted-in toolchain (go, rustc, java …)."""

    @property
    def executed(self) -> bool:
        """Whether a python block really ran (pass or fail), not merely compiled."""
        return self.example.language == "python" and self.ran

    @property
    def ran(self) -> bool:
        """Whether the block really ran (pass or fail), in any language."""
        if self.toolchain:
            return self.status in {Status.PASSED, Status.FAILED, Status.BASELINED}
        return (
            self.example.language in RUN_LANGUAGES
            and not self.parsed_only
            and self.status in {Status.PASSED, Status.FAILED, Status.BASELINED}
            and self.example.tier in {Tier.RUN, Tier.RAISES}
            and self.kind not in _NOT_RUN_KINDS
        )

    @property
    def coverage_kind(self) -> str:
        """How the block was covered: ``executed``, ``compiled``, ``parsed`` or ``skipped``."""
        if self.status in {Status.SKIPPED, Status.IGNORED, Status.NOT_CHECKED}:
            return "skipped"
        if self.ran:
            return "executed"
        if self.example.language in RUN_LANGUAGES:
            return "compiled"
        return "parsed"

    @property
    def span(self) -> SourceSpan:
        """Where to report: the failing line, else the block's first line."""
        return SourceSpan(self.file or self.example.path, self.line or self.example.first_line)

    def diagnostic(self) -> Diagnostic | None:
        """The failure as a [`Diagnostic`][persona_kb.Diagnostic] (``None`` if it passed)."""
        if self.status not in {Status.FAILED, Status.SKIPPED}:
            return None
        severity = Severity.ERROR if self.status is Status.FAILED else Severity.WARNING
        text = f"{self.kind}: {self.message}" if self.kind else self.message
        return Diagnostic(self.code or "PKB600", severity, text + self._where(), self.span)

    def _where(self) -> str:
        """`` (on PAGE > Heading; also on …)``: the pages and heading that show the example."""
        e = self.example
        section = e.heading.split(f" {_SEP} ", 1)[-1] if e.heading else ""
        also = f"; also on {', '.join(e.also_on)}" if e.also_on else ""
        if e.page and e.page != self.span.path:
            return f" (on {e.page}" + (f" {_SEP} {section}" if section else "") + also + ")"
        return f" (in {section}{also})" if section else (f" ({also[2:]})" if also else "")


@dataclass(frozen=True, slots=True)
class PageSummary:
    """Counts for one page: what ran, what only compiled, what was ignored or unchecked."""

    page: str
    run: int = 0
    failed: int = 0
    no_run: int = 0
    ignored: int = 0
    not_checked: int = 0
    parsed: int = 0


@dataclass(frozen=True, slots=True)
class ExampleReport:
    """Every result of one check, plus diagnostics from selection (bad markers …)."""

    results: tuple[ExampleResult, ...]
    diagnostics: tuple[Diagnostic, ...] = field(default=())
    sandbox: tuple[str, ...] = field(default=())
    """What the example sandbox could not enforce on this machine (empty: all of it)."""

    @property
    def failures(self) -> tuple[ExampleResult, ...]:
        """Results that failed."""
        return tuple(r for r in self.results if r.status is Status.FAILED)

    @property
    def ok(self) -> bool:
        """No failure and no error diagnostic."""
        return not self.failures and not any(d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def baselined(self) -> int:
        """Failures recorded in the baseline (they do not fail the check)."""
        return sum(1 for r in self.results if r.status is Status.BASELINED)

    def coverage(self) -> dict[str, dict[str, int]]:
        """Per language: how many blocks were executed, compiled, parsed and skipped."""
        table: dict[str, dict[str, int]] = {}
        for r in self.results:
            counts = table.setdefault(r.example.language or "unlabeled", {})
            counts[r.coverage_kind] = counts.get(r.coverage_kind, 0) + 1
        return table

    @property
    def python_blocks(self) -> int:
        """How many python blocks were selected (every tier)."""
        return sum(1 for r in self.results if r.example.language == "python")

    @property
    def executed_coverage(self) -> float:
        """The share of python blocks that really ran (0.0 to 1.0; 1.0 when there are none)."""
        total = self.python_blocks
        return sum(1 for r in self.results if r.executed) / total if total else 1.0

    def all_diagnostics(self) -> list[Diagnostic]:
        """Selection diagnostics, then failures and warnings, in result order."""
        out = list(self.diagnostics)
        for result in self.results:
            found = result.diagnostic()
            if found is not None:
                out.append(found)
            out.extend(result.warnings)
        return out

    def page_summaries(self) -> list[PageSummary]:
        """One summary per page (the page the example is shown on, or its file)."""
        counts: dict[str, dict[str, int]] = {}
        for r in self.results:
            c = counts.setdefault(r.example.page or r.example.path, {})
            if r.status is Status.IGNORED:
                key = "ignored"
            elif r.status is Status.NOT_CHECKED:
                key = "not_checked"
            else:
                key = {"executed": "run", "compiled": "no_run", "parsed": "parsed"}.get(
                    r.coverage_kind, "not_checked"
                )
            c[key] = c.get(key, 0) + 1
            if r.status is Status.FAILED:
                c["failed"] = c.get("failed", 0) + 1
        return [PageSummary(page, **c) for page, c in sorted(counts.items())]


def neutralise_workflow_commands(text: str) -> str:
    """Prefix ``| `` to every line that a CI runner would take as a command
    (``::stop-commands::…``, ``::error::…``, ``##[…]``): examples' messages, tracebacks and
    output are untrusted text, and CI logs show whatever we print."""
    lines = text.split("\n")
    for n, line in enumerate(lines):
        bare = line.lstrip()
        if bare.startswith(("::", "##[")):
            lines[n] = "| " + line
    return "\n".join(lines)


def render_text(report: ExampleReport, *, verbose: bool = False) -> str:
    """The human report: each problem at ``path:line``, then per-page counts and coverage."""
    lines: list[str] = [d.format() for d in report.all_diagnostics()]
    if verbose:
        for r in report.failures:
            if r.traceback or r.output:
                lines.append(f"--- {r.example.name}")
                lines.extend(x for x in (r.traceback.rstrip(), r.output.rstrip()) if x)
    if lines:
        lines.append("")
    for s in report.page_summaries():
        lines.append(
            f"{s.page}: {s.failed} failed; {s.run} run, {s.no_run} no-run, "
            f"{s.parsed} parsed, {s.ignored} ignored, {s.not_checked} not checked"
        )
    lines.extend(coverage_lines(report.coverage()))
    total = len(report.results)
    baselined = f", {report.baselined} baselined" if report.baselined else ""
    lines.append(
        f"{plural(total, 'example')}, {len(report.failures)} failed{baselined}; "
        f"{executed_coverage_text(report)}"
    )
    lines.extend(f"sandbox: not enforced here: {statement}" for statement in report.sandbox)
    return neutralise_workflow_commands("\n".join(lines)) + "\n"


def executed_coverage_text(report: ExampleReport) -> str:
    """``executed coverage 93% of 29 python blocks``, or ``no python blocks``."""
    if not report.python_blocks:
        return "no python blocks"
    blocks = plural(report.python_blocks, "python block")
    return f"executed coverage {report.executed_coverage:.0%} of {blocks}"


def coverage_lines(table: dict[str, dict[str, int]]) -> list[str]:
    """``python: 29 blocks: 26 executed, 3 compiled`` per language, most blocks first."""
    out = []
    for language, counts in sorted(table.items(), key=lambda kv: (-sum(kv[1].values()), kv[0])):
        total = sum(counts.values())
        parts = ", ".join(f"{counts[k]} {k}" for k in COVERAGE_KINDS if counts.get(k))
        out.append(f"{language}: {total} block{'s' if total != 1 else ''}: {parts}")
    return out


def _result_json(r: ExampleResult) -> dict[str, object]:
    e = r.example
    return {
        "id": e.name,
        "path": e.path,
        "line": r.span.line,
        "block_line": e.first_line,
        "page": e.page,
        "heading": e.heading,
        "language": e.language,
        "tier": str(e.tier),
        "status": str(r.status),
        "code": r.code,
        "kind": r.kind,
        "message": r.message,
        "executed": r.executed,
        "coverage": r.coverage_kind,
        "also_on": list(e.also_on),
        "duration": round(r.duration, 4),
    }


def render_json(report: ExampleReport) -> str:
    """A stable JSON document: results, diagnostics, per-page summary and coverage."""
    document = {
        "ok": report.ok,
        "executed_coverage": round(report.executed_coverage, 4),
        "python_blocks": report.python_blocks,
        "sandbox_not_enforced": list(report.sandbox),
        "baselined": report.baselined,
        "coverage": report.coverage(),
        "results": [_result_json(r) for r in report.results],
        "diagnostics": [d.to_json() for d in report.all_diagnostics()],
        "pages": [
            {
                "page": s.page,
                "run": s.run,
                "failed": s.failed,
                "no_run": s.no_run,
                "parsed": s.parsed,
                "ignored": s.ignored,
                "not_checked": s.not_checked,
            }
            for s in report.page_summaries()
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_junit(report: ExampleReport) -> str:
    """JUnit XML: one testsuite per page, one testcase per example."""
    by_page: dict[str, list[ExampleResult]] = {}
    for r in report.results:
        by_page.setdefault(r.example.page or r.example.path, []).append(r)
    suites = [
        JUnitSuite(page, [_junit_case(page, r) for r in results])
        for page, results in sorted(by_page.items())
    ]
    return render_junit_document("persona-kb examples", suites)


def _junit_case(page: str, r: ExampleResult) -> JUnitCase:
    outcome: Literal["passed", "failed", "skipped"] = (
        "failed" if r.status is Status.FAILED else "skipped" if r.status in _SKIPPISH else "passed"
    )
    message = f"{r.span}: {r.message}" if outcome == "failed" else r.message or str(r.status)
    return JUnitCase(
        classname=page,
        name=r.example.name,
        outcome=outcome,
        message=message if outcome != "passed" else "",
        text=(r.traceback or r.message) if outcome == "failed" else "",
        kind=r.kind,
        file=r.span.path,
        line=r.span.line,
        seconds=r.duration,
    )


_SKIPPISH = frozenset({Status.SKIPPED, Status.IGNORED, Status.NOT_CHECKED, Status.BASELINED})


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def render_github(report: ExampleReport) -> str:
    """GitHub Actions workflow commands, one per problem, then the summary line."""
    lines = [d.format_github() for d in report.all_diagnostics()]
    lines.extend(
        f"::warning title=persona-kb sandbox::not enforced here: {_escape_data(statement)}"
        for statement in report.sandbox
    )
    lines.append(
        github_command(
            "notice",
            f"{plural(len(report.results), 'example')}, {len(report.failures)} failed, "
            + executed_coverage_text(report),
            title="persona-kb examples",
        )
    )
    return "\n".join(lines) + "\n"


RENDERERS = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "github": render_github,
}


def merge_reports(reports: Iterable[ExampleReport]) -> ExampleReport:
    """One report from several (for example one per xdist worker)."""
    results: list[ExampleResult] = []
    diagnostics: list[Diagnostic] = []
    sandbox: dict[str, None] = {}
    for r in reports:
        results.extend(r.results)
        diagnostics.extend(r.diagnostics)
        sandbox.update(dict.fromkeys(r.sandbox))
    return ExampleReport(tuple(results), tuple(diagnostics), tuple(sandbox))


def format_failure(result: ExampleResult) -> str:
    """A failure for humans: ``path:line: Kind: message``, where it is shown, then details."""
    e = result.example
    lines = [
        f"{result.span}: {result.kind}: {result.message}"
        if result.kind
        else f"{result.span}: {result.message}"
    ]
    section = e.heading.split(f" {_SEP} ", 1)[-1] if e.heading else ""
    if e.page and e.page != e.path:
        lines.append(f"  shown on {e.page}" + (f" {_SEP} {section}" if section else ""))
    if e.also_on:
        lines.append(f"  also shown on {', '.join(e.also_on)}")
    if e.path != result.span.path:
        lines.append(f"  in the example at {e.location}")
    if result.traceback.strip():
        lines.extend(["", result.traceback.rstrip()])
    if result.output.strip():
        lines.extend(["", "--- output of the block ---", result.output.rstrip()])
    return neutralise_workflow_commands("\n".join(lines))
