"""Duplicates across a set of personas: one body in several files, or one name in two files.

Both are warnings on the later file (in path order) naming the earlier one,
with the earlier one in ``related``; both personas are kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import lru_cache

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.model import Persona


def find_duplicates(
    personas: Sequence[tuple[Persona, SourceSpan | None]],
) -> dict[str, list[Diagnostic]]:
    """Duplicate diagnostics per persona path, for ``(persona, name_span)`` pairs."""
    found: dict[str, list[Diagnostic]] = {}
    first_body: dict[str, Persona] = {}
    first_name: dict[str, tuple[Persona, SourceSpan]] = {}
    for persona, name_span in personas:
        body_key = _body_key(persona.body)
        body_span = SourceSpan(persona.path, persona.body_line)
        if body_key is not None:
            original = first_body.setdefault(body_key, persona)
            if original is not persona:
                found.setdefault(persona.path, []).append(
                    Diagnostic(
                        "PKB400",
                        Severity.WARNING,
                        f"same body as {original.path}:{original.body_line}",
                        body_span,
                        hint="keep one copy, or make the two personas differ",
                        related=(SourceSpan(original.path, original.body_line),),
                    )
                )
        span = name_span or SourceSpan(persona.path, 1)
        name_key = " ".join(persona.name.lower().split())
        earlier = first_name.setdefault(name_key, (persona, span))
        if earlier[0] is not persona:
            found.setdefault(persona.path, []).append(
                Diagnostic(
                    "PKB401",
                    Severity.WARNING,
                    f"name {persona.name!r} is also used by {earlier[1]}",
                    span,
                    hint="give each persona its own name",
                    related=(earlier[1],),
                )
            )
    return found


@lru_cache(maxsize=4096)  # `serve` asks again on every rebuild for the same bodies
def _body_key(body: str) -> str | None:
    # Whitespace differences (trailing spaces, final newline) do not make a body different.
    normalised = "\n".join(line.rstrip() for line in body.strip().split("\n"))
    if not normalised:
        return None
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()
