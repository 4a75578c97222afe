"""The allow-listed HTML of the generated pages, remembered between builds.

[`sanitize_page_html`][persona_kb._internal.kb.render.html_allowlist.sanitize_page_html]
is a pure function of the page's HTML, the allow-list (persona-kb's code) and nh3, so
its result is kept under a hash of those, in memory and in the plugin's
[`CacheStore`][persona_kb._internal.kb.cache_store.CacheStore]: a rebuild in which a
page's HTML did not change does not parse it again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import cache
from importlib.metadata import PackageNotFoundError, version

from persona_kb._internal.kb.cache import code_fingerprint
from persona_kb._internal.kb.cache_store import CacheStore
from persona_kb._internal.kb.render.html_allowlist import sanitize_page_html

_KIND = "html"


@cache
def _salt() -> bytes:
    try:
        nh3_version = version("nh3")
    except PackageNotFoundError:  # pragma: no cover - nh3 is a dependency
        nh3_version = "?"
    return f"{code_fingerprint()}\0{nh3_version}\0".encode()


def html_key(page_html: str) -> str:
    """The cache key of ``page_html``'s allow-listed version."""
    return hashlib.sha256(_salt() + page_html.encode("utf-8", "surrogatepass")).hexdigest()


class SanitizedHtmlCache:
    """``sanitize_page_html`` with its results kept (in memory, and in ``store``)."""

    def __init__(self, store: CacheStore | None = None) -> None:
        self.store = store
        self._memory: dict[str, str] = {}
        self.misses = 0
        """Pages sanitised (not found in the cache) since it was created."""

    def sanitize(self, page_html: str) -> tuple[str, str]:
        """The allow-listed ``page_html`` and its key (keep the key for ``retain``)."""
        key = html_key(page_html)
        found = self._memory.get(key)
        if found is None and self.store is not None:
            stored = self.store.get(_KIND, key)
            found = stored if isinstance(stored, str) else None
        if found is None:
            self.misses += 1
            found = sanitize_page_html(page_html)
            if self.store is not None:
                self.store.put(_KIND, key, found)
        self._memory[key] = found
        return found, key

    def retain(self, keys: Iterable[str]) -> None:
        """Forget every page not in ``keys`` (memory and store), then commit."""
        live = set(keys)
        self._memory = {k: v for k, v in self._memory.items() if k in live}
        if self.store is not None:
            self.store.retain(_KIND, live)
            self.store.flush()
