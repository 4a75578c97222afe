"""Judge raw HTML from a persona: which tags stay HTML, which are escaped, which are
dangerous. Used by ``render.sanitize`` on the Markdown of the generated pages."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import unquote

from markdown_it.common import html_re

__all__ = [
    "DANGEROUS_TAGS",
    "KEPT_TAGS",
    "TAG_RE",
    "is_dangerous_url",
    "judge_tag",
    "neutralize_html",
    "sanitize_html",
]

# Tags a persona may use as formatting; they stay HTML when their attributes are safe.
KEPT_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "center", "cite",
        "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
        "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "rp", "rt", "ruby", "s",
        "samp", "small", "source", "span", "strike", "strong", "sub", "summary", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var",
        "video", "wbr",
    }
)  # fmt: skip
# Elements that run code, load documents or restyle the page: dangerous whatever their
# attributes say.
DANGEROUS_TAGS = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
        "form", "meta", "link", "base", "svg", "math", "template", "noscript", "textarea",
        "xmp", "plaintext", "listing", "noembed", "noframes", "isindex", "portal", "xml",
        "import", "button", "select", "option", "input", "marquee", "bgsound", "title",
        "set", "animate", "use", "foreignobject", "handler", "xss",
    }
)  # fmt: skip
_URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "background", "srcset",
     "lowsrc", "dynsrc", "ping", "cite", "xlink:href", "codebase", "longdesc", "usemap",
     "manifest", "icon", "profile", "archive", "classid"}
)  # fmt: skip
_DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
TAG_RE = re.compile(
    "(?:"
    + "|".join(
        (
            html_re.open_tag,
            html_re.close_tag,
            html_re.comment,
            html_re.processing,
            html_re.declaration,
            html_re.cdata,
        )
    )
    + ")"
)
_TAG_NAME_RE = re.compile(r"</?([A-Za-z][A-Za-z0-9\-]*)")
_CONTROL_RE = re.compile(r"[\x00-\x20\x7f]+")

def is_dangerous_url(url: str) -> bool:
    """Whether ``url`` uses a scheme that runs code or smuggles content.

    Entities (``javascript&colon;``), percent-escapes and the tabs, newlines and control
    characters browsers drop from URLs (``java&#9;script:``) are undone first.
    """
    decoded = _CONTROL_RE.sub("", unquote(html.unescape(html.unescape(url)))).lower()
    return decoded.startswith(_DANGEROUS_SCHEMES)


def _dangerous_attributes(tag_text: str) -> bool:
    found: list[tuple[str, str | None]] = []

    class _Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend(attrs)

    parser = _Collect(convert_charrefs=True)
    parser.feed(tag_text)
    parser.close()
    for name, value in found:
        name = name.lower()
        if name.startswith("on") or name in ("srcdoc", "http-equiv", "formaction"):
            return True
        if name in _URL_ATTRIBUTES and value and is_dangerous_url(value):
            return True
        if name == "style" and value and re.search(r"expression|url\s*\(|javascript|binding",
                                                   value, re.IGNORECASE):  # fmt: skip
            return True
    return False


def judge_tag(tag_text: str) -> tuple[bool, bool]:
    """``(keep, dangerous)`` for one complete tag, comment or declaration.

    A tag is kept as HTML when it is a plain formatting tag with safe attributes, or an
    ordinary comment. Anything else is escaped; ``dangerous`` says it could have run
    code (a script, a frame, an event handler, a script URL, a browser-specific comment).
    """
    if tag_text.startswith("<!--"):
        weird = tag_text.startswith(("<!-->", "<!--->")) or "--!>" in tag_text
        return not weird, weird
    name_match = _TAG_NAME_RE.match(tag_text)
    if name_match is None:  # <?…?>, <!DOCTYPE …>, CDATA: text, not page structure
        return False, False
    name = name_match.group(1).lower()
    if tag_text.startswith("</"):
        return name in KEPT_TAGS, False
    if name in DANGEROUS_TAGS:
        return False, True
    dangerous = _dangerous_attributes(tag_text)
    # Markup inside an attribute value would hide as the value: show the tag as text.
    hidden_markup = "<" in tag_text[1:]
    return name in KEPT_TAGS and not dangerous and not hidden_markup, dangerous


def neutralize_html(snippet: str) -> tuple[str, bool, bool]:
    """``snippet`` (raw HTML from a persona) with every ``<`` not opening a kept tag escaped.

    Returns ``(text, changed, dangerous)``. A ``<`` that starts no complete tag (``a < b``)
    is left alone unless a letter, ``/``, ``!`` or ``?`` follows it, where a browser would
    start a tag (``See <img`` on one line and ``onerror=…>`` on the next).
    """
    out: list[str] = []
    changed = dangerous = False
    pos = 0
    while True:
        lt = snippet.find("<", pos)
        if lt < 0:
            out.append(snippet[pos:])
            break
        out.append(snippet[pos:lt])
        match = TAG_RE.match(snippet, lt)
        if match is not None:
            keep, bad = judge_tag(match.group(0))
            dangerous |= bad
            if keep:
                out.append(match.group(0))
                pos = match.end()
                continue
            out.append("&lt;")
            changed = True
            pos = lt + 1
            continue
        following = snippet[lt + 1 : lt + 2]
        if following and (following.isalpha() or following in "/!?"):
            out.append("&lt;")
            changed = True
            # An unterminated tag: dangerous when what follows would be a handler.
            dangerous |= bool(re.match(r"<[A-Za-z][^<>]*\son[a-z]+\s*=", snippet[lt:], re.I))
        else:
            out.append("<")
        pos = lt + 1
    return ("".join(out), True, dangerous) if changed else (snippet, False, False)


def sanitize_html(snippet: str) -> tuple[str, bool]:
    """Neutralise an HTML snippet; returns the text and whether anything was escaped."""
    text, changed, _ = neutralize_html(snippet)
    return text, changed


