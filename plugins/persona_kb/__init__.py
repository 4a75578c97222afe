"""persona-kb: turn AI-agent persona files into a checked MkDocs knowledge base.

The public API is what ``__all__`` lists; everything under ``persona_kb._internal``
is private and may change.
"""

from __future__ import annotations

from persona_kb._internal.diagnostics import (
    Diagnostic,
    PersonaKBError,
    Severity,
    SourceSpan,
)
from persona_kb._internal.model import (
    CodeBlock,
    IngestResult,
    KBPage,
    Label,
    Metadata,
    PageKind,
    PatternPair,
    PatternSide,
    Persona,
    PersonaFormat,
    Section,
    SectionRole,
    SourceMap,
    Topic,
)

__all__ = [
    "CodeBlock",
    "Diagnostic",
    "IngestResult",
    "KBPage",
    "Label",
    "Metadata",
    "PageKind",
    "PatternPair",
    "PatternSide",
    "Persona",
    "PersonaFormat",
    "PersonaKBError",
    "Section",
    "SectionRole",
    "Severity",
    "SourceMap",
    "SourceSpan",
    "Topic",
]
