"""The package's layers: data flows one way (paper -> methods -> trial -> reconstruction ->
ledger -> display -> chapters -> results -> diff -> cli). Imports only go down or sideways inside
a layer, never in a cycle, never by importlib; no module is longer than 450 lines."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "vah"
#: Layers from the bottom up; a module may import its own layer or any layer below it.
LAYERS = ["errors", "vocabulary", "paper", "stats", "trial", "reconstruction", "ledger",
          "display", "chapters", "results", "diff", "cli"]
MAX_LINES = 450


def module_name(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    """The layer of a ``vah`` module; ``vah`` itself (its version) is the ground."""
    parts = module.split(".")
    return -1 if len(parts) == 1 else LAYERS.index(parts[1])


def imports(path: Path, package: Path) -> set[str]:
    """Every ``vah`` module that ``path`` imports, at any depth of its code."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "vah"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] == "vah":
                found.add(node.module)
                # "from vah.stats import binomial" imports the module vah.stats.binomial
                for alias in node.names:
                    sub = package.parent.joinpath(*node.module.split("."), alias.name)
                    if sub.with_suffix(".py").exists() or (sub / "__init__.py").exists():
                        found.add(f"{node.module}.{alias.name}")
    return found


def graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    return {module_name(p, package): imports(p, package) for p in sorted(package.rglob("*.py"))}


def upward_imports(g: dict[str, set[str]]) -> list[str]:
    return [f"{m} (layer {LAYERS[layer(m)]}) imports {t} (layer {LAYERS[layer(t)]})"
            for m, targets in g.items() for t in sorted(targets)
            if t in g and layer(t) > layer(m)]


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Import cycles between modules (a package imports its own face only from outside)."""
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for target in sorted(g.get(node, ())):
            if target == node or node.startswith(target + "."):
                continue  # a submodule importing its package's face runs it first: no loop
            if state.get(target) == "open":
                found.append(path[path.index(target):] + [target] if target in path
                             else [node, target])
            elif target not in state:
                visit(target, path + [target])
        state[node] = "done"

    for module in g:
        if module not in state:
            visit(module, [module])
    return found


def test_every_module_is_in_a_layer():
    unknown = [m for m in graph() if len(m.split(".")) > 1 and m.split(".")[1] not in LAYERS]
    assert not unknown, f"modules outside the layers {LAYERS}: {unknown}"


def test_imports_only_go_down():
    assert not upward_imports(graph())


def test_no_import_cycle():
    assert not cycles(graph())


def test_no_importlib_in_the_package():
    users = [str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*.py")
             if "importlib" in p.read_text() or "__import__(" in p.read_text()]
    assert not users


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")),
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_over_450_lines(path):
    lines = len(path.read_text().splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines"


def test_the_checks_catch_a_planted_upward_import_and_cycle(tmp_path):
    package = tmp_path / "vah"
    for rel, text in {"__init__.py": "", "paper/__init__.py": "",
                      "paper/a.py": "from vah.ledger import b\n",
                      "ledger/__init__.py": "", "ledger/b.py": "from vah.paper import a\n"}.items():
        (package / rel).parent.mkdir(parents=True, exist_ok=True)
        (package / rel).write_text(text)
    g = graph(package)
    assert "vah.paper.a (layer paper) imports vah.ledger.b (layer ledger)" in upward_imports(g)
    assert cycles(g)
