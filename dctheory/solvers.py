"""Solvers for xi and tau^2 (docs/theory.md#finite-size, #asymptotic), in float64 and in mpmath.

float64 solves are vectorized over a batch of spectra: ``eigenvalues`` and
``weights`` of shape (B, K) describe B problems over K atoms (weights are
multiplicities, 0/1 masks, or the probabilities of a discrete law). The root
in u = log xi is bracketed analytically and found by
``scipy.optimize.elementwise.find_root`` (Chandrupatla), which is robust for
spectra spanning many orders of magnitude.

mpmath solves run at ``dps`` digits and are checked: the solve is repeated at
dps + 10 digits and the results must agree to dps significant digits, else
:class:`~dctheory.errors.PrecisionError`.
"""

from __future__ import annotations

from dataclasses import dataclass

import gmpy2
import mpmath
import numpy as np
import scipy.special

from dctheory._compiled import compiled
from dctheory._formulas import _numpy_sum
from dctheory.checks import check_dps
from dctheory.errors import PrecisionError, RegimeError

OVER, UNDER, RIDGE = "overparameterized", "underparameterized", "ridge"

_TOLERANCES = {"xatol": 0.0, "xrtol": 4 * np.finfo(float).eps, "fatol": 0.0, "frtol": 0.0}


def find_roots(f, lo, hi, rows: np.ndarray) -> np.ndarray:
    """Roots of ``f(x, rows)`` in the brackets [lo, hi], elementwise over ``rows``."""
    from scipy.optimize import elementwise  # imported when first needed (start-up time)

    result = elementwise.find_root(f, (lo, hi), args=(rows.astype(float),), tolerances=_TOLERANCES)
    if not np.all(result.success):
        bad = np.flatnonzero(~result.success)[0]
        raise RuntimeError(f"root finding failed (status {result.status[bad]}) in row {bad}")  # pragma: no cover
    return result.x


