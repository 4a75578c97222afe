"""Selection is what MkDocs renders: 48 cases, the ground truth taken from the built HTML.

``tests/fixtures/selection_site`` is a Material site whose pages are one case each (fences
in ``<details>``, footnotes, definition lists, snippets, unclosed fences, front matter that
MkDocs shows as content …). The test builds it with ``mkdocs build``, reads every
``<pre><code>`` of each built page with its own small HTML reader, and requires the checker
to select exactly those blocks, each mapped to the source line it came from.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from persona_kb._internal.adapters.site_loader import load_site_config
from persona_kb._internal.checks.examples.site import site_examples
from persona_kb._internal.checks.examples.spec import Example

FIXTURE = Path(__file__).parent.parent / "fixtures" / "selection_site"
pytestmark = pytest.mark.slow


class _PreCode(HTMLParser):
    """The text of each ``<pre>…<code>`` inside the page's article (ground truth)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.in_article = 0
        self.in_pre = 0
        self.text: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.in_article += 1
        elif tag == "pre" and self.in_article:
            self.in_pre += 1
        elif tag == "code" and self.in_pre and self.text is None:
            self.text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.in_article -= 1
        elif tag == "pre" and self.in_pre:
            self.in_pre -= 1
        elif tag == "code" and self.text is not None:
            self.blocks.append("".join(self.text))
            self.text = None

    def handle_data(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)


def _normal(code: str) -> str:
    lines = [line.expandtabs(4).rstrip() for line in code.split("\n")]
    return "\n".join(lines).strip("\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("selection") / "site"
    shutil.copytree(FIXTURE, site)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-d", "out"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return site


def _truth(site: Path, page: str) -> list[str]:
    stem = Path(page).stem
    html_file = site / "out" / ("index.html" if stem == "index" else f"{stem}/index.html")
    reader = _PreCode()
    reader.feed(html_file.read_text(encoding="utf-8"))
    return [_normal(code) for code in reader.blocks]


@pytest.fixture(scope="module")
def selected(built: Path) -> dict[str, list[Example]]:
    cwd = Path.cwd()
    os.chdir(built)
    try:
        found = site_examples(load_site_config(Path("mkdocs.yml")))
    finally:
        os.chdir(cwd)
    by_page: dict[str, list[Example]] = {}
    for example in found.examples:
        by_page.setdefault(str(example.page), []).append(example)
    return by_page


CASES = sorted(p.name for p in (FIXTURE / "docs").glob("*.md"))


def test_the_set_has_at_least_40_cases() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES)
def test_selection_is_what_the_built_page_shows(
    case: str, built: Path, selected: dict[str, list[Example]]
) -> None:
    truth = _truth(built, case)
    ours = [_normal(e.code) for e in selected.get(f"docs/{case}", [])]
    assert ours == truth


@pytest.mark.parametrize("case", CASES)
def test_every_block_is_mapped_to_the_line_it_came_from(
    case: str, built: Path, selected: dict[str, list[Example]]
) -> None:
    for example in selected.get(f"docs/{case}", []):
        first = next((line for line in example.code.split("\n") if line.strip()), None)
        if first is None:
            continue
        index = next(i for i, line in enumerate(example.code.split("\n")) if line.strip())
        source = (built / example.path).read_text(encoding="utf-8").split("\n")
        written = source[example.lines[index] - 1]
        assert " ".join(written.split()).endswith(" ".join(first.split())), (
            f"{example.path}:{example.lines[index]} holds {written!r}, not {first!r}"
        )


def test_a_snippet_is_reported_in_the_snippet_file(selected: dict[str, list[Example]]) -> None:
    (example,) = selected["docs/c18-snippets.md"]
    assert example.path == "snippets/snippet.py"
    assert example.first_line == 1


def test_unclosed_fences_are_never_selected(selected: dict[str, list[Example]]) -> None:
    assert "docs/c14-unclosed-end.md" not in selected
    assert [e.code for e in selected["docs/c15-unclosed-middle.md"]] == ['print("closed one")\n']


def test_blocks_markdown_it_misses_get_their_language_and_markers(
    selected: dict[str, list[Example]],
) -> None:
    (details,) = selected["docs/c10-details-html.md"]
    assert (details.language, details.first_line) == ("python", 5)
    (footnote,) = selected["docs/c16-footnote.md"]
    assert (footnote.language, footnote.first_line) == ("python", 8)
