"""What topic assignment reads besides persona text: the ``topics:`` rules and where a
persona file sits under the source folder."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from persona_kb._internal.core.model import Persona
from persona_kb._internal.kb.topic_signals import slugify

__all__ = ["TopicRules", "first_rule", "forget_real_paths", "relative_to_source"]


@dataclass(frozen=True, slots=True)
class TopicRules:
    """Everything topic assignment depends on besides the personas."""

    source: Path
    rules: Mapping[str, Sequence[str]]
    vocabulary: Sequence[str] = ()


def first_rule(
    rules: Mapping[str, Sequence[str]], candidates: tuple[str, ...]
) -> tuple[str, str, Sequence[str]] | None:
    """The first rule (topic, its slug, its globs) with a glob matching a candidate."""
    items = tuple((topic, tuple(globs)) for topic, globs in rules.items())
    pattern, kept = _rules_pattern(items)
    first = len(kept)
    for candidate in candidates:
        match = pattern.match(candidate)
        if match is not None:
            first = next((i for i in range(first) if match.group(f"_r{i}") is not None), first)
    if first == len(kept):
        return None
    topic, slug = kept[first]
    return topic, slug, rules[topic]


@lru_cache(maxsize=64)
def _rules_pattern(
    items: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[re.Pattern[str], list[tuple[str, str]]]:
    # What fnmatch.fnmatchcase does for each glob, every rule in one compiled alternation
    # (group `_rN` is the N-th rule with a usable slug), so a persona costs a few matches.
    kept = [(topic, slugify(topic)) for topic, globs in items if globs and slugify(topic)]
    wanted = {topic: globs for topic, globs in items}
    alternatives = [
        f"(?P<_r{i}>" + "|".join(f"(?:{fnmatch.translate(g)})" for g in wanted[topic]) + ")"
        for i, (topic, _) in enumerate(kept)
    ]
    return re.compile("|".join(alternatives) or "(?!)"), kept


def relative_to_source(persona: Persona, source: Path) -> PurePosixPath | None:
    """The persona's path relative to the source folder (``None`` if outside it)."""
    try:
        real, inside = _real_path(persona.path), _real_path(os.fspath(source))
    except (ValueError, OSError):
        return None
    if real == inside:
        return PurePosixPath(".")
    prefix = inside.rstrip(os.sep) + os.sep
    if not real.startswith(prefix):
        return None
    return PurePosixPath(real[len(prefix) :].replace(os.sep, "/"))


@lru_cache(maxsize=65536)
def _real_path(path: str) -> str:
    # What Path.resolve() does, without a Path per part; remembered during one topic
    # assignment only (`_choose` forgets it: a folder may become a symlink meanwhile).
    return os.path.realpath(path)



def forget_real_paths() -> None:
    """Forget the resolved paths: call before and after each topic assignment, since a
    folder may become a symlink between two builds of one ``mkdocs serve``."""
    _real_path.cache_clear()
