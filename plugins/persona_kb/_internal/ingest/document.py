"""What every format reader starts from, and the identity facts it hands back."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.model import Section, SectionRole
from persona_kb._internal.ingest.frontmatter import FrontMatter
from persona_kb._internal.ingest.metadata import (
    IdentityFacts,
    scalar_text,
    split_top_level_commas,
)
from persona_kb._internal.markdown import BodyStructure

HeadingClassifier = Callable[[str], SectionRole]

_IDENTITY_BULLET = re.compile(r"^\s*[-*+]\s+\*\*(?P<key>[^*]+?)\*\*\s*:?\s*:?\s*(?P<value>.+?)\s*$")
_NOT_PROSE = ("#", "|", "<", ">", "```", "~~~", "---", "***", "===", "![", "[!")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """One decoded persona file: front matter, body and its parsed structure."""

    path: str
    """Display path (POSIX)."""
    front_matter: FrontMatter | None
    body: str
    body_line: int
    structure: BodyStructure

    @property
    def data(self) -> dict[str, object]:
        """The front-matter mapping (empty when there is none)."""
        return dict(self.front_matter.data) if self.front_matter is not None else {}

    def text(self, key: str) -> str | None:
        """A front-matter value as stripped text, ``None`` when missing or blank."""
        value = self.data.get(key)
        if value is None or isinstance(value, dict | list):
            return None
        return scalar_text(value).strip() or None

    def key_span(self, key: str) -> SourceSpan:
        """Where ``key:`` is in the front matter (line 1 without front matter)."""
        if self.front_matter is None:
            return SourceSpan(self.path, 1)
        return self.front_matter.span(self.path, key)

    @property
    def stem(self) -> str:
        """The file name without ``.md``/``.mdc`` and Copilot's ``.agent``/``.instructions``."""
        name = PurePosixPath(self.path).name
        for suffix in (".agent.md", ".chatmode.md", ".instructions.md", ".prompt.md"):
            if name.lower().endswith(suffix):
                return name[: -len(suffix)]
        return PurePosixPath(name).stem

    def all_sections(self) -> tuple[Section, ...]:
        """Every section of the body, depth first."""
        out: list[Section] = []
        for section in self.structure.sections:
            out.extend(section.walk())
        return tuple(out)


@dataclass(frozen=True, slots=True)
class PersonaIdentity:
    """What a format reader decides about a persona beyond its body structure."""

    name: str
    title: str
    description: str
    name_span: SourceSpan
    id_source: str = ""
    """What the persona id is the slug of: the ``name:`` when written, else the file
    (or Fabric folder) name, which stays stable when a heading is reworded."""
    identity: IdentityFacts = field(default_factory=IdentityFacts)
    diagnostics: tuple[Diagnostic, ...] = ()


def humanise(name: str) -> str:
    """``python-backend-engineer`` → ``Python Backend Engineer``; other names unchanged."""
    if not name.strip() or " " in name.strip():
        return name
    return " ".join(w[:1].upper() + w[1:] for w in re.split(r"[-_]+", name) if w)


MAX_PREAMBLE_BEFORE_TITLE = 3
"""Non-blank lines allowed before a title H1 (a one-line "You are an expert…" intro)."""


def first_h1(doc: SourceDocument) -> Section | None:
    """The body's title heading: the first heading, an H1, after at most a short intro.

    An H1 after longer opening prose (or after other headings) is usually a
    heading of an output template the persona prints, not its title.
    """
    sections = doc.structure.sections
    if not sections or sections[0].level != 1:
        return None
    intro = [line for line in doc.structure.preamble.split("\n") if line.strip()]
    return sections[0] if len(intro) <= MAX_PREAMBLE_BEFORE_TITLE else None


def default_identity(
    doc: SourceDocument,
    *,
    fallback_name: str | None = None,
    name_from_heading: bool = True,
    title: str | None = None,
    description: str | None = None,
) -> PersonaIdentity:
    """Name, title and description as most formats define them.

    ``name``: front matter ``name``, else the H1 (unless ``name_from_heading``
    is false), else ``fallback_name`` (the file stem by default, with info
    ``PKB301``). ``title``: the H1, else the
    name (humanised). ``description``: front matter, else the first paragraph.
    """
    diagnostics: list[Diagnostic] = []
    heading = first_h1(doc)
    name = doc.text("name")
    name_span = doc.key_span("name")
    if name is None and name_from_heading and heading is not None and heading.title.strip():
        name, name_span = heading.title.strip(), heading.span
    if name is None:
        name = fallback_name or doc.stem
        name_span = SourceSpan(doc.path, 1)
        if fallback_name is None:
            diagnostics.append(
                Diagnostic(
                    "PKB301",
                    Severity.INFO,
                    f"no 'name:' and no '# heading'; named {name!r} after the file",
                    name_span,
                    hint="add 'name:' front matter or a '# Title' heading",
                )
            )
    if title is None:
        title = doc.text("title") or (heading.title.strip() if heading is not None else "")
        title = title or humanise(name)
    if description is None:
        description = doc.text("description") or first_paragraph(doc)
    return PersonaIdentity(
        name=name,
        title=title,
        description=description,
        name_span=name_span,
        id_source=doc.text("name") or fallback_name or doc.stem,
        identity=identity_facts(doc),
        diagnostics=tuple(diagnostics),
    )


def first_paragraph(doc: SourceDocument, sections: Iterable[Section] | None = None) -> str:
    """The first paragraph of prose (not a list, table, quote or code) in the body."""
    in_code = code_lines(doc)
    chunks: list[tuple[str, int]] = [(doc.structure.preamble, doc.body_line)]
    chunks.extend((s.content, s.content_line) for s in (sections or doc.all_sections()))
    for text, first in chunks:
        paragraph: list[str] = []
        for offset, line in enumerate(text.split("\n")):
            stripped = line.strip()
            prose = (
                stripped
                and first + offset not in in_code
                and not stripped.startswith(_NOT_PROSE)
                and not _LIST_ITEM.match(line)
            )
            if prose:
                paragraph.append(stripped)
            elif paragraph:
                return " ".join(paragraph)
        if paragraph:
            return " ".join(paragraph)
    return ""


def code_lines(doc: SourceDocument) -> set[int]:
    """Source lines covered by fenced code blocks, fences included."""
    lines: set[int] = set()
    for block in doc.structure.code_blocks:
        last = block.code_line + block.code.count("\n") + (1 if block.closed else 0)
        lines.update(range(block.fence.line, last + 1))
    return lines


def identity_facts(doc: SourceDocument) -> IdentityFacts:
    """``- **Role Title**: …``, ``**Seniority**``, ``**Stack**`` bullets under ``Identity``."""
    section = next(
        (s for s in doc.all_sections() if s.title.strip().lower() == "identity"),
        None,
    )
    if section is None:
        return IdentityFacts()
    facts: dict[str, str] = {}
    for line in section.content.split("\n"):
        match = _IDENTITY_BULLET.match(line)
        if match:
            facts.setdefault(match.group("key").strip().rstrip(":").lower(), match.group("value"))
    role = facts.pop("role title", None) or facts.pop("role", None)
    seniority = facts.pop("seniority", None)
    stack = split_top_level_commas(facts.pop("stack", ""))
    return IdentityFacts(role=role, seniority=seniority, stack=stack, extra=facts)


def reclassify(sections: tuple[Section, ...], classify: HeadingClassifier) -> tuple[Section, ...]:
    """The same section tree with every role re-derived by ``classify``."""
    return tuple(
        replace(s, role=classify(s.title), children=reclassify(s.children, classify))
        for s in sections
    )
