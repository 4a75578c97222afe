"""``mkdocs serve`` (``--dirty`` or not): a persona edit re-renders only the pages it changed.

MkDocs rebuilds the whole site on every change, which takes about a minute at 500
personas. The server calls ``server.builder`` on each change; ``on_serve`` hands it
[`LiveEdits.rebuild`][persona_kb._internal.adapters.mkdocs_plugin.live_edit.LiveEdits.rebuild],
which calls MkDocs' own builder unless *only* persona files changed since the last
build and [`page_delta`][persona_kb._internal.kb.live_edit.page_delta] finds the same
pages with the same front matter. Then it renders just the changed pages with MkDocs'
own page functions, against the navigation, files and theme of the last full build, and
checks every page's anchors again. Any doubt (a change outside the persona folder, a
page added or retitled, an error) means MkDocs' full rebuild, as without the plugin.

The same partial rebuild runs as soon as a persona file is saved, in a background thread
([`BuildAhead`][persona_kb._internal.adapters.mkdocs_plugin.ahead.BuildAhead]); the
server's own rebuild, when its polling notices the change, then finds every watched
file as that rebuild left it, and only tells the browsers to reload. Every rebuild, full
or partial, holds one lock, so they never overlap.

The search index and the files for agents are refreshed by the next full rebuild.
"""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation

from persona_kb._internal.adapters.mkdocs_plugin.ahead import BuildAhead
from persona_kb._internal.core.wording import plural
from persona_kb._internal.kb.build import KnowledgeBase
from persona_kb._internal.kb.live_edit import FileStates, changed_files, file_states, page_delta

if TYPE_CHECKING:  # `mkdocs build` need not load the live-reload server
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger(__name__)

MakeKB = Callable[[KnowledgeBase], KnowledgeBase]
"""Rebuild the knowledge base (through the plugin's cache), keeping from the given one the
personas whose files now have errors; raises on configuration errors."""
AcceptKB = Callable[[KnowledgeBase, KnowledgeBase], None]
"""Tell the plugin that this knowledge base (first) is now the site's instead of the
second, whose diagnostics were already reported: it reports the new ones."""


@dataclass
class _LastBuild:
    config: MkDocsConfig
    files: Files
    nav: Navigation
    env: jinja2.Environment
    kb: KnowledgeBase


def watched_roots(config: MkDocsConfig, extra: Iterable[str | None]) -> list[Path]:
    """What ``serve`` watches: ``docs_dir``, ``mkdocs.yml``, ``watch:``, the theme's
    ``custom_dir`` and the plugin's own folders (``extra``)."""
    roots = [config.docs_dir, config.config_file_path, *config.watch, config.theme.custom_dir]
    roots.extend(extra)
    return [Path(root) for root in roots if root]


