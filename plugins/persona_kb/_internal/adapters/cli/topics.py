"""``persona-kb topics [PATH...]``: each topic, its personas and why each landed there.

Without ``PATH`` it reads the plugin's ``source`` (and its ``topics:`` and ``vocabulary:``
options) from ``./mkdocs.yml`` (or ``--config``), else ``kb/``. With ``PATH``, topics are
assigned with no configuration, as for a library seen for the first time. Exit codes: 0
done, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
from pathlib import Path

from persona_kb._internal.adapters.cli.formats import add_format_argument
from persona_kb._internal.adapters.cli.site_options import add_config_argument
from persona_kb._internal.core.diagnostics import PersonaKBError


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``topics`` subcommand."""
    parser = subparsers.add_parser(
        "topics",
        help="list each topic, its personas and why each landed there",
        description=(
            "Assign topics as the knowledge base does and print each topic with its "
            "personas and the reason for each: front-matter, rule, vocabulary, "
            "name-group, folder, content or own-name."
        ),
        epilog="Exit codes: 0 done, 2 usage or configuration error.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="persona folder (default: the plugin's 'source' in mkdocs.yml, else kb/)",
    )
    add_format_argument(parser, ("text", "json"))  # a listing, not problems: no annotations
    add_config_argument(parser, "holding the plugin's source, topics: and vocabulary:")
    parser.set_defaults(handler=run_topics)


def run_topics(args: argparse.Namespace) -> int:
    """Run ``topics`` with parsed arguments; returns the exit code."""
    from persona_kb._internal.kb.topic_report import topic_report

    if args.paths:
        missing = [p for p in args.paths if not p.exists()]
        if missing:
            raise PersonaKBError("no such file or folder: " + ", ".join(map(str, missing)))
        report = topic_report(args.paths[0], extra_paths=args.paths[1:])
    else:
        from persona_kb._internal.adapters.site_loader import load_site_config, optional_config
        from persona_kb._internal.kb.build import KBOptions

        config = optional_config(args.config)
        site = load_site_config(config) if config is not None else None
        options = site.kb if site is not None and site.kb is not None else KBOptions()
        project = site.project if site is not None else Path.cwd()
        # From the project folder, so persona paths read `kb/…` as on the pages.
        with contextlib.chdir(project):
            if not options.source.exists():
                raise PersonaKBError(
                    f"no such folder: {options.source} (pass the persona folder as PATH)"
                )
            report = topic_report(
                options.source, rules=options.topics, vocabulary=options.vocabulary
            )
    if args.output_format == "json":
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        print(report.to_text())
    return 0
