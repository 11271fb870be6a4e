"""The theory's own solves (docs/theory.md#finite-size, #asymptotic): which regime applies, xi and tau^2, in
float64 and in mpmath. The root finders they call know no theory and live in :mod:`dctheory.engines`.

float64 solves are vectorized over a batch of spectra: ``eigenvalues`` and
``weights`` of shape (B, K) describe B problems over K atoms (weights are
multiplicities, 0/1 masks, or the probabilities of a discrete law). The root
in u = log xi is bracketed analytically and found by safeguarded Newton steps
warm-started along the rows (:func:`dctheory.engines.solve_rows`), with
Chandrupatla's bracketing as the fallback, robust for spectra spanning many
orders of magnitude.

mpmath solves (:func:`solve_xi_mp`, :func:`tau2_mp`, :func:`solve_dense_mp`) run at the caller's
precision, in MPFR; callers check their digits by a re-solve at more digits
(:func:`dctheory.engines.verified`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

import gmpy2
import mpmath
import numpy as np
import numpy.typing as npt
import scipy.special

from dctheory._compiled import compiled
from dctheory.engines import (
    NARROW,
    Arrays,
    FloatArray,
    IntArray,
    RowBlocks,
    float64_seed,
    newton_mp,
    prefix_lengths,
    row_max,
    row_min,
    row_sum,
    solve_rows,
)
from dctheory.errors import RegimeError

OVER, UNDER, RIDGE = "overparameterized", "underparameterized", "ridge"


def saturated_root(n: Any, ridge: Any, rank: Any, inverse: Any, sqrt: Callable[[Any], Any] = np.sqrt) -> Any:
    """The first guess of xi with a ridge where the rank is below n: the root of the ridge equation with every
    a_i replaced by 1 - 1 / (xi lambda_i), the positive root of n ridge x^2 - (n - rank) x - sum w / lambda = 0
    (``inverse``: sum w / lambda over lambda > 0). Since a_i >= 1 - 1 / (xi lambda_i) it bounds xi from above,
    and below rank n the ridge holds xi above (n - rank) / (n ridge), where most xi lambda_i are large and the
    bound is close. Measured over 1136 random problems of 1 to 8 atoms with rank < n (ridge 1e-4 to 10):
    Newton in log xi from it takes 3.8 evaluations on average, from the middle of the bracket 5.1 (above rank
    n it is worse than the middle: 5.4 against 4.8). Floats or arrays (``sqrt``: math.sqrt or np.sqrt)."""
    gap = n - rank
    return (gap + sqrt(gap * gap + 4 * n * ridge * inverse)) / (2 * n * ridge)


def effective_rank(eigenvalues: FloatArray, weights: FloatArray) -> FloatArray:
    """sum_i w_i 1{lambda_i > 0}: the number of features that carry signal."""
    return row_sum(weights * (eigenvalues > 0))


def regime(rank: npt.ArrayLike, n: float, ridge: float) -> npt.NDArray[np.object_]:
    """Which characterization applies: ridge, overparameterized (rank > n) or
    underparameterized (rank < n - 1); None where ridgeless rank is in [n - 1, n]."""
    rank = np.asarray(rank, dtype=float)
    if ridge > 0:
        return np.full(rank.shape, RIDGE, dtype=object)
    out = np.full(rank.shape, None, dtype=object)
    out[rank > n] = OVER
    out[rank < n - 1] = UNDER
    return out


def has_regime(rank: npt.ArrayLike, n: float, ridge: float) -> npt.NDArray[np.bool_]:
    """Where :func:`regime` is not None, as a boolean array (no object array)."""
    rank = np.asarray(rank, dtype=float)
    if ridge > 0:
        return np.ones(rank.shape, dtype=bool)
    return (rank > n) | (rank < n - 1)


def undefined_message(rank: float, n: float) -> str:
    return (
        f"the ridgeless min-norm risk is undefined for {rank:g} features with n = {n:g} samples: "
        f"it needs m > n (interpolation) or m < n - 1 (least squares); use ridge > 0 for m in [n - 1, n]"
    )


XI_LOG_TOP = 709.0  # the float64 xi solves search u = log xi below this (e^709.78 is the largest float64)


def solve_xi(
    eigenvalues: npt.ArrayLike,
    n: float | npt.ArrayLike,
    ridge: float = 0.0,
    weights: npt.ArrayLike | None = None,
    position: npt.ArrayLike | None = None,
    guess: npt.ArrayLike | None = None,
) -> FloatArray | np.float64:
    """xi for a batch of spectra, float64 (docs/theory.md#finite-size).

    Solves ``sum_i w_i a_i(xi) + n ridge xi = n`` with ``a_i = xi lam_i/(1 + xi lam_i)``
    (the ``ridge_equation``; ridge = 0 is the ridgeless xi equation).

    Args:
        eigenvalues: (K,) or (B, K), >= 0.
        n: sample size; with ridge > 0 also one per row (B,) (the ridge's n_lambda, :func:`ridge_solution`).
        ridge: ridge strength lam >= 0.
        weights: multiplicities, broadcastable to eigenvalues; default 1.
        position: (B,) where the rows lie on a curve (e.g. m; default their rank), for the
            warm starts of :func:`solve_rows` (speed only: every root is solved to full precision).
        guess: (B,) or a scalar: the roots of nearby equations (e.g. the roots with n for those with n_lambda,
            :func:`ridge_solution`), the first guesses of the rows (speed only).

    Returns:
        xi of shape (B,) (or a float64 scalar for a single spectrum).

    Raises:
        RegimeError: ridge = 0 and sum_i w_i 1{lam_i > 0} <= n (no positive root).
    """
    lam = np.atleast_2d(np.asarray(eigenvalues, dtype=float))
    w = np.broadcast_to(np.ones(1) if weights is None else np.asarray(weights, dtype=float), lam.shape)
    lam, w = np.broadcast_arrays(lam, w)
    if np.ndim(n) > 0:
        # Per-row sample sizes (the ridge's n_lambda, :func:`ridge_solution`): the equation of row b,
        # sum_i w_i a_i + n_b ridge xi = n_b, times n / n_b is the equation with weights w_i n / n_b and one n.
        sizes = np.broadcast_to(np.asarray(n, dtype=float), lam.shape[:1])
        if not ridge > 0:
            raise ValueError("per-row sample sizes are the ridge's (ridge > 0)")
        common = float(np.max(sizes))
        w = w * (common / sizes)[:, None]
        n = common
    n = float(cast(float, n))
    rank = effective_rank(lam, w)
    if ridge == 0 and np.any(rank <= n):
        raise RegimeError(
            f"the xi equation has no root: {np.min(rank):g} features with positive variance "
            f"but n = {n:g} samples (ridgeless interpolation needs rank(Sigma_DD) > n)"
        )
    equation = compiled("ridge_equation")
    total = row_sum(w * lam)
    with np.errstate(over="ignore"):
        inverse = row_sum(np.divide(w, lam, out=np.zeros_like(lam), where=lam > 0))
    # F(xi) <= xi (sum lam + n ridge) - n, so F < 0 below n / (sum lam + n ridge).
    low = n / (total + n * ridge)
    # a_i >= 1 - 1/(xi lam_i): F > 0 above 2 sum(1/lam) / (rank - n); with ridge, above 1/ridge.
    # Eigenvalues near the underflow limit (1e-308) overflow sum(1/lam): that bound is then taken in logs.
    with np.errstate(over="ignore", divide="ignore"):
        log_inverse = np.log(inverse)
        huge = ~np.isfinite(log_inverse) & (rank > n)
        if np.any(huge):
            log_lam = np.log(np.where(lam > 0, lam, 1.0))
            log_inverse = np.where(huge, scipy.special.logsumexp(-log_lam, b=w * (lam > 0), axis=-1), log_inverse)
        log_high = np.log(2.0) + log_inverse - np.log(np.maximum(rank - n, 1e-300))
    if ridge > 0:
        log_high = np.minimum(-np.log(ridge), np.where(rank > n, log_high, np.inf))
    slope = compiled("shrinkage_log_derivative")
    complement = compiled("shrinkage_complement")
    xi_of = np.empty(lam.shape[0])
    if ridge == 0:
        offset = np.log(n / (rank - n))  # logit(n / W); W > n where ridge = 0 (read by the ridgeless steps only)
    per_row: Arrays = {"w": w}
    if ridge == 0 and not np.all(lam > 0):
        per_row["live"] = w * (lam > 0)  # the weights of R = W - S: zero eigenvalues are not in the rank W
    if lam.strides[0] == 0:  # one spectrum for all rows (a broadcast view): slice it, never copy it
        blocks = RowBlocks(prefix_lengths(w), per_row, {"lam": lam[0]})
    else:
        blocks = RowBlocks(prefix_lengths(w), {**per_row, "lam": lam})

    def evaluate(u: FloatArray, rows: IntArray, with_slope: bool) -> Any:
        # F(u) and dF/du = sum_i w_i xi lam_i/(1 + xi lam_i)^2 + n ridge xi, in u = log xi (ridgeless: G, below).
        xi_of[rows] = np.exp(u)

        def compute(rows_b: IntArray, a: Arrays) -> Any:
            x = xi_of[rows_b]
            value = equation(x, n, ridge, a["lam"], weights=a["w"])
            if with_slope:
                derivative = row_sum(a["w"] * slope(x[:, None], a["lam"]))
                if ridge > 0:
                    derivative += n * ridge * x
            if ridge > 0:
                return (value, derivative) if with_slope else value
            # Ridgeless: Newton steps on G(u) = logit(S / W) - logit(n / W) = log(S / R) - log(n / (W - n)),
            # S = F + n = sum_i w_i a_i, R = W - S = sum_i w_i (1 - a_i) and W = sum_i w_i 1{lam_i > 0} (the
            # rank): the same root and sign, and exactly linear in u when the eigenvalues are equal (S/W a
            # logistic function of u), nearly so when they are not. R is summed from the complements
            # 1 - a_i, never taken as W - S: just above m = n, where R is of order 1 next to W, the
            # difference carried W ulps of error into xi (3.7e-14 at P = 2000, n = 600, m = 601-639). Where S or R
            # is 0 (a trial xi at an end of the float64 range) the steps are on F itself.
            total = value + n
            rest = row_sum(a.get("live", a["w"]) * complement(x[:, None], a["lam"]))
            logit = (rest > 0) & (total > 0)
            with np.errstate(divide="ignore", invalid="ignore"):
                g = np.where(logit, np.log(total / rest) - offset[rows_b], value)
                if not with_slope:
                    return g
                return g, np.where(logit, derivative * (1 / total + 1 / rest), derivative)

        # Trial points far above the root (a bracket stretched by an eigenvalue near the underflow limit)
        # overflow (1 + xi lam_i)^2: the slope term is then 0, its exact limit. At the top of the float64
        # range xi lam_i itself overflows (inf / inf): such a value is NaN, and a root there is refused below.
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            return blocks.map(rows, compute, 2 if with_slope else 1)

    # Rows of a curve over m are smooth in the rank: bracket a few, Newton from splines for the rest.
    # The upper end stays below log(float64 max), so that every trial xi is finite (the root is far below).
    # In u = log xi each a_i is a logistic function, so |S''| <= S' <= min(S, W - S), and the Newton function
    # (G ridgeless, F with a ridge) has |f''| <= 2 f': after a step du the root is within du^2, and steps
    # below 1e-8 end a row at 1e-16.
    top = np.minimum(log_high + 1.0, XI_LOG_TOP)
    spectrum = lam[:1] if lam.strides[0] == 0 else lam  # one spectrum for all rows: its atoms once
    start: FloatArray | None = None
    if guess is not None:
        with np.errstate(divide="ignore"):
            start = np.clip(
                np.log(np.broadcast_to(np.asarray(guess, dtype=float), lam.shape[:1])), np.log(low) - 1.0, top
            )
    elif ridge == 0:
        # The root for equal eigenvalues (G is then linear in u), at their weighted geometric mean, drawn
        # by the weight (n / W)^4 towards u_big = log(sum_i w_i / lam_i) - log(W - n), the root's limit as
        # W -> n (every xi lam_i large: R ~ sum_i w_i / (xi lam_i)). u_big bounds the root from above
        # (R <= sum_i w_i / (xi lam_i)) and lies above the first guess (by the AM-GM gap of 1/lam_i and
        # log(W / n)). Measured: the Fig. 3(b) curve's xi takes 3 evaluations instead of 4 (its rows just
        # above m = n start 0.06 from the root in u instead of 0.47), 120 random problems 5% fewer.
        log_mean = row_sum(w * np.log(np.where(spectrum > 0, spectrum, 1.0))) / rank
        start = offset - log_mean
        start += (n / rank) ** 4 * (log_inverse - np.log(rank - n) - start)
        start = np.clip(start, np.log(low) - 1.0, top)
    elif np.any(rank < n):
        start = 0.5 * (np.log(low) - 1.0 + top)  # the middle of the bracket, where rank >= n
        under = rank < n
        with np.errstate(over="ignore"):  # (sum w / lambda near the float64 limit: the guess is then the top)
            guesses = np.log(saturated_root(n, ridge, rank[under], inverse[under]))
        start[under] = np.clip(guesses, np.log(low[under]) - 1.0, top[under])
    try:
        u = solve_rows(
            evaluate,
            np.log(low) - 1.0,
            top,
            increasing=True,
            direct=w.size <= NARROW,
            start=start,
            near=guess is not None,
            position=rank if position is None else position,
            rtol=0.0,
            atol=1e-8,
            chord=False,
        )
    except RuntimeError:
        u = np.full(lam.shape[0], np.nan)
    beyond = ~(u < XI_LOG_TOP - 1.0)
    # Eigenvalues spread over more than 1e30 can leave the equation flat in float64 around its root: the
    # terms xi lam_i of the largest round to 1 and those of the smallest to 0, so F is exactly 0 over a
    # range of xi (e.g. 13 unit eigenvalues and one of 1e-308 with n = 13: F = 0 for 1e17 < xi < 1e290).
    # Where F' at the root is below 1e-10 n, float64 does not determine xi: refused like a root beyond range.
    largest = row_max(np.where(spectrum > 0, spectrum, 0.0))
    smallest = row_min(np.where(spectrum > 0, spectrum, np.inf))
    spread = np.flatnonzero(~beyond & (largest > 1e30 * smallest))
    if spread.size:
        with np.errstate(over="ignore", under="ignore"):
            x = np.exp(u[spread])[:, None]
            flat = row_sum(w[spread] * slope(x, lam[spread])) <= 1e-10 * n
        beyond[spread[flat]] = True
    if np.any(beyond):
        # Eigenvalues near the underflow limit can carry the interpolation: the few features that make
        # rank > n then have xi lam_i of order one, with xi beyond the float64 range.
        raise RegimeError(
            f"float64 cannot resolve xi (beyond e^{XI_LOG_TOP - 1.0:g}, or the xi equation flat to rounding "
            f"around its root): {np.min(rank[beyond]):g} features with n = {n:g}, where the smallest eigenvalues "
            f"({np.min(np.where(lam > 0, lam, np.inf)):.3g}) take up the interpolation; use dps, or drop the "
            f"eigenvalues near the underflow limit"
        )
    xi = np.exp(u)
    if np.ndim(eigenvalues) > 1:
        return xi
    single: np.float64 = xi[0]
    return single


def ridge_solution(
    eigenvalues: npt.ArrayLike,
    n: float,
    ridge: float,
    weights: npt.ArrayLike | None = None,
    position: npt.ArrayLike | None = None,
) -> tuple[FloatArray | np.float64 | float, FloatArray | np.float64]:
    """(n_lambda, xi), batched like :func:`solve_xi`: the sample size that the ridge prediction uses for n
    (docs/theory.md#finite-size, ``ridge_sample_size``: n - rho, rho in [0, 1] evaluated at the root xi_n of the
    ridge equation with n) and xi, the root of the equation with n_lambda, solved from xi_n (n_lambda is within 1
    of n: the roots are close). Ridge 0: n itself (the ridgeless forms carry their own finite-n terms) and one solve.

    As the ridge vanishes n_lambda tends to n - 1 below the interpolation threshold (the prediction tends to the
    exact least-squares risk sigma_D^2 (n - 1)/(n - m - 1)) and to n above it (Def. 4)."""
    if ridge == 0:
        return float(n), solve_xi(eigenvalues, n, ridge, weights, position=position)
    lam = np.asarray(eigenvalues, dtype=float)
    shape = np.broadcast_shapes(lam.shape, np.shape(weights) if weights is not None else lam.shape)
    w = np.broadcast_to(np.ones(1) if weights is None else np.asarray(weights, dtype=float), shape)
    xi_n = solve_xi(lam, n, ridge, w, position=position)
    rank = effective_rank(np.broadcast_to(lam, shape), w)
    # no feature with a positive eigenvalue: the ridge fit is 0 whatever the sample size; n keeps it defined
    # (the formula's mean of a_i^2 over no features would be 0 / 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        size: FloatArray = np.where(rank > 0, compiled("ridge_sample_size")(xi_n, n, ridge, rank, lam, weights=w), n)
    return size, solve_xi(lam, size, ridge, w, position=position, guess=xi_n)


def solve_dense(
    eigenvalues: npt.ArrayLike,
    b: npt.ArrayLike,
    sigma2_D: npt.ArrayLike,
    n: float,
    ridge: float,
    weights: npt.ArrayLike | None = None,
    position: npt.ArrayLike | None = None,
) -> tuple[FloatArray | np.float64 | float, FloatArray | np.float64, FloatArray]:
    """(n_lambda, xi, tau^2) of the dense fit of a batch of spectra, interpolating or with a ridge
    (docs/theory.md#finite-size): :func:`ridge_solution`, then :func:`tau2` at its root with n_lambda."""
    size, xi = ridge_solution(eigenvalues, n, ridge, weights, position=position)
    return size, xi, tau2(xi, eigenvalues, b, sigma2_D, size, ridge, weights)


def tau2(
    xi: npt.ArrayLike,
    eigenvalues: npt.ArrayLike,
    b: npt.ArrayLike,
    sigma2_D: npt.ArrayLike,
    n: float | npt.ArrayLike,
    ridge: float = 0.0,
    weights: npt.ArrayLike | None = None,
) -> FloatArray:
    """tau^2 at the root xi (docs/theory.md#finite-size, cancellation-free form ``tau2``), batched like solve_xi.

    Where xi lam_i is beyond 1e154 (an eigenvalue near the underflow limit takes up the interpolation)
    (1 + xi lam_i)^2 overflows and its term is 0, below 1e-154 of the others: no warning for that."""
    with np.errstate(over="ignore"):
        value: FloatArray = compiled("tau2")(xi, n, ridge, np.sqrt(sigma2_D), eigenvalues, b, weights=weights)
    return value


# ---------------------------------------------------------------------------
# Arbitrary precision
# ---------------------------------------------------------------------------


def _to_mpfr(x: Any) -> Any:
    """An mpmath number (or int/float) as an MPFR number, exactly (MPFR precision >= its bits)."""
    if not isinstance(x, mpmath.mpf):
        x = mpmath.mpf(x)
    sign, mantissa, exponent, _ = x._mpf_  # value = (-1)^sign mantissa 2^exponent
    if not mantissa:
        if x != 0:
            raise ValueError(f"cannot convert {x} to MPFR")
        return gmpy2.mpfr(0)
    if exponent + mantissa.bit_length() < gmpy2.get_context().emin:
        # Below MPFR's range (about 2^-1e9; mpmath's exponents are unbounded, e.g. a keep probability
        # exp(-x^2/2) of a threshold ratio x ~ 1e10): 0, the value MPFR itself rounds it to.
        return gmpy2.mpfr(0)
    value = gmpy2.mul_2exp(gmpy2.mpfr(mantissa), exponent)
    return -value if sign else value


def _to_mpf(x: Any) -> Any:
    mantissa, exponent = x.as_mantissa_exp()
    return mpmath.mpf((int(mantissa), int(exponent)))


def _mpfr_context() -> Any:
    # The caller's mpmath precision (bits), plus guard bits for the sums.
    return gmpy2.context(gmpy2.get_context(), precision=mpmath.mp.prec + 16)


def solve_xi_mp(
    eigenvalues: Sequence[Any], n: Any, ridge: Any = 0, weights: Sequence[Any] | None = None, guess: Any = None
) -> Any:
    """xi at the caller's mpmath precision (no verification: see :func:`verified`).

    Newton steps in u = log xi from the float64 root (when it is representable; ``guess``, the root of a
    nearby equation, is the first guess of that float64 solve, and of the Newton steps where there is none),
    on the compiled ``shrinkage`` and ``shrinkage_log_derivative`` evaluated in
    MPFR (gmpy2) at the caller's precision; mpmath's bracketing Anderson-Bjorck
    solver is the fallback.
    """
    shrinkage = compiled("shrinkage", "gmpy2")
    slope = compiled("shrinkage_log_derivative", "gmpy2")
    with _mpfr_context():
        lam_all = [_to_mpfr(x) for x in eigenvalues]
        w_all = [gmpy2.mpfr(1)] * len(lam_all) if weights is None else [_to_mpfr(x) for x in weights]
        pairs = [(wi, li) for wi, li in zip(w_all, lam_all) if wi != 0 and li > 0]
        weights_r = [wi for wi, _ in pairs]
        n_r, ridge_r = _to_mpfr(n), _to_mpfr(ridge)
        rank = gmpy2.fsum(weights_r)
        if ridge_r == 0 and rank <= n_r:
            raise RegimeError(f"the xi equation has no root: rank {float(rank):g} <= n = {float(n_r):g}")
        low = _to_mpf(gmpy2.log(n_r / (gmpy2.fsum(wi * li for wi, li in pairs) + n_r * ridge_r))) - 1
        if ridge_r > 0:
            high = _to_mpf(-gmpy2.log(ridge_r)) + 1
        else:
            high = _to_mpf(gmpy2.log(2 * gmpy2.fsum(wi / li for wi, li in pairs) / (rank - n_r))) + 1

        def F(u: Any) -> Any:
            x = gmpy2.exp(_to_mpfr(u))
            return _to_mpf(gmpy2.fsum(wi * shrinkage(x, li) for wi, li in pairs) + n_r * ridge_r * x - n_r)

        def newton_step(u: Any) -> Any:
            # F and F' in one pass over the spectrum (the sums dominate the cost).
            x = gmpy2.exp(_to_mpfr(u))
            value = gmpy2.fsum(wi * shrinkage(x, li) for wi, li in pairs) + n_r * ridge_r * x - n_r
            derivative = gmpy2.fsum(wi * slope(x, li) for wi, li in pairs) + n_r * ridge_r * x
            return _to_mpf(value / derivative)

        start = _float_start(pairs, n, ridge, guess)
        if start is None and guess is not None:
            start = mpmath.log(guess)
        u = None if start is None else newton_mp(newton_step, start, low, high)
        if u is None:
            tol = mpmath.mpf(10) ** (-mpmath.mp.dps)
            u = mpmath.findroot(F, (low, high), solver="anderson", tol=tol**2, maxsteps=10_000)
    return mpmath.exp(u)


def _float_start(pairs: list[tuple[Any, Any]], n: Any, ridge: Any, guess: Any = None) -> Any:
    """log xi from the float64 solver (a first guess; ``guess``: its own), when the spectrum is representable
    in float64."""

    def solve(lam: FloatArray, w: FloatArray) -> Any:
        near = None if guess is None else float(guess)
        return solve_xi(lam, float(n), float(ridge), w, guess=near) if np.all(lam > 0) else np.nan

    xi = float64_seed(solve, {"lam": [li for _, li in pairs], "w": [wi for wi, _ in pairs]})
    return None if xi is None else mpmath.log(xi)


def ridge_solution_mp(
    eigenvalues: Sequence[Any], n: Any, ridge: Any, weights: Sequence[Any] | None = None
) -> tuple[Any, Any]:
    """:func:`ridge_solution` at the caller's mpmath precision: (n_lambda, xi), n itself and one solve at ridge 0."""
    if ridge == 0:
        return mpmath.mpf(n), solve_xi_mp(eigenvalues, n, ridge, weights)
    xi_n = solve_xi_mp(eigenvalues, n, ridge, weights)
    w = [mpmath.mpf(1)] * len(eigenvalues) if weights is None else list(weights)
    rank = mpmath.fsum(wi for wi, li in zip(w, eigenvalues) if li > 0)
    if rank == 0:  # no feature with a positive eigenvalue (see ridge_solution)
        size = mpmath.mpf(n)
    else:
        with _mpfr_context():
            size = _to_mpf(
                compiled("ridge_sample_size", "gmpy2")(
                    _to_mpfr(xi_n),
                    _to_mpfr(n),
                    _to_mpfr(ridge),
                    _to_mpfr(rank),
                    [_to_mpfr(x) for x in eigenvalues],
                    weights=[_to_mpfr(x) for x in w],
                )
            )
    return size, solve_xi_mp(eigenvalues, size, ridge, weights, guess=xi_n)


def solve_dense_mp(
    eigenvalues: Sequence[Any],
    b: Sequence[Any],
    sigma2_D: Any,
    n: Any,
    ridge: Any,
    weights: Sequence[Any] | None = None,
) -> tuple[Any, Any, Any]:
    """:func:`solve_dense` at the caller's mpmath precision: (n_lambda, xi, tau^2)."""
    size, xi = ridge_solution_mp(eigenvalues, n, ridge, weights)
    return size, xi, tau2_mp(xi, eigenvalues, b, sigma2_D, size, ridge, weights)


def tau2_mp(
    xi: Any,
    eigenvalues: Sequence[Any],
    b: Sequence[Any],
    sigma2_D: Any,
    n: Any,
    ridge: Any = 0,
    weights: Sequence[Any] | None = None,
) -> Any:
    """tau^2 at the caller's mpmath precision (compiled ``tau2``, evaluated in MPFR)."""
    with _mpfr_context():
        value = compiled("tau2", "gmpy2")(
            _to_mpfr(xi),
            _to_mpfr(n),
            _to_mpfr(ridge),
            gmpy2.sqrt(_to_mpfr(sigma2_D)),
            [_to_mpfr(x) for x in eigenvalues],
            [_to_mpfr(x) for x in b],
            weights=None if weights is None else [_to_mpfr(x) for x in weights],
        )
    return _to_mpf(value)


@dataclass(frozen=True)
class Solution:
    """xi, tau^2 and the dense risk of one effective problem.

    ``xi`` and ``tau2`` are None in the ridgeless underparameterized regime,
    where the dense risk is the exact least-squares mean risk.
    """

    regime: str
    xi: object
    tau2: object
    dense: object
    #: the sample size of the law's formulas: n_lambda with a ridge (:func:`ridge_solution`), else n
    sample_size: object = None
