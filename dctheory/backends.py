"""Backends of the pruning kernel (:mod:`dctheory.kernel`), in the style of mpmath's contexts.

The kernel is written once against a backend object ``bk`` that supplies the arithmetic of one
precision; it never branches on precision itself:

* :data:`NUMPY` -- float64 arrays over (rows, atoms): a row is one feature set (one m of a curve),
  an atom one distinct coordinate; per-row scalars have shape (B,) and become columns (B, 1).
* :class:`MpBackend` -- mpmath numbers at the caller's working precision (``mpmath.workdps``);
  vectors are numpy object arrays of mpf (elementwise arithmetic, comparisons and ``np.where`` work
  on them), per-row scalars are mpf.
* :class:`ArbBackend` -- python-flint balls (rigorous enclosures, for :mod:`dctheory.certify`).

Each supplies the compiled formulas of ``derivations`` (``pointwise`` per coordinate, ``reduce``
for a formula with a sum, weights as multiplicities), ``total`` (a sum over atoms), ``column``,
``largest`` and a root finder for the decreasing keep-sum of the threshold equation.
"""

from __future__ import annotations

import mpmath
import numpy as np

from dctheory._compiled import compiled
from dctheory._formulas import _numpy_sum
from dctheory.errors import PrecisionError, RegimeError
from dctheory.solvers import NARROW, RowBlocks, find_roots, prefix_lengths, row_max, solve_rows

__all__ = ["NumpyBackend", "MpBackend", "ArbBackend", "NUMPY", "MP"]


class NumpyBackend:
    """float64, vectorized over (rows, atoms)."""

    name = "numpy"
    exact = False
    sd_floor = 1e-150
    maximum = staticmethod(np.maximum)
    sqrt = staticmethod(np.sqrt)
    where = staticmethod(np.where)
    abs = staticmethod(np.abs)

    @staticmethod
    def vector(values):
        return np.asarray(values, dtype=float)

    @staticmethod
    def number(value):
        return float(value)

    @staticmethod
    def column(x):
        """A per-row scalar as a column that broadcasts over the atoms."""
        return np.asarray(x, dtype=float)[..., None]

    @staticmethod
    def total(a):
        """Sum over the atoms: the generated formulas' reduction (rows of fewer than 8 atoms column by column)."""
        return _numpy_sum(a, None)

    @staticmethod
    def largest(a, mask):
        """max over the atoms where ``mask`` (0 where none)."""
        return row_max(np.where(mask, a, 0.0))

    # Overflow inside the formulas is an exact limit (exp(-x^2/2) of a huge threshold ratio is 0, a Hessian
    # scale 1/sqrt(lambda) of an underflowing eigenvalue is huge): not worth a warning.
    @staticmethod
    def pointwise(name, *args):
        with np.errstate(over="ignore", under="ignore"):
            return compiled(name)(*args)

    @staticmethod
    def reduce(name, *args, weights=None):
        with np.errstate(over="ignore", under="ignore"):
            return compiled(name)(*args, weights=weights)

    @staticmethod
    def cap(x):
        """x with values above 1e300 (and inf) brought down to 1e300: a ratio that overflowed stays finite,
        so that 0 times it is 0 (it only ever multiplies a threshold, and any threshold above 1e-290
        times 1e300 is past every Gaussian tail)."""
        return np.minimum(x, 1e300)

    @staticmethod
    def root_decreasing(function, per_row, per_atom, high, start=None, position=None, rtol=1e-6, tolerance=None,
                        limit=None, prepare=None, rows=None, chord=True):
        """Roots t in [0, high] of decreasing f(t) (one per row): ``function(t_column, arrays, slope)``,
        where ``arrays`` are ``prepare(block arrays)`` (default: the block arrays). ``rows``: solve only
        these rows of the per-row arrays (``high``, ``start``, ``position`` and the roots are theirs).
        ``high``: the upper ends (B,), or a function of a block's prepared arrays that returns them;
        ``start``: first guesses (B,), None, or a function of a block's prepared arrays and upper ends.

        Rows are gathered into blocks of similar prefix once (:class:`dctheory.solvers.RowBlocks`), then
        solved by bracketing a few and safeguarded Newton steps from splines through those roots for
        the others (:func:`dctheory.solvers.solve_rows`). With ``tolerance``, rows whose |f(t)| exceeds it
        are re-solved by bracketing (:func:`dctheory.solvers.find_roots`); |f(t)| above ``limit`` then
        raises RegimeError (float64 cannot resolve the root). ``chord``: end with a chord step (as in
        :func:`~dctheory.solvers.solve_rows`); False when ``function``'s slopes already make Halley steps."""
        prefix = prefix_lengths(per_row["w"])
        if rows is not None:
            prefix = prefix[rows]
        B = prefix.size
        direct = B * per_row["w"].shape[-1] <= NARROW
        with np.errstate(over="ignore"):  # a ratio that overflows is capped by ``prepare``
            blocks = RowBlocks(prefix, per_row, per_atom, prepare=prepare, rows=rows)
            if callable(high) or callable(start):
                # The bracket's upper ends, and first guesses, from each block's (prepared) arrays.
                reach = np.empty(B) if callable(high) else np.atleast_1d(np.asarray(high, dtype=float))
                first = np.empty(B) if callable(start) else start
                for group, _, arrays in blocks.blocks:
                    if callable(high):
                        reach[group] = high(arrays)
                    if callable(start):
                        first[group] = start(arrays, reach[group])
                high, start = reach, first
        high = np.atleast_1d(np.asarray(high, dtype=float))
        t_of = np.empty(B)
        every = np.arange(B)

        def evaluate(t, rows, with_slope):
            t_of[rows] = t
            if direct and rows.size < B:
                # A narrow batch: evaluating every row (finished ones at their roots) costs less than
                # gathering the open rows' arrays.
                values = blocks.map(every, lambda rows_b, a: function(t_of[rows_b], a, with_slope),
                                    2 if with_slope else 1)
                return tuple(v[rows] for v in values) if with_slope else values[rows]
            return blocks.map(rows, lambda rows_b, a: function(t_of[rows_b], a, with_slope),
                              2 if with_slope else 1)

        # Rows solved from scratch start at high / 200: measured, fewer safeguarded steps than from
        # mid-bracket or from high / 40 (the coarsest rows of curves over m, 2000 distinct eigenvalues).
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            t = solve_rows(evaluate, np.zeros(B), high, increasing=False, position=position,
                           start=high / 200 if start is None else start, rtol=rtol, direct=direct, chord=chord)
            if tolerance is None:
                return t
            # Newton stops on a small step in t; when the coordinate sds are tiny next to t (e.g. huge n) a
            # small step can still leave the sum far from its target: such rows are bracketed to the last ulp.
            miss = ~(np.abs(evaluate(t, np.arange(B), False)) <= tolerance)
            if np.any(miss):
                rows = np.flatnonzero(miss)
                try:
                    t[rows] = find_roots(lambda x, r: evaluate(x, rows[r.astype(int)], False), np.zeros(rows.size),
                                         high[rows], np.arange(rows.size))
                except RuntimeError:
                    pass
                value = evaluate(t[rows], rows, False)
                if np.any(~(np.abs(value) <= limit)):
                    raise RegimeError(
                        "float64 cannot resolve the pruning threshold: the coordinate standard deviations are "
                        "below the float64 resolution of the threshold (e.g. n of about 1e14 or more, where the "
                        "law tends to its noise-free limit); use dps (e.g. dps=30), or n <= 1e12")
        return t


