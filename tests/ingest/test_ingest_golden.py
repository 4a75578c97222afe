"""Golden JSON snapshots of the parsed model of both seeds.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 uv run pytest tests/ingest``
and review the diff.
"""

from __future__ import annotations

import os

import pytest
from ingest_helpers import GOLDEN, read_ok
from persona_kb._internal.ingest.serialize import persona_to_json

SEEDS = {
    "seed-000": "seed-000/python-backend-engineer.md",
    "seed-002": "seed-002/backend-python-engineer.md",
}


@pytest.mark.parametrize("seed", sorted(SEEDS))
def test_seed_matches_its_golden_snapshot(seed: str) -> None:
    actual = persona_to_json(read_ok(SEEDS[seed]))
    golden = GOLDEN / f"{seed}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing: run UPDATE_GOLDEN=1 uv run pytest tests/ingest"
    assert actual == golden.read_text(encoding="utf-8")
