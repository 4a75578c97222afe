"""Topics group a library with no configuration: measured on the hand-labelled fixture
library (tests/fixtures/topics), with the thresholds bench/topics.py prints."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest
from persona_kb._internal.adapters.cli.main import main
from persona_kb._internal.core.model import Metadata
from persona_kb._internal.kb.topics import TopicRules, explain_topics
from render_factory import make_persona

REPO = Path(__file__).resolve().parents[2]
LIBRARY = REPO / "tests" / "fixtures" / "topics"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_topics", REPO / "bench" / "topics.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_topics"] = module
    spec.loader.exec_module(module)
    return module


def test_fixture_library_meets_the_pair_recall_precision_and_singleton_goals() -> None:
    bench = _bench()
    labels = json.loads((LIBRARY / "labels.json").read_text(encoding="utf-8"))["groups"]
    topic_of, _ = bench.assign(LIBRARY)
    quality = bench.measure(topic_of, labels)
    assert quality.personas >= 180
    assert quality.recall >= 0.90, quality.split
    assert quality.precision >= 0.98, quality.merged[:20]
    assert quality.singleton_rate <= 0.40


def test_measure_counts_pairs() -> None:
    bench = _bench()
    topic_of = {"a/x.md": "t1", "a/y.md": "t1", "a/z.md": "t2", "a/w.md": "t2"}
    quality = bench.measure(topic_of, {"g": ["x", "y", "z"]})
    assert (quality.together, quality.together_kept) == (3, 1)
    assert (quality.apart, quality.apart_kept) == (3, 2)
    assert (quality.topics, quality.singletons) == (2, 0)


def _choices(tmp_path: Path, *specs: tuple[str, str]) -> dict[str, tuple[str, str]]:
    personas = [make_persona(name, path=(tmp_path / path).as_posix()) for name, path in specs]
    for persona in personas:
        Path(persona.path).parent.mkdir(parents=True, exist_ok=True)
    _, choices, _ = explain_topics(personas, TopicRules(tmp_path, {}))
    return {Path(p).stem: (c.slug, c.reason) for p, c in choices.items()}


def test_a_leading_word_the_library_shares_is_a_topic(tmp_path: Path) -> None:
    found = _choices(
        tmp_path,
        ("tdd-red", "tdd-red.md"),
        ("tdd-green", "tdd-green.md"),
        ("tdd-refactor", "tdd-refactor.md"),
        ("pcf-react-platform-libraries", "pcf-react.md"),
        ("solo-quux", "solo-quux.md"),
    )
    assert found["tdd-red"] == found["tdd-green"] == found["tdd-refactor"] == ("tdd", "name-group")
    assert found["pcf-react"] == ("pcf", "vocabulary")  # a tool beats a framework
    assert found["solo-quux"] == ("solo-quux", "own-name")


def test_aliases_join_one_technology(tmp_path: Path) -> None:
    found = _choices(
        tmp_path,
        ("csharp-developer", "a.md"),
        ("dotnet-core-expert", "b.md"),
        ("aspnet-rest-apis", "c.md"),
        ("k8s-operator", "d.md"),
        ("kubernetes-specialist", "e.md"),
        ("azure-verified-modules-terraform", "f.md"),
        ("arch-linux-expert", "g.md"),
    )
    assert found["a"][0] == found["b"][0] == found["c"][0] == "csharp"
    assert found["d"][0] == found["e"][0] == "kubernetes"
    assert found["f"][0] == "terraform"  # a tool is more specific than a cloud
    assert found["g"][0] == "linux"


def test_meaningless_folders_are_not_topics(tmp_path: Path) -> None:
    found = _choices(
        tmp_path,
        ("oncall", "platform/oncall.md"),
        ("quux", "development/quux.md"),
        ("zork", "0xfurai/zork.md"),
        ("blorp", "contrib-team42/blorp.md"),
    )
    assert found["oncall"] == ("platform", "folder")
    assert found["quux"] == ("quux", "own-name")
    assert found["zork"] == ("zork", "own-name")
    assert found["blorp"] == ("blorp", "own-name")


def test_a_folder_of_many_subjects_is_a_collection_not_a_topic(tmp_path: Path) -> None:
    names = ["python-pro", "rust-pro", "go-pro", "java-pro", "mystery-agent"]
    found = _choices(tmp_path, *((n, f"handles/{n}.md") for n in names))
    assert found["mystery-agent"] == ("mystery-agent", "own-name")


def test_front_matter_and_rules_always_win(tmp_path: Path) -> None:
    personas = [
        make_persona("terraform-a", metadata=Metadata(topic="platform")),
        make_persona("terraform-b"),
        make_persona("terraform-c"),
    ]
    _, choices, _ = explain_topics(personas, TopicRules(tmp_path, {"iac": ["terraform-b"]}))
    assert [(c.slug, c.reason) for c in choices.values()] == [
        ("platform", "front-matter"),
        ("iac", "rule"),
        ("terraform", "vocabulary"),
    ]


def test_topics_command_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    library = LIBRARY / "copilot-style"
    assert main(["topics", str(library)]) == 0
    text = capsys.readouterr().out
    assert text.splitlines()[-1].startswith("persona-kb topics: 49 personas in ")
    assert "tdd (3): TDD" in text
    assert "name-group: 'tdd' leads the names of 3 personas" in text
    assert main(["topics", "--format", "json", str(library)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["personas"] == 49
    pcf = next(t for t in data["topics"] if t["slug"] == "pcf")
    assert len(pcf["personas"]) == 5
    assert {p["reason"] for p in pcf["personas"]} == {"vocabulary"}
    assert main(["topics", str(library / "nope")]) == 2
