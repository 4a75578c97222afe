"""``mkdocs build --strict`` as a subprocess, its log turned into diagnostics at ``path:line``.

The build runs in a separate process (a broken theme or plugin cannot take
``persona-kb check`` down), into a folder the caller chooses, never into
``docs_dir``. MkDocs' warnings name a doc file and a link; the link is found in
that file's Markdown (or, for a generated page, followed through its source map
to the persona line), so every warning lands on the line to fix.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from persona_kb._internal.checks.links.report import markdown_links
from persona_kb._internal.checks.links.site import PageSource
from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.paths import display_path

BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
"""Silences the MkDocs 2.0 banners in every subprocess we start."""

_LOG_LINE = re.compile(r"^(?P<level>WARNING|ERROR|CRITICAL)\s+-\s+(?P<message>.*)$")
_CONTINUATION = re.compile(r"^\s+\S")
_LOCATED = re.compile(
    r"^(?:[\w.-]+: )*(?P<path>[^\s:][^:]*?):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<text>.*)$"
)
_CODE = re.compile(r"\s*\[(?P<code>PKB\d{3})\]\s*$")
_DOC_LINK = re.compile(r"^Doc file '(?P<doc>[^']+)' contains a link '(?P<url>[^']*)'")
_NAV_REFERENCE = re.compile(r"^A reference to '(?P<url>[^']+)' is included in the 'nav'")
_NOT_IN_NAV = re.compile(r"^The following pages exist in the docs directory, but are not included")
_ABORTED = re.compile(r"^Aborted with \d+ warnings? in strict mode")
_STRICT_ABORT = re.compile(r"^(?:\S+\s+-\s+)?Aborted with [^\n]* in strict mode", re.MULTILINE)
"""The build ran to its end and --strict failed it for its warnings (MkDocs 1.6 counts
errors too: ``Aborted with 2 warnings, 1 errors in strict mode!``)."""


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What ``mkdocs build --strict`` said and produced."""

    returncode: int
    diagnostics: tuple[Diagnostic, ...]
    site_dir: Path
    seconds: float
    output: str


def mkdocs_command(config_path: Path | None = None) -> list[str]:
    """``python -m mkdocs``; ProperDocs for a ``properdocs.yml`` or when only the fork is
    installed."""
    has_properdocs = importlib.util.find_spec("properdocs") is not None
    wants_properdocs = config_path is not None and config_path.name.startswith("properdocs.")
    if has_properdocs and (wants_properdocs or importlib.util.find_spec("mkdocs") is None):
        return [sys.executable, "-m", "properdocs"]
    return [sys.executable, "-m", "mkdocs"]


def build_site(
    config_path: Path,
    site_dir: Path,
    sources: Mapping[str, PageSource],
    *,
    timeout: float = 1800,
) -> BuildResult:
    """Run ``mkdocs build --strict`` into ``site_dir`` and parse its warnings.

    ``sources`` maps docs paths (``guide.md``) to their Markdown, to place link
    warnings on their line.
    """
    command = [
        *mkdocs_command(config_path),
        "build",
        "--strict",
        "--clean",
        "--config-file",
        str(config_path),
        "--site-dir",
        str(site_dir),
    ]
    env = {**os.environ, **BUILD_ENV}
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        span = SourceSpan(display_path(config_path), 1)
        message = f"mkdocs build --strict did not finish within {timeout:g}s"
        failed = Diagnostic("PKB711", Severity.ERROR, message, span, hint="look for a hung plugin")
        return BuildResult(-1, (failed,), site_dir, time.perf_counter() - start, "")
    output = (done.stdout or "") + (done.stderr or "")
    diagnostics = parse_build_log(output, config_path, sources)
    if done.returncode != 0 and not (diagnostics and _STRICT_ABORT.search(output)):
        # Not (only) the warnings that --strict counts: the build itself failed. Said even
        # next to warnings, so a baseline of known warnings never lets a broken build pass.
        tail = " | ".join(line.strip() for line in output.strip().splitlines()[-3:])
        diagnostics.append(
            Diagnostic(
                "PKB711",
                Severity.ERROR,
                f"mkdocs build --strict failed (exit {done.returncode}): {tail or 'no output'}",
                SourceSpan(display_path(config_path), 1),
                hint="run `mkdocs build --strict` to see the full output",
            )
        )
    return BuildResult(
        done.returncode, tuple(diagnostics), site_dir, time.perf_counter() - start, output
    )


