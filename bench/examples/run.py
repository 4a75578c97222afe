"""Benchmark: persona-kb's example checker against pytest-markdown-docs and Sybil.

    uv run --group bench python bench/examples/run.py [--blocks 420] [--repeat 3]

One corpus (about 70% passing, 20% raising, 10% syntax-error python blocks), three
tools run interleaved in the same session, ``--repeat`` rounds. Printed: each tool's
median CPU time (user + system of the tool and every process it waited for) and median
wall time, the paired ratios against pytest-markdown-docs (median of the per-round
ratios), and how many of the expected failures each tool reported at the exact page
line. persona-kb runs with both isolation levels: ``block`` (a new process per block) and
``page`` (one process per page, fresh globals per block, replaced after a crash or
timeout); both keep timeouts, rlimits, temp directories and the sandbox. ``-j auto`` is
the default job count (it looks at the CPUs this process may use and how busy they are).

Bytecode compilation is on (``PYTHONDONTWRITEBYTECODE`` is cleared, as on a user's
machine), and one warm-up round of every tool runs first and is not counted (it writes
the ``.pyc`` files a user's second run would find).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from xml.etree import ElementTree as ET

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchsite import figure, record
from corpus import generate

PYTEST_INI = "[pytest]\naddopts = -p no:cacheprovider -p no:persona_kb -p no:xdist -q\n"
SYBIL_CONFTEST = """
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser

pytest_collect_file = Sybil(parsers=[PythonCodeBlockParser()], patterns=["*.md"]).pytest()
"""
_LOCATION = re.compile(r"(page-\d+\.md)(?:\", line |:|, line |line:)(\d+)")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compile bytecode, as users do
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["DISABLE_MKDOCS_2_WARNING"] = "true"
    return env


_CPU: list[float] = []
"""CPU seconds of the last timed command (user + system, with what it waited for)."""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(cmd: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=_env(), check=False)
    elapsed = time.perf_counter() - start
    _CPU.append(_children_cpu() - cpu)
    return elapsed, done


def _junit_locations(path: Path) -> set[tuple[str, int]]:
    found: set[tuple[str, int]] = set()
    if not path.exists():
        return found
    for node in ET.parse(path).iter():
        if node.tag in {"failure", "error"}:
            text = (node.get("message") or "") + "\n" + (node.text or "")
            found.update((m.group(1), int(m.group(2))) for m in _LOCATION.finditer(text))
    return found


def run_persona_kb(
    folder: Path, jobs: str, isolation: str
) -> tuple[float, set[tuple[str, int]], int]:
    """persona-kb examples on the folder; locations are the single reported line."""
    cmd = [
        sys.executable,
        "-m",
        "persona_kb._internal.adapters.cli.main",
        "examples",
        ".",
        "--format",
        "json",
        "--jobs",
        jobs,
        "--isolation",
        isolation,
    ]
    elapsed, done = _timed(cmd, folder)
    report = json.loads(done.stdout)
    failed = [r for r in report["results"] if r["status"] == "failed"]
    return elapsed, {(Path(r["path"]).name, r["line"]) for r in failed}, len(failed)


def _auto_jobs(folder: Path) -> str:
    """The job count ``--jobs auto`` picks for ``folder`` here, now."""
    code = (
        "from persona_kb._internal.checks.examples.jobs import auto_jobs;"
        "from persona_kb._internal.checks.examples.site import path_examples;"
        "from pathlib import Path;"
        "print(auto_jobs(path_examples([Path('.')], None).examples))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=folder, capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or "?"


def run_pytest_markdown_docs(folder: Path) -> tuple[float, set[tuple[str, int]], int]:
    """pytest --markdown-docs; a failure counts where its report names the page line."""
    junit = folder / "junit.xml"
    cmd = [sys.executable, "-m", "pytest", "--markdown-docs", f"--junitxml={junit}", "."]
    elapsed, _ = _timed(cmd, folder)
    return elapsed, _junit_locations(junit), _failures(junit)


def run_sybil(folder: Path) -> tuple[float, set[tuple[str, int]], int]:
    """Sybil's pytest integration (one namespace per document)."""
    junit = folder / "junit.xml"
    cmd = [sys.executable, "-m", "pytest", f"--junitxml={junit}", "."]
    elapsed, _ = _timed(cmd, folder)
    return elapsed, _junit_locations(junit), _failures(junit)


