"""seed-000: YAML front matter with ``prompt``, ``capabilities``, ``do_not``, ``run_defaults``,
``metadata``, then a Markdown body that usually has no H1.

The ``prompt:`` string is the persona's system prompt. Code fenced inside it
stays prompt text: only the body is parsed for code blocks.
"""

from __future__ import annotations

from persona_kb._internal.core.model import PersonaFormat
from persona_kb._internal.ingest.document import PersonaIdentity, SourceDocument, default_identity

FORMAT = PersonaFormat.SEED_000


def identify(doc: SourceDocument) -> PersonaIdentity:
    """Name from ``name:``, title from the H1 or the humanised name, description from
    ``description:`` (folded), else the prompt's first paragraph."""
    description = doc.text("description")
    if description is None:
        prompt = doc.text("prompt") or ""
        description = " ".join(prompt.split("\n\n", 1)[0].split())
    return default_identity(doc, description=description or None)
