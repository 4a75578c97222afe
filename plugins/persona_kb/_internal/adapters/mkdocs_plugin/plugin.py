"""``PersonaKBPlugin``: MkDocs events mapped onto the knowledge-base core.

The plugin builds the knowledge base in ``on_files`` and adds its pages as
in-memory ``File.generated`` files, so nothing is ever written into ``docs_dir``.
Persona diagnostics go to MkDocs' log (warnings count under ``--strict``).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel, set_exclusions
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from persona_kb._internal.adapters.mkdocs_plugin.config import PersonaKBConfig
from persona_kb._internal.adapters.mkdocs_plugin.live_edit import LiveEdits, watched_roots
from persona_kb._internal.adapters.mkdocs_plugin.navigation import (
    PlaceholderWarningFilter,
    nav_logger,
    place_kb_nav,
)
from persona_kb._internal.adapters.mkdocs_plugin.placement import place_pages
from persona_kb._internal.adapters.mkdocs_plugin.site_options import cache_dir_of, core_options
from persona_kb._internal.adapters.mkdocs_plugin.template_cache import MemoryBytecodeCache
from persona_kb._internal.core.diagnostics import PersonaKBError, Severity
from persona_kb._internal.core.wording import plural
from persona_kb._internal.kb.agents.github import GithubCache
from persona_kb._internal.kb.agents.site_files import publish_for_agents
from persona_kb._internal.kb.build import (
    MARKDOWN_EXTENSIONS,
    KBCache,
    KBOptions,
    KnowledgeBase,
    build_knowledge_base,
)
from persona_kb._internal.kb.live_edit import new_diagnostics
from persona_kb._internal.kb.nav import (
    NavEntry,
    build_kb_nav,
    count_placeholders,
    nav_paths,
    placeholders_for,
)
from persona_kb._internal.kb.render.html_allowlist import escape_page_metadata, escape_title
from persona_kb._internal.kb.sanitized_html import SanitizedHtmlCache

if TYPE_CHECKING:  # only `serve` loads the live-reload server
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger(__name__)

TABS_CSS = "assets/persona-kb/tabbed-fallback.css"
"""Where the readable-tabs stylesheet appears in sites whose theme does not style tabs."""

_THEMES_WITH_TABS = frozenset({"material"})

_LEVELS = {Severity.ERROR: logging.ERROR, Severity.WARNING: logging.WARNING}


class PersonaKBPlugin(BasePlugin[PersonaKBConfig]):  # type: ignore[no-untyped-call]
    """``plugins: [persona-kb]``: generate the knowledge base from the persona folder."""

    def __init__(self) -> None:
        self._options: KBOptions | None = None
        self._cache: KBCache | None = None
        self._cache_dir_used: Path | None = None
        self._told_extensions = False
        self._serving_dirty = False
        self._temp_page_dir: Path | None = None
        self._templates: MemoryBytecodeCache | None = None
        self._kb: KnowledgeBase | None = None
        self._kb_nav: list[NavEntry] = []
        self._added: frozenset[str] = frozenset()
        self._nav_filter: PlaceholderWarningFilter | None = None
        self._github: GithubCache | None = None
        self._html = SanitizedHtmlCache()
        self._html_keys: dict[str, str] = {}
        self._live: LiveEdits | None = None
        self._kb_lock = threading.RLock()

    # MkDocs keeps a plugin that defines on_startup alive across `serve` rebuilds,
    # which is what lets the cache survive from one rebuild to the next.
    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Remember whether ``mkdocs serve --dirty`` will rebuild only changed pages."""
        self._serving_dirty = command == "serve" and dirty
        self._templates = MemoryBytecodeCache() if command == "serve" else None
        if command == "serve" and self.config.enabled and self.config.fast_serve:
            self._live = LiveEdits(self._rebuilt_kb, self._accept_kb, self._kb_lock)

    def on_shutdown(self) -> None:
        """Remove the temporary page folder of a ``serve --dirty`` session."""
        if self._live is not None:
            self._live.close()
        if self._temp_page_dir is not None:
            shutil.rmtree(self._temp_page_dir, ignore_errors=True)
            self._temp_page_dir = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Validate the options against the site and turn them into core options."""
        if not self.config.enabled:
            return config
        options = core_options(self.config, config)
        added = _enable_markdown_extensions(config)
        if added and not self._told_extensions:
            # Once per session: `serve` reloads the config on every rebuild.
            self._told_extensions = True
            log.info(
                "enabled the Markdown extensions the knowledge-base pages need: %s "
                "(list them under markdown_extensions in mkdocs.yml to configure them)",
                ", ".join(added),
            )
        if _needs_tabs_css(config) and TABS_CSS not in config.extra_css:
            config.extra_css.append(TABS_CSS)
        cache_dir = cache_dir_of(self.config, config)
        if (options, cache_dir) != (self._options, self._cache_dir_used) or self._cache is None:
            self._cache = KBCache(cache_dir / "kb" if cache_dir else None)
            self._github = GithubCache(self._cache.store)
            self._html = SanitizedHtmlCache(self._cache.store)
            self._options = options
            self._cache_dir_used = cache_dir
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """In ``serve``: note what every watched file looks like before the build reads it."""
        if self._live is not None:
            extra = [self.config.source, self.config.templates]
            self._live.build_started(watched_roots(config, extra), Path(self.config.source))

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build is never the base of a partial rebuild."""
        if self._live is not None:
            self._live.build_failed()

    def _rebuilt_kb(self, keep_from: KnowledgeBase | None = None) -> KnowledgeBase:
        assert self._options is not None
        with self._kb_lock:  # `serve` may build one ahead in another thread
            return build_knowledge_base(self._options, cache=self._cache, keep_from=keep_from)

    def _accept_kb(self, kb: KnowledgeBase, shown: KnowledgeBase | None = None) -> None:
        report(kb, shown)
        self._kb = kb

    def _add_pages(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Add the generated pages (replacing stale exports)."""
        if not self.config.enabled or self._options is None:
            return files
        try:
            kb = self._rebuilt_kb()
        except PersonaKBError as exc:
            raise PluginError(f"persona-kb: {exc}") from None
        self._accept_kb(kb)
        placement = place_pages(
            kb.pages,
            files,
            config,
            output=self._options.output,
            page_dir=self._dirty_page_dir(config),
        )
        for message in placement.conflicts:
            log.error(message)
        if placement.page_dir_error:
            log.warning(
                "%s: the page folder of `serve --dirty` cannot be written, so every page is "
                "rebuilt; point the plugin's `cache_dir` option at another folder",
                placement.page_dir_error,
            )
        for path in placement.hidden:
            log.info("%s: an exported page no persona generates any more; left out", path)
        if _needs_tabs_css(config) and files.get_file_from_path(TABS_CSS) is None:
            css = (Path(__file__).parent / "assets" / "tabbed-fallback.css").read_text("utf-8")
            files.append(File.generated(config, TABS_CSS, content=css))
        set_exclusions(files, config)
        kb_nav = build_kb_nav(kb.pages, kb.topics, self.config.nav_layout)
        # Pages the KB nav leaves out (to keep every page light) are linked from the
        # pages it lists; marked not-in-nav, MkDocs does not report them as omitted.
        listed = nav_paths(kb_nav)
        for path in placement.added:
            file = files.get_file_from_path(path)
            if path not in listed and file is not None:
                file.inclusion = InclusionLevel.NOT_IN_NAV
        self._kb = kb
        self._kb_nav = kb_nav
        self._added = frozenset(placement.added)
        self._prepare_nav(config, files, kb)
        if "i18n" in config.plugins:
            # mkdocs-static-i18n rebuilds every file from `docs_dir` + its path, and fails
            # on a file without `abs_src_path`: give ours the path they stand for (nothing
            # is written there); `_restore_after_i18n` puts their content back.
            for path in placement.added:
                file = files.get_file_from_path(path)
                if file is not None and file.abs_src_path is None:
                    file.abs_src_path = str(Path(config.docs_dir) / file.src_path)
        return files

    @event_priority(-200)  # after mkdocs-static-i18n's on_files (-100)
    def _restore_after_i18n(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Give the generated pages mkdocs-static-i18n re-created from disk their content."""
        if self._kb is None or not self.config.enabled or "i18n" not in config.plugins:
            return files
        for page in self._kb.pages:
            file = files.get_file_from_path(page.path)
            # Only pages this build added: a hand-written file that won a conflict stays.
            if file is not None and file.generated_by is None and page.path in self._added:
                file.content_string = page.markdown
        return files

    on_files = CombinedEvent(_add_pages, _restore_after_i18n)

    def _place_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Give the knowledge base its place and order in the nav MkDocs (or a nav plugin) built.

        ``config.nav`` is never written, so nav plugins (awesome-nav, literate-nav, the
        blog) and files added by later plugins (gen-files) keep working.
        """
        self._drop_nav_filter()
        kb, options = self._kb, self._options
        if kb is None or options is None or not self.config.enabled or not self.config.add_to_nav:
            return nav
        placeholders = placeholders_for(options.output, self.config.nav_placeholder)
        placed = place_kb_nav(
            nav,
            files,
            config,
            self._kb_nav,
            output=options.output,
            title=self.config.nav_title,
            placeholders=placeholders,
        )
        if not placed.how and config.nav is not None:
            log.info(
                "nav: has no '%s' entry, so the knowledge base is not in the navigation; "
                "add `- %s: %s` where it should appear",
                placeholders[0],
                self.config.nav_title,
                placeholders[0],
            )
        return nav

    @event_priority(-1000)  # the nav as every other plugin left it
    def _remember_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self._live is not None:
            self._live.nav_built(nav)
        return nav

    on_nav = CombinedEvent(_place_nav, _remember_nav)

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write index.json, llms.txt, llms-full.txt, the Markdown twins and the schemas."""
        if not self.config.enabled or self._options is None or self._kb is None:
            return
        llms = "llmstxt" not in config.plugins
        if not llms:
            log.info("mkdocs-llmstxt is enabled: it writes llms.txt; persona-kb adds the rest")
        try:
            publish_for_agents(
                self._kb,
                Path(config.site_dir),
                output=self._options.output,
                allow_html=self._options.allow_html,
                cache=self._github,
                site_name=config.site_name or "",
                description=config.site_description or "",
                base_url=config.site_url or "",
                llms=llms,
            )
        except (OSError, PersonaKBError) as exc:
            raise PluginError(f"persona-kb: could not write the files for agents: {exc}") from None
        # The pages `serve --dirty` did not render this time keep their last HTML's key.
        self._html.retain(self._html_keys[p] for p in self._added if p in self._html_keys)
        if self._live is not None:
            self._live.build_finished(config, self._kb)

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Pass a generated page's HTML, title and metadata through the allow-list."""
        if page.file.src_uri not in self._added:
            return html
        if page.title is not None:
            page.title = escape_title(page.title)
        escape_page_metadata(page.meta)
        clean, self._html_keys[page.file.src_uri] = self._html.sanitize(html)
        return clean

    @event_priority(-100)  # the environment as the other plugins left it
    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        """While serving, reuse the theme's compiled templates from the previous rebuild."""
        if self._templates is not None and env.bytecode_cache is None:
            env.bytecode_cache = self._templates
        if self._live is not None:
            self._live.env_ready(env, files)
        return env

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[..., Any]
    ) -> LiveReloadServer:
        """Watch the persona folder (and template overrides) for changes; a change to
        persona files alone re-renders only the pages it changed."""
        if self._live is not None:
            cache_dir = cache_dir_of(self.config, config)
            self._live.install(server, builder, [cache_dir] if cache_dir else [])
        if self.config.enabled:
            if Path(self.config.source).is_dir():
                server.watch(self.config.source)
            if self.config.templates:
                server.watch(self.config.templates)
        return server

    def _dirty_page_dir(self, config: MkDocsConfig) -> Path | None:
        # Only `serve --dirty` needs pages on disk: MkDocs skips a page in a dirty
        # rebuild when its source file is older than its HTML, and in-memory
        # content always counts as modified.
        if not self._serving_dirty:
            return None
        # Decided on every build: a serve session may change `cache`/`cache_dir`, and
        # MkDocs may hand the same plugin instance to the next config it loads.
        cache_dir = cache_dir_of(self.config, config)
        if cache_dir is not None:
            return cache_dir / "pages"
        if self._temp_page_dir is None:
            self._temp_page_dir = Path(tempfile.mkdtemp(prefix="persona-kb-pages-"))
        return self._temp_page_dir

    def _prepare_nav(self, config: MkDocsConfig, files: Files, kb: KnowledgeBase) -> None:
        # An explicit `nav:` with a placeholder: the KB pages are placed by on_nav, so they
        # are not "omitted" from it, and the placeholder (not a file) is not "not found".
        self._drop_nav_filter()
        if not self.config.add_to_nav or config.nav is None or self._options is None:
            return
        placeholders = placeholders_for(self._options.output, self.config.nav_placeholder)
        if not count_placeholders(config.nav, placeholders):
            return
        for page in kb.pages:
            file = files.get_file_from_path(page.path)
            # A page `exclude_docs` or `not_in_nav` already keeps out stays as it is.
            if file is not None and file.generated_by is not None and file.inclusion.is_in_nav():  # type: ignore[no-untyped-call]
                file.inclusion = InclusionLevel.NOT_IN_NAV
        self._nav_filter = PlaceholderWarningFilter(placeholders)
        nav_logger().addFilter(self._nav_filter)

    def _drop_nav_filter(self) -> None:
        if self._nav_filter is not None:
            nav_logger().removeFilter(self._nav_filter)
            self._nav_filter = None


