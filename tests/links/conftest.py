"""Fixtures: the seeded MkDocs project, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from seeded_site import build, write_project


@pytest.fixture(scope="session")
def seeded_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built copy of the seeded project (read-only for tests): returns its root."""
    root = tmp_path_factory.mktemp("seeded")
    build(write_project(root))
    return root
