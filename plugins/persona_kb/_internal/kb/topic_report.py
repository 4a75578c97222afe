"""Which personas each topic holds and why each landed there: ``persona-kb topics``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from persona_kb._internal.core.model import Topic
from persona_kb._internal.core.wording import plural
from persona_kb._internal.ingest import ingest
from persona_kb._internal.kb.topics import TopicChoice, TopicRules, explain_topics


@dataclass(frozen=True, slots=True)
class TopicReport:
    """Topics in slug order, and the choice that put each persona (by path) there."""

    topics: tuple[Topic, ...]
    choices: Mapping[str, TopicChoice]
    files: int

    def to_json(self) -> dict[str, object]:
        """``{"summary": {...}, "topics": [{slug, title, personas: [{id, name, path,
        reason, detail}]}]}``."""
        singletons = sum(1 for t in self.topics if len(t.personas) == 1)
        return {
            "summary": {
                "files": self.files,
                "personas": sum(len(t.personas) for t in self.topics),
                "topics": len(self.topics),
                "singleton_topics": singletons,
            },
            "topics": [
                {
                    "slug": topic.slug,
                    "title": topic.title,
                    "personas": [
                        {
                            "id": p.id,
                            "name": p.name,
                            "path": p.path,
                            "reason": self.choices[p.path].reason,
                            "detail": self.choices[p.path].detail,
                        }
                        for p in topic.personas
                    ],
                }
                for topic in self.topics
            ],
        }

    def to_text(self) -> str:
        """One block per topic: ``slug (n): Title`` then ``  name  path  reason: detail``."""
        lines: list[str] = []
        for topic in self.topics:
            lines.append(f"{topic.slug} ({len(topic.personas)}): {topic.title}")
            width = max(len(p.name) for p in topic.personas)
            for persona in topic.personas:
                choice = self.choices[persona.path]
                lines.append(
                    f"  {persona.name:<{width}}  {persona.path}  {choice.reason}: {choice.detail}"
                )
        singletons = sum(1 for t in self.topics if len(t.personas) == 1)
        personas = sum(len(t.personas) for t in self.topics)
        lines.append(
            f"persona-kb topics: {plural(personas, 'persona')} in "
            f"{plural(len(self.topics), 'topic')}, {singletons} of them with one persona"
        )
        return "\n".join(lines)


def topic_report(
    source: Path,
    *,
    extra_paths: Sequence[Path] = (),
    rules: Mapping[str, Sequence[str]] | None = None,
    vocabulary: Sequence[str] = (),
) -> TopicReport:
    """Read the personas under ``source`` (and ``extra_paths``) and explain their topics."""
    result = ingest([source, *extra_paths])
    topics, choices, _ = explain_topics(
        result.personas, TopicRules(source, rules or {}, tuple(vocabulary))
    )
    return TopicReport(topics, choices, result.files)
