"""Per-code ignore and severity: the ``codes:`` option and ``<!-- persona-kb: … -->`` comments."""

from __future__ import annotations

from pathlib import Path

import pytest
from persona_kb._internal.core.code_policy import CodePolicy, code_policy
from persona_kb._internal.core.diagnostics import (
    Diagnostic,
    PersonaKBError,
    Severity,
    SourceSpan,
)
from persona_kb._internal.ingest.directives import (
    DirectiveFiles,
    FileDirectives,
    apply_code_policy,
    read_directives,
)
from persona_kb._internal.kb.build import KBCache, KBOptions, build_knowledge_base

WHERE = SourceSpan("mkdocs.yml", 4)


def _d(
    code: str, line: int = 1, path: str = "kb/a.md", sev: Severity = Severity.WARNING
) -> Diagnostic:
    return Diagnostic(code, sev, f"message of {code}", SourceSpan(path, line))


def test_the_most_specific_entry_wins_and_ignore_drops() -> None:
    policy = code_policy(
        {"ignore": ["PKB110"], "severity": {"PKB6": "warning", "PKB604": "error"}}, WHERE
    )
    assert policy.apply(_d("PKB110")) is None
    assert policy.apply(_d("PKB600", sev=Severity.ERROR)).severity is Severity.WARNING  # type: ignore[union-attr]
    assert policy.apply(_d("PKB604", sev=Severity.WARNING)).severity is Severity.ERROR  # type: ignore[union-attr]
    unchanged = _d("PKB201")
    assert policy.apply(unchanged) is unchanged


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ({"ignore": ["PKB999"]}, "names 'PKB999', which is not a persona-kb code"),
        ({"ignore": ["E501"]}, "names 'E501'"),
        (
            {"severity": {"PKB201": "fatal"}},
            "sets PKB201 to 'fatal'; use one of error, warning, info, ignore",
        ),
        (
            {"ignored": ["PKB201"]},
            "unknown key(s) ignored; use 'ignore:', 'severity:' or 'inline:'",
        ),
        (["PKB201"], "must be a mapping"),
    ],
)
def test_a_bad_option_names_its_place_and_what_to_write(value: object, fragment: str) -> None:
    with pytest.raises(PersonaKBError) as raised:
        code_policy(value, WHERE)
    assert fragment in str(raised.value)
    assert str(raised.value).startswith("mkdocs.yml:4: ")


PERSONA = """\
---
name: demo
---
# Demo

<!-- persona-kb: ignore PKB502 -->
Raw <b onclick="x">html</b> here.

Another <b onclick="y">paragraph</b>.

<!-- persona-kb: ignore PKB6 -->
```python
import not_installed
```

```markdown
<!-- persona-kb: ignore PKB700 -->
```

<!-- persona-kb: ignroe PKB502 -->
<!-- persona-kb: ignore PKB9999 -->
"""


def test_an_ignore_comment_covers_the_next_block_only() -> None:
    found = read_directives(PERSONA, "kb/demo.md")
    assert found.ignores("PKB502", 7)
    assert not found.ignores("PKB502", 9)  # the paragraph after the next one
    assert found.ignores("PKB604", 13)  # a line inside the fenced block, by prefix
    assert not found.ignores("PKB700", 18)  # a comment inside a code block is code
    assert [(p.code, p.span.line) for p in found.problems] == [("PKB320", 20), ("PKB320", 21)]
    assert "write '<!-- persona-kb: ignore PKB502 -->'" in found.problems[0].message
    assert "PKB9999, which is not a persona-kb code" in found.problems[1].message


def test_example_markers_and_the_generated_marker_are_not_code_directives() -> None:
    text = (
        "# X\n\n<!-- persona-kb: no-run -->\n```python\nx\n```\n\n"
        "<!-- persona-kb: ignore -->\n```python\ny\n```\n\n"
        "<!-- persona-kb: raises=ValueError -->\n```python\nz\n```\n\n"
        "<!-- persona-kb: generated; do not edit -->\n"
    )
    assert read_directives(text, "kb/x.md") == read_directives("", "kb/x.md")


def test_ignore_file_covers_every_line_and_front_matter_is_not_a_comment() -> None:
    text = "---\nname: x\n---\n# X\n\n<!-- persona-kb: ignore-file PKB201, pkb105 -->\n"
    found = read_directives(text, "kb/x.md")
    assert found.ignores("PKB201", 2)
    assert found.ignores("PKB105", 1)
    assert not found.ignores("PKB200", 2)


def test_comments_count_only_in_files_under_the_roots(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for folder in ("kb", "elsewhere"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "demo.md").write_text(PERSONA, encoding="utf-8")
    found = [
        _d("PKB502", 7, "kb/demo.md"),
        _d("PKB502", 7, "elsewhere/demo.md"),
        _d("PKB502", 9, "kb/demo.md"),
    ]
    kept = apply_code_policy(found, CodePolicy(), roots=[Path("kb")])
    assert [(d.code, d.span.path, d.span.line) for d in kept] == [
        ("PKB502", "elsewhere/demo.md", 7),
        ("PKB502", "kb/demo.md", 9),
        ("PKB320", "kb/demo.md", 20),
        ("PKB320", "kb/demo.md", 21),
    ]
    assert apply_code_policy(found, CodePolicy(inline=False), roots=[Path("kb")]) == found
    # The policy applies to the comments' own problems too.
    quiet = apply_code_policy(found, CodePolicy({"PKB320": "ignore"}), roots=[Path("kb")])
    assert len(quiet) == 2


def test_a_rebuild_reads_the_comments_of_changed_files_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `mkdocs serve` rebuilds with one KBCache: an unchanged persona's comments are kept,
    # an edited one's are read again (a comment added or removed takes effect at once).
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kb").mkdir()
    # No description: a schema warning (PKB240) at line 1, which the comment silences.
    template = "---\nname: {name}\n---\n# {name}\n\n{comment}## Rules\n\n- A rule.\n"
    quiet = "<!-- persona-kb: ignore-file PKB240 -->\n\n"
    for name in ("alpha", "beta"):
        path = tmp_path / "kb" / f"{name}.md"
        path.write_text(template.format(name=name, comment=quiet), encoding="utf-8")
    loaded: list[str] = []
    load = DirectiveFiles._load

    def counting(self: DirectiveFiles, path: str) -> FileDirectives:
        loaded.append(path)
        return load(self, path)

    monkeypatch.setattr(DirectiveFiles, "_load", counting)
    cache = KBCache()
    options = KBOptions(source=Path("kb"))

    def warned() -> list[str]:
        kb = build_knowledge_base(options, cache=cache)
        return sorted(d.span.path for d in kb.diagnostics if d.code == "PKB240")

    assert warned() == []
    first = len(loaded)
    assert first >= 2  # both files were read for their comments
    assert warned() == []
    assert len(loaded) == first  # nothing changed: nothing read again
    beta = tmp_path / "kb" / "beta.md"
    beta.write_text(template.format(name="beta", comment=""), encoding="utf-8")
    assert warned() == ["kb/beta.md"]
    assert loaded[first:] == ["kb/beta.md"]
