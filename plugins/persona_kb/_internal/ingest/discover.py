"""Which files under a folder are persona candidates.

A folder is walked recursively, in sorted order, without following symlinked
folders (no loops). Candidates are ``*.md``, ``*.mdc`` and ``*.markdown``
files, except:

* anything inside a hidden folder (``.git``, ``.github``, ``.venv``…) or
  ``node_modules`` / ``__pycache__``, and hidden files: tooling, not personas;
* the conventional documents that sit beside personas in every collection
  but describe the repository, not an agent: ``README``, ``CHANGELOG``,
  ``CONTRIBUTING``, ``CODE_OF_CONDUCT``, ``SECURITY``, ``LICENSE``…, and
  folder pages ``index.md`` / ``_index.md``;
* Fabric's ``user.md`` beside a ``system.md``: it is the user-turn template
  of the same pattern, not a second persona.

Skipped Markdown files get info ``PKB110`` saying why, so every Markdown file
is read or accounted for. A file named explicitly is always a candidate,
whatever its name: the user asked for it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from pathlib import Path

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.paths import display_path

PERSONA_SUFFIXES = frozenset({".md", ".mdc", ".markdown"})
SKIPPED_DIRECTORIES = frozenset({"node_modules", "__pycache__"})
NON_PERSONA_STEMS = frozenset(
    {
        "readme",
        "changelog",
        "changes",
        "history",
        "contributing",
        "contributors",
        "code_of_conduct",
        "code-of-conduct",
        "security",
        "license",
        "licence",
        "copying",
        "notice",
        "authors",
        "index",
        "_index",
    }
)


def is_persona_candidate(path: Path) -> bool:
    """Whether a file met while walking a folder may be a persona (see the module docs)."""
    if path.name.startswith(".") or path.suffix.lower() not in PERSONA_SUFFIXES:
        return False
    return not _skip_reason(path)


def _skip_reason(path: Path) -> str:
    """Why a Markdown file met while walking is not a persona (``""`` if it may be one)."""
    if path.stem.lower() in NON_PERSONA_STEMS:
        return f"{path.name} documents the folder or repository, not an agent"
    if path.name == "user.md" and (path.parent / "system.md").is_file():
        return "user.md beside system.md is the Fabric pattern's user-turn template"
    return ""


def refuse_unsafe_file(path: Path, root: Path) -> Diagnostic | None:
    """Why ``path`` (met under ``root``) must not be read, or ``None``.

    A symlink whose target lies outside ``root`` is skipped (``PKB111``): a persona
    library must not publish ``/etc/passwd`` or ``../.git/config``. Anything that is
    not a regular file (a FIFO, a device such as ``/dev/zero``, a socket) is refused
    (``PKB112``): it is only ``stat``-ed, never opened, so it cannot block or stream.
    """
    shown = display_path(path)
    try:
        if path.is_symlink():
            target = path.resolve()
            inside = root.resolve()
            if target != inside and inside not in target.parents:
                return Diagnostic(
                    "PKB111",
                    Severity.WARNING,
                    f"symlink to {target.as_posix()}, outside the persona folder; not read",
                    SourceSpan(shown, 1),
                    hint="copy the file into the persona folder if it belongs in the KB",
                )
        mode = path.stat().st_mode
    except (OSError, RuntimeError) as exc:  # a dangling link, a loop
        return Diagnostic(
            "PKB106",
            Severity.ERROR,
            f"file could not be read: {getattr(exc, 'strerror', None) or exc}",
            SourceSpan(shown, 1),
            hint="check that the file exists and is readable",
        )
    if not stat.S_ISREG(mode):
        return Diagnostic(
            "PKB112",
            Severity.WARNING,
            "not a regular file (a FIFO, device or socket); refused without opening it",
            SourceSpan(shown, 1),
            hint="remove it from the persona folder",
        )
    return None


def discover_persona_files(paths: Sequence[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The persona candidate files under ``paths`` (files or folders), sorted and deduplicated.

    A path that does not exist gets error ``PKB108`` instead of an exception.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    diagnostics: list[Diagnostic] = []
    for root in paths:
        if root.is_file():
            candidates = [root]
        elif root.is_dir():
            candidates = _walk(root, diagnostics)
        else:
            diagnostics.append(
                Diagnostic(
                    "PKB108",
                    Severity.ERROR,
                    f"no such file or folder: {root}",
                    SourceSpan(root.as_posix(), 1),
                    hint="check the path",
                )
            )
            continue
        for candidate in candidates:
            # Only overlapping roots can list a file twice; resolving symlinks is costly,
            # so a single root (the usual case, and every `mkdocs serve` rebuild) skips it.
            key = candidate.resolve() if len(paths) > 1 else candidate
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found, diagnostics


def _walk(root: Path, diagnostics: list[Diagnostic]) -> list[Path]:
    found: list[Path] = []
    for folder, directories, files in os.walk(root):
        # Pruning in place is how os.walk is told not to descend.
        directories[:] = sorted(
            d for d in directories if not d.startswith(".") and d not in SKIPPED_DIRECTORIES
        )
        base = Path(folder)
        for name in sorted(files):
            path = base / name
            if name.startswith(".") or path.suffix.lower() not in PERSONA_SUFFIXES:
                continue
            refused = refuse_unsafe_file(path, root)
            if refused is not None:
                diagnostics.append(refused)
                continue
            reason = _skip_reason(path)
            if not reason:
                found.append(path)
                continue
            # Said out loud, so that every Markdown file is either read or accounted for.
            diagnostics.append(
                Diagnostic(
                    "PKB110",
                    Severity.INFO,
                    f"not read as a persona: {reason}",
                    SourceSpan(display_path(path), 1),
                    hint="name the file explicitly to read it as a persona anyway",
                )
            )
    return sorted(found, key=lambda p: p.as_posix())
