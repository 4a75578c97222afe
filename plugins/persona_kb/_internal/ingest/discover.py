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

A file named explicitly is always a candidate, whatever its name: the user
asked for it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from persona_kb._internal.diagnostics import Diagnostic, Severity, SourceSpan

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
    if path.stem.lower() in NON_PERSONA_STEMS:
        return False
    return not (path.name == "user.md" and (path.parent / "system.md").is_file())


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
            candidates = _walk(root)
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
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found, diagnostics


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, directories, files in os.walk(root):
        # Pruning in place is how os.walk is told not to descend.
        directories[:] = sorted(
            d for d in directories if not d.startswith(".") and d not in SKIPPED_DIRECTORIES
        )
        base = Path(folder)
        found.extend(base / name for name in sorted(files) if is_persona_candidate(base / name))
    return sorted(found, key=lambda p: p.as_posix())
