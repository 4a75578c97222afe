"""What a knowledge-base build reads and how: plain data, importable without the builder.

Reading a site's config needs these options but not the builder (readers, Jinja2,
ftfy, the wording models), so commands that only read the config, such as
``persona-kb examples`` on a folder of pages, do not pay for importing it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from persona_kb._internal.core.code_policy import CodePolicy
from persona_kb._internal.core.model import PersonaFormat

MARKDOWN_EXTENSIONS: dict[str, dict[str, object]] = {
    "attr_list": {},
    "admonition": {},
    "pymdownx.superfences": {},
    "pymdownx.tabbed": {"alternate_style": True},
    "pymdownx.tasklist": {"custom_checkbox": True},
}
"""The Python-Markdown extensions (and their default settings) the generated pages are
written for: ``{#id}`` anchors, the generated-page note, fenced code inside the ❌/✅
tabs, the tabs themselves, and checklists."""


@dataclass(frozen=True)
class KBOptions:
    """What to build and how. Every path is used as given (resolve it against the config)."""

    source: Path = Path("kb")
    """The folder of persona files."""
    output: str = "kb"
    """The folder under the docs root that receives the KB (``[a-z0-9-/]``, no ``..``)."""
    topics: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """Topic → globs over the persona name, id or path, tried after front matter ``topic:``."""
    vocabulary: Sequence[str] = ()
    """Extra technology words for automatic topics (each word becomes its own topic)."""
    templates: Path | None = None
    """A folder of Jinja2 templates overriding the shipped ones by file name."""
    allow_html: bool = False
    """Keep raw HTML in persona bodies as written (only for trusted sources)."""
    persona_format: PersonaFormat | None = None
    """Read every file as this format instead of detecting it."""
    source_url: str | None = None
    """Base URL for links to persona files (e.g. ``repo_url + "blob/main/"``); ``None``
    shows the path as code instead of a link that might break."""
    codes: CodePolicy = field(default_factory=CodePolicy)
    """Codes ignored or re-levelled (the plugin's ``codes:`` option), for every command."""
