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


def lost_outputs(stored, executed) -> list[int]:
    """The code cells (numbered from 1) that show fewer outputs than their stored twins.

    A kernel's output message can be lost on its way to nbclient: on a loaded CI machine a cell's printed result
    once went missing although the kernel reported the cell done and idle within the wait (ipykernel 7, nbclient
    0.11). Such a loss shows as a missing output, never as a different one."""
    return [
        number
        for number, (old, new) in enumerate(zip(stored, executed), start=1)
        if len(new.outputs) < len(old.outputs)
    ]


def execute_checked(path: Path, stored, record_timing: bool = True):
    """The executed notebook and the cells whose outputs were lost twice: a notebook with lost outputs is executed
    once more (a cell that really prints less loses them again and is reported)."""
    notebook = execute(path, record_timing)
    lost = lost_outputs(stored, code_cells(notebook))
    if lost:
        notebook = execute(path, record_timing)
        lost = lost_outputs(stored, code_cells(notebook))
    return notebook, lost


def code_cells(notebook) -> list:
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


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

    stored = code_cells(nbformat.read(path, as_version=4))
    notebook, lost = execute_checked(path, stored)
    code = code_cells(notebook)
    assert code and all(cell.execution_count for cell in code)
    assert not lost, f"{path.name}: code cells {lost} show fewer outputs than stored, in two executions"
    assert not [output for cell in code for output in cell.outputs if output.output_type == "error"]
    # The stored outputs (what GitHub shows) are what the code prints now, numbers at their shown precision;
    # ``python docs/outputs.py`` refreshes them.
    for number, (old, new) in enumerate(zip(stored, code), start=1):
        difference = outputs.compare(outputs.notebook_text(old), outputs.notebook_text(new))
        assert difference is None, f"{path.name}, code cell {number}: {difference}"


def test_contract_a_lost_output_is_executed_again_and_a_missing_one_reported(monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    v4 = nbformat.v4

    def notebook(*outputs):
        return v4.new_notebook(cells=[v4.new_markdown_cell("text"), v4.new_code_cell("x", outputs=list(outputs))])

    printed = v4.new_output("stream", name="stdout", text="x\n")
    result = v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=1)
    stored = code_cells(notebook(printed, result))
    assert lost_outputs(stored, code_cells(notebook(printed, result))) == []
    assert lost_outputs(stored, code_cells(notebook(printed))) == [1]

    runs = iter([notebook(printed), notebook(printed, result)])  # lost once, then complete
    monkeypatch.setattr(sys.modules[__name__], "execute", lambda path, record_timing=True: next(runs))
    executed, lost = execute_checked(Path("example.ipynb"), stored)
    assert lost == [] and len(code_cells(executed)[0].outputs) == 2
    runs = iter([notebook(printed), notebook(printed)])  # the cell really prints less
    assert execute_checked(Path("example.ipynb"), stored)[1] == [1]


def main() -> int:
    """Re-execute every notebook and store its outputs (kernelspec metadata left as python3)."""
    import nbformat

    with tempfile.TemporaryDirectory() as folder:
        use_this_interpreter(Path(folder), os.environ)
        for path in NOTEBOOKS:
            stored = nbformat.read(path, as_version=4)
            notebook, lost = execute_checked(path, code_cells(stored), record_timing=False)
            if lost:
                print(f"{path.relative_to(ROOT)}: code cells {lost} now print less than stored twice; check them")
            notebook.metadata = stored.metadata
            nbformat.write(notebook, path)
            print(f"executed {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
