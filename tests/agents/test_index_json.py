"""``kb/index.json``: versioned, validated against its published schema, written on export."""

from __future__ import annotations

import contextlib
import dataclasses
import json
from pathlib import Path

import pytest
from agents_helpers import EXPORT, REPO_ROOT, SHARED_CORPUS
from jsonschema import Draft202012Validator
from persona_kb._internal.core.schema_files import index_schema
from persona_kb._internal.kb.agents import index as index_module
from persona_kb._internal.kb.agents.bundle import agent_export
from persona_kb._internal.kb.build import KBOptions, KnowledgeBase, build_knowledge_base


def _validate(index: object) -> None:
    Draft202012Validator.check_schema(index_schema())
    errors = [e.message for e in Draft202012Validator(index_schema()).iter_errors(index)]
    assert errors == []


def test_committed_index_validates_and_lists_the_kb() -> None:
    index = json.loads((EXPORT / "index.json").read_text(encoding="utf-8"))
    _validate(index)
    assert index["schema_version"] == "1"
    python = next(t for t in index["topics"] if t["slug"] == "python")
    assert python["tokens"] > 1000
    assert python["pattern_cards"] >= 4
    pages = {p["path"]: p for p in index["pages"]}
    assert sum(pages[p]["tokens"] for p in python["pages"]) == python["tokens"]
    for page in index["pages"]:
        assert (EXPORT.parent / page["path"]).is_file()
    personas = {p["id"]: p for p in index["personas"]}
    assert personas["python-backend-engineer"]["format"] == "seed-000"
    assert personas["python-backend-engineer"]["topic"] == "python"
    assert "Read" in personas["python-backend-engineer"]["scope"]["tools"]


def _ascii(text: str) -> str:
    return "".join(ch for ch in text if " " <= ch <= "~").strip()


def test_rules_and_cards_point_at_their_persona_lines() -> None:
    index = json.loads((EXPORT / "index.json").read_text(encoding="utf-8"))
    mutable = [r for r in index["rules"] if "mutable default arguments" in r["text"].lower()]
    assert mutable
    for rule in mutable:
        lines = (REPO_ROOT / rule["source"]["path"]).read_text(encoding="utf-8").split("\n")
        if rule["source"]["line"] > 1:
            assert "mutable default" in lines[rule["source"]["line"] - 1].lower()
    for card in index["pattern_cards"]:
        lines = (REPO_ROOT / card["wrong"]["source"]["path"]).read_text(encoding="utf-8")
        first = card["wrong"]["code"].split("\n")[0]
        at_line = lines.split("\n")[card["wrong"]["source"]["line"] - 1]
        # kb/ holds mojibake that ingestion repairs: compare the ASCII characters
        assert _ascii(at_line) == _ascii(first)
        exported = (EXPORT.parent / card["page"]).read_text(encoding="utf-8")
        assert f"\n### {card['title']}" in exported or card["title"] in exported


def test_index_is_built_for_a_fixture_kb(tmp_path: Path) -> None:
    kb = build_knowledge_base(KBOptions(source=REPO_ROOT / "tests" / "fixtures" / "corpus"))
    index = agent_export(kb, output="kb").index
    _validate(index)
    assert len(index["personas"]) == len(kb.ingest.personas)  # type: ignore[arg-type]


def test_index_validates_on_the_shared_corpus(shared_corpus_kb: KnowledgeBase) -> None:
    # Built from inside the corpus folder: the index reads front-matter lines from there.
    with contextlib.chdir(SHARED_CORPUS):
        _validate(agent_export(shared_corpus_kb, output="kb").index)


def test_the_index_reuses_the_rules_the_build_found_and_lists_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    kb = build_knowledge_base(KBOptions(source=REPO_ROOT / "tests" / "fixtures" / "corpus"))
    assert len(kb.rules) == len(kb.ingest.personas)
    assert any(kb.rules.values())
    read_again = agent_export(dataclasses.replace(kb, rules={}), output="kb").index

    def unexpected(*args: object) -> object:
        raise AssertionError("a persona's rules were read again")

    monkeypatch.setattr(index_module, "persona_rules", unexpected)
    reused = agent_export(kb, output="kb").index
    assert reused == read_again
    assert reused["rules"]
