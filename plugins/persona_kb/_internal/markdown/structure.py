"""One pass over a persona body: preamble, section tree, code blocks, pattern cards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from persona_kb._internal.core.diagnostics import Diagnostic
from persona_kb._internal.core.model import CodeBlock, PatternPair, Section, SectionRole
from persona_kb._internal.markdown.fences import scan_code_blocks
from persona_kb._internal.markdown.outline import outline_blocks
from persona_kb._internal.markdown.parser import parse_tokens, source_lines
from persona_kb._internal.markdown.patterns import PatternContext, pair_patterns
from persona_kb._internal.markdown.roles import classify_heading
from persona_kb._internal.markdown.sections import build_sections, headings_from_tokens


@dataclass(frozen=True, slots=True)
class BodyStructure:
    """Everything [`parse_body`][] reads from a Markdown body."""

    preamble: str
    """Markdown before the first heading; its first line is the body's first line."""
    sections: tuple[Section, ...]
    """Top-level sections, each with its children."""
    code_blocks: tuple[CodeBlock, ...]
    patterns: tuple[PatternPair, ...]
    diagnostics: tuple[Diagnostic, ...]


def parse_body(
    markdown: str,
    *,
    path: str,
    first_line: int = 1,
    classify: Callable[[str], SectionRole] = classify_heading,
) -> BodyStructure:
    """Read the structure of a normalised Markdown body (front matter already removed).

    ``first_line`` is the source line of the body's first line; every span points into the
    original file. ``classify`` gives each section its role from its title.
    """
    tokens = parse_tokens(markdown)
    lines = source_lines(markdown)
    preamble, sections = build_sections(
        headings_from_tokens(tokens), lines, path=path, first_line=first_line, classify=classify
    )
    scan = scan_code_blocks(tokens, markdown, path=path, first_line=first_line)
    context = PatternContext(
        path=path,
        first_line=first_line,
        lines=lines,
        outline=outline_blocks(tokens),
        captions=scan.captions,
        heading_lines=frozenset(s.span.line for root in sections for s in root.walk()),
    )
    patterns, pattern_diagnostics = pair_patterns(context, scan.blocks)
    return BodyStructure(
        preamble=preamble,
        sections=sections,
        code_blocks=scan.blocks,
        patterns=patterns,
        diagnostics=scan.diagnostics + pattern_diagnostics,
    )
