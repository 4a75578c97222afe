"""Topic assignment: which ``kb/<topic>/`` folder each persona lands in.

The order, first match wins:

1. the persona's front matter ``topic:`` (or ``kb: {topic: …}``), read by ingestion into
   [`Metadata.topic`][persona_kb.Metadata];
2. the ``topics:`` rules of the configuration (topic → globs over the persona's name,
   id, display path or path relative to the source folder);
3. automatic: the first known technology named in the persona's ``name``, then in its
   ``title`` (position in the text decides; at one position the longest alias wins, so
   ``react-native`` beats ``react``), then a known *domain* word (``security``,
   ``database``, …) in the name or title, then the first known technology of its stack;
4. the source sub-folder, innermost first: container folders (``agents``, ``rules``, …),
   vendored collections (a folder holding a ``LICENSE``/``COPYING``/``NOTICE`` file or
   named ``owner__repo``) and the persona's own folder (Fabric's ``<name>/system.md``) are
   skipped; a folder naming a known technology maps to it (``python-development`` →
   ``python``);
5. the persona's own slug.

Every topic slug is ``[a-z0-9-]+``: nothing a persona writes can escape the output folder.
"""

from __future__ import annotations

import hashlib
import fnmatch
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.model import Persona, Topic

# Technology topics: slug → (display title, aliases). Frameworks map to their language or
# platform so that, for example, a Django persona joins the python topic.
TECHNOLOGIES: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "python": ("Python", ("python", "django", "fastapi", "flask", "pydantic", "pytest")),
    "typescript": ("TypeScript", ("typescript",)),
    "javascript": ("JavaScript", ("javascript", "ecmascript")),
    "react-native": ("React Native", ("react-native", "react native", "expo")),
    "react": ("React", ("react", "reactjs", "react.js", "next.js", "nextjs")),
    "vue": ("Vue", ("vue", "vuejs", "vue.js", "nuxt", "nuxt.js")),
    "svelte": ("Svelte", ("svelte", "sveltekit")),
    "angular": ("Angular", ("angular", "angularjs")),
    "node": ("Node.js", ("node", "nodejs", "node.js", "express", "nestjs", "fastify")),
    "go": ("Go", ("go", "golang")),
    "rust": ("Rust", ("rust",)),
    "java": ("Java", ("java", "spring", "spring boot")),
    "kotlin": ("Kotlin", ("kotlin", "jetpack compose")),
    "swift": ("Swift", ("swift", "swiftui")),
    "flutter": ("Flutter", ("flutter", "dart")),
    "csharp": ("C#", ("csharp", "c#", ".net", "dotnet", "asp.net")),
    "ruby": ("Ruby", ("ruby", "rails", "ruby on rails")),
    "php": ("PHP", ("php", "laravel", "symfony")),
    "elixir": ("Elixir", ("elixir", "phoenix")),
    "scala": ("Scala", ("scala",)),
    "cpp": ("C++", ("c++", "cpp")),
}

# Domain words, tried after technologies in the name and title, before the stack. They
# keep "Security Engineer" or "Database Specialist" out of a one-persona topic of their own.
DOMAINS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "api": ("API design", ("api", "apis", "rest api", "graphql", "openapi")),
    "database": ("Databases", ("database", "databases", "sql", "postgresql", "postgres")),
    "infrastructure": ("Infrastructure", ("infrastructure", "devops", "kubernetes", "docker")),
    "security": ("Security", ("security", "appsec", "devsecops")),
    "performance": ("Performance", ("performance",)),
    "testing": ("Testing", ("testing", "qa", "quality assurance", "test automation")),
}

# Folder names that hold personas without saying anything about their subject.
CONTAINER_FOLDERS = frozenset(
    {
        "agents",
        "subagents",
        "personas",
        "persona",
        "prompts",
        "rules",
        "patterns",
        "skills",
        "plugins",
        "categories",
        "data",
        "chatmodes",
        "instructions",
        "commands",
        "vendor",
        "vendored",
        "third-party",
        "third_party",
        "external",
        ".claude",
        ".cursor",
        ".github",
        "src",
        "docs",
    }
)
_COLLECTION_MARKERS = ("license", "licence", "copying", "notice")

_SLUG_RE = re.compile(r"[^a-z0-9]+")
_DOMAIN_VOCABULARY = tuple((a, s) for s, (_, aliases) in DOMAINS.items() for a in aliases)


