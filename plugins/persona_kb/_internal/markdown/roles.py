"""What a section is for, recognised from its heading's words.

Rules are tried in order and the first whose phrase occurs in the heading wins, so the more
specific roles come first: "Testing & Validation Checklist" is a checklist, "IDENTITY and
PURPOSE" is the purpose, "Knowledge Base References" are references.
"""

from __future__ import annotations

import re
from functools import lru_cache

from persona_kb._internal.core.model import SectionRole

# A phrase is a sequence of words; a word ending in "*" matches any word it starts.
# Plurals ("patterns", "rules") match their singular phrase.
_RULES: tuple[tuple[SectionRole, tuple[str, ...]], ...] = (
    (SectionRole.ANTI_DRIFT, ("anti drift", "antidrift", "drift")),
    (SectionRole.CHECKLIST, ("checklist", "check list")),
    (
        SectionRole.ANTI_PATTERNS,
        (
            "anti pattern",
            "antipattern",
            "pitfall",
            "common mistake",
            "mistakes to avoid",
            "things to avoid",
            "what to avoid",
            "to avoid",
            "don ts",
            "dont",
        ),
    ),
    (
        SectionRole.PLAYBOOK,
        (
            "playbook",
            "troubleshoot*",
            "error resolution",
            "common error",
            "common issue",
            "error handling guide",
            "debugging guide",
            "faq",
        ),
    ),
    (SectionRole.LEARNINGS, ("learning", "lessons learned", "lesson", "takeaway")),
    (SectionRole.PURPOSE, ("purpose", "mission")),
    (SectionRole.IDENTITY, ("identity", "who you are", "persona", "role", "about you")),
    (SectionRole.RESPONSIBILITIES, ("responsibilit*", "duties", "duty", "what you do")),
    (SectionRole.CORE_PATTERNS, ("core pattern",)),
    (SectionRole.TESTING, ("testing", "test strateg*", "test approach", "tests", "test")),
    (SectionRole.REFERENCES, ("reference", "resource", "further reading", "see also", "link")),
    (
        SectionRole.EXPERTISE,
        (
            "expertise",
            "capabilit*",
            "skill",
            "specializ*",
            "specialis*",
            "competenc*",
            "domain",
            "strength",
        ),
    ),
    (SectionRole.KNOWLEDGE, ("knowledge", "technical", "tech stack", "stack")),
    (SectionRole.PATTERNS, ("pattern", "recipe", "idiom")),
    (
        SectionRole.BEST_PRACTICES,
        ("best practice", "guideline", "convention", "recommendation", "principle", "do s"),
    ),
    (SectionRole.GOAL, ("goal", "objective")),
    (
        SectionRole.CONSTRAINTS,
        (
            "constraint",
            "rule",
            "guardrail",
            "boundar*",
            "restriction",
            "limitation",
            "requirement",
            "non negotiable",
        ),
    ),
    (SectionRole.OUTPUT, ("output", "response format", "deliverable", "report format")),
    (SectionRole.INPUT, ("input",)),
    (SectionRole.STEPS, ("step",)),
    (
        SectionRole.WORKFLOW,
        (
            "workflow",
            "approach",
            "process",
            "methodology",
            "how you work",
            "procedure",
            "how to work",
            "working style",
        ),
    ),
)

_WORD = re.compile(r"[a-z0-9]+")


def heading_words(title: str) -> list[str]:
    """Lower-case words of a heading, without emoji, numbering, punctuation or markup."""
    words = _WORD.findall(title.lower().replace("'", " ").replace("\u2019", " "))
    while words and words[0].isdigit():
        words.pop(0)
    return words


def _phrase_pattern(phrase: str) -> str:
    parts = []
    for word in phrase.split():
        if word.endswith("*"):
            parts.append(re.escape(word[:-1]) + r"[a-z0-9]*")
        else:
            parts.append(re.escape(word) + "(?:e?s)?")
    return r"\b" + " ".join(parts) + r"\b"


_COMPILED: tuple[tuple[SectionRole, re.Pattern[str]], ...] = tuple(
    (role, re.compile("|".join(_phrase_pattern(phrase) for phrase in phrases)))
    for role, phrases in _RULES
)


@lru_cache(maxsize=4096)
def classify_heading(title: str) -> SectionRole:
    """The role of a section from its heading title (keywords, case-insensitive).

    >>> classify_heading("## 🔧 Common Python Error Resolution Playbook")
    <SectionRole.PLAYBOOK: 'playbook'>
    >>> classify_heading("Working on Existing Codebases")
    <SectionRole.OTHER: 'other'>

    Cached per title: a library repeats the same few hundred headings.
    """
    text = " ".join(heading_words(title))
    for role, pattern in _COMPILED:
        if pattern.search(text):
            return role
    return SectionRole.OTHER
