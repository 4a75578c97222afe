"""``persona-kb check``: every check CI needs, one summary, one exit code.

The steps run in order: persona lint, ``mkdocs build --strict`` (into a
temporary folder, never into ``docs_dir``), the export drift check, the
examples, and the links of the site just built. Each step becomes a
[`StepResult`][persona_kb._internal.checks.results.StepResult] of diagnostics; a step
that crashes is reported as a failed step and the others still run.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from persona_kb._internal.checks.findings_baseline import (
    BUILT_SITE,
    FindingsBaseline,
    findings,
    known_findings,
    read_findings,
    write_findings,
)
from persona_kb._internal.checks.links.site import map_sources
from persona_kb._internal.checks.results import (
    STEPS,
    CheckOptions,
    CheckReport,
    StepResult,
    StepStatus,
)
from persona_kb._internal.checks.steps import check_site_examples, export_drift
from persona_kb._internal.config.options import check_skips
from persona_kb._internal.config.site import SiteConfig
from persona_kb._internal.core.diagnostics import (
    Diagnostic,
    PersonaKBError,
    Severity,
    SourceSpan,
    has_errors,
)
from persona_kb._internal.core.paths import display_path
from persona_kb._internal.core.wording import plural

__all__ = ["STEPS", "CheckOptions", "CheckReport", "StepResult", "StepStatus", "run_checks"]


def run_checks(options: CheckOptions, progress: Callable[[str], None] | None = None) -> CheckReport:
    """Run every step not in ``options.skip``; ``progress`` hears each step's name as it starts.

    Raises [`PersonaKBError`][persona_kb.PersonaKBError] (exit 2) only when
    a step name is unknown, or ``site_dir`` is inside ``docs_dir``.
    """
    check_skips(tuple(options.skip))
    config = options.site
    _refuse_docs_dir(options.site_dir, config)
    baseline = _baseline_file(options)
    site_shown = _site_shown(options)
    known = read_findings(baseline) if not options.update_baseline else FindingsBaseline()
    steps: list[StepResult] = []
    with _site_folder(options.site_dir) as site_dir:
        built = False
        for name in STEPS:
            if name in options.skip:
                steps.append(StepResult(name, StepStatus.SKIPPED, "left out with --skip"))
                continue
            if progress is not None:
                progress(name)
            start = time.perf_counter()
            try:
                if name == "links" and not built:
                    result = StepResult(name, StepStatus.SKIPPED, "no site was built")
                else:
                    result = _STEP_FUNCTIONS[name](options, config, site_dir)
            except PersonaKBError as exc:
                result = _failed(name, str(exc), options.config_path, "PKB730")
            except Exception as exc:  # a crashing step must not hide the other steps' results
                where = traceback.extract_tb(exc.__traceback__)[-1]
                message = f"{type(exc).__name__}: {exc} (at {where.filename}:{where.lineno})"
                result = _failed(name, f"crashed: {message}", options.config_path, "PKB731")
            if name == "build":
                built = any(site_dir.glob("*.html"))
            steps.append(_timed(result, time.perf_counter() - start))
    if options.update_baseline:
        ran = {
            s.name: findings(s.name, s.diagnostics, config.project, site_shown)
            for s in steps
            if s.ran
        }
        write_findings(baseline, ran)
        known = read_findings(baseline)
    return CheckReport(tuple(known_findings(steps, known, config.project, site_shown)))


def _site_shown(options: CheckOptions) -> str:
    """How diagnostics name the built site's folder."""
    return display_path(options.site_dir) if options.site_dir is not None else BUILT_SITE


def _baseline_file(options: CheckOptions) -> Path:
    from persona_kb._internal.checks.examples.options import baseline_path

    return baseline_path(options.examples or options.site.examples, options.site.project)


def _refuse_docs_dir(site_dir: Path | None, config: SiteConfig) -> None:
    if site_dir is None:
        return
    target = site_dir.resolve()
    docs = config.docs_dir.resolve()
    if target == docs or docs in target.parents or target in docs.parents:
        raise PersonaKBError(
            f"--site-dir {site_dir} overlaps docs_dir {display_path(config.docs_dir)}; "
            "build somewhere else, such as site/"
        )


