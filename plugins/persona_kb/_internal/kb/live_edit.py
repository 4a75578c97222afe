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

import yaml

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

    ``None`` when a page was added or removed, or when a changed page has a different
    title (it is in every page's navigation) or different tags (they are on the tags
    index): other pages would be stale. The rest of the front matter (the description,
    the persona sources) is the page's own.
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
        if _shown_elsewhere(page.markdown) != _shown_elsewhere(previous.markdown):
            return None
        changed.append(page)
    return PageDelta(tuple(changed))


_SHOWN_ELSEWHERE = ("title", "tags")
_MAX_FRONT_MATTER = 1 << 20


def _shown_elsewhere(markdown: str) -> object:
    """The front matter values other pages show (the raw block if it cannot be read)."""
    block = front_matter(markdown)
    if not block or len(block) > _MAX_FRONT_MATTER:
        return block
    try:
        data = yaml.safe_load(block[4:-5])  # between the `---` lines; generated, bounded
    except yaml.YAMLError:
        return block
    if not isinstance(data, dict):
        return block
    return [data.get(key) for key in _SHOWN_ELSEWHERE]


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
