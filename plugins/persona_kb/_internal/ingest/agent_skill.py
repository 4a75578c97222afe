"""Agent Skills (``<name>/SKILL.md``): one persona per skill folder.

``SKILL.md`` front matter gives the ``name`` and ``description`` (and metadata such
as ``allowed-tools`` or ``license``); the persona id comes from the folder. The
Markdown files the skill bundles are read on their own (each keeps its path, so
every line stays mapped to its own file) and attached to the skill; scripts and
assets are listed, never run.

The Agent Skills specification is checked at ``path:line`` (warnings ``PKB310`` to
``PKB314``): the ``name`` matches the folder, uses lowercase letters, digits and
hyphens and is at most 64 characters; the ``description`` is present and at most
1,024 characters; files the body links to (or names in code, such as
``references/api.md``) exist.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.model import Persona, PersonaFormat
from persona_kb._internal.ingest.document import PersonaIdentity, SourceDocument, default_identity

FORMAT = PersonaFormat.AGENT_SKILL
MAX_NAME_LENGTH = 64
MAX_DESCRIPTION_LENGTH = 1024
_NAME_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A path named in inline code counts as a reference only under the spec's folders.
_BUNDLE_PATH_RE = re.compile(
    r"^(?:\./)?(?:references|scripts|assets|templates|examples)/[\w.\-/]+\.[A-Za-z0-9]+$"
)


def identify(doc: SourceDocument) -> PersonaIdentity:
    """Name and description from front matter; the id from the skill's folder."""
    folder = PurePosixPath(doc.path).parent.name or doc.stem
    identity = default_identity(doc, fallback_name=folder, name_from_heading=False)
    diagnostics = list(identity.diagnostics)
    diagnostics.extend(_check_name(doc, folder))
    diagnostics.extend(_check_description(doc))
    return PersonaIdentity(
        name=identity.name,
        title=identity.title,
        description=identity.description,
        name_span=identity.name_span,
        id_source=folder,
        identity=identity.identity,
        diagnostics=tuple(diagnostics),
    )


def _check_name(doc: SourceDocument, folder: str) -> Iterator[Diagnostic]:
    name = doc.text("name")
    span = doc.key_span("name")
    if name is None:
        yield Diagnostic(
            "PKB310",
            Severity.WARNING,
            f"Agent Skill has no 'name:'; named {folder!r} after its folder",
            span,
            hint=f"add 'name: {folder}' to the SKILL.md front matter",
        )
        return
    if name != folder:
        yield Diagnostic(
            "PKB311",
            Severity.WARNING,
            f"Agent Skill name {name!r} does not match its folder {folder!r}",
            span,
            hint="the Agent Skills specification wants the name to equal the folder name; "
            "rename one of them",
        )
    if len(name) > MAX_NAME_LENGTH or not _NAME_RE.match(name):
        yield Diagnostic(
            "PKB312",
            Severity.WARNING,
            f"Agent Skill name {name!r} is not 1-{MAX_NAME_LENGTH} lowercase letters, digits "
            "and single hyphens",
            span,
            hint="write the name like 'pdf-processing'",
        )


def _check_description(doc: SourceDocument) -> Iterator[Diagnostic]:
    description = doc.text("description")
    span = doc.key_span("description")
    if description is None:
        yield Diagnostic(
            "PKB313",
            Severity.WARNING,
            "Agent Skill has no 'description:'; agents decide when to use a skill from it",
            span,
            hint="add 'description:' saying what the skill does and when to use it",
        )
    elif len(description) > MAX_DESCRIPTION_LENGTH:
        yield Diagnostic(
            "PKB313",
            Severity.WARNING,
            f"Agent Skill description is {len(description):,} characters, over the "
            f"{MAX_DESCRIPTION_LENGTH:,} the specification allows",
            span,
            hint="shorten it and move the detail into the SKILL.md body",
        )


def check_references(persona: Persona, skill_folder: Path) -> list[Diagnostic]:
    """``PKB314`` for every file the skill's body links to (or names) that does not exist.

    Only paths inside the skill folder are checked: nothing outside the source is read.
    """
    found: list[Diagnostic] = []
    root = skill_folder.resolve()
    for target, line in _references_of(persona):
        resolved = (skill_folder / target).resolve()
        if not resolved.is_relative_to(root) or resolved.exists():
            continue
        found.append(
            Diagnostic(
                "PKB314",
                Severity.WARNING,
                f"SKILL.md refers to {target!r}, which is not in the skill folder",
                SourceSpan(persona.path, line),
                hint="add the file, or fix the reference",
            )
        )
    return found


@cache
def _inline_parser() -> MarkdownIt:
    # Links and code spans need inline parsing, which the shared structure parser skips.
    return MarkdownIt("commonmark")


_REMEMBERED: OrderedDict[tuple[str, PersonaFormat, int], tuple[tuple[str, int], ...]] = (
    OrderedDict()
)
_REMEMBER_AT_MOST = 4096
_REMEMBERED_LOCK = threading.Lock()


def _references_of(persona: Persona) -> tuple[tuple[str, int], ...]:
    # Parsing the body is most of a rebuild's cost for a skill library (`mkdocs serve`
    # rebuilds on every save): kept by the hash of the file's bytes, which the body comes
    # from, so an unchanged skill is not parsed again. The files are checked every time.
    key = (persona.content_hash, persona.format, persona.body_line)
    with _REMEMBERED_LOCK:  # ingest may run in more than one thread (the MCP server)
        found = _REMEMBERED.get(key)
        if found is not None:
            _REMEMBERED.move_to_end(key)
            return found
    found = tuple(_references(persona.body, persona.body_line))
    with _REMEMBERED_LOCK:
        _REMEMBERED[key] = found
        if len(_REMEMBERED) > _REMEMBER_AT_MOST:
            _REMEMBERED.popitem(last=False)
    return found


def _references(body: str, first_line: int) -> Iterator[tuple[str, int]]:
    for token in _inline_parser().parse(body):
        if token.type != "inline" or not token.map or not token.children:
            continue
        line = first_line + token.map[0]
        for child in token.children:
            if child.type == "softbreak" or child.type == "hardbreak":
                line += 1
            elif child.type == "link_open":
                target = _local_target(str(child.attrs.get("href", "")))
                if target:
                    yield target, line
            elif child.type == "code_inline" and _BUNDLE_PATH_RE.match(child.content.strip()):
                yield child.content.strip(), line


def _local_target(href: str) -> str:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path or href.startswith("#"):
        return ""
    path = unquote(parts.path)
    return "" if path.startswith("/") else path
