"""Synthesise a large persona library from real persona files, for the benchmarks.

Templates come from ``/work/shared/corpus`` when it exists, else from the shipped
``kb/`` and ``tests/fixtures/``. Every copy gets its own name, title and a unique
line, so no two synthetic personas are duplicates, and lands in a folder
``tNNN/`` that a ``topics:`` rule maps to topic ``tNNN`` (so topics stay a
realistic size instead of one giant ``python`` topic).
"""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_CORPUS = REPO.parent / "shared" / "corpus"
SUFFIXES = (".md", ".mdc")
MAX_TEMPLATE_BYTES = 40_000

_NAME = re.compile(r"^(name|title):\s*(.+)$", re.MULTILINE)
_H1 = re.compile(r"^# (.+)$", re.MULTILINE)


def template_files() -> list[Path]:
    """Real persona files to copy, smallest sources first excluded (READMEs, licenses)."""
    roots = [SHARED_CORPUS] if SHARED_CORPUS.is_dir() else [REPO / "kb", REPO / "tests/fixtures"]
    found = []
    for root in roots:
        for path in sorted(root.rglob("*")):
            if (
                path.is_file()
                and path.suffix in SUFFIXES
                and path.name.lower() not in {"readme.md", "license.md", "changelog.md"}
                and 200 < path.stat().st_size < MAX_TEMPLATE_BYTES
            ):
                found.append(path)
    if not found:
        raise SystemExit("no persona templates found")
    return found


def vary(text: str, index: int) -> str:
    """The template with its name, title and one line made unique to copy ``index``."""
    tag = f"variant {index:04d}"
    text = _NAME.sub(lambda m: f"{m.group(1)}: {m.group(2).strip()} {tag}", text, count=1)
    text = _H1.sub(lambda m: f"# {m.group(1)} ({tag})", text, count=1)
    return text.rstrip("\n") + f"\n\nThis is {tag} of the synthetic library.\n"


def synthesise(dest: Path, count: int, per_topic: int = 10) -> dict[str, list[str]]:
    """Write ``count`` personas under ``dest``; return the ``topics:`` rules for them."""
    templates = template_files()
    topics: dict[str, list[str]] = {}
    for i in range(count):
        template = templates[(i * 7919) % len(templates)]  # a prime stride mixes the sources
        topic = f"t{i // per_topic:03d}"
        topics.setdefault(topic, [f"{topic}/*"])
        target = dest / topic / f"{template.stem}-{i:04d}{template.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        raw = template.read_bytes().decode("utf-8", errors="replace")
        target.write_text(vary(raw, i), encoding="utf-8")
    return topics
