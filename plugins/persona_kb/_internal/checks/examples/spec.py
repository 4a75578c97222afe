"""What one example is: its code, where each line came from, and how to check it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Tier(StrEnum):
    """How a python block is checked (in the spirit of rustdoc's fence attributes)."""

    RUN = "run"
    """Executes and must not raise (the default)."""
    NO_RUN = "no-run"
    """Compiles; undefined names are reported against the prelude."""
    RAISES = "raises"
    """Must raise the exception named by ``Example.raises``."""
    COMPILE_FAIL = "compile-fail"
    """Must fail to compile."""
    IGNORE = "ignore"
    """Not checked, but counted."""


TIER_WORDS: dict[str, Tier] = {
    "run": Tier.RUN,
    "no-run": Tier.NO_RUN,
    "norun": Tier.NO_RUN,
    "no_run": Tier.NO_RUN,
    "compile-fail": Tier.COMPILE_FAIL,
    "compile_fail": Tier.COMPILE_FAIL,
    "ignore": Tier.IGNORE,
    "skip": Tier.IGNORE,
    "raises": Tier.RAISES,
}
"""Every word that names a tier, in a fence, a marker comment or front matter."""


@dataclass(frozen=True, slots=True)
class Example:
    """One code example, ready to check.

    ``code`` line *i* (0-based) came from ``path`` line ``lines[i]``; lines are
    increasing but need not be contiguous (a pattern half keeps its preamble).
    ``page`` and ``heading`` say where it is shown (the generated or hand-written
    page); ``path`` is where it is written (the persona file, or the page itself).
    """

    language: str
    code: str
    path: str
    lines: tuple[int, ...]
    fence_line: int
    tier: Tier = Tier.RUN
    raises: str | None = None
    page: str | None = None
    heading: str = ""
    topic: str | None = None
    run_shell: bool = False
    """The block asked to be executed (shell only runs when the user also opted in)."""
    also_on: tuple[str, ...] = field(default=())
    """Other pages that show the same block (deduplicated: checked once)."""
    defaulted: bool = False
    """The tier is the configured default: nothing on the block, page, persona or label
    chose it (so a default by language or folder may replace it)."""

    @property
    def first_line(self) -> int:
        """The source line of the first code line (the fence line + 1 if empty)."""
        return self.lines[0] if self.lines else self.fence_line + 1

    @property
    def location(self) -> str:
        """``path:line`` of the first code line."""
        return f"{self.path}:{self.first_line}"

    @property
    def name(self) -> str:
        """The display id: ``kb/persona.md:286 [PAGE > Heading]``."""
        where = self.heading
        return f"{self.location} [{where}]" if where else self.location

    @property
    def dedupe_key(self) -> tuple[str, tuple[int, ...], str, str]:
        """Blocks with the same key are the same example shown on several pages."""
        return (self.path, self.lines, self.language, self.code)

    def source_line(self, code_line: int) -> int:
        """The source line of 1-based ``code_line`` (clamped to the block)."""
        if not self.lines:
            return self.fence_line
        index = min(max(code_line, 1), len(self.lines)) - 1
        return self.lines[index]
