"""Put generated pages into MkDocs' ``Files``, minding files already in ``docs_dir``.

A file on disk at a generated path is either an exported copy (it carries the
generated marker) and is replaced silently, or it was written by hand and is a
conflict: it stays, and the generated page is dropped with an error naming it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from persona_kb._internal.core.model import KBPage
from persona_kb._internal.core.paths import display_path
from persona_kb._internal.kb.build import is_generated


@dataclass(frozen=True, slots=True)
class PagePlacement:
    """What ``place_pages`` did."""

    added: tuple[str, ...]
    """Generated pages now in the site (docs-relative paths)."""
    conflicts: tuple[str, ...]
    """One error message per hand-written file in the way of a generated page."""
    replaced: tuple[str, ...]
    """Exported copies in ``docs_dir`` that the generated pages replaced."""
    hidden: tuple[str, ...]
    """Exported copies that no persona generates any more, left out of the site."""
    page_dir_error: str | None = None
    """Why ``page_dir`` could not be used (the pages were then kept in memory)."""


def place_pages(
    pages: Iterable[KBPage],
    files: Files,
    config: MkDocsConfig,
    *,
    output: str,
    page_dir: Path | None = None,
) -> PagePlacement:
    """Add ``pages`` to ``files`` as generated files; never touch ``docs_dir``.

    With ``page_dir`` (``mkdocs serve --dirty``), each page is also kept as a file
    there, rewritten only when its content changed, so MkDocs' dirty rebuild sees
    unchanged pages as up to date. ``page_dir`` must lie outside ``docs_dir``.
    """
    added: list[str] = []
    conflicts: list[str] = []
    replaced: list[str] = []
    wanted = list(pages)
    page_dir_error = None
    if page_dir is not None:
        try:
            _sync_page_dir(wanted, page_dir)
        except OSError as exc:
            page_dir_error = f"{page_dir}: {exc.strerror or exc}"
            page_dir = None
    for page in wanted:
        existing = files.get_file_from_path(page.path)
        if existing is not None:
            if _is_exported_copy(existing):
                files.remove(existing)
                replaced.append(page.path)
            else:
                conflicts.append(_conflict_message(existing, page))
                continue
        if page_dir is None:
            new = File.generated(config, page.path, content=page.markdown)
        else:
            new = File.generated(config, page.path, abs_src_path=str(page_dir / page.path))
        files.append(new)
        added.append(page.path)

    generated = {page.path for page in wanted}
    prefix = output.strip("/") + "/"
    hidden: list[str] = []
    for file in list(files.documentation_pages()):
        if (
            file.src_uri.startswith(prefix)
            and file.src_uri not in generated
            and _is_exported_copy(file)
        ):
            files.remove(file)
            hidden.append(file.src_uri)
    return PagePlacement(
        tuple(added), tuple(conflicts), tuple(replaced), tuple(hidden), page_dir_error
    )


def _is_exported_copy(file: File) -> bool:
    if file.generated_by is not None or file.abs_src_path is None:
        return False
    try:
        text = Path(file.abs_src_path).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return bool(is_generated(text))


def _conflict_message(existing: File, page: KBPage) -> str:
    where = display_path(existing.abs_src_path) if existing.abs_src_path else existing.src_uri
    return (
        f"{where}:1: this file is in the way of the generated page '{page.path}' "
        f"(from {', '.join(page.sources) or 'the personas'}) and has no generated marker, "
        "so it was kept and the generated page left out; move or rename it, or delete it "
        "if it is an old copy (`persona-kb export` writes copies with the marker)"
    )


def _sync_page_dir(pages: list[KBPage], page_dir: Path) -> None:
    keep: set[Path] = set()
    for page in pages:
        target = page_dir / page.path
        keep.add(target)
        data = page.markdown.encode("utf-8")
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    if page_dir.is_dir():
        for stale in page_dir.rglob("*.md"):
            if stale not in keep:
                stale.unlink()
