"""A rebuild in which nothing changed takes the files for agents and the pages' allow-listed
HTML from the on-disk cache; any change to what they are made from makes them again."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from persona_kb._internal.core import paths as paths_module
from persona_kb._internal.kb.agents import site_files
from persona_kb._internal.kb.agents.bundle import AgentExport, agent_export
from persona_kb._internal.kb.agents.github import GithubCache
from persona_kb._internal.kb.build import KBCache, KBOptions, KnowledgeBase, build_knowledge_base
from persona_kb._internal.kb.render.html_allowlist import sanitize_page_html
from persona_kb._internal.kb.sanitized_html import SanitizedHtmlCache

RENDER_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "render"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(RENDER_FIXTURES / "kb", tmp_path / "kb")
    monkeypatch.chdir(tmp_path)
    return tmp_path


class Counted:
    """``agent_export``, counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, kb: KnowledgeBase, **kwargs: object) -> AgentExport:
        self.calls += 1
        return agent_export(kb, **kwargs)  # type: ignore[arg-type]


def _publish(project: Path, site: str, *, site_name: str = "Site") -> tuple[int, dict[str, str]]:
    """A build in a new process: a fresh cache object over the project's cache folder.

    Returns how often the export was computed and the files written (path → text).
    """
    cache = KBCache(project / ".cache")
    kb = build_knowledge_base(KBOptions(), cache=cache)
    counted = Counted()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(site_files, "agent_export", counted)
        written = site_files.publish_for_agents(
            kb,
            project / site,
            output="kb",
            allow_html=False,
            cache=GithubCache(cache.store),
            site_name=site_name,
            description="",
            base_url="",
            llms=True,
        )
    root = project / site
    return counted.calls, {p.relative_to(root).as_posix(): p.read_text("utf-8") for p in written}


def test_a_warm_build_writes_the_stored_files_without_converting_a_page(project: Path) -> None:
    calls, cold = _publish(project, "site1")
    assert calls == 1
    assert {"kb/index.json", "llms.txt", "llms-full.txt"} <= set(cold)
    assert any(name.startswith("schemas/") for name in cold)
    calls, warm = _publish(project, "site2")
    assert calls == 0
    assert warm == cold


def test_a_changed_persona_or_setting_makes_the_files_again(project: Path) -> None:
    _, cold = _publish(project, "site1")
    persona = project / "kb" / "python-backend-engineer.md"
    text = persona.read_text("utf-8")
    assert "Battle-tested patterns" in text
    persona.write_text(text.replace("Battle-tested", "unmistakable-marker-7731"), "utf-8")
    calls, changed = _publish(project, "site2")
    assert calls == 1
    assert "unmistakable-marker-7731" not in cold["kb/index.json"]
    assert "unmistakable-marker-7731" in changed["kb/index.json"]
    calls, renamed = _publish(project, "site3", site_name="Another name")
    assert calls == 1
    assert "Another name" in renamed["llms.txt"]
    calls, again = _publish(project, "site4", site_name="Another name")
    assert (calls, again) == (0, renamed)


def test_sanitised_html_is_kept_by_its_input(tmp_path: Path) -> None:
    store = KBCache(tmp_path / "cache").store
    page = '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:y">z</a></p>'
    first = SanitizedHtmlCache(store)
    clean, key = first.sanitize(page)
    assert clean == sanitize_page_html(page)
    assert "onclick" not in clean
    assert "script" not in clean
    assert first.misses == 1
    first.retain([key])
    # A new process: the store answers, nothing is sanitised again.
    second = SanitizedHtmlCache(KBCache(tmp_path / "cache").store)
    assert second.sanitize(page) == (clean, key)
    assert second.misses == 0
    other, other_key = second.sanitize(page + "<p>more</p>")
    assert (second.misses, other_key != key) == (1, True)
    assert other.endswith("<p>more</p>")
    # Entries of pages no longer built are dropped.
    second.retain([other_key])
    third = SanitizedHtmlCache(KBCache(tmp_path / "cache").store)
    third.sanitize(page)
    assert third.misses == 1


def test_the_files_for_agents_are_readable_like_every_other_site_file(project: Path) -> None:
    # Written through mkstemp, they were 0o600: a web server running as another user got
    # a 403 for index.json and llms.txt, and served every HTML page.
    previous = os.umask(0o022)
    try:
        paths_module._umask.cache_clear()
        _, written = _publish(project, "site")
    finally:
        os.umask(previous)
        paths_module._umask.cache_clear()
    modes = {name: stat.S_IMODE((project / "site" / name).stat().st_mode) for name in written}
    assert modes
    assert set(modes.values()) == {0o644}, modes
