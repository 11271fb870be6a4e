"""Lemma 1: perfectly correlated features x = zeta g (docs/theory.md#correlated-features)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import mpmath
import numpy as np

from dctheory._compiled import compiled
from dctheory.checks import check_dps, check_scalar
from dctheory.engines import verified
from dctheory.errors import ConfigError
from dctheory.results import RankOne

__all__ = ["RankOne", "rank_one"]


def rank_one(zeta: Any, beta: Any, n: int, sigma: float, s: int, *, dps: int | None = None) -> RankOne:
    """Lemma 1's excess risks of the pruned, retrained and dense min-norm models.

    Raises:
        ConfigError: lengths differ, n <= 2, s not in [1, P], sigma < 0, or ``|zeta_i|`` not distinct.
    """
    zeta = np.asarray(zeta, dtype=float)
    beta = np.asarray(beta, dtype=float)
    if zeta.ndim != 1 or zeta.shape != beta.shape or zeta.size == 0:
        raise ConfigError(f"zeta and beta must be 1-d of equal length, got {zeta.shape} and {beta.shape}")
    if not (np.all(np.isfinite(zeta)) and np.all(np.isfinite(beta))):
        raise ConfigError("zeta and beta must be finite")
    n = check_scalar("n", n, low=2, low_open=True, integer=True)
    sigma = check_scalar("sigma", sigma, low=0.0)
    s = check_scalar("s", s, low=1, high=zeta.size, integer=True)
    if np.unique(np.abs(zeta)).size != zeta.size:
        raise ConfigError("Lemma 1 needs distinct |zeta_i| (so that the pruned support is unique)")
    if not np.any(zeta):
        raise ConfigError("zeta must not be the zero vector")
    support = np.sort(np.argsort(-np.abs(zeta), kind="stable")[:s])

    def evaluate(
        backend: str, convert: Callable[[Any], Any], total: Callable[[Iterable[Any]], Any]
    ) -> tuple[Any, Any, Any, Any, Any]:
        z = [convert(x) for x in zeta]
        c = total(convert(a) * convert(b) for a, b in zip(zeta, beta))
        rho = total(z[i] ** 2 for i in support) / total(x**2 for x in z)
        sig = convert(sigma)
        pruned = compiled("rank_one_pruned_excess", backend)(c, rho, sig, n)
        retrained = compiled("rank_one_retrained_excess", backend)(sig, n)
        dense = compiled("rank_one_dense_excess", backend)(sig, n)
        return rho, pruned, retrained, dense, sig**2

    if dps is None:
        values = evaluate("numpy", float, lambda xs: float(np.sum(list(xs))))
        values = (float(values[0]), float(values[1]), float(values[2]), float(values[3]), float(values[4]))
    else:
        values = verified(
            lambda: evaluate("mpmath", lambda x: mpmath.mpf(repr(float(x))), mpmath.fsum),
            check_dps(dps),
            "rank-one risks",
        )
    rho, pruned, retrained, dense, optimal = values
    return RankOne(support, rho, pruned, retrained, dense, optimal, dps=dps)
