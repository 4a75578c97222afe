"""An Agent Skill's bundled Markdown and resources, as lines of its guide chapter.

Each bundled file is rendered through its own
[`PersonaParts`][persona_kb._internal.kb.render.persona_parts.PersonaParts], so every
line maps to the bundled file's own path and line, never to ``SKILL.md``. Scripts and
assets are listed (linked when a source URL is set) and never run.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import PurePosixPath

from persona_kb._internal.core.diagnostics import SourceSpan
from persona_kb._internal.core.model import Persona, Section
from persona_kb._internal.kb.render.frame import RenderContext
from persona_kb._internal.kb.render.persona_links import bundled_file_anchor, section_anchors
from persona_kb._internal.kb.render.persona_parts import PersonaParts
from persona_kb._internal.kb.render.sourcemap import Line

SectionLines = Callable[[PersonaParts, Section, int, int], list[Line]]
_FILE_LEVEL = 3  # a bundled file is an H3 of its skill's chapter; its sections start at H4


def _toc_slug(title: str) -> str:
    # Python-Markdown's toc slugify: ASCII-folded words joined by hyphens.
    folded = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.sub(r"[^\w\s-]", "", folded).strip().lower()
    return re.sub(r"[-\s]+", "-", words)


def _inside(path: str, skill: Persona) -> str:
    folder = PurePosixPath(skill.path).parent
    try:
        return PurePosixPath(path).relative_to(folder).as_posix()
    except ValueError:
        return path


def bundled_lines(persona: Persona, ctx: RenderContext, section_lines: SectionLines) -> list[Line]:
    """The lines that follow a skill's own sections: its files, then its resources."""
    lines: list[Line] = []
    used: set[str] = set()
    for bundled in persona.bundled:
        parts = ctx.parts(bundled)
        name = _inside(bundled.path, persona).replace("`", "'")
        heading = f"{'#' * _FILE_LEVEL} `{name}`"
        # Its own id, so that the skill's links to the file (`references/x.md`) land here.
        anchor = bundled_file_anchor(persona, bundled)
        if anchor not in used:
            used.add(anchor)
            heading += f" {{#{anchor}}}"
        lines.extend(((heading, SourceSpan(bundled.path, 1)), ("", None)))
        preamble = parts.preamble()
        title = parts.title_section()
        if title is not None:
            inner = parts.content(title)
            preamble_lines = [*preamble.lines, ("", None), *inner.lines] if preamble.lines else list(inner.lines)
        else:
            preamble_lines = list(preamble.lines)
        if preamble_lines:
            lines.extend((*preamble_lines, ("", None)))
        base = parts.base_level()
        headings = {s.span for s in bundled.all_sections()}
        # The ids the guide gives this file's headings, so that its own `#fragment`
        # links (rewritten by the guide through the same table) land on them.
        own = section_anchors(bundled)
        for section in parts.body_sections():
            for line, span in section_lines(parts, section, base, _FILE_LEVEL + 1):
                if span in headings and line.startswith("#"):
                    anchor = own.get(span.line) or _toc_slug(line.lstrip("#"))
                    if anchor and anchor not in used:
                        used.add(anchor)
                        line = f"{line} {{#{anchor}}}"
                lines.append((line, span))
    if persona.resources:
        lines.extend((("#" * _FILE_LEVEL + " Scripts and assets", None), ("", None)))
        lines.append(("Bundled with the skill; listed here, never run by persona-kb.", None))
        lines.append(("", None))
        for resource in persona.resources:
            link = ctx.source_link(resource)
            lines.append((f"- {link}", SourceSpan(resource, 1)))
        lines.append(("", None))
    return lines
