"""Topic assignment: which ``kb/<topic>/`` folder each persona lands in, and why.

The order, first match wins (each answer carries its reason, see ``persona-kb topics``):

1. ``front-matter``: the persona's ``topic:`` (or ``kb: {topic: …}``);
2. ``rule``: the ``topics:`` rules of the configuration (topic → globs over the persona's
   name, id, display path or path relative to the source folder);
3. ``name-group`` / ``vocabulary`` in the **name**: the most specific subject the name
   gives. A technology of the vocabulary (see
   [`vocabulary`][persona_kb._internal.kb.vocabulary]: tools before platforms before
   languages, leftmost among equals), or a word the library itself shares as the leading
   word of several names (``tdd-red``, ``tdd-green``, ``tdd-refactor`` → ``tdd``);
   a leading shared word counts as specific as a tool;
4. ``vocabulary`` in the **title**, then a *domain* word (``security``, ``testing``…) in the
   name, then in the title, then the first technology of the persona's ``stack``;
5. ``folder``: the innermost source folder whose name means something: container folders
   (``agents``, ``rules``…), generic ones (``development``, ``core``…), vendored collections
   (a ``LICENSE`` inside, or ``owner__repo``), author handles (a name with digits, such as
   ``0xfurai``) and folders whose personas were already spread over several topics by their
   names are skipped; a folder naming a technology maps to it;
6. ``vocabulary`` in the **description**: its most specific technology;
7. ``content``: a persona whose name is close to another persona's name (rapidfuzz) joins
   that persona's topic;
8. ``own-name``: the persona's own slug.

Every topic slug is ``[a-z0-9-]+``: nothing a persona writes can escape the output folder.
"""

from __future__ import annotations

import hashlib
import os
import fnmatch
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath

from rapidfuzz import fuzz, process

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.model import Persona, Topic
from persona_kb._internal.kb.titles import display_title
from persona_kb._internal.kb.topic_rules import (
    TopicRules,
    first_rule,
    forget_real_paths,
    relative_to_source,
)
from persona_kb._internal.kb.topic_signals import (
    DOMAIN_VOCABULARY,
    best_match,
    first_known,
    is_domain_word,
    known_words,
    leading_subjects,
    learn_name_groups,
    slugify,
    subject_words,
    technology_vocabulary,
)
from persona_kb._internal.kb.vocabulary import DOMAINS, GENERIC_FOLDERS, TIERS

__all__ = [
    "CONTAINER_FOLDERS",
    "DOMAINS",
    "TECHNOLOGIES",
    "TopicChoice",
    "TopicRules",
    "assign_topic",
    "assign_topics",
    "explain_topics",
    "first_known",
    "folder_topic",
    "relative_to_source",
    "slugify",
    "topic_title",
]

TECHNOLOGIES: Mapping[str, tuple[str, tuple[str, ...]]] = {
    slug: entry for table in TIERS for slug, entry in table.items()
}
"""Every technology of the vocabulary: slug → (display title, aliases)."""
CONTAINER_FOLDERS = GENERIC_FOLDERS
_COLLECTION_MARKERS = ("license", "licence", "copying", "notice")
_HANDLE = re.compile(r"[a-z][0-9]|[0-9][a-z]")
_SPREAD_FOLDER = 4
"""A folder whose personas' names already gave this many topics is a collection."""
SIMILAR_NAMES = 85
"""rapidfuzz ``token_sort_ratio`` from which two personas' subject words are close."""


MAX_SLUG = 48
"""Longest topic slug: ``<SLUG>-COMPREHENSIVE-GUIDE.md`` stays far below the 255-byte
file-name limit, whatever folder the KB is exported to."""


def cap_slug(slug: str) -> str:
    """``slug`` cut to ``MAX_SLUG`` characters, with a hash of the whole so two long slugs
    sharing a beginning stay apart."""
    if len(slug) <= MAX_SLUG:
        return slug
    digest = hashlib.sha256(slug.encode("utf-8")).hexdigest()[:8]
    return slug[: MAX_SLUG - 9].rstrip("-") + "-" + digest


def topic_title(slug: str) -> str:
    """The display title of a topic slug: ``react-native`` → ``React Native``."""
    for table in (TECHNOLOGIES, DOMAINS):
        if slug in table:
            return table[slug][0]
    return display_title(" ".join(word.capitalize() for word in slug.split("-"))) or slug


@dataclass(frozen=True, slots=True)
class TopicChoice:
    """Where one persona landed and why."""

    slug: str
    reason: str
    """``front-matter``, ``rule``, ``vocabulary``, ``name-group``, ``folder``, ``content``
    or ``own-name``."""
    detail: str
    """What exactly decided, e.g. ``"'terraform' in the name"``."""


@dataclass
class _Library:
    """What the whole library teaches: shared leading name words, folder spreads."""

    groups: Mapping[str, int] = field(default_factory=dict)
    spread: Mapping[PurePosixPath, int] = field(default_factory=dict)


