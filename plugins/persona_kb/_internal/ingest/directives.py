"""Inline code directives in persona files, and the one place the code policy is applied.

A persona may silence a code where it is found, with an HTML comment on its own line
(invisible on the rendered page):

```markdown
<!-- persona-kb: ignore PKB502 -->
This paragraph (the block after the comment) may keep its raw HTML warning quiet.

<!-- persona-kb: ignore-file PKB201, PKB105 -->
```

``ignore`` covers the Markdown block that follows the comment (a paragraph, a list, a
table, a whole code block: every line of it); ``ignore-file`` covers the whole file.
Codes may be prefixes (``PKB6``). Comments inside code blocks are code, not directives.

[`apply_code_policy`][persona_kb._internal.ingest.directives.apply_code_policy] is where
every command's diagnostics pass: the configured
[`CodePolicy`][persona_kb._internal.core.code_policy.CodePolicy] first, then the persona's
own comments.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from markdown_it.token import Token

from persona_kb._internal.core.code_policy import CODES_PAGE, CodePolicy, matches_a_code
from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.ingest.text import MAX_FILE_BYTES
from persona_kb._internal.markdown.parser import parse_tokens, source_lines

MARKER = "persona-kb:"
_COMMENT = re.compile(r"<!--\s*persona-kb:\s*(?P<body>.*?)\s*-->", re.DOTALL)
_VERBS = ("ignore", "ignore-file")
_CODE_LIKE = re.compile(r"PKB\w*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Directive:
    """Codes ignored on lines ``first``..``last`` (1-based, inclusive) of one file."""

    codes: tuple[str, ...]
    first: int
    last: int

    def covers(self, code: str, line: int) -> bool:
        """Whether this directive silences ``code`` at ``line``."""
        return self.first <= line <= self.last and any(code.startswith(c) for c in self.codes)


@dataclass(frozen=True, slots=True)
class FileDirectives:
    """The directives of one file, and the comments that could not be understood."""

    directives: tuple[Directive, ...] = ()
    problems: tuple[Diagnostic, ...] = ()

    def ignores(self, code: str, line: int) -> bool:
        """Whether a directive silences ``code`` at ``line``."""
        return any(d.covers(code, line) for d in self.directives)


def read_directives(text: str, path: str) -> FileDirectives:
    """The ``<!-- persona-kb: … -->`` directives of a persona file's text."""
    if MARKER not in text:
        return FileDirectives()
    lines = source_lines(text)
    body = _without_front_matter(lines)
    tokens = [t for t in parse_tokens("\n".join(body)) if t.map is not None]
    directives: list[Directive] = []
    problems: list[Diagnostic] = []
    for index, token in enumerate(tokens):
        if token.type != "html_block" or token.map is None:
            continue
        for found in _COMMENT.finditer(token.content):
            line = token.map[0] + 1 + token.content.count("\n", 0, found.start())
            parsed = _parse(found.group("body"))
            if isinstance(parsed, str):
                if parsed:
                    problems.append(_problem(path, line, parsed))
                continue
            verb, codes = parsed
            if verb == "ignore-file":
                directives.append(Directive(codes, 1, len(lines)))
                continue
            following = _next_block(tokens, index)
            last = following[1] if following else token.map[1]
            directives.append(Directive(codes, line, last))
    return FileDirectives(tuple(directives), tuple(problems))


def _without_front_matter(lines: list[str]) -> list[str]:
    # Blank the front matter (keeping its lines) so line numbers stay the file's own.
    if not lines or lines[0].strip() != "---":
        return lines
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            return [""] * (end + 1) + lines[end + 1 :]
    return lines


def _next_block(tokens: Sequence[Token], index: int) -> tuple[int, int] | None:
    comment_map = tokens[index].map
    end = comment_map[1] if comment_map else 0
    for token in tokens[index + 1 :]:
        if token.map and token.map[0] >= end and not _is_directive_comment(token):
            return token.map[0] + 1, token.map[1]
    return None


def _is_directive_comment(token: Token) -> bool:
    # Directives stacked on consecutive lines all apply to the block after the last one.
    return token.type == "html_block" and _COMMENT.fullmatch(token.content.strip()) is not None


