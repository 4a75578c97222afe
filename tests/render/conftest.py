"""Shared fixtures: the knowledge base built from a copy of the shipped kb/."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from persona_kb._internal.kb.build import KBOptions, KnowledgeBase, build_knowledge_base

RENDER_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "render"


@pytest.fixture(scope="session")
def fixture_kb() -> KnowledgeBase:
    """The KB built from ``tests/fixtures/render/kb`` (a frozen copy of ``kb/``).

    Built from inside the fixture folder so persona paths read ``kb/…`` as in the repo.
    """
    with contextlib.chdir(RENDER_FIXTURES):
        return build_knowledge_base(KBOptions(source=Path("kb")))
