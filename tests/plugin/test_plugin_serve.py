"""``mkdocs serve`` on 127.0.0.1: editing, breaking, adding and deleting personas."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from tempsite import Project, host_env, tree_snapshot

pytestmark = pytest.mark.slow

WAIT = 90.0  # seconds; generous because the machine is shared
PARTIAL = "changed by the persona edit in"
FULL = "Building documentation..."
RELOAD = "Reloading browsers"
KEPT = "its pages show it as it was before this error"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status), response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


def _wait_for(what: str, check: Callable[[], bool], log: Path) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; server log:\n{log.read_text(encoding='utf-8')}")


@contextmanager
def _serve(project: Project, host: str, *extra: str) -> Iterator[tuple[str, Path]]:
    port = _free_port()
    log = project.root.parent / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", host, "serve", "-a", f"127.0.0.1:{port}", *extra],
            cwd=project.root,
            env=host_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            yield f"http://127.0.0.1:{port}/", log
        finally:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.mark.parametrize(
    ("host", "mode"), [("mkdocs", "full"), ("mkdocs", "dirty"), ("properdocs", "full")]
)
def test_serve_follows_persona_edits(project: Project, host: str, mode: str) -> None:
    before = tree_snapshot(project.docs)
    extra = ("--dirty",) if mode == "dirty" else ()
    persona = project.kb / "python-api-engineer.md"
    go = project.kb / "go-service-engineer.md"
    with _serve(project, host, *extra) as (url, log):
        guide = url + "kb/python/PYTHON-COMPREHENSIVE-GUIDE/"
        _wait_for("the first build", lambda: _get(guide)[0] == 200, log)
        assert "Validate every request body" in _get(guide)[1]

        # Edit: the page follows.
        persona.write_text(
            persona.read_text(encoding="utf-8").replace(
                "Validate every request body", "Check every payload"
            ),
            encoding="utf-8",
        )
        _wait_for("the edited page", lambda: "Check every payload" in _get(guide)[1], log)
        # Only the pages the edit changed were rendered again (with --dirty too).
        _wait_for("the partial rebuild", lambda: PARTIAL in log.read_text("utf-8"), log)

        # Break another persona: a warning, and the rest is still served and still live.
        go.write_text("---\nname: [unclosed\n  nope: {\n---\n# Broken\n", encoding="utf-8")
        _wait_for("the warning", lambda: "go-service-engineer.md:" in log.read_text("utf-8"), log)
        persona.write_text(
            persona.read_text(encoding="utf-8").replace("Check every payload", "Parse, not check"),
            encoding="utf-8",
        )
        _wait_for("the second edit", lambda: "Parse, not check" in _get(guide)[1], log)

        # Add a persona: a new topic appears; delete it again: it goes away.
        added = project.kb / "rust-cli-engineer.md"
        added.write_text(
            "---\nname: rust-cli-engineer\ndescription: Writes Rust CLIs.\n---\n\n"
            "# Rust CLI Engineer\n\n## Constraints\n\n- Never panic on user input.\n",
            encoding="utf-8",
        )
        _wait_for("the added topic", lambda: _get(url + "kb/rust/")[0] == 200, log)
        added.unlink()
        if mode == "full":  # a dirty rebuild never deletes pages it built before
            _wait_for("the deleted topic", lambda: _get(url + "kb/rust/")[0] == 404, log)
    assert "Traceback" not in log.read_text(encoding="utf-8")
    assert tree_snapshot(project.docs) == before


def test_a_persona_edit_renders_only_its_pages_and_keeps_the_site_right(
    project: Project,
) -> None:
    """Plain ``serve``: a persona edit re-renders only the changed pages, yet links from
    hand-written pages are checked again; any other change is MkDocs' full rebuild."""
    persona = project.kb / "python-api-engineer.md"
    project.write(
        "docs/links.md",
        "# Links\n\n[Rules](kb/python/PYTHON-COMPREHENSIVE-GUIDE.md"
        "#python-api-engineer-best-practices)\n",
    )
    # A persona with a warning: a partial rebuild does not log it again.
    project.write("kb/noisy.md", "---\nname: Noisy\ntopic: Noisy Topic\n---\n\nA persona.\n")
    unsafe = "topic 'Noisy Topic' is not a safe slug"
    with _serve(project, "mkdocs") as (url, log):
        guide = url + "kb/python/PYTHON-COMPREHENSIVE-GUIDE/"
        go_guide = url + "kb/go/GO-COMPREHENSIVE-GUIDE/"
        _wait_for("the first build", lambda: _get(guide)[0] == 200, log)
        builds = log.read_text("utf-8").count(FULL)

        persona.write_text(
            persona.read_text("utf-8").replace("Validate every request body", "Mind the body"),
            encoding="utf-8",
        )
        _wait_for("the edited page", lambda: "Mind the body" in _get(guide)[1], log)
        _wait_for("the partial rebuild", lambda: PARTIAL in log.read_text("utf-8"), log)
        assert log.read_text("utf-8").count(FULL) == builds  # no full rebuild
        # The rule is on the python guide and quick reference: no other page was rendered.
        assert "rebuilt 2 pages changed by the persona edit" in log.read_text("utf-8")
        assert log.read_text("utf-8").count(unsafe) == 1
        assert "findings shown before, not repeated" in log.read_text("utf-8")
        assert _get(go_guide)[0] == 200

        # A save that changes no page (an editor touching the file): the rebuild ahead
        # finds nothing to render, and the server's own poll then rebuilds nothing.
        reloads = log.read_text("utf-8").count(RELOAD)
        later = time.time() + 5
        os.utime(persona, (later, later))
        _wait_for("the server's poll", lambda: log.read_text("utf-8").count(RELOAD) > reloads, log)
        assert log.read_text("utf-8").count(FULL) == builds
        assert log.read_text("utf-8").count(PARTIAL) == 1

        # A save halfway through an edit breaks the front matter: the error is logged, the
        # pages keep the persona as it was, and nothing is rebuilt in full.
        good = persona.read_text("utf-8")
        persona.write_text(good.replace("---\n", "---\nname: [unclosed\n", 1), "utf-8")
        _wait_for("the kept persona", lambda: KEPT in log.read_text("utf-8"), log)
        assert "python-api-engineer.md:" in log.read_text("utf-8")  # its error, at its line
        assert "Mind the body" in _get(guide)[1]
        persona.write_text(good.replace("Mind the body", "Mind the payload"), "utf-8")
        _wait_for("the fixed persona", lambda: "Mind the payload" in _get(guide)[1], log)
        assert log.read_text("utf-8").count(FULL) == builds
        assert log.read_text("utf-8").count(PARTIAL) == 2

        # A hand-written page changes: MkDocs' own full rebuild, as without the plugin.
        project.write("docs/index.md", "# Home\n\nWelcome back.\n")
        _wait_for("the home page", lambda: "Welcome back" in _get(url)[1], log)
        assert log.read_text("utf-8").count(FULL) == builds + 1

        # A persona edit that renames a heading: the hand-written link to its old anchor
        # is reported by the partial rebuild, as a full build would.
        assert "does not contain an anchor" not in log.read_text("utf-8")
        persona.write_text(
            persona.read_text("utf-8").replace("## Best Practices", "## Good habits"),
            encoding="utf-8",
        )
        _wait_for("the renamed heading", lambda: "Good habits" in _get(guide)[1], log)
        _wait_for(
            "the broken anchor",
            lambda: (
                "does not contain an anchor '#python-api-engineer-best-practices'"
                in log.read_text("utf-8")
            ),
            log,
        )
        assert log.read_text("utf-8").count(PARTIAL) == 3
        assert log.read_text("utf-8").count(FULL) == builds + 1
    assert "Traceback" not in log.read_text(encoding="utf-8")