def report(kb: KnowledgeBase, shown: KnowledgeBase | None = None) -> None:
    """Log persona diagnostics and a one-line summary of the build.

    Errors and warnings are logged one by one (they count under ``--strict``); infos,
    such as repaired mojibake, only at debug level (``mkdocs build -v``) and in the
    summary, so that every ``serve`` rebuild does not repeat them. After a partial
    ``serve`` rebuild, ``shown`` is the knowledge base whose diagnostics the terminal
    already holds: only the new ones are logged.
    """
    fresh = kb.diagnostics if shown is None else new_diagnostics(shown.diagnostics, kb.diagnostics)
    infos = 0
    for d in fresh:
        message = d.format(severity=False, related=True)
        level = _LEVELS.get(d.severity, logging.DEBUG)
        infos += level == logging.DEBUG
        log.log(level, message)
    note = f"; {plural(infos, 'note')} (see them with `persona-kb lint` or `-v`)" if infos else ""
    if len(fresh) < len(kb.diagnostics):
        note += (
            f"; {plural(len(kb.diagnostics) - len(fresh), 'finding')} shown before, not repeated"
        )
    log.info(
        "%s in %s, %s%s",
        plural(len(kb.ingest.personas), "persona"),
        plural(len(kb.topics), "topic"),
        plural(len(kb.pages), "page"),
        note,
    )


def _enable_markdown_extensions(config: MkDocsConfig) -> list[str]:
    # The generated pages use {#id} anchors, admonitions and ❌/✅ content tabs: without
    # these extensions their links break and the cards render as raw `===` text.
    added = [name for name in MARKDOWN_EXTENSIONS if name not in config.markdown_extensions]
    for name in added:
        config.markdown_extensions.append(name)
        config.mdx_configs.setdefault(name, dict(MARKDOWN_EXTENSIONS[name]))
    return added


def _needs_tabs_css(config: MkDocsConfig) -> bool:
    # Material styles pymdownx.tabbed itself; elsewhere the ❌/✅ labels would sit above
    # two stacked, unlabelled code blocks.
    return config.theme.name not in _THEMES_WITH_TABS
