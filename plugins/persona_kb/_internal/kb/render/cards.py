"""Pattern cards: each ❌ WRONG / ✅ CORRECT pair of a topic, with a stable anchor."""

from __future__ import annotations

from dataclasses import dataclass

from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.core.model import PatternPair, PatternSide, Persona, Topic
from persona_kb._internal.kb.render.naming import AnchorSet
from persona_kb._internal.kb.render.persona_parts import PersonaParts
from persona_kb._internal.kb.render.sourcemap import Fragment, Line

_CARD_PREFIX = "pattern-"


@dataclass(frozen=True, slots=True)
class Card:
    """One pattern card of a topic."""

    pair: PatternPair
    persona: Persona
    anchor: str
    title: str


def card_title(pair: PatternPair) -> str:
    """A one-line title for the card (the pair's title, else its heading, else its caption)."""
    for candidate in (pair.title, *reversed(pair.heading_path), pair.correct.caption):
        text = " ".join(candidate.split()).strip(" #")
        if text:
            return text.replace("{", "(").replace("}", ")")
    return "Pattern"


def collect_cards(topic: Topic) -> list[Card]:
    """Every pattern pair of the topic's personas, in persona then document order."""
    # The pages' own section anchors are reserved so a card can never shadow them.
    anchors = AnchorSet({"pattern-cards", "pattern-index"})
    cards: list[Card] = []
    for persona in topic.personas:
        for pair in persona.patterns:
            title = card_title(pair)
            cards.append(Card(pair, persona, anchors.make(title, _CARD_PREFIX), title))
    return cards


def fence_for(code: str) -> str:
    """A backtick fence longer than any backtick run inside ``code``."""
    longest = run = 0
    for ch in code:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return "`" * max(3, longest + 1)


def side_block(side: PatternSide) -> Fragment:
    """The side's code as a fenced block, each code line mapped to its persona line."""
    fence = fence_for(side.code)
    code_lines = side.code.split("\n")
    if code_lines and code_lines[-1] == "":
        code_lines.pop()
    lines: list[Line] = [(f"{fence}{side.language}", None)]
    for i, line in enumerate(code_lines):
        span = side.line_span(i) if i < len(side.lines) else None
        lines.append((line, span))
    lines.append((fence, None))
    return Fragment(tuple(lines))


def locate_why(parts: PersonaParts, pair: PatternPair) -> Fragment:
    """The pair's "why this matters" text, mapped to the persona lines it was read from."""
    why = pair.why.strip("\n")
    if not why.strip():
        return Fragment(())
    body = parts.persona.body.split("\n")
    wanted = why.split("\n")
    first = wanted[0].strip()
    start = max(0, pair.span.line - parts.persona.body_line)
    for index in range(start, len(body)):
        if body[index].strip() == first:
            chunk = "\n".join(body[index : index + len(wanted)])
            if [w.strip() for w in chunk.split("\n")] == [w.strip() for w in wanted]:
                return parts.fragment(chunk, parts.persona.body_line + index)
    span = SourceSpan(pair.span.path, pair.span.line)
    return Fragment.from_text(parts.clean(why), span)
