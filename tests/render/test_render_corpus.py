"""Real-world personas (the corpus fixtures, five public collections) render cleanly.

Every page keeps one H1, every link and anchor resolves, no mojibake survives, and every
fenced code line on a guide maps back to its persona line. The full shared corpus
(860 files) is checked too when it exists and ``PKB_FULL_CORPUS=1`` is set.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
from pathlib import Path, PurePosixPath

import pytest
from markdown_it import MarkdownIt
from persona_kb._internal.kb.build import KBOptions, KnowledgeBase, build_knowledge_base
from test_render_pages import anchors, links, split_front_matter

REPO = Path(__file__).resolve().parents[2]
CORPORA = [REPO / "tests" / "fixtures" / "corpus", REPO.parent / "shared" / "corpus"]
_md = MarkdownIt("commonmark")


@pytest.fixture(scope="module", params=CORPORA, ids=["fixtures", "shared"])
def corpus_kb(request: pytest.FixtureRequest) -> KnowledgeBase:
    root: Path = request.param
    if not root.is_dir():
        pytest.skip(f"{root} is not available (the shared corpus exists only on the dev box)")
    if root == CORPORA[1] and not os.environ.get("PKB_FULL_CORPUS"):
        pytest.skip("the 860-file shared corpus takes minutes: set PKB_FULL_CORPUS=1 to run it")
    with contextlib.chdir(root):
        return build_knowledge_base(KBOptions(source=Path()))


def test_every_page_is_well_formed(corpus_kb: KnowledgeBase) -> None:
    by_path = {p.path: p for p in corpus_kb.pages}
    page_anchors = {p.path: anchors(p) for p in corpus_kb.pages}
    assert len(corpus_kb.pages) == 4 * len(corpus_kb.topics) + 1
    for page in corpus_kb.pages:
        _, body = split_front_matter(page)
        h1 = [t for t in _md.parse(body) if t.type == "heading_open" and t.tag == "h1"]
        assert len(h1) == 1, page.path
        for marker in ("â€", "Ã©", "ðŸ"):
            assert marker not in page.markdown, (page.path, marker)
        for href in links(page):
            target, _, fragment = href.partition("#")
            if href.startswith(("http:", "https:", "mailto:")) or not fragment:
                continue
            key = posixpath.normpath(str(PurePosixPath(page.path).parent / target))
            if not target:
                key = page.path
            if key in by_path:
                assert fragment in page_anchors[key], f"{page.path}: {href}"


def test_code_lines_map_back(corpus_kb: KnowledgeBase) -> None:
    personas = {p.path: p for p in corpus_kb.ingest.personas}
    checked = 0
    for page in corpus_kb.pages:
        if not page.path.endswith("COMPREHENSIVE-GUIDE.md"):
            continue
        found = {}
        for number, text in enumerate(page.markdown.split("\n"), start=1):
            span = page.source_map.lookup(number)
            if span is not None:
                found.setdefault((span.path, span.line), text)
        for path in page.sources:
            for block in personas[path].code_blocks:
                if block.nested or not block.code:
                    continue
                for i, line in enumerate(block.code.rstrip("\n").split("\n")):
                    span = block.line_span(i)
                    text = found.get((span.path, span.line))
                    assert text is not None, str(span)
                    assert text.strip().lstrip("\\") == line.strip().lstrip("\\"), str(span)
                    checked += 1
    assert checked > 0
