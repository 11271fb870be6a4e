"""Backends of the pruning kernel (:mod:`dctheory.kernel`), in the style of mpmath's contexts.

The kernel and the routes (:mod:`dctheory.risks`, :mod:`dctheory.asymptotic`) are written once against a
backend object ``bk`` that supplies the arithmetic of one precision; they never branch on which backend
they run on. Layers: :mod:`dctheory.engines` (root finders, row blocks, no theory) and
:mod:`dctheory.solvers` (xi, tau^2) below, the kernel above.

* :data:`NUMPY` -- float64 arrays over (rows, atoms): a row is one feature set (one m of a curve),
  an atom one distinct coordinate; per-row scalars have shape (B,) and become columns (B, 1).
* :class:`MpBackend` -- mpmath numbers at the caller's working precision (``mpmath.workdps``);
  vectors are numpy object arrays of mpf (elementwise arithmetic, comparisons and ``np.where`` work
  on them), per-row scalars are mpf. With python-flint (the ``certify`` extra) it evaluates the
  compiled formulas in Arb balls, 32 bits above the working precision, and takes a ball's midpoint
  where the ball is accurate to the working precision (mpmath again where not): 2-7x faster at 50
  digits (Gaussian tails, exponentials and the arithmetic around them).
* :class:`BallBackend` -- python-flint balls for every value of one prediction at ``dps`` (numpy object arrays
  of ``arb``), its roots enclosed (certain signs, the interval Newton operator): the one-pass proof of
  :func:`dctheory.risks._proven`; :class:`Uncertified` where it cannot be given.
* :class:`ArbBackend` -- python-flint balls (rigorous enclosures, for :mod:`dctheory.certify`).

Each supplies the compiled formulas of ``derivations`` (``pointwise`` per coordinate, ``reduce``
for a formula with a sum, weights as multiplicities), ``total`` (a sum over atoms), ``column``,
``largest``, ``fill``; the solves of its precision: xi (``solve_xi``) and the dense fit's n_lambda, xi
and tau^2 (``solve_dense``); float64 row chunking (``NUMPY.by_rows``: a (rows, atoms) formula in
cache-sized blocks of rows); a root finder for a positive decreasing sum at a level (``level_root``:
float64 Halley or Newton steps on its log along row blocks from the kernel's first guesses; mpmath
Newton steps from the float64 root, bracketing as the fallback); and its guards (``coordinate_units``:
float64 sds past 2^256 rescaled; ``floored``: below 1e-150 raised).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Sized
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, SupportsFloat, TypeAlias, cast

import mpmath
import numpy as np
import numpy.typing as npt

from dctheory._compiled import compiled, joint, joint_members
from dctheory.engines import (
    NARROW,
    Arrays,
    FloatArray,
    IntArray,
    RowBlocks,
    bracketed_root_mp,
    by_rows,
    find_roots,
    float64_seed,
    newton_mp,
    prefix_lengths,
    row_max,
    solve_rows,
)
from dctheory.errors import RegimeError
from dctheory.formula_runtime import TAIL_MEMO, numpy_sum
from dctheory.solvers import solve_dense, solve_dense_mp, solve_xi, solve_xi_mp

__all__ = ["NumpyBackend", "MpBackend", "BallBackend", "ArbBackend", "Uncertified", "NUMPY", "MP", "BALL"]

#: A float64 root finder's first guesses: per row (B,), none, or read off a block's prepared arrays and upper ends.
Start: TypeAlias = FloatArray | Callable[[Arrays, FloatArray], FloatArray] | None


class NumpyBackend:
    """float64, vectorized over (rows, atoms)."""

    name = "numpy"
    exact = False
    sqrt = staticmethod(np.sqrt)
    where = staticmethod(np.where)
    abs = staticmethod(np.abs)
    ones_like = staticmethod(np.ones_like)
    #: row chunking: a (rows, atoms) formula evaluated in cache-sized blocks of rows (:func:`engines.by_rows`)
    by_rows = staticmethod(by_rows)

    @staticmethod
    def solve_xi(
        lam: npt.ArrayLike,
        n: float | npt.ArrayLike,
        ridge: float,
        w: npt.ArrayLike | None,
        position: npt.ArrayLike | None = None,
    ) -> FloatArray | np.float64:
        """xi per row of weights ``w`` (:func:`dctheory.solvers.solve_xi`; ``position`` warm-starts a curve)."""
        return solve_xi(lam, n, ridge, w, position=position)

    @staticmethod
    def solve_dense(
        lam: npt.ArrayLike,
        beta: npt.ArrayLike,
        sigma2: npt.ArrayLike,
        n: float,
        ridge: float,
        w: npt.ArrayLike | None,
        position: npt.ArrayLike | None = None,
    ) -> tuple[Any, Any, FloatArray]:
        """(n, xi, tau^2) of the formulas per row of weights ``w``, n the ridge's n_lambda
        (:func:`dctheory.solvers.solve_dense`; ``position`` warm-starts a curve)."""
        return solve_dense(lam, beta, sigma2, n, ridge, w, position=position)

    @staticmethod
    def vector(values: npt.ArrayLike) -> FloatArray:
        return np.asarray(values, dtype=float)

    @staticmethod
    def number(value: SupportsFloat) -> float:
        return float(value)

    @staticmethod
    def column(x: npt.ArrayLike) -> FloatArray:
        """A per-row scalar as a column that broadcasts over the atoms."""
        return np.asarray(x, dtype=float)[..., None]

    @staticmethod
    def total(a: npt.NDArray[Any]) -> Any:
        """Sum over the atoms: the generated formulas' reduction (rows of fewer than 8 atoms column by column)."""
        return numpy_sum(a, None)

    @staticmethod
    def largest(a: FloatArray, mask: npt.NDArray[np.bool_]) -> FloatArray:
        """max over the atoms where ``mask`` (0 where none)."""
        return row_max(np.where(mask, a, 0.0))

    # Overflow inside the formulas is an exact limit (exp(-x^2/2) of a huge threshold ratio is 0, a Hessian
    # scale 1/sqrt(lambda) of an underflowing eigenvalue is huge): not worth a warning.
    @staticmethod
    def pointwise(name: str, *args: Any) -> Any:
        with np.errstate(over="ignore", under="ignore"):
            return compiled(name)(*args)

    @staticmethod
    def joint(name: str, *args: Any) -> tuple[Any, ...]:
        """The members of a joint (:func:`dctheory._compiled.joint`) in one call, the same bits as each alone."""
        with np.errstate(over="ignore", under="ignore"):
            return joint(name)(*args)

    @staticmethod
    def reduce(name: str, *args: Any, weights: Any = None) -> Any:
        with np.errstate(over="ignore", under="ignore"):
            return compiled(name)(*args, weights=weights)

    @staticmethod
    def cap(x: FloatArray) -> FloatArray:
        """x with values above 1e300 (and inf) brought down to 1e300: a ratio that overflowed stays finite,
        so that 0 times it is 0 (it only ever multiplies a threshold, and any threshold above 1e-290
        times 1e300 is past every Gaussian tail)."""
        return np.minimum(x, 1e300)

    @staticmethod
    def fill(mask: npt.NDArray[np.bool_], a: FloatArray, value: float) -> FloatArray:
        """``a`` with ``value`` where ``mask`` (broadcast over rows); ``a`` itself, not a copy, where the mask
        selects nothing (the usual case: no (rows, atoms) copy)."""
        return np.where(mask, value, a) if mask.any() else a

    @staticmethod
    def floored(sd: FloatArray) -> FloatArray:
        """Positive sds below ``SD_FLOOR`` (1e-150, in the rescaled units where beta is of order 1) raised to
        it, so that s^2 does not underflow to 0 in the formulas (huge n): the terms it changes are below
        1e-300. ``sd`` itself where none is (one pass over it)."""
        low = sd < SD_FLOOR
        return np.where(low & (sd > 0), SD_FLOOR, sd) if low.any() else sd

    @staticmethod
    def coordinate_units(lam: FloatArray, sd: FloatArray, *lengths: FloatArray) -> tuple[FloatArray, ...]:
        """(lambda, sd, *lengths) with every coordinate whose sd exceeds ``HUGE_SD`` measured in units of 2^e
        (its sd's binary exponent): sd, mean, beta and thresholds / 2^e, lambda 4^e (powers of two, so exact).

        Each risk term lambda_i E[(w_i 1{|w_i| > t_i} - beta_i)^2] is invariant under w_i -> w_i / c,
        beta_i -> beta_i / c, t_i -> t_i / c, lambda_i -> lambda_i c^2, but in float64 s_i^2 overflows when
        lambda_i underflows (least squares: s_i^2 = sigma_D^2 / ((n - m - 1) lambda_i)) although
        lambda_i s_i^2 is of order sigma_D^2. Inputs without such sds are returned unchanged. Lengths that
        underflow to 0 in the new units are below 2^-1000 of s_i there."""
        huge = sd > HUGE_SD
        if not huge.any():
            return (lam, sd, *lengths)
        e = np.where(huge, np.frexp(sd)[1], 0)
        with np.errstate(under="ignore"):
            return (np.ldexp(lam, 2 * e), np.ldexp(sd, -e), *(np.ldexp(x, -e) for x in lengths))

    def level_root(
        self,
        equation: Callable[..., Any],
        s: float,
        per_row: Arrays,
        per_atom: Arrays,
        *,
        reach: Callable[[Arrays], FloatArray],
        first_guess: Callable[[Arrays, FloatArray], FloatArray],
        prepare: Callable[[Arrays, bool], Arrays],
        seed: Callable[..., Any] | None = None,
        start: Start = None,
        position: npt.ArrayLike | None = None,
        rtol: float = 1e-6,
        rows: IntArray | None = None,
        tolerance: float | None = None,
        limit: float | None = None,
    ) -> FloatArray:
        """Per row, t in [0, reach] with K(t) = s for a positive decreasing K given as
        ``equation(t, arrays, with_slope, curvature)`` -> K - s (and its first and second derivatives);
        ``prepare(arrays, curvature)`` derives each row block's arrays once; ``reach(arrays)`` and
        ``first_guess(arrays, reach)`` are read off them. ``tolerance`` and ``limit`` bound the miss
        |K - s| / s (see :meth:`root_decreasing`); ``seed`` is not needed (float64 is the seed).

        The steps are on g(t) = log(K(t) / s): the same root, and a function closer to linear than K - s (a
        sum of Gaussian tails), so fewer steps from a rough start; |g| <= tolerance is |K - s| <= tolerance s
        to first order. Narrow batches (at most ``NARROW`` values, where a step costs per call, not per
        value) take Halley steps from ``first_guess``: 3 evaluations instead of 5 and a chord step
        (Fig. 3(b)'s curve). Wider batches with a ``position`` start from splines along the rows."""
        size = (per_row["mean"].shape[0] if rows is None else len(rows)) * per_row["mean"].shape[-1]
        halley = size <= NARROW
        if start is None and (position is None or halley):
            start = first_guess

        def function(t: FloatArray, arrays: Arrays, with_slope: bool) -> Any:
            out = equation(t, arrays, with_slope, with_slope and halley)
            value = out[0] if with_slope else out
            kept = np.maximum(value + s, 1e-300)  # K > 0; 1e-300 only far past the root
            g = np.log(kept / s)
            if not with_slope:
                return g
            slope = out[1] / kept
            if not halley:
                return g, slope
            return g, slope * _halley_factor(g, slope, out[2] / kept - slope * slope)

        return self.root_decreasing(
            function,
            per_row,
            per_atom,
            reach,
            start,
            position,
            rtol,
            tolerance=tolerance,
            limit=limit,
            rows=rows,
            chord=not halley,
            prepare=lambda arrays: prepare(arrays, halley),
        )

    @staticmethod
    def root_decreasing(
        function: Callable[[FloatArray, Arrays, bool], Any],
        per_row: Arrays,
        per_atom: Arrays | None,
        high: FloatArray | Callable[[Arrays], FloatArray],
        start: Start = None,
        position: npt.ArrayLike | None = None,
        rtol: float = 1e-6,
        tolerance: float | None = None,
        limit: float | None = None,
        prepare: Callable[[Arrays], Arrays] | None = None,
        rows: IntArray | None = None,
        chord: bool = True,
    ) -> FloatArray:
        """Roots t in [0, high] of decreasing f(t) (one per row): ``function(t_column, arrays, slope)``,
        where ``arrays`` are ``prepare(block arrays)`` (default: the block arrays). ``rows``: solve only
        these rows of the per-row arrays (``high``, ``start``, ``position`` and the roots are theirs).
        ``high``: the upper ends (B,), or a function of a block's prepared arrays that returns them;
        ``start``: first guesses (B,), None, or a function of a block's prepared arrays and upper ends.

        Rows are gathered into blocks of similar prefix once (:class:`dctheory.engines.RowBlocks`), then
        solved by bracketing a few and safeguarded Newton steps from splines through those roots for
        the others (:func:`dctheory.engines.solve_rows`). With ``tolerance``, rows whose |f(t)| exceeds it
        are re-solved by bracketing (:func:`dctheory.engines.find_roots`); |f(t)| above ``limit`` then
        raises RegimeError (float64 cannot resolve the root). ``chord``: end with a chord step (as in
        :func:`~dctheory.engines.solve_rows`); False when ``function``'s slopes already make Halley steps."""
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
                        cast(FloatArray, first)[group] = start(arrays, reach[group])
                high, start = reach, first
        high = np.atleast_1d(np.asarray(high, dtype=float))
        t_of = np.empty(B)
        every = np.arange(B)

        def evaluate(t: FloatArray, rows: IntArray, with_slope: bool) -> Any:
            t_of[rows] = t
            if direct and rows.size < B:
                # A narrow batch: evaluating every row (finished ones at their roots) costs less than
                # gathering the open rows' arrays.
                values = blocks.map(
                    every, lambda rows_b, a: function(t_of[rows_b], a, with_slope), 2 if with_slope else 1
                )
                return tuple(v[rows] for v in values) if with_slope else values[rows]
            return blocks.map(rows, lambda rows_b, a: function(t_of[rows_b], a, with_slope), 2 if with_slope else 1)

        # Rows solved from scratch start at high / 200: measured, fewer safeguarded steps than from
        # mid-bracket or from high / 40 (the coarsest rows of curves over m, 2000 distinct eigenvalues).
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            t = solve_rows(
                evaluate,
                np.zeros(B),
                high,
                increasing=False,
                position=position,
                start=high / 200 if start is None else start,
                rtol=rtol,
                direct=direct,
                chord=chord,
            )
            if tolerance is None:
                return t
            # Newton stops on a small step in t; when the coordinate sds are tiny next to t (e.g. huge n) a
            # small step can still leave the sum far from its target: such rows are bracketed to the last ulp.
            miss = ~(np.abs(evaluate(t, np.arange(B), False)) <= tolerance)
            if np.any(miss):
                rows = np.flatnonzero(miss)
                try:
                    t[rows] = find_roots(
                        lambda x, r: evaluate(x, rows[r.astype(int)], False),
                        np.zeros(rows.size),
                        high[rows],
                        np.arange(rows.size),
                    )
                except RuntimeError:
                    pass
                value = evaluate(t[rows], rows, False)
                if np.any(~(np.abs(value) <= cast(float, limit))):
                    raise RegimeError(
                        "float64 cannot resolve the pruning threshold: the coordinate standard deviations are "
                        "below the float64 resolution of the threshold (e.g. n of about 1e14 or more, where the "
                        "law tends to its noise-free limit); use dps (e.g. dps=30), or n <= 1e12"
                    )
        return t


