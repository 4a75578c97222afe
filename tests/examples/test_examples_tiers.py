"""Each tier, checked for real through the fork server."""

from __future__ import annotations

from examples_helpers import block, check, only
from persona_kb._internal.checks.examples.report import Status
from persona_kb._internal.checks.examples.spec import Tier


def test_run_passes_when_nothing_raises() -> None:
    result = only(check(block("x = 1\nassert x == 1")))
    assert (result.status, result.executed) == (Status.PASSED, True)


def test_run_fails_at_the_raising_line_inside_the_block() -> None:
    result = only(check(block("x = 1\ny = 2\nraise ValueError('no')", first=40)))
    assert (result.status, result.kind, result.message, str(result.span)) == (
        Status.FAILED,
        "ValueError",
        "no",
        "kb/persona.md:42",
    )
    assert result.code == "PKB600"


def test_no_run_only_compiles_and_warns_about_undefined_names() -> None:
    result = only(check(block("import os\nprint(os.sep, undefined_thing)", tier=Tier.NO_RUN)))
    assert (result.status, result.executed) == (Status.COMPILED, False)
    assert [(w.code, w.severity, str(w.span)) for w in result.warnings] == [
        ("PKB607", "warning", "kb/persona.md:11")
    ]


def test_no_run_undefined_names_can_be_configured_to_fail() -> None:
    result = only(check(block("print(nope)", tier=Tier.NO_RUN), undefined_names="fail"))
    assert (result.status, result.code, str(result.span)) == (
        Status.FAILED,
        "PKB607",
        "kb/persona.md:10",
    )


def test_no_run_names_from_the_prelude_are_known(tmp_path: object) -> None:
    from persona_kb._internal.checks.examples.prelude import Prelude, PreludeSet

    preludes = PreludeSet(config=(Prelude("p.py", "app = object()\n"),))
    result = only(check(block("print(app)", tier=Tier.NO_RUN), preludes=preludes))
    assert result.warnings == ()


def test_no_run_syntax_error_still_fails() -> None:
    result = only(check(block("x = 1\ndef f(:\n    pass", tier=Tier.NO_RUN)))
    assert (result.status, result.kind, str(result.span)) == (
        Status.FAILED,
        "SyntaxError",
        "kb/persona.md:11",
    )


def test_raises_passes_on_that_exception_or_a_subclass() -> None:
    ok = only(check(block("int('x')", tier=Tier.RAISES, raises="ValueError")))
    sub = only(check(block("{}['k']", tier=Tier.RAISES, raises="LookupError")))
    assert (ok.status, sub.status) == (Status.PASSED, Status.PASSED)


def test_raises_fails_when_nothing_or_something_else_is_raised() -> None:
    nothing = only(check(block("x = 1", tier=Tier.RAISES, raises="ValueError")))
    other = only(check(block("x = 1\n{}['k']", tier=Tier.RAISES, raises="ValueError")))
    assert (nothing.status, nothing.code, nothing.kind) == (Status.FAILED, "PKB605", "DidNotRaise")
    assert (other.status, other.code, other.kind, str(other.span)) == (
        Status.FAILED,
        "PKB605",
        "KeyError",
        "kb/persona.md:11",
    )


def test_compile_fail_passes_only_when_the_block_does_not_compile() -> None:
    broken = only(check(block("def f(:\n    pass", tier=Tier.COMPILE_FAIL)))
    fine = only(check(block("x = 1", tier=Tier.COMPILE_FAIL)))
    assert broken.status == Status.PASSED
    assert (fine.status, fine.code) == (Status.FAILED, "PKB606")


def test_ignore_is_counted_but_not_checked() -> None:
    report = check(block("raise SystemExit(1)", tier=Tier.IGNORE), block("x = 1", first=30))
    assert [r.status for r in report.results] == [Status.IGNORED, Status.PASSED]
    assert report.python_blocks == 2
    assert report.executed_coverage == 0.5
    assert report.ok


def test_top_level_await_runs_in_an_event_loop() -> None:
    code = (
        "import asyncio\nawait asyncio.sleep(0)\nvalue = await asyncio.sleep(0, 7)\n"
        "assert value == 7"
    )
    assert only(check(block(code))).status == Status.PASSED
