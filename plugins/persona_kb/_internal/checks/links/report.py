"""Turn link problems found in HTML into diagnostics at the Markdown source's ``path:line``.

The built page's ``href`` is not what the author wrote (``other.md#x`` became
``../other/#x``), so each broken link is matched to the Markdown link it came
from: markdown-it tokens give every link with its line, and links are paired
in document order by their written URL, else by target name and fragment.
Generated pages continue through their source map to the persona's own line.
A link the Markdown does not contain (theme navigation, a plugin's output) is
reported at the HTML file's line.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token

from persona_kb._internal.checks.links.check import LinkProblem, ProblemKind
from persona_kb._internal.checks.links.html import parse_html
from persona_kb._internal.checks.links.site import PageSource
from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.paths import display_path
from persona_kb._internal.markdown.parser import container_plugin

CODE_FOR_KIND: dict[ProblemKind, str] = {
    ProblemKind.MISSING_PAGE: "PKB700",
    ProblemKind.MISSING_ANCHOR: "PKB701",
    ProblemKind.MISSING_ASSET: "PKB702",
    ProblemKind.OUTSIDE_SITE: "PKB703",
    ProblemKind.EXTERNAL_BROKEN: "PKB704",
}


@cache
def _link_parser() -> MarkdownIt:
    # The shared structure parser skips inline parsing; links need it. The pymdownx
    # containers keep links inside admonitions and tabs out of indented code blocks.
    md = MarkdownIt("commonmark").enable("table")
    md.use(container_plugin)
    return md


@dataclass(frozen=True, slots=True)
class MarkdownLink:
    """A link or image as written in Markdown (or raw HTML inside it)."""

    url: str
    line: int
    """1-based line in the Markdown text."""


def markdown_links(markdown: str) -> list[MarkdownLink]:
    """Every link and image URL in ``markdown``, with its 1-based line, in document order."""
    text = _blank_front_matter(markdown)
    lines = text.split("\n")
    found: list[MarkdownLink] = []
    for token in _link_parser().parse(text):
        if token.map is None:
            continue
        start, end = token.map
        if token.type == "inline" and token.children:
            cursor = _Cursor(lines, start, end)
            for child in token.children:
                url = _child_url(child)
                if url is not None:
                    found.append(MarkdownLink(url, cursor.find(url)))
                elif child.type == "html_inline":
                    found.extend(
                        MarkdownLink(link.url, cursor.find(link.url))
                        for link in parse_html(child.content).links
                    )
        elif token.type == "html_block":
            found.extend(
                MarkdownLink(link.url, start + link.line)
                for link in parse_html(token.content).links
            )
    return found


def _child_url(child: Token) -> str | None:
    if child.type == "link_open":
        href = child.attrGet("href")
        return str(href) if href is not None else None
    if child.type == "image":
        src = child.attrGet("src")
        return str(src) if src is not None else None
    return None


class _Cursor:
    """Finds successive URLs within a block's lines, moving forward as links are found."""

    def __init__(self, lines: Sequence[str], start: int, end: int) -> None:
        self.lines = lines
        self.line = start
        self.end = max(end, start + 1)

    def find(self, url: str) -> int:
        needles = [url, unquote(url)]
        for index in range(self.line, min(self.end, len(self.lines))):
            if any(n and n in self.lines[index] for n in needles):
                self.line = index
                return index + 1
        return self.line + 1  # a reference-style link: report where it is used


def _blank_front_matter(markdown: str) -> str:
    """Replace a leading YAML front matter block with blank lines (lines keep their numbers)."""
    lines = markdown.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return markdown
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            return "\n" * index + "\n" + "\n".join(lines[index + 1 :])
    return markdown


def _key(url: str) -> tuple[str, str]:
    """(target name, fragment): ``../other/#x`` and ``other.md#x`` both give ``("other", "x")``."""
    parts = urlsplit(url)
    segments = [s for s in unquote(parts.path).split("/") if s and s not in (".", "..")]
    name = ""
    while segments:
        last = segments.pop()
        stem = last.rsplit(".", 1)[0] if last.endswith((".md", ".html", ".htm")) else last
        if stem not in ("index", "README"):
            name = stem
            break
    return name, unquote(parts.fragment)


