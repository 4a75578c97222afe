"""Fabric patterns (``patterns/<name>/system.md``): no front matter, H1 sections
``IDENTITY and PURPOSE / STEPS / OUTPUT INSTRUCTIONS / INPUT``.

The name is the folder (``create_quiz``), the title its humanised form
(``Create Quiz``), the description the first paragraph of ``IDENTITY and
PURPOSE``. Fabric's upper-case section titles get their own roles.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from persona_kb._internal.core.model import PersonaFormat, SectionRole
from persona_kb._internal.ingest.document import (
    PersonaIdentity,
    SourceDocument,
    default_identity,
    first_paragraph,
    humanise,
)
from persona_kb._internal.markdown import classify_heading

FORMAT = PersonaFormat.FABRIC_PATTERN

_FABRIC_ROLES = {
    "identity and purpose": SectionRole.IDENTITY,
    "identity": SectionRole.IDENTITY,
    "purpose": SectionRole.PURPOSE,
    "goal": SectionRole.GOAL,
    "goals": SectionRole.GOAL,
    "steps": SectionRole.STEPS,
    "output instructions": SectionRole.OUTPUT,
    "output": SectionRole.OUTPUT,
    "output format": SectionRole.OUTPUT,
    "output sections": SectionRole.OUTPUT,
    "input": SectionRole.INPUT,
    "example": SectionRole.OTHER,
}


def classify(title: str) -> SectionRole:
    """Fabric's section titles first, then the shared vocabulary."""
    role = _FABRIC_ROLES.get(" ".join(title.strip().rstrip(":").lower().split()))
    return role if role is not None else classify_heading(title)


def identify(doc: SourceDocument) -> PersonaIdentity:
    """Name from the folder, description from ``IDENTITY and PURPOSE``."""
    parent = PurePosixPath(doc.path).parent.name
    folder = parent if PurePosixPath(doc.path).name.lower() == "system.md" and parent else None
    name = doc.text("name") or folder or doc.stem
    identity_sections = [s for s in doc.all_sections() if classify(s.title) is SectionRole.IDENTITY]
    description = doc.text("description") or first_paragraph(doc, identity_sections or None)
    base = default_identity(doc, fallback_name=name, title=humanise(name), description=description)
    return PersonaIdentity(
        name=name,
        title=base.title,
        description=base.description,
        name_span=doc.key_span("name"),
        id_source=name,
        identity=base.identity,
        diagnostics=base.diagnostics,
    )
