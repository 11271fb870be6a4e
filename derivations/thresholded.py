r"""The thresholded-risk integral (docs/theory.md#thresholded-risk, the paper's Sec. 5.2 and Cor. 1).

A coordinate w_i ~ N(mu_i, varsigma_i^2) is kept when |w_i| > t. With Z = (w_i - mu_i)/varsigma_i
the kept region is Z > A1 or Z < A2, A1 = (t - mu_i)/varsigma_i, A2 = (-t - mu_i)/varsigma_i. Every moment is
obtained by integrating the Gaussian density (sympy), never transcribed; the
lower tail is integrated after z -> -z so that it, too, is an upper tail
(no 1 - Q cancellation).
"""

from __future__ import annotations

import sympy as sp

from derivations.gaussian import Q, upper_tail_moment
from derivations.registry import Formula, check_identity, register, register_joint

t = sp.Symbol("t", nonnegative=True)
mu = sp.Symbol("mu_i", real=True)
sd = sp.Symbol("varsigma_i", positive=True)  # the coordinate standard deviation
beta = sp.Symbol("beta_i", real=True)
A1 = (t - mu) / sd
A2 = (-t - mu) / sd


def kept_moment(k: int) -> sp.Expr:
    """E[w^k 1{|w| > t}] for w ~ N(mu_i, varsigma_i^2)."""
    upper = upper_tail_moment(k, A1, mu, sd)
    # {Z < A2} = {-Z > -A2}, and -Z is again standard normal: w = mu - varsigma Z'.
    lower = upper_tail_moment(k, -A2, mu, -sd)
    return _tidy(upper + lower)


def _tidy(expr: sp.Expr) -> sp.Expr:
    # Simplify the arguments of Q and exp only, for LaTeX that reads like the paper.
    expr = expr.replace(Q, lambda u: Q(sp.factor(u)))
    return expr.replace(sp.exp, lambda u: sp.exp(sp.factor(u)))


POSITIVE_SD = r"\varsigma_i > 0,\ t \ge 0"
STANDARDIZED = r"\bar t_i = t / \varsigma_i,\ \bar\mu_i = \mu_i / \varsigma_i,\ \varsigma_i > 0"
OURS = "docs/theory.md#thresholded-risk; this project"


def _entry(name: str, title: str, lhs: sp.Basic, expr: sp.Expr, assumptions: str = POSITIVE_SD) -> Formula:
    return Formula(name, title, OURS, lhs, expr, (t, mu, sd), assumptions)


@register("keep_probability")
def _keep() -> Formula:
    return _entry(
        "keep_probability", "Keep probability eta_i(t) = Pr(|w_i| > t)", sp.Symbol(r"\eta_{i}(t)"), kept_moment(0)
    )


@register("keep_probability_derivative")
def _keep_derivative() -> Formula:
    return _entry(
        "keep_probability_derivative",
        "d eta_i / d t (for Newton steps on the threshold)",
        sp.Symbol(r"\eta_{i}'(t)"),
        sp.simplify(sp.diff(kept_moment(0), t)),
    )


# The threshold equation in units of each coordinate's sd: tbar_i = t / varsigma_i, mubar_i = mu_i / varsigma_i.
# eta depends on (t, mu_i, varsigma_i) only through these two ratios, so a root finder that computes them
# once per coordinate evaluates two shifted tails per step and no division.
z = sp.Symbol("tbar_i", real=True)
r = sp.Symbol("mubar_i", real=True)


def _standardized(expr: sp.Expr) -> sp.Expr:
    """``expr`` (a function of t, mu_i, varsigma_i, homogeneous of degree 0) at t = z varsigma, mu = r varsigma."""
    return sp.simplify(expr.subs({t: z * sd, mu: r * sd}, simultaneous=True))


@register("standardized_keep_probability")
def _keep_standardized() -> Formula:
    expr = _standardized(kept_moment(0))
    if expr.has(sd):
        raise AssertionError(f"the keep probability is not homogeneous of degree 0: {expr}")
    return Formula(
        "standardized_keep_probability",
        "Keep probability in units of the coordinate sd, eta_i = Q(tbar_i - mubar_i) + Q(tbar_i + mubar_i)",
        OURS,
        sp.Symbol(r"\eta_{i}(t)"),
        expr,
        (z, r),
        STANDARDIZED,
    )


