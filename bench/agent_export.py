"""The KB for agents: what the GitHub-flavoured export and index cost, and what they hold.

Set-up: a persona library synthesised from the corpus (see ``synth_personas.py``), ten
personas a topic. In one run, interleaved over the rounds, it times:

- ``render``: ``build_knowledge_base`` (read every persona, render every page): the work
  every build does anyway, the baseline of the ratios;
- ``agents``: ``agent_export`` (convert every page to GitHub-flavoured Markdown, re-point
  the anchors, build ``index.json``);
- ``llms``: ``agent_site_files`` on top (``llms.txt``, ``llms-full.txt``, twins, schemas).

Medians of CPU time (user + system of this process, which other load on a shared machine
disturbs least) and wall-clock, each as a ratio to ``render``. Then it reports what an
agent gets: front-matter lines of the site pages vs the export, the estimated tokens per
topic (``ceil(characters / 4)``: see ``kb/agents/tokens.py``), and whether any raw
Material syntax survives in the export.

    uv run python bench/agent_export.py [--personas 452] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from persona_kb._internal.kb.agents.bundle import agent_export
from persona_kb._internal.kb.agents.site_files import agent_site_files
from persona_kb._internal.kb.build import KBOptions, build_knowledge_base
from synth_personas import synthesise

T = TypeVar("T")
_RAW = re.compile(r'^(?:!!!|\?\?\?)\s|^===\s+"|\{#', re.MULTILINE)


def timed(call: Callable[[], T]) -> tuple[T, float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = call()
    return result, time.process_time() - cpu, time.perf_counter() - wall


def front_matter_lines(markdown: str) -> int:
    if not markdown.startswith("---\n"):
        return 0
    return markdown[: markdown.index("\n---\n", 3) + 5].count("\n")


def outside_code(markdown: str) -> str:
    # Rough, for reporting only: the tests check the export with a Markdown parser.
    return "\n".join(part for i, part in enumerate(markdown.split("```")) if i % 2 == 0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--personas", type=int, default=452)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory(prefix="persona-kb-bench-agents-") as tmp:
        source = Path(tmp) / "kb"
        topics = synthesise(source, args.personas)
        options = KBOptions(source=source, topics=topics)
        runs: dict[str, list[tuple[float, float]]] = {"render": [], "agents": [], "llms": []}
        kb = bundle = None
        for _ in range(args.rounds):
            kb, cpu, wall = timed(lambda: build_knowledge_base(options))
            runs["render"].append((cpu, wall))
            bundle, cpu, wall = timed(partial(agent_export, kb, output="kb"))
            runs["agents"].append((cpu, wall))
            _, cpu, wall = timed(
                partial(agent_site_files, kb, bundle, output="kb", site_name="b", description="b")
            )
            runs["llms"].append((cpu + runs["agents"][-1][0], wall + runs["agents"][-1][1]))
        assert kb is not None
        assert bundle is not None
        base_cpu = statistics.median(c for c, _ in runs["render"])
        base_wall = statistics.median(w for _, w in runs["render"])
        print(
            f"{args.personas} personas, {len(kb.topics)} topics, {len(kb.pages)} pages, "
            f"{args.rounds} rounds (medians)"
        )
        print(f"{'step':<22}{'CPU s':>8}{'ratio':>8}{'wall s':>9}{'ratio':>8}")
        for name, label in (
            ("render", "render (baseline)"),
            ("agents", "+ agent export"),
            ("llms", "+ llms/twins/schemas"),
        ):
            cpu = statistics.median(c for c, _ in runs[name])
            wall = statistics.median(w for _, w in runs[name])
            print(
                f"{label:<22}{cpu:>8.2f}{cpu / base_cpu:>8.2f}{wall:>9.2f}{wall / base_wall:>8.2f}"
            )
        site_fm = sum(front_matter_lines(p.markdown) for p in kb.pages)
        export_fm = sum(front_matter_lines(g.page.markdown) for g in bundle.pages)
        site_lines = sum(p.markdown.count("\n") for p in kb.pages)
        export_lines = sum(g.page.markdown.count("\n") for g in bundle.pages)
        print(
            f"front matter: site pages {site_fm:,} lines of {site_lines:,}; "
            f"export {export_fm:,} lines of {export_lines:,}"
        )
        raw = sum(bool(_RAW.search(outside_code(g.page.markdown))) for g in bundle.pages)
        print(f"export pages with raw !!!/===/{{# outside code: {raw}")
        topic_rows = bundle.index["topics"]
        assert isinstance(topic_rows, list)
        tokens = sorted(int(t["tokens"]) for t in topic_rows)
        print(
            f"tokens per topic (estimate, ceil(chars/4)): median {statistics.median(tokens):,}, "
            f"min {tokens[0]:,}, max {tokens[-1]:,}, all topics {sum(tokens):,}"
        )
        for row in sorted(topic_rows, key=lambda t: -int(t["tokens"]))[:5]:
            print(
                f"  {row['slug']:<10}{int(row['tokens']):>9,} tokens  "
                f"{len(row['personas'])} personas, {row['rules']} rules, "
                f"{row['pattern_cards']} cards"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
