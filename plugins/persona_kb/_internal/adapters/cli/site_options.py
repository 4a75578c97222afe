"""The options several subcommands share: the site's config and the example settings.

Every subcommand that reads the site takes the same ``--config``/``-f``, and
``examples`` and ``check`` take the same example flags. Their values go, unchanged, to
the core's options model, which validates them the same way for the CLI, pytest and
``mkdocs.yml``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from persona_kb._internal.checks.command_baseline import Baselined
    from persona_kb._internal.config.options import ExampleSettings
    from persona_kb._internal.config.site import SiteConfig
    from persona_kb._internal.core.diagnostics import Diagnostic


def add_config_argument(parser: argparse.ArgumentParser, what: str) -> None:
    """``--config``/``-f`` (MkDocs' ``--config-file`` too): the site's config file (found as
    MkDocs finds it by default)."""
    parser.add_argument(
        "--config",
        "-f",
        "--config-file",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"the site's config, {what} (default: ./mkdocs.yml, or ./properdocs.yml)",
    )


def add_example_arguments(parser: argparse.ArgumentParser) -> None:
    """The example settings as flags; unset flags keep the ``mkdocs.yml`` value."""
    parser.add_argument("--timeout", default=None, help="seconds each block may run (default: 10)")
    parser.add_argument(
        "--memory",
        default=None,
        metavar="MIB",
        help="memory each block may use, in MiB; 0 for no limit (default: 1024)",
    )
    parser.add_argument(
        "--isolation",
        default=None,
        help="page: one process per page reused across its blocks (default); "
        "block: a new one per block",
    )
    parser.add_argument(
        "--jobs", "-j", default=None, help="worker processes in parallel, or 'auto' (default)"
    )
    parser.add_argument(
        "--prelude",
        action="append",
        default=None,
        metavar="FILE",
        help="a prelude file run before every block (repeatable)",
    )
    parser.add_argument(
        "--default-tier",
        default=None,
        help="tier of blocks that set none: run (default), no-run or ignore",
    )
    parser.add_argument(
        "--missing-module",
        default=None,
        help="a block importing an uninstalled module: fail (default) or skip",
    )
    parser.add_argument(
        "--undefined-names",
        default=None,
        help="no-run blocks using undefined names: warn (default) or fail",
    )
    parser.add_argument(
        "--placeholders",
        default=None,
        help="a block that does not parse and holds a placeholder (<id>, {{ name }}, "
        "YOUR_KEY, a ... line): fail (default) or skip it as a fragment",
    )
    parser.add_argument(
        "--language-defaults",
        action="append",
        default=None,
        metavar="'LANG: KEY=VALUE, …'",
        help="defaults for one language's blocks: default_tier, missing_module, "
        "placeholders (repeatable), e.g. 'typescript: missing_module=skip'",
    )
    parser.add_argument(
        "--folder-defaults",
        action="append",
        default=None,
        metavar="'FOLDER: KEY=VALUE, …'",
        help="defaults for the blocks written in one folder (relative to the project; "
        "repeatable; they win over --language-defaults), e.g. 'vendor: default_tier=no-run'",
    )
    parser.add_argument(
        "--toolchain",
        action="append",
        default=None,
        metavar="NAME",
        help="also compile and run complete programs with this toolchain, where installed: "
        "go, rust, java, c, cpp (repeatable; off by default)",
    )
    parser.add_argument(
        "--baseline",
        default=None,
        metavar="FILE",
        help="known example failures that do not fail the check (default: "
        "persona-kb-baseline.json beside mkdocs.yml, when it exists)",
    )
    parser.add_argument(
        "--allow-shell",
        action="store_const",
        const=True,
        default=None,
        help="execute shell blocks that are marked 'run'",
    )


def load_site(args: argparse.Namespace) -> SiteConfig:
    """The site named by ``--config`` (or found here), read by the one config reader."""
    from persona_kb._internal.adapters.site_loader import load_site_config

    return load_site_config(args.config)


def example_settings(args: argparse.Namespace, site: SiteConfig | None) -> ExampleSettings:
    """The site's example settings with the flags given on the command line on top."""
    from persona_kb._internal.config.options import OptionSource
    from persona_kb._internal.config.options import example_settings as validate

    values = {
        "timeout": args.timeout,
        "memory_mb": args.memory,
        "isolation": args.isolation,
        "jobs": args.jobs,
        "preludes": args.prelude,
        "default_tier": args.default_tier,
        "missing_module": args.missing_module,
        "undefined_names": args.undefined_names,
        "allow_shell": args.allow_shell,
        "placeholders": args.placeholders,
        "languages": args.language_defaults,
        "folders": args.folder_defaults,
        "toolchains": args.toolchain,
        # A path typed on the command line is relative to where it was typed.
        "baseline": str(Path(args.baseline).absolute()) if args.baseline else None,
    }
    return validate(values, OptionSource("cli"), base=site.examples if site else None)


def add_baseline_arguments(parser: argparse.ArgumentParser, step: str) -> None:
    """``--baseline`` and ``--update-baseline`` for a command ``check`` runs as a step."""
    parser.add_argument(
        "--baseline",
        default=None,
        metavar="FILE",
        help="known findings that do not fail the command (default: the site's baseline, "
        "persona-kb-baseline.json beside mkdocs.yml, when it exists)",
    )
    parser.add_argument(
        "--update-baseline",
        action="store_true",
        help=f"record the current {step} findings in the baseline file (the other steps' "
        "entries are kept), then report as usual",
    )


def baseline_location(args: argparse.Namespace, site: SiteConfig | None) -> tuple[Path, Path]:
    """The baseline file (``--baseline``, else the site's ``examples: baseline:``, else
    the default name beside the config) and the project its paths are relative to."""
    from persona_kb._internal.checks.findings_baseline import BASELINE_FILE

    project = site.project if site is not None else Path.cwd()
    if args.baseline:
        return Path(args.baseline).absolute(), project
    named = site.examples.baseline if site is not None else None
    return project / (named or BASELINE_FILE), project


def baselined(
    args: argparse.Namespace,
    site: SiteConfig | None,
    step: str,
    diagnostics: Sequence[Diagnostic],
    *,
    whole: bool = True,
    site_shown: str | None = None,
) -> Baselined:
    """``diagnostics`` without the findings of ``step`` the baseline knows (``--baseline``,
    ``--update-baseline``): see
    [`baseline_findings`][persona_kb._internal.checks.command_baseline.baseline_findings]."""
    from persona_kb._internal.checks.command_baseline import baseline_findings

    baseline, project = baseline_location(args, site)
    return baseline_findings(
        step,
        diagnostics,
        baseline=baseline,
        project=project,
        update=args.update_baseline,
        whole=whole,
        site=site_shown,
    )
