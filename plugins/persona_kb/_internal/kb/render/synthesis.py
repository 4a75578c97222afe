"""What a topic's personas say together: folded rules, learnings, checklists, disagreements.

Computed once per topic and shared by the quick reference, the guide and the specific
patterns page, so every page ranks and credits the same rules the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.core.model import SectionRole, Topic
from persona_kb._internal.kb.render.folding import Conflict, FoldedItem, fold_with_conflicts
from persona_kb._internal.kb.render.persona_parts import ListItem, PersonaParts
from persona_kb._internal.kb.render.tags import terms_in
from persona_kb._internal.kb.render.wording import word_rule
from persona_kb._internal.kb.titles import display_title
from persona_kb._internal.kb.topics import TECHNOLOGIES

Entry = tuple[str, str, str, SourceSpan | None]
"""``(kind, text, persona label, span)``."""

_RULE_ROLES = (
    SectionRole.BEST_PRACTICES,
    SectionRole.CONSTRAINTS,
    SectionRole.ANTI_DRIFT,
    SectionRole.OUTPUT,
)
_EXTRA_TECHNOLOGIES = (
    "postgresql",
    "postgres",
    "mysql",
    "mongodb",
    "redis",
    "docker",
    "kubernetes",
    "terraform",
    "openapi",
    "sqlalchemy",
    "pydantic",
    "typescript",
    "tailwind",
    "ios",
    "android",
    "java",
    "spring boot",
)
_VERSION_RE = re.compile(
    r"(?<![\w.])("
    + "|".join(
        re.escape(a)
        for a in sorted(
            {a for _, aliases in TECHNOLOGIES.values() for a in aliases} | set(_EXTRA_TECHNOLOGIES),
            key=len,
            reverse=True,
        )
    )
    + r")\s+v?(\d+(?:\.\d+){0,2}\+?)(?![\w.])",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class VersionClaim:
    """One persona's version of one technology."""

    persona: str
    anchor: str
    version: str
    span: SourceSpan | None


@dataclass
class TopicSynthesis:
    """A topic's rules and lists, folded across personas and ranked by agreement."""

    rules: list[FoldedItem] = field(default_factory=list)
    """Do and Don't rules, most-agreed first (then in the personas' order)."""
    conflicts: list[Conflict] = field(default_factory=list)
    versions: dict[str, list[VersionClaim]] = field(default_factory=dict)
    """Technology → the differing versions the personas name (only disagreements)."""
    learnings: list[FoldedItem] = field(default_factory=list)
    checklist: list[FoldedItem] = field(default_factory=list)
    rules_before: int = 0
    """How many rule rows the personas wrote before folding."""
    anchors: dict[str, str] = field(default_factory=dict)
    """Persona label → its anchor on the topic's README."""

    @property
    def disagreements(self) -> int:
        """How many disagreements (rule conflicts plus stack versions) there are."""
        return len(self.conflicts) + len(self.versions)


def rank(items: list[FoldedItem]) -> list[FoldedItem]:
    """Most personas first; among equals, each persona's first item, then each one's
    second, …, so that one prolific persona does not fill the cheat sheet alone."""
    seen: dict[tuple[int, str], int] = {}
    turn: dict[int, int] = {}
    for item in sorted(items, key=lambda i: i.order):
        key = (len(item.personas), item.personas[0] if item.personas else "")
        turn[id(item)] = seen.get(key, 0)
        seen[key] = turn[id(item)] + 1
    return sorted(items, key=lambda i: (-len(i.personas), turn[id(i)], i.order))


def persona_rules(parts: PersonaParts, label: str) -> list[Entry]:
    """A persona's rules as imperative Do / Don't entries (statements are left out)."""
    out: list[Entry] = []
    for item in parts.items_with_role(*_RULE_ROLES):
        worded = word_rule(item.text, prohibition=False)
        if worded is not None:
            out.append((worded.kind, worded.text, label, item.span))
    for text in parts.persona.metadata.do_not:
        worded = word_rule(parts.clean(text), prohibition=True, verb_list=True)
        if worded is not None:
            out.append((worded.kind, worded.text, label, parts.span))
    for item in parts.items_with_role(SectionRole.ANTI_PATTERNS):
        worded = word_rule(item.text, prohibition=True)
        if worded is not None:
            out.append((worded.kind, worded.text, label, item.span))
    return out


