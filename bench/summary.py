"""Every benchmark figure against its goal, in one table.

Each benchmark leaves its figures in ``bench/results/<name>.json`` (not committed).
``--run`` first runs them all, one after the other (P1 build overhead and site weight,
P2 serve latency, P5 ingest, links against lychee, examples against
pytest-markdown-docs); without it the table shows the
figures of the last run of each.

    uv run --group bench python bench/summary.py [--run]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from benchsite import RESULTS, host_env, print_table

HERE = Path(__file__).resolve().parent
BENCHMARKS = (
    "build_overhead.py",
    "serve_latency.py",
    "ingest_scale.py",
    "links.py",
    "examples/run.py",
)


def main() -> int:
    """Optionally run every benchmark, then print every recorded figure against its goal."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", action="store_true", help="run every benchmark first")
    args = parser.parse_args()
    if args.run:
        for script in BENCHMARKS:
            print(f"\n=== {script} ===", flush=True)
            subprocess.run([sys.executable, str(HERE / script)], env=host_env(), check=False)
    results = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(RESULTS.glob("*.json"))]
    if not results:
        print("no results yet: run the benchmarks, or this script with --run")
        return 2
    for result in results:
        print(f"{result['benchmark']}: measured {result['when']}")
    print_table(results)
    missed = [f for r in results for f in r["figures"] if f["met"] is False]
    print(f"\n{len(missed)} figure(s) miss their goal")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
