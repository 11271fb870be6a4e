"""Speed of the theory engine against naive baselines measured in the same run.

Run:  python benchmarks/bench_theory.py [--quick]

1. The whole risk curve (all m = 1..P, float64, the magnitude rule: the dense and
   magnitude-pruned risks that the baseline computes, with the oracle, random and
   retrained ones) for a diagonal spectrum with P = 2000, against a naive per-m
   loop (scalar brentq roots with scipy.stats.norm, the way a research script
   would do it). The naive loop is timed on a spread of m values and scaled to
   all P of them.
   Also against the same code with every root found by bracketing from scratch
   (the reference of benchmarks/bench_advise.py: no warm-started Newton steps).
2. xi and tau^2 to 50 verified digits for P = 10,000 eigenvalues, against a
   naive mpmath solve (bracketing Anderson-Bjorck from scratch, no float
   seed, no verification), and 1000 digits for P = 100.
3. The goal settings of the pruning kernel: the curve of P = 2000 distinct power-law eigenvalues at
   n = 600, s = 300 (the magnitude rule, as in item 1; goal <= 1 s CPU), and one warm ``predict`` at
   m = P = 2000 (every strategy; goal <= 2 ms CPU, min over repeats), against the naive single point of
   item 1 (2 of its 9 risks) at the same m.
"""

from __future__ import annotations

import argparse
import os
import time

import mpmath
import numpy as np
from bench_advise import reference_solver
from figures import Figure, cpu_time, figure
from scipy import optimize, stats

import dctheory as dc


def naive_point(lam, beta, sigma, n, m, s):
    """Dense and magnitude-pruned risk at one m, ridgeless, with scalar root finding (the baseline)."""
    lam_m, b = lam[:m], beta[:m]
    sigma2_D = sigma**2 + np.sum(lam[m:] * beta[m:] ** 2)
    if m > n:
        xi = optimize.brentq(lambda x: np.sum(x * lam_m / (1 + x * lam_m)) - n, 1e-12, 1e12)
        a = xi * lam_m / (1 + xi * lam_m)
        tau2 = (sigma2_D + np.sum(lam_m * b**2 / (1 + xi * lam_m) ** 2)) / (1 - np.sum(a**2) / n)
        mu, sd = a * b, a * np.sqrt(tau2 / (n * lam_m))
    else:
        tau2 = sigma2_D * (n - 1) / (n - m - 1)
        mu, sd = b, np.sqrt(sigma2_D / ((n - m - 1) * lam_m))
    if m <= s:
        return tau2, tau2

    def keep(t):
        return np.sum(stats.norm.sf((t - mu) / sd) + stats.norm.cdf((-t - mu) / sd)) - s

    t = optimize.brentq(keep, 0.0, np.max(np.abs(mu) + 40 * sd))
    a1, a2 = (t - mu) / sd, (-t - mu) / sd
    pi = stats.norm.sf(a1) + stats.norm.cdf(a2)
    m1 = mu * pi + sd * (stats.norm.pdf(a1) - stats.norm.pdf(a2))
    m2 = (mu**2 + sd**2) * pi + sd * ((mu + t) * stats.norm.pdf(a1) + (t - mu) * stats.norm.pdf(a2))
    return tau2, sigma2_D + np.sum(lam_m * (m2 - 2 * b * m1 + b**2))


