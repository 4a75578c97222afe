"""What the site really renders as code: Python-Markdown with the site's own extensions.

MkDocs turns each page into HTML with Python-Markdown and the ``markdown_extensions`` of
``mkdocs.yml`` (plus its built-ins ``toc``, ``tables`` and ``fenced_code``, plus the ones the
persona-kb plugin enables). Rendering the page the same way and reading the ``<pre><code>``
elements of the result is the only way to know which blocks the reader sees as code: a fence
inside ``<details>``, in a footnote or a definition list, in a paragraph continuation, or pulled
in by ``pymdownx.snippets`` is code; an unclosed fence is text.

Pygments stays *configured*: without it ``pymdownx.highlight`` refuses options such as
``title=`` and the fence renders as text. But no block is colourised: which blocks are code
is decided before highlighting, and only their text matters here, so the highlighter hands
back the escaped source (colourising was most of the CPU time of selection).

``!!python/name:`` options are resolved only for the Markdown extension packages
themselves; anything else unresolvable is left out, and an extension that cannot be loaded
is reported.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown as python_markdown

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan

BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")
"""What MkDocs always enables, before the configured extensions."""

_TRUSTED_PREFIXES = ("pymdownx.", "markdown.", "material.")
"""``!!python/name:`` values resolved (imported) like MkDocs does: only these packages."""

_LANGUAGE_CLASS = re.compile(r"(?:^|\s)language-([\w+#.-]+)")


@dataclass(frozen=True, slots=True)
class RenderedBlock:
    """One ``<pre><code>`` of the rendered page, in document order."""

    language: str
    code: str
    headings: tuple[str, ...] = ()
    """The titles of the headings above it, outermost first, as the page shows them."""


def _resolve_python_name(value: str) -> object:
    dotted = value.split(":", 1)[1] if ":" in value else ""
    if not dotted.startswith(_TRUSTED_PREFIXES):
        raise LookupError(dotted)
    module_name, _, attribute = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)


def _clean(value: object) -> object:
    """Options as MkDocs would pass them; raises ``LookupError`` for an unresolvable name."""
    if isinstance(value, str) and value.startswith("!!python/name:"):
        return _resolve_python_name(value)
    if isinstance(value, str) and value.startswith("!!python/"):
        raise LookupError(value)
    if isinstance(value, Mapping):
        out: dict[str, object] = {}
        for key, item in value.items():
            try:
                out[str(key)] = _clean(item)
            except (LookupError, ImportError, AttributeError):
                continue  # one option MkDocs could resolve and we will not: leave it out
        return out
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def configured_extensions(settings: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """``markdown_extensions`` of ``mkdocs.yml`` as ``(name, options)``, built-ins first."""
    found: dict[str, dict[str, Any]] = {name: {} for name in BUILTIN_EXTENSIONS}
    raw = settings.get("markdown_extensions") or []
    entries = raw if isinstance(raw, list) else [raw]
    for entry in entries:
        if isinstance(entry, str):
            found.setdefault(entry, {})
        elif isinstance(entry, Mapping):
            for name, options in entry.items():
                found[str(name)] = dict(options) if isinstance(options, Mapping) else {}
    return list(found.items())


class SiteMarkdown:
    """A Python-Markdown converter configured like the site; reused for every page."""

    def __init__(
        self,
        extensions: Sequence[tuple[str, Mapping[str, Any]]],
        *,
        config_dir: Path,
        where: SourceSpan,
    ) -> None:
        self.problems: list[Diagnostic] = []
        self.snippet_bases: tuple[Path, ...] = ()
        """Where ``pymdownx.snippets`` looks for files (absolute), if the site uses it."""
        loaded: list[Any] = []
        probe = _Markdown()
        for name, options in extensions:
            cleaned = _clean(options)
            assert isinstance(cleaned, dict)
            if name == "pymdownx.snippets":
                cleaned = _snippet_options(cleaned, config_dir)
                self.snippet_bases = tuple(Path(base) for base in cleaned["base_path"])
            extension = _build(probe, name, cleaned) or _build(probe, name, {})
            if extension is None:
                self.problems.append(
                    Diagnostic(
                        "PKB617",
                        Severity.WARNING,
                        f"Markdown extension {name!r} could not be loaded, so the examples are "
                        "selected without it",
                        where,
                        hint="install the package that provides it in the environment that "
                        "runs the checks",
                    )
                )
                continue
            loaded.append(extension)
        self._md = _Markdown(extensions=loaded)
        # Heading ids and the table of contents never change which blocks render as code
        # (the headings' text, which maps blocks back, is the same without them).
        if "toc" in self._md.treeprocessors:
            self._md.treeprocessors.deregister("toc")
        for registered in self._md.registeredExtensions:
            _plain_highlighting(registered)

    def code_blocks(self, markdown: str) -> list[RenderedBlock] | None:
        """Every ``<pre><code>`` block the page renders, in document order (``None`` when an
        extension fails on the page: the caller then falls back to the fences it found)."""
        self._md.reset()
        try:
            rendered = self._md.convert(markdown)
        except Exception:  # an extension failing on odd input must not stop the check
            return None
        finally:
            self._md.reset()
        return code_blocks_in_html(rendered)


def _plain_highlighting(extension: Any) -> None:
    """Make ``pymdownx.highlight`` (as used by superfences) return blocks uncoloured."""
    get_highlighter = getattr(extension, "get_pymdownx_highlighter", None)
    if get_highlighter is None:
        return
    base = get_highlighter()

    class PlainHighlight(base):  # type: ignore[misc, valid-type]
        """Same options and decisions, no Pygments pass over block code."""

        def highlight(self, src: str, language: str, *args: Any, **kwargs: Any) -> Any:
            if kwargs.get("inline"):
                return super().highlight(src, language, *args, **kwargs)
            return f"<pre><code>{self.escape(src)}</code></pre>"

    extension.get_pymdownx_highlighter = lambda: PlainHighlight


_MARKDOWN_OWN = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "codehilite",
        "def_list",
        "extra",
        "fenced_code",
        "footnotes",
        "legacy_attrs",
        "legacy_em",
        "md_in_html",
        "meta",
        "nl2br",
        "sane_lists",
        "smarty",
        "tables",
        "toc",
        "wikilinks",
    }
)
"""Python-Markdown's own extensions, by the short names its entry points give them."""


