"""❌ WRONG / ✅ CORRECT labels: in headings, in a line before a block, in code comments.

A label is recognised from its emoji (or a GitHub/Material shortcode such as ``:x:``), or,
without an emoji, from a leading label word followed by a separator (``Bad:``,
``**WRONG** (…)``, ``Good practice —``). Prose that merely starts with "Good" is not a label.
"""

from __future__ import annotations

from dataclasses import dataclass

from persona_kb._internal.core.model import Label

_WRONG_MARKS = (
    "❌",
    ":x:",
    ":no_entry:",
    ":no_entry_sign:",
    ":heavy_multiplication_x:",
    "✖",
    "✗",
    "✘",
    "🚫",
    "⛔",
    "👎",
    # What a naive ftfy pass makes of "âŒ " (❌ with its 0x9D byte lost): keep such files usable.
    "⌠",
)
_CORRECT_MARKS = (
    "✅",
    ":white_check_mark:",
    ":heavy_check_mark:",
    ":ballot_box_with_check:",
    "✔",
    "☑",
    "✓",
    "👍",
)
_WRONG_WORDS = ("wrong", "incorrect", "bad", "avoid", "don't", "dont", "do not", "anti-pattern")
_CORRECT_WORDS = ("correct", "right", "good", "better", "preferred", "recommended", "do")
_NOUNS = ("example", "practice", "pattern", "code", "approach", "way", "usage", "version")
_SEPARATORS = ":(\u2014\u2013-"
_EMPHASIS = "*_`"
_COMMENT_OPENERS = ("<!--", "//", "/*", "--", "#", ";")
_COMMENT_CLOSERS = ("-->", "*/")


@dataclass(frozen=True, slots=True)
class LabelMatch:
    """A recognised label and the text that describes it (its caption)."""

    label: Label
    caption: str


def _take_mark(text: str) -> tuple[Label | None, str]:
    for label, marks in ((Label.WRONG, _WRONG_MARKS), (Label.CORRECT, _CORRECT_MARKS)):
        for mark in marks:
            if text.startswith(mark):
                return label, text[len(mark) :].lstrip("\ufe0f\u200d").strip()
    return None, text


def _take_word(text: str) -> tuple[Label | None, str, bool]:
    """Match a label word (plus an optional noun such as "example") at the start of ``text``.

    Returns the label, the rest of the text, and whether a separator (or the end) followed.
    """
    lowered = text.lower()
    for label, words in ((Label.WRONG, _WRONG_WORDS), (Label.CORRECT, _CORRECT_WORDS)):
        for word in words:
            if not lowered.startswith(word):
                continue
            rest = text[len(word) :]
            if rest[:1].isalnum() or rest[:1] == "'":
                continue
            rest = rest.lstrip(_EMPHASIS).lstrip()
            for noun in (*(noun + "s" for noun in _NOUNS), *_NOUNS):
                after = rest[len(noun) :]
                if rest.lower().startswith(noun) and not after[:1].isalnum():
                    rest = after.lstrip(_EMPHASIS).lstrip()
                    break
            rest = rest.lstrip(_EMPHASIS).strip()
            return label, rest, not rest or rest[0] in _SEPARATORS
    return None, text, False


def _caption(rest: str, closing: str) -> str:
    """The caption after the label; ``closing`` is the emphasis that opened the label line."""
    text = rest.strip().lstrip(_EMPHASIS).strip()
    while text and text[0] in _SEPARATORS.replace("(", ""):
        text = text[1:].lstrip(_EMPHASIS).strip()
    previous = None
    while previous != text:
        previous = text
        text = text.rstrip(": ")
        if closing and text.endswith(closing):
            text = text[: -len(closing)]
    if text.startswith("(") and text.endswith(")") and text.count("(") == 1:
        text = text[1:-1].strip()
    return text.strip()


def detect_label(text: str) -> LabelMatch | None:
    """The label a heading or label line carries, or ``None``.

    >>> detect_label("❌ WRONG (Blocking sync code in async route)")
    LabelMatch(label=<Label.WRONG: 'wrong'>, caption='Blocking sync code in async route')
    >>> detect_label("**✅ Good:** use a session") is not None
    True
    >>> detect_label("Good luck with the migration") is None
    True
    """
    line = text.strip().lstrip("#>").strip()
    body = line.lstrip(_EMPHASIS).strip()
    closing = line[: len(line) - len(line.lstrip(_EMPHASIS))][::-1]
    label, rest = _take_mark(body)
    if label is not None:
        word_label, after_word, _ = _take_word(rest.lstrip(_EMPHASIS).strip())
        if word_label is not None:
            rest = after_word
        return LabelMatch(label, _caption(rest, closing))
    word_label, rest, separated = _take_word(body)
    if word_label is not None and separated:
        return LabelMatch(word_label, _caption(rest, closing))
    return None


def detect_comment_label(line: str) -> LabelMatch | None:
    """The label of a code comment line such as ``# ❌ Before`` or ``// ✅ Good: …``.

    Only whole-line comments count; the comment text must itself be a label (see
    [`detect_label`][]).
    """
    text = line.strip()
    for opener in _COMMENT_OPENERS:
        if text.startswith(opener):
            text = text[len(opener) :]
            break
    else:
        return None
    text = text.lstrip("#/-;*").strip()
    for closer in _COMMENT_CLOSERS:
        text = text.removesuffix(closer).rstrip()
    return detect_label(text) if text else None
