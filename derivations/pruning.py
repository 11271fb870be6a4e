r"""Risks of pruned and retrained models with diagonal Sigma (docs/theory.md#thresholded-risk, #retraining).

Sums run over the trained coordinates i in D (upper limit m), except that the effective noise
sums over the P - m features outside D and fresh retraining over all P features (their display
forms write these index sets, and derivations.display checks them on a concrete problem);
``sigma_D`` carries the features outside D (sigma_D^2 = sigma^2 + sum_{i not in D} lambda_i beta_i^2).
``varsigma[i]`` is the coordinate standard deviation varsigma_i, ``eta[i]`` a keep probability and
``s`` the sparsity target.
"""

from __future__ import annotations

import sympy as sp

from derivations.registry import Formula, register
from derivations.symbols import i, keep, lam, m, n, sigma, sigma_D
from derivations.thresholded import beta as beta_s
from derivations.thresholded import kept_error_stable, mu, sd, t

sparsity = sp.Symbol("s", positive=True)
beta = sp.IndexedBase("beta", real=True)
mean = sp.IndexedBase("mu", real=True)
spread = sp.IndexedBase("varsigma", positive=True)
threshold = sp.IndexedBase("t", nonnegative=True)
oracle = sp.IndexedBase("o", nonnegative=True)
P = sp.Symbol("P", positive=True, integer=True)


def _at(expr: sp.Expr) -> sp.Expr:
    """A per-coordinate expression of section 3 evaluated at coordinate i."""
    return expr.xreplace({t: threshold[i], mu: mean[i], sd: spread[i], beta_s: beta[i]})


def _sum(expr: sp.Expr, upper: sp.Expr = m) -> sp.Expr:
    return sp.Sum(expr, (i, 1, upper))


@register("effective_noise")
def _effective_noise() -> Formula:
    # A sum of the dropped features' signal, never sigma^2 + beta^T Sigma beta minus the kept part:
    # the difference loses every digit when one lambda_i beta_i^2 dominates.
    return Formula(
        "effective_noise",
        "Effective noise variance of a model trained on D: the noise plus the signal of the dropped features "
        "(weights: the number of dropped copies of each coordinate)",
        "docs/theory.md#notation; paper, Sec. 5.3 (this project: the diagonal case)",
        sp.Symbol("sigma_D^2"),
        sigma**2 + _sum(lam[i] * beta[i] ** 2, P - m),
        (sigma, lam, beta),
        r"\Sigma \text{ diagonal};\ \lambda_i, \beta_i \text{ of the } P - m \text{ features outside } D",
    )


@register("thresholded_risk")
def _thresholded_risk() -> Formula:
    # The cancellation-free per-coordinate error (``pruned_error_stable``): kept part + beta^2 P(dropped).
    error = kept_error_stable()
    return Formula(
        "thresholded_risk",
        "Risk after hard thresholding at per-coordinate thresholds t_i (magnitude: t_i = t; "
        "Hessian: t_i = t'/sqrt(lambda_i))",
        "docs/theory.md#thresholded-risk; this project (the finite-size form of Cor. 1)",
        sp.Symbol(r"L_{\mathrm{MP/HP}}"),
        sigma_D**2 + _sum(lam[i] * _at(error)),
        (sigma_D, lam, threshold, mean, spread, beta),
        r"\Sigma \text{ diagonal};\ \textstyle\sum_{i \in D} \eta_i(t_i) = s",
    )


@register("oracle_risk")
def _oracle_risk() -> Formula:
    kept_error = (mean[i] - beta[i]) ** 2 + spread[i] ** 2
    return Formula(
        "oracle_risk",
        "Risk of oracle pruning (keep o_i = 1 on D* = top-s of lambda_i beta_i^2, no refit)",
        "docs/theory.md#thresholded-risk; this project",
        sp.Symbol(r"L_{\mathrm{OR}}"),
        sigma_D**2 + _sum(lam[i] * (oracle[i] * kept_error + (1 - oracle[i]) * beta[i] ** 2)),
        (sigma_D, lam, oracle, mean, spread, beta),
        r"\Sigma \text{ diagonal};\ o_i = 1 \text{ for } i \in D^* \cap D,\ o_i = 0 \text{ otherwise}",
    )


@register("random_pruning_risk")
def _random_pruning_risk() -> Formula:
    kept_error = (mean[i] - beta[i]) ** 2 + spread[i] ** 2
    fraction = sparsity / m
    return Formula(
        "random_pruning_risk",
        "Risk of pruning a uniformly random s-subset of D",
        "docs/theory.md#thresholded-risk; this project",
        sp.Symbol(r"L_{\mathrm{RP}}"),
        sigma_D**2 + _sum(lam[i] * (fraction * kept_error + (1 - fraction) * beta[i] ** 2)),
        (sigma_D, sparsity, m, lam, mean, spread, beta),
        r"\Sigma \text{ diagonal};\ s \le m",
    )


@register("retrained_risk")
def _retrained_risk() -> Formula:
    return Formula(
        "retrained_risk",
        "Risk of fresh retraining on the pruned support, s < n - 1 (eta_i = 0 outside D)",
        "docs/theory.md#retraining; this project (a closed form of Def. 5's procedure)",
        sp.Symbol(r"L_{\mathrm{RT}}"),
        (sigma**2 + _sum(lam[i] * beta[i] ** 2 * (1 - keep[i]), P)) * (n - 1) / (n - sparsity - 1),
        (sigma, n, sparsity, lam, beta, keep),
        r"\Sigma \text{ diagonal};\ s < n - 1;\ \eta_i = 0 \text{ for } i \notin D;\ \text{fresh sample}",
    )
