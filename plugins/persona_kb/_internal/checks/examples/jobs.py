"""How many fork servers ``--jobs auto`` starts.

Each fork server costs CPU of its own (its start, the preloaded imports, its sandbox), so
more servers buy wall time with CPU. ``auto`` starts one only for every
[`BLOCKS_PER_SERVER`][] blocks that need a process, never more than the CPUs this process may
use that are idle now (a busy 2-core CI runner gets one), and at most 4.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable

from persona_kb._internal.checks.examples.spec import Example, Tier

BLOCKS_PER_SERVER = 150
"""Blocks a server must have to run before another one pays for its start-up CPU."""
MAX_JOBS = 4
_PROCESS_LANGUAGES = frozenset({"python", "pycon", "javascript", "typescript", "bash"})


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask; a container's CPU set)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def idle_cpus() -> int:
    """Usable CPUs minus the one-minute load average, rounded (at least 1)."""
    cpus = usable_cpus()
    try:
        load = os.getloadavg()[0]
    except (AttributeError, OSError):
        load = 0.0
    return max(1, min(cpus, math.floor(cpus - load + 0.5)))


def auto_jobs(examples: Iterable[Example]) -> int:
    """The job count for ``--jobs auto`` on these examples, on this machine, now."""
    runs = sum(
        1
        for e in examples
        if e.language in _PROCESS_LANGUAGES and e.tier in {Tier.RUN, Tier.RAISES}
    )
    return max(1, min(MAX_JOBS, idle_cpus(), runs // BLOCKS_PER_SERVER))
