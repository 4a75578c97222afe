"""The allow-list applied to the final HTML of every generated page, and safe metadata.

Persona files are untrusted. Escaping them in the Markdown (``render.sanitize``) keeps
their text visible, but what ships is the HTML that Python-Markdown and its extensions
(attr_list, md_in_html, superfences, …) make of that Markdown, and those parse some
inputs differently from any Markdown-level check. So the HTML of each generated page is
cleaned once more, by nh3 (ammonia, an HTML5 parser, the same way a browser parses it),
against an allow-list that keeps what the pages use: Material's content tabs (radio
inputs and labels), admonitions, ``<details>``, highlighted code spans, header links,
task lists and SVG emoji. Everything else, ``on*`` attributes, ``style``, scripts and
URLs other than ``http(s)``/``mailto``/``tel``/relative ones, is removed.

Metadata (titles, descriptions, tags) is shown by the theme's templates without
escaping, so it is escaped here: :func:`escape_title` and :func:`escape_meta_text`.
"""

from __future__ import annotations

import html
import re

from collections.abc import MutableMapping
from typing import Any

import nh3

__all__ = ["escape_meta_text", "escape_page_metadata", "escape_title", "sanitize_page_html"]

_TEXT_TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd",
    "label", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "time", "tr", "u", "ul", "var", "wbr",
}  # fmt: skip
# Material's emoji (``to_svg``) and icons are inline SVG made of these shapes only.
_SVG_TAGS = {"svg", "path", "g", "circle", "rect", "line", "polyline", "polygon", "ellipse"}
ALLOWED_TAGS = frozenset(_TEXT_TAGS | _SVG_TAGS)

_GLOBAL_ATTRIBUTES = {"class", "id", "title", "lang", "dir", "role"}
_SVG_SHAPE = {"d", "fill", "transform", "cx", "cy", "r", "rx", "ry", "x", "y", "x1", "x2"}
_SVG_SHAPE |= {"y1", "y2", "points", "width", "height", "fill-rule", "clip-rule"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": _GLOBAL_ATTRIBUTES,
    "a": {"href", "name", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "align"},
    "input": {"type", "name", "checked", "disabled"},
    "label": {"for"},
    "details": {"open"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "td": {"align", "colspan", "rowspan", "style"},
    "th": {"align", "colspan", "rowspan", "style", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "div": {"data-tabs"},
    "svg": {"xmlns", "viewbox", "viewBox", "width", "height", "fill", "aria-hidden"},
    **{tag: set(_SVG_SHAPE) for tag in _SVG_TAGS - {"svg"}},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# The only inline style the pages carry: Python-Markdown's table column alignment.
_TEXT_ALIGN = re.compile(r"\s*text-align:\s*(left|right|center)\s*;?\s*", re.IGNORECASE)
_INPUT_TYPES = frozenset({"radio", "checkbox"})


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        return value if _TEXT_ALIGN.fullmatch(value) else None
    if element == "input" and attribute == "type":
        return value if value.lower() in _INPUT_TYPES else None
    if attribute == "data-tabs":
        return value if re.fullmatch(r"[0-9:]{1,20}", value) else None
    return value


def sanitize_page_html(page_html: str) -> str:
    """``page_html`` (the body MkDocs rendered from a generated page) through the allow-list.

    Safe to apply to any fragment; idempotent. Comments, scripts, styles, forms, frames,
    event handlers and dangerous URL schemes (however they are entity-encoded) go.
    """
    cleaned: str = nh3.clean(
        page_html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "template", "noscript", "textarea", "title"},
        attributes=ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    return cleaned


def escape_meta_text(text: str) -> str:
    """Plain text made safe for a template that prints it unescaped (attributes too).

    Idempotent: text already escaped by this function comes back unchanged.
    """
    # `'` stays: the themes quote attributes with `"`, and `&#x27;` would show in exports.
    return html.escape(html.unescape(text), quote=False).replace('"', "&quot;")


def escape_title(text: str) -> str:
    """A page or nav title made safe for Material's templates, which print it raw.

    The ``<title>`` element gets it through Jinja's ``striptags``, which *unescapes*
    entities: a ``&lt;/title&gt;`` would close the element there. A zero-width space
    after ``<`` keeps any ``</…`` from ever reading as an end tag.
    """
    return escape_meta_text(text).replace("&lt;/", "&lt;\u200b/")


def escape_page_metadata(meta: MutableMapping[str, Any]) -> None:
    """Escape, in place, the front-matter values a theme prints raw (title, tags, …).

    Strings (and strings in lists) under every key are escaped with
    :func:`escape_meta_text`; ``title`` with :func:`escape_title`.
    """
    for key, value in list(meta.items()):
        if isinstance(value, str):
            meta[key] = escape_title(value) if key == "title" else escape_meta_text(value)
        elif isinstance(value, list):
            meta[key] = [escape_meta_text(v) if isinstance(v, str) else v for v in value]
