"""P1, build overhead: ``mkdocs build`` with the plugin vs. the same pages exported.

Set-up: 1,000 personas synthesised from the corpus (see ``synth_personas.py``), in 100
topics. Two projects share one Material config and one nav:

- ``plain``: the KB exported by ``persona-kb``'s export into ``docs/kb/``, no plugin;
- ``plugin, cold``: ``plugins: [persona-kb]`` with its defaults, the on-disk cache
  (``.cache/persona-kb`` beside ``mkdocs.yml``) deleted before the run: a CI build on a
  fresh clone, every persona read and every page rendered;
- ``plugin, warm``: the same project and defaults, right after the cold run, so the
  cache holds every persona and topic: a local rebuild, or CI restoring the cache.

Each round builds all three in turn (interleaved, so machine noise hits all alike);
medians over the rounds of wall-clock and of CPU time (user + system, which other load
on a shared machine disturbs least), and each ratio to ``plain``. Goals (CPU): warm ≤ 1.03
at every size, cold ≤ 1.20 at 1,000 personas. Then the weight of the plugin's site: the
median HTML page ≤ 150 KB and the whole site, search index included, ≤ 250 MB at 1,000.

    uv run python bench/build_overhead.py [--personas 300 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from benchsite import (
    figure,
    fmt_runs,
    median,
    record,
    timed_build,
    timed_build_cpu,
    write_config,
)
from persona_kb._internal.kb.build import DEFAULT_CACHE_DIR, KBOptions, build_knowledge_base
from persona_kb._internal.kb.export import export_pages
from persona_kb._internal.kb.nav import build_kb_nav
from synth_personas import synthesise

GOAL = 1.03
COLD_GOAL = 1.20
MEDIAN_PAGE_KB = 150
SITE_MB = 250
NAMES = ("plain", "plugin, cold", "plugin, warm")


def set_up(work: Path, personas: int) -> tuple[Path, Path, int, int]:
    """Write the plugin project and the exported (plain) one; return roots and counts."""
    plugin_root, plain_root = work / "plugin", work / "plain"
    topics = synthesise(plugin_root / "kb", personas)
    for root in (plugin_root, plain_root):
        (root / "docs").mkdir(parents=True)
        (root / "docs/index.md").write_text("# Benchmark\n", "utf-8")

    # The plain project gets exactly the pages the plugin generates, exported the way
    # users export them, built from the same working directory so paths match.
    cwd = Path.cwd()
    os.chdir(plugin_root)
    try:
        kb = build_knowledge_base(KBOptions(source=Path("kb"), topics=topics))
    finally:
        os.chdir(cwd)
    export_pages(kb.pages, plain_root / "docs/kb")
    nav = ["index.md", {"Knowledge base": build_kb_nav(kb.pages, kb.topics)}]
    write_config(plain_root / "mkdocs.yml", plugin=None, nav=nav)
    placeholder_nav = ["index.md", {"Knowledge base": "kb/"}]
    write_config(plugin_root / "mkdocs.yml", plugin={"topics": topics}, nav=placeholder_nav)
    return plugin_root, plain_root, len(kb.topics), len(kb.pages)


def site_weight(site: Path) -> dict[str, float]:
    """The size of a built site: HTML pages (count, median KB), total MB, search index MB."""
    html = sorted(p.stat().st_size for p in site.rglob("*.html"))
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    index = site / "search" / "search_index.json"
    return {
        "pages": float(len(html)),
        "median_kb": median(html) / 1024 if html else 0.0,
        "largest_kb": html[-1] / 1024 if html else 0.0,
        "site_mb": total / 1e6,
        "search_mb": index.stat().st_size / 1e6 if index.is_file() else 0.0,
    }


def measure(work: Path, personas: int, rounds: int) -> list[dict[str, object]]:
    """P1 at one library size: the interleaved rounds, the table, and the figures."""
    plugin_root, plain_root, topics, pages = set_up(work / f"n{personas}", personas)
    print(
        f"\nP1 build overhead: {personas} personas, {topics} topics, "
        f"{pages} generated pages, {rounds} interleaved rounds\n"
        f"  plain = exported pages, no plugin; plugin, cold = plugin with its cache "
        f"({DEFAULT_CACHE_DIR.as_posix()}) deleted before each run;\n"
        "  plugin, warm = plugin right after the cold run, its cache filled"
    )
    roots = {"plain": plain_root, "plugin, cold": plugin_root, "plugin, warm": plugin_root}
    cache = plugin_root / DEFAULT_CACHE_DIR
    # Warm-up (not timed): fills the OS file cache and the bytecode cache.
    timed_build(plain_root)
    timed_build(plugin_root)

    wall: dict[str, list[float]] = {name: [] for name in NAMES}
    cpu: dict[str, list[float]] = {name: [] for name in NAMES}
    for _ in range(rounds):
        for name in NAMES:
            if name == "plugin, cold":
                shutil.rmtree(cache, ignore_errors=True)  # not timed
            w, c = timed_build_cpu(roots[name])
            wall[name].append(w)
            cpu[name].append(c)
            if name == "plugin, cold" and not cache.is_dir():
                raise SystemExit(f"the cold build did not write its cache to {cache}")

    figures: list[dict[str, object]] = []
    for label, runs in (("wall-clock", wall), ("CPU (user+system)", cpu)):
        base = median(runs["plain"])
        print(f"\n{label:<16} {'median s':>9} {'ratio':>7}  runs (s)")
        for name in NAMES:
            values = runs[name]
            ratio = median(values) / base
            print(f"  {name:<14} {median(values):>9.2f} {ratio:>7.3f}  {fmt_runs(values)}")
        for name, goal in (("plugin, cold", COLD_GOAL), ("plugin, warm", GOAL)):
            ratio = median(runs[name]) / base
            is_cpu = label.startswith("CPU")
            # The goals are on CPU time; cold has a goal at 1,000 personas only.
            applies = is_cpu and (name == "plugin, warm" or personas >= 1000)
            figures.append(
                figure(
                    f"{name} / plain, {label.split()[0]}, {personas} personas",
                    ratio,
                    "ratio",
                    goal if applies else None,
                )
            )
    weight = site_weight(plugin_root / "site")
    print(
        f"\nsite weight ({personas} personas, plugin build): {weight['pages']:.0f} HTML pages, "
        f"median {weight['median_kb']:.1f} KB, largest {weight['largest_kb']:.0f} KB, "
        f"site {weight['site_mb']:.1f} MB, search index {weight['search_mb']:.1f} MB"
    )
    big = personas >= 1000
    figures += [
        figure(
            f"median HTML page, {personas} personas",
            weight["median_kb"],
            "KB",
            MEDIAN_PAGE_KB if big else None,
        ),
        figure(
            f"whole site incl. search index, {personas} personas",
            weight["site_mb"],
            "MB",
            SITE_MB if big else None,
        ),
        figure(f"search index, {personas} personas", weight["search_mb"], "MB", None),
    ]
    return figures


def main() -> int:
    """Set up the projects, run the interleaved rounds, print medians, ratios and weight."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personas", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pkb-bench-p1-"))
    try:
        figures: list[dict[str, object]] = []
        for personas in args.personas:
            figures += measure(work, personas, args.rounds)
            if not args.keep:
                shutil.rmtree(work / f"n{personas}", ignore_errors=True)
        record("P1 build", figures)
    finally:
        if args.keep:
            print(f"projects kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