def newton_roots(f_and_slope, lo, hi, start, *, increasing: bool, rtol: float = 1e-10, atol: float = 0.0,
                 max_steps: int = 200, f=None, compact: bool = True):
    """Roots of monotone functions, elementwise, by safeguarded Newton steps (``rtsafe``).

    ``f_and_slope(x, rows)`` returns (f, f') at ``x`` for the given row indices. Each row keeps a
    bracket [lo, hi] with a sign change (f increasing or decreasing, as given), narrowed by every
    evaluation; a Newton step that leaves the bracket, or that would not halve the previous step,
    is replaced by bisection, so the iteration cannot fail or cycle. A row stops after a Newton step
    dx below ``rtol |x| + atol`` (the iterate is then within about K dx^2 of the root, K = |f''/2f'|)
    or once its bracket is 4 ulp wide. With ``f(x, rows)`` (values only), rows whose last step was
    small but above 1e-3 of that bound take one more chord step x - f(x)/f'(x_previous), which cuts
    the error to about 2 K^2 |dx|^3 for the price of one value (no slope): with rtol = 1e-6 that is
    ~1e-18 (K x)^2; the others are already within K dx^2 <= 1e-18 K x^2.

    ``compact``: rows that stop leave the iteration, so later evaluations ask for the open rows only.
    Without, every evaluation asks for every row (the stopped ones at their last iterate, whose
    values are ignored): cheaper when an evaluation costs per call rather than per row (a narrow
    batch), as it then gathers and scatters nothing. Each row's iterates are the same either way.

    Returns:
        (x, lo, hi, active): the iterates, the narrowed brackets, and the indices of the rows that
        did not stop within ``max_steps`` (their bracket still holds the root).
    """
    lo, hi = np.array(lo, dtype=float), np.array(hi, dtype=float)
    x = np.array(start, dtype=float)
    outside = ~((x > lo) & (x < hi))
    x[outside] = 0.5 * (lo[outside] + hi[outside])
    last_slope = np.zeros(x.size)
    stopped_small = []
    # The open rows' state. Compacted: rows leave these arrays (written back to x, lo, hi, last_slope)
    # when they stop, so an iteration touches only open rows and gathers nothing. Not compacted: the
    # arrays keep every row, and ``open_`` says which still move.
    active, xa, la, ha, previous = np.arange(x.size), x.copy(), lo.copy(), hi.copy(), hi - lo
    open_ = np.ones(x.size, dtype=bool)
    four_ulp = 4 * np.finfo(float).eps
    # (The brackets are finite: a Newton point that is not finite fails every comparison below.)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for _ in range(max_steps):
            if active.size == 0:
                break
            value, slope = f_and_slope(xa, active)
            above = value > 0 if increasing else value < 0  # xa lies above the root
            below = value < 0 if increasing else value > 0
            high = np.where(above, xa, ha)
            low = np.where(below, xa, la)
            delta = value / slope
            newton = xa - delta
            dx = np.abs(delta)
            ok = (newton > low) & (newton < high) & (2 * dx <= previous)
            # A Newton step this small ends the row whatever the safeguards say: near the root f is
            # rounding noise, and its sign and size no longer steer the bracket or the step.
            bound = rtol * np.abs(xa) + atol if atol else rtol * np.abs(xa)
            small = dx <= bound
            exact = value == 0
            new = np.where(small, np.minimum(np.maximum(newton, low), high), np.where(ok, newton, 0.5 * (low + high)))
            new = np.where(exact, xa, new)
            step = np.abs(new - xa)
            done = exact | small | (high - low <= four_ulp * np.maximum(np.abs(low), np.abs(high)))
            if not compact:
                # Stopped rows keep their state; the others move.
                done &= open_
                if f is not None:
                    stopped_small.append(np.flatnonzero(done & small & ~exact & (step > 1e-3 * bound)))
                last_slope = np.where(done, slope, last_slope)
                xa, la, ha = np.where(open_, new, xa), np.where(open_, low, la), np.where(open_, high, ha)
                previous = step
                open_ &= ~done
                if not open_.any():
                    break
                continue
            if f is not None:
                stopped_small.append(active[small & ~exact & (step > 1e-3 * bound)])
            xa, la, ha, previous = new, low, high, step
            if done.any():
                rows = active[done]
                x[rows], lo[rows], hi[rows], last_slope[rows] = xa[done], la[done], ha[done], slope[done]
                keep = ~done
                active, xa, la, ha, previous = active[keep], xa[keep], la[keep], ha[keep], previous[keep]
    if compact:
        x[active], lo[active], hi[active] = xa, la, ha
    else:
        x, lo, hi, active = xa, la, ha, np.flatnonzero(open_)
    if f is not None:
        rows = np.concatenate(stopped_small) if stopped_small else np.zeros(0, dtype=int)
        if rows.size:
            with np.errstate(divide="ignore", invalid="ignore"):
                chord = x[rows] - f(x[rows], rows) / last_slope[rows]
            x[rows] = np.where(np.isfinite(chord), np.minimum(np.maximum(chord, lo[rows]), hi[rows]), x[rows])
    return x, lo, hi, active


