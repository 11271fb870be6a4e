"""Run-time support of the compiled formulas: the Gaussian tails, reductions and weight conversions that
the generated module :mod:`dctheory._formulas` calls (a leaf: numpy, scipy.special, mpmath and gmpy2 only;
python-flint, the optional "certify" extra, when a ball function is called).

``derivations.build`` prints each formula into functions that call these by name; the generated module
imports them from here, and the build's in-memory evaluators load this file the same way. Hand-written
code uses them too (:func:`numpy_sum` is the row reduction of :mod:`dctheory.engines`), so a sum over
atoms is the same additions everywhere.
"""

from __future__ import annotations

__all__ = [
    "gaussian_tail",
    "numpy_sum",
    "mpmath_gaussian_tail",
    "mpmath_weights",
    "gmpy2_sum",
    "arb_weights",
    "arb_sqrt",
    "arb_power",
    "math_gaussian_tail",
    "math_weights",
    "arb_gaussian_tail",
]

import math
from contextvars import ContextVar
from typing import Any

import gmpy2
import mpmath
import numpy
import scipy.special


def gaussian_tail(x: Any) -> Any:
    """Q(x) = ndtr(-x), elementwise. Q is exactly 0 above 38.5 and 1 below -38.5 (Q(38.5) < 2^-1074): when a
    strided sample says that at least a quarter of a large array lies there, ``ndtr`` is evaluated only on
    the rest (keep-sums of spiked spectra are mostly such tails); otherwise the masks would cost more than
    they save, and ``ndtr`` takes the whole array. Both give the same numbers."""
    x = numpy.asarray(x, dtype=float)
    if x.size < 4096 or 4 * numpy.count_nonzero(numpy.abs(x.ravel()[::16]) >= 38.5) < -(-x.size // 16):
        return scipy.special.ndtr(-x)
    out = (x < 0).astype(float)
    inside = numpy.abs(x) < 38.5
    out[inside] = scipy.special.ndtr(-x[inside])
    out[numpy.isnan(x)] = numpy.nan
    return out


def numpy_sum(terms: Any, weights: Any) -> Any:
    """sum_i weights_i terms_i over the last axis (the summation index). Rows of fewer than 8 terms are
    summed column by column: the same additions in the same order as numpy's per-row sum (sequential below
    8 terms), without its per-row overhead, which dominates for many short rows (a curve over few atoms)."""
    terms = numpy.asarray(terms, dtype=float)
    if weights is not None:
        terms = terms * weights
    if terms.ndim == 2 and 0 < terms.shape[1] < 8:
        if terms.shape[1] == 1:
            return terms[:, 0].copy()
        total = terms[:, 0] + terms[:, 1]
        for k in range(2, terms.shape[1]):
            total += terms[:, k]
        return total
    return terms.sum(axis=-1)


_FLINT: tuple[Any, ...] = ()  # python-flint once looked for: (module,) or (None,)


def mpmath_gaussian_tail(x: Any) -> Any:
    """Q(x) = erfc(x / sqrt(2)) / 2 at the caller's mpmath precision (within about half a unit in the
    last place). With python-flint (the "certify" extra) Arb's erfc, at 10 guard bits plus two per bit
    of |x| (x / sqrt(2) is rounded there, and Q's relative condition number is about x^2): 2-6x
    faster than ``mpmath.ncdf``, the hot call of the 50-digit risks, and accurate for large |x|
    too. Without it, and for 0, infinities, nan and |x| >= 2^1024, ``mpmath.ncdf``."""
    global _FLINT
    if not _FLINT:
        found: Any
        try:
            import flint as found
        except ImportError:
            found = None
        _FLINT = (found,)
    flint = _FLINT[0]
    if not isinstance(x, mpmath.mpf):
        x = mpmath.mpf(x)
    sign, mantissa, exponent, bits = x._mpf_
    if flint is None or not mantissa or exponent + bits > 1024:
        return mpmath.ncdf(-x)
    precision, context = mpmath.mp.prec, flint.ctx
    saved, context.prec = context.prec, precision + 10 + 2 * max(exponent + bits, 0)
    try:
        tail = (flint.arb(x) * flint.arb(2).rsqrt()).erfc()
        finite = tail.is_finite()
        sign, mantissa, exponent, bits = tail.mid()._mpf_
    except (AttributeError, TypeError, ValueError):  # a python-flint without these methods
        _FLINT, finite = (None,), False
    finally:
        context.prec = saved
    if not finite:
        return mpmath.ncdf(-x)
    return mpmath.mp.make_mpf(
        mpmath.libmp.normalize(sign, mantissa, exponent - 1, bits, precision, mpmath.libmp.round_nearest)
    )


def mpmath_weights(weights: Any, length: int) -> list[Any]:
    if weights is None:
        return [mpmath.mpf(1)] * length
    return [mpmath.mpf(w) for w in weights]


def gmpy2_sum(term: Any, length: int, weights: Any) -> Any:
    """gmpy2.fsum of term(i) (times weights[i], zero weights skipped) for i < length."""
    terms = (term(i) for i in range(length))
    if weights is not None:
        terms = (w * t for w, t in zip(weights, terms) if w != 0)
    return gmpy2.fsum(terms)


def arb_weights(weights: Any, length: int) -> list[Any]:
    import flint  # the optional "certify" extra

    if weights is None:
        return [flint.arb(1)] * length
    return [flint.arb(w) for w in weights]


def arb_sqrt(x: Any) -> Any:
    import flint

    return flint.arb(x).sqrt()


def arb_power(x: Any, k: int) -> Any:
    """x^k for an integer k >= 1 by products (binary powering): a ball that contains 0 gives a ball around 0,
    where python-flint's ``x ** k`` (through exp and log) gives NaN."""
    result = None
    while True:
        if k & 1:
            result = x if result is None else result * x
        k >>= 1
        if not k:
            return result
        x = x * x


def math_gaussian_tail(x: float) -> float:
    """Q(x) for a Python float, by ``ndtr``'s formula (cephes, which ``gaussian_tail`` calls): with
    y = -x / sqrt(2), Q = (1 + erf(y)) / 2 where |y| < 1/sqrt(2), else erfc(|y|) / 2 (taken from 1 where
    y > 0). Within a few ulps of ``gaussian_tail`` (both are erf and erfc to about 1 ulp)."""
    y = -x * 0.7071067811865476
    if abs(y) < 0.7071067811865476:
        return 0.5 + 0.5 * math.erf(y)
    tail = 0.5 * math.erfc(abs(y))
    return 1.0 - tail if y > 0 else tail


def math_weights(weights: Any, length: int) -> Any:
    """The weights of a ``math`` reduction: 1 for every term where None."""
    return [1.0] * length if weights is None else weights


def arb_gaussian_tail(x: Any) -> Any:
    """Q(x) = erfc(x / sqrt(2)) / 2 as a ball (Arb's erfc at flint's working precision): it contains Q of
    every point of the ball x. Inside :func:`dctheory.backends.ball_memo`, from a remembered tail at a
    nearby argument where that is accurate to the working precision (:func:`_remembered_tail`)."""
    import flint

    if not isinstance(x, flint.arb):
        x = flint.arb(x)
    memo = TAIL_MEMO.get()
    if memo is not None:
        return _remembered_tail(x, memo)
    return _arb_tail(x)


# Tails remembered inside :func:`dctheory.backends.ball_memo` (the innermost block's, per thread): key (working precision,
# binary exponent of the argument, its leading ``TAIL_KEY_BITS`` bits) -> (argument c, Q(c)), extended to
# (c, Q(c), phi(c), 2 |c|, 2^-(prec - 4) Q(c)) when first continued. Tuples of balls, which the garbage
# collector need not walk.
TAIL_MEMO: ContextVar[dict[tuple[int, int, int], tuple[Any, ...]] | None] = ContextVar("tail_memo", default=None)
TAIL_KEY_BITS = 40
# Most Taylor terms a remembered tail is continued by (arguments that share a key differ by about 2^-40
# relative; a Newton step from a float64 start moves them by about 2^-50, the rounding of equal thresholds
# in two formulas by 2^-prec).
TAIL_TAYLOR_TERMS = 12


def _arb_tail(x: Any) -> Any:
    import flint

    return (x * flint.arb(2).rsqrt()).erfc() / 2


def _remembered_tail(x: Any, memo: dict[tuple[int, int, int], tuple[Any, ...]]) -> Any:
    """Q(x) for the ball x: from the tail remembered at an argument c whose midpoint shares x's leading
    ``TAIL_KEY_BITS`` bits (at the same working precision), continued by Taylor's formula with Lagrange's
    remainder (Q^(k)(y) = (-1)^k He_(k-1)(y) phi(y), the probabilists' Hermite polynomials, from Q' = -phi):
    Q(x) = sum_(k < K) Q^(k)(c) d^k / k! + Q^(K)(xi) d^K / K!, d = x - c, xi between them; the remainder is
    enclosed by evaluating Q^(K) on a ball that contains every such xi, so the result is a ball that contains
    Q of every point of x, like Arb's erfc. K is the first order whose remainder is below 2^-(prec - 4) of Q;
    where none up to ``TAIL_TAYLOR_TERMS`` is, or no argument is remembered, Arb's erfc (then remembered).
    Measured at 55 digits: a continuation by K = 2 costs about 2.5 us, by K = 5 about 7 us; Arb's erfc 4 us at
    |x| ~ 0.5, 8 us at 5, 24 us at 15."""
    import flint

    prec = flint.ctx.prec
    mantissa, exponent = math.frexp(float(x))  # float(x): x's midpoint, rounded
    if not math.isfinite(mantissa) or mantissa == 0:
        return _arb_tail(x)
    key = (prec, exponent, int(mantissa * (1 << TAIL_KEY_BITS)))
    entry = memo.get(key)
    if entry is not None:
        constants = _tail_constants(prec)
        if len(entry) == 2:
            center, value = entry
            inverse_root, tolerance, _, _, half = constants
            density = (-(center * center) * half).exp() * inverse_root
            entry = memo[key] = (center, value, density, abs(center) * 2, value * tolerance)
        near = _continued_tail(x, entry, constants)
        if near is not None:
            value, terms = near
            if terms > 2 and value.rel_accuracy_bits() >= min(prec, x.rel_accuracy_bits() - 16) - 8:
                # x is far from c (a Newton step away): the next argument (the root, the same threshold in
                # another formula) is likely nearer to x, so continue from x then (when Q(x) is about as
                # accurate as x allows: an exact x, or a ball of a computation in balls throughout)
                memo[key] = (x, value)
            return value
    value = _arb_tail(x)
    memo[key] = (x, value)
    return value


def _tail_constants(prec: int) -> tuple[Any, ...]:
    """1/sqrt(2 pi), 2^(4 - prec), the interval [0, 1], 1 and 1/2 as balls at ``prec`` bits (once each)."""
    constants = _TAIL_CONSTANTS.get(prec)
    if constants is None:
        import flint

        constants = _TAIL_CONSTANTS[prec] = (
            (2 * flint.arb.pi()).rsqrt(),
            flint.arb(2) ** (4 - prec),
            flint.arb(0.5, 0.5),
            flint.arb(1),
            flint.arb(0.5),
        )
    return constants


_TAIL_CONSTANTS: dict[int, tuple[Any, ...]] = {}


def _continued_tail(x: Any, entry: tuple[Any, ...], constants: tuple[Any, ...]) -> tuple[Any, int] | None:
    """Q(x) from ``entry`` = (c, Q(c), phi(c), 2 |c|, 2^-(prec - 4) Q(c)) by Taylor's formula
    (:func:`_remembered_tail`), and the order K it took; None where ``TAIL_TAYLOR_TERMS`` terms do not reach
    2^-(prec - 4) of Q, or x is far from c.

    For points y of x and c of the ball c, the remainder's xi = c + theta (y - c), 0 <= theta <= 1, lies in
    the ball H = c + [0, 1] d; phi(xi) = phi(c) exp(-(xi - c)(xi + c) / 2) <= phi(c) (1 + 2 w) for
    w = |d| (|d| + 2 |c|) / 2 <= 1 (e^w <= 1 + 2w there), and phi > 0: an enclosure without an exponential."""
    _, _, unit, one, half = constants
    center, value, density, twice, limit = entry
    d = x - center
    size = abs(d)
    w = size * (size + twice) * half
    if not w < one:
        return None
    hull_density = density * (one + w + w) * unit  # [0, phi(c) (1 + 2 w)]
    # K = 1: Q(x) = Q(c) - phi(xi) d
    remainder = hull_density * d
    if -limit < remainder < limit:
        return value - remainder, 1
    total = value - density * d
    # K = 2: + Q''(xi) d^2 / 2 = xi phi(xi) d^2 / 2
    hull = center + d * unit
    power = d * d * half
    remainder = hull * hull_density * power
    if -limit < remainder < limit:
        return total + remainder, 2
    total = total + center * density * power
    # K >= 3, with He_(k-1) and He_(k-2) at c and on H (He_1 = y, He_2 = y^2 - 1)
    at_center, before_center, on_hull, before_hull = center * center - one, center, hull * hull - one, hull
    for k in range(3, TAIL_TAYLOR_TERMS + 1):
        power = power * d / k  # d^k / k!
        remainder = on_hull * hull_density * power
        if -limit < remainder < limit:
            return (total - remainder if k % 2 else total + remainder), k
        term = at_center * density * power
        total = total - term if k % 2 else total + term
        at_center, before_center = center * at_center - (k - 1) * before_center, at_center
        on_hull, before_hull = hull * on_hull - (k - 1) * before_hull, on_hull
    return None
