"""A baseline of known example failures, like mypy's and basedpyright's.

Adopting the checker on a library you did not write starts with hundreds of failing
fragments. ``--update-baseline`` records today's failures in a JSON file; from then on
``persona-kb examples``, ``persona-kb check`` and pytest fail only on failures that are
new or changed, and say how many baselined ones remain.

A failure is recognised by its fingerprint: the persona file, the block's language and
code (whitespace-normalised), and the failure's code, kind and message (with line numbers
and memory addresses masked). Line numbers are left out on purpose, so an edit above a
block never turns a known failure into a new one; editing the block itself does.

A timeout says how busy the machine was, not what the block does: a known failure of a
block whose code did not change still matches when the block now times out, and a known
timeout matches whatever the unchanged block now fails with (on a loaded CI runner, a
block that imports numpy may take 10 s one day and fail on a missing module the next).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from persona_kb._internal.checks.examples.report import ExampleReport, ExampleResult, Status
from persona_kb._internal.checks.findings_baseline import (
    ABOUT,
    BASELINE_FILE,
    project_key,
    relocated,
)
from persona_kb._internal.core.diagnostics import PersonaKBError, SourceSpan

__all__ = [
    "BASELINE_FILE",
    "Baseline",
    "BaselineOutcome",
    "apply_baseline",
    "fingerprint",
    "read_baseline",
    "write_baseline",
]

_VERSION = 1
_TIMEOUT = "Timeout"
_MASKS = (
    # The block's private directory is new every run ("Cannot find module
    # '/dev/shm/persona-kb-examples-…/p…/block-…/_generated/server'").
    (re.compile(r"\S*?persona-kb-examples-[^/\s]+/[^/\s]+/block-[^/\s]+"), "<block directory>"),
    (re.compile(r"0x[0-9a-fA-F]+"), "0x…"),
    (re.compile(r"\bline \d+"), "line …"),
    (re.compile(r"\.(md|mdc|markdown|py):\d+"), r".\1:…"),
)


def _masked(message: str) -> str:
    for pattern, replacement in _MASKS:
        message = pattern.sub(replacement, message)
    return " ".join(message.split())


def fingerprint(result: ExampleResult, project: Path | None = None) -> str:
    """The failure's identity, stable across edits above the block; with ``project``, the
    files it names are keyed relative to it, so that it is the same from any folder."""
    e = result.example
    code = "\n".join(" ".join(line.split()) for line in e.code.strip().splitlines())
    path, message = e.path, result.message
    if project is not None:
        path, message = project_key(path, project), relocated(message, project)
    parts = (path, e.language, code, result.code, result.kind, _masked(message))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:20]


def block_key(result: ExampleResult, project: Path | None = None) -> str:
    """The block's identity alone (file, language, code), whatever it fails with."""
    e = result.example
    code = "\n".join(" ".join(line.split()) for line in e.code.strip().splitlines())
    path = project_key(e.path, project) if project is not None else e.path
    return hashlib.sha256("\0".join((path, e.language, code)).encode()).hexdigest()[:20]


def _timed_out(kind: object) -> bool:
    return kind == _TIMEOUT


@dataclass(frozen=True, slots=True)
class Baseline:
    """Fingerprints of the known failures, with how often each occurs."""

    counts: Counter[str] = field(default_factory=Counter)
    path: Path | None = None
    project: Path | None = None
    """What the recorded paths are relative to (``None``: the current folder)."""
    blocks: dict[str, list[tuple[str, bool]]] = field(default_factory=dict)
    """Block key → the fingerprints recorded for it, each with whether it was a timeout
    (entries written before block keys were recorded have none)."""

    def __len__(self) -> int:
        return sum(self.counts.values())


def read_baseline(path: Path, project: Path | None = None) -> Baseline:
    """Read a baseline file whose paths are relative to ``project``; a missing file is an
    empty baseline.

    Raises [`PersonaKBError`][persona_kb.PersonaKBError] for a file that is not a baseline.
    """
    if not path.is_file():
        return Baseline(Counter(), path, project)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data.get("failures", [])  # a file of check's other findings alone
        counts = Counter(str(entry["fingerprint"]) for entry in entries)
        blocks: dict[str, list[tuple[str, bool]]] = {}
        for entry in entries:
            if isinstance(entry.get("block"), str):
                recorded = (str(entry["fingerprint"]), _timed_out(entry.get("kind")))
                blocks.setdefault(entry["block"], []).append(recorded)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise PersonaKBError(
            f"{path.as_posix()} is not a persona-kb baseline ({exc}); "
            "rewrite it with --update-baseline",
            SourceSpan(path.as_posix(), 1),
        ) from None
    return Baseline(counts, path, project, blocks)


def write_baseline(
    path: Path, results: Iterable[ExampleResult], project: Path | None = None
) -> int:
    """Record every failure of ``results`` in ``path`` (paths relative to ``project``);
    return how many were recorded."""
    entries = []
    for result in results:
        if result.status not in {Status.FAILED, Status.BASELINED}:
            continue
        e = result.example
        where = project_key(e.path, project) if project is not None else e.path
        entries.append(
            {
                "path": where,
                "page": e.page or where,
                "heading": e.heading,
                "language": e.language,
                "code": result.code,
                "kind": result.kind,
                "message": _masked(result.message)[:200],
                "fingerprint": fingerprint(result, project),
                "block": block_key(result, project),
            }
        )
    entries.sort(key=lambda entry: (entry["path"], entry["heading"], entry["fingerprint"]))
    document = {
        "version": _VERSION,
        "about": ABOUT,
        **_other_entries(path),
        "failures": entries,
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(entries)


def _other_entries(path: Path) -> dict[str, object]:
    """What the file records besides the example failures (``check``'s other findings)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if k not in {"version", "about", "failures"}}


@dataclass(frozen=True, slots=True)
class BaselineOutcome:
    """What applying a baseline did: the report, and how many known failures remain or
    were fixed since the baseline was written."""

    report: ExampleReport
    remaining: int = 0
    fixed: int = 0

    def summary(self) -> str:
        """``3 baselined failures remain (1 fixed: run --update-baseline)``, or ``""``."""
        if not self.remaining and not self.fixed:
            return ""
        one = self.remaining == 1
        text = f"{self.remaining} baselined failure{'' if one else 's'} remain{'s' if one else ''}"
        if self.fixed:
            text += f" ({self.fixed} fixed since: rewrite it with --update-baseline)"
        return text


def apply_baseline(report: ExampleReport, baseline: Baseline) -> BaselineOutcome:
    """Mark the failures the baseline knows as ``baselined``; the rest stay failures."""
    left = Counter(baseline.counts)
    results: list[ExampleResult] = []
    remaining = 0
    for result in report.results:
        if result.status is Status.FAILED:
            key = fingerprint(result, baseline.project)
            if left[key] <= 0:
                key = _timeout_stand_in(result, baseline, left) or key
            if left[key] > 0:
                left[key] -= 1
                remaining += 1
                result = replace(result, status=Status.BASELINED)
        results.append(result)
    fixed = sum(left.values())
    return BaselineOutcome(
        ExampleReport(tuple(results), report.diagnostics),
        remaining,
        fixed,
    )


def _timeout_stand_in(result: ExampleResult, baseline: Baseline, left: Counter[str]) -> str:
    """A known failure of the same unchanged block that a timeout, now or then, may stand
    for (``""``: none)."""
    now = _timed_out(result.kind)
    for key, then in baseline.blocks.get(block_key(result, baseline.project), ()):
        if left[key] > 0 and (now or then):
            return key
    return ""
