"""What every generated page shares: front matter, marker, title and the generated note."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import jinja2

from persona_kb._internal.core.diagnostics import Diagnostic
from persona_kb._internal.core.model import KBPage, PageKind, Persona, Topic
from persona_kb._internal.kb.render.environment import render_template
from persona_kb._internal.kb.render.html_allowlist import escape_meta_text, escape_title
from persona_kb._internal.kb.render.naming import GENERATED_MARKER, page_path
from persona_kb._internal.kb.render.parse_cache import ParseCache
from persona_kb._internal.kb.render.persona_links import PersonaLinks
from persona_kb._internal.kb.render.persona_parts import PersonaParts
from persona_kb._internal.kb.render.sourcemap import FragmentTable
from persona_kb._internal.kb.render.synthesis import RulesByPersona, TopicSynthesis, synthesise
from persona_kb._internal.kb.render.tags import page_tags
from persona_kb._internal.kb.titles import display_title
from persona_kb._internal.kb.topics import slugify, topic_title


@dataclass
class RenderContext:
    """Options and shared state for rendering one knowledge base."""

    env: jinja2.Environment
    output: str = "kb"
    allow_html: bool = False
    source_url: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    parse_cache: ParseCache | None = None
    """Parsed persona texts shared with earlier builds (see ``KBCache``)."""
    links: PersonaLinks | None = None
    """Where every persona lives, for links between personas (``None``: left as written)."""
    topic: str = ""
    """The slug of the topic being rendered."""
    found_rules: RulesByPersona | None = None
    """Where each rendered persona's rules are recorded (see ``KnowledgeBase.rules``)."""
    _parts: dict[tuple[str, str], PersonaParts] = field(default_factory=dict)
    _synthesis: dict[str, TopicSynthesis] = field(default_factory=dict)

    def synthesis(self, topic: Topic) -> TopicSynthesis:
        """The topic's folded rules and disagreements (computed once per topic)."""
        found = self._synthesis.get(topic.slug)
        if found is None:
            parts = {p.path: self.parts(p) for p in topic.personas}
            labels = {p.path: persona_label(p) for p in topic.personas}
            found = self._synthesis[topic.slug] = synthesise(
                topic, parts, labels, self.found_rules
            )
        return found

    def parts(self, persona: Persona) -> PersonaParts:
        """Rendering helpers for ``persona`` (its diagnostics flow into this context)."""
        key = (persona.path, persona.content_hash)
        found = self._parts.get(key)
        if found is None:
            tokens = (
                self.parse_cache.for_persona(persona.content_hash)
                if self.parse_cache is not None
                else {}
            )
            found = self._parts[key] = PersonaParts(
                persona,
                self.allow_html,
                self.diagnostics,
                _token_cache=tokens,
                links=self.links,
                topic=self.topic,
            )
        return found

    def source_link(self, path: str) -> str:
        """A Markdown link to a persona file, or the path as code when no URL is set."""
        code = "`" + path.replace("`", "'") + "`"
        if not self.source_url:
            return code
        base = self.source_url if self.source_url.endswith("/") else self.source_url + "/"
        return f"[{code}]({base}{path.lstrip('./')})"

    def source_line_link(self, path: str, line: int) -> str:
        """A link to line ``line`` of a persona file (``path:line`` as code without a URL)."""
        code = "`" + f"{path}:{line}".replace("`", "'") + "`"
        if not self.source_url:
            return code
        base = self.source_url if self.source_url.endswith("/") else self.source_url + "/"
        return f"[{code}]({base}{path.lstrip('./')}#L{line})"


_LISTED_SOURCES = 12
_LISTED_IN_FRONT_MATTER = 12


def front_matter(title: str, description: str, sources: Sequence[str], tags: Sequence[str]) -> str:
    """The YAML between the ``---`` lines.

    At most twelve persona sources are listed (then ``persona_source_count`` says how
    many there are), so a page's length does not grow with its topic's size.

    Every scalar is written as a JSON string, which is also a valid YAML double-quoted
    scalar: any text is safe, and it is much faster than ``yaml.safe_dump``. The title,
    description and tags are HTML-escaped: themes print them unescaped (Material's
    ``<title>``, ``<meta name="description">`` and tag chips).
    """

    def scalar(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)

    listed = sources[:_LISTED_IN_FRONT_MATTER]
    lines = [
        f"title: {scalar(escape_title(title))}",
        f"description: {scalar(escape_meta_text(' '.join(description.split())))}",
        "persona_sources:" if listed else "persona_sources: []",
        *(f"  - {scalar(s)}" for s in listed),
        *([f"persona_source_count: {len(sources)}"] if len(sources) > len(listed) else []),
        "tags:" if tags else "tags: []",
        *(f"  - {scalar(escape_meta_text(t))}" for t in tags),
    ]
    return "\n".join(lines)


def render_page(
    ctx: RenderContext,
    *,
    template: str,
    kind: PageKind,
    topic: str | None,
    title: str,
    description: str,
    personas: Sequence[Persona],
    table: FragmentTable,
    body: dict[str, object],
    index_tags: Sequence[str] = (),
) -> KBPage:
    """Render one page through its template and wrap it in a [`KBPage`][persona_kb.KBPage]."""
    sources = tuple(dict.fromkeys(p.path for p in personas))
    if topic:
        tags = page_tags(personas, [topic_title(topic)])
    else:
        tags = page_tags(personas, index_tags, with_terms=False)
    links = [ctx.source_link(s) for s in sources]
    if len(links) > _LISTED_SOURCES:
        sources_text = f"{len(links)} persona files (listed in the front matter)"
    elif len(links) > 1:
        sources_text = ", ".join(links[:-1]) + " and " + links[-1]
    else:
        sources_text = links[0] if links else "no persona files"
    context: dict[str, object] = {
        "front_matter": table.text(front_matter(title, description, sources, tags)),
        "marker": GENERATED_MARKER,
        "title": title,
        "sources_text": sources_text,
        "source_count": len(sources),
        "kind": str(kind),
        **body,
    }
    markdown, source_map = render_template(ctx.env, template, context, table)
    return KBPage(
        path=page_path(ctx.output, topic, kind),
        title=title,
        markdown=markdown,
        source_map=source_map,
        kind=kind,
        topic=topic,
        sources=sources,
    )


def persona_label(persona: Persona) -> str:
    """The persona's display name: its title, else its name."""
    text = display_title(" ".join((persona.title or persona.name or persona.id).split()))
    # The label sits in table cells, link texts and `{#id}` headings: keep it inert there
    # (a `<` is shown as written, never read as HTML).
    return text.translate(_LABEL_TABLE)


_LABEL_TABLE = str.maketrans(
    {"|": "/", "[": "(", "]": ")", "{": "(", "}": ")", "`": "'", "<": "&lt;"}
)


def topic_anchor(slug: str) -> str:
    """The anchor id of a topic on the index page."""
    return f"topic-{slugify(slug)}"
