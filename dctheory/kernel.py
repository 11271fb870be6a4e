r"""The pruning kernel: one algorithm for every precision (docs/theory.md#notation, #finite-size, #thresholded-risk, #retraining).

Written once against a backend ``bk`` (:mod:`dctheory.backends`: float64 arrays over (rows, atoms),
mpmath scalars, Arb balls); the finite-size closed forms (:mod:`dctheory.risks`), the law
(:mod:`dctheory.law`), the asymptotic predictions (:mod:`dctheory.asymptotic`) and the certified
enclosures (:mod:`dctheory.certify`) all call it. It holds

* the effective noise sigma_D^2 = sigma^2 + sum_{i not in D} lambda_i beta_i^2
  (``effective_noise``), always a sum of the dropped terms, never a difference;
* the coordinate law by regime (mean mu_i and sd s_i of docs/theory.md#finite-size); coordinates of zero
  variance (lambda_i = 0) have mu_i = s_i = 0, decided here once;
* the threshold equation sum_i w_i pi(t c_i; mu_i, s_i) = s (docs/theory.md#thresholded-risk): its bracket
  [0, reach], safeguarded Newton (or Halley) steps and the bracketing fallback;
* the pruning risks (magnitude, Hessian, oracle, random) and the fresh-retraining risks
  (docs/theory.md#retraining);
* the degenerate rules: when every live coordinate has zero variance (noise-free least squares,
  or beta = 0 with sigma = 0) the coefficients are exact and pruning keeps the top s by score,
  ties in feature order (the rule DC sampling applies), not a threshold root; rank <= s keeps the
  dense model; lambda_i = 0 carries no weight in any keep-sum.

``s`` is the sparsity target (kept count; for the asymptotic law, the kept fraction q with
probabilities as weights). Weights ``w`` are multiplicities of atoms (distinct coordinates).
"""

from __future__ import annotations

from dctheory.backends import MP, NUMPY
from dctheory.solvers import NARROW, UNDER

__all__ = [
    "effective_noise", "coordinate_law", "evaluation_sd", "standardized", "keep_excess", "threshold_reach",
    "threshold", "threshold_missed", "top_s", "cutoff_ties", "deterministic", "thresholded_risk", "keep_probability", "kept_counts", "oracle_risk", "random_risk",
    "kept_fraction_risk",
]

# Past (|mu| + REACH_SDS s)/c every keep probability is below 1e-300: the threshold bracket's upper end.
REACH_SDS = 40


def effective_noise(bk, sigma, lam, beta, dropped):
    """sigma_D^2 = sigma^2 + sum_i dropped_i lambda_i beta_i^2 (docs/theory.md#notation).

    ``dropped``: per atom, how many of its copies lie outside D (numpy: (B, K) for B feature sets).
    A sum of non-negative terms, so one huge lambda_i beta_i^2 among small ones costs no digits."""
    return bk.reduce("effective_noise", sigma, lam, beta, weights=dropped)


def coordinate_law(bk, kind, lam, beta, *, n, xi=None, tau2=None, sigma_D=None, rank=None):
    """(mean, sd) of the eigenbasis coordinates (docs/theory.md#finite-size, Def. 4).

    Overparameterized or ridge: mu_i = a_i b_i, s_i = a_i tau / sqrt(n lambda_i) (``coordinate_mean``,
    ``coordinate_sd``; n = 1/kappa for the asymptotic law); ridgeless m < n - 1: mu_i = b_i,
    s_i = sigma_D / sqrt((n - m - 1) lambda_i) (``underparameterized_sd``). Coordinates with
    lambda_i = 0 are exactly 0: mean 0, sd 0. Per-row scalars (xi, tau2, sigma_D, rank) are (B,)
    in float64 and become columns."""
    positive = lam > 0
    zero = bk.number(0)
    if kind == UNDER:
        safe = bk.where(positive, lam, bk.number(1))
        mean = beta
        sd = bk.pointwise("underparameterized_sd", bk.column(sigma_D), n, bk.column(rank), safe)
    else:
        mean = bk.pointwise("coordinate_mean", bk.column(xi), lam, beta)
        sd = bk.pointwise("coordinate_sd", bk.column(xi), bk.column(bk.sqrt(tau2)), n, lam)
    if bk is NUMPY and positive.all():
        return mean, sd
    return bk.where(positive, mean, zero), bk.where(positive, sd, zero)


