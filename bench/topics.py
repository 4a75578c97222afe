"""Topic quality on a hand-labelled library: pair recall, pair precision, singleton rate.

Reads every persona under LIBRARY, assigns topics with no configuration (exactly as the
plugin does), and compares them with LABELS, a JSON file ``{"groups": {name: [stem, …]}}``
naming the personas that belong together (by file stem without ``.md``, ``.agent.md``,
``.instructions.md``…; a persona in no group belongs with no other one):

- **pair recall**: of the pairs that belong together, the share that share a topic;
- **pair precision** (pairs apart stay apart): of the pairs that do not belong together,
  the share in different topics;
- **singleton rate**: the share of topics holding one persona.

Goals: recall >= 0.90, apart >= 0.98, singletons <= 0.40. Also prints the CPU and wall
time of topic assignment (median of ``--rounds``), and with ``--show`` every topic and
the split and merged pairs.

    uv run python bench/topics.py                         # the fixture library
    uv run python bench/topics.py LIBRARY LABELS.json --show
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "topics"
_SUFFIXES = (".agent.md", ".chatmode.md", ".instructions.md", ".prompt.md", ".md", ".mdc")


@dataclass(frozen=True)
class Quality:
    """Pair recall and precision of a topic assignment against labels."""

    personas: int
    topics: int
    singletons: int
    together: int
    together_kept: int
    apart: int
    apart_kept: int
    split: tuple[tuple[str, str], ...]
    merged: tuple[tuple[str, str], ...]

    @property
    def recall(self) -> float:
        return self.together_kept / self.together if self.together else 1.0

    @property
    def precision(self) -> float:
        return self.apart_kept / self.apart if self.apart else 1.0

    @property
    def singleton_rate(self) -> float:
        return self.singletons / self.topics if self.topics else 0.0


def stem(path: str) -> str:
    """A persona file's stem as the labels name it."""
    name = PurePosixPath(path).name
    if name.lower() == "skill.md":
        return PurePosixPath(path).parent.name
    for suffix in _SUFFIXES:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name


def measure(topic_of: Mapping[str, str], labels: Mapping[str, Sequence[str]]) -> Quality:
    """Compare ``path → topic`` with labelled groups of stems."""
    group_of: dict[str, str] = {}
    for group, stems in labels.items():
        for member in stems:
            group_of[member] = group
    paths = sorted(topic_of)
    label = {p: group_of.get(stem(p), f"alone:{p}") for p in paths}
    together = together_kept = apart = apart_kept = 0
    split: list[tuple[str, str]] = []
    merged: list[tuple[str, str]] = []
    for a, b in itertools.combinations(paths, 2):
        same_topic = topic_of[a] == topic_of[b]
        if label[a] == label[b]:
            together += 1
            together_kept += same_topic
            if not same_topic:
                split.append((a, b))
        else:
            apart += 1
            apart_kept += not same_topic
            if same_topic:
                merged.append((a, b))
    sizes: dict[str, int] = {}
    for topic in topic_of.values():
        sizes[topic] = sizes.get(topic, 0) + 1
    return Quality(
        personas=len(paths),
        topics=len(sizes),
        singletons=sum(1 for n in sizes.values() if n == 1),
        together=together,
        together_kept=together_kept,
        apart=apart,
        apart_kept=apart_kept,
        split=tuple(split),
        merged=tuple(merged),
    )


def assign(library: Path) -> tuple[dict[str, str], dict[str, str]]:
    """``path → topic`` and ``path → reason`` for every persona under ``library``."""
    from persona_kb._internal.ingest import ingest
    from persona_kb._internal.kb.topics import TopicRules, explain_topics

    result = ingest([library])
    topics, reasons, _ = explain_topics(result.personas, TopicRules(library, {}))
    topic_of = {p.path: t.slug for t in topics for p in t.personas}
    why = {path: f"{c.reason}: {c.detail}" for path, c in reasons.items()}
    return topic_of, why


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("library", nargs="?", type=Path, default=FIXTURE)
    parser.add_argument("labels", nargs="?", type=Path, default=FIXTURE / "labels.json")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--show", action="store_true", help="print topics, splits and merges")
    args = parser.parse_args(argv)
    labels = json.loads(args.labels.read_text(encoding="utf-8"))["groups"]
    walls, cpus = [], []
    topic_of: dict[str, str] = {}
    why: dict[str, str] = {}
    for _ in range(args.rounds):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        topic_of, why = assign(args.library)
        walls.append(time.perf_counter() - start_wall)
        cpus.append(time.process_time() - start_cpu)
    quality = measure(topic_of, labels)
    if args.show:
        by_topic: dict[str, list[str]] = {}
        for path, topic in topic_of.items():
            by_topic.setdefault(topic, []).append(path)
        for topic, members in sorted(by_topic.items()):
            print(f"{topic} ({len(members)})")
            for path in sorted(members):
                print(f"    {stem(path):45} {why[path]}")
        for kind, pairs in (("split", quality.split), ("merged", quality.merged)):
            for a, b in pairs:
                print(f"{kind}: {stem(a)} / {stem(b)} ({topic_of[a]} / {topic_of[b]})")
    print(f"library: {args.library} ({quality.personas} personas, {quality.topics} topics)")
    print(
        f"pair recall      {quality.recall:6.1%}  ({quality.together_kept}/{quality.together}"
        " pairs that belong together share a topic; goal >= 90%)"
    )
    print(
        f"pair precision   {quality.precision:6.1%}  ({quality.apart_kept}/{quality.apart}"
        " pairs that do not stay apart; goal >= 98%)"
    )
    print(
        f"singleton topics {quality.singleton_rate:6.1%}  ({quality.singletons}/{quality.topics}"
        " topics hold one persona; goal <= 40%)"
    )
    print(
        f"ingest + topics  median wall {statistics.median(walls):.3f}s, "
        f"CPU {statistics.median(cpus):.3f}s over {args.rounds} rounds"
    )
    ok = quality.recall >= 0.90 and quality.precision >= 0.98 and quality.singleton_rate <= 0.40
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
