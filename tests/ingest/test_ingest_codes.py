"""Every diagnostic code ingestion and lint can emit is registered in the stable CODES table."""

from __future__ import annotations

import re

from ingest_helpers import REPO_ROOT
from persona_kb._internal.core.diagnostics import CODES

SOURCES = [
    *sorted((REPO_ROOT / "plugins" / "persona_kb" / "_internal" / "ingest").glob("*.py")),
    REPO_ROOT / "plugins" / "persona_kb" / "_internal" / "adapters" / "cli" / "lint.py",
]


def test_every_emitted_code_is_registered() -> None:
    emitted = {
        code
        for path in SOURCES
        for code in re.findall(r'"(PKB\d{3})"', path.read_text(encoding="utf-8"))
    }
    assert emitted >= {"PKB100", "PKB104", "PKB200", "PKB201", "PKB400", "PKB401"}
    assert sorted(emitted - set(CODES)) == []