class LiveEdits:
    """The state one ``mkdocs serve`` session keeps between rebuilds."""

    def __init__(self, make_kb: MakeKB, accept: AcceptKB, lock: threading.RLock) -> None:
        self._make_kb = make_kb
        self._accept = accept
        self._lock = lock
        """Held by every build (MkDocs' full builds from their start): one at a time."""
        self._ahead = BuildAhead(self._rebuild_ahead)
        self._server: LiveReloadServer | None = None
        self._builder: Callable[..., Any] | None = None
        self._pages_module: ModuleType | None = None
        self._roots: list[Path] = []
        self._source: Path | None = None
        self._states: FileStates = {}
        self._partial: dict[str, Any] = {}
        self._last: _LastBuild | None = None
        self._reload_owed = False
        """A rebuild ahead changed pages that the server has not told the browsers about."""
        self._closed = False

    # Events of a full build, in order.
    def build_started(self, roots: list[Path], source: Path) -> None:
        """Before MkDocs reads anything: what every watched file looks like now (after a
        rebuild ahead that is under way, which this waits for)."""
        with self._lock:
            self._last = None
            self._partial = {}
            self._reload_owed = False
            self._source = source.resolve()
            self._roots = _unique([*roots, *(_server_roots(self._server) or [])])
            self._states = file_states([*self._roots, self._source])

    def nav_built(self, nav: Navigation) -> None:
        self._partial["nav"] = nav

    def env_ready(self, env: jinja2.Environment, files: Files) -> None:
        self._partial.update(env=env, files=files)

    def build_finished(self, config: MkDocsConfig, kb: KnowledgeBase) -> None:
        """A complete build: the next persona-only change can reuse what it built."""
        if {"nav", "env", "files"} <= self._partial.keys():
            self._last = _LastBuild(config=config, kb=kb, **self._partial)
        self._partial = {}

    def build_failed(self) -> None:
        self._last = None
        self._partial = {}

    def install(
        self, server: LiveReloadServer, builder: Callable[..., Any], ignore: Sequence[Path] = ()
    ) -> None:
        """Route the server's rebuilds through ``rebuild`` (if this MkDocs has the page
        functions it needs; otherwise every change stays a full rebuild), and rebuild as
        soon as a persona file changes (``ignore``: the cache folder)."""
        package = type(server).__module__.split(".", 1)[0]  # mkdocs or properdocs
        try:
            module = importlib.import_module(f"{package}.commands.build")
        except ImportError:
            return
        if not all(callable(getattr(module, n, None)) for n in ("_populate_page", "_build_page")):
            return
        with self._lock:
            self._server, self._builder, self._pages_module = server, builder, module
            server.builder = self.rebuild
            # What the server watched before the first build (the theme, with
            # --watch-theme) is compared from now on.
            known = set(self._roots)
            more = [r for r in _server_roots(server) or [] if r not in known]
            self._roots.extend(more)
            self._states = {**self._states, **file_states(more)}
        if self._source is not None:
            self._ahead.start(self._source, ignore)

    def close(self) -> None:
        """The server stops: after a rebuild under way (MkDocs then deletes the site
        folder it writes into), nothing more is rebuilt."""
        self._ahead.stop()
        with self._lock:
            self._closed = True

    def _rebuild_ahead(self) -> None:
        # In the watcher's thread, as soon as a persona file changed.
        start = time.perf_counter()
        with self._lock:
            if self._last is None or self._closed:
                return  # the server's next rebuild is a full one anyway
            rendered = self._partial_rebuild(ahead=True)
            if rendered is None:
                self._last = None  # the server's rebuild will be a full one: say so once
            elif rendered:
                self._reload_owed = True
        if rendered:
            _log_rendered(rendered, time.perf_counter() - start, "as soon as it was saved")
        if rendered is None:
            # The server's polling may never see this change (a file added and deleted
            # between two polls, while a full build read it): ask for the rebuild now.
            _ask_to_rebuild(self._server)

    def rebuild(self, config: MkDocsConfig | None = None) -> None:
        """What the server calls on a change: the partial rebuild, else MkDocs' own."""
        assert self._builder is not None
        if config is None:
            start = time.perf_counter()
            with self._lock:
                rendered = self._partial_rebuild(ahead=False) if self._last is not None else None
                owed, self._reload_owed = self._reload_owed, False
            if rendered is not None:
                if rendered:
                    _log_rendered(rendered, time.perf_counter() - start, "")
                elif not owed:
                    log.debug("no watched file changed since the last rebuild")
                return
            self._last = None
        self._builder() if config is None else self._builder(config)

    def _partial_rebuild(self, *, ahead: bool) -> int | None:
        """The pages rendered again (0: nothing changed); ``None``: a full rebuild is due."""
        try:
            return self._render_changed_pages(ahead=ahead)
        except Exception as exc:  # MkDocs' full rebuild shows the real error
            log.info(
                "the partial rebuild failed (%s: %s); rebuilding the whole site",
                type(exc).__name__,
                exc,
            )
            return None

    def _render_changed_pages(self, *, ahead: bool) -> int | None:
        last, module, source = self._last, self._pages_module, self._source
        if last is None or module is None or source is None:
            return None
        if any(r not in self._roots for r in _server_roots(self._server) or []):
            return None  # a plugin watches more now: the full build's snapshot has it
        now = file_states([*self._roots, source])
        changed = changed_files(self._states, now)
        if not changed:
            # The server's polling saw a change that a rebuild ahead (or the rebuild of an
            # earlier poll) covered. Unless the server says what it watches, the change may
            # be in a folder this does not know of: then MkDocs rebuilds.
            known = ahead or self._reload_owed or _server_roots(self._server) is not None
            return 0 if known else None
        if not all(Path(path).is_relative_to(source) for path in changed):
            return None
        kb = self._make_kb(last.kb)
        for path in kb.ingest.kept:
            line = next((d.span.line for d in kb.diagnostics if d.span.path == path), 1)
            log.info("%s:%d: its pages show it as it was before this error", path, line)
        delta = page_delta(last.kb.pages, kb.pages)
        if delta is None:
            return None
        targets = [last.files.get_file_from_path(page.path) for page in delta.changed]
        files = [f for f in targets if f is not None and f.page is not None and f.generated_by]
        if len(files) != len(targets):
            return None  # a page MkDocs did not get from us: let MkDocs decide
        self._accept(kb, last.kb)
        self._last, self._states = None, now  # until the pages are written
        config = last.config
        for file, page in zip(files, delta.changed, strict=True):
            file.content_string = page.markdown
            module._populate_page(file.page, config, last.files)
        pages = last.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
        with _search_index_paused(config):
            for file in files:
                with _written_whole(file):
                    module._build_page(file.page, config, pages, last.nav, last.env)
        for file in pages:
            if file.page is not None:
                file.page.validate_anchor_links(
                    files=last.files, log_level=config.validation.links.anchors
                )
        last.kb = kb
        self._last = last
        return len(files)


