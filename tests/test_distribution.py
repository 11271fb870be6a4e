"""The sdist and the wheel build, pass ``twine check``, carry what they should, and the wheel runs.

``python -m build`` writes the sdist and builds the wheel from it; the wheel must hold the generated formula module, the finite-size data
and the validation configs, and nothing from tests/ or docs/ (nor build outputs); the sdist also carries
the project files (license, citation, changelog) and the tests. The wheel is then installed into a fresh
virtual environment, outside the checkout, where ``dctheory demo`` and ``dctheory latex --all`` must run
and the LaTeX document must equal the one the checkout writes. Needs the ``dev`` extra (build, twine)
and the package index that installs the dependencies (slow: about a minute).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tarfile
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
REQUIRED_IN_WHEEL = {
    "dctheory/_formulas.py",
    "dctheory/finite_size.json",
    "dctheory/cli.py",
    "derivations/build.py",
    *(f"validation/configs/{path.name}" for path in (ROOT / "validation" / "configs").glob("*.json")),
    f"dctheory-{VERSION}.dist-info/licenses/LICENSE",
    f"dctheory-{VERSION}.dist-info/entry_points.txt",
}

pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(arg) for arg in args], cwd=cwd, capture_output=True, text=True, env=env)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    missing = [name for name in ("build", "twine") if importlib.util.find_spec(name) is None]
    if missing and os.environ.get("CI"):
        pytest.fail(f"CI must install the dev extra; missing: {', '.join(missing)}")
    if missing:
        pytest.skip(f"needs the dev extra ({', '.join(missing)})")
    out = tmp_path_factory.mktemp("dist")
    # No --sdist/--wheel: the wheel is built from the sdist, which proves the sdist complete (and leaves
    # no build/ folder in the checkout).
    run(sys.executable, "-m", "build", "--outdir", out, ROOT)
    return out


def test_contract_build_makes_one_sdist_and_one_wheel_that_twine_accepts(dist):
    assert sorted(path.name for path in dist.iterdir()) == [
        f"dctheory-{VERSION}-py3-none-any.whl",
        f"dctheory-{VERSION}.tar.gz",
    ]
    run(sys.executable, "-m", "twine", "check", "--strict", *dist.iterdir())


def test_contract_wheel_holds_generated_module_configs_and_data_and_no_tests_or_docs(dist):
    names = set(zipfile.ZipFile(next(dist.glob("*.whl"))).namelist())
    assert REQUIRED_IN_WHEEL <= names, sorted(REQUIRED_IN_WHEEL - names)
    tops = {name.split("/")[0] for name in names}
    assert tops == {"dctheory", "derivations", "validation", f"dctheory-{VERSION}.dist-info"}
    assert not [name for name in names if "__pycache__" in name or name.endswith(".pyc") or "_build" in name]


def test_contract_sdist_holds_project_files_and_tests_and_no_build_outputs(dist):
    prefix = f"dctheory-{VERSION}/"
    names = {name.removeprefix(prefix) for name in tarfile.open(next(dist.glob("*.tar.gz"))).getnames()}
    assert {
        "pyproject.toml",
        "README.md",
        "LICENSE",
        "CITATION.cff",
        "CHANGELOG.md",
        "CONTRIBUTING.md",
        "dctheory/_formulas.py",
        "dctheory/finite_size.json",
        "validation/configs/fig7b.json",
        "tests/__init__.py",
        "tests/data/reference_results.json",
        "docs/conf.py",
        "docs/theory.md",
    } <= names
    assert not [
        name
        for name in names
        if name.startswith(("docs/_build", ".venv", "dctheory-out", "results/", "build/")) or "__pycache__" in name
    ]


def test_contract_wheel_runs_demo_and_latex_in_a_fresh_environment(dist, tmp_path):
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", next(dist.glob("*.whl")))
    work = tmp_path / "work"  # outside the checkout: only the installed wheel can be imported
    work.mkdir()
    environ = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    environ["MPLBACKEND"] = "Agg"
    where = run(
        python, "-c", "import dctheory, derivations, validation; print(dctheory.__file__)", cwd=work, env=environ
    )
    assert Path(where.stdout.strip()).is_relative_to(env_dir)
    dctheory = env_dir / "bin" / "dctheory"
    assert run(dctheory, "--version", cwd=work, env=environ).stdout.strip() == f"dctheory {VERSION}"
    demo = run(dctheory, "demo", cwd=work, env=environ)
    assert "hessian" in demo.stdout and (work / "dctheory-out" / "demo-fig7b.png").stat().st_size > 10_000
    run(dctheory, "latex", "--all", "theory.tex", cwd=work, env=environ)
    run(
        sys.executable,
        "-m",
        "dctheory",
        "latex",
        "--all",
        tmp_path / "checkout.tex",
        env={**environ, "PYTHONPATH": str(ROOT)},
    )
    installed = (work / "theory.tex").read_text()
    assert installed.startswith("\\documentclass") and installed == (tmp_path / "checkout.tex").read_text()
    assert "validate" in run(dctheory, "--help", cwd=work, env=environ).stdout  # the entry-point plugin
