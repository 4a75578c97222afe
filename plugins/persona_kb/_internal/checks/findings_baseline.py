"""Known findings of ``persona-kb check``'s steps, so a library you did not write goes green.

A third-party library fails ``mkdocs build --strict`` on its own front matter or HTML long
before anyone fixes it. ``persona-kb check --update-baseline`` records what every step
found (lint, build, export, links, and the examples step's page problems) beside the
example failures, in the same ``persona-kb-baseline.json``; from then on ``check`` fails
only on findings that are new, and says how many known ones remain.

A finding is recognised as ruff's and mypy's baseline tools do it, without its line
number: the step, the code, the file (relative to the project) and the content of the
line it points at (whitespace-normalised), plus its message with numbers of lines and
columns masked. Lines added or removed above a finding keep it known; editing the line
itself, or a new finding of the same code on another line, fails the check.

Failures of the tools themselves are never baselined: a build that failed for another
reason than its warnings (``PKB711``), a step that could not run (``PKB730``) or crashed
(``PKB731``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from persona_kb._internal.checks.results import StepResult, StepStatus
from persona_kb._internal.core.diagnostics import (
    Diagnostic,
    PersonaKBError,
    Severity,
    SourceSpan,
    has_errors,
)

BASELINE_FILE = "persona-kb-baseline.json"
"""The baseline's default name, beside ``mkdocs.yml``."""

ABOUT = (
    "Known example failures, and known findings of `persona-kb check`'s other steps: "
    "persona-kb fails only on new or changed ones. Rewrite with `persona-kb check "
    "--update-baseline` (or `persona-kb examples --update-baseline` for the example "
    "failures alone)."
)
"""What the baseline file says about itself."""

NEVER_BASELINED = frozenset({"PKB711", "PKB730", "PKB731"})
"""A failed build, a step that could not run, a crash: never "known"."""

_MAX_LINE_FILE = 4 * 1024 * 1024
_MASKS = (
    (re.compile(r"0x[0-9a-fA-F]+"), "0x…"),
    (re.compile(r"\b(line|column|col)s? \d+", re.IGNORECASE), r"\1 …"),
    (re.compile(r"(\.[A-Za-z]{1,10}):\d+(?::\d+)?"), r"\1:…"),
    (re.compile(r"\d+(\.\d+)?\s*(s|ms|seconds)\b"), "… s"),
)


BUILT_SITE = "<built site>"
"""How a page of the built site is keyed, wherever the site was built."""

# A file named in a message: its path as shown (relative to the current folder, or
# absolute), rewritten relative to the project when it exists.
_NAMED_FILE = re.compile(
    r"(?<![\w/.<-])[\w.-]*(?:/[\w.-]+)*\.(?:md|mdc|markdown|ya?ml|py|html?|json|toml|txt)\b"
)


def _masked(message: str) -> str:
    for pattern, replacement in _MASKS:
        message = pattern.sub(replacement, message)
    return " ".join(message.split())


def project_key(path: str, project: Path, site: str | None = None) -> str:
    """``path`` as shown to the user, keyed the same from any folder: relative to the
    project (POSIX), under ``<built site>/`` for a page of the built site shown as
    ``site``, else as given (a file outside the project)."""
    if site and (path == site or path.startswith(site + "/")):
        return BUILT_SITE + path[len(site) :]
    if path.startswith("<"):
        return path
    absolute = Path(os.path.abspath(path))  # noqa: PTH100 (symlinks kept as written)
    try:
        return absolute.relative_to(os.path.abspath(project)).as_posix()  # noqa: PTH100
    except ValueError:
        pass
    found = _project_path(path, project)  # a link into the project
    return found.relative_to(project.resolve()).as_posix() if found is not None else path