def _failures(junit: Path) -> int:
    if not junit.exists():
        return 0
    return sum(1 for n in ET.parse(junit).iter() if n.tag in {"failure", "error"})


def main() -> None:
    """Generate, run interleaved, print medians, ratios and detection counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=420)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="pkb-bench-examples-"))
    try:
        expected = generate(root / "persona-kb", blocks=args.blocks)
        for name, extra in (("pmd", None), ("sybil", SYBIL_CONFTEST)):
            shutil.copytree(root / "persona-kb", root / name)
            (root / name / "pytest.ini").write_text(PYTEST_INI, encoding="utf-8")
            if extra:
                (root / name / "conftest.py").write_text(extra, encoding="utf-8")
        want = {(e.page, e.line) for e in expected}
        pkb = root / "persona-kb"
        tools: dict[str, Callable[[], tuple[float, set[tuple[str, int]], int]]] = {
            "pkb block -j1": lambda: run_persona_kb(pkb, "1", "block"),
            "pkb block -j auto": lambda: run_persona_kb(pkb, "auto", "block"),
            "pkb page -j1": lambda: run_persona_kb(pkb, "1", "page"),
            "pkb page -j auto": lambda: run_persona_kb(pkb, "auto", "page"),
            "pytest-markdown-docs": lambda: run_pytest_markdown_docs(root / "pmd"),
            "sybil": lambda: run_sybil(root / "sybil"),
        }
        for tool in tools.values():  # warm-up, not counted: writes the bytecode caches
            tool()
        times: dict[str, list[float]] = {name: [] for name in tools}
        cpu: dict[str, list[float]] = {name: [] for name in tools}
        found: dict[str, tuple[int, int]] = {}
        for round_ in range(args.repeat):
            for name, tool in tools.items():  # interleaved: every round runs every tool
                elapsed, locations, failures = tool()
                times[name].append(elapsed)
                cpu[name].append(_CPU[-1])
                found[name] = (len(want & locations), failures)
            print(
                f"round {round_ + 1}: " + ", ".join(f"{n} {c[-1]:.2f}s cpu" for n, c in cpu.items())
            )
        load = os.getloadavg()[0]
        print(
            f"\ncorpus: {args.blocks} python blocks, {len(expected)} expected failures "
            f"({sum(e.kind == 'SyntaxError' for e in expected)} syntax errors); "
            f"{os.cpu_count()} CPUs, load average {load:.1f} at the end; "
            f"persona-kb -j auto chose {_auto_jobs(pkb)} job(s)"
        )
        print(
            f"{'tool':<22} {'cpu s':>7} {'cpu vs pmd':>11} {'wall s':>7} {'wall vs pmd':>12} "
            f"{'failures':>9} {'exact line':>11}"
        )
        base_cpu, base_wall = cpu["pytest-markdown-docs"], times["pytest-markdown-docs"]
        ratios: dict[str, tuple[float, float]] = {}
        for name in tools:
            cpu_ratio = statistics.median(a / b for a, b in zip(cpu[name], base_cpu, strict=True))
            wall_ratio = statistics.median(
                a / b for a, b in zip(times[name], base_wall, strict=True)
            )
            exact, failures = found[name]
            print(
                f"{name:<22} {statistics.median(cpu[name]):>7.2f} {cpu_ratio:>10.2f}x "
                f"{statistics.median(times[name]):>7.2f} {wall_ratio:>11.2f}x "
                f"{failures:>9} {exact:>5}/{len(want)}"
            )
            ratios[name] = (cpu_ratio, wall_ratio)
        record(
            "examples",
            [
                figure(
                    "CPU pkb page -j1 / pytest-markdown-docs", ratios["pkb page -j1"][0], "x", 1.0
                ),
                figure(
                    "CPU pkb page -j auto / pytest-markdown-docs",
                    ratios["pkb page -j auto"][0],
                    "x",
                    1.0,
                ),
                figure(
                    "wall pkb page -j1 / pytest-markdown-docs", ratios["pkb page -j1"][1], "x", None
                ),
                figure(
                    "wall pkb page -j auto / pytest-markdown-docs",
                    ratios["pkb page -j auto"][1],
                    "x",
                    None,
                ),
            ],
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
