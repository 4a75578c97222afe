"""What an instruction file or rule applies to, as one sentence for the topic pages."""

from __future__ import annotations

from persona_kb._internal.core.model import Persona


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def applies_to(persona: Persona) -> str:
    """``"Applies to: files matching `**/*.py`."``, or ``""`` when the persona says nothing.

    The folder of an ``AGENTS.md``/``CLAUDE.md``/``GEMINI.md`` (or the repository of
    ``copilot-instructions.md``), the ``applyTo``/``globs``/``paths`` globs, or always on.
    """
    meta = persona.metadata
    if meta.scope:
        return f"Applies to: everything under {_code(meta.scope)}."
    if meta.globs:
        return "Applies to: files matching " + ", ".join(_code(g) for g in meta.globs) + "."
    if meta.always_apply:
        return "Applies to: every request (always on)."
    return ""
