"""The examples of a whole site (generated KB pages + hand-written pages), or of some paths."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from persona_kb._internal.checks.examples.page_blocks import FENCE_PROBLEMS, site_markdown
from persona_kb._internal.checks.examples.rendered import SiteMarkdown
from persona_kb._internal.checks.examples.selection import (
    examples_from_markdown,
    examples_from_page,
    examples_from_persona,
    split_front_matter,
)
from persona_kb._internal.checks.examples.spec import Example, Tier
from persona_kb._internal.config.site import SiteConfig
from persona_kb._internal.core.code_policy import CodePolicy
from persona_kb._internal.core.diagnostics import Diagnostic, PersonaKBError, Severity, SourceSpan
from persona_kb._internal.core.model import Persona
from persona_kb._internal.core.paths import display_path as display
from persona_kb._internal.ingest.directives import apply_code_policy

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdc"})


@dataclass(frozen=True, slots=True)
class SiteExamples:
    """Examples found, the diagnostics met on the way, and the persona source folder."""

    examples: tuple[Example, ...]
    diagnostics: tuple[Diagnostic, ...]
    source: Path | None = None
    docs_dir: Path | None = None
    codes: CodePolicy = field(default_factory=CodePolicy)
    """The site's code policy (already applied to ``diagnostics``)."""
    paths: tuple[Path, ...] = ()
    """Files or folders read on their own (outside the site)."""

    @property
    def code_roots(self) -> tuple[Path, ...]:
        """The folders whose files' ``<!-- persona-kb: ignore … -->`` comments count."""
        return (*(p for p in (self.source, self.docs_dir) if p is not None), *self.paths)


def site_examples(config: SiteConfig, *, config_default: Tier = Tier.RUN) -> SiteExamples:
    """Every example the site renders: its generated KB pages and its hand-written pages."""
    renderer = _site_renderer(config.config_path, config.settings, config.uses_persona_kb)
    examples: list[Example] = []
    diagnostics: list[Diagnostic] = list(renderer.problems)
    generated: set[str] = set()
    source: Path | None = None
    if config.kb is not None:
        # Only a site with the plugin needs the builder (readers, Jinja2 …) imported.
        from persona_kb._internal.checks.links.knowledge_base import knowledge_base_cache
        from persona_kb._internal.kb.build import build_knowledge_base

        options = config.kb
        source = options.source
        kb = build_knowledge_base(options, cache=knowledge_base_cache(config))
        diagnostics.extend(
            d for d in kb.diagnostics if d.severity is Severity.ERROR or d.code in FENCE_PROBLEMS
        )
        personas = {p.path: p for p in kb.ingest.personas}
        for page in kb.pages:
            generated.add(page.path)
            found, problems = examples_from_page(
                page, personas, config_default=config_default, renderer=renderer
            )
            examples.extend(found)
            diagnostics.extend(problems)
    docs = config.docs_dir
    if docs.is_dir():
        for file in sorted(docs.rglob("*")):
            if file.suffix.lower() not in _MARKDOWN_SUFFIXES or not file.is_file():
                continue
            if file.relative_to(docs).as_posix() in generated:
                continue  # an exported copy: the generated page replaces it
            found, problems = _page_examples(file, config_default, renderer)
            examples.extend(found)
            diagnostics.extend(problems)
    codes = config.kb.codes if config.kb is not None else CodePolicy()
    result = SiteExamples(tuple(examples), (), source, docs, codes)
    policed = apply_code_policy(diagnostics, codes, roots=result.code_roots)
    return replace(result, diagnostics=tuple(policed))


def _site_renderer(
    config_path: Path, settings: Mapping[str, Any], persona_kb: bool
) -> SiteMarkdown:
    """Python-Markdown set up like the site (to know what it renders as code)."""
    return site_markdown(
        settings,
        config_dir=config_path.resolve().parent,
        persona_kb=persona_kb,
        where=SourceSpan(display(config_path), 1),
    )