def _halley_factor(g: FloatArray, slope: FloatArray, second: FloatArray) -> FloatArray:
    """The factor h = 1 - g g'' / (2 g'^2) that turns a Newton step -g/g' into Halley's -g/(g' h), whose
    error after a step dx is of order dx^3 rather than dx^2 (so no chord step follows). Far from the
    root, where h leaves [1/2, 2] (or is not a number), the step stays Newton's."""
    h = 1 - g * second / (2 * slope * slope)
    return np.where((h >= 0.5) & (h <= 2.0), h, 1.0)


# float64 coordinate sds below this are raised to it by ``NumpyBackend.floored`` before a risk formula.
SD_FLOOR = 1e-150

# float64 coordinate sds above this are brought to order 1 by ``NumpyBackend.coordinate_units`` before a risk formula.
HUGE_SD = 2.0**256


# Newton steps of an mpmath threshold before the bracketing fallback: 60 to reach half the digits from a
# poor start (safeguarded steps can be slow far from the root) and 8 more in the rounding of the keep-sum.
MP_NEWTON_STEPS = 68
MP_SETTLE_STEPS = 8


class MpBackend:
    """mpmath scalars at the caller's precision; vectors are numpy object arrays of mpf."""

    name = "mpmath"
    exact = False
    where = staticmethod(np.where)

    @staticmethod
    def ones_like(a: Sized) -> npt.NDArray[np.object_]:
        return np.array([mpmath.mpf(1)] * len(a), dtype=object)

    @staticmethod
    def floored(sd: Any) -> Any:
        return sd  # no underflow at arbitrary precision

    @staticmethod
    def decimal(text: str) -> Any:
        """A decimal string at the working precision."""
        return mpmath.mpf(text)

    @staticmethod
    def formula(name: str, *args: Any) -> Any:
        """A formula of scalars (in mpmath)."""
        return compiled(name, "mpmath")(*args)

    @staticmethod
    def sorts() -> None:
        """The exact top-s rule sorts scores: mpf compare exactly."""

    @staticmethod
    def solve_xi(lam: Any, n: Any, ridge: Any, w: Any, position: Any = None) -> Any:
        """xi at the working precision (:func:`dctheory.solvers.solve_xi_mp`, in MPFR)."""
        return solve_xi_mp(lam, n, ridge, w)

    @staticmethod
    def solve_dense(lam: Any, beta: Any, sigma2: Any, n: Any, ridge: Any, w: Any) -> tuple[Any, Any, Any]:
        """(n, xi, tau^2) of the formulas at the working precision, n the ridge's n_lambda
        (:func:`dctheory.solvers.solve_dense_mp`, in MPFR)."""
        return solve_dense_mp(lam, beta, sigma2, n, ridge, w)

    @staticmethod
    def vector(values: Iterable[Any]) -> npt.NDArray[np.object_]:
        return np.array([v if isinstance(v, mpmath.mpf) else mpmath.mpf(v) for v in values], dtype=object)

    @staticmethod
    def number(value: Any) -> Any:
        return value if isinstance(value, mpmath.mpf) else mpmath.mpf(value)

    @staticmethod
    def sqrt(x: Any) -> Any:
        if isinstance(x, np.ndarray):
            return np.array([mpmath.sqrt(v) for v in x], dtype=object)
        return mpmath.sqrt(x)

    @staticmethod
    def abs(x: Any) -> Any:
        return np.abs(x) if isinstance(x, np.ndarray) else abs(x)

    @staticmethod
    def column(x: Any) -> Any:
        return x

    @staticmethod
    def total(a: Iterable[Any]) -> Any:
        """The sum, exactly rounded (``mpmath.fsum``); of balls (inside :meth:`root_decreasing`'s steps), their
        ball sum's midpoint, which must be accurate to the working precision."""
        a = list(a)
        if a and _is_ball(a[0]):
            value = _point(sum(a, _FLINT[0].arb(0)))
            if value is None:
                raise _Inaccurate
            return value
        return mpmath.fsum(a)

    @staticmethod
    def largest(a: Iterable[Any], mask: Iterable[Any]) -> Any:
        values = [x for x, keep in zip(a, mask) if keep]
        return max(values) if values else mpmath.mpf(0)

    @classmethod
    def joint(cls, name: str, *args: Any) -> tuple[Any, ...]:
        """The members of a joint, each by :meth:`pointwise` (a joint has numpy and math functions only)."""
        return tuple(cls.pointwise(member, *args) for member in joint_members(name))

    @staticmethod
    def pointwise(name: str, *args: Any) -> npt.NDArray[np.object_]:
        """The formula per coordinate: in balls (:func:`_in_balls`) where python-flint is installed, each
        value whose ball is not accurate to the working precision again in mpmath."""
        f = compiled(name, "mpmath")
        length = max(len(a) for a in args if isinstance(a, np.ndarray))
        columns = [a if isinstance(a, np.ndarray) else [a] * length for a in args]
        ball = _ball_function(name)
        if ball is not None and any(_is_ball(column[0]) for column in columns if len(column)):
            # balls in, balls out (:meth:`root_decreasing`'s steps): every argument is a ball already
            return np.array([ball(*row) for row in zip(*columns)], dtype=object)
        if ball is not None:
            values = _in_balls(lambda *balls: [ball(*row) for row in zip(*balls)], args, length)
            if values is not None:
                return np.array(
                    [f(*row) if value is None else value for value, row in zip(values, zip(*columns))], dtype=object
                )
        return np.array([f(*row) for row in zip(*columns)], dtype=object)

    @staticmethod
    def reduce(name: str, *args: Any, weights: Any = None) -> Any:
        """The formula with a sum over coordinates: in balls where python-flint is installed (the sum is
        then accurate to the working precision, or computed again in mpmath)."""
        ball = _ball_function(name)
        if ball is not None:
            value = _in_balls(lambda *balls: [ball(*balls[:-1], weights=balls[-1])], (*args, weights))
            if value is not None and value[0] is not None:
                return value[0]
        return compiled(name, "mpmath")(*args, weights=weights)

    @staticmethod
    def cap(x: Any) -> Any:
        return x  # no overflow at arbitrary precision

    @staticmethod
    def fill(mask: npt.NDArray[np.bool_], a: Any, value: Any) -> npt.NDArray[Any]:
        filled: npt.NDArray[Any] = np.where(mask, value, a)
        return filled

    @staticmethod
    def coordinate_units(lam: Any, sd: Any, *lengths: Any) -> tuple[Any, ...]:
        return (lam, sd, *lengths)  # no overflow at arbitrary precision

    def level_root(
        self,
        equation: Callable[..., Any],
        s: Any,
        per_row: Mapping[str, Any],
        per_atom: Mapping[str, Any],
        *,
        reach: Callable[[dict[str, Any]], Any],
        prepare: Callable[[dict[str, Any]], dict[str, Any]],
        first_guess: Callable[..., Any] | None = None,
        seed: Callable[..., Any] | None = None,
        start: Any = None,
        position: Any = None,
        rtol: float | None = None,
        rows: Any = None,
        tolerance: float | None = None,
        limit: float | None = None,
    ) -> Any:
        """t in [0, reach] with K(t) = s for a positive decreasing K given as ``equation(t, arrays,
        with_slope)`` -> K - s (and its derivative), on the arrays ``prepare(arrays)``: Newton steps on
        K - s from ``start``, by default the float64 root (``seed(NUMPY, float rows, float atoms)``, None
        where float64 cannot represent the arrays); see :meth:`root_decreasing`."""
        if start is None and seed is not None:
            start = _float64_start(seed, per_row, per_atom)
        high = reach(prepare(dict(per_row, **per_atom)))
        return self.root_decreasing(
            lambda t, arrays, with_slope: equation(t, arrays, with_slope),
            per_row,
            per_atom,
            high,
            start,
            position,
            rtol,
            prepare=prepare,
        )

    @staticmethod
    def root_decreasing(
        function: Callable[[Any, dict[str, Any], bool], Any],
        per_row: Mapping[str, Any],
        per_atom: Mapping[str, Any] | None,
        high: Any,
        start: Any = None,
        position: Any = None,
        rtol: float | None = None,
        tolerance: float | None = None,
        limit: float | None = None,
        prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        rows: Any = None,
    ) -> Any:
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

        def newton_step(t: Any) -> Any:
            value, slope = function(t, arrays, True)
            return value / slope

        # With python-flint the steps evaluate f and f' in balls: the arrays are converted once, each step's
        # sums come back as mpf accurate to the working precision (else the steps are taken again in mpmath).
        balls = _ball_arrays(arrays)

        def ball_step(t: Any) -> Any:
            assert balls is not None
            with _FLINT[0].ctx.workprec(mpmath.mp.prec + BALL_GUARD_BITS):
                value, slope = function(_ball(t), balls, True)
            return value / slope

        t = None
        if start is not None and 0 <= start <= high:
            curvature = _newton_curvature(arrays, float(start))

            def newton(step: Callable[[Any], Any], x: Any) -> Any:
                return newton_mp(
                    step, x, 0, high, max_steps=MP_NEWTON_STEPS, settle=MP_SETTLE_STEPS, curvature=curvature
                )

            try:
                step = newton_step if balls is None else ball_step
                t = newton(step, _doubling_steps(step, start, high))
            except _Inaccurate:
                t = newton(newton_step, start)
        if t is None:
            t = bracketed_root_mp(lambda x: function(x, arrays, False), start, high, "the pruning threshold")
        return t