def evaluation_sd(bk, lam, sd):
    """The sd the keep-sums and risk formulas are evaluated with: zero-variance atoms (lambda = 0)
    get 1 there, where they carry weight 0 in every keep-sum and lambda = 0 in every risk; in float64,
    sds below ``bk.sd_floor`` (1e-150, in the rescaled units where beta is of order 1) are raised to it,
    so that s^2 does not underflow to 0 in the formulas (huge n): the terms it changes are below 1e-300."""
    positive = lam > 0
    if bk is NUMPY and positive.all() and not (sd < bk.sd_floor).any():
        return sd  # the usual case: nothing to replace, no (rows, atoms) copies
    if bk.sd_floor:
        sd = bk.where(sd > 0, bk.maximum(sd, bk.sd_floor), sd)
    return bk.where(positive, sd, bk.number(1))


def deterministic(bk, lam, sd, w):
    """Per row: every live coordinate (lambda > 0, weight > 0) has zero variance, so the trained
    coefficients equal their means exactly (noise-free least squares; beta = 0 with sigma = 0)."""
    live = (lam > 0) & (w > 0)
    return bk.largest(sd, live) == 0


def standardized(bk, a, curvature=False):
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


def keep_excess(bk, t, a, s, with_slope=False, curvature=False):
    """sum_i w_i pi(t c_i; mu_i, s_i) - s and, with ``with_slope``, its derivative in t
    (docs/theory.md#thresholded-risk; ``standardized_keep_probability`` and its derivative); with
    ``curvature`` also its second derivative. ``a``: the arrays of :func:`standardized`."""
    z = bk.column(t) * a["q"]
    value = bk.total(a["w"] * bk.pointwise("standardized_keep_probability", z, a["r"])) - s
    if not with_slope:
        return value
    slope = bk.total(a["wq"] * bk.pointwise("standardized_keep_probability_derivative", z, a["r"]))
    if not curvature:
        return value, slope
    second = bk.total(a["wqq"] * bk.pointwise("standardized_keep_probability_second_derivative", z, a["r"]))
    return value, slope, second


def threshold_reach(bk, law):
    """Upper end of the threshold bracket [0, reach], from the arrays of :func:`standardized`: past
    (|mu_i| + REACH_SDS s_i) / c_i = (|r_i| + REACH_SDS) / q_i every kept-sum term is below 1e-300, at t = 0
    every term is 1, so the root lies inside whenever the live weight exceeds s."""
    reach = bk.abs(law["r"]) + REACH_SDS
    return bk.largest(reach / law["q"], law["w"] > 0) * bk.number(1.01) + bk.number(1e-300)


# A float64 threshold's keep-sum must land within this fraction of s (else the row is bracketed), and
# within LIMIT_MISS after bracketing (else float64 cannot resolve it: RegimeError).
TOLERATED_MISS = 1e-9
LIMIT_MISS = 1e-6


