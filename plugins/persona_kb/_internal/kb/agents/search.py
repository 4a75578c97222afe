"""Search the KB's rules, pattern cards and guide passages, ranked, each with its source line.

Ranking uses rapidfuzz's ``token_set_ratio`` on lower-cased words (a query whose words all
appear in an entry scores 100, near-spellings score a little less); ties go to rules, then
pattern cards, then guide passages, then to the shorter entry, so the most direct answer
comes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.core.model import KBPage, PageKind
from persona_kb._internal.kb.agents.bundle import AgentExport
from persona_kb._internal.markdown.parser import parse_tokens

KINDS = ("rule", "pattern", "passage")
_PRIORITY = {kind: rank for rank, kind in enumerate(KINDS)}
_PASSAGE_CHARS = 1200


@dataclass(frozen=True, slots=True)
class Entry:
    """One searchable thing: a rule, a pattern card or a guide passage."""

    kind: str
    topic: str
    persona: str
    title: str
    text: str
    source: SourceSpan
    page: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A search result: the entry and its score (0–100)."""

    entry: Entry
    score: float

    def to_json(self) -> dict[str, object]:
        """A JSON-ready mapping; ``source`` is ``path:line``."""
        e = self.entry
        return {
            "kind": e.kind,
            "topic": e.topic,
            "persona": e.persona,
            "title": e.title,
            "text": e.text,
            "source": f"{e.source.path}:{e.source.line}",
            "page": e.page,
            "score": round(self.score, 1),
        }


def _span(value: object) -> SourceSpan:
    source = value if isinstance(value, dict) else {}
    return SourceSpan(str(source.get("path", "")), int(source.get("line", 1)))


def _passages(page: KBPage) -> list[Entry]:
    # A passage is a heading and the text under it (up to the next heading), mapped to the
    # persona line of its heading, else of its first mapped line.
    lines = page.markdown.split("\n")
    starts = [
        t.map[0]
        for t in parse_tokens(page.markdown)
        if t.type == "heading_open" and t.map is not None
    ]
    out: list[Entry] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(lines)
        spans = [page.source_map.lookup(n + 1) for n in range(start, end)]
        span = next((s for s in spans if s is not None), None)
        if span is None:
            continue
        title = lines[start].lstrip("#").strip()
        text = "\n".join(lines[start + 1 : end]).strip()
        if not text:
            continue
        out.append(
            Entry("passage", page.topic or "", "", title, text[:_PASSAGE_CHARS], span, page.path)
        )
    return out


class KBSearch:
    """An in-memory search over one built knowledge base."""

    def __init__(self, bundle: AgentExport) -> None:
        index = bundle.index
        entries: list[Entry] = []
        rules = index.get("rules")
        for rule in rules if isinstance(rules, list) else []:
            entries.append(
                Entry(
                    "rule",
                    str(rule["topic"]),
                    str(rule["persona"]),
                    f"{'Do' if rule['kind'] == 'do' else 'Do not'}",
                    str(rule["text"]),
                    _span(rule["source"]),
                    f"{index['output']}/{rule['topic']}/QUICK-REFERENCE.md",
                )
            )
        cards = index.get("pattern_cards")
        for card in cards if isinstance(cards, list) else []:
            wrong, correct = card["wrong"], card["correct"]
            entries.append(
                Entry(
                    "pattern",
                    str(card["topic"]),
                    str(card["persona"]),
                    str(card["title"]),
                    f"❌ Wrong:\n{wrong['code']}\n✅ Correct:\n{correct['code']}",
                    _span(card["source"]),
                    f"{card['page']}#{card['github_anchor']}",
                )
            )
        for github in bundle.pages:
            if github.page.kind is PageKind.COMPREHENSIVE_GUIDE:
                entries.extend(_passages(github.page))
        self.entries: tuple[Entry, ...] = tuple(entries)

    def search(
        self,
        query: str,
        *,
        kinds: Sequence[str] = KINDS,
        topic: str | None = None,
        limit: int = 10,
    ) -> list[Hit]:
        """The best ``limit`` entries for ``query`` (optionally of some kinds, one topic)."""
        pool = [
            e for e in self.entries if e.kind in kinds and (topic is None or e.topic == topic)
        ]
        if not query.strip() or not pool:
            return []
        choices = [f"{e.title} {e.text}" if e.kind != "rule" else e.text for e in pool]
        scored = process.extract(
            query,
            choices,
            scorer=fuzz.token_set_ratio,
            processor=utils.default_process,
            limit=None,
            score_cutoff=50,
        )
        ranked = sorted(
            scored,
            key=lambda item: (-item[1], _PRIORITY[pool[item[2]].kind], len(choices[item[2]])),
        )
        return [Hit(pool[index], score) for _, score, index in ranked[: max(1, limit)]]