def checklist_items(parts: PersonaParts) -> list[ListItem]:
    """Every checklist item of a persona: checklist sections, task lists, labelled lists."""
    found: list[ListItem] = []
    seen: set[int] = set()
    for section in parts.persona.all_sections():
        if section.role is SectionRole.CHECKLIST:
            items = parts.list_items(section)
        elif parts.has_tasks(section):
            items = [i for i in parts.list_items(section) if i.task is not None]
        else:
            continue
        found.extend(i for i in items if i.span.line not in seen)
        seen.update(i.span.line for i in items)
    for labelled in parts.labelled_lists(SectionRole.CHECKLIST):
        found.extend(i for i in labelled.items if i.span.line not in seen)
        seen.update(i.span.line for i in labelled.items)
    return found


def _version_claims(parts: PersonaParts) -> dict[str, tuple[str, SourceSpan | None]]:
    # Metadata first (the stack as declared), then versions named in the description,
    # the capabilities and the expertise and knowledge lists.
    claims: dict[str, tuple[str, SourceSpan | None]] = {}
    for tech, version in parts.persona.metadata.versions.items():
        claims.setdefault(tech.lower(), (version, parts.span))
    texts: list[tuple[str, SourceSpan | None]] = [(parts.persona.description, parts.span)]
    texts.extend((c, parts.span) for c in parts.persona.metadata.capabilities)
    texts.extend(
        (i.text, i.span)
        for i in parts.items_with_role(SectionRole.EXPERTISE, SectionRole.KNOWLEDGE)
    )
    for text, span in texts:
        for match in _VERSION_RE.finditer(text):
            claims.setdefault(match.group(1).lower(), (match.group(2), span))
    return claims


def tech_name(tech: str) -> str:
    """``"django"`` → ``"Django"``, ``"postgresql"`` → ``"PostgreSQL"``."""
    known = terms_in(tech)
    return known[0] if len(known) == 1 and len(known[0]) >= len(tech) - 1 else display_title(" ".join(w.capitalize() for w in tech.split()))


def _major_minor(version: str) -> str:
    return ".".join(version.rstrip("+").split(".")[:2])


RulesByPersona = dict[tuple[str, str, bool], tuple[Entry, ...]]
"""(persona path, content hash, HTML allowed) → the persona's rules, as
[`persona_rules`][persona_kb._internal.kb.render.synthesis.persona_rules] found them."""


def synthesise(
    topic: Topic,
    parts_of: dict[str, PersonaParts],
    labels: dict[str, str],
    found_rules: RulesByPersona | None = None,
) -> TopicSynthesis:
    """Fold the rules, learnings and checklists of ``topic`` and find its disagreements.

    ``parts_of`` and ``labels`` map each persona path to its parts and display label.
    Each persona's rules are also recorded in ``found_rules``, when given, so that the
    index for agents lists them without reading the persona again.
    """
    rules: list[Entry] = []
    learnings: list[Entry] = []
    checklist: list[Entry] = []
    by_tech: dict[str, list[VersionClaim]] = {}
    anchors: dict[str, str] = {}
    for persona in topic.personas:
        parts, label = parts_of[persona.path], labels[persona.path]
        anchors.setdefault(label, parts.anchor)
        own = persona_rules(parts, label)
        if found_rules is not None:
            found_rules[(persona.path, persona.content_hash, parts.allow_html)] = tuple(own)
        rules.extend(own)
        checklist.extend(("", i.text, label, i.span) for i in checklist_items(parts))
        for section in parts.sections_with_role(SectionRole.LEARNINGS):
            items = parts.list_items(section, first_list_only=True)
            learnings.extend(("", i.text, label, i.span) for i in items)
        for labelled in parts.labelled_lists(SectionRole.LEARNINGS):
            learnings.extend(("", i.text, label, i.span) for i in labelled.items)
        for tech, (version, span) in _version_claims(parts).items():
            by_tech.setdefault(tech, []).append(VersionClaim(label, parts.anchor, version, span))
    folded, conflicts = fold_with_conflicts(rules)
    versions = {
        tech_name(tech): claims
        for tech, claims in by_tech.items()
        if len({c.persona for c in claims}) > 1
        and len({_major_minor(c.version) for c in claims}) > 1
    }
    return TopicSynthesis(
        rules=rank(folded),
        conflicts=conflicts,
        versions=dict(sorted(versions.items())),
        learnings=rank(fold_with_conflicts(learnings)[0]),
        checklist=rank(fold_with_conflicts(checklist)[0]),
        rules_before=len(rules),
        anchors=anchors,
    )
