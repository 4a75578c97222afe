"""persona-kb: turn AI-agent persona files into a checked MkDocs knowledge base.

The public API is what ``__all__`` lists: read personas with [`ingest`][persona_kb.ingest],
build the knowledge base with [`build_knowledge_base`][persona_kb.build_knowledge_base],
write it to disk with [`export_pages`][persona_kb.export_pages], and the data model they
share. Everything under ``persona_kb._internal`` is private and may change.
"""

from __future__ import annotations

from persona_kb._internal.diagnostics import (
    Diagnostic,
    PersonaKBError,
    Severity,
    SourceSpan,
)
from persona_kb._internal.export import ExportReport, export_pages
from persona_kb._internal.ingest import PersonaCache, ingest, read_persona
from persona_kb._internal.kb import KBCache, KBOptions, KnowledgeBase, build_knowledge_base
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
    "ExportReport",
    "IngestResult",
    "KBCache",
    "KBOptions",
    "KBPage",
    "KnowledgeBase",
    "Label",
    "Metadata",
    "PageKind",
    "PatternPair",
    "PatternSide",
    "Persona",
    "PersonaCache",
    "PersonaFormat",
    "PersonaKBError",
    "Section",
    "SectionRole",
    "Severity",
    "SourceMap",
    "SourceSpan",
    "Topic",
    "build_knowledge_base",
    "export_pages",
    "ingest",
    "read_persona",
]
