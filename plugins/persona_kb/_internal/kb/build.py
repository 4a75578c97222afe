"""The knowledge-base build API: personas in, topics and pages (with source maps) out.

```python
kb = build_knowledge_base(KBOptions(source=Path("kb")))
for page in kb.pages:  # 4 per topic + the index, paths relative to the docs root
    print(page.path, len(page.markdown))
```

Adapters (the MkDocs plugin, ``persona-kb export``) call only this module. Nothing here
imports MkDocs and nothing writes into the docs folder.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from persona_kb._internal.core.code_policy import CodePolicy
from persona_kb._internal.core.gc_pause import paused_gc
from persona_kb._internal.core.diagnostics import (
    Diagnostic,
    PersonaKBError,
    Severity,
    SourceSpan,
    sort_diagnostics,
)
from persona_kb._internal.core.model import IngestResult, KBPage, PersonaFormat, Topic
from persona_kb._internal.core.paths import display_path
from persona_kb._internal.ingest import PersonaCache, ingest
from persona_kb._internal.ingest.directives import DirectiveMemo, apply_code_policy
from persona_kb._internal.kb.cache import DiskPersonaCache, RenderCache, code_fingerprint
from persona_kb._internal.kb.cache_store import CacheStore
from persona_kb._internal.kb.options import KBOptions
from persona_kb._internal.kb.manifest import cached_pages, manifest_key, save_manifest
from persona_kb._internal.kb.render.environment import make_environment, template_fingerprint
from persona_kb._internal.kb.render.frame import RenderContext
from persona_kb._internal.kb.render.naming import (
    GENERATED_MARKER,
    MARKDOWN_EXTENSIONS,
    is_generated,
    page_filename,
    validate_output,
)
from persona_kb._internal.kb.render.pages import render_index, render_topic
from persona_kb._internal.kb.render.parse_cache import ParseCache
from persona_kb._internal.kb.render.persona_links import PersonaLinks
from persona_kb._internal.kb.render.synthesis import Entry as RuleEntry
from persona_kb._internal.kb.render.synthesis import RulesByPersona
from persona_kb._internal.kb.topics import TopicRules, assign_topics

__all__ = [
    "DEFAULT_CACHE_DIR",
    "GENERATED_MARKER",
    "MARKDOWN_EXTENSIONS",
    "KBCache",
    "KBOptions",
    "KnowledgeBase",
    "build_knowledge_base",
    "is_generated",
    "knowledge_base_pages",
    "page_filename",
    "project_cache",
]

# Bump when the rendered output changes for the same input, so on-disk caches refresh.
RENDER_VERSION = "3"


@dataclass(frozen=True)
class KnowledgeBase:
    """The built knowledge base."""

    pages: tuple[KBPage, ...]
    """Four pages per topic, in topic order, then the index ``{output}/README.md``."""
    topics: tuple[Topic, ...]
    ingest: IngestResult
    diagnostics: tuple[Diagnostic, ...]
    """Ingestion, topic and rendering diagnostics, sorted by file and line."""
    rules: Mapping[tuple[str, str, bool], tuple[RuleEntry, ...]] = field(default_factory=dict)
    """(persona path, content hash, HTML allowed) → the persona's rules, for the personas this build
    rendered (not those whose topic came from the cache); the index for agents reads
    the others again."""


class KBCache:
    """Reuse work between builds of one long-running process (``mkdocs serve``).

    Personas are cached by the SHA-256 of their bytes (a
    [`PersonaCache`][persona_kb._internal.ingest.PersonaCache]); a topic's four pages are
    cached under a key made of the content hashes of its personas and the options, so
    editing one persona re-renders only its topic. With ``directory`` (keep it outside
    ``docs_dir``), read personas and rendered topics are also stored there, in one
    SQLite file whose entries are checked against their hashes, and survive restarts:
    a fresh build then parses and renders only what changed.
    """

    def __init__(self, directory: Path | None = None) -> None:
        self.store = CacheStore(directory) if directory is not None else None
        self.personas: PersonaCache = (
            DiskPersonaCache(self.store) if self.store is not None else PersonaCache()
        )
        self.rendered = RenderCache(self.store)
        self.parsed = ParseCache()
        """Parsed persona texts of the personas rendered last (memory only)."""
        self.directives = DirectiveMemo()
        """The personas' ``persona-kb:`` comments (memory only)."""

    @property
    def hits(self) -> int:
        """Topics served from the cache since it was created."""
        return self.rendered.hits

    @property
    def misses(self) -> int:
        """Topics rendered since the cache was created."""
        return self.rendered.misses


