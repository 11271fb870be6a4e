"""Engines without theory: root finders, row blocks and verified digits (below the backends).

Nothing here knows what a coordinate, a threshold or xi is; :mod:`dctheory.backends` and
:mod:`dctheory.solvers` call these with their functions (as mpmath's contexts call ``libmp``).

float64, vectorized over rows (one equation per row):

* :func:`newton_roots` -- safeguarded Newton (or Halley) steps in brackets, elementwise;
* :func:`solve_rows` -- roots of equations that vary smoothly along the rows (warm starts from splines
  through a coarser subset); :func:`find_roots` -- bracketing (Chandrupatla) as the fallback;
* :class:`RowBlocks` and :func:`by_rows` -- a (rows, atoms) batch in cache-sized blocks cut to each
  block's widest prefix of non-zero weight; :func:`row_sum`, :func:`row_max`, :func:`row_min` and
  :func:`prefix_lengths` over the last axis.

mpmath, at the caller's working precision:

* :func:`newton_mp` -- the one Newton iteration inside a bracket, with its stopping rules;
* :func:`bracketed_root_mp` -- bracketing (Anderson-Bjorck) of a decreasing function, the fallback;
* :func:`float64_seed` -- a float64 solve of the same equation as a first guess;
* :func:`verified` -- a computation run at two precisions whose results must agree to ``dps`` digits.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from typing import Any, cast

import mpmath
import numpy as np
import numpy.typing as npt

from dctheory.checks import check_dps
from dctheory.errors import DCTheoryError, PrecisionError
from dctheory.formula_runtime import numpy_sum

__all__ = [
    "find_roots",
    "newton_roots",
    "log_level",
    "solve_rows",
    "BLOCK_ELEMENTS",
    "NARROW",
    "by_rows",
    "RowBlocks",
    "row_sum",
    "row_max",
    "row_min",
    "prefix_lengths",
    "newton_mp",
    "bracketed_root_mp",
    "DECADES",
    "float64_seed",
    "verified",
]


# ---------------------------------------------------------------------------
# float64, vectorized over rows
# ---------------------------------------------------------------------------

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
#: per-row arrays (rows, atoms) or per-atom arrays (atoms,) by name, as the formulas take them
Arrays = dict[str, npt.NDArray[Any]]

_TOLERANCES = {"xatol": 0.0, "xrtol": 4 * np.finfo(float).eps, "fatol": 0.0, "frtol": 0.0}


def find_roots(f: Callable[..., Any], lo: FloatArray, hi: FloatArray, rows: IntArray) -> FloatArray:
    """Roots of ``f(x, rows)`` in the brackets [lo, hi], elementwise over ``rows``."""
    from scipy.optimize import elementwise  # imported when first needed (start-up time)

    result = elementwise.find_root(f, (lo, hi), args=(rows.astype(float),), tolerances=_TOLERANCES)
    if not np.all(result.success):
        bad = np.flatnonzero(~result.success)[0]
        raise RuntimeError(f"root finding failed (status {result.status[bad]}) in row {bad}")  # pragma: no cover
    roots: FloatArray = result.x
    return roots


def newton_roots(
    f_and_slope: Callable[[FloatArray, IntArray], tuple[FloatArray, FloatArray]],
    lo: npt.ArrayLike,
    hi: npt.ArrayLike,
    start: npt.ArrayLike,
    *,
    increasing: bool,
    rtol: float = 1e-10,
    atol: float = 0.0,
    max_steps: int = 200,
    f: Callable[[FloatArray, IntArray], FloatArray] | None = None,
    compact: bool = True,
) -> tuple[FloatArray, FloatArray, FloatArray, IntArray]:
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
    if x.size <= SMALL_BATCH:
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # as the numpy iteration below
            x, lo, hi, active, last_slope, stopped = _newton_small(
                f_and_slope, x, lo, hi, increasing, rtol, atol, max_steps, compact
            )
        return _chord_step(f, x, lo, hi, last_slope, stopped), lo, hi, active
    last_slope = np.zeros(x.size)
    stopped_small: list[IntArray] = []
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
    stopped = np.concatenate(stopped_small) if stopped_small else np.zeros(0, dtype=int)
    return _chord_step(f, x, lo, hi, last_slope, stopped), lo, hi, active


def _chord_step(
    f: Callable[[FloatArray, IntArray], FloatArray] | None,
    x: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
    last_slope: FloatArray,
    rows: IntArray,
) -> FloatArray:
    """:func:`newton_roots`' closing chord step x - f(x)/f'(x_previous) on ``rows`` (clipped to the bracket)."""
    if f is not None and rows.size:
        with np.errstate(divide="ignore", invalid="ignore"):
            chord = x[rows] - f(x[rows], rows) / last_slope[rows]
        x[rows] = np.where(np.isfinite(chord), np.minimum(np.maximum(chord, lo[rows]), hi[rows]), x[rows])
    return x


#: batches of at most this many rows take :func:`newton_roots`' steps in Python floats (:func:`_newton_small`)
SMALL_BATCH = 16


def _newton_small(
    f_and_slope: Callable[[FloatArray, IntArray], tuple[FloatArray, FloatArray]],
    x: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
    increasing: bool,
    rtol: float,
    atol: float,
    max_steps: int,
    compact: bool,
) -> tuple[FloatArray, FloatArray, FloatArray, IntArray, FloatArray, IntArray]:
    """:func:`newton_roots`' iteration for a few rows, its bookkeeping in Python floats: the same operations on
    each row in the same order (IEEE float64 either way, so the same iterates), without the ~25 numpy calls
    per step that cost more than the evaluation itself when a batch has one or two rows (a single prediction).

    Returns (x, lo, hi, open rows, last slopes, rows for the chord step in the order they stopped)."""
    size = x.size
    xs, los, his = x.tolist(), lo.tolist(), hi.tolist()
    previous = [h - low for low, h in zip(los, his)]
    slopes = [0.0] * size
    stopped: list[int] = []
    open_rows = list(range(size))
    every = np.arange(size)
    for _ in range(max_steps):
        if not open_rows:
            break
        if compact:
            rows = every[open_rows] if len(open_rows) < size else every
            value, slope = f_and_slope(np.array([xs[i] for i in open_rows]), rows)
            moving = open_rows
        else:
            value, slope = f_and_slope(np.array(xs), every)
            moving = list(range(size))
        still: list[int] = []
        for i, v, d in zip(moving, value.tolist(), slope.tolist()):
            if not compact and i not in open_rows:
                continue
            xs[i], los[i], his[i], previous[i], done, chord = _safeguarded_step(
                xs[i], los[i], his[i], previous[i], v, d, increasing, rtol, atol
            )
            if done:
                slopes[i] = d
                if chord:
                    stopped.append(i)
            else:
                still.append(i)
        open_rows = still
    return (
        np.array(xs),
        np.array(los),
        np.array(his),
        np.array(open_rows, dtype=np.intp),
        np.array(slopes),
        np.array(stopped, dtype=np.intp),
    )


_FOUR_ULP = 4 * float(np.finfo(float).eps)


def _safeguarded_step(
    xa: float,
    la: float,
    ha: float,
    previous: float,
    v: float,
    d: float,
    increasing: bool,
    rtol: float,
    atol: float,
) -> tuple[float, float, float, float, bool, bool]:
    """One row's step of :func:`newton_roots` in Python floats, from the iterate ``xa`` in the bracket
    [la, ha] with f = ``v`` and f' = ``d`` there (``previous``: the last step's size): (new iterate, new
    bracket ends, step size, whether the row stops, whether it stopped on a small step that earns the
    closing chord step). The same comparisons and IEEE operations as the numpy iteration, in branches."""
    if v > 0 if increasing else v < 0:  # xa lies above the root
        low, high = la, xa
    elif v < 0 if increasing else v > 0:
        low, high = xa, ha
    else:  # an exact root, or a NaN value
        low, high = la, ha
        if v == 0:
            return xa, low, high, 0.0, True, False
    delta = v / d if d != 0 else _divide(v, d)
    newton = xa - delta
    dx = abs(delta)
    bound = rtol * abs(xa) + atol if atol else rtol * abs(xa)
    if dx <= bound:  # small: the row stops, its iterate clipped to the bracket
        new = _clip(newton, low, high)
        step = abs(new - xa)
        return new, low, high, step, True, step > 1e-3 * bound
    if newton > low and newton < high and 2 * dx <= previous:
        new = newton
    else:
        new = 0.5 * (low + high)
    return new, low, high, abs(new - xa), high - low <= _FOUR_ULP * max(abs(low), abs(high)), False


def newton_root(
    f_and_slope: Callable[[float], tuple[float, float]],
    lo: float,
    hi: float,
    start: float,
    *,
    increasing: bool,
    rtol: float = 1e-10,
    atol: float = 0.0,
    max_steps: int = 100,
) -> float | None:
    """The root of one monotone function in [lo, hi], in Python floats: the safeguarded Newton steps of
    :func:`newton_roots` on one row (the same steps, the same stopping rule; no closing chord step).
    None if it has not stopped within ``max_steps``."""
    x = start if lo < start < hi else 0.5 * (lo + hi)
    previous = hi - lo
    for _ in range(max_steps):
        value, slope = f_and_slope(x)
        x, lo, hi, previous, done, _ = _safeguarded_step(x, lo, hi, previous, value, slope, increasing, rtol, atol)
        if done:
            return x
    return None


def log_level(kept: float, slope: float, second: float | None, s: float) -> tuple[float, float, float]:
    """One row's threshold equation in Python floats, from the keep-sum K = ``kept`` and its derivatives K'
    (``slope``) and K'' (``second``, None: Newton steps): (g, g', the slope to step by) for g = log(K / s),
    g' = K' / K, the slope times Halley's factor h = 1 - g g'' / (2 g'^2) where h lies in [1/2, 2] (as
    ``NumpyBackend.level_root`` steps narrow batches: ``backends._halley_factor``), else g' itself (and where
    g' is 0, a flat keep-sum: the safeguarded step bisects). K is taken as at least 1e-300."""
    kept = max(kept, 1e-300)
    g, d = math.log(kept / s), slope / kept
    square = d * d  # (not ** 2, which raises on overflow)
    if second is None or square == 0:
        return g, d, d
    h = 1 - g * (second / kept - square) / (2 * square)
    return g, d, d * (h if 0.5 <= h <= 2.0 else 1.0)


