"""What a persona edit changes: the pages a running ``serve`` renders again, or none."""

from __future__ import annotations

import os
from pathlib import Path

from persona_kb._internal.core.diagnostics import Severity
from persona_kb._internal.core.model import KBPage, PageKind
from persona_kb._internal.kb.build import KBOptions, build_knowledge_base
from persona_kb._internal.kb.live_edit import (
    PageDelta,
    changed_files,
    file_states,
    front_matter,
    page_delta,
)

PERSONA = """\
---
name: {name}
description: Builds {name} services.
---

# {title}

## Constraints

- Validate every request body.
"""


def _library(root: Path) -> Path:
    source = root / "kb"
    source.mkdir()
    for name in ("python-api-engineer", "go-service-engineer"):
        text = PERSONA.format(name=name, title=name.replace("-", " ").title())
        (source / f"{name}.md").write_text(text, encoding="utf-8")
    return source


def test_a_body_edit_changes_only_that_topics_pages(tmp_path: Path) -> None:
    source = _library(tmp_path)
    before = build_knowledge_base(KBOptions(source=source)).pages
    persona = source / "python-api-engineer.md"
    persona.write_text(persona.read_text("utf-8").replace("request body", "payload"), "utf-8")
    after = build_knowledge_base(KBOptions(source=source)).pages
    delta = page_delta(before, after)
    assert delta is not None
    assert delta.changed
    assert {page.topic for page in delta.changed} == {"python"}
    assert all("payload" in page.markdown for page in delta.changed)
    assert page_delta(after, after) == type(delta)(())


def test_a_new_topic_or_a_new_title_rebuilds_the_site(tmp_path: Path) -> None:
    source = _library(tmp_path)
    before = build_knowledge_base(KBOptions(source=source)).pages
    (source / "rust-cli-engineer.md").write_text(
        PERSONA.format(name="rust-cli-engineer", title="Rust CLI Engineer"), "utf-8"
    )
    assert page_delta(before, build_knowledge_base(KBOptions(source=source)).pages) is None

    page = next(p for p in before if p.kind is PageKind.QUICK_REFERENCE)
    retitled = KBPage(
        path=page.path,
        title="Other",
        markdown=page.markdown.replace("title:", "title: Other\nx:", 1),
        source_map=page.source_map,
        kind=page.kind,
        topic=page.topic,
        sources=page.sources,
    )
    others = [p for p in before if p.path != page.path]
    assert page_delta(before, [*others, retitled]) is None


def test_file_states_see_edits_additions_and_deletions(tmp_path: Path) -> None:
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    kept = tmp_path / "docs" / "index.md"
    kept.write_text("# Home\n", "utf-8")
    edited = tmp_path / "docs" / "sub" / "page.md"
    edited.write_text("# Page\n", "utf-8")
    gone = tmp_path / "docs" / "old.md"
    gone.write_text("# Old\n", "utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: x\n", "utf-8")
    roots = [tmp_path / "docs", config, tmp_path / "missing"]
    before = file_states(roots)
    assert set(before) == {str(kept), str(edited), str(gone), str(config)}

    edited.write_text("# Page, longer\n", "utf-8")
    os.utime(edited, ns=(before[str(edited)][0] + 10**9,) * 2)
    gone.unlink()
    added = tmp_path / "docs" / "new.md"
    added.write_text("# New\n", "utf-8")
    assert changed_files(before, file_states(roots)) == {str(edited), str(gone), str(added)}


def test_a_description_edit_is_rendered_again_but_new_tags_rebuild_the_site(
    tmp_path: Path,
) -> None:
    # A page's description is its own (its <meta>); its title and tags other pages show.
    source = _library(tmp_path)
    before = build_knowledge_base(KBOptions(source=source)).pages
    page = next(p for p in before if p.kind is PageKind.README and p.topic == "python")
    assert "description:" in front_matter(page.markdown)

    def edited(markdown: str) -> list[KBPage]:
        return [
            KBPage(
                path=p.path,
                title=p.title,
                markdown=markdown,
                source_map=p.source_map,
                kind=p.kind,
                topic=p.topic,
                sources=p.sources,
            )
            if p.path == page.path
            else p
            for p in before
        ]

    described = page.markdown.replace("description: ", "description: New words. ", 1)
    delta = page_delta(before, edited(described))
    assert delta is not None
    assert [p.path for p in delta.changed] == [page.path]

    tagged = page.markdown.replace("tags:\n", 'tags:\n  - "Brand new"\n', 1)
    assert tagged != page.markdown
    assert page_delta(before, edited(tagged)) is None


def test_a_persona_broken_halfway_through_an_edit_keeps_its_pages_beside_its_error(
    tmp_path: Path,
) -> None:
    # `mkdocs serve` passes its last build: a save with broken front matter does not take
    # the persona's topic away (a full rebuild), and the error is still reported.
    source = _library(tmp_path)
    before = build_knowledge_base(KBOptions(source=source))
    persona = source / "python-api-engineer.md"
    good = persona.read_text("utf-8")
    persona.write_text(good.replace("---\n", "---\nname: [unclosed\n", 1), "utf-8")

    kept = build_knowledge_base(KBOptions(source=source), keep_from=before)
    assert [Path(path).name for path in kept.ingest.kept] == ["python-api-engineer.md"]
    assert page_delta(before.pages, kept.pages) == PageDelta(())  # no page changed
    errors = [d for d in kept.diagnostics if d.span.path.endswith("python-api-engineer.md")]
    assert any(d.severity is Severity.ERROR for d in errors)

    dropped = build_knowledge_base(KBOptions(source=source))  # a full build: left out
    assert not dropped.ingest.kept
    assert "python-api-engineer" not in {p.id for p in dropped.ingest.personas}

    persona.write_text(good.replace("request body", "payload"), "utf-8")
    fixed = build_knowledge_base(KBOptions(source=source), keep_from=kept)
    assert not fixed.ingest.kept
    delta = page_delta(kept.pages, fixed.pages)
    assert delta is not None
    assert all("payload" in page.markdown for page in delta.changed)
