"""The import contract: the package's folders are layers, and imports only go down.

adapters → checks → config → kb → ingest → markdown → core. Only ``adapters/`` may import
MkDocs, ProperDocs or pytest, and no two modules import each other, directly or in a
ring, counting the imports inside functions too (they hide cycles as well as costs).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "persona_kb"

LAYERS = ("core", "markdown", "ingest", "kb", "config", "checks", "adapters")
"""Bottom to top: a module may import its own layer and the layers before it."""

HOSTS = frozenset({"mkdocs", "properdocs", "pytest", "_pytest", "material"})
"""Top-level packages only the adapters may import."""

MAX_LINES = 420
"""'No module over ~400 lines': the budget, with a little slack for a docstring."""


def module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str, package_name: str) -> str | None:
    prefix = f"{package_name}._internal."
    if not module.startswith(prefix):
        return None
    return module[len(prefix) :].split(".", 1)[0]


def imports_of(path: Path, module: str, known: set[str]) -> Iterator[tuple[str, int]]:
    """Every module ``path`` imports (anywhere in it), with the line.

    ``from pkg import name`` imports the module ``pkg.name`` when there is one (the
    package's ``__init__`` is then only its parent, as for any submodule), else ``pkg``.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                yield (submodule if submodule in known else target), node.lineno


def violations(package: Path) -> list[str]:
    """Every broken rule of the contract in ``package``, as ``path:line: message``."""
    name = package.name
    modules = {module_name(p, package): p for p in sorted(package.rglob("*.py"))}
    problems: list[str] = []
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        shown = path.relative_to(package.parent).as_posix()
        own = layer_of(module, name)
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            problems.append(f"{shown}:1: {lines} lines; split the module (budget {MAX_LINES})")
        for target, line in imports_of(path, module, set(modules)):
            top = target.split(".", 1)[0]
            if top in HOSTS and own != "adapters":
                problems.append(f"{shown}:{line}: imports {target}; only adapters/ may")
            if target in modules and target != module:
                graph[module].add(target)
                theirs = layer_of(target, name)
                if own in LAYERS and theirs in LAYERS and LAYERS.index(theirs) > LAYERS.index(own):
                    problems.append(f"{shown}:{line}: {own}/ imports {target} ({theirs}/ is above)")
    problems.extend(f"import cycle: {' -> '.join(cycle)}" for cycle in cycles(graph))
    return problems


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_keeps_the_import_contract() -> None:
    assert violations(PACKAGE) == []


def test_every_module_is_in_a_layer() -> None:
    internal = PACKAGE / "_internal"
    stray = sorted(p.name for p in internal.iterdir() if p.suffix == ".py" and p.stem != "__init__")
    folders = sorted(p.name for p in internal.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert stray == []
    assert folders == sorted(LAYERS)


def write(root: Path, relative: str, text: str = "") -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    """A small package laid out like ours, keeping the contract."""
    package = tmp_path / "toy"
    for layer in LAYERS:
        write(package, f"_internal/{layer}/__init__.py")
    write(package, "__init__.py")
    write(package, "_internal/__init__.py")
    write(package, "_internal/core/model.py", "X = 1\n")
    write(package, "_internal/kb/build.py", "from toy._internal.core.model import X\n")
    write(
        package,
        "_internal/adapters/plugin.py",
        "import mkdocs\nfrom toy._internal.kb import build\n",
    )
    return package


def test_the_contract_holds_for_a_clean_package(toy: Path) -> None:
    assert violations(toy) == []


def test_an_upward_import_fails_the_contract(toy: Path) -> None:
    write(toy, "_internal/core/model.py", "def f():\n    from toy._internal.kb.build import X\n")
    assert violations(toy) == [
        "toy/_internal/core/model.py:2: core/ imports toy._internal.kb.build (kb/ is above)",
        "import cycle: toy._internal.core.model -> toy._internal.kb.build",
    ]


def test_a_host_import_outside_the_adapters_fails_the_contract(toy: Path) -> None:
    write(toy, "_internal/kb/build.py", "from pytest import fixture\n")
    assert violations(toy) == [
        "toy/_internal/kb/build.py:1: imports pytest; only adapters/ may",
    ]


def test_a_cycle_within_one_layer_fails_the_contract(toy: Path) -> None:
    write(toy, "_internal/kb/a.py", "from toy._internal.kb import b\n")
    write(toy, "_internal/kb/b.py", "import toy._internal.kb.a\n")
    assert violations(toy) == ["import cycle: toy._internal.kb.a -> toy._internal.kb.b"]


def test_a_long_module_fails_the_contract(toy: Path) -> None:
    write(toy, "_internal/kb/long.py", "X = 1\n" * (MAX_LINES + 1))
    assert violations(toy) == [
        f"toy/_internal/kb/long.py:1: {MAX_LINES + 1} lines; split the module (budget {MAX_LINES})"
    ]
