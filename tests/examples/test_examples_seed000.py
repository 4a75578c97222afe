"""The shipped KB's own examples: seed-000's real defects, found at their lines; our KB passes."""

from __future__ import annotations

from pathlib import Path

import pytest
from persona_kb._internal.adapters.site_loader import load_site_config
from persona_kb._internal.checks.examples.prelude import discover_preludes
from persona_kb._internal.checks.examples.runner import ExampleOptions, check_examples
from persona_kb._internal.checks.examples.site import path_examples, site_examples

REPO = Path(__file__).resolve().parents[2]
ORIGINAL = "tests/fixtures/examples/seed-000-original.md"
PRELUDE = REPO / "kb" / "_preludes" / "python.py"


def _interpreter_says(source: str) -> str:
    """The running Python's own SyntaxError message for ``source`` (3.12 reworded some)."""
    try:
        compile(source, "<seed-000>", "exec")
    except SyntaxError as exc:
        return str(exc.msg)
    raise AssertionError(f"{source!r} compiled")


# The real defects of the unmodified seed-000 (the ones a shared namespace hides), each
# at the line inside the block where Python reports it.
SEED_000_DEFECTS = {
    (275, "NameError", "name 'EmailStr' is not defined"),  # Pattern A: EmailStr not imported
    (286, "NameError", "name 'Field' is not defined"),  # Pattern B: Field not imported
    (327, "AttributeError", "'AsyncSession' object has no attribute 'query'"),  # 1.x API
    (472, "NameError", "name 'Depends' is not defined"),  # error handling: import missing
    (509, "SyntaxError", _interpreter_says("def f(a=1, b): pass")),  # get_current_user
    (630, "NameError", "name 'AsyncSession' is not defined"),  # test organisation block
    (713, "NameError", "name 'AsyncSession' is not defined"),  # generic repository
    (  # "Missing await": the block creates a coroutine and never awaits it
        854,
        "CoroutineNeverAwaited",
        "coroutine 'get_user_by_id' was created but never awaited: await it, "
        "or run it with asyncio.run()",
    ),
}


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


@pytest.mark.usefixtures("in_repo")
def test_the_original_seed_000_is_kept_unmodified() -> None:
    raw = (REPO / ORIGINAL).read_bytes()
    assert "âŒ WRONG".encode() in raw  # the mojibake is part of the fixture
    assert b"    token: str = Depends(oauth2_scheme),\n    db: DbSession\n" in raw


@pytest.mark.usefixtures("in_repo")
def test_seed_000_reports_exactly_its_real_defects_at_their_lines() -> None:
    site = path_examples([Path(ORIGINAL)], None)
    options = ExampleOptions(preludes=discover_preludes(None, [PRELUDE], root=REPO))
    report = check_examples(site.examples, options)
    found = {(r.span.line, r.kind, r.message) for r in report.failures}
    assert found == SEED_000_DEFECTS
    assert {r.span.path for r in report.failures} == {ORIGINAL}


@pytest.mark.usefixtures("in_repo")
def test_the_shipped_kb_passes_and_really_executes_at_least_80_percent() -> None:
    site = site_examples(load_site_config(REPO / "mkdocs.yml"))
    python = [e for e in site.examples if e.topic == "python"]
    names = {e.name for e in python}
    sep = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"
    assert (
        f"kb/python-backend-engineer.md:390 [PYTHON-SPECIFIC-PATTERNS {sep} "
        f"Pattern: Prevent N+1 Queries {sep} \N{WHITE HEAVY CHECK MARK} Correct]"
    ) in names
    options = ExampleOptions(preludes=discover_preludes(site.source, root=REPO))
    report = check_examples(python, options)
    assert [str(d) for d in report.all_diagnostics() if d.severity == "error"] == []
    assert report.python_blocks >= 20
    assert report.executed_coverage >= 0.8
