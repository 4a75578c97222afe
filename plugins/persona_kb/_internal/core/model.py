"""The persona-kb data model: frozen dataclasses, no MkDocs, no pytest.

Data flows one way: files → [`Persona`][persona_kb.Persona] →
[`Topic`][persona_kb.Topic] → [`KBPage`][persona_kb.KBPage] → MkDocs, disk or
the checkers. Every piece of content carries the
[`SourceSpan`][persona_kb.SourceSpan] it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from persona_kb._internal.core.diagnostics import Diagnostic, SourceSpan

JSONValue = str | int | float | bool | None | list["JSONValue"] | dict[str, "JSONValue"]


class PersonaFormat(StrEnum):
    """The persona file formats persona-kb reads."""

    SEED_000 = "seed-000"
    """YAML front matter with ``prompt``, ``capabilities``, ``do_not``, … plus a Markdown body."""
    SEED_002 = "seed-002"
    """No front matter; ``Identity / Domain Expertise / … / Anti-Drift`` headings."""
    CLAUDE_SUBAGENT = "claude-subagent"
    """Claude Code subagent: front matter ``name, description, tools, model``."""
    COPILOT_AGENT = "copilot-agent"
    """GitHub Copilot custom agent: ``*.agent.md``."""
    COPILOT_INSTRUCTIONS = "copilot-instructions"
    """GitHub Copilot instructions: ``*.instructions.md`` with ``applyTo``."""
    CURSOR_RULE = "cursor-rule"
    """Cursor rule: ``*.mdc`` with ``description, globs, alwaysApply``."""
    FABRIC_PATTERN = "fabric-pattern"
    """Fabric pattern: ``<name>/system.md``, ``IDENTITY and PURPOSE / STEPS / OUTPUT …``."""
    AGENT_SKILL = "agent-skill"
    """Agent Skill: a folder with ``SKILL.md`` (``name``, ``description``) and the Markdown,
    scripts and assets it bundles."""
    AGENTS_MD = "agents-md"
    """``AGENTS.md``: instructions for coding agents; a nested one applies to its folder."""
    CLAUDE_MD = "claude-md"
    """``CLAUDE.md``: Claude Code's project memory; a nested one applies to its folder."""
    GEMINI_MD = "gemini-md"
    """``GEMINI.md``: Gemini CLI's context file; a nested one applies to its folder."""
    COPILOT_PROMPT = "copilot-prompt"
    """GitHub Copilot prompt file: ``*.prompt.md``."""
    WINDSURF_RULE = "windsurf-rule"
    """Windsurf rule: ``.windsurf/rules/*.md`` (``trigger``, ``globs``)."""
    CLINE_RULE = "cline-rule"
    """Cline rule: a Markdown file in a ``.clinerules/`` folder."""
    MARKDOWN = "markdown"
    """Any other Markdown file."""


class SectionRole(StrEnum):
    """What a section is for, as recognised from its heading. Renderers route on this."""

    IDENTITY = "identity"
    PURPOSE = "purpose"
    RESPONSIBILITIES = "responsibilities"
    EXPERTISE = "expertise"
    KNOWLEDGE = "knowledge"
    CORE_PATTERNS = "core-patterns"
    BEST_PRACTICES = "best-practices"
    ANTI_PATTERNS = "anti-patterns"
    TESTING = "testing"
    WORKFLOW = "workflow"
    STEPS = "steps"
    OUTPUT = "output"
    INPUT = "input"
    GOAL = "goal"
    CONSTRAINTS = "constraints"
    ANTI_DRIFT = "anti-drift"
    CHECKLIST = "checklist"
    PATTERNS = "patterns"
    PLAYBOOK = "playbook"
    LEARNINGS = "learnings"
    REFERENCES = "references"
    OTHER = "other"


class Label(StrEnum):
    """The ❌ / ✅ label of a code block or half of one."""

    WRONG = "wrong"
    CORRECT = "correct"