def threshold(bk, per_row, per_atom, s, *, start=None, position=None, rtol=1e-6, check=True, rows=None):
    """t with sum_i w_i pi(t c_i; mu_i, s_i) = s (pi decreasing in t).

    ``per_row``: w, mean, sd (numpy: (B, K)); ``per_atom``: c, the per-atom scale (1 for magnitude
    pruning, 1/sqrt(lambda_i) for Hessian pruning; float64 rows may also carry their own c in ``per_row``).
    float64 rows are solved by safeguarded Newton steps (Halley steps in narrow batches, from
    :func:`_first_guess`) with bracketing for rows left open; mpmath refines ``start`` (default: the
    float64 root) by Newton steps, with Anderson-Bjorck on the bracket as the fallback.

    float64 roots are checked: rows whose keep-sum misses s by more than ``TOLERATED_MISS`` s are
    bracketed to the last ulp. ``check=False`` leaves that to the caller, who computes the kept
    counts at the roots anyway: their row sums minus s are the misses (:func:`threshold_missed`),
    and the rows it names are solved again with the check. ``rows`` (float64): solve only these rows of
    the per-row arrays, without copying them first."""
    a = dict(per_row, **per_atom)
    if bk is NUMPY:
        size = (a["mean"].shape[0] if rows is None else len(rows)) * a["mean"].shape[-1]
        # The bracket is read off each block's standardized arrays, over the rows' prefixes only; so are
        # the first guesses of narrow batches and of rows with no position to interpolate on.
        def high(law):
            return threshold_reach(bk, law)

        if start is None and (position is None or size <= NARROW):
            def start(law, reach):
                return _first_guess(law, s, reach)
    else:
        high = threshold_reach(bk, standardized(bk, a))
        if bk is MP and start is None:
            start = _float_threshold(per_row, per_atom, s)

    halley = False
    if bk is NUMPY:
        import numpy as np

        # float64 Newton steps on g(t) = log(K(t) / s), K the keep-sum: the same root, and a function
        # closer to linear than K - s (a sum of Gaussian tails), so fewer steps from a rough start.
        # g's misses are relative: |g| <= TOLERATED_MISS is |K - s| <= TOLERATED_MISS s to first order.
        # Narrow batches (where a step costs per call, not per value) take Halley steps: 3 evaluations
        # instead of 5 and a chord step (Fig. 3(b)'s curve).
        halley = size <= NARROW

        def function(t, arrays, with_slope):
            out = keep_excess(bk, t, arrays, s, with_slope, curvature=with_slope and halley)
            value = out[0] if with_slope else out
            kept = np.maximum(value + s, 1e-300)  # K > 0; 1e-300 only far past the root
            g = np.log(kept / s)
            if not with_slope:
                return g
            slope = out[1] / kept
            if not halley:
                return g, slope
            return g, slope * _halley_factor(g, slope, out[2] / kept - slope * slope)

        checked = {"tolerance": TOLERATED_MISS, "limit": LIMIT_MISS} if check else {}
    else:
        def function(t, arrays, with_slope):
            return keep_excess(bk, t, arrays, s, with_slope)

        checked = {"tolerance": TOLERATED_MISS * s, "limit": LIMIT_MISS * s} if check else {}
    subset = {} if rows is None else {"rows": rows}
    return bk.root_decreasing(function, per_row, per_atom, high, start, position, rtol, **checked, **subset,
                              prepare=lambda arrays: standardized(bk, arrays, curvature=halley),
                              **({"chord": False} if halley else {}))


def _halley_factor(g, slope, second):
    """The factor h = 1 - g g'' / (2 g'^2) that turns a Newton step -g/g' into Halley's -g/(g' h), whose
    error after a step dx is of order dx^3 rather than dx^2 (so no chord step follows). Far from the
    root, where h leaves [1/2, 2] (or is not a number), the step stays Newton's."""
    import numpy as np

    h = 1 - g * second / (2 * slope * slope)
    return np.where((h >= 0.5) & (h <= 2.0), h, 1.0)


def threshold_missed(kept_total, s):
    """float64 rows whose kept counts at the threshold sum to more than ``TOLERATED_MISS`` s away from s
    (for :func:`threshold` with ``check=False``): they are to be solved again with the check."""
    import numpy as np

    return ~(np.abs(np.asarray(kept_total) - s) <= TOLERATED_MISS * s)


