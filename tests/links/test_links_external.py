"""External URLs: checked only on request, against a local server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from persona_kb._internal.adapters.cli.main import main
from persona_kb._internal.checks.links.external import ExternalOptions, check_urls


class _Handler(BaseHTTPRequestHandler):
    hits: ClassVar[Counter[str]] = Counter()
    flaky_failures = 0

    def _answer(self, send_body: bool) -> None:
        type(self).hits[f"{self.command} {self.path}"] += 1
        path = self.path
        if path == "/ok":
            status = 200
        elif path == "/missing":
            status = 404
        elif path == "/gone":
            status = 410
        elif path == "/flaky":
            cls = type(self)
            cls.flaky_failures += 1
            status = 503 if cls.flaky_failures <= 2 else 200
        elif path == "/slow":
            time.sleep(1.0)
            status = 200
        elif path == "/no-head":
            status = 405 if self.command == "HEAD" else 200
        elif path == "/redirect":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        else:
            status = 404
        body = b"hello\n"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.hits = Counter()
    _Handler.flaky_failures = 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def _options(**overrides: object) -> ExternalOptions:
    values: dict[str, object] = {"timeout": 0.3, "retries": 2, "backoff": 0.01, "cache_path": None}
    values.update(overrides)
    return ExternalOptions(**values)  # type: ignore[arg-type]


def test_statuses_retries_timeouts_and_head_fallback(server: str) -> None:
    urls = [
        f"{server}/{p}" for p in ("ok", "missing", "gone", "flaky", "slow", "no-head", "redirect")
    ]
    results = check_urls([*urls, f"{server}/ok#fragment"], _options())
    outcome = {url.rsplit("/", 1)[1]: (r.ok, r.describe()) for url, r in results.items()}
    assert outcome["ok"] == (True, "ok")
    assert outcome["missing"] == (False, "HTTP 404")
    assert outcome["gone"] == (False, "HTTP 410")
    assert outcome["flaky"] == (True, "ok")
    assert results[f"{server}/flaky"].attempts == 3
    assert outcome["slow"] == (False, "timed out after 0.3s")
    assert results[f"{server}/slow"].attempts == 3
    assert outcome["no-head"] == (True, "ok")
    assert outcome["redirect"] == (True, "ok")
    # The fragment is not part of the request: /ok is fetched once for itself and once
    # as /redirect's target. (urllib follows a HEAD's redirect with GET up to Python 3.12
    # and with HEAD from 3.13, so only the total is the same everywhere.)
    assert _Handler.hits["HEAD /ok"] + _Handler.hits["GET /ok"] == 2
    assert _Handler.hits["HEAD /redirect"] == 1
    assert len(results) == len(urls)


def test_unreachable_host_is_reported_not_raised() -> None:
    results = check_urls(["http://127.0.0.1:9/nothing-listens-here"], _options(retries=0))
    (result,) = results.values()
    assert not result.ok
    assert result.describe().startswith("unreachable: ")


def test_cache_keeps_successes_only(server: str, tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "links.json"
    options = _options(cache_path=cache)
    urls = [f"{server}/ok", f"{server}/missing"]
    check_urls(urls, options)
    assert cache.is_file()
    before = _Handler.hits.copy()
    second = check_urls(urls, options)
    assert second[f"{server}/ok"].cached
    assert not second[f"{server}/missing"].cached
    assert _Handler.hits["HEAD /ok"] == before["HEAD /ok"]  # served from the cache
    assert _Handler.hits["HEAD /missing"] == before["HEAD /missing"] + 1
    expired = check_urls(urls, _options(cache_path=cache, cache_ttl=0))
    assert not expired[f"{server}/ok"].cached


def test_cli_checks_external_links_only_when_asked(
    server: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        f'<p>\n<a href="{server}/ok">fine</a>\n<a href="{server}/missing#x">broken</a>\n'
        '<a href="mailto:someone@example.org">mail</a>\n</p>\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    assert main(["links", "site"]) == 0
    assert "2 external URLs not checked: pass --external" in capsys.readouterr().out
    assert not _Handler.hits
    code = main(["links", "site", "--external", "--timeout", "2", "--cache", "c.json"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert out[0] == (
        f"site/index.html:3:1: error: external link '{server}/missing#x' in index.html is "
        "broken: HTTP 404; fix or remove the URL (or skip it with --exclude REGEX if the "
        "host blocks link checkers) [PKB704]"
    )
    assert out[-1] == ("persona-kb links: 1 page, 3 links, 1 broken (2 external URLs checked)")
    assert main(["links", "site", "--external", "--exclude", "/missing", "--no-cache"]) == 0
    assert not (tmp_path / ".persona-kb-cache").exists()


def test_cli_default_cache_is_the_checker_default() -> None:
    from persona_kb._internal.adapters.cli import links as cli_links
    from persona_kb._internal.checks.links import external

    assert cli_links.DEFAULT_CACHE == external.DEFAULT_CACHE
