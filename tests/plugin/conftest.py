"""Fixtures for the MkDocs plugin tests: a temporary project built by a real subprocess."""

from __future__ import annotations

from pathlib import Path

import pytest
from tempsite import Project, new_project


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A fresh project with two personas (python, go), a home page and no ``nav:``."""
    return new_project(tmp_path / "site-project")
