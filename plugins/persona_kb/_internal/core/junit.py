"""The one JUnit XML writer: ``persona-kb check`` and ``persona-kb examples`` both use it.

Callers describe suites and cases as data; this module owns the XML (element and
attribute names, counts, escaping), so every report reads the same in CI tools.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal
from xml.etree import ElementTree as ET


@dataclass(frozen=True, slots=True)
class JUnitCase:
    """One ``<testcase>``; ``outcome`` says whether it passed, failed or was skipped."""

    classname: str
    name: str
    outcome: Literal["passed", "failed", "skipped"] = "passed"
    message: str = ""
    """The failure's or skip's one-line message (``message=`` attribute)."""
    text: str = ""
    """The failure's body, or a passing case's ``<system-out>``."""
    kind: str = "failed"
    """The failure's ``type=`` (a diagnostic code or an exception name)."""
    file: str | None = None
    line: int | None = None
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class JUnitSuite:
    """One ``<testsuite>`` of cases."""

    name: str
    cases: Sequence[JUnitCase]
    seconds: float | None = None


def render_junit(name: str, suites: Sequence[JUnitSuite]) -> str:
    """The JUnit XML document ``<testsuites name=…>`` with counts on every level."""
    root = ET.Element("testsuites", name=name)
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for suite in suites:
        failures = sum(c.outcome == "failed" for c in suite.cases)
        skipped = sum(c.outcome == "skipped" for c in suite.cases)
        seconds = (
            suite.seconds if suite.seconds is not None else sum(c.seconds for c in suite.cases)
        )
        node = ET.SubElement(
            root,
            "testsuite",
            name=suite.name,
            tests=str(len(suite.cases)),
            failures=str(failures),
            errors="0",
            skipped=str(skipped),
            time=f"{seconds:.3f}",
        )
        for case in suite.cases:
            node.append(_case(case))
        totals["tests"] += len(suite.cases)
        totals["failures"] += failures
        totals["skipped"] += skipped
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("errors", "0")
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _case(case: JUnitCase) -> ET.Element:
    node = ET.Element("testcase", classname=case.classname, name=case.name)
    if case.file is not None:
        node.set("file", case.file)
    if case.line is not None:
        node.set("line", str(case.line))
    node.set("time", f"{case.seconds:.3f}")
    if case.outcome == "failed":
        failure = ET.SubElement(node, "failure", message=case.message, type=case.kind)
        failure.text = case.text or case.message
    elif case.outcome == "skipped":
        ET.SubElement(node, "skipped", message=case.message)
    elif case.text:
        ET.SubElement(node, "system-out").text = case.text
    return node
