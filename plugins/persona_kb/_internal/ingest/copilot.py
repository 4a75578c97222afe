"""GitHub Copilot: custom agents (``*.agent.md``, formerly ``*.chatmode.md``) with
``name``/``description``/``tools``/``model``, and instructions
(``*.instructions.md``) with ``applyTo`` globs.

Without ``name:``, the name is the file name without ``.agent.md`` /
``.instructions.md``.
"""

from __future__ import annotations

from persona_kb._internal.core.model import PersonaFormat
from persona_kb._internal.ingest.document import PersonaIdentity, SourceDocument, default_identity

AGENT_FORMAT = PersonaFormat.COPILOT_AGENT
INSTRUCTIONS_FORMAT = PersonaFormat.COPILOT_INSTRUCTIONS


def identify(doc: SourceDocument) -> PersonaIdentity:
    """Name from ``name:`` else the file name; never the body's H1 (often a generic title)."""
    return default_identity(doc, fallback_name=doc.stem, name_from_heading=False)
