"""persona-kb: turn AI-agent persona files into a checked MkDocs knowledge base.

The public API is what ``__all__`` lists: read personas with [`ingest`][persona_kb.ingest],
build the knowledge base with [`build_knowledge_base`][persona_kb.build_knowledge_base],
write it to disk with [`export_pages`][persona_kb.export_pages], and the data model they
share. Everything under ``persona_kb._internal`` is private and may change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from persona_kb._internal.core.diagnostics import (
    Diagnostic,
    PersonaKBError,
    Severity,
    SourceSpan,
)
from persona_kb._internal.core.lazy import lazy_exports
from persona_kb._internal.core.model import (
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

if TYPE_CHECKING:
    from persona_kb._internal.core.code_policy import CodePolicy
    from persona_kb._internal.ingest import PersonaCache, ingest, read_persona
    from persona_kb._internal.kb.build import (
        KBCache,
        KnowledgeBase,
        build_knowledge_base,
    )
    from persona_kb._internal.kb.export import ExportReport, export_pages
    from persona_kb._internal.kb.options import KBOptions

# Loaded on first use (PEP 562): importing `persona_kb` (which every
# `persona_kb._internal` import does) must not pull in the readers, Jinja2 and
# markdown-it, or `persona-kb links` and `--help` pay for them at start-up.
_LAZY = {
    "CodePolicy": "persona_kb._internal.core.code_policy",
    "ExportReport": "persona_kb._internal.kb.export",
    "export_pages": "persona_kb._internal.kb.export",
    "PersonaCache": "persona_kb._internal.ingest",
    "ingest": "persona_kb._internal.ingest",
    "read_persona": "persona_kb._internal.ingest",
    "KBCache": "persona_kb._internal.kb.build",
    "KBOptions": "persona_kb._internal.kb.options",
    "KnowledgeBase": "persona_kb._internal.kb.build",
    "build_knowledge_base": "persona_kb._internal.kb.build",
}


__getattr__, __dir__ = lazy_exports(globals(), _LAZY)

__all__ = [
    "CodeBlock",
    "CodePolicy",
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
