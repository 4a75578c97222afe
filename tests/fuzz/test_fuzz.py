"""Property-based fuzzing (hypothesis) of ingest, render, sanitise and example selection.

Bounded to about a minute in all: derandomised (CI reruns the same inputs), no example
database, a small number of examples per target. Inputs are built from a seed corpus
of fragments that broke things before (quoted tables at the end of the file, U+2028 in
front matter, script payloads, fences, YAML aliases), mixed with arbitrary text.

Properties: nothing raises; every diagnostic points inside the file it names; the HTML
of a sanitised page, after the final allow-list, carries no handler and no script URL.
"""

from __future__ import annotations

import tempfile
from html.parser import HTMLParser
from pathlib import Path

import markdown
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from persona_kb._internal.checks.examples.selection import examples_from_persona, select_examples
from persona_kb._internal.ingest.reader import read_persona_bytes
from persona_kb._internal.kb.build import MARKDOWN_EXTENSIONS, KBOptions, build_knowledge_base
from persona_kb._internal.kb.render.html_allowlist import sanitize_page_html
from persona_kb._internal.kb.render.sanitize import is_dangerous_url, sanitize_markdown

SEEDS = [
    "---\n", "name: x\n", "topic: ", "tools: [a, b]\n", "description: \"a\u2028b\"\n",
    "a: &a [x, x]\nb: [*a, *a]\n", "\u2028", "\u2029", "\x85", "\ufeff", "\u200b",
    "# Title\n", "## Rules\n", "### ❌ Wrong\n", "### ✅ Correct\n", "- item\n", "1. one\n",
    "> a | b\n", "> --|--\n", ">", "| a | b |\n|---|---|\n| c | d |\n",
    "```python\n", "```\n", "````\n", "~~~\n", "`````\n", "    indented code\n",
    "<img src=x onerror=alert(1)>", "<script>alert(1)</script>", "<div markdown>\n",
    "</div>\n", "<details>\n<summary>s</summary>\n", "<!--->", "<!-- --!>", "-->",
    "[x](javascript:alert(1))", "[x](javascript&colon;alert(1))", "[r]: java&#9;script:x\n",
    "{: onclick=\"alert(1)\" }", "<a\nhref='javascript:x'>", "Result<T>", "<ProjectName>",
    "<role>", "&lt;", "&#58;", "\n", "\n\n", "  ", "\t", "*", "_", "[", "]", "(", ")",
]  # fmt: skip
FRAGMENTS = st.lists(st.one_of(st.sampled_from(SEEDS), st.text(max_size=8)), max_size=40).map(
    "".join
)
FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

REGRESSIONS = [
    "---\nname: q\n---\n\n# Q\n\n> a | b\n> --|--\n>",
    '---\nname: u\ndescription: "a\u2028b\u2028c"\ntools: [a\n---\n\n# U\n',
]


@FUZZ
@given(FRAGMENTS)
@example(REGRESSIONS[0])
@example(REGRESSIONS[1])
def test_ingest_never_raises_and_points_inside_the_file(text: str) -> None:
    outcome = read_persona_bytes(text.encode("utf-8", "surrogatepass"), "f.md")
    assert not [d for d in outcome.diagnostics if d.code == "PKB109"], outcome.diagnostics
    last = text.count("\n") + 1
    for diagnostic in outcome.diagnostics:
        assert 1 <= diagnostic.span.line <= last, diagnostic
    if outcome.persona is not None:
        examples, _ = examples_from_persona(outcome.persona, topic="t")
        kept = select_examples(examples, topics=["t"], personas=["f"])
        assert len(kept) <= len(examples)


class _Unsafe(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed", "style", "form", "base", "meta"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name in ("srcdoc", "formaction"):
                self.found.append(f"{tag} {name}")
            if name in ("href", "src", "action", "xlink:href") and is_dangerous_url(value or ""):
                self.found.append(f"{tag} {name}={value}")


_EXTENSIONS = [*MARKDOWN_EXTENSIONS, "md_in_html", "toc"]


@FUZZ
@given(FRAGMENTS)
@example("See <img\nsrc=x onerror=alert(1)> here")
@example("```\ncode\n`````\n<img src=x onerror=alert(2)>\n")
def test_sanitised_markdown_renders_to_html_without_handlers(text: str) -> None:
    result = sanitize_markdown(text, "f.md", 1)
    lines = [new for i, line in enumerate(text.split("\n"), 1) for new in result.apply(i, line)]
    html = markdown.markdown("\n".join(lines), extensions=_EXTENSIONS)
    checker = _Unsafe()
    checker.feed(sanitize_page_html(html))
    checker.close()
    assert checker.found == []
    for diagnostic in result.diagnostics:
        assert 1 <= diagnostic.span.line <= text.count("\n") + 1


@settings(FUZZ, max_examples=15)
@given(st.lists(FRAGMENTS, min_size=1, max_size=3))
def test_a_library_of_fuzzed_personas_always_builds(bodies: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "kb"
        source.mkdir()
        for i, body in enumerate(bodies):
            (source / f"p{i}.md").write_text(body, encoding="utf-8", errors="surrogatepass")
        kb = build_knowledge_base(KBOptions(source=source))
        assert not [d for d in kb.diagnostics if d.code in ("PKB109", "PKB599")]
