"""The export drift check and the examples as steps of ``persona-kb check``.

Each adapter calls the same core the standalone command uses
(``persona-kb export --check``, ``persona-kb examples``) and returns its
findings as diagnostics, so that one summary and one exit code cover them.
"""

from __future__ import annotations

import contextlib

from persona_kb._internal.checks.examples.options import runtime_options
from persona_kb._internal.checks.examples.runner import check_examples
from persona_kb._internal.checks.results import StepResult, StepStatus
from persona_kb._internal.config.options import ExampleSettings
from persona_kb._internal.config.site import SiteConfig
from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan, has_errors
from persona_kb._internal.core.paths import display_path
from persona_kb._internal.core.wording import plural
from persona_kb._internal.kb.agents.bundle import export_for_agents
from persona_kb._internal.kb.agents.github import GithubCache
from persona_kb._internal.kb.build import build_knowledge_base, project_cache
from persona_kb._internal.kb.export import ExportReport


def export_drift(site: SiteConfig) -> StepResult:
    """``persona-kb export --check``: is the committed export up to date with the personas?"""
    if site.kb is None or site.kb_out_dir is None:
        return StepResult("export", StepStatus.SKIPPED, "the persona-kb plugin is off")
    # The same settings `persona-kb export` writes with, so the two never disagree.
    out_dir = site.kb_out_dir.resolve()
    if not out_dir.is_dir():
        return StepResult(
            "export",
            StepStatus.SKIPPED,
            f"no exported KB at {display_path(out_dir)} (run `persona-kb export` to commit one)",
        )
    # Through the plugin's on-disk cache: after `mkdocs build` nothing is rendered again.
    plugin = site.persona_kb_options()
    cache = project_cache(
        site.project, enabled=plugin.get("cache", True), cache_dir=plugin.get("cache_dir")
    )
    with contextlib.chdir(site.project):
        kb = build_knowledge_base(site.kb, cache=cache)
        # Inside the project folder too: the index reads front-matter lines by persona path.
        report = export_for_agents(
            kb,
            out_dir,
            output=site.kb.output,
            allow_html=site.kb.allow_html,
            check=True,
            cache=GithubCache(cache.store if cache is not None else None),
        )
    diagnostics = export_diagnostics(report)
    stale = len(report.written) + len(report.removed)
    summary = (
        f"{plural(len(kb.pages), 'page')}, {stale} out of date, "
        f"{plural(len(report.conflicts), 'conflict')}"
        if stale or report.conflicts
        else f"{plural(len(kb.pages), 'page')} up to date"
    )
    ok = report.ok and not has_errors(diagnostics)
    return StepResult(
        "export", StepStatus.PASSED if ok else StepStatus.FAILED, summary, tuple(diagnostics)
    )


def export_diagnostics(report: ExportReport) -> list[Diagnostic]:
    """What an ``export --check`` found: its warnings and errors, and a ``PKB720`` error
    for every page that is out of date or stale."""
    diagnostics = [d for d in report.diagnostics if d.severity is not Severity.INFO]
    if not report.check:
        return diagnostics
    for path in report.written:
        diagnostics.append(
            Diagnostic(
                "PKB720",
                Severity.ERROR,
                f"{display_path(path)} is out of date with the personas",
                SourceSpan(display_path(path), 1),
                hint="run `persona-kb export` and commit the result",
            )
        )
    for path in report.removed:
        diagnostics.append(
            Diagnostic(
                "PKB720",
                Severity.ERROR,
                f"{display_path(path)} is a stale export: no persona generates it any more",
                SourceSpan(display_path(path), 1),
                hint="run `persona-kb export` (it removes stale pages) and commit the result",
            )
        )
    return diagnostics


def check_site_examples(
    site: SiteConfig,
    settings: ExampleSettings,
    *,
    update_baseline: bool = False,
) -> StepResult:
    """``persona-kb examples``: every example the site renders, checked in isolation.

    Failures recorded in the baseline do not fail the step; the summary says how many remain.
    """
    from persona_kb._internal.checks.examples.baseline import (
        apply_baseline,
        read_baseline,
        write_baseline,
    )
    from persona_kb._internal.checks.examples.options import baseline_path, configured_examples
    from persona_kb._internal.checks.examples.report import executed_coverage_text

    found = configured_examples(site, settings)
    options = runtime_options(
        settings,
        source=found.source,
        root=site.project,
        codes=found.codes,
        code_roots=found.code_roots,
    )
    report = check_examples(found.examples, options, found.diagnostics)
    baseline = baseline_path(settings, site.project)
    if update_baseline:
        write_baseline(baseline, report.results, site.project)
    outcome = apply_baseline(report, read_baseline(baseline, site.project))
    report = outcome.report
    diagnostics = tuple(d for d in report.all_diagnostics() if d.severity is not Severity.INFO)
    summary = (
        f"{plural(len(report.results), 'example')}, {len(report.failures)} failed, "
        f"{executed_coverage_text(report)}; "
        f"default tier {settings.default_tier}, missing modules {settings.missing_module}"
        + (f", placeholders {settings.placeholders}" if settings.placeholders != "fail" else "")
        + (f", toolchains {', '.join(settings.toolchains)}" if settings.toolchains else "")
    )
    if outcome.summary():
        summary += f"; {outcome.summary()}"
    ok = report.ok and not has_errors(diagnostics)
    return StepResult(
        "examples", StepStatus.PASSED if ok else StepStatus.FAILED, summary, diagnostics
    )
