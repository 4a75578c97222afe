"""``persona-kb check``: lint, strict build, drift check, examples and links, for CI."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from persona_kb._internal.adapters.cli.formats import add_format_argument
from persona_kb._internal.adapters.cli.site_options import (
    add_config_argument,
    add_example_arguments,
    example_settings,
    load_site,
)
from persona_kb._internal.core.diagnostics import PersonaKBError

STEPS = ("lint", "build", "export", "examples", "links")
"""The steps, in order (the core's ``check.STEPS``; kept here so --help imports nothing)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``check`` subcommand."""
    parser = subparsers.add_parser(
        "check",
        help="run every check for CI: lint, strict build, drift, examples, links",
        description=(
            "Run persona lint, `mkdocs build --strict` (into a temporary folder), "
            "`export --check`, the examples and the links of the freshly built site; print "
            "one summary and exit with one code. Problems are reported at the Markdown "
            "source's path:line, and at the persona's path:line for generated pages."
        ),
        epilog="Exit codes: 0 every step passed, 1 a step found problems, 2 usage or "
        "configuration error.",
    )
    add_config_argument(parser, "to build and check")
    add_format_argument(parser)
    parser.add_argument(
        "--junit-xml",
        type=Path,
        default=None,
        metavar="PATH",
        help="also write JUnit XML to PATH (with any --format)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=STEPS,
        help="leave a step out (repeatable)",
    )
    parser.add_argument(
        "--site-dir",
        type=Path,
        default=None,
        help="build the site into this folder and keep it (default: a temporary folder)",
    )
    parser.add_argument(
        "--external", action="store_true", help="also check external links (needs the network)"
    )
    add_example_arguments(parser)
    parser.add_argument(
        "--update-baseline",
        action="store_true",
        help="record every step's current findings and example failures in the baseline "
        "file (then only new ones fail)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the checks and print the report; 0 passed, 1 problems found."""
    from persona_kb._internal.checks.output import RENDERERS, render_junit, render_step_summary
    from persona_kb._internal.checks.pipeline import CheckOptions, run_checks

    site = load_site(args)
    options = CheckOptions(
        site=site,
        skip=frozenset(args.skip),
        site_dir=args.site_dir,
        examples=example_settings(args, site),
        external_links=args.external,
        update_baseline=args.update_baseline,
    )
    quiet = args.output_format in ("json", "junit")  # stdout is one document
    report = run_checks(options, progress=None if quiet else _progress)
    sys.stdout.write(RENDERERS[args.output_format](report))
    if args.junit_xml is not None:
        try:
            args.junit_xml.parent.mkdir(parents=True, exist_ok=True)
            args.junit_xml.write_text(render_junit(report), encoding="utf-8")
        except OSError as exc:
            raise PersonaKBError(f"--junit-xml: cannot write {args.junit_xml}: {exc}") from None
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if args.output_format == "github" and summary_file:
        try:
            with open(summary_file, "a", encoding="utf-8") as handle:
                handle.write(render_step_summary(report))
        except OSError:
            pass  # the job summary is a courtesy; the annotations and exit code carry the result
    return 0 if report.ok else 1


def _progress(step: str) -> None:
    print(f"  running {step} …", file=sys.stderr, flush=True)
