"""Build sites, serve them on 127.0.0.1, and drive Debian's chromium with Playwright.

No browser is ever downloaded: Playwright launches the system binary
(``/usr/bin/chromium``, or ``$PERSONA_KB_CHROMIUM``, e.g. Chrome on a GitHub
runner). Without it every browser test is skipped with the reason shown.
Requests to any host other than the local server are answered with an empty
response, so the site behaves as it would online (web fonts) without the network.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts" / "browser"
CHROMIUM = os.environ.get("PERSONA_KB_CHROMIUM") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}

HOSTILE_PERSONA = """\
---
name: hostile-helper
topic: hostile
description: 'Helps. <script>window.__pwned = "description"; alert(1)</script>'
---

# Hostile helper

## Identity

You are a helper. <script>window.__pwned = "inline"; alert(2)</script>

<img src="missing.png" onerror="window.__pwned = 'onerror'; alert(3)">

<a href="javascript:window.__pwned = 'href'; alert(4)" id="evil-link">a javascript: link</a>

<div onmouseover="window.__pwned = 'hover'">hover me</div>

<script>
window.__pwned = "block";
alert(5);
</script>

## Best practices

- Never run <script>window.__pwned = "bullet"</script> from a persona.
"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The chromium binary, or a visible skip when there is none."""
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        reason = (
            f"chromium not found at {CHROMIUM}: install it (`apt-get install chromium`) "
            "or set PERSONA_KB_CHROMIUM"
        )
        if os.environ.get("CI"):
            # .ci/run and the workflows install it: in CI a missing browser is a failure,
            # never a quiet skip of the site's browser checks.
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


def _build(config: Path, site_dir: Path) -> Path:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site_dir)],
        env=ENV,
        capture_output=True,
        text=True,
        check=False,
        cwd=config.parent,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return site_dir


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """A site served on 127.0.0.1."""

    root: Path
    url: str
    pages: list[str] = field(default_factory=list)
    """Every HTML page, as URL paths relative to ``url`` (``kb/python/``)."""


@pytest.fixture(scope="session")
def serve() -> Iterator[Any]:
    """A factory: ``serve(site_dir)`` starts ``python -m http.server`` and returns a `Served`."""
    servers: list[subprocess.Popen[bytes]] = []

    def start(site_dir: Path) -> Served:
        port = _free_port()
        process = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
            cwd=site_dir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        servers.append(process)
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    response.read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"http.server did not start on {url}") from None
                time.sleep(0.1)
        pages = sorted(
            p.relative_to(site_dir).as_posix().removesuffix("index.html")
            for p in site_dir.rglob("*.html")
        )
        return Served(site_dir, url, pages)

    yield start
    for process in servers:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@pytest.fixture(scope="session")
def repo_site(tmp_path_factory: pytest.TempPathFactory, chromium_path: str, serve: Any) -> Served:
    """This repository's own site, built into a temporary folder and served."""
    site = _build(REPO_ROOT / "mkdocs.yml", tmp_path_factory.mktemp("repo-site") / "site")
    served: Served = serve(site)
    return served


@pytest.fixture(scope="session")
def hostile_site(
    tmp_path_factory: pytest.TempPathFactory, chromium_path: str, serve: Any
) -> Served:
    """A Material site whose knowledge base holds a persona carrying script injections."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n\nThe [KB](kb/README.md).\n", "utf-8")
    (root / "kb").mkdir()
    (root / "kb" / "hostile-helper.md").write_text(HOSTILE_PERSONA, encoding="utf-8")
    shutil.copy(REPO_ROOT / "kb" / "backend-python-engineer.md", root / "kb")
    (root / "mkdocs.yml").write_text(
        textwrap.dedent(
            """\
            site_name: hostile
            theme:
              name: material
              features: [content.code.copy]
            markdown_extensions:
              - admonition
              - attr_list
              - md_in_html
              - pymdownx.superfences
              - pymdownx.tabbed:
                  alternate_style: true
            plugins:
              - search
              - persona-kb
            """
        ),
        encoding="utf-8",
    )
    served: Served = serve(_build(root / "mkdocs.yml", root / "site"))
    return served


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    """One headless chromium for the session (Playwright's sync API, system binary)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True, timeout=60_000
        )
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class PageWatch:
    """A browser page plus what it reported: console errors, page errors, dialogs."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> None:
        """Save ``test-artifacts/browser/<name>.png``."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


@pytest.fixture
def watched(browser: Any) -> Iterator[PageWatch]:
    """A fresh page (1280 by 900, the desktop layout) that records every error and dialog."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    watch = PageWatch(page)

    def on_console(message: Any) -> None:
        if message.type == "error":
            watch.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def offline(route: Any) -> None:
        # Other hosts (web fonts, analytics) get an empty answer instead of the network.
        watch.external_requests.append(route.request.url)
        route.fulfill(status=200, body="", content_type="text/plain")

    page.on("console", on_console)
    page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    page.on("dialog", on_dialog)
    context.route(lambda url: not url.startswith("http://127.0.0.1:"), offline)
    try:
        yield watch
    finally:
        context.close()
