"""The strategies: one table of names, display order, pruning rules and descriptions (a leaf module).

Every other module reads the strategies from here and spells out none of their names: the predictions
(:mod:`dctheory.risks`, :mod:`dctheory.asymptotic`, :mod:`dctheory.sampling`) loop over
:data:`RULES`, the results order their columns by :data:`ORDER`, :mod:`dctheory.advise` and
:mod:`dctheory.plots` read :data:`NEEDS_ORACLE`, :data:`SMALL`, :data:`DESCRIPTION` and :data:`STYLES`.

A pruning *rule* keeps a coordinate when its score exceeds a threshold (docs/theory.md#thresholded-risk):
magnitude pruning keeps |w_i| > t, Hessian pruning h_i w_i^2 > t'^2, i.e. |w_i| > t' c_i with the
per-atom scale c_i = 1/sqrt(h_i). Hessian pruning comes in two rules: ``hessian`` scores with the sample
diagonal h_i = ||X_i||^2 / n of the training design (the rule as it is run), ``hessian_population`` with
the population diagonal h_i = lambda_i (Sigma_ii for a full covariance). A rule is given by

* ``scale(bk, lam)``: c_i for lambda_i > 0 (bk: a backend of :mod:`dctheory.backends`);
* ``score(lam, w)``: the saliency that the exact top-s rule sorts by (a monotone function of |w_i| / c_i);
* ``scale_power`` p with c_i proportional to lambda_i^-p (how a threshold rescales with the units);
* ``sample_diagonal``: whether ``lam`` in ``scale`` and ``score`` is the sample diagonal
  h_i = lambda_i u_i, u_i ~ chi^2_n / n (:mod:`dctheory.sample_diagonal`), rather than lambda_i itself;

and each rule has a fresh-retraining partner (``<rule>_retrained``, docs/theory.md#retraining). Adding a
thresholding rule is one :class:`Rule` in :data:`RULES`; the routes evaluate it with the others.

This module imports nothing from :mod:`dctheory`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Rule",
    "RULES",
    "STRATEGIES",
    "ORDER",
    "DENSE",
    "ORACLE",
    "RANDOM",
    "FALLS_BACK_TO_DENSE",
    "SMALL",
    "SMALL_FIRST",
    "SMALL_ORACLE",
    "SPARSE_STRATEGIES",
    "NEEDS_ORACLE",
    "DESCRIPTION",
    "STYLES",
    "ordered",
    "population_twin",
    "solved_rules",
    "retrained",
    "ROUNDS",
    "in_rounds",
]


@dataclass(frozen=True)
class Rule:
    """A thresholding pruning rule (see the module docstring)."""

    name: str
    scale: Callable[[Any, Any], Any]
    score: Callable[[Any, Any], Any]
    scale_power: float
    description: str
    style: tuple[str, str]
    sample_diagonal: bool = False


def _unit_scale(bk: Any, lam: Any) -> Any:
    return bk.ones_like(lam)


def _hessian_scale(bk: Any, lam: Any) -> Any:
    return 1 / bk.sqrt(lam)


def _hessian_score(lam: Any, w: Any) -> Any:
    return lam * w**2


RULES = (
    Rule("magnitude", _unit_scale, lambda lam, w: abs(w), 0.0, "prune by magnitude", ("C0", "-")),
    Rule(
        "hessian",
        _hessian_scale,
        _hessian_score,
        0.5,
        "prune by Hessian (sample diagonal |X_i|^2/n)",
        ("C1", "-"),
        sample_diagonal=True,
    ),
    Rule(
        "hessian_population",
        _hessian_scale,
        _hessian_score,
        0.5,
        "prune by Hessian (population diagonal Sigma_ii)",
        ("C3", "-"),
    ),
)


@functools.cache  # (cached, as solved_rules: 0.2 us a call against 0.4, 0.4 against 1.5 there)
def population_twin(rule: Rule) -> Rule:
    """The rule that scores as the sample-diagonal ``rule`` does, with the population diagonal (the same
    scale): its threshold, solved first, brackets and seeds the sample-diagonal rule's."""
    return next(other for other in RULES if other.scale is rule.scale and not other.sample_diagonal)


@functools.cache
def solved_rules(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """The population rules whose thresholds evaluating ``rules`` solves, in :data:`RULES` order: those asked
    for, and the population twins of the sample-diagonal ones, asked for or not (so that a rule's numbers do
    not depend on which others are asked for)."""
    needed = {population_twin(rule) if rule.sample_diagonal else rule for rule in rules}
    return tuple(rule for rule in RULES if rule in needed)


DENSE, ORACLE, RANDOM = "dense", "oracle", "random"
SUFFIX = "_retrained"


def retrained(rule: str) -> str:
    """The name of fresh retraining on the support that ``rule`` keeps."""
    return rule + SUFFIX


def in_rounds(rule: str) -> str:
    """The name of pruning by ``rule`` in rounds, with fresh retraining after each (:func:`dctheory.predict_schedule`)."""
    return rule + "_rounds"


#: every strategy a prediction reports, in display order
STRATEGIES = (DENSE, *(r.name for r in RULES), ORACLE, RANDOM, *(retrained(r.name) for r in RULES))
ORDER = STRATEGIES
#: strategies that keep the dense model when there is nothing to prune (rank <= s); the oracle still
#: zeroes D minus D*
FALLS_BACK_TO_DENSE = tuple(name for name in STRATEGIES if name not in (DENSE, ORACLE))
#: the small models of :func:`dctheory.advise` (trained on s features, no pruning)
SMALL_FIRST, SMALL_ORACLE = SMALL = ("small_first", "small_oracle")
#: pruning in rounds, retraining after each (:func:`dctheory.advise` with ``schedules=True``)
ROUNDS = tuple(in_rounds(r.name) for r in RULES)
#: every route to an s-sparse model that :func:`dctheory.advise` ranks
SPARSE_STRATEGIES = SMALL + STRATEGIES[1:] + ROUNDS
#: strategies that need the true top-s features D*
NEEDS_ORACLE = (SMALL_ORACLE, ORACLE)

DESCRIPTION = {
    SMALL_FIRST: "train small on the first s features",
    SMALL_ORACLE: "train small on the true top-s features",
    **{r.name: f"{r.description}, do not retrain" for r in RULES},
    ORACLE: "prune to the true top-s features, do not retrain",
    RANDOM: "prune at random, do not retrain",
    **{retrained(r.name): f"{r.description}, then retrain on a fresh sample" for r in RULES},
    **{in_rounds(r.name): f"{r.description} in rounds, retraining on a fresh sample after each" for r in RULES},
}

#: line style of each strategy in figures (pruned: solid, retrained: dashed, small models: dotted, in rounds: dash-dot)
STYLES = {
    DENSE: ("k", "-"),
    **{r.name: r.style for r in RULES},
    ORACLE: ("C2", "-"),
    RANDOM: ("C7", "-"),
    **{retrained(r.name): (r.style[0], "--") for r in RULES},
    SMALL_FIRST: ("k", ":"),
    SMALL_ORACLE: ("C2", ":"),
    **{in_rounds(r.name): (r.style[0], "-.") for r in RULES},
}


def ordered(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` keyed by strategy, in display order (names not in :data:`ORDER` keep theirs, after these)."""
    known = [name for name in ORDER if name in values]
    return {name: values[name] for name in known + [name for name in values if name not in ORDER]}