def _parse(body: str) -> tuple[str, tuple[str, ...]] | str:
    # Other persona-kb comments are not code directives and are left alone: the examples'
    # tier markers (`no-run`, `ignore`, `raises=ValueError`) and the generated-page marker.
    # A comment that names a code but is no directive is a mistake worth reporting.
    words = body.replace(",", " ").split()
    if not words:
        return ""
    verb, names = words[0].lower(), [w.upper() for w in words[1:]]
    if verb not in _VERBS:
        if not any(_CODE_LIKE.fullmatch(w) for w in words):
            return ""
        return (
            f"'persona-kb: {words[0]}' is not a directive; write "
            "'<!-- persona-kb: ignore PKB502 -->' (the next block) or "
            "'<!-- persona-kb: ignore-file PKB502 -->' (the whole file)"
        )
    if not names:
        if verb == "ignore":
            return ""  # the examples' `ignore` tier marker
        return f"'persona-kb: {verb}' names no code; add the code(s) to ignore, e.g. PKB502"
    bad = [n for n in names if not matches_a_code(n)]
    if bad:
        return (
            f"'persona-kb: {verb}' names {', '.join(bad)}, which is not a persona-kb code; "
            f"use a code listed in {CODES_PAGE}"
        )
    return verb, tuple(names)


def _problem(path: str, line: int, message: str) -> Diagnostic:
    return Diagnostic(
        "PKB320",
        Severity.WARNING,
        message,
        SourceSpan(path, line),
        hint="until it is fixed, the comment silences nothing",
    )


def apply_code_policy(
    diagnostics: Iterable[Diagnostic],
    policy: CodePolicy,
    *,
    roots: Sequence[Path] = (),
    validate: Iterable[str] = (),
    report_problems: bool = True,
    files: DirectiveFiles | None = None,
) -> list[Diagnostic]:
    """``diagnostics`` as the policy and the personas' own comments say.

    Ignored codes are dropped and re-levelled ones change severity. Directives are read
    only from files under ``roots`` (the persona folders), for files that have a
    diagnostic and the files named in ``validate``; a comment there that cannot be
    understood is reported (``PKB320``) unless ``report_problems`` is false. ``files``
    (made for the same ``roots``) keeps the files read across calls.
    """
    if not policy.inline:
        files = None
    elif files is None:
        files = DirectiveFiles(roots)
    if files is not None:
        for path in validate:
            files.of(path)
    out: list[Diagnostic] = []
    for diagnostic in diagnostics:
        if files is not None and files.of(diagnostic.span.path).ignores(
            diagnostic.code, diagnostic.span.line
        ):
            continue
        kept = policy.apply(diagnostic)
        if kept is not None:
            out.append(kept)
    if files is not None and report_problems:
        for problem in files.problems():
            kept = policy.apply(problem)
            if kept is not None:
                out.append(kept)
    return out


class DirectiveFiles:
    """Directives per display path, read once, only from files under the roots.

    With ``hashes`` (display path → SHA-256 of the bytes the build read) and a ``memo``
    kept between builds, a file whose hash is unchanged is not read again.
    """

    def __init__(
        self,
        roots: Sequence[Path],
        *,
        hashes: Mapping[str, str] | None = None,
        memo: dict[tuple[str, str], FileDirectives] | None = None,
    ) -> None:
        self.roots = tuple(r.resolve() for r in roots)
        self.read: dict[str, FileDirectives] = {}
        self._hashes = hashes or {}
        self._memo = memo if memo is not None else {}

    def of(self, path: str) -> FileDirectives:
        found = self.read.get(path)
        if found is None:
            digest = self._hashes.get(path)
            found = self._memo.get((path, digest)) if digest is not None else None
            if found is None:
                found = self._load(path)
                if digest is not None:
                    self._memo[(path, digest)] = found
            self.read[path] = found
        return found

    def _load(self, path: str) -> FileDirectives:
        if not self.roots:
            return FileDirectives()
        try:
            file = Path(path).resolve()
            if not any(file.is_relative_to(root) for root in self.roots) or not file.is_file():
                return FileDirectives()
            if file.stat().st_size > MAX_FILE_BYTES:
                return FileDirectives()
            data = file.read_bytes()
        except OSError:
            return FileDirectives()
        if MARKER.encode() not in data:
            return FileDirectives()
        return read_directives(data.decode("utf-8-sig", errors="replace"), path)

    def problems(self) -> list[Diagnostic]:
        return [p for found in self.read.values() for p in found.problems]


class DirectiveMemo:
    """The directives of persona files, kept between the builds of one process (``mkdocs
    serve``) by the hash of each file's bytes: unchanged files are not read again."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, str], FileDirectives] = {}

    def files(self, roots: Sequence[Path], hashes: Mapping[str, str]) -> DirectiveFiles:
        """A [`DirectiveFiles`][persona_kb._internal.ingest.directives.DirectiveFiles] for
        one build whose files have these ``hashes``; files gone or changed are forgotten."""
        live = set(hashes.items())
        self._found = {key: found for key, found in self._found.items() if key in live}
        return DirectiveFiles(roots, hashes=hashes, memo=self._found)
