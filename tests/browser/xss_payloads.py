"""A stored-XSS payload set for the knowledge base: every vector issue #15 lists.

Each payload calls ``alert(N)`` with its own number ``N`` when it runs, so a dialog
names the payload. ``write_library`` lays the payloads out as persona files: raw HTML
in many Markdown contexts, Markdown links and attribute lists, tags split across lines,
decoys, entity-encoded schemes, comment forms, raw block tags, fences that superfences
and markdown-it read differently, and every front-matter field the pages show.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Raw HTML vectors; {js} is the script, {n} the payload number.
HTML_VECTORS = [
    "<img src=x onerror={js}>",
    "<IMG SRC=x ONERROR={js}>",
    '<img src="x" onerror = "{js}">',
    "<img/src=x/onerror={js}>",
    "<img src=x:x onerror={js} alt=y>",
    "<svg onload={js}>",
    "<svg><a xlink:href=\"javascript:{js}\"><text y='20'>svg link {n}</text></a></svg>",
    "<script>{js}</script>",
    '<iframe src="javascript:{js}"></iframe>',
    '<iframe srcdoc="<script>parent.{js}</script>"></iframe>',
    '<a href="javascript:{js}">click {n}</a>',
    '<a href="JaVaScRiPt:{js}">click {n}</a>',
    '<a href="javascript&colon;{js}">click {n}</a>',
    '<a href="javascript&#58;{js}">click {n}</a>',
    '<a href="java&#9;script:{js}">click {n}</a>',
    '<a href="&#106;avascript:{js}">click {n}</a>',
    '<a href=" javascript:{js}">click {n}</a>',
    '<a href="data:text/html,<script>{js}</script>">click {n}</a>',
    '<div onmouseover="{js}">hover {n}</div>',
    '<span onpointerenter="{js}">hover {n}</span>',
    '<b onclick="{js}">click {n}</b>',
    '<details open ontoggle="{js}"><summary>s {n}</summary>x</details>',
    "<body onload={js}>",
    "<input autofocus onfocus={js}>",
    "<select autofocus onfocus={js}></select>",
    "<textarea autofocus onfocus={js}></textarea>",
    '<video><source onerror="{js}"></video>',
    "<audio src=x onerror={js}></audio>",
    '<object data="javascript:{js}"></object>',
    '<embed src="javascript:{js}">',
    "<math><mtext><img src=x onerror={js}></mtext></math>",
    "<hgroup><img src=x onerror={js}></hgroup>",
    '<map name="m{n}"><area href="javascript:{js}" shape=default></map>',
    "<!---><img src=x onerror={js}>-->",
    "<!-- --!><img src=x onerror={js}>-->",
    "<!--><img src=x onerror={js}>-->",
    '<form action="javascript:{js}"><button>go {n}</button></form>',
    '<button formaction="javascript:{js}">b {n}</button>',
    '<meta http-equiv="refresh" content="0;url=javascript:{js}">',
    '<noscript><p title="</noscript><img src=x onerror={js}>"></noscript>',
    "<marquee onstart={js}>m {n}</marquee>",
    '<xss onclick="{js}">custom {n}</xss>',
    "<template><img src=x onerror={js}></template>",
    '<img src="x` `<script>{js}</script>"` `>',
    '<style>@keyframes k{n}{{}}</style><b style="animation-name:k{n}" onanimationstart={js}>s</b>',
]
# The same few vectors in every Markdown context a persona can put them in.
CONTEXT_VECTORS = ["<img src=x onerror={js}>", '<a href="javascript:{js}">c {n}</a>']
CONTEXTS = [
    "- A list item {payload} here.",
    "  1. a nested item\n\n     - deeper {payload}",
    "| Column | Other |\n|---|---|\n| cell | {payload} |",
    "> quoted {payload}",
    "### Heading {payload}",
    "**bold {payload}** and *em*",
    "`<img src=x onerror=nope>` decoy, then {payload}",
    "<div>\n\n{payload}\n\n</div>",
    "<details markdown>\n<summary>More</summary>\n\n{payload}\n\n</details>",
    '!!! note "{payload}"\n    body',
    "Term\n: {payload}",
    "Setext heading {payload}\n-----",
]
# Vectors written in Markdown rather than HTML.
MARKDOWN_VECTORS = [
    "[link {n}](javascript:{js})",
    "[link {n}](JAVASCRIPT:{js})",
    "[link {n}](javascript&colon;{js})",
    "[link {n}](javascript&#58;{js})",
    "[link {n}](java&#9;script:{js})",
    "[link {n}](<javascript:{js}>)",
    "![image {n}](javascript:{js})",
    "[ref {n}][r{n}]\n\n[r{n}]: javascript:{js}",
    "[ref {n}][q{n}]\n\n[q{n}]:\n  javascript&colon;{js}",
    "<javascript:{js}>",
    'A paragraph {n}\n{{: onclick="{js}" }}',
    '[ok {n}](https://example.org){{: onclick="{js}"}}',
    '[ok {n}](https://example.org){{: href="javascript:{js}"}}',
    '## Heading {n} {{: onmouseover="{js}" }}',
    "- item {n}\n{{: onmouseover='{js}' }}",
    'See <img\nsrc=x onerror="{js}"> here {n}.',
    "Text {n} <a\nhref='javascript:{js}'\n>split link</a>",
    "Safe <b>decoy</b> first, then <img src=x onerror={js}> on the same line {n}",
    "<div>\n<img src=x onerror={js}>\n\n</div>",
    "<div title='{n}'>\n\n<img src=x onerror={js}>",
    "```\ncode {n}\n`````\n<img src=x onerror={js}>\n",
    "~~~\ncode {n}\n~~~~~~\n<img src=x onerror={js}>\n",
    "```` \n<img src=x onerror={js}>\n`````\n",
]
# Front-matter fields shown on the pages (persona table, headings, index, tags).
FRONT_MATTER_FIELDS = ["title", "name", "description", "model", "version", "color"]
LIST_FIELDS = ["tools", "tags", "capabilities", "do_not", "languages", "frameworks"]
FRONT_MATTER_VECTORS = [
    "Evil <img src=x onerror={js}>",
    '"><svg onload={js}>',
    "</title><img src=x onerror={js}>",
]


@dataclass(frozen=True)
class Payload:
    """One payload: its number, vector and where it was placed."""

    number: int
    where: str
    text: str


def _js(n: int) -> str:
    return f"alert({n})"


class _Numbers:
    def __init__(self) -> None:
        self.next = 100

    def take(self) -> int:
        self.next += 1
        return self.next


def write_library(folder: Path) -> list[Payload]:
    """Write hostile persona files into ``folder``; returns every payload placed."""
    folder.mkdir(parents=True, exist_ok=True)
    numbers = _Numbers()
    payloads: list[Payload] = []

    def place(vector: str, where: str) -> str:
        n = numbers.take()
        text = vector.format(js=_js(n), n=n)
        payloads.append(Payload(n, where, text))
        return text

    blocks = [place(v, "html/paragraph") for v in HTML_VECTORS]
    body_html = "\n\n".join(f"Paragraph: {b}" for b in blocks)
    contexts = []
    for context in CONTEXTS:
        for vector in CONTEXT_VECTORS:
            contexts.append(context.format(payload=place(vector, f"context/{context[:12]}")))
    body_contexts = "\n\n".join(contexts)
    markdown = [place(v, "markdown") for v in MARKDOWN_VECTORS]
    fences = markdown[-3:]  # fences go last: an unclosed one runs to the end
    body_markdown = "\n\n".join(markdown[:-3])

    persona_1 = _persona(
        "hostile-one",
        {f: place(FRONT_MATTER_VECTORS[0], f"front matter {f}") for f in FRONT_MATTER_FIELDS},
        {f: [place(FRONT_MATTER_VECTORS[0], f"front matter {f}")] for f in LIST_FIELDS},
        "# Hostile one " + place("<img src=x onerror={js}>", "H1")
        + "\n\n## Best practices\n\n" + body_html
        + "\n\n## Patterns\n\n### Wrong way " + place("<img src=x onerror={js}>", "pattern")
        + "\n\n```python\nx = 1\n```\n",
    )  # fmt: skip
    persona_2 = _persona(
        "hostile-two",
        {f: place(FRONT_MATTER_VECTORS[1], f"front matter {f}") for f in FRONT_MATTER_FIELDS},
        {f: [place(FRONT_MATTER_VECTORS[1], f"front matter {f}")] for f in LIST_FIELDS},
        "# Hostile two\n\n## Guidelines\n\n" + body_contexts + "\n",
    )
    persona_3 = _persona(
        "hostile-three",
        {f: place(FRONT_MATTER_VECTORS[2], f"front matter {f}") for f in FRONT_MATTER_FIELDS},
        {f: [place(FRONT_MATTER_VECTORS[2], f"front matter {f}")] for f in LIST_FIELDS},
        "# Hostile three\n\n## Rules\n\n" + body_markdown + "\n",
    )
    for i, fence in enumerate(fences):
        (folder / f"hostile-fence-{i}.md").write_text(
            _persona(f"hostile-fence-{i}", {}, {}, f"# Fence {i}\n\n## Notes\n\n{fence}"),
            encoding="utf-8",
        )
    topic = place("t<img src=x onerror={js}>", "front matter topic")
    (folder / "hostile-topic.md").write_text(
        _persona("hostile-topic", {}, {}, "# Topic\n\n## Notes\n\nBody.\n").replace(
            "topic: hostile", f"topic: {_quote(topic)}"
        ),
        encoding="utf-8",
    )
    for name, text in (("one", persona_1), ("two", persona_2), ("three", persona_3)):
        (folder / f"hostile-{name}.md").write_text(text, encoding="utf-8")
    return payloads


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _persona(slug: str, scalars: dict[str, str], lists: dict[str, list[str]], body: str) -> str:
    lines = ["---", f"id: {slug}", "topic: hostile"]
    lines += [f"{key}: {_quote(value)}" for key, value in scalars.items()]
    for key, values in lists.items():
        lines.append(f"{key}:")
        lines += [f"  - {_quote(v)}" for v in values]
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body
