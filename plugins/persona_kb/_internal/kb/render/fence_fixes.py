"""Fences on the page say what markdown-it read, whatever superfences would make of them."""

from __future__ import annotations

import re

from persona_kb._internal.core.model import Persona

__all__ = ["fence_fixes"]

_FENCE_RUN_RE = re.compile(r"`{3,}|~{3,}")


def fence_fixes(persona: Persona) -> dict[int, tuple[str | None, list[str]]]:
    """Source line → (replacement line or ``None``, lines to add after it).

    superfences closes a fence only with a fence of the same length, where markdown-it,
    which decided what is code, also accepts a longer one: a longer closing fence is
    written at the opening's length. (A fence never closed is shown as text, as MkDocs
    shows it, by its opening line being made inert: see ``PersonaParts``; its lines are
    sanitised as prose.)
    """
    body = persona.body.split("\n")
    first = persona.body_line
    fixes: dict[int, tuple[str | None, list[str]]] = {}
    for block in persona.code_blocks:
        if block.nested or not 0 <= block.fence.line - first < len(body):
            continue
        opening = body[block.fence.line - first]
        indent = opening[: len(opening) - len(opening.lstrip(" "))]
        fence = _FENCE_RUN_RE.match(opening.lstrip(" "))
        if fence is None:
            continue
        run = fence.group(0)
        count = block.code.count("\n") + (0 if block.code.endswith("\n") else 1)
        count = count if block.code else 0
        if not block.closed:
            continue
        closing = block.code_line + count
        if 0 <= closing - first < len(body):
            written = body[closing - first].strip()
            if written != run and written.startswith(run):
                fixes[closing] = (indent + run, [])
    return fixes
