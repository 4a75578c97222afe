"""The pytest plugin's terminal summary: coverage per language, baselined failures."""

from __future__ import annotations

from typing import Any

import pytest


class CoverageTally:
    """Counts examples per language and how each was covered (executed, parsed, compiled,
    skipped); works under xdist, where the properties travel with each report."""

    def __init__(self) -> None:
        self.by_language: dict[str, dict[str, int]] = {}
        self.sandbox_missing: dict[str, None] = {}
        self.baselined = 0

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Count one example's call report (or its skip at setup)."""
        props = dict(report.user_properties)
        for key, value in report.user_properties:
            if key == "persona_kb_sandbox_missing":
                self.sandbox_missing[str(value)] = None
        counted = report.when == "call" or (report.when == "setup" and report.skipped)
        self.baselined += report.when == "call" and "persona_kb_baselined" in props
        if "persona_kb_language" not in props or not counted:
            return
        outcome = str(props.get("persona_kb_outcome", "skipped"))
        counts = self.by_language.setdefault(str(props["persona_kb_language"]) or "unlabeled", {})
        counts[outcome] = counts.get(outcome, 0) + 1

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Coverage per language, then the executed share of python blocks."""
        from persona_kb._internal.checks.examples.report import coverage_lines

        if not self.by_language:
            return
        terminalreporter.write_sep("-", "persona-kb")
        for line in coverage_lines(self.by_language):
            terminalreporter.write_line(f"persona-kb: {line}")
        if self.baselined:
            one = self.baselined == 1
            terminalreporter.write_line(
                f"persona-kb: {self.baselined} baselined failure{'' if one else 's'} "
                f"remain{'s' if one else ''} (xfailed: they do not fail the run)"
            )
        for statement in self.sandbox_missing:
            terminalreporter.write_line(f"persona-kb: sandbox not enforced here: {statement}")
