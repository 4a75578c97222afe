"""Merge list items from several personas, folding identical ones with joint attribution."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.kb.render.persona_parts import fold_key


@dataclass
class FoldedItem:
    """One distinct item and every persona that wrote it (first writer's span kept)."""

    text: str
    span: SourceSpan | None
    kind: str = ""
    personas: list[str] = field(default_factory=list)

    @property
    def attribution(self) -> str:
        """``"A"`` or ``"A, B"``: who wrote it."""
        return ", ".join(self.personas)


def fold_items(entries: Iterable[tuple[str, str, str, SourceSpan | None]]) -> list[FoldedItem]:
    """Fold ``(kind, text, persona label, span)`` entries; order of first appearance kept.

    Items fold when kind and text match ignoring case, spacing and punctuation.
    """
    folded: dict[tuple[str, str], FoldedItem] = {}
    for kind, text, persona, span in entries:
        if not text.strip():
            continue
        key = (kind, fold_key(text))
        item = folded.get(key)
        if item is None:
            folded[key] = FoldedItem(text=text, span=span, kind=kind, personas=[persona])
        elif persona not in item.personas:
            item.personas.append(persona)
    return list(folded.values())
