"""Check every link of a built site: pages, ``#fragments``, images and assets.

The check is offline: each HTML file is read and parsed once, every link is
resolved the way a browser on a static host resolves it, and fragments are
looked up in the target page's anchors. External URLs are collected, and
checked only when asked (see :mod:`persona_kb._internal.checks.links.external`).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from persona_kb._internal.checks.links.html import HtmlLink, HtmlPage, parse_html
from persona_kb._internal.checks.links.site import has_scheme

if TYPE_CHECKING:  # urllib's HTTP stack loads only when external URLs are checked
    from persona_kb._internal.checks.links.external import ExternalOptions, UrlResult


class ProblemKind(StrEnum):
    """What is wrong with a link; each kind has its own diagnostic code."""

    MISSING_PAGE = "missing-page"
    MISSING_ANCHOR = "missing-anchor"
    MISSING_ASSET = "missing-asset"
    OUTSIDE_SITE = "outside-site"
    EXTERNAL_BROKEN = "external-broken"


@dataclass(frozen=True, slots=True)
class LinkProblem:
    """One broken link, where it was found and what it points at."""

    kind: ProblemKind
    page: str
    """The page holding the link, relative to the site dir (``guide/index.html``)."""
    link: HtmlLink
    target: str
    """The resolved file, relative to the site dir (``""`` for external URLs)."""
    fragment: str = ""
    detail: str = ""
    """Why: ``HTTP 404``, ``timed out``, or anchors close to a missing one."""


@dataclass(frozen=True, slots=True)
class LinkReport:
    """The outcome of checking one site."""

    site_dir: Path
    pages: int
    links: int
    """Link occurrences looked at (internal and external)."""
    external_urls: int
    """Distinct external URLs found (checked only with ``external``)."""
    external_checked: bool
    problems: tuple[LinkProblem, ...]


_ASSET_TAGS = frozenset({"img", "source", "script", "link", "video", "audio", "track", "embed"})


def check_site(
    site_dir: Path,
    *,
    base_path: str = "/",
    external: ExternalOptions | None = None,
    exclude: Sequence[re.Pattern[str]] = (),
) -> LinkReport:
    """Check the links of the built site in ``site_dir``.

    ``base_path`` is the path of ``site_url`` (root-relative links start with it).
    ``external`` turns on checking of ``http(s)`` URLs.
    Links whose URL matches a pattern of ``exclude`` are skipped (and never fetched).
    """
    files, directories = _inventory(site_dir)
    html_files = sorted(f for f in files if f.endswith((".html", ".htm")))
    pages = _parse_all(site_dir, html_files)
    problems: list[LinkProblem] = []
    external_links: list[tuple[str, HtmlLink]] = []
    resolver = _Resolver(files, directories, base_path)
    count = 0
    for page_path in html_files:
        page = pages[page_path]
        base_dir = _base_dir(page_path, page)
        for link in page.links:
            count += 1
            if exclude and any(pattern.search(link.url) for pattern in exclude):
                continue
            status, target, fragment = resolver.resolve(base_dir, link.url)
            if status is _Status.FINE:
                continue
            if status is _Status.EXTERNAL:
                external_links.append((page_path, link))
                continue
            if status is _Status.SAME_PAGE:
                status, target = _Status.FOUND, page_path
            if status is _Status.FOUND:
                problem = _check_fragment(page_path, link, target, fragment, pages)
            elif status is _Status.OUTSIDE:
                problem = LinkProblem(ProblemKind.OUTSIDE_SITE, page_path, link, target, fragment)
            else:
                kind = (
                    ProblemKind.MISSING_ASSET
                    if link.tag in _ASSET_TAGS
                    else ProblemKind.MISSING_PAGE
                )
                problem = LinkProblem(kind, page_path, link, target, fragment)
            if problem is not None:
                problems.append(problem)
    distinct = sorted({_without_fragment(link.url) for _, link in external_links})
    if external is not None and distinct:
        from persona_kb._internal.checks.links.external import check_urls

        results = check_urls(distinct, external)
        problems.extend(_external_problems(external_links, results))
    problems.sort(key=lambda p: (p.page, p.link.line, p.link.url))
    return LinkReport(
        site_dir=site_dir,
        pages=len(html_files),
        links=count,
        external_urls=len(distinct),
        external_checked=external is not None,
        problems=tuple(problems),
    )


def _inventory(site_dir: Path) -> tuple[frozenset[str], frozenset[str]]:
    files: set[str] = set()
    directories: set[str] = {""}
    root = str(site_dir)
    for dirpath, dirnames, filenames in os.walk(root):
        rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
        rel = "" if rel == "." else rel
        for name in dirnames:
            directories.add(f"{rel}/{name}" if rel else name)
        for name in filenames:
            files.add(f"{rel}/{name}" if rel else name)
    return frozenset(files), frozenset(directories)


def _read_and_parse(path: Path) -> HtmlPage:
    return parse_html(path.read_bytes().decode("utf-8", errors="replace"))


def _parse_all(site_dir: Path, html_files: Sequence[str]) -> dict[str, HtmlPage]:
    # One process on purpose: measured on a 27 MB Material site, a process pool was no
    # faster on two cores (pickling the links back costs what the second core saves).
    return {rel: _read_and_parse(site_dir / rel) for rel in html_files}


def _without_fragment(url: str) -> str:
    return url.split("#", 1)[0]


class _Status(StrEnum):
    FINE = "fine"
    """Nothing to check offline (``mailto:``, ``data:``, …) or a found target without fragment."""
    EXTERNAL = "external"
    SAME_PAGE = "same-page"
    FOUND = "found"
    MISSING = "missing"
    OUTSIDE = "outside"


def _base_dir(page_path: str, page: HtmlPage) -> str:
    """The folder relative URLs of ``page`` resolve against (``<base href>`` aware)."""
    directory = posixpath.dirname(page_path)
    base = page.base_href
    if base and not has_scheme(base) and not base.startswith("/"):
        return posixpath.normpath(posixpath.join(directory, posixpath.dirname(base + "x")))
    return directory


class _Resolver:
    """Resolves a URL against a folder of the site, once per distinct (folder, URL).

    Every page of a Material site repeats the same navigation, so most links are
    exact repeats of a link on a sibling page: the cache turns them into one lookup.
    """

    def __init__(self, files: frozenset[str], directories: frozenset[str], base_path: str) -> None:
        self.files = files
        self.directories = directories
        self.base_path = base_path
        self.cache: dict[tuple[str, str], tuple[_Status, str, str]] = {}

    def resolve(self, base_dir: str, url: str) -> tuple[_Status, str, str]:
        """(status, site-relative target, fragment) for ``url`` as seen from ``base_dir``."""
        if url.startswith("#"):
            return _Status.SAME_PAGE, "", unquote(url[1:])
        # "../x/" from a/b and from a/c is the same link: key it by the folder it climbs
        # to, so that navigation links repeated on every page resolve once.
        climbs = 0
        while url.startswith("../", climbs * 3):
            climbs += 1
        if climbs:
            folders = base_dir.split("/") if base_dir else []
            if climbs <= len(folders):
                base_dir = "/".join(folders[: len(folders) - climbs])
                url = url[climbs * 3 :]
                if not url or url[0] in "#?":
                    url = "./" + url
        key = (base_dir, url)
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self._resolve(base_dir, url)
        return found

    def _resolve(self, base_dir: str, url: str) -> tuple[_Status, str, str]:
        lowered = url[:11].lower()
        if lowered.startswith(("http://", "https://", "//")):
            return _Status.EXTERNAL, "", ""
        if has_scheme(url):
            return _Status.FINE, "", ""  # mailto:, data:, ftp:, … cannot be checked offline
        parts = urlsplit(url)
        path = unquote(parts.path)
        fragment = unquote(parts.fragment)
        if not path:
            return _Status.SAME_PAGE, "", fragment
        if path.startswith("/"):
            inside = self.base_path == "/" or (path + "/").startswith(self.base_path)
            target = _normalise(path[len(self.base_path) :]) if inside else None
            if target is None:
                return _Status.OUTSIDE, path, fragment
        else:
            joined = posixpath.join(base_dir, path)
            target = _normalise(joined)
            if target is None:
                return _Status.OUTSIDE, posixpath.normpath(joined), fragment
        if path.endswith("/") or target in self.directories:
            target = f"{target}/index.html" if target else "index.html"
        if target not in self.files:
            return _Status.MISSING, target, fragment
        return (_Status.FOUND if fragment else _Status.FINE), target, fragment


def _check_fragment(
    page_path: str, link: HtmlLink, target: str, fragment: str, pages: dict[str, HtmlPage]
) -> LinkProblem | None:
    if not fragment or fragment == "top" or fragment.startswith(":~:"):
        return None
    target_page = pages.get(target)
    if target_page is None or fragment in target_page.ids:
        return None  # not an HTML page (a source file's #L10), or the anchor exists
    return LinkProblem(
        ProblemKind.MISSING_ANCHOR,
        page_path,
        link,
        target,
        fragment,
        detail=_closest(fragment, target_page.ids),
    )


def _normalise(path: str) -> str | None:
    """A site-relative path, or ``None`` if it climbs out of the site."""
    normal = posixpath.normpath(path) if path else ""
    if normal == ".":
        return ""
    if normal == ".." or normal.startswith(("../", "/")):
        return None
    return normal


def _closest(fragment: str, ids: frozenset[str]) -> str:
    import difflib

    close = difflib.get_close_matches(fragment, list(ids), n=3, cutoff=0.6)
    return ", ".join(f"#{c}" for c in close)


def _external_problems(
    links: Sequence[tuple[str, HtmlLink]], results: dict[str, UrlResult]
) -> Iterator[LinkProblem]:
    for page_path, link in links:
        result = results.get(_without_fragment(link.url))
        if result is not None and not result.ok:
            yield LinkProblem(
                ProblemKind.EXTERNAL_BROKEN, page_path, link, "", detail=result.describe()
            )
