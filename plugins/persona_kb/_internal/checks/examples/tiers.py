"""Tier resolution: which tier a block gets, from the block, front matter, label or config.

First match wins:

1. the block itself: a fence class or word (``{.python .no-run}``), ``raises=Name``, or a
   ``<!-- persona-kb: no-run -->`` comment on the line before;
2. the page's front matter, then the persona's: ``persona-kb: {examples: no-run}``;
3. the ❌/✅ label: WRONG → ``no-run``, CORRECT → ``run``;
4. the config default (``run``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from persona_kb._internal.checks.examples.spec import TIER_WORDS, Tier
from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.model import CodeBlock, Label

_SETTINGS_KEY = "persona-kb"


@dataclass(frozen=True, slots=True)
class TierChoice:
    """A resolved tier, the exception for ``raises``, and whether shell may run."""

    tier: Tier
    raises: str | None = None
    run_shell: bool = False
    defaulted: bool = False
    """Nothing chose the tier: it is the configured default (by language and folder)."""


def _words(block: CodeBlock | None) -> list[str]:
    if block is None:
        return []
    marker = block.marker.replace(",", " ").split()
    if any(word.upper().startswith("PKB") for word in marker):
        marker = []  # `<!-- persona-kb: ignore PKB604 -->` silences a code, not the block
    return [*block.classes, *marker]


def explicit_tier(block: CodeBlock | None) -> tuple[TierChoice | None, Diagnostic | None]:
    """The tier the block itself asks for (fence attribute, word or marker comment)."""
    if block is None:
        return None, None
    raises = block.attributes.get("raises")
    run_shell = False
    tier: Tier | None = None
    for word in _words(block):
        key, _, value = word.partition("=")
        key = key.strip().lstrip(".").lower()
        if key == "raises" and value:
            raises = value.strip().strip("\"'")
        elif key in TIER_WORDS:
            tier = TIER_WORDS[key]
            run_shell = run_shell or key == "run"
    if raises:
        return TierChoice(Tier.RAISES, raises), None
    if tier is Tier.RAISES:
        problem = Diagnostic(
            "PKB614",
            Severity.ERROR,
            "tier raises needs an exception name",
            block.fence,
            hint="write raises=ValueError",
        )
        return TierChoice(Tier.RUN), problem
    return (TierChoice(tier, None, run_shell) if tier else None), None


def default_tier(value: object, where: SourceSpan) -> tuple[Tier | None, Diagnostic | None]:
    """A front-matter or config default (``no-run``, ``ignore`` …), validated."""
    if value is None:
        return None, None
    tier = TIER_WORDS.get(str(value).strip().lower())
    if tier is None or tier is Tier.RAISES:
        known = ", ".join(t for t in Tier if t is not Tier.RAISES)
        return None, Diagnostic(
            "PKB614",
            Severity.ERROR,
            f"unknown examples default {value!r}",
            where,
            hint=f"use one of {known}",
        )
    return tier, None


def settings_default(front_matter: Mapping[str, Any] | None) -> object:
    """``persona-kb: {examples: …}`` from a front-matter mapping."""
    if not front_matter:
        return None
    settings = front_matter.get(_SETTINGS_KEY)
    return settings.get("examples") if isinstance(settings, Mapping) else None


def resolve_tier(
    block: CodeBlock | None,
    *,
    label: Label | None = None,
    page_default: Tier | None = None,
    persona_default: Tier | None = None,
    config_default: Tier = Tier.RUN,
) -> tuple[TierChoice, Diagnostic | None]:
    """Resolve a block's tier (see the module docstring for the order)."""
    choice, problem = explicit_tier(block)
    if choice is not None:
        return choice, problem
    for default in (page_default, persona_default):
        if default is not None:
            return TierChoice(default), problem
    if label is Label.WRONG:
        return TierChoice(Tier.NO_RUN), problem
    if label is Label.CORRECT:
        return TierChoice(Tier.RUN), problem
    return TierChoice(config_default, defaulted=True), problem
