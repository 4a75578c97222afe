"""The site's examples as test ids: grouped by the file they are written in, named stably.

An id is ``kb/persona.md::PAGE > Heading > 2``: the file you edit, then the page and
heading that show the block, then its ordinal under that heading. No line number, so an
edit above a block keeps its id (``--lf`` still finds it); the line is in the report. The
same names come out whether pytest collects the whole site or one file of it, so a FAILED
id can be pasted back. Adapters (the pytest plugin) map these onto their own nodes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from persona_kb._internal.checks.examples.baseline import Baseline, read_baseline
from persona_kb._internal.checks.examples.runner import dedupe
from persona_kb._internal.checks.examples.selection import SEP, select_examples
from persona_kb._internal.checks.examples.site import SiteExamples
from persona_kb._internal.checks.examples.spec import Example
from persona_kb._internal.core.diagnostics import Severity

_TOP = "(top of page)"


@dataclass(frozen=True, slots=True)
class CollectedSite:
    """What a test run collects: examples by the file they are written in, with their ids."""

    examples: tuple[Example, ...]
    sources: dict[Path, list[tuple[str, Example]]] = field(default_factory=dict)
    """Resolved file → ``(item name, example)`` in page order."""
    errors: tuple[str, ...] = ()
    """The site's error diagnostics, formatted (they fail one item of their own)."""
    source: Path | None = None
    """The persona folder (its ``_preludes/`` give the preludes)."""
    baseline: Baseline | None = None
    known_findings: str = ""
    """``2 baselined findings remain``: the site's diagnostics the baseline knows."""
    known_count: int = 0
    """How many of the site's error diagnostics the baseline knew."""


def item_name(heading: str, ordinal: int) -> str:
    """``PAGE > Heading > 2``: safe as a pytest name (no ``::``, one line)."""
    text = " ".join((heading or _TOP).replace("::", ":").split())
    return f"{text} {SEP} {ordinal}"


def named(examples: Iterable[Example]) -> list[tuple[str, Example]]:
    """Each example with its name; the ordinal counts blocks under the same heading."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for example in examples:
        key = (example.path, example.heading)
        seen[key] = seen.get(key, 0) + 1
        out.append((item_name(example.heading, seen[key]), example))
    return out


def group_site(
    found: SiteExamples,
    baseline_path: Path,
    project: Path,
    *,
    topics: Sequence[str] = (),
    personas: Sequence[str] = (),
) -> CollectedSite:
    """Select, dedupe and name the site's examples; read the baseline (when it exists):
    its example failures, and the findings ``check``'s examples step recorded."""
    from persona_kb._internal.checks.command_baseline import baseline_findings

    examples = dedupe(select_examples(found.examples, topics=topics, personas=personas))
    sources: dict[Path, list[tuple[str, Example]]] = {}
    for name, example in named(examples):
        sources.setdefault(Path(example.path).resolve(), []).append((name, example))
    errors = [d for d in found.diagnostics if d.severity is Severity.ERROR]
    baseline, note, known_count = None, "", 0
    if baseline_path.is_file():
        baseline = read_baseline(baseline_path, project)
        known = baseline_findings(
            "examples",
            errors,
            baseline=baseline_path,
            project=project,
            whole=not topics and not personas,
        )
        errors, note, known_count = list(known.diagnostics), known.note, known.known
    shown = tuple(d.format() for d in errors)
    return CollectedSite(tuple(examples), sources, shown, found.source, baseline, note, known_count)
