"""Fixtures for ``persona-kb check``: the seeded projects of ``tests/links``."""

from __future__ import annotations

import importlib.util
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
