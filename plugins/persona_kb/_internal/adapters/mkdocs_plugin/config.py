"""The options of ``plugins: [persona-kb]`` in ``mkdocs.yml``.

Every attribute docstring below is rendered, as written, on the site's
configuration reference page.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from persona_kb._internal.core.model import PersonaFormat
from persona_kb._internal.kb.nav import NavLayout


class PersonaKBConfig(base.Config):  # type: ignore[no-untyped-call]  # MkDocs' hook
    """Options of the persona-kb MkDocs plugin.

    ```yaml
    plugins:
      - persona-kb:
          source: kb
          output: kb
          topics:
            python: ["*python*", "backend-*"]
          vocabulary: [htmx, django]
    ```
    """

    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing it, e.g. `enabled: !ENV [PERSONA_KB, true]`."""

    source = c.Dir(exists=False, default="kb")
    """Folder of persona files, relative to `mkdocs.yml`. Every supported format in it
    (and its subfolders) is read. `mkdocs serve` watches it."""

    output = c.Type(str, default="kb")
    """Folder inside `docs_dir` where the knowledge base appears, e.g. `kb` gives
    `kb/README.md` and `kb/<topic>/…` (URL `/kb/<topic>/`). Nothing is ever written
    there: pages are generated in memory."""

    topics = c.DictOfItems(c.ListOfItems(c.Type(str)), default={})
    """Topic rules: topic slug → globs matched against each persona's name or path.
    They apply after a persona's own front matter `topic:` and before automatic
    detection from the technology vocabulary."""

    vocabulary = c.ListOfItems(c.Type(str), default=[])
    """Extra technology names for automatic topic detection, added to the built-in
    vocabulary (python, typescript, react, go, rust, …). The first known technology in a
    persona's name or title becomes its topic."""

    templates = c.Optional(c.Dir(exists=True))
    """Folder of Jinja2 templates that override the shipped page templates, file by file
    (same file names as in `persona_kb/_internal/kb/render/templates/`)."""

    allow_html = c.Type(bool, default=False)
    """Keep raw HTML from persona bodies as written. Off by default: persona files are
    third-party input, so their HTML is sanitised (no `<script>`, no `on*=` attributes,
    no `javascript:` URLs). Turn it on only for sources you trust."""

    persona_format = c.Optional(c.Choice([str(f) for f in PersonaFormat]))
    """Read every persona as this format instead of detecting it from the path and the
    shape of each file (one of `seed-000`, `seed-002`, `claude-subagent`,
    `copilot-agent`, `copilot-instructions`, `cursor-rule`, `fabric-pattern`,
    `markdown`)."""

    source_url = c.Optional(c.Type(str))
    """URL prefix for the "source" links in the persona tables; the persona's path
    relative to `mkdocs.yml` is appended. By default it is derived from the site's
    `repo_url` and `edit_uri` (for example `https://github.com/org/repo/blob/main/`),
    and without a `repo_url` there are no source links."""

    fast_serve = c.Type(bool, default=True)
    """In `mkdocs serve` (with or without `--dirty`), a change to persona files alone re-renders
    only the pages it changed, in well under a second, instead of the whole site. A change
    to anything else (a page in `docs_dir`, `mkdocs.yml`, a template), or an edit that
    adds, removes or retitles a page, still rebuilds the whole site. The search index and
    the files for agents catch up at the next full rebuild; `false` rebuilds the whole site
    on every change."""

    add_to_nav = c.Type(bool, default=True)
    """Give the knowledge base its section in the navigation (in MkDocs' `on_nav` event,
    after nav plugins such as awesome-nav or literate-nav have built theirs). With
    `false` the plugin leaves the navigation exactly as MkDocs and the other plugins made
    it; the pages are still built."""

    nav_title = c.Type(str, default="Knowledge base")
    """Title of the knowledge-base section when MkDocs builds the navigation itself
    (no `nav:` in `mkdocs.yml`), or for a bare `- kb/` placeholder."""

    nav_layout = c.Choice([str(layout) for layout in NavLayout], default="auto")
    """How much of the knowledge base the navigation lists. Themes draw the whole
    navigation into every HTML page, so listing every page of hundreds of topics makes
    every page of the site heavy. `pages`: each topic as a section with its four pages;
    `topics`: one entry per topic (its overview, which links the other three pages);
    `index`: only the KB index, which links every topic and persona. `auto` (default):
    `pages` up to 30 topics, `topics` up to 150, else `index`. Pages left out of the
    navigation are still built and linked."""

    nav_placeholder = c.Optional(c.Type(str))
    """The `nav:` entry that expands into the knowledge base's navigation when
    `mkdocs.yml` has an explicit `nav:`. By default it is the output folder with a
    trailing slash, so `- Knowledge base: kb/` expands in place."""

    examples = c.Type(dict, default={})
    """How the code examples of the site are checked by `persona-kb examples`, `persona-kb
    check` and the pytest plugin; command-line flags and pytest ini keys override each
    key. Keys: `timeout` (seconds, 10), `memory_mb` (1024; 0: no limit), `default_tier`
    (`run`, `no-run` or `ignore`), `missing_module` (`fail` or `skip`), `undefined_names`
    (`warn` or `fail`), `isolation` (`page` or `block`), `jobs` (a number or `auto`),
    `allow_shell` (false), `preludes` (files run before every block), `placeholders`
    (`fail`, or `skip` fragments holding `<id>`-style placeholders), `baseline` (the
    baseline file, relative to `mkdocs.yml`; default `persona-kb-baseline.json`),
    `toolchains` (opt-in: `go`, `rust`, `java`, `c`, `cpp`), and defaults by language and
    by source folder: `languages: {typescript: {missing_module: skip}}`, `folders:
    {vendor: {default_tier: no-run, placeholders: skip}}` (keys `default_tier`,
    `missing_module`, `placeholders`; a folder wins over a language). A bad value fails
    every entry point with the same message."""

    codes = c.Type(dict, default={})
    """Ignore or re-level diagnostic codes, for the build and for every `persona-kb`
    command and the pytest plugin alike. `ignore:` lists codes (or prefixes such as `PKB3`)
    never to report; `severity:` maps a code (or prefix) to `error`, `warning`, `info` or
    `ignore`, the most specific entry winning; `inline: false` stops persona files from
    silencing codes with `<!-- persona-kb: ignore PKB502 -->` comments. For example
    `codes: {ignore: [PKB110], severity: {PKB201: error}}`. Every code is listed on the
    [diagnostic codes](codes.md) page (`docs/guide/codes.md`)."""

    cache = c.Type(bool, default=True)
    """Keep parsed personas and generated pages in an on-disk cache (see `cache_dir`), so
    that a build re-reads and re-renders only what changed since the last one. Entries
    are keyed by content hashes and by persona-kb's own code, so the cache never serves
    stale pages. With `false`, the cache lives in memory only, for the life of the
    process (`mkdocs serve` still rebuilds only the topic that changed)."""

    cache_dir = c.Optional(c.Dir(exists=False))
    """Folder of the on-disk cache, relative to `mkdocs.yml`; it must lie outside
    `docs_dir` and `source`. Default: `.cache/persona-kb` (the `.cache` folder Material's
    own plugins use; keep it out of git, and restore it between CI runs to make CI builds
    fast too)."""
