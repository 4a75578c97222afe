"""Write generated pages to disk (``persona-kb export``), safely and idempotently.

Placement: page paths are relative to the docs root and start with the KB's output
folder (``kb/python/README.md``). ``out_dir`` stands for that output folder, so the page
lands at ``out_dir / "python/README.md"``; with the defaults, ``docs/kb`` receives
exactly what the MkDocs plugin serves under ``kb/``.

Rules:

- every page is written with the generated marker, and only when its bytes changed;
- a file at a page's path that does not carry the marker is a *conflict*: reported,
  never replaced;
- files under ``out_dir`` that carry the marker but are no longer generated are stale
  and removed; files without the marker are never touched;
- nothing is written outside ``out_dir`` (every target is resolved and checked, so a
  symlink cannot lead out either);
- ``check=True`` writes nothing and reports what would change.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from persona_kb._internal.core.diagnostics import Diagnostic, PersonaKBError, Severity, SourceSpan
from persona_kb._internal.core.model import KBPage, PageKind
from persona_kb._internal.kb.render.naming import GENERATED_MARKER, is_generated


@dataclass
class ExportReport:
    """What an export did (or, with ``check``, would do). Paths are under ``out_dir``."""

    out_dir: Path
    check: bool
    written: list[Path] = field(default_factory=list)
    """Created or rewritten (with ``check``: would be)."""
    unchanged: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    """Stale generated files deleted (with ``check``: would be)."""
    conflicts: list[Path] = field(default_factory=list)
    """Files at a page's path that persona-kb did not generate; left alone."""
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def out_of_date(self) -> list[Path]:
        """Files whose content differs from the generated pages (written or removed)."""
        return sorted([*self.written, *self.removed])

    @property
    def ok(self) -> bool:
        """No conflict, and (for a check) nothing out of date."""
        return not self.conflicts and not (self.check and self.out_of_date)


def with_marker(markdown: str) -> str:
    """``markdown`` carrying the generated marker (after its front matter, if any)."""
    if is_generated(markdown):
        return markdown
    if markdown.startswith("---\n"):
        end = markdown.find("\n---\n", 3)
        if end > 0:
            cut = end + len("\n---\n")
            return markdown[:cut] + GENERATED_MARKER + "\n" + markdown[cut:]
    return GENERATED_MARKER + "\n" + markdown


def _root_prefix(pages: Sequence[KBPage]) -> PurePosixPath:
    index = next((p for p in pages if p.kind is PageKind.INDEX), None)
    if index is not None:
        return PurePosixPath(index.path).parent
    parents = [PurePosixPath(p.path).parent.parent for p in pages]
    return parents[0] if parents else PurePosixPath(".")


def _relative_target(page: KBPage, prefix: PurePosixPath) -> PurePosixPath:
    path = PurePosixPath(page.path)
    if path.is_absolute() or ".." in path.parts:
        raise PersonaKBError(f"page path {page.path!r} is not a safe relative path")
    try:
        return path.relative_to(prefix)
    except ValueError:
        raise PersonaKBError(
            f"page {page.path} is not under the KB output folder {prefix}"
        ) from None


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def _write_atomically(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".persona-kb-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    Path(tmp).replace(target)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _conflict(report: ExportReport, target: Path, why: str) -> None:
    report.conflicts.append(target)
    report.diagnostics.append(
        Diagnostic(
            "PKB510",
            Severity.ERROR,
            f"{why}; persona-kb will not replace it",
            SourceSpan(target.as_posix(), 1),
            hint="move or delete the file, or add the generated marker "
            f"'{GENERATED_MARKER}' if persona-kb may own it",
        )
    )


GENERATED_JSON_KEY = '"generator": "persona-kb"'
"""What marks a JSON file (``index.json``) as generated: it has no room for the HTML marker."""


def _is_generated_file(name: str, text: str) -> bool:
    if name.endswith(".json"):
        return GENERATED_JSON_KEY in text[:4096]
    return is_generated(text)


def export_pages(
    pages: Sequence[KBPage],
    out_dir: Path,
    *,
    check: bool = False,
    extra_files: Mapping[str, str] | None = None,
) -> ExportReport:
    """Write ``pages`` under ``out_dir`` (see the module docs for placement and rules).

    ``extra_files`` maps names relative to ``out_dir`` (``index.json``) to their text;
    they follow the same rules, a JSON file counting as generated when it carries
    ``"generator": "persona-kb"``.
    """
    report = ExportReport(out_dir=out_dir, check=check)
    root = out_dir.resolve()
    prefix = _root_prefix(pages)
    expected: set[Path] = set()
    targets: list[tuple[Path, str]] = []
    for page in pages:
        relative = _relative_target(page, prefix)
        targets.append((out_dir.joinpath(*relative.parts), with_marker(page.markdown)))
    for name, text in (extra_files or {}).items():
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            raise PersonaKBError(f"export file {name!r} is not a safe relative path")
        targets.append((out_dir.joinpath(*relative.parts), text))
    for target, text in targets:
        if not _inside(target, root):
            _conflict(report, target, "the target resolves outside the output folder")
            continue
        expected.add(target.resolve())
        if target.is_dir() or (target.exists() and not target.is_file()):
            _conflict(report, target, "a folder or special file sits at a generated page's path")
            continue
        current = _read(target) if target.exists() else None
        if target.exists() and (current is None or not _is_generated_file(target.name, current)):
            _conflict(report, target, "this file was not generated by persona-kb")
            continue
        if current == text:
            report.unchanged.append(target)
            continue
        report.written.append(target)
        if not check:
            _write_atomically(target, text)
    if out_dir.is_dir():
        stale = [*out_dir.rglob("*.md"), *out_dir.rglob("*.json")]
        for candidate in sorted(stale):
            if candidate.is_symlink() or not candidate.is_file():
                continue
            resolved = candidate.resolve()
            if resolved in expected or not _inside(candidate, root):
                continue
            current = _read(candidate)
            if current is not None and _is_generated_file(candidate.name, current):
                report.removed.append(candidate)
                if not check:
                    candidate.unlink()
                    _prune_empty_dirs(candidate.parent, root)
    return report


def _prune_empty_dirs(folder: Path, root: Path) -> None:
    while folder.resolve() != root and _inside(folder, root):
        try:
            folder.rmdir()  # only succeeds when empty
        except OSError:
            return
        folder = folder.parent
