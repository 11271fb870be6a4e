"""Every import of dctheory, derivations and validation is declared by a dependency list of pyproject.toml.

Two checks, both of which name the offending import:

* static: every non-standard-library ``import`` in the source (lazy imports inside functions included)
  belongs to a distribution that the base dependencies or one of the extras declare directly (a package
  that only arrives through another one's requirements, as threadpoolctl through scikit-learn, does not
  count: the other one may drop it);
* dynamic: in a fresh interpreter that can import only the base install (the base dependencies and what
  they require, everything else hidden by an import hook), then in one with each extra added, every module
  of the three packages imports, or fails only on a module that an extra missing there declares.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dctheory", "derivations", "validation")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement(text: str) -> tuple[str, list[str]]:
    """(canonical distribution name, its extras) of a requirement string such as ``dask[distributed]>=2024.1``."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?", text)
    return canonical(match.group(1)), [e.strip() for e in (match.group(2) or "").split(",") if e.strip()]


def declared(requirements: list[str]) -> set[str]:
    """The distributions the requirements name, with those their named extras add (dask[distributed])."""
    names = set()
    for text in requirements:
        name, extras = requirement(text)
        names.add(name)
        for extra in extras:
            for sub in metadata.requires(name) or []:
                if re.search(rf"extra\s*==\s*['\"]{re.escape(extra)}['\"]", sub):
                    names.add(requirement(sub)[0])
    return names


BASE = declared(PROJECT["dependencies"])
EXTRAS = {extra: declared(reqs) for extra, reqs in PROJECT["optional-dependencies"].items()}
IMPORT_NAMES = {top: {canonical(d) for d in dists} for top, dists in metadata.packages_distributions().items()}


def third_party_imports(path: Path):
    """(line, top-level name) of every import in a file that is neither standard library nor this project."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.partition(".")[0]
            if top not in sys.stdlib_module_names and top not in PACKAGES and top != "__future__":
                yield node.lineno, top


def test_every_import_in_the_source_is_declared():
    everything = BASE.union(*EXTRAS.values())
    undeclared = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            for line, top in third_party_imports(path):
                if not IMPORT_NAMES.get(top, {top}) & everything:
                    undeclared.append(
                        f"{path.relative_to(ROOT)}:{line} imports {top} "
                        f"(distribution {sorted(IMPORT_NAMES.get(top, {top}))}), declared nowhere"
                    )
    assert not undeclared, "\n".join(undeclared)


_PROBE = r"""
import importlib, importlib.abc, json, pkgutil, re, sys
from importlib import metadata

allowed_roots = set(json.loads(sys.argv[1]))
canonical = lambda name: re.sub(r"[-_.]+", "-", name).lower()

def closure(names):
    # the distributions the roots require, transitively (markers evaluated for this interpreter, no extras)
    from packaging.requirements import Requirement
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for text in requires:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonical(req.name))
    return seen

allowed = closure(allowed_roots | {"dctheory"})
hidden = {top for top, dists in metadata.packages_distributions().items()
          if top not in sys.stdlib_module_names and not {canonical(d) for d in dists} & allowed}
hidden -= {"dctheory", "derivations", "validation"}

class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        top = name.partition(".")[0]
        if top in hidden:
            raise ModuleNotFoundError(f"No module named {top!r}", name=top)
        return None

sys.meta_path.insert(0, Hide())
failures = {}
for package in ("dctheory", "derivations", "validation"):
    root = importlib.import_module(package)
    modules = [package] + [info.name for info in pkgutil.walk_packages(root.__path__, package + ".")]
    for module in modules:
        if module.endswith("__main__"):  # runs the command line when imported
            continue
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            failures[module] = (error.name or "").partition(".")[0]
print(json.dumps(failures))
"""


def probe(roots: set[str]) -> dict[str, str]:
    """module -> the top-level module it could not import, in an interpreter that sees only ``roots``."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(sorted(roots))], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("extra", [None, *sorted(EXTRAS)])
def test_every_module_imports_with_the_base_install_and_each_extra(extra):
    roots = BASE | (EXTRAS[extra] if extra else set())
    wrong = []
    for module, missing in probe(roots).items():
        owners = {name for name, dists in EXTRAS.items() if IMPORT_NAMES.get(missing, {missing}) & dists}
        if not owners or extra in owners:
            wrong.append(
                f"{module} needs {missing}, which "
                + (f"the extra {extra!r} declares but did not provide" if owners else "no dependency list declares")
            )
    assert not wrong, f"with the base install{f' and [{extra}]' if extra else ''}:\n" + "\n".join(wrong)


def test_the_nn_modules_import_with_the_nn_extra():
    # The probe is not vacuous: the modules that need torch fail without it, and import with it.
    missing = probe(BASE)
    assert any(module.startswith("validation.nn") for module in missing), missing
    assert not any(module.startswith("validation.nn") for module in probe(BASE | EXTRAS["nn"]))


def test_every_file_a_config_names_ships_with_the_package():
    # A non-editable install has only the package data: a config that names a file outside it fails there.
    import fnmatch

    from validation.experiment import CONFIG_DIR

    shipped = PYPROJECT["tool"]["setuptools"]["package-data"]["validation"]
    patterns = [f"validation/{glob}" for glob in shipped]
    advise = json.loads((CONFIG_DIR / "advise.json").read_text())
    named = [*advise["settings"].values(), *advise["quick"]["settings"].values()]
    assert named
    for relative in named:
        path = (CONFIG_DIR / relative).resolve()
        inside = path.relative_to(ROOT).as_posix()
        assert path.is_file() and any(fnmatch.fnmatch(inside, pattern) for pattern in patterns), relative
