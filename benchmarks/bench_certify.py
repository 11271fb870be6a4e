"""Cost of certification against the uncertified mpmath solve, measured in the same run.

Run:  python benchmarks/bench_certify.py

Certified enclosure of xi (and tau^2, the dense risk) for P = 1000 features at
100 digits with python-flint balls (dctheory.certify), against
``dctheory.solve(..., dps=100)`` (mpmath Newton, checked by re-solving at 105
and 115 digits, not certified) on the same problem. Best of ``repeat`` runs each.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import dctheory as dc
from dctheory.certify import certify


def best_of(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--P", type=int, default=1000)
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--dps", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    P, n = args.P, args.n
    rng = np.random.default_rng(0)
    eigenvalues = [float(f"{x:.6g}") for x in rng.uniform(0.1, 10.0, P)]
    problem = dc.LGP(
        eigenvalues=eigenvalues, beta=[float(f"{x:.4g}") for x in rng.standard_normal(P) / np.sqrt(P)], sigma=0.5
    )
    effective = problem.effective(P)
    for ridge in (0.0, 0.01):
        t_mp, solution = best_of(
            lambda ridge=ridge: dc.solve(effective, n, ridge, dps=args.dps, problem=problem), args.repeat
        )
        t_cert, cert = best_of(lambda ridge=ridge: certify(problem, n, P, ridge, dps=args.dps), args.repeat)
        inside = cert.xi.contains(solution.xi) and cert.tau2.contains(solution.tau2)
        print(
            f"P = {P}, n = {n}, ridge = {ridge:g}, {args.dps} digits: certified {t_cert:.3f} s, "
            f"mpmath solve {t_mp:.3f} s, ratio {t_cert / t_mp:.2f}; xi ball relative width "
            f"{cert.xi.relative_width:.1e}, tau2 {cert.tau2.relative_width:.1e}; mpmath values inside: {inside}"
        )


if __name__ == "__main__":
    main()
