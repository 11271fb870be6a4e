"""A million features: the risk curve's time and memory at P = 1e6 against P = 1e5, and building the problem.

Run:  python benchmarks/bench_large.py [--quick]     (or through benchmarks/run.py)

Every measurement runs in a fresh subprocess of its own (``python benchmarks/bench_large.py --child ...``),
so that its peak resident memory (``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is its own, and CPU time
is that process's (``time.process_time``, min over repeats). The full sizes take about four minutes of CPU
(the P = 1e6 curve is about 100 s, most of it the sample-diagonal ``hessian`` rule's average over the
chi^2_n / n nodes) and about 0.5 GB of memory at P = 1e6: run them alone (``nice``). The setting: a distinct power law
lambda_i = i^-1, beta = 1, sigma = 0.1, n = 0.3 P, s = 0.24 P, and the curve at 50 values of m evenly
spaced in [1, P] (every strategy).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from figures import Figure, figure

GIB = 2**30
CURVE_POINTS = 50


def _child(kind: str, P: int, repeat: int) -> dict[str, float]:
    """One measurement, in this (fresh) process: CPU seconds (min over ``repeat``) and the peak RSS in bytes."""
    import resource

    import numpy as np
    from figures import cpu_time

    import dctheory as dc

    eigenvalues, beta = dc.power_law(P, 1.0), np.ones(P)
    dc.predict(dc.LGP(eigenvalues=eigenvalues[:10], beta=beta[:10]), n=3, s=2)  # formulas loaded, outside timings
    out: dict[str, float] = {}
    if kind == "curve":
        problem = dc.LGP(eigenvalues=eigenvalues, beta=beta, sigma=0.1)
        m = np.unique(np.linspace(1, P, CURVE_POINTS).astype(int))
        out["seconds"] = cpu_time(lambda: dc.risk_curve(problem, n=int(0.3 * P), s=int(0.24 * P), m=m), repeat)
    else:  # "build": the LGP against one warm float64 prediction at m = P
        out["build"] = cpu_time(lambda: dc.LGP(eigenvalues=eigenvalues, beta=beta, sigma=0.1), repeat)
        problem = dc.LGP(eigenvalues=eigenvalues, beta=beta, sigma=0.1)
        dc.predict(problem, n=int(0.3 * P), s=int(0.24 * P))  # warm: atoms grouped
        out["predict"] = cpu_time(lambda: dc.predict(problem, n=int(0.3 * P), s=int(0.24 * P)), repeat)
    out["peak_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024.0  # kilobytes on Linux
    return out


def measure(kind: str, P: int, repeat: int) -> dict[str, float]:
    """:func:`_child` in a fresh subprocess (niced like its parent)."""
    here = Path(__file__).resolve().parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(here), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(P), str(repeat)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@figure("a million features")
def large_curve(quick: bool) -> list[Figure]:
    """``risk_curve`` at 50 values of m on the distinct power law at P = 1e6 against the same at P = 1e5 (CPU
    seconds, min of 2 and of 3, each size in its own subprocess), and the peak resident memory of the P = 1e6
    process against 1 GiB (the process's whole peak: interpreter, numpy and the problem included)."""
    small, large = (2_000, 20_000) if quick else (100_000, 1_000_000)
    low = measure("curve", small, 3)
    high = measure("curve", large, 2)
    cells = CURVE_POINTS * large
    return [
        Figure(
            f"risk_curve at {CURVE_POINTS} m, P = {large:,} / P = {small:,} (distinct power law)",
            high["seconds"] / low["seconds"],
            f"the same curve at P = {small:,}, same run",
            at_most=12,
            detail=f"{high['seconds']:.2f} s vs {low['seconds']:.3f} s",
        ),
        Figure(
            f"peak memory of risk_curve at P = {large:,} / 1 GiB",
            high["peak_bytes"] / GIB,
            "1 GiB",
            at_most=1,
            detail=f"peak RSS {high['peak_bytes'] / 2**20:.0f} MiB = {high['peak_bytes'] / cells:.1f} bytes per "
            f"(m, feature) cell; P = {small:,}: {low['peak_bytes'] / 2**20:.0f} MiB",
        ),
    ]


@figure("a million features")
def large_problem(quick: bool) -> Figure:
    """Building the LGP (diagonal, P = 1e6, float64 arrays) against one warm float64 ``predict`` at m = P of
    the same problem (n = 0.3 P, s = 0.24 P, every strategy), min of 3 each, in one subprocess."""
    P = 20_000 if quick else 1_000_000
    times = measure("build", P, 3)
    return Figure(
        f"building the LGP / warm float64 predict, P = {P:,}",
        times["build"] / times["predict"],
        "warm predict at m = P, same process",
        at_most=0.1,
        detail=f"build {times['build'] * 1e3:.2f} ms, predict {times['predict'] * 1e3:.0f} ms",
    )


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        kind, P, repeat = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        print(json.dumps(_child(kind, P, repeat)))
        return
    quick = "--quick" in sys.argv
    for item in (*large_curve(quick), large_problem(quick)):
        print(item.row("a million features"))


if __name__ == "__main__":
    main()
