"""The benchmark runner (benchmarks/run.py) and the page it writes (docs/benchmarks.md): every figure a ratio
with the load beside it. The quick run checks the shape of what is printed, never a timing or a goal."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "benchmarks.md"
# | section | figure | ratio | goal | load | baseline | measured | by |
ROW = re.compile(
    r"^\| [^|]+ \| [^|]+ \| (?P<ratio>\d+(\.\d+)?(e[+-]\d+)?)x \| (?P<goal>[^|]*) \| "
    r"load (?P<load>\d+\.\d-\d+\.\d) \| [^|]+ \| [^|]* \| `(?P<by>bench_\w+\.\w+)` \|$"
)


def figure_rows(text: str) -> list[str]:
    """The table rows of a page or of the runner's output (lines that start with '| ' after the header)."""
    return [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| section ")]


def check_rows(rows: list[str]) -> list[str]:
    """The rows that lack a ratio, a load or the function that measured them."""
    return [row for row in rows if not ROW.match(row)]


def test_a_row_without_a_ratio_or_a_load_is_caught():
    good = "| single prediction | a / b | 12.5x | <= 10x NOT met | load 3.1-3.4 | b | a 1 ms | `bench_predict.f` |"
    assert check_rows([good]) == []
    assert check_rows([good.replace("12.5x", "12.5 ms")]) == [good.replace("12.5x", "12.5 ms")]
    assert check_rows([good.replace("load 3.1-3.4", "3.1")]) != []
    assert check_rows([good.replace("`bench_predict.f`", "")]) != []


def test_the_quick_run_prints_every_figure_as_a_ratio_with_its_load(tmp_path):
    output = tmp_path / "benchmarks.md"
    run = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--quick", "--output", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    printed = figure_rows(output.read_text())
    assert len(printed) >= 5, output.read_text()
    assert check_rows(printed) == []
    # The page shows the same figures, measured by the same functions (regenerate it when one is added).
    documented = figure_rows(PAGE.read_text())
    assert check_rows(documented) == []

    def sources(rows: list[str]) -> list[str]:
        return [ROW.match(row).group("by") for row in rows]  # type: ignore[union-attr]

    assert sources(documented) == sources(printed), "run `python benchmarks/run.py` to regenerate docs/benchmarks.md"
    assert "python benchmarks/run.py" in PAGE.read_text()
