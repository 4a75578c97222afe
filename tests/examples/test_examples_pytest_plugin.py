"""The pytest plugin, driven through pytester: ids, exact output lines, -k, -x, xdist, junit."""

from __future__ import annotations

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

```rust
fn main() {}
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


def test_items_are_named_by_persona_line_page_and_heading(site: pytest.Pytester) -> None:
    result = site.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(
        [
            f"kb/persona.md:12 [[]PYTHON-COMPREHENSIVE-GUIDE {SEP} Patterns[]]",
            f"kb/persona.md:19 [[]PYTHON-COMPREHENSIVE-GUIDE {SEP} Config[]]",
            "docs/index.md:4 [[]Home[]]",
            "docs/index.md:8 [[]Home[]]",
        ],
        consecutive=False,
    )


def test_failures_name_the_persona_line_inside_the_block(site: pytest.Pytester) -> None:
    result = site.runpytest("-rA")
    result.assert_outcomes(passed=1, failed=2, skipped=1)
    result.stdout.fnmatch_lines(
        [
            "kb/persona.md:13: NameError: name 'undefined_name' is not defined",
            f"  shown on kb/python/PYTHON-COMPREHENSIVE-GUIDE.md {SEP} Patterns",
            '  File "kb/persona.md", line 13, in <module>',
            "kb/persona.md:19: yaml error: *",
            "*persona-kb: 4 examples; executed coverage 100% (2 of 2 python blocks ran)",
            "SKIPPED [[]1[]] docs/index.md: docs/index.md:8: no check for rust blocks",
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
            "docs/hostile.md:4: Timeout: *",
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
