"""Compile a python example under its source path, with every line at its source line.

Tracebacks and SyntaxErrors then point at the persona file itself, with no frame
forging: contiguous blocks are padded with blank lines, non-contiguous ones (a
pattern half that keeps its preamble) have their AST line numbers remapped.
"""

from __future__ import annotations

import ast
import builtins
import itertools
import symtable
from dataclasses import dataclass
from types import CodeType

COMPILE_FLAGS = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
"""Top-level ``await`` is allowed; the worker runs such a block in an event loop."""


@dataclass(frozen=True, slots=True)
class CompileError:
    """Why a block does not compile, at its source line."""

    line: int
    kind: str
    message: str


def _contiguous(lines: tuple[int, ...]) -> bool:
    return all(b == a + 1 for a, b in itertools.pairwise(lines))


def padded_source(code: str, lines: tuple[int, ...]) -> str | None:
    """``code`` preceded by blank lines so that its first line lands on ``lines[0]``.

    ``None`` when the lines are not contiguous (the AST is remapped instead).
    """
    if not lines:
        return code
    if not _contiguous(lines):
        return None
    return "\n" * (lines[0] - 1) + code


def _remap(tree: ast.AST, lines: tuple[int, ...]) -> None:
    last = len(lines)
    for node in ast.walk(tree):
        for attr in ("lineno", "end_lineno"):
            value = getattr(node, attr, None)
            if isinstance(value, int) and value >= 1:
                setattr(node, attr, lines[min(value, last) - 1])


def compile_example(code: str, path: str, lines: tuple[int, ...]) -> CodeType | CompileError:
    """Compile ``code`` as module code named ``path`` with source lines ``lines``.

    Returns the code object, or a [`CompileError`][] at the source line (never raises
    for bad input).
    """
    padded = padded_source(code, lines)
    try:
        if padded is not None:
            code_object: CodeType = compile(
                padded, path, "exec", flags=COMPILE_FLAGS, dont_inherit=True
            )
            return code_object
        tree = compile(code, path, "exec", flags=ast.PyCF_ONLY_AST | COMPILE_FLAGS)
    except SyntaxError as exc:
        line = exc.lineno or 1
        if padded is None and lines:
            line = lines[min(max(line, 1), len(lines)) - 1]
        return CompileError(line, type(exc).__name__, exc.msg)
    except (ValueError, MemoryError, RecursionError) as exc:  # null bytes, absurd nesting
        return CompileError(lines[0] if lines else 1, type(exc).__name__, str(exc))
    _remap(tree, lines)
    try:
        remapped: CodeType = compile(tree, path, "exec", flags=COMPILE_FLAGS, dont_inherit=True)
        return remapped
    except SyntaxError as exc:  # symbol-table errors carry already-remapped lines
        return CompileError(exc.lineno or lines[0], type(exc).__name__, exc.msg)


def _walk_tables(table: symtable.SymbolTable) -> list[symtable.SymbolTable]:
    out = [table]
    for child in table.get_children():
        out.extend(_walk_tables(child))
    return out


def defined_names(code: str) -> frozenset[str]:
    """Names that module code binds at the top level (assignments, imports, defs)."""
    try:
        table = symtable.symtable(code, "<prelude>", "exec")
    except (SyntaxError, ValueError):
        return frozenset()
    return frozenset(
        s.get_name()
        for s in table.get_symbols()
        if s.is_assigned() or s.is_imported() or s.is_namespace()
    )


def undefined_names(code: str, known: frozenset[str] = frozenset()) -> dict[str, int]:
    """Global names ``code`` reads but neither binds, imports, nor finds in ``known``.

    Returns ``{name: code line of its first use}`` (1-based, in ``code``'s own
    lines); builtins never count. A module with ``import *`` reports nothing.
    """
    try:
        tree = compile(code, "<example>", "exec", flags=ast.PyCF_ONLY_AST | COMPILE_FLAGS)
        table = symtable.symtable(code, "<example>", "exec")
    except (SyntaxError, ValueError):
        return {}
    if any(isinstance(n, ast.ImportFrom) and n.names[0].name == "*" for n in ast.walk(tree)):
        return {}
    bound = defined_names(code) | known | frozenset(dir(builtins)) | {"__name__", "__file__"}
    wanted: set[str] = set()
    for t in _walk_tables(table):
        for s in t.get_symbols():
            name = s.get_name()
            if name in bound or not s.is_referenced():
                continue
            if t.get_type() == "module" or s.is_global():
                wanted.add(name)
    first: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in wanted:
            first[node.id] = min(first.get(node.id, node.lineno), node.lineno)
    return dict(sorted(first.items(), key=lambda kv: (kv[1], kv[0])))


def imported_modules(code: str) -> frozenset[str]:
    """Every module ``code`` imports, dotted (``from a.b import c`` → ``a.b`` and ``a.b.c``).

    ``a.b.c`` may be a name rather than a module; whoever imports these ignores failures.
    Only the import lines are parsed (fast); a multi-line import parses the whole block.
    """
    wanted = [
        line.strip() for line in code.splitlines() if line.lstrip().startswith(("import ", "from "))
    ]
    if not wanted:
        return frozenset()
    source = "\n".join(wanted)
    if any(line.endswith(("(", "\\", ",")) for line in wanted):
        source = code
    try:
        tree = compile(source, "<example>", "exec", flags=ast.PyCF_ONLY_AST | COMPILE_FLAGS)
    except (SyntaxError, ValueError):
        return frozenset()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return frozenset(names)
