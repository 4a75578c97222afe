"""The KB pages as GitHub-flavoured Markdown: what ``persona-kb export`` writes to ``docs/kb``.

The site keeps Material's admonitions, content tabs and ``{#id}`` anchors. On GitHub (and
in any plain Markdown reader) those show as raw text, so the export converts them:

- ``!!! note "Title"`` becomes a GitHub alert (``> [!NOTE]``), the title in bold inside it;
- ``??? note "Title"`` (collapsible) becomes ``<details><summary>Title</summary>``;
- ``=== "❌ Wrong"`` content tabs become a bold label above the tab's content, so a pattern
  card is its heading followed by the ❌ and ✅ code one after the other;
- ``{#id}`` heading attributes are removed, and every link to such an id (on the same page
  or another KB page) is rewritten to the anchor GitHub generates from the heading text;
- the front matter keeps only ``title`` and ``description``.

The blocks are found with the shared markdown-it parser (its container tokens), never by
scanning for fences. Each output line keeps the source span of the line it came from.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from markdown_it.token import Token

from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.core.model import KBPage, SourceMap
from persona_kb._internal.kb.agents.slugs import GithubSlugger, rendered_text
from persona_kb._internal.kb.cache import code_fingerprint, lines_to_runs, runs_to_lines
from persona_kb._internal.kb.cache_store import CacheStore
from persona_kb._internal.markdown.parser import CONTAINER_OPEN, parse_tokens

_HEADING_ATTRS = re.compile(r"\s*\{:?\s*#(?P<id>[\w][\w:.-]*)[^{}]*\}\s*$")
_LINK_TO_ID = re.compile(r"\]\((?P<target>[^()\s#]*)#(?P<id>[\w][\w:.-]*)\)")
_FRONT_MATTER_KEEP = ("title:", "description:")
_ALERTS = {
    "note": "NOTE",
    "info": "NOTE",
    "abstract": "NOTE",
    "summary": "NOTE",
    "tldr": "NOTE",
    "question": "NOTE",
    "example": "NOTE",
    "quote": "NOTE",
    "success": "TIP",
    "tip": "TIP",
    "hint": "TIP",
    "important": "IMPORTANT",
    "warning": "WARNING",
    "caution": "WARNING",
    "attention": "WARNING",
    "danger": "CAUTION",
    "error": "CAUTION",
    "failure": "CAUTION",
    "bug": "CAUTION",
}


@dataclass(frozen=True, slots=True)
class _Out:
    text: str
    span: SourceSpan | None
    code: bool = False
    heading: str | None = None
    """The heading's rendered text, when this line is (the first line of) a heading."""
    anchor_id: str | None = None
    """The explicit ``{#id}`` the site gives this heading."""


@dataclass(frozen=True, slots=True)
class GithubPage:
    """A KB page converted to GitHub-flavoured Markdown."""

    page: KBPage
    anchors: Mapping[str, str]
    """Explicit site anchor id → the anchor GitHub generates for the same heading."""


def _body_lines(lines: Sequence[_Out], indent: int) -> list[_Out]:
    out = []
    for line in lines:
        text = line.text
        strip = min(indent, len(text) - len(text.lstrip(" ")))
        out.append(_Out(text[strip:], line.span))
    while out and not out[-1].text.strip():
        out.pop()
    while out and not out[0].text.strip():
        out.pop(0)
    return out


def _quote(lines: Sequence[_Out]) -> list[_Out]:
    return [
        _Out(f"> {o.text}" if o.text.strip() else ">", o.span, o.code, o.heading, o.anchor_id)
        for o in lines
    ]


def _container(token: Token, header: _Out, body: list[_Out]) -> list[_Out]:
    meta = token.meta or {}
    kind = str(meta.get("kind", ""))
    title = str(meta.get("title", "")).strip()
    if kind == "tab":
        return [_Out(f"**{title}**" if title else "", header.span), _Out("", None), *body]
    if kind == "details":
        opened = " open" if "+" in token.markup else ""
        summary = title or str(meta.get("type", "")).capitalize() or "Details"
        return [
            _Out(f"<details{opened}><summary>{summary}</summary>", header.span),
            _Out("", None),
            *body,
            _Out("", None),
            _Out("</details>", None),
        ]
    alert = _ALERTS.get(str(meta.get("type", "")), "NOTE")
    lines = [_Out(f"> [!{alert}]", header.span)]
    if title:
        lines.append(_Out(f"> **{title}**", header.span))
        if body:
            lines.append(_Out(">", None))
    return lines + _quote(body)


