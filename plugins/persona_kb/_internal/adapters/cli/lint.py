"""``persona-kb lint [PATH...]``: read personas and report every problem at ``path:line:col``.

Without ``PATH``, lint reads the ``persona-kb`` plugin's ``source`` from
``./mkdocs.yml`` (or ``--config``), and otherwise ``kb/``. Exit codes: 0 no
errors, 1 errors found, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from persona_kb._internal.adapters.cli.formats import add_format_argument
from persona_kb._internal.adapters.cli.site_options import (
    add_baseline_arguments,
    add_config_argument,
    baselined,
)
from persona_kb._internal.core.diagnostics import (
    Diagnostic,
    PersonaKBError,
    Severity,
    has_errors,
    summarize,
)
from persona_kb._internal.core.model import IngestResult, PersonaFormat

if TYPE_CHECKING:
    from persona_kb._internal.config.site import SiteConfig
    from persona_kb._internal.core.code_policy import CodePolicy


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``lint`` subcommand."""
    parser = subparsers.add_parser(
        "lint",
        help="read persona files and report problems at path:line:col",
        description=(
            "Read persona files and print one line per problem, "
            "'path:line:col: severity: message [CODE]', then a summary."
        ),
        epilog="Exit codes: 0 no errors, 1 errors found, 2 usage or configuration error.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="persona files or folders (default: the plugin's 'source' in mkdocs.yml, else kb/)",
    )
    add_format_argument(parser)
    parser.add_argument(
        "--persona-format",
        choices=[f.value for f in PersonaFormat],
        default=None,
        metavar="NAME",
        help="read every file as this format instead of detecting it: "
        + ", ".join(f.value for f in PersonaFormat),
    )
    add_config_argument(parser, "whose plugin 'source' is read without PATH")
    parser.add_argument(
        "--no-info", action="store_true", help="do not print info diagnostics (still counted)"
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print errors only, and the summary"
    )
    parser.add_argument(
        "--fix",
        action="store_true",
        help="repair mojibake, byte-order marks and unquoted front-matter values in place "
        "(only files that change are written; each change is shown as a diff)",
    )
    parser.add_argument(
        "--diff",
        action="store_true",
        help="show the diff --fix would apply, write nothing (exit 1 if there is one)",
    )
    add_baseline_arguments(parser, "lint")
    parser.set_defaults(handler=run_lint)


DEFAULT_SOURCE = "kb"


def default_source(config: Path | None) -> Path:
    """The folder lint reads without ``PATH``: the plugin's ``source`` (relative to the
    config file), else ``kb/`` next to the config file, else ``kb/`` here."""
    return _lint_site(config)[0]


def _lint_site(config: Path | None) -> tuple[Path, CodePolicy | None, SiteConfig | None]:
    # The default folder, the site's `codes:` policy (which applies to PATHs too), the site.
    from persona_kb._internal.adapters.site_loader import load_site_config, optional_config

    found = optional_config(config)
    if found is None:
        return Path(DEFAULT_SOURCE), None, None
    site = load_site_config(found)
    if site.kb is not None:
        return site.kb.source, site.kb.codes, site
    return found.parent / DEFAULT_SOURCE, None, site


def run_lint(args: argparse.Namespace) -> int:
    """Run ``lint`` with parsed arguments; returns the exit code."""
    from persona_kb._internal.checks.command_baseline import refuse_partial_update
    from persona_kb._internal.checks.command_report import CommandReport, render_report
    from persona_kb._internal.checks.lint import lint_personas
    from persona_kb._internal.core.paths import display_path

    refuse_partial_update(args.update_baseline, "PATH" if args.paths else "")
    source, codes, site = _lint_site(args.config)
    paths: list[Path] = list(args.paths) or [source]
    missing = [p for p in paths if not p.exists()]
    if missing:
        names = ", ".join(display_path(p) for p in missing)
        raise PersonaKBError(
            f"no such file or folder: {names}"
            + ("" if args.paths else " (pass the persona folder as PATH)")
        )
    persona_format = PersonaFormat(args.persona_format) if args.persona_format else None
    pending = False
    if args.fix or args.diff:
        pending = apply_fixes(paths, persona_format, write=args.fix)
    result = lint_personas(paths, persona_format=persona_format, codes=codes)
    known = baselined(args, site, "lint", result.diagnostics, whole=not args.paths)
    diagnostics = known.diagnostics
    shown = [d for d in diagnostics if _wanted(d, quiet=args.quiet, no_info=args.no_info)]
    report = CommandReport(
        "lint",
        shown,
        summary_text(result, diagnostics) + (f"; {known.note}" if known.note else ""),
        counts={"files": result.files, "personas": len(result.personas)},
        extra={
            "personas": [
                {"id": p.id, "name": p.name, "path": p.path, "format": str(p.format)}
                for p in result.personas
            ]
        },
        counted=diagnostics,
    )
    sys.stdout.write(render_report(report, args.output_format))
    return 1 if has_errors(diagnostics) or (args.diff and pending) else 0


def apply_fixes(paths: list[Path], persona_format: PersonaFormat | None, *, write: bool) -> bool:
    """Show (and with ``write``, apply) ``--fix``'s repairs; whether any file changes."""
    import difflib

    from persona_kb._internal.core.wording import plural
    from persona_kb._internal.ingest import display_path
    from persona_kb._internal.ingest.discover import discover_persona_files
    from persona_kb._internal.ingest.fix import fix_persona

    changed = 0
    files, _skipped = discover_persona_files(paths)
    for path in files:
        shown = display_path(path)
        try:
            data = path.read_bytes()
        except OSError:
            continue  # lint reports the unreadable file below
        fix = fix_persona(data, shown, persona_format=persona_format)
        if fix.refused:
            print(f"{shown}: not fixed: {fix.refused}", file=sys.stderr)
        if not fix.changed:
            continue
        changed += 1
        before = fix.before.decode("utf-8").splitlines(keepends=True)
        after = fix.after.decode("utf-8").splitlines(keepends=True)
        sys.stdout.writelines(difflib.unified_diff(before, after, f"a/{shown}", f"b/{shown}"))
        if write:
            path.write_bytes(fix.after)
            print(f"{shown}: fixed {', '.join(fix.fixed)}", file=sys.stderr)
    if changed:
        verb = "fixed" if write else "would fix"
        print(f"persona-kb lint: {verb} {plural(changed, 'file')}", file=sys.stderr)
    return changed > 0


def _wanted(diagnostic: Diagnostic, *, quiet: bool, no_info: bool) -> bool:
    if quiet:
        return diagnostic.severity is Severity.ERROR
    return not (no_info and diagnostic.severity is Severity.INFO)


def summary_text(result: IngestResult, diagnostics: Sequence[Diagnostic] | None = None) -> str:
    """``3 files, 2 personas, 1 error, 0 warnings, 4 infos`` (of ``diagnostics``, by
    default the result's)."""
    from persona_kb._internal.core.wording import plural

    counts = summarize(result.diagnostics if diagnostics is None else diagnostics)
    parts = [
        plural(result.files, "file"),
        plural(len(result.personas), "persona"),
        plural(counts["error"], "error"),
        plural(counts["warning"], "warning"),
        plural(counts["info"], "info"),
    ]
    return ", ".join(parts)
