"""The pytest plugin, driven through pytester: ids, exact output lines, -k, -x, xdist, junit."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

SEP = "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"

PERSONA = """\
---
name: demo-python-engineer
description: Demo persona.
topic: python
---

# Demo Python Engineer

## Patterns

```python
x = 1
print(undefined_name)
```

## Config

```yaml
key: [1, 2
```
"""
# kb/persona.md: the python block starts at line 12 and fails at 13; the YAML is line 19.

HOME = """\
# Home

```python
assert 1 + 1 == 2
```

```elixir
IO.puts("hi")
```
"""


@pytest.fixture
def site(pytester: pytest.Pytester) -> pytest.Pytester:
    """A small site: one persona (topic python), one hand-written page, the plugin enabled."""
    pytester.makefile(".yml", mkdocs="site_name: demo\nplugins:\n  - persona-kb\n")
    (pytester.path / "kb").mkdir()
    (pytester.path / "kb" / "persona.md").write_text(PERSONA, encoding="utf-8")
    (pytester.path / "docs").mkdir()
    (pytester.path / "docs" / "index.md").write_text(HOME, encoding="utf-8")
    pytester.makeini("[pytest]\npersona_kb = true\ntestpaths = mkdocs.yml\n")
    return pytester


def _page(name: str, text: str, site: pytest.Pytester) -> None:
    (site.path / "docs" / name).write_text(textwrap.dedent(text), encoding="utf-8")


def test_inert_unless_enabled(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yml", mkdocs="site_name: demo\n")
    (pytester.path / "docs").mkdir()
    (pytester.path / "docs" / "index.md").write_text("```python\nraise SystemExit(1)\n```\n")
    pytester.makeini("[pytest]\ntestpaths = docs\n")
    result = pytester.runpytest()
    result.assert_outcomes()
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_the_flag_can_turn_it_off(site: pytest.Pytester) -> None:
    result = site.runpytest("--no-persona-kb")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_items_are_named_by_file_page_heading_and_ordinal(site: pytest.Pytester) -> None:
    result = site.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [
            f"kb/persona.md::PYTHON-COMPREHENSIVE-GUIDE {SEP} Patterns {SEP} 1",
            f"kb/persona.md::PYTHON-COMPREHENSIVE-GUIDE {SEP} Config {SEP} 1",
            f"docs/index.md::Home {SEP} 1",
            f"docs/index.md::Home {SEP} 2",
        ],
        consecutive=False,
    )


def test_a_failed_id_and_a_file_can_be_pasted_back(site: pytest.Pytester) -> None:
    first = site.runpytest()
    failed = [
        line.split(" ", 1)[1].split(" - ", 1)[0]
        for line in first.stdout.lines
        if line.startswith("FAILED ")
    ]
    assert failed[0] == f"kb/persona.md::PYTHON-COMPREHENSIVE-GUIDE {SEP} Patterns {SEP} 1"
    again = site.runpytest(failed[0])
    again.assert_outcomes(failed=1)
    again.stdout.fnmatch_lines(["kb/persona.md:13: NameError: *"])
    site.runpytest("kb/persona.md").assert_outcomes(failed=2)
    site.runpytest("docs/index.md").assert_outcomes(passed=1, skipped=1)


def test_ids_survive_an_edit_above_the_block(site: pytest.Pytester) -> None:
    before = site.runpytest("--collect-only", "-q").stdout.lines
    persona = site.path / "kb" / "persona.md"
    text = persona.read_text(encoding="utf-8")
    persona.write_text(text.replace("## Patterns\n", "## Patterns\n\nA new line.\n\n"))
    after = site.runpytest("--collect-only", "-q").stdout.lines
    assert [line for line in before if "::" in line] == [line for line in after if "::" in line]
    result = site.runpytest("-k", "Patterns")
    result.stdout.fnmatch_lines(["kb/persona.md:16: NameError: *"])


def test_junit_classname_is_the_file(site: pytest.Pytester) -> None:
    site.runpytest("--junitxml=report.xml")
    xml = (site.path / "report.xml").read_text(encoding="utf-8")
    assert f'classname="kb.persona.md" name="PYTHON-COMPREHENSIVE-GUIDE {SEP} Patterns' in xml
    assert 'classname=""' not in xml


def _update_baseline(site: pytest.Pytester) -> None:
    done = site.run(
        sys.executable,
        "-m",
        "persona_kb._internal.adapters.cli.main",
        "examples",
        "--update-baseline",
    )
    assert done.ret == 0, done.stdout.str()


def test_a_baselined_failure_is_an_xfail(site: pytest.Pytester) -> None:
    from persona_kb._internal.checks.examples.baseline import BASELINE_FILE

    _update_baseline(site)
    assert (site.path / BASELINE_FILE).is_file()
    result = site.runpytest()
    result.assert_outcomes(passed=1, skipped=1, xfailed=2)


def test_failures_name_the_persona_line_inside_the_block(site: pytest.Pytester) -> None:
    result = site.runpytest("-rA")
    result.assert_outcomes(passed=1, failed=2, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "kb/persona.md:13: NameError: name 'undefined_name' is not defined",
            f"  shown on kb/python/PYTHON-COMPREHENSIVE-GUIDE.md {SEP} Patterns",
            '  File "kb/persona.md", line 13, in <module>',
            "kb/persona.md:19: yaml error: *",
            "persona-kb: python: 2 blocks: 2 executed",
            "SKIPPED [[]1[]] docs/index.md: docs/index.md:8: no check for elixir blocks",
        ],
        consecutive=False,
    )
    assert "INTERNALERROR" not in result.stdout.str()


def test_keyword_selection_and_exitfirst(site: pytest.Pytester) -> None:
    by_keyword = site.runpytest("-k", "Patterns")
    by_keyword.assert_outcomes(failed=1)
    first = site.runpytest("-x")
    first.assert_outcomes(failed=1)


def test_selection_by_topic_and_persona(site: pytest.Pytester) -> None:
    site.runpytest("--persona-kb-topic", "python").assert_outcomes(failed=2)
    site.runpytest("--persona-kb-persona", "kb/persona.md").assert_outcomes(failed=2)
    site.runpytest("--persona-kb-topic", "rust").assert_outcomes()


def test_junit_xml_carries_the_persona_line(site: pytest.Pytester) -> None:
    result = site.runpytest("--junitxml=report.xml")
    result.assert_outcomes(passed=1, failed=2, skipped=1)
    xml = (site.path / "report.xml").read_text(encoding="utf-8")
    assert 'message="kb/persona.md:13: NameError: name' in xml


def test_runs_under_xdist(site: pytest.Pytester) -> None:
    result = site.runpytest_subprocess("-n", "2", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=2, skipped=1)
    result.stdout.fnmatch_lines(["*kb/persona.md:13: NameError*"])


def test_timeout_option(site: pytest.Pytester) -> None:
    _page("slow.md", "```python\nimport time\ntime.sleep(30)\n```\n", site)
    result = site.runpytest("-k", "slow", "--persona-kb-timeout", "1")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["docs/slow.md:3: Timeout: the block did not finish within 1 s"])
    result.stdout.fnmatch_lines(['  File "docs/slow.md", line 3 in <module>'])


def test_hostile_blocks_never_cause_an_internal_error(site: pytest.Pytester) -> None:
    _page(
        "hostile.md",
        """\
        # Hostile

        ```python
        while True:
            pass
        ```

        ```python
        import os
        os._exit(3)
        ```

        ```python
        import ctypes
        ctypes.string_at(0)
        ```

        ```python
        data = bytearray(10 * 1024 ** 3)
        ```

        ```python
        open("written-by-a-block.txt", "w").write("x")
        ```

        ```python
        import sys
        sys.exit(0)
        ```
        """,
        site,
    )
    result = site.runpytest("-k", "hostile", "--persona-kb-timeout", "1")
    result.assert_outcomes(passed=1, failed=5)
    result.stdout.fnmatch_lines(
        [
            "docs/hostile.md:[45]: Timeout: *",  # the loop line, or its body
            "docs/hostile.md:10: ProcessExit: the block called os._exit(3)",
            "docs/hostile.md:15: Crashed: *SIGSEGV*",
            "docs/hostile.md:19: MemoryError: *",
            "docs/hostile.md:28: SystemExit: the block called sys.exit(0)",
        ],
        consecutive=False,
    )
    assert "INTERNALERROR" not in result.stdout.str()
    assert not (Path(site.path) / "written-by-a-block.txt").exists()


def test_a_broken_config_is_a_collection_error_not_an_internal_error(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".yml", mkdocs="site_name: [unclosed\n")
    pytester.makeini("[pytest]\npersona_kb = true\ntestpaths = mkdocs.yml\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*persona-kb: *mkdocs.yml*"])
    assert "INTERNALERROR" not in result.stdout.str()


UNCLOSED = """\
---
name: demo-unclosed
description: A persona whose last fence is never closed.
topic: python
---

