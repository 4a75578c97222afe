"""persona-kb: turn AI-agent persona files into a checked MkDocs knowledge base.

The public API is what ``__all__`` lists: read personas with [`ingest`][persona_kb.ingest],
build the knowledge base with [`build_knowledge_base`][persona_kb.build_knowledge_base],
write it to disk with [`export_pages`][persona_kb.export_pages], and the data model they
share. Everything under ``persona_kb._internal`` is private and may change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from persona_kb._internal.core.lazy import lazy_exports

if TYPE_CHECKING:
    from persona_kb._internal.core.code_policy import CodePolicy
    from persona_kb._internal.core.diagnostics import (
        Diagnostic,
        PersonaKBError,
        Severity,
        SourceSpan,
    )
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
# markdown-it, or `persona-kb links` and `--help` pay for them at start-up; nor even the
# data model, which the example checker's fork server never uses.
_LAZY = {
    "Diagnostic": "persona_kb._internal.core.diagnostics",
    "PersonaKBError": "persona_kb._internal.core.diagnostics",
    "Severity": "persona_kb._internal.core.diagnostics",
    "SourceSpan": "persona_kb._internal.core.diagnostics",
    "CodeBlock": "persona_kb._internal.core.model",
    "IngestResult": "persona_kb._internal.core.model",
    "KBPage": "persona_kb._internal.core.model",
    "Label": "persona_kb._internal.core.model",
    "Metadata": "persona_kb._internal.core.model",
    "PageKind": "persona_kb._internal.core.model",
    "PatternPair": "persona_kb._internal.core.model",
    "PatternSide": "persona_kb._internal.core.model",
    "Persona": "persona_kb._internal.core.model",
    "PersonaFormat": "persona_kb._internal.core.model",
    "Section": "persona_kb._internal.core.model",
    "SectionRole": "persona_kb._internal.core.model",
    "SourceMap": "persona_kb._internal.core.model",
    "Topic": "persona_kb._internal.core.model",
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
