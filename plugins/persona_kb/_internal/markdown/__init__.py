"""Markdown structure: code fences, sections, ❌/✅ labels and pattern cards, from tokens.

Persona ingestion and the example checker both read Markdown through this package, so a block
the site renders is exactly a block that gets checked, at exactly the line it came from.
"""

from __future__ import annotations

from persona_kb._internal.markdown.fences import FenceScan, find_code_blocks
from persona_kb._internal.markdown.info_string import (
    normalize_language,
    parse_info_string,
    superfences_info,
)
from persona_kb._internal.markdown.labels import LabelMatch, detect_comment_label, detect_label
from persona_kb._internal.markdown.patterns import find_patterns
from persona_kb._internal.markdown.roles import classify_heading
from persona_kb._internal.markdown.structure import BodyStructure, parse_body

__all__ = [
    "BodyStructure",
    "FenceScan",
    "LabelMatch",
    "classify_heading",
    "detect_comment_label",
    "detect_label",
    "find_code_blocks",
    "find_patterns",
    "normalize_language",
    "parse_body",
    "parse_info_string",
    "superfences_info",
]