def _is_collection(folder: Path) -> bool:
    if "__" in folder.name:
        return True
    try:
        names = [p.name.lower() for p in folder.iterdir() if p.is_file()]
    except OSError:
        return False
    return any(n.startswith(_COLLECTION_MARKERS) for n in names)


def _folders(persona: Persona, rules: TopicRules) -> list[str]:
    relative = relative_to_source(persona, rules.source)
    if relative is None or relative.is_absolute() or ".." in relative.parts:
        return []
    return list(relative.parent.parts)


def folder_topic(
    persona: Persona, rules: TopicRules, spread: Mapping[PurePosixPath, int] | None = None
) -> str | None:
    """The topic a persona's source sub-folder names, or ``None`` (see the module docs)."""
    folders = _folders(persona, rules)
    vocabulary = technology_vocabulary(tuple(rules.vocabulary))
    for depth in range(len(folders), 0, -1):
        name = folders[depth - 1]
        bare = re.sub(r"^\d+[-_.]", "", name)
        slug = slugify(bare)
        if not slug or name.lower() in GENERIC_FOLDERS or slug == persona.id:
            continue
        known = best_match(bare, vocabulary)
        if known is not None:
            return known.slug
        if _HANDLE.search(bare.lower()) or not subject_words(bare):
            continue  # an author handle (`0xfurai`) or only generic words (`development`)
        if spread is not None and spread.get(PurePosixPath(*folders[:depth]), 0) >= _SPREAD_FOLDER:
            continue  # its personas are about many subjects: a collection, not a topic
        if _is_collection(rules.source.joinpath(*folders[:depth])):
            continue
        return slug
    return None


def _declared(persona: Persona, rules: TopicRules, diagnostics: list[Diagnostic]) -> TopicChoice | None:
    declared = persona.metadata.topic
    if declared:
        slug = slugify(declared)
        if slug != declared:
            diagnostics.append(
                Diagnostic(
                    "PKB500",
                    Severity.WARNING,
                    f"topic {declared!r} is not a safe slug; using {slug or persona.id!r}",
                    SourceSpan(persona.path, 1),
                    hint="write the topic as lower-case letters, digits and hyphens",
                )
            )
        if slug:
            return TopicChoice(slug, "front-matter", f"topic: {declared}")
    inside = relative_to_source(persona, rules.source)
    relative = inside.as_posix() if inside is not None else persona.path
    found = first_rule(rules.rules, (persona.name, persona.id, persona.path, relative))
    if found is None:
        return None
    topic, slug, globs = found
    return TopicChoice(slug, "rule", f"topics: {topic}: {', '.join(globs)}")


def naming_text(persona: Persona) -> str:
    """What a persona is called: its name, or its file's stem when the name is only generic
    words (many Cursor rules are titled ``# Persona`` or ``# Overview``)."""
    name = persona.name.strip()
    if name and subject_words(name):
        return name
    path = PurePosixPath(persona.path)
    stem = path.parent.name if path.name.lower() in ("skill.md", "system.md") else path.name
    for suffix in (".agent.md", ".chatmode.md", ".instructions.md", ".prompt.md", ".md", ".mdc"):
        if stem.lower().endswith(suffix):
            return stem[: -len(suffix)]
    return name or persona.id


def _from_words(persona: Persona, rules: TopicRules, library: _Library) -> TopicChoice | None:
    technologies = technology_vocabulary(tuple(rules.vocabulary))
    name = naming_text(persona)
    found = best_match(name, technologies)
    lead = next(
        (w for w in leading_subjects(name, known_words(technologies)) if w in library.groups),
        None,
    )
    if lead is not None:
        # A new word the library shares counts as specific as a tool, so it beats a
        # platform or a language later in the name (`pcf-react-…`), not a tool, nor an
        # alias the name starts with (`arch-linux-…` is Linux). A kind of work shared as
        # a leading word (`backend-go`, `backend-ruby`) gives way to any technology.
        generic = is_domain_word(lead.split()[0])
        if found is None or (
            not generic and found.tier > 0 and found.alias.split()[0] != lead.split()[0]
        ):
            return TopicChoice(
                slugify(lead),
                "name-group",
                f"'{lead}' leads the names of {library.groups[lead]} personas",
            )
    if found is not None:
        return TopicChoice(found.slug, "vocabulary", f"'{found.alias}' in the name")
    stack = " , ".join(persona.metadata.stack)
    for text, where, vocabulary, most in (
        (persona.title, "title", technologies, 9),
        (name, "name", DOMAIN_VOCABULARY, 0),
        (persona.title, "title", DOMAIN_VOCABULARY, 0),
        (stack, "stack", technologies, 9),
        (name, "name", DOMAIN_VOCABULARY, 9),  # roles: backend, frontend, mobile…
        (persona.title, "title", DOMAIN_VOCABULARY, 9),
    ):
        match = best_match(text, vocabulary) if text else None
        if match is not None and match.tier <= most:
            return TopicChoice(match.slug, "vocabulary", f"'{match.alias}' in the {where}")
    return None


def _from_description(persona: Persona, rules: TopicRules) -> TopicChoice | None:
    # The opening of the description: later sentences list everything the persona touches.
    text = persona.description[:240]
    match = best_match(text, technology_vocabulary(tuple(rules.vocabulary))) if text else None
    if match is None:
        return None
    return TopicChoice(match.slug, "vocabulary", f"'{match.alias}' in the description")


