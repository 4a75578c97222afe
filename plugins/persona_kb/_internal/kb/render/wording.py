"""Is a bullet a rule, and which way does it point? Imperative wording of Do / Don't rows.

A cheat-sheet row is an imperative rule: ``Use type hints``, ``Never commit secrets``,
``Avoid using raw SQL``. Statements ("The SDK is in technical preview") are not rules and
stay in the guide. Verb forms come from lemminflect's bundled English lexicon (no model
download): a word whose lemmas include a verb equal to itself is a base-form verb
(``use``, ``validate``), one whose verb lemma differs and that ends in ``-ing`` is a
gerund (``using`` → ``use``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


# Words that turn whatever follows into a prohibition.
_NEGATIONS = (
    "never",
    "don't",
    "dont",
    "do not",
    "avoid",
    "no",
    "not",
    "stop",
    "refrain from",
    "must not",
    "should not",
    "shouldn't",
    "cannot",
    "can't",
    "forbidden",
    "prohibited",
)
# Adverbs and modal lead-ins that may precede the verb of an imperative.
_LEADS = ("always", "only", "just", "also", "please", "you must", "you should", "must", "should")
_LABEL_RE = re.compile(r"^(?:\*\*|__)([^*_]{1,60})(?:\*\*|__)\s*[:\-\u2013\u2014]\s+")
"""A bold lead-in label: ``**Async First**: Use async/await …``."""
_MARKUP_RE = re.compile(r"[*_`~]+")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")
_NOT_VERBS = frozenset({"fat", "god", "magic", "long", "deep", "global", "raw", "hard"})
"""Words lemminflect also knows as verbs that open noun phrases in anti-pattern lists."""


@lru_cache(maxsize=8192)
def _lemmas(word: str) -> dict[str, tuple[str, ...]]:
    # Imported on first use: lemminflect loads numpy, which a build whose pages all come
    # from the cache never needs.
    from lemminflect import getAllLemmas  # type: ignore[import-untyped]

    found: dict[str, tuple[str, ...]] = getAllLemmas(word.lower())
    return found


def is_base_verb(word: str) -> bool:
    """Whether ``word`` can be an English verb in its base form (``use``, ``prefer``)."""
    lower = word.lower()
    return lower not in _NOT_VERBS and lower in _lemmas(lower).get("VERB", ())


def is_verb_only(word: str) -> bool:
    """A base-form verb that is nothing else (``validate``; not ``test`` or ``push``)."""
    found = _lemmas(word.lower())
    return is_base_verb(word) and set(found) == {"VERB"}


def gerund_base(word: str) -> str | None:
    """``using`` → ``use``; ``None`` when ``word`` is not a gerund."""
    lower = word.lower()
    if not lower.endswith("ing"):
        return None
    verbs = _lemmas(lower).get("VERB", ())
    return verbs[0] if verbs and verbs[0] != lower else None


def plain_words(text: str) -> str:
    """``text`` without emphasis, code and link markup, on one line."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(_MARKUP_RE.sub("", text).split())


def strip_label(text: str) -> tuple[str, str]:
    """``("**Async First**: ", "Use async …")`` for a bold lead-in label, else ``("", text)``."""
    match = _LABEL_RE.match(text)
    if match and len(text) > match.end():
        return text[: match.end()], text[match.end() :]
    return "", text


def negation_of(text: str) -> str:
    """The negation ``text`` opens with (``"never"``), or ``""``."""
    lower = plain_words(text).lower().replace("\u2019", "'")
    for word in _NEGATIONS:
        if lower == word or lower.startswith(word + " ") or lower.startswith(word + ","):
            return word
    return ""


def _first_verb(text: str) -> str:
    # The first word after the lead-ins ("Always use" → "use").
    lower = plain_words(text).lower()
    for lead in _LEADS:
        if lower.startswith(lead + " "):
            lower = lower[len(lead) + 1 :]
            break
    match = _WORD_RE.match(lower)
    return match.group(0) if match else ""


@dataclass(frozen=True, slots=True)
class Wording:
    """A rule's polarity and its imperative text (``None`` text: not a rule)."""

    kind: str
    """``"do"`` or ``"dont"``."""
    text: str


def word_rule(text: str, *, prohibition: bool, verb_list: bool = False) -> Wording | None:
    """The imperative row for ``text``, or ``None`` when it is not a rule.

    ``prohibition`` says the list itself is of things not to do (anti-patterns,
    ``do_not``): a noun phrase or gerund there becomes ``Avoid …``, a bare verb
    ``Don't …``. Elsewhere (best practices, constraints) only imperatives are rules; a
    negated one (``Never …``) is a Don't. A text ending in ``:`` introduces a list and is
    not a rule on its own. ``verb_list`` says the prohibitions are verb phrases
    (``do_not: [push to main]``), so a word that is also a noun reads as a verb.
    """
    text = " ".join(text.split())
    if not text or text.endswith(":") or len(plain_words(text)) < 4:
        return None
    label, rest = strip_label(text)
    named = label.rstrip().endswith(":")  # "**Type Safety**: …" names the rule that follows
    if negation_of(text) or (named and negation_of(rest)):
        return Wording("dont", text)
    first = _first_verb(text)
    if not prohibition:
        if first and is_base_verb(first):
            return Wording("do", text)
        rest_first = _first_verb(rest) if named else ""
        return Wording("do", text) if rest_first and is_base_verb(rest_first) else None
    if not named:
        label, rest = "", text
    first = _first_verb(rest)
    if not first:
        return None
    # In a list of verb phrases a word the lexicon does not know ("exfiltrate") is a verb.
    known = _lemmas(first)
    verb = is_verb_only(first) or (verb_list and (is_base_verb(first) or not known))
    if gerund_base(first) is not None or not verb:
        return Wording("dont", label + "Avoid " + _lower_first(rest))
    return Wording("dont", label + "Don't " + _lower_first(rest))


def _lower_first(text: str) -> str:
    # "Using raw SQL" → "using raw SQL"; acronyms and code ("SQL", "`print()`") stay.
    match = _WORD_RE.match(text)
    if match is None:
        return text
    word = match.group(0)
    if word[1:].lower() != word[1:] or len(word) == 1:
        return text
    return word.lower() + text[len(word) :]
