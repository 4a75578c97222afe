"""The topic's ``README.md``: what the topic is about, its personas, and where to read on."""

from __future__ import annotations

from collections.abc import Sequence

from persona_kb._internal.core.model import KBPage, PageKind, SectionRole, Topic
from persona_kb._internal.kb.render.applies import applies_to
from persona_kb._internal.kb.render.frame import RenderContext, persona_label, render_page
from persona_kb._internal.kb.render.naming import page_filename
from persona_kb._internal.kb.render.persona_parts import one_line
from persona_kb._internal.kb.render.sourcemap import FragmentTable
from persona_kb._internal.kb.render.tags import page_tags

_NAMED = 4


def summary_sentence(text: str, limit: int = 160) -> str:
    """The first sentence of ``text`` on one line, cut at ``limit`` characters."""
    flat = " ".join(text.split())
    end = flat.find(". ")
    sentence = flat if end < 0 else flat[: end + 1]
    if len(sentence) > limit:
        sentence = sentence[: limit - 1].rsplit(" ", 1)[0] + "…"
    return sentence


def _names(labels: Sequence[str]) -> str:
    shown = list(labels[:_NAMED])
    if len(labels) > _NAMED:
        return ", ".join(shown) + f" and {len(labels) - _NAMED} more"
    if len(shown) > 1:
        return ", ".join(shown[:-1]) + " and " + shown[-1]
    return "".join(shown)


def topic_summary(topic: Topic) -> str:
    """One sentence written from all of the topic's personas: how many, what they cover
    (the terms most of them name) and who they are. A one-persona topic says what its
    persona's description says."""
    labels = list(dict.fromkeys(persona_label(p) for p in topic.personas))
    if len(topic.personas) == 1:
        described = summary_sentence(topic.personas[0].description)
        if described:
            return described
    # The terms beside the title (which is not always a tag: see `page_tags`).
    title = topic.title.lower()
    terms = [t for t in page_tags(topic.personas, []) if t.lower() != title][:5]
    count = len(topic.personas)
    text = f"{count} persona{'s' if count != 1 else ''} on {topic.title}"
    if terms:
        text += ", covering " + (", ".join(terms[:-1]) + " and " + terms[-1] if len(terms) > 1 else terms[0])
    return text + ": " + _names(labels) + "."


def pages_guide(topic: Topic) -> list[dict[str, str]]:
    """The three other pages, each with its purpose and when to reach for it."""
    return [
        {
            "title": "Quick reference",
            "file": page_filename(topic.slug, PageKind.QUICK_REFERENCE),
            "purpose": "a cheat sheet of two screens: the rules most personas agree on, where "
            "they disagree, a checklist, key commands and learnings",
            "when": "while coding, when you need the rule rather than the reasoning",
        },
        {
            "title": f"{topic.title} comprehensive guide",
            "file": page_filename(topic.slug, PageKind.COMPREHENSIVE_GUIDE),
            "purpose": "every persona's text arranged by theme (testing, security, performance, "
            "tooling, …), each passage credited to its persona and source line, plus the full "
            "rule lists and every persona's sections in order",
            "when": "when designing a feature or learning the stack in depth",
        },
        {
            "title": f"{topic.title} specific patterns",
            "file": page_filename(topic.slug, PageKind.SPECIFIC_PATTERNS),
            "purpose": "❌ wrong / ✅ correct pattern cards, anti-patterns, constraints, "
            "the things not to do and the error → solution playbook",
            "when": "when reviewing code or fixing an error you have seen before",
        },
    ]


def render_readme(topic: Topic, ctx: RenderContext) -> KBPage:
    """``kb/<topic>/README.md``: summary, personas table, capabilities, organisation."""
    table = FragmentTable()
    summary, rows, capabilities = [], [], []
    seen: dict[str, str] = {}
    for persona in topic.personas:
        parts = ctx.parts(persona)
        meta = persona.metadata
        label = persona_label(persona)
        description = parts.clean(" ".join(persona.description.split()))
        scope = applies_to(persona)
        text = description or "No description given."
        summary.append(
            {
                "name": label,
                "anchor": parts.anchor,
                "text": table.text(f"{text} *{scope}*" if scope else text, parts.span),
            }
        )
        rows.append(
            {
                "name": one_line(label),
                "anchor": parts.anchor,
                "role": parts.role_text,
                "version": one_line(meta.version or "—"),
                "stack": one_line(parts.clean(", ".join(meta.stack)) or "—"),
                "tools": one_line(", ".join(meta.tools) or "—"),
                "model": one_line(meta.model or "—"),
                "source": table.text(ctx.source_link(persona.path), parts.span),
            }
        )
        items = []
        entries = [(c, parts.span) for c in meta.capabilities]
        entries.extend((i.text, i.span) for i in parts.items_with_role(SectionRole.EXPERTISE))
        for text, span in entries:
            key = " ".join(text.lower().split())
            if key in seen:
                continue  # folded: shown once, under the first persona that wrote it
            seen[key] = label
            items.append(table.text(f"- {parts.clean(' '.join(text.split()))}", span))
        capabilities.append(
            {
                "name": label,
                "anchor": parts.anchor,
                "source": ctx.source_link(persona.path),
                "entries": items,
            }
        )
    description = topic_summary(topic)
    return render_page(
        ctx,
        template="readme.md.j2",
        kind=PageKind.README,
        topic=topic.slug,
        title=f"{topic.title} knowledge base",
        description=description,
        personas=topic.personas,
        table=table,
        body={
            "topic": {"slug": topic.slug, "title": topic.title},
            "summary": summary,
            "topic_summary": table.text(one_line(description)),
            "personas": rows,
            "capabilities": capabilities,
            "pages": pages_guide(topic),
        },
    )


