r"""The finite-size distributional characterization (docs/theory.md#finite-size, the paper's Def. 4).

Symbols: ``lam[i]`` eigenvalues of the effective covariance Sigma_DD, ``b[i]``
the rotated effective coefficients U^T beta_D, ``xi`` the effective inverse
regularization, ``n`` the sample size, ``m`` the number of trained features,
``ridge`` the ridge strength (0 for the min-norm interpolator), ``sigma_D``
the effective noise level.
"""

from __future__ import annotations

import sympy as sp

from derivations.registry import Formula, check_identity, register, register_joint
from derivations.symbols import b, i, lam, lam_s, m, n, ridge, sigma_D, tau, tau2, xi

c = sp.Symbol("c", positive=True)


def shrinkage_of(eigenvalue: sp.Expr) -> sp.Expr:
    """a = xi lam / (1 + xi lam): the fraction of a coordinate that min-norm recovers."""
    return xi * eigenvalue / (1 + xi * eigenvalue)


def total(expr: sp.Expr) -> sp.Expr:
    return sp.Sum(expr, (i, 1, m))


a = shrinkage_of(lam[i])


@register("shrinkage")
def _shrinkage() -> Formula:
    return Formula(
        "shrinkage",
        "Per-coordinate shrinkage factor a_i",
        "docs/theory.md#finite-size; paper, Def. 4",
        sp.Symbol("a_i"),
        shrinkage_of(lam_s),
        (xi, lam_s),
        r"\xi > 0,\ \lambda_i \ge 0;\ \text{then } 0 \le a_i < 1",
    )


@register("shrinkage_log_derivative")
def _shrinkage_log_derivative() -> Formula:
    # Newton steps in u = log xi (the solver's variable) need d a / d u = xi d a / d xi.
    derived = sp.factor(xi * sp.diff(shrinkage_of(lam_s), xi))
    check_identity(derived - shrinkage_of(lam_s) * (1 - shrinkage_of(lam_s)), "d a / d log xi = a (1 - a)")
    return Formula(
        "shrinkage_log_derivative",
        "d a_i / d log xi (for Newton steps on the xi equation)",
        "docs/theory.md#finite-size; this project",
        sp.Symbol(r"\partial a_{i} / \partial \log \xi"),
        derived,
        (xi, lam_s),
        r"\xi > 0,\ \lambda_i \ge 0",
    )


@register("shrinkage_complement")
def _shrinkage_complement() -> Formula:
    # 1 - a_i, computed without the subtraction: near a_i = 1 (xi lam_i >> 1) the difference would keep
    # only the digits of a_i beyond 1 (the ridgeless xi solver needs W - S = sum_i w_i (1 - a_i) exactly).
    derived = sp.factor(1 - shrinkage_of(lam_s))
    check_identity(derived - 1 / (1 + xi * lam_s), "1 - a = 1 / (1 + xi lambda)")
    return Formula(
        "shrinkage_complement",
        "1 - a_i, the part of a coordinate that min-norm does not recover",
        "docs/theory.md#finite-size; this project",
        sp.Symbol(r"1 - a_{i}"),
        derived,
        (xi, lam_s),
        r"\xi > 0,\ \lambda_i \ge 0",
    )


# Each Newton step on the xi equation sums a_i, its derivative in log xi and 1 - a_i (ridgeless) over the
# coordinates: one call per coordinate shares lambda_i xi + 1.
register_joint(
    "shrinkage_terms",
    ("shrinkage", "shrinkage_log_derivative", "shrinkage_complement"),
    "a_i, d a_i / d log xi and 1 - a_i at one point (Newton steps on the xi equation)",
)


@register("xi_equation")
def _xi_equation() -> Formula:
    return Formula(
        "xi_equation",
        "Equation for xi, ridgeless overparameterized (root F(xi) = 0)",
        "docs/theory.md#finite-size; paper, Def. 4",
        sp.Function("F")(xi),
        total(a) - n,
        (xi, n, lam),
        r"m > n,\ \lambda_r = 0;\ F \text{ increases from } -n \text{ to } \operatorname{rank}\Sigma_{DD} - n"
        r"\text{, so a unique root } \xi > 0 \text{ exists iff } \operatorname{rank}\Sigma_{DD} > n",
    )


