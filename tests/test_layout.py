"""The layout of the packages: no import cycle in dctheory/ or derivations/ (lazy imports included), engines
and leaves that import nothing above them, no branch on a backend's identity outside the backends, and the
strategy names spelled out in one table."""

import ast
import graphlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dctheory", "derivations")


def _modules(package):
    for path in sorted((ROOT / package).glob("*.py")):
        name = package if path.stem == "__init__" else f"{package}.{path.stem}"
        yield name, path


def _imports(name, path, known):
    """The modules of ``known`` that ``name`` imports anywhere in its text (module level, in functions, under
    TYPE_CHECKING): ``from a import b`` counts as a.b where that is a module, else as a. Importing a
    submodule is not counted as importing its package's __init__ (which Python runs first anyway)."""
    package = name if path.stem == "__init__" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base)
    return {module for module in found if module in known and module != name}


def _graph():
    known = {name: path for package in PACKAGES for name, path in _modules(package)}
    return {name: _imports(name, path, known) for name, path in known.items()}


def _cycle(graph):
    """One import cycle as a list of modules (first = last), or None."""
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as error:
        return error.args[1]
    return None


def test_no_import_cycle():
    graph = _graph()
    assert len(graph) > 30  # both packages were read
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


def test_cycle_finder_finds_a_cycle():
    cycle = _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    assert cycle[0] == cycle[-1] and sorted(cycle[1:]) == ["a", "b", "c"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize(
    "module, allowed",
    [
        # leaves: nothing from dctheory but its errors (and the checks, for the engines' dps)
        ("dctheory.strategies", set()),
        ("dctheory.pipeline", {"dctheory.strategies"}),
        ("dctheory.checks", {"dctheory.errors"}),
        ("dctheory.formula_runtime", set()),
        ("dctheory.engines", {"dctheory.errors", "dctheory.checks", "dctheory.formula_runtime"}),
        ("derivations.registry", set()),
    ],
)
def test_leaves_and_engines_import_nothing_above_them(module, allowed):
    assert _graph()[module] <= allowed


def test_no_backend_identity_branch_outside_the_backends():
    # ``bk is NUMPY`` and the like belong to dctheory/backends.py: the code written against a backend asks
    # the backend, whatever its precision.
    offenders = []
    for name, path in _modules("dctheory"):
        if name == "dctheory.backends":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Compare) and any(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops):
                names = [c.id for c in [node.left, *node.comparators] if isinstance(c, ast.Name)]
                if {"NUMPY", "MP", "ARB"} & set(names):
                    offenders.append(f"{name}:{node.lineno}")
    assert offenders == []


def test_strategy_names_are_spelled_out_in_the_strategies_table_only():
    # String constants equal to a strategy name, docstrings aside. The CLI's JSON record of a certificate
    # (dctheory/_commands.py) names the dense risk of its certified solution as a field.
    from dctheory.strategies import SPARSE_STRATEGIES, STRATEGIES

    names = set(STRATEGIES) | set(SPARSE_STRATEGIES)
    files = set()
    for _name, path in _modules("dctheory"):
        tree = ast.parse(path.read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        if any(
            isinstance(node, ast.Constant) and node.value in names and id(node) not in docstrings
            for node in ast.walk(tree)
        ):
            files.add(path.name)
    assert files <= {"strategies.py", "_commands.py"}, files