@dataclass(frozen=True, slots=True)
class Metadata:
    """Normalised front matter (and identity facts from the body).

    Values are normalised whatever the file wrote: ``version`` is always a
    string (``2025-11-09`` stays ``"2025-11-09"``, not a date), ``tools`` is a
    list even when the file wrote a comma string, ``model`` is one string even
    when the file wrote a list (joined with ``", "``).
    """

    version: str | None = None
    tools: tuple[str, ...] = ()
    model: str | None = None
    capabilities: tuple[str, ...] = ()
    do_not: tuple[str, ...] = ()
    stack: tuple[str, ...] = ()
    """Technologies as written, e.g. ``("Python 3.14.3", "Django 6.0.2")``."""
    versions: Mapping[str, str] = field(default_factory=dict)
    """Lower-cased technology → version, e.g. ``{"python": "3.14.3"}``."""
    seniority: str | None = None
    role: str | None = None
    topic: str | None = None
    """Front matter ``topic:`` or ``kb: {topic: …}``."""
    globs: tuple[str, ...] = ()
    """Cursor ``globs`` / Copilot ``applyTo``."""
    always_apply: bool | None = None
    scope: str | None = None
    """The folder an instruction file (``AGENTS.md``, ``CLAUDE.md``, …) applies to, as a
    display path ending in ``/``; ``None`` for everything else."""
    extra: Mapping[str, JSONValue] = field(default_factory=dict)
    """Every other front-matter key, kept as-is (dates become ISO strings)."""


