"""Which persona format a file is written in, from its path first and its shape second.

The rules, in order (the first that matches wins):

1. ``*.mdc`` → Cursor rule.
2. ``*.agent.md`` / ``*.chatmode.md`` → Copilot agent; ``*.instructions.md`` → Copilot
   instructions.
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


def detect_format(
    path: PurePath,
    front_matter: Mapping[str, object] | None,
    headings: list[str],
) -> PersonaFormat:
    """The format of a file at ``path`` with this front matter and these heading titles."""
    name = path.name.lower()
    if name.endswith(".mdc"):
        return PersonaFormat.CURSOR_RULE
    if name.endswith((".agent.md", ".chatmode.md")):
        return PersonaFormat.COPILOT_AGENT
    if name.endswith(".instructions.md"):
        return PersonaFormat.COPILOT_INSTRUCTIONS
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