def parse_build_log(
    output: str, config_path: Path, sources: Mapping[str, PageSource]
) -> list[Diagnostic]:
    """One diagnostic per ``WARNING``/``ERROR`` entry of a MkDocs log."""
    entries: list[tuple[str, str]] = []
    for raw in output.splitlines():
        match = _LOG_LINE.match(raw.rstrip())
        if match:
            entries.append((match.group("level"), match.group("message").strip()))
        elif entries and _CONTINUATION.match(raw):
            level, message = entries[-1]
            entries[-1] = (level, f"{message} {raw.strip()}")
    config_lines = _lines(config_path)
    diagnostics: list[Diagnostic] = []
    for level, message in entries:
        if _ABORTED.match(message):
            continue
        if message.endswith(".") and not message.endswith(".."):
            message = message[:-1]  # the hint follows after "; "
        if _NOT_IN_NAV.match(message):
            diagnostics.extend(_not_in_nav(level, message, config_path, sources))
            continue
        diagnostics.append(_entry(level, message, config_path, config_lines, sources))
    return diagnostics


def _not_in_nav(
    level: str, message: str, config_path: Path, sources: Mapping[str, PageSource]
) -> list[Diagnostic]:
    """One diagnostic per page left out of ``nav:``, at the page itself."""
    code = "PKB710" if level == "WARNING" else "PKB711"
    found = []
    for page in re.findall(r"(?:^|\s)- (\S+)", message.split(":", 1)[-1]):
        source = sources.get(page)
        span = SourceSpan(source.path, 1) if source else SourceSpan(display_path(config_path), 1)
        found.append(
            Diagnostic(
                code,
                Severity.ERROR,
                f"mkdocs build --strict: {page} is not included in the nav configuration",
                span,
                hint=f"add it to `nav:` in {config_path.name}, or to `not_in_nav:`",
            )
        )
    return found


def _entry(
    level: str,
    message: str,
    config_path: Path,
    config_lines: Sequence[str],
    sources: Mapping[str, PageSource],
) -> Diagnostic:
    code = "PKB710" if level == "WARNING" else "PKB711"
    hint = "fix it: under --strict every warning fails the build"
    located = _LOCATED.match(message)
    if located and not message.startswith("Doc file"):
        text = located.group("text")
        found = _CODE.search(text)
        if found:
            code = found.group("code")
            text = text[: found.start()]
        span = SourceSpan(
            located.group("path"), int(located.group("line")), int(located.group("col") or 1)
        )
        return Diagnostic(code, Severity.ERROR, f"mkdocs build --strict: {text}", span, hint=hint)
    span = SourceSpan(display_path(config_path), 1)
    doc_link = _DOC_LINK.match(message)
    nav = _NAV_REFERENCE.match(message)
    if doc_link:
        span = _link_span(doc_link.group("doc"), doc_link.group("url"), sources) or span
    elif nav:
        url = nav.group("url")
        line = next((i + 1 for i, t in enumerate(config_lines) if url in t), 1)
        span = SourceSpan(display_path(config_path), line)
    return Diagnostic(code, Severity.ERROR, f"mkdocs build --strict: {message}", span, hint=hint)


def _link_span(doc: str, url: str, sources: Mapping[str, PageSource]) -> SourceSpan | None:
    source = sources.get(doc)
    if source is None:
        return None
    for link in markdown_links(source.markdown()):
        if link.url == url:
            return source.locate(link.line)
    return source.locate(1)


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
