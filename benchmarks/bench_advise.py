"""Speed of ``dctheory.advise``: P = 2000, 20 ridge values, all strategies, float64 closed forms.

Run:  python benchmarks/bench_advise.py

Two spectra: the spiked covariance of Fig. 3(b) (few distinct coordinates, so
the atom grouping of dctheory.risks makes every m cheap) and a power law with
P distinct eigenvalues (the worst case: cost ~ ridges x m values x P). Goal:
under 5 s. The m grid is every m in [s, P] ("all") or an even grid.
"""

from __future__ import annotations

import time

import numpy as np

import dctheory as dc


def run(name, problem, n, s, m_points):
    ridges = np.concatenate([[0.0], np.logspace(-4, 1, 19)])
    start = time.perf_counter()
    result = dc.advise(problem, n, s, ridges, m_points=m_points)
    elapsed = time.perf_counter() - start
    print(f"{name:<28} m_points={str(m_points):<5} rows={len(result.rows):>7}  {elapsed:6.2f} s   "
          f"best: {result.best['strategy']} m={result.best['m']} ridge={result.best['ridge']:.3g}")


def main() -> None:
    P, n, s = 2000, 600, 480
    spiked = dc.LGP(eigenvalues=dc.spiked(P, 240, 10.0), beta=np.ones(P), sigma=0.5)
    power = dc.LGP(eigenvalues=dc.power_law(P, 1.0), beta=np.ones(P) / np.sqrt(P), sigma=0.1)
    run("spiked (2 atoms)", spiked, n, s, "all")
    run("power law (2000 atoms)", power, n, s, 50)
    run("power law (2000 atoms)", power, n, s, 200)


if __name__ == "__main__":
    main()
