"""A timeout is the machine's load, not the block: it neither hides nor reveals a change."""

from __future__ import annotations

from pathlib import Path

from persona_kb._internal.checks.examples.baseline import (
    apply_baseline,
    read_baseline,
    write_baseline,
)
from persona_kb._internal.checks.examples.report import ExampleReport, ExampleResult, Status
from persona_kb._internal.checks.examples.spec import Example

NUMPY = "import numpy as np\nimport cupy as cp\n"
MISSING = ("PKB604", "ModuleNotFoundError", "module cupy is not installed")
TIMEOUT = ("PKB602", "Timeout", "the block did not finish within 10 s")


def _failed(code: str, how: tuple[str, str, str], path: str = "kb/gpu.md") -> ExampleResult:
    example = Example("python", code, path, (12, 13), 11, heading="NumPy to CuPy")
    return ExampleResult(example, Status.FAILED, how[0], how[1], how[2], line=12)


def _statuses(tmp_path: Path, then: list[ExampleResult], now: list[ExampleResult]) -> list[str]:
    baseline_file = tmp_path / "persona-kb-baseline.json"
    write_baseline(baseline_file, then)
    outcome = apply_baseline(ExampleReport(tuple(now)), read_baseline(baseline_file))
    return [r.status.value for r in outcome.report.results]


def test_a_known_timeout_matches_the_unchanged_block_s_real_failure(tmp_path: Path) -> None:
    then, now = [_failed(NUMPY, TIMEOUT)], [_failed(NUMPY, MISSING)]
    assert _statuses(tmp_path, then, now) == ["baselined"]


def test_a_known_failure_matches_a_timeout_of_the_unchanged_block(tmp_path: Path) -> None:
    then, now = [_failed(NUMPY, MISSING)], [_failed(NUMPY, TIMEOUT)]
    assert _statuses(tmp_path, then, now) == ["baselined"]


def test_other_changes_still_fail(tmp_path: Path) -> None:
    then = [_failed(NUMPY, TIMEOUT)]
    edited = NUMPY + "cp.zeros(3)\n"
    assert _statuses(tmp_path, then, [_failed(edited, MISSING)]) == ["failed"]
    assert _statuses(tmp_path, then, [_failed(NUMPY, MISSING, "kb/other.md")]) == ["failed"]
    # Not a timeout on either side: a different failure of the same block is a change.
    other = ("PKB600", "NameError", "name 'cp' is not defined")
    assert _statuses(tmp_path, [_failed(NUMPY, MISSING)], [_failed(NUMPY, other)]) == ["failed"]
    # One known entry stands for one failure, not two.
    twice = [_failed(NUMPY, MISSING), _failed(NUMPY, MISSING)]
    assert _statuses(tmp_path, then, twice) == ["baselined", "failed"]
