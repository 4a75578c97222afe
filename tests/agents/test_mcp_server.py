"""``persona-kb mcp`` end to end with the MCP SDK's own client, in-process."""

from __future__ import annotations

import json
from pathlib import Path

import anyio
import pytest
from agents_helpers import REPO_ROOT
from mcp import Client
from persona_kb._internal.adapters.cli.mcp import load_service
from persona_kb._internal.adapters.mcp_server import RESOURCE_SCHEME, build_server
from persona_kb._internal.kb.agents.service import KBService


@pytest.fixture(scope="module")
def service() -> KBService:
    return load_service(REPO_ROOT / "mkdocs.yml")


def _json(result: object) -> object:
    structured = getattr(result, "structured_content", None)
    if structured is not None:
        return structured.get("result", structured)
    content = getattr(result, "content", [])
    return json.loads(content[0].text)


def test_client_lists_topics_searches_and_reads(service: KBService) -> None:
    async def scenario() -> None:
        async with Client(build_server(service)) as client:
            tools = {t.name for t in (await client.list_tools()).tools}
            expected = {"list_topics", "search", "get_page", "get_persona", "get_pattern_cards"}
            assert tools >= expected

            topics = _json(await client.call_tool("list_topics", {}))
            assert isinstance(topics, list)
            assert "python" in {t["slug"] for t in topics}

            result = await client.call_tool("search", {"query": "mutable default arguments"})
            hits = _json(result)
            assert isinstance(hits, list)
            top = hits[0]
            assert top["kind"] == "rule"
            assert top["topic"] == "python"
            assert "mutable default argument" in top["text"].lower()
            path, line = top["source"].rsplit(":", 1)
            written = (REPO_ROOT / path).read_text(encoding="utf-8").split("\n")[int(line) - 1]
            assert "mutable default argument" in written.lower()

            cards = _json(await client.call_tool("get_pattern_cards", {"topic": "python"}))
            assert isinstance(cards, list)
            assert cards
            assert all(c["topic"] == "python" for c in cards)

            page = await client.call_tool("get_page", {"path": "python/QUICK-REFERENCE.md"})
            assert "# Python quick reference" in page.content[0].text

            persona = _json(
                await client.call_tool("get_persona", {"persona_id": "python-backend-engineer"})
            )
            assert isinstance(persona, dict)
            assert persona["format"] == "seed-000"
            assert persona["source"]["path"] == "kb/python-backend-engineer.md"

            missing = await client.call_tool("get_page", {"path": "nope.md"})
            assert missing.is_error
            assert "no page 'nope.md'" in missing.content[0].text

            resources = (await client.list_resources()).resources
            uris = {str(r.uri) for r in resources}
            uri = f"{RESOURCE_SCHEME}kb/python/README.md"
            assert uri in uris
            read = await client.read_resource(uri)
            assert "Python knowledge base" in read.contents[0].text

    anyio.run(scenario)


def test_search_filters_by_kind_and_topic(service: KBService) -> None:
    patterns = service.search("mutable default", kinds=("pattern",), topic="python")
    assert patterns
    assert all(h["kind"] == "pattern" for h in patterns)
    go = service.search("mutable state", topic="go", kinds=("rule",))
    assert go
    assert all(h["topic"] == "go" and h["kind"] == "rule" for h in go)
    assert "mutable state" in go[0]["text"].lower()


def test_cli_without_the_extra_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import sys

    from persona_kb._internal.adapters.cli.main import main

    monkeypatch.setitem(sys.modules, "persona_kb._internal.adapters.mcp_server", None)
    assert main(["mcp", "--config", str(tmp_path / "mkdocs.yml")]) == 2
    assert "pip install 'persona-kb[mcp]'" in capsys.readouterr().err
