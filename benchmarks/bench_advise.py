"""Speed of ``dctheory.advise``: P = 2000, 20 ridge values, all strategies, float64 closed forms.

Run:  python benchmarks/bench_advise.py [--all] [--repeat R]

Two spectra: the spiked covariance of Fig. 3(b) (few distinct coordinates, so
the atom grouping of dctheory.risks makes every m cheap) and a power law with
P distinct eigenvalues (the worst case: cost ~ ridges x m values x P). Goal
under 5 s. The m grid is every m in [s, P] ("all") or an even grid.

Baseline, measured in the same run: the same code with every root (the
thresholds t, t' and xi of every m) found by bracketing from scratch
(Chandrupatla in the analytic brackets, as before the warm starts), i.e.
``solve_rows`` replaced by ``find_roots``. The ratio is the gain of the
warm-started Newton solves; ``max rel. diff`` compares all risks of the two.
Times are CPU seconds of this process (``time.process_time``, min over
``--repeat`` runs); the machine's load average is printed, since other
processes share its cores.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import time

import numpy as np

import dctheory as dc
import dctheory.engines
import dctheory.solvers
from dctheory.engines import find_roots


def bracketing_only(evaluate, lo, hi, **_):
    """The reference: every row solved from scratch in its bracket (no warm start, no Newton step)."""
    return find_roots(lambda x, row: evaluate(x, row.astype(int), False), lo, hi, np.arange(lo.size))


@contextlib.contextmanager
def reference_solver():
    # The xi solves call solvers.solve_rows, and solve_rows calls itself (engines) for the coarse rows of a
    # curve: both are the reference's. (The threshold solves' first call is the backends' own binding.)
    saved = dctheory.engines.solve_rows
    dctheory.solvers.solve_rows = dctheory.engines.solve_rows = bracketing_only
    try:
        yield
    finally:
        dctheory.solvers.solve_rows = dctheory.engines.solve_rows = saved


def timed(problem, n, s, ridges, m_points, repeat):
    best, result = np.inf, None
    for _ in range(repeat):
        start = time.process_time()
        result = dc.advise(problem, n, s, ridges, m_points=m_points)
        best = min(best, time.process_time() - start)
    return best, result


def run(name, problem, n, s, m_points, repeat):
    ridges = np.concatenate([[0.0], np.logspace(-4, 1, 19)])
    ours, result = timed(problem, n, s, ridges, m_points, repeat)
    with reference_solver():
        reference, slow = timed(problem, n, s, ridges, m_points, 1)
    fast = {(r["strategy"], r["m"], r["ridge"]): r["risk"] for r in result.rows}
    diff = max(abs(r["risk"] / fast[(r["strategy"], r["m"], r["ridge"])] - 1) for r in slow.rows)
    print(
        f"{name:<24} m_points={m_points!s:<4} rows={len(result.rows):>7} | advise {ours:6.2f} s | "
        f"bracketing reference {reference:6.2f} s | ratio {reference / ours:4.1f}x | max rel. diff {diff:.1e} | "
        f"goal < 5 s: {'met' if ours < 5 else 'NOT met'} | load {os.getloadavg()[0]:.2f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--all", action="store_true", help="also the power law on every m (slow: about 2 min with its reference)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs of advise per line (the minimum is shown)")
    args = parser.parse_args()
    P, n, s = 2000, 600, 480
    spiked = dc.LGP(eigenvalues=dc.spiked(P, 240, 10.0), beta=np.ones(P), sigma=0.5)
    power = dc.LGP(eigenvalues=dc.power_law(P, 1.0), beta=np.ones(P) / np.sqrt(P), sigma=0.1)
    dc.advise(spiked, n, s, [0.0, 0.1], m_points=10)  # compile the formulas once, outside the timings
    print(f"load average at start: {os.getloadavg()[0]:.2f} (1 min)")
    run("spiked (2 atoms)", spiked, n, s, "all", args.repeat)
    run("power law (2000 atoms)", power, n, s, 50, args.repeat)
    run("power law (2000 atoms)", power, n, s, 200, args.repeat)
    if args.all:
        run("power law (2000 atoms)", power, n, s, "all", 1)


if __name__ == "__main__":
    main()
