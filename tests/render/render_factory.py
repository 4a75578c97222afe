"""Build `Persona` values for renderer tests without going through ingestion."""

from __future__ import annotations

import hashlib

from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.core.model import (
    CodeBlock,
    Metadata,
    PatternPair,
    PatternSide,
    Persona,
    PersonaFormat,
    Section,
    SectionRole,
)


def section(
    title: str,
    level: int,
    line: int,
    content: str,
    *,
    path: str,
    role: SectionRole = SectionRole.OTHER,
    children: tuple[Section, ...] = (),
) -> Section:
    """A section whose heading is at ``line`` and whose content starts on the next line."""
    return Section(title, level, SourceSpan(path, line), content, line + 1, role, children)


def make_persona(
    name: str = "python-backend-engineer",
    *,
    title: str | None = None,
    path: str | None = None,
    description: str = "A test persona.",
    metadata: Metadata | None = None,
    sections: tuple[Section, ...] = (),
    patterns: tuple[PatternPair, ...] = (),
    code_blocks: tuple[CodeBlock, ...] = (),
    body: str = "",
    prompt: str | None = None,
    persona_id: str | None = None,
) -> Persona:
    """A persona with sensible defaults; pass only what the test is about."""
    shown = path or f"kb/{name}.md"
    return Persona(
        id=persona_id or name,
        name=name,
        title=title or name.replace("-", " ").title(),
        description=description,
        path=shown,
        format=PersonaFormat.MARKDOWN,
        metadata=metadata or Metadata(),
        prompt=prompt,
        prompt_span=SourceSpan(shown, 2) if prompt else None,
        body=body,
        body_line=1,
        sections=sections,
        preamble="",
        code_blocks=code_blocks,
        patterns=patterns,
        diagnostics=(),
        content_hash=hashlib.sha256((shown + body + name).encode()).hexdigest(),
    )


def persona_from_body(name: str, body: str, **kwargs: object) -> Persona:
    """A persona whose body is ``body`` with one H2 section per ``## `` heading."""
    path = str(kwargs.pop("path", f"kb/{name}.md"))
    lines = body.split("\n")
    sections = []
    starts = [i for i, line in enumerate(lines) if line.startswith("## ")]
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        title = lines[start][3:].strip()
        role = _ROLES.get(title.lower(), SectionRole.OTHER)
        content = "\n".join(lines[start + 1 : end])
        sections.append(section(title, 2, start + 1, content, path=path, role=role))
    return make_persona(name, path=path, body=body, sections=tuple(sections), **kwargs)  # type: ignore[arg-type]


_ROLES = {
    "best practices": SectionRole.BEST_PRACTICES,
    "anti-patterns": SectionRole.ANTI_PATTERNS,
    "constraints": SectionRole.CONSTRAINTS,
    "anti-drift": SectionRole.ANTI_DRIFT,
    "key learnings": SectionRole.LEARNINGS,
    "domain expertise": SectionRole.EXPERTISE,
}


def pattern(path: str, title: str, wrong: str, correct: str, line: int = 10) -> PatternPair:
    """A headings-shaped pair whose wrong code starts at ``line``."""
    wrong_lines = tuple(range(line, line + len(wrong.split("\n"))))
    start = wrong_lines[-1] + 4
    correct_lines = tuple(range(start, start + len(correct.split("\n"))))
    return PatternPair(
        title=title,
        span=SourceSpan(path, line - 2),
        wrong=PatternSide(wrong, "python", path, wrong_lines, "bad"),
        correct=PatternSide(correct, "python", path, correct_lines, "good"),
        why="",
    )
