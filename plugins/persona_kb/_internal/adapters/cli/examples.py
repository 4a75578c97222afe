"""``persona-kb examples``: check that the site's code examples run, at the persona's line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from persona_kb._internal.adapters.cli.formats import add_format_argument
from persona_kb._internal.adapters.cli.site_options import (
    add_config_argument,
    add_example_arguments,
    example_settings,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``examples`` subcommand."""
    parser = subparsers.add_parser(
        "examples",
        help="check that code examples run, reported at the persona's own line",
        description=(
            "Check every code example the site renders: python, JavaScript and TypeScript "
            "blocks run isolated (a process per page, fresh globals, a timeout and a memory "
            "limit); YAML, JSON (with comments), TOML, INI and shell are parsed, and so are Go, "
            "Java, Kotlin, Swift, C#, Rust, Ruby, PHP, SQL, HTML, CSS, Dockerfile … with "
            "tree-sitter. Without PATH, the whole site is checked. With a baseline, only new "
            "or changed failures fail."
        ),
        epilog="Exit codes: 0 all good, 1 an example failed, 2 usage or configuration error.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="a Markdown page, a persona file, or a folder of them",
    )
    add_config_argument(parser, "whose pages are checked")
    add_format_argument(parser)
    parser.add_argument(
        "--topic", action="append", default=[], help="check only this topic (repeatable)"
    )
    parser.add_argument(
        "--persona",
        action="append",
        default=[],
        help="check only this persona (path or name; repeatable)",
    )
    add_example_arguments(parser)
    parser.add_argument(
        "--update-baseline",
        action="store_true",
        help="record every current failure (and the examples step's page problems, such "
        "as unclosed fences) in the baseline file, then exit 0",
    )
    parser.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="show tracebacks and output of failures (text format)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Select, check and report; 0 when every example passed, 1 otherwise."""
    from persona_kb._internal.adapters.site_loader import load_site_config, optional_config
    from persona_kb._internal.checks.command_baseline import (
        baseline_findings,
        refuse_partial_update,
    )
    from persona_kb._internal.checks.examples.baseline import (
        apply_baseline,
        read_baseline,
        write_baseline,
    )
    from persona_kb._internal.checks.examples.options import (
        baseline_path,
        runtime_options,
        with_scoped_tiers,
    )
    from persona_kb._internal.checks.examples.report import RENDERERS, ExampleReport
    from persona_kb._internal.checks.examples.runner import check_examples
    from persona_kb._internal.checks.examples.selection import select_examples
    from persona_kb._internal.checks.examples.site import path_examples, site_examples
    from persona_kb._internal.checks.examples.spec import TIER_WORDS

    narrowed = [args.paths and "PATH", args.topic and "--topic", args.persona and "--persona"]
    refuse_partial_update(args.update_baseline, ", ".join(n for n in narrowed if n))
    config = optional_config(args.config) if args.paths else args.config
    site = load_site_config(config) if config is not None or not args.paths else None
    settings = example_settings(args, site)
    default = TIER_WORDS[settings.default_tier]
    project = site.project if site is not None else Path.cwd()
    if args.paths:
        found = path_examples(args.paths, site, config_default=default)
    else:
        assert site is not None
        found = site_examples(site, config_default=default)
    found = with_scoped_tiers(found, settings, project)
    options = runtime_options(
        settings,
        source=found.source,
        root=project,
        codes=found.codes,
        code_roots=found.code_roots,
    )
    chosen = select_examples(found.examples, topics=args.topic, personas=args.persona)
    report = check_examples(chosen, options, found.diagnostics)
    baseline = baseline_path(settings, project)
    if args.update_baseline:
        count = write_baseline(baseline, report.results, project)
        sys.stderr.write(f"persona-kb: {count} failures recorded in {baseline.as_posix()}\n")
    outcome = apply_baseline(report, read_baseline(baseline, project))
    known = baseline_findings(
        "examples",
        outcome.report.diagnostics,
        baseline=baseline,
        project=project,
        update=args.update_baseline,
        whole=not any(narrowed),
    )
    if args.update_baseline:
        return 0
    report = ExampleReport(outcome.report.results, known.diagnostics)
    for note in (outcome.summary(), known.note):
        if note:
            sys.stderr.write(f"persona-kb: {note} ({baseline.as_posix()})\n")
    if args.output_format == "text":
        sys.stdout.write(RENDERERS["text"](report, verbose=args.verbose))  # type: ignore[call-arg]
    else:
        sys.stdout.write(RENDERERS[args.output_format](report))
    return 0 if report.ok else 1
