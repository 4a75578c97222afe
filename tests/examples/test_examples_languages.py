"""Every non-python language gets its own check; anything else is counted as not checked."""

from __future__ import annotations

import pytest
from examples_helpers import block, check, only, page
from persona_kb._internal.checks.examples.report import Status


@pytest.mark.parametrize(
    ("language", "good", "bad", "bad_line"),
    [
        pytest.param("yaml", "a: 1\n---\nb: [1, 2]", "a: 1\nb: [1, 2\nc: 3", 12, id="yaml"),
        pytest.param("json", '{"a": [1, 2]}', '{"a": 1,\n "b": }', 11, id="json"),
        pytest.param("toml", '[tool]\nname = "x"', '[tool]\nname = "x"\nname = = 2', 12, id="toml"),
        pytest.param("ini", "[s]\nkey = 1", "[s]\nkey = 1\nnot a pair", 12, id="ini"),
        pytest.param(
            "bash", "echo hi\nif true; then echo ok; fi", "echo hi\necho ok\nfi", 12, id="bash"
        ),
    ],
)
def test_parsed_languages(language: str, good: str, bad: str, bad_line: int) -> None:
    ok = only(check(block(good, language=language)))
    ko = only(check(block(bad, language=language)))
    assert ok.status == Status.PASSED
    assert (ko.status, ko.span.line) == (Status.FAILED, bad_line)
    assert ko.code == ("PKB609" if language == "bash" else "PKB608")


def test_yaml_tags_are_valid_yaml_and_construct_nothing() -> None:
    """An mkdocs.yml snippet (``!!python/…``, ``!ENV``) parses; a value its standard tag
    rejects does not, at its line."""
    tagged = (
        "markdown_extensions:\n"
        "  - toc:\n"
        "      slugify: !!python/object/apply:pymdownx.slugs.slugify\n"
        "        kwds:\n"
        "          case: lower\n"
        "site_url: !ENV [SITE_URL, 'https://example.org']\n"
        "hook: !!python/name:os.system\n"
    )
    assert only(check(block(tagged, language="yaml"))).status == Status.PASSED
    bad = only(check(block("a: 1\nb: !!int abc", language="yaml")))
    assert (bad.status, bad.code) == (Status.FAILED, "PKB608")


def test_shell_is_syntax_checked_never_run(tmp_path: object) -> None:
    result = only(check(block("touch should-not-exist\nexit 3", language="bash")))
    assert result.status == Status.PASSED
    assert not any(p.name == "should-not-exist" for p in __import__("pathlib").Path().iterdir())


def test_shell_runs_only_when_marked_and_opted_in() -> None:
    marked = block("exit 3", language="bash", run_shell=True)
    assert only(check(marked)).status == Status.PASSED  # not opted in: bash -n only
    ran = only(check(marked, allow_shell=True))
    assert (ran.status, ran.kind) == (Status.FAILED, "ProcessExit")


def test_console_sessions_check_the_prompted_commands() -> None:
    session = "$ echo hi\nhi\n$ if true; then\n"
    result = only(check(block(session, language="console")))
    assert (result.status, result.span.line) == (Status.FAILED, 12)


def test_pycon_sessions_compare_output() -> None:
    good = ">>> 1 + 1\n2\n>>> print('x')\nx"
    bad = ">>> 1 + 1\n2\n>>> 2 * 2\n5"
    raising = ">>> x = 1\n>>> {}['k']\n"
    assert only(check(block(good, language="pycon"))).status == Status.PASSED
    mismatch = only(check(block(bad, language="pycon")))
    assert (mismatch.status, mismatch.kind, mismatch.span.line) == (
        Status.FAILED,
        "OutputMismatch",
        12,
    )
    error = only(check(block(raising, language="pycon")))
    assert (error.kind, error.span.line) == ("KeyError", 11)


@pytest.mark.parametrize("language", ["haskell", "text", "", "mermaid"])
def test_other_languages_are_counted_as_not_checked(language: str) -> None:
    report = check(block("whatever { }", language=language))
    assert only(report).status == Status.NOT_CHECKED
    assert report.ok
    (summary,) = report.page_summaries()
    assert summary.not_checked == 1


def test_a_python_fence_holding_a_session_is_checked_as_pycon() -> None:
    (example,) = page("```python\n>>> 2 + 2\n5\n```\n")
    result = only(check(example))
    assert (example.language, result.kind, result.span.line) == ("pycon", "OutputMismatch", 2)