def assign_topic(persona: Persona, rules: TopicRules) -> tuple[str, list[Diagnostic]]:
    """The topic slug of one persona on its own (no library to learn from), with any
    diagnostic about an unsafe front-matter topic."""
    choices, diagnostics = _choose([persona], rules)
    return choices[0].slug, diagnostics


def _choose(
    personas: Sequence[Persona], rules: TopicRules
) -> tuple[list[TopicChoice], list[Diagnostic]]:
    forget_real_paths()
    try:
        return _choose_all(personas, rules)
    finally:
        forget_real_paths()


def _choose_all(
    personas: Sequence[Persona], rules: TopicRules
) -> tuple[list[TopicChoice], list[Diagnostic]]:
    diagnostics: list[Diagnostic] = []
    technologies = technology_vocabulary(tuple(rules.vocabulary))
    names = [naming_text(p) for p in personas]
    library = _Library(groups=learn_name_groups(names, technologies))
    choices: list[TopicChoice | None] = []
    for persona in personas:
        choice = _declared(persona, rules, diagnostics) or _from_words(persona, rules, library)
        choices.append(choice)
    # How many topics the names gave inside each folder: a folder of many subjects is a
    # collection (an author's, a "development" grab-bag), not a topic.
    seen: defaultdict[PurePosixPath, set[str]] = defaultdict(set)
    for persona, choice in zip(personas, choices, strict=True):
        folders = _folders(persona, rules)
        for depth in range(1, len(folders) + 1):
            seen[PurePosixPath(*folders[:depth])].add(choice.slug if choice else persona.id)
    library.spread = {folder: len(slugs) for folder, slugs in seen.items()}
    for index, persona in enumerate(personas):
        if choices[index] is None:
            folder = folder_topic(persona, rules, library.spread)
            if folder is not None:
                choices[index] = TopicChoice(folder, "folder", "the folder it sits in")
            else:
                choices[index] = _from_description(persona, rules)
    _by_similar_names(personas, choices)
    final = [
        choice or TopicChoice(slugify(persona.id) or "persona", "own-name", "nothing else matched")
        for persona, choice in zip(personas, choices, strict=True)
    ]
    for index, (persona, choice) in enumerate(zip(personas, final, strict=True)):
        capped = cap_slug(choice.slug)
        if capped != choice.slug:
            final[index] = TopicChoice(capped, choice.reason, choice.detail)
            diagnostics.append(
                Diagnostic(
                    "PKB500",
                    Severity.WARNING,
                    f"topic slug is {len(choice.slug)} characters; shortened to {capped!r} so "
                    "every page path fits the filesystem",
                    SourceSpan(persona.path, 1),
                    hint=f"use a topic name of at most {MAX_SLUG} characters",
                )
            )
    return final, diagnostics


def _by_similar_names(personas: Sequence[Persona], choices: list[TopicChoice | None]) -> None:
    """Personas still without a topic join the persona whose subject words are closest."""
    subjects = [" ".join(subject_words(naming_text(p))) for p in personas]
    pending = [i for i, c in enumerate(choices) if c is None and subjects[i]]
    if not pending:
        return
    for index in pending:
        others = {j: subjects[j] for j in range(len(personas)) if j != index and subjects[j]}
        best = process.extractOne(
            subjects[index], others, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR_NAMES
        )
        if best is None:
            continue
        _, score, other = best
        target = choices[other]
        slug = target.slug if target is not None else slugify(personas[other].id)
        choices[index] = TopicChoice(
            slug, "content", f"its name is like {personas[other].name!r} ({score:.0f}%)"
        )
        if target is None:
            choices[other] = TopicChoice(
                slug, "content", f"its name is like {personas[index].name!r} ({score:.0f}%)"
            )


def explain_topics(
    personas: Sequence[Persona], rules: TopicRules
) -> tuple[tuple[Topic, ...], dict[str, TopicChoice], tuple[Diagnostic, ...]]:
    """The topics, each persona's [`TopicChoice`][] by path, and the diagnostics."""
    choices, diagnostics = _choose(personas, rules)
    groups: dict[str, list[Persona]] = {}
    for persona, choice in zip(personas, choices, strict=True):
        groups.setdefault(choice.slug, []).append(persona)
    topics = tuple(
        Topic(
            slug=slug,
            title=topic_title(slug),
            personas=tuple(sorted(members, key=lambda p: (p.title.lower(), p.path))),
        )
        for slug, members in sorted(groups.items())
    )
    reasons = {p.path: c for p, c in zip(personas, choices, strict=True)}
    return topics, reasons, tuple(diagnostics)


def assign_topics(
    personas: Sequence[Persona], rules: TopicRules
) -> tuple[tuple[Topic, ...], tuple[Diagnostic, ...]]:
    """Group personas into topics (sorted by slug; personas by title, then path)."""
    topics, _, diagnostics = explain_topics(personas, rules)
    return topics, diagnostics
