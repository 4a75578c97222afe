"""Shared test set-up: silence the MkDocs 2.0 banners, locate the repository."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
os.environ.setdefault("DISABLE_MKDOCS_2_WARNING", "true")

pytest_plugins = ["pytester"]

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = REPO_ROOT / "tests" / "fixtures"
SHARED_CORPUS = REPO_ROOT.parent / "shared" / "corpus"
