"""The files a site build adds for agents, beside the HTML pages.

- ``<output>/index.json``: the machine-readable index;
- a Markdown twin of every KB page at its source path (``kb/python/QUICK-REFERENCE.md``
  next to ``kb/python/QUICK-REFERENCE/index.html``): the same GitHub-flavoured Markdown
  the export writes, so its relative links work between twins;
- ``llms.txt`` and ``llms-full.txt`` at the site root (left out when the site also runs
  mkdocs-llmstxt, which then owns those two names);
- the JSON Schemas under ``schemas/v1/``.

With the plugin's on-disk cache, the converted files are kept in it under a hash of
everything they are made from (every page, every topic's personas by content hash, the
site settings and persona-kb's code), so a rebuild in which nothing changed writes them
without converting a page or reading a persona's rules again.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from persona_kb._internal.core.diagnostics import PersonaKBError
from persona_kb._internal.core.paths import as_if_opened
from persona_kb._internal.core.schema_files import PUBLISHED_PREFIX, published_files
from persona_kb._internal.kb.agents.bundle import AgentExport, agent_export
from persona_kb._internal.kb.agents.github import GithubCache
from persona_kb._internal.kb.agents.llms import llms_full_txt, llms_txt
from persona_kb._internal.kb.build import KnowledgeBase
from persona_kb._internal.kb.cache import code_fingerprint
from persona_kb._internal.kb.cache_store import CacheStore

LLMS_TXT = "llms.txt"
LLMS_FULL_TXT = "llms-full.txt"

_KIND = "agent-files"


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
    """Site-relative path → text of the files made from ``kb`` for agents (the JSON
    Schemas, which ship as they are, are not among them)."""
    files: dict[str, str] = {bundle.index_path(output): bundle.index_text}
    for github in bundle.pages:
        files[github.page.path] = github.page.markdown
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
    """Convert ``kb`` for agents and write every file for them into ``site_dir``.

    With a ``cache`` that has a store, the converted files come from it when ``kb`` and
    the settings are the ones they were made from (see the module docs).
    """
    settings = [output, str(allow_html), site_name, description, base_url, str(llms)]
    store = cache.store if cache is not None else None
    key = agent_files_key(kb, settings) if store is not None else ""
    files = _stored_files(store, key)
    if files is None:
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
        if store is not None:
            store.put(_KIND, key, files)
            store.retain(_KIND, [key])
            store.flush()
    return write_site_files(site_dir, {**files, **published_files()})


def agent_files_key(kb: KnowledgeBase, settings: list[str]) -> str:
    """What the files for agents are made from, hashed: persona-kb's code, ``settings``,
    every topic's personas (path, id, format, content hash) and every page."""
    digest = hashlib.sha256(json.dumps([code_fingerprint(), *settings]).encode())
    for topic in kb.topics:
        personas = [[p.path, p.id, str(p.format), p.content_hash] for p in topic.personas]
        digest.update(json.dumps([topic.slug, topic.title, personas]).encode())
    for page in kb.pages:
        meta = [page.path, page.title, str(page.kind), page.topic, list(page.sources)]
        digest.update(json.dumps(meta).encode())
        digest.update(hashlib.sha256(page.markdown.encode()).digest())
    return digest.hexdigest()


def _stored_files(store: CacheStore | None, key: str) -> dict[str, str] | None:
    data = store.get(_KIND, key) if store is not None else None
    if not isinstance(data, dict):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        return None
    return data


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
        as_if_opened(fd)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        Path(tmp).replace(target)
        written.append(target)
    return written