def relocated(message: str, project: Path, site: str | None = None) -> str:
    """``message`` with the files it names keyed as [`project_key`][] keys them."""
    if site:
        message = message.replace(site + "/", BUILT_SITE + "/")

    def key(match: re.Match[str]) -> str:
        named = match.group(0)
        return project_key(named, project) if os.path.exists(named) else named  # noqa: PTH110

    return _NAMED_FILE.sub(key, message)


def _project_path(path: str, project: Path) -> Path | None:
    """The file ``path`` names, when it lies inside the project (else ``None``)."""
    candidate = Path(path)
    if not candidate.is_absolute():
        candidate = Path.cwd() / candidate
    try:
        resolved = candidate.resolve()
        resolved.relative_to(project.resolve())
    except (OSError, ValueError):
        return None
    return resolved


class _Lines:
    """Source lines read once per file, only from files inside the project."""

    def __init__(self, project: Path, site: str | None = None) -> None:
        self.project = project
        self.site = site
        self.files: dict[str, list[str]] = {}

    def key_path(self, path: str) -> str:
        return project_key(path, self.project, self.site)

    def message(self, message: str) -> str:
        return _masked(relocated(message, self.project, self.site))

    def text(self, span: SourceSpan) -> str:
        if self.key_path(span.path).startswith(BUILT_SITE):
            return ""  # a built page is no source, and `check` builds it where it cannot be read
        lines = self.files.get(span.path)
        if lines is None:
            lines = self.files[span.path] = self._read(span.path)
        if 0 < span.line <= len(lines):
            return " ".join(lines[span.line - 1].split())
        return ""

    def _read(self, path: str) -> list[str]:
        found = _project_path(path, self.project)
        if found is None:
            return []
        try:
            if not found.is_file() or found.stat().st_size > _MAX_LINE_FILE:
                return []
            return found.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return []


def baselinable(diagnostic: Diagnostic) -> bool:
    """A finding that may be recorded: an error, and not a failure of the tools."""
    return diagnostic.severity is Severity.ERROR and diagnostic.code not in NEVER_BASELINED


@dataclass(frozen=True, slots=True)
class Finding:
    """One recorded finding: what identifies it, and what a reader of the file sees."""

    step: str
    code: str
    path: str
    text: str
    message: str

    @property
    def fingerprint(self) -> str:
        """The identity: step, code, file, line content and masked message."""
        parts = (self.step, self.code, self.path, self.text, self.message)
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]

    def to_json(self) -> dict[str, str]:
        """The entry written to the baseline file."""
        return {
            "step": self.step,
            "code": self.code,
            "path": self.path,
            "text": self.text[:160],
            "message": self.message[:200],
            "fingerprint": self.fingerprint,
        }


def findings(
    step: str, diagnostics: Iterable[Diagnostic], project: Path, site: str | None = None
) -> list[Finding]:
    """The baselinable findings among a step's ``diagnostics``, in order (``site``: how
    the built site's folder is shown in them)."""
    lines = _Lines(project, site)
    return [_finding(step, d, lines) for d in diagnostics if baselinable(d)]


def _finding(step: str, diagnostic: Diagnostic, lines: _Lines) -> Finding:
    return Finding(
        step,
        diagnostic.code,
        lines.key_path(diagnostic.span.path),
        lines.text(diagnostic.span),
        lines.message(diagnostic.message),
    )


@dataclass(frozen=True, slots=True)
class FindingsBaseline:
    """Fingerprints of the known findings, with how often each occurs."""

    counts: Counter[str] = field(default_factory=Counter)
    path: Path | None = None
    steps: Mapping[str, str] = field(default_factory=dict)
    """The step that recorded each fingerprint."""

    def __len__(self) -> int:
        return sum(self.counts.values())

    def fixed(self, step: str, left: Counter[str]) -> int:
        """How many of ``step``'s known findings were not seen (``left`` after a run)."""
        return sum(n for key, n in left.items() if n > 0 and self.steps.get(key) == step)


