"""Which persona format a file is written in, from its path first and its shape second.

The rules, in order (the first that matches wins):

1. ``SKILL.md`` → Agent Skill; ``AGENTS.md``, ``CLAUDE.md`` (``CLAUDE.local.md``),
   ``GEMINI.md`` → those instruction files; ``*.mdc`` or a file under ``.cursor/rules/``
   → Cursor rule; under ``.windsurf/rules/`` → Windsurf rule; under ``.clinerules/`` →
   Cline rule.
2. ``*.agent.md`` / ``*.chatmode.md`` → Copilot agent; ``*.instructions.md`` and
   ``copilot-instructions.md`` → Copilot instructions; ``*.prompt.md`` → Copilot prompt.
3. ``system.md`` without front matter, or any body whose first heading is
   ``IDENTITY and PURPOSE`` → Fabric pattern.
4. Front matter with ``prompt``, ``capabilities``, ``do_not`` or ``run_defaults``
   → seed-000.
5. Front matter with ``applyTo`` → Copilot instructions; with ``globs`` or
   ``alwaysApply`` → Cursor rule.
6. Front matter with ``name`` or ``description`` → Claude Code subagent.
7. No front matter and at least three of the seed-002 headings (``Identity``,
   ``Domain Expertise``, ``Technical Knowledge``, ``Goal Template``,
   ``Constraints``, ``Anti-Drift``) → seed-002.
8. Anything else → plain Markdown.

A user override (``--persona-format``) replaces detection entirely.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from pathlib import PurePath

from persona_kb._internal.core.model import PersonaFormat

SEED_002_HEADINGS = frozenset(
    {
        "identity",
        "domain expertise",
        "technical knowledge",
        "goal template",
        "constraints",
        "anti-drift",
    }
)
_SEED_000_KEYS = frozenset({"prompt", "capabilities", "do_not", "run_defaults"})
_BY_NAME = {
    "skill.md": PersonaFormat.AGENT_SKILL,
    "agents.md": PersonaFormat.AGENTS_MD,
    "claude.md": PersonaFormat.CLAUDE_MD,
    "claude.local.md": PersonaFormat.CLAUDE_MD,
    "gemini.md": PersonaFormat.GEMINI_MD,
}


def _under(folders: tuple[str, ...], hidden: str, child: str) -> bool:
    return any(a == hidden and b == child for a, b in itertools.pairwise(folders))


def detect_format(
    path: PurePath,
    front_matter: Mapping[str, object] | None,
    headings: list[str],
) -> PersonaFormat:
    """The format of a file at ``path`` with this front matter and these heading titles."""
    name = path.name.lower()
    by_name = _BY_NAME.get(name)
    if by_name is not None:
        return by_name
    folders = path.parent.parts
    if name.endswith(".mdc") or _under(folders, ".cursor", "rules"):
        return PersonaFormat.CURSOR_RULE
    if _under(folders, ".windsurf", "rules"):
        return PersonaFormat.WINDSURF_RULE
    if ".clinerules" in folders:
        return PersonaFormat.CLINE_RULE
    if name.endswith((".agent.md", ".chatmode.md")):
        return PersonaFormat.COPILOT_AGENT
    if name.endswith(".instructions.md") or name == "copilot-instructions.md":
        return PersonaFormat.COPILOT_INSTRUCTIONS
    if name.endswith(".prompt.md"):
        return PersonaFormat.COPILOT_PROMPT
    first_heading = headings[0].strip().lower() if headings else ""
    if (name == "system.md" and not front_matter) or first_heading.startswith(
        "identity and purpose"
    ):
        return PersonaFormat.FABRIC_PATTERN
    keys = set(front_matter or {})
    if keys & _SEED_000_KEYS:
        return PersonaFormat.SEED_000
    if "applyTo" in keys:
        return PersonaFormat.COPILOT_INSTRUCTIONS
    if keys & {"globs", "alwaysApply"}:
        return PersonaFormat.CURSOR_RULE
    if keys & {"name", "description"}:
        return PersonaFormat.CLAUDE_SUBAGENT
    if not front_matter and len(SEED_002_HEADINGS & {h.strip().lower() for h in headings}) >= 3:
        return PersonaFormat.SEED_002
    return PersonaFormat.MARKDOWN