@register("standardized_keep_probability_derivative")
def _keep_standardized_derivative() -> Formula:
    expr = _tidy(sp.diff(_standardized(kept_moment(0)), z))  # two densities, not simplified into exp(2 r z) forms
    return Formula(
        "standardized_keep_probability_derivative",
        "d eta_i / d tbar_i, so that d eta_i / d t = (d eta_i / d tbar_i) / varsigma_i (for Newton steps on the threshold)",
        OURS,
        sp.Symbol(r"\partial \eta_{i} / \partial \bar{t}_{i}"),
        expr,
        (z, r),
        STANDARDIZED,
    )


@register("standardized_keep_probability_second_derivative")
def _keep_standardized_second_derivative() -> Formula:
    expr = _tidy(sp.diff(_standardized(kept_moment(0)), z, 2))
    return Formula(
        "standardized_keep_probability_second_derivative",
        "d^2 eta_i / d tbar_i^2 (for Halley steps on the threshold)",
        OURS,
        sp.Symbol(r"\partial^2 \eta_{i} / \partial \bar{t}_{i}^2"),
        expr,
        (z, r),
        STANDARDIZED,
    )


# Each Halley step on the threshold sums all three over the coordinates: one call shares the two densities.
register_joint(
    "standardized_keep_terms",
    (
        "standardized_keep_probability",
        "standardized_keep_probability_derivative",
        "standardized_keep_probability_second_derivative",
    ),
    "eta_i, d eta_i / d tbar_i and d^2 eta_i / d tbar_i^2 at one point (Halley steps on the threshold)",
)


@register("thresholded_m1")
def _m1() -> Formula:
    return _entry("thresholded_m1", "M_1,i(t) = E[w_i 1{|w_i| > t}]", sp.Symbol("M_{1,i}(t)"), kept_moment(1))


@register("thresholded_m2")
def _m2() -> Formula:
    return _entry("thresholded_m2", "M_2,i(t) = E[w_i^2 1{|w_i| > t}]", sp.Symbol("M_{2,i}(t)"), kept_moment(2))


@register("pruned_error")
def _pruned_error() -> Formula:
    # E[(w 1{|w|>t} - beta)^2] = M2 - 2 beta M1 + beta^2.
    expr = kept_moment(2) - 2 * beta * kept_moment(1) + beta**2
    return Formula(
        "pruned_error",
        "Per-coordinate error of hard thresholding, e_i(t) = E[(w_i 1{|w_i| > t} - beta_i)^2]",
        OURS,
        sp.Symbol("e_{i}(t)"),
        expr,
        (t, mu, sd, beta),
        POSITIVE_SD,
    )


def kept_error_stable() -> sp.Expr:
    """E[(w 1{|w| > t} - beta)^2] written without cancellation (docs/theory.md#thresholded-risk).

    The error splits into the kept part, E[(w - beta)^2 1{|w| > t}] (w - beta = (mu - beta) + varsigma Z,
    integrated like the kept moments), and beta^2 times the drop probability P(A2 < Z < A1) =
    Q(-A1) - Q(-A2). The form M2 - 2 beta M1 + beta^2 loses every digit when a coordinate is kept
    almost surely and varsigma << |beta| (one eigenvalue far above the others), this one none."""
    kept = upper_tail_moment(2, A1, mu - beta, sd) + upper_tail_moment(2, -A2, mu - beta, -sd)
    drop = upper_tail_moment(0, -A1, 0, 1) - upper_tail_moment(0, -A2, 0, 1)
    return _tidy(kept + beta**2 * drop)


@register("pruned_error_stable")
def _pruned_error_stable() -> Formula:
    expr = kept_error_stable()
    original = kept_moment(2) - 2 * beta * kept_moment(1) + beta**2
    difference = (expr - original).rewrite(sp.erfc)
    check_identity(difference, "the cancellation-free pruned error equals M2 - 2 beta M1 + beta^2")
    return Formula(
        "pruned_error_stable",
        "Per-coordinate error of hard thresholding, kept part plus beta^2 times the drop probability",
        "docs/theory.md#thresholded-risk; this project",
        sp.Symbol("e_{i}(t)"),
        expr,
        (t, mu, sd, beta),
        POSITIVE_SD,
    )
