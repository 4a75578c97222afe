"""The questions an agent asks the KB, answered from one build: what ``persona-kb mcp`` serves.

Every answer is JSON-ready; every rule, card and passage names its persona ``path:line``.
"""

from __future__ import annotations

from collections.abc import Sequence

from persona_kb._internal.core.diagnostics import PersonaKBError
from persona_kb._internal.kb.agents.bundle import AgentExport
from persona_kb._internal.kb.agents.search import KINDS, KBSearch
from persona_kb._internal.kb.build import KnowledgeBase

_MAX_LIMIT = 50


def _entries(index: dict[str, object], key: str) -> list[dict[str, object]]:
    found = index.get(key)
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


class KBService:
    """Topics, search, pages, personas and pattern cards of one built knowledge base."""

    def __init__(self, kb: KnowledgeBase, bundle: AgentExport) -> None:
        self.kb = kb
        self.bundle = bundle
        self.output = str(bundle.index.get("output", "kb"))
        self._search = KBSearch(bundle)
        self._pages = {g.page.path: g.page.markdown for g in bundle.pages}
        self._personas = {p.id: p for p in kb.ingest.personas}

    @property
    def page_paths(self) -> tuple[str, ...]:
        """Every page path (``kb/python/README.md``), in KB order."""
        return tuple(self._pages)

    def list_topics(self) -> list[dict[str, object]]:
        """Each topic: slug, title, persona ids, page paths, tokens, rule and card counts."""
        return _entries(self.bundle.index, "topics")

    def search(
        self,
        query: str,
        *,
        kinds: Sequence[str] = KINDS,
        topic: str | None = None,
        limit: int = 10,
    ) -> list[dict[str, object]]:
        """Ranked rules, pattern cards and guide passages for ``query``."""
        unknown = [k for k in kinds if k not in KINDS]
        if unknown:
            raise PersonaKBError(f"unknown kind {unknown[0]!r}; use one of: {', '.join(KINDS)}")
        limit = min(max(1, limit), _MAX_LIMIT)
        return [h.to_json() for h in self._search.search(query, kinds=kinds, topic=topic, limit=limit)]

    def get_page(self, path: str) -> str:
        """A page's GitHub-flavoured Markdown by path (``kb/python/README.md`` or
        ``python/README.md``)."""
        wanted = path.strip().lstrip("/")
        for candidate in (wanted, f"{self.output}/{wanted}"):
            if candidate in self._pages:
                return self._pages[candidate]
        raise PersonaKBError(f"no page {path!r}; list_topics gives every topic's page paths")

    def get_persona(self, persona_id: str) -> dict[str, object]:
        """A persona's index entry plus its prompt and Markdown body (``body_line`` first)."""
        persona = self._personas.get(persona_id)
        if persona is None:
            raise PersonaKBError(
                f"no persona {persona_id!r}; list_topics gives every topic's persona ids"
            )
        entry = next(
            (p for p in _entries(self.bundle.index, "personas") if p.get("id") == persona_id), {}
        )
        return {
            **entry,
            "prompt": persona.prompt,
            "body": persona.body,
            "body_line": persona.body_line,
        }

    def pattern_cards(self, topic: str) -> list[dict[str, object]]:
        """The ❌ wrong / ✅ correct cards of ``topic``, each with its source lines."""
        if not any(t.get("slug") == topic for t in self.list_topics()):
            raise PersonaKBError(f"no topic {topic!r}; list_topics gives every topic slug")
        return [c for c in _entries(self.bundle.index, "pattern_cards") if c.get("topic") == topic]
