"""The example notebooks of docs/examples execute from top to bottom (their cells also assert numbers).

Each runs in a Jupyter kernel started with this interpreter (a kernelspec written to a temporary
JUPYTER_PATH), so it sees the same dctheory as the tests, with this checkout first on PYTHONPATH.

Their stored outputs (the view on GitHub) must show what the code prints now; refresh them, with every other
documented output, from the repository root with ``python docs/outputs.py`` (the notebooks alone:
``python tests/test_notebooks.py``).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "docs"))
import outputs  # noqa: E402  (docs/outputs.py: the comparison of documented and printed outputs)

EXAMPLES = ROOT / "docs" / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
KERNEL = "dctheory-this-python"


def use_this_interpreter(folder: Path, environ) -> None:
    """Point Jupyter at a kernelspec that runs ``sys.executable``, and put this checkout on PYTHONPATH."""
    spec = folder / "kernels" / KERNEL
    spec.mkdir(parents=True, exist_ok=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python (dctheory tests)",
                "language": "python",
            }
        )
    )
    environ["JUPYTER_PATH"] = str(folder)
    environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    environ["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"


def execute(path: Path, record_timing: bool = True):
    """The executed notebook (nbclient raises CellExecutionError on the first failing cell)."""
    import nbclient
    import nbformat

    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=180,
        # a cell's outputs may arrive after it reports done; on a loaded machine nbclient's default wait (4 s)
        # lost an output (a cell's printed result compared as empty), so wait longer, and fail loudly if not
        iopub_timeout=60,
        raise_on_iopub_timeout=True,
        kernel_name=KERNEL,
        record_timing=record_timing,
        resources={"metadata": {"path": str(EXAMPLES)}},
    )
    client.execute()
    return notebook


def test_contract_there_are_example_notebooks():
    assert {path.stem for path in NOTEBOOKS} >= {
        "train-small-or-prune-large",
        "exporting-formulas",
        "reading-a-validation-run",
    }


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_contract_notebook_executes(path, tmp_path, monkeypatch):
    for module in ("nbclient", "nbformat", "ipykernel", "pandas"):
        pytest.importorskip(module)
    environ = {}
    use_this_interpreter(tmp_path, environ)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    import nbformat

    stored = [cell for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]
    notebook = execute(path)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(cell.execution_count for cell in code)
    assert not [output for cell in code for output in cell.outputs if output.output_type == "error"]
    # The stored outputs (what GitHub shows) are what the code prints now, numbers at their shown precision;
    # ``python docs/outputs.py`` refreshes them.
    for number, (old, new) in enumerate(zip(stored, code), start=1):
        difference = outputs.compare(outputs.notebook_text(old), outputs.notebook_text(new))
        assert difference is None, f"{path.name}, code cell {number}: {difference}"


def main() -> int:
    """Re-execute every notebook and store its outputs (kernelspec metadata left as python3)."""
    import nbformat

    with tempfile.TemporaryDirectory() as folder:
        use_this_interpreter(Path(folder), os.environ)
        for path in NOTEBOOKS:
            notebook = execute(path, record_timing=False)
            notebook.metadata = nbformat.read(path, as_version=4).metadata
            nbformat.write(notebook, path)
            print(f"executed {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
