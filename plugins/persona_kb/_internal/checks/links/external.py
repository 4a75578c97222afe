"""Check external ``http(s)`` URLs: a thread pool, timeouts, retries and an on-disk cache.

Only run on request (``persona-kb links --external``): the default check is
offline. Each distinct URL is fetched once per run (``HEAD``, falling back to
``GET`` for servers that refuse ``HEAD``). Successes are cached on disk for
``cache_ttl`` seconds, so CI re-runs do not hammer the same hosts; failures are
always re-checked.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CACHE = Path(".persona-kb-cache") / "external-links.json"
"""Where ``persona-kb links --external`` keeps its cache (relative to the current folder)."""

# Statuses worth another try: the server may be busy or rate limiting.
_RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
# Statuses with which servers refuse HEAD but may answer GET.
_HEAD_REFUSED = frozenset({400, 403, 404, 405, 501})


@dataclass(frozen=True, slots=True)
class ExternalOptions:
    """How external URLs are checked."""

    timeout: float = 10.0
    """Seconds per request."""
    retries: int = 2
    """Extra attempts after a timeout, a connection error, 429 or 5xx."""
    backoff: float = 0.5
    """Seconds before the first retry; doubled for each further one."""
    workers: int = 8
    """Requests in flight at once."""
    cache_path: Path | None = DEFAULT_CACHE
    """JSON file of recent successes; ``None`` disables the cache."""
    cache_ttl: float = 24 * 3600
    """How long a cached success is trusted, in seconds."""
    user_agent: str = "persona-kb-linkcheck/1 (+https://pypi.org/project/persona-kb/)"


@dataclass(frozen=True, slots=True)
class UrlResult:
    """The outcome for one URL."""

    url: str
    ok: bool
    status: int | None = None
    error: str = ""
    attempts: int = 1
    cached: bool = False

    def describe(self) -> str:
        """``HTTP 404`` or the connection error, for the report."""
        if self.status is not None and not self.ok:
            return f"HTTP {self.status}"
        return self.error or ("ok" if self.ok else "failed")


def check_urls(urls: Iterable[str], options: ExternalOptions) -> dict[str, UrlResult]:
    """Check each distinct URL (fragments are ignored) and return url → result."""
    distinct = sorted({u.split("#", 1)[0] for u in urls})
    cache = _load_cache(options)
    now = time.time()
    results: dict[str, UrlResult] = {}
    pending: list[str] = []
    for url in distinct:
        checked = cache.get(url)
        if checked is not None and now - checked < options.cache_ttl:
            results[url] = UrlResult(url, ok=True, cached=True, attempts=0)
        else:
            pending.append(url)
    if pending:
        with ThreadPoolExecutor(max_workers=max(1, options.workers)) as pool:
            for result in pool.map(lambda u: _check_one(u, options), pending):
                results[result.url] = result
    _save_cache(options, cache, results, now)
    return results


def _check_one(url: str, options: ExternalOptions) -> UrlResult:
    request_url = "https:" + url if url.startswith("//") else url
    attempts = 0
    delay = options.backoff
    result = UrlResult(url, ok=False, error="not checked", attempts=0)
    for attempt in range(options.retries + 1):
        attempts = attempt + 1
        status, error = _fetch(request_url, "HEAD", options)
        if status in _HEAD_REFUSED:
            status, error = _fetch(request_url, "GET", options)
        if status is not None and 200 <= status < 400:
            return UrlResult(url, ok=True, status=status, attempts=attempts)
        result = UrlResult(url, ok=False, status=status, error=error, attempts=attempts)
        if status is not None and status not in _RETRY_STATUSES:
            return result
        if attempt < options.retries:
            time.sleep(delay)
            delay *= 2
    return result


def _fetch(url: str, method: str, options: ExternalOptions) -> tuple[int | None, str]:
    request = urllib.request.Request(  # noqa: S310 - the scheme is http(s), checked by the caller
        url, method=method, headers={"User-Agent": options.user_agent, "Accept": "*/*"}
    )
    try:
        with urllib.request.urlopen(request, timeout=options.timeout) as response:  # noqa: S310
            return int(response.status), ""
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code, f"HTTP {exc.code}"
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return None, f"timed out after {options.timeout:g}s"
        return None, f"unreachable: {reason}"
    except TimeoutError:
        return None, f"timed out after {options.timeout:g}s"
    except (OSError, ValueError) as exc:
        return None, f"unreachable: {exc}"


def _load_cache(options: ExternalOptions) -> dict[str, float]:
    if options.cache_path is None:
        return {}
    try:
        data = json.loads(options.cache_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        str(url): float(checked)
        for url, checked in data.items()
        if isinstance(checked, int | float) and not isinstance(checked, bool)
    }


def _save_cache(
    options: ExternalOptions, cache: dict[str, float], results: dict[str, UrlResult], now: float
) -> None:
    if options.cache_path is None:
        return
    updated = {url: checked for url, checked in cache.items() if now - checked < options.cache_ttl}
    for url, result in results.items():
        if result.ok and not result.cached:
            updated[url] = now
        elif not result.ok:
            updated.pop(url, None)
    try:
        options.cache_path.parent.mkdir(parents=True, exist_ok=True)
        temporary = options.cache_path.with_suffix(".tmp")
        temporary.write_text(json.dumps(updated, indent=1, sort_keys=True), encoding="utf-8")
        temporary.replace(options.cache_path)
    except OSError:
        pass  # the cache is an optimisation: a read-only checkout still gets a full check
