"""The pytest adapter: the site's code examples as test items (``pytest11`` entry point).

Inert unless enabled (``persona_kb = true`` in the ini file, or ``--persona-kb``).
Enabled, pytest collects the MkDocs config file (``mkdocs.yml``, put it in
``testpaths``) as the site: one collector per persona file or page, one item per
distinct example. Ids are ``kb/persona.md::PAGE > Heading > 2`` (page, heading and
ordinal: stable across edits above the block, and pasteable back into pytest, as is
``pytest kb/persona.md``); the line is in the report. All the work happens in
``persona_kb._internal.checks.examples``; this module only maps pytest onto it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from persona_kb._internal.checks.examples.pytest_ids import CollectedSite
    from persona_kb._internal.checks.examples.report import ExampleResult
    from persona_kb._internal.checks.examples.runner import ExampleRunner
    from persona_kb._internal.checks.examples.spec import Example
    from persona_kb._internal.config.options import ExampleSettings
    from persona_kb._internal.config.site import SiteConfig

_RUNNER: pytest.StashKey[ExampleRunner] = pytest.StashKey()
_SITE: pytest.StashKey[CollectedSite] = pytest.StashKey()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register the ``persona-kb`` option group and ini keys."""
    group = parser.getgroup("persona-kb", "persona-kb code examples")
    group.addoption(
        "--persona-kb",
        action="store_true",
        default=None,
        dest="persona_kb",
        help="collect the site's code examples (ini: persona_kb = true)",
    )
    group.addoption(
        "--no-persona-kb",
        action="store_false",
        dest="persona_kb",
        help="do not collect code examples, whatever the ini file says",
    )
    group.addoption(
        "--persona-kb-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="seconds each example may run (ini: persona_kb_timeout; default 10)",
    )
    group.addoption(
        "--persona-kb-topic",
        action="append",
        default=[],
        metavar="TOPIC",
        help="collect only this topic's examples (repeatable)",
    )
    group.addoption(
        "--persona-kb-persona",
        action="append",
        default=[],
        metavar="PERSONA",
        help="collect only this persona's examples (path or name; repeatable)",
    )
    parser.addini("persona_kb", "collect the site's code examples", type="bool", default=False)
    parser.addini(
        "persona_kb_config", "the site's config (default: mkdocs.yml, else properdocs.yml)"
    )
    parser.addini("persona_kb_timeout", "seconds each example may run (default: 10)")
    parser.addini("persona_kb_memory", "MiB of memory each example may use (0: no limit)")
    parser.addini(
        "persona_kb_prelude", "prelude files run before every example", type="paths", default=[]
    )
    parser.addini(
        "persona_kb_isolation",
        "page (one process per page, the default) or block (a process per block)",
    )
    parser.addini(
        "persona_kb_allow_shell",
        "true: execute shell blocks marked run (otherwise they only get bash -n)",
    )
    parser.addini("persona_kb_missing_module", "fail (default) or skip on an uninstalled import")
    parser.addini("persona_kb_default_tier", "tier of blocks that set none: run, no-run, ignore")
    parser.addini("persona_kb_undefined_names", "no-run blocks using undefined names: warn, fail")
    parser.addini("persona_kb_placeholders", "fragments with <id>-style placeholders: fail, skip")
    parser.addini(
        "persona_kb_language_defaults",
        "defaults by language, one 'LANG: key=value, ...' a line",
        type="linelist",
    )
    parser.addini(
        "persona_kb_folder_defaults",
        "defaults by source folder, one 'FOLDER: key=value, ...' a line",
        type="linelist",
    )
    parser.addini("persona_kb_toolchains", "opt-in toolchains: go rust java c cpp", type="args")
    parser.addini("persona_kb_baseline", "baseline file (default: persona-kb-baseline.json)")


