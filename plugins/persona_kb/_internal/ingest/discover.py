"""Which files under a folder are persona candidates.

A folder is walked recursively, in sorted order, without following symlinked
folders (no loops). Candidates are ``*.md``, ``*.mdc`` and ``*.markdown``
files, except:

* anything inside a hidden folder (``.git``, ``.github``, ``.venv``…) or
  ``node_modules`` / ``__pycache__``, and hidden files: tooling, not personas;
* inside a hidden folder, only what agent tools read there: Copilot's
  ``.github/copilot-instructions.md``, ``*.instructions.md``, ``*.agent.md``,
  ``*.prompt.md`` and ``*.chatmode.md``; ``.cursor/rules/``, ``.windsurf/rules/``,
  ``.clinerules/`` and Claude Code's ``.claude/`` (agents, skills, commands);
* the conventional documents that sit beside personas in every collection
  but describe the repository, not an agent: ``README``, ``CHANGELOG``,
  ``CONTRIBUTING``, ``CODE_OF_CONDUCT``, ``SECURITY``, ``LICENSE``…, and
  folder pages ``index.md`` / ``_index.md``;
* Fabric's ``user.md`` beside a ``system.md``: it is the user-turn template
  of the same pattern, not a second persona;
* ``AGENTS.md``, ``CLAUDE.md``, ``GEMINI.md`` and ``.github/copilot-instructions.md``
  at the top of a persona *library* (the folder walked, or a vendored collection:
  one holding a ``LICENSE`` or named ``owner__repo``) that holds skills, agents or
  other personas besides instructions and rules: they tell agents how to work on
  that repository, as ``CONTRIBUTING.md`` tells people. Anywhere else (a project's
  own instruction files, nested ones) they are instruction files and are read.

Agent Skills
------------
A folder holding ``SKILL.md`` is one Agent Skill. ``SKILL.md`` is the candidate;
every other Markdown file under the folder (``references/``, ``templates/``, …) is
*bundled* with it, and every other file is a *resource* (scripts, assets), listed
and never run. A folder below it with a ``SKILL.md`` of its own is a skill of its own.

Skipped Markdown files get info ``PKB110`` saying why, so every Markdown file
is read or accounted for. A file named explicitly is always a candidate,
whatever its name: the user asked for it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan
from persona_kb._internal.core.paths import display_path

PERSONA_SUFFIXES = frozenset({".md", ".mdc", ".markdown"})
SKIPPED_DIRECTORIES = frozenset({"node_modules", "__pycache__"})
NON_PERSONA_STEMS = frozenset(
    {
        "readme",
        "changelog",
        "changes",
        "history",
        "contributing",
        "contributors",
        "code_of_conduct",
        "code-of-conduct",
        "security",
        "license",
        "licence",
        "copying",
        "notice",
        "authors",
        "index",
        "_index",
    }
)


SKILL_FILE = "skill.md"
"""An Agent Skill's entry file (matched case-insensitively; the spec writes ``SKILL.md``)."""

ROOT_INSTRUCTION_FILES = frozenset({"agents.md", "claude.md", "gemini.md"})
"""Instruction files that, at the top of a library, describe the repository."""

# Hidden folders agent tools read: folder name -> file-name predicate (None: every file).
_COPILOT_SUFFIXES = (".instructions.md", ".agent.md", ".prompt.md", ".chatmode.md")
_HIDDEN_TOOL_FOLDERS = frozenset({".github", ".cursor", ".windsurf", ".clinerules", ".claude"})
_COLLECTION_MARKERS = ("license", "licence", "copying", "notice")


@dataclass(frozen=True, slots=True)
class SkillBundle:
    """The files an Agent Skill's ``SKILL.md`` brings with it."""

    markdown: tuple[Path, ...] = ()
    """Bundled Markdown (``references/*.md``…): read with the skill, never on their own."""
    resources: tuple[Path, ...] = ()
    """Scripts, assets and everything else: listed and linked, never run."""


@dataclass(slots=True)
class DiscoveredFiles:
    """What walking a set of paths found."""

    files: list[Path] = field(default_factory=list)
    """Persona candidates (one ``SKILL.md`` per skill), sorted."""
    bundles: dict[Path, SkillBundle] = field(default_factory=dict)
    """``SKILL.md`` path → what its skill bundles."""
    diagnostics: list[Diagnostic] = field(default_factory=list)


def is_persona_candidate(path: Path) -> bool:
    """Whether a file met while walking a folder may be a persona (see the module docs)."""
    if path.name.startswith(".") or path.suffix.lower() not in PERSONA_SUFFIXES:
        return False
    return not _skip_reason(path)


def _skip_reason(path: Path) -> str:
    """Why a Markdown file met while walking is not a persona (``""`` if it may be one)."""
    if path.stem.lower() in NON_PERSONA_STEMS:
        return f"{path.name} documents the folder or repository, not an agent"
    if path.name == "user.md" and (path.parent / "system.md").is_file():
        return "user.md beside system.md is the Fabric pattern's user-turn template"
    return ""


