"""Fold near-duplicate items from several personas into one, crediting each persona.

Two items fold when they say the same thing in other words: "Use type hints on all
function signatures" and "Use type hints on all function signatures and return types".
Matching is deterministic and needs no model:

* each text is reduced to its content words, lemmatised (``arguments`` → ``argument``,
  ``using`` → ``use``), without stop words and without the polarity words that the
  item's kind already carries (``never``, ``avoid``, ``always``);
* two items are the same when rapidfuzz's ``token_set_ratio`` of those words reaches
  [`FOLD_THRESHOLD`][persona_kb._internal.kb.render.folding.FOLD_THRESHOLD] (the shorter
  holding at least half as many words), when the rarer words of the shorter one,
  weighted by how rare they are among the items compared, are nearly all in the other,
  or when both share a run of three or more content words in order ("mutable default
  argument") making up at least half of the shorter one, or when their first clauses
  (before a dash, a bracket or a full stop) hold the same content words:
  "NEVER use ListView (deprecated)" and "**NEVER use ListView** - obsolete".

Candidates are only the pairs sharing a content word, so folding stays near-linear.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from rapidfuzz import fuzz

from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.kb.render.wording import _lemmas, negation_of, plain_words, strip_label

FOLD_THRESHOLD = 88.0
"""The ``token_set_ratio`` (0–100) from which two items of one kind fold."""
CONTAINMENT_THRESHOLD = 0.85
"""The share of the shorter item's (rarity-weighted) words that the longer one must hold."""

_STOP = frozenset(
    """a an the and or of to in on at for by with from as into onto over under than
    then that this these those it its is are be been being was were will would can could
    should must may might shall do does did done not no never always avoid don't dont
    only just also all any each every some such very more most less least your you we our
    they their them when where which who whom what how why if else via per use using""".split()
)
CONFLICT_THRESHOLD = 90.0
"""The ``token_sort_ratio`` from which a Do and a Don't of different personas conflict."""
_CLAUSE_ENDS = (" - ", " \u2014 ", " \u2013 ", " (", ". ", "; ", ": ")
_LABEL_END = re.compile(r":\s*$")
_QUALIFIERS = frozenset({"without", "unless", "except", "instead", "rather", "but"})
_TOKEN_RE = re.compile(r"[a-z0-9][a-z0-9+#.]*[a-z0-9+#]|[a-z0-9]")


@lru_cache(maxsize=16384)
def _lemma(word: str) -> str:
    found = _lemmas(word)
    for pos in ("NOUN", "VERB", "ADJ"):
        if found.get(pos):
            lemma: str = found[pos][0]
            return lemma
    return word


def content_words(text: str) -> tuple[str, ...]:
    """The lemmatised content words of ``text``, in order, each once."""
    plain = plain_words(text).lower().replace("\u2019", "'")
    negation = negation_of(plain)
    if negation:
        plain = plain[len(negation) :]
    words = (_lemma(w) for w in _TOKEN_RE.findall(plain))
    return tuple(dict.fromkeys(w for w in words if w not in _STOP))


@dataclass
class FoldedItem:
    """One distinct item and every persona that wrote it (first writer's text and span)."""

    text: str
    span: SourceSpan | None
    kind: str = ""
    personas: list[str] = field(default_factory=list)
    sources: list[tuple[str, SourceSpan | None]] = field(default_factory=list)
    """Every ``(persona, span)`` folded in, in order (one persona may appear twice)."""
    order: int = 0
    """Position of the first writer among all items (for stable ranking)."""

    @property
    def attribution(self) -> str:
        """``"A"``, ``"A and B"`` or ``"A, B and C (3 personas)"``: who wrote it."""
        names = self.personas
        if len(names) <= 1:
            return "".join(names)
        if len(names) == 2:
            return f"{names[0]} and {names[1]}"
        return ", ".join(names[:-1]) + f" and {names[-1]} ({len(names)} personas)"


def core_words(text: str) -> frozenset[str]:
    """The content words of the rule's first clause: what it says before explaining why
    ("NEVER use ListView" in "NEVER use ListView (deprecated). Use CollectionView")."""
    _, rest = strip_label(text)
    if not _LABEL_END.search(text[: len(text) - len(rest)]):
        rest = text  # a bold lead-in that is the rule itself, not a name for it
    plain = plain_words(rest)
    cut = min((i for i in (plain.find(s) for s in _CLAUSE_ENDS) if i > 0), default=len(plain))
    return frozenset(content_words(plain[:cut]))


