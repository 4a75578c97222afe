"""``kb/index.json``: the machine-readable index of a knowledge base (schema v1).

Written on build (served at ``kb/index.json``) and on export (``docs/kb/index.json``);
its JSON Schema ships in the package and is published at ``schemas/v1/index.schema.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.core.model import KBPage, PageKind, PatternSide, Persona, Topic
from persona_kb._internal.core.schema_files import PUBLISHED_PREFIX, SCHEMA_VERSION
from persona_kb._internal.kb.agents.github import GithubPage
from persona_kb._internal.kb.agents.tokens import TOKEN_METHOD, estimate_tokens
from persona_kb._internal.kb.render.cards import collect_cards
from persona_kb._internal.kb.render.frame import persona_label
from persona_kb._internal.kb.render.naming import page_path
from persona_kb._internal.kb.render.persona_parts import PersonaParts
from persona_kb._internal.kb.render.synthesis import Entry, persona_rules

INDEX_FILE = "index.json"
"""The index's file name inside the KB output folder."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A do or don't of a persona, with the line it was read from."""

    topic: str
    persona: str
    kind: str
    text: str
    span: SourceSpan


def _source(span: SourceSpan) -> dict[str, object]:
    return {"path": span.path, "line": max(1, span.line)}


def _front_matter_lines(persona: Persona) -> list[str]:
    # Front-matter list items (do_not) carry only the file's first line; find the item's own
    # line in the file's front matter so the rule points where it is written.
    if persona.body_line <= 1:
        return []
    try:
        with Path(persona.path).open(encoding="utf-8", errors="replace") as handle:
            return [handle.readline() for _ in range(persona.body_line - 1)]
    except OSError:
        return []


def _locate(text: str, lines: list[str], span: SourceSpan) -> SourceSpan:
    # The rule is worded as an imperative ("Avoid using raw SQL"), the item as written
    # ("Using raw SQL"): the front-matter line that shares the most of it is the item's.
    if span.line > 1 or not lines:
        return span
    best = process.extractOne(
        text.strip().lower(),
        {n: line.lower() for n, line in enumerate(lines, start=1) if line.strip()},
        scorer=fuzz.partial_ratio,
        score_cutoff=70,
    )
    return span.at_line(best[2]) if best is not None else span


def topic_rules(
    topic: Topic,
    *,
    allow_html: bool = False,
    known: Mapping[tuple[str, str, bool], Sequence[Entry]] | None = None,
) -> list[Rule]:
    """Every do / don't the topic's quick reference lists, each at its persona line.

    ``known`` holds the rules the build already found (``KnowledgeBase.rules``); the
    other personas are read again.
    """
    out: list[Rule] = []
    for persona in topic.personas:
        parts = PersonaParts(persona, allow_html, [])
        front: list[str] | None = None
        found = (known or {}).get((persona.path, persona.content_hash, allow_html))
        if found is None:
            found = persona_rules(parts, persona_label(persona))
        for kind, text, _, span in found:
            where = span or parts.span
            if where.line == 1 and persona.metadata.do_not:
                front = _front_matter_lines(persona) if front is None else front
                where = _locate(text, front, where)
            out.append(Rule(topic.slug, persona.id, kind, " ".join(text.split()), where))
    return out


def _side(side: PatternSide) -> dict[str, object]:
    line = side.lines[0] if side.lines else 1
    return {
        "language": side.language,
        "source": _source(SourceSpan(side.path, line)),
        "code": side.code,
    }


def _persona(persona: Persona, topic: str) -> dict[str, object]:
    meta = persona.metadata
    return {
        "id": persona.id,
        "name": persona.name,
        "title": persona.title,
        "description": " ".join(persona.description.split()),
        "format": str(persona.format),
        "source": _source(SourceSpan(persona.path, 1)),
        "topic": topic,
        "capabilities": list(meta.capabilities),
        "scope": {
            "globs": list(meta.globs),
            "always_apply": meta.always_apply,
            "tools": list(meta.tools),
            "model": meta.model,
        },
    }


def build_index(
    topics: Sequence[Topic],
    pages: Sequence[GithubPage],
    *,
    output: str,
    allow_html: bool = False,
    known_rules: Mapping[tuple[str, str, bool], Sequence[Entry]] | None = None,
) -> dict[str, object]:
    """The index as a JSON-ready mapping (validates against ``index.schema.json``).

    ``known_rules``: the rules the build already found (``KnowledgeBase.rules``).
    """
    by_path = {g.page.path: g for g in pages}
    page_entries = []
    tokens_by_topic: dict[str | None, int] = {}
    for github in pages:
        page: KBPage = github.page
        tokens = estimate_tokens(page.markdown)
        tokens_by_topic[page.topic] = tokens_by_topic.get(page.topic, 0) + tokens
        page_entries.append(
            {
                "path": page.path,
                "title": page.title,
                "kind": str(page.kind),
                "topic": page.topic,
                "tokens": tokens,
                "sources": list(page.sources),
            }
        )
    topic_entries: list[dict[str, object]] = []
    persona_entries: list[dict[str, object]] = []
    rule_entries: list[dict[str, object]] = []
    card_entries: list[dict[str, object]] = []
    for topic in topics:
        rules = topic_rules(topic, allow_html=allow_html, known=known_rules)
        cards = collect_cards(topic)
        patterns_page = page_path(output, topic.slug, PageKind.SPECIFIC_PATTERNS)
        anchors = by_path[patterns_page].anchors if patterns_page in by_path else {}
        topic_entries.append(
            {
                "slug": topic.slug,
                "title": topic.title,
                "personas": [p.id for p in topic.personas],
                "pages": [p.page.path for p in pages if p.page.topic == topic.slug],
                "tokens": tokens_by_topic.get(topic.slug, 0),
                "rules": len(rules),
                "pattern_cards": len(cards),
            }
        )
        persona_entries.extend(_persona(p, topic.slug) for p in topic.personas)
        rule_entries.extend(
            {
                "topic": r.topic,
                "persona": r.persona,
                "kind": r.kind,
                "text": r.text,
                "source": _source(r.span),
            }
            for r in rules
        )
        card_entries.extend(
            {
                "topic": topic.slug,
                "persona": card.persona.id,
                "title": card.title,
                "page": patterns_page,
                "anchor": card.anchor,
                "github_anchor": anchors.get(card.anchor, card.anchor),
                "source": _source(card.pair.span),
                "wrong": _side(card.pair.wrong),
                "correct": _side(card.pair.correct),
            }
            for card in cards
        )
    return {
        "$schema": "../" * (output.count("/") + 1) + f"{PUBLISHED_PREFIX}/index.schema.json",
        "schema_version": SCHEMA_VERSION,
        "generator": "persona-kb",
        "output": output,
        "token_method": TOKEN_METHOD,
        "topics": topic_entries,
        "personas": persona_entries,
        "pages": page_entries,
        "rules": rule_entries,
        "pattern_cards": card_entries,
    }


def index_json(index: dict[str, object]) -> str:
    """The index serialised as the file holds it (stable key order, UTF-8, newline)."""
    return json.dumps(index, indent=1, ensure_ascii=False) + "\n"
