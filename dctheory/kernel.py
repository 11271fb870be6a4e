r"""The pruning kernel: one algorithm for every precision (docs/theory.md#notation, #finite-size, #thresholded-risk, #retraining).

The mathematics of each step of the pipeline (:mod:`dctheory.pipeline`, which holds their order), written
once against a backend ``bk`` (:mod:`dctheory.backends`: float64 arrays over (rows, atoms),
mpmath scalars, Arb balls); the finite-size closed forms (:mod:`dctheory.risks`), the law
(:mod:`dctheory.law`), the asymptotic predictions (:mod:`dctheory.asymptotic`) and the certified
enclosures (:mod:`dctheory.certify`) all call it. It holds

* the effective noise sigma_D^2 = sigma^2 + sum_{i not in D} lambda_i beta_i^2
  (``effective_noise``), always a sum of the dropped terms, never a difference;
* the coordinate law by regime (mean mu_i and sd s_i of docs/theory.md#finite-size); coordinates of zero
  variance (lambda_i = 0) have mu_i = s_i = 0, decided here once;
* the threshold equation sum_i w_i pi(t c_i; mu_i, s_i) = s (docs/theory.md#thresholded-risk): its
  standardized arrays, bracket [0, reach], first guesses and derivatives, handed to the backend's root
  finder (``bk.level_root``: how to step is the backend's, the equation the kernel's);
* the pruning risks (magnitude, Hessian, oracle, random) and the fresh-retraining risks
  (docs/theory.md#retraining);
* the degenerate rules: when every live coordinate has zero variance (noise-free least squares,
  or beta = 0 with sigma = 0) the coefficients are exact and pruning keeps the top s by score,
  ties in feature order (the rule DC sampling applies), not a threshold root; rank <= s keeps the
  dense model; lambda_i = 0 carries no weight in any keep-sum.

What differs by precision (xi and tau^2 solves, root finding, float64 overflow guards, copies avoided)
is asked of the backend; the kernel has no branch on which backend it runs on (tests/test_layout.py).
The pruning rules (scales c_i and scores) come from :mod:`dctheory.strategies`.

``s`` is the sparsity target (kept count; for the asymptotic law, the kept fraction q with
probabilities as weights). Weights ``w`` are multiplicities of atoms (distinct coordinates).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

from dctheory.engines import Arrays, FloatArray, row_max
from dctheory.solvers import UNDER

__all__ = [
    "effective_noise",
    "coordinate_law",
    "evaluation_sd",
    "standardized",
    "keep_excess",
    "threshold_reach",
    "threshold",
    "threshold_missed",
    "top_s",
    "cutoff_ties",
    "deterministic",
    "thresholded_risk",
    "keep_probability",
    "kept_counts",
    "oracle_risk",
    "random_risk",
    "kept_fraction_risk",
]

#: A backend of :mod:`dctheory.backends` (``NUMPY``, ``MP`` or ``ARB``): each supplies the members the
#: functions below ask of it, with its own number types (float64 arrays, mpf object arrays, arb lists).
Backend: TypeAlias = Any

# Past (|mu| + REACH_SDS s)/c every keep probability is below 1e-300: the threshold bracket's upper end.
REACH_SDS = 40


def effective_noise(bk: Backend, sigma: Any, lam: Any, beta: Any, dropped: Any) -> Any:
    """sigma_D^2 = sigma^2 + sum_i dropped_i lambda_i beta_i^2 (docs/theory.md#notation).

    ``dropped``: per atom, how many of its copies lie outside D (numpy: (B, K) for B feature sets).
    A sum of non-negative terms, so one huge lambda_i beta_i^2 among small ones costs no digits."""
    return bk.reduce("effective_noise", sigma, lam, beta, weights=dropped)


def coordinate_law(
    bk: Backend,
    kind: str,
    lam: Any,
    beta: Any,
    *,
    n: Any,
    xi: Any = None,
    tau2: Any = None,
    sigma_D: Any = None,
    rank: Any = None,
) -> tuple[Any, Any]:
    """(mean, sd) of the eigenbasis coordinates (docs/theory.md#finite-size, Def. 4).

    Overparameterized or ridge: mu_i = a_i b_i, s_i = a_i tau / sqrt(n lambda_i) (``coordinate_mean``,
    ``coordinate_sd``; n = 1/kappa for the asymptotic law); ridgeless m < n - 1: mu_i = b_i,
    s_i = sigma_D / sqrt((n - m - 1) lambda_i) (``underparameterized_sd``). Coordinates with
    lambda_i = 0 are exactly 0: mean 0, sd 0. Per-row scalars (xi, tau2, sigma_D, rank) are (B,)
    in float64 and become columns."""
    positive = lam > 0
    zero = bk.number(0)
    # (bk.fill returns its array itself where the mask selects nothing: no (rows, atoms) copy.)
    if kind == UNDER:
        safe = bk.where(positive, lam, bk.number(1))
        mean = beta
        sd = bk.pointwise("underparameterized_sd", bk.column(sigma_D), n, bk.column(rank), safe)
    else:
        mean = bk.pointwise("coordinate_mean", bk.column(xi), lam, beta)
        sd = bk.pointwise("coordinate_sd", bk.column(xi), bk.column(bk.sqrt(tau2)), n, lam)
    dead = ~positive
    return bk.fill(dead, mean, zero), bk.fill(dead, sd, zero)


def evaluation_sd(bk: Backend, lam: Any, sd: Any) -> Any:
    """The sd the keep-sums and risk formulas are evaluated with: zero-variance atoms (lambda = 0)
    get 1 there, where they carry weight 0 in every keep-sum and lambda = 0 in every risk; in float64,
    tiny positive sds are raised to a floor (``bk.floored``) so that s^2 does not underflow to 0."""
    return bk.fill(~(lam > 0), bk.floored(sd), bk.number(1))


def deterministic(bk: Backend, lam: Any, sd: Any, w: Any) -> Any:
    """Per row: every live coordinate (lambda > 0, weight > 0) has zero variance, so the trained
    coefficients equal their means exactly (noise-free least squares; beta = 0 with sigma = 0)."""
    live = (lam > 0) & (w > 0)
    return bk.largest(sd, live) == 0


def standardized(bk: Backend, a: Mapping[str, Any], curvature: bool = False) -> dict[str, Any]:
    """The threshold equation's arrays in units of each coordinate's sd, computed once per solve:
    pi(t c_i; mu_i, s_i) = pi_i at z_i = t q_i, r_i = mu_i / s_i with q_i = c_i / s_i
    (``standardized_keep_probability``). ``a``: w, mean, sd, c; returns w, r, q and wq = w q
    (the slope's weights: d pi_i / d t = q_i d pi_i / d z_i); with ``curvature`` also wqq = w q^2
    (the second derivative's weights), capped like q so that a zero second derivative times it is 0."""
    q = bk.cap(a["c"] / a["sd"])
    out = {"w": a["w"], "r": a["mean"] / a["sd"], "q": q, "wq": a["w"] * q}
    if curvature:
        out["wqq"] = bk.cap(out["wq"] * q)
    return out


def keep_excess(
    bk: Backend, t: Any, a: Mapping[str, Any], s: Any, with_slope: bool = False, curvature: bool = False
) -> Any:
    """sum_i w_i pi(t c_i; mu_i, s_i) - s and, with ``with_slope``, its derivative in t
    (docs/theory.md#thresholded-risk; ``standardized_keep_probability`` and its derivative); with
    ``curvature`` also its second derivative (the three from the joint ``standardized_keep_terms``, which
    evaluates the two densities once). ``a``: the arrays of :func:`standardized`."""
    z = bk.column(t) * a["q"]
    if with_slope and curvature:
        keep, slope_terms, second_terms = bk.joint("standardized_keep_terms", z, a["r"])
        value = bk.total(a["w"] * keep) - s
        slope = bk.total(a["wq"] * slope_terms)
        return value, slope, bk.total(a["wqq"] * second_terms)
    value = bk.total(a["w"] * bk.pointwise("standardized_keep_probability", z, a["r"])) - s
    if not with_slope:
        return value
    slope = bk.total(a["wq"] * bk.pointwise("standardized_keep_probability_derivative", z, a["r"]))
    return value, slope


def threshold_reach(bk: Backend, law: Mapping[str, Any]) -> Any:
    """Upper end of the threshold bracket [0, reach], from the arrays of :func:`standardized`: past
    (|mu_i| + REACH_SDS s_i) / c_i = (|r_i| + REACH_SDS) / q_i every kept-sum term is below 1e-300, at t = 0
    every term is 1, so the root lies inside whenever the live weight exceeds s."""
    reach = bk.abs(law["r"]) + REACH_SDS
    return bk.largest(reach / law["q"], law["w"] > 0) * bk.number(1.01) + bk.number(1e-300)


# A float64 threshold's keep-sum must land within this fraction of s (else the row is bracketed), and
# within LIMIT_MISS after bracketing (else float64 cannot resolve it: RegimeError).
TOLERATED_MISS = 1e-9
LIMIT_MISS = 1e-6


def threshold(
    bk: Backend,
    per_row: Mapping[str, Any],
    per_atom: Mapping[str, Any],
    s: Any,
    *,
    start: Any = None,
    position: Any = None,
    rtol: float = 1e-6,
    check: bool = True,
    rows: Any = None,
) -> Any:
    """t with K(t) = sum_i w_i pi(t c_i; mu_i, s_i) = s (pi decreasing in t).

    ``per_row``: w, mean, sd (numpy: (B, K)); ``per_atom``: c, the per-atom scale (1 for magnitude
    pruning, 1/sqrt(lambda_i) for Hessian pruning; float64 rows may also carry their own c in ``per_row``).
    The equation is given to the backend's root finder (``bk.level_root``) in standardized units
    (:func:`standardized`) with its bracket [0, reach] (:func:`threshold_reach`), its first guesses
    (:func:`first_guess`) and K(t) with its first two derivatives in t (:func:`keep_excess`); how to step
    (float64: safeguarded Newton or Halley steps on log(K / s) along rows; mpmath: Newton steps from a
    float64 root, bracketing as the fallback) is the backend's.

    Roots are checked: rows whose keep-sum misses s by more than ``TOLERATED_MISS`` s are bracketed
    (and refused past ``LIMIT_MISS`` s). ``check=False`` leaves that to the caller, who computes the kept
    counts at the roots anyway: their row sums minus s are the misses (:func:`threshold_missed`),
    and the rows it names are solved again with the check. ``rows`` (float64): solve only these rows of
    the per-row arrays, without copying them first."""

    def equation(t: Any, law: Mapping[str, Any], with_slope: bool = False, curvature: bool = False) -> Any:
        return keep_excess(bk, t, law, s, with_slope, curvature)

    def seed(float_backend: Backend, rows: Arrays, atoms: Arrays) -> Any:
        # The same equation in float64 (``rows``, ``atoms``: the arrays in float64), as a first guess.
        return threshold(float_backend, rows, atoms, float(s))

    checked: dict[str, float] = {"tolerance": TOLERATED_MISS, "limit": LIMIT_MISS} if check else {}
    return bk.level_root(
        equation,
        s,
        per_row,
        per_atom,
        reach=lambda law: threshold_reach(bk, law),
        first_guess=lambda law, reach: first_guess(bk, law, s, reach),
        seed=seed,
        start=start,
        position=position,
        rtol=rtol,
        rows=rows,
        prepare=lambda arrays, curvature=False: standardized(bk, arrays, curvature),
        **checked,
    )


def threshold_missed(kept_total: npt.ArrayLike, s: float) -> npt.NDArray[np.bool_]:
    """float64 rows whose kept counts at the threshold sum to more than ``TOLERATED_MISS`` s away from s
    (for :func:`threshold` with ``check=False``): they are to be solved again with the check."""
    return ~(np.abs(np.asarray(kept_total) - s) <= TOLERATED_MISS * s)


def first_guess(bk: Backend, law: Mapping[str, FloatArray], s: float, high: FloatArray) -> FloatArray:
    """First guesses for float64 rows, from the arrays of :func:`standardized` (w, r, q): the smaller of two,

    * the score of the s-th kept coordinate (weights as multiplicities), scored by its root mean square
      over c_i, sqrt(mu_i^2 + s_i^2) / c_i = sqrt(r_i^2 + 1) / q_i: where the keep-sum would cross s if
      every coordinate sat at that size;
    * the first Newton step on g = log(K / s) from t = 0, where K = W (the live weight, every coordinate
      kept): t = W log(W / s) / |K'(0)|. It catches rows that keep nearly all (W close to s), whose
      threshold lies far below every coordinate's size.

    Measured: Halley steps from these need 3 evaluations on the curve of Fig. 3(b) (756 rows) and for one
    prediction at P = 2000 distinct eigenvalues; scored by |mu_i| / c_i (which ignores the sds), the
    curve needs 4. Guesses that are not in (0, high) become high / 200. (float64 arrays (rows, atoms);
    ``bk`` supplies the sums and the compiled slope.)"""
    w = law["w"]
    # Overflow here (q_i of sds at the float64 floor, or a slope that underflows) only ever makes a guess
    # huge or infinite, and then the other one, or high / 200, is taken.
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        score = np.where(w > 0, np.hypot(law["r"], 1.0) / law["q"], -np.inf)
        K = w.shape[-1]
        if s == int(s) and 1 <= s <= K and np.all((w == 0) | (w == 1)):
            # Weights 0 or 1: the s-th largest score, found by a partial sort.
            start = -np.partition(-score, int(s) - 1, axis=-1)[:, int(s) - 1]
        elif K < 8:
            # A few atoms: the largest score with at least s weight at or above it (no sort), else the top score.
            start = np.full(w.shape[0], -np.inf)
            for k in range(K):
                above = bk.total(w * (score >= score[:, k, None]))
                start = np.maximum(start, np.where(above >= s, score[:, k], -np.inf))
            start = np.where(start > -np.inf, start, row_max(score))
        else:
            rows = np.arange(w.shape[0])
            order = np.argsort(-score, axis=-1)
            crossed = np.cumsum(w[rows[:, None], order], axis=-1) >= s
            index = np.minimum(np.argmax(crossed, axis=-1), K - 1)
            start = score[rows, order[rows, index]]
        r = law["r"]
        slope = bk.total(law["wq"] * bk.pointwise("standardized_keep_probability_derivative", 0 * r, r))
        W = bk.total(w)
        start = np.fmin(start, np.log(W / s) * W / np.abs(slope))
        return np.where(np.isfinite(start) & (start > 0) & (start < high), start, high / 200)


def top_s(bk: Backend, w: npt.NDArray[Any], score: npt.NDArray[Any], s: Any) -> npt.NDArray[Any]:
    """Kept multiplicity per atom when the s largest scores are kept exactly (zero variance).

    Atoms are taken in decreasing ``score``, ties in atom order: kept_k = min(w_k, max(s - (weight before
    k), 0)). Where the cutoff falls inside a tie of two or more atoms, which of their copies are kept is
    the feature order's business, which atoms do not know: :func:`cutoff_ties` names those rows."""
    order = np.argsort(-score, axis=-1, kind="stable")
    weights = np.take_along_axis(w, order, axis=-1)
    before = np.cumsum(weights, axis=-1) - weights
    kept_sorted = np.minimum(weights, np.maximum(s - before, 0 * before))
    kept: npt.NDArray[Any] = np.empty_like(kept_sorted)
    np.put_along_axis(kept, order, kept_sorted, axis=-1)
    return kept


def cutoff_ties(
    w: npt.NDArray[Any], score: npt.NDArray[Any], kept: npt.NDArray[Any]
) -> tuple[npt.NDArray[np.bool_], Any]:
    """The rows of a :func:`top_s` selection whose cutoff falls inside a tie of two or more atoms, kept in
    part: (tied, r), per row the atoms whose score equals the lowest kept score (a boolean array like
    ``w``; all False in rows without such a tie) and how many of their copies are kept in all. Rows or
    vectors (mpmath)."""
    has = kept > 0
    cutoff = np.min(np.where(has, score, np.inf), axis=-1, keepdims=True)
    tied = (score == cutoff) & (w > 0)
    r = np.sum(np.where(tied, kept, 0), axis=-1)
    whole = np.sum(np.where(tied, w, 0), axis=-1)
    partial = (np.sum(tied, axis=-1) >= 2) & (r < whole)
    return tied & np.expand_dims(partial, -1), r


def thresholded_risk(
    bk: Backend, sigma_D: Any, lam: Any, thresholds: Any, mean: Any, sd: Any, beta: Any, w: Any
) -> Any:
    """Risk after hard thresholding at per-atom thresholds (docs/theory.md#thresholded-risk, Cor. 1)."""
    lam, sd, thresholds, mean, beta = bk.coordinate_units(lam, sd, thresholds, mean, beta)
    return bk.reduce("thresholded_risk", sigma_D, lam, thresholds, mean, sd, beta, weights=w)


def keep_probability(bk: Backend, thresholds: Any, mean: Any, sd: Any) -> Any:
    """pi(t_i; mu_i, s_i) = P(|w_i| > t_i) per atom (docs/theory.md#thresholded-risk)."""
    return bk.pointwise("keep_probability", thresholds, mean, sd)


def kept_counts(bk: Backend, thresholds: Any, mean: Any, sd: Any, w: Any) -> Any:
    """Expected kept multiplicity per atom, w_i pi(t_i; mu_i, s_i)."""
    return w * keep_probability(bk, thresholds, mean, sd)


def oracle_risk(bk: Backend, sigma_D: Any, lam: Any, oracle: Any, mean: Any, sd: Any, beta: Any, w: Any) -> Any:
    """Oracle pruning: keep D* cap D (``oracle`` = 1 on D*), zero the rest, no refit (docs/theory.md#thresholded-risk)."""
    lam, sd, mean, beta = bk.coordinate_units(lam, sd, mean, beta)
    return bk.reduce("oracle_risk", sigma_D, lam, oracle, mean, sd, beta, weights=w)


def random_risk(bk: Backend, sigma_D: Any, s: Any, m: Any, lam: Any, mean: Any, sd: Any, beta: Any, w: Any) -> Any:
    """Pruning a uniformly random s-subset of the m trained coordinates (docs/theory.md#thresholded-risk)."""
    lam, sd, mean, beta = bk.coordinate_units(lam, sd, mean, beta)
    return bk.reduce("random_pruning_risk", sigma_D, s, m, lam, mean, sd, beta, weights=w)


def kept_fraction_risk(
    bk: Backend, sigma_D: Any, lam: Any, fraction: Any, mean: Any, sd: Any, beta: Any, w: Any
) -> Any:
    """Risk when a fraction ``fraction`` of each atom's copies is kept exactly (no randomness in which):
    sigma_D^2 + sum_i w_i lambda_i (f_i ((mu_i - beta_i)^2 + s_i^2) + (1 - f_i) beta_i^2), the
    ``oracle_risk`` formula with o_i = f_i. This is the pruned risk of the top-s rule."""
    return oracle_risk(bk, sigma_D, lam, fraction, mean, sd, beta, w)
