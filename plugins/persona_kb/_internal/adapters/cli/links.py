"""``persona-kb links [SITE_DIR]``: check the built site's links, anchors and assets."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from persona_kb._internal.adapters.cli.formats import add_format_argument
from persona_kb._internal.adapters.cli.site_options import (
    add_baseline_arguments,
    add_config_argument,
    baselined,
)
from persona_kb._internal.core.diagnostics import PersonaKBError, has_errors

if TYPE_CHECKING:  # the checker's modules load when the command runs, not for --help
    from persona_kb._internal.checks.links.run import LinkCheck
    from persona_kb._internal.config.site import SiteConfig

DEFAULT_CACHE = Path(".persona-kb-cache") / "external-links.json"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``links`` subcommand."""
    parser = subparsers.add_parser(
        "links",
        help="check links, anchors and images of the built site",
        description=(
            "Check every internal link, #fragment, image and asset of a built MkDocs site, "
            "offline, and report each broken one at its Markdown source's path:line (the "
            "persona's path:line for generated pages). External URLs are checked only with "
            "--external."
        ),
        epilog="Exit codes: 0 no broken links, 1 broken links found, 2 usage error.",
    )
    parser.add_argument(
        "site_dir",
        nargs="?",
        type=Path,
        metavar="SITE_DIR",
        help="the built site (default: site_dir from mkdocs.yml, usually site/)",
    )
    add_config_argument(parser, "that built the site, to find the Markdown sources")
    parser.add_argument(
        "--external", action="store_true", help="also check http(s) URLs (needs the network)"
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds per request (10)")
    parser.add_argument(
        "--retries", type=int, default=2, help="retries after timeouts, 429 and 5xx (2)"
    )
    parser.add_argument("--workers", type=int, default=8, help="requests in flight at once (8)")
    parser.add_argument(
        "--cache",
        type=Path,
        default=DEFAULT_CACHE,
        help=f"cache file of external successes (default: {DEFAULT_CACHE.as_posix()})",
    )
    parser.add_argument("--no-cache", action="store_true", help="do not read or write the cache")
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="REGEX",
        help="skip links whose URL matches REGEX (repeatable)",
    )
    add_format_argument(parser)
    add_baseline_arguments(parser, "links")
    parser.set_defaults(handler=run)


def load_config(path: Path | None) -> SiteConfig | None:
    """``--config`` (must exist) or ``./mkdocs.yml`` (optional: without it, HTML lines)."""
    from persona_kb._internal.adapters.site_loader import load_site_config, optional_config

    found = optional_config(path)
    return load_site_config(found) if found is not None else None


def run(args: argparse.Namespace) -> int:
    """Check the links and print the report; 0 clean, 1 broken links (not baselined)."""
    from dataclasses import replace

    from persona_kb._internal.checks.links.run import check_links
    from persona_kb._internal.core.paths import display_path

    config = load_config(args.config)
    site_dir: Path | None = args.site_dir
    if site_dir is None:
        if config is None:
            raise PersonaKBError("no SITE_DIR given and no mkdocs.yml here to find site_dir in")
        site_dir = config.site_dir
    external = None
    if args.external:
        # urllib's HTTP stack (ssl, http.client, email) loads only for external URLs.
        from persona_kb._internal.checks.links.external import ExternalOptions

        external = ExternalOptions(
            timeout=args.timeout,
            retries=max(0, args.retries),
            workers=max(1, args.workers),
            cache_path=None if args.no_cache else args.cache,
        )
    result = check_links(site_dir, config, external=external, exclude=tuple(args.exclude))
    known = baselined(args, config, "links", result.diagnostics, site_shown=display_path(site_dir))
    result = replace(result, diagnostics=known.diagnostics)
    sys.stdout.write(render_result(result, args.output_format, known.note))
    return 1 if has_errors(result.diagnostics) else 0


def summary_line(result: LinkCheck) -> str:
    """``links: 12 pages, 340 links, 2 broken`` plus a note on external URLs."""
    report = result.report
    broken = len(result.diagnostics)
    from persona_kb._internal.core.wording import plural

    line = f"{plural(report.pages, 'page')}, {plural(report.links, 'link')}, {broken} broken"
    if report.external_urls and not report.external_checked:
        line += f" ({report.external_urls} external URLs not checked: pass --external)"
    elif report.external_checked:
        line += f" ({report.external_urls} external URLs checked)"
    return line


def render_result(result: LinkCheck, output_format: str, note: str = "") -> str:
    """The diagnostics and the summary in ``output_format`` (text, json, github, junit);
    ``note`` says what the baseline knew."""
    from persona_kb._internal.checks.command_report import CommandReport, render_report

    report = CommandReport(
        "links",
        result.diagnostics,
        summary_line(result) + (f"; {note}" if note else ""),
        counts={
            "pages": result.report.pages,
            "links": result.report.links,
            "external_urls": result.report.external_urls,
            "external_checked": result.report.external_checked,
        },
        related_label="in the built page",
    )
    return render_report(report, output_format)