@dataclass(frozen=True, slots=True)
class Section:
    """A heading and the Markdown under it, up to the next heading of any level.

    ``content`` is the section's own Markdown (children excluded), already
    normalised; its first line is source line ``content_line``, and every
    following line is the next source line, so line *i* (0-based) of
    ``content`` came from ``content_line + i``.
    """

    title: str
    level: int
    span: SourceSpan
    content: str
    content_line: int
    role: SectionRole = SectionRole.OTHER
    children: tuple[Section, ...] = ()

    def walk(self) -> tuple[Section, ...]:
        """This section and all its descendants, in document order."""
        out: list[Section] = [self]
        for child in self.children:
            out.extend(child.walk())
        return tuple(out)


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A fenced code block in a persona body (never one inside front matter).

    ``code`` line *i* (0-based) came from source line ``code_line + i``.
    """

    language: str
    """Normalised: ``py``/``python3``/``Python`` → ``python``; ``""`` if none."""
    info: str
    """The info string exactly as written (after the fence characters)."""
    classes: tuple[str, ...]
    """Words and ``.class`` attributes after the language: ``("no-run",)``."""
    attributes: Mapping[str, str]
    """``key="value"`` attributes: ``{"title": "x.py", "hl_lines": "2"}``."""
    code: str
    fence: SourceSpan
    code_line: int
    heading_path: tuple[str, ...]
    """Titles of the enclosing headings, outermost first."""
    label: Label | None = None
    """Set when the block sits under a ❌ WRONG / ✅ CORRECT heading or label."""
    closed: bool = True
    """False for a fence that runs to the end of the file."""
    nested: bool = False
    """True inside an outer ``markdown``/``md`` fence: an example of an example."""
    marker: str = ""
    """Words of a ``<!-- persona-kb: … -->`` comment on the line before the fence
    (e.g. ``"no-run"``); ``""`` when there is none."""

    def line_span(self, index: int) -> SourceSpan:
        """The source span of code line ``index`` (0-based)."""
        return self.fence.at_line(self.code_line + index)


@dataclass(frozen=True, slots=True)
class PatternSide:
    """One half of a pattern card: the ❌ wrong or the ✅ correct code.

    ``lines[i]`` is the source line of code line *i*; a shared preamble (the
    imports before the first marker) appears in both halves, so lines need not
    be contiguous.
    """

    code: str
    language: str
    path: str
    lines: tuple[int, ...]
    caption: str = ""
    """The label text, e.g. ``"Blocking sync code in async route"``."""

    def line_span(self, index: int) -> SourceSpan:
        """The source span of code line ``index`` (0-based)."""
        return SourceSpan(self.path, self.lines[index])


@dataclass(frozen=True, slots=True)
class PatternPair:
    """A ❌ WRONG / ✅ CORRECT pair: one pattern card.

    ``shape`` is ``"headings"`` (two blocks under ❌/✅ headings) or
    ``"markers"`` (one block whose ``# ❌`` / ``# ✅`` comments split it).
    """

    title: str
    span: SourceSpan
    wrong: PatternSide
    correct: PatternSide
    why: str = ""
    """The "why this matters" Markdown that follows the pair, if any."""
    shape: str = "headings"
    heading_path: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Persona:
    """One persona file, read and normalised."""

    id: str
    """Stable, safe slug: ``[a-z0-9-]+``, never ``..``, never absolute."""
    name: str
    title: str
    description: str
    path: str
    """Display path of the source file (POSIX)."""
    format: PersonaFormat
    metadata: Metadata
    prompt: str | None
    """Front-matter ``prompt:``; code fenced inside it is prompt, never an example."""
    prompt_span: SourceSpan | None
    body: str
    """The normalised Markdown body (after front matter)."""
    body_line: int
    """Source line of the first line of ``body``."""
    sections: tuple[Section, ...]
    """Top-level sections (each with its children)."""
    preamble: str
    """Body Markdown before the first heading (may be empty); starts at ``body_line``."""
    code_blocks: tuple[CodeBlock, ...]
    patterns: tuple[PatternPair, ...]
    diagnostics: tuple[Diagnostic, ...]
    content_hash: str
    """SHA-256 of the raw file bytes: the cache key. For an Agent Skill, of the bytes of
    ``SKILL.md`` and every file it bundles."""
    bundled: tuple[Persona, ...] = ()
    """An Agent Skill's own Markdown files (``references/*.md``, …), each read on its own
    with its own path, so every line stays mapped to the file it came from."""
    resources: tuple[str, ...] = ()
    """Display paths of an Agent Skill's scripts and assets: listed, never run."""

    def all_sections(self) -> tuple[Section, ...]:
        """Every section, depth first, in document order."""
        out: list[Section] = []
        for s in self.sections:
            out.extend(s.walk())
        return tuple(out)

    def sections_with_role(self, role: SectionRole) -> tuple[Section, ...]:
        """Every section whose heading was recognised as ``role``."""
        return tuple(s for s in self.all_sections() if s.role is role)


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What reading a set of paths produced: the personas and every diagnostic.

    Files with an error diagnostic are skipped (absent from ``personas``); the
    rest are always read. ``files`` counts every candidate file looked at, and the
    Markdown files Agent Skills bundle.
    """

    personas: tuple[Persona, ...]
    diagnostics: tuple[Diagnostic, ...]
    files: int
    kept: tuple[str, ...] = ()
    """Files that could not be read this time, shown as they were last read (``keep``)."""


# --- The knowledge base (rendering side) ---------------------------------------------------


class PageKind(StrEnum):
    """The four pages of a topic, plus the KB index."""

    README = "readme"
    QUICK_REFERENCE = "quick-reference"
    COMPREHENSIVE_GUIDE = "comprehensive-guide"
    SPECIFIC_PATTERNS = "specific-patterns"
    INDEX = "index"


@dataclass(frozen=True, slots=True)
class Topic:
    """Personas merged under one slug, e.g. ``python``."""

    slug: str
    title: str
    personas: tuple[Persona, ...]


@dataclass(frozen=True, slots=True)
class SourceMap:
    """Maps every line of a generated page back to where it came from.

    ``lines[i]`` is the source of page line ``i + 1`` (``None`` for lines the
    renderer wrote itself, such as headings it added).
    """

    lines: tuple[SourceSpan | None, ...]

    def lookup(self, page_line: int) -> SourceSpan | None:
        """The source of 1-based ``page_line``, or ``None``."""
        if 1 <= page_line <= len(self.lines):
            return self.lines[page_line - 1]
        return None


@dataclass(frozen=True, slots=True)
class KBPage:
    """One generated Markdown page.

    ``path`` is POSIX and relative to the docs root, e.g.
    ``kb/python/PYTHON-SPECIFIC-PATTERNS.md``.
    """

    path: str
    title: str
    markdown: str
    source_map: SourceMap
    kind: PageKind
    topic: str | None
    sources: tuple[str, ...]
    """Display paths of the persona files this page was generated from."""