def _float64_start(seed: Callable[..., Any], per_row: Mapping[str, Any], per_atom: Mapping[str, Any]) -> Any:
    """The root of the same equation in float64 (``seed(NUMPY, float rows, float atoms)`` on the arrays, mpf or
    balls, in float64), a first guess; None where float64 cannot give one (:func:`float64_seed`)."""
    names = list(per_row)

    def float_root(**arrays: Any) -> Any:
        rows = {k: arrays[k][None, :] for k in names}  # the row arrays as one row
        return seed(NUMPY, rows, {k: v for k, v in arrays.items() if k not in names})[0]

    return float64_seed(float_root, dict(per_row, **per_atom))


# Bits above the working precision at which :class:`MpBackend` evaluates formulas in balls: a ball's midpoint
# is taken when the ball is accurate to the working precision (2 bits more), which these guard bits allow for
# Gaussian tails of arguments up to about 2^14 (the tail's relative condition number is about x^2).
BALL_GUARD_BITS = 32

# Bits above mpmath's working precision at which :class:`BallBackend`'s balls are computed: its roots' brackets
# (2^-(prec - 12) and wider) and not the rounding of each operation set the radii.
PROOF_GUARD_BITS = 8

_FLINT: list[Any] = []  # python-flint once looked for: [module] or [None]


