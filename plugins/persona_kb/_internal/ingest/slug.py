"""Safe, stable persona ids: ``[a-z0-9-]+``, never ``..``, never absolute, never empty."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_UNSAFE = re.compile(r"[^a-z0-9]+")
MAX_SLUG_LENGTH = 80
FALLBACK_SLUG = "persona"


def slugify(text: str, *, fallback: str = FALLBACK_SLUG) -> str:
    """``text`` as a safe slug: ASCII letters, digits and single hyphens.

    Accents are folded (``Café`` → ``cafe``), everything else becomes ``-``,
    so ``../../etc`` → ``etc`` and ``/abs/path`` → ``abs-path``. An empty
    result becomes the slug of ``fallback``, and ``persona`` if that is empty too.
    """
    return _raw_slug(text) or _raw_slug(fallback) or FALLBACK_SLUG


def _raw_slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _UNSAFE.sub("-", folded.lower()).strip("-")
    return slug[:MAX_SLUG_LENGTH].rstrip("-")


def unique_slugs(wanted: Iterable[tuple[str, Iterable[str]]]) -> list[str]:
    """Make slugs unique, keeping the order (and so the first owner of each slug).

    Each item is ``(slug, qualifiers)``. A slug already taken becomes
    ``<qualifier>-<slug>`` for the first qualifier (e.g. the parent folder)
    that gives a free slug, else ``<slug>-2``, ``<slug>-3``, ….
    """
    taken: set[str] = set()
    result: list[str] = []
    for slug, qualifiers in wanted:
        chosen = slug
        if chosen in taken:
            chosen = _qualified(slug, qualifiers, taken)
            number = 2
            while not chosen or chosen in taken:
                chosen = f"{slug}-{number}"
                number += 1
        taken.add(chosen)
        result.append(chosen)
    return result


def _qualified(slug: str, qualifiers: Iterable[str], taken: set[str]) -> str:
    for qualifier in qualifiers:
        prefix = _raw_slug(qualifier)
        candidate = _raw_slug(f"{prefix}-{slug}") if prefix else ""
        if candidate and candidate not in taken:
            return candidate
    return ""