@contextlib.contextmanager
def _site_folder(site_dir: Path | None) -> Iterator[Path]:
    if site_dir is not None:
        yield site_dir
        return
    with tempfile.TemporaryDirectory(prefix="persona-kb-check-") as folder:
        yield Path(folder) / "site"


def _failed(name: str, message: str, config_path: Path, code: str) -> StepResult:
    span = SourceSpan(display_path(config_path), 1)
    hint = "run the step on its own to see more (e.g. `persona-kb " + name + "`)"
    diagnostic = Diagnostic(code, Severity.ERROR, f"{name}: {message}", span, hint=hint)
    return StepResult(name, StepStatus.FAILED, message.splitlines()[0], (diagnostic,))


def _timed(result: StepResult, seconds: float) -> StepResult:
    return StepResult(result.name, result.status, result.summary, result.diagnostics, seconds)


def _status(diagnostics: Sequence[Diagnostic], ok: bool = True) -> StepStatus:
    return StepStatus.PASSED if ok and not has_errors(diagnostics) else StepStatus.FAILED


def _shown(diagnostics: Sequence[Diagnostic]) -> tuple[Diagnostic, ...]:
    # Infos are counted by each command on its own; CI output keeps errors and warnings.
    return tuple(d for d in diagnostics if d.severity is not Severity.INFO)


def _step_lint(options: CheckOptions, config: SiteConfig, site_dir: Path) -> StepResult:
    from persona_kb._internal.checks.lint import lint_personas

    if config.kb is not None:
        source = config.kb.source
    else:
        source = config.project / "kb"
        if not source.is_dir():
            return StepResult("lint", StepStatus.SKIPPED, "no persona folder")
    if not source.is_dir():
        raise PersonaKBError(f"the persona folder {display_path(source)} does not exist")
    result = lint_personas([source], codes=config.kb.codes if config.kb else None)
    errors = sum(d.severity is Severity.ERROR for d in result.diagnostics)
    warnings = sum(d.severity is Severity.WARNING for d in result.diagnostics)
    summary = f"{plural(len(result.personas), 'persona')} in {plural(result.files, 'file')}"
    summary += f", {plural(errors, 'error')}, {plural(warnings, 'warning')}"
    return StepResult("lint", _status(result.diagnostics), summary, _shown(result.diagnostics))


def _step_build(options: CheckOptions, config: SiteConfig, site_dir: Path) -> StepResult:
    from persona_kb._internal.checks.build import build_site

    by_docs_path = {s.docs_path: s for s in map_sources(config).values()}
    result = build_site(options.config_path, site_dir, by_docs_path)
    ok = result.returncode == 0
    count = len(result.diagnostics)
    summary = "mkdocs build --strict: " + (
        "clean"
        if ok and not count
        else f"{plural(count, 'warning or error', 'warnings and errors')}"
    )
    return StepResult("build", _status(result.diagnostics, ok), summary, result.diagnostics)


def _step_export(options: CheckOptions, config: SiteConfig, site_dir: Path) -> StepResult:
    return export_drift(config)


def _step_examples(options: CheckOptions, config: SiteConfig, site_dir: Path) -> StepResult:
    return check_site_examples(
        config,
        options.examples or config.examples,
        update_baseline=options.update_baseline,
    )


def _step_links(options: CheckOptions, config: SiteConfig, site_dir: Path) -> StepResult:
    from persona_kb._internal.checks.links.external import ExternalOptions
    from persona_kb._internal.checks.links.run import check_links

    external = ExternalOptions() if options.external_links else None
    result = check_links(site_dir, config, external=external, site_display=_site_shown(options))
    report = result.report
    summary = (
        f"{plural(report.pages, 'page')}, {plural(report.links, 'link')}, "
        f"{len(result.diagnostics)} broken"
    )
    return StepResult("links", _status(result.diagnostics), summary, result.diagnostics)


_STEP_FUNCTIONS: dict[str, Callable[[CheckOptions, SiteConfig, Path], StepResult]] = {
    "lint": _step_lint,
    "build": _step_build,
    "export": _step_export,
    "examples": _step_examples,
    "links": _step_links,
}
