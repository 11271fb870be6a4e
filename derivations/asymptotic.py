r"""The asymptotic distributional characterization (docs/theory.md#asymptotic, Def. 3, Theorem 1).

(Lam, B) follows a discrete law with atoms (Lam_k, B_k) and probabilities p_k;
kappa = P/n > 1. The xi equation, tau^2 and the retrained risk are the finite-size
formulas taken to the limit by substitution (:func:`to_asymptotic`); the law of
sqrt(P) w_i is checked against the finite coordinate law. ``hastie_xi`` and
``hastie_tau2`` are derived from the asymptotic equations by solving with a single
atom Lam = 1, E B^2 = gamma^2 (Hastie et al. 2019, Thm 3).
"""

from __future__ import annotations

import sympy as sp

from derivations.registry import Formula, check_identity, formula, register
from derivations.symbols import B, K, Lam, k, kappa, keep, n, p, ridge, sigma, sigma_D, tau, tau2, xi

gamma = sp.Symbol("gamma", nonnegative=True)  # E[B^2] = gamma^2, the signal energy of the isotropic case

# Per-coordinate symbols of the finite formulas and their limits in the law of (Lam, B, eta).
_LIMITS = {"lambda": Lam, "b": B, "beta": B, "eta": keep}


def _a(eigenvalue: sp.Expr) -> sp.Expr:
    return xi * eigenvalue / (1 + xi * eigenvalue)


def _E(expr: sp.Expr) -> sp.Expr:
    return sp.Sum(p[k] * expr, (k, 1, K))


def to_asymptotic(expr: sp.Expr) -> sp.Expr:
    r"""A finite-size expression in the proportional limit P -> oo, n = P/kappa, sqrt(P) b_i -> B.

    Every sum over coordinates becomes an expectation over the law,
    sum_i f(lambda_i, b_i, eta_i) -> E[f(Lam, B, eta)] = sum_k p_k f(Lam_k, B_k, eta_k), n becomes
    1/kappa, the ridge 0 and sigma_D sigma (no features outside D). This is the limit for
    expressions whose terms all scale alike in P: (1/P) sum_i -> E and n/P -> 1/kappa, while
    sum_i lambda_i b_i^2 = E[Lam B^2] exactly, b_i^2 carrying the 1/P.
    """

    def expectation(node: sp.Sum) -> sp.Expr:
        index = node.limits[0][0]
        summand = node.function.replace(
            lambda e: isinstance(e, sp.Indexed) and e.indices == (index,),
            lambda e: _LIMITS[str(e.base.label)][k],
        )
        return _E(summand)

    return expr.replace(lambda e: isinstance(e, sp.Sum), expectation).xreplace({n: 1 / kappa, ridge: 0, sigma_D: sigma})


def _equation() -> sp.Expr:
    return to_asymptotic(formula("xi_equation").rhs)


def _tau2_stated() -> sp.Expr:
    return (sigma**2 + _E(Lam[k] * B[k] ** 2 / (1 + xi * Lam[k]) ** 2)) / (1 - kappa * _E(_a(Lam[k]) ** 2))


def _tau2_stable() -> sp.Expr:
    # The finite tau^2 (its denominator n ridge xi + sum_i a_i (1 - a_i) has no cancellation) in the limit.
    return to_asymptotic(formula("tau2").rhs)


@register("asymptotic_xi_equation")
def _xi_equation() -> Formula:
    check_identity(_equation() - (_E(_a(Lam[k])) - 1 / kappa), "Def. 3: E[xi Lam / (1 + xi Lam)] = 1/kappa")
    return Formula(
        "asymptotic_xi_equation",
        "Equation for xi, asymptotic (E over the law of Lam)",
        "docs/theory.md#asymptotic; paper, Def. 3 (8)",
        sp.Function("F")(xi),
        _equation(),
        (xi, kappa, Lam, p),
        r"\kappa > 1,\ \Pr(\Lambda > 0) > 1/\kappa",
    )