def _enabled(config: pytest.Config) -> bool:
    flag = config.getoption("persona_kb")
    return bool(config.getini("persona_kb")) if flag is None else bool(flag)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect the site when its MkDocs file is collected, or one persona file or page of it
    when that file is named on the command line (``pytest kb/persona.md``)."""
    config = parent.config
    enabled = _enabled(config)
    if not enabled and not config.getini("persona_kb"):
        return None  # not our project: fully inert
    wanted = _site_config_path(config)
    if file_path.resolve() == wanted:
        # Turned off with --no-persona-kb in a project that lists the config in testpaths:
        # collect it as empty rather than let pytest call the path "not found".
        site: SiteFile = SiteFile.from_parent(parent, path=file_path)
        site.enabled = enabled
        return site
    if not enabled or not _named_alone(config, file_path, wanted):
        return None
    collected = _collected_site(config, wanted)
    if file_path.resolve() not in collected.sources:
        return None
    source: SourceFile = SourceFile.from_parent(parent, path=file_path)
    return source


def _named_alone(config: pytest.Config, file_path: Path, site_config: Path) -> bool:
    """Whether ``file_path`` was asked for without the site (which would collect it too)."""
    target = file_path.resolve()
    hit = False
    for arg in config.args:
        given = (config.invocation_params.dir / arg.split("::")[0].split("[")[0]).resolve()
        if given == site_config or given in site_config.parents:
            return False
        hit = hit or given == target or given in target.parents
    return hit


def _collected_site(config: pytest.Config, site_config: Path) -> CollectedSite:
    """The site's examples, selected, deduplicated and named once per session; the runner.

    Raises [`PersonaKBError`][persona_kb.PersonaKBError] for a config that cannot be read.
    """
    from persona_kb._internal.adapters.site_loader import load_site_config
    from persona_kb._internal.checks.examples.options import (
        baseline_path,
        configured_examples,
        runtime_options,
    )
    from persona_kb._internal.checks.examples.preload import preload_modules
    from persona_kb._internal.checks.examples.pytest_ids import group_site
    from persona_kb._internal.checks.examples.runner import ExampleRunner

    if _SITE in config.stash:
        return config.stash[_SITE]
    site = load_site_config(site_config)
    settings = _settings(config, site)
    found = configured_examples(site, settings)
    options = runtime_options(
        settings,
        source=found.source,
        root=config.rootpath,
        cwd=str(Path.cwd()),
        project=site.project,
        codes=found.codes,
        code_roots=found.code_roots,
    )
    collected = group_site(
        found,
        baseline_path(settings, site.project),
        site.project,
        topics=config.getoption("persona_kb_topic"),
        personas=config.getoption("persona_kb_persona"),
    )
    config.stash[_SITE] = collected
    if _RUNNER not in config.stash:
        runner = ExampleRunner(options, preload_modules(collected.examples, options))
        config.stash[_RUNNER] = runner
        config.add_cleanup(runner.close)
    return collected


def _site_config_path(config: pytest.Config) -> Path:
    """The ini's ``persona_kb_config``, else the first site config MkDocs would find."""
    from persona_kb._internal.config.site import CONFIG_NAMES

    named = str(config.getini("persona_kb_config") or "")
    if named:
        return (config.rootpath / named).resolve()
    found = (config.rootpath / n for n in CONFIG_NAMES)
    return next((p for p in found if p.is_file()), config.rootpath / CONFIG_NAMES[0]).resolve()


def _settings(config: pytest.Config, site: SiteConfig | None) -> ExampleSettings:
    """The site's ``examples:`` settings with the ini keys and options on top, validated
    by the core exactly as the CLI's flags and ``mkdocs.yml`` are."""
    from persona_kb._internal.config.options import OptionSource, example_settings

    def ini(name: str) -> object:
        value = config.getini(f"persona_kb_{name}")
        return value if value not in ("", [], None) else None

    timeout = config.getoption("persona_kb_timeout")
    values = {
        "timeout": timeout if timeout is not None else ini("timeout"),
        "memory_mb": ini("memory"),
        "missing_module": ini("missing_module"),
        "isolation": ini("isolation"),
        "allow_shell": ini("allow_shell"),
        "default_tier": ini("default_tier"),
        "undefined_names": ini("undefined_names"),
        "placeholders": ini("placeholders"),
        "languages": ini("language_defaults"),
        "folders": ini("folder_defaults"),
        "toolchains": ini("toolchains"),
        "baseline": ini("baseline"),
        "jobs": None,
        "preludes": [str(p) for p in config.getini("persona_kb_prelude")] or None,
    }
    return example_settings(values, OptionSource("pytest"), base=site.examples if site else None)


class SiteFile(pytest.File):
    """The MkDocs config file, collected as the site: one collector per source file."""

    enabled = True

    def collect(self) -> Iterator[pytest.Item | pytest.Collector]:
        """The site's diagnostics (if any), then each persona file or page with examples."""
        from persona_kb._internal.core.diagnostics import PersonaKBError

        if not self.enabled:
            return
        try:
            site = _collected_site(self.config, self.path.resolve())
        except PersonaKBError as exc:
            raise self.CollectError(f"persona-kb: {exc}") from None
        if site.errors or site.known_findings:
            yield DiagnosticsItem.from_parent(
                self,
                name="persona-kb diagnostics",
                messages=list(site.errors),
                known=site.known_findings,
                known_count=site.known_count,
            )
        for source in site.sources:
            yield SourceFile.from_parent(self, path=source)


