r"""Pruning in rounds in the proportional limit (docs/theory.md#schedule; this project, beyond the paper).

A schedule keeps the fractions q_1 > q_2 > ... > q_R of the P features: round r prunes the model of the
previous round to q_r P weights and, optionally, retrains on the kept support with a fresh sample of n.

**The recursion.** Retraining on a support S with a fresh sample is min-norm least squares on the effective
problem on S (docs/theory.md#retraining), to which the one-round theory applies with its own P_S = |S|,
its own law of (lambda_i, sqrt(P_S) beta_i) over S and its own noise sigma_S^2 = sigma^2 + sum_{i not in S}
lambda_i beta_i^2. In the limit, when S is kept with probability chi(Lam, B) given (Lam, B) (the product of
the rounds' keep probabilities), with q = E[chi] = |S|/P:

* the kept coordinates' law of (Lam, B) is the law reweighted by chi / q (its empirical law over S);
* sqrt(P_S) beta_i = sqrt(q) sqrt(P) beta_i: B_S = sqrt(q) B;
* kappa_S = P_S / n = q kappa;
* sigma_S^2 = sigma^2 + E[Lam B^2 (1 - chi)] (the dropped signal, in the sqrt(P) scale);
* the next round keeps q' P = (q'/q) P_S of the kept features: the fraction q'/q of the sub-problem.

Every formula of this module is a one-round formula of the sub-problem written back in the scale of the
original problem: the derivations substitute the kept law into the one-round formula (a Sum with
probabilities p_k chi_k / q, B_k sqrt(q), kappa q, sigma_S) and check that the result equals the displayed
form, which uses the original law, the original kappa and the absolute fraction q'. So the recursion needs
no new theory: E[.] over the law with weight chi, kappa = P/n and absolute fractions throughout.

**What is exact and what is not.** Given the one-round characterization of a sub-problem (Theorem 1 and
Cor. 1 of the paper for the overparameterized fit; the exact least-squares law below the threshold),
the recursion is exact in the proportional limit: the kept support's empirical law converges to the
reweighted law (the keep events are conditionally independent given the trained model's law, whose
empirical law converges, so the law of large numbers applies), and a fresh sample makes the retrained fit
independent of how S was chosen. What is assumed and not proven here: that the one-round theory applies
to a support chosen from the data (the paper's Def. 5 states this procedure for one round without proof;
with a fresh sample it is the one-round theorem conditionally on S), that the reweighted law meets
Assumptions 2 and 3 (it does when the original law does: chi is bounded and measurable), and Def. 5 itself
for retraining. At finite P the recursion is an approximation, with fluctuations of the kept law of order
1/sqrt(P) per sampled support.
"""

from __future__ import annotations

import sympy as sp

from derivations import asymptotic as asy
from derivations.gaussian import Q
from derivations.registry import Formula, check_identity, formula, register
from derivations.symbols import B, K, Lam, k, kappa, p, sigma, tau, xi

chi = sp.IndexedBase("chi", nonnegative=True)  # probability that the support kept so far holds the coordinate
q = asy.q  # kept fraction so far (|S| / P)
q_next = sp.Symbol("q'", positive=True)  # the fraction kept by the next round (of P, not of |S|)
sigma_S = sp.Symbol("sigma_S", nonnegative=True)  # effective noise of the kept support
Lam1 = sp.Symbol("Lambda", positive=True)
P = sp.Symbol("P", positive=True)
ASSUMED = r"\text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi]"


def _E(expr: sp.Expr) -> sp.Expr:
    return sp.Sum(p[k] * expr, (k, 1, K))


def _a(eigenvalue: sp.Expr) -> sp.Expr:
    return xi * eigenvalue / (1 + xi * eigenvalue)


def _dropped() -> sp.Expr:
    """sigma_S^2: the noise and the signal of the dropped features, E[Lam B^2 (1 - chi)] in the sqrt(P) scale."""
    return sigma**2 + _E(Lam[k] * B[k] ** 2 * (1 - chi[k]))


def on_kept_law(expr: sp.Expr, kept: sp.Expr = q) -> sp.Expr:
    """A one-round formula of the law (Lam, B) with probabilities p_k, applied to the sub-problem on the kept
    support: probabilities p_k chi_k / q, B_k sqrt(q), kappa q, sigma_S (``kept``: the symbol standing for
    q = E[chi], which the checks replace by that sum)."""
    return expr.xreplace(
        {p[k]: p[k] * chi[k] / kept, B[k]: sp.sqrt(kept) * B[k], kappa: kept * kappa, sigma: sp.sqrt(_dropped())}
    )


def _explicit(expr: sp.Expr, atoms: int = 3) -> sp.Expr:
    """``expr`` with its sums over the law written out at ``atoms`` atoms, and q = E[chi]."""
    kept = sum(p[j] * chi[j] for j in range(1, atoms + 1))
    return expr.subs(K, atoms).doit().subs(q, kept)


@register("schedule_xi_equation")
def _xi_equation() -> Formula:
    rhs = _E(chi[k] * _a(Lam[k])) - 1 / kappa
    sub = on_kept_law(formula("asymptotic_xi_equation").rhs)
    check_identity(_explicit(q * sub - rhs), "the kept problem's xi equation, times q, is E[chi a] - 1/kappa")
    return Formula(
        "schedule_xi_equation",
        "Equation for xi of the model trained on the kept support (root in xi)",
        "docs/theory.md#schedule; this project",
        sp.Function("F_S")(xi),
        rhs,
        (xi, kappa, Lam, chi, p),
        ASSUMED + r";\ q\kappa > 1",
    )