def _ball_function(name: str) -> Callable[..., Any] | None:
    """The ball (python-flint ``arb``) function of formula ``name``; None without python-flint (the optional
    "certify" extra) or where the formula has none."""
    if not _FLINT:
        found: Any
        try:
            import flint as found
        except ImportError:  # pragma: no cover - depends on the environment
            found = None
        methods = ("rel_accuracy_bits", "erfc", "rsqrt", "exp")
        if found is not None and not (hasattr(found.ctx, "workprec") and all(hasattr(found.arb, m) for m in methods)):
            found = None  # pragma: no cover - a python-flint older than these (0.9 has them): mpmath throughout
        _FLINT.append(found)
    if _FLINT[0] is None:
        return None
    try:
        return compiled(name, "arb")
    except (TypeError, ValueError):
        return None


# The ball of each mpf value converted inside :func:`ball_memo`, by the value (mpmath's ``_mpf_`` tuple: sign,
# mantissa, exponent, bit count), and the Gaussian tails of :func:`dctheory.formula_runtime.arb_gaussian_tail`.
# A context variable: each thread (and asyncio task) has its own, so concurrent predictions never share one.
_MEMO: ContextVar[dict[tuple[Any, ...], Any] | None] = ContextVar("ball_memo", default=None)


@contextmanager
def ball_memo() -> Iterator[None]:
    """Within: each mpf value is converted to a ball once (:func:`_ball`; the conversion is exact, so a
    remembered ball is the ball a new conversion would give), and Gaussian tails at nearly the same
    argument are continued from a remembered one (:func:`dctheory.formula_runtime.arb_gaussian_tail`). For
    one computation at one precision whose arrays pass through several formulas (a prediction: about 40 of
    its 86 conversions per coordinate and 20 of its 28 tails per coordinate were repeats); the memo ends
    with the block. Keys are values, not objects: the memo keeps no mpf alive (fewer objects for the
    garbage collector to walk)."""
    balls, tails = _MEMO.set({}), TAIL_MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(balls)
        TAIL_MEMO.reset(tails)