def refuse_unsafe_file(
    path: Path, root: Path, real: dict[str, str] | None = None
) -> Diagnostic | None:
    """Why ``path`` (met under ``root``) must not be read, or ``None``.

    A symlink whose target lies outside ``root`` is skipped (``PKB111``): a persona
    library must not publish ``/etc/passwd`` or ``../.git/config``. Anything that is
    not a regular file (a FIFO, a device such as ``/dev/zero``, a socket) is refused
    (``PKB112``): it is only ``stat``-ed, never opened, so it cannot block or stream.

    ``real`` remembers resolved folders during one walk (pass a new dict per walk, never
    keep it between builds: a folder may become a symlink), so a file that is not itself
    a symlink costs one ``lstat``.
    """
    shown = display_path(path)
    known = real if real is not None else {}
    try:
        info = os.lstat(path)
        link = stat.S_ISLNK(info.st_mode)
        # Resolved whole, so a symlinked folder on the way cannot lead out either.
        if link:
            target = os.path.realpath(path)
        else:
            folder = _real(os.path.dirname(path), known)  # noqa: PTH120 - strings: hot path
            target = os.path.join(folder, path.name)  # noqa: PTH118
        inside = _real(os.fspath(root), known)
        if target != inside and not target.startswith(inside.rstrip(os.sep) + os.sep):
            return Diagnostic(
                "PKB111",
                Severity.WARNING,
                f"symlink to {Path(target).as_posix()}, outside the persona folder; not read",
                SourceSpan(shown, 1),
                hint="copy the file into the persona folder if it belongs in the KB",
            )
        mode = path.stat().st_mode if link else info.st_mode
    except (OSError, RuntimeError) as exc:  # a dangling link, a loop
        return Diagnostic(
            "PKB106",
            Severity.ERROR,
            f"file could not be read: {getattr(exc, 'strerror', None) or exc}",
            SourceSpan(shown, 1),
            hint="check that the file exists and is readable",
        )
    if not stat.S_ISREG(mode):
        return Diagnostic(
            "PKB112",
            Severity.WARNING,
            "not a regular file (a FIFO, device or socket); refused without opening it",
            SourceSpan(shown, 1),
            hint="remove it from the persona folder",
        )
    return None


def _real(folder: str, known: dict[str, str]) -> str:
    found = known.get(folder)
    if found is None:
        found = known[folder] = os.path.realpath(folder)
    return found


def discover_persona_files(paths: Sequence[Path]) -> tuple[list[Path], list[Diagnostic]]:
    """The persona candidate files under ``paths`` (files or folders), sorted and deduplicated.

    A path that does not exist gets error ``PKB108`` instead of an exception.
    """
    found = discover(paths)
    return found.files, found.diagnostics


def discover(paths: Sequence[Path]) -> DiscoveredFiles:
    """The persona candidates under ``paths`` and what each Agent Skill bundles."""
    result = DiscoveredFiles()
    found = result.files
    seen: set[Path] = set()
    diagnostics = result.diagnostics
    for root in paths:
        if root.is_file():
            candidates = [root]
            if root.name.lower() == SKILL_FILE:
                result.bundles[root] = _bundle_of(root.parent, root.parent, diagnostics)
        elif root.is_dir():
            candidates = _walk(root, diagnostics, result.bundles)
        else:
            diagnostics.append(
                Diagnostic(
                    "PKB108",
                    Severity.ERROR,
                    f"no such file or folder: {root}",
                    SourceSpan(root.as_posix(), 1),
                    hint="check the path",
                )
            )
            continue
        for candidate in candidates:
            # Only overlapping roots can list a file twice; resolving symlinks is costly,
            # so a single root (the usual case, and every `mkdocs serve` rebuild) skips it.
            key = candidate.resolve() if len(paths) > 1 else candidate
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return result


def _skipped(path: Path, reason: str) -> Diagnostic:
    # Said out loud, so that every Markdown file is either read or accounted for.
    return Diagnostic(
        "PKB110",
        Severity.INFO,
        f"not read as a persona: {reason}",
        SourceSpan(display_path(path), 1),
        hint="name the file explicitly to read it as a persona anyway",
    )


def _bundle_of(skill: Path, root: Path, diagnostics: list[Diagnostic]) -> SkillBundle:
    """Everything under a skill folder except nested skills, hidden files and files that
    must not be read (a symlink out of ``root``, a FIFO or device: said, then skipped)."""
    real: dict[str, str] = {}
    markdown: list[Path] = []
    resources: list[Path] = []
    for folder, directories, files in os.walk(skill):
        base = Path(folder)
        directories[:] = sorted(
            d
            for d in directories
            if not d.startswith(".")
            and d not in SKIPPED_DIRECTORIES
            and not _has_skill_file(base / d)
        )
        for name in sorted(files):
            path = base / name
            if name.startswith(".") or (base == skill and name.lower() == SKILL_FILE):
                continue
            refused = refuse_unsafe_file(path, root, real)
            if refused is not None:
                diagnostics.append(refused)
                continue
            if path.suffix.lower() in PERSONA_SUFFIXES:
                markdown.append(path)
            else:
                resources.append(path)
    key = lambda p: p.as_posix()  # noqa: E731 - a sort key
    return SkillBundle(tuple(sorted(markdown, key=key)), tuple(sorted(resources, key=key)))


