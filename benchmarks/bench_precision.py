"""The cost of arbitrary precision: verified digits against float64 on a spectrum of distinct eigenvalues, and
the asymptotic DC at 1000 digits against 50 digits.

Run:  python benchmarks/run.py --only precision      (or --quick for small sizes)
"""

from __future__ import annotations

import numpy as np
from figures import Figure, cpu_time, figure

import dctheory as dc


def distinct_problem(P: int) -> tuple[dc.LGP, int, int]:
    """P distinct eigenvalues 10^U(-3, 0), beta ~ N(0, 1/P), sigma = 0.1; n = P / 3, s = P / 4."""
    rng = np.random.default_rng(0)
    lam = 10 ** rng.uniform(-3, 0, P)
    return dc.LGP(eigenvalues=lam, beta=rng.normal(size=P) / np.sqrt(P), sigma=0.1), P // 3, P // 4


@figure("precision")
def digits_against_float64(quick: bool) -> Figure:
    """The closed forms at 50 verified digits against float64, for the same strategies, on P = 10,000 distinct
    eigenvalues (every coordinate its own atom; m = P): ``closed_risks`` with ``dps=50`` (the route of
    ``dc.predict(dps=50)``) against ``closed_risks`` in float64 with the rules the 50-digit route evaluates.
    At ``dps`` the sample-diagonal ``hessian`` rule is undefined (float64 only), so the float64 side leaves
    it out too (``rules=("magnitude", "hessian_population")``): with it, float64 costs about 55 ms instead of
    about 7, most of it that rule's average over the chi^2_n / n nodes, and the ratio would look 8 times
    better than the arithmetic is. CPU seconds: float64 the min of 5 runs, 50 digits one run. With
    python-flint (the ``certify`` extra) the 50 digits are proven in one pass in Arb balls at 60 digits: xi
    enclosed by certain signs of its equation, each rule's threshold by the interval Newton operator of its
    last Newton step (the steps from the float64 root take the float64 slope, so they evaluate only the
    keep-sum: two keep-sums per rule, then the slope on a ball around the root, exponentials only), every
    output a ball narrow enough for 50 digits (docs/getting-started.md#precision); without it, or where the
    proof declines, two solves at 55 and 65 digits that must agree. Per coordinate the pass evaluates 16
    Gaussian tails (per rule: the keep-sum at the float64 root, 2 Arb erfc; at the next iterate, 2 Taylor
    continuations of those, ``dctheory.formula_runtime``; the risk and the kept counts at the root, 4 more
    continuations), where the two solves evaluated 28.

    The floor that remains (measured at P = 2000 and 10,000 on the 2-core machine, about 0.21 ms per
    coordinate in all, 2.1 s at P = 10,000): the 4 erfc at about 7 us and the 12 continuations at 2-7 us
    plus about 3 us of memo lookup each, together about half (cProfile: 58 percent); the rest is Python
    per coordinate (the compiled ball formulas' arithmetic, the xi solve in MPFR and its enclosure, the
    decimal inputs read into balls); the garbage collector is about 2 percent (the same run with it off). The 4 erfc alone are
    about 28 us per coordinate, 0.28 s at P = 10,000, i.e. about 30 times a float64 run of 9 ms, and the
    tails together about 120 times: the bound of 50 is out of reach for a route that evaluates Gaussian
    tails coordinate by coordinate in Python at 50 digits."""
    from dctheory.risks import closed_risks

    P = 300 if quick else 10_000
    problem, n, s = distinct_problem(P)
    every = np.arange(P)[None]
    rules = ("magnitude", "hessian_population")
    closed_risks(problem, every, n, s, 0.0, rules=rules)  # warm
    float64 = cpu_time(lambda: closed_risks(problem, every, n, s, 0.0, rules=rules), 5)
    digits = cpu_time(lambda: closed_risks(problem, every, n, s, 0.0, dps=50))
    return Figure(
        f"closed forms at dps 50 / float64 (P = {P} distinct, m = P, the same strategies)",
        digits / float64,
        "the same strategies in float64 (the sample-diagonal rule, float64 only, left out of both)",
        at_most=50,
        detail=f"dps 50 {digits:.3f} s, float64 {float64 * 1e3:.2f} ms",
    )


@figure("precision")
def asymptotic_1000_digits(quick: bool) -> Figure:
    """``dc.AsymptoticDC`` (the law built, then ``predict(0.2)``: all seven risks) at 1000 verified digits against
    the same at 50 digits: Lam ~ uniform(0.5, 2), B = 1, kappa = 2, sigma = 0.5. One run each (CPU seconds).
    Quick sizes: 100 digits against 50.

    The bound of 20 is below what the arithmetic allows: the quadrature needs nodes in proportion to the digits
    (tanh-sinh: level 6, 633 nodes, for 50 digits; level 10, 16 times the nodes per unit of range, for 1000;
    Gauss-Legendre would need about digits / (2 log10 rho) nodes, rho = 3 for this law's nearest singularity
    at Lam = 0), a factor of 16-20, and a Gaussian tail at 1000 digits costs 20x one at 50 (Arb erfc,
    measured: 131 us against 6.5 us), so the same algorithm is at least about 300x; the ratio only looks lower
    where 50 digits pay fixed costs."""
    high = 100 if quick else 1000

    def at(dps: int) -> None:
        model = dc.AsymptoticDC(dc.Distribution.uniform(0.5, 2.0), 1.0, kappa=2.0, sigma=0.5, dps=dps)
        model.predict(0.2)

    at(30)  # warm: formulas loaded
    low_time = cpu_time(lambda: at(50))
    high_time = cpu_time(lambda: at(high))
    return Figure(
        f"AsymptoticDC at dps {high} / dps 50 (uniform law, 7 risks)",
        high_time / low_time,
        "the same at dps 50",
        at_most=20,
        detail=f"dps {high} {high_time:.2f} s, dps 50 {low_time:.2f} s",
    )
