"""P5, ingest at scale: reading 1k, 5k and 10k personas against a parse floor, with memory.

Set-up: ``--personas`` (largest count) personas synthesised once from the corpus (see
``synth_personas.py``); each smaller count reads the first topics' folders of it. For
each count, two fresh subprocesses run side by side (interleaved):

- ``ingest``: ``persona_kb``'s ``ingest()`` of the folders, every persona read, decoded,
  repaired, parsed into sections, code blocks and pattern cards, duplicates found;
- ``floor``: the least any Markdown tool must do: read each file, decode it as UTF-8 and
  parse it once with markdown-it-py (CommonMark), keeping nothing.

Each child reports its CPU time, wall time and memory (peak resident set, minus the
process's resident set after its imports). Goals: memory linear in personas (the MB per
1,000 personas at the largest count at most 1.3 times that at the smallest), and the CPU
ratio to the floor reported at every size (it should not grow with the count).

    uv run python bench/ingest_scale.py [--personas 1000 5000 10000] [--rounds 1]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchsite import figure, host_env, median, record
from synth_personas import synthesise

LINEAR_GOAL = 1.3


def _rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 1e6


def child(mode: str, folders: list[Path]) -> None:
    """Run one measurement in this (fresh) process and print it as JSON."""
    if mode == "ingest":
        from persona_kb._internal.ingest import ingest

        def work() -> int:
            return len(ingest(folders).personas)
    else:
        from markdown_it import MarkdownIt

        parser = MarkdownIt("commonmark")

        def work() -> int:
            count = 0
            for folder in folders:
                for path in sorted(folder.rglob("*")):
                    if path.suffix in (".md", ".mdc") and path.is_file():
                        parser.parse(path.read_bytes().decode("utf-8", errors="replace"))
                        count += 1
            return count

    base = _rss_mb()
    before = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    count = work()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    peak = after.ru_maxrss / 1e3  # KB on Linux
    print(json.dumps({"count": count, "cpu": cpu, "wall": wall, "mem_mb": peak - base}))


def _run(mode: str, folders: list[Path]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, *map(str, folders)],
        capture_output=True,
        text=True,
        env=host_env(),
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"{mode} failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def main() -> int:
    """Synthesise the library, measure every count, print the table and the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personas", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.child:
        child(args.child, [Path(p) for p in rest])
        return 0

    work = Path(tempfile.mkdtemp(prefix="pkb-bench-p5-"))
    try:
        counts = sorted(args.personas)
        synthesise(work / "kb", counts[-1])
        topics = sorted(p for p in (work / "kb").iterdir() if p.is_dir())
        print(f"P5 ingest: {counts} personas, {args.rounds} round(s), fresh process per run")
        print(
            f"{'personas':>9} {'ingest cpu s':>13} {'floor cpu s':>12} {'ratio':>6} "
            f"{'ingest MB':>10} {'floor MB':>9} {'MB per 1k':>10}"
        )
        figures: list[dict[str, object]] = []
        per_k: list[float] = []
        for count in counts:
            folders = topics[: count // 10]
            runs: dict[str, list[dict[str, float]]] = {"ingest": [], "floor": []}
            for _ in range(args.rounds):
                for mode in ("ingest", "floor"):
                    runs[mode].append(_run(mode, folders))
            ingest_cpu = median([r["cpu"] for r in runs["ingest"]])
            floor_cpu = median([r["cpu"] for r in runs["floor"]])
            ingest_mb = median([r["mem_mb"] for r in runs["ingest"]])
            floor_mb = median([r["mem_mb"] for r in runs["floor"]])
            per_k.append(ingest_mb / count * 1000)
            print(
                f"{count:>9} {ingest_cpu:>13.2f} {floor_cpu:>12.2f} "
                f"{ingest_cpu / floor_cpu:>6.2f} {ingest_mb:>10.0f} {floor_mb:>9.0f} "
                f"{per_k[-1]:>10.1f}"
            )
            figures.append(
                figure(
                    f"ingest / parse floor, CPU, {count} personas",
                    ingest_cpu / floor_cpu,
                    "ratio",
                    None,
                )
            )
            figures.append(figure(f"ingest memory, {count} personas", ingest_mb, "MB", None))
        growth = per_k[-1] / per_k[0]
        figures.append(
            figure(f"memory per persona, {counts[-1]} vs {counts[0]}", growth, "ratio", LINEAR_GOAL)
        )
        record("P5 ingest", figures)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
