"""Regenerate docs/benchmarks.md: every speed figure, each a ratio to a baseline measured in the same run.

Run:  python benchmarks/run.py             (full sizes; writes docs/benchmarks.md)
      python benchmarks/run.py --quick     (small sizes; prints the table, writes nothing)
      python benchmarks/run.py --only predict --output -   (sections whose name contains "predict", to stdout)

Every module ``benchmarks/bench_*.py`` is imported; the functions it registers with
``figures.figure(section)`` are run in turn (modules in name order) and the runner notes the load average
before and after each. See benchmarks/figures.py for how to add a figure.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import platform
import sys
from pathlib import Path

import numpy as np
from figures import REGISTRY, Figure, load

HERE = Path(__file__).resolve().parent
DOCUMENT = HERE.parent / "docs" / "benchmarks.md"

HEADER = """\
# Benchmarks

This page is generated: `python benchmarks/run.py` runs every benchmark of `benchmarks/` and rewrites it
(`python benchmarks/run.py --quick` runs them at small sizes and prints the table instead; a test runs that).
Every figure is a **ratio** to a baseline measured in the same run, because absolute times do not travel
between machines, or between loads on one machine. Times behind the ratios are CPU seconds of the benchmark
process (`time.process_time`), min over repeats, the two sides interleaved where they are repeated; the
**load** column is the 1-minute load average before and after the figure's measurement. A goal is met when
the ratio is on its side of the bound. How each figure and its baseline are measured is in the docstring
of the function in the last column (`benchmarks/<module>.py`).

Earlier measurements, with the history of the changes they measured, are in
[benchmark-history.md](benchmark-history.md).
"""


def discover() -> None:
    """Import every benchmark module that registers figures (each registers them on import; modules without a
    ``@figure`` are not imported, so that their heavy imports, e.g. torch, cost nothing here)."""
    sys.path.insert(0, str(HERE))
    for path in sorted(HERE.glob("bench_*.py")):
        if "@figure(" in path.read_text():
            importlib.import_module(path.stem)


def run(quick: bool, only: str | None = None) -> list[tuple[str, Figure]]:
    """Every registered figure (sections containing ``only``), each with the load around its function."""
    rows = []
    for section, function in REGISTRY:
        if only is not None and only.lower() not in section.lower():
            continue
        before = load()
        result = function(quick)
        after = load()
        figures = [result] if isinstance(result, Figure) else list(result)
        for item in figures:
            source = f"{function.__module__}.{function.__name__}"
            row = Figure(**{**item.__dict__, "load": (before, after), "source": source})
            print(row.row(section), flush=True)
            rows.append((section, row))
    return rows


def document(rows: list[tuple[str, Figure]], quick: bool) -> str:
    """The page: the header, the machine, and one table row per figure."""
    machine = (
        f"Run of {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC{' (quick sizes)' if quick else ''} on "
        f"{platform.machine()} with {_cores()} cores, Python {platform.python_version()}, numpy {np.__version__}."
    )
    table = [
        "| section | figure | ratio | goal | load | baseline | measured | by |",
        "|---|---|---|---|---|---|---|---|",
        *(figure.row(section) for section, figure in rows),
    ]
    return "\n".join([HEADER, machine, "", *table, ""])


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes; print the table and write nothing")
    parser.add_argument("--only", help="run only the sections whose name contains this text")
    parser.add_argument(
        "--output",
        help="where to write the page ('-' for stdout); default docs/benchmarks.md, or nothing with --quick",
    )
    args = parser.parse_args(argv)
    discover()
    rows = run(args.quick, args.only)
    page = document(rows, args.quick)
    output = args.output if args.output is not None else (None if args.quick or args.only else str(DOCUMENT))
    if output == "-":
        print(page)
    elif output is not None:
        Path(output).write_text(page)
        print(f"wrote {output}")


if __name__ == "__main__":
    main()
