r"""Certified enclosures of xi, tau^2 and the dense risk (python-flint Arb balls).

For a diagonal Sigma and a feature set D, :func:`certify` returns intervals
[lo, hi] that are *guaranteed* to contain the exact values of the finite-size
equations of docs/theory.md#finite-size, for the inputs read as the exact decimals
they are written as (``0.1`` is 1/10, not the nearest binary double):

* xi is the root of the ``ridge_equation`` (ridge = 0: the ridgeless
  ``xi_equation``) ``G(xi) = sum_i xi lam_i / (1 + xi lam_i) + n ridge xi - n``.
  G is strictly increasing in xi > 0, so two exact dyadic points lo < hi with
  ``G(lo) < 0 < G(hi)`` *certified in ball arithmetic* enclose the unique root.
  The points come from an approximate (mpmath) root, widened until both signs
  are certain, then tightened by exact-midpoint bisection.
* tau^2 (compiled ``tau2``, docs/theory.md#finite-size) is evaluated in ball
  arithmetic on the ball [lo, hi]; it contains tau^2(xi) because xi does.
  The dense risk equals tau^2 (overparameterized or ridge). With a ridge, n in both is the ridge's sample size
  n_lambda (compiled ``ridge_sample_size``), enclosed from the enclosure of the root of G with n.
* Ridgeless with rank(Sigma_DD) < n - 1 (underparameterized): no xi; the
  dense risk is the closed form ``underparameterized_risk``
  ``sigma_D^2 (n - 1)/(n - m - 1)``, enclosed directly.

sigma_D^2 = sigma^2 + sum_{i not in D} lam_i beta_i^2 (docs/theory.md#notation) is the kernel's
``effective_noise`` evaluated in ball arithmetic on the exact decimal inputs: a sum, never a difference.

Needs the optional ``certify`` extra (python-flint).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
from numpy.typing import ArrayLike

from dctheory import kernel
from dctheory._compiled import compiled
from dctheory.backends import ARB
from dctheory.checks import check_dps, check_n_ridge
from dctheory.errors import ConfigError, PrecisionError, RegimeError
from dctheory.problems import LGP
from dctheory.results import Certificate
from dctheory.solvers import UNDER, regime, solve_xi_mp, undefined_message

__all__ = ["Interval", "Certificate", "certify"]


def _flint() -> Any:
    try:
        import flint
    except ImportError:  # pragma: no cover - depends on the environment
        raise ConfigError("certification needs python-flint: pip install 'dctheory[certify]'") from None
    return flint


def _fraction(value: object) -> Fraction:
    """The exact rational value of a decimal string, int, Decimal, float, mpmath mpf or exact arb point."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, mpmath.mpf):
        sign, man, exp, _ = value._mpf_  # (-1)^sign man 2^exp; man_exp drops the sign
        if not man and value != 0:
            raise ValueError(f"{value} is not a finite number")
        exact: Fraction = (-1) ** sign * Fraction(int(man)) * Fraction(2) ** int(exp)
        return exact
    if isinstance(value, (str, Decimal, int)):
        return Fraction(Decimal(value))
    if isinstance(value, (float, np.floating)):
        return Fraction(float(value))
    flint = _flint()
    if isinstance(value, flint.arb):
        if value.rad() != 0:
            raise ValueError(f"{value} is a ball, not an exact point")
        man, exp = value.mid().man_exp()
        point: Fraction = Fraction(int(man)) * Fraction(2) ** int(exp)
        return point
    raise TypeError(f"cannot read {value!r} as an exact number")


def _arb(value: Fraction) -> Any:
    """A ball containing the rational ``value`` (exact when it is dyadic and fits the precision)."""
    flint = _flint()
    return flint.arb(flint.fmpq(value.numerator, value.denominator))


def _bound(value: Fraction, digits: int, rounding: str) -> Decimal:
    with localcontext() as context:
        context.prec, context.rounding = digits, rounding
        return Decimal(value.numerator) / Decimal(value.denominator)


@dataclass(frozen=True)
class Interval:
    """A closed interval [lo, hi] with exact rational endpoints, guaranteed to contain a true value."""

    lo: Fraction
    hi: Fraction

    def contains(self, value: object) -> bool:
        """Whether the exact value of ``value`` (mpf, decimal string, float, ...) lies in [lo, hi]."""
        x = _fraction(value)
        return self.lo <= x <= self.hi

    @property
    def width(self) -> float:
        return float(self.hi - self.lo)

    @property
    def relative_width(self) -> float:
        scale = max(abs(self.lo), abs(self.hi))
        return float((self.hi - self.lo) / scale) if scale else 0.0

    def bounds(self, digits: int = 20) -> tuple[str, str]:
        """(lo, hi) as decimal strings with ``digits`` significant digits, rounded outward."""
        return str(_bound(self.lo, digits, ROUND_FLOOR)), str(_bound(self.hi, digits, ROUND_CEILING))

    def format(self, digits: int = 20) -> str:
        lo, hi = self.bounds(digits)
        return f"[{lo}, {hi}]"

    def __repr__(self) -> str:
        return f"Interval{self.format()}"  # decimal bounds (20 digits, rounded outward), not raw fractions


def _interval(ball: Any) -> Interval:
    return Interval(_fraction(ball.lower()), _fraction(ball.upper()))