def _page_examples(
    file: Path, config_default: Tier, renderer: SiteMarkdown
) -> tuple[list[Example], list[Diagnostic]]:
    shown = display(file)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [
            Diagnostic(
                "PKB615", Severity.ERROR, f"page could not be read: {exc}", SourceSpan(shown, 1)
            )
        ]
    return examples_from_markdown(
        text, path=shown, config_default=config_default, renderer=renderer
    )


def _within(path: str, folder: Path) -> bool:
    try:
        Path(path).resolve().relative_to(folder)
    except ValueError:
        return False
    return True


def path_examples(
    paths: Sequence[Path],
    config: SiteConfig | None,
    *,
    config_default: Tier = Tier.RUN,
) -> SiteExamples:
    """Examples from pages, persona files or folders of them.

    A path that belongs to the site (a persona in its source folder, a page in its
    docs folder) selects that file's examples as the site shows them; anything else
    is read on its own (a persona through ingestion, so front matter never counts).
    """
    site = (
        site_examples(config, config_default=config_default)
        if config is not None
        else SiteExamples((), ())
    )
    examples: list[Example] = []
    diagnostics: list[Diagnostic] = list(site.diagnostics)
    outside: list[Path] = []
    for given in paths:
        if not given.exists():
            raise PersonaKBError(f"{given.as_posix()}: no such file or folder")
        target = given.resolve()
        chosen = [e for e in site.examples if _selects(e, target, site.docs_dir)]
        if chosen:
            examples.extend(chosen)
        else:
            outside.append(given)
    for given in outside:
        found, problems = _standalone(given, config_default)
        examples.extend(found)
        diagnostics.extend(problems)
    result = replace(site, examples=tuple(examples), diagnostics=(), paths=tuple(outside))
    policed = apply_code_policy(diagnostics, site.codes, roots=result.code_roots)
    return replace(result, diagnostics=tuple(policed))


def _selects(example: Example, target: Path, docs: Path | None) -> bool:
    candidates = [example.path]
    if example.page and docs is not None:
        candidates.append(os.fspath(docs / example.page))
    for candidate in candidates:
        resolved = Path(candidate).resolve()
        if resolved == target or (target.is_dir() and _within(candidate, target)):
            return True
    return False


_PERSONA_HINTS = ("\N{CROSS MARK}", "\N{WHITE HEAVY CHECK MARK}", "\u00e2\u0152", "\u00e2\u0153")
"""❌ / ✅ and their mojibake: a file with pattern labels is read as a persona."""


def _standalone(given: Path, config_default: Tier) -> tuple[list[Example], list[Diagnostic]]:
    """Files outside the site: personas through ingestion, plain pages as MkDocs shows them."""
    files = (
        [given]
        if given.is_file()
        else sorted(p for p in given.rglob("*") if p.suffix.lower() in _MARKDOWN_SUFFIXES)
    )
    examples: list[Example] = []
    diagnostics: list[Diagnostic] = []
    personas: list[Path] = []
    for file in files:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            personas.append(file)  # ingestion reports it properly
            continue
        front, _, _ = split_front_matter(text)
        if front or any(hint in text for hint in _PERSONA_HINTS):
            personas.append(file)
            continue
        found, problems = examples_from_markdown(
            text, path=display(file), config_default=config_default
        )
        examples.extend(found)
        diagnostics.extend(problems)
    if personas:
        from persona_kb._internal.ingest import ingest  # ftfy and friends: only when needed

        result = ingest(personas)
        diagnostics.extend(d for d in result.diagnostics if d.severity is Severity.ERROR)
        for persona in result.personas:
            found, problems = examples_from_persona(persona, config_default=config_default)
            examples.extend(found)
            diagnostics.extend(problems)
    return examples, diagnostics


def personas_by_path(personas: Iterable[Persona]) -> dict[str, Persona]:
    """Index personas by display path (what source maps point at)."""
    return {p.path: p for p in personas}
