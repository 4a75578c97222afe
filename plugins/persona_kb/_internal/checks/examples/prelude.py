"""Hidden setup code that runs before every example in its scope; never shown on the site.

Where preludes live (all optional, all run in this order, in the block's globals):

1. **config**: files named by ``--prelude`` / ``persona_kb_prelude`` (every example);
2. **topic**: ``<source>/_preludes/<topic>.py``, e.g. ``kb/_preludes/python.py``
   (every example of that topic);
3. **persona**: ``<persona>.prelude.py`` beside the persona file, e.g.
   ``kb/python-backend-engineer.prelude.py`` (every example from that persona).

Preludes are plain Python files, so editors, linters and type checkers see them.
Ingestion never reads them: they are ``*.py`` files and ``_preludes/`` is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from persona_kb._internal.checks.examples.python_source import defined_names
from persona_kb._internal.checks.examples.spec import Example
from persona_kb._internal.core.paths import display_path

PRELUDE_DIR = "_preludes"
PERSONA_PRELUDE_SUFFIX = ".prelude.py"


@dataclass(frozen=True, slots=True)
class Prelude:
    """One prelude file: its display path and code (line 1 is file line 1)."""

    path: str
    code: str

    @property
    def lines(self) -> tuple[int, ...]:
        """Source lines of the code (always 1..n)."""
        return tuple(range(1, self.code.count("\n") + 2))

    def to_request(self) -> dict[str, object]:
        """The prelude as the worker protocol carries it."""
        return {"path": self.path, "code": self.code, "lines": list(self.lines)}


def _read(path: Path, display: str) -> Prelude | None:
    try:
        return Prelude(display, path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None


@dataclass(frozen=True, slots=True)
class PreludeSet:
    """Every prelude of a site, and which apply to which example."""

    config: tuple[Prelude, ...] = ()
    topics: tuple[tuple[str, Prelude], ...] = ()
    root: str = "."
    _personas: dict[str, Prelude | None] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )
    """Each persona file's own prelude, looked up once (a stat per block otherwise)."""

    def for_example(self, example: Example) -> tuple[Prelude, ...]:
        """The preludes that run before ``example``, in order (config, topic, persona)."""
        found = list(self.config)
        found.extend(p for topic, p in self.topics if topic == example.topic)
        if example.path not in self._personas:
            root = Path(self.root)
            self._personas[example.path] = persona_prelude(root / example.path, root)
        persona = self._personas[example.path]
        if persona is not None:
            found.append(persona)
        return tuple(found)

    def known_names(self, example: Example) -> frozenset[str]:
        """Names the applicable preludes define (for ``no-run`` undefined-name checks)."""
        names: set[str] = set()
        for prelude in self.for_example(example):
            names |= defined_names(prelude.code)
        return frozenset(names)

    def all(self) -> tuple[Prelude, ...]:
        """Config and topic preludes (for preloading their imports)."""
        return self.config + tuple(p for _, p in self.topics)


def persona_prelude(persona_file: Path, root: Path) -> Prelude | None:
    """``x.prelude.py`` beside ``x.md``, if it exists."""
    if persona_file.suffix.lower() not in {".md", ".mdc", ".markdown"}:
        return None
    candidate = persona_file.with_name(persona_file.stem + PERSONA_PRELUDE_SUFFIX)
    if not candidate.is_file():
        return None
    return _read(candidate, display_path(candidate, root))


def discover_preludes(
    source: Path | None, config_files: Iterable[Path] = (), root: Path | None = None
) -> PreludeSet:
    """Find the config, topic (``<source>/_preludes/*.py``) and persona preludes."""
    base = root or Path.cwd()
    config = tuple(
        p for p in (_read(f, display_path(f, base)) for f in config_files) if p is not None
    )
    topics: list[tuple[str, Prelude]] = []
    folder = source / PRELUDE_DIR if source is not None else None
    if folder is not None and folder.is_dir():
        for file in sorted(folder.glob("*.py")):
            prelude = _read(file, display_path(file, base))
            if prelude is not None:
                topics.append((file.stem, prelude))
    return PreludeSet(config, tuple(topics), str(base))
