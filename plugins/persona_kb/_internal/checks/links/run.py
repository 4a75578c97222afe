"""One call for the CLI and ``persona-kb check``: check a built site, locate every problem."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from persona_kb._internal.checks.links.check import LinkReport, check_site
from persona_kb._internal.checks.links.site import map_sources
from persona_kb._internal.config.site import SiteConfig
from persona_kb._internal.core.diagnostics import Diagnostic, PersonaKBError, sort_diagnostics

if TYPE_CHECKING:
    from persona_kb._internal.checks.links.external import ExternalOptions


@dataclass(frozen=True, slots=True)
class LinkCheck:
    """The raw report and its diagnostics, already at their Markdown ``path:line``."""

    report: LinkReport
    diagnostics: tuple[Diagnostic, ...]


def check_links(
    site_dir: Path,
    config: SiteConfig | None = None,
    *,
    external: ExternalOptions | None = None,
    exclude: tuple[str, ...] = (),
    site_display: str | None = None,
) -> LinkCheck:
    """Check the built site in ``site_dir`` and report at the sources ``config`` describes.

    Without ``config`` (no ``mkdocs.yml``), problems are reported at the HTML
    file's line. ``exclude`` holds regular expressions: links whose URL matches
    any of them are not reported. ``site_display`` names the site folder in
    reports (default: its path relative to the current directory).
    """
    if not site_dir.is_dir():
        raise PersonaKBError(
            f"no built site at {site_dir}: run `mkdocs build` first, or pass the site folder"
        )
    try:
        patterns = [re.compile(p) for p in exclude]
    except re.error as exc:
        raise PersonaKBError(f"--exclude: not a regular expression: {exc}") from None
    base_path = config.base_path if config is not None else "/"
    report = check_site(site_dir, base_path=base_path, external=external, exclude=patterns)
    if not report.problems:
        return LinkCheck(report, ())
    # Markdown parsing (and the knowledge base, for generated pages) is paid for only
    # when something is broken.
    from persona_kb._internal.checks.links.report import locate_problems
    from persona_kb._internal.core.code_policy import CodePolicy
    from persona_kb._internal.core.paths import display_path
    from persona_kb._internal.ingest.directives import apply_code_policy

    sources = map_sources(config) if config is not None else {}
    diagnostics = locate_problems(
        report.problems,
        sources,
        site_display=site_display or display_path(site_dir),
        config_path=config.config_path if config is not None else None,
    )
    # Two HTML links from one Markdown line (a persona bullet repeated in a table) are one fix.
    unique = {(d.code, d.span, d.message): d for d in diagnostics}
    found = list(unique.values())
    if config is not None and config.kb is not None:
        # Comments may silence a link problem in a persona or in a hand-written page.
        roots = [config.kb.source, config.docs_dir]
        found = apply_code_policy(found, config.kb.codes, roots=roots)
    elif config is not None:
        found = apply_code_policy(found, CodePolicy(), roots=[config.docs_dir])
    return LinkCheck(report, tuple(sort_diagnostics(found)))
