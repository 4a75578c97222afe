"""``persona-kb``: the entry point that dispatches to one module per subcommand.

Each subcommand module exposes ``register(subparsers)``, which adds its parser and
sets ``handler`` (a ``Callable[[argparse.Namespace], int]``) as a default.
Exit codes are fixed: 0 all good, 1 problems found, 2 usage or configuration error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from persona_kb._internal.core.diagnostics import PersonaKBError

Handler = Callable[[argparse.Namespace], int]

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def _subcommand_modules() -> list[
    Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]
]:
    # Imported here so that `persona-kb --help` stays fast and one broken
    # subcommand cannot stop the others from loading at import time.
    from persona_kb._internal.adapters.cli import (
        check,
        examples,
        export,
        links,
        lint,
        mcp,
        topics,
    )

    return [
        check.register,
        examples.register,
        export.register,
        lint.register,
        links.register,
        topics.register,
        mcp.register,
    ]


def installed_version() -> str:
    """The installed distribution's version (``unknown`` when run from a bare checkout)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("persona-kb")
    except PackageNotFoundError:
        return "unknown"


class _VersionAction(argparse.Action):
    """``--version``, reading the installed metadata only when asked (importing
    ``importlib.metadata`` and reading it costs every other command start-up time)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)  # type: ignore[arg-type]

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> None:
        sys.stdout.write(f"{parser.prog} {installed_version()}\n")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(
        prog="persona-kb",
        description="Build and check a knowledge base from AI-agent persona files.",
        epilog="Exit codes: 0 all good, 1 problems found, 2 usage or configuration error.",
    )
    parser.add_argument("-V", "--version", action=_VersionAction, help="show the version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for register in _subcommand_modules():
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``persona-kb`` with ``argv`` and return its exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    handler: Handler = args.handler
    from persona_kb._internal.adapters.cli.colour import painted_output

    text = getattr(args, "output_format", "text")
    try:
        with painted_output(text == "text"):
            return handler(args)
    except PersonaKBError as exc:
        print(f"persona-kb: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("persona-kb: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