def _ball(x: Any) -> Any:
    """An mpf, int or float as an exact ball (point); None for infinities and nan. A ball stays itself."""
    flint = _FLINT[0]
    if isinstance(x, flint.arb):
        return x
    if isinstance(x, mpmath.mpf):
        key = x._mpf_
        memo = _MEMO.get()
        if memo is not None:
            known = memo.get(key)
            if known is not None:
                return known
        sign, mantissa, exponent, _ = key
        if not mantissa:
            return flint.arb(0) if x == 0 else None
        ball = flint.arb(flint.arf((-int(mantissa) if sign else int(mantissa), int(exponent))))
        if memo is not None:
            memo[key] = ball
        return ball
    if isinstance(x, (int, np.integer)):
        return flint.arb(int(x))
    value = float(x)
    return flint.arb(value) if np.isfinite(value) else None


# Working precisions (bits) from which :func:`_doubling_steps` takes Newton steps at fewer bits first, and the
# precision of its first step.
DOUBLING_FROM_BITS = 512
DOUBLING_FIRST_BITS = 128


def _doubling_steps(step: Callable[[Any], Any], x: Any, high: Any) -> Any:
    """``x`` moved by Newton steps ``x - step(x)`` at increasing precision, each at about twice the bits the
    iterate is good to (quadratic convergence: 40 -> 80 -> 160 ... bits), while that is below the working
    precision; the full-precision steps that follow (:func:`dctheory.engines.newton_mp`) then start from an
    iterate good to about half the working precision, and take one or two steps instead of one per doubling.

    How many bits ``x`` is good to is read off a step at p bits: a relative step r above 2^-(p - 24) (the
    rounding of a step at p bits) says x was good to about -log2(r) bits and is good to twice that after it;
    a step below says x is good past p bits, and the next try is at 4p bits, without moving x. Only for
    starts of at most 64 bits (a float64 root: a start from a run at fewer digits or a coarser quadrature
    rule is good to most of the working precision, and measured, the tries cost more than they save there),
    and from ``DOUBLING_FROM_BITS`` of working precision (below, a step costs about the same at any
    precision). The result is a start, not a root: the full-precision steps decide when to stop."""
    full = mpmath.mp.prec
    if full < DOUBLING_FROM_BITS or x is None or not x or mpmath.mpf(x)._mpf_[3] > 64:
        return x
    x, bits = mpmath.mpf(x), DOUBLING_FIRST_BITS
    while bits < full:
        with mpmath.workprec(bits):
            d = step(x)
            relative = abs(d / x)
            if relative > mpmath.mpf(2) ** -(bits - 24):
                moved = x - d
                if not 0 < moved <= high:
                    return x
                x = moved
                good = min(bits - 24, -2 * int(mpmath.log(relative, 2)) - 8)
                bits = 2 * good + 32
            else:
                bits *= 4
    return x


class _Inaccurate(ArithmeticError):
    """A sum of balls not accurate to the working precision: the caller computes it again in mpmath."""


