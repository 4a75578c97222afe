"""Check examples: parse or compile in this process, execute in the fork server."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from persona_kb._internal.checks.examples import toolchains
from persona_kb._internal.checks.examples.fragments import policy, skip_placeholder_fragment
from persona_kb._internal.checks.examples.jobs import auto_jobs
from persona_kb._internal.checks.examples.languages import (
    EXECUTED_LANGUAGES,
    NODE_LANGUAGES,
    parser_for,
)
from persona_kb._internal.checks.examples.node_block import NODE_RESERVE_MB, node_executable
from persona_kb._internal.checks.examples.preload import preload_modules
from persona_kb._internal.checks.examples.prelude import PreludeSet
from persona_kb._internal.checks.examples.python_source import (
    CompileError,
    compile_example,
    undefined_names,
)
from persona_kb._internal.checks.examples.report import ExampleReport, ExampleResult, Status
from persona_kb._internal.checks.examples.spec import Example, Tier
from persona_kb._internal.checks.examples.worker_client import ForkServer
from persona_kb._internal.config.options import (
    ExampleSettings,
    Isolation,
    MissingModule,
    ScopedDefaults,
    UndefinedNames,
)
from persona_kb._internal.core.code_policy import CodePolicy
from persona_kb._internal.core.diagnostics import Diagnostic, Severity, SourceSpan

if TYPE_CHECKING:
    from persona_kb._internal.ingest.directives import DirectiveFiles

_KIND_CODES = {
    "SyntaxError": "PKB601",
    "IndentationError": "PKB601",
    "TabError": "PKB601",
    "Timeout": "PKB602",
    "Crashed": "PKB603",
    "ProcessExit": "PKB603",
    "SystemExit": "PKB603",
    "ModuleNotFoundError": "PKB604",
    "OutputMismatch": "PKB611",
    "WorkerError": "PKB613",
    "CoroutineNeverAwaited": "PKB618",
}


@dataclass(frozen=True, slots=True)
class ExampleOptions:
    """How examples are checked. Every field has a safe default."""

    timeout: float = 10.0
    """Seconds each block may run before its process group is killed."""
    memory_mb: int = 1024
    """Address space each block may add (RLIMIT_AS), in MiB; 0 for no limit."""
    missing_module: MissingModule = "fail"
    """``fail`` or ``skip`` a block whose third-party import is not installed."""
    undefined_names: UndefinedNames = "warn"
    """``warn`` or ``fail`` when a ``no-run`` block uses a name nothing defines."""
    allow_shell: bool = False
    """Execute shell blocks marked ``run`` (otherwise shell is only ``bash -n``)."""
    isolation: Isolation = "page"
    """``page`` (the default): one process per page and source file, forked from the
    preloaded server, runs those blocks in turn, each with fresh globals, its own
    directory, timeout and memory limit; it is replaced after any crash, timeout or
    tampering with the runner. ``block``: every block in a new process (strongest;
    module state cannot leak between blocks, but a fork per block is slow where ``fork``
    is slow)."""
    jobs: int = 1
    """Fork servers working in parallel (pages are spread over them); 0 chooses (see
    [`auto_jobs`][persona_kb._internal.checks.examples.jobs.auto_jobs])."""
    preload: tuple[str, ...] = ()
    """Extra modules to import once in the fork server."""
    codes: CodePolicy = field(default_factory=CodePolicy)
    """Codes ignored or re-levelled (the plugin's ``codes:`` option)."""
    code_roots: tuple[Path, ...] = ()
    """Folders whose files' ``<!-- persona-kb: ignore … -->`` comments count."""
    preludes: PreludeSet = field(default_factory=PreludeSet)
    cwd: str | None = None
    """Working directory of the fork server (``sys.path[0]`` of the blocks)."""
    scopes: ExampleSettings | None = None
    """The settings with defaults by language and folder (missing modules, placeholders)."""
    project: str | None = None
    """The project folder: folder defaults are written relative to it."""
    toolchains: tuple[str, ...] = ()
    """Opted-in toolchains (``go``, ``rust`` …) that run complete programs."""

    def policy(self, example: Example) -> ScopedDefaults:
        """The policies for ``example``: these options', or its language's and folder's."""
        if self.scopes is None:
            return ScopedDefaults("run", self.missing_module, "fail")
        return policy(example, self.scopes, self.project)


def dedupe(examples: Iterable[Example]) -> list[Example]:
    """One example per distinct (source span, code); other pages go to ``also_on``."""
    first: dict[tuple[Any, ...], Example] = {}
    for example in examples:
        key = example.dedupe_key
        seen = first.get(key)
        if seen is None:
            first[key] = example
        elif example.page and example.page != seen.page and example.page not in seen.also_on:
            first[key] = replace(seen, also_on=(*seen.also_on, example.page))
    return list(first.values())


def _failure(
    example: Example,
    code: str,
    kind: str,
    message: str,
    line: int | None,
    file: str = "",
    **extra: Any,
) -> ExampleResult:
    return ExampleResult(
        example, Status.FAILED, code, kind, message, line, file or example.path, **extra
    )


def _undefined_warnings(example: Example, options: ExampleOptions) -> tuple[Diagnostic, ...]:
    known = options.preludes.known_names(example)
    found = undefined_names(example.code, known)
    severity = Severity.ERROR if options.undefined_names == "fail" else Severity.WARNING
    return tuple(
        Diagnostic(
            "PKB607",
            severity,
            f"name {name!r} is not defined by the block or its prelude",
            SourceSpan(example.path, example.source_line(line)),
            hint="import or define it, or add it to the prelude",
        )
        for name, line in found.items()
    )


def unchecked_reason(example: Example) -> str:
    """Why ``example`` gets no check at all (the ``ignore`` tier, or a language persona-kb
    has no check for), or ``""`` when it is checked. Such examples are counted, never passed."""
    if example.tier is Tier.IGNORE:
        return "marked ignore (counted, not checked)"
    if (
        example.language not in EXECUTED_LANGUAGES
        and not _runs_on_node(example)
        and parser_for(example.language) is None
    ):
        return f"no check for {example.language or 'unlabeled'} blocks"
    return ""


def _runs_on_node(example: Example) -> bool:
    return (
        example.language in NODE_LANGUAGES
        and example.tier in {Tier.RUN, Tier.RAISES}
        and node_executable() is not None
    )


def check_static(example: Example, options: ExampleOptions) -> ExampleResult | None:
    """Everything that needs no process: ignore, parse, compile. ``None`` means execute."""
    if example.tier is Tier.IGNORE:
        return ExampleResult(example, Status.IGNORED)
    lang = example.language
    if lang == "python":
        if options.isolation == "page" and example.tier in {Tier.RUN, Tier.RAISES}:
            return None  # the worker compiles it anyway, and a syntax error costs no fork
        compiled = compile_example(example.code, example.path, example.lines)
        if isinstance(compiled, CompileError):
            if example.tier is Tier.COMPILE_FAIL:
                return ExampleResult(example, Status.PASSED)
            return _failure(example, "PKB601", compiled.kind, compiled.message, compiled.line)
        if example.tier is Tier.COMPILE_FAIL:
            return _failure(
                example,
                "PKB606",
                "CompiledFine",
                "the block is marked compile-fail but it compiles",
                example.first_line,
            )
        if example.tier is Tier.NO_RUN:
            warnings = _undefined_warnings(example, options)
            if options.undefined_names == "fail" and warnings:
                w = warnings[0]
                return _failure(example, "PKB607", "NameError", w.message, w.span.line)
            return ExampleResult(example, Status.COMPILED, warnings=warnings)
        return None
    if lang == "pycon" or _runs_on_node(example):
        return None
    check = parser_for(lang)
    if check is None:
        return ExampleResult(example, Status.NOT_CHECKED, message=unchecked_reason(example))
    if lang == "bash" and example.run_shell and options.allow_shell:
        return None
    problem = check(example.code)
    if problem is None:
        return ExampleResult(example, Status.PASSED, parsed_only=True)
    line, message = problem
    code = "PKB609" if lang == "bash" else "PKB608"
    return _failure(
        example, code, f"{lang} error", message, example.source_line(line), parsed_only=True
    )


def _request(example: Example, options: ExampleOptions) -> dict[str, Any]:
    kind = example.language
    if kind == "bash":
        kind = "shell"
    elif kind in NODE_LANGUAGES:
        kind = "node"
    return {
        "op": "block",
        "kind": kind,
        "kind_language": example.language,
        "path": example.path,
        "code": example.code,
        "lines": list(example.lines),
        "preludes": [p.to_request() for p in options.preludes.for_example(example)],
        "timeout": options.timeout,
        "memory_mb": options.memory_mb,
        "reserve_mb": NODE_RESERVE_MB if kind == "node" else 0,
        "missing_module": options.policy(example).missing_module,
        "reuse": options.isolation == "page",
    }


def interpret(example: Example, outcome: dict[str, Any]) -> ExampleResult:
    """Turn the worker's outcome into a result, applying the ``raises`` tier."""
    status = outcome.get("status")
    duration = float(outcome.get("duration", 0.0))
    extra: dict[str, Any] = {
        "output": str(outcome.get("output", "")),
        "traceback": str(outcome.get("traceback", "")),
        "duration": duration,
    }
    kind = str(outcome.get("kind", ""))
    line = outcome.get("line")
    line = int(line) if isinstance(line, int) else None
    if example.tier is Tier.RAISES:
        if status == "failed" and example.raises in outcome.get("mro", [kind]):
            return ExampleResult(example, Status.PASSED, duration=duration)
        if status == "passed":
            return _failure(
                example,
                "PKB605",
                "DidNotRaise",
                f"expected {example.raises} to be raised; nothing was",
                example.first_line,
                **extra,
            )
        message = f"expected {example.raises}, got {kind}: {outcome.get('message', '')}"
        return _failure(
            example, "PKB605", kind, message, line, str(outcome.get("file", "")), **extra
        )
    if status == "passed":
        return ExampleResult(example, Status.PASSED, duration=duration, output=extra["output"])
    code = _KIND_CODES.get(kind, "PKB600")
    if str(outcome.get("message", "")).startswith("prelude"):
        code = "PKB612"
    result_status = Status.SKIPPED if status == "skipped" else Status.FAILED
    return ExampleResult(
        example,
        result_status,
        code,
        kind,
        str(outcome.get("message", "")),
        line or example.first_line,
        str(outcome.get("file", "")) or example.path,
        **extra,
    )


class ExampleRunner:
    """Checks examples one at a time; owns one fork server (started lazily).

    Adapters that schedule examples themselves (the pytest plugin) use this;
    [`check_examples`][] is the batch entry point.
    """

    def __init__(self, options: ExampleOptions, preload: Sequence[str] = ()) -> None:
        self.options = options
        roots = toolchains.read_roots(options.toolchains)
        self._server = ForkServer(cwd=options.cwd, read_roots=roots)
        self._preload = list(preload)
        self._directives: DirectiveFiles | None = None

    def check(self, example: Example) -> ExampleResult:
        """Check one example (never raises for bad example content)."""
        result = self._check(example)
        return skip_placeholder_fragment(result, self.options.policy(example).placeholders)

    def _check(self, example: Example) -> ExampleResult:
        static = check_static(example, self.options)
        if static is not None and static.status is Status.PASSED and static.parsed_only:
            prog = toolchains.program(example, self.options.toolchains)
            if prog is not None:  # it parses, and an opted-in toolchain can run it
                request = toolchains.request(
                    example, prog, self.options.timeout, self.options.memory_mb
                )
                outcome = self._server.run(process_key(example), request)
                return toolchains.interpret(example, prog, outcome)
        if static is not None:
            return self._policed(static)
        if self._preload:
            self._server.preload(self._preload)
            self._preload = []
        outcome = self._server.run(process_key(example), _request(example, self.options))
        return self._policed(interpret(example, outcome))

    def _policed(self, result: ExampleResult) -> ExampleResult:
        from persona_kb._internal.checks.examples.policy import apply_result_policy
        from persona_kb._internal.ingest.directives import DirectiveFiles

        if result.status is Status.PASSED and not result.warnings:
            return result  # nothing for the policy to change
        if self._directives is None:  # the persona files' comments, read once per run
            self._directives = DirectiveFiles(self.options.code_roots)
        codes, roots = self.options.codes, self.options.code_roots
        return apply_result_policy(result, codes, roots, self._directives)

    def sandbox_missing(self) -> tuple[str, ...]:
        """What the sandbox could not enforce here (asked of a server that already ran
        blocks; empty when none ran)."""
        if not self._server.running:
            return ()
        return tuple(str(s) for s in self._server.sandbox().get("missing", ()))

    def start(self, preload: Sequence[str] = ()) -> None:
        """Start the fork server now, so its start-up overlaps the caller's work."""
        self._preload.extend(preload)
        self._server.start()

    def close(self) -> None:
        """Stop the fork server."""
        self._server.close()

    def __enter__(self) -> ExampleRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def check_examples(
    examples: Iterable[Example],
    options: ExampleOptions | None = None,
    diagnostics: Iterable[Diagnostic] = (),
) -> ExampleReport:
    """Dedupe, check every example (pages spread over ``options.jobs`` servers), report."""
    options = options or ExampleOptions()
    unique = dedupe(examples)
    groups: dict[str, list[int]] = {}
    for index, example in enumerate(unique):
        groups.setdefault(example.page or example.path, []).append(index)
    jobs = max(1, min(options.jobs or auto_jobs(unique), len(groups)))
    runners = [ExampleRunner(options) for _ in range(jobs)]
    if any(e.language in {"python", "pycon"} for e in unique):
        for runner in runners:
            runner.start()  # the servers import while we work out what to preload
    modules = preload_modules(unique, options)
    buckets: list[list[int]] = [[] for _ in range(jobs)]
    for n, indexes in enumerate(sorted(groups.values(), key=len, reverse=True)):
        buckets[n % jobs].extend(indexes)
    results: list[ExampleResult | None] = [None] * len(unique)
    missing: dict[str, None] = {}

    def work(runner: ExampleRunner, bucket: list[int]) -> None:
        with runner:
            runner.start(modules)
            for index in bucket:
                results[index] = runner.check(unique[index])
            missing.update(dict.fromkeys(runner.sandbox_missing()))

    if jobs == 1:
        work(runners[0], buckets[0])
    else:
        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(work, runners, buckets))
    found = tuple(r for r in results if r is not None)
    return ExampleReport(found, tuple(diagnostics), tuple(missing))


def process_key(example: Example) -> str:
    """Which blocks may share a process under page isolation: those of one page *and* one
    source file. A block can disturb later blocks in its process; this way only blocks
    written by the same hand, which could simply have been written to pass."""
    return f"{example.page or example.path}\n{example.path}"
