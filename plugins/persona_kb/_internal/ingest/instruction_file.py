"""Instruction files: ``AGENTS.md``, ``CLAUDE.md``, ``GEMINI.md``, Copilot prompt files
(``*.prompt.md``), Windsurf rules (``.windsurf/rules/*.md``) and Cline rules
(``.clinerules/*.md``).

``AGENTS.md``, ``CLAUDE.md`` and ``GEMINI.md`` apply to the folder they sit in (a
nested one to its sub-tree): that folder is the persona's
[`Metadata.scope`][persona_kb.Metadata]. Their name is the ``name:`` or the H1, else
the file and its folder (``AGENTS.md (api)``), and their id is the folder and the file
(``api-agents``), so that the many files of one name in a project stay apart. Rules name
what they apply to in front matter (``globs``, Cline's ``paths``, Windsurf's
``trigger: always_on``).
"""

from __future__ import annotations

from pathlib import PurePosixPath

from persona_kb._internal.core.model import PersonaFormat
from persona_kb._internal.ingest.document import PersonaIdentity, SourceDocument, default_identity

SCOPED_FORMATS = frozenset(
    {PersonaFormat.AGENTS_MD, PersonaFormat.CLAUDE_MD, PersonaFormat.GEMINI_MD}
)
"""Formats whose file applies to the folder it sits in."""


def identify(doc: SourceDocument) -> PersonaIdentity:
    """Scoped files: named after the H1 or file and folder; rules: after the H1 or file."""
    path = PurePosixPath(doc.path)
    if path.name.lower() not in ("agents.md", "claude.md", "claude.local.md", "gemini.md"):
        return default_identity(doc, fallback_name=doc.stem)
    folder = path.parent.name if path.parent.name not in ("", ".") else ""
    fallback = f"{path.name} ({folder})" if folder else path.name
    identity = default_identity(doc, fallback_name=fallback)
    return PersonaIdentity(
        name=identity.name,
        title=identity.title,
        description=identity.description,
        name_span=identity.name_span,
        id_source=doc.text("name") or f"{folder} {doc.stem}".strip(),
        identity=identity.identity,
        diagnostics=identity.diagnostics,
    )


def scope_of(path: str, fmt: PersonaFormat) -> str | None:
    """The folder an instruction file applies to (display path ending in ``/``), or ``None``.

    ``.github/copilot-instructions.md`` applies to the repository holding ``.github``.
    """
    posix = PurePosixPath(path)
    if fmt in SCOPED_FORMATS:
        folder = posix.parent
    elif posix.name.lower() == "copilot-instructions.md" and posix.parent.name == ".github":
        folder = posix.parent.parent
    else:
        return None
    text = folder.as_posix()
    return "./" if text in ("", ".") else text.rstrip("/") + "/"