def slugify(text: str) -> str:
    """A safe slug ``[a-z0-9-]``: accents folded, every other run of characters → ``-``.

    ``"../../etc"`` → ``"etc"``; ``"C# / .NET"`` → ``"c-net"``; ``""`` stays ``""``.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _SLUG_RE.sub("-", folded.lower()).strip("-")


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
    return " ".join(word.capitalize() for word in slug.split("-")) or slug


@dataclass(frozen=True, slots=True)
class TopicRules:
    """Everything topic assignment depends on besides the personas."""

    source: Path
    rules: Mapping[str, Sequence[str]]
    vocabulary: Sequence[str] = ()


def _normalise(text: str) -> str:
    # Hyphens, underscores and slashes separate words in names and paths.
    return re.sub(r"[\s_/\-]+", " ", text.lower())


@cache
def _vocabulary_pattern(
    vocabulary: tuple[tuple[str, str], ...],
) -> tuple[re.Pattern[str], dict[str, str]]:
    # One alternation, longest alias first: the leftmost match wins and, at one position,
    # the longest alias (`react native` before `react`). Trailing digits are allowed
    # (`rails8`, `svelte5`), letters are not (`gopher` is not `go`).
    slugs: dict[str, str] = {}
    for alias, slug in vocabulary:
        slugs.setdefault(_normalise(alias), slug)
    ordered = sorted(slugs, key=lambda a: (-len(a), a))
    body = "|".join(re.escape(a) for a in ordered) or "(?!)"
    return re.compile(rf"(?<![a-z0-9])({body})(?![a-z])"), slugs


@cache
def _vocabulary(extra: tuple[str, ...], include_domains: bool) -> tuple[tuple[str, str], ...]:
    pairs = [(alias, slug) for slug, (_, aliases) in TECHNOLOGIES.items() for alias in aliases]
    for word in extra:
        slug = slugify(word)
        if slug:
            pairs.append((word, slug))
    if include_domains:
        pairs.extend((alias, slug) for slug, (_, aliases) in DOMAINS.items() for alias in aliases)
    return tuple(pairs)


def first_known(text: str, vocabulary: Iterable[tuple[str, str]]) -> str | None:
    """The slug of the vocabulary alias appearing first in ``text`` (longest alias on ties)."""
    pattern, slugs = _vocabulary_pattern(tuple(vocabulary))
    match = pattern.search(_normalise(text))
    return slugs[match.group(1)] if match else None


def _matches_rule(persona: Persona, relative: str, globs: Sequence[str]) -> bool:
    candidates = (persona.name, persona.id, persona.path, relative)
    return any(fnmatch.fnmatchcase(c, g) for g in globs for c in candidates)


def relative_to_source(persona: Persona, source: Path) -> PurePosixPath | None:
    """The persona's path relative to the source folder (``None`` if outside it)."""
    path = Path(persona.path)
    try:
        return PurePosixPath(path.resolve().relative_to(source.resolve()).as_posix())
    except (ValueError, OSError):
        return None


def _is_collection(folder: Path) -> bool:
    if "__" in folder.name:
        return True
    try:
        names = [p.name.lower() for p in folder.iterdir() if p.is_file()]
    except OSError:
        return False
    return any(n.startswith(_COLLECTION_MARKERS) for n in names)


def folder_topic(persona: Persona, rules: TopicRules) -> str | None:
    """Step 4: the topic a persona's source sub-folder names, or ``None``."""
    relative = relative_to_source(persona, rules.source)
    if relative is None or relative.is_absolute() or ".." in relative.parts:
        return None
    folders = list(relative.parent.parts)
    vocabulary = _vocabulary(tuple(rules.vocabulary), include_domains=True)
    for depth in range(len(folders), 0, -1):
        name = folders[depth - 1]
        slug = slugify(re.sub(r"^\d+[-_.]", "", name))
        if not slug or name.lower() in CONTAINER_FOLDERS or slug == persona.id:
            continue
        if _is_collection(rules.source.joinpath(*folders[:depth])):
            continue
        return first_known(name, vocabulary) or slug
    return None


def assign_topic(persona: Persona, rules: TopicRules) -> tuple[str, list[Diagnostic]]:
    """The topic slug of one persona, with any diagnostic about an unsafe front-matter topic."""
    diagnostics: list[Diagnostic] = []
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
            return slug, diagnostics
    inside = relative_to_source(persona, rules.source)
    relative = inside.as_posix() if inside is not None else persona.path
    for topic, globs in rules.rules.items():
        if _matches_rule(persona, relative, globs):
            slug = slugify(topic)
            if slug:
                return slug, diagnostics
    technologies = _vocabulary(tuple(rules.vocabulary), include_domains=False)
    domains = _DOMAIN_VOCABULARY
    for text, vocabulary in (
        (persona.name, technologies),
        (persona.title, technologies),
        (persona.name, domains),
        (persona.title, domains),
        (" , ".join(persona.metadata.stack), technologies),
    ):
        found = first_known(text, vocabulary) if text else None
        if found:
            return found, diagnostics
    return folder_topic(persona, rules) or slugify(persona.id) or "persona", diagnostics


def assign_topics(
    personas: Sequence[Persona], rules: TopicRules
) -> tuple[tuple[Topic, ...], tuple[Diagnostic, ...]]:
    """Group personas into topics (sorted by slug; personas by title, then path)."""
    groups: dict[str, list[Persona]] = {}
    diagnostics: list[Diagnostic] = []
    for persona in personas:
        slug, found = assign_topic(persona, rules)
        diagnostics.extend(found)
        capped = cap_slug(slug)
        if capped != slug:
            diagnostics.append(
                Diagnostic(
                    "PKB500",
                    Severity.WARNING,
                    f"topic slug is {len(slug)} characters; shortened to {capped!r} so "
                    "every page path fits the filesystem",
                    SourceSpan(persona.path, 1),
                    hint=f"use a topic name of at most {MAX_SLUG} characters",
                )
            )
        groups.setdefault(capped, []).append(persona)
    topics = tuple(
        Topic(
            slug=slug,
            title=topic_title(slug),
            personas=tuple(sorted(members, key=lambda p: (p.title.lower(), p.path))),
        )
        for slug, members in sorted(groups.items())
    )
    return topics, tuple(diagnostics)
