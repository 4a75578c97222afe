"""Escape, never delete (issue #10 item 6): every ``<…>`` token of a persona body that is
not dangerous HTML appears in the generated Markdown, as written or with ``<`` escaped,
and raises no PKB502.

Checked on a fixture here, and on the shared corpus when it is on the machine (it is not
in CI: that test skips visibly).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from persona_kb._internal.core.model import Persona
from persona_kb._internal.kb.build import KBOptions, KnowledgeBase, build_knowledge_base
from persona_kb._internal.kb.render.html_escape import judge_tag

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
if not CORPUS.is_dir():  # a worktree beside the main checkout
    CORPUS = Path(__file__).resolve().parents[4] / "shared" / "corpus"
_TOKEN_RE = re.compile(r"<[A-Za-z/!?][^<>\n]{0,80}>")
_CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1")

FIXTURE = """\
---
name: text-keeper
description: Upgrades Result<T> to Promise<void> for <ProjectName>.
---

# Text keeper

## Rules

- Use `Result<T>` in code, and Result<T> or Promise<void> in prose.
- Replace <ProjectName> and <your-org> before running.
- A List<Map<String, Integer>> is fine; so is Dictionary<TKey, TValue>.

<role>
You are a careful reviewer.
</role>

<example>
user: upgrade from <OldVersion> to <NewVersion>
</example>

Keep <kbd>Ctrl</kbd>+<kbd>C</kbd> and <details><summary>more</summary>hidden</details>.
"""


def _tokens(persona: Persona) -> list[str]:
    code: set[int] = set()
    for block in persona.code_blocks:
        code.update(range(block.fence.line, block.code_line + block.code.count("\n") + 2))
    found: list[str] = []
    for offset, line in enumerate(persona.body.split("\n")):
        if persona.body_line + offset in code or line.startswith("    "):
            continue
        for token in _TOKEN_RE.findall(_CODE_SPAN_RE.sub("", line)):
            if not judge_tag(token)[1]:
                found.append(token)
    return found


def _lost(kb: KnowledgeBase) -> list[tuple[str, str]]:
    text = "\n".join(p.markdown for p in kb.pages)
    lost = []
    for persona in kb.ingest.personas:
        for token in _tokens(persona):
            if token not in text and token.replace("<", "&lt;") not in text:
                lost.append((persona.path, token))
    return lost


def test_no_angle_bracket_text_is_lost_and_none_is_warned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "keeper.md").write_text(FIXTURE, encoding="utf-8")
    kb = build_knowledge_base(KBOptions(source=Path("kb")))
    assert len(_tokens(kb.ingest.personas[0])) >= 12
    assert _lost(kb) == []
    assert [d for d in kb.diagnostics if d.code == "PKB502"] == []
    text = "\n".join(p.markdown for p in kb.pages)
    assert "Result&lt;T> or Promise&lt;void>" in text
    assert "<kbd>Ctrl</kbd>" in text  # real formatting stays HTML


@pytest.mark.slow
def test_no_angle_bracket_text_is_lost_on_the_shared_corpus(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"{CORPUS} is not available (the shared corpus exists only on the dev box)")
    # A deterministic sample keeps the test to a minute or two on two cores.
    files = sorted(CORPUS.rglob("*.md"))[::10]
    source = tmp_path / "kb"
    for i, path in enumerate(files):
        target = source / f"{i:04d}-{path.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    kb = build_knowledge_base(KBOptions(source=source))
    assert len(kb.ingest.personas) > 50
    assert _lost(kb) == []
    for diagnostic in kb.diagnostics:
        if diagnostic.code == "PKB502":
            assert "dangerous" in diagnostic.text or "script" in diagnostic.text
