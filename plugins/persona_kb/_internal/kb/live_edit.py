"""What a persona edit changes, so that a running ``mkdocs serve`` rebuilds only that.

A full MkDocs rebuild renders every page of the site: at 500 personas that is about a
minute. When only persona files changed, and the knowledge base rebuilt from them has
the same pages with the same front matter (so the same navigation, titles and tags),
only the pages whose Markdown changed need to be rendered again. This module decides
that, from file states and from the two page lists; the MkDocs adapter does the
rendering.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from persona_kb._internal.core.diagnostics import Diagnostic
from persona_kb._internal.core.model import KBPage

FileStates = Mapping[str, tuple[int, int]]
"""Absolute path → (modification time in ns, size) of every file under some roots."""


def file_states(roots: Iterable[Path]) -> dict[str, tuple[int, int]]:
    """The state of every file under ``roots`` (a root may be a single file).

    Symbolic links are not followed into folders; a root that does not exist has no
    files. Costs one ``stat`` per file (a few milliseconds per thousand files).
    """
    states: dict[str, tuple[int, int]] = {}
    for root in roots:
        _add(states, os.path.abspath(root))
    return states


def _add(states: dict[str, tuple[int, int]], path: str) -> None:
    try:
        info = os.stat(path)
    except OSError:
        return
    if not os.path.isdir(path):
        states[path] = (info.st_mtime_ns, info.st_size)
        return
    for folder, subfolders, names in os.walk(path):
        subfolders.sort()
        for name in sorted(names):
            full = os.path.join(folder, name)
            try:
                entry = os.stat(full)
            except OSError:
                continue
            states[full] = (entry.st_mtime_ns, entry.st_size)


def changed_files(before: FileStates, after: FileStates) -> set[str]:
    """Files added, removed or modified between two states."""
    changed = {path for path, state in after.items() if before.get(path) != state}
    changed.update(path for path in before if path not in after)
    return changed


@dataclass(frozen=True)
class PageDelta:
    """The pages of a rebuilt knowledge base whose Markdown changed, nothing else."""

    changed: tuple[KBPage, ...]


def page_delta(old: Sequence[KBPage], new: Sequence[KBPage]) -> PageDelta | None:
    """The pages to render again, or ``None`` when the whole site must be rebuilt.

    ``None`` when a page was added or removed, or when a changed page has different
    front matter: its title is in every page's navigation, its tags are on the tags
    index, so other pages would be stale.
    """
    before = {page.path: page for page in old}
    after = {page.path: page for page in new}
    if before.keys() != after.keys():
        return None
    changed: list[KBPage] = []
    for path, page in after.items():
        previous = before[path]
        if page.markdown == previous.markdown:
            continue
        if front_matter(page.markdown) != front_matter(previous.markdown):
            return None
        changed.append(page)
    return PageDelta(tuple(changed))


def front_matter(markdown: str) -> str:
    """The YAML front matter block a generated page starts with ('' when it has none)."""
    if not markdown.startswith("---\n"):
        return ""
    end = markdown.find("\n---\n", 3)
    return markdown[: end + 5] if end >= 0 else ""


def new_diagnostics(
    shown: Sequence[Diagnostic], found: Sequence[Diagnostic]
) -> tuple[Diagnostic, ...]:
    """The diagnostics of ``found`` that ``shown`` (what the user already saw) lacks."""
    seen = set(shown)
    return tuple(d for d in found if d not in seen)
