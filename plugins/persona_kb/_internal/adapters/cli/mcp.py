"""``persona-kb mcp [--config mkdocs.yml]``: serve the knowledge base to agents over stdio (MCP).

Builds the KB as ``persona-kb export`` does, then answers MCP requests on stdin/stdout
until the client closes the connection. Needs the optional extra:
``pip install "persona-kb[mcp]"``. Exit codes: 0 closed normally, 2 usage or
configuration error (including the missing extra).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from persona_kb._internal.adapters.cli.site_options import add_config_argument
from persona_kb._internal.core.diagnostics import PersonaKBError, Severity

if TYPE_CHECKING:  # the KB builder loads only when the command runs
    from persona_kb._internal.kb.agents.service import KBService


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``mcp`` subcommand."""
    parser = subparsers.add_parser(
        "mcp",
        help="serve the knowledge base to agents as an MCP server over stdio",
        description=(
            "Build the knowledge base and serve it over stdio with the Model Context "
            "Protocol: tools list_topics, search, get_page, get_persona, get_pattern_cards, "
            "and every page as a resource. Needs: pip install 'persona-kb[mcp]'."
        ),
        epilog="Exit codes: 0 closed normally, 2 usage or configuration error.",
    )
    add_config_argument(parser, "holding the plugin's options")
    parser.set_defaults(handler=run_mcp)


def load_service(config: Path | None) -> KBService:
    """Build the KB named by ``config`` and wrap it for answering queries."""
    from persona_kb._internal.adapters.site_loader import kb_site
    from persona_kb._internal.kb.agents.bundle import agent_export
    from persona_kb._internal.kb.agents.service import KBService
    from persona_kb._internal.kb.build import build_knowledge_base

    _site, options, project = kb_site(config, "to serve its knowledge base")
    with contextlib.chdir(project):
        kb = build_knowledge_base(options)
        bundle = agent_export(kb, output=options.output, allow_html=options.allow_html)
    errors = sum(d.severity is Severity.ERROR for d in kb.diagnostics)
    print(
        f"persona-kb mcp: {len(kb.ingest.personas)} personas in {len(kb.topics)} topics"
        + (f"; {errors} files skipped (see `persona-kb lint`)" if errors else ""),
        file=sys.stderr,
    )
    return KBService(kb, bundle)


def run_mcp(args: argparse.Namespace) -> int:
    """Serve until stdin closes."""
    try:
        from persona_kb._internal.adapters.mcp_server import build_server
    except ImportError:
        raise PersonaKBError(
            "the MCP server needs the 'mcp' extra: pip install 'persona-kb[mcp]' "
            "(or uv add 'persona-kb[mcp]')"
        ) from None
    build_server(load_service(args.config)).run("stdio")
    return 0