@register("asymptotic_tau2")
def _tau2() -> Formula:
    explicit = {K: 3}
    difference = (1 / _tau2_stated() - 1 / _tau2_stable()) * (
        sigma**2 + _E(Lam[k] * B[k] ** 2 / (1 + xi * Lam[k]) ** 2)
    )
    check_identity(
        (difference + kappa * _equation()).subs(explicit).doit(),
        "stable asymptotic tau^2 denominator equals 1 - kappa E[a^2] at the root",
    )
    return Formula(
        "asymptotic_tau2",
        "tau^2, asymptotic (cancellation-free denominator)",
        "docs/theory.md#asymptotic; this project (equal to Def. 3's (9) at the root)",
        tau2,
        _tau2_stable(),
        (xi, kappa, sigma, Lam, B, p),
        r"\kappa > 1,\ \xi \text{ is the root of } F",
    )


@register("asymptotic_law")
def _law() -> Formula:
    Lam1, B1, H = sp.Symbol("Lambda", positive=True), sp.Symbol("B", real=True), sp.Symbol("H", real=True)
    stated = _a(Lam1) * (B1 + sp.sqrt(kappa) * tau * H / sp.sqrt(Lam1))
    # sqrt(P) (mu_i + s_i H) of the finite coordinate law, with b_i = B / sqrt(P) and n = P / kappa.
    P = sp.Symbol("P", positive=True)
    lam1, b1 = formula("coordinate_mean").args[1:]
    finite = formula("coordinate_mean").rhs + formula("coordinate_sd").rhs * H
    scaled = sp.sqrt(P) * finite.xreplace({b1: B1 / sp.sqrt(P), n: P / kappa, lam1: Lam1})
    check_identity(scaled - stated, "sqrt(P) w_i of Def. 4 tends to X of Def. 3")
    return Formula(
        "asymptotic_law",
        "The limit Omega of sqrt(P) w_hat_i given (Lambda, B), H ~ N(0, 1)",
        "docs/theory.md#asymptotic; paper, Def. 3 (10)",
        sp.Symbol(r"\Omega"),
        stated,
        (xi, kappa, tau, Lam1, B1, H),
        r"\kappa > 1;\ H \sim N(0, 1) \text{ independent of } (\Lambda, B)",
    )


def _isotropic() -> tuple[sp.Expr, sp.Expr]:
    # One atom: Lam = 1 with probability 1 and B^2 = gamma^2.
    atom = {K: 1}
    equation = _equation().subs(atom).doit().subs({Lam[1]: 1, p[1]: 1})
    (root,) = sp.solve(sp.Eq(equation, 0), xi)
    value = _tau2_stated().subs(atom).doit().subs({Lam[1]: 1, p[1]: 1, B[1] ** 2: gamma**2}).subs(xi, root)
    return sp.simplify(root), sp.simplify(value)


@register("hastie_xi")
def _hastie_xi() -> Formula:
    root, _ = _isotropic()
    check_identity(root - 1 / (kappa - 1), "Hastie et al. 2019 Thm 3: xi = 1/(kappa - 1)")
    return Formula(
        "hastie_xi",
        "xi for isotropic features (derived from the asymptotic equation)",
        "docs/theory.md#asymptotic; Hastie et al. 2019, Thm. 3",
        xi,
        root,
        (kappa,),
        r"\Lambda = 1,\ \kappa > 1",
    )


@register("hastie_tau2")
def _hastie_tau2() -> Formula:
    _, derived = _isotropic()
    value = sigma**2 * kappa / (kappa - 1) + gamma**2 * (1 - 1 / kappa)
    check_identity(derived - value, "Hastie et al. 2019 Thm 3: tau^2 = sigma^2 kappa/(kappa-1) + gamma^2 (1 - 1/kappa)")
    return Formula(
        "hastie_tau2",
        "Dense risk for isotropic features (derived from the asymptotic equations)",
        "docs/theory.md#asymptotic; Hastie et al. 2019, Thm. 3",
        tau2,
        value,
        (kappa, sigma, gamma),
        r"\Lambda = 1,\ \mathbb{E}[B^2] = \gamma^2,\ \kappa > 1",
    )