def locate_problems(
    problems: Iterable[LinkProblem],
    sources: Mapping[str, PageSource],
    *,
    site_display: str,
    config_path: Path | None = None,
) -> list[Diagnostic]:
    """One diagnostic per problem, at the Markdown (or persona) ``path:line`` it came from.

    ``sources`` maps built pages to their Markdown (see
    :func:`~persona_kb._internal.checks.links.site.map_sources`); ``site_display`` is the
    site folder as shown to the user. A link no Markdown contains comes from the
    theme or the config (a ``nav:`` entry, ``extra_css``): when ``config_path``
    names it, it is reported once there; else once at the first HTML line, with a
    count of the pages that repeat it.
    """
    by_page: dict[str, list[LinkProblem]] = {}
    for problem in problems:
        by_page.setdefault(problem.page, []).append(problem)
    diagnostics: list[Diagnostic] = []
    unmatched: dict[tuple[ProblemKind, str, str], list[LinkProblem]] = {}
    for page, page_problems in by_page.items():
        source = sources.get(page)
        links = markdown_links(source.markdown()) if source is not None else []
        used: set[int] = set()
        for problem in page_problems:
            match = _match(problem.link.url, links, used) if source is not None else None
            if source is None or match is None:
                key = (problem.kind, problem.target or problem.link.url, problem.fragment)
                unmatched.setdefault(key, []).append(problem)
                continue
            used.add(match)
            html_span = SourceSpan(posixpath.join(site_display, page), problem.link.line)
            span = source.locate(links[match].line)
            diagnostics.append(_diagnostic(problem, links[match].url, span, source, html_span))
    config_lines = _read_lines(config_path)
    for group in unmatched.values():
        diagnostics.extend(_theme_link(group, sources, site_display, config_path, config_lines))
    return diagnostics


def _theme_link(
    group: Sequence[LinkProblem],
    sources: Mapping[str, PageSource],
    site_display: str,
    config_path: Path | None,
    config_lines: Sequence[str],
) -> list[Diagnostic]:
    first = group[0]
    source = sources.get(first.page)
    html_span = SourceSpan(posixpath.join(site_display, first.page), first.link.line)
    needle = first.target or first.link.url
    line = next((i + 1 for i, text in enumerate(config_lines) if needle and needle in text), 0)
    if config_path is not None and line:
        span = SourceSpan(display_path(config_path), line)
        pages = f"{len(group)} page" + ("s" if len(group) != 1 else "")
        where = f"the navigation or theme ({pages})"
        return [_diagnostic(first, needle, span, None, html_span, where=where)]
    if len(group) == 1:
        return [_diagnostic(first, first.link.url, html_span, source, html_span)]
    diagnostic = _diagnostic(first, first.link.url, html_span, source, html_span)
    return [_amend(diagnostic, f" (and on {len(group) - 1} other pages of the site)")]


def _amend(diagnostic: Diagnostic, suffix: str) -> Diagnostic:
    return Diagnostic(
        diagnostic.code,
        diagnostic.severity,
        diagnostic.message + suffix,
        diagnostic.span,
        hint=diagnostic.hint,
        related=diagnostic.related,
    )


def _read_lines(path: Path | None) -> list[str]:
    if path is None:
        return []
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []


def _match(url: str, links: Sequence[MarkdownLink], used: set[int]) -> int | None:
    key = _key(url)
    best: tuple[int, int] | None = None
    for index, link in enumerate(links):
        if index in used:
            continue
        if link.url == url:
            return index
        score = 0
        other = _key(link.url)
        if other == key:
            score = 2
        elif key[1] and other[1] == key[1] and (not key[0] or not other[0]):
            score = 1
        if score and (best is None or score > best[0]):
            best = (score, index)
    return best[1] if best else None


def _diagnostic(
    problem: LinkProblem,
    written: str,
    span: SourceSpan,
    source: PageSource | None,
    html_span: SourceSpan,
    *,
    where: str | None = None,
) -> Diagnostic:
    code = CODE_FOR_KIND[problem.kind]
    page_name = where or (source.docs_path if source is not None else problem.page)
    target = problem.target
    if problem.kind is ProblemKind.MISSING_PAGE:
        message = f"broken link '{written}' in {page_name}: no page at {target} in the built site"
        hint = "point it at an existing page (Markdown links name the .md file) or add the page"
    elif problem.kind is ProblemKind.MISSING_ANCHOR:
        message = (
            f"broken anchor '{written}' in {page_name}: {target} has no id '{problem.fragment}'"
        )
        hint = "link to an existing heading or add an id"
        if problem.detail:
            hint += f" (did you mean {problem.detail}?)"
    elif problem.kind is ProblemKind.MISSING_ASSET:
        kind = "image" if problem.link.tag in ("img", "source") else "asset"
        message = f"missing {kind} '{written}' in {page_name}: no file at {target} in the site"
        hint = "add the file under docs/ or fix its path"
    elif problem.kind is ProblemKind.OUTSIDE_SITE:
        message = f"link '{written}' in {page_name} points outside the site ({target})"
        hint = "use a path inside docs/ (or a full https:// URL for other sites)"
    else:
        message = f"external link '{written}' in {page_name} is broken: {problem.detail}"
        hint = (
            "fix or remove the URL (or skip it with --exclude REGEX if the host blocks "
            "link checkers)"
        )
    related = (html_span,) if span != html_span else ()
    return Diagnostic(code, Severity.ERROR, message, span, hint=hint, related=related)
