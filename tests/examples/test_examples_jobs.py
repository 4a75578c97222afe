"""``--jobs auto``: one fork server per CPU that is idle and has enough blocks to pay for it."""

from __future__ import annotations

import os

import pytest
from examples_helpers import block
from persona_kb._internal.checks.examples import jobs
from persona_kb._internal.checks.examples.spec import Tier


def _machine(monkeypatch: pytest.MonkeyPatch, cpus: int, load: float) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cpus)), raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, load, load))


@pytest.mark.parametrize(
    ("cpus", "load", "blocks", "expected"),
    [
        (2, 0.0, 1000, 2),  # an idle 2-core runner with plenty of work: both cores
        (2, 1.8, 1000, 1),  # a busy 2-core runner: one server, no CPU spent on a second
        (8, 0.0, 1000, 4),  # never more than 4
        (8, 0.0, 200, 1),  # too few blocks for a second server to pay for its start
        (8, 0.0, 2 * jobs.BLOCKS_PER_SERVER, 2),
    ],
)
def test_auto_jobs(
    monkeypatch: pytest.MonkeyPatch, cpus: int, load: float, blocks: int, expected: int
) -> None:
    _machine(monkeypatch, cpus, load)
    examples = [block(f"x = {n}") for n in range(blocks)]
    assert jobs.auto_jobs(examples) == expected


def test_blocks_that_need_no_process_do_not_count(monkeypatch: pytest.MonkeyPatch) -> None:
    _machine(monkeypatch, 8, 0.0)
    examples = [block("a: 1", language="yaml") for _ in range(1000)]
    examples += [block("x = 1", tier=Tier.NO_RUN) for _ in range(1000)]
    assert jobs.auto_jobs(examples) == 1
