"""The DC pipeline, once: the order of the steps of every prediction, for every backend and route.

:func:`strategy_risks` walks the steps of docs/theory.md in the one order they have:

1. the dense solution (regime; xi and tau^2, or the least-squares risk) and the coordinate law (mean and sd of
   each coordinate, Def. 4), which give the dense risk;
2. the oracle risk (keep D* cap D);
3. nothing to prune (rank <= s): every other strategy keeps the dense model, and the prediction ends;
4. the random-pruning risk;
5. every pruning rule of the route (``route.rules``: :data:`dctheory.strategies.RULES`, or the ones a caller
   asked for) (threshold roots, or the exact top-s rule where the coefficients have no variance) with its
   pruned risk and kept counts;
6. fresh retraining on each rule's kept support.

A *route* supplies each step for its kind of input; the backend ``bk`` (:mod:`dctheory.backends`) supplies the
arithmetic of its precision. Routes: the float64 batch of feature sets over atoms and the mpmath prediction of
one feature set (:mod:`dctheory.risks`), and the law of the asymptotic DC on a quadrature rule
(:mod:`dctheory.asymptotic`). Each step's mathematics is in :mod:`dctheory.kernel`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["strategy_risks"]


def strategy_risks(bk: Any, route: Any) -> dict[str, Any]:
    """strategy -> risk (per row for a batch route), the steps above in their order. ``route`` has the methods
    ``dense``, ``oracle``, ``nothing_to_prune``, ``random``, ``prune`` and ``retrain`` and the attribute
    ``rules``; each writes its strategies into the dict that ``dense`` returns (the route keeps what later steps
    need)."""
    risks: dict[str, Any] = route.dense(bk)
    route.oracle(bk, risks)
    if route.nothing_to_prune(bk, risks):
        return risks
    route.random(bk, risks)
    kept = route.prune(bk, risks)
    for rule in route.rules:
        route.retrain(bk, rule, kept[rule.name], risks)
    return risks
