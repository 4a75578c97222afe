"""Escape, never delete (issue #10 item 6): every ``<…>`` token of a persona body that is
not dangerous HTML appears in the generated Markdown, as written or with ``<`` escaped,
and raises no PKB502.

Checked on a fixture here; on every library (the whole shared corpus included) by
``test_render_reader_checks.py``, which uses these helpers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from persona_kb._internal.core.model import Persona
from persona_kb._internal.kb.build import KBOptions, KnowledgeBase, build_knowledge_base
from persona_kb._internal.kb.render.html_escape import judge_tag

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


def lost_tokens(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """``(persona path, token)`` for every ``<…>`` token that is not dangerous HTML and
    appears nowhere in the generated Markdown, as written or with ``<`` escaped."""
    text = "\n".join(p.markdown for p in kb.pages)
    # A token cut out of a line around a code span (`<div class={`x`}>`) is compared
    # with the pages' text cut the same way.
    cut = _CODE_SPAN_RE.sub("", text)
    lost = []
    for persona in kb.ingest.personas:
        for token in _tokens(persona):
            escaped = token.replace("<", "&lt;")
            if not any(t in page for t in (token, escaped) for page in (text, cut)):
                lost.append((persona.path, token))
    return lost


_HANDLER_ATTRS = re.compile(r"\{[^}\n]*\bon\w+\s*=", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"(?:java|vb)script\s*:|data\s*:|&#", re.IGNORECASE)


def warned_without_danger(kb: KnowledgeBase) -> list[str]:
    """PKB502 warnings whose persona text (the warned line up to the next blank line: an
    HTML block is warned at its first line) holds no dangerous tag, script URL or
    handler attribute, judged independently of the sanitiser's own walk."""
    personas = {p.path: p for p in kb.ingest.personas}
    personas.update({b.path: b for p in kb.ingest.personas for b in p.bundled})
    wrong = []
    for diagnostic in kb.diagnostics:
        if diagnostic.code != "PKB502":
            continue
        persona = personas[diagnostic.span.path]
        lines = persona.body.split("\n")
        start = diagnostic.span.line - persona.body_line
        if start < 0:  # front matter: the description or the prompt
            text = f"{persona.description}\n{persona.prompt or ''}"
        else:
            end = next((i for i in range(start + 1, len(lines)) if not lines[i].strip()), None)
            text = "\n".join(lines[start:end])
        dangerous = any(judge_tag(tag)[1] for tag in re.findall(r"<[A-Za-z/!?][^<>]*>", text))
        if not (dangerous or _HANDLER_ATTRS.search(text) or _SCRIPT_URL.search(text)):
            wrong.append(f"{diagnostic.span}: {text[:120]!r}")
    return wrong


def test_no_angle_bracket_text_is_lost_and_none_is_warned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "keeper.md").write_text(FIXTURE, encoding="utf-8")
    kb = build_knowledge_base(KBOptions(source=Path("kb")))
    assert len(_tokens(kb.ingest.personas[0])) >= 12
    assert lost_tokens(kb) == []
    assert [d for d in kb.diagnostics if d.code == "PKB502"] == []
    text = "\n".join(p.markdown for p in kb.pages)
    assert "Result&lt;T> or Promise&lt;void>" in text
    assert "<kbd>Ctrl</kbd>" in text  # real formatting stays HTML


def test_pkb502_fires_on_dangerous_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kb").mkdir()
    (tmp_path / "kb" / "keeper.md").write_text(
        FIXTURE + "\nClick <a href='#' onclick='steal()'>here</a>.\n\n<script>alert(1)</script>\n",
        encoding="utf-8",
    )
    kb = build_knowledge_base(KBOptions(source=Path("kb")))
    assert [d.span.line for d in kb.diagnostics if d.code == "PKB502"] == [24, 26]
    assert warned_without_danger(kb) == []
