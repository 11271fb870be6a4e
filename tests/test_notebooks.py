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
        # a cell's outputs may arrive after it reports done: wait longer than nbclient's default (4 s) on a
        # loaded machine, and fail loudly if they do not
        iopub_timeout=60,
        raise_on_iopub_timeout=True,
        # one print may arrive as several stream messages (its text, then its newline): store them as one
        coalesce_streams=True,
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
        assert difference is None, f"{path.name}, code cell {number}: {difference}; its outputs: {new.outputs}"


def test_contract_a_printed_line_sent_in_pieces_reads_as_one_line():
    nbformat = pytest.importorskip("nbformat")
    v4 = nbformat.v4

    def cell(*outputs):
        return v4.new_code_cell("print(x); y", outputs=list(outputs))

    result = v4.new_output("execute_result", data={"text/plain": "(1.5, 2)"}, execution_count=1)
    whole = cell(v4.new_output("stream", name="stdout", text="('xi', 'n')\n"), result)
    # the kernel flushed between the text and its newline: two stream messages (seen on a loaded CI machine)
    pieces = cell(
        v4.new_output("stream", name="stdout", text="('xi', 'n')"),
        v4.new_output("stream", name="stdout", text="\n"),
        result,
    )
    assert outputs.notebook_text(pieces) == outputs.notebook_text(whole) == "('xi', 'n')\n\n(1.5, 2)"
    assert outputs.compare(outputs.notebook_text(whole), outputs.notebook_text(pieces)) is None
    # another stream, or a result between them, stays apart
    apart = cell(
        v4.new_output("stream", name="stdout", text="a\n"),
        v4.new_output("stream", name="stderr", text="b\n"),
        v4.new_output("stream", name="stdout", text="c\n"),
    )
    assert outputs.notebook_text(apart) == "a\n\nb\n\nc\n"
    # a result that is really missing is still a difference
    assert outputs.compare(outputs.notebook_text(whole), outputs.notebook_text(cell(*pieces.outputs[:2]))) is not None


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