class SourceFile(pytest.File):
    """A persona file or page: one item per distinct example written in it."""

    def collect(self) -> Iterator[pytest.Item]:
        """Items named ``PAGE > Heading > n``, skipped up front when nothing checks them."""
        from persona_kb._internal.checks.examples.runner import unchecked_reason

        site = _collected_site(self.config, _site_config_path(self.config))
        for name, example in site.sources.get(self.path.resolve(), ()):
            item = ExampleItem.from_parent(self, name=name, example=example)
            item.user_properties.append(("persona_kb_language", example.language))
            reason = unchecked_reason(example)
            if reason:
                item.add_marker(pytest.mark.skip(reason=f"{example.location}: {reason}"))
            yield item


class ExampleError(Exception):
    """Raised by an item whose example failed; carries the result for the report."""

    def __init__(self, result: ExampleResult) -> None:
        super().__init__(result.message)
        self.result = result


class ExampleItem(pytest.Item):
    """One code example, run through the example runner."""

    def __init__(self, *, example: Example, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.example = example

    def runtest(self) -> None:
        """Check the example; fail, skip or pass accordingly."""
        from persona_kb._internal.checks.examples.report import Status

        runner = self.config.stash[_RUNNER]
        result = runner.check(self.example)
        self.user_properties.append(("persona_kb_outcome", result.coverage_kind))
        for statement in runner.sandbox_missing():
            self.user_properties.append(("persona_kb_sandbox_missing", statement))
        for warning in result.warnings:
            self.user_properties.append(("persona_kb_warning", warning.format()))
        if result.status is Status.FAILED and _baselined(self.config, result):
            self.user_properties.append(("persona_kb_baselined", "failure"))
            pytest.xfail(f"{result.span}: baselined: {result.kind}: {result.message}")
        if result.status is Status.FAILED:
            raise ExampleError(result)
        if result.status in {Status.SKIPPED, Status.IGNORED, Status.NOT_CHECKED}:
            pytest.skip(f"{result.span}: {result.message or result.status}")

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str | Any:
        """``persona.md:286: NameError: …``, where it is shown, the trimmed traceback."""
        from persona_kb._internal.checks.examples.report import format_failure

        if isinstance(excinfo.value, ExampleError):
            return format_failure(excinfo.value.result)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """The source file and 0-based line of the example, and ``path:line [page > heading]``."""
        return Path(self.example.path), self.example.first_line - 1, self.example.name


def _baselined(config: pytest.Config, result: ExampleResult) -> bool:
    from persona_kb._internal.checks.examples.baseline import fingerprint

    site = config.stash.get(_SITE, None)
    baseline = site.baseline if site is not None else None
    return baseline is not None and baseline.counts[fingerprint(result, baseline.project)] > 0


class DiagnosticsItem(pytest.Item):
    """Fails with the site's error diagnostics (bad markers, unreadable personas)."""

    def __init__(
        self, *, messages: list[str], known: str = "", known_count: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.messages = messages
        self.known = known
        self.known_count = known_count

    def runtest(self) -> None:
        """Fail, listing every new diagnostic; xfail when the baseline knows them all;
        pass when the baseline's were all fixed."""
        if self.messages:
            raise SiteDiagnosticsError("\n".join([*self.messages, self.known]).strip())
        if self.known_count:
            pytest.xfail(f"baselined: {self.known}")

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | Any:
        """The diagnostics, one ``path:line`` per line."""
        if isinstance(excinfo.value, SiteDiagnosticsError):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        """The config file."""
        return self.path, None, self.name


class SiteDiagnosticsError(Exception):
    """The site's diagnostics, as one failure."""


def pytest_configure(config: pytest.Config) -> None:
    """When enabled, validate the ini keys and options, and register the coverage tally.

    A bad value is a usage error before anything runs, with the same message the CLI and
    ``mkdocs.yml`` give for it.
    """
    from persona_kb._internal.core.diagnostics import PersonaKBError

    if not _enabled(config):
        return
    try:
        _settings(config, None)
    except PersonaKBError as exc:
        raise pytest.UsageError(f"persona-kb: {exc}") from None
    from persona_kb._internal.adapters.pytest_summary import CoverageTally

    config.pluginmanager.register(CoverageTally(), "persona-kb-coverage")
