"""Opt-in toolchains: compile and run complete Go, Rust, Java, C and C++ programs.

Off by default (``toolchains: [rust, java]`` in ``mkdocs.yml``, ``--toolchain`` on the
command line, ``persona_kb_toolchains`` in pytest's ini). A toolchain runs only where it is
installed, and only blocks that are whole programs (``package main`` with ``func main``,
``fn main``, a class with ``public static void main``, ``int main``); fragments stay
parsed-only. The program runs as a ``command`` in the same sandbox as python blocks (scrubbed
environment, Landlock, network namespace, timeout, memory and disk budgets, everything it
starts killed). A compiler error or a non-zero exit is reported at the persona's line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from persona_kb._internal.checks.examples.report import ExampleResult, Status
from persona_kb._internal.checks.examples.spec import Example, Tier

TOOLCHAIN_OF = {"go": "go", "rust": "rust", "java": "java", "c": "c", "cpp": "cpp"}
"""Block language → the toolchain that runs it."""
_COMPLETE = {
    "go": re.compile(r"^package\s+main\b(?s:.*)^func\s+main\s*\(", re.MULTILINE),
    "rust": re.compile(r"^\s*(?:pub\s+)?(?:async\s+)?fn\s+main\s*\(", re.MULTILINE),
    "java": re.compile(r"\bstatic\s+void\s+main\s*\("),
    "c": re.compile(r"^\s*int\s+main\s*\(", re.MULTILINE),
    "cpp": re.compile(r"^\s*(?:auto|int)\s+main\s*\(", re.MULTILINE),
}
_JAVA_CLASS = re.compile(r"^\s*public\s+(?:final\s+)?class\s+(\w+)", re.MULTILINE)
_RESERVE_MB = {"java": 2048, "go": 1024}
"""Address space a runtime reserves up front (the JVM's heap and code cache …)."""
_COMPILE_LIMIT_S = 60.0


@dataclass(frozen=True, slots=True)
class Program:
    """What to write into the block's directory, and the command that runs it."""

    source: str
    files: dict[str, str]
    argv: list[str]
    reserve_mb: int = 0


@cache
def _rustc() -> str | None:
    """The real ``rustc`` (not rustup's proxy, which needs ``$HOME`` to find toolchains)."""
    proxy = shutil.which("rustc")
    if proxy is None:
        return None
    try:
        sysroot = subprocess.run(
            [proxy, "--print", "sysroot"], capture_output=True, text=True, timeout=30, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return proxy
    real = Path(sysroot) / "bin" / "rustc"
    return str(real) if real.is_file() else proxy


def read_roots(toolchains: tuple[str, ...]) -> tuple[str, ...]:
    """Where the opted-in toolchains live, when outside the system folders the sandbox
    already reads (rustup's toolchain in a home folder, Go in ``/usr/local/go`` …)."""
    roots: list[str] = []
    if "rust" in toolchains and installed("rust"):
        rustc = _rustc()
        if rustc is not None:
            roots.append(str(Path(rustc).resolve().parent.parent))
    if "go" in toolchains and installed("go"):
        roots.append(str(Path(str(shutil.which("go"))).resolve().parent.parent))
    return tuple(roots)


@cache
def installed(toolchain: str) -> bool:
    """Whether ``toolchain`` can run here."""
    tools = {"go": ["go"], "rust": ["rustc"], "java": ["java"], "c": ["cc"], "cpp": ["c++"]}
    return all(shutil.which(t) for t in tools.get(toolchain, ["-"]))


def program(example: Example, toolchains: tuple[str, ...]) -> Program | None:
    """The program ``example`` is, when its toolchain is opted in and installed and the
    block is a complete program with a ``run`` (or ``raises``) tier; else ``None``."""
    toolchain = TOOLCHAIN_OF.get(example.language)
    if toolchain is None or toolchain not in toolchains or not installed(toolchain):
        return None
    if example.tier not in {Tier.RUN, Tier.RAISES}:
        return None
    code = example.code
    if not _COMPLETE[toolchain].search(code):
        return None
    sh = shutil.which("sh") or "/bin/sh"
    if toolchain == "go":
        return Program("main.go", {"main.go": code}, [str(shutil.which("go")), "run", "main.go"])
    if toolchain == "rust":
        compile_ = f"{_rustc()} --edition 2021 -o main main.rs"
        return Program("main.rs", {"main.rs": code}, [sh, "-c", f"{compile_} && ./main"])
    if toolchain == "java":
        found = _JAVA_CLASS.search(code)
        name = f"{found.group(1) if found else 'Main'}.java"
        java = str(shutil.which("java"))
        flags = "-Xmx256m -Xss1m -XX:ReservedCodeCacheSize=64m -XX:MaxMetaspaceSize=128m"
        argv = [java, *flags.split(), "-XX:TieredStopAtLevel=1", name]
        return Program(name, {name: code}, argv, _RESERVE_MB["java"])
    compiler, name = (
        (shutil.which("cc"), "main.c")
        if toolchain == "c"
        else (
            shutil.which("c++"),
            "main.cpp",
        )
    )
    return Program(name, {name: code}, [sh, "-c", f"{compiler} -o main {name} && ./main"])


def request(example: Example, prog: Program, timeout: float, memory_mb: int) -> dict[str, Any]:
    """The fork server's ``command`` request for ``prog`` (compiling counts in its time)."""
    return {
        "op": "block",
        "kind": "command",
        "argv": prog.argv,
        "files": prog.files,
        "path": example.path,
        "code": "",
        "lines": [example.first_line],
        "timeout": max(timeout, _COMPILE_LIMIT_S),
        "memory_mb": memory_mb,
        "reserve_mb": prog.reserve_mb,
    }


def interpret(example: Example, prog: Program, outcome: Mapping[str, Any]) -> ExampleResult:
    """The command's outcome as a result at the persona's line."""
    output = str(outcome.get("output", ""))
    duration = float(outcome.get("duration", 0.0))
    if outcome.get("status") == "passed":
        if example.tier is Tier.RAISES:
            return ExampleResult(
                example,
                Status.FAILED,
                "PKB605",
                "DidNotRaise",
                f"expected {example.raises}; the program exited with status 0",
                example.first_line,
                output=output,
                duration=duration,
                toolchain=True,
            )
        return ExampleResult(
            example, Status.PASSED, output=output, duration=duration, toolchain=True
        )
    if example.tier is Tier.RAISES and outcome.get("kind") == "ExitStatus":
        return ExampleResult(example, Status.PASSED, duration=duration, toolchain=True)
    where = re.search(rf"{re.escape(prog.source)}:(\d+)", output)
    line = example.source_line(int(where.group(1))) if where else example.first_line
    kind = str(outcome.get("kind", "")) or "ExitStatus"
    message = str(outcome.get("message", ""))
    problem = _first_error(output)
    if problem:
        message = f"{message}: {problem}" if message else problem
    return ExampleResult(
        example,
        Status.FAILED,
        "PKB600",
        kind,
        message,
        line,
        example.path,
        output=output,
        duration=duration,
        toolchain=True,
    )


def _first_error(output: str) -> str:
    for row in output.splitlines():
        text = row.strip()
        if re.search(r"\berror\b|Exception|panic", text):
            return text[:300]
    return ""