DEFAULT_CACHE_DIR = Path(".cache") / "persona-kb"
"""Where a project's on-disk cache lives, relative to ``mkdocs.yml``, unless the plugin's
``cache_dir`` option says otherwise."""


def project_cache(
    config_dir: Path, *, enabled: object = True, cache_dir: object = None
) -> KBCache | None:
    """The on-disk cache the MkDocs plugin keeps for the project whose ``mkdocs.yml`` is in
    ``config_dir``, given the plugin's ``cache`` and ``cache_dir`` options as written.

    The checkers (``links``, ``examples``, ``check``) build through it, so after a
    ``mkdocs build`` they parse and render nothing again. ``None`` when ``cache: false``.
    """
    if enabled is False:
        return None
    base = config_dir / str(cache_dir) if cache_dir else config_dir / DEFAULT_CACHE_DIR
    return KBCache(base / "kb")


def _options_key(options: KBOptions, output: str) -> list[str]:
    return [
        RENDER_VERSION,
        code_fingerprint(),
        output,
        str(options.allow_html),
        options.source_url or "",
        str(options.templates or ""),
        template_fingerprint(options.templates),
    ]


def _manifest_key(options: KBOptions, output: str) -> str:
    rules = [
        display_path(options.source),
        json.dumps({k: list(v) for k, v in sorted(options.topics.items())}),
        json.dumps(list(options.vocabulary)),
        str(options.persona_format or ""),
    ]
    return manifest_key([*_options_key(options, output), *rules])


def knowledge_base_pages(options: KBOptions, *, cache: KBCache | None) -> tuple[KBPage, ...]:
    """The pages [`build_knowledge_base`][persona_kb._internal.kb.build.build_knowledge_base]
    makes, taken straight from an on-disk cache when the persona files are the ones the
    last build with these options read (no persona decoded, nothing rendered), else built.

    For checkers that need only the pages and their source maps (``persona-kb links``).
    """
    if cache is not None and cache.store is not None:
        output = validate_output(options.output)
        key = _manifest_key(options, output)
        pages = cached_pages(cache.store, cache.rendered, key, options.source)
        if pages is not None:
            return pages
    return build_knowledge_base(options, cache=cache).pages


def _topic_key(topic: Topic, options: KBOptions, output: str, links: PersonaLinks) -> str:
    digest = hashlib.sha256()
    parts = [*_options_key(options, output), topic.slug, topic.title]
    for persona in topic.personas:
        parts.extend((persona.path, persona.id, persona.content_hash, str(persona.format)))
        # Links to other personas point at where those live now: a move re-renders.
        for target in links.targets(persona):
            where, linked = links.locations[target]
            parts.extend((target, where, linked.id, linked.content_hash))
    digest.update(json.dumps(parts).encode())
    return digest.hexdigest()


def build_knowledge_base(
    options: KBOptions, *, cache: KBCache | None = None, keep_from: KnowledgeBase | None = None
) -> KnowledgeBase:
    """Read the personas under ``options.source`` and render every page.

    Never raises for bad persona content (it becomes diagnostics, and one broken persona
    never stops the rest). Raises [`PersonaKBError`][persona_kb.PersonaKBError] for
    configuration errors: an unsafe ``output``, a missing ``source`` or ``templates``
    folder, or a user template that does not render. ``keep_from`` (``mkdocs serve``'s
    last build): a persona file that now has an error keeps its pages as that build read
    it, beside the error (``KnowledgeBase.ingest.kept`` names it).
    """
    with paused_gc():  # millions of short-lived tokens, no cycles: see gc_pause
        return _build(options, cache, keep_from)


