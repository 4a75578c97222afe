"""`topics:` rules: one compiled pattern gives exactly what fnmatch, rule by rule, gives."""

from __future__ import annotations

import fnmatch
import itertools

from persona_kb._internal.kb.topic_rules import first_rule
from persona_kb._internal.kb.topic_signals import slugify

RULES = {
    "Python": ["*python*", "py-*"],
    "": ["*"],  # no usable slug: never chosen
    "web [ui]": ["web/[a-c]*.md", "*.mdc"],
    "go": ["go?", "agents/**/go-*"],
    "empty": [],
    "catch all": ["*"],
}
CANDIDATES = [
    "python-pro",
    "py-lint",
    "web/b.md",
    "web/d.md",
    "x.mdc",
    "go1",
    "go12",
    "agents/a/b/go-x.md",
    "[weird].md",
    "line\nbreak",
    "",
]


def _by_fnmatch(candidates: tuple[str, ...]) -> str | None:
    for topic, globs in RULES.items():
        if any(fnmatch.fnmatchcase(c, g) for g in globs for c in candidates) and slugify(topic):
            return topic
    return None


def test_first_rule_agrees_with_fnmatch_rule_by_rule() -> None:
    checked = 0
    for size in (1, 2, 4):
        for candidates in itertools.combinations(CANDIDATES, size):
            found = first_rule(RULES, candidates)
            assert (found[0] if found else None) == _by_fnmatch(candidates), candidates
            checked += 1
    assert checked > 300
    assert first_rule(RULES, ("web/b.md",)) == ("web [ui]", "web-ui", RULES["web [ui]"])
    assert first_rule({"only": ["a*"]}, ("b",)) is None
