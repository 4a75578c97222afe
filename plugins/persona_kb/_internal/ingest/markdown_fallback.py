"""Any other Markdown file: name from front matter or the H1, else the file name."""

from __future__ import annotations

from persona_kb._internal.core.model import PersonaFormat
from persona_kb._internal.ingest.document import PersonaIdentity, SourceDocument, default_identity

FORMAT = PersonaFormat.MARKDOWN


def identify(doc: SourceDocument) -> PersonaIdentity:
    """The generic rules of [`default_identity`][]."""
    return default_identity(doc)