@register("ridge_equation")
def _ridge_equation() -> Formula:
    # Start from the standard deterministic equivalent in c = 1/xi ...
    stated = c * (1 - total(lam[i] / (lam[i] + c)) / n) - ridge
    # ... and derive the form in xi that the solver uses: sum_i a_i + n ridge xi - n = 0.
    derived = total(a) + n * ridge * xi - n
    explicit = {m: 3}
    check_identity(
        (stated.subs(c, 1 / xi) * (-n * xi) - derived).subs(explicit).doit(),
        "ridge equation in c equals the xi form times -1/(n xi)",
    )
    return Formula(
        "ridge_equation",
        "Equation for xi with ridge lambda_r > 0 (any m/n)",
        "docs/theory.md#finite-size; this project (the standard deterministic equivalent of ridge regression)",
        sp.Function("G")(xi),
        derived,
        (xi, n, ridge, lam),
        r"\lambda_r > 0;\ G \text{ increases from } -n \ (\xi \to 0) \text{ to } +\infty"
        r"\text{, so the root } \xi > 0 \text{ is unique}",
    )


def _tau2_stated() -> sp.Expr:
    return (sigma_D**2 + total(lam[i] * b[i] ** 2 / (1 + xi * lam[i]) ** 2)) / (1 - total(a**2) / n)


@register("tau2")
def _tau2() -> Formula:
    stated = _tau2_stated()
    numerator = sigma_D**2 + total(lam[i] * b[i] ** 2 / (1 + xi * lam[i]) ** 2)
    # n - sum a^2 = (n - sum a) + sum a (1 - a), and n - sum a = n ridge xi at the root:
    # this denominator has no cancellation near m = n, where sum a^2 -> n - 1.
    stable = numerator / (ridge * xi + total(sp.factor(a * (1 - a))) / n)
    explicit = {m: 3}
    equation = (total(a) + n * ridge * xi - n).subs(explicit).doit()
    check_identity(
        (1 / (stated / numerator) - 1 / (stable / numerator)).subs(explicit).doit() + equation / n,
        "stable tau^2 denominator equals 1 - sum a^2 / n at the root",
    )
    return Formula(
        "tau2",
        "Dense-risk parameter tau^2 (cancellation-free denominator)",
        "docs/theory.md#finite-size; this project (equal to Def. 4's $\\tau^2$ at the root)",
        tau2,
        stable,
        (xi, n, ridge, sigma_D, lam, b),
        r"\xi \text{ is the root of } F \ (\lambda_r = 0) \text{ or of } G \ (\lambda_r > 0)",
    )


@register("tau2_stated")
def _tau2_stated_formula() -> Formula:
    return Formula(
        "tau2_stated",
        "tau^2 as the paper writes it",
        "docs/theory.md#finite-size; paper, Def. 4",
        tau2,
        _tau2_stated(),
        (xi, n, sigma_D, lam, b),
        r"m > n,\ \xi \text{ is the root of } F;\ \text{the denominator lies in } (0, 1)",
    )


@register("coordinate_mean")
def _coordinate_mean() -> Formula:
    return Formula(
        "coordinate_mean",
        "Mean of a min-norm coordinate in the eigenbasis",
        "docs/theory.md#finite-size; paper, Def. 4",
        sp.Symbol("mu_i"),
        shrinkage_of(lam_s) * sp.Symbol("b_i", real=True),
        (xi, lam_s, sp.Symbol("b_i", real=True)),
        r"m > n \text{ or } \lambda_r > 0",
    )


@register("coordinate_sd")
def _coordinate_sd() -> Formula:
    stated = shrinkage_of(lam_s) * tau / sp.sqrt(n * lam_s)
    stable = xi * tau * sp.sqrt(lam_s) / ((1 + xi * lam_s) * sp.sqrt(n))
    check_identity(stated - stable, "coordinate sd without 0/0 at lambda_i = 0")
    return Formula(
        "coordinate_sd",
        "Standard deviation of a min-norm coordinate in the eigenbasis",
        "docs/theory.md#finite-size; paper, Def. 4",
        sp.Symbol(r"\varsigma_{i}"),
        stable,
        (xi, tau, n, lam_s),
        r"m > n \text{ or } \lambda_r > 0;\ \lambda_i \ge 0 \ (\varsigma_i = 0 \text{ at } \lambda_i = 0)",
    )


@register("underparameterized_sd")
def _underparameterized_sd() -> Formula:
    return Formula(
        "underparameterized_sd",
        "Standard deviation of a least-squares coordinate, m < n - 1",
        "docs/theory.md#finite-size; supplement, Sec. E; Hastie et al. 2019",
        sp.Symbol(r"\varsigma_{i}"),
        sigma_D / sp.sqrt((n - m - 1) * lam_s),
        (sigma_D, n, m, lam_s),
        r"m < n - 1,\ \lambda_i > 0;\ \text{the coordinate's mean is } \beta_i",
    )


