"""``--format``: the one output-format option every subcommand registers.

Every subcommand offers the same choices, under the same names (``--format``, ruff's
``--output-format``) and the same destination (``args.output_format``), so a CI script
can switch format without learning each command.
"""

from __future__ import annotations

import argparse

FORMATS = ("text", "json", "github", "junit")
"""Human lines, one JSON document, GitHub Actions annotations, JUnit XML."""

_HELP = {
    "text": "one line per problem, then a summary (default)",
    "json": "one JSON document with a summary and every diagnostic",
    "github": "GitHub Actions annotations (::error file=…,line=…::…)",
    "junit": "JUnit XML (a test case per error, with its file and line)",
}


def add_format_argument(
    parser: argparse.ArgumentParser, choices: tuple[str, ...] = FORMATS
) -> None:
    """``--format``/``--output-format`` with ``choices`` (a subset of ``FORMATS``)."""
    unknown = set(choices) - set(FORMATS)
    if unknown:  # pragma: no cover - a programming error, caught by the CLI tests
        raise ValueError(f"unknown output formats {sorted(unknown)}")
    parser.add_argument(
        "--format",
        "--output-format",
        choices=choices,
        default="text",
        dest="output_format",
        help="; ".join(f"{name}: {_HELP[name]}" for name in choices),
    )