def _is_ball(x: Any) -> bool:
    return bool(_FLINT) and _FLINT[0] is not None and isinstance(x, _FLINT[0].arb)


def _ball_arrays(arrays: Mapping[str, Any]) -> dict[str, Any] | None:
    """The arrays (name -> object array of mpf, or a scalar) as exact balls; None without python-flint, or
    where a value is not finite."""
    if _ball_function("standardized_keep_probability") is None:
        return None
    out: dict[str, Any] = {}
    for name, values in arrays.items():
        converted = _balls(values)
        if converted is None:
            return None
        out[name] = np.array(converted, dtype=object) if isinstance(converted, list) else converted
    return out


def _balls(values: Any, length: int | None = None) -> Any:
    """An array or sequence as a list of exact balls, a scalar as one ball (with ``length``: a list of it);
    None where a value is not finite."""
    if isinstance(values, (np.ndarray, list, tuple)):
        converted = [_ball(x) for x in values]
        return None if any(x is None for x in converted) else converted
    single = _ball(values)
    return single if length is None or single is None else [single] * length


def _point(ball: Any) -> Any:
    """The midpoint of ``ball`` as an mpf at the working precision when the ball is accurate to it, else None."""
    if ball.rel_accuracy_bits() < mpmath.mp.prec + 2:
        return None
    mantissa, exponent = ball.mid().man_exp()
    return mpmath.mpf((int(mantissa), int(exponent)))


def _in_balls(evaluate: Callable[..., list[Any]], args: Sequence[Any], length: int | None = None) -> list[Any] | None:
    """``evaluate(*balls)`` on ``args`` as exact balls (arrays and sequences elementwise, scalars as one ball or,
    with ``length``, repeated; None stays None) at ``BALL_GUARD_BITS`` above the working precision: each
    resulting ball's midpoint (:func:`_point`), None where a ball is not accurate to the working precision.
    None where an argument is not finite (the caller evaluates in mpmath).

    The formulas' ball functions enclose the exact value of the formula at the exact inputs, so a midpoint
    taken is the exact value to within 2^-(prec + 2) relative, plus its rounding to the working precision."""
    flint = _FLINT[0]
    balls: list[Any] = []
    for a in args:
        converted = None if a is None else _balls(a, length)
        if a is not None and converted is None:
            return None
        balls.append(converted)
    with flint.ctx.workprec(mpmath.mp.prec + BALL_GUARD_BITS):
        results = evaluate(*balls)
        return [_point(ball) for ball in results]


def _newton_curvature(arrays: Mapping[str, Any], t: float) -> float | None:
    """K = |f''(t) / (2 f'(t))| of the keep-sum f(t) = sum_i w_i pi_i(t q_i; r_i) - s in the standardized
    arrays of :func:`dctheory.kernel.standardized` (w, r, q, wq = w q), in float64: f' from the compiled
    ``standardized_keep_probability_derivative``, f'' by a central difference of it (relative step 1e-4,
    so K is good to about 1e-7: only its size matters). None where float64 cannot represent the inputs,
    the arrays are not standardized, or the slope vanishes there (the Newton iteration then uses the
    plain step test)."""
    return _float_slope_and_curvature(arrays, t)[1]


def _float_slope_and_curvature(arrays: Mapping[str, Any], t: float) -> tuple[float | None, float | None]:
    """(f'(t), K) of :func:`_newton_curvature` in float64 (mpf or ball arrays; a ball as its midpoint), each
    None where float64 cannot give it."""
    try:
        wq, r, q = (np.array([float(x) for x in arrays[k]]) for k in ("wq", "r", "q"))
    except (KeyError, OverflowError, TypeError, ValueError):
        return None, None
    derivative = compiled("standardized_keep_probability_derivative")
    h = 1e-4 * t if t > 0 else 1e-4
    with np.errstate(all="ignore"):
        slope, above, below = (np.sum(wq * derivative(x * q, r)) for x in (t, t + h, t - h))
        curvature = abs((above - below) / (2 * h) / (2 * slope))
    if not (np.isfinite(curvature) and np.isfinite(slope) and slope != 0):
        return None, None
    return float(slope), float(curvature)


class ArbBackend:
    """python-flint balls at flint's working precision (``flint.ctx.workprec``): rigorous enclosures."""

    name = "arb"
    exact = True

    @staticmethod
    def vector(values: Iterable[Any]) -> list[Any]:
        import flint

        return [flint.arb(v) for v in values]

    @staticmethod
    def number(value: Any) -> Any:
        import flint

        return flint.arb(value)

    @staticmethod
    def sqrt(x: Any) -> Any:
        return x.sqrt()

    @staticmethod
    def reduce(name: str, *args: Any, weights: Any = None) -> Any:
        return compiled(name, "arb")(*args, weights=weights)


class Uncertified(ArithmeticError):
    """:class:`BallBackend` could not enclose a root or a value tightly enough (a sign not certain at the
    widest bracket it tries, a value that is not finite, a selection that compares balls): the caller
    computes the prediction again by the route that does not need the proof."""


# The brackets :class:`BallBackend` tries around a root's midpoint x: relative half-width 2^-(prec - 12) at
# mpmath's working precision prec (or, for a threshold, the width the keep-sum's ball radius asks for, if
# wider), then BRACKET_WIDENING times wider each, while below 2^-(prec - BRACKET_LIMIT_BITS).
BRACKET_FIRST_BITS = 12
BRACKET_WIDENING = 256
BRACKET_LIMIT_BITS = 44

# :meth:`BallBackend.level_root` hands a threshold's Newton iterate x to the interval Newton operator once the
# root is within K d^2 <= 2^-(prec - HANDOFF_BITS) x of the next iterate (d the step, K the curvature); steps
# with the float64 slope (good to 2^-FLOAT_SLOPE_BITS relative, conservatively) where they get that near.
HANDOFF_BITS = 16
FLOAT_SLOPE_BITS = 44


