"""Read the primary navigation out of a page built with Material for MkDocs."""

from __future__ import annotations

from html.parser import HTMLParser


class _PrimaryNav(HTMLParser):
    """Collects the links and section labels of ``nav.md-nav--primary``, minus the page TOC."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []  # one entry per open <nav> in the primary nav: is it a TOC?
        self.items: list[tuple[str, str]] = []
        self._open: str | None = None
        self._href = ""
        self._text: list[str] = []

    def _inside(self) -> bool:
        return bool(self.stack) and not any(self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        classes = (values.get("class") or "").split()
        if tag == "nav" and (self.stack or "md-nav--primary" in classes):
            self.stack.append("md-nav--secondary" in classes)
        elif tag in ("a", "label") and self._inside() and "md-nav__link" in classes:
            self._open, self._href, self._text = tag, values.get("href") or "", []

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.stack:
            self.stack.pop()
        elif tag == self._open:
            self.items.append((self._href, " ".join("".join(self._text).split())))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)


def primary_nav_links(html: str) -> list[tuple[str, str]]:
    """``(href, text)`` of every link and section label (href ``""``) in the primary nav."""
    parser = _PrimaryNav()
    parser.feed(html)
    return parser.items
