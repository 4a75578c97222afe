"""Links between personas, rewritten to where the target now lives.

A persona may link to another persona file (``./prompt.instructions.md``) or to one of
its own headings with a GitHub-style anchor (``#safety--bias-mitigation``). In the KB
both live elsewhere: every persona section is a heading of its topic's guide, with an
explicit anchor. [`PersonaLinks`][persona_kb._internal.kb.render.persona_links.PersonaLinks]
maps such a link to ``<GUIDE>.md#<anchor>`` (``../<topic>/<GUIDE>.md#…`` across topics).
Links to anything that is not a persona are left as written.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

from persona_kb._internal.core.model import PageKind, Persona
from persona_kb._internal.kb.render.naming import AnchorSet, page_filename
from persona_kb._internal.kb.topics import slugify

GUIDE_RESERVED = frozenset({"all-rules", "where-the-personas-disagree", "by-persona", "themes"})
"""Anchors the guide page uses for its own sections."""
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_DEFINITION_RE = re.compile(r"^( {0,3}\[[^\]]+\]:\s*)(\S+)")


def github_slug(title: str) -> str:
    """The anchor GitHub gives a heading: ``"Safety & Bias Mitigation"`` →
    ``"safety--bias-mitigation"`` (punctuation dropped, each space a hyphen)."""
    text = re.sub(r"[*_`~\[\]()]", "", title.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _toc_slug(title: str) -> str:
    # Python-Markdown's default toc slug: punctuation dropped, runs of spaces/hyphens → "-".
    text = re.sub(r"[^\w\s-]", "", title).strip().lower()
    return re.sub(r"[-\s]+", "-", text)


def bundled_file_anchor(skill: Persona, bundled: Persona) -> str:
    """The anchor of the heading that shows ``bundled`` (a file of the Agent Skill
    ``skill``) on the skill's guide: ``pyzotero-references-error-handling-md``."""
    folder = posixpath.dirname(skill.path)
    name = posixpath.relpath(bundled.path, folder) if folder else bundled.path
    return f"{skill.id}-{slugify(name)}".strip("-")


def section_anchors(persona: Persona) -> dict[int, str]:
    """Section line → the anchor of that section's heading on the guide.

    Depends on the persona alone, so a page in another topic can link to it."""
    anchors = AnchorSet(
        GUIDE_RESERVED
        | {f"persona-{persona.id}", f"{persona.id}-prompt", f"{persona.id}-introduction"}
    )
    return {
        s.span.line: anchors.make(" ".join(s.title.split()), persona.id + "-")
        for s in persona.all_sections()
    }


@dataclass
class PersonaLinks:
    """Where every persona of the KB lives: path → (topic slug, persona)."""

    locations: Mapping[str, tuple[str, Persona]] = field(default_factory=dict)
    files: Mapping[str, str] = field(default_factory=dict)
    """An Agent Skill's bundled file (path) → the anchor of its heading on the guide."""
    _anchors: dict[str, dict[str, str]] = field(default_factory=dict)

    @classmethod
    def of(cls, topics: Iterable[tuple[str, Iterable[Persona]]]) -> PersonaLinks:
        """Where each persona of ``(topic slug, personas)`` lives, with the skills'
        bundled files (shown on their skill's guide) as link targets too."""
        locations: dict[str, tuple[str, Persona]] = {}
        files: dict[str, str] = {}
        for slug, personas in topics:
            for persona in personas:
                locations[persona.path] = (slug, persona)
                for bundled in persona.bundled:
                    locations.setdefault(bundled.path, (slug, bundled))
                    files.setdefault(bundled.path, bundled_file_anchor(persona, bundled))
        return cls(locations, files)

    def _anchor_for(self, persona: Persona, fragment: str) -> str | None:
        table = self._anchors.get(persona.path)
        if table is None:
            table = {}
            lines = section_anchors(persona)
            for section in persona.all_sections():
                anchor = lines[section.span.line]
                for key in (github_slug(section.title), _toc_slug(section.title)):
                    table.setdefault(key, anchor)
                table.setdefault(slugify(section.title), anchor)
            self._anchors[persona.path] = table
        key = unquote(fragment).lower()
        return table.get(key) or table.get(slugify(key))

    def resolve(self, source: Persona, topic: str, href: str) -> str | None:
        """The KB link for ``href`` written in ``source`` (on a page of ``topic``), or
        ``None`` to leave it as written."""
        if not href or _SCHEME_RE.match(href) or href.startswith(("/", "//")):
            return None
        path, _, fragment = href.partition("#")
        if path:
            base = posixpath.dirname(source.path)
            target_path = posixpath.normpath(posixpath.join(base, unquote(path)))
            found = self.locations.get(target_path)
            if found is None:
                return None
            target_topic, target = found
        else:
            if not fragment:
                return None
            target_topic, target = topic, source
        anchor = self._anchor_for(target, fragment) if fragment else None
        if anchor is None:
            if not path:
                return None  # an anchor this persona does not have: leave it
            anchor = self.files.get(target.path) or f"persona-{target.id}"
        guide = page_filename(target_topic, PageKind.COMPREHENSIVE_GUIDE)
        page = guide if target_topic == topic else f"../{slugify(target_topic)}/{guide}"
        return f"{page}#{anchor}"

    def rewrite_line(self, source: Persona, topic: str, line: str) -> str:
        """``line`` with each inline link and link definition to a persona rewritten."""
        match = _DEFINITION_RE.match(line)
        if match:
            new = self.resolve(source, topic, match.group(2).strip("<>"))
            return line if new is None else match.group(1) + new + line[match.end() :]
        if "](" not in line:
            return line
        out: list[str] = []
        position = 0
        while True:
            start = line.find("](", position)
            if start < 0:
                break
            begin = start + 2
            end = begin
            while end < len(line) and line[end] not in " )\t":
                end += 1
            raw = line[begin:end]
            in_code = line[:start].count("`") % 2 == 1
            new = None if in_code else self.resolve(source, topic, raw.strip("<>"))
            out.append(line[position:begin])
            out.append(raw if new is None else new)
            position = end
        out.append(line[position:])
        return "".join(out)

    def targets(self, persona: Persona) -> list[str]:
        """Persona paths that ``persona``'s body links to (for cache keys)."""
        found: list[str] = []
        base = posixpath.dirname(persona.path)
        for line in persona.body.split("\n"):
            if "](" not in line and "]:" not in line:
                continue
            for piece in re.findall(r"\]\(([^)\s#]+)|\]:\s*([^\s#]+)", line):
                href = piece[0] or piece[1]
                if _SCHEME_RE.match(href):
                    continue
                path = posixpath.normpath(posixpath.join(base, unquote(href.strip("<>"))))
                if path in self.locations:
                    found.append(path)
        return found
