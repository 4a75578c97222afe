"""seed-002: no front matter; ``# Title``, then ``Identity / Domain Expertise / Technical
Knowledge / Goal Template / Constraints / Anti-Drift`` sections.

Identity bullets (``**Role Title**``, ``**Seniority**``, ``**Stack**: Python
3.14.3, Django 6.0.2``) become metadata. The description is the Goal
Template (its quotes removed), the clearest one-line statement of the persona.
"""

from __future__ import annotations

from persona_kb._internal.core.model import PersonaFormat
from persona_kb._internal.ingest.document import (
    PersonaIdentity,
    SourceDocument,
    default_identity,
    first_paragraph,
)

FORMAT = PersonaFormat.SEED_002


def identify(doc: SourceDocument) -> PersonaIdentity:
    """Name and title from the H1; description from ``## Goal Template``."""
    goal = [s for s in doc.all_sections() if s.title.strip().lower() == "goal template"]
    description = first_paragraph(doc, goal).strip().strip("\"'“”").strip() if goal else ""
    return default_identity(doc, description=description or None)