def _convert(lines: list[_Out]) -> list[_Out]:
    tokens = parse_tokens("\n".join(o.text for o in lines))
    containers: dict[int, Token] = {}
    headings: dict[int, str] = {}
    code: set[int] = set()
    for index, token in enumerate(tokens):
        if token.map is None:
            continue
        if token.type == CONTAINER_OPEN and token.map[0] not in containers:
            if not any(s < token.map[0] < containers[s].map[1] for s in containers):  # type: ignore[index]
                containers[token.map[0]] = token
        elif token.type == "heading_open" and index + 1 < len(tokens):
            headings[token.map[0]] = tokens[index + 1].content
        elif token.type in ("fence", "code_block"):
            code.update(range(token.map[0], token.map[1]))
    out: list[_Out] = []
    i = 0
    while i < len(lines):
        container = containers.get(i)
        if container is not None and container.map is not None:
            end = container.map[1]
            header = lines[i]
            indent = len(header.text) - len(header.text.lstrip(" ")) + 4
            body = _convert(_body_lines(lines[i + 1 : end], indent))
            out.extend(_container(container, header, body))
            i = end
            continue
        line = lines[i]
        if i in headings:
            found = _HEADING_ATTRS.search(line.text)
            anchor_id = found.group("id") if found else None
            text = line.text[: found.start()] if found else line.text
            inline = _HEADING_ATTRS.sub("", headings[i])
            out.append(_Out(text, line.span, heading=rendered_text(inline), anchor_id=anchor_id))
        else:
            out.append(_Out(line.text, line.span, code=i in code or line.code))
        i += 1
    return out


def _split_front_matter(page: KBPage) -> tuple[list[_Out], list[_Out]]:
    lines = page.markdown.split("\n")
    spans = page.source_map.lines
    pairs = [_Out(text, spans[i] if i < len(spans) else None) for i, text in enumerate(lines)]
    if not lines or lines[0] != "---":
        return [], pairs
    for end in range(1, len(lines)):
        if lines[end] == "---":
            kept = [o for o in pairs[1:end] if o.text.startswith(_FRONT_MATTER_KEEP)]
            return [pairs[0], *kept, pairs[end]], pairs[end + 1 :]
    return [], pairs


def _convert_page(page: KBPage) -> tuple[list[_Out], dict[str, str]]:
    front, body = _split_front_matter(page)
    converted = _convert(body)
    slugger = GithubSlugger()
    anchors: dict[str, str] = {}
    for line in converted:
        if line.heading is not None:
            slug = slugger.slug(line.heading)
            if line.anchor_id is not None:
                anchors.setdefault(line.anchor_id, slug)
    return [*front, *converted], anchors


def _rewrite_links(
    page_path: str, text: str, anchors_by_page: Mapping[str, Mapping[str, str]]
) -> str:
    folder = posixpath.dirname(page_path)

    def replace(match: re.Match[str]) -> str:
        target = match.group("target")
        resolved = posixpath.normpath(posixpath.join(folder, target)) if target else page_path
        slug = anchors_by_page.get(resolved, {}).get(match.group("id"))
        if slug is None:
            return match.group(0)
        return f"]({target}#{slug})"

    return _LINK_TO_ID.sub(replace, text)


Converted = tuple[list[_Out], dict[str, str]]


