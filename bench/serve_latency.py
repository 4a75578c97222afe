"""P2, serve latency: how soon ``mkdocs serve`` shows an edited persona.

Set-up: a 250-persona KB (25 topics, see ``synth_personas.py``) with
``cache_dir`` set. For each of ``--edits`` edits, one persona's file is rewritten
and the clock runs from the write until the topic's COMPREHENSIVE-GUIDE page,
fetched over HTTP from the running server every 20 ms, contains the edit. That is
the time a user waits, including MkDocs' file-watcher polling (0.5 s interval)
and its 0.1 s debounce. The server's own "Documentation built in X seconds" line
for the same rebuild is reported too.

- ``serve --dirty``: MkDocs rebuilds only pages whose source changed; the plugin
  reparses only the edited persona, re-renders only its topic and rewrites only
  that topic's pages in its page cache, so only they are rebuilt;
- ``serve`` (full rebuild): the same edits with every page rebuilt each time;
- ``build``: a clean ``mkdocs build`` subprocess, for scale.

Goal: the dirty rebuild shows the change in ≤ 1 s and ≥ 8 times faster than the full one.

    uv run python bench/serve_latency.py [--personas 250] [--edits 5]
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from benchsite import fmt_runs, host_env, median, timed_build, write_config
from synth_personas import synthesise

BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")
TIMEOUT = 180.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return ""


def _wait_until(url: str, needle: str, log: Path) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < TIMEOUT:
        if needle in _fetch(url):
            return time.perf_counter() - start
        time.sleep(0.02)
    raise SystemExit(f"timed out waiting for {needle!r} at {url}; log:\n{log.read_text()}")


def measure_serve(
    root: Path, personas: list[Path], edits: int, *, dirty: bool
) -> tuple[list[float], list[float]]:
    """Latencies (write → page shows it) and the server's own build times, per edit."""
    port = _free_port()
    log = root / ("serve-dirty.log" if dirty else "serve-full.log")
    args = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    if dirty:
        args.append("--dirty")
    url = f"http://127.0.0.1:{port}/"
    latencies: list[float] = []
    built: list[float] = []
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(args, cwd=root, env=host_env(), stdout=out, stderr=out)
        try:
            first = personas[0]
            _wait_until(url + _guide_url(first), "synthetic library", log)
            for k in range(edits):
                persona = personas[(k * 3) % len(personas)]
                token = f"edit-{'dirty' if dirty else 'full'}-{k}-{time.time_ns()}"
                text = persona.read_text(encoding="utf-8")
                text = re.sub(r"This is variant (\d+)[^\n]*", rf"This is variant \1 {token}", text)
                seen_builds = len(BUILT.findall(log.read_text(encoding="utf-8")))
                persona.write_text(text, encoding="utf-8")
                latencies.append(_wait_until(url + _guide_url(persona), token, log))
                # The "built in" line is logged just before the page becomes visible.
                deadline = time.perf_counter() + 10
                while time.perf_counter() < deadline:
                    found = BUILT.findall(log.read_text(encoding="utf-8"))
                    if len(found) > seen_builds:
                        built.append(float(found[-1]))
                        break
                    time.sleep(0.05)
                time.sleep(1.0)  # let the watcher settle before the next edit
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
    return latencies, built


def _guide_url(persona: Path) -> str:
    topic = persona.parent.name
    return f"kb/{topic}/{topic.upper()}-COMPREHENSIVE-GUIDE/"


def main() -> int:
    """Set up the project, measure both serve modes and a clean build, print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personas", type=int, default=250)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the temporary project")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pkb-bench-p2-"))
    try:
        root = work / "project"
        topics = synthesise(root / "kb", args.personas)
        (root / "docs").mkdir(parents=True)
        (root / "docs/index.md").write_text("# Benchmark\n", "utf-8")
        write_config(
            root / "mkdocs.yml",
            plugin={"topics": topics, "cache_dir": ".persona-kb-cache"},
            nav=["index.md", {"Knowledge base": "kb/"}],
        )
        personas = sorted((root / "kb").rglob("*.md"))
        print(
            f"P2 serve latency: {args.personas} personas, {len(topics)} topics, "
            f"{args.edits} edits per mode"
        )
        dirty, dirty_built = measure_serve(root, personas, args.edits, dirty=True)
        full, full_built = measure_serve(root, personas, args.edits, dirty=False)
        builds = [timed_build(root) for _ in range(3)]

        rows = [
            ("serve --dirty: edit -> page shows it", dirty),
            ("serve --dirty: server build time", dirty_built),
            ("serve (full): edit -> page shows it", full),
            ("serve (full): server build time", full_built),
            ("mkdocs build (clean subprocess)", builds),
        ]
        print(f"{'mode':<38} {'median s':>9}  runs (s)")
        for name, values in rows:
            print(f"{name:<38} {median(values):>9.2f}  {fmt_runs(values)}")
        ratio = median(full) / median(dirty)
        build_ratio = median(full_built) / median(dirty_built)
        print(
            f"speed-up, user-visible latency: {ratio:.1f}x; server build time: {build_ratio:.1f}x"
        )
        ok = median(dirty) <= 1.0 and ratio >= 8
        print(
            f"goal (≤ 1 s and ≥ 8x): {'met' if ok else 'missed'} "
            f"({median(dirty):.2f} s, {ratio:.1f}x)"
        )
    finally:
        if args.keep:
            print(f"project kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
