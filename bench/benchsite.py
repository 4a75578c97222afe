"""Shared set-up for the site benchmarks: temporary MkDocs projects and timed subprocesses."""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

SITE_CONFIG = {
    "site_name": "persona-kb benchmark",
    "docs_dir": "docs",
    "theme": {"name": "material", "features": ["navigation.sections", "navigation.indexes"]},
    "markdown_extensions": [
        "admonition",
        "attr_list",
        "md_in_html",
        {"toc": {"permalink": True}},
        "pymdownx.details",
        "pymdownx.superfences",
        {"pymdownx.tabbed": {"alternate_style": True}},
        "pymdownx.highlight",
        {"pymdownx.tasklist": {"custom_checkbox": True}},
    ],
}


def host_env() -> dict[str, str]:
    """The environment for MkDocs subprocesses: without the 2.0 banners, and with Python's
    bytecode cache on (these machines set ``PYTHONDONTWRITEBYTECODE``, which would time
    the compiling of every imported module instead of the build)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["DISABLE_MKDOCS_2_WARNING"] = "true"
    return env


def write_config(
    path: Path, *, plugin: Mapping[str, object] | None, nav: Sequence[object] | None
) -> None:
    """Write a ``mkdocs.yml``: the shared site config, with or without persona-kb."""
    config: dict[str, object] = dict(SITE_CONFIG)
    plugins: list[object] = ["search"]
    if plugin is not None:
        plugins.append({"persona-kb": dict(plugin)})
    config["plugins"] = plugins
    if nav is not None:
        config["nav"] = list(nav)
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), "utf-8")


def timed_build(root: Path, config: str = "mkdocs.yml") -> float:
    """Wall-clock seconds of one ``mkdocs build`` subprocess (fails loudly on errors)."""
    return timed_build_cpu(root, config)[0]


def timed_build_cpu(root: Path, config: str = "mkdocs.yml") -> tuple[float, float]:
    """Wall-clock and CPU (user + system) seconds of one ``mkdocs build`` subprocess.

    CPU time is what a shared machine disturbs least: other processes stretch the
    wall clock, not the work the build itself does.
    """
    cpu_before = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", "site"],
        cwd=root,
        env=host_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    cpu = _children_cpu() - cpu_before
    if result.returncode:
        raise SystemExit(f"build failed in {root}:\n{result.stderr}")
    return elapsed, cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median(values: Sequence[float]) -> float:
    """The median of ``values``."""
    return statistics.median(values)


def fmt_runs(values: Sequence[float]) -> str:
    """``1.23, 1.25, 1.31`` — every run, for the record."""
    return ", ".join(f"{v:.2f}" for v in values)


RESULTS = Path(__file__).resolve().parent / "results"
"""Where each benchmark leaves its figures for ``bench/summary.py`` (not committed)."""


def figure(
    name: str, value: float, unit: str, goal: float | None, *, at_most: bool = True
) -> dict[str, object]:
    """One measured figure and its goal (``value <= goal``, or ``>=`` with ``at_most=False``)."""
    met = None if goal is None else (value <= goal if at_most else value >= goal)
    return {
        "figure": name,
        "value": value,
        "unit": unit,
        "goal": goal,
        "at_most": at_most,
        "met": met,
    }


def record(benchmark: str, figures: Sequence[Mapping[str, object]]) -> Path:
    """Write ``figures`` to ``bench/results/<benchmark>.json`` and print them as a table."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{benchmark}.json"
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    data = {"benchmark": benchmark, "when": stamp, "figures": list(figures)}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print_table([data])
    return path


def print_table(results: Sequence[Mapping[str, object]]) -> None:
    """Every figure of ``results`` against its goal, one line each."""
    print(f"\n{'benchmark':<14} {'figure':<58} {'value':>10}  {'goal':<12} verdict")
    for result in results:
        figures = result["figures"]
        assert isinstance(figures, list)
        for f in figures:
            goal = f["goal"]
            shown_goal = "" if goal is None else f"{'<=' if f['at_most'] else '>='} {goal:g}"
            verdict = {True: "met", False: "MISSED", None: "(context)"}[f["met"]]
            value = f"{f['value']:.3f}" if isinstance(f["value"], float) else str(f["value"])
            print(
                f"{result['benchmark']:<14} {f['figure'] + ' (' + f['unit'] + ')':<58} "
                f"{value:>10}  {shown_goal:<12} {verdict}"
            )
