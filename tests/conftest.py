"""Shared test set-up: silence the MkDocs 2.0 banners, locate the repository, build the
shared corpus once."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
from pathlib import Path

import pytest
from persona_kb._internal.kb.build import KBOptions, KnowledgeBase, build_knowledge_base

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

pytest_plugins = ["pytester"]

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures"
SHARED_CORPUS = Path(os.environ.get("PKB_CORPUS", REPO_ROOT.parent / "shared" / "corpus"))
"""The 2,200-file shared corpus (``PKB_CORPUS`` names another); only the dev box and CI
have it, so the tests that read it skip visibly elsewhere."""


@pytest.fixture(scope="session")
def shared_corpus_kb(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> KnowledgeBase:
    """The shared corpus built as a KB (about a minute), once per test run.

    Under ``-n 2`` the first worker to ask builds it and leaves a pickle beside the
    workers' temporary folders; the others wait on the lock and load it (seconds), the
    pattern pytest-xdist documents for session fixtures.
    """
    if not SHARED_CORPUS.is_dir():
        pytest.skip(f"{SHARED_CORPUS} is not available (only the dev box and CI have it)")
    if worker_id == "master":
        return _build_shared_corpus()
    shared = tmp_path_factory.getbasetemp().parent / "shared-corpus-kb.pickle"
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if shared.is_file():
            with shared.open("rb") as stream:
                kb: KnowledgeBase = pickle.load(stream)
                return kb
        kb = _build_shared_corpus()
        with shared.open("wb") as stream:
            pickle.dump(kb, stream, protocol=pickle.HIGHEST_PROTOCOL)
        return kb


def _build_shared_corpus() -> KnowledgeBase:
    with contextlib.chdir(SHARED_CORPUS):
        return build_knowledge_base(KBOptions(source=Path()))
