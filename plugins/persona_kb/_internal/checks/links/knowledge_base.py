"""The persona-kb pages a site generates, rebuilt from ``mkdocs.yml`` without MkDocs.

The link report needs each generated page's Markdown and source map to point a
broken link at the persona's ``path:line``. The options are read from the
plugin's entry in ``mkdocs.yml`` the way the plugin reads them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from persona_kb._internal.checks.links.site import SiteConfig
from persona_kb._internal.core.diagnostics import PersonaKBError
from persona_kb._internal.core.model import PersonaFormat, SourceMap
from persona_kb._internal.kb.build import KBOptions, build_knowledge_base
from persona_kb._internal.kb.source_links import source_url_from_repo

# MkDocs' default edit_uri for the hosts it recognises from repo_url.
_DEFAULT_EDIT_URI = {"github.com": "edit/master/docs/", "gitlab.com": "edit/master/docs/"}


def knowledge_base_options(config: SiteConfig) -> KBOptions:
    """The core options equivalent to the site's ``plugins: [persona-kb: …]`` entry."""
    options = config.persona_kb_options()
    root = config.config_path.resolve().parent
    source = root / str(options.get("source") or "kb")
    output = str(options.get("output") or "kb").strip("/")
    templates = options.get("templates")
    fmt = options.get("persona_format")
    repo_url = config.settings.get("repo_url")
    edit_uri = config.settings.get("edit_uri")
    if edit_uri is None and isinstance(repo_url, str):
        edit_uri = next((v for host, v in _DEFAULT_EDIT_URI.items() if host in repo_url), None)
    docs_rel = _relative(config.docs_dir, root)
    source_url = options.get("source_url") or source_url_from_repo(
        repo_url if isinstance(repo_url, str) else None,
        edit_uri if isinstance(edit_uri, str) else None,
        docs_rel,
    )
    try:
        persona_format = PersonaFormat(fmt) if fmt else None
    except ValueError:
        persona_format = None
    return KBOptions(
        source=source,
        output=output,
        topics={str(k): tuple(map(str, v)) for k, v in _mapping(options.get("topics")).items()},
        vocabulary=tuple(str(v) for v in options.get("vocabulary") or ()),
        templates=root / str(templates) if templates else None,
        allow_html=bool(options.get("allow_html", False)),
        persona_format=persona_format,
        source_url=str(source_url) if source_url else None,
    )


def knowledge_base_pages(config: SiteConfig) -> dict[str, tuple[str, SourceMap]]:
    """docs path → (Markdown, source map) of every page the plugin generates.

    An unusable plugin configuration yields no pages: the links are then reported
    at the HTML file's line instead of the persona's.
    """
    if config.persona_kb_options().get("enabled") is False:
        return {}
    options = knowledge_base_options(config)
    if not options.source.is_dir():
        return {}
    try:
        kb = build_knowledge_base(options)
    except PersonaKBError:
        return {}
    return {page.path: (page.markdown, page.source_map) for page in kb.pages}


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _relative(path: Path, start: Path) -> str:
    try:
        return path.resolve().relative_to(start).as_posix()
    except ValueError:
        return path.as_posix()
