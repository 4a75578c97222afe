"""Read the links and anchors of one built HTML page, in one pass.

A site checker reads every page of a site, so this is the hot loop. A single
compiled tokenizer walks the document once: it skips comments and the bodies of
``<script>``, ``<style>`` and ``<textarea>`` (whose text is not markup), and for
every start tag keeps only what a link checker needs: the URL attributes
(``href``, ``src``, ``srcset``, …) and the anchors (``id``, ``<a name>``).
Attribute values are entity-decoded exactly as a browser does
(:func:`html.unescape`). The tokenizer is tested against :mod:`html.parser` on
real MkDocs pages, and it is several times faster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

# Which attributes of which elements hold a URL the page depends on.
_URL_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "script": ("src",),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}

# <link rel=…> values that name an origin or a metadata URL, not a resource of the page.
_IGNORED_LINK_RELS = frozenset({"preconnect", "dns-prefetch", "canonical", "alternate", "me"})

_ATTRS = r"""(?>\s*[^\s"'>/=]++(?>\s*=\s*(?>"[^"]*"|'[^']*'|[^\s>]++))?|\s*/(?!>))*+"""
_END_OF_NAME = r"(?=[\s/>])"
# One pattern finds only what matters, so the Python loop below runs once per link or
# anchor, not once per tag (a Material page has thousands of tags, mostly <span>s).
# Leftmost-match semantics make the skipping exact: at a comment or a <script> the
# first two alternatives consume it whole, so nothing inside is ever taken for markup.
_TOKEN = re.compile(
    rf"""
    <!--.*?(?:-->|\Z)                                                 # a comment
  | <(?P<raw>(?i:script|style|textarea|title|xmp)){_END_OF_NAME}    # raw text: skip the body
      (?P<raw_attrs>{_ATTRS})\s*/?>.*?(?:</(?i:(?P=raw))\s*>|\Z)
  | <(?P<tag>(?i:{"|".join(sorted(_URL_ATTRIBUTES.keys() | {"base"}, key=len, reverse=True))}))
      {_END_OF_NAME}(?P<attrs>{_ATTRS})\s*/?>                       # a tag that may hold a URL
  | <[a-zA-Z][a-zA-Z0-9:.-]*\s                                       # any other tag with an id
      (?=(?:[^>"']|"[^"]*"|'[^']*')*?\b(?i:id)\s*=)(?P<id_attrs>{_ATTRS})\s*/?>
    """,
    re.DOTALL | re.VERBOSE,  # case-insensitive only where HTML is: a global flag costs 20%
)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?""")


@dataclass(frozen=True, slots=True)
class HtmlLink:
    """One URL found in a page: ``<a href>``, ``<img src>``, ``srcset`` candidates, …"""

    url: str
    """The attribute value, entity-decoded and stripped (one candidate for ``srcset``)."""
    tag: str
    """Lower-cased element name, e.g. ``"a"`` or ``"img"``."""
    attribute: str
    """Lower-cased attribute name, e.g. ``"href"``."""
    line: int
    """1-based line of the start tag in the HTML file."""


@dataclass(frozen=True, slots=True)
class HtmlPage:
    """What a link checker needs from one HTML document."""

    ids: frozenset[str]
    """Every ``id`` attribute and every ``<a name>``: the valid ``#fragments``."""
    links: tuple[HtmlLink, ...]
    base_href: str | None = None
    """The first ``<base href>``, if the page has one."""


def parse_html(text: str) -> HtmlPage:
    """Collect the anchors and the URLs of an HTML document in one pass."""
    ids: set[str] = set()
    links: list[HtmlLink] = []
    base_href: str | None = None
    line = 1
    counted_to = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "id_attrs":
            anchor = _read_attributes(match.group("id_attrs")).get("id")
            if anchor:
                ids.add(anchor)
            continue
        if kind == "attrs":
            tag = match.group("tag").lower()
            attrs = match.group("attrs")
        elif match.group("raw") is not None:
            tag = match.group("raw").lower()
            attrs = match.group("raw_attrs")
        else:
            continue  # a comment
        if not attrs:
            continue
        values = _read_attributes(attrs)
        anchor = values.get("id")
        if anchor:
            ids.add(anchor)
        if tag == "a" and (name := values.get("name")):
            ids.add(name)
        if tag == "base":
            if base_href is None and "href" in values:
                base_href = values["href"]
            continue
        if tag == "link" and _IGNORED_LINK_RELS & set(values.get("rel", "").lower().split()):
            continue
        found = [(a, values[a]) for a in _URL_ATTRIBUTES.get(tag, ()) if a in values]
        if found:
            start = match.start()
            line += text.count("\n", counted_to, start)
            counted_to = start
            for attribute, value in found:
                links.extend(
                    HtmlLink(url, tag, attribute, line) for url in _split_urls(attribute, value)
                )
    return HtmlPage(frozenset(ids), tuple(links), base_href)


# Pages of one site repeat the same tags (the navigation, the header) verbatim, so parsed
# attribute strings are memoised; the values are never mutated.
_ATTRIBUTE_CACHE: dict[str, dict[str, str]] = {}
_ATTRIBUTE_CACHE_SIZE = 50_000


def _read_attributes(attrs: str) -> dict[str, str]:
    cached = _ATTRIBUTE_CACHE.get(attrs)
    if cached is not None:
        return cached
    if len(_ATTRIBUTE_CACHE) >= _ATTRIBUTE_CACHE_SIZE:
        _ATTRIBUTE_CACHE.clear()
    values = _ATTRIBUTE_CACHE[attrs] = _parse_attributes(attrs)
    return values


def _parse_attributes(attrs: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for m in _ATTRIBUTE.finditer(attrs):
        name = m.group(1).lower()
        if name in values:  # browsers keep the first of duplicate attributes
            continue
        raw = m.group(2)
        if raw is None:
            raw = m.group(3)
        if raw is None:
            raw = m.group(4) or ""
        values[name] = unescape(raw) if "&" in raw else raw
    return values


def _split_urls(attribute: str, value: str) -> list[str]:
    if attribute != "srcset":
        url = value.strip()
        return [url] if url else []
    # srcset is "url [descriptor], url [descriptor]"; a URL may itself contain commas
    # only when it is not followed by whitespace, which the split below respects.
    urls = []
    for candidate in re.split(r",\s+|,$", value.strip()):
        url = candidate.strip().split(" ", 1)[0].strip()
        if url:
            urls.append(url)
    return urls