def bench_curve(name, lam, n, s, sample_m):
    P = lam.size
    beta = np.ones(P)
    problem = dc.LGP(eigenvalues=lam, beta=beta, sigma=0.1)
    # CPU seconds of this process (the machine's cores are shared): min of 3 runs for the curve, with the
    # magnitude rule alone (the baseline computes the dense and magnitude-pruned risks).
    ours = np.inf
    for _ in range(3):
        start = time.process_time()
        curve = dc.risk_curve(problem, n=n, s=s, rules=("magnitude",))
        ours = min(ours, time.process_time() - start)
    with reference_solver():
        start = time.process_time()
        dc.risk_curve(problem, n=n, s=s, rules=("magnitude",))
        bracketing = time.process_time() - start
    ms = np.unique(np.linspace(1, P, sample_m).astype(int))
    ms = ms[(ms < n - 1) | (ms > n)]
    start = time.process_time()
    naive = [naive_point(lam, beta, 0.1, n, int(m), s) for m in ms]
    naive_time = (time.process_time() - start) / ms.size * curve.m.size
    index = np.searchsorted(curve.m, ms)
    error = max(abs(curve.risks["magnitude"][index] / np.array([v[1] for v in naive]) - 1))
    print(
        f"curve  {name:<22} P={P}: dctheory {ours:7.3f} s | bracketing reference {bracketing:6.2f} s "
        f"({bracketing / ours:4.1f}x) | naive loop {naive_time:8.2f} s "
        f"(dense and magnitude, scaled from {ms.size} m) | ratio {naive_time / ours:7.1f}x | "
        f"max rel. diff {error:.1e} | goal < 1 s: {'met' if ours < 1 else 'NOT met'} | load {os.getloadavg()[0]:.2f}"
    )


@figure("risk curve")
def curves_against_naive_loop(quick: bool) -> list[Figure]:
    """The whole risk curve (all m = 1..P, float64; min of 3 runs) against the naive per-m loop of
    :func:`naive_point` (scalar brentq roots with scipy.stats.norm), timed on 20 m values spread over 1..P and
    scaled to all P of them, for the spiked spectrum of Fig. 7(b) (4 atoms) and P distinct power-law
    eigenvalues; P = 2000, n = 0.3 P, s = 0.24 P (quick: P = 400).

    The loop computes the dense and the magnitude-pruned risk, so the curve is timed with the magnitude rule
    alone (``rules=("magnitude",)``: those two risks, and the oracle, random and retrained ones that come with
    them). The curve of every rule is in the detail column: on distinct eigenvalues most of its time is the
    sample-diagonal Hessian rule's average over the chi^2_n / n nodes, which the loop does not compute."""
    P = 400 if quick else 2000
    n, s = int(0.3 * P), int(0.24 * P)
    figures = []
    for name, lam in (
        ("spiked (Fig. 7b)", dc.spiked(P, int(0.12 * P), 10.0)),
        ("power law (distinct)", dc.power_law(P, 1.0)),
    ):
        problem = dc.LGP(eigenvalues=lam, beta=np.ones(P), sigma=0.1)
        ours = cpu_time(lambda problem=problem: dc.risk_curve(problem, n=n, s=s, rules=("magnitude",)), 3)
        every = cpu_time(lambda problem=problem: dc.risk_curve(problem, n=n, s=s))
        ms = np.unique(np.linspace(1, P, 20).astype(int))
        ms = ms[(ms < n - 1) | (ms > n)]
        naive = cpu_time(lambda lam=lam, ms=ms: [naive_point(lam, np.ones(P), 0.1, n, int(m), s) for m in ms])
        naive *= P / ms.size
        figures.append(
            Figure(
                f"naive loop / risk_curve (magnitude rule), {name}, P = {P}",
                naive / ours,
                f"per-m loop, scalar brentq + scipy.stats (dense and magnitude risks; {ms.size} m scaled to {P})",
                detail=f"curve {ours:.3f} s, naive loop {naive:.2f} s; every rule's curve {every:.3f} s",
            )
        )
    return figures