def _document(path: Path) -> dict[str, Any]:
    """The baseline file's JSON object; ``{}`` when there is none.

    Raises [`PersonaKBError`][persona_kb.PersonaKBError] for a file that is not a baseline.
    """
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise TypeError("not a JSON object")
    except (OSError, UnicodeDecodeError, ValueError, TypeError) as exc:
        raise PersonaKBError(
            f"{path.as_posix()} is not a persona-kb baseline ({exc}); "
            "rewrite it with --update-baseline",
            SourceSpan(path.as_posix(), 1),
        ) from None
    return data


def read_findings(path: Path) -> FindingsBaseline:
    """The known findings of ``path`` (none when the file does not exist or has none)."""
    entries = _document(path).get("findings", [])
    try:
        counts = Counter(str(entry["fingerprint"]) for entry in entries)
        steps = {str(entry["fingerprint"]): str(entry.get("step", "")) for entry in entries}
    except (KeyError, TypeError) as exc:
        raise PersonaKBError(
            f"{path.as_posix()}: 'findings' is not a list of findings ({exc}); "
            "rewrite it with --update-baseline",
            SourceSpan(path.as_posix(), 1),
        ) from None
    return FindingsBaseline(counts, path, steps)


def write_findings(path: Path, found: Mapping[str, Sequence[Finding]]) -> int:
    """Record ``found`` (findings by step) in ``path``; return how many were recorded.

    Entries of steps that did not run this time (absent from ``found``) are kept, and so
    is everything else in the file (the example failures).
    """
    document = _document(path)
    kept = [
        entry
        for entry in document.get("findings", [])
        if isinstance(entry, dict) and entry.get("step") not in found
    ]
    entries = kept + [f.to_json() for step in found for f in found[step]]
    entries.sort(key=lambda e: (str(e.get("step")), str(e.get("path")), str(e.get("fingerprint"))))
    document.setdefault("version", 1)
    document.setdefault("about", ABOUT)
    document.setdefault("failures", [])
    document["findings"] = entries
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(entries)


def apply_findings(
    step: StepResult,
    baseline: FindingsBaseline,
    project: Path,
    left: Counter[str],
    site: str | None = None,
) -> StepResult:
    """``step`` without the errors the baseline knows; passed when none of its errors is new.

    ``left`` holds the fingerprints not yet matched (shared by the steps of one run).
    """
    if step.status is not StepStatus.FAILED or not baseline.counts:
        return step
    lines = _Lines(project, site)
    kept: list[Diagnostic] = []
    known = 0
    for d in step.diagnostics:
        if baselinable(d):
            key = _finding(step.name, d, lines).fingerprint
            if left[key] > 0:
                left[key] -= 1
                known += 1
                continue
        kept.append(d)
    if not known:
        return step
    remaining = tuple(kept)
    status = StepStatus.FAILED if has_errors(remaining) else StepStatus.PASSED
    one = known == 1
    summary = (
        f"{step.summary}; {known} baselined finding{'' if one else 's'} remain{'s' if one else ''}"
    )
    return replace(step, status=status, summary=summary, diagnostics=remaining)


def known_findings(
    steps: Sequence[StepResult],
    known: FindingsBaseline,
    project: Path,
    site: str | None = None,
    *,
    count_fixed: bool = True,
) -> list[StepResult]:
    """``steps`` with the baseline's known findings taken out and counted; with
    ``count_fixed``, each step also says how many of its known findings were not seen
    (only meaningful when the step looked at everything it looks at in ``check``)."""
    if not known.counts:
        return list(steps)
    left = Counter(known.counts)
    applied = [apply_findings(step, known, project, left, site) for step in steps]
    out = []
    for step in applied:
        fixed = known.fixed(step.name, left) if step.ran and count_fixed else 0
        if fixed:
            one = fixed == 1
            step = replace(
                step,
                summary=f"{step.summary}; {fixed} baselined finding{'' if one else 's'} "
                f"fixed since (rewrite it with --update-baseline)",
            )
        out.append(step)
    return out