class _Matcher:
    """Near-duplicate test between items, with rarity weights from the items compared."""

    def __init__(self, texts: Sequence[str]) -> None:
        words = [content_words(t) for t in texts]
        self.cores = [core_words(t) for t in texts]
        self.words = words
        self.sets = [frozenset(w) for w in words]
        self.joined = [" ".join(w) for w in words]
        counts: dict[str, int] = {}
        for found in self.sets:
            for word in found:
                counts[word] = counts.get(word, 0) + 1
        total = max(1, len(words))
        self.weight = {w: math.log(1 + total / c) for w, c in counts.items()}
        self.index: dict[str, list[int]] = {}
        self.qualified = [bool(s & _QUALIFIERS) for s in self.sets]

    def candidates(self, i: int) -> set[int]:
        found: set[int] = set()
        for word in self.sets[i]:
            found.update(self.index.get(word, ()))
        return found

    def add(self, i: int) -> None:
        for word in self.sets[i]:
            self.index.setdefault(word, []).append(i)

    def opposes(self, i: int, j: int) -> bool:
        """Whether items of opposite kinds say the same thing (a Do against a Don't).

        Stricter than folding: nearly the same words, and neither qualifies itself
        ("log events *without* secrets" does not contradict "never log secrets")."""
        if self.qualified[i] or self.qualified[j]:
            return False
        return fuzz.token_sort_ratio(self.joined[i], self.joined[j]) >= CONFLICT_THRESHOLD

    def score(self, i: int, j: int) -> float:
        a, b = self.sets[i], self.sets[j]
        if not a or not b:
            return 0.0
        if self.cores[i] and self.cores[i] == self.cores[j]:
            return 100.0  # the same rule, explained differently
        small, large = (a, b) if len(a) <= len(b) else (b, a)
        best = 0.0
        if len(small) * 2 >= len(large):
            best = fuzz.token_set_ratio(self.joined[i], self.joined[j])
        if len(small) >= 3:
            # A run of three or more content words in the same order ("mutable default
            # argument") that makes up at least half of the shorter item.
            match = SequenceMatcher(None, self.words[i], self.words[j], autojunk=False)
            run = match.find_longest_match().size
            if run >= 3 and run * 2 >= len(small):
                best = max(best, FOLD_THRESHOLD + run)
            total = sum(self.weight[w] for w in small)
            shared = sum(self.weight[w] for w in small & large)
            best = max(best, FOLD_THRESHOLD * shared / total / CONTAINMENT_THRESHOLD)
        return best


def same_rule(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` say the same thing (as folding decides for a pair alone)."""
    matcher = _Matcher([a, b])
    return matcher.score(0, 1) >= FOLD_THRESHOLD


@dataclass(frozen=True, slots=True)
class Conflict:
    """A Do in one persona that is a Don't in another."""

    do: FoldedItem
    dont: FoldedItem


def fold_items(
    entries: Iterable[tuple[str, str, str, SourceSpan | None]],
) -> list[FoldedItem]:
    """Fold ``(kind, text, persona label, span)`` entries; order of first appearance kept."""
    return fold_with_conflicts(entries)[0]


def fold_with_conflicts(
    entries: Iterable[tuple[str, str, str, SourceSpan | None]],
) -> tuple[list[FoldedItem], list[Conflict]]:
    """Fold entries of one kind together; pairs of opposite kinds from different personas
    that say the same thing are returned as conflicts (each pair once)."""
    items = [e for e in entries if e[1].strip()]
    matcher = _Matcher([text for _, text, _, _ in items])
    folded: list[FoldedItem] = []
    owner: list[int] = []  # item index → folded index
    conflicts: dict[tuple[int, int], Conflict] = {}
    for i, (kind, text, persona, span) in enumerate(items):
        best, best_score = -1, 0.0
        opposite: list[int] = []
        for j in sorted(matcher.candidates(i)):
            score = matcher.score(i, j)
            if score < FOLD_THRESHOLD:
                continue
            if items[j][0] == kind:
                if score > best_score:
                    best, best_score = j, score
            elif matcher.opposes(i, j):
                opposite.append(j)
        if best >= 0:
            target = folded[owner[best]]
            if persona not in target.personas:
                target.personas.append(persona)
            target.sources.append((persona, span))
            owner.append(owner[best])
        else:
            owner.append(len(folded))
            folded.append(FoldedItem(text, span, kind, [persona], [(persona, span)], i))
        matcher.add(i)
        for j in opposite:
            mine, theirs = folded[owner[i]], folded[owner[j]]
            if set(mine.personas) == set(theirs.personas):
                continue  # one persona's own nuance ("use X" then "never X unless …")
            do, dont = (mine, theirs) if kind == "do" else (theirs, mine)
            conflicts.setdefault((id(do), id(dont)), Conflict(do, dont))
    return folded, list(conflicts.values())
