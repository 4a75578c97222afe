"""``persona-kb export [--out DIR] [--check] [--config mkdocs.yml]``: pages to disk.

Builds the knowledge base exactly as the MkDocs plugin does (same options, read from
the ``persona-kb`` block of ``mkdocs.yml`` when it exists) and writes it under ``--out``
(default ``docs/kb``, i.e. the docs folder plus the plugin's ``output``). Only changed
files are rewritten, stale generated files are removed, and files persona-kb did not
generate are never touched. ``--check`` writes nothing and exits 1 when anything is out
of date: the drift check for CI. Exit codes: 0 clean, 1 out of date, conflicts or a
persona with errors (its pages are still written), 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from persona_kb._internal.adapters.cli.formats import add_format_argument
from persona_kb._internal.adapters.cli.site_options import add_config_argument
from persona_kb._internal.core.diagnostics import Diagnostic, Severity
from persona_kb._internal.core.paths import display_path

if TYPE_CHECKING:  # the KB builder (ingest, Jinja2, Markdown) loads when the command runs
    from persona_kb._internal.kb.export import ExportReport

EXIT_OK = 0
EXIT_PROBLEMS = 1


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``export`` subcommand."""
    parser = subparsers.add_parser(
        "export",
        help="write the generated KB pages to disk (docs/kb), or check them for drift",
        description=(
            "Build the knowledge base as the MkDocs plugin does and write its pages under "
            "--out. Rewrites only changed files, removes stale generated files, never "
            "touches files it did not generate."
        ),
        epilog="Exit codes: 0 up to date, 1 out of date (--check), conflicts or a persona "
        "with errors (its pages are still written), 2 usage or configuration error.",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder that receives the KB (default: <docs_dir>/<output>, i.e. docs/kb)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list what is out of date and exit 1 if anything is",
    )
    add_config_argument(parser, "holding the plugin's options")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    add_format_argument(parser)
    parser.set_defaults(handler=run_export)


def _summary(report: ExportReport) -> str:
    from persona_kb._internal.core.wording import plural

    verb = "out of date" if report.check else "written"
    return (
        f"{len(report.written)} {verb}, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} {'stale' if report.check else 'removed'}, "
        f"{plural(len(report.conflicts), 'conflict')}"
    )


def _print_report(report: ExportReport, quiet: bool) -> None:
    show = display_path
    verb = "out of date" if report.check else "written"
    for diagnostic in report.diagnostics:
        print(diagnostic.format(), file=sys.stderr)
    if not quiet or report.check:
        for path in report.written:
            print(f"{show(path)}: {verb}")
        for path in report.removed:
            print(f"{show(path)}: {'stale (would be removed)' if report.check else 'removed'}")
    if not quiet:
        print(f"persona-kb export: {_summary(report)}")


def _render(report: ExportReport, found: list[Diagnostic], output_format: str) -> str:
    # The machine formats: the build's and the export's problems, drift as PKB720 errors.
    from persona_kb._internal.checks.command_report import CommandReport, render_report
    from persona_kb._internal.checks.steps import export_diagnostics

    diagnostics = [*found, *export_diagnostics(report)]
    paths = {
        "written": [display_path(p) for p in report.written],
        "removed": [display_path(p) for p in report.removed],
        "conflicts": [display_path(p) for p in report.conflicts],
    }
    counts = {
        "check": report.check,
        "out_of_date" if report.check else "written": len(report.written),
        "unchanged": len(report.unchanged),
        "stale" if report.check else "removed": len(report.removed),
        "conflicts": len(report.conflicts),
    }
    command = CommandReport("export", diagnostics, _summary(report), counts, paths)
    return render_report(command, output_format)


def run_export(args: argparse.Namespace) -> int:
    """Build the KB and export (or check) it."""
    from persona_kb._internal.adapters.site_loader import kb_site
    from persona_kb._internal.kb.agents.bundle import export_for_agents
    from persona_kb._internal.kb.agents.github import GithubCache
    from persona_kb._internal.kb.build import build_knowledge_base, project_cache
    from persona_kb._internal.kb.export import check_output_folder

    site, options, project = kb_site(args.config, "to export its knowledge base")
    default_out = site.kb_out_dir if site is not None else None
    chosen = args.out or default_out or project / "docs" / options.output
    if args.out is None:
        check_output_folder(chosen, project)
    out_dir: Path = chosen.resolve()
    # Build from the project folder so persona paths on the pages read `kb/…`, exactly as
    # the plugin shows them, wherever the command is run from.
    # Through the plugin's on-disk cache, as `mkdocs build` and `check` use it (a project
    # without mkdocs.yml has no cache folder of its own, so nothing is kept).
    cache = None
    if site is not None:
        plugin = site.persona_kb_options()
        cache = project_cache(
            project, enabled=plugin.get("cache", True), cache_dir=plugin.get("cache_dir")
        )
    with contextlib.chdir(project):
        kb = build_knowledge_base(options, cache=cache)
        # Inside the project folder too: the index reads front-matter lines by persona path.
        report = export_for_agents(
            kb,
            out_dir,
            output=options.output,
            allow_html=options.allow_html,
            check=args.check,
            cache=GithubCache(cache.store if cache is not None else None),
        )
    found = [d for d in kb.diagnostics if d.severity is not Severity.INFO]
    text = args.output_format == "text"
    for diagnostic in found if text and not args.quiet else ():
        print(diagnostic.format(), file=sys.stderr)
    if text:
        _print_report(report, args.quiet)
    else:
        sys.stdout.write(_render(report, found, args.output_format))
    # The pages are written whatever a persona's errors (one bad persona never takes the KB
    # down), but errors are problems found, as in every other command.
    errors = any(d.severity is Severity.ERROR for d in found)
    return EXIT_OK if report.ok and not errors else EXIT_PROBLEMS