def _build(
    options: KBOptions, cache: KBCache | None, keep_from: KnowledgeBase | None = None
) -> KnowledgeBase:
    output = validate_output(options.output)
    if not options.source.exists():
        raise PersonaKBError(
            f"persona source folder {options.source.as_posix()} does not exist; create it "
            "or set the plugin's 'source' option"
        )
    env = make_environment(options.templates)
    result = ingest(
        [options.source],
        persona_format=options.persona_format,
        cache=cache.personas if cache is not None else None,
        keep={p.path: p for p in keep_from.ingest.personas} if keep_from is not None else None,
    )
    rules = TopicRules(options.source, options.topics, tuple(options.vocabulary))
    topics, topic_diagnostics = assign_topics(result.personas, rules)
    pages: list[KBPage] = []
    render_diagnostics: list[Diagnostic] = []
    live: list[str] = []
    rendered_topics: list[Topic] = []
    links = PersonaLinks.of((t.slug, t.personas) for t in topics)
    found_rules: RulesByPersona = {}
    for topic in topics:
        key = _topic_key(topic, options, output, links)
        live.append(key)
        cached = cache.rendered.get(key) if cache is not None else None
        if cached is None:
            ctx = RenderContext(
                env,
                output,
                options.allow_html,
                options.source_url,
                parse_cache=cache.parsed if cache is not None else None,
                links=links,
                topic=topic.slug,
                found_rules=found_rules,
            )
            try:
                rendered = render_topic(topic, ctx)
            except PersonaKBError:
                raise  # a user template error: configuration, reported as such
            except Exception as exc:  # one topic's bug must not sink the KB
                render_diagnostics.append(_render_crash(topic, exc))
                continue
            cached = (rendered, tuple(ctx.diagnostics))
            if cache is not None:
                cache.rendered.put(key, *cached)
        pages.extend(cached[0])
        render_diagnostics.extend(cached[1])
        rendered_topics.append(topic)
    index_ctx = RenderContext(env, output, options.allow_html, options.source_url)
    index = render_index(rendered_topics, index_ctx)
    pages.append(index)
    cache_diagnostics: list[Diagnostic] = []
    if cache is not None:
        cache.rendered.retain(live)
        # Only a complete build is a manifest: a topic that crashed has no entry, and a
        # persona kept as it was is not what its file holds now.
        if (
            cache.store is not None
            and isinstance(cache.personas, DiskPersonaCache)
            and len(rendered_topics) == len(topics)
            and not result.kept
        ):
            files = [(path, digest) for path, digest, _format in cache.personas.live]
            save_manifest(cache.store, _manifest_key(options, output), files, live, index)
        if cache.store is not None:
            cache.store.flush()
            # Told once per cache, not on every `serve` rebuild.
            cache_diagnostics, cache.store.diagnostics = cache.store.diagnostics, []
    found = [*result.diagnostics, *topic_diagnostics, *_unique(render_diagnostics)]
    found.extend(cache_diagnostics)
    roots = [options.source]
    directives = None
    if cache is not None:
        hashes = {persona.path: persona.content_hash for persona in result.personas}
        directives = cache.directives.files(roots, hashes)
    diagnostics = sort_diagnostics(
        apply_code_policy(found, options.codes, roots=roots, files=directives)
    )
    return KnowledgeBase(
        pages=tuple(pages),
        topics=topics,
        ingest=result,
        diagnostics=tuple(diagnostics),
        rules=found_rules,
    )


def _render_crash(topic: Topic, exc: Exception) -> Diagnostic:
    return Diagnostic(
        "PKB599",
        Severity.ERROR,
        f"topic {topic.slug!r} could not be rendered ({type(exc).__name__}: {exc}); "
        "its pages are left out",
        SourceSpan(topic.personas[0].path, 1),
        hint="this is a persona-kb bug: please report it with this persona file",
        related=tuple(SourceSpan(p.path, 1) for p in topic.personas[1:]),
    )


def _unique(diagnostics: Sequence[Diagnostic]) -> list[Diagnostic]:
    # A persona's sanitiser warnings are found once per page that shows the content.
    return list(dict.fromkeys(diagnostics))
