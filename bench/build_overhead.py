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
on a shared machine disturbs least), and each ratio to ``plain``. Goal: ratio ≤ 1.03.

    uv run python bench/build_overhead.py [--personas 1000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from benchsite import fmt_runs, median, timed_build, timed_build_cpu, write_config
from persona_kb._internal.adapters.mkdocs_plugin.plugin import DEFAULT_CACHE_DIR
from persona_kb._internal.kb.build import KBOptions, build_knowledge_base
from persona_kb._internal.kb.export import export_pages
from persona_kb._internal.kb.nav import build_kb_nav
from synth_personas import synthesise

GOAL = 1.03
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


def main() -> int:
    """Set up the projects, run the interleaved rounds, print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personas", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pkb-bench-p1-"))
    try:
        plugin_root, plain_root, topics, pages = set_up(work, args.personas)
        print(
            f"P1 build overhead: {args.personas} personas, {topics} topics, "
            f"{pages} generated pages, {args.rounds} interleaved rounds\n"
            f"  plain = exported pages, no plugin; plugin, cold = plugin with its cache "
            f"({DEFAULT_CACHE_DIR.as_posix()}) deleted before each run;\n"
            "  plugin, warm = plugin right after the cold run, its cache filled"
        )
        roots = {"plain": plain_root, "plugin, cold": plugin_root, "plugin, warm": plugin_root}
        cache = plugin_root / DEFAULT_CACHE_DIR
        # Warm-up (not timed): fills the OS file cache.
        timed_build(plain_root)
        timed_build(plugin_root)

        wall: dict[str, list[float]] = {name: [] for name in NAMES}
        cpu: dict[str, list[float]] = {name: [] for name in NAMES}
        for _ in range(args.rounds):
            for name in NAMES:
                if name == "plugin, cold":
                    shutil.rmtree(cache, ignore_errors=True)  # not timed
                w, c = timed_build_cpu(roots[name])
                wall[name].append(w)
                cpu[name].append(c)
                if name == "plugin, cold" and not cache.is_dir():
                    raise SystemExit(f"the cold build did not write its cache to {cache}")

        for label, runs in (("wall-clock", wall), ("CPU (user+system)", cpu)):
            base = median(runs["plain"])
            print(f"\n{label:<16} {'median s':>9} {'ratio':>7}  runs (s)")
            for name in NAMES:
                values = runs[name]
                ratio = median(values) / base
                print(f"  {name:<14} {median(values):>9.2f} {ratio:>7.3f}  {fmt_runs(values)}")
            for name in NAMES[1:]:
                ratio = median(runs[name]) / base
                verdict = "meets" if ratio <= GOAL else "misses"
                print(f"  {name}: {label} ratio {ratio:.3f} {verdict} the goal of ≤ {GOAL}")
    finally:
        if args.keep:
            print(f"projects kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