@register("underparameterized_risk")
def _underparameterized_risk() -> Formula:
    # The exact mean risk: sigma_D^2 + sum_i lambda_i Var(w_i), with the variance above.
    per_coordinate = lam[i] * (sigma_D / sp.sqrt((n - m - 1) * lam[i])) ** 2
    derived = sigma_D**2 * (n - 1) / (n - m - 1)
    check_identity((sigma_D**2 + total(per_coordinate)).doit() - derived, "underparameterized mean risk")
    return Formula(
        "underparameterized_risk",
        "Exact mean risk of least squares, m < n - 1",
        "docs/theory.md#finite-size; supplement, Sec. E; Hastie et al. 2019",
        sp.Symbol(r"\mathbb{E} L(\hat w)"),
        derived,
        (sigma_D, n, m),
        r"m < n - 1",
    )


def _ridge_residual_share() -> tuple[sp.Expr, sp.Expr]:
    """(stated, stable) forms of the finite-n shift rho of the sample size with a ridge (``ridge_sample_size``)."""
    squares = total(a**2)
    stated = (n - total(a)) / (n - squares) * squares / m
    stable = ridge * xi * squares / ((ridge * xi + total(sp.factor(a * (1 - a))) / n) * m)
    return stated, stable


@register("ridge_sample_size")
def _ridge_sample_size() -> Formula:
    # The exact least-squares risk (m < n - 1) is Def. 4's with n - 1 for n (``underparameterized_risk``), while
    # above the threshold the ridgeless prediction is Def. 4 with n itself. With a ridge the prediction uses
    # n_lambda = n - rho: rho is the share of the residual degrees of freedom n - sum a_i in n - sum a_i^2
    # (1 below the threshold and 0 above it as the ridge vanishes) times the mean of a_i^2 over the m
    # coordinates (1 at a vanishing ridge below the threshold, 0 as the ridge grows).
    stated, stable = _ridge_residual_share()
    explicit = {m: 3}
    at_root = {ridge: (n - total(a)) / (n * xi)}  # the ridge equation solved for the ridge
    check_identity(
        (stated - stable.subs(at_root)).subs(explicit).doit(), "stable rho equals its stated form at the root"
    )
    # Below the threshold (m = 3 < n, xi = 1/c, c -> 0 along the root): rho -> 1, so n_lambda -> n - 1.
    below = stated.subs(explicit).doit().subs(xi, 1 / c)
    check_identity(sp.limit(below, c, 0) - 1, "rho -> 1 below the threshold as the ridge vanishes")
    # Above it (xi stays finite as the ridge vanishes): rho -> 0, so n_lambda -> n.
    check_identity(stable.subs(ridge, 0), "rho = 0 at ridge 0 for a finite xi")
    return Formula(
        "ridge_sample_size",
        "Finite-n sample size n_lambda of the ridge prediction",
        "docs/theory.md#finite-size; this project (exact as the ridge vanishes, an O(1/n) choice otherwise)",
        sp.Symbol("n_lambda"),
        n - stable,
        (xi, n, ridge, m, lam),
        r"\lambda_r > 0,\ \xi \text{ the root of } G \text{ with } n;\ m \text{ the coordinates with } "
        r"\lambda_i > 0;\ n - 1 \le n_{\lambda} \le n",
    )


@register("ridge_tau2_limit")
def _ridge_tau2_limit() -> Formula:
    # The dense risk of the ridge prediction as the ridge vanishes below the threshold: tau^2 with n_lambda for
    # n, along the root of the ridge equation with n_lambda (xi = 1/c, c -> 0), is sigma_D^2 n_lambda /
    # (n_lambda - m); at n_lambda = n - 1 that is the exact least-squares risk.
    size = sp.Symbol("n_lambda", positive=True)
    explicit = {m: 3}
    at_root = {ridge: (size - total(a)) / (size * xi)}
    t2 = _tau2().rhs.subs(n, size)
    limit = sp.limit(t2.subs(at_root).subs(explicit).doit().subs(xi, 1 / c), c, 0)
    derived = sigma_D**2 * size / (size - m)
    check_identity(limit - derived.subs(explicit), "tau^2 -> sigma_D^2 n_lambda / (n_lambda - m) as c -> 0")
    check_identity(
        derived.subs(size, n - 1) - _underparameterized_risk().rhs, "at n_lambda = n - 1: the least-squares risk"
    )
    return Formula(
        "ridge_tau2_limit",
        "Dense ridge risk as the ridge vanishes, m < n_lambda",
        "docs/theory.md#finite-size; this project",
        sp.Symbol(r"\lim_{\lambda_r \to 0} \tau^2"),
        derived,
        (sigma_D, size, m),
        r"m < n_{\lambda};\ \text{at } n_{\lambda} = n - 1 \text{ it is the exact least-squares risk}",
    )