def _has_skill_file(folder: Path) -> bool:
    try:
        return any(p.name.lower() == SKILL_FILE for p in folder.iterdir() if p.is_file())
    except OSError:
        return False


def _hidden_tool_file(relative_parts: tuple[str, ...], name: str) -> bool:
    """Whether a file inside hidden folders is one an agent tool reads (see the module docs)."""
    hidden = [p for p in relative_parts if p.startswith(".")]
    if any(p not in _HIDDEN_TOOL_FOLDERS for p in hidden):
        return False
    first = hidden[0]
    after = relative_parts[relative_parts.index(first) + 1 :]
    lowered = name.lower()
    if first == ".github":
        return lowered == "copilot-instructions.md" or lowered.endswith(_COPILOT_SUFFIXES)
    if first in (".cursor", ".windsurf"):
        return bool(after) and after[0] == "rules"
    return True  # .clinerules/ and .claude/ hold nothing but agent material


def _is_collection_root(folder: Path, root: Path) -> bool:
    if folder == root or "__" in folder.name:
        return True
    try:
        return any(
            p.name.lower().startswith(_COLLECTION_MARKERS) for p in folder.iterdir() if p.is_file()
        )
    except OSError:
        return False


def _is_instruction(path: Path, top: Path) -> bool:
    """Whether a file is project instructions or rules rather than a persona of a library."""
    name = path.name.lower()
    if name in ROOT_INSTRUCTION_FILES or name == "copilot-instructions.md":
        return True
    if name.endswith((".instructions.md", ".prompt.md")):
        return True
    parts = path.relative_to(top).parts
    return any(p in (".github", ".cursor", ".windsurf", ".clinerules") for p in parts)


def _repository_instructions(found: list[Path], root: Path) -> set[Path]:
    """Instruction files at the top of a library of other personas (see the module docs)."""
    out: set[Path] = set()
    for path in found:
        name = path.name.lower()
        if name in ROOT_INSTRUCTION_FILES:
            top = path.parent
        elif name == "copilot-instructions.md" and path.parent.name == ".github":
            top = path.parent.parent
        else:
            continue
        if not _is_collection_root(top, root):
            continue
        others = (p for p in found if p.is_relative_to(top) and not _is_instruction(p, top))
        if next(others, None) is not None:
            out.add(path)
    return out


def _walk(
    root: Path, diagnostics: list[Diagnostic], bundles: dict[Path, SkillBundle]
) -> list[Path]:
    found: list[Path] = []
    skills: set[Path] = set()
    real: dict[str, str] = {}
    for folder, directories, files in os.walk(root):
        base = Path(folder)
        skill_file = next((f for f in sorted(files) if f.lower() == SKILL_FILE), None)
        # A look at each parent, not at each skill found (a library has hundreds).
        inside_skill = any(p in skills for p in (base, *base.parents))
        if skill_file is not None:
            skills.add(base)
            bundles[base / skill_file] = _bundle_of(base, root, diagnostics)
            found.append(base / skill_file)
        if skill_file is not None or inside_skill:
            # The rest belongs to the enclosing skill; only nested skills are walked to.
            directories[:] = sorted(
                d
                for d in directories
                if not d.startswith(".")
                and d not in SKIPPED_DIRECTORIES
                and _contains_skill(base / d)
            )
            continue
        parts = base.relative_to(root).parts
        in_tool_folder = any(p in _HIDDEN_TOOL_FOLDERS for p in parts)
        # Pruning in place is how os.walk is told not to descend.
        directories[:] = sorted(
            d
            for d in directories
            if d not in SKIPPED_DIRECTORIES
            and (not d.startswith(".") or d in _HIDDEN_TOOL_FOLDERS or in_tool_folder)
        )
        for name in sorted(files):
            path = base / name
            if name.startswith(".") or path.suffix.lower() not in PERSONA_SUFFIXES:
                continue
            if any(p.startswith(".") for p in parts) and not _hidden_tool_file(parts, name):
                continue
            refused = refuse_unsafe_file(path, root, real)
            if refused is not None:
                diagnostics.append(refused)
                continue
            reason = _skip_reason(path)
            if not reason:
                found.append(path)
                continue
            diagnostics.append(_skipped(path, reason))
    repository = _repository_instructions(found, root)
    for path in sorted(repository, key=lambda p: p.as_posix()):
        diagnostics.append(
            _skipped(
                path,
                f"{path.name} at the top of a persona library tells agents how to work on "
                "that repository, as CONTRIBUTING.md tells people",
            )
        )
    return sorted((p for p in found if p not in repository), key=lambda p: p.as_posix())


def _contains_skill(folder: Path) -> bool:
    """Whether a skill's sub-folder holds a nested skill somewhere (walked then)."""
    return any(any(f.lower() == SKILL_FILE for f in files) for _, _, files in os.walk(folder))