def _log_rendered(count: int, seconds: float, when: str) -> None:
    log.info(
        "rebuilt %s changed by the persona edit in %.2f seconds%s; search and files for "
        "agents catch up at the next full rebuild",
        plural(count, "page"),
        seconds,
        f", {when}" if when else "",
    )


def _server_roots(server: LiveReloadServer | None) -> list[Path] | None:
    """Every path the server watches (MkDocs 1.6 and ProperDocs keep them in
    ``_watched_paths``), or ``None`` when this server does not say."""
    watched = getattr(server, "_watched_paths", None)
    if not isinstance(watched, dict):
        return None
    return [Path(path) for path in watched]


def _ask_to_rebuild(server: LiveReloadServer | None) -> None:
    """What the server's own watcher does when it sees a change (MkDocs 1.6 and
    ProperDocs); a server without that state rebuilds at its next poll."""
    condition = getattr(server, "_rebuild_cond", None)
    if server is None or condition is None or not hasattr(server, "_want_rebuild"):
        return
    with condition:
        server._want_rebuild = True
        condition.notify_all()


def _unique(paths: Iterable[Path]) -> list[Path]:
    return list(dict.fromkeys(paths))


@contextmanager
def _written_whole(file: File) -> Iterator[None]:
    """Let MkDocs write the page beside its place, then rename it there: the server
    never serves half a page (a rebuild ahead runs while it serves requests)."""
    final = file.abs_dest_path
    partial = Path(f"{final}.persona-kb-partial")
    file.abs_dest_path = str(partial)
    try:
        yield
        if partial.exists():  # MkDocs writes no file for an empty page
            partial.replace(final)
    finally:
        file.abs_dest_path = final
        partial.unlink(missing_ok=True)


@contextmanager
def _search_index_paused(config: MkDocsConfig) -> Iterator[None]:
    """Leave the search plugins out of the pages' ``page_context`` event.

    All they do there is add the page to an index that only their ``on_post_build``
    writes, which a partial rebuild never runs (the next full rebuild does): parsing a
    large page's HTML for it would be a fifth of the partial rebuild, for nothing.
    """
    search = [plugin for name, plugin in config.plugins.items() if name.split("/")[-1] == "search"]
    handlers = config.plugins.events.get("page_context")
    if not search or handlers is None:
        yield
        return
    saved = list(handlers)
    handlers[:] = [h for h in saved if not any(getattr(h, "__self__", None) is p for p in search)]
    try:
        yield
    finally:
        handlers[:] = saved
