"""The package's shape: no import cycles, no private names across modules, modules of one size.

These checks read the source with ``ast``; nothing is imported, so they are fast and catch a
cycle that a lazy import inside a function would hide at import time.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "pipeline"
MAX_LINES = 450  # a module longer than this holds more than one concern
# Code that may take the whole Params: the places that load it and hand out its sections.
WHOLE_PARAMS_ALLOWED = {"pipeline.params", "pipeline.workflow", "pipeline.cli"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def _resolve(module: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _imported(module: str) -> list[tuple[str, str | None, int]]:
    """``(target module, imported name or None, line)`` for every pipeline import, at any depth."""
    found = []
    for node in ast.walk(TREES[module]):
        if isinstance(node, ast.Import):
            found += [(a.name, None, node.lineno) for a in node.names if a.name in MODULES]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            if target not in MODULES:
                continue
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in MODULES:
                    found.append((submodule, None, node.lineno))
                else:
                    found.append((target, alias.name, node.lineno))
    return found


def _graph() -> dict[str, set[str]]:
    graph = {}
    for module in MODULES:
        edges = {target for target, _, _ in _imported(module) if target != module}
        # importing pipeline.a.b runs pipeline/a/__init__.py first
        edges |= {p for p in _parents(module) if p in MODULES and p != module}
        graph[module] = edges
    return graph


def _parents(module: str) -> list[str]:
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
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
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_package_has_no_import_cycle() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_module_imports_another_modules_private_names() -> None:
    offences = [
        f"{MODULES[module].relative_to(ROOT)}:{line} imports {name} from {target}"
        for module in MODULES
        for target, name, line in _imported(module)
        if name and name.startswith("_") and not name.startswith("__") and target != module
    ]
    assert offences == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_stays_small(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module} has {lines} lines; split it by concern"


def _takes_whole_params(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            args = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            for arg in args:
                annotation = ast.unparse(arg.annotation) if arg.annotation else ""
                if annotation.replace("'", "").replace('"', "") in {"Params", "Params | None"}:
                    names.append(f"{node.name}({arg.arg})")
    return names


@pytest.mark.parametrize("module", sorted(set(MODULES) - WHOLE_PARAMS_ALLOWED))
def test_library_code_receives_params_sections_not_the_whole_params(module: str) -> None:
    """A function that takes its sections says what it reads; DVC can then declare it."""
    assert _takes_whole_params(TREES[module]) == []


def test_package_inits_import_nothing_from_their_siblings() -> None:
    """Importing one module of a subpackage must not import (and so depend on) the others."""
    heavy = []
    for module, path in MODULES.items():
        if path.name != "__init__.py" or module in {"pipeline", "pipeline.stages"}:
            continue
        if any(target.startswith(module + ".") for target, _, _ in _imported(module)):
            heavy.append(module)
    assert heavy == []
