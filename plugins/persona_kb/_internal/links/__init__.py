"""Link checks on a built MkDocs site, reported at the Markdown (or persona) ``path:line``."""

from __future__ import annotations

from persona_kb._internal.links.check import LinkProblem, LinkReport, ProblemKind, check_site
from persona_kb._internal.links.external import ExternalOptions, UrlResult, check_urls
from persona_kb._internal.links.html import HtmlLink, HtmlPage, parse_html
from persona_kb._internal.links.run import LinkCheck, check_links
from persona_kb._internal.links.site import SiteConfig, map_sources, read_site_config

__all__ = [
    "ExternalOptions",
    "HtmlLink",
    "HtmlPage",
    "LinkCheck",
    "LinkProblem",
    "LinkReport",
    "ProblemKind",
    "SiteConfig",
    "UrlResult",
    "check_links",
    "check_site",
    "check_urls",
    "map_sources",
    "parse_html",
    "read_site_config",
]
