"""The one diagnostic family: every problem persona-kb reports carries ``path:line:col``.

Core modules never print and never raise for bad *input*; they return
[`Diagnostic`][persona_kb.Diagnostic] values. Adapters (CLI, MkDocs, pytest)
decide how to show them. [`PersonaKBError`][persona_kb.PersonaKBError] is
raised only for usage or configuration errors (CLI exit code 2).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Severity(StrEnum):
    """How bad a diagnostic is. ``error`` skips the file (or fails a check)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


_RANK = {Severity.ERROR: 2, Severity.WARNING: 1, Severity.INFO: 0}


@dataclass(frozen=True, slots=True, order=True)
class SourceSpan:
    """A place in a source file: 1-based ``line`` and ``column``.

    ``path`` is the display path (POSIX separators), usually relative to the
    current directory, so ``str(span)`` is clickable in terminals and editors.
    """

    path: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"

    def at_line(self, line: int, column: int = 1) -> SourceSpan:
        """Return a span in the same file at another line."""
        return SourceSpan(self.path, line, column)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding about one place.

    ``code`` is stable (``PKB101``); tools and tests may rely on it.
    ``hint`` says what the user should do about it.
    ``related`` names other places involved (for example the other duplicate).
    """

    code: str
    severity: Severity
    message: str
    span: SourceSpan
    hint: str = ""
    related: tuple[SourceSpan, ...] = field(default=())

    @property
    def text(self) -> str:
        """The message with its hint, as one sentence group."""
        return f"{self.message}; {self.hint}" if self.hint else self.message

    def format(self, *, severity: bool = True, related: bool = False) -> str:
        """``path:line:col: severity: message [CODE]``: the one text form of a diagnostic.

        The MkDocs plugin leaves out the severity (MkDocs' log level shows it) and adds
        the related places (``(see also path:line)``).
        """
        s = self.span
        level = f"{self.severity}: " if severity else ""
        also = "".join(f" (see also {r})" for r in self.related) if related else ""
        return f"{s.path}:{s.line}:{s.column}: {level}{self.text}{also} [{self.code}]"

    def format_github(self) -> str:
        """A GitHub Actions workflow command (``::error file=…,line=…::…``)."""
        level = {"error": "error", "warning": "warning", "info": "notice"}[self.severity]
        s = self.span
        return github_command(
            level,
            f"{self.text} [{self.code}]",
            file=s.path,
            line=str(s.line),
            col=str(s.column),
            title=self.code,
        )

    def to_json(self) -> dict[str, object]:
        """A JSON-ready mapping with stable keys."""
        return {
            "path": self.span.path,
            "line": self.span.line,
            "column": self.span.column,
            "severity": str(self.severity),
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "related": [str(r) for r in self.related],
        }


def github_command(level: str, message: str, **properties: str) -> str:
    """The one GitHub Actions annotation writer: ``::level prop=value,…::message``.

    Properties and the message are escaped as the runner requires, so no text (a
    persona's, or an example's output) can end the command or start another one.
    """
    props = ",".join(f"{k}={_escape_github_property(v)}" for k, v in properties.items())
    return (
        f"::{level} {props}::{_escape_github_data(message)}"
        if props
        else (f"::{level}::{_escape_github_data(message)}")
    )


def _escape_github_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_github_property(value: str) -> str:
    return _escape_github_data(value).replace(":", "%3A").replace(",", "%2C")


def worst(diagnostics: Iterable[Diagnostic]) -> Severity | None:
    """The most severe severity among ``diagnostics`` (``None`` if empty)."""
    found = [d.severity for d in diagnostics]
    return max(found, key=_RANK.__getitem__) if found else None


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """Whether any diagnostic is an error."""
    return any(d.severity is Severity.ERROR for d in diagnostics)


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Diagnostics in file, line, column, code order (stable output)."""
    return sorted(diagnostics, key=lambda d: (d.span.path, d.span.line, d.span.column, d.code))


def summarize(diagnostics: Iterable[Diagnostic]) -> dict[str, int]:
    """Counts per severity: ``{"error": n, "warning": n, "info": n}``."""
    counts = {str(s): 0 for s in Severity}
    for d in diagnostics:
        counts[str(d.severity)] += 1
    return counts


def diagnostics_to_json(diagnostics: Iterable[Diagnostic]) -> str:
    """Serialize diagnostics as a JSON array (one object each)."""
    return json.dumps([d.to_json() for d in diagnostics], indent=2, ensure_ascii=False)


class PersonaKBError(Exception):
    """A usage or configuration error: the CLI exits 2 and prints ``persona-kb: error: …``.

    Bad persona *content* is never raised; it becomes a [`Diagnostic`][persona_kb.Diagnostic].
    """

    def __init__(self, message: str, span: SourceSpan | None = None) -> None:
        self.message = message
        self.span = span
        super().__init__(f"{span}: {message}" if span else message)


# Stable diagnostic codes. The first digit groups them:
# 1xx reading files, 2xx front matter, 3xx Markdown structure, 4xx the library as a whole,
# 5xx rendering and topics, 6xx examples, 7xx links.
CODES: dict[str, str] = {
    "PKB100": "file is empty",
    "PKB101": "file is binary",
    "PKB102": "file is larger than the size limit",
    "PKB103": "file is not valid UTF-8 (decoded with a fallback)",
    "PKB104": "mojibake repaired",
    "PKB105": "invisible or non-standard characters normalised (BOM, NBSP, zero-width)",
    "PKB106": "file could not be read",
    "PKB107": "whole file indented; dedented",
    "PKB108": "path given to read does not exist",
    "PKB109": "internal error while reading the file (a persona-kb bug)",
    "PKB110": "Markdown file skipped: not a persona (README, LICENSE, index, Fabric user.md)",
    "PKB111": "symlink that leaves the persona folder; skipped, never read",
    "PKB112": "not a regular file (FIFO, device, socket); refused, never opened",
    "PKB200": "front matter is not valid YAML and could not be recovered",
    "PKB201": "front matter recovered with the lenient fallback",
    "PKB202": "front matter is not a mapping",
    "PKB203": "front matter is never closed",
    "PKB204": "front-matter value has an unexpected type; normalised",
    "PKB205": "front matter over budget (YAML aliases, nesting or size); ignored, body read",
    "PKB240": "front matter does not match its format's JSON Schema",
    "PKB300": "code fence is never closed",
    "PKB301": "no heading and no name; named after the file",
    "PKB302": "WRONG/CORRECT label without its pair",
    "PKB303": "an outer markdown fence is closed early by the fence of an inner block",
    "PKB304": "Markdown nested deeper than the budget; the excess is shown as text",
    "PKB305": "too many link reference definitions in a row; the excess is shown as text",
    "PKB310": "an Agent Skill has no 'name:' (named after its folder)",
    "PKB311": "an Agent Skill's name does not match its folder",
    "PKB312": "an Agent Skill's name is not 1-64 lowercase letters, digits and hyphens",
    "PKB313": "an Agent Skill's description is missing or over 1,024 characters",
    "PKB314": "an Agent Skill's SKILL.md refers to a file that is not in the skill folder",
    "PKB320": "a '<!-- persona-kb: ... -->' comment in a persona is not understood",
    "PKB400": "duplicate persona body",
    "PKB401": "duplicate persona name",
    "PKB402": "format override does not match any known format",
    "PKB500": "front-matter topic is not a safe slug; slugified",
    "PKB502": "dangerous raw HTML or URL neutralised: shown as text (allow_html is off)",
    "PKB510": "export conflict: a file persona-kb did not generate sits at a page's path",
    "PKB590": "the on-disk cache cannot be used or was damaged (costs speed only)",
    "PKB599": "a topic could not be rendered (a persona-kb bug); its pages are left out",
    "PKB600": "example raised an exception",
    "PKB601": "example does not compile (SyntaxError)",
    "PKB602": "example timed out; its process group was killed",
    "PKB603": "example ended its process (crash, signal, sys.exit or os._exit)",
    "PKB604": "example imports a module that is not installed",
    "PKB605": "raises= example did not raise the expected exception",
    "PKB606": "compile-fail example compiles",
    "PKB607": "no-run example uses a name neither it nor its prelude defines",
    "PKB608": "example does not parse (YAML, JSON, TOML, INI, or a tree-sitter language)",
    "PKB609": "shell example has a syntax error (bash -n)",
    "PKB611": "pycon example printed something other than its expected output",
    "PKB612": "example prelude failed",
    "PKB613": "the example worker stopped responding and was restarted",
    "PKB614": "unknown example tier or marker",
    "PKB615": "page could not be read",
    "PKB616": "fence info string makes pymdownx.superfences render the block as text",
    "PKB617": "a Markdown extension of the site could not be loaded to select the examples",
    "PKB618": "example created a coroutine and never awaited it",
    "PKB700": "broken link: no such page in the built site",
    "PKB701": "broken anchor: the target page has no such id",
    "PKB702": "missing image or asset",
    "PKB703": "link points outside the site",
    "PKB704": "external link is broken or unreachable",
    "PKB710": "mkdocs build --strict warning",
    "PKB711": "mkdocs build --strict failed",
    "PKB720": "exported knowledge base is out of date with the personas",
    "PKB730": "a check step could not run (configuration error)",
    "PKB731": "a check step crashed (a persona-kb bug)",
}
