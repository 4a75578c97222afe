"""Parsed persona texts kept between builds of one process (``mkdocs serve``)."""

from __future__ import annotations

from collections import OrderedDict

from markdown_it.token import Token


class ParseCache:
    """Block tokens of persona texts, kept between builds for the personas rendered last.

    ``mkdocs serve`` re-renders a whole topic when one of its personas changes; the
    others' sections are then not parsed again. Bounded, so a large build keeps only
    the most recent personas' tokens.
    """

    def __init__(self, max_personas: int = 128) -> None:
        self._max = max_personas
        self._by_persona: OrderedDict[str, dict[str, list[Token]]] = OrderedDict()

    def for_persona(self, content_hash: str) -> dict[str, list[Token]]:
        """The text → tokens table of one persona (tokens depend on the text alone)."""
        found = self._by_persona.pop(content_hash, None)
        if found is None:
            found = {}
        self._by_persona[content_hash] = found
        while len(self._by_persona) > self._max:
            self._by_persona.popitem(last=False)
        return found