class _Markdown(python_markdown.Markdown):
    """Python-Markdown that builds extensions named by module without reading every
    installed package's entry points (also for the ones extensions register themselves,
    as superfences does with highlight)."""

    def build_extension(self, ext_name: str, configs: Mapping[str, Any]) -> Any:
        found = _import_extension(ext_name, dict(configs))
        return found if found is not None else super().build_extension(ext_name, configs)


def _build(probe: python_markdown.Markdown, name: str, options: dict[str, Any]) -> Any:
    try:
        return probe.build_extension(name, options)
    except Exception:  # any import or option error means "not loadable"
        return None


def _import_extension(name: str, options: dict[str, Any]) -> Any:
    """A Python-Markdown short name or a module path, built without reading entry points.

    Python-Markdown looks every name up among the entry points of all installed packages
    first (reading each one's metadata, most of a selection's fixed cost); its own short
    names point at its own modules, and a dotted name is a module to import, which is
    where its lookup ends for them too. Anything else goes through Python-Markdown."""
    if name in _MARKDOWN_OWN:
        name = f"markdown.extensions.{name}"
    elif "." not in name or ":" in name:
        return None
    make = getattr(importlib.import_module(name), "makeExtension", None)
    return make(**options) if callable(make) else None


def _snippet_options(options: dict[str, Any], config_dir: Path) -> dict[str, Any]:
    # Snippets resolves base paths against the working directory; MkDocs runs in the
    # config's folder. A missing snippet renders as nothing, as with check_paths off.
    bases = options.get("base_path", ["."])
    bases = [bases] if isinstance(bases, str) else list(bases)
    options["base_path"] = [str((config_dir / str(base)).resolve()) for base in bases]
    options["check_paths"] = False
    options.pop("url_download", None)
    return options


class _CodeFinder(HTMLParser):
    """Collects ``<pre><code>`` text (line numbers left out) and the headings above it."""

    _SKIP_CLASSES = frozenset({"linenos", "linenodiv", "headerlink", "filename"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[RenderedBlock] = []
        self._stack: list[tuple[str, str]] = []
        self._pre = 0
        self._code: list[str] | None = None
        self._skip = 0
        self._heading: list[str] | None = None
        self._heading_level = 0
        self._headings: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = " ".join(value or "" for key, value in attrs if key == "class")
        if tag in {"br", "img", "hr", "input", "meta", "link", "wbr"}:
            return
        self._stack.append((tag, classes))
        if self._skip or self._SKIP_CLASSES.intersection(classes.split()):
            self._skip += 1
            return
        if tag == "pre":
            self._pre += 1
        elif tag == "code" and self._pre and self._code is None:
            self._code = []
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456" and not self._pre:
            self._heading = []
            self._heading_level = int(tag[1])

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            open_tag, classes = self._stack.pop()
            self._close(open_tag, classes)
            if open_tag == tag:
                break

    def _close(self, tag: str, classes: str) -> None:
        if self._skip:
            self._skip -= 1
            return
        if tag == "code" and self._code is not None:
            self.blocks.append(
                RenderedBlock(
                    self._language(classes),
                    "".join(self._code),
                    tuple(title for _, title in self._headings),
                )
            )
            self._code = None
        elif tag == "pre":
            self._pre = max(0, self._pre - 1)
        elif self._heading is not None and tag == f"h{self._heading_level}":
            title = " ".join("".join(self._heading).split())
            while self._headings and self._headings[-1][0] >= self._heading_level:
                self._headings.pop()
            self._headings.append((self._heading_level, title))
            self._heading = None

    def _language(self, code_classes: str) -> str:
        for classes in (code_classes, *(c for _, c in reversed(self._stack))):
            found = _LANGUAGE_CLASS.search(classes)
            if found:
                return found.group(1)
        return ""

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._code is not None:
            self._code.append(data)
        elif self._heading is not None:
            self._heading.append(data)


def code_blocks_in_html(page_html: str) -> list[RenderedBlock]:
    """The ``<pre><code>`` blocks of an HTML page, in document order."""
    finder = _CodeFinder()
    finder.feed(page_html)
    finder.close()
    return finder.blocks
