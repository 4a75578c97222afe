"""Policies by language and folder, and placeholder fragments.

A third-party library is full of fragments that were never meant to run as written:
``curl https://api/<id>``, ``{"key": "YOUR_API_KEY", ...}``, a class body elided with
``...``. With ``placeholders: skip`` (globally, by language or by folder), a block that does
not parse or compile *and* holds such a placeholder is skipped as a fragment, with a
warning that names it; a block that fails for any other reason still fails.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import replace
from pathlib import Path

from persona_kb._internal.checks.examples.languages import normalise_language
from persona_kb._internal.checks.examples.report import ExampleResult, Status
from persona_kb._internal.checks.examples.spec import Example
from persona_kb._internal.config.options import ExampleSettings, ScopedDefaults

_SYNTAX_CODES = frozenset({"PKB601", "PKB608", "PKB609"})
"""Failures that mean "does not parse or compile" (python, other languages, shell)."""
_MARKUP = frozenset({"html", "xml", "jsx", "tsx", "vue", "svelte", "markdown", "md"})
_ANGLE = re.compile(r"<(?:[A-Za-z][\w.-]*)(?:[ _-][\w.-]+)*>")
_OTHER = re.compile(
    r"\{\{\s*[\w.-]+\s*\}\}"  # {{ name }}
    r"|\b(?:YOUR|MY)_[A-Z0-9_]+\b"  # YOUR_API_KEY
    r"|\[(?:YOUR|your)[ _-][^\]\n]{1,40}\]"  # [your token]
    r"|^[ \t]*(?:(?://|#|--)[ \t]*)?(?:\.\.\.|…)[ \t]*$",  # a line that is only an elision
    re.MULTILINE,
)


def placeholder_in(language: str, code: str) -> str | None:
    """The first placeholder in ``code`` (``<id>``, ``{{ name }}``, ``YOUR_KEY``, a ``...``
    line), or ``None``. In markup languages ``<word>`` is a tag, not a placeholder."""
    found = list(_OTHER.finditer(code))
    if normalise_language(language) not in _MARKUP:
        found += list(_ANGLE.finditer(code))
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    return first.group(0).strip()


def policy(
    example: Example, settings: ExampleSettings | None, project: str | None
) -> ScopedDefaults:
    """The missing-module and placeholder policy (and default tier) for ``example``."""
    if settings is None:
        return ScopedDefaults("run", "fail", "fail")
    return _scoped(settings, example.language, relative_path(example.path, project))


@functools.lru_cache(maxsize=1024)
def _scoped(settings: ExampleSettings, language: str, path: str) -> ScopedDefaults:
    # Asked twice per block with a handful of distinct (language, file) pairs per page.
    return settings.defaults_for(language, path, normalise_language)


def relative_path(path: str, project: str | None) -> str:
    """``path`` (as displayed: relative to the current folder, or absolute) relative to the
    project folder, where folder defaults are written; unchanged when it is outside."""
    if project is None:
        return path
    return _relative_to(os.getcwd(), path, project)  # noqa: PTH109 - a str key, per block


@functools.lru_cache(maxsize=4096)
def _relative_to(cwd: str, path: str, project: str) -> str:
    # Asked twice per block (missing modules, placeholders): resolving is the cost.
    absolute = Path(cwd) / path  # an absolute path stays itself
    try:
        return absolute.resolve().relative_to(Path(project).resolve()).as_posix()
    except ValueError:
        return path


def skip_placeholder_fragment(result: ExampleResult, placeholders: str | None) -> ExampleResult:
    """A failure to parse or compile a block holding a placeholder, as a skipped fragment
    (when the policy is ``skip``); every other result unchanged."""
    if placeholders != "skip" or result.status is not Status.FAILED:
        return result
    if result.code not in _SYNTAX_CODES:
        return result
    found = placeholder_in(result.example.language, result.example.code)
    if found is None:
        return result
    message = f"a fragment with the placeholder {found!r}, skipped (placeholders: skip): "
    return replace(result, status=Status.SKIPPED, message=message + result.message)