# Newton steps of an mpmath threshold before the bracketing fallback: 60 to reach half the digits from a
# poor start (safeguarded steps can be slow far from the root) and 8 more in the rounding of the keep-sum.
MP_NEWTON_STEPS = 68


class MpBackend:
    """mpmath scalars at the caller's precision; vectors are numpy object arrays of mpf."""

    name = "mpmath"
    exact = False
    sd_floor = 0
    where = staticmethod(np.where)

    @staticmethod
    def vector(values):
        return np.array([v if isinstance(v, mpmath.mpf) else mpmath.mpf(v) for v in values], dtype=object)

    @staticmethod
    def number(value):
        return value if isinstance(value, mpmath.mpf) else mpmath.mpf(value)

    @staticmethod
    def sqrt(x):
        if isinstance(x, np.ndarray):
            return np.array([mpmath.sqrt(v) for v in x], dtype=object)
        return mpmath.sqrt(x)

    @staticmethod
    def abs(x):
        return np.abs(x) if isinstance(x, np.ndarray) else abs(x)

    @staticmethod
    def column(x):
        return x

    @staticmethod
    def total(a):
        return mpmath.fsum(a)

    @staticmethod
    def largest(a, mask):
        values = [x for x, keep in zip(a, mask) if keep]
        return max(values) if values else mpmath.mpf(0)

    @staticmethod
    def pointwise(name, *args):
        f = compiled(name, "mpmath")
        length = max(len(a) for a in args if isinstance(a, np.ndarray))
        columns = [a if isinstance(a, np.ndarray) else [a] * length for a in args]
        return np.array([f(*values) for values in zip(*columns)], dtype=object)

    @staticmethod
    def reduce(name, *args, weights=None):
        return compiled(name, "mpmath")(*args, weights=weights)

    @staticmethod
    def cap(x):
        return x  # no overflow at arbitrary precision

    @staticmethod
    def root_decreasing(function, per_row, per_atom, high, start=None, position=None, rtol=None, tolerance=None,
                        limit=None, prepare=None, rows=None):
        """The root t in [0, high] of decreasing f(t) = ``function(t, arrays, slope)``, where ``arrays`` are
        ``prepare(arrays)`` (default: the arrays; the kernel passes :func:`dctheory.kernel.standardized`):
        Newton steps from ``start`` (a float64 root, or a root of a nearby equation, e.g. on a coarser
        quadrature rule or at fewer digits; or None), mpmath's bracketing Anderson-Bjorck solver as the
        fallback.

        Newton's error after a step d is about K d^2 with K = |f''/(2 f')| near the root. K is estimated
        once, in float64, from a central difference of the compiled slope at ``start``
        (:func:`_newton_curvature`): the iteration stops as soon as K d^2 is below 10^-(dps + 2) t, so
        a start good to half the digits needs one evaluation of f and f', a float64 start two or three.
        Where float64 cannot estimate K, a step below 10^-(dps + 2) t ends the iteration, or at most
        nine steps after one below 10^-(dps/2 + 3) (the rounding of f can keep steps above the first)."""
        arrays = dict(per_row, **(per_atom or {}))
        if prepare is not None:
            arrays = prepare(arrays)

        def newton_step(t):
            value, slope = function(t, arrays, True)
            return value / slope

        t = None
        if start is not None and 0 <= start <= high:
            t = mpmath.mpf(start)
            tiny = mpmath.mpf(10) ** (-mpmath.mp.dps - 2)
            small = mpmath.mpf(10) ** (-(mpmath.mp.dps // 2 + 3))
            curvature = _newton_curvature(arrays, float(t))
            quadratic = 0  # steps taken since one fell below 10^-(dps/2 + 3)
            for _ in range(MP_NEWTON_STEPS):
                step = newton_step(t)
                t -= step
                if not 0 <= t <= high:
                    t = None
                    break
                scale = abs(t) if t else 1
                if abs(step) <= tiny * scale:
                    break
                if curvature is not None and curvature * abs(step) <= 1e-3 and curvature * step**2 <= tiny * scale:
                    break  # the next step would be below the last digit
                if abs(step) <= small * max(1, scale):
                    # Good to about dps digits: a few more steps while the rounding of the keep-sum allows
                    # (its noise can keep steps above 10^-(dps + 2) t), then accept; the verification at
                    # more digits confirms the digits.
                    quadratic += 1
                    if quadratic > 8:
                        break
            else:
                t = None
        if t is None:
            t = _bracketed_root(lambda x: function(x, arrays, False), start, high)
        return t


def _bracketed_root(f, start, high):
    """The root of decreasing f in [0, high] (f(0) > 0 > f(high)) by mpmath's Anderson-Bjorck solver, in
    a bracket narrowed first: the narrowest of start (1 +- 1e-12), start (1 +- 1e-6), start (1 +- 1e-2)
    across which f changes sign, else the decade high [10^-k, 10^-(k-1)] that holds the root (k found by
    bisection, up to 2000). A keep-sum can change by whole coordinates over a width far below high (the
    coordinates of tiny sd of eigenvalues near the underflow limit), where the float64 start is not a
    root (float64 floors those sds) and bracketing all of [0, high] does not converge. The solve runs in
    units of the bracket's top.

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
        return hi * mpmath.findroot(lambda y: f(hi * y), (lo / hi, mpmath.mpf(1)), solver="anderson", tol=tol**2,
                                    maxsteps=10_000)
    except ValueError:
        raise PrecisionError(
            f"the pruning threshold was not found at {mpmath.mp.dps} digits in [{mpmath.nstr(lo, 5)}, "
            f"{mpmath.nstr(hi, 5)}] (its keep-sum is steeper there than the working precision resolves); try "
            f"more digits, or float64") from None


# Decades below the bracket's top that the mpmath threshold fallback searches for its root (the sd of a
# coordinate with an eigenvalue near the float64 underflow limit is about 1e-155 of the others').
DECADES = 2000


def _newton_curvature(arrays, t):
    """K = |f''(t) / (2 f'(t))| of the keep-sum f(t) = sum_i w_i pi_i(t q_i; r_i) - s in the standardized
    arrays of :func:`dctheory.kernel.standardized` (w, r, q, wq = w q), in float64: f' from the compiled
    ``standardized_keep_probability_derivative``, f'' by a central difference of it (relative step 1e-4,
    so K is good to about 1e-7: only its size matters). None where float64 cannot represent the inputs,
    the arrays are not standardized, or the slope vanishes there (the Newton iteration then uses the
    plain step test)."""
    try:
        wq, r, q = (np.array([float(x) for x in arrays[k]]) for k in ("wq", "r", "q"))
    except (KeyError, OverflowError, TypeError, ValueError):
        return None
    derivative = compiled("standardized_keep_probability_derivative")
    h = 1e-4 * t if t > 0 else 1e-4
    with np.errstate(all="ignore"):
        slope, above, below = (np.sum(wq * derivative(x * q, r)) for x in (t, t + h, t - h))
        curvature = abs((above - below) / (2 * h) / (2 * slope))
    if not (np.isfinite(curvature) and np.isfinite(slope) and slope != 0):
        return None
    return float(curvature)


class ArbBackend:
    """python-flint balls at flint's working precision (``flint.ctx.workprec``): rigorous enclosures."""

    name = "arb"
    exact = True

    @staticmethod
    def vector(values):
        import flint

        return [flint.arb(v) for v in values]

    @staticmethod
    def number(value):
        import flint

        return flint.arb(value)

    @staticmethod
    def sqrt(x):
        return x.sqrt()

    @staticmethod
    def reduce(name, *args, weights=None):
        return compiled(name, "arb")(*args, weights=weights)


NUMPY = NumpyBackend()
MP = MpBackend()
ARB = ArbBackend()
