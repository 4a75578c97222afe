"""What a reader checks on every page, on every library we have.

On our kb/ (the repository's and the render fixture's copy), the in-repo corpus
fixtures, the files that once broke a check (``tests/fixtures/reader``) and, when it
exists, the shared 2,200-file corpus
(``../shared/corpus``, or the folder ``PKB_CORPUS`` names; built once per test process
and shared with the other tests that read it):

* no page repeats a rule that another row of the same page states;
* no QUICK-REFERENCE is over 150 lines;
* no page is only placeholders, and no section is an empty heading;
* no tag is an agent tool id;
* no ``<…>`` text is lost, and PKB502 warns only on dangerous HTML.

It also reports the fold rate (rules before and after folding, per topic).
"""

from __future__ import annotations

import contextlib
from itertools import combinations
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from persona_kb._internal.core.model import KBPage, PageKind
from persona_kb._internal.kb.build import KBOptions, KnowledgeBase, build_knowledge_base
from persona_kb._internal.kb.render.environment import make_environment
from persona_kb._internal.kb.render.folding import content_words
from persona_kb._internal.kb.render.frame import RenderContext
from persona_kb._internal.kb.render.tags import AGENT_TOOL_IDS
from rapidfuzz import fuzz
from test_no_text_lost import lost_tokens, warned_without_danger
from test_render_pages import split_front_matter

REPO = Path(__file__).resolve().parents[2]
LIBRARIES = {
    "repo-kb": REPO,  # the kb/ this repository's own site is built from
    "our-kb": REPO / "tests" / "fixtures" / "render",  # its copy in the render fixture
    "fixture-corpus": REPO / "tests" / "fixtures" / "corpus",
    # Files that broke a check on the shared corpus (tests/fixtures/reader/README.md).
    "reader-fixtures": REPO / "tests" / "fixtures" / "reader",
}
FOLDS = {"repo-kb", "our-kb", "fixture-corpus", "shared-corpus"}
"""The libraries big enough to state some rule twice."""
_md = MarkdownIt("commonmark").enable("table")


@pytest.fixture(
    scope="module",
    params=[*LIBRARIES, "shared-corpus"],
)
def library(request: pytest.FixtureRequest) -> KnowledgeBase:
    if request.param == "shared-corpus":
        kb: KnowledgeBase = request.getfixturevalue("shared_corpus_kb")
        return kb
    root = LIBRARIES[request.param]
    with contextlib.chdir(root):
        source = Path("kb") if request.param in ("repo-kb", "our-kb") else Path()
        return build_knowledge_base(KBOptions(source=source))


@pytest.fixture
def library_name(request: pytest.FixtureRequest) -> str:
    return str(request.node.callspec.params["library"])


def rule_rows(page: KBPage) -> list[tuple[str, str]]:
    """``(kind, rule)`` of every Do / Don't row on the page (and the Don't table)."""
    rows: list[tuple[str, str]] = []
    in_donts = False
    for line in page.markdown.split("\n"):
        if line.startswith("## "):
            in_donts = line.startswith("## Things not to do")
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if line.startswith(("| ✅ | ", "| ❌ | ")):
            rows.append(("do" if cells[0] == "✅" else "dont", cells[1]))
        elif in_donts and line.startswith("| ") and not line.startswith(("| Don't |", "|---")):
            rows.append(("dont", cells[0]))
    return rows


def repeats(a: str, b: str) -> bool:
    """An independent, strict notion of "states the same rule": the same content words,
    or nearly the same words in any order."""
    wa, wb = content_words(a), content_words(b)
    if not wa or not wb:
        return False
    if set(wa) == set(wb):
        return True
    longer = max(len(wa), len(wb))
    return min(len(wa), len(wb)) * 5 >= longer * 4 and (
        fuzz.token_sort_ratio(" ".join(sorted(wa)), " ".join(sorted(wb))) >= 95
    )