def _divide(a: float, b: float) -> float:
    """a / b as numpy divides float64 (inf or NaN for b = 0, no exception)."""
    if b != 0:
        return a / b
    if a != a or a == 0:
        return math.nan
    return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _clip(x: float, low: float, high: float) -> float:
    """np.minimum(np.maximum(x, low), high) for floats (NaN propagates)."""
    if x != x or low != low or high != high:
        return math.nan
    return min(max(x, low), high)


def solve_rows(
    evaluate: Callable[[FloatArray, IntArray, bool], Any],
    lo: FloatArray,
    hi: FloatArray,
    *,
    increasing: bool,
    position: npt.ArrayLike | None = None,
    start: FloatArray | None = None,
    near: bool = False,
    rtol: float = 1e-6,
    atol: float = 0.0,
    chord: bool = True,
    spacing: int = 4,
    newton_steps: int = 6,
    direct: bool = False,
) -> FloatArray:
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
    row is a handful of atoms: then one evaluation of all rows costs little). ``near``: ``start`` holds the
    roots of nearby equations (e.g. the same rows with a slightly different parameter): the other rows then
    start from their ``start`` plus the spline of the first-solved rows' shifts from theirs (a small, smooth
    shift interpolates far better than the roots themselves).
    """
    B = lo.size
    order = np.argsort(np.arange(B) if position is None else position, kind="stable")
    place = np.arange(B, dtype=float) if position is None else np.asarray(position, dtype=float)

    def f(x: FloatArray, row: FloatArray) -> Any:
        return evaluate(x, row.astype(int), False)

    def values(x: FloatArray, rows: IntArray) -> Any:
        return evaluate(x, rows, False)

    if B <= 4 * spacing or direct:
        # Few rows: safeguarded Newton from the middle of the brackets (bisection until Newton takes
        # over); a vectorized loop far lighter than scipy's per-iteration machinery for a handful of rows.
        x, lo_open, hi_open, open_rows = newton_roots(
            lambda xa, rows: evaluate(xa, rows, True),
            lo,
            hi,
            0.5 * (lo + hi) if start is None else start,
            increasing=increasing,
            rtol=rtol,
            atol=atol,
            max_steps=100,
            f=values if chord else None,
            compact=not direct,
        )
        if open_rows.size:
            x[open_rows] = find_roots(f, lo_open[open_rows], hi_open[open_rows], open_rows)
        return x
    coarse = order[::spacing]
    if coarse[-1] != order[-1]:
        coarse = np.append(coarse, order[-1])
    x = np.empty(B)
    x[coarse] = solve_rows(
        lambda xa, rows, slope: evaluate(xa, coarse[rows], slope),
        lo[coarse],
        hi[coarse],
        increasing=increasing,
        near=near,
        position=place[coarse],
        start=None if start is None else start[coarse],
        rtol=rtol,
        atol=atol,
        chord=chord,
        spacing=spacing,
        newton_steps=newton_steps,
    )
    fine = np.setdiff1d(order, coarse)
    knots, first = np.unique(place[coarse], return_index=True)
    base = start if near and start is not None else np.zeros(B)
    shift = (x[coarse] - base[coarse])[first]  # (the other rows of x are not set yet)
    if knots.size >= 4:
        from scipy.interpolate import CubicSpline  # imported when first needed (start-up time)

        guess = base[fine] + CubicSpline(knots, shift)(place[fine])
    else:
        guess = base[fine] + np.interp(place[fine], knots, shift)
    x[fine], lo_fine, hi_fine, open_rows = newton_roots(
        lambda xa, active: evaluate(xa, fine[active], True),
        lo[fine],
        hi[fine],
        guess,
        increasing=increasing,
        rtol=rtol,
        atol=atol,
        max_steps=newton_steps,
        f=(lambda xa, active: evaluate(xa, fine[active], False)) if chord else None,
    )
    if open_rows.size:
        x[fine[open_rows]] = find_roots(f, lo_fine[open_rows], hi_fine[open_rows], fine[open_rows])
    return x


BLOCK_ELEMENTS = 1 << 16
NARROW = 1 << 13  # batches of at most this many (row, atom) values are solved directly, all rows at once


def by_rows(
    compute: Callable[[Arrays, Arrays], Any],
    per_row: Arrays,
    per_atom: Arrays | None = None,
    outputs: int = 1,
    rows: npt.ArrayLike | None = None,
) -> Any:
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
    # (B > 0: the loop ran, so ``results`` holds the outputs.)
    return results if outputs > 1 else cast("list[FloatArray]", results)[0]


class RowBlocks:
    """The rows of a (B, K) batch in a few blocks of similar prefix length, gathered once.

    Rows of a curve over m use a prefix of the atoms (:func:`prefix_lengths`); a block holds
    contiguous copies of the per-row arrays cut to its widest prefix, so that repeated evaluations
    (root finding) neither gather nor touch the zero-weight tail. ``per_atom`` arrays (K,) are
    shared by all rows and only sliced.
    """

    def __init__(
        self,
        prefix: IntArray,
        per_row: Arrays,
        per_atom: Arrays | None = None,
        groups: int | None = None,
        prepare: Callable[[Arrays], Arrays] | None = None,
        rows: IntArray | None = None,
    ) -> None:
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
        self.blocks: list[tuple[IntArray, int, Arrays]] = []
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

    def map(self, rows: IntArray, compute: Callable[[IntArray, Arrays], Any], outputs: int = 1) -> Any:
        """``compute(rows_b, arrays)`` per block on the given rows; ``outputs`` per-row results, in ``rows`` order."""
        if len(self.blocks) == 1 and rows.size == self.prefix.size and np.all(rows == np.arange(rows.size)):
            return compute(rows, self.blocks[0][2])
        out = [np.empty(rows.size) for _ in range(outputs)]
        which = self.block_of[rows]
        for b in np.unique(which):
            position = np.flatnonzero(which == b)
            group, _width, arrays = self.blocks[b]
            local = self.local[rows[position]]
            if local.size < group.size or np.any(local != np.arange(group.size)):
                # The block's full width even for a subset: a row's sums then never depend on which
                # other rows are evaluated with it, so signs seen by the root finders are consistent.
                arrays = {name: (a[local] if a.ndim == 2 else a) for name, a in arrays.items()}
            values = compute(rows[position], arrays)
            for target, value in zip(out, values if outputs > 1 else (values,)):
                target[position] = value
        return out if outputs > 1 else out[0]


def row_sum(a: npt.NDArray[Any]) -> FloatArray:
    """Sums over the last axis of a (B, K) array (the generated formulas' reduction: rows of fewer than
    8 atoms column by column, the additions of numpy's per-row sum without its per-row overhead)."""
    sums: FloatArray = numpy_sum(a, None)
    return sums


def _row_extreme(a: npt.ArrayLike, pick: np.ufunc) -> FloatArray:
    a = np.asarray(a)
    if a.ndim == 2 and 0 < a.shape[1] < 8:
        # numpy's reductions over a short last axis cost about 20 us for a few hundred rows (a curve over
        # few atoms); a column loop costs 1 us a column and gives the same numbers (NaN included).
        out = a[:, 0].copy()
        for k in range(1, a.shape[1]):
            pick(out, a[:, k], out=out)
        return out
    extreme: FloatArray = pick.reduce(a, axis=-1)
    return extreme


def row_max(a: npt.ArrayLike) -> FloatArray:
    """max over the last axis (NaN propagates), fast for a few atoms."""
    return _row_extreme(a, np.maximum)


def row_min(a: npt.ArrayLike) -> FloatArray:
    """min over the last axis (NaN propagates), fast for a few atoms."""
    return _row_extreme(a, np.minimum)


def prefix_lengths(weights: npt.NDArray[Any]) -> IntArray:
    """Per row, one past the last non-zero weight: the atoms a row actually uses."""
    nonzero = weights > 0
    last = np.argmax(nonzero[:, ::-1], axis=1)  # 0 also for a row without a non-zero weight
    empty = ~nonzero[np.arange(weights.shape[0]), weights.shape[1] - 1 - last]
    return np.where(empty, 1, weights.shape[1] - last)


# ---------------------------------------------------------------------------
# mpmath, at the caller's working precision
# ---------------------------------------------------------------------------


def newton_mp(
    newton_step: Callable[[Any], Any],
    start: Any,
    low: Any,
    high: Any,
    *,
    max_steps: int = 60,
    settle: int = 0,
    curvature: float | None = None,
) -> Any:
    """Newton iteration x <- x - newton_step(x) from ``start`` inside [low, high], at the caller's mpmath
    precision; the iterate, or None when an iterate leaves [low, high] or ``max_steps`` pass (the caller
    then brackets).

    Newton's error after a step d is about K d^2 (K = |f''/(2 f')| near the root). The iteration stops

    * on a step below 10^-(dps + 2) |x| (the next would be below the last digit);
    * with ``curvature`` (an estimate of K, float), as soon as K d^2 is below 10^-(dps + 2) |x|;
    * ``settle`` + 1 steps after the first one below 10^-(dps/2 + 3) max(1, |x|): from then on the
      iterate is good to about dps digits (quadratic convergence), and ``settle`` more steps allow for
      rounding noise in f that keeps steps above the first bound. Callers confirm the digits by a re-solve
      at more digits (:func:`verified`)."""
    x = mpmath.mpf(start)
    tiny = mpmath.mpf(10) ** (-mpmath.mp.dps - 2)
    small = mpmath.mpf(10) ** (-(mpmath.mp.dps // 2 + 3))
    quadratic = 0  # steps taken since one fell below the second bound
    for _ in range(max_steps):
        step = newton_step(x)
        x -= step
        if not low <= x <= high:
            return None
        scale = abs(x) if x else 1
        if abs(step) <= tiny * scale:
            return x
        if curvature is not None and curvature * abs(step) <= 1e-3 and curvature * step**2 <= tiny * scale:
            return x
        if abs(step) <= small * max(1, scale):
            quadratic += 1
            if quadratic > settle:
                return x
    return None


# Decades below the bracket's top that :func:`bracketed_root_mp` searches for its root (the sd of a
# coordinate with an eigenvalue near the float64 underflow limit is about 1e-155 of the others').
DECADES = 2000


def bracketed_root_mp(f: Callable[[Any], Any], start: Any, high: Any, what: str = "the root") -> Any:
    """The root of decreasing f in [0, high] (f(0) > 0 > f(high)) by mpmath's Anderson-Bjorck solver, in
    a bracket narrowed first: the narrowest of start (1 +- 1e-12), start (1 +- 1e-6), start (1 +- 1e-2)
    across which f changes sign, else the decade high [10^-k, 10^-(k-1)] that holds the root (k found by
    bisection, up to ``DECADES``). f can change steeply over a width far below high (a keep-sum over
    coordinates of tiny sd, of eigenvalues near the underflow limit), where a float64 start is not a
    root and bracketing all of [0, high] does not converge. The solve runs in units of the bracket's top.

    Raises:
        PrecisionError: no root within the working precision's tolerance."""
    lo, hi = mpmath.mpf(0), mpmath.mpf(high)
    narrowed = False
    if start is not None and 0 < start < high:
        start = mpmath.mpf(start)
        for width in (mpmath.mpf("1e-12"), mpmath.mpf("1e-6"), mpmath.mpf("1e-2")):
            a, b = start * (1 - width), min(start * (1 + width), hi)
            if f(a) > 0 > f(b):
                lo, hi, narrowed = a, b, True
                break
    if not narrowed and f(hi * mpmath.mpf(10) ** -DECADES) > 0:
        above, below = 0, DECADES  # f(high 10^-above) <= 0 < f(high 10^-below)
        while below - above > 1:
            middle = (above + below) // 2
            if f(hi * mpmath.mpf(10) ** -middle) > 0:
                below = middle
            else:
                above = middle
        lo, hi = hi * mpmath.mpf(10) ** -below, hi * mpmath.mpf(10) ** -above
    tol = mpmath.mpf(10) ** (-mpmath.mp.dps)
    try:
        # In units of hi: mpmath's solvers stop on absolute steps in x, which a root near 1e-154 takes at once.
        return hi * mpmath.findroot(
            lambda y: f(hi * y), (lo / hi, mpmath.mpf(1)), solver="anderson", tol=tol**2, maxsteps=10_000
        )
    except ValueError:
        raise PrecisionError(
            f"{what} was not found at {mpmath.mp.dps} digits in [{mpmath.nstr(lo, 5)}, "
            f"{mpmath.nstr(hi, 5)}] (the function is steeper there than the working precision resolves); try "
            f"more digits, or float64"
        ) from None


def float64_seed(solve: Callable[..., Any], arrays: dict[str, Any]) -> float | None:
    """``solve(**float_arrays)`` (a float64 solve) on mpmath ``arrays`` (name -> sequence) converted to float64:
    a first guess for an mpmath iteration. None where an array is not finite in float64, the solve
    fails (an arithmetic, value or regime error), or its result is not finite."""
    try:
        with np.errstate(all="ignore"):
            floats = {name: np.array([float(x) for x in values]) for name, values in arrays.items()}
            if not all(np.all(np.isfinite(values)) for values in floats.values()):
                return None
            x = float(solve(**floats))
    except (ArithmeticError, ValueError, RuntimeError, DCTheoryError):
        return None
    return x if np.isfinite(x) else None


def verified(compute: Callable[[], Any], dps: int, what: str) -> Any:
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


def _disagreement(low: Any, high: Any, dps: int, guard: int, what: str) -> str | None:
    for key, lo_value, hi_value in _pairs(low, high):
        if lo_value is None and hi_value is None:
            continue
        scale = abs(hi_value)
        if abs(lo_value - hi_value) > mpmath.mpf(10) ** (-dps) * (scale if scale != 0 else 1):
            return (
                f"{what}{key}: {dps} digits not confirmed (values at {dps + guard} and {dps + guard + 10} digits "
                f"differ: {mpmath.nstr(lo_value, 8)} vs {mpmath.nstr(hi_value, 8)})"
            )
    return None


def _pairs(low: Any, high: Any, key: str = "") -> Iterator[tuple[str, Any, Any]]:
    if isinstance(low, dict):
        for k in low:
            yield from _pairs(low[k], high[k], f"{key}[{k}]")
    elif isinstance(low, (tuple, list)):
        for i, (lo, hi) in enumerate(zip(low, high)):
            yield from _pairs(lo, hi, f"{key}[{i}]")
    else:
        yield key, low, high
