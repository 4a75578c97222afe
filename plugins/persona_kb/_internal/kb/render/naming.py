"""Page file names, paths, anchors and the generated marker."""

from __future__ import annotations

import re
from collections.abc import Iterable

from persona_kb._internal.core.diagnostics import PersonaKBError
from persona_kb._internal.core.model import PageKind
from persona_kb._internal.kb.options import MARKDOWN_EXTENSIONS as MARKDOWN_EXTENSIONS
from persona_kb._internal.kb.topics import slugify

GENERATED_MARKER = "<!-- persona-kb: generated; do not edit -->"
"""The line every generated page carries, right after its front matter."""


_OUTPUT_RE = re.compile(r"[a-z0-9-]+(/[a-z0-9-]+)*")


def is_generated(text: str) -> bool:
    """Whether ``text`` (a page on disk) was written by persona-kb.

    The marker must be where persona-kb puts it: the first line, or the first line after
    the front matter. A page that only *quotes* the marker (in a code block, say) is
    someone else's page.
    """
    rest = text
    if text.startswith("---\n"):
        end = text.find("\n---\n", 3)
        if end < 0:
            return False
        rest = text[end + len("\n---\n") :]
    return rest.split("\n", 1)[0].strip() == GENERATED_MARKER


def page_filename(topic_slug: str, kind: PageKind) -> str:
    """The file name of a topic page: ``PYTHON-COMPREHENSIVE-GUIDE.md`` for ``python``."""
    if kind in (PageKind.README, PageKind.INDEX):
        return "README.md"
    if kind is PageKind.QUICK_REFERENCE:
        return "QUICK-REFERENCE.md"
    safe = slugify(topic_slug)
    if not safe:
        raise ValueError(f"topic slug {topic_slug!r} is empty once made safe")
    suffix = "COMPREHENSIVE-GUIDE" if kind is PageKind.COMPREHENSIVE_GUIDE else "SPECIFIC-PATTERNS"
    return f"{safe.upper()}-{suffix}.md"


def validate_output(output: str) -> str:
    """The output folder, checked: ``[a-z0-9-]`` segments joined by ``/``, nothing else."""
    cleaned = output.strip().rstrip("/")
    if not _OUTPUT_RE.fullmatch(cleaned):
        raise PersonaKBError(
            f"output {output!r} is not a safe folder name: use lower-case letters, digits, "
            "hyphens and '/' (relative to the docs folder, no '..')"
        )
    return cleaned


def page_path(output: str, topic_slug: str | None, kind: PageKind) -> str:
    """The page's path relative to the docs root, e.g. ``kb/python/QUICK-REFERENCE.md``."""
    if topic_slug is None or kind is PageKind.INDEX:
        return f"{output}/README.md"
    return f"{output}/{slugify(topic_slug)}/{page_filename(topic_slug, kind)}"


class AnchorSet:
    """Unique explicit anchor ids (``{#id}``) for one page."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._used: set[str] = set(reserved)

    def take(self, anchor: str) -> bool:
        """Claim ``anchor`` as it is; ``False`` (and nothing claimed) if it is taken."""
        if anchor in self._used:
            return False
        self._used.add(anchor)
        return True

    def make(self, text: str, prefix: str = "") -> str:
        """A new id from ``text``: ``[a-z0-9-]``, never repeated on this page."""
        base = (prefix + slugify(text)).strip("-") or "section"
        candidate, n = base, 2
        while candidate in self._used:
            candidate = f"{base}-{n}"
            n += 1
        self._used.add(candidate)
        return candidate