# Demo Unclosed

## Broken

```python
print("never closed")
"""


def test_baselined_page_problems_and_failures_are_xfails_and_counted(
    site: pytest.Pytester,
) -> None:
    """The findings ``check``/``examples --update-baseline`` recorded for the examples step
    (here an unclosed fence the site makes an error) no longer fail the run; the summary
    says how many baselined failures remain; a new page problem still fails."""
    site.makefile(
        ".yml",
        mkdocs="site_name: demo\nplugins:\n  - persona-kb:\n      codes:\n"
        "        severity:\n          PKB300: error\n",
    )
    (site.path / "kb" / "unclosed.md").write_text(UNCLOSED, encoding="utf-8")
    result = site.runpytest()
    result.assert_outcomes(passed=1, failed=3, skipped=1)
    result.stdout.fnmatch_lines(["*kb/unclosed.md:11:1: error: code fence*[[]PKB300[]]*"])

    _update_baseline(site)
    result = site.runpytest()
    result.assert_outcomes(passed=1, skipped=1, xfailed=3)
    result.stdout.fnmatch_lines(["persona-kb: 2 baselined failures remain (xfailed*"])

    (site.path / "kb" / "second.md").write_text(
        UNCLOSED.replace("demo-unclosed", "demo-second"), encoding="utf-8"
    )
    result = site.runpytest()
    result.assert_outcomes(passed=1, failed=1, skipped=1, xfailed=2)
    result.stdout.fnmatch_lines(["*kb/second.md:11:1: error: code fence*"])
    assert "kb/unclosed.md:11:1: error" not in result.stdout.str()

    # Every baselined problem fixed: the diagnostics item passes (it is no xfail).
    (site.path / "kb" / "second.md").unlink()
    (site.path / "kb" / "unclosed.md").unlink()
    result = site.runpytest("-rA")
    result.assert_outcomes(passed=2, skipped=1, xfailed=2)
    result.stdout.fnmatch_lines(["PASSED*persona-kb diagnostics*"])
