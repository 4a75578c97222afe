"""The files a site build adds for agents, beside the HTML pages.

- ``<output>/index.json``: the machine-readable index;
- a Markdown twin of every KB page at its source path (``kb/python/QUICK-REFERENCE.md``
  next to ``kb/python/QUICK-REFERENCE/index.html``): the same GitHub-flavoured Markdown
  the export writes, so its relative links work between twins;
- ``llms.txt`` and ``llms-full.txt`` at the site root (left out when the site also runs
  mkdocs-llmstxt, which then owns those two names);
- the JSON Schemas under ``schemas/v1/``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from persona_kb._internal.core.diagnostics import PersonaKBError
from persona_kb._internal.core.schema_files import PUBLISHED_PREFIX, published_files
from persona_kb._internal.kb.agents.bundle import AgentExport, agent_export
from persona_kb._internal.kb.agents.github import GithubCache
from persona_kb._internal.kb.agents.llms import llms_full_txt, llms_txt
from persona_kb._internal.kb.build import KnowledgeBase

LLMS_TXT = "llms.txt"
LLMS_FULL_TXT = "llms-full.txt"


def agent_site_files(
    kb: KnowledgeBase,
    bundle: AgentExport,
    *,
    output: str,
    site_name: str,
    description: str,
    base_url: str = "",
    llms: bool = True,
) -> dict[str, str]:
    """Site-relative path → text of every file for agents (see the module docs)."""
    files: dict[str, str] = {bundle.index_path(output): bundle.index_text}
    for github in bundle.pages:
        files[github.page.path] = github.page.markdown
    files.update(published_files())
    if llms:
        extra = [
            ("Machine-readable index", bundle.index_path(output), "topics, personas, pages, "
             "rules and pattern cards with their persona source lines (JSON)"),
            ("Index schema", f"{PUBLISHED_PREFIX}/index.schema.json", "the JSON Schema of the "
             "index"),
        ]
        files[LLMS_TXT] = llms_txt(
            bundle.pages,
            kb.topics,
            site_name=site_name,
            description=description,
            base_url=base_url,
            extra=extra,
        )
        files[LLMS_FULL_TXT] = llms_full_txt(
            bundle.pages, kb.topics, site_name=site_name, description=description
        )
    return files


def publish_for_agents(
    kb: KnowledgeBase,
    site_dir: Path,
    *,
    output: str,
    allow_html: bool,
    cache: GithubCache | None,
    site_name: str,
    description: str,
    base_url: str,
    llms: bool,
) -> list[Path]:
    """Convert ``kb`` for agents and write every file for them into ``site_dir``."""
    bundle = agent_export(kb, output=output, allow_html=allow_html, cache=cache)
    files = agent_site_files(
        kb,
        bundle,
        output=output,
        site_name=site_name,
        description=description,
        base_url=base_url,
        llms=llms,
    )
    return write_site_files(site_dir, files)


def write_site_files(site_dir: Path, files: Mapping[str, str]) -> list[Path]:
    """Write ``files`` under ``site_dir`` (never outside it); returns the paths written."""
    root = site_dir.resolve()
    written = []
    for name, text in files.items():
        relative = PurePosixPath(name)
        if relative.is_absolute() or ".." in relative.parts:
            raise PersonaKBError(f"site file {name!r} is not a safe relative path")
        target = site_dir.joinpath(*relative.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.parent.resolve().is_relative_to(root):
            raise PersonaKBError(f"site file {name!r} resolves outside the site folder")
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".persona-kb-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        Path(tmp).replace(target)
        written.append(target)
    return written
