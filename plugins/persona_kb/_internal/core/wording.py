"""Counts in messages: ``1 error``, ``2 errors``, ``1 persona``, ``0 personas``."""

from __future__ import annotations


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``count`` followed by ``singular``, or by its plural when ``count`` is not 1.

    The plural is ``singular + "s"`` unless ``plural_form`` says otherwise
    (``plural(2, "entry", "entries")``).
    """
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"
