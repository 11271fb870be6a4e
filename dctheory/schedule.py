"""Pruning in rounds, predicted: train, prune, retrain on a fresh sample, prune again (docs/api.md#pruning-in-rounds).

A schedule ``s_1 > s_2 > ... > s_K`` prunes in K rounds. Round k prunes the current model to s_k weights
by one strategy (magnitude, Hessian, oracle or random, as in one-shot pruning) and, if it retrains, fits a
fresh model on the kept support S_k with a new sample of size n (docs/theory.md#retraining).

**The recursion.** With a fresh sample each round, the model retrained on S_k is the min-norm (or ridge)
solution of the effective problem on S_k, independent of the samples that chose S_k: its eigenvalues and
coefficients are those of Sigma restricted to S_k, and its noise is raised by the signal that S_k leaves
out, ``sigma_S^2 = sigma^2 + sum_{i not in S} lambda_i beta_i^2`` for a diagonal Sigma, the conditional
variance ``Var(x^T beta | x_S)`` (a Schur complement) for a full one (docs/theory.md#notation). So, given
S_k, round k + 1 is the one-round theory (:func:`dctheory.predict` with ``m = S_k``) and the schedule's
risks are its conditional risks averaged over the law of S_k, the law of the top-s_k support of the
previous round's model, drawn from that round's distributional characterization (DC sampling: draw the
trained weights from the law of :func:`dctheory.dc_law`, prune them exactly). Each of ``samples`` chains
draws one support per round from the law on the previous round's support; the chains are independent, and
the standard errors are those of their average.

**Per round.** Given the support T the current model was trained on:

* diagonal Sigma: the round's risks are the closed forms on T (exact given T; one vectorized evaluation of
  all distinct sampled supports, :func:`dctheory.risks.closed_risks`); the fresh-retraining risk of random
  and oracle pruning is the exact dense risk of the kept support (:func:`dctheory.sampling.retrained_risks`);
* full Sigma: every risk is DC sampling's (the exact risk of each chain's drawn and pruned weights, and
  the dense risk of each chain's kept support).

A round that keeps the same support for every chain (the first round, and every oracle round) is therefore
exact for a diagonal Sigma: the one-round schedule ``[s]`` is :func:`dctheory.predict` at s.

**Without retraining.** A round that does not retrain passes its pruned weights on: the next round prunes
those weights of the same estimate further. For every strategy this is pruning that estimate once to the
next size (top-s_{k+1} of the scores among the top-s_k is the top-s_{k+1}; a random subset of a random
subset is a random subset; D*(s_{k+1}) is inside D*(s_k)), so such a round's successor is the one-round
prediction on the last support that was trained on.

**Precision.** Supports are drawn in float64. With ``dps`` (diagonal Sigma) every closed-form risk is
evaluated at dps verified digits, one mpmath prediction per distinct support: the average over the drawn
supports is then exact to dps digits, and its standard error (float64) is the Monte Carlo error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import mpmath
import numpy as np
from numpy.typing import ArrayLike

from dctheory import kernel
from dctheory.backends import NUMPY
from dctheory.checks import check_dps, check_n_ridge, check_scalar, show
from dctheory.errors import ConfigError, RegimeError
from dctheory.law import dc_law
from dctheory.problems import LGP
from dctheory.results import ScheduleResult
from dctheory.risks import closed_risks
from dctheory.sampling import BLOCK_BUDGET, distinct_rows, effective_rows, retrained_risks, top_s
from dctheory.solvers import UNDER, regime, solve_dense, undefined_message
from dctheory.strategies import ORACLE, RANDOM, RULES, retrained

__all__ = ["ScheduleResult", "predict_schedule", "SCHEDULE_STRATEGIES", "check_schedule"]

#: the pruning strategies of a round (each may be followed by fresh retraining)
SCHEDULE_STRATEGIES = (*(rule.name for rule in RULES), ORACLE, RANDOM)
_RULES = {rule.name: rule for rule in RULES}
#: the default strategy: magnitude pruning (the first rule)
MAGNITUDE = RULES[0].name


def check_schedule(schedule: object, m: int) -> list[int]:
    """The kept sizes, checked: a non-empty list of integers in [1, m], strictly decreasing.

    Raises:
        ConfigError: one line naming the bad value and the valid range.
    """
    valid = f"a non-empty list of kept sizes in [1, m = {m}], strictly decreasing"
    if isinstance(schedule, (str, bytes)) or not isinstance(schedule, (Sequence, np.ndarray)) or len(schedule) == 0:
        raise ConfigError(f"schedule = {show(schedule)} must be {valid}")
    sizes = [check_scalar(f"schedule[{k}]", value, low=1, high=m, integer=True) for k, value in enumerate(schedule)]
    for k in range(1, len(sizes)):
        if sizes[k] >= sizes[k - 1]:
            raise ConfigError(
                f"schedule[{k}] = {sizes[k]} must be < schedule[{k - 1}] = {sizes[k - 1]}: the schedule must be {valid}"
            )
    return sizes


def _check_retrain(retrain: object, rounds: int) -> list[bool]:
    if isinstance(retrain, (bool, np.bool_)):
        return [bool(retrain)] * rounds
    if isinstance(retrain, (Sequence, np.ndarray)) and not isinstance(retrain, (str, bytes)):
        flags = list(retrain)
        if len(flags) == rounds and all(isinstance(f, (bool, np.bool_)) for f in flags):
            return [bool(f) for f in flags]
    raise ConfigError(f"retrain = {show(retrain)} must be true, false or a list of {rounds} booleans (one per round)")


def predict_schedule(
    problem: LGP,
    n: int,
    m: int | ArrayLike | None,
    schedule: Sequence[int],
    strategy: str = MAGNITUDE,
    retrain: bool | Sequence[bool] = True,
    ridge: float = 0.0,
    *,
    samples: int = 2000,
    rng: np.random.Generator | None = None,
    dps: int | None = None,
) -> ScheduleResult:
    """Predicted risks of pruning in rounds (the recursion of the module docstring).

    Args:
        problem: the LGP (diagonal Sigma: closed forms given each support; full Sigma: DC sampling).
        n: samples per training (>= 2; every retraining draws a fresh sample of this size).
        m: the first model's features: the first m (an integer; None: all P) or an index array.
        schedule: the kept sizes, e.g. ``[80, 40]``: strictly decreasing, in [1, m].
        strategy: the pruning rule of every round: "magnitude", "hessian", "oracle" (keep D*(s_k) cap the
            trained features) or "random".
        retrain: fresh retraining after each round (True), never (False), or one flag per round. A round
            that does not retrain passes its pruned weights to the next round (module docstring).
        ridge: ridge strength of every training (>= 0).
        samples: Monte Carlo chains (>= 2): one drawn support per round each.
        rng: a numpy Generator (default seeded with 0).
        dps: verified digits of the closed forms (diagonal Sigma); supports are drawn in float64.

    Returns:
        :class:`dctheory.results.ScheduleResult`: one dict per round (kept, pruned, retrained and their
        standard errors, 0 where exact) and ``one_shot``, the same for pruning once to the final size.

    Raises:
        ConfigError: bad arguments; RegimeError: a ridgeless training with rank in [n - 1, n] (the first
        model, or a retraining that a later round prunes).
    """
    if not isinstance(problem, LGP):
        raise ConfigError(f"problem must be a dctheory.LGP, got {type(problem).__name__}")
    n, ridge = check_n_ridge(n, ridge)
    features = np.sort(problem.features(problem.P if m is None else m))
    sizes = check_schedule(schedule, features.size)
    flags = _check_retrain(retrain, len(sizes))
    if strategy not in SCHEDULE_STRATEGIES:
        raise ConfigError(f"strategy = {show(strategy)} must be one of {', '.join(map(repr, SCHEDULE_STRATEGIES))}")
    samples = check_scalar("samples", samples, low=2, integer=True)
    rng = np.random.default_rng(0) if rng is None else rng
    if not isinstance(rng, np.random.Generator):
        raise ConfigError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    if dps is not None:
        dps = check_dps(dps)
        if not problem.is_diagonal:
            raise ConfigError("dps needs the closed forms (a diagonal covariance); DC sampling is float64")
    for k, (size, flag) in enumerate(zip(sizes[:-1], flags[:-1])):
        if flag and regime(np.array(float(size)), n, ridge).item() is None:
            raise RegimeError(f"schedule[{k}] = {size}: {undefined_message(size, n)}; or do not retrain in that round")
    chains = _Chains(problem, n, ridge, samples, rng, dps)
    rounds, notes = chains.run(features, sizes, strategy, flags)
    (one_shot,), one_notes = chains.run(features, sizes[-1:], strategy, [True])
    notes.update({f"one_shot {key}": text for key, text in one_notes.items()})
    if not all(flags[:-1]):
        notes["without retraining"] = (
            "a round that does not retrain passes its pruned weights on: the next round prunes the same "
            "estimate further (for every strategy, pruning it once to the next size)"
        )
    sampled = len(sizes) > 1 or not problem.is_diagonal or strategy == RANDOM
    method = (
        ("closed form given each sampled support" if len(sizes) > 1 else "closed form")
        if problem.is_diagonal
        else "DC sampling"
    )
    setting = {"P": problem.P, "n": n, "m": int(features.size), "ridge": ridge}
    return ScheduleResult(strategy, rounds, one_shot, setting, method, samples if sampled else None, dps, notes)


class _Chains:
    """The Monte Carlo chains of one schedule: per chain, the support T its current model was trained on,
    that model's weights on T (drawn from the DC law on T) and the coordinates of T still kept since the
    last retraining. A support shared by every chain is held once (a (1, t) array)."""

    def __init__(
        self, problem: LGP, n: int, ridge: float, samples: int, rng: np.random.Generator, dps: int | None
    ) -> None:
        self.problem, self.n, self.ridge, self.samples, self.rng, self.dps = problem, n, ridge, samples, rng, dps

    def run(
        self, features: np.ndarray, sizes: list[int], strategy: str, flags: list[bool]
    ) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """One dict per round (kept, pruned, retrained and their standard errors) and the notes."""
        problem, n, ridge = self.problem, self.n, self.ridge
        closed = problem.is_diagonal
        trained = features[None, :]  # T: (1, t) or (samples, t), rows sorted
        weights: np.ndarray | None = None  # (samples, t) on T, drawn when first needed
        alive: np.ndarray | None = None  # (rows, t) the coordinates of T kept since the last retraining
        rounds: list[dict[str, Any]] = []
        notes: dict[str, str] = {}
        for k, (s, retrain) in enumerate(zip(sizes, flags)):
            last = k == len(sizes) - 1
            pruned: Any = None
            refit: Any = None
            if closed:
                distinct, inverse = self._distinct(trained)
                only = (strategy,) if strategy in _RULES else ()  # the rule this round prunes by, if any
                out, found = closed_risks(problem, distinct, n, s, ridge, self.dps, rules=only)
                notes.update({f"round {k + 1} {key}": text for key, text in found.items() if key.startswith(strategy)})
                pruned = out[strategy][inverse]
                if retrain and strategy in _RULES:
                    refit = out[retrained(strategy)][inverse]
            need_support = not last or not closed or (retrain and refit is None)
            kept = mask = None
            if need_support:
                if weights is None and (strategy in _RULES or not closed):
                    weights = self._draw(trained)
                kept, mask = self._prune(strategy, s, trained, weights, alive)
                if kept.shape[1] == 0:
                    raise RegimeError(
                        f"oracle pruning to s = {s} keeps none of the trained features (D* lies outside them)"
                    )
            if not closed:
                assert weights is not None and mask is not None
                pruned = self._risk(trained, weights * mask)
            if retrain and refit is None:
                assert kept is not None
                refit, note = retrained_risks(problem, kept, n, ridge)
                if note:
                    notes[f"round {k + 1} retrained"] = note
            rounds.append({"kept": s, **self._average("pruned", pruned), **self._average("retrained", refit)})
            if last:
                break
            if retrain:
                assert kept is not None
                trained, weights, alive = kept, None, None
            else:
                alive = mask
        return rounds, notes

    @staticmethod
    def _distinct(trained: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if trained.shape[0] == 1:
            return trained, np.zeros(1, dtype=int)
        return distinct_rows(trained)

    def _average(self, name: str, values: Any) -> dict[str, Any]:
        """{name: the chains' mean, name_stderr: its standard error} (None where undefined or not done);
        values of one row (a support shared by every chain) are exact: standard error 0."""
        if values is None:
            return {name: None, f"{name}_stderr": None}
        values = np.asarray(values)
        if any(v is None for v in values.ravel()) or (values.dtype != object and np.isnan(values).any()):
            return {name: None, f"{name}_stderr": None}
        if values.size == 1:
            return {name: values[0] if values.dtype == object else float(values[0]), f"{name}_stderr": 0.0}
        values = np.broadcast_to(values, (self.samples,))
        as_float = values.astype(float)
        stderr = float(as_float.std(ddof=1) / np.sqrt(self.samples))
        if values.dtype == object:  # mpf: the exact mean of the drawn supports' values
            return {name: mpmath.fsum(values) / self.samples, f"{name}_stderr": stderr}
        return {name: float(as_float.mean()), f"{name}_stderr": stderr}

    def _prune(
        self, strategy: str, s: int, trained: np.ndarray, weights: np.ndarray | None, alive: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(kept supports (rows, s), mask over T (rows, t)): the exact top-s of each chain's weights among
        the coordinates still kept (oracle: D*(s) cap T, the same for every chain)."""
        if strategy == ORACLE:
            mask = np.isin(trained, self.problem.oracle_set(s))
            if alive is not None:
                mask &= alive
            return trained[mask].reshape(trained.shape[0], -1), mask
        rows = self.samples
        if strategy == RANDOM:
            scores = -self.rng.random((rows, trained.shape[1]))
        else:
            assert weights is not None
            scores = _RULES[strategy].score(self.problem.variances[trained], weights)
        if alive is not None:
            scores = np.where(alive, scores, -np.inf)
        chosen = top_s(scores, s)
        mask = np.zeros((rows, trained.shape[1]), dtype=bool)
        np.put_along_axis(mask, chosen, True, axis=1)
        kept = np.take_along_axis(np.broadcast_to(trained, mask.shape), chosen, axis=1)
        return kept, mask

    def _risk(self, trained: np.ndarray, pruned: np.ndarray) -> np.ndarray:
        """Population risks of the chains' pruned weights (samples, t) on T, embedded in the P features."""
        full = np.zeros((pruned.shape[0], self.problem.P))
        np.put_along_axis(full, np.broadcast_to(trained, pruned.shape), pruned, axis=1)
        risks: np.ndarray = self.problem.risk(full)
        return risks

    def _draw(self, trained: np.ndarray) -> np.ndarray:
        """(samples, t): one draw of the DC law on each chain's T (all chains' draws from one law where T is shared)."""
        problem, n, ridge, rng, samples = self.problem, self.n, self.ridge, self.rng, self.samples
        if trained.shape[0] == 1:
            return dc_law(problem, n, trained[0], ridge).sample(rng, samples)
        distinct, inverse = distinct_rows(trained)
        z = rng.standard_normal(trained.shape)
        if problem.is_diagonal:
            lam, b = problem.variances[distinct], problem.beta[distinct]
            mean, sd = _coordinate_laws(lam, b, problem.sigma**2 + problem.unexplained(distinct, b), n, ridge)
            draws: np.ndarray = mean[inverse] + sd[inverse] * z
            return draws
        # Full Sigma: the eigendecompositions of blocks of distinct supports, each block's chains rotated back
        # in chunks, so that at most BLOCK_BUDGET numbers of stacked bases are held at once.
        t = trained.shape[1]
        per_block = max(1, BLOCK_BUDGET // t**2)
        order = np.argsort(inverse, kind="stable")
        bounds = np.searchsorted(inverse[order], np.arange(0, distinct.shape[0] + per_block, per_block))
        draws = np.empty(trained.shape)
        for block, start in enumerate(range(0, distinct.shape[0], per_block)):
            lam, basis, b, sigma2 = effective_rows(problem, distinct[start : start + per_block])
            mean, sd = _coordinate_laws(lam, b, sigma2, n, ridge)
            members = order[bounds[block] : bounds[block + 1]]
            for first in range(0, members.size, per_block):
                chunk = members[first : first + per_block]
                j = inverse[chunk] - start
                draws[chunk] = np.einsum("cij,cj->ci", basis[j], mean[j] + sd[j] * z[chunk])
        return draws


def _coordinate_laws(
    lam: np.ndarray, b: np.ndarray, sigma2: np.ndarray, n: int, ridge: float
) -> tuple[np.ndarray, np.ndarray]:
    """(mean, sd) (B, t) of the eigenbasis coordinates of B effective problems (:func:`dctheory.kernel.coordinate_law`,
    the law of :func:`dctheory.dc_law` row by row): xi and tau^2 from the vectorized solves."""
    rank = np.count_nonzero(lam > 0, axis=1).astype(float)
    kinds = regime(rank, n, ridge)
    if any(kind is None for kind in kinds):
        raise RegimeError(undefined_message(float(rank[list(kinds).index(None)]), n))
    under = kinds == UNDER
    mean, sd = np.empty_like(lam), np.empty_like(lam)
    if under.any():
        mean[under], sd[under] = kernel.coordinate_law(
            NUMPY, UNDER, lam[under], b[under], n=n, sigma_D=np.sqrt(sigma2[under]), rank=rank[under]
        )
    fitted = ~under
    if fitted.any():
        # size: n_lambda of each support with a ridge, n at ridge 0
        size, xi, t2 = solve_dense(lam[fitted], b[fitted], sigma2[fitted], n, ridge)
        mean[fitted], sd[fitted] = kernel.coordinate_law(
            NUMPY, str(kinds[fitted][0]), lam[fitted], b[fitted], n=np.asarray(size)[..., None], xi=xi, tau2=t2
        )
    return mean, sd
