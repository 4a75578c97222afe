"""Opt-in toolchains: complete Rust, Java, C and C++ programs compile and run in the sandbox,
errors land on the persona's line; off by default, and fragments are only parsed."""

from __future__ import annotations

from pathlib import Path

import pytest
from examples_helpers import block, check, only
from persona_kb._internal.checks.examples.report import Status
from persona_kb._internal.checks.examples.toolchains import installed
from persona_kb._internal.checks.examples.worker_client import ForkServer

RUST_PANIC = """\
fn main() {
    let v = vec![1, 2];
    println!("{}", v[5]);
}
"""
JAVA_OK = """\
public class Hello {
    public static void main(String[] args) {
        System.out.println("hello " + args.length);
    }
}
"""
C_COMPILE_ERROR = """\
#include <stdio.h>
int main(void) {
    printf("%d\\n", not_declared);
    return 0;
}
"""


def _needs(toolchain: str) -> None:
    if not installed(toolchain):
        pytest.skip(f"the {toolchain} toolchain is not installed here")


def test_off_by_default_a_complete_program_is_only_parsed() -> None:
    result = only(check(block(RUST_PANIC, language="rust")))
    assert (result.status, result.coverage_kind) == (Status.PASSED, "parsed")


def test_a_rust_panic_is_reported_at_the_persona_line() -> None:
    _needs("rust")
    result = only(check(block(RUST_PANIC, language="rust", first=20), toolchains=("rust",)))
    assert (result.status, result.coverage_kind) == (Status.FAILED, "executed")
    assert result.span.line == 22  # line 3 of the block
    assert "panicked" in result.message


def test_a_java_program_runs() -> None:
    _needs("java")
    result = only(check(block(JAVA_OK, language="java"), toolchains=("java",), timeout=60.0))
    assert (result.status, result.coverage_kind) == (Status.PASSED, "executed"), result.message
    assert "hello 0" in result.output


def test_a_c_compile_error_is_reported_at_the_persona_line() -> None:
    _needs("c")
    result = only(check(block(C_COMPILE_ERROR, language="c", first=40), toolchains=("c",)))
    assert result.status is Status.FAILED
    assert result.span.line == 42
    assert "not_declared" in result.message


def test_a_fragment_is_not_run_even_when_opted_in() -> None:
    _needs("rust")
    result = only(check(block("let x = 1;\n", language="rust"), toolchains=("rust",)))
    assert (result.status, result.coverage_kind) == (Status.PASSED, "parsed")


def test_a_program_is_held_by_the_same_sandbox(tmp_path: Path) -> None:
    _needs("c")
    planted = tmp_path / "planted.txt"
    code = f"""\
    #include <stdio.h>
    #include <stdlib.h>
    int main(void) {{
        const char *secret = getenv("SECRET_TOKEN");
        printf("token=%s\\n", secret ? secret : "none");
        FILE *f = fopen("{planted}", "w");
        printf(f ? "written\\n" : "refused\\n");
        return 0;
    }}
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SECRET_TOKEN", "pkb-toolchain-secret")
        result = only(check(block(code, language="c"), toolchains=("c",)))
    assert result.status is Status.PASSED, result.message
    assert "token=none" in result.output
    with ForkServer() as server:
        enforced = "\n".join(server.sandbox()["enforced"])
    if "Landlock" not in enforced:
        pytest.skip(f"Landlock is not enforced here:\n{enforced}")
    assert "refused" in result.output
    assert not planted.exists()