@register("schedule_tau2")
def _tau2() -> Formula:
    # (1 - a)^2 and a (1 - a) written without the subtraction (the computational form compiles this one).
    complement = 1 / (1 + xi * Lam[k])
    rhs = (_dropped() + _E(chi[k] * Lam[k] * B[k] ** 2 * complement**2)) / (
        kappa * _E(chi[k] * xi * Lam[k] * complement**2)
    )
    sub = on_kept_law(formula("asymptotic_tau2").rhs)
    check_identity(_explicit(sub - rhs), "tau^2 of the kept problem in the scale of the original one")
    return Formula(
        "schedule_tau2",
        "tau^2 (the dense risk) of the model trained on the kept support, q kappa > 1",
        "docs/theory.md#schedule; this project",
        sp.Symbol(r"\tau_S^2"),
        rhs,
        (xi, kappa, sigma, Lam, B, chi, p),
        ASSUMED + r";\ q\kappa > 1,\ \xi \text{ the root of } F_S",
    )


@register("schedule_underparameterized_sd")
def _underparameterized_sd() -> Formula:
    # sqrt(P) times the least-squares coordinate's sd at n = P / kappa, m = q P, as P -> oo.
    finite = formula("underparameterized_sd")
    sigma_D, n_, m_, lam_ = finite.args
    scaled = sp.sqrt(P) * finite.rhs.xreplace({sigma_D: sigma_S, n_: P / kappa, m_: q * P, lam_: Lam1})
    limit = sp.limit(scaled, P, sp.oo)
    rhs = sigma_S * sp.sqrt(kappa) / sp.sqrt((1 - q * kappa) * Lam1)
    gap = sp.Symbol("u", positive=True)  # 1 - q kappa > 0: the regime of least squares
    check_identity(
        (limit - rhs).subs(q, (1 - gap) / kappa),
        "sqrt(P) times the least-squares sd tends to sigma_S sqrt(kappa / ((1 - q kappa) Lam))",
    )
    return Formula(
        "schedule_underparameterized_sd",
        "Standard deviation of the limit of sqrt(P) w_i for least squares on a kept fraction q, q kappa < 1",
        "docs/theory.md#schedule; this project (the limit of the supplement's Sec. E law)",
        sp.Symbol(r"\varsigma_{S}"),
        rhs,
        (sigma_S, kappa, q, Lam1),
        r"q\kappa < 1;\ \text{the limit's mean is } B",
    )


@register("schedule_threshold_equation")
def _threshold_equation() -> Formula:
    one_round = formula("asymptotic_threshold_equation")
    t = one_round.args[0]
    rhs = _E(chi[k] * (one_round.rhs + q).subs(K, 1).doit().xreplace({p[1]: 1, Lam[1]: Lam[k], B[1]: B[k]})) - q_next
    # The kept problem thresholds sqrt(P_S) w_i = sqrt(q) sqrt(P) w_i at sqrt(q) t, keeping q'/q of its features.
    sub = on_kept_law(one_round.rhs.xreplace({t: sp.sqrt(q) * t, q: q_next / q}))
    _vanishes(_explicit(q * sub - rhs), "the kept problem's threshold equation at q'/q, times q, is E[chi eta(t)] - q'")
    return Formula(
        "schedule_threshold_equation",
        "Threshold equation of magnitude pruning of the model trained on the kept support (root in t)",
        "docs/theory.md#schedule; this project",
        sp.Function("J_S")(t),
        rhs,
        (t, xi, kappa, tau, q_next, Lam, B, chi, p),
        ASSUMED + r";\ q' < q;\ \xi, \tau^2 \text{ of the kept problem}",
    )


@register("schedule_magnitude_risk")
def _magnitude_risk() -> Formula:
    one_round = formula("asymptotic_magnitude_risk")
    t = one_round.args[0]
    error = (one_round.rhs - sigma**2).subs(K, 1).doit().xreplace({p[1]: 1, Lam[1]: Lam[k], B[1]: B[k]})
    rhs = _dropped() + _E(chi[k] * error)
    sub = on_kept_law(one_round.rhs.xreplace({t: sp.sqrt(q) * t}))
    difference = _explicit(sub - rhs)
    # The thresholded error is homogeneous of degree 2 in (t, mean, sd, B): a 50-digit check at random points
    # of the domain closes what simplification of the Gaussian tails does not.
    _vanishes(difference, "the kept problem's pruned risk in the scale of the original one")
    return Formula(
        "schedule_magnitude_risk",
        "Risk of magnitude pruning of the model trained on the kept support",
        "docs/theory.md#schedule; this project",
        sp.Symbol(r"L_{\mathrm{MP}, S}"),
        rhs,
        (t, xi, kappa, tau, sigma, Lam, B, chi, p),
        ASSUMED + r";\ t \text{ the root of } J_S",
    )


def _vanishes(difference: sp.Expr, message: str, points: int = 3) -> None:
    """Raise unless ``difference`` vanishes to 40 of 50 digits at random admissible points (chi, p in (0, 1))."""
    import random

    rng = random.Random(message)
    free = sorted(difference.free_symbols, key=str)
    for _ in range(points):
        values = {}
        for symbol in free:
            low, high = (0.05, 0.95) if str(symbol).startswith(("chi", "p[")) else (0.2, 1.5)
            values[symbol] = sp.Float(low + (high - low) * rng.random(), 60)
        gap = abs(sp.N(difference.replace(Q, lambda u: sp.erfc(u / sp.sqrt(2)) / 2).xreplace(values), 50))
        if not gap < sp.Float(10) ** -40:
            raise AssertionError(f"derivation check failed: {message}: {gap} at {values}")
