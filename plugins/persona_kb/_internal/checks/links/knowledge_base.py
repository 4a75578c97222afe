"""The persona-kb pages a site generates, rebuilt by the core for the link report.

The link report needs each generated page's Markdown and source map to point a
broken link at the persona's ``path:line``. The options are the site's
[`SiteConfig.kb`][persona_kb._internal.config.site.SiteConfig.kb], read once by the
one config reader, exactly as the plugin reads them. The pages come from the plugin's
on-disk cache: after a ``mkdocs build`` nothing is parsed or rendered again.
"""

from __future__ import annotations

from persona_kb._internal.config.site import SiteConfig
from persona_kb._internal.core.diagnostics import PersonaKBError
from persona_kb._internal.core.model import SourceMap
from persona_kb._internal.kb.build import KBCache, project_cache
from persona_kb._internal.kb.build import knowledge_base_pages as build_pages


def knowledge_base_cache(config: SiteConfig) -> KBCache | None:
    """The on-disk cache the site's ``mkdocs build`` filled (the plugin's ``cache`` and
    ``cache_dir`` options), so a checker maps pages without parsing or rendering again."""
    options = config.persona_kb_options()
    return project_cache(
        config.project, enabled=options.get("cache", True), cache_dir=options.get("cache_dir")
    )


def knowledge_base_pages(config: SiteConfig) -> dict[str, tuple[str, SourceMap]]:
    """docs path → (Markdown, source map) of every page the plugin generates.

    An unusable plugin configuration yields no pages: the links are then reported
    at the HTML file's line instead of the persona's.
    """
    options = config.kb
    if options is None or not options.source.is_dir():
        return {}
    try:
        pages = build_pages(options, cache=knowledge_base_cache(config))
    except PersonaKBError:
        return {}
    return {page.path: (page.markdown, page.source_map) for page in pages}