q = sp.Symbol("q", positive=True)


@register("asymptotic_retrained_risk")
def _retrained() -> Formula:
    """Fresh retraining on a kept fraction q = s/P, q kappa < 1 (docs/theory.md#retraining, as P -> oo).

    Derived from ``retrained_risk``: with n = P/kappa and s = q P, its factor
    (n - 1)/(n - s - 1) tends to 1/(1 - q kappa), and (1/P) sum_i lambda_i (sqrt(P) beta_i)^2 (1 - eta_i)
    tends to E[Lam B^2 (1 - pi)].
    """
    finite = formula("retrained_risk")
    sparsity = finite.args[2]
    risk = next(part for part in sp.Mul.make_args(finite.rhs) if part.has(sp.Sum))
    factor = finite.rhs / risk
    P = sp.Symbol("P", positive=True)
    limit = sp.limit(factor.subs({n: P / kappa, sparsity: q * P}), P, sp.oo)
    check_identity(limit - 1 / (1 - q * kappa), "(n - 1)/(n - s - 1) -> 1/(1 - q kappa) at n = P/kappa, s = q P")
    return Formula(
        "asymptotic_retrained_risk",
        "Fresh retraining on a kept fraction q = s/P of the features, asymptotic (q kappa < 1)",
        "docs/theory.md#retraining; this project (Def. 5's procedure in the limit)",
        sp.Symbol(r"L_{\mathrm{RT}}"),
        to_asymptotic(risk) * limit,
        (sigma, kappa, q, Lam, B, keep, p),
        r"\Sigma \text{ diagonal};\ q\kappa < 1;\ \eta \text{ the keep probability of the pruning rule}",
    )


# -- Cor. 1: magnitude pruning in the limit -------------------------------------------------------------------
# Given (Lambda, B), Omega of (10) is Gaussian with mean a(Lambda) B and standard deviation
# a(Lambda) sqrt(kappa) tau / sqrt(Lambda), written without 0/0 at Lambda = 0. Thresholding Omega at t is
# the section-3 integral of one coordinate with these two moments: its keep probability and its error.
t = sp.Symbol("t", nonnegative=True)


def _limit_coordinate(expr: sp.Expr) -> sp.Expr:
    from derivations import thresholded as th

    spread = xi * tau * sp.sqrt(kappa) * sp.sqrt(Lam[k]) / (1 + xi * Lam[k])
    return expr.xreplace({th.t: t, th.mu: _a(Lam[k]) * B[k], th.sd: spread, th.beta: B[k]})


@register("asymptotic_threshold_equation")
def _threshold_equation() -> Formula:
    from derivations.thresholded import kept_moment

    return Formula(
        "asymptotic_threshold_equation",
        "Threshold equation of magnitude pruning, asymptotic: Pr(|Omega| > t) = q (root in t)",
        "docs/theory.md#thresholded-risk; paper, (15)",
        sp.Function("J")(t),
        _E(_limit_coordinate(kept_moment(0))) - q,
        (t, xi, kappa, tau, q, Lam, B, p),
        r"\text{Assumptions 1--3};\ q = s/P \in (0, 1);\ \xi, \tau^2 \text{ of Def. 3}",
    )


@register("asymptotic_magnitude_risk")
def _magnitude_risk() -> Formula:
    from derivations.thresholded import kept_error_stable

    return Formula(
        "asymptotic_magnitude_risk",
        "Risk of magnitude pruning, asymptotic: sigma^2 + E[Lambda (B - T_t(Omega))^2]",
        "docs/theory.md#thresholded-risk; paper, Cor. 1",
        sp.Symbol(r"L_{\mathrm{MP}}"),
        sigma**2 + _E(Lam[k] * _limit_coordinate(kept_error_stable())),
        (t, xi, kappa, tau, sigma, Lam, B, p),
        r"\text{Assumptions 1--3};\ t \text{ is the root of } J",
    )
