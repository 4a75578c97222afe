"""``persona-kb mcp``: the knowledge base as an MCP server (official MCP Python SDK, stdio).

Tools map one to one onto [`KBService`][persona_kb._internal.kb.agents.service.KBService];
each page is also a resource (``persona-kb://page/<path>``). Needs the ``mcp`` extra.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from persona_kb._internal.core.diagnostics import PersonaKBError
from persona_kb._internal.kb.agents.search import KINDS
from persona_kb._internal.kb.agents.service import KBService

RESOURCE_SCHEME = "persona-kb://page/"
"""Page resources are ``persona-kb://page/kb/python/QUICK-REFERENCE.md``."""

_INSTRUCTIONS = (
    "A knowledge base built from AI-agent persona files. Start with list_topics; search "
    "finds rules, ❌/✅ pattern cards and guide passages, each with the persona file and line "
    "it came from; get_page returns a page's Markdown; get_pattern_cards a topic's cards."
)
T = TypeVar("T")


def _answer(call: Callable[[], T]) -> T:
    try:
        return call()
    except PersonaKBError as exc:
        raise ToolError(str(exc)) from None


def build_server(service: KBService, *, name: str = "persona-kb") -> MCPServer:
    """An MCP server answering from ``service``."""
    server = MCPServer(name, instructions=_INSTRUCTIONS)

    @server.tool()
    def list_topics() -> list[dict[str, object]]:
        """Every topic: slug, title, persona ids, page paths, tokens, rule and card counts."""
        return service.list_topics()

    @server.tool()
    def search(
        query: str, kind: str | None = None, topic: str | None = None, limit: int = 10
    ) -> list[dict[str, object]]:
        """Search rules, pattern cards and guide passages, best first.

        kind: one of rule, pattern, passage (default: all). topic: a topic slug. Each hit
        has its persona source as path:line.
        """
        kinds = (kind,) if kind else KINDS
        return _answer(lambda: service.search(query, kinds=kinds, topic=topic, limit=limit))

    @server.tool()
    def get_page(path: str) -> str:
        """A KB page's Markdown, e.g. kb/python/QUICK-REFERENCE.md or python/README.md."""
        return _answer(lambda: service.get_page(path))

    @server.tool()
    def get_persona(persona_id: str) -> dict[str, object]:
        """A persona: id, name, format, source, topic, capabilities, scope, prompt and body."""
        return _answer(lambda: service.get_persona(persona_id))

    @server.tool()
    def get_pattern_cards(topic: str) -> list[dict[str, object]]:
        """The ❌ wrong / ✅ correct pattern cards of a topic, with their source lines."""
        return _answer(lambda: service.pattern_cards(topic))

    for path in service.page_paths:
        _add_page_resource(server, service, path)
    return server


def _add_page_resource(server: MCPServer, service: KBService, path: str) -> None:
    @server.resource(f"{RESOURCE_SCHEME}{path}", name=path, mime_type="text/markdown")
    def page() -> str:
        return service.get_page(path)