def bench_goal_curve(P=2000, n=600, s=300):
    lam = dc.power_law(P, 1.0)
    problem = dc.LGP(eigenvalues=lam, beta=np.ones(P), sigma=0.1)
    times = []
    for _ in range(3):
        start = time.process_time()
        dc.risk_curve(problem, n=n, s=s, rules=("magnitude",))
        times.append(time.process_time() - start)
    ours = min(times)
    ms = np.unique(np.linspace(1, P, 20).astype(int))
    ms = ms[(ms < n - 1) | (ms > n)]
    start = time.process_time()
    for m in ms:
        naive_point(lam, np.ones(P), 0.1, n, int(m), s)
    naive = (time.process_time() - start) / ms.size * P
    print(
        f"goal   curve power law P={P} n={n} s={s}: dctheory {ours:6.3f} s (min of 3: "
        f"{', '.join(f'{t:.3f}' for t in times)}) | naive loop {naive:6.2f} s (dense and magnitude, scaled from {ms.size} m) "
        f"| ratio {naive / ours:5.1f}x | goal <= 1 s: {'met' if ours <= 1 else 'NOT met'} | load {os.getloadavg()[0]:.2f}"
    )


def bench_goal_predict(P=2000, n=600, s=300, repeat=30):
    lam = dc.power_law(P, 1.0)
    problem = dc.LGP(eigenvalues=lam, beta=np.ones(P), sigma=0.1)
    dc.predict(problem, n=n, m=P, s=s)  # warm
    times = []
    for _ in range(repeat):
        start = time.process_time()
        dc.predict(problem, n=n, m=P, s=s)
        times.append(time.process_time() - start)
    naive = []
    for _ in range(repeat):
        start = time.process_time()
        naive_point(lam, np.ones(P), 0.1, n, P, s)
        naive.append(time.process_time() - start)
    ours, base = min(times), min(naive)
    print(
        f"goal   warm predict P={P} n={n} s={s}: dctheory {ours * 1e3:6.2f} ms (median {np.median(times) * 1e3:.2f}) "
        f"| naive point {base * 1e3:6.2f} ms (2 of the 9 risks) | ratio {base / ours:5.2f}x | "
        f"goal <= 2 ms: {'met' if ours <= 2e-3 else 'NOT met'} | load {os.getloadavg()[0]:.2f}"
    )


def bench_digits(P, dps, baseline=True):
    rng = np.random.default_rng(0)
    lam = 10 ** rng.uniform(-3, 0, P)
    problem = dc.LGP(eigenvalues=lam, beta=rng.normal(size=P) / np.sqrt(P), sigma=0.1)
    n = P // 3
    start = time.process_time()
    solution = dc.solve(problem.effective(P), n, dps=dps, problem=problem)
    ours = time.process_time() - start
    line = f"digits P={P:<6} dps={dps:<5}: dctheory {ours:7.3f} s (verified at dps+5 and dps+15)"
    if baseline:
        with mpmath.workdps(dps):
            values = [mpmath.mpf(repr(float(x))) for x in lam]

            def F(u):
                return mpmath.fsum(mpmath.exp(u) * v / (1 + mpmath.exp(u) * v) for v in values) - n

            start = time.process_time()
            xi = mpmath.exp(mpmath.findroot(F, (mpmath.mpf(-30), mpmath.mpf(30)), solver="anderson"))
            naive = time.process_time() - start
        agree = abs(xi - solution.xi) / solution.xi
        line += f" | naive unverified anderson {naive:7.3f} s | ratio {naive / ours:5.2f}x | rel. diff {mpmath.nstr(agree, 3)}"
    if P == 10_000 and dps == 50:
        line += f" | goal < 2 s: {'met' if ours < 2 else 'NOT met'}"
    print(line)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run)")
    args = parser.parse_args()
    dc.predict(dc.LGP(eigenvalues=np.ones(10), beta=np.ones(10)), n=3, s=2)  # compile once, outside the timings
    P = 400 if args.quick else 2000
    n, s = int(0.3 * P), int(0.24 * P)
    bench_curve("spiked (paper, Fig. 7b)", dc.spiked(P, int(0.12 * P), 10.0), n, s, 20)
    bench_curve("power law (distinct)", dc.power_law(P, 1.0), n, s, 20)
    if not args.quick:
        bench_goal_curve()
        bench_goal_predict()
    bench_digits(1000 if args.quick else 10_000, 50)
    bench_digits(100, 1000, baseline=not args.quick)


if __name__ == "__main__":
    main()
