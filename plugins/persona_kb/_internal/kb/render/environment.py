"""The Jinja2 environment: shipped templates, overridable from a user folder.

Templates are compiled once per template folder and reused for every page (Jinja2
caches compiled templates on the environment). A user folder named in the config comes
first in a ``ChoiceLoader``, so a file there with a shipped template's name replaces it;
everything else falls back to the package.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

import jinja2

from persona_kb._internal.core.diagnostics import PersonaKBError, SourceSpan
from persona_kb._internal.core.model import SourceMap
from persona_kb._internal.kb.render.sourcemap import FragmentTable, expand

SHIPPED_TEMPLATES = Path(__file__).parent / "templates"
TEMPLATE_NAMES = (
    "_page.md.j2",
    "readme.md.j2",
    "quick_reference.md.j2",
    "comprehensive_guide.md.j2",
    "specific_patterns.md.j2",
    "index.md.j2",
)
"""Every template a user folder may override."""


@cache
def make_environment(user_templates: Path | None = None) -> jinja2.Environment:
    """The environment for ``user_templates`` (``None``: shipped templates only)."""
    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        if not user_templates.is_dir():
            raise PersonaKBError(
                f"templates folder {user_templates} does not exist; create it or remove "
                "the 'templates' option"
            )
        loaders.append(jinja2.FileSystemLoader(str(user_templates)))
    loaders.append(jinja2.FileSystemLoader(str(SHIPPED_TEMPLATES)))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        # The output is Markdown, not HTML; persona HTML is sanitised by render.sanitize.
        autoescape=False,  # noqa: S701
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        # `{#id}` is Markdown (attr_list anchors), so Jinja comments are `{## … ##}`.
        comment_start_string="{##",
        comment_end_string="##}",
    )


def template_fingerprint(user_templates: Path | None) -> str:
    """A string that changes whenever a user template changes (a cache-key ingredient)."""
    if user_templates is None or not user_templates.is_dir():
        return ""
    parts = []
    for name in TEMPLATE_NAMES:
        path = user_templates / name
        if path.is_file():
            stat = path.stat()
            parts.append(f"{name}:{stat.st_mtime_ns}:{stat.st_size}")
    return ";".join(parts)


def render_template(
    env: jinja2.Environment,
    name: str,
    context: Mapping[str, object],
    table: FragmentTable,
) -> tuple[str, SourceMap]:
    """Render template ``name`` and expand its fragments into Markdown plus source map."""
    try:
        rendered = env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = SourceSpan(exc.filename or name, exc.lineno or 1)
        raise PersonaKBError(f"template syntax error: {exc.message}", where) from None
    except jinja2.TemplateError as exc:
        raise PersonaKBError(
            f"template {name} failed: {exc}; check the template against the shipped one in "
            f"{SHIPPED_TEMPLATES}"
        ) from None
    return expand(rendered, table)
