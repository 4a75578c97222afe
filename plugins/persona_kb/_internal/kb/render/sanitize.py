"""Sanitise raw HTML in persona Markdown (nh3), leaving code untouched.

Persona bodies are third-party input on a hosted site. markdown-it-py tokens locate the
HTML blocks, inline HTML and link destinations; code fences, indented code and code
spans are never looked at. Each start tag is cleaned by nh3 on its own (so nh3 never
"balances" a ``<details>`` that the Markdown closes later), elements like ``<script>``
are dropped with their content, ``on*=`` attributes go, and ``javascript:``,
``vbscript:`` and ``data:`` URLs are replaced by ``#``. Untouched lines stay byte-identical.

The result is a mapping *source line → replacement lines*, so the page's source map still
points every line at the persona line it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan

_ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS | {"input", "figure", "picture", "source", "video"})
_ATTRIBUTES: dict[str, set[str]] = {k: set(v) for k, v in nh3.ALLOWED_ATTRIBUTES.items()}
_ATTRIBUTES["*"] = {"class", "id", "title", "lang", "dir", "role", "markdown"}
_ATTRIBUTES["input"] = {"type", "checked", "disabled"}
_ATTRIBUTES["details"] = {"open"}
_ATTRIBUTES["source"] = {"src", "srcset", "type", "media"}
_ATTRIBUTES["video"] = {"src", "controls", "width", "height", "poster"}
_ATTRIBUTES["img"] = _ATTRIBUTES.get("img", set()) | {"loading", "srcset"}
_URL_SCHEMES = {"http", "https", "mailto", "tel", "ftp"}
# Elements whose *content* is dropped with them, not only the tags.
_DROP_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "noscript", "template"})
_VOID = frozenset({"img", "br", "hr", "input", "source", "wbr", "area", "col", "embed"})
_DANGEROUS_SCHEME_RE = re.compile(r"^\s*(javascript|vbscript|data|file)\s*:", re.IGNORECASE)

_md = MarkdownIt("commonmark", {"html": True}).enable("table")
# Let every destination through, so that dangerous ones become tokens we can see.
_md.validateLink = lambda url: True  # type: ignore[method-assign]
_md_blocks = MarkdownIt("commonmark", {"html": True}).enable("table").disable("inline")


def is_dangerous_url(url: str) -> bool:
    """Whether ``url`` uses a scheme that runs code or smuggles content."""
    return bool(_DANGEROUS_SCHEME_RE.match(url.replace("\x00", "")))


def clean_start_tag(tag_text: str, name: str) -> str:
    """``tag_text`` with disallowed attributes and URLs removed (``""`` if the tag goes)."""
    if name not in _ALLOWED_TAGS:
        return ""
    closing = "" if name in _VOID else f"</{name}>"
    cleaned: str = nh3.clean(
        tag_text + closing,
        tags=set(_ALLOWED_TAGS),
        attributes=_ATTRIBUTES,
        url_schemes=_URL_SCHEMES,
        link_rel=None,
        strip_comments=False,
        generic_attribute_prefixes={"data-", "aria-"},
    )
    if closing and cleaned.endswith(closing):
        cleaned = cleaned[: -len(closing)]
    return cleaned


class _TagRewriter(HTMLParser):
    """Stream HTML back out, rewriting only what is unsafe."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []
        self.changed = False
        self._skip_until: str | None = None

    def _emit(self, text: str) -> None:
        if self._skip_until is None:
            self.parts.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or f"<{tag}>"
        if self._skip_until is not None:
            return
        if tag in _DROP_CONTENT:
            self.changed = True
            self._skip_until = tag
            return
        cleaned = clean_start_tag(raw, tag)
        if _attrs_of(cleaned) == sorted((k, v or "") for k, v in attrs) and cleaned:
            self.parts.append(raw)  # nothing removed: keep the author's exact text
        else:
            self.changed = True
            self.parts.append(cleaned)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if self._skip_until is not None:
            if tag == self._skip_until:
                self._skip_until = None
            return
        if tag in _ALLOWED_TAGS:
            self.parts.append(f"</{tag}>")
        else:
            self.changed = True

    def handle_data(self, data: str) -> None:
        self._emit(data)

    def handle_entityref(self, name: str) -> None:
        self._emit(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._emit(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self._emit(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.changed = True  # <!DOCTYPE …> has no place inside a page

    def handle_pi(self, data: str) -> None:
        self.changed = True

    def unknown_decl(self, data: str) -> None:
        self.changed = True


def _attrs_of(tag_text: str) -> list[tuple[str, str]] | None:
    found: list[tuple[str, str]] = []

    class _Collect(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.extend((k, v or "") for k, v in attrs)

    parser = _Collect(convert_charrefs=True)
    parser.feed(tag_text)
    parser.close()
    return sorted(found)


def sanitize_html(html: str) -> tuple[str, bool]:
    """Clean an HTML snippet; returns the text and whether anything was removed."""
    rewriter = _TagRewriter()
    rewriter.feed(html)
    rewriter.close()
    if rewriter.rawdata:  # an unterminated tag at the end: drop it
        rewriter.changed = True
    if not rewriter.changed:
        return html, False
    return "".join(rewriter.parts), True


@dataclass
class SanitizeResult:
    """Source line → replacement lines (possibly none), and what was removed."""

    replacements: dict[int, list[str]] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def apply(self, line_number: int, line: str) -> list[str]:
        """The lines to print for source line ``line_number``."""
        return self.replacements.get(line_number, [line])


def might_be_unsafe(text: str) -> bool:
    """A cheap pre-check: could ``text`` hold HTML or a dangerous URL at all?"""
    lowered = text.lower()
    return "<" in text or any(s in lowered for s in ("javascript", "vbscript", "data:", "file:"))


def _replace_destination(line: str, url: str) -> str:
    # Cut the destination starting where the dangerous scheme is written, up to its
    # closing parenthesis (balancing the ones inside `alert(1)`), and put `#` instead.
    scheme = url.split(":", 1)[0].strip().lower()
    lowered = line.lower()
    start = lowered.find(scheme + ":")
    if start < 0:
        start = lowered.find(scheme)
    if start < 0:
        return line
    depth, end = 0, start
    while end < len(line):
        ch = line[end]
        if ch == "(":
            depth += 1
        elif ch == ")":
            if depth == 0:
                break
            depth -= 1
        elif ch in " \t>\"'" and depth == 0:
            break
        end += 1
    return line[:start] + "#" + line[end:]


def parse_markdown(text: str, env: dict[str, object], *, inline: bool = True) -> list[Token]:
    """Tokens of ``text`` with HTML on and every link destination let through.

    ``inline=False`` skips inline parsing (inline tokens keep their ``content`` but get
    no children), which is several times faster when only the block structure matters.
    """
    return (_md if inline else _md_blocks).parse(text, env)


def _suspicious_only(lines: list[str], code_lines: frozenset[int]) -> str:
    # Keep only the paragraphs (runs of non-blank prose lines) that could hold HTML or
    # a dangerous URL; blank everything else, so line numbers stay put and the parse is
    # small. A kept run indented like code is dedented: in the full document it would
    # continue a list item, where its HTML renders.
    out = [""] * len(lines)
    run: list[int] = []

    def flush() -> None:
        if run and any(might_be_unsafe(lines[i]) for i in run):
            indent = min(len(lines[i]) - len(lines[i].lstrip()) for i in run)
            cut = indent if indent >= 4 else 0
            for i in run:
                out[i] = lines[i][cut:]
        run.clear()

    for i, line in enumerate(lines):
        if i in code_lines or not line.strip():
            flush()
        else:
            run.append(i)
    flush()
    return "\n".join(out)


def sanitize_markdown(
    text: str,
    path: str,
    first_line: int,
    *,
    code_lines: frozenset[int] | None = None,
) -> SanitizeResult:
    """Find unsafe HTML and URLs in Markdown ``text`` (line 1 is ``path:first_line``).

    ``code_lines`` (0-based indexes of the lines of fenced code blocks, when the caller
    already knows them) lets the parse skip everything but the suspicious paragraphs.
    """
    result = SanitizeResult()
    if not might_be_unsafe(text):
        return result
    lines = text.split("\n")
    env: dict[str, object] = {}
    parse_text = text if code_lines is None else _suspicious_only(lines, code_lines)
    tokens = parse_markdown(parse_text, env)
    edits: dict[int, str] = {}  # 0-based line → new text (inline fixes)

    def current(i: int) -> str:
        return edits.get(i, lines[i])

    def report(i: int, what: str) -> None:
        result.diagnostics.append(
            Diagnostic(
                "PKB502",
                Severity.WARNING,
                f"unsafe {what} removed from the generated page",
                SourceSpan(path, first_line + i),
                hint="remove it from the persona, or set allow_html: true for a trusted source",
            )
        )

    for token in tokens:
        if token.type == "html_block" and token.map:
            start, end = token.map
            cleaned, changed = sanitize_html("\n".join(lines[start:end]))
            if changed:
                report(start, "raw HTML")
                new_lines = cleaned.split("\n")
                # Keep the line count: the extra lines fold into the block's last line.
                for offset in range(end - start):
                    line_no = first_line + start + offset
                    if offset < len(new_lines) - 1 and offset < end - start - 1:
                        result.replacements[line_no] = [new_lines[offset]]
                    elif offset == end - start - 1:
                        result.replacements[line_no] = new_lines[offset:]
                    else:
                        result.replacements[line_no] = [""]
        elif token.type == "inline" and token.map and token.children:
            _sanitize_inline(token, token.map[0], token.map[1], current, edits, report)
    for i, new in edits.items():
        result.replacements[first_line + i] = [new]
    _sanitize_references(env, lines, tokens, code_lines or frozenset(), first_line, result, report)
    return result


def _sanitize_inline(
    token: Token,
    start: int,
    end: int,
    current: Callable[[int], str],
    edits: dict[int, str],
    report: Callable[[int, str], None],
) -> None:
    for child in token.children or ():
        dangerous: str | None = None
        if child.type == "html_inline":
            cleaned, changed = sanitize_html(child.content)
            if changed:
                for i in range(start, end):
                    line = current(i)
                    if child.content in line:
                        edits[i] = line.replace(child.content, cleaned, 1)
                        report(i, "inline HTML")
                        break
            continue
        if child.type == "link_open":
            dangerous = str(child.attrs.get("href", ""))
        elif child.type == "image":
            dangerous = str(child.attrs.get("src", ""))
        if dangerous and is_dangerous_url(dangerous):
            for i in range(start, end):
                line = current(i)
                scheme = dangerous.split(":", 1)[0].strip().lower()
                if scheme + ":" in line.lower():
                    edits[i] = _replace_destination(line, dangerous)
                    report(i, f"{scheme}: URL")
                    break


def _sanitize_references(
    env: Mapping[str, object],
    lines: list[str],
    tokens: list[Token],
    code_lines: frozenset[int],
    first_line: int,
    result: SanitizeResult,
    report: Callable[[int, str], None],
) -> None:
    references = env.get("references")
    if not isinstance(references, dict):
        return
    dangerous = [
        str(ref.get("href", ""))
        for ref in references.values()
        if isinstance(ref, dict) and is_dangerous_url(str(ref.get("href", "")))
    ]
    if not dangerous:
        return
    in_code: set[int] = set(code_lines)
    for token in tokens:
        if token.type in ("fence", "code_block") and token.map:
            in_code.update(range(*token.map))
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        if i in in_code or not stripped.startswith("[") or "]:" not in stripped:
            continue
        for url in dangerous:
            scheme = url.split(":", 1)[0].strip().lower()
            if scheme + ":" in line.lower():
                current = result.replacements.get(first_line + i, [line])[0]
                result.replacements[first_line + i] = [_replace_destination(current, url)]
                report(i, f"{scheme}: URL")
                break


def sanitize_text(text: str) -> str:
    """Sanitise a short Markdown string (a front-matter value); returns the clean text."""
    result = sanitize_markdown(text, "", 1)
    if not result.replacements:
        return text
    out: list[str] = []
    for i, line in enumerate(text.split("\n")):
        out.extend(result.apply(i + 1, line))
    return "\n".join(out)
