"""What a persona's words say about its topic: vocabulary matches, learned name groups.

Everything here is pure text work over names, titles and descriptions; the order in
which the signals are tried lives in [`topics`][persona_kb._internal.kb.topics].
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache

from persona_kb._internal.kb.vocabulary import (
    DOMAINS,
    GENERIC_WORDS,
    ROLE_DOMAINS,
    TIERS,
    Vocabulary,
)

_SLUG_RE = re.compile(r"[^a-z0-9]+")
_WORD_RE = re.compile(r"[a-z0-9#+.]+")
_SEPARATORS = re.compile(r"[\s_/\-]+")
MIN_GROUP = 2
"""Personas that must share a leading name word before it becomes a topic."""


def slugify(text: str) -> str:
    """A safe slug ``[a-z0-9-]``: accents folded, every other run of characters → ``-``.

    ``"../../etc"`` → ``"etc"``; ``"C# / .NET"`` → ``"c-net"``; ``""`` stays ``""``.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG_RE.sub("-", folded.lower()).strip("-")


def normalise(text: str) -> str:
    """Lower-case words separated by single spaces (``-``, ``_`` and ``/`` separate words)."""
    return _SEPARATORS.sub(" ", text.lower()).strip()


@dataclass(frozen=True, slots=True)
class Match:
    """A vocabulary alias found in a text."""

    slug: str
    alias: str
    tier: int
    position: int


@cache
def _pattern(vocabulary: tuple[tuple[str, str, int], ...]) -> tuple[re.Pattern[str], dict[str, tuple[str, int]]]:
    # One alternation, longest alias first: at one position the longest alias wins
    # (`react native` before `react`). Trailing digits are allowed (`rails8`, `svelte5`),
    # letters are not (`gopher` is not `go`).
    slugs: dict[str, tuple[str, int]] = {}
    for alias, slug, tier in vocabulary:
        slugs.setdefault(normalise(alias), (slug, tier))
    ordered = sorted(slugs, key=lambda a: (-len(a), a))
    body = "|".join(re.escape(a) for a in ordered) or "(?!)"
    return re.compile(rf"(?<![a-z0-9#+])({body})(?![a-z#+])"), slugs


@cache
def technology_vocabulary(extra: tuple[str, ...]) -> tuple[tuple[str, str, int], ...]:
    """``(alias, slug, tier)`` for every technology, the user's words first (tier 0)."""
    entries: list[tuple[str, str, int]] = []
    for word in extra:
        slug = slugify(word)
        if slug:
            entries.append((word, slug, 0))
    for tier, table in enumerate(TIERS):
        entries.extend((alias, slug, tier) for slug, (_, aliases) in table.items() for alias in aliases)
    return tuple(entries)


DOMAIN_VOCABULARY = tuple(
    (alias, slug, 1 if slug in ROLE_DOMAINS else 0)
    for slug, (_, aliases) in DOMAINS.items()
    for alias in aliases
)
"""Domain aliases: tier 0 for kinds of work, tier 1 for roles (``backend``, ``mobile``…)."""


def matches(text: str, vocabulary: tuple[tuple[str, str, int], ...]) -> list[Match]:
    """Every alias of ``vocabulary`` in ``text``, left to right."""
    pattern, slugs = _pattern(vocabulary)
    found = []
    for m in pattern.finditer(normalise(text)):
        slug, tier = slugs[m.group(1)]
        found.append(Match(slug, m.group(1), tier, m.start()))
    return found


def best_match(text: str, vocabulary: tuple[tuple[str, str, int], ...]) -> Match | None:
    """The most specific alias in ``text`` (lowest tier), leftmost among equals."""
    found = matches(text, vocabulary)
    return min(found, key=lambda m: (m.tier, m.position)) if found else None


def first_known(text: str, vocabulary: Iterable[tuple[str, str]]) -> str | None:
    """The slug of the vocabulary alias appearing first in ``text`` (longest alias on ties)."""
    found = matches(text, tuple((alias, slug, 0) for alias, slug in vocabulary))
    return found[0].slug if found else None


def subject_words(name: str) -> list[str]:
    """A name's words without the generic ones (``expert``, ``instructions``, verbs, …)."""
    words = _WORD_RE.findall(normalise(name))
    return [w for w in words if w not in GENERIC_WORDS and not w.isdigit() and len(w) > 1]


def leading_subjects(name: str, known: re.Pattern[str]) -> tuple[str, ...]:
    """The words of a name that may lead a group of names, most specific first.

    The first subject word, unless it is a technology the vocabulary knows (the vocabulary
    decides then). When that word is a kind of work (``llm``, ``data``), the first two
    subject words come first (``llm finetuning``).
    """
    words = subject_words(name)
    if not words or known.fullmatch(words[0]):
        return ()
    if len(words) > 1 and _domain_pattern().fullmatch(words[0]):
        return (f"{words[0]} {words[1]}", words[0])
    return (words[0],)


def is_domain_word(word: str) -> bool:
    """Whether ``word`` is an alias of a domain (``security``, ``backend``, ``llm``…)."""
    return _domain_pattern().fullmatch(word) is not None


@cache
def _domain_pattern() -> re.Pattern[str]:
    return _pattern(DOMAIN_VOCABULARY)[0]


def known_words(vocabulary: tuple[tuple[str, str, int], ...]) -> re.Pattern[str]:
    """A pattern matching any alias of ``vocabulary``."""
    return _pattern(vocabulary)[0]


def learn_name_groups(
    names: Sequence[str], vocabulary: tuple[tuple[str, str, int], ...]
) -> Mapping[str, int]:
    """Leading subject words shared by at least ``MIN_GROUP`` names: ``tdd`` for
    ``tdd-red``, ``tdd-green`` and ``tdd-refactor`` (see
    [`leading_subjects`][persona_kb._internal.kb.topic_signals.leading_subjects]).
    Returns the words → how many names start with them."""
    known = known_words(vocabulary)
    counts: Counter[str] = Counter()
    for name in names:
        counts.update(leading_subjects(name, known))
    return {word: count for word, count in counts.items() if count >= MIN_GROUP}
