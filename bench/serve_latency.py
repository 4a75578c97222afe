"""P2, serve latency: how soon ``mkdocs serve`` shows an edited persona.

Set-up: a 500-persona KB (50 topics, see ``synth_personas.py``) with the plugin's
defaults (its on-disk cache in ``.cache/persona-kb`` beside ``mkdocs.yml``, empty at
the start), copied twice. Two real ``mkdocs serve`` processes run side by side on 127.0.0.1, one
with ``--dirty`` on one copy and one without on the other; edits alternate between them
so machine load hits both alike (an idle server only polls its files). For each edit,
one persona file is rewritten and the clock runs from the write until the topic's
COMPREHENSIVE-GUIDE page, fetched over HTTP every 20 ms, contains the edit: the time a
user waits, including MkDocs' file-watcher polling (0.5 s interval) and its 0.1 s
debounce. The server's own build time for the same rebuild is reported too (MkDocs'
"Documentation built in X seconds", or the plugin's "rebuilt N pages changed by the
persona edit in X seconds").

- ``serve --dirty``: MkDocs rebuilds only pages whose source changed; the plugin
  reparses only the edited persona, re-renders only its topic and rewrites only that
  topic's pages in its page cache (outside ``docs_dir``), so only they are rebuilt;
- ``serve`` (the README's command): MkDocs rebuilds every page on every change, except
  when only persona files changed and the pages are the same ones with the same front
  matter: then the plugin renders again only the pages whose Markdown changed, as soon
  as the file is saved (a native file watcher), before MkDocs' polling notices;
- ``build``: ``mkdocs build`` subprocesses for scale, cold (the plugin's cache deleted
  first) and warm (the cache left by the previous build).

Goal: the plain ``mkdocs serve`` (the README's command) shows the change in ≤ 1 s at 500
personas, median of 10 edits; the dirty rebuild is shown beside it.

    uv run python bench/serve_latency.py [--personas 500] [--edits 10] [--build-rounds 1]
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

from benchsite import figure, fmt_runs, host_env, median, record, timed_build_cpu, write_config
from synth_personas import synthesise

# MkDocs' full or dirty rebuild, or the plugin's partial one (only the changed pages).
BUILT = re.compile(r"(?:Documentation built|changed by the persona edit) in ([0-9.]+) seconds")
TIMEOUT = 180.0  # an edit
FIRST_BUILD_TIMEOUT = 1200.0  # two cold 500-persona builds side by side on 2 shared cores


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


def _wait_until(url: str, needle: str, log: Path, timeout: float = TIMEOUT) -> float:
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if needle in _fetch(url):
            return time.perf_counter() - start
        time.sleep(0.02)
    tail = "\n".join(log.read_text(encoding="utf-8").splitlines()[-20:])
    raise SystemExit(f"timed out waiting for {needle!r} at {url}; end of the log:\n{tail}")


def _guide_url(persona: Path) -> str:
    topic = persona.parent.name
    return f"kb/{topic}/{topic.upper()}-COMPREHENSIVE-GUIDE/"


class Server:
    """One ``mkdocs serve`` subprocess on 127.0.0.1 over its own copy of the project."""

    def __init__(self, root: Path, *, dirty: bool) -> None:
        self.root = root
        self.dirty = dirty
        self.log = root / "serve.log"
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}/"
        args = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
        if dirty:
            args.append("--dirty")
        self._out = self.log.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            args, cwd=root, env=host_env(), stdout=self._out, stderr=self._out
        )
        self.latencies: list[float] = []
        self.built: list[float] = []

    def wait_ready(self, persona: Path) -> None:
        """Wait until the first build is served."""
        _wait_until(
            self.url + _guide_url(persona), "synthetic library", self.log, FIRST_BUILD_TIMEOUT
        )

    def edit(self, persona: Path, k: int) -> None:
        """Edit ``persona`` (a file under this server's root); time until its page shows it."""
        token = f"edit-{'dirty' if self.dirty else 'full'}-{k}-{time.time_ns()}"
        text = persona.read_text(encoding="utf-8")
        text = re.sub(r"This is variant (\d+)[^\n]*", rf"This is variant \1 {token}", text)
        seen_builds = len(BUILT.findall(self.log.read_text(encoding="utf-8")))
        persona.write_text(text, encoding="utf-8")
        self.latencies.append(_wait_until(self.url + _guide_url(persona), token, self.log))
        # The "built in" line is logged just before the page becomes visible.
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline:
            found = BUILT.findall(self.log.read_text(encoding="utf-8"))
            if len(found) > seen_builds:
                self.built.append(float(found[-1]))
                return
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server the way a user does (Ctrl+C)."""
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._out.close()


def main() -> int:
    """Set up the projects, alternate edits between both servers, print the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personas", type=int, default=500)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--build-rounds", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="pkb-bench-p2-"))
    try:
        root = work / "dirty"
        topics = synthesise(root / "kb", args.personas)
        (root / "docs").mkdir(parents=True)
        (root / "docs/index.md").write_text("# Benchmark\n", "utf-8")
        write_config(
            root / "mkdocs.yml",
            plugin={"topics": topics},
            nav=["index.md", {"Knowledge base": "kb/"}],
        )
        full_root = work / "full"
        shutil.copytree(root, full_root)
        personas = sorted((root / "kb").rglob("*.md"))
        print(
            f"P2 serve latency: {args.personas} personas, {len(topics)} topics, "
            f"{args.edits} edits per server, alternating between the two servers"
        )
        dirty = Server(root, dirty=True)
        full = Server(full_root, dirty=False)
        try:
            dirty.wait_ready(personas[0])
            full.wait_ready(personas[0])
            for k in range(args.edits):
                persona = personas[(k * 3) % len(personas)]
                dirty.edit(persona, k)
                time.sleep(1.0)  # let both watchers settle
                full.edit(full_root / persona.relative_to(root), k)
                time.sleep(1.0)
        finally:
            dirty.stop()
            full.stop()
        cold_builds, warm_builds, cold_cpu, warm_cpu = [], [], [], []
        for _ in range(args.build_rounds):
            shutil.rmtree(root / ".cache", ignore_errors=True)  # not timed
            wall, cpu = timed_build_cpu(root)
            cold_builds.append(wall)
            cold_cpu.append(cpu)
            wall, cpu = timed_build_cpu(root)
            warm_builds.append(wall)
            warm_cpu.append(cpu)

        rows = [
            ("serve --dirty: edit -> page shows it", dirty.latencies),
            ("serve --dirty: server build time", dirty.built),
            ("serve (full): edit -> page shows it", full.latencies),
            ("serve (full): server build time", full.built),
            ("mkdocs build, cold (cache deleted)", cold_builds),
            ("  CPU s", cold_cpu),
            ("mkdocs build, warm (cache kept)", warm_builds),
            ("  CPU s", warm_cpu),
        ]
        print(f"{'mode':<38} {'median s':>9}  runs (s)")
        for name, values in rows:
            if values:  # --build-rounds 0 skips the builds
                print(f"{name:<38} {median(values):>9.2f}  {fmt_runs(values)}")
        ratio = median(full.latencies) / median(dirty.latencies)
        build_ratio = median(full.built) / median(dirty.built)
        print(
            f"speed-up, user-visible latency: {ratio:.1f}x; server build time: {build_ratio:.1f}x"
        )
        n = args.personas
        record(
            "P2 serve",
            [
                figure(
                    f"plain serve, edit -> page, {n} personas", median(full.latencies), "s", 1.0
                ),
                figure(
                    f"serve --dirty, edit -> page, {n} personas", median(dirty.latencies), "s", 1.0
                ),
                figure(
                    f"plain serve, server build time, {n} personas", median(full.built), "s", None
                ),
                figure(
                    f"serve --dirty, server build time, {n} personas",
                    median(dirty.built),
                    "s",
                    None,
                ),
            ],
        )
    finally:
        if args.keep:
            print(f"projects kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
