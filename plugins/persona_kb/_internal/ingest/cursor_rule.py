"""Cursor rules (``.cursor/rules/*.mdc``): front matter ``description``, ``globs``
(often unquoted ``**/*``, recovered leniently), ``alwaysApply``.

Rules have no ``name``: the name is the H1, else the file name (with info
``PKB301``, since about half of real rules have no heading at all).
"""

from __future__ import annotations

from persona_kb._internal.core.model import PersonaFormat
from persona_kb._internal.ingest.document import PersonaIdentity, SourceDocument, default_identity

FORMAT = PersonaFormat.CURSOR_RULE


def identify(doc: SourceDocument) -> PersonaIdentity:
    """Name from the H1 else the file; description from ``description:``."""
    return default_identity(doc)