def _first_guess(law, s, high):
    """First guesses for float64 rows, from the arrays of :func:`standardized` (w, r, q): the smaller of two,

    * the score of the s-th kept coordinate (weights as multiplicities), scored by its root mean square
      over c_i, sqrt(mu_i^2 + s_i^2) / c_i = sqrt(r_i^2 + 1) / q_i: where the keep-sum would cross s if
      every coordinate sat at that size;
    * the first Newton step on g = log(K / s) from t = 0, where K = W (the live weight, every coordinate
      kept): t = W log(W / s) / |K'(0)|. It catches rows that keep nearly all (W close to s), whose
      threshold lies far below every coordinate's size.

    Measured: Halley steps from these need 3 evaluations on the curve of Fig. 3(b) (756 rows) and for one
    prediction at P = 2000 distinct eigenvalues; scored by |mu_i| / c_i (which ignores the sds), the
    curve needs 4. Guesses that are not in (0, high) become high / 200."""
    import numpy as np

    from dctheory.solvers import row_max

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
                above = NUMPY.total(w * (score >= score[:, k, None]))
                start = np.maximum(start, np.where(above >= s, score[:, k], -np.inf))
            start = np.where(start > -np.inf, start, row_max(score))
        else:
            rows = np.arange(w.shape[0])
            order = np.argsort(-score, axis=-1)
            crossed = np.cumsum(w[rows[:, None], order], axis=-1) >= s
            index = np.minimum(np.argmax(crossed, axis=-1), K - 1)
            start = score[rows, order[rows, index]]
        r = law["r"]
        slope = NUMPY.total(law["wq"] * NUMPY.pointwise("standardized_keep_probability_derivative", 0 * r, r))
        W = NUMPY.total(w)
        start = np.fmin(start, np.log(W / s) * W / np.abs(slope))
        return np.where(np.isfinite(start) & (start > 0) & (start < high), start, high / 200)


def _float_threshold(per_row, per_atom, s):
    """The float64 root of an mpmath threshold equation (a seed for its Newton steps), or None."""
    import numpy as np

    try:
        with np.errstate(all="ignore"):
            rows = {k: np.array([float(x) for x in v])[None, :] for k, v in per_row.items()}
            atoms = {k: np.array([float(x) for x in v]) for k, v in per_atom.items()}
            if not all(np.all(np.isfinite(v)) for v in (*rows.values(), *atoms.values())):
                return None
            t = float(threshold(NUMPY, rows, atoms, float(s))[0])
        return t if np.isfinite(t) else None
    except (ArithmeticError, ValueError, RuntimeError):
        return None


def top_s(bk, w, score, s):
    """Kept multiplicity per atom when the s largest scores are kept exactly (zero variance).

    Atoms are taken in decreasing ``score``, ties in atom order: kept_k = min(w_k, max(s - (weight before
    k), 0)). Where the cutoff falls inside a tie of two or more atoms, which of their copies are kept is
    the feature order's business, which atoms do not know: :func:`cutoff_ties` names those rows."""
    import numpy as np

    order = np.argsort(-score, axis=-1, kind="stable")
    weights = np.take_along_axis(w, order, axis=-1)
    before = np.cumsum(weights, axis=-1) - weights
    kept_sorted = np.minimum(weights, np.maximum(s - before, 0 * before))
    kept = np.empty_like(kept_sorted)
    np.put_along_axis(kept, order, kept_sorted, axis=-1)
    return kept


def cutoff_ties(w, score, kept):
    """The rows of a :func:`top_s` selection whose cutoff falls inside a tie of two or more atoms, kept in
    part: (tied, r), per row the atoms whose score equals the lowest kept score (a boolean array like
    ``w``; all False in rows without such a tie) and how many of their copies are kept in all. Rows or
    vectors (mpmath)."""
    import numpy as np

    has = kept > 0
    cutoff = np.min(np.where(has, score, np.inf), axis=-1, keepdims=True)
    tied = (score == cutoff) & (w > 0)
    r = np.sum(np.where(tied, kept, 0), axis=-1)
    whole = np.sum(np.where(tied, w, 0), axis=-1)
    partial = (np.sum(tied, axis=-1) >= 2) & (r < whole)
    return tied & np.expand_dims(partial, -1), r


