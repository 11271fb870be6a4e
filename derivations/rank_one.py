r"""Lemma 1: perfectly correlated features x = zeta g (docs/theory.md#correlated-features).

With a = g^T y / ||g||^2 = zeta^T beta + sigma u, u = g^T z / ||g||^2, we have
E[u] = 0 and E[u^2] = E[1/||g||^2] = E[1/chi^2_n], derived here by integrating
the chi-square density. The pruned model predicts rho a on the direction zeta
(rho = ||zeta_S||^2 / ||zeta||^2); the retrained one predicts a (its fit on S is
a again), so its excess risk is that of the dense model.
"""

from __future__ import annotations

import sympy as sp

from derivations.registry import Formula, check_identity, register
from derivations.symbols import n, sigma

rho = sp.Symbol("rho", nonnegative=True)
alignment = sp.Symbol("c", real=True)  # c = zeta^T beta
u = sp.Symbol("u", real=True)


def inverse_chi_square_mean() -> sp.Expr:
    """E[1/X] for X ~ chi^2_n, by integration of the density (valid for n > 2)."""
    x = sp.Symbol("x", positive=True)
    nu = sp.Symbol("nu", positive=True)
    density = x ** (nu / 2 - 1) * sp.exp(-x / 2) / (2 ** (nu / 2) * sp.gamma(nu / 2))
    value = sp.integrate(density / x, (x, 0, sp.oo), conds="none")
    return sp.simplify(sp.gammasimp(value)).subs(nu, n)


def _expected_excess(prediction_factor: sp.Expr) -> sp.Expr:
    # Excess risk (zeta^T beta - factor * a)^2 with a = zeta^T beta + sigma u, averaged over u.
    a_hat = alignment + sigma * u
    squared = sp.Poly(sp.expand((alignment - prediction_factor * a_hat) ** 2), u)
    moments = {0: 1, 1: 0, 2: inverse_chi_square_mean()}
    return sp.factor(sum(coeff * moments[k] for (k,), coeff in squared.terms()), deep=False)


def _entry(name: str, title: str, expr: sp.Expr, args: tuple[sp.Basic, ...]) -> Formula:
    lhs = {
        "rank_one_pruned_excess": r"\mathbb{E} L(w_s) - L^*",
        "rank_one_retrained_excess": r"\mathbb{E} L(w_{\mathrm{RT}}) - L^*",
        "rank_one_dense_excess": r"\mathbb{E} L(\hat w) - L^*",
    }[name]
    return Formula(
        name,
        title,
        "docs/theory.md#correlated-features; paper, Lemma 1",
        sp.Symbol(lhs),
        expr,
        args,
        r"x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ "
        r"\rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta",
    )


@register("rank_one_pruned_excess")
def _pruned() -> Formula:
    derived = _expected_excess(rho)
    expr = (1 - rho) ** 2 * alignment**2 + rho**2 * sigma**2 / (n - 2)
    check_identity(derived - expr, "Lemma 1: biased pruned excess risk")
    return _entry(
        "rank_one_pruned_excess", "E L(w_s) - L* for magnitude or Hessian pruning", expr, (alignment, rho, sigma, n)
    )


@register("rank_one_retrained_excess")
def _retrained() -> Formula:
    return _entry(
        "rank_one_retrained_excess",
        "E L(w_RT) - L* (retraining on the pruned support)",
        _expected_excess(sp.Integer(1)),
        (sigma, n),
    )


@register("rank_one_dense_excess")
def _dense() -> Formula:
    return _entry(
        "rank_one_dense_excess",
        "E L(w_hat) - L* of the dense min-norm model",
        _expected_excess(sp.Integer(1)),
        (sigma, n),
    )