class BallBackend(MpBackend):
    """Arb balls (python-flint) for every value of one pass: numpy object arrays of ``arb``, at flint's working
    precision (the caller sets it: ``flint.ctx.workprec``), roots refined at mpmath's working precision.

    Every value it returns is a ball that contains the exact value for the exact inputs (decimal inputs are
    read into balls with :meth:`decimal`, formulas are the compiled ``arb`` functions). The roots are proven:

    * xi (the ridge equation G, increasing in xi): its mpmath root (:func:`dctheory.solvers.solve_xi_mp`
      on the balls' midpoints) widened to exact points lo < hi with G(lo) < 0 < G(hi) certain in balls,
      for every weight and eigenvalue in their balls; xi is the ball [lo, hi]. With a ridge, n_lambda is
      enclosed from that ball and xi solved and enclosed again with it (as :func:`dctheory.certify.certify`).
    * a threshold t (K(t) - s decreasing): Newton steps on the balls' midpoints from the float64 root, then
      the interval Newton operator of the last step, N = x - K(x) / K'(T) for a ball T around the root's
      midpoint: N inside T proves the root in N, and t is the ball N (:func:`_interval_newton`); where it
      does not, exact points lo < hi with K(lo) - s > 0 > K(hi) - s certain, and t is the ball [lo, hi].

    The widths tried are those of :func:`_bracketed`; where no width certifies (or a value is not finite, or the
    exact top-s rule would compare balls) it raises :class:`Uncertified`."""

    name = "ball"

    @staticmethod
    def ones_like(a: Sized) -> npt.NDArray[np.object_]:
        return np.array([_FLINT[0].arb(1)] * len(a), dtype=object)

    @staticmethod
    def decimal(text: str) -> Any:
        """A decimal string as a ball that contains it (``0.1`` is 1/10)."""
        return _FLINT[0].arb(text)

    @staticmethod
    def vector(values: Iterable[Any]) -> npt.NDArray[np.object_]:
        return np.array([_certain(_ball(v)) for v in values], dtype=object)

    @staticmethod
    def number(value: Any) -> Any:
        return _certain(_ball(value))

    @staticmethod
    def sqrt(x: Any) -> Any:
        if isinstance(x, np.ndarray):
            return np.array([v.sqrt() for v in x], dtype=object)
        return x.sqrt()

    @staticmethod
    def total(a: Iterable[Any]) -> Any:
        return sum(a, _FLINT[0].arb(0))

    @staticmethod
    def largest(a: Iterable[Any], mask: Iterable[Any]) -> Any:
        """The ball of largest upper end among those selected (exactly 0 only where they are all exactly 0)."""
        values = [x for x, keep in zip(a, mask) if keep]
        return max(values, key=lambda x: x.upper()) if values else _FLINT[0].arb(0)

    @staticmethod
    def pointwise(name: str, *args: Any) -> npt.NDArray[np.object_]:
        f = _ball_function(name)
        assert f is not None
        length = max(len(a) for a in args if isinstance(a, np.ndarray))
        columns = [a if isinstance(a, np.ndarray) else [_certain(_ball(a))] * length for a in args]
        return np.array([_certain(f(*row)) for row in zip(*columns)], dtype=object)

    @staticmethod
    def reduce(name: str, *args: Any, weights: Any = None) -> Any:
        f = _ball_function(name)
        assert f is not None
        return _certain(f(*(a if isinstance(a, np.ndarray) else _certain(_ball(a)) for a in args), weights=weights))

    @staticmethod
    def formula(name: str, *args: Any) -> Any:
        """A formula of scalars."""
        return BallBackend.reduce(name, *args)

    @staticmethod
    def sorts() -> None:
        raise Uncertified("the exact top-s rule compares balls")

    @staticmethod
    def solve_xi(lam: Any, n: Any, ridge: Any, w: Any, position: Any = None) -> Any:
        return _enclosed_xi(lam, n, ridge, w, None)

    @staticmethod
    def solve_dense(lam: Any, beta: Any, sigma2: Any, n: Any, ridge: Any, w: Any) -> tuple[Any, Any, Any]:
        flint = _FLINT[0]
        size: Any = flint.arb(n)
        xi = _enclosed_xi(lam, size, ridge, w, None)
        if ridge != 0:
            rank = sum((wi for wi, li in zip(w, lam) if li > 0), flint.arb(0))
            if rank != 0:
                size = _ball_function("ridge_sample_size")(xi, n, ridge, rank, lam, weights=w)  # type: ignore[misc]
                xi = _enclosed_xi(lam, size, ridge, w, _midpoint(xi))
        tau2 = _ball_function("tau2")(xi, size, ridge, sigma2.sqrt(), lam, beta, weights=w)  # type: ignore[misc]
        return size, xi, _certain(tau2)

    def level_root(
        self,
        equation: Callable[..., Any],
        s: Any,
        per_row: Mapping[str, Any],
        per_atom: Mapping[str, Any],
        *,
        reach: Callable[[dict[str, Any]], Any],
        prepare: Callable[[dict[str, Any]], dict[str, Any]],
        first_guess: Callable[..., Any] | None = None,
        seed: Callable[..., Any] | None = None,
        start: Any = None,
        position: Any = None,
        rtol: float | None = None,
        rows: Any = None,
        tolerance: float | None = None,
        limit: float | None = None,
    ) -> Any:
        """A ball that contains the root of the decreasing f(t) = K(t) - s = ``equation(t, arrays, with_slope)``
        on the balls ``prepare(arrays)``. Newton steps on the midpoints from ``start`` (the float64 root; else
        the float64 root of the midpoints; from 512 bits at doubling precision first): each evaluates f(x) in
        balls and steps with the float64 slope f'(start) where that step lands within the hand-off distance
        (``HANDOFF_BITS``; K from :func:`_float_slope_and_curvature`), else with f'(x) in balls. At the first x
        whose step d has K d^2 within that distance, the interval Newton operator of x on a ball T around
        x - d encloses the root (:func:`_interval_newton`); where it does not contract, certain signs of f
        at exact points around x - d do (:func:`_bracketed`). :class:`Uncertified` where neither does."""
        arrays = prepare(dict(per_row, **per_atom))
        if start is None and seed is not None:
            start = _float64_start(seed, per_row, per_atom)  # (float64 of the balls' midpoints)
        if start is None or not start > 0:
            raise Uncertified("no first guess for the threshold")
        # f'(start) and the curvature K = |f''/(2 f')| in float64 (of the balls' midpoints)
        float_slope, curvature = _float_slope_and_curvature(arrays, float(start))
        flint, prec = _FLINT[0], mpmath.mp.prec

        def step(t: Any) -> Any:  # a Newton step at mpmath's working precision (fewer bits in doubling steps)
            with flint.ctx.workprec(mpmath.mp.prec + PROOF_GUARD_BITS):
                value, slope = equation(_ball(t), arrays, True)
            return _midpoint(value) / _midpoint(slope)

        t = _doubling_steps(step, mpmath.mpf(start), mpmath.inf)
        near = mpmath.ldexp(1, -prec + HANDOFF_BITS)
        for _ in range(MP_NEWTON_STEPS):
            point = _ball(t)
            value = equation(point, arrays, False)
            d = None if float_slope is None or curvature is None else _midpoint(value) / float_slope
            if d is not None and curvature is not None:
                if curvature * d * d <= abs(t) * near:
                    break  # t - d is within about K d^2 of the root: the interval Newton step encloses it
                # a step with the float64 slope lands within about 2^-FLOAT_SLOPE_BITS |d| + K d^2 of the root
                ahead = max(abs(d) * mpmath.ldexp(1, -FLOAT_SLOPE_BITS), curvature * d * d)
                if curvature * ahead * ahead > abs(t) * near:
                    d = None  # not near enough for the next test: a step with the slope in balls
            if d is None:
                slope = _keep_slope(arrays, point)
                if not slope < 0:
                    raise Uncertified("the keep-sum's slope is not certainly negative")
                d = _midpoint(value) / _midpoint(slope)
                if curvature is None and abs(d) <= abs(t) * mpmath.ldexp(1, -prec + 8):
                    break
            t -= d
            if not t > 0:
                raise Uncertified("a Newton step left t > 0")
        else:
            raise Uncertified("the threshold's Newton steps did not settle")
        enclosed = _interval_newton(arrays, point, value, t - d, abs(d))
        if enclosed is not None:
            return enclosed
        # the half-width at which the signs can be certain: twice the keep-sum's uncertainty over its slope
        slope_size = abs(_midpoint(value) / d) if d else None
        width = 2 * _midpoint(value.rad()) / slope_size if slope_size else 0
        return _bracketed(lambda x: equation(x, arrays, False), t - d, -1, width)