# float64 coordinate sds above this are brought to order 1 by ``_coordinate_units`` before a risk formula.
HUGE_SD = 2.0**256


def _coordinate_units(bk, lam, sd, *lengths):
    """(lambda, sd, *lengths) with every coordinate whose sd exceeds ``HUGE_SD`` measured in units of 2^e
    (its sd's binary exponent): sd, mean, beta and thresholds / 2^e, lambda 4^e (powers of two, so exact).

    Each risk term lambda_i E[(w_i 1{|w_i| > t_i} - beta_i)^2] is invariant under w_i -> w_i / c,
    beta_i -> beta_i / c, t_i -> t_i / c, lambda_i -> lambda_i c^2, but in float64 s_i^2 overflows when
    lambda_i underflows (least squares: s_i^2 = sigma_D^2 / ((n - m - 1) lambda_i)) although
    lambda_i s_i^2 is of order sigma_D^2. Other backends, and float64 inputs without such sds, are
    returned unchanged. Lengths that underflow to 0 in the new units are below 2^-1000 of s_i there."""
    import numpy as np

    if bk is not NUMPY:
        return (lam, sd, *lengths)
    huge = sd > HUGE_SD
    if not huge.any():
        return (lam, sd, *lengths)
    e = np.where(huge, np.frexp(sd)[1], 0)
    with np.errstate(under="ignore"):
        return (np.ldexp(lam, 2 * e), np.ldexp(sd, -e), *(np.ldexp(x, -e) for x in lengths))


def thresholded_risk(bk, sigma_D, lam, thresholds, mean, sd, beta, w):
    """Risk after hard thresholding at per-atom thresholds (docs/theory.md#thresholded-risk, Cor. 1)."""
    lam, sd, thresholds, mean, beta = _coordinate_units(bk, lam, sd, thresholds, mean, beta)
    return bk.reduce("thresholded_risk", sigma_D, lam, thresholds, mean, sd, beta, weights=w)


def keep_probability(bk, thresholds, mean, sd):
    """pi(t_i; mu_i, s_i) = P(|w_i| > t_i) per atom (docs/theory.md#thresholded-risk)."""
    return bk.pointwise("keep_probability", thresholds, mean, sd)


def kept_counts(bk, thresholds, mean, sd, w):
    """Expected kept multiplicity per atom, w_i pi(t_i; mu_i, s_i)."""
    return w * keep_probability(bk, thresholds, mean, sd)


def oracle_risk(bk, sigma_D, lam, oracle, mean, sd, beta, w):
    """Oracle pruning: keep D* cap D (``oracle`` = 1 on D*), zero the rest, no refit (docs/theory.md#thresholded-risk)."""
    lam, sd, mean, beta = _coordinate_units(bk, lam, sd, mean, beta)
    return bk.reduce("oracle_risk", sigma_D, lam, oracle, mean, sd, beta, weights=w)


def random_risk(bk, sigma_D, s, m, lam, mean, sd, beta, w):
    """Pruning a uniformly random s-subset of the m trained coordinates (docs/theory.md#thresholded-risk)."""
    lam, sd, mean, beta = _coordinate_units(bk, lam, sd, mean, beta)
    return bk.reduce("random_pruning_risk", sigma_D, s, m, lam, mean, sd, beta, weights=w)


def kept_fraction_risk(bk, sigma_D, lam, fraction, mean, sd, beta, w):
    """Risk when a fraction ``fraction`` of each atom's copies is kept exactly (no randomness in which):
    sigma_D^2 + sum_i w_i lambda_i (f_i ((mu_i - beta_i)^2 + s_i^2) + (1 - f_i) beta_i^2), the
    ``oracle_risk`` formula with o_i = f_i. This is the pruned risk of the top-s rule."""
    return oracle_risk(bk, sigma_D, lam, fraction, mean, sd, beta, w)
