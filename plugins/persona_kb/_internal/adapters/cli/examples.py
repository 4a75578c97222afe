"""``persona-kb examples``: check that the site's code examples run, at the persona's line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from persona_kb._internal.core.diagnostics import PersonaKBError

FORMATS = ("github", "json", "junit", "text")
"""The report formats (the keys of the core's ``report.RENDERERS``; kept here so --help
imports nothing of the example checker)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``examples`` subcommand."""
    parser = subparsers.add_parser(
        "examples",
        help="check that code examples run, reported at the persona's own line",
        description=(
            "Check every code example the site renders: python blocks run isolated "
            "(one process per block, fresh globals, a timeout and a memory limit); YAML, "
            "JSON, TOML, INI and shell are parsed. Without PATH, the whole site is checked."
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
    parser.add_argument(
        "--config",
        "-f",
        type=Path,
        default=Path("mkdocs.yml"),
        help="the site's MkDocs config (default: mkdocs.yml)",
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds each block may run (default: 10)"
    )
    parser.add_argument(
        "--memory",
        type=int,
        default=1024,
        metavar="MIB",
        help="memory each block may use, in MiB; 0 for no limit (default: 1024)",
    )
    parser.add_argument(
        "--isolation",
        choices=["block", "page"],
        default="page",
        help="one process per page reused across its blocks (default), or a new one per block",
    )
    parser.add_argument(
        "--jobs", "-j", default="auto", help="worker processes in parallel, or 'auto' (default)"
    )
    parser.add_argument(
        "--topic", action="append", default=[], help="check only this topic (repeatable)"
    )
    parser.add_argument(
        "--persona",
        action="append",
        default=[],
        help="check only this persona (path or name; repeatable)",
    )
    parser.add_argument(
        "--prelude",
        action="append",
        type=Path,
        default=[],
        help="a prelude file run before every block (repeatable)",
    )
    parser.add_argument(
        "--default-tier",
        default="run",
        choices=["run", "no-run", "ignore"],
        help="tier of blocks that set none (default: run)",
    )
    parser.add_argument(
        "--missing-module",
        choices=["fail", "skip"],
        default="fail",
        help="what a block importing an uninstalled module does",
    )
    parser.add_argument(
        "--undefined-names",
        choices=["warn", "fail"],
        default="warn",
        help="no-run blocks using undefined names: warn or fail",
    )
    parser.add_argument(
        "--allow-shell", action="store_true", help="execute shell blocks that are marked 'run'"
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
    from persona_kb._internal.checks.examples.prelude import discover_preludes
    from persona_kb._internal.checks.examples.report import RENDERERS
    from persona_kb._internal.checks.examples.runner import (
        ExampleOptions,
        check_examples,
        default_jobs,
    )
    from persona_kb._internal.checks.examples.selection import select_examples
    from persona_kb._internal.checks.examples.site import path_examples, site_examples
    from persona_kb._internal.checks.examples.spec import TIER_WORDS

    default = TIER_WORDS[args.default_tier]
    config: Path = args.config
    if args.paths:
        site = path_examples(
            args.paths, config if config.is_file() else None, config_default=default
        )
    else:
        site = site_examples(config, config_default=default)
    for prelude in args.prelude:
        if not prelude.is_file():
            raise PersonaKBError(f"prelude {prelude.as_posix()} not found")
    jobs = default_jobs() if args.jobs == "auto" else _positive_int(args.jobs)
    options = ExampleOptions(
        timeout=args.timeout,
        memory_mb=args.memory,
        missing_module=args.missing_module,
        undefined_names=args.undefined_names,
        allow_shell=args.allow_shell,
        isolation=args.isolation,
        jobs=jobs,
        preludes=discover_preludes(site.source, args.prelude),
    )
    chosen = select_examples(site.examples, topics=args.topic, personas=args.persona)
    report = check_examples(chosen, options, site.diagnostics)
    if args.format == "text":
        sys.stdout.write(RENDERERS["text"](report, verbose=args.verbose))  # type: ignore[call-arg]
    else:
        sys.stdout.write(RENDERERS[args.format](report))
    return 0 if report.ok else 1


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise PersonaKBError(f"--jobs must be a positive number or 'auto', not {value!r}")
    return number


__all__ = ["FORMATS", "register", "run"]