def _keep_slope(arrays: Mapping[str, Any], t: Any) -> Any:
    """The keep-sum's slope in t, sum_i w_i q_i pi_i'(t q_i; r_i), on the ball ``t`` (every point of it), from
    the balls of :func:`dctheory.kernel.standardized` (as :func:`dctheory.kernel.keep_excess` writes it)."""
    derivative = _ball_function("standardized_keep_probability_derivative")
    assert derivative is not None
    return sum(
        (wq * derivative(t * q, r) for wq, q, r in zip(arrays["wq"], arrays["q"], arrays["r"])), _FLINT[0].arb(0)
    )


def _interval_newton(arrays: Mapping[str, Any], point: Any, value: Any, t: Any, step: Any) -> Any:
    """The root of the keep-sum as a ball N = x - f(x) / f'(T) (the interval Newton operator), where x is
    ``point`` (the last Newton iterate, f(x) = ``value``, a ball) and T the ball around the next iterate ``t``
    of half-width 2 ``step`` (x lies in it), widened like :func:`_bracketed`: where N lies inside T, T holds
    exactly one root and it lies in N (the mean value theorem: f' on T excludes 0). No Gaussian tail: f' is
    exponentials only. None where no width gives N inside T."""
    prec = mpmath.mp.prec
    widest = abs(t) * mpmath.ldexp(1, -prec + BRACKET_LIMIT_BITS)
    half = max(abs(t) * mpmath.ldexp(1, -prec + BRACKET_FIRST_BITS), 2 * step)
    while half <= max(widest, 4 * step):
        around = _ball(t - half).union(_ball(t + half))
        slope = _keep_slope(arrays, around)
        if slope < 0:
            enclosed = point - value / slope
            if around.contains_interior(enclosed):
                return enclosed
        half *= BRACKET_WIDENING
    return None


def _certain(ball: Any) -> Any:
    """``ball`` if it is a finite ball, else :class:`Uncertified`."""
    if ball is None or not ball.is_finite():
        raise Uncertified("a value is not finite in balls")
    return ball


def _midpoint(ball: Any) -> Any:
    """The midpoint of a ball as an mpf (exact: mpmath rounds it to the working precision)."""
    mantissa, exponent = ball.mid().man_exp()
    return mpmath.mpf((int(mantissa), int(exponent)))


def _bracketed(f: Callable[[Any], Any], x: Any, direction: int, width: Any = 0) -> Any:
    """The ball [lo, hi] of exact points lo < x < hi around the mpf ``x`` where ``f`` (ball -> ball) has
    certain signs of a root crossing: f(lo) < 0 < f(hi) for ``direction`` = 1 (increasing), f(lo) > 0 > f(hi)
    for -1. Half-widths from the larger of ``width`` and 2^-(prec - ``BRACKET_FIRST_BITS``) |x|, each try
    ``BRACKET_WIDENING`` times wider, up to 2^-(prec - ``BRACKET_LIMIT_BITS``) |x|; :class:`Uncertified`
    where none certifies."""
    prec = mpmath.mp.prec
    widest = abs(x) * mpmath.ldexp(1, -prec + BRACKET_LIMIT_BITS)
    half = max(abs(x) * mpmath.ldexp(1, -prec + BRACKET_FIRST_BITS), width)
    while half <= widest:
        lo, hi = _ball(x - half), _ball(x + half)
        if direction * f(lo) < 0 < direction * f(hi):
            return lo.union(hi)
        half *= BRACKET_WIDENING
    raise Uncertified(f"no sign change certified within 2^-{prec - BRACKET_LIMIT_BITS} of {mpmath.nstr(x, 8)}")


def _enclosed_xi(lam: Any, n: Any, ridge: Any, w: Any, guess: Any) -> Any:
    """xi as a ball [lo, hi] with G(lo) < 0 < G(hi) certain (:class:`BallBackend`); ``n`` a ball."""
    equation = _ball_function("ridge_equation")
    assert equation is not None
    approximate = solve_xi_mp(
        [_midpoint(x) for x in lam], _midpoint(n), _midpoint(ridge), [_midpoint(x) for x in w], guess=guess
    )
    return _bracketed(lambda x: equation(x, n, ridge, lam, weights=w), approximate, 1)


NUMPY = NumpyBackend()
MP = MpBackend()
BALL = BallBackend()
ARB = ArbBackend()