def _exact_inputs(
    problem: LGP, features: np.ndarray
) -> tuple[list[Fraction], list[Fraction], tuple[list[Fraction], list[Fraction], Fraction, list[int]]]:
    """(lam_D, beta_D) as exact rationals and, for the effective noise, every (lam_i, beta_i), sigma and the
    dropped mask (docs/theory.md#notation, diagonal Sigma)."""
    if not problem.is_diagonal:
        raise ConfigError("certification needs a diagonal covariance (eigenvalues given as decimals)")
    lam = [_fraction(x) for x in problem.decimal("eigenvalues")]
    beta = [_fraction(x) for x in problem.decimal("beta")]
    dropped = np.ones(problem.P, dtype=int)
    dropped[features] = 0
    return (
        [lam[i] for i in features],
        [beta[i] for i in features],
        (lam, beta, _fraction(problem.decimal("sigma")), dropped.tolist()),
    )


def certify(
    problem: LGP, n: int, m: int | ArrayLike | None = None, ridge: float = 0.0, *, dps: int = 30
) -> Certificate:
    """Guaranteed enclosures of xi, tau^2 and the dense risk when training on D.

    Args:
        problem: an LGP with diagonal Sigma.
        n: samples (>= 2).
        m: the first m features, or an index array D (default: all P).
        ridge: ridge strength >= 0, read as the decimal it prints as.
        dps: target decimal digits; the working precision is
            ``ceil(dps log2 10) + 32`` bits, so the enclosures are about 10^-dps
            wide (relative) for well-conditioned inputs.

    Returns:
        :class:`Certificate` with :class:`Interval` fields.

    Raises:
        ConfigError: bad arguments, a full covariance, python-flint missing.
        RegimeError: ridgeless with rank(Sigma_DD) in [n - 1, n].
        PrecisionError: the signs of G could not be certified at this precision.
    """
    flint = _flint()
    if not isinstance(problem, LGP):
        raise ConfigError(f"problem must be a dctheory.LGP, got {type(problem).__name__}")
    n, ridge = check_n_ridge(n, ridge)
    dps = check_dps(dps)
    features = problem.features(problem.P if m is None else m)
    lam, beta, noise_inputs = _exact_inputs(problem, features)
    ridge_q = _fraction(repr(float(ridge)))
    rank = sum(1 for x in lam if x > 0)
    found = regime(np.array(rank), n, ridge)[()]
    if found is None:
        raise RegimeError(undefined_message(rank, n))
    kind = str(found)
    prec = math.ceil(dps * math.log2(10)) + 32
    with flint.ctx.workprec(prec):
        lam_all, beta_all, sigma, dropped = noise_inputs
        sigma2_D = kernel.effective_noise(
            ARB, _arb(sigma), [_arb(x) for x in lam_all], [_arb(x) for x in beta_all], dropped
        )
        sigma_D = sigma2_D.sqrt()
        if kind == UNDER:
            dense = compiled("underparameterized_risk", "arb")(sigma_D, n, rank)
            return Certificate(n, features.size, ridge, kind, prec, None, None, _interval(dense))
        lam_b = [_arb(x) for x in lam]
        ridge_b = _arb(ridge_q)
        lo, hi = _bracket(lam, lam_b, n, ridge_q, ridge_b, prec)
        size: Any = n
        if ridge_q > 0:
            # The ridge's sample size n_lambda (an enclosure, from xi of the equation with n), then xi again with it.
            size = compiled("ridge_sample_size", "arb")(lo.union(hi), n, ridge_b, _arb(Fraction(rank)), lam_b)
            lo, hi = _bracket(lam, lam_b, size, ridge_q, ridge_b, prec)
        xi = lo.union(hi)
        value = compiled("tau2", "arb")(xi, size, ridge_b, sigma_D, lam_b, [_arb(x) for x in beta])
        if not value.is_finite():
            raise PrecisionError(f"tau^2 could not be enclosed at {prec} bits; raise dps")
        certified = _interval(value)
        return Certificate(
            n, features.size, ridge, kind, prec, Interval(_fraction(lo), _fraction(hi)), certified, certified
        )


def _bracket(
    lam: list[Fraction], lam_b: list[Any], n: Any, ridge_q: Fraction, ridge_b: Any, prec: int
) -> tuple[Any, Any]:
    """Exact points lo < hi with G(lo) < 0 < G(hi) certified (G the ridge equation, increasing); ``n`` an
    integer or a ball (the ridge's n_lambda)."""
    flint = _flint()
    equation = compiled("ridge_equation", "arb")

    def sign(point: Any) -> int:
        value = equation(point, n, ridge_b, lam_b)
        return -1 if value < 0 else (1 if value > 0 else 0)

    with mpmath.workprec(prec + 20):
        # A ball's midpoint (prec bits), exactly at this precision.
        n_mp: Any = n if isinstance(n, int) else mpmath.mpf(tuple(int(x) for x in n.mid().man_exp()))
        approximate = solve_xi_mp(
            [mpmath.mpf(x.numerator) / x.denominator for x in lam],
            n_mp,
            mpmath.mpf(ridge_q.numerator) / ridge_q.denominator,
        )
    center = flint.arb(flint.fmpq(*_fraction(approximate).as_integer_ratio())).mid()
    delta = center * flint.arb(2) ** (-(prec - 16))
    for _ in range(40):
        lo, hi = (center - delta).mid(), (center + delta).mid()
        if lo > 0 and sign(lo) < 0 and sign(hi) > 0:
            break
        delta = delta * 16
    else:
        raise PrecisionError(
            f"could not certify the sign of the xi equation around {mpmath.nstr(approximate, 10)} "
            f"at {prec} bits; raise dps"
        )
    # Tighten by bisection at exact dyadic midpoints while the sign stays certain.
    for _ in range(8):
        middle = ((lo + hi) / 2).mid()
        s = sign(middle)
        if s < 0:
            lo = middle
        elif s > 0:
            hi = middle
        else:
            break
    return lo, hi
