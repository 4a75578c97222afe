"""Fixtures for ``persona-kb check``: the seeded projects of ``tests/links``."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest


def _load_seeded_site() -> ModuleType:
    # Shared with tests/links, which imports it by name from its own folder.
    name = "seeded_site"
    if name in sys.modules:
        return sys.modules[name]
    path = Path(__file__).resolve().parents[1] / "links" / "seeded_site.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def seeded_site() -> ModuleType:
    """``tests/links/seeded_site.py``: the seeded projects and their expected defects."""
    return _load_seeded_site()


THIRD_PARTY_LIBRARY = Path(__file__).resolve().parents[1] / "fixtures" / "third_party_library"


@pytest.fixture
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of ``tests/fixtures/third_party_library``, the current folder."""
    root = tmp_path / "library"
    shutil.copytree(THIRD_PARTY_LIBRARY, root)
    for file in root.rglob("*"):
        file.chmod(0o755 if file.is_dir() else 0o644)
    monkeypatch.chdir(root)
    return root
