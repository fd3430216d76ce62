"""The package's layers: every import goes down the layer order, or sideways without a circle.

contract < engine < families < views < surfaces (the testing kit is a surface), and the
package's public face (``sagemaker_lite/__init__.py`` and the public shims) above them.
A family imports no other family's folder, only ``families/shared``.  Type-only and
function-level imports count: a circle is a circle whenever it is taken.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "sagemaker_lite"
LAYERS = {
    "_version": 0,
    "_lazy": 0,
    "contract": 0,
    "engine": 1,
    "families": 2,
    "views": 3,
    "surfaces": 4,
    "testing": 4,
}
FACE = 5  # sagemaker_lite/__init__.py, __main__.py and the public shims at the top


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The package modules ``name`` imports, wherever in the file the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import module` imports the module; `from module import name`, the module
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(name: str) -> int:
    parts = name.split(".")
    return LAYERS.get(parts[1], FACE) if len(parts) > 1 else FACE


def _family(name: str) -> str | None:
    parts = name.split(".")
    if len(parts) > 2 and parts[1] == "families" and parts[2] != "shared":
        return parts[2]
    return None


def test_every_folder_says_what_lives_there_and_what_it_may_import() -> None:
    for layer in (name for name in LAYERS if not name.startswith("_")):
        init = PACKAGE / layer / "__init__.py"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), layer


@pytest.mark.parametrize("name", sorted(GRAPH))
def test_imports_go_down_the_layer_order(name: str) -> None:
    upward = sorted(t for t in GRAPH[name] if _layer(t) > _layer(name))
    assert not upward, f"{name} imports a higher layer: {upward}"


@pytest.mark.parametrize("name", sorted(n for n in GRAPH if _family(n)))
def test_a_family_imports_no_other_family(name: str) -> None:
    others = sorted(t for t in GRAPH[name] if _family(t) not in (None, _family(name)))
    assert not others, f"{name} imports another family: {others}"


def test_no_import_circles() -> None:
    # Tarjan's strongly connected components: any component of two or more is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    assert not circles, f"import circles: {circles}"


def test_the_checker_sees_a_circle_and_an_upward_import() -> None:
    # The checks above would pass vacuously if no import were found at all.
    assert "sagemaker_lite.engine.jobs" in GRAPH["sagemaker_lite.engine.scheduler"]
    assert _layer("sagemaker_lite.surfaces.client") > _layer("sagemaker_lite.engine.emulator")
    assert _family("sagemaker_lite.families.tuning.rules") == "tuning"
    assert _family("sagemaker_lite.families.shared.service") is None