def solve_rows(evaluate, lo, hi, *, increasing: bool, position=None, start=None, rtol: float = 1e-6,
               atol: float = 0.0, chord: bool = True, spacing: int = 4, newton_steps: int = 6,
               direct: bool = False) -> np.ndarray:
    """Roots of B monotone equations that vary smoothly with a position (e.g. m, for a curve over m).

    ``evaluate(x, rows, slope)`` returns f (and f' when ``slope``) for the given rows; the roots lie
    in [lo, hi] (``start``: first guesses for the rows solved from scratch; default mid-bracket).
    Every ``spacing``-th row (in order of ``position``, default the row index) is solved
    first, recursively; the others start from the cubic spline through those roots and take up to
    ``newton_steps`` safeguarded Newton steps (:func:`newton_roots`, which stop after a step below
    ``rtol |x| + atol``, then with ``chord`` take one chord step: the error is then about the cube
    of that times (x f''/f')^2; without, its square times |x f''/f'|). Rows still open (a
    poor start, e.g. across a change of regime) and small batches are bracketed (:func:`find_roots`).
    ``direct``: solve every row at once by safeguarded Newton steps (cheaper than the splines when a
    row is a handful of atoms: then one evaluation of all rows costs little).
    """
    B = lo.size
    order = np.argsort(np.arange(B) if position is None else position, kind="stable")
    place = np.arange(B, dtype=float) if position is None else np.asarray(position, dtype=float)

    def f(x, row):
        return evaluate(x, row.astype(int), False)

    def values(x, rows):
        return evaluate(x, rows, False)

    if B <= 4 * spacing or direct:
        # Few rows: safeguarded Newton from the middle of the brackets (bisection until Newton takes
        # over); a vectorized loop far lighter than scipy's per-iteration machinery for a handful of rows.
        x, lo_open, hi_open, open_rows = newton_roots(lambda xa, rows: evaluate(xa, rows, True), lo, hi,
                                                      0.5 * (lo + hi) if start is None else start,
                                                      increasing=increasing, rtol=rtol, atol=atol, max_steps=100,
                                                      f=values if chord else None, compact=not direct)
        if open_rows.size:
            x[open_rows] = find_roots(f, lo_open[open_rows], hi_open[open_rows], open_rows)
        return x
    coarse = order[::spacing]
    if coarse[-1] != order[-1]:
        coarse = np.append(coarse, order[-1])
    x = np.empty(B)
    x[coarse] = solve_rows(lambda xa, rows, slope: evaluate(xa, coarse[rows], slope), lo[coarse], hi[coarse],
                           increasing=increasing, position=place[coarse], start=None if start is None else start[coarse],
                           rtol=rtol, atol=atol, chord=chord, spacing=spacing,
                           newton_steps=newton_steps)
    fine = np.setdiff1d(order, coarse)
    knots, first = np.unique(place[coarse], return_index=True)
    if knots.size >= 4:
        from scipy.interpolate import CubicSpline  # imported when first needed (start-up time)

        guess = CubicSpline(knots, x[coarse][first])(place[fine])
    else:
        guess = np.interp(place[fine], knots, x[coarse][first])
    x[fine], lo_fine, hi_fine, open_rows = newton_roots(
        lambda xa, active: evaluate(xa, fine[active], True), lo[fine], hi[fine], guess,
        increasing=increasing, rtol=rtol, atol=atol, max_steps=newton_steps,
        f=(lambda xa, active: evaluate(xa, fine[active], False)) if chord else None)
    if open_rows.size:
        x[fine[open_rows]] = find_roots(f, lo_fine[open_rows], hi_fine[open_rows], fine[open_rows])
    return x


BLOCK_ELEMENTS = 1 << 16
NARROW = 1 << 13  # batches of at most this many (row, atom) values are solved directly, all rows at once


