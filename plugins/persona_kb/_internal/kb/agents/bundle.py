"""What persona-kb writes for agents beside the pages: one call for the export and the build."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from persona_kb._internal.core.gc_pause import paused_gc
from persona_kb._internal.kb.agents.github import GithubCache, GithubPage, github_pages
from persona_kb._internal.kb.agents.index import INDEX_FILE, build_index, index_json
from persona_kb._internal.kb.build import KnowledgeBase
from persona_kb._internal.kb.export import ExportReport, export_pages


@dataclass(frozen=True, slots=True)
class AgentExport:
    """The KB as agents read it: GitHub-flavoured pages and the JSON index."""

    pages: tuple[GithubPage, ...]
    index: dict[str, object]

    @property
    def index_text(self) -> str:
        """``index.json`` as written to disk."""
        return index_json(self.index)

    def index_path(self, output: str) -> str:
        """Where the index lives relative to the docs root (``kb/index.json``)."""
        return f"{output}/{INDEX_FILE}"


def agent_export(
    kb: KnowledgeBase,
    *,
    output: str,
    allow_html: bool = False,
    cache: GithubCache | None = None,
) -> AgentExport:
    """Convert ``kb``'s pages to GitHub-flavoured Markdown and build its index."""
    with paused_gc():  # the conversion parses every page: see gc_pause
        pages = github_pages(kb.pages, cache=cache)
        index = build_index(
            kb.topics, pages, output=output, allow_html=allow_html, known_rules=kb.rules
        )
    return AgentExport(pages, index)


def export_for_agents(
    kb: KnowledgeBase,
    out_dir: Path,
    *,
    output: str,
    allow_html: bool = False,
    check: bool = False,
    cache: GithubCache | None = None,
) -> ExportReport:
    """``persona-kb export``: the GitHub-flavoured pages and ``index.json`` under ``out_dir``.

    With ``check``, nothing is written and the report lists what is out of date.
    """
    bundle = agent_export(kb, output=output, allow_html=allow_html, cache=cache)
    return export_pages(
        [g.page for g in bundle.pages],
        out_dir,
        check=check,
        extra_files={INDEX_FILE: bundle.index_text},
    )
