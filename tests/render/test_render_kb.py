"""The build API: options validation, KBCache reuse, user templates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from persona_kb._internal.core.diagnostics import PersonaKBError, SourceSpan
from persona_kb._internal.core.model import PageKind
from persona_kb._internal.kb.build import KBCache, KBOptions, build_knowledge_base, page_filename

RENDER_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "render"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(RENDER_FIXTURES / "kb", tmp_path / "kb")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("output", ["../out", "/abs", "kb/../x", "KB", "kb x", "", "a//b"])
def test_unsafe_output_is_a_configuration_error(project: Path, output: str) -> None:
    with pytest.raises(PersonaKBError, match="not a safe folder name"):
        build_knowledge_base(KBOptions(output=output))


def test_nested_output_folder(project: Path) -> None:
    kb = build_knowledge_base(KBOptions(output="reference/kb"))
    assert kb.pages[-1].path == "reference/kb/README.md"
    assert "reference/kb/python/PYTHON-SPECIFIC-PATTERNS.md" in {p.path for p in kb.pages}


def test_missing_source_is_a_configuration_error(project: Path) -> None:
    with pytest.raises(PersonaKBError, match="does not exist"):
        build_knowledge_base(KBOptions(source=Path("nope")))


def test_page_filename() -> None:
    assert page_filename("python", PageKind.README) == "README.md"
    assert page_filename("python", PageKind.QUICK_REFERENCE) == "QUICK-REFERENCE.md"
    assert page_filename("python", PageKind.COMPREHENSIVE_GUIDE) == "PYTHON-COMPREHENSIVE-GUIDE.md"
    assert (
        page_filename("react-native", PageKind.SPECIFIC_PATTERNS)
        == "REACT-NATIVE-SPECIFIC-PATTERNS.md"
    )


def test_cache_re_renders_only_the_edited_topic(project: Path) -> None:
    cache = KBCache()
    first = build_knowledge_base(KBOptions(), cache=cache)
    topics = len(first.topics)
    assert (cache.hits, cache.misses) == (0, topics)
    second = build_knowledge_base(KBOptions(), cache=cache)
    assert (cache.hits, cache.misses) == (topics, topics)
    assert [p.markdown for p in second.pages] == [p.markdown for p in first.pages]
    go = project / "kb" / "sonbbal-superpowers" / "backend-go.md"
    go.write_text(go.read_text() + "\n## Extra\n\n- Added while serving\n")
    third = build_knowledge_base(KBOptions(), cache=cache)
    assert (cache.hits, cache.misses) == (2 * topics - 1, topics + 1)
    guide = next(p for p in third.pages if p.path == "kb/go/GO-COMPREHENSIVE-GUIDE.md")
    assert "- Added while serving" in guide.markdown


def test_options_change_the_cache_key(project: Path) -> None:
    cache = KBCache()
    build_knowledge_base(KBOptions(), cache=cache)
    kb = build_knowledge_base(KBOptions(source_url="https://x.org/"), cache=cache)
    assert cache.hits == 0
    assert "https://x.org/kb/python-backend-engineer.md" in kb.pages[0].markdown or any(
        "https://x.org/" in p.markdown for p in kb.pages
    )


def test_user_template_overrides_one_page(project: Path) -> None:
    templates = project / "templates"
    templates.mkdir()
    (templates / "quick_reference.md.j2").write_text(
        '{% extends "_page.md.j2" %}\n{% block body %}\nCustom cheat sheet for '
        "{{ topic.title }}.\n{% endblock %}\n"
    )
    kb = build_knowledge_base(KBOptions(templates=templates))
    quick = next(p for p in kb.pages if p.path == "kb/python/QUICK-REFERENCE.md")
    assert "Custom cheat sheet for Python." in quick.markdown
    assert "# Python quick reference" in quick.markdown  # the shipped frame still applies
    readme = next(p for p in kb.pages if p.path == "kb/python/README.md")
    assert "## The personas {#capabilities}" in readme.markdown


def test_broken_user_template_names_file_and_line(project: Path) -> None:
    templates = project / "templates"
    templates.mkdir()
    (templates / "readme.md.j2").write_text("line one\n{% if %}\n")
    with pytest.raises(PersonaKBError, match=r"readme\.md\.j2:2: template syntax error"):
        build_knowledge_base(KBOptions(templates=templates))


def test_missing_template_folder(project: Path) -> None:
    with pytest.raises(PersonaKBError, match="templates folder"):
        build_knowledge_base(KBOptions(templates=project / "nope"))


def test_one_broken_persona_does_not_stop_the_rest(project: Path) -> None:
    (project / "kb" / "broken.md").write_bytes(b"\x00\x01\x02binary")
    kb = build_knowledge_base(KBOptions())
    assert any(d.span.path == "kb/broken.md" for d in kb.diagnostics)
    assert "kb/python/PYTHON-SPECIFIC-PATTERNS.md" in {p.path for p in kb.pages}


def test_an_empty_source_gives_just_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kb").mkdir()
    kb = build_knowledge_base(KBOptions())
    assert [p.path for p in kb.pages] == ["kb/README.md"]
    assert "persona_sources: []\ntags: []\n" in kb.pages[0].markdown


def test_every_render_code_is_registered() -> None:
    import re

    from persona_kb._internal.core.diagnostics import CODES

    package = Path(__file__).resolve().parents[2] / "plugins" / "persona_kb" / "_internal"
    files = [
        *package.glob("kb/render/*.py"),
        *(package / "kb" / name for name in ("topics.py", "export.py", "build.py")),
    ]
    emitted = {code for f in files for code in re.findall(r'"(PKB5\d\d)"', f.read_text())}
    assert emitted == {"PKB500", "PKB502", "PKB510", "PKB599"}
    assert emitted <= set(CODES)


def test_is_generated_finds_the_marker_after_a_long_front_matter() -> None:
    from persona_kb._internal.kb.build import GENERATED_MARKER, is_generated

    sources = "".join(f"  - kb/persona-{i}.md\n" for i in range(2000))
    text = f"---\ntitle: x\npersona_sources:\n{sources}---\n{GENERATED_MARKER}\n\n# X\n"
    assert is_generated(text)
    assert not is_generated(f"---\ntitle: x\n---\n# X\n\n{'text ' * 2000}\n{GENERATED_MARKER}\n")
    assert not is_generated("# Hand written\n")


def test_a_renderer_crash_loses_one_topic_not_the_kb(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from persona_kb._internal.kb import build as kb_module

    real = kb_module.render_topic

    def flaky(topic, ctx):  # type: ignore[no-untyped-def]
        if topic.slug == "go":
            raise RuntimeError("boom")
        return real(topic, ctx)

    monkeypatch.setattr(kb_module, "render_topic", flaky)
    kb = build_knowledge_base(KBOptions())
    crash = [d for d in kb.diagnostics if d.code == "PKB599"]
    assert len(crash) == 1
    assert crash[0].format().startswith("kb/sonbbal-superpowers/backend-go.md:1:1: error:")
    paths = {p.path for p in kb.pages}
    assert "kb/go/README.md" not in paths
    assert "kb/python/README.md" in paths
    assert "(go/README.md)" not in kb.pages[-1].markdown


def test_marker_words_in_info_strings_never_break_the_rendered_fence(
    project: Path,
) -> None:
    persona = project / "kb" / "tiers-python-engineer.md"
    persona.write_text(
        "# Tiers Python Engineer\n\n## Examples\n\n```python no-run\nundefined_name()\n```\n",
        encoding="utf-8",
    )
    kb = build_knowledge_base(KBOptions())
    guide = next(p for p in kb.pages if p.path.endswith("PYTHON-COMPREHENSIVE-GUIDE.md"))
    lines = guide.markdown.split("\n")
    fence = lines.index("```{.python .no-run}") + 1
    assert guide.source_map.lookup(fence) == SourceSpan("kb/tiers-python-engineer.md", 5)
    assert "```python no-run" not in guide.markdown


def test_a_list_right_under_a_paragraph_gets_the_blank_line_python_markdown_needs(
    project: Path,
) -> None:
    persona = project / "kb" / "lists-python-engineer.md"
    persona.write_text(
        "# Lists Python Engineer\n\n## Habits\n\n**Always:**\n- test first\n- type everything\n",
        encoding="utf-8",
    )
    kb = build_knowledge_base(KBOptions())
    guide = next(p for p in kb.pages if p.path.endswith("PYTHON-COMPREHENSIVE-GUIDE.md"))
    lines = guide.markdown.split("\n")
    item = lines.index("- test first")
    assert lines[item - 2 : item] == ["**Always:**", ""]
    assert guide.source_map.lookup(item + 1) == SourceSpan("kb/lists-python-engineer.md", 6)
    assert guide.source_map.lookup(item) is None
