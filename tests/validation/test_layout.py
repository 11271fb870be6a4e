"""Contracts of the package layout: no import cycle in validation/, one module per experiment family."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import validation

ROOT = Path(validation.__file__).parent


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> dict[str, set[str]]:
    """{module: validation modules it imports}, counting imports inside functions too."""
    modules = {module_name(p): p for p in ROOT.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text())):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            edges |= {t for t in targets if t in modules and t != name}
        graph[name] = edges
    return graph


def find_cycle(graph):
    """A list of modules forming a cycle, or None (depth-first search)."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_find_cycle_detects_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle_in_validation():
    graph = import_graph()
    assert len(graph) > 20 and "validation.catalog" in graph
    assert find_cycle(graph) is None


def test_catalog_is_the_top_of_the_experiments_graph():
    graph = import_graph()
    experiments = [m for m in graph if m.startswith("validation.experiments.")]
    assert {m.rsplit(".", 1)[1] for m in experiments} == {
        "linear",
        "ridge",
        "rank_one",
        "random_features",
        "advise",
        "theorem1",
        "finite_size",
        "universality",
        "iterative",
    }
    for module in [*experiments, "validation.experiment", "validation.verdicts", "validation.report"]:
        assert not graph[module] & {"validation.catalog", "validation.runner", "validation.cli"}, module
    torch_free = [m for m in graph if m.startswith("validation.nn.")]
    assert not any(m.endswith(("rf_experiment", "random_features")) for m in torch_free)


@pytest.mark.slow
def test_each_experiment_module_imports_alone():
    """Every experiment module imports in a fresh interpreter (no hidden order dependence)."""
    modules = sorted(m for m in import_graph() if m.startswith("validation.experiments."))
    code = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    for module in modules:
        subprocess.run([sys.executable, "-c", code, module], check=True, capture_output=True)
