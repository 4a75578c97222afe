"""Preludes: config, topic and persona scopes, in that order, never shown, names known."""

from __future__ import annotations

from pathlib import Path

from examples_helpers import block, check, only
from persona_kb._internal.checks.examples.prelude import discover_preludes
from persona_kb._internal.checks.examples.report import Status
from persona_kb._internal.checks.examples.spec import Tier


def _tree(tmp_path: Path) -> Path:
    (tmp_path / "kb" / "_preludes").mkdir(parents=True)
    (tmp_path / "kb" / "_preludes" / "python.py").write_text("order = ['topic']\n")
    (tmp_path / "kb" / "persona.md").write_text("# Persona\n")
    (tmp_path / "kb" / "persona.prelude.py").write_text("order.append('persona')\n")
    (tmp_path / "config.py").write_text("import os\n")
    return tmp_path


def test_scopes_apply_in_order_config_topic_persona(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    preludes = discover_preludes(root / "kb", [root / "config.py"], root=root)
    example = block("assert order == ['topic', 'persona'], order", topic="python")
    assert [p.path for p in preludes.for_example(example)] == [
        "config.py",
        "kb/_preludes/python.py",
        "kb/persona.prelude.py",
    ]
    result = only(check(example, preludes=preludes, cwd=str(root)))
    assert result.status == Status.PASSED


def test_a_topic_prelude_applies_to_its_topic_only(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    preludes = discover_preludes(root / "kb", root=root)
    other = block("x = 1", path="kb/other.md", topic="rust")
    assert preludes.for_example(other) == ()


def test_no_run_blocks_know_the_names_a_prelude_defines(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    preludes = discover_preludes(root / "kb", root=root)
    example = block("print(order, missing)", tier=Tier.NO_RUN, topic="python")
    result = only(check(example, preludes=preludes))
    assert [w.message for w in result.warnings] == [
        "name 'missing' is not defined by the block or its prelude"
    ]
