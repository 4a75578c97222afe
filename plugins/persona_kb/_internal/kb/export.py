"""Write generated pages to disk (``persona-kb export``), safely and idempotently.

Placement: page paths are relative to the docs root and start with the KB's output
folder (``kb/python/README.md``). ``out_dir`` stands for that output folder, so the page
lands at ``out_dir / "python/README.md"``; with the defaults, ``docs/kb`` receives
exactly what the MkDocs plugin serves under ``kb/``.

Rules:

- every page is written with the generated marker, and only when its bytes changed;
- a file at a page's path that does not carry the marker is a *conflict*: reported,
  never replaced;
- a manifest (``.persona-kb-manifest.json`` in ``out_dir``) records every file written
  and its SHA-256; a file no longer generated is removed only if the manifest lists it
  and its bytes are still what was written. A marker quoted in a hand-written page
  proves nothing, so nothing else is ever deleted;
- pages are written through an anonymous temporary file (``O_TMPFILE``) that gets a
  name only for the instant before it replaces the page, and leftovers of an earlier,
  killed export are removed first;
- nothing is written outside ``out_dir`` (every target is resolved and checked, so a
  symlink cannot lead out either);
- ``check=True`` writes nothing and reports what would change.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from persona_kb._internal.core.paths import as_if_opened
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


MANIFEST = ".persona-kb-manifest.json"
"""What export wrote into the output folder: ``{"files": {relative path: sha256}}``."""
_TEMP_PREFIX = ".persona-kb-"


def _write_atomically(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    tmp_flag = getattr(os, "O_TMPFILE", 0)
    if tmp_flag:
        try:
            fd = os.open(target.parent, tmp_flag | os.O_WRONLY, 0o644)
        except OSError:
            fd = -1
        if fd >= 0:
            # The file has no name while it is written: a kill leaves nothing behind.
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                if not target.exists():
                    # A new page gets its name in one step: nothing to leave behind.
                    with contextlib.suppress(FileExistsError):
                        _link_open_file(fd, target)
                        os.close(fd)
                        return
                # Replacing a page takes a name for the instant between the link and the
                # rename; a kill just then leaves it for the next export to remove.
                name = target.parent / f"{_TEMP_PREFIX}{os.getpid()}-{target.name}.tmp"
                _link_open_file(fd, name)
            except OSError:
                os.close(fd)
            else:
                os.close(fd)
                name.replace(target)
                return
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=_TEMP_PREFIX, suffix=".tmp")
    as_if_opened(fd)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    Path(tmp).replace(target)


def _link_open_file(fd: int, name: Path) -> None:
    # linkat(AT_SYMLINK_FOLLOW) on /proc/self/fd/N gives an O_TMPFILE file a name without
    # privileges (open(2)). Python uses linkat only with a dir fd: plain `os.link` calls
    # link(2), which links the /proc symlink itself and fails with EXDEV.
    root = os.open("/", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.link(f"proc/self/fd/{fd}", name, src_dir_fd=root, follow_symlinks=True)
    finally:
        os.close(root)


def _remove_leftover_temp_files(out_dir: Path) -> None:
    # Only names this module gives its temporary files, left by an export that was killed.
    for leftover in out_dir.rglob(f"{_TEMP_PREFIX}*.tmp"):
        if leftover.is_file() and not leftover.is_symlink():
            leftover.unlink(missing_ok=True)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_manifest(out_dir: Path) -> dict[str, str]:
    path = out_dir / MANIFEST
    if path.is_symlink() or not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {str(k): str(v) for k, v in files.items() if isinstance(v, str)}


def _write_manifest(out_dir: Path, files: dict[str, str]) -> None:
    text = json.dumps({"files": dict(sorted(files.items()))}, indent=1) + "\n"
    path = out_dir / MANIFEST
    current = _read(path) if path.is_file() and not path.is_symlink() else None
    if current != text:
        _write_atomically(path, text)


def check_output_folder(out_dir: Path, project: Path) -> None:
    """Refuse an output folder that lies in ``project`` but resolves outside it.

    ``docs/kb`` as a symlink to another folder would otherwise have export write there.
    """
    lexical = Path(os.path.abspath(out_dir))  # noqa: PTH100 - symlinks kept on purpose
    root = project.resolve()
    try:
        lexical.relative_to(Path(os.path.abspath(project)))  # noqa: PTH100
    except ValueError:
        return  # an explicit folder elsewhere: the user chose it
    resolved = out_dir.resolve()
    if resolved != root and root not in resolved.parents:
        raise PersonaKBError(
            f"the output folder {out_dir} leads through a symlink to {resolved.as_posix()}, "
            "outside the project; replace the symlink with a real folder, or pass --out"
        )


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
    manifest = _read_manifest(out_dir)
    written: dict[str, str] = {}
    if not check and out_dir.is_dir():
        _remove_leftover_temp_files(out_dir)
    targets: list[tuple[PurePosixPath, str]] = []
    for page in pages:
        targets.append((_relative_target(page, prefix), with_marker(page.markdown)))
    for name, text in (extra_files or {}).items():
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            raise PersonaKBError(f"export file {name!r} is not a safe relative path")
        targets.append((relative, text))
    for relative, text in targets:
        target = out_dir.joinpath(*relative.parts)
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
        written[relative.as_posix()] = _sha256(text)
        if current == text:
            report.unchanged.append(target)
            continue
        report.written.append(target)
        if not check:
            _write_atomically(target, text)
    for candidate in _stale_candidates(out_dir, manifest):
        if candidate.is_symlink() or not candidate.is_file() or not _inside(candidate, root):
            continue
        if candidate.resolve() in expected:
            continue
        current = _read(candidate)
        if current is None:
            continue
        name = candidate.relative_to(out_dir).as_posix()
        # Only what this tool wrote, unchanged since: never a page someone edited. An
        # export from before the manifest existed falls back to the generated marker.
        owned = (
            _sha256(current) == manifest[name]
            if manifest
            else _is_generated_file(candidate.name, current)
        )
        if owned:
            report.removed.append(candidate)
            if not check:
                candidate.unlink()
                _prune_empty_dirs(candidate.parent, root)
    if not check and (written or manifest):
        kept = {n: h for n, h in manifest.items() if n in written}
        _write_manifest(out_dir, {**kept, **written})
    return report


def _stale_candidates(out_dir: Path, manifest: Mapping[str, str]) -> list[Path]:
    if manifest:
        names = [PurePosixPath(n) for n in sorted(manifest)]
        return [
            out_dir.joinpath(*n.parts) for n in names if not n.is_absolute() and ".." not in n.parts
        ]
    if not out_dir.is_dir():
        return []
    return sorted([*out_dir.rglob("*.md"), *out_dir.rglob("*.json")])


def _prune_empty_dirs(folder: Path, root: Path) -> None:
    while folder.resolve() != root and _inside(folder, root):
        try:
            folder.rmdir()  # only succeeds when empty
        except OSError:
            return
        folder = folder.parent
