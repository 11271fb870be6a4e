"""One warm ``predict`` of a problem with few distinct eigenvalue levels, against the same point inside a
``risk_curve`` and against a damped fixed-point iteration of the dense equations (GCMProject's style).

Run:  python benchmarks/run.py --only "single prediction"      (or --quick for small sizes)

The problem is the spiked model of the paper's Fig. 7(b) with a ridge: P = 500 features, the first 60 of
variance 10 and the rest 1 (two levels), beta = 1, sigma = 0.1, n = 150, s = 120, ridge = 0.1, m = P.
With two atoms a single prediction takes the scalar route (:mod:`dctheory.scalar`: Python floats, the
``math`` functions of the compiled formulas); the curve takes the float64 route over (m, atom) arrays.
"""

from __future__ import annotations

import numpy as np
from figures import Figure, figure, interleaved

import dctheory as dc
from dctheory.strategies import STRATEGIES

RIDGE, SIGMA = 0.1, 0.1


def spiked_problem(P: int) -> tuple[dc.LGP, int, int]:
    """The problem, n and s (n = 0.3 P and s = 0.24 P: 150 and 120 at P = 500)."""
    problem = dc.LGP(eigenvalues=dc.spiked(P, int(0.12 * P), 10.0), beta=np.ones(P), sigma=SIGMA)
    return problem, int(0.3 * P), int(0.24 * P)


def fixed_point_dense(
    lam: np.ndarray, beta: np.ndarray, sigma: float, n: float, ridge: float, damping: float = 0.5, tol: float = 1e-12
) -> tuple[float, float, int]:
    """xi and the dense risk tau^2 of the full-feature ridge point by a damped fixed-point iteration over the
    P eigenvalues, in the style of GCMProject's replica saddle-point iteration (the baseline).

    The order parameters are the overlap V = sum_i lam_i / (n ridge + Vhat lam_i) with its conjugate
    Vhat = n / (1 + V) (then xi = Vhat / (n ridge)), and the variance tau^2 = B + gamma tau^2 with
    B = sigma^2 + sum_i lam_i beta_i^2 / (1 + xi lam_i)^2 and gamma = sum_i a_i^2 / n, a_i = xi lam_i/(1 + xi lam_i)
    (docs/theory.md#finite-size). Each iteration updates Vhat and tau^2 with damping 0.5 (new = 0.5 old +
    0.5 update), numpy over the P eigenvalues; it stops when both change by less than 1e-12 relative.
    Returns (xi, tau^2, iterations)."""
    vhat, tau2 = float(n), sigma**2 + float(np.sum(lam * beta**2))
    for iteration in range(1, 10_000):
        V = np.sum(lam / (n * ridge + vhat * lam))
        new_vhat = (1 - damping) * vhat + damping * n / (1 + V)
        xi = new_vhat / (n * ridge)
        shrink = 1 / (1 + xi * lam)
        a = xi * lam * shrink
        bias = sigma**2 + np.sum(lam * beta**2 * shrink**2)
        new_tau2 = (1 - damping) * tau2 + damping * (bias + np.sum(a * a) / n * tau2)
        done = abs(new_vhat - vhat) <= tol * new_vhat and abs(new_tau2 - tau2) <= tol * new_tau2
        vhat, tau2 = new_vhat, new_tau2
        if done:
            return vhat / (n * ridge), tau2, iteration
    raise RuntimeError("the fixed-point iteration did not converge")  # pragma: no cover


def fixed_point_finite_n(
    lam: np.ndarray, beta: np.ndarray, sigma: float, n: int, ridge: float
) -> tuple[float, float, int]:
    """The ridge prediction's equations as :func:`dctheory.predict` solves them (docs/theory.md#finite-size): the
    fixed point with n, then the finite-n sample size n_lambda = n - rho, rho = (n - sum a)/(n - sum a^2) mean(a^2)
    (a_i = xi lam_i/(1 + xi lam_i) at that root, the mean over the P features), then the fixed point again with
    n_lambda for n. Returns (xi, tau^2, iterations of both)."""
    xi, _, first = fixed_point_dense(lam, beta, sigma, n, ridge)
    a = xi * lam / (1 + xi * lam)
    size = n - (n - a.sum()) / (n - np.sum(a * a)) * np.mean(a * a)
    xi, tau2, second = fixed_point_dense(lam, beta, sigma, float(size), ridge)
    return xi, tau2, first + second


#: the pruning rules of the seven strategies of the first releases (magnitude and the population-diagonal Hessian
#: rule, then called "hessian"; the sample-diagonal rule came later): the strategies the single-prediction goal
#: was first measured with
FIRST_RULES = ("magnitude", "hessian_population")


