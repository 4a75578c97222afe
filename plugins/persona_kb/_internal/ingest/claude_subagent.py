"""Claude Code subagents (``.claude/agents/<name>.md``): front matter ``name``,
``description``, ``tools`` (a list or a comma string), ``model`` (sometimes a list).

The body is the system prompt, usually without a heading; the title is then
the humanised ``name``.
"""

from __future__ import annotations

from persona_kb._internal.core.model import PersonaFormat
from persona_kb._internal.ingest.document import PersonaIdentity, SourceDocument, default_identity

FORMAT = PersonaFormat.CLAUDE_SUBAGENT


def identify(doc: SourceDocument) -> PersonaIdentity:
    """Name from ``name:``, description from ``description:``."""
    return default_identity(doc)
