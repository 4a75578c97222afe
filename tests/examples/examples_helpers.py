"""Shared helpers for the example-checker tests: build examples, check them, find results."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator

import pytest
from persona_kb._internal.checks.examples.languages import normalise_language
from persona_kb._internal.checks.examples.report import ExampleReport, ExampleResult
from persona_kb._internal.checks.examples.runner import (
    ExampleOptions,
    ExampleRunner,
    check_examples,
)
from persona_kb._internal.checks.examples.selection import examples_from_markdown
from persona_kb._internal.checks.examples.spec import Example, Tier


def block(
    code: str,
    *,
    path: str = "kb/persona.md",
    first: int = 10,
    language: str = "python",
    tier: Tier = Tier.RUN,
    raises: str | None = None,
    **extra: object,
) -> Example:
    """An example whose code starts at ``path`` line ``first``."""
    code = textwrap.dedent(code).strip("\n") + "\n"
    lines = tuple(range(first, first + len(code.splitlines())))
    return Example(
        language=normalise_language(language),
        code=code,
        path=path,
        lines=lines,
        fence_line=first - 1,
        tier=tier,
        raises=raises,
        **extra,
    )  # type: ignore[arg-type]


def page(markdown: str, path: str = "docs/page.md") -> list[Example]:
    """The examples of a hand-written page (dedented Markdown)."""
    found, problems = examples_from_markdown(textwrap.dedent(markdown).lstrip("\n"), path=path)
    assert not problems, problems
    return found


def check(*examples: Example, **options: object) -> ExampleReport:
    """Check examples with a short default timeout."""
    options.setdefault("timeout", 5.0)
    return check_examples(examples, ExampleOptions(**options))  # type: ignore[arg-type]


def only(report: ExampleReport) -> ExampleResult:
    """The single result of a one-example report."""
    assert len(report.results) == 1, report.results
    return report.results[0]


@pytest.fixture(scope="module")
def runner() -> Iterator[ExampleRunner]:
    """One fork server for a whole test module."""
    with ExampleRunner(ExampleOptions(timeout=5.0)) as shared:
        yield shared