def test_no_page_repeats_a_rule(library: KnowledgeBase) -> None:
    checked = 0
    for page in library.pages:
        rows = rule_rows(page)
        checked += len(rows)
        for (ka, a), (kb, b) in combinations(rows, 2):
            assert not (ka == kb and repeats(a, b)), f"{page.path}: {a!r} / {b!r}"
    assert checked > 0


def test_no_quick_reference_is_over_150_lines(library: KnowledgeBase) -> None:
    for page in library.pages:
        if page.kind is PageKind.QUICK_REFERENCE:
            assert page.markdown.count("\n") <= 150, page.path


def _sections(body: str) -> list[tuple[str, list[str]]]:
    # (H2 heading, the non-blank lines under it up to the next H2).
    out: list[tuple[str, list[str]]] = []
    fence = False
    for line in body.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if line.startswith("## ") and not fence:
            out.append((line, []))
        elif out and line.strip():
            out[-1][1].append(line)
    return out


def _empty_labels(page: KBPage) -> list[str]:
    # Labels the page writes itself (an unmapped line that is all bold, or an admonition
    # title) with no text under them before the next heading or the end of the page.
    lines = page.markdown.split("\n")
    spans = page.source_map.lines
    empty = []
    for i, line in enumerate(lines):
        is_label = line.startswith("!!! ") or (
            line.startswith("**") and line.endswith("**") and len(line) > 4
        )
        if not is_label or (i < len(spans) and spans[i] is not None):
            continue
        after = next((n for n in lines[i + 1 :] if n.strip()), "")
        if not after or after.startswith("#"):
            empty.append(f"{page.path}:{i + 1}: {line}")
    return empty


def test_no_page_is_only_placeholders(library: KnowledgeBase) -> None:
    assert [label for page in library.pages for label in _empty_labels(page)] == []
    for page in library.pages:
        _, body = split_front_matter(page)
        for heading, lines in _sections(body):
            assert lines, f"{page.path}: {heading} is empty"
            assert not any(line.startswith("The personas of this topic") for line in lines), (
                page.path,
                heading,
            )
        if page.kind is PageKind.INDEX:
            continue
        after_note = body.split("rebuilt on every build.", 1)[1]
        paragraphs = [p for p in after_note.split("\n\n") if p.strip()]
        mapped = any(span is not None for span in page.source_map.lines)
        # Either the page shows persona text, or it says in one sentence that there is
        # nothing of its kind and links the guide.
        assert mapped or (len(paragraphs) == 2 and "COMPREHENSIVE-GUIDE.md" in after_note), (
            page.path
        )


def test_no_tag_is_an_agent_tool_id(library: KnowledgeBase) -> None:
    tools = {t.lower() for p in library.ingest.personas for t in p.metadata.tools}
    for page in library.pages:
        data, _ = split_front_matter(page)
        tags = {str(t).lower() for t in data["tags"]}
        assert not tags & (tools | AGENT_TOOL_IDS), (page.path, tags & tools)
        assert len(tags) <= 8 or page.kind is PageKind.INDEX, page.path


def test_no_text_is_lost_and_only_dangerous_html_is_warned(library: KnowledgeBase) -> None:
    assert lost_tokens(library) == []
    assert warned_without_danger(library) == []


def test_fold_rate_is_reported(
    library: KnowledgeBase, library_name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = RenderContext(make_environment())
    before = after = 0
    lines = []
    for topic in library.topics:
        synth = ctx.synthesis(topic)
        before += synth.rules_before
        after += len(synth.rules)
        assert len(synth.rules) <= synth.rules_before
        if synth.rules_before != len(synth.rules):
            lines.append(f"  {topic.slug}: {synth.rules_before} -> {len(synth.rules)}")
    with capsys.disabled():
        print(f"\nfold rate: {before} rules -> {after} after folding", *lines, sep="\n")
    if library_name in FOLDS:
        assert after < before  # each of these libraries states some rule twice