@figure("single prediction")
def predict_against_curve_point(quick: bool) -> list[Figure]:
    """One warm ``dc.predict`` (m = P) against the cost per point of ``dc.risk_curve`` over every m = 1..P of the
    same problem and the same strategies (the curve's CPU time / its number of points): the overhead of a single
    prediction over the vectorized one. Min over interleaved repeats (200 predictions, 5 curves). Two figures:
    every strategy (the default), and the seven strategies of the rules ``FIRST_RULES`` (``rules=``), those of
    the first measurement of this goal. The sample-diagonal Hessian rule and its retraining cost a single
    prediction about 115 us and the curve about 16 us a point (measured: 0.252 against 0.136 ms, and 25.0 against
    8.5 us), a smaller ratio than the rest of the prediction's, so the default set shows the lower ratio: the
    seven strategies show the overhead of the other steps alone.

    Both are warm: the problem's atoms are grouped and the quadrature rule of chi^2_n / n of the sample-diagonal
    Hessian rule is built (once per n, :func:`dctheory.sample_diagonal.chi2_rule`; it used to be rebuilt by every
    call, about 3 ms, a fifth of the curve and most of a prediction).

    Where a prediction's 0.25-0.27 ms go (each step timed by a wrapper, 2-core machine): the sample-diagonal
    rule's threshold about 87 us with 18 us of setup (70 atom-node values: two Halley evaluations of the keep
    terms, then the risk formula, about 50 numpy calls, each costing more than its 70 values); the two 2-atom
    thresholds about 22 us each (three Halley evaluations each); fresh retraining of the three rules about
    65 us (six xi solves, 19 Newton evaluations); the dense solution about 31 us (two xi solves, 7
    evaluations); argument checks and the result about 17 us. Tried and not kept: Halley steps on xi (21
    evaluations instead of 26, no faster, each costs more); other first guesses for the xi solves without a
    nearby root (over 3000 random ridge problems of 1 to 8 atoms, Newton from the bracket's middle takes 4.9
    evaluations on average; from the upper bound that replaces every a_i by 1 - 1 / (xi lambda_i), 5.0; from
    the middle of that and the lower bound n / (sum w lambda + n ridge), 5.2; the one or the other by whether
    xi lambda_min >= 1 there, 4.8: under one Newton evaluation in 20)."""
    P = 100 if quick else 500
    repeat = 20 if quick else 200
    return [
        _against_curve_point(P, None, f"{len(STRATEGIES)} strategies", repeat),
        _against_curve_point(P, FIRST_RULES, "7 strategies: rules " + ", ".join(FIRST_RULES), repeat),
    ]


def _against_curve_point(P: int, rules: tuple[str, ...] | None, label: str, repeat: int) -> Figure:
    """One figure of :func:`predict_against_curve_point`: the pruning ``rules`` (None: all)."""
    problem, N, S = spiked_problem(P)
    dc.predict(problem, n=N, s=S, ridge=RIDGE, rules=rules)  # warm: atoms grouped, formulas loaded
    curve = dc.risk_curve(problem, n=N, s=S, ridge=RIDGE, rules=rules)
    times = interleaved(
        {
            "predict": lambda: dc.predict(problem, n=N, s=S, ridge=RIDGE, rules=rules),
            "curve": lambda: dc.risk_curve(problem, n=N, s=S, ridge=RIDGE, rules=rules),
        },
        repeat,
        curve=5,
    )
    point = times["curve"] / curve.m.size
    return Figure(
        f"warm predict ({label}; P = {P}, 2 levels) / risk_curve per point",
        times["predict"] / point,
        f"risk_curve over m = 1..{P}, the same strategies, CPU time / {curve.m.size} points",
        at_most=10,
        detail=f"predict {times['predict'] * 1e3:.3f} ms, curve point {point * 1e3:.4f} ms",
    )


@figure("single prediction")
def predict_against_fixed_point(quick: bool) -> Figure:
    """A damped fixed-point iteration of the dense equations (:func:`fixed_point_finite_n`: damping 0.5, tolerance
    1e-12 relative) against one warm ``dc.predict`` of the same full-feature ridge point at s = P (nothing to
    prune: the prediction solves exactly the dense equations, xi and tau^2, and gives the dense and oracle risks).
    The two xi and tau^2 must agree to 1e-10 relative. Min over 200 interleaved repeats."""
    P = 100 if quick else 500
    problem, N, _ = spiked_problem(P)
    lam, beta = problem.eigenvalues, problem.beta
    ours = dc.predict(problem, n=N, s=P, ridge=RIDGE)
    xi, tau2, iterations = fixed_point_finite_n(lam, beta, SIGMA, N, RIDGE)
    if abs(tau2 / ours.tau2 - 1) > 1e-10 or abs(xi / ours.xi - 1) > 1e-10:
        raise AssertionError(f"fixed point (xi, tau^2) = ({xi!r}, {tau2!r}) vs predict ({ours.xi!r}, {ours.tau2!r})")
    repeat = 20 if quick else 200
    times = interleaved(
        {
            "predict": lambda: dc.predict(problem, n=N, s=P, ridge=RIDGE),
            "fixed point": lambda: fixed_point_finite_n(lam, beta, SIGMA, N, RIDGE),
        },
        repeat,
    )
    return Figure(
        f"damped fixed point / warm predict (dense, P = {P}, s = P)",
        times["fixed point"] / times["predict"],
        f"damped fixed point (damping 0.5, tol 1e-12, {iterations} iterations over P, with n then n_lambda)",
        at_least=10,
        detail=f"predict {times['predict'] * 1e3:.3f} ms, fixed point {times['fixed point'] * 1e3:.3f} ms, "
        f"tau2 agree to {abs(tau2 / ours.tau2 - 1):.1e}",
    )