def by_rows(compute, per_row: dict, per_atom: dict | None = None, outputs: int = 1, rows=None):
    """``compute(rows_arrays, atom_arrays)`` on consecutive chunks of rows, each cut to the widest prefix of
    non-zero weight ``per_row["w"]`` in the chunk, results concatenated over rows (a one-shot evaluation of
    a (B, K) formula in cache-sized pieces; per-row outputs (B,) or (B, K), zero-padded past the prefix).

    ``rows``: evaluate only these rows of the per-row arrays (outputs in their order); each chunk is
    gathered when it is evaluated, so no copy of the selected rows is ever made whole."""
    weights = per_row["w"]
    K = weights.shape[1]
    prefix = prefix_lengths(weights)
    if rows is not None:
        rows = np.asarray(rows)
        prefix = prefix[rows]
    B = prefix.size
    step = max(1, BLOCK_ELEMENTS // max(K, 1))
    if B == 0:
        return [np.zeros(0) for _ in range(outputs)] if outputs > 1 else np.zeros(0)
    results = None
    for start in range(0, B, step):
        chunk = slice(start, start + step)
        source = chunk if rows is None else rows[chunk]
        width = int(prefix[chunk].max())
        arrays = {k: (v[source, :width] if v.ndim == 2 else v[source]) for k, v in per_row.items()}
        atoms = {k: v[:width] for k, v in (per_atom or {}).items()}
        values = compute(arrays, atoms)
        values = values if outputs > 1 else (values,)
        if results is None:
            results = [np.zeros((B, K) if np.ndim(v) == 2 else B) for v in values]
        for target, value in zip(results, values):
            if np.ndim(value) == 2:
                target[chunk, :width] = value
            else:
                target[chunk] = value
    return results if outputs > 1 else results[0]


class RowBlocks:
    """The rows of a (B, K) batch in a few blocks of similar prefix length, gathered once.

    Rows of a curve over m use a prefix of the atoms (:func:`prefix_lengths`); a block holds
    contiguous copies of the per-row arrays cut to its widest prefix, so that repeated evaluations
    (root finding) neither gather nor touch the zero-weight tail. ``per_atom`` arrays (K,) are
    shared by all rows and only sliced.
    """

    def __init__(self, prefix: np.ndarray, per_row: dict, per_atom: dict | None = None, groups: int | None = None,
                 prepare=None, rows=None):
        """``prepare(arrays)``: arrays derived once per block from its gathered ones (e.g. ratios that every
        evaluation needs), replacing them; all of them are then per-row (rows, width) or per-atom (width,).
        ``rows``: the batch is these rows of the per-row arrays (``prefix`` is theirs)."""
        self.prefix = prefix
        if groups is None:
            # Blocks of about 4 BLOCK_ELEMENTS values: numpy temporaries of that size do not fault in fresh pages
            # (measured on (2000, 2000) batches: one block, with 32 MB temporaries, is 5x slower), and root
            # solves, which evaluate every block many times, pay little per-block overhead.
            groups = int(np.ceil(np.sum(prefix) / (4 * BLOCK_ELEMENTS)))
        # Narrow batches (few atoms) gain nothing from skipping tails; one block saves per-block calls.
        groups = max(1, min(groups, prefix.size))
        self.block_of = np.empty(prefix.size, dtype=int)
        self.local = np.empty(prefix.size, dtype=int)
        self.blocks = []
        # One block keeps the rows in their order (nothing to sort: every row is cut to the widest prefix).
        if groups == 1:
            split = [np.arange(prefix.size)]
        else:
            split = [g for g in np.array_split(np.argsort(prefix, kind="stable"), groups) if g.size]
        for b, group in enumerate(split):
            width = int(prefix[group].max())
            if rows is None and group.size == prefix.size:  # every row, in order: a slice, copied only if strided
                arrays = {name: np.ascontiguousarray(a[:, :width]) for name, a in per_row.items()}
            else:
                source = group if rows is None else rows[group]
                arrays = {name: np.ascontiguousarray(a[source, :width]) for name, a in per_row.items()}
            arrays.update({name: a[:width] for name, a in (per_atom or {}).items()})
            if prepare is not None:
                arrays = prepare(arrays)
            self.blocks.append((group, width, arrays))
            self.block_of[group] = b
            self.local[group] = np.arange(group.size)

    def map(self, rows: np.ndarray, compute, outputs: int = 1):
        """``compute(rows_b, arrays)`` per block on the given rows; ``outputs`` per-row results, in ``rows`` order."""
        if len(self.blocks) == 1 and rows.size == self.prefix.size and np.all(rows == np.arange(rows.size)):
            return compute(rows, self.blocks[0][2])
        out = [np.empty(rows.size) for _ in range(outputs)]
        which = self.block_of[rows]
        for b in np.unique(which):
            position = np.flatnonzero(which == b)
            group, width, arrays = self.blocks[b]
            local = self.local[rows[position]]
            if local.size < group.size or np.any(local != np.arange(group.size)):
                # The block's full width even for a subset: a row's sums then never depend on which
                # other rows are evaluated with it, so signs seen by the root finders are consistent.
                arrays = {name: (a[local] if a.ndim == 2 else a) for name, a in arrays.items()}
            values = compute(rows[position], arrays)
            for target, value in zip(out, values if outputs > 1 else (values,)):
                target[position] = value
        return out if outputs > 1 else out[0]


def row_sum(a: np.ndarray) -> np.ndarray:
    """Sums over the last axis of a (B, K) array (the generated formulas' reduction: rows of fewer than
    8 atoms column by column, the additions of numpy's per-row sum without its per-row overhead)."""
    return _numpy_sum(a, None)


def _row_extreme(a: np.ndarray, pick) -> np.ndarray:
    a = np.asarray(a)
    if a.ndim == 2 and 0 < a.shape[1] < 8:
        # numpy's reductions over a short last axis cost about 20 us for a few hundred rows (a curve over
        # few atoms); a column loop costs 1 us a column and gives the same numbers (NaN included).
        out = a[:, 0].copy()
        for k in range(1, a.shape[1]):
            pick(out, a[:, k], out=out)
        return out
    return pick.reduce(a, axis=-1)


def row_max(a: np.ndarray) -> np.ndarray:
    """max over the last axis (NaN propagates), fast for a few atoms."""
    return _row_extreme(a, np.maximum)


def row_min(a: np.ndarray) -> np.ndarray:
    """min over the last axis (NaN propagates), fast for a few atoms."""
    return _row_extreme(a, np.minimum)


def prefix_lengths(weights: np.ndarray) -> np.ndarray:
    """Per row, one past the last non-zero weight: the atoms a row actually uses."""
    nonzero = weights > 0
    last = np.argmax(nonzero[:, ::-1], axis=1)  # 0 also for a row without a non-zero weight
    empty = ~nonzero[np.arange(weights.shape[0]), weights.shape[1] - 1 - last]
    return np.where(empty, 1, weights.shape[1] - last)


def effective_rank(eigenvalues: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """sum_i w_i 1{lambda_i > 0}: the number of features that carry signal."""
    return row_sum(weights * (eigenvalues > 0))


def regime(rank: np.ndarray, n: float, ridge: float) -> np.ndarray:
    """Which characterization applies: ridge, overparameterized (rank > n) or
    underparameterized (rank < n - 1); None where ridgeless rank is in [n - 1, n]."""
    rank = np.asarray(rank, dtype=float)
    if ridge > 0:
        return np.full(rank.shape, RIDGE, dtype=object)
    out = np.full(rank.shape, None, dtype=object)
    out[rank > n] = OVER
    out[rank < n - 1] = UNDER
    return out


def has_regime(rank: np.ndarray, n: float, ridge: float) -> np.ndarray:
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


def solve_xi(eigenvalues, n: float, ridge: float = 0.0, weights=None, position=None) -> np.ndarray:
    """xi for a batch of spectra, float64 (docs/theory.md#finite-size).

    Solves ``sum_i w_i a_i(xi) + n ridge xi = n`` with ``a_i = xi lam_i/(1 + xi lam_i)``
    (the ``ridge_equation``; ridge = 0 is the ridgeless xi equation).

    Args:
        eigenvalues: (K,) or (B, K), >= 0.
        n: sample size.
        ridge: ridge strength lam >= 0.
        weights: multiplicities, broadcastable to eigenvalues; default 1.
        position: (B,) where the rows lie on a curve (e.g. m; default their rank), for the
            warm starts of :func:`solve_rows` (speed only: every root is solved to full precision).

    Returns:
        xi of shape (B,) (or a scalar array for a single spectrum).

    Raises:
        RegimeError: ridge = 0 and sum_i w_i 1{lam_i > 0} <= n (no positive root).
    """
    lam = np.atleast_2d(np.asarray(eigenvalues, dtype=float))
    w = np.broadcast_to(np.ones(1) if weights is None else np.asarray(weights, dtype=float), lam.shape)
    lam, w = np.broadcast_arrays(lam, w)
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
    offset = np.log(n / (rank - n)) if ridge == 0 else None  # logit(n / W); W > n where ridge = 0
    per_row = {"w": w}
    if ridge == 0 and not np.all(lam > 0):
        per_row["live"] = w * (lam > 0)  # the weights of R = W - S: zero eigenvalues are not in the rank W
    if lam.strides[0] == 0:  # one spectrum for all rows (a broadcast view): slice it, never copy it
        blocks = RowBlocks(prefix_lengths(w), per_row, {"lam": lam[0]})
    else:
        blocks = RowBlocks(prefix_lengths(w), {**per_row, "lam": lam})

    def evaluate(u, rows, with_slope):
        # F(u) and dF/du = sum_i w_i xi lam_i/(1 + xi lam_i)^2 + n ridge xi, in u = log xi (ridgeless: G, below).
        xi_of[rows] = np.exp(u)

        def compute(rows_b, a):
            x = xi_of[rows_b]
            value = equation(x, n, ridge, a["lam"], weights=a["w"])
            derivative = row_sum(a["w"] * slope(x[:, None], a["lam"])) if with_slope else None
            if with_slope and ridge > 0:
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
    start = None
    if ridge == 0:
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
    try:
        u = solve_rows(evaluate, np.log(low) - 1.0, top, increasing=True, direct=w.size <= NARROW, start=start,
                       position=rank if position is None else position, rtol=0.0, atol=1e-8, chord=False)
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
            f"eigenvalues near the underflow limit")
    xi = np.exp(u)
    return xi if np.ndim(eigenvalues) > 1 else xi[0]


def tau2(xi, eigenvalues, b, sigma2_D, n: float, ridge: float = 0.0, weights=None) -> np.ndarray:
    """tau^2 at the root xi (docs/theory.md#finite-size, cancellation-free form ``tau2``), batched like solve_xi.

    Where xi lam_i is beyond 1e154 (an eigenvalue near the underflow limit takes up the interpolation)
    (1 + xi lam_i)^2 overflows and its term is 0, below 1e-154 of the others: no warning for that."""
    with np.errstate(over="ignore"):
        return compiled("tau2")(xi, n, ridge, np.sqrt(sigma2_D), eigenvalues, b, weights=weights)


# ---------------------------------------------------------------------------
# Arbitrary precision
# ---------------------------------------------------------------------------

def verified(compute, dps: int, what: str):
    """Run ``compute()`` at dps + 5 and at dps + 15 digits; the results (an mpf,
    or a dict / tuple of them, None allowed) must agree to ``dps`` significant
    digits. Returns the higher-precision result.

    An ill-conditioned input (e.g. a coordinate whose sd is 1e-10 of its mean, which steepens the
    threshold equation by that factor) loses more than 5 digits: then the pair is re-run with 30 and
    then 60 guard digits before giving up.

    Raises:
        PrecisionError: they disagree at every guard.
    """
    dps = check_dps(dps)
    for guard in (5, 30, 60):
        with mpmath.workdps(dps + guard):
            low = compute()
        with mpmath.workdps(dps + guard + 10):
            high = compute()
        failure = _disagreement(low, high, dps, guard, what)
        if failure is None:
            return high
    raise PrecisionError(failure)


def _disagreement(low, high, dps, guard, what):
    for key, lo_value, hi_value in _pairs(low, high):
        if lo_value is None and hi_value is None:
            continue
        scale = abs(hi_value)
        if abs(lo_value - hi_value) > mpmath.mpf(10) ** (-dps) * (scale if scale != 0 else 1):
            return (f"{what}{key}: {dps} digits not confirmed (values at {dps + guard} and {dps + guard + 10} digits "
                    f"differ: {mpmath.nstr(lo_value, 8)} vs {mpmath.nstr(hi_value, 8)})")
    return None


def _pairs(low, high, key=""):
    if isinstance(low, dict):
        for k in low:
            yield from _pairs(low[k], high[k], f"{key}[{k}]")
    elif isinstance(low, (tuple, list)):
        for i, (lo, hi) in enumerate(zip(low, high)):
            yield from _pairs(lo, hi, f"{key}[{i}]")
    else:
        yield key, low, high


def _to_mpfr(x) -> "gmpy2.mpfr":
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


def _to_mpf(x) -> mpmath.mpf:
    mantissa, exponent = x.as_mantissa_exp()
    return mpmath.mpf((int(mantissa), int(exponent)))


def _mpfr_context():
    # The caller's mpmath precision (bits), plus guard bits for the sums.
    return gmpy2.context(gmpy2.get_context(), precision=mpmath.mp.prec + 16)


def solve_xi_mp(eigenvalues, n, ridge=0, weights=None):
    """xi at the caller's mpmath precision (no verification: see :func:`verified`).

    Newton steps in u = log xi from the float64 root (when it is representable),
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

        def F(u):
            x = gmpy2.exp(_to_mpfr(u))
            return _to_mpf(gmpy2.fsum(wi * shrinkage(x, li) for wi, li in pairs) + n_r * ridge_r * x - n_r)

        def newton_step(u):
            # F and F' in one pass over the spectrum (the sums dominate the cost).
            x = gmpy2.exp(_to_mpfr(u))
            value = gmpy2.fsum(wi * shrinkage(x, li) for wi, li in pairs) + n_r * ridge_r * x - n_r
            derivative = gmpy2.fsum(wi * slope(x, li) for wi, li in pairs) + n_r * ridge_r * x
            return _to_mpf(value / derivative)

        u = refine_root(newton_step, _float_start(pairs, n, ridge), low, high)
        if u is None:
            tol = mpmath.mpf(10) ** (-mpmath.mp.dps)
            u = mpmath.findroot(F, (low, high), solver="anderson", tol=tol**2, maxsteps=10_000)
    return mpmath.exp(u)


def refine_root(newton_step, start, low, high, max_steps: int = 60):
    """Newton iteration x <- x - newton_step(x) from a float64 ``start`` at the caller's mpmath precision.

    Quadratic convergence: once a step is below 10^-(dps/2 + 3) (relative), the iterate is good to
    about dps digits, and callers confirm that by a re-solve at more digits (:func:`verified`).
    Returns None when there is no start, or an iterate leaves [low, high] (the caller then uses a
    bracketing solver).
    """
    if start is None:
        return None
    x = mpmath.mpf(start)
    small = mpmath.mpf(10) ** (-(mpmath.mp.dps // 2 + 3))
    for _ in range(max_steps):
        step = newton_step(x)
        x -= step
        if not low <= x <= high:
            return None
        if abs(step) <= small * max(1, abs(x)):
            return x
    return None


def _float_start(pairs, n, ridge):
    """log xi from the float64 solver, when the spectrum is representable in float64."""
    n, ridge = float(n), float(ridge)
    try:
        as_float = np.array([float(li) for _, li in pairs])
        if np.all(np.isfinite(as_float)) and np.all(as_float > 0):
            xi = solve_xi(as_float, n, ridge, np.array([float(wi) for wi, _ in pairs]))
            return mpmath.log(float(xi))
    except (RegimeError, RuntimeError, OverflowError, ValueError):
        pass
    return None


def tau2_mp(xi, eigenvalues, b, sigma2_D, n, ridge=0, weights=None):
    """tau^2 at the caller's mpmath precision (compiled ``tau2``, evaluated in MPFR)."""
    with _mpfr_context():
        value = compiled("tau2", "gmpy2")(
            _to_mpfr(xi), _to_mpfr(n), _to_mpfr(ridge), gmpy2.sqrt(_to_mpfr(sigma2_D)),
            [_to_mpfr(x) for x in eigenvalues], [_to_mpfr(x) for x in b],
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