class GithubCache:
    """Converted pages by page path and content hash, in memory and optionally in the
    plugin's [`CacheStore`][persona_kb._internal.kb.cache_store.CacheStore].

    A page converts the same way whenever its Markdown is the same, so a rebuild (``serve``,
    or a build with the plugin's cache folder kept) converts only the pages that changed.
    """

    _KIND = "github"

    def __init__(self, store: CacheStore | None = None) -> None:
        self.store = store
        self._memory: dict[str, Converted] = {}

    @staticmethod
    def key(page: KBPage) -> str:
        """The cache key of ``page``: its path, its Markdown and persona-kb's code."""
        digest = hashlib.sha256(f"{code_fingerprint()}\0{page.path}\0".encode())
        digest.update(page.markdown.encode())
        return digest.hexdigest()

    def get(self, key: str) -> Converted | None:
        """The conversion stored under ``key`` (memory first, then the store)."""
        found = self._memory.get(key)
        if found is None and self.store is not None:
            data = self.store.get(self._KIND, key)
            if not isinstance(data, dict):
                return None
            try:
                found = _from_json(data)
            except (ValueError, KeyError, TypeError, AttributeError, IndexError):
                return None
            self._memory[key] = found
        return found

    def put(self, key: str, value: Converted) -> None:
        """Remember a conversion (and store it, with a store)."""
        self._memory[key] = value
        if self.store is not None:
            self.store.put(self._KIND, key, _to_json(value))

    def retain(self, keys: Iterable[str]) -> None:
        """Forget every conversion not in ``keys`` (memory and store), then commit."""
        live = set(keys)
        for key in [k for k in self._memory if k not in live]:
            del self._memory[key]
        if self.store is not None:
            self.store.retain(self._KIND, live)
            self.store.flush()


def _to_json(value: Converted) -> dict[str, object]:
    # Column-wise: the texts as one list of strings, the spans in runs, and only the
    # few lines that are code or headings by index (a line-by-line list of lists cost
    # more to write than the conversion it saves).
    lines = value[0]
    return {
        "texts": [o.text for o in lines],
        "spans": lines_to_runs([o.span for o in lines]),
        "code": [i for i, o in enumerate(lines) if o.code],
        "headings": [
            [i, o.heading, o.anchor_id]
            for i, o in enumerate(lines)
            if o.heading is not None or o.anchor_id is not None
        ],
        "anchors": value[1],
    }


def _from_json(data: dict[str, object]) -> Converted:
    texts, code, headings, anchors = data["texts"], data["code"], data["headings"], data["anchors"]
    if not isinstance(texts, list) or not isinstance(code, list):
        raise ValueError("github cache entry: expected lists")
    if not isinstance(headings, list) or not isinstance(anchors, dict):
        raise ValueError("github cache entry: expected a list and an object")
    spans = runs_to_lines(data["spans"])
    if len(spans) != len(texts):
        raise ValueError("github cache entry: one span per line expected")
    lines = [_Out(str(t), s) for t, s in zip(texts, spans, strict=True)]
    for i in code:
        lines[int(i)] = replace(lines[int(i)], code=True)
    for i, heading, anchor_id in headings:
        line = lines[int(i)]
        lines[int(i)] = replace(
            line,
            heading=None if heading is None else str(heading),
            anchor_id=None if anchor_id is None else str(anchor_id),
        )
    return lines, {str(k): str(v) for k, v in anchors.items()}


def _converted(page: KBPage, cache: GithubCache | None) -> Converted:
    if cache is None:
        return _convert_page(page)
    key = cache.key(page)
    found = cache.get(key)
    if found is None:
        found = _convert_page(page)
        cache.put(key, found)
    return found


def github_pages(
    pages: Sequence[KBPage], *, cache: GithubCache | None = None
) -> tuple[GithubPage, ...]:
    """Every page converted to GitHub-flavoured Markdown, links re-pointed across pages."""
    converted = [(page, *_converted(page, cache)) for page in pages]
    if cache is not None:
        cache.retain(GithubCache.key(page) for page in pages)
    anchors_by_page = {page.path: anchors for page, _, anchors in converted}
    out: list[GithubPage] = []
    for page, lines, anchors in converted:
        lines = list(lines)
        while lines and not lines[-1].text.strip():
            lines.pop()
        texts = [
            line.text if line.code else _rewrite_links(page.path, line.text, anchors_by_page)
            for line in lines
        ]
        markdown = "\n".join(texts)
        if not markdown.endswith("\n"):
            markdown += "\n"
        spans = tuple(line.span for line in lines)
        github = KBPage(
            path=page.path,
            title=page.title,
            markdown=markdown,
            source_map=SourceMap(spans),
            kind=page.kind,
            topic=page.topic,
            sources=page.sources,
        )
        out.append(GithubPage(github, anchors))
    return tuple(out)
