"""The pytest adapter: the site's code examples as test items (``pytest11`` entry point).

Inert unless enabled (``persona_kb = true`` in the ini file, or ``--persona-kb``).
Enabled, pytest collects the MkDocs config file (``mkdocs.yml``, put it in
``testpaths``) as the site: one item per distinct example, whose id is the
persona ``path:line`` followed by the page and heading in brackets. All the work
happens in ``persona_kb._internal.checks.examples``; this module only maps pytest onto it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from persona_kb._internal.core.wording import plural

if TYPE_CHECKING:
    from persona_kb._internal.checks.examples.report import ExampleResult
    from persona_kb._internal.checks.examples.runner import ExampleRunner
    from persona_kb._internal.checks.examples.spec import Example
    from persona_kb._internal.config.options import ExampleSettings
    from persona_kb._internal.config.site import SiteConfig

_RUNNER: pytest.StashKey[ExampleRunner] = pytest.StashKey()


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


def _enabled(config: pytest.Config) -> bool:
    flag = config.getoption("persona_kb")
    return bool(config.getini("persona_kb")) if flag is None else bool(flag)


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect the site when the configured MkDocs file is collected and we are enabled."""
    config = parent.config
    enabled = _enabled(config)
    if not enabled and not config.getini("persona_kb"):
        return None  # not our project: fully inert
    if file_path.resolve() != _site_config_path(config):
        return None
    # Turned off with --no-persona-kb in a project that lists the config in testpaths:
    # collect it as empty rather than let pytest call the path "not found".
    site: SiteFile = SiteFile.from_parent(parent, path=file_path)
    site.enabled = enabled
    return site


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
        "jobs": None,
        "preludes": [str(p) for p in config.getini("persona_kb_prelude")] or None,
    }
    return example_settings(values, OptionSource("pytest"), base=site.examples if site else None)


class SiteFile(pytest.File):
    """The MkDocs config file, collected as the site's examples."""

    enabled = True

    def collect(self) -> Iterator[pytest.Item]:
        """One item per distinct example (deduplicated across the pages that show it)."""
        from persona_kb._internal.adapters.site_loader import load_site_config
        from persona_kb._internal.checks.examples.options import runtime_options
        from persona_kb._internal.checks.examples.runner import (
            ExampleRunner,
            dedupe,
            preload_modules,
            unchecked_reason,
        )
        from persona_kb._internal.checks.examples.selection import select_examples
        from persona_kb._internal.checks.examples.site import site_examples
        from persona_kb._internal.checks.examples.spec import TIER_WORDS
        from persona_kb._internal.core.diagnostics import PersonaKBError, Severity

        if not self.enabled:
            return
        try:
            config = load_site_config(self.path)
            settings = _settings(self.config, config)
            site = site_examples(config, config_default=TIER_WORDS[settings.default_tier])
            options = runtime_options(
                settings, source=site.source, root=self.config.rootpath, cwd=str(Path.cwd())
            )
        except PersonaKBError as exc:
            raise self.CollectError(f"persona-kb: {exc}") from None
        chosen = select_examples(
            site.examples,
            topics=self.config.getoption("persona_kb_topic"),
            personas=self.config.getoption("persona_kb_persona"),
        )
        examples = dedupe(chosen)
        if _RUNNER not in self.config.stash:
            runner = ExampleRunner(options, preload_modules(examples, options))
            self.config.stash[_RUNNER] = runner
            self.config.add_cleanup(runner.close)
        errors = [d for d in site.diagnostics if d.severity is Severity.ERROR]
        if errors:
            yield DiagnosticsItem.from_parent(
                self, name="persona-kb diagnostics", messages=[d.format() for d in errors]
            )
        seen: dict[str, int] = {}
        for example in examples:
            name = example.name
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name} #{seen[name]}"
            item = ExampleItem.from_parent(self, name=name, nodeid=name, example=example)
            item.user_properties.append(("persona_kb_python", example.language == "python"))
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
        self.user_properties.append(("persona_kb_executed", result.executed))
        for statement in runner.sandbox_missing():
            self.user_properties.append(("persona_kb_sandbox_missing", statement))
        for warning in result.warnings:
            self.user_properties.append(("persona_kb_warning", warning.format()))
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
        """The source file and 0-based line of the example, and its id."""
        return Path(self.example.path), self.example.first_line - 1, self.name


class DiagnosticsItem(pytest.Item):
    """Fails with the site's error diagnostics (bad markers, unreadable personas)."""

    def __init__(self, *, messages: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.messages = messages

    def runtest(self) -> None:
        """Fail, listing every diagnostic."""
        raise SiteDiagnosticsError("\n".join(self.messages))

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


class CoverageTally:
    """Counts examples and executed python blocks from the reports (works under xdist,
    where the properties travel with each report to the controller)."""

    def __init__(self) -> None:
        self.examples = 0
        self.python = 0
        self.executed = 0
        self.sandbox_missing: dict[str, None] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Count one example's call report."""
        props = dict(report.user_properties)
        for key, value in report.user_properties:
            if key == "persona_kb_sandbox_missing":
                self.sandbox_missing[str(value)] = None
        counted = report.when == "call" or (report.when == "setup" and report.skipped)
        if "persona_kb_python" not in props or not counted:
            return
        self.examples += 1
        if props["persona_kb_python"]:
            self.python += 1
            self.executed += int(bool(props.get("persona_kb_executed", False)))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """One line: how many examples, and the executed coverage of python blocks."""
        if not self.examples:
            return
        terminalreporter.write_sep("-", "persona-kb")
        if not self.python:
            terminalreporter.write_line(
                f"persona-kb: {plural(self.examples, 'example')}; no python blocks"
            )
            return
        share = self.executed / self.python
        terminalreporter.write_line(
            f"persona-kb: {plural(self.examples, 'example')}; executed coverage {share:.0%} "
            f"({self.executed} of {plural(self.python, 'python block')} ran)"
        )
        for statement in self.sandbox_missing:
            terminalreporter.write_line(f"persona-kb: sandbox not enforced here: {statement}")


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
    config.pluginmanager.register(CoverageTally(), "persona-kb-coverage")
