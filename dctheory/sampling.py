"""DC sampling: risk predictions for any covariance by sampling the law (docs/theory.md#thresholded-risk, #retraining).

For a full Sigma (or random features, docs/theory.md#random-features) the pruning risks have no closed form: the
prediction draws weights from the finite-size law of the trained model (docs/theory.md#finite-size,
:func:`dctheory.law.dc_law`), prunes every draw exactly (top-s), evaluates the population risk and
averages; the standard error of that average is reported with it. Everything is array work over the
samples, with no loop over them:

* all ``samples`` draws of the law at once (the same random numbers, in the same order, as one
  ``DCLaw.sample`` call followed by one ``Generator.random`` call for random pruning and one draw of
  the sample Hessian diagonal, :func:`dctheory.sample_diagonal.draw`);
* the top-s support of every draw by ``argpartition`` (magnitude: ``|w_i|``; Hessian with the
  population diagonal: ``Sigma_ii w_i^2``; Hessian with the sample diagonal: ``Sigma_ii u_i w_i^2`` with
  u_i ~ chi^2_n / n drawn with the weights, :mod:`dctheory.sample_diagonal`; random: the s smallest of
  uniform keys; oracle: D* cap D);
* every pruned risk in the eigenbasis of Sigma_DD: for w supported on D,
  ``L(w) = sigma_D^2 + sum_k lambda_k ((U^T w)_k - b_k)^2`` (docs/theory.md#notation), one matrix
  product for all draws and strategies;
* fresh retraining (docs/theory.md#retraining) on each distinct sampled support S: the dense risk of the
  effective problem on S. Underparameterized supports (ridgeless, s < n - 1) take the exact
  ``sigma_S^2 (n - 1)/(n - s - 1)``, where ``sigma_S^2`` is the last pivot of the batched Cholesky
  factorization of the covariance of (x_S, y), ``[[Sigma_SS, Sigma_S beta], [., sigma^2 + beta^T Sigma beta]]``
  (the Schur complement ``Var(y | x_S)``); overparameterized and ridge supports take a batched ``eigh``
  of Sigma_SS and the vectorized xi and tau^2 solves of :mod:`dctheory.solvers` (those of the curves).
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import SupportsFloat, cast

import numpy as np

from dctheory._compiled import compiled
from dctheory.checks import check_scalar
from dctheory.errors import RegimeError
from dctheory.law import DCLaw, dc_law
from dctheory.problems import LGP
from dctheory.sample_diagonal import draw
from dctheory.solvers import OVER, RIDGE, UNDER, regime, solve_dense, undefined_message
from dctheory.strategies import DENSE, FALLS_BACK_TO_DENSE, ORACLE, RANDOM, RULES, retrained

__all__ = [
    "SampledRisks",
    "sampled_risks",
    "sampled_grid",
    "top_s",
    "pruned_risks",
    "retrained_risks",
    "effective_rows",
    "distinct_rows",
    "BLOCK_BUDGET",
]

#: float64 numbers per batch of stacked Sigma_SS blocks (about 64 MB)
BLOCK_BUDGET = 8 * 2**20


@dataclass(frozen=True)
class SampledRisks:
    """Per-draw risks of one DC-sampling prediction.

    Attributes:
        law: the DC law that was sampled.
        values: strategy -> (samples,) risks of the draws (constant for "dense", the law's dense risk;
            NaN for a retrained strategy whose risk is undefined, see ``notes``).
        notes: strategy -> why it is undefined.
    """

    law: DCLaw
    values: dict[str, np.ndarray]
    notes: dict[str, str]

    def summary(self) -> tuple[dict[str, float | None], dict[str, float | None]]:
        """(risks, stderr): strategy -> mean over the draws and its standard error (None where undefined)."""
        risks: dict[str, float | None] = {}
        stderr: dict[str, float | None] = {}
        for name, v in self.values.items():
            undefined = np.isnan(v).any()
            risks[name] = None if undefined else float(v.mean())
            stderr[name] = None if undefined else float(v.std(ddof=1) / np.sqrt(v.size))
        return risks, stderr


def top_s(scores: np.ndarray, s: int) -> np.ndarray:
    """(samples, s): the indices of the s largest scores of every row, in increasing order. Scores tied
    at the cutoff are kept in index order (the first of them), the rule of the closed forms."""
    chosen = np.argpartition(-scores, s - 1, axis=1)[:, :s]
    cutoff = np.take_along_axis(scores, chosen[:, s - 1 :], axis=1)  # the s-th largest score
    tied_rows = np.flatnonzero(np.count_nonzero(scores == cutoff, axis=1) > 1)
    if tied_rows.size:  # (exact coefficients: sigma_D = 0) the partition's choice among ties is arbitrary
        rows, cut = scores[tied_rows], cutoff[tied_rows]
        tied = rows == cut
        room = s - np.count_nonzero(rows > cut, axis=1)[:, None]
        keep = (rows > cut) | (tied & (np.cumsum(tied, axis=1) <= room))
        chosen[tied_rows] = np.nonzero(keep)[1].reshape(tied_rows.size, s)
    return np.sort(chosen, axis=1)


def pruned_risks(law: DCLaw, pruned: np.ndarray) -> np.ndarray:
    """Population risks of weights supported on D, ``pruned`` (samples, m) in D's coordinates (docs/theory.md#notation).

    ``L(w) = sigma_D^2 + sum_k lambda_k ((U^T w)_k - b_k)^2`` with ``Sigma_DD = U diag(lambda) U^T`` and
    ``b = U^T beta_D``: one product with U for all rows.
    """
    effective = law.effective
    rotated = pruned if effective.basis is None else pruned @ effective.basis
    risks: np.ndarray = effective.sigma2_D + ((rotated - effective.b) ** 2) @ effective.eigenvalues
    return risks


def sampled_risks(
    problem: LGP, features: np.ndarray, n: int, s: int, ridge: float, samples: int, rng: np.random.Generator
) -> SampledRisks:
    """DC sampling of every strategy of :data:`dctheory.STRATEGIES` for training on ``features`` (m,).

    Args:
        problem: the LGP; features: D; n: samples (>= 2); s: kept weights; ridge: >= 0;
        samples: number of draws (>= 2); rng: a numpy Generator (consumed in a fixed order).

    Raises:
        RegimeError: ridgeless with rank(Sigma_DD) in [n - 1, n] (from :func:`dctheory.law.dc_law`).
    """
    law = dc_law(problem, n, features, ridge)
    w = law.sample(rng, samples)  # (samples, m) in the coordinates of D
    m = features.size
    dense = np.full(samples, float(cast(SupportsFloat, law.solution.dense)))  # a float64 solve: a float
    values = {DENSE: dense}
    notes: dict[str, str] = {}
    oracle = np.isin(features, problem.oracle_set(s))
    values[ORACLE] = pruned_risks(law, w * oracle)
    if m <= s:
        for name in FALLS_BACK_TO_DENSE:
            values[name] = dense
        return SampledRisks(law, values, notes)
    supports = {
        rule.name: top_s(rule.score(problem.variances[features], w), s) for rule in RULES if not rule.sample_diagonal
    }
    supports[RANDOM] = top_s(-rng.random((samples, m)), s)
    if any(rule.sample_diagonal for rule in RULES):
        covariance = None if problem.is_diagonal else problem.covariance[np.ix_(features, features)]
        sample_diagonal = problem.variances[features] * draw(rng, n, samples, covariance, m)
        for rule in RULES:
            if rule.sample_diagonal:
                supports[rule.name] = top_s(rule.score(sample_diagonal, w), s)
    for name, support in supports.items():
        same = next((other for other in values if other in supports and np.array_equal(supports[other], support)), None)
        if same is not None:
            values[name] = values[same]  # e.g. equal Sigma_ii: the same supports, the same risks
            continue
        pruned = np.zeros_like(w)
        np.put_along_axis(pruned, support, np.take_along_axis(w, support, axis=1), axis=1)
        values[name] = pruned_risks(law, pruned)
    # Every rule's supports in one call: a support they share is refitted once.
    refitted, note = retrained_risks(
        problem, features[np.concatenate([supports[rule.name] for rule in RULES])], n, ridge
    )
    for k, rule in enumerate(RULES):
        values[retrained(rule.name)] = refitted[k * samples : (k + 1) * samples]
        if note:
            notes[retrained(rule.name)] = note
    return SampledRisks(law, values, notes)


def sampled_grid(
    problem: LGP, n: int, s: int, ridge: float, ms: Iterable[int], samples: int, rng: np.random.Generator
) -> Iterator[tuple[int, SampledRisks | str]]:
    """DC sampling for training on the first m features, for each m of ``ms`` in turn (the route of
    :func:`dctheory.advise` for a full Sigma).

    Yields ``(m, SampledRisks)``, or ``(m, message)`` where the ridgeless risk of m features is undefined.
    ``rng`` is consumed in the order of ``ms``, as by one :func:`dctheory.predict` call per m.
    """
    samples = check_scalar("samples", samples, low=2, integer=True)
    for m in ms:
        try:
            yield int(m), sampled_risks(problem, problem.features(int(m)), n, s, ridge, samples, rng)
        except RegimeError as error:
            yield int(m), str(error)


def retrained_risks(problem: LGP, supports: np.ndarray, n: int, ridge: float) -> tuple[np.ndarray, str | None]:
    """Fresh-retraining risk on each support (docs/theory.md#retraining): the dense risk of its effective problem.

    Args:
        supports: (samples, s) feature indices into the P features, each row sorted.

    Returns:
        ((samples,) risks, note): NaN risks and a note when the ridgeless risk of s features is undefined.
    """
    distinct, inverse = distinct_rows(supports)
    s = supports.shape[1]
    kind: str | None = regime(np.array(float(s)), n, ridge).item()
    if kind is None:
        return np.full(supports.shape[0], np.nan), undefined_message(s, n)
    risk = np.empty(distinct.shape[0])
    undefined: str | None = None
    per_block = max(1, BLOCK_BUDGET // (s + 1) ** 2)
    for start in range(0, distinct.shape[0], per_block):
        rows = slice(start, start + per_block)
        block = distinct[rows]
        risk[rows], message = (_under_risks if kind == UNDER else _eigen_risks)(problem, block, n, ridge)
        undefined = undefined or message
    if undefined:
        return np.full(supports.shape[0], np.nan), undefined
    return risk[inverse], None


def distinct_rows(supports: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct rows, inverse) of an integer array (B, s), like ``np.unique(axis=0)`` but in any row order.

    Rows are told apart by a 64-bit random linear hash (one 1-d ``np.unique``); the result is checked
    row by row, and a collision (never seen) falls back to ``np.unique(axis=0)``.
    """
    weights = np.random.default_rng(0x5EED).integers(1, 2**62, supports.shape[1], dtype=np.int64)
    with np.errstate(over="ignore"):
        keys = supports.astype(np.int64) @ weights
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    distinct = supports[first]
    if np.array_equal(distinct[inverse], supports):
        return distinct, inverse
    distinct, inverse = np.unique(supports, axis=0, return_inverse=True)  # pragma: no cover
    return distinct, inverse.ravel()  # pragma: no cover


_JOINT: weakref.WeakKeyDictionary[LGP, np.ndarray] = weakref.WeakKeyDictionary()


def _joint_covariance(problem: LGP, supports: np.ndarray) -> np.ndarray:
    """(B, s + 1, s + 1): the covariance of (x_S, y) for each support S, one gather from the covariance of (x, y)."""
    joint = _JOINT.get(problem)
    if joint is None:
        P = problem.P
        joint = _JOINT[problem] = np.empty((P + 1, P + 1))
        joint[:P, :P] = problem.covariance
        joint[:P, P] = joint[P, :P] = problem.cross
        joint[P, P] = problem.sigma**2 + problem.signal
    index = np.concatenate([supports, np.full((supports.shape[0], 1), problem.P)], axis=1)
    covariances: np.ndarray = joint[index[:, :, None], index[:, None, :]]
    return covariances


def _under_risks(problem: LGP, supports: np.ndarray, n: int, ridge: float) -> tuple[np.ndarray, str | None]:
    """Ridgeless s < n - 1: ``sigma_S^2 (n - 1)/(n - s - 1)``, sigma_S^2 the last Cholesky pivot of (x_S, y).

    Supports where the factorization fails (sigma_S = 0 or a singular Sigma_SS) or whose pivots span more
    than 1/(1e3 s eps) (Sigma_SS possibly of lower numerical rank, which the eigendecomposition decides)
    go to :func:`_eigen_risks`.
    """
    s = supports.shape[1]
    joint = _joint_covariance(problem, supports)
    try:
        factor = np.linalg.cholesky(joint)
    except np.linalg.LinAlgError:
        return _eigen_risks(problem, supports, n, ridge)
    pivots = np.diagonal(factor, axis1=1, axis2=2)
    sigma_S = pivots[:, s]
    ratio = pivots[:, :s].min(axis=1) / pivots[:, :s].max(axis=1)
    risk = compiled("underparameterized_risk")(sigma_S, n, float(s))
    doubtful = ~(ratio**2 > 1e3 * s * np.finfo(float).eps) | ~np.isfinite(risk)
    if doubtful.any():
        risk[doubtful], message = _eigen_risks(problem, supports[doubtful], n, ridge)
        if message:
            return risk, message
    return risk, None


def effective_rows(problem: LGP, supports: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The effective problems on B supports (B, s) at once (:meth:`dctheory.LGP.effective`, batched): a batched
    ``eigh`` of Sigma_SS with its eigenvalue cut, ``b = U^T beta_S`` with ``beta_S = Sigma_SS^+ Sigma_{S,:} beta``
    and ``sigma_S^2 = sigma^2 + Var(x^T beta | x_S)`` (the Schur complement, as a quadratic form of the residual
    coefficients). Returns (eigenvalues (B, s), U (B, s, s), b (B, s), sigma_S^2 (B,))."""
    s = supports.shape[1]
    lam, basis = np.linalg.eigh(problem.covariance[supports[:, :, None], supports[:, None, :]])
    lam = np.where(lam > lam.max(axis=1, keepdims=True) * s * np.finfo(float).eps, lam, 0.0)
    rotated = np.einsum("bij,bi->bj", basis, problem.cross[supports])
    b = np.divide(rotated, lam, out=np.zeros_like(rotated), where=lam > 0)
    beta_S = np.einsum("bij,bj->bi", basis, b)
    sigma2 = problem.sigma**2 + problem.unexplained(supports, beta_S)
    return lam, basis, b, sigma2


def _eigen_risks(problem: LGP, supports: np.ndarray, n: int, ridge: float) -> tuple[np.ndarray, str | None]:
    """Dense risks of the effective problems on ``supports`` (B, s) from a batched ``eigh`` of Sigma_SS.

    The eigenvalue cut, beta_S, sigma_S^2 and the regime are those of :meth:`dctheory.LGP.effective` and
    :func:`dctheory.law.solve`; xi and tau^2 come from the vectorized solvers (the curves' solvers).
    """
    B = supports.shape[0]
    if problem.is_diagonal:  # Sigma_SS is diagonal already: the same cut and sigma_S^2 without an eigh
        s = supports.shape[1]
        lam = problem.variances[supports]
        lam = np.where(lam > lam.max(axis=1, keepdims=True) * s * np.finfo(float).eps, lam, 0.0)
        b = np.where(lam > 0, problem.beta[supports], 0.0)
        sigma2 = problem.sigma**2 + problem.unexplained(supports, b)
    else:
        lam, _basis, b, sigma2 = effective_rows(problem, supports)
    rank = np.count_nonzero(lam > 0, axis=1).astype(float)
    kinds = regime(rank, n, ridge)
    if any(k is None for k in kinds):
        bad = next(r for r, k in zip(rank, kinds) if k is None)
        return np.full(B, np.nan), undefined_message(bad, n)
    risk = np.empty(B)
    under = np.array([k == UNDER for k in kinds])
    if under.any():
        risk[under] = compiled("underparameterized_risk")(np.sqrt(sigma2[under]), n, rank[under])
    over = np.array([k in (OVER, RIDGE) for k in kinds])
    if over.any():
        # tau^2 with n_lambda of each support
        _, _, risk[over] = solve_dense(lam[over], b[over], sigma2[over], n, ridge)
    return risk, None
