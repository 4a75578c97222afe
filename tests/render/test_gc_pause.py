"""The garbage collector is paused while the knowledge base is built, and restored after."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from persona_kb._internal.core.gc_pause import paused_gc
from persona_kb._internal.kb.build import KBOptions, build_knowledge_base


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was:
            gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_nested_pauses_resume_the_collector_only_after_the_outermost() -> None:
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_an_error_inside_the_block_still_resumes_the_collector() -> None:
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_host_stays_off() -> None:
    was = gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


@pytest.mark.usefixtures("collector_on")
def test_a_pause_in_another_thread_keeps_the_collector_off_until_both_end() -> None:
    entered, release = threading.Event(), threading.Event()

    def other() -> None:
        with paused_gc():
            entered.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    assert entered.wait(10)
    with paused_gc():
        pass
    assert not gc.isenabled()  # the other thread's pause is still running
    release.set()
    thread.join(10)
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_building_the_knowledge_base_pauses_the_collector_and_restores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "kb"
    source.mkdir()
    (source / "reviewer.md").write_text(
        "---\nname: reviewer\ndescription: Reviews code.\n---\n\n## Rules\n\n- Write tests.\n",
        "utf-8",
    )
    seen: list[bool] = []
    from persona_kb._internal.kb import build

    real = build.ingest

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build, "ingest", spy)
    kb = build_knowledge_base(KBOptions(source=source))
    assert seen == [False]
    assert gc.isenabled()
    assert kb.pages
