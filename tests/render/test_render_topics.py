"""Topic assignment order, vocabulary matching, folder rules and safe slugs."""

from __future__ import annotations

from pathlib import Path

import pytest
from persona_kb._internal.core.model import Metadata
from persona_kb._internal.kb.build import KBOptions, build_knowledge_base
from persona_kb._internal.kb.topics import TopicRules, assign_topic, assign_topics, slugify
from render_factory import make_persona


def rules(tmp_path: Path, **kwargs: object) -> TopicRules:
    return TopicRules(tmp_path, kwargs.get("rules", {}), kwargs.get("vocabulary", ()))  # type: ignore[arg-type]


def test_front_matter_topic_beats_everything(tmp_path: Path) -> None:
    persona = make_persona("python-expert", metadata=Metadata(topic="backend"))
    r = TopicRules(tmp_path, {"python": ["*"]})
    assert assign_topic(persona, r) == ("backend", [])


def test_rules_beat_the_vocabulary(tmp_path: Path) -> None:
    persona = make_persona("python-expert")
    r = TopicRules(tmp_path, {"apis": ["python-*"]})
    assert assign_topic(persona, r)[0] == "apis"


def test_rules_match_paths_too(tmp_path: Path) -> None:
    persona = make_persona("someone", path="kb/team/someone.md")
    r = TopicRules(tmp_path, {"team": ["kb/team/*"]})
    assert assign_topic(persona, r)[0] == "team"


@pytest.mark.parametrize(
    ("name", "title", "expected"),
    [
        ("python-backend-engineer", "", "python"),
        ("backend-python-engineer", "Backend Python Engineer", "python"),
        ("mobile-react-native", "Mobile React Native Engineer", "react-native"),
        ("frontend-react", "Frontend React Engineer", "react"),
        ("backend-rails8", "Backend Rails 8 Engineer", "ruby"),
        ("frontend-svelte5", "Frontend Svelte 5 Engineer", "svelte"),
        ("backend-csharp", "Backend C# / .NET Engineer", "csharp"),
        ("x", "Backend C# / .NET Engineer", "csharp"),
        ("mobile-kotlin", "Mobile Android/Kotlin Engineer", "kotlin"),
        ("django-expert", "", "python"),
        ("gopher-helper", "", "gopher-helper"),
        ("security-engineer", "Security Engineer", "security"),
        ("qa-engineer", "Quality Assurance Engineer", "testing"),
    ],
)
def test_automatic_topics(tmp_path: Path, name: str, title: str, expected: str) -> None:
    persona = make_persona(name, title=title or name)
    assert assign_topic(persona, rules(tmp_path))[0] == expected


def test_name_beats_title(tmp_path: Path) -> None:
    persona = make_persona("rust-helper", title="Python and Rust")
    assert assign_topic(persona, rules(tmp_path))[0] == "rust"


def test_stack_is_used_when_name_and_title_say_nothing(tmp_path: Path) -> None:
    persona = make_persona("backend-engineer", metadata=Metadata(stack=("Django 6.0", "Celery")))
    assert assign_topic(persona, rules(tmp_path))[0] == "python"


def test_user_vocabulary_extends_the_builtin_one(tmp_path: Path) -> None:
    persona = make_persona("zorblax-wizard")
    assert assign_topic(persona, rules(tmp_path))[0] == "zorblax-wizard"
    assert assign_topic(persona, rules(tmp_path, vocabulary=("Zorblax",)))[0] == "zorblax"


def test_subfolder_is_the_topic(tmp_path: Path) -> None:
    (tmp_path / "platform").mkdir()
    persona = make_persona("oncall", path=(tmp_path / "platform" / "oncall.md").as_posix())
    assert assign_topic(persona, rules(tmp_path))[0] == "platform"


def test_vendored_collection_and_container_folders_are_not_topics(tmp_path: Path) -> None:
    vendored = tmp_path / "sonbbal-superpowers"
    vendored.mkdir()
    (vendored / "LICENSE").write_text("MIT")
    persona = make_persona("api-wizard", path=(vendored / "api-wizard.md").as_posix())
    persona2 = make_persona("helper", path=(tmp_path / "agents" / "helper.md").as_posix())
    assert assign_topic(persona, rules(tmp_path))[0] == "api"  # domain word, not the folder
    assert assign_topic(persona2, rules(tmp_path))[0] == "helper"  # own slug


def test_folder_naming_a_technology_maps_to_it(tmp_path: Path) -> None:
    folder = tmp_path / "plugins" / "python-development" / "agents"
    persona = make_persona("helper", path=(folder / "helper.md").as_posix())
    assert assign_topic(persona, rules(tmp_path))[0] == "python"


def test_unsafe_front_matter_topic_is_slugified_and_reported(tmp_path: Path) -> None:
    persona = make_persona("x", metadata=Metadata(topic="../../etc"))
    slug, diagnostics = assign_topic(persona, rules(tmp_path))
    assert slug == "etc"
    assert [d.code for d in diagnostics] == ["PKB500"]
    assert str(diagnostics[0].span) == "kb/x.md:1"


def test_slugify_is_safe() -> None:
    assert slugify("../../etc") == "etc"
    assert slugify("/abs/Path") == "abs-path"
    assert slugify("Ünïcödé  Tëst") == "unicode-test"
    assert slugify("..") == ""


def test_topics_group_and_sort(tmp_path: Path) -> None:
    personas = [
        make_persona("python-b", title="B"),
        make_persona("go-a"),
        make_persona("python-a", title="A"),
    ]
    topics, _ = assign_topics(personas, rules(tmp_path))
    assert [t.slug for t in topics] == ["go", "python"]
    assert [p.title for p in topics[1].personas] == ["A", "B"]
    assert topics[1].title == "Python"


def test_traversal_names_and_topics_never_escape_the_output(tmp_path: Path) -> None:
    source = tmp_path / "kb"
    source.mkdir()
    (source / "evil.md").write_text(
        "---\nname: ../../etc\ntopic: ../../etc\n---\n# Evil\n\nText.\n"
    )
    (source / "evil2.md").write_text("---\nname: ../../../tmp/x\n---\n# ../../passwd\n\nText.\n")
    kb = build_knowledge_base(KBOptions(source=source))
    assert kb.pages
    for page in kb.pages:
        parts = Path(page.path).parts
        assert parts[0] == "kb"
        assert ".." not in parts
        assert not Path(page.path).is_absolute()
        assert all(part == part.strip() and part for part in parts)
    assert {t.slug for t in kb.topics} >= {"etc"}
    assert all(set(t.slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-") for t in kb.topics)
