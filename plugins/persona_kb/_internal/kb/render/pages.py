"""Render a topic's four pages and the KB index."""

from __future__ import annotations

from collections.abc import Sequence

from persona_kb._internal.core.wording import plural
from persona_kb._internal.core.model import KBPage, PageKind, Topic
from persona_kb._internal.kb.render.guide_page import render_guide
from persona_kb._internal.kb.render.patterns_page import render_patterns
from persona_kb._internal.kb.render.frame import RenderContext, persona_label, render_page
from persona_kb._internal.kb.render.naming import AnchorSet, page_filename
from persona_kb._internal.kb.render.quick_reference import render_quick_reference
from persona_kb._internal.kb.render.readme_page import render_readme, topic_summary
from persona_kb._internal.kb.render.persona_parts import one_line
from persona_kb._internal.kb.render.sourcemap import FragmentTable


def render_topic(topic: Topic, ctx: RenderContext) -> tuple[KBPage, ...]:
    """The four pages of ``topic``: README, quick reference, guide, specific patterns."""
    return (
        render_readme(topic, ctx),
        render_quick_reference(topic, ctx),
        render_guide(topic, ctx),
        render_patterns(topic, ctx),
    )


def render_index(topics: Sequence[Topic], ctx: RenderContext) -> KBPage:
    """``kb/README.md``: every topic with its persona count and summary, personas A to Z."""
    rows = []
    entries = []
    for topic in topics:
        rows.append(
            {
                "title": one_line(topic.title),
                "link": f"{topic.slug}/{page_filename(topic.slug, PageKind.README)}",
                "count": len(topic.personas),
                "summary": one_line(ctx.parts(topic.personas[0]).clean(topic_summary(topic))),
            }
        )
        for persona in topic.personas:
            parts = ctx.parts(persona)
            entries.append(
                {
                    "name": one_line(persona_label(persona)).replace("[", "(").replace("]", ")"),
                    "link": f"{topic.slug}/README.md#{parts.anchor}",
                    "topic": one_line(topic.title),
                    "role": parts.role_text if parts.role_text != "—" else "",
                    "sort": persona_label(persona).lower(),
                }
            )
    entries.sort(key=lambda e: (str(e["sort"]), str(e["link"])))
    anchors = AnchorSet()
    groups: list[dict[str, object]] = []
    for entry in entries:
        first = str(entry["sort"])[:1].upper()
        letter = first if first.isalpha() and first.isascii() else "#"
        if not groups or groups[-1]["letter"] != letter:
            anchor = anchors.make("other" if letter == "#" else letter, "letter-")
            groups.append({"letter": letter, "anchor": anchor, "personas": []})
        personas = groups[-1]["personas"]
        assert isinstance(personas, list)
        personas.append(entry)
    all_personas = [p for t in topics for p in t.personas]
    return render_page(
        ctx,
        template="index.md.j2",
        kind=PageKind.INDEX,
        topic=None,
        title="Knowledge base",
        description=f"Index of the knowledge base: {plural(len(topics), 'topic')}, "
        f"{plural(len(all_personas), 'persona')}.",
        personas=all_personas,
        table=FragmentTable(),
        index_tags=[t.title for t in topics],
        body={"topics": rows, "az": groups, "persona_count": len(all_personas)},
    )
