"""Syntax checks for every language a grammar wheel ships: Go, Java, Kotlin, Swift, C#, Rust …

Each grammar comes from its own PyPI wheel (``tree-sitter-go`` …), compiled into the wheel:
nothing is downloaded or built at run time. A grammar that is not installed simply leaves its
language unchecked (counted, never passed). A block with a syntax error is reported at the
first ``ERROR`` or ``MISSING`` node, which becomes the persona's line.
"""

from __future__ import annotations

import importlib
import warnings
from functools import cache
from typing import Any

_GRAMMARS: dict[str, tuple[str, str]] = {
    "go": ("tree_sitter_go", "language"),
    "java": ("tree_sitter_java", "language"),
    "kotlin": ("tree_sitter_kotlin", "language"),
    "swift": ("tree_sitter_swift", "language"),
    "csharp": ("tree_sitter_c_sharp", "language"),
    "rust": ("tree_sitter_rust", "language"),
    "ruby": ("tree_sitter_ruby", "language"),
    "php": ("tree_sitter_php", "language_php"),
    "php-only": ("tree_sitter_php", "language_php_only"),
    "sql": ("tree_sitter_sql", "language"),
    "html": ("tree_sitter_html", "language"),
    "css": ("tree_sitter_css", "language"),
    "javascript": ("tree_sitter_javascript", "language"),
    "jsx": ("tree_sitter_javascript", "language"),
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "c": ("tree_sitter_c", "language"),
    "cpp": ("tree_sitter_cpp", "language"),
    "scala": ("tree_sitter_scala", "language"),
    "lua": ("tree_sitter_lua", "language"),
    "dockerfile": ("tree_sitter_dockerfile", "language"),
}
"""Checked language → (grammar module, function returning the compiled grammar)."""

TREE_LANGUAGES = frozenset(_GRAMMARS) - {"php-only"}
"""Languages with a grammar, whether or not its wheel is installed here."""


@cache
def _parser(language: str) -> Any:
    """A tree-sitter parser for ``language``, or ``None`` when its grammar is not installed."""
    try:
        import tree_sitter

        module_name, function = _GRAMMARS[language]
        module = importlib.import_module(module_name)
        with warnings.catch_warnings():
            # Older grammar wheels hand over an int pointer; tree-sitter warns and accepts it.
            warnings.simplefilter("ignore", DeprecationWarning)
            grammar = tree_sitter.Language(getattr(module, function)())
        return tree_sitter.Parser(grammar)
    except (ImportError, AttributeError, KeyError, ValueError, TypeError):
        return None


def grammar_installed(language: str) -> bool:
    """Whether ``language`` can be parsed here."""
    return language in TREE_LANGUAGES and _parser(language) is not None


def _first_problem(node: Any) -> Any:
    """The first ``ERROR`` or ``MISSING`` node in document order, or ``None``."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.is_missing or current.type == "ERROR":
            return current
        if current.has_error:
            stack.extend(reversed(current.children))
    return None


def check_tree(language: str, code: str) -> tuple[int, str] | None:
    """``None`` when ``code`` parses as ``language``, else ``(1-based line, message)``.

    Raises ``KeyError`` for a language without a grammar installed here.
    """
    if language == "php" and "<?php" not in code and "<?=" not in code:
        language = "php-only"  # a fragment without the opening tag is still PHP
    parser = _parser(language)
    if parser is None:
        raise KeyError(language)
    source = code.encode("utf-8")
    tree = parser.parse(source)
    if not tree.root_node.has_error:
        return None
    problem = _first_problem(tree.root_node)
    if problem is None:
        return 1, "syntax error"
    line = problem.start_point[0] + 1
    if problem.is_missing:
        return line, f"syntax error: missing {problem.type!r}"
    text = source[problem.start_byte : problem.end_byte].decode("utf-8", "replace")
    first = " ".join(text.split("\n", 1)[0].split())[:60]
    return line, f"syntax error at {first!r}" if first else "syntax error"
