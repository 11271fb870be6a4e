# generated from derivations/, do not edit (regenerate with `python -m derivations.build`)
"""Every formula registered in ``derivations``, compiled ahead of time by ``derivations.build``.

For each formula NAME: ``NAME_numpy`` (float64, broadcasting), ``NAME_mpmath``
(the caller's ``mpmath.mp`` precision) and, where the formula allows it,
``NAME_gmpy2`` (MPFR), ``NAME_arb`` (python-flint balls) and ``NAME_math``
(Python floats, one coordinate at a time). Indexed arguments
are arrays (numpy: the last axis) or sequences over the summation index; the
keyword ``weights`` multiplies every summand before the reduction.
``FORMULAS[NAME]`` holds the metadata, the functions and, for each backend that
the formula has no function for, the reason. Read it through
``dctheory._compiled.compiled(name, backend)``.

Every argument and result is typed ``Any``: one formula's functions take and return numpy arrays,
mpmath numbers, MPFR numbers, Arb balls or Python floats, one kind per backend.
"""

import math
from typing import Any

import gmpy2
import mpmath
import numpy
import scipy.special

from dctheory.formula_runtime import (
    gaussian_tail as _gaussian_tail,
    numpy_sum as _numpy_sum,
    mpmath_gaussian_tail as _mpmath_gaussian_tail,
    mpmath_weights as _mpmath_weights,
    gmpy2_sum as _gmpy2_sum,
    arb_weights as _arb_weights,
    arb_sqrt as _arb_sqrt,
    arb_power as _arb_power,
    math_gaussian_tail as _math_gaussian_tail,
    math_weights as _math_weights,
    arb_gaussian_tail as _arb_gaussian_tail,
)


# -- shrinkage: Per-coordinate shrinkage factor a_i


def shrinkage_numpy(xi: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""Per-coordinate shrinkage factor a_i (numpy; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, lambda_i.
    Assumptions: \xi > 0,\ \lambda_i \ge 0;\ \text{then } 0 \le a_i < 1."""
    xi = numpy.asarray(xi, dtype=float)
    lambda_i = numpy.asarray(lambda_i, dtype=float)
    return lambda_i*xi/(lambda_i*xi + 1)


def shrinkage_mpmath(xi: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""Per-coordinate shrinkage factor a_i (mpmath; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, lambda_i.
    Assumptions: \xi > 0,\ \lambda_i \ge 0;\ \text{then } 0 \le a_i < 1."""
    return lambda_i*xi/(lambda_i*xi + 1)


def shrinkage_gmpy2(xi: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""Per-coordinate shrinkage factor a_i (gmpy2; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, lambda_i.
    Assumptions: \xi > 0,\ \lambda_i \ge 0;\ \text{then } 0 \le a_i < 1."""
    return lambda_i*xi/(lambda_i*xi + 1)


def shrinkage_arb(xi: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""Per-coordinate shrinkage factor a_i (arb; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, lambda_i.
    Assumptions: \xi > 0,\ \lambda_i \ge 0;\ \text{then } 0 \le a_i < 1."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    lambda_i = flint.arb(lambda_i)
    return lambda_i*xi/(lambda_i*xi + 1)


def shrinkage_math(xi: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""Per-coordinate shrinkage factor a_i (math; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, lambda_i.
    Assumptions: \xi > 0,\ \lambda_i \ge 0;\ \text{then } 0 \le a_i < 1."""
    return lambda_i*xi/(lambda_i*xi + 1)


# -- shrinkage_log_derivative: d a_i / d log xi (for Newton steps on the xi equation)


def shrinkage_log_derivative_numpy(xi: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""d a_i / d log xi (for Newton steps on the xi equation) (numpy; docs/theory.md#finite-size; this project).

    Arguments: xi, lambda_i.
    Assumptions: \xi > 0,\ \lambda_i \ge 0."""
    xi = numpy.asarray(xi, dtype=float)
    lambda_i = numpy.asarray(lambda_i, dtype=float)
    return lambda_i*xi/(lambda_i*xi + 1)**2


def shrinkage_log_derivative_mpmath(xi: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""d a_i / d log xi (for Newton steps on the xi equation) (mpmath; docs/theory.md#finite-size; this project).

    Arguments: xi, lambda_i.
    Assumptions: \xi > 0,\ \lambda_i \ge 0."""
    return lambda_i*xi/(lambda_i*xi + 1)**2


def shrinkage_log_derivative_gmpy2(xi: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""d a_i / d log xi (for Newton steps on the xi equation) (gmpy2; docs/theory.md#finite-size; this project).

    Arguments: xi, lambda_i.
    Assumptions: \xi > 0,\ \lambda_i \ge 0."""
    return lambda_i*xi/(lambda_i*xi + 1)**2


def shrinkage_log_derivative_arb(xi: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""d a_i / d log xi (for Newton steps on the xi equation) (arb; docs/theory.md#finite-size; this project).

    Arguments: xi, lambda_i.
    Assumptions: \xi > 0,\ \lambda_i \ge 0."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    lambda_i = flint.arb(lambda_i)
    return lambda_i*xi/_arb_power(lambda_i*xi + 1, 2)


def shrinkage_log_derivative_math(xi: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""d a_i / d log xi (for Newton steps on the xi equation) (math; docs/theory.md#finite-size; this project).

    Arguments: xi, lambda_i.
    Assumptions: \xi > 0,\ \lambda_i \ge 0."""
    return lambda_i*xi/(lambda_i*xi + 1)**2


# -- shrinkage_complement: 1 - a_i, the part of a coordinate that min-norm does not recover


def shrinkage_complement_numpy(xi: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""1 - a_i, the part of a coordinate that min-norm does not recover (numpy; docs/theory.md#finite-size; this project).

    Arguments: xi, lambda_i.
    Assumptions: \xi > 0,\ \lambda_i \ge 0."""
    xi = numpy.asarray(xi, dtype=float)
    lambda_i = numpy.asarray(lambda_i, dtype=float)
    return (lambda_i*xi + 1)**(-1.0)


def shrinkage_complement_mpmath(xi: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""1 - a_i, the part of a coordinate that min-norm does not recover (mpmath; docs/theory.md#finite-size; this project).

    Arguments: xi, lambda_i.
    Assumptions: \xi > 0,\ \lambda_i \ge 0."""
    return 1/(lambda_i*xi + 1)


def shrinkage_complement_gmpy2(xi: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""1 - a_i, the part of a coordinate that min-norm does not recover (gmpy2; docs/theory.md#finite-size; this project).

    Arguments: xi, lambda_i.
    Assumptions: \xi > 0,\ \lambda_i \ge 0."""
    return 1/(lambda_i*xi + 1)


def shrinkage_complement_arb(xi: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""1 - a_i, the part of a coordinate that min-norm does not recover (arb; docs/theory.md#finite-size; this project).

    Arguments: xi, lambda_i.
    Assumptions: \xi > 0,\ \lambda_i \ge 0."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    lambda_i = flint.arb(lambda_i)
    return 1/(lambda_i*xi + 1)


def shrinkage_complement_math(xi: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""1 - a_i, the part of a coordinate that min-norm does not recover (math; docs/theory.md#finite-size; this project).

    Arguments: xi, lambda_i.
    Assumptions: \xi > 0,\ \lambda_i \ge 0."""
    return 1/(lambda_i*xi + 1)


# -- xi_equation: Equation for xi, ridgeless overparameterized (root F(xi) = 0)


def xi_equation_numpy(xi: Any, n: Any, lambda_: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi, ridgeless overparameterized (root F(xi) = 0) (numpy; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, n, lambda.
    Assumptions: m > n,\ \lambda_r = 0;\ F \text{ increases from } -n \text{ to } \operatorname{rank}\Sigma_{DD} - n\text{, so a unique root } \xi > 0 \text{ exists iff } \operatorname{rank}\Sigma_{DD} > n."""
    xi = numpy.asarray(xi, dtype=float)
    n = numpy.asarray(n, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    xi_i = xi[..., None]
    _sum0 = _numpy_sum(lambda_*xi_i/(lambda_*xi_i + 1), weights)
    return _sum0 - n


def xi_equation_mpmath(xi: Any, n: Any, lambda_: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi, ridgeless overparameterized (root F(xi) = 0) (mpmath; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, n, lambda.
    Assumptions: m > n,\ \lambda_r = 0;\ F \text{ increases from } -n \text{ to } \operatorname{rank}\Sigma_{DD} - n\text{, so a unique root } \xi > 0 \text{ exists iff } \operatorname{rank}\Sigma_{DD} > n."""
    xi = mpmath.mpf(xi)
    n = mpmath.mpf(n)
    lambda_ = [mpmath.mpf(x) for x in lambda_]
    _length = len(lambda_)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (lambda_[_i]*xi/(lambda_[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0)
    return _sum0 - n


def xi_equation_gmpy2(xi: Any, n: Any, lambda_: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi, ridgeless overparameterized (root F(xi) = 0) (gmpy2; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, n, lambda.
    Assumptions: m > n,\ \lambda_r = 0;\ F \text{ increases from } -n \text{ to } \operatorname{rank}\Sigma_{DD} - n\text{, so a unique root } \xi > 0 \text{ exists iff } \operatorname{rank}\Sigma_{DD} > n."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: lambda_[_i]*xi/(lambda_[_i]*xi + 1), _length, weights)
    return _sum0 - n


def xi_equation_arb(xi: Any, n: Any, lambda_: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi, ridgeless overparameterized (root F(xi) = 0) (arb; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, n, lambda.
    Assumptions: m > n,\ \lambda_r = 0;\ F \text{ increases from } -n \text{ to } \operatorname{rank}\Sigma_{DD} - n\text{, so a unique root } \xi > 0 \text{ exists iff } \operatorname{rank}\Sigma_{DD} > n."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    n = flint.arb(n)
    lambda_ = [flint.arb(x) for x in lambda_]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (lambda_[_i]*xi/(lambda_[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 - n


def xi_equation_math(xi: Any, n: Any, lambda_: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi, ridgeless overparameterized (root F(xi) = 0) (math; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, n, lambda.
    Assumptions: m > n,\ \lambda_r = 0;\ F \text{ increases from } -n \text{ to } \operatorname{rank}\Sigma_{DD} - n\text{, so a unique root } \xi > 0 \text{ exists iff } \operatorname{rank}\Sigma_{DD} > n."""
    _length = len(lambda_)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (lambda_[_i]*xi/(lambda_[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0])
    return _sum0 - n


# -- ridge_equation: Equation for xi with ridge lambda_r > 0 (any m/n)


def ridge_equation_numpy(xi: Any, n: Any, lambda_r: Any, lambda_: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi with ridge lambda_r > 0 (any m/n) (numpy; docs/theory.md#finite-size; this project (the standard deterministic equivalent of ridge regression)).

    Arguments: xi, n, lambda_r, lambda.
    Assumptions: \lambda_r > 0;\ G \text{ increases from } -n \ (\xi \to 0) \text{ to } +\infty\text{, so the root } \xi > 0 \text{ is unique}."""
    xi = numpy.asarray(xi, dtype=float)
    n = numpy.asarray(n, dtype=float)
    lambda_r = numpy.asarray(lambda_r, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    xi_i = xi[..., None]
    _sum0 = _numpy_sum(lambda_*xi_i/(lambda_*xi_i + 1), weights)
    return _sum0 + lambda_r*n*xi - n


def ridge_equation_mpmath(xi: Any, n: Any, lambda_r: Any, lambda_: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi with ridge lambda_r > 0 (any m/n) (mpmath; docs/theory.md#finite-size; this project (the standard deterministic equivalent of ridge regression)).

    Arguments: xi, n, lambda_r, lambda.
    Assumptions: \lambda_r > 0;\ G \text{ increases from } -n \ (\xi \to 0) \text{ to } +\infty\text{, so the root } \xi > 0 \text{ is unique}."""
    xi = mpmath.mpf(xi)
    n = mpmath.mpf(n)
    lambda_r = mpmath.mpf(lambda_r)
    lambda_ = [mpmath.mpf(x) for x in lambda_]
    _length = len(lambda_)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (lambda_[_i]*xi/(lambda_[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0)
    return _sum0 + lambda_r*n*xi - n


def ridge_equation_gmpy2(xi: Any, n: Any, lambda_r: Any, lambda_: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi with ridge lambda_r > 0 (any m/n) (gmpy2; docs/theory.md#finite-size; this project (the standard deterministic equivalent of ridge regression)).

    Arguments: xi, n, lambda_r, lambda.
    Assumptions: \lambda_r > 0;\ G \text{ increases from } -n \ (\xi \to 0) \text{ to } +\infty\text{, so the root } \xi > 0 \text{ is unique}."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: lambda_[_i]*xi/(lambda_[_i]*xi + 1), _length, weights)
    return _sum0 + lambda_r*n*xi - n


def ridge_equation_arb(xi: Any, n: Any, lambda_r: Any, lambda_: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi with ridge lambda_r > 0 (any m/n) (arb; docs/theory.md#finite-size; this project (the standard deterministic equivalent of ridge regression)).

    Arguments: xi, n, lambda_r, lambda.
    Assumptions: \lambda_r > 0;\ G \text{ increases from } -n \ (\xi \to 0) \text{ to } +\infty\text{, so the root } \xi > 0 \text{ is unique}."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    n = flint.arb(n)
    lambda_r = flint.arb(lambda_r)
    lambda_ = [flint.arb(x) for x in lambda_]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (lambda_[_i]*xi/(lambda_[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 + lambda_r*n*xi - n


def ridge_equation_math(xi: Any, n: Any, lambda_r: Any, lambda_: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi with ridge lambda_r > 0 (any m/n) (math; docs/theory.md#finite-size; this project (the standard deterministic equivalent of ridge regression)).

    Arguments: xi, n, lambda_r, lambda.
    Assumptions: \lambda_r > 0;\ G \text{ increases from } -n \ (\xi \to 0) \text{ to } +\infty\text{, so the root } \xi > 0 \text{ is unique}."""
    _length = len(lambda_)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (lambda_[_i]*xi/(lambda_[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0])
    return _sum0 + lambda_r*n*xi - n


# -- tau2: Dense-risk parameter tau^2 (cancellation-free denominator)


def tau2_numpy(xi: Any, n: Any, lambda_r: Any, sigma_D: Any, lambda_: Any, b: Any, /, *, weights: Any = None) -> Any:
    r"""Dense-risk parameter tau^2 (cancellation-free denominator) (numpy; docs/theory.md#finite-size; this project (equal to Def. 4's $\tau^2$ at the root)).

    Arguments: xi, n, lambda_r, sigma_D, lambda, b.
    Assumptions: \xi \text{ is the root of } F \ (\lambda_r = 0) \text{ or of } G \ (\lambda_r > 0)."""
    xi = numpy.asarray(xi, dtype=float)
    n = numpy.asarray(n, dtype=float)
    lambda_r = numpy.asarray(lambda_r, dtype=float)
    sigma_D = numpy.asarray(sigma_D, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    b = numpy.asarray(b, dtype=float)
    xi_i = xi[..., None]
    _sum0 = _numpy_sum(lambda_*xi_i/(lambda_*xi_i + 1)**2, weights)
    _sum1 = _numpy_sum(b**2*lambda_/(lambda_*xi_i + 1)**2, weights)
    return (_sum1 + sigma_D**2)/(_sum0/n + lambda_r*xi)


def tau2_mpmath(xi: Any, n: Any, lambda_r: Any, sigma_D: Any, lambda_: Any, b: Any, /, *, weights: Any = None) -> Any:
    r"""Dense-risk parameter tau^2 (cancellation-free denominator) (mpmath; docs/theory.md#finite-size; this project (equal to Def. 4's $\tau^2$ at the root)).

    Arguments: xi, n, lambda_r, sigma_D, lambda, b.
    Assumptions: \xi \text{ is the root of } F \ (\lambda_r = 0) \text{ or of } G \ (\lambda_r > 0)."""
    xi = mpmath.mpf(xi)
    n = mpmath.mpf(n)
    lambda_r = mpmath.mpf(lambda_r)
    sigma_D = mpmath.mpf(sigma_D)
    lambda_ = [mpmath.mpf(x) for x in lambda_]
    b = [mpmath.mpf(x) for x in b]
    _length = len(lambda_)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (lambda_[_i]*xi/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0)
    _sum1 = mpmath.fsum(_w[_i] * (b[_i]**2*lambda_[_i]/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0)
    return (_sum1 + sigma_D**2)/(_sum0/n + lambda_r*xi)


def tau2_gmpy2(xi: Any, n: Any, lambda_r: Any, sigma_D: Any, lambda_: Any, b: Any, /, *, weights: Any = None) -> Any:
    r"""Dense-risk parameter tau^2 (cancellation-free denominator) (gmpy2; docs/theory.md#finite-size; this project (equal to Def. 4's $\tau^2$ at the root)).

    Arguments: xi, n, lambda_r, sigma_D, lambda, b.
    Assumptions: \xi \text{ is the root of } F \ (\lambda_r = 0) \text{ or of } G \ (\lambda_r > 0)."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: lambda_[_i]*xi/(lambda_[_i]*xi + 1)**2, _length, weights)
    _sum1 = _gmpy2_sum(lambda _i: b[_i]**2*lambda_[_i]/(lambda_[_i]*xi + 1)**2, _length, weights)
    return (_sum1 + sigma_D**2)/(_sum0/n + lambda_r*xi)


def tau2_arb(xi: Any, n: Any, lambda_r: Any, sigma_D: Any, lambda_: Any, b: Any, /, *, weights: Any = None) -> Any:
    r"""Dense-risk parameter tau^2 (cancellation-free denominator) (arb; docs/theory.md#finite-size; this project (equal to Def. 4's $\tau^2$ at the root)).

    Arguments: xi, n, lambda_r, sigma_D, lambda, b.
    Assumptions: \xi \text{ is the root of } F \ (\lambda_r = 0) \text{ or of } G \ (\lambda_r > 0)."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    n = flint.arb(n)
    lambda_r = flint.arb(lambda_r)
    sigma_D = flint.arb(sigma_D)
    lambda_ = [flint.arb(x) for x in lambda_]
    b = [flint.arb(x) for x in b]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (lambda_[_i]*xi/_arb_power(lambda_[_i]*xi + 1, 2)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    _sum1 = sum((_w[_i] * (_arb_power(b[_i], 2)*lambda_[_i]/_arb_power(lambda_[_i]*xi + 1, 2)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return (_sum1 + _arb_power(sigma_D, 2))/(_sum0/n + lambda_r*xi)


def tau2_math(xi: Any, n: Any, lambda_r: Any, sigma_D: Any, lambda_: Any, b: Any, /, *, weights: Any = None) -> Any:
    r"""Dense-risk parameter tau^2 (cancellation-free denominator) (math; docs/theory.md#finite-size; this project (equal to Def. 4's $\tau^2$ at the root)).

    Arguments: xi, n, lambda_r, sigma_D, lambda, b.
    Assumptions: \xi \text{ is the root of } F \ (\lambda_r = 0) \text{ or of } G \ (\lambda_r > 0)."""
    _length = len(lambda_)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (lambda_[_i]*xi/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0])
    _sum1 = sum([_w[_i] * (b[_i]**2*lambda_[_i]/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0])
    return (_sum1 + sigma_D**2)/(_sum0/n + lambda_r*xi)


# -- tau2_stated: tau^2 as the paper writes it


def tau2_stated_numpy(xi: Any, n: Any, sigma_D: Any, lambda_: Any, b: Any, /, *, weights: Any = None) -> Any:
    r"""tau^2 as the paper writes it (numpy; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, n, sigma_D, lambda, b.
    Assumptions: m > n,\ \xi \text{ is the root of } F;\ \text{the denominator lies in } (0, 1)."""
    xi = numpy.asarray(xi, dtype=float)
    n = numpy.asarray(n, dtype=float)
    sigma_D = numpy.asarray(sigma_D, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    b = numpy.asarray(b, dtype=float)
    xi_i = xi[..., None]
    _sum0 = _numpy_sum(lambda_**2*xi_i**2/(lambda_*xi_i + 1)**2, weights)
    _sum1 = _numpy_sum(b**2*lambda_/(lambda_*xi_i + 1)**2, weights)
    return (_sum1 + sigma_D**2)/(-_sum0/n + 1)


def tau2_stated_mpmath(xi: Any, n: Any, sigma_D: Any, lambda_: Any, b: Any, /, *, weights: Any = None) -> Any:
    r"""tau^2 as the paper writes it (mpmath; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, n, sigma_D, lambda, b.
    Assumptions: m > n,\ \xi \text{ is the root of } F;\ \text{the denominator lies in } (0, 1)."""
    xi = mpmath.mpf(xi)
    n = mpmath.mpf(n)
    sigma_D = mpmath.mpf(sigma_D)
    lambda_ = [mpmath.mpf(x) for x in lambda_]
    b = [mpmath.mpf(x) for x in b]
    _length = len(lambda_)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (lambda_[_i]**2*xi**2/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0)
    _sum1 = mpmath.fsum(_w[_i] * (b[_i]**2*lambda_[_i]/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0)
    return (_sum1 + sigma_D**2)/(-_sum0/n + 1)


def tau2_stated_gmpy2(xi: Any, n: Any, sigma_D: Any, lambda_: Any, b: Any, /, *, weights: Any = None) -> Any:
    r"""tau^2 as the paper writes it (gmpy2; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, n, sigma_D, lambda, b.
    Assumptions: m > n,\ \xi \text{ is the root of } F;\ \text{the denominator lies in } (0, 1)."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: lambda_[_i]**2*xi**2/(lambda_[_i]*xi + 1)**2, _length, weights)
    _sum1 = _gmpy2_sum(lambda _i: b[_i]**2*lambda_[_i]/(lambda_[_i]*xi + 1)**2, _length, weights)
    return (_sum1 + sigma_D**2)/(-_sum0/n + 1)


def tau2_stated_arb(xi: Any, n: Any, sigma_D: Any, lambda_: Any, b: Any, /, *, weights: Any = None) -> Any:
    r"""tau^2 as the paper writes it (arb; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, n, sigma_D, lambda, b.
    Assumptions: m > n,\ \xi \text{ is the root of } F;\ \text{the denominator lies in } (0, 1)."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    n = flint.arb(n)
    sigma_D = flint.arb(sigma_D)
    lambda_ = [flint.arb(x) for x in lambda_]
    b = [flint.arb(x) for x in b]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (_arb_power(lambda_[_i], 2)*_arb_power(xi, 2)/_arb_power(lambda_[_i]*xi + 1, 2)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    _sum1 = sum((_w[_i] * (_arb_power(b[_i], 2)*lambda_[_i]/_arb_power(lambda_[_i]*xi + 1, 2)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return (_sum1 + _arb_power(sigma_D, 2))/(-_sum0/n + 1)


def tau2_stated_math(xi: Any, n: Any, sigma_D: Any, lambda_: Any, b: Any, /, *, weights: Any = None) -> Any:
    r"""tau^2 as the paper writes it (math; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, n, sigma_D, lambda, b.
    Assumptions: m > n,\ \xi \text{ is the root of } F;\ \text{the denominator lies in } (0, 1)."""
    _length = len(lambda_)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (lambda_[_i]**2*xi**2/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0])
    _sum1 = sum([_w[_i] * (b[_i]**2*lambda_[_i]/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0])
    return (_sum1 + sigma_D**2)/(-_sum0/n + 1)


# -- coordinate_mean: Mean of a min-norm coordinate in the eigenbasis


def coordinate_mean_numpy(xi: Any, lambda_i: Any, b_i: Any, /, *, weights: Any = None) -> Any:
    r"""Mean of a min-norm coordinate in the eigenbasis (numpy; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, lambda_i, b_i.
    Assumptions: m > n \text{ or } \lambda_r > 0."""
    xi = numpy.asarray(xi, dtype=float)
    lambda_i = numpy.asarray(lambda_i, dtype=float)
    b_i = numpy.asarray(b_i, dtype=float)
    return b_i*lambda_i*xi/(lambda_i*xi + 1)


def coordinate_mean_mpmath(xi: Any, lambda_i: Any, b_i: Any, /, *, weights: Any = None) -> Any:
    r"""Mean of a min-norm coordinate in the eigenbasis (mpmath; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, lambda_i, b_i.
    Assumptions: m > n \text{ or } \lambda_r > 0."""
    return b_i*lambda_i*xi/(lambda_i*xi + 1)


def coordinate_mean_gmpy2(xi: Any, lambda_i: Any, b_i: Any, /, *, weights: Any = None) -> Any:
    r"""Mean of a min-norm coordinate in the eigenbasis (gmpy2; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, lambda_i, b_i.
    Assumptions: m > n \text{ or } \lambda_r > 0."""
    return b_i*lambda_i*xi/(lambda_i*xi + 1)


def coordinate_mean_arb(xi: Any, lambda_i: Any, b_i: Any, /, *, weights: Any = None) -> Any:
    r"""Mean of a min-norm coordinate in the eigenbasis (arb; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, lambda_i, b_i.
    Assumptions: m > n \text{ or } \lambda_r > 0."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    lambda_i = flint.arb(lambda_i)
    b_i = flint.arb(b_i)
    return b_i*lambda_i*xi/(lambda_i*xi + 1)


def coordinate_mean_math(xi: Any, lambda_i: Any, b_i: Any, /, *, weights: Any = None) -> Any:
    r"""Mean of a min-norm coordinate in the eigenbasis (math; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, lambda_i, b_i.
    Assumptions: m > n \text{ or } \lambda_r > 0."""
    return b_i*lambda_i*xi/(lambda_i*xi + 1)


# -- coordinate_sd: Standard deviation of a min-norm coordinate in the eigenbasis


def coordinate_sd_numpy(xi: Any, tau: Any, n: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""Standard deviation of a min-norm coordinate in the eigenbasis (numpy; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, tau, n, lambda_i.
    Assumptions: m > n \text{ or } \lambda_r > 0;\ \lambda_i \ge 0 \ (\varsigma_i = 0 \text{ at } \lambda_i = 0)."""
    xi = numpy.asarray(xi, dtype=float)
    tau = numpy.asarray(tau, dtype=float)
    n = numpy.asarray(n, dtype=float)
    lambda_i = numpy.asarray(lambda_i, dtype=float)
    return numpy.sqrt(lambda_i)*tau*xi/(numpy.sqrt(n)*(lambda_i*xi + 1))


def coordinate_sd_mpmath(xi: Any, tau: Any, n: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""Standard deviation of a min-norm coordinate in the eigenbasis (mpmath; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, tau, n, lambda_i.
    Assumptions: m > n \text{ or } \lambda_r > 0;\ \lambda_i \ge 0 \ (\varsigma_i = 0 \text{ at } \lambda_i = 0)."""
    return mpmath.sqrt(lambda_i)*tau*xi/(mpmath.sqrt(n)*(lambda_i*xi + 1))


def coordinate_sd_gmpy2(xi: Any, tau: Any, n: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""Standard deviation of a min-norm coordinate in the eigenbasis (gmpy2; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, tau, n, lambda_i.
    Assumptions: m > n \text{ or } \lambda_r > 0;\ \lambda_i \ge 0 \ (\varsigma_i = 0 \text{ at } \lambda_i = 0)."""
    return gmpy2.sqrt(lambda_i)*tau*xi/(gmpy2.sqrt(n)*(lambda_i*xi + 1))


def coordinate_sd_arb(xi: Any, tau: Any, n: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""Standard deviation of a min-norm coordinate in the eigenbasis (arb; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, tau, n, lambda_i.
    Assumptions: m > n \text{ or } \lambda_r > 0;\ \lambda_i \ge 0 \ (\varsigma_i = 0 \text{ at } \lambda_i = 0)."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    tau = flint.arb(tau)
    n = flint.arb(n)
    lambda_i = flint.arb(lambda_i)
    return _arb_sqrt(lambda_i)*tau*xi/(_arb_sqrt(n)*(lambda_i*xi + 1))


def coordinate_sd_math(xi: Any, tau: Any, n: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""Standard deviation of a min-norm coordinate in the eigenbasis (math; docs/theory.md#finite-size; paper, Def. 4).

    Arguments: xi, tau, n, lambda_i.
    Assumptions: m > n \text{ or } \lambda_r > 0;\ \lambda_i \ge 0 \ (\varsigma_i = 0 \text{ at } \lambda_i = 0)."""
    return math.sqrt(lambda_i)*tau*xi/(math.sqrt(n)*(lambda_i*xi + 1))


# -- underparameterized_sd: Standard deviation of a least-squares coordinate, m < n - 1


def underparameterized_sd_numpy(sigma_D: Any, n: Any, m: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""Standard deviation of a least-squares coordinate, m < n - 1 (numpy; docs/theory.md#finite-size; supplement, Sec. E; Hastie et al. 2019).

    Arguments: sigma_D, n, m, lambda_i.
    Assumptions: m < n - 1,\ \lambda_i > 0;\ \text{the coordinate's mean is } \beta_i."""
    sigma_D = numpy.asarray(sigma_D, dtype=float)
    n = numpy.asarray(n, dtype=float)
    m = numpy.asarray(m, dtype=float)
    lambda_i = numpy.asarray(lambda_i, dtype=float)
    return sigma_D/(numpy.sqrt(lambda_i)*numpy.sqrt(-m + n - 1))


def underparameterized_sd_mpmath(sigma_D: Any, n: Any, m: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""Standard deviation of a least-squares coordinate, m < n - 1 (mpmath; docs/theory.md#finite-size; supplement, Sec. E; Hastie et al. 2019).

    Arguments: sigma_D, n, m, lambda_i.
    Assumptions: m < n - 1,\ \lambda_i > 0;\ \text{the coordinate's mean is } \beta_i."""
    return sigma_D/(mpmath.sqrt(lambda_i)*mpmath.sqrt(-m + n - 1))


def underparameterized_sd_gmpy2(sigma_D: Any, n: Any, m: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""Standard deviation of a least-squares coordinate, m < n - 1 (gmpy2; docs/theory.md#finite-size; supplement, Sec. E; Hastie et al. 2019).

    Arguments: sigma_D, n, m, lambda_i.
    Assumptions: m < n - 1,\ \lambda_i > 0;\ \text{the coordinate's mean is } \beta_i."""
    return sigma_D/(gmpy2.sqrt(lambda_i)*gmpy2.sqrt(-m + n - 1))


def underparameterized_sd_arb(sigma_D: Any, n: Any, m: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""Standard deviation of a least-squares coordinate, m < n - 1 (arb; docs/theory.md#finite-size; supplement, Sec. E; Hastie et al. 2019).

    Arguments: sigma_D, n, m, lambda_i.
    Assumptions: m < n - 1,\ \lambda_i > 0;\ \text{the coordinate's mean is } \beta_i."""
    import flint  # the optional "certify" extra
    sigma_D = flint.arb(sigma_D)
    n = flint.arb(n)
    m = flint.arb(m)
    lambda_i = flint.arb(lambda_i)
    return sigma_D/(_arb_sqrt(lambda_i)*_arb_sqrt(-m + n - 1))


def underparameterized_sd_math(sigma_D: Any, n: Any, m: Any, lambda_i: Any, /, *, weights: Any = None) -> Any:
    r"""Standard deviation of a least-squares coordinate, m < n - 1 (math; docs/theory.md#finite-size; supplement, Sec. E; Hastie et al. 2019).

    Arguments: sigma_D, n, m, lambda_i.
    Assumptions: m < n - 1,\ \lambda_i > 0;\ \text{the coordinate's mean is } \beta_i."""
    return sigma_D/(math.sqrt(lambda_i)*math.sqrt(-m + n - 1))


# -- underparameterized_risk: Exact mean risk of least squares, m < n - 1


def underparameterized_risk_numpy(sigma_D: Any, n: Any, m: Any, /, *, weights: Any = None) -> Any:
    r"""Exact mean risk of least squares, m < n - 1 (numpy; docs/theory.md#finite-size; supplement, Sec. E; Hastie et al. 2019).

    Arguments: sigma_D, n, m.
    Assumptions: m < n - 1."""
    sigma_D = numpy.asarray(sigma_D, dtype=float)
    n = numpy.asarray(n, dtype=float)
    m = numpy.asarray(m, dtype=float)
    return sigma_D**2*(n - 1)/(-m + n - 1)


def underparameterized_risk_mpmath(sigma_D: Any, n: Any, m: Any, /, *, weights: Any = None) -> Any:
    r"""Exact mean risk of least squares, m < n - 1 (mpmath; docs/theory.md#finite-size; supplement, Sec. E; Hastie et al. 2019).

    Arguments: sigma_D, n, m.
    Assumptions: m < n - 1."""
    return sigma_D**2*(n - 1)/(-m + n - 1)


def underparameterized_risk_gmpy2(sigma_D: Any, n: Any, m: Any, /, *, weights: Any = None) -> Any:
    r"""Exact mean risk of least squares, m < n - 1 (gmpy2; docs/theory.md#finite-size; supplement, Sec. E; Hastie et al. 2019).

    Arguments: sigma_D, n, m.
    Assumptions: m < n - 1."""
    return sigma_D**2*(n - 1)/(-m + n - 1)


def underparameterized_risk_arb(sigma_D: Any, n: Any, m: Any, /, *, weights: Any = None) -> Any:
    r"""Exact mean risk of least squares, m < n - 1 (arb; docs/theory.md#finite-size; supplement, Sec. E; Hastie et al. 2019).

    Arguments: sigma_D, n, m.
    Assumptions: m < n - 1."""
    import flint  # the optional "certify" extra
    sigma_D = flint.arb(sigma_D)
    n = flint.arb(n)
    m = flint.arb(m)
    return _arb_power(sigma_D, 2)*(n - 1)/(-m + n - 1)


def underparameterized_risk_math(sigma_D: Any, n: Any, m: Any, /, *, weights: Any = None) -> Any:
    r"""Exact mean risk of least squares, m < n - 1 (math; docs/theory.md#finite-size; supplement, Sec. E; Hastie et al. 2019).

    Arguments: sigma_D, n, m.
    Assumptions: m < n - 1."""
    return sigma_D**2*(n - 1)/(-m + n - 1)


# -- ridge_sample_size: Finite-n sample size n_lambda of the ridge prediction


def ridge_sample_size_numpy(xi: Any, n: Any, lambda_r: Any, m: Any, lambda_: Any, /, *, weights: Any = None) -> Any:
    r"""Finite-n sample size n_lambda of the ridge prediction (numpy; docs/theory.md#finite-size; this project (exact as the ridge vanishes, an O(1/n) choice otherwise)).

    Arguments: xi, n, lambda_r, m, lambda.
    Assumptions: \lambda_r > 0,\ \xi \text{ the root of } G \text{ with } n;\ m \text{ the coordinates with } \lambda_i > 0;\ n - 1 \le n_{\lambda} \le n."""
    xi = numpy.asarray(xi, dtype=float)
    n = numpy.asarray(n, dtype=float)
    lambda_r = numpy.asarray(lambda_r, dtype=float)
    m = numpy.asarray(m, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    xi_i = xi[..., None]
    _sum0 = _numpy_sum(lambda_*xi_i/(lambda_*xi_i + 1)**2, weights)
    _sum1 = _numpy_sum(lambda_**2*xi_i**2/(lambda_*xi_i + 1)**2, weights)
    return -_sum1*lambda_r*xi/(m*(_sum0/n + lambda_r*xi)) + n


def ridge_sample_size_mpmath(xi: Any, n: Any, lambda_r: Any, m: Any, lambda_: Any, /, *, weights: Any = None) -> Any:
    r"""Finite-n sample size n_lambda of the ridge prediction (mpmath; docs/theory.md#finite-size; this project (exact as the ridge vanishes, an O(1/n) choice otherwise)).

    Arguments: xi, n, lambda_r, m, lambda.
    Assumptions: \lambda_r > 0,\ \xi \text{ the root of } G \text{ with } n;\ m \text{ the coordinates with } \lambda_i > 0;\ n - 1 \le n_{\lambda} \le n."""
    xi = mpmath.mpf(xi)
    n = mpmath.mpf(n)
    lambda_r = mpmath.mpf(lambda_r)
    m = mpmath.mpf(m)
    lambda_ = [mpmath.mpf(x) for x in lambda_]
    _length = len(lambda_)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (lambda_[_i]*xi/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0)
    _sum1 = mpmath.fsum(_w[_i] * (lambda_[_i]**2*xi**2/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0)
    return -_sum1*lambda_r*xi/(m*(_sum0/n + lambda_r*xi)) + n


def ridge_sample_size_gmpy2(xi: Any, n: Any, lambda_r: Any, m: Any, lambda_: Any, /, *, weights: Any = None) -> Any:
    r"""Finite-n sample size n_lambda of the ridge prediction (gmpy2; docs/theory.md#finite-size; this project (exact as the ridge vanishes, an O(1/n) choice otherwise)).

    Arguments: xi, n, lambda_r, m, lambda.
    Assumptions: \lambda_r > 0,\ \xi \text{ the root of } G \text{ with } n;\ m \text{ the coordinates with } \lambda_i > 0;\ n - 1 \le n_{\lambda} \le n."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: lambda_[_i]*xi/(lambda_[_i]*xi + 1)**2, _length, weights)
    _sum1 = _gmpy2_sum(lambda _i: lambda_[_i]**2*xi**2/(lambda_[_i]*xi + 1)**2, _length, weights)
    return -_sum1*lambda_r*xi/(m*(_sum0/n + lambda_r*xi)) + n


def ridge_sample_size_arb(xi: Any, n: Any, lambda_r: Any, m: Any, lambda_: Any, /, *, weights: Any = None) -> Any:
    r"""Finite-n sample size n_lambda of the ridge prediction (arb; docs/theory.md#finite-size; this project (exact as the ridge vanishes, an O(1/n) choice otherwise)).

    Arguments: xi, n, lambda_r, m, lambda.
    Assumptions: \lambda_r > 0,\ \xi \text{ the root of } G \text{ with } n;\ m \text{ the coordinates with } \lambda_i > 0;\ n - 1 \le n_{\lambda} \le n."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    n = flint.arb(n)
    lambda_r = flint.arb(lambda_r)
    m = flint.arb(m)
    lambda_ = [flint.arb(x) for x in lambda_]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (lambda_[_i]*xi/_arb_power(lambda_[_i]*xi + 1, 2)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    _sum1 = sum((_w[_i] * (_arb_power(lambda_[_i], 2)*_arb_power(xi, 2)/_arb_power(lambda_[_i]*xi + 1, 2)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return -_sum1*lambda_r*xi/(m*(_sum0/n + lambda_r*xi)) + n


def ridge_sample_size_math(xi: Any, n: Any, lambda_r: Any, m: Any, lambda_: Any, /, *, weights: Any = None) -> Any:
    r"""Finite-n sample size n_lambda of the ridge prediction (math; docs/theory.md#finite-size; this project (exact as the ridge vanishes, an O(1/n) choice otherwise)).

    Arguments: xi, n, lambda_r, m, lambda.
    Assumptions: \lambda_r > 0,\ \xi \text{ the root of } G \text{ with } n;\ m \text{ the coordinates with } \lambda_i > 0;\ n - 1 \le n_{\lambda} \le n."""
    _length = len(lambda_)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (lambda_[_i]*xi/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0])
    _sum1 = sum([_w[_i] * (lambda_[_i]**2*xi**2/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0])
    return -_sum1*lambda_r*xi/(m*(_sum0/n + lambda_r*xi)) + n


# -- ridge_tau2_limit: Dense ridge risk as the ridge vanishes, m < n_lambda


def ridge_tau2_limit_numpy(sigma_D: Any, n_lambda: Any, m: Any, /, *, weights: Any = None) -> Any:
    r"""Dense ridge risk as the ridge vanishes, m < n_lambda (numpy; docs/theory.md#finite-size; this project).

    Arguments: sigma_D, n_lambda, m.
    Assumptions: m < n_{\lambda};\ \text{at } n_{\lambda} = n - 1 \text{ it is the exact least-squares risk}."""
    sigma_D = numpy.asarray(sigma_D, dtype=float)
    n_lambda = numpy.asarray(n_lambda, dtype=float)
    m = numpy.asarray(m, dtype=float)
    return n_lambda*sigma_D**2/(-m + n_lambda)


def ridge_tau2_limit_mpmath(sigma_D: Any, n_lambda: Any, m: Any, /, *, weights: Any = None) -> Any:
    r"""Dense ridge risk as the ridge vanishes, m < n_lambda (mpmath; docs/theory.md#finite-size; this project).

    Arguments: sigma_D, n_lambda, m.
    Assumptions: m < n_{\lambda};\ \text{at } n_{\lambda} = n - 1 \text{ it is the exact least-squares risk}."""
    return n_lambda*sigma_D**2/(-m + n_lambda)


def ridge_tau2_limit_gmpy2(sigma_D: Any, n_lambda: Any, m: Any, /, *, weights: Any = None) -> Any:
    r"""Dense ridge risk as the ridge vanishes, m < n_lambda (gmpy2; docs/theory.md#finite-size; this project).

    Arguments: sigma_D, n_lambda, m.
    Assumptions: m < n_{\lambda};\ \text{at } n_{\lambda} = n - 1 \text{ it is the exact least-squares risk}."""
    return n_lambda*sigma_D**2/(-m + n_lambda)


def ridge_tau2_limit_arb(sigma_D: Any, n_lambda: Any, m: Any, /, *, weights: Any = None) -> Any:
    r"""Dense ridge risk as the ridge vanishes, m < n_lambda (arb; docs/theory.md#finite-size; this project).

    Arguments: sigma_D, n_lambda, m.
    Assumptions: m < n_{\lambda};\ \text{at } n_{\lambda} = n - 1 \text{ it is the exact least-squares risk}."""
    import flint  # the optional "certify" extra
    sigma_D = flint.arb(sigma_D)
    n_lambda = flint.arb(n_lambda)
    m = flint.arb(m)
    return n_lambda*_arb_power(sigma_D, 2)/(-m + n_lambda)


def ridge_tau2_limit_math(sigma_D: Any, n_lambda: Any, m: Any, /, *, weights: Any = None) -> Any:
    r"""Dense ridge risk as the ridge vanishes, m < n_lambda (math; docs/theory.md#finite-size; this project).

    Arguments: sigma_D, n_lambda, m.
    Assumptions: m < n_{\lambda};\ \text{at } n_{\lambda} = n - 1 \text{ it is the exact least-squares risk}."""
    return n_lambda*sigma_D**2/(-m + n_lambda)


# -- keep_probability: Keep probability eta_i(t) = Pr(|w_i| > t)


def keep_probability_numpy(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""Keep probability eta_i(t) = Pr(|w_i| > t) (numpy; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    t = numpy.asarray(t, dtype=float)
    mu_i = numpy.asarray(mu_i, dtype=float)
    varsigma_i = numpy.asarray(varsigma_i, dtype=float)
    return _gaussian_tail((-mu_i + t)/varsigma_i) + _gaussian_tail((mu_i + t)/varsigma_i)


def keep_probability_mpmath(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""Keep probability eta_i(t) = Pr(|w_i| > t) (mpmath; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    return _mpmath_gaussian_tail((-mu_i + t)/varsigma_i) + _mpmath_gaussian_tail((mu_i + t)/varsigma_i)


def keep_probability_arb(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""Keep probability eta_i(t) = Pr(|w_i| > t) (arb; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    import flint  # the optional "certify" extra
    t = flint.arb(t)
    mu_i = flint.arb(mu_i)
    varsigma_i = flint.arb(varsigma_i)
    return _arb_gaussian_tail((-mu_i + t)/varsigma_i) + _arb_gaussian_tail((mu_i + t)/varsigma_i)


def keep_probability_math(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""Keep probability eta_i(t) = Pr(|w_i| > t) (math; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    return _math_gaussian_tail((-mu_i + t)/varsigma_i) + _math_gaussian_tail((mu_i + t)/varsigma_i)


# -- keep_probability_derivative: d eta_i / d t (for Newton steps on the threshold)


def keep_probability_derivative_numpy(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""d eta_i / d t (for Newton steps on the threshold) (numpy; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    t = numpy.asarray(t, dtype=float)
    mu_i = numpy.asarray(mu_i, dtype=float)
    varsigma_i = numpy.asarray(varsigma_i, dtype=float)
    return -1/2*1.4142135623730951*numpy.exp(-1/2*(mu_i + t)**2/varsigma_i**2)/(1.7724538509055159*varsigma_i) - 1/2*1.4142135623730951*numpy.exp(-1/2*(mu_i - t)**2/varsigma_i**2)/(1.7724538509055159*varsigma_i)


def keep_probability_derivative_mpmath(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""d eta_i / d t (for Newton steps on the threshold) (mpmath; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    x0 = (mpmath.mpf(1)/mpmath.mpf(2))/varsigma_i**2
    x1 = (mpmath.mpf(1)/mpmath.mpf(2))*mpmath.sqrt(2)/(mpmath.sqrt(mpmath.pi)*varsigma_i)
    return -x1*mpmath.exp(-x0*(mu_i + t)**2) - x1*mpmath.exp(-x0*(mu_i - t)**2)


def keep_probability_derivative_arb(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""d eta_i / d t (for Newton steps on the threshold) (arb; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    import flint  # the optional "certify" extra
    t = flint.arb(t)
    mu_i = flint.arb(mu_i)
    varsigma_i = flint.arb(varsigma_i)
    x0 = ((flint.arb(1)/2))/_arb_power(varsigma_i, 2)
    x1 = ((flint.arb(1)/2))*_arb_sqrt(2)/(_arb_sqrt(flint.arb.pi())*varsigma_i)
    return -x1*flint.arb(-x0*_arb_power(mu_i + t, 2)).exp() - x1*flint.arb(-x0*_arb_power(mu_i - t, 2)).exp()


def keep_probability_derivative_math(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""d eta_i / d t (for Newton steps on the threshold) (math; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    x0 = (1/2)/varsigma_i**2
    x1 = (1/2)*1.4142135623730951/(1.7724538509055159*varsigma_i)
    return -x1*math.exp(-x0*(mu_i + t)**2) - x1*math.exp(-x0*(mu_i - t)**2)


# -- standardized_keep_probability: Keep probability in units of the coordinate sd, eta_i = Q(tbar_i - mubar_i) + Q(tbar_i + mubar_i)


def standardized_keep_probability_numpy(tbar_i: Any, mubar_i: Any, /, *, weights: Any = None) -> Any:
    r"""Keep probability in units of the coordinate sd, eta_i = Q(tbar_i - mubar_i) + Q(tbar_i + mubar_i) (numpy; docs/theory.md#thresholded-risk; this project).

    Arguments: tbar_i, mubar_i.
    Assumptions: \bar t_i = t / \varsigma_i,\ \bar\mu_i = \mu_i / \varsigma_i,\ \varsigma_i > 0."""
    tbar_i = numpy.asarray(tbar_i, dtype=float)
    mubar_i = numpy.asarray(mubar_i, dtype=float)
    return _gaussian_tail(-mubar_i + tbar_i) + _gaussian_tail(mubar_i + tbar_i)


def standardized_keep_probability_mpmath(tbar_i: Any, mubar_i: Any, /, *, weights: Any = None) -> Any:
    r"""Keep probability in units of the coordinate sd, eta_i = Q(tbar_i - mubar_i) + Q(tbar_i + mubar_i) (mpmath; docs/theory.md#thresholded-risk; this project).

    Arguments: tbar_i, mubar_i.
    Assumptions: \bar t_i = t / \varsigma_i,\ \bar\mu_i = \mu_i / \varsigma_i,\ \varsigma_i > 0."""
    return _mpmath_gaussian_tail(-mubar_i + tbar_i) + _mpmath_gaussian_tail(mubar_i + tbar_i)


def standardized_keep_probability_arb(tbar_i: Any, mubar_i: Any, /, *, weights: Any = None) -> Any:
    r"""Keep probability in units of the coordinate sd, eta_i = Q(tbar_i - mubar_i) + Q(tbar_i + mubar_i) (arb; docs/theory.md#thresholded-risk; this project).

    Arguments: tbar_i, mubar_i.
    Assumptions: \bar t_i = t / \varsigma_i,\ \bar\mu_i = \mu_i / \varsigma_i,\ \varsigma_i > 0."""
    import flint  # the optional "certify" extra
    tbar_i = flint.arb(tbar_i)
    mubar_i = flint.arb(mubar_i)
    return _arb_gaussian_tail(-mubar_i + tbar_i) + _arb_gaussian_tail(mubar_i + tbar_i)


def standardized_keep_probability_math(tbar_i: Any, mubar_i: Any, /, *, weights: Any = None) -> Any:
    r"""Keep probability in units of the coordinate sd, eta_i = Q(tbar_i - mubar_i) + Q(tbar_i + mubar_i) (math; docs/theory.md#thresholded-risk; this project).

    Arguments: tbar_i, mubar_i.
    Assumptions: \bar t_i = t / \varsigma_i,\ \bar\mu_i = \mu_i / \varsigma_i,\ \varsigma_i > 0."""
    return _math_gaussian_tail(-mubar_i + tbar_i) + _math_gaussian_tail(mubar_i + tbar_i)


# -- standardized_keep_probability_derivative: d eta_i / d tbar_i, so that d eta_i / d t = (d eta_i / d tbar_i) / varsigma_i (for Newton steps on the threshold)


def standardized_keep_probability_derivative_numpy(tbar_i: Any, mubar_i: Any, /, *, weights: Any = None) -> Any:
    r"""d eta_i / d tbar_i, so that d eta_i / d t = (d eta_i / d tbar_i) / varsigma_i (for Newton steps on the threshold) (numpy; docs/theory.md#thresholded-risk; this project).

    Arguments: tbar_i, mubar_i.
    Assumptions: \bar t_i = t / \varsigma_i,\ \bar\mu_i = \mu_i / \varsigma_i,\ \varsigma_i > 0."""
    tbar_i = numpy.asarray(tbar_i, dtype=float)
    mubar_i = numpy.asarray(mubar_i, dtype=float)
    return -1/2*1.4142135623730951*numpy.exp(-1/2*(mubar_i + tbar_i)**2)/1.7724538509055159 - 1/2*1.4142135623730951*numpy.exp(-1/2*(mubar_i - tbar_i)**2)/1.7724538509055159


def standardized_keep_probability_derivative_mpmath(tbar_i: Any, mubar_i: Any, /, *, weights: Any = None) -> Any:
    r"""d eta_i / d tbar_i, so that d eta_i / d t = (d eta_i / d tbar_i) / varsigma_i (for Newton steps on the threshold) (mpmath; docs/theory.md#thresholded-risk; this project).

    Arguments: tbar_i, mubar_i.
    Assumptions: \bar t_i = t / \varsigma_i,\ \bar\mu_i = \mu_i / \varsigma_i,\ \varsigma_i > 0."""
    x0 = (mpmath.mpf(1)/mpmath.mpf(2))*mpmath.sqrt(2)/mpmath.sqrt(mpmath.pi)
    return -x0*mpmath.exp(-mpmath.mpf(1)/mpmath.mpf(2)*(mubar_i + tbar_i)**2) - x0*mpmath.exp(-mpmath.mpf(1)/mpmath.mpf(2)*(mubar_i - tbar_i)**2)


def standardized_keep_probability_derivative_arb(tbar_i: Any, mubar_i: Any, /, *, weights: Any = None) -> Any:
    r"""d eta_i / d tbar_i, so that d eta_i / d t = (d eta_i / d tbar_i) / varsigma_i (for Newton steps on the threshold) (arb; docs/theory.md#thresholded-risk; this project).

    Arguments: tbar_i, mubar_i.
    Assumptions: \bar t_i = t / \varsigma_i,\ \bar\mu_i = \mu_i / \varsigma_i,\ \varsigma_i > 0."""
    import flint  # the optional "certify" extra
    tbar_i = flint.arb(tbar_i)
    mubar_i = flint.arb(mubar_i)
    x0 = ((flint.arb(1)/2))*_arb_sqrt(2)/_arb_sqrt(flint.arb.pi())
    return -x0*flint.arb(-(flint.arb(1)/2)*_arb_power(mubar_i + tbar_i, 2)).exp() - x0*flint.arb(-(flint.arb(1)/2)*_arb_power(mubar_i - tbar_i, 2)).exp()


def standardized_keep_probability_derivative_math(tbar_i: Any, mubar_i: Any, /, *, weights: Any = None) -> Any:
    r"""d eta_i / d tbar_i, so that d eta_i / d t = (d eta_i / d tbar_i) / varsigma_i (for Newton steps on the threshold) (math; docs/theory.md#thresholded-risk; this project).

    Arguments: tbar_i, mubar_i.
    Assumptions: \bar t_i = t / \varsigma_i,\ \bar\mu_i = \mu_i / \varsigma_i,\ \varsigma_i > 0."""
    x0 = (1/2)*1.4142135623730951/1.7724538509055159
    return -x0*math.exp(-1/2*(mubar_i + tbar_i)**2) - x0*math.exp(-1/2*(mubar_i - tbar_i)**2)


# -- standardized_keep_probability_second_derivative: d^2 eta_i / d tbar_i^2 (for Halley steps on the threshold)


def standardized_keep_probability_second_derivative_numpy(tbar_i: Any, mubar_i: Any, /, *, weights: Any = None) -> Any:
    r"""d^2 eta_i / d tbar_i^2 (for Halley steps on the threshold) (numpy; docs/theory.md#thresholded-risk; this project).

    Arguments: tbar_i, mubar_i.
    Assumptions: \bar t_i = t / \varsigma_i,\ \bar\mu_i = \mu_i / \varsigma_i,\ \varsigma_i > 0."""
    tbar_i = numpy.asarray(tbar_i, dtype=float)
    mubar_i = numpy.asarray(mubar_i, dtype=float)
    return (1/2)*1.4142135623730951*(-(mubar_i - tbar_i)*numpy.exp(-1/2*(mubar_i - tbar_i)**2) + (mubar_i + tbar_i)*numpy.exp(-1/2*(mubar_i + tbar_i)**2))/1.7724538509055159


def standardized_keep_probability_second_derivative_mpmath(tbar_i: Any, mubar_i: Any, /, *, weights: Any = None) -> Any:
    r"""d^2 eta_i / d tbar_i^2 (for Halley steps on the threshold) (mpmath; docs/theory.md#thresholded-risk; this project).

    Arguments: tbar_i, mubar_i.
    Assumptions: \bar t_i = t / \varsigma_i,\ \bar\mu_i = \mu_i / \varsigma_i,\ \varsigma_i > 0."""
    return (mpmath.mpf(1)/mpmath.mpf(2))*mpmath.sqrt(2)*(-(mubar_i - tbar_i)*mpmath.exp(-mpmath.mpf(1)/mpmath.mpf(2)*(mubar_i - tbar_i)**2) + (mubar_i + tbar_i)*mpmath.exp(-mpmath.mpf(1)/mpmath.mpf(2)*(mubar_i + tbar_i)**2))/mpmath.sqrt(mpmath.pi)


def standardized_keep_probability_second_derivative_arb(tbar_i: Any, mubar_i: Any, /, *, weights: Any = None) -> Any:
    r"""d^2 eta_i / d tbar_i^2 (for Halley steps on the threshold) (arb; docs/theory.md#thresholded-risk; this project).

    Arguments: tbar_i, mubar_i.
    Assumptions: \bar t_i = t / \varsigma_i,\ \bar\mu_i = \mu_i / \varsigma_i,\ \varsigma_i > 0."""
    import flint  # the optional "certify" extra
    tbar_i = flint.arb(tbar_i)
    mubar_i = flint.arb(mubar_i)
    return ((flint.arb(1)/2))*_arb_sqrt(2)*(-(mubar_i - tbar_i)*flint.arb(-(flint.arb(1)/2)*_arb_power(mubar_i - tbar_i, 2)).exp() + (mubar_i + tbar_i)*flint.arb(-(flint.arb(1)/2)*_arb_power(mubar_i + tbar_i, 2)).exp())/_arb_sqrt(flint.arb.pi())


def standardized_keep_probability_second_derivative_math(tbar_i: Any, mubar_i: Any, /, *, weights: Any = None) -> Any:
    r"""d^2 eta_i / d tbar_i^2 (for Halley steps on the threshold) (math; docs/theory.md#thresholded-risk; this project).

    Arguments: tbar_i, mubar_i.
    Assumptions: \bar t_i = t / \varsigma_i,\ \bar\mu_i = \mu_i / \varsigma_i,\ \varsigma_i > 0."""
    return (1/2)*1.4142135623730951*(-(mubar_i - tbar_i)*math.exp(-1/2*(mubar_i - tbar_i)**2) + (mubar_i + tbar_i)*math.exp(-1/2*(mubar_i + tbar_i)**2))/1.7724538509055159


# -- thresholded_m1: M_1,i(t) = E[w_i 1{|w_i| > t}]


def thresholded_m1_numpy(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""M_1,i(t) = E[w_i 1{|w_i| > t}] (numpy; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    t = numpy.asarray(t, dtype=float)
    mu_i = numpy.asarray(mu_i, dtype=float)
    varsigma_i = numpy.asarray(varsigma_i, dtype=float)
    return mu_i*_gaussian_tail((-mu_i + t)/varsigma_i) + mu_i*_gaussian_tail((mu_i + t)/varsigma_i) - 1/2*1.4142135623730951*varsigma_i*numpy.exp(-1/2*(mu_i + t)**2/varsigma_i**2)/1.7724538509055159 + (1/2)*1.4142135623730951*varsigma_i*numpy.exp(-1/2*(-mu_i + t)**2/varsigma_i**2)/1.7724538509055159


def thresholded_m1_mpmath(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""M_1,i(t) = E[w_i 1{|w_i| > t}] (mpmath; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    x0 = 1/varsigma_i
    x1 = mu_i + t
    x2 = -mu_i + t
    x3 = (mpmath.mpf(1)/mpmath.mpf(2))/varsigma_i**2
    x4 = (mpmath.mpf(1)/mpmath.mpf(2))*mpmath.sqrt(2)*varsigma_i/mpmath.sqrt(mpmath.pi)
    return mu_i*_mpmath_gaussian_tail(x0*x1) + mu_i*_mpmath_gaussian_tail(x0*x2) + x4*mpmath.exp(-x2**2*x3) - x4*mpmath.exp(-x1**2*x3)


def thresholded_m1_arb(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""M_1,i(t) = E[w_i 1{|w_i| > t}] (arb; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    import flint  # the optional "certify" extra
    t = flint.arb(t)
    mu_i = flint.arb(mu_i)
    varsigma_i = flint.arb(varsigma_i)
    x0 = 1/varsigma_i
    x1 = mu_i + t
    x2 = -mu_i + t
    x3 = ((flint.arb(1)/2))/_arb_power(varsigma_i, 2)
    x4 = ((flint.arb(1)/2))*_arb_sqrt(2)*varsigma_i/_arb_sqrt(flint.arb.pi())
    return mu_i*_arb_gaussian_tail(x0*x1) + mu_i*_arb_gaussian_tail(x0*x2) + x4*flint.arb(-_arb_power(x2, 2)*x3).exp() - x4*flint.arb(-_arb_power(x1, 2)*x3).exp()


def thresholded_m1_math(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""M_1,i(t) = E[w_i 1{|w_i| > t}] (math; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    x0 = 1/varsigma_i
    x1 = mu_i + t
    x2 = -mu_i + t
    x3 = (1/2)/varsigma_i**2
    x4 = (1/2)*1.4142135623730951*varsigma_i/1.7724538509055159
    return mu_i*_math_gaussian_tail(x0*x1) + mu_i*_math_gaussian_tail(x0*x2) + x4*math.exp(-x2**2*x3) - x4*math.exp(-x1**2*x3)


# -- thresholded_m2: M_2,i(t) = E[w_i^2 1{|w_i| > t}]


def thresholded_m2_numpy(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""M_2,i(t) = E[w_i^2 1{|w_i| > t}] (numpy; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    t = numpy.asarray(t, dtype=float)
    mu_i = numpy.asarray(mu_i, dtype=float)
    varsigma_i = numpy.asarray(varsigma_i, dtype=float)
    return (mu_i**2 + varsigma_i**2)*_gaussian_tail((-mu_i + t)/varsigma_i) + (mu_i**2 + varsigma_i**2)*_gaussian_tail((mu_i + t)/varsigma_i) + (-1.4142135623730951*mu_i*varsigma_i/1.7724538509055159 - 1/2*1.4142135623730951*varsigma_i*(-mu_i - t)/1.7724538509055159)*numpy.exp(-1/2*(mu_i + t)**2/varsigma_i**2) + (1.4142135623730951*mu_i*varsigma_i/1.7724538509055159 + (1/2)*1.4142135623730951*varsigma_i*(-mu_i + t)/1.7724538509055159)*numpy.exp(-1/2*(-mu_i + t)**2/varsigma_i**2)


def thresholded_m2_mpmath(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""M_2,i(t) = E[w_i^2 1{|w_i| > t}] (mpmath; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    x0 = varsigma_i**2
    x1 = mu_i**2 + x0
    x2 = 1/varsigma_i
    x3 = mu_i + t
    x4 = -mu_i + t
    x5 = (mpmath.mpf(1)/mpmath.mpf(2))/x0
    x6 = mpmath.sqrt(2)*varsigma_i/mpmath.sqrt(mpmath.pi)
    x7 = mu_i*x6
    x8 = (mpmath.mpf(1)/mpmath.mpf(2))*x6
    return x1*_mpmath_gaussian_tail(x2*x3) + x1*_mpmath_gaussian_tail(x2*x4) + (x3*x8 - x7)*mpmath.exp(-x3**2*x5) + (x4*x8 + x7)*mpmath.exp(-x4**2*x5)


def thresholded_m2_arb(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""M_2,i(t) = E[w_i^2 1{|w_i| > t}] (arb; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    import flint  # the optional "certify" extra
    t = flint.arb(t)
    mu_i = flint.arb(mu_i)
    varsigma_i = flint.arb(varsigma_i)
    x0 = _arb_power(varsigma_i, 2)
    x1 = _arb_power(mu_i, 2) + x0
    x2 = 1/varsigma_i
    x3 = mu_i + t
    x4 = -mu_i + t
    x5 = ((flint.arb(1)/2))/x0
    x6 = _arb_sqrt(2)*varsigma_i/_arb_sqrt(flint.arb.pi())
    x7 = mu_i*x6
    x8 = ((flint.arb(1)/2))*x6
    return x1*_arb_gaussian_tail(x2*x3) + x1*_arb_gaussian_tail(x2*x4) + (x3*x8 - x7)*flint.arb(-_arb_power(x3, 2)*x5).exp() + (x4*x8 + x7)*flint.arb(-_arb_power(x4, 2)*x5).exp()


def thresholded_m2_math(t: Any, mu_i: Any, varsigma_i: Any, /, *, weights: Any = None) -> Any:
    r"""M_2,i(t) = E[w_i^2 1{|w_i| > t}] (math; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    x0 = varsigma_i**2
    x1 = mu_i**2 + x0
    x2 = 1/varsigma_i
    x3 = mu_i + t
    x4 = -mu_i + t
    x5 = (1/2)/x0
    x6 = 1.4142135623730951*varsigma_i/1.7724538509055159
    x7 = mu_i*x6
    x8 = (1/2)*x6
    return x1*_math_gaussian_tail(x2*x3) + x1*_math_gaussian_tail(x2*x4) + (x3*x8 - x7)*math.exp(-x3**2*x5) + (x4*x8 + x7)*math.exp(-x4**2*x5)


# -- pruned_error: Per-coordinate error of hard thresholding, e_i(t) = E[(w_i 1{|w_i| > t} - beta_i)^2]


def pruned_error_numpy(t: Any, mu_i: Any, varsigma_i: Any, beta_i: Any, /, *, weights: Any = None) -> Any:
    r"""Per-coordinate error of hard thresholding, e_i(t) = E[(w_i 1{|w_i| > t} - beta_i)^2] (numpy; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i, beta_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    t = numpy.asarray(t, dtype=float)
    mu_i = numpy.asarray(mu_i, dtype=float)
    varsigma_i = numpy.asarray(varsigma_i, dtype=float)
    beta_i = numpy.asarray(beta_i, dtype=float)
    x0 = varsigma_i**2
    x1 = mu_i**2 + x0
    x2 = varsigma_i**(-1.0)
    x3 = mu_i + t
    x4 = _gaussian_tail(x2*x3)
    x5 = -mu_i + t
    x6 = _gaussian_tail(x2*x5)
    x7 = (1/2)/x0
    x8 = numpy.exp(-x5**2*x7)
    x9 = 1.4142135623730951*varsigma_i/1.7724538509055159
    x10 = mu_i*x9
    x11 = (1/2)*x9
    x12 = numpy.exp(-x3**2*x7)
    return beta_i**2 - 2*beta_i*(mu_i*x4 + mu_i*x6 - x11*x12 + x11*x8) + x1*x4 + x1*x6 + x12*(-x10 + x11*x3) + x8*(x10 + x11*x5)


def pruned_error_mpmath(t: Any, mu_i: Any, varsigma_i: Any, beta_i: Any, /, *, weights: Any = None) -> Any:
    r"""Per-coordinate error of hard thresholding, e_i(t) = E[(w_i 1{|w_i| > t} - beta_i)^2] (mpmath; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i, beta_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    x0 = varsigma_i**2
    x1 = mu_i**2 + x0
    x2 = 1/varsigma_i
    x3 = mu_i + t
    x4 = _mpmath_gaussian_tail(x2*x3)
    x5 = -mu_i + t
    x6 = _mpmath_gaussian_tail(x2*x5)
    x7 = (mpmath.mpf(1)/mpmath.mpf(2))/x0
    x8 = mpmath.exp(-x5**2*x7)
    x9 = mpmath.sqrt(2)*varsigma_i/mpmath.sqrt(mpmath.pi)
    x10 = mu_i*x9
    x11 = (mpmath.mpf(1)/mpmath.mpf(2))*x9
    x12 = mpmath.exp(-x3**2*x7)
    return beta_i**2 - 2*beta_i*(mu_i*x4 + mu_i*x6 - x11*x12 + x11*x8) + x1*x4 + x1*x6 + x12*(-x10 + x11*x3) + x8*(x10 + x11*x5)


def pruned_error_arb(t: Any, mu_i: Any, varsigma_i: Any, beta_i: Any, /, *, weights: Any = None) -> Any:
    r"""Per-coordinate error of hard thresholding, e_i(t) = E[(w_i 1{|w_i| > t} - beta_i)^2] (arb; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i, beta_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    import flint  # the optional "certify" extra
    t = flint.arb(t)
    mu_i = flint.arb(mu_i)
    varsigma_i = flint.arb(varsigma_i)
    beta_i = flint.arb(beta_i)
    x0 = _arb_power(varsigma_i, 2)
    x1 = _arb_power(mu_i, 2) + x0
    x2 = 1/varsigma_i
    x3 = mu_i + t
    x4 = _arb_gaussian_tail(x2*x3)
    x5 = -mu_i + t
    x6 = _arb_gaussian_tail(x2*x5)
    x7 = ((flint.arb(1)/2))/x0
    x8 = flint.arb(-_arb_power(x5, 2)*x7).exp()
    x9 = _arb_sqrt(2)*varsigma_i/_arb_sqrt(flint.arb.pi())
    x10 = mu_i*x9
    x11 = ((flint.arb(1)/2))*x9
    x12 = flint.arb(-_arb_power(x3, 2)*x7).exp()
    return _arb_power(beta_i, 2) - 2*beta_i*(mu_i*x4 + mu_i*x6 - x11*x12 + x11*x8) + x1*x4 + x1*x6 + x12*(-x10 + x11*x3) + x8*(x10 + x11*x5)


def pruned_error_math(t: Any, mu_i: Any, varsigma_i: Any, beta_i: Any, /, *, weights: Any = None) -> Any:
    r"""Per-coordinate error of hard thresholding, e_i(t) = E[(w_i 1{|w_i| > t} - beta_i)^2] (math; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i, beta_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    x0 = varsigma_i**2
    x1 = mu_i**2 + x0
    x2 = 1/varsigma_i
    x3 = mu_i + t
    x4 = _math_gaussian_tail(x2*x3)
    x5 = -mu_i + t
    x6 = _math_gaussian_tail(x2*x5)
    x7 = (1/2)/x0
    x8 = math.exp(-x5**2*x7)
    x9 = 1.4142135623730951*varsigma_i/1.7724538509055159
    x10 = mu_i*x9
    x11 = (1/2)*x9
    x12 = math.exp(-x3**2*x7)
    return beta_i**2 - 2*beta_i*(mu_i*x4 + mu_i*x6 - x11*x12 + x11*x8) + x1*x4 + x1*x6 + x12*(-x10 + x11*x3) + x8*(x10 + x11*x5)


# -- pruned_error_stable: Per-coordinate error of hard thresholding, kept part plus beta^2 times the drop probability


def pruned_error_stable_numpy(t: Any, mu_i: Any, varsigma_i: Any, beta_i: Any, /, *, weights: Any = None) -> Any:
    r"""Per-coordinate error of hard thresholding, kept part plus beta^2 times the drop probability (numpy; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i, beta_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    t = numpy.asarray(t, dtype=float)
    mu_i = numpy.asarray(mu_i, dtype=float)
    varsigma_i = numpy.asarray(varsigma_i, dtype=float)
    beta_i = numpy.asarray(beta_i, dtype=float)
    x0 = varsigma_i**(-1.0)
    x1 = mu_i + t
    x2 = _gaussian_tail(x0*x1)
    x3 = varsigma_i**2
    x4 = -beta_i + mu_i
    x5 = x3 + x4**2
    x6 = -mu_i + t
    x7 = x0*x6
    x8 = (1/2)/x3
    x9 = 1.4142135623730951*varsigma_i/1.7724538509055159
    x10 = x4*x9
    x11 = (1/2)*x9
    return beta_i**2*(-x2 + _gaussian_tail(-x7)) + x2*x5 + x5*_gaussian_tail(x7) + (x10 + x11*x6)*numpy.exp(-x6**2*x8) + (x1*x11 - x10)*numpy.exp(-x1**2*x8)


def pruned_error_stable_mpmath(t: Any, mu_i: Any, varsigma_i: Any, beta_i: Any, /, *, weights: Any = None) -> Any:
    r"""Per-coordinate error of hard thresholding, kept part plus beta^2 times the drop probability (mpmath; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i, beta_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    x0 = 1/varsigma_i
    x1 = mu_i + t
    x2 = _mpmath_gaussian_tail(x0*x1)
    x3 = varsigma_i**2
    x4 = -beta_i + mu_i
    x5 = x3 + x4**2
    x6 = -mu_i + t
    x7 = x0*x6
    x8 = (mpmath.mpf(1)/mpmath.mpf(2))/x3
    x9 = mpmath.sqrt(2)*varsigma_i/mpmath.sqrt(mpmath.pi)
    x10 = x4*x9
    x11 = (mpmath.mpf(1)/mpmath.mpf(2))*x9
    return beta_i**2*(-x2 + _mpmath_gaussian_tail(-x7)) + x2*x5 + x5*_mpmath_gaussian_tail(x7) + (x10 + x11*x6)*mpmath.exp(-x6**2*x8) + (x1*x11 - x10)*mpmath.exp(-x1**2*x8)


def pruned_error_stable_arb(t: Any, mu_i: Any, varsigma_i: Any, beta_i: Any, /, *, weights: Any = None) -> Any:
    r"""Per-coordinate error of hard thresholding, kept part plus beta^2 times the drop probability (arb; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i, beta_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    import flint  # the optional "certify" extra
    t = flint.arb(t)
    mu_i = flint.arb(mu_i)
    varsigma_i = flint.arb(varsigma_i)
    beta_i = flint.arb(beta_i)
    x0 = 1/varsigma_i
    x1 = mu_i + t
    x2 = _arb_gaussian_tail(x0*x1)
    x3 = _arb_power(varsigma_i, 2)
    x4 = -beta_i + mu_i
    x5 = x3 + _arb_power(x4, 2)
    x6 = -mu_i + t
    x7 = _arb_gaussian_tail(x0*x6)
    x8 = ((flint.arb(1)/2))/x3
    x9 = _arb_sqrt(2)*varsigma_i/_arb_sqrt(flint.arb.pi())
    x10 = x4*x9
    x11 = ((flint.arb(1)/2))*x9
    return _arb_power(beta_i, 2)*(-x2 - x7 + 1) + x2*x5 + x5*x7 + (x10 + x11*x6)*flint.arb(-_arb_power(x6, 2)*x8).exp() + (x1*x11 - x10)*flint.arb(-_arb_power(x1, 2)*x8).exp()


def pruned_error_stable_math(t: Any, mu_i: Any, varsigma_i: Any, beta_i: Any, /, *, weights: Any = None) -> Any:
    r"""Per-coordinate error of hard thresholding, kept part plus beta^2 times the drop probability (math; docs/theory.md#thresholded-risk; this project).

    Arguments: t, mu_i, varsigma_i, beta_i.
    Assumptions: \varsigma_i > 0,\ t \ge 0."""
    x0 = 1/varsigma_i
    x1 = mu_i + t
    x2 = _math_gaussian_tail(x0*x1)
    x3 = varsigma_i**2
    x4 = -beta_i + mu_i
    x5 = x3 + x4**2
    x6 = -mu_i + t
    x7 = x0*x6
    x8 = (1/2)/x3
    x9 = 1.4142135623730951*varsigma_i/1.7724538509055159
    x10 = x4*x9
    x11 = (1/2)*x9
    return beta_i**2*(-x2 + _math_gaussian_tail(-x7)) + x2*x5 + x5*_math_gaussian_tail(x7) + (x10 + x11*x6)*math.exp(-x6**2*x8) + (x1*x11 - x10)*math.exp(-x1**2*x8)


# -- effective_noise: Effective noise variance of a model trained on D: the noise plus the signal of the dropped features (weights: the number of dropped copies of each coordinate)


def effective_noise_numpy(sigma: Any, lambda_: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Effective noise variance of a model trained on D: the noise plus the signal of the dropped features (weights: the number of dropped copies of each coordinate) (numpy; docs/theory.md#notation; paper, Sec. 5.3 (this project: the diagonal case)).

    Arguments: sigma, lambda, beta.
    Assumptions: \Sigma \text{ diagonal};\ \lambda_i, \beta_i \text{ of the } P - m \text{ features outside } D."""
    sigma = numpy.asarray(sigma, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    beta = numpy.asarray(beta, dtype=float)
    _sum0 = _numpy_sum(beta**2*lambda_, weights)
    return _sum0 + sigma**2


def effective_noise_mpmath(sigma: Any, lambda_: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Effective noise variance of a model trained on D: the noise plus the signal of the dropped features (weights: the number of dropped copies of each coordinate) (mpmath; docs/theory.md#notation; paper, Sec. 5.3 (this project: the diagonal case)).

    Arguments: sigma, lambda, beta.
    Assumptions: \Sigma \text{ diagonal};\ \lambda_i, \beta_i \text{ of the } P - m \text{ features outside } D."""
    sigma = mpmath.mpf(sigma)
    lambda_ = [mpmath.mpf(x) for x in lambda_]
    beta = [mpmath.mpf(x) for x in beta]
    _length = len(lambda_)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (beta[_i]**2*lambda_[_i]) for _i in range(_length) if _w[_i] != 0)
    return _sum0 + sigma**2


def effective_noise_gmpy2(sigma: Any, lambda_: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Effective noise variance of a model trained on D: the noise plus the signal of the dropped features (weights: the number of dropped copies of each coordinate) (gmpy2; docs/theory.md#notation; paper, Sec. 5.3 (this project: the diagonal case)).

    Arguments: sigma, lambda, beta.
    Assumptions: \Sigma \text{ diagonal};\ \lambda_i, \beta_i \text{ of the } P - m \text{ features outside } D."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: beta[_i]**2*lambda_[_i], _length, weights)
    return _sum0 + sigma**2


def effective_noise_arb(sigma: Any, lambda_: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Effective noise variance of a model trained on D: the noise plus the signal of the dropped features (weights: the number of dropped copies of each coordinate) (arb; docs/theory.md#notation; paper, Sec. 5.3 (this project: the diagonal case)).

    Arguments: sigma, lambda, beta.
    Assumptions: \Sigma \text{ diagonal};\ \lambda_i, \beta_i \text{ of the } P - m \text{ features outside } D."""
    import flint  # the optional "certify" extra
    sigma = flint.arb(sigma)
    lambda_ = [flint.arb(x) for x in lambda_]
    beta = [flint.arb(x) for x in beta]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (_arb_power(beta[_i], 2)*lambda_[_i]) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 + _arb_power(sigma, 2)


def effective_noise_math(sigma: Any, lambda_: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Effective noise variance of a model trained on D: the noise plus the signal of the dropped features (weights: the number of dropped copies of each coordinate) (math; docs/theory.md#notation; paper, Sec. 5.3 (this project: the diagonal case)).

    Arguments: sigma, lambda, beta.
    Assumptions: \Sigma \text{ diagonal};\ \lambda_i, \beta_i \text{ of the } P - m \text{ features outside } D."""
    _length = len(lambda_)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (beta[_i]**2*lambda_[_i]) for _i in range(_length) if _w[_i] != 0])
    return _sum0 + sigma**2


# -- thresholded_risk: Risk after hard thresholding at per-coordinate thresholds t_i (magnitude: t_i = t; Hessian: t_i = t'/sqrt(lambda_i))


def thresholded_risk_numpy(sigma_D: Any, lambda_: Any, t: Any, mu: Any, varsigma: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk after hard thresholding at per-coordinate thresholds t_i (magnitude: t_i = t; Hessian: t_i = t'/sqrt(lambda_i)) (numpy; docs/theory.md#thresholded-risk; this project (the finite-size form of Cor. 1)).

    Arguments: sigma_D, lambda, t, mu, varsigma, beta.
    Assumptions: \Sigma \text{ diagonal};\ \textstyle\sum_{i \in D} \eta_i(t_i) = s."""
    sigma_D = numpy.asarray(sigma_D, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    t = numpy.asarray(t, dtype=float)
    mu = numpy.asarray(mu, dtype=float)
    varsigma = numpy.asarray(varsigma, dtype=float)
    beta = numpy.asarray(beta, dtype=float)
    x0 = varsigma**(-1.0)
    x1 = mu + t
    x2 = _gaussian_tail(x0*x1)
    x3 = varsigma**2
    x4 = -beta + mu
    x5 = x3 + x4**2
    x6 = -mu + t
    x7 = x0*x6
    x8 = (1/2)/x3
    x9 = 1.4142135623730951*varsigma/1.7724538509055159
    x10 = x4*x9
    x11 = (1/2)*x9
    _sum0 = _numpy_sum(lambda_*(beta**2*(-x2 + _gaussian_tail(-x7)) + x2*x5 + x5*_gaussian_tail(x7) + (x10 + x11*x6)*numpy.exp(-x6**2*x8) + (x1*x11 - x10)*numpy.exp(-x1**2*x8)), weights)
    return _sum0 + sigma_D**2


def thresholded_risk_mpmath(sigma_D: Any, lambda_: Any, t: Any, mu: Any, varsigma: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk after hard thresholding at per-coordinate thresholds t_i (magnitude: t_i = t; Hessian: t_i = t'/sqrt(lambda_i)) (mpmath; docs/theory.md#thresholded-risk; this project (the finite-size form of Cor. 1)).

    Arguments: sigma_D, lambda, t, mu, varsigma, beta.
    Assumptions: \Sigma \text{ diagonal};\ \textstyle\sum_{i \in D} \eta_i(t_i) = s."""
    sigma_D = mpmath.mpf(sigma_D)
    lambda_ = [mpmath.mpf(x) for x in lambda_]
    t = [mpmath.mpf(x) for x in t]
    mu = [mpmath.mpf(x) for x in mu]
    varsigma = [mpmath.mpf(x) for x in varsigma]
    beta = [mpmath.mpf(x) for x in beta]
    _length = len(lambda_)
    _w = _mpmath_weights(weights, _length)
    def _term0(_i: int) -> Any:
        x0 = 1/varsigma[_i]
        x1 = mu[_i] + t[_i]
        x2 = _mpmath_gaussian_tail(x0*x1)
        x3 = varsigma[_i]**2
        x4 = -beta[_i] + mu[_i]
        x5 = x3 + x4**2
        x6 = -mu[_i] + t[_i]
        x7 = x0*x6
        x8 = (mpmath.mpf(1)/mpmath.mpf(2))/x3
        x9 = mpmath.sqrt(2)*varsigma[_i]/mpmath.sqrt(mpmath.pi)
        x10 = x4*x9
        x11 = (mpmath.mpf(1)/mpmath.mpf(2))*x9
        return lambda_[_i]*(beta[_i]**2*(-x2 + _mpmath_gaussian_tail(-x7)) + x2*x5 + x5*_mpmath_gaussian_tail(x7) + (x10 + x11*x6)*mpmath.exp(-x6**2*x8) + (x1*x11 - x10)*mpmath.exp(-x1**2*x8))
    _sum0 = mpmath.fsum(_w[_i] * (_term0(_i)) for _i in range(_length) if _w[_i] != 0)
    return _sum0 + sigma_D**2


def thresholded_risk_arb(sigma_D: Any, lambda_: Any, t: Any, mu: Any, varsigma: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk after hard thresholding at per-coordinate thresholds t_i (magnitude: t_i = t; Hessian: t_i = t'/sqrt(lambda_i)) (arb; docs/theory.md#thresholded-risk; this project (the finite-size form of Cor. 1)).

    Arguments: sigma_D, lambda, t, mu, varsigma, beta.
    Assumptions: \Sigma \text{ diagonal};\ \textstyle\sum_{i \in D} \eta_i(t_i) = s."""
    import flint  # the optional "certify" extra
    sigma_D = flint.arb(sigma_D)
    lambda_ = [flint.arb(x) for x in lambda_]
    t = [flint.arb(x) for x in t]
    mu = [flint.arb(x) for x in mu]
    varsigma = [flint.arb(x) for x in varsigma]
    beta = [flint.arb(x) for x in beta]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    def _term0(_i: int) -> Any:
        x0 = 1/varsigma[_i]
        x1 = mu[_i] + t[_i]
        x2 = _arb_gaussian_tail(x0*x1)
        x3 = _arb_power(varsigma[_i], 2)
        x4 = -beta[_i] + mu[_i]
        x5 = x3 + _arb_power(x4, 2)
        x6 = -mu[_i] + t[_i]
        x7 = _arb_gaussian_tail(x0*x6)
        x8 = ((flint.arb(1)/2))/x3
        x9 = _arb_sqrt(2)*varsigma[_i]/_arb_sqrt(flint.arb.pi())
        x10 = x4*x9
        x11 = ((flint.arb(1)/2))*x9
        return lambda_[_i]*(_arb_power(beta[_i], 2)*(-x2 - x7 + 1) + x2*x5 + x5*x7 + (x10 + x11*x6)*flint.arb(-_arb_power(x6, 2)*x8).exp() + (x1*x11 - x10)*flint.arb(-_arb_power(x1, 2)*x8).exp())
    _sum0 = sum((_w[_i] * (_term0(_i)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 + _arb_power(sigma_D, 2)


def thresholded_risk_math(sigma_D: Any, lambda_: Any, t: Any, mu: Any, varsigma: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk after hard thresholding at per-coordinate thresholds t_i (magnitude: t_i = t; Hessian: t_i = t'/sqrt(lambda_i)) (math; docs/theory.md#thresholded-risk; this project (the finite-size form of Cor. 1)).

    Arguments: sigma_D, lambda, t, mu, varsigma, beta.
    Assumptions: \Sigma \text{ diagonal};\ \textstyle\sum_{i \in D} \eta_i(t_i) = s."""
    _length = len(lambda_)
    _w = _math_weights(weights, _length)
    def _term0(_i: int) -> Any:
        x0 = 1/varsigma[_i]
        x1 = mu[_i] + t[_i]
        x2 = _math_gaussian_tail(x0*x1)
        x3 = varsigma[_i]**2
        x4 = -beta[_i] + mu[_i]
        x5 = x3 + x4**2
        x6 = -mu[_i] + t[_i]
        x7 = x0*x6
        x8 = (1/2)/x3
        x9 = 1.4142135623730951*varsigma[_i]/1.7724538509055159
        x10 = x4*x9
        x11 = (1/2)*x9
        return lambda_[_i]*(beta[_i]**2*(-x2 + _math_gaussian_tail(-x7)) + x2*x5 + x5*_math_gaussian_tail(x7) + (x10 + x11*x6)*math.exp(-x6**2*x8) + (x1*x11 - x10)*math.exp(-x1**2*x8))
    _sum0 = sum([_w[_i] * (_term0(_i)) for _i in range(_length) if _w[_i] != 0])
    return _sum0 + sigma_D**2


# -- oracle_risk: Risk of oracle pruning (keep o_i = 1 on D* = top-s of lambda_i beta_i^2, no refit)


def oracle_risk_numpy(sigma_D: Any, lambda_: Any, o: Any, mu: Any, varsigma: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of oracle pruning (keep o_i = 1 on D* = top-s of lambda_i beta_i^2, no refit) (numpy; docs/theory.md#thresholded-risk; this project).

    Arguments: sigma_D, lambda, o, mu, varsigma, beta.
    Assumptions: \Sigma \text{ diagonal};\ o_i = 1 \text{ for } i \in D^* \cap D,\ o_i = 0 \text{ otherwise}."""
    sigma_D = numpy.asarray(sigma_D, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    o = numpy.asarray(o, dtype=float)
    mu = numpy.asarray(mu, dtype=float)
    varsigma = numpy.asarray(varsigma, dtype=float)
    beta = numpy.asarray(beta, dtype=float)
    _sum0 = _numpy_sum(lambda_*(beta**2*(1 - o) + o*(varsigma**2 + (-beta + mu)**2)), weights)
    return _sum0 + sigma_D**2


def oracle_risk_mpmath(sigma_D: Any, lambda_: Any, o: Any, mu: Any, varsigma: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of oracle pruning (keep o_i = 1 on D* = top-s of lambda_i beta_i^2, no refit) (mpmath; docs/theory.md#thresholded-risk; this project).

    Arguments: sigma_D, lambda, o, mu, varsigma, beta.
    Assumptions: \Sigma \text{ diagonal};\ o_i = 1 \text{ for } i \in D^* \cap D,\ o_i = 0 \text{ otherwise}."""
    sigma_D = mpmath.mpf(sigma_D)
    lambda_ = [mpmath.mpf(x) for x in lambda_]
    o = [mpmath.mpf(x) for x in o]
    mu = [mpmath.mpf(x) for x in mu]
    varsigma = [mpmath.mpf(x) for x in varsigma]
    beta = [mpmath.mpf(x) for x in beta]
    _length = len(lambda_)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (lambda_[_i]*(beta[_i]**2*(1 - o[_i]) + o[_i]*(varsigma[_i]**2 + (-beta[_i] + mu[_i])**2))) for _i in range(_length) if _w[_i] != 0)
    return _sum0 + sigma_D**2


def oracle_risk_gmpy2(sigma_D: Any, lambda_: Any, o: Any, mu: Any, varsigma: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of oracle pruning (keep o_i = 1 on D* = top-s of lambda_i beta_i^2, no refit) (gmpy2; docs/theory.md#thresholded-risk; this project).

    Arguments: sigma_D, lambda, o, mu, varsigma, beta.
    Assumptions: \Sigma \text{ diagonal};\ o_i = 1 \text{ for } i \in D^* \cap D,\ o_i = 0 \text{ otherwise}."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: lambda_[_i]*(beta[_i]**2*(1 - o[_i]) + o[_i]*(varsigma[_i]**2 + (-beta[_i] + mu[_i])**2)), _length, weights)
    return _sum0 + sigma_D**2


def oracle_risk_arb(sigma_D: Any, lambda_: Any, o: Any, mu: Any, varsigma: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of oracle pruning (keep o_i = 1 on D* = top-s of lambda_i beta_i^2, no refit) (arb; docs/theory.md#thresholded-risk; this project).

    Arguments: sigma_D, lambda, o, mu, varsigma, beta.
    Assumptions: \Sigma \text{ diagonal};\ o_i = 1 \text{ for } i \in D^* \cap D,\ o_i = 0 \text{ otherwise}."""
    import flint  # the optional "certify" extra
    sigma_D = flint.arb(sigma_D)
    lambda_ = [flint.arb(x) for x in lambda_]
    o = [flint.arb(x) for x in o]
    mu = [flint.arb(x) for x in mu]
    varsigma = [flint.arb(x) for x in varsigma]
    beta = [flint.arb(x) for x in beta]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (lambda_[_i]*(_arb_power(beta[_i], 2)*(1 - o[_i]) + o[_i]*(_arb_power(varsigma[_i], 2) + _arb_power(-beta[_i] + mu[_i], 2)))) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 + _arb_power(sigma_D, 2)


def oracle_risk_math(sigma_D: Any, lambda_: Any, o: Any, mu: Any, varsigma: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of oracle pruning (keep o_i = 1 on D* = top-s of lambda_i beta_i^2, no refit) (math; docs/theory.md#thresholded-risk; this project).

    Arguments: sigma_D, lambda, o, mu, varsigma, beta.
    Assumptions: \Sigma \text{ diagonal};\ o_i = 1 \text{ for } i \in D^* \cap D,\ o_i = 0 \text{ otherwise}."""
    _length = len(lambda_)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (lambda_[_i]*(beta[_i]**2*(1 - o[_i]) + o[_i]*(varsigma[_i]**2 + (-beta[_i] + mu[_i])**2))) for _i in range(_length) if _w[_i] != 0])
    return _sum0 + sigma_D**2


# -- random_pruning_risk: Risk of pruning a uniformly random s-subset of D


def random_pruning_risk_numpy(sigma_D: Any, s: Any, m: Any, lambda_: Any, mu: Any, varsigma: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of pruning a uniformly random s-subset of D (numpy; docs/theory.md#thresholded-risk; this project).

    Arguments: sigma_D, s, m, lambda, mu, varsigma, beta.
    Assumptions: \Sigma \text{ diagonal};\ s \le m."""
    sigma_D = numpy.asarray(sigma_D, dtype=float)
    s = numpy.asarray(s, dtype=float)
    m = numpy.asarray(m, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    mu = numpy.asarray(mu, dtype=float)
    varsigma = numpy.asarray(varsigma, dtype=float)
    beta = numpy.asarray(beta, dtype=float)
    s_i = s[..., None]
    m_i = m[..., None]
    _sum0 = _numpy_sum(lambda_*(beta**2*(1 - s_i/m_i) + s_i*(varsigma**2 + (-beta + mu)**2)/m_i), weights)
    return _sum0 + sigma_D**2


def random_pruning_risk_mpmath(sigma_D: Any, s: Any, m: Any, lambda_: Any, mu: Any, varsigma: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of pruning a uniformly random s-subset of D (mpmath; docs/theory.md#thresholded-risk; this project).

    Arguments: sigma_D, s, m, lambda, mu, varsigma, beta.
    Assumptions: \Sigma \text{ diagonal};\ s \le m."""
    sigma_D = mpmath.mpf(sigma_D)
    s = mpmath.mpf(s)
    m = mpmath.mpf(m)
    lambda_ = [mpmath.mpf(x) for x in lambda_]
    mu = [mpmath.mpf(x) for x in mu]
    varsigma = [mpmath.mpf(x) for x in varsigma]
    beta = [mpmath.mpf(x) for x in beta]
    _length = len(lambda_)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (lambda_[_i]*(beta[_i]**2*(1 - s/m) + s*(varsigma[_i]**2 + (-beta[_i] + mu[_i])**2)/m)) for _i in range(_length) if _w[_i] != 0)
    return _sum0 + sigma_D**2


def random_pruning_risk_gmpy2(sigma_D: Any, s: Any, m: Any, lambda_: Any, mu: Any, varsigma: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of pruning a uniformly random s-subset of D (gmpy2; docs/theory.md#thresholded-risk; this project).

    Arguments: sigma_D, s, m, lambda, mu, varsigma, beta.
    Assumptions: \Sigma \text{ diagonal};\ s \le m."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: lambda_[_i]*(beta[_i]**2*(1 - s/m) + s*(varsigma[_i]**2 + (-beta[_i] + mu[_i])**2)/m), _length, weights)
    return _sum0 + sigma_D**2


def random_pruning_risk_arb(sigma_D: Any, s: Any, m: Any, lambda_: Any, mu: Any, varsigma: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of pruning a uniformly random s-subset of D (arb; docs/theory.md#thresholded-risk; this project).

    Arguments: sigma_D, s, m, lambda, mu, varsigma, beta.
    Assumptions: \Sigma \text{ diagonal};\ s \le m."""
    import flint  # the optional "certify" extra
    sigma_D = flint.arb(sigma_D)
    s = flint.arb(s)
    m = flint.arb(m)
    lambda_ = [flint.arb(x) for x in lambda_]
    mu = [flint.arb(x) for x in mu]
    varsigma = [flint.arb(x) for x in varsigma]
    beta = [flint.arb(x) for x in beta]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (lambda_[_i]*(_arb_power(beta[_i], 2)*(1 - s/m) + s*(_arb_power(varsigma[_i], 2) + _arb_power(-beta[_i] + mu[_i], 2))/m)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 + _arb_power(sigma_D, 2)


def random_pruning_risk_math(sigma_D: Any, s: Any, m: Any, lambda_: Any, mu: Any, varsigma: Any, beta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of pruning a uniformly random s-subset of D (math; docs/theory.md#thresholded-risk; this project).

    Arguments: sigma_D, s, m, lambda, mu, varsigma, beta.
    Assumptions: \Sigma \text{ diagonal};\ s \le m."""
    _length = len(lambda_)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (lambda_[_i]*(beta[_i]**2*(1 - s/m) + s*(varsigma[_i]**2 + (-beta[_i] + mu[_i])**2)/m)) for _i in range(_length) if _w[_i] != 0])
    return _sum0 + sigma_D**2


# -- retrained_risk: Risk of fresh retraining on the pruned support, s < n - 1 (eta_i = 0 outside D)


def retrained_risk_numpy(sigma: Any, n: Any, s: Any, lambda_: Any, beta: Any, eta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of fresh retraining on the pruned support, s < n - 1 (eta_i = 0 outside D) (numpy; docs/theory.md#retraining; this project (a closed form of Def. 5's procedure)).

    Arguments: sigma, n, s, lambda, beta, eta.
    Assumptions: \Sigma \text{ diagonal};\ s < n - 1;\ \eta_i = 0 \text{ for } i \notin D;\ \text{fresh sample}."""
    sigma = numpy.asarray(sigma, dtype=float)
    n = numpy.asarray(n, dtype=float)
    s = numpy.asarray(s, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    beta = numpy.asarray(beta, dtype=float)
    eta = numpy.asarray(eta, dtype=float)
    _sum0 = _numpy_sum(beta**2*lambda_*(1 - eta), weights)
    return (_sum0 + sigma**2)*(n - 1)/(n - s - 1)


def retrained_risk_mpmath(sigma: Any, n: Any, s: Any, lambda_: Any, beta: Any, eta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of fresh retraining on the pruned support, s < n - 1 (eta_i = 0 outside D) (mpmath; docs/theory.md#retraining; this project (a closed form of Def. 5's procedure)).

    Arguments: sigma, n, s, lambda, beta, eta.
    Assumptions: \Sigma \text{ diagonal};\ s < n - 1;\ \eta_i = 0 \text{ for } i \notin D;\ \text{fresh sample}."""
    sigma = mpmath.mpf(sigma)
    n = mpmath.mpf(n)
    s = mpmath.mpf(s)
    lambda_ = [mpmath.mpf(x) for x in lambda_]
    beta = [mpmath.mpf(x) for x in beta]
    eta = [mpmath.mpf(x) for x in eta]
    _length = len(lambda_)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (beta[_i]**2*lambda_[_i]*(1 - eta[_i])) for _i in range(_length) if _w[_i] != 0)
    return (_sum0 + sigma**2)*(n - 1)/(n - s - 1)


def retrained_risk_gmpy2(sigma: Any, n: Any, s: Any, lambda_: Any, beta: Any, eta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of fresh retraining on the pruned support, s < n - 1 (eta_i = 0 outside D) (gmpy2; docs/theory.md#retraining; this project (a closed form of Def. 5's procedure)).

    Arguments: sigma, n, s, lambda, beta, eta.
    Assumptions: \Sigma \text{ diagonal};\ s < n - 1;\ \eta_i = 0 \text{ for } i \notin D;\ \text{fresh sample}."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: beta[_i]**2*lambda_[_i]*(1 - eta[_i]), _length, weights)
    return (_sum0 + sigma**2)*(n - 1)/(n - s - 1)


def retrained_risk_arb(sigma: Any, n: Any, s: Any, lambda_: Any, beta: Any, eta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of fresh retraining on the pruned support, s < n - 1 (eta_i = 0 outside D) (arb; docs/theory.md#retraining; this project (a closed form of Def. 5's procedure)).

    Arguments: sigma, n, s, lambda, beta, eta.
    Assumptions: \Sigma \text{ diagonal};\ s < n - 1;\ \eta_i = 0 \text{ for } i \notin D;\ \text{fresh sample}."""
    import flint  # the optional "certify" extra
    sigma = flint.arb(sigma)
    n = flint.arb(n)
    s = flint.arb(s)
    lambda_ = [flint.arb(x) for x in lambda_]
    beta = [flint.arb(x) for x in beta]
    eta = [flint.arb(x) for x in eta]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (_arb_power(beta[_i], 2)*lambda_[_i]*(1 - eta[_i])) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return (_sum0 + _arb_power(sigma, 2))*(n - 1)/(n - s - 1)


def retrained_risk_math(sigma: Any, n: Any, s: Any, lambda_: Any, beta: Any, eta: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of fresh retraining on the pruned support, s < n - 1 (eta_i = 0 outside D) (math; docs/theory.md#retraining; this project (a closed form of Def. 5's procedure)).

    Arguments: sigma, n, s, lambda, beta, eta.
    Assumptions: \Sigma \text{ diagonal};\ s < n - 1;\ \eta_i = 0 \text{ for } i \notin D;\ \text{fresh sample}."""
    _length = len(lambda_)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (beta[_i]**2*lambda_[_i]*(1 - eta[_i])) for _i in range(_length) if _w[_i] != 0])
    return (_sum0 + sigma**2)*(n - 1)/(n - s - 1)


# -- rank_one_pruned_excess: E L(w_s) - L* for magnitude or Hessian pruning


def rank_one_pruned_excess_numpy(c: Any, rho: Any, sigma: Any, n: Any, /, *, weights: Any = None) -> Any:
    r"""E L(w_s) - L* for magnitude or Hessian pruning (numpy; docs/theory.md#correlated-features; paper, Lemma 1).

    Arguments: c, rho, sigma, n.
    Assumptions: x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ \rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta."""
    c = numpy.asarray(c, dtype=float)
    rho = numpy.asarray(rho, dtype=float)
    sigma = numpy.asarray(sigma, dtype=float)
    n = numpy.asarray(n, dtype=float)
    return c**2*(1 - rho)**2 + rho**2*sigma**2/(n - 2)


def rank_one_pruned_excess_mpmath(c: Any, rho: Any, sigma: Any, n: Any, /, *, weights: Any = None) -> Any:
    r"""E L(w_s) - L* for magnitude or Hessian pruning (mpmath; docs/theory.md#correlated-features; paper, Lemma 1).

    Arguments: c, rho, sigma, n.
    Assumptions: x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ \rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta."""
    return c**2*(1 - rho)**2 + rho**2*sigma**2/(n - 2)


def rank_one_pruned_excess_gmpy2(c: Any, rho: Any, sigma: Any, n: Any, /, *, weights: Any = None) -> Any:
    r"""E L(w_s) - L* for magnitude or Hessian pruning (gmpy2; docs/theory.md#correlated-features; paper, Lemma 1).

    Arguments: c, rho, sigma, n.
    Assumptions: x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ \rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta."""
    return c**2*(1 - rho)**2 + rho**2*sigma**2/(n - 2)


def rank_one_pruned_excess_arb(c: Any, rho: Any, sigma: Any, n: Any, /, *, weights: Any = None) -> Any:
    r"""E L(w_s) - L* for magnitude or Hessian pruning (arb; docs/theory.md#correlated-features; paper, Lemma 1).

    Arguments: c, rho, sigma, n.
    Assumptions: x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ \rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta."""
    import flint  # the optional "certify" extra
    c = flint.arb(c)
    rho = flint.arb(rho)
    sigma = flint.arb(sigma)
    n = flint.arb(n)
    return _arb_power(c, 2)*_arb_power(1 - rho, 2) + _arb_power(rho, 2)*_arb_power(sigma, 2)/(n - 2)


def rank_one_pruned_excess_math(c: Any, rho: Any, sigma: Any, n: Any, /, *, weights: Any = None) -> Any:
    r"""E L(w_s) - L* for magnitude or Hessian pruning (math; docs/theory.md#correlated-features; paper, Lemma 1).

    Arguments: c, rho, sigma, n.
    Assumptions: x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ \rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta."""
    return c**2*(1 - rho)**2 + rho**2*sigma**2/(n - 2)


# -- rank_one_retrained_excess: E L(w_RT) - L* (retraining on the pruned support)


def rank_one_retrained_excess_numpy(sigma: Any, n: Any, /, *, weights: Any = None) -> Any:
    r"""E L(w_RT) - L* (retraining on the pruned support) (numpy; docs/theory.md#correlated-features; paper, Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ \rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta."""
    sigma = numpy.asarray(sigma, dtype=float)
    n = numpy.asarray(n, dtype=float)
    return sigma**2/(n - 2)


def rank_one_retrained_excess_mpmath(sigma: Any, n: Any, /, *, weights: Any = None) -> Any:
    r"""E L(w_RT) - L* (retraining on the pruned support) (mpmath; docs/theory.md#correlated-features; paper, Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ \rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta."""
    return sigma**2/(n - 2)


def rank_one_retrained_excess_gmpy2(sigma: Any, n: Any, /, *, weights: Any = None) -> Any:
    r"""E L(w_RT) - L* (retraining on the pruned support) (gmpy2; docs/theory.md#correlated-features; paper, Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ \rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta."""
    return sigma**2/(n - 2)


def rank_one_retrained_excess_arb(sigma: Any, n: Any, /, *, weights: Any = None) -> Any:
    r"""E L(w_RT) - L* (retraining on the pruned support) (arb; docs/theory.md#correlated-features; paper, Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ \rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta."""
    import flint  # the optional "certify" extra
    sigma = flint.arb(sigma)
    n = flint.arb(n)
    return _arb_power(sigma, 2)/(n - 2)


def rank_one_retrained_excess_math(sigma: Any, n: Any, /, *, weights: Any = None) -> Any:
    r"""E L(w_RT) - L* (retraining on the pruned support) (math; docs/theory.md#correlated-features; paper, Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ \rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta."""
    return sigma**2/(n - 2)


# -- rank_one_dense_excess: E L(w_hat) - L* of the dense min-norm model


def rank_one_dense_excess_numpy(sigma: Any, n: Any, /, *, weights: Any = None) -> Any:
    r"""E L(w_hat) - L* of the dense min-norm model (numpy; docs/theory.md#correlated-features; paper, Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ \rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta."""
    sigma = numpy.asarray(sigma, dtype=float)
    n = numpy.asarray(n, dtype=float)
    return sigma**2/(n - 2)


def rank_one_dense_excess_mpmath(sigma: Any, n: Any, /, *, weights: Any = None) -> Any:
    r"""E L(w_hat) - L* of the dense min-norm model (mpmath; docs/theory.md#correlated-features; paper, Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ \rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta."""
    return sigma**2/(n - 2)


def rank_one_dense_excess_gmpy2(sigma: Any, n: Any, /, *, weights: Any = None) -> Any:
    r"""E L(w_hat) - L* of the dense min-norm model (gmpy2; docs/theory.md#correlated-features; paper, Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ \rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta."""
    return sigma**2/(n - 2)


def rank_one_dense_excess_arb(sigma: Any, n: Any, /, *, weights: Any = None) -> Any:
    r"""E L(w_hat) - L* of the dense min-norm model (arb; docs/theory.md#correlated-features; paper, Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ \rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta."""
    import flint  # the optional "certify" extra
    sigma = flint.arb(sigma)
    n = flint.arb(n)
    return _arb_power(sigma, 2)/(n - 2)


def rank_one_dense_excess_math(sigma: Any, n: Any, /, *, weights: Any = None) -> Any:
    r"""E L(w_hat) - L* of the dense min-norm model (math; docs/theory.md#correlated-features; paper, Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = \zeta g \text{ with distinct } |\zeta_i|;\ n > 2;\ \rho = \|\zeta_S\|^2 / \|\zeta\|^2;\ c = \zeta^\top\beta."""
    return sigma**2/(n - 2)


# -- relu_covariance: Sigma_ij = E[ReLU(w_i^T x) ReLU(w_j^T x)] (theta_ij the angle between w_i, w_j)


def relu_covariance_numpy(r_i: Any, r_j: Any, theta_ij: Any, /, *, weights: Any = None) -> Any:
    r"""Sigma_ij = E[ReLU(w_i^T x) ReLU(w_j^T x)] (theta_ij the angle between w_i, w_j) (numpy; docs/theory.md#random-features; this project).

    Arguments: r_i, r_j, theta_ij.
    Assumptions: 0 \le \theta_{ij} \le \pi \ (\theta_{ii} = 0, \text{ so } \Sigma_{ii} = r_i^2 / 2)."""
    r_i = numpy.asarray(r_i, dtype=float)
    r_j = numpy.asarray(r_j, dtype=float)
    theta_ij = numpy.asarray(theta_ij, dtype=float)
    return (1/2)*r_i*r_j*((numpy.pi - theta_ij)*numpy.cos(theta_ij) + numpy.sin(theta_ij))/numpy.pi


def relu_covariance_mpmath(r_i: Any, r_j: Any, theta_ij: Any, /, *, weights: Any = None) -> Any:
    r"""Sigma_ij = E[ReLU(w_i^T x) ReLU(w_j^T x)] (theta_ij the angle between w_i, w_j) (mpmath; docs/theory.md#random-features; this project).

    Arguments: r_i, r_j, theta_ij.
    Assumptions: 0 \le \theta_{ij} \le \pi \ (\theta_{ii} = 0, \text{ so } \Sigma_{ii} = r_i^2 / 2)."""
    return (mpmath.mpf(1)/mpmath.mpf(2))*r_i*r_j*((mpmath.pi - theta_ij)*mpmath.cos(theta_ij) + mpmath.sin(theta_ij))/mpmath.pi


def relu_covariance_math(r_i: Any, r_j: Any, theta_ij: Any, /, *, weights: Any = None) -> Any:
    r"""Sigma_ij = E[ReLU(w_i^T x) ReLU(w_j^T x)] (theta_ij the angle between w_i, w_j) (math; docs/theory.md#random-features; this project).

    Arguments: r_i, r_j, theta_ij.
    Assumptions: 0 \le \theta_{ij} \le \pi \ (\theta_{ii} = 0, \text{ so } \Sigma_{ii} = r_i^2 / 2)."""
    return (1/2)*r_i*r_j*((math.pi - theta_ij)*math.cos(theta_ij) + math.sin(theta_ij))/math.pi


# -- relu_label_correlation: E[psi_i y] for the quadratic label (nu_i = <w_i, beta*>/r_i)


def relu_label_correlation_numpy(r_i: Any, nu_i: Any, /, *, weights: Any = None) -> Any:
    r"""E[psi_i y] for the quadratic label (nu_i = <w_i, beta*>/r_i) (numpy; docs/theory.md#random-features; this project).

    Arguments: r_i, nu_i.
    Assumptions: -1 \le \nu_i \le 1."""
    r_i = numpy.asarray(r_i, dtype=float)
    nu_i = numpy.asarray(nu_i, dtype=float)
    return (1/2)*1.4142135623730951*r_i*(nu_i**2 + 1)/1.7724538509055159


def relu_label_correlation_mpmath(r_i: Any, nu_i: Any, /, *, weights: Any = None) -> Any:
    r"""E[psi_i y] for the quadratic label (nu_i = <w_i, beta*>/r_i) (mpmath; docs/theory.md#random-features; this project).

    Arguments: r_i, nu_i.
    Assumptions: -1 \le \nu_i \le 1."""
    return (mpmath.mpf(1)/mpmath.mpf(2))*mpmath.sqrt(2)*r_i*(nu_i**2 + 1)/mpmath.sqrt(mpmath.pi)


def relu_label_correlation_arb(r_i: Any, nu_i: Any, /, *, weights: Any = None) -> Any:
    r"""E[psi_i y] for the quadratic label (nu_i = <w_i, beta*>/r_i) (arb; docs/theory.md#random-features; this project).

    Arguments: r_i, nu_i.
    Assumptions: -1 \le \nu_i \le 1."""
    import flint  # the optional "certify" extra
    r_i = flint.arb(r_i)
    nu_i = flint.arb(nu_i)
    return ((flint.arb(1)/2))*_arb_sqrt(2)*r_i*(_arb_power(nu_i, 2) + 1)/_arb_sqrt(flint.arb.pi())


def relu_label_correlation_math(r_i: Any, nu_i: Any, /, *, weights: Any = None) -> Any:
    r"""E[psi_i y] for the quadratic label (nu_i = <w_i, beta*>/r_i) (math; docs/theory.md#random-features; this project).

    Arguments: r_i, nu_i.
    Assumptions: -1 \le \nu_i \le 1."""
    return (1/2)*1.4142135623730951*r_i*(nu_i**2 + 1)/1.7724538509055159


# -- label_second_moment: E[y^2] for y = (x^T beta*)^2 + sigma_y z


def label_second_moment_numpy(sigma_y: Any, /, *, weights: Any = None) -> Any:
    r"""E[y^2] for y = (x^T beta*)^2 + sigma_y z (numpy; docs/theory.md#random-features; this project).

    Arguments: sigma_y.
    Assumptions: \|\beta^*\| = 1."""
    sigma_y = numpy.asarray(sigma_y, dtype=float)
    return sigma_y**2 + 3


def label_second_moment_mpmath(sigma_y: Any, /, *, weights: Any = None) -> Any:
    r"""E[y^2] for y = (x^T beta*)^2 + sigma_y z (mpmath; docs/theory.md#random-features; this project).

    Arguments: sigma_y.
    Assumptions: \|\beta^*\| = 1."""
    return sigma_y**2 + 3


def label_second_moment_gmpy2(sigma_y: Any, /, *, weights: Any = None) -> Any:
    r"""E[y^2] for y = (x^T beta*)^2 + sigma_y z (gmpy2; docs/theory.md#random-features; this project).

    Arguments: sigma_y.
    Assumptions: \|\beta^*\| = 1."""
    return sigma_y**2 + 3


def label_second_moment_arb(sigma_y: Any, /, *, weights: Any = None) -> Any:
    r"""E[y^2] for y = (x^T beta*)^2 + sigma_y z (arb; docs/theory.md#random-features; this project).

    Arguments: sigma_y.
    Assumptions: \|\beta^*\| = 1."""
    import flint  # the optional "certify" extra
    sigma_y = flint.arb(sigma_y)
    return _arb_power(sigma_y, 2) + 3


def label_second_moment_math(sigma_y: Any, /, *, weights: Any = None) -> Any:
    r"""E[y^2] for y = (x^T beta*)^2 + sigma_y z (math; docs/theory.md#random-features; this project).

    Arguments: sigma_y.
    Assumptions: \|\beta^*\| = 1."""
    return sigma_y**2 + 3


# -- asymptotic_xi_equation: Equation for xi, asymptotic (E over the law of Lam)


def asymptotic_xi_equation_numpy(xi: Any, kappa: Any, Lambda: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi, asymptotic (E over the law of Lam) (numpy; docs/theory.md#asymptotic; paper, Def. 3 (8)).

    Arguments: xi, kappa, Lambda, p.
    Assumptions: \kappa > 1,\ \Pr(\Lambda > 0) > 1/\kappa."""
    xi = numpy.asarray(xi, dtype=float)
    kappa = numpy.asarray(kappa, dtype=float)
    Lambda = numpy.asarray(Lambda, dtype=float)
    p = numpy.asarray(p, dtype=float)
    xi_i = xi[..., None]
    _sum0 = _numpy_sum(Lambda*p*xi_i/(Lambda*xi_i + 1), weights)
    return _sum0 - 1/kappa


def asymptotic_xi_equation_mpmath(xi: Any, kappa: Any, Lambda: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi, asymptotic (E over the law of Lam) (mpmath; docs/theory.md#asymptotic; paper, Def. 3 (8)).

    Arguments: xi, kappa, Lambda, p.
    Assumptions: \kappa > 1,\ \Pr(\Lambda > 0) > 1/\kappa."""
    xi = mpmath.mpf(xi)
    kappa = mpmath.mpf(kappa)
    Lambda = [mpmath.mpf(x) for x in Lambda]
    p = [mpmath.mpf(x) for x in p]
    _length = len(Lambda)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (Lambda[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0)
    return _sum0 - 1/kappa


def asymptotic_xi_equation_gmpy2(xi: Any, kappa: Any, Lambda: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi, asymptotic (E over the law of Lam) (gmpy2; docs/theory.md#asymptotic; paper, Def. 3 (8)).

    Arguments: xi, kappa, Lambda, p.
    Assumptions: \kappa > 1,\ \Pr(\Lambda > 0) > 1/\kappa."""
    _length = len(Lambda)
    _sum0 = _gmpy2_sum(lambda _i: Lambda[_i]*p[_i]*xi/(Lambda[_i]*xi + 1), _length, weights)
    return _sum0 - 1/kappa


def asymptotic_xi_equation_arb(xi: Any, kappa: Any, Lambda: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi, asymptotic (E over the law of Lam) (arb; docs/theory.md#asymptotic; paper, Def. 3 (8)).

    Arguments: xi, kappa, Lambda, p.
    Assumptions: \kappa > 1,\ \Pr(\Lambda > 0) > 1/\kappa."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    kappa = flint.arb(kappa)
    Lambda = [flint.arb(x) for x in Lambda]
    p = [flint.arb(x) for x in p]
    _length = len(Lambda)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (Lambda[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 - 1/kappa


def asymptotic_xi_equation_math(xi: Any, kappa: Any, Lambda: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi, asymptotic (E over the law of Lam) (math; docs/theory.md#asymptotic; paper, Def. 3 (8)).

    Arguments: xi, kappa, Lambda, p.
    Assumptions: \kappa > 1,\ \Pr(\Lambda > 0) > 1/\kappa."""
    _length = len(Lambda)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (Lambda[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0])
    return _sum0 - 1/kappa


# -- asymptotic_tau2: tau^2, asymptotic (cancellation-free denominator)


def asymptotic_tau2_numpy(xi: Any, kappa: Any, sigma: Any, Lambda: Any, B: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""tau^2, asymptotic (cancellation-free denominator) (numpy; docs/theory.md#asymptotic; this project (equal to Def. 3's (9) at the root)).

    Arguments: xi, kappa, sigma, Lambda, B, p.
    Assumptions: \kappa > 1,\ \xi \text{ is the root of } F."""
    xi = numpy.asarray(xi, dtype=float)
    kappa = numpy.asarray(kappa, dtype=float)
    sigma = numpy.asarray(sigma, dtype=float)
    Lambda = numpy.asarray(Lambda, dtype=float)
    B = numpy.asarray(B, dtype=float)
    p = numpy.asarray(p, dtype=float)
    xi_i = xi[..., None]
    _sum0 = _numpy_sum(Lambda*p*xi_i/(Lambda*xi_i + 1)**2, weights)
    _sum1 = _numpy_sum(B**2*Lambda*p/(Lambda*xi_i + 1)**2, weights)
    return (_sum1 + sigma**2)/(_sum0*kappa)


def asymptotic_tau2_mpmath(xi: Any, kappa: Any, sigma: Any, Lambda: Any, B: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""tau^2, asymptotic (cancellation-free denominator) (mpmath; docs/theory.md#asymptotic; this project (equal to Def. 3's (9) at the root)).

    Arguments: xi, kappa, sigma, Lambda, B, p.
    Assumptions: \kappa > 1,\ \xi \text{ is the root of } F."""
    xi = mpmath.mpf(xi)
    kappa = mpmath.mpf(kappa)
    sigma = mpmath.mpf(sigma)
    Lambda = [mpmath.mpf(x) for x in Lambda]
    B = [mpmath.mpf(x) for x in B]
    p = [mpmath.mpf(x) for x in p]
    _length = len(Lambda)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (Lambda[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0)
    _sum1 = mpmath.fsum(_w[_i] * (B[_i]**2*Lambda[_i]*p[_i]/(Lambda[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0)
    return (_sum1 + sigma**2)/(_sum0*kappa)


def asymptotic_tau2_gmpy2(xi: Any, kappa: Any, sigma: Any, Lambda: Any, B: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""tau^2, asymptotic (cancellation-free denominator) (gmpy2; docs/theory.md#asymptotic; this project (equal to Def. 3's (9) at the root)).

    Arguments: xi, kappa, sigma, Lambda, B, p.
    Assumptions: \kappa > 1,\ \xi \text{ is the root of } F."""
    _length = len(Lambda)
    _sum0 = _gmpy2_sum(lambda _i: Lambda[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)**2, _length, weights)
    _sum1 = _gmpy2_sum(lambda _i: B[_i]**2*Lambda[_i]*p[_i]/(Lambda[_i]*xi + 1)**2, _length, weights)
    return (_sum1 + sigma**2)/(_sum0*kappa)


def asymptotic_tau2_arb(xi: Any, kappa: Any, sigma: Any, Lambda: Any, B: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""tau^2, asymptotic (cancellation-free denominator) (arb; docs/theory.md#asymptotic; this project (equal to Def. 3's (9) at the root)).

    Arguments: xi, kappa, sigma, Lambda, B, p.
    Assumptions: \kappa > 1,\ \xi \text{ is the root of } F."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    kappa = flint.arb(kappa)
    sigma = flint.arb(sigma)
    Lambda = [flint.arb(x) for x in Lambda]
    B = [flint.arb(x) for x in B]
    p = [flint.arb(x) for x in p]
    _length = len(Lambda)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (Lambda[_i]*p[_i]*xi/_arb_power(Lambda[_i]*xi + 1, 2)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    _sum1 = sum((_w[_i] * (_arb_power(B[_i], 2)*Lambda[_i]*p[_i]/_arb_power(Lambda[_i]*xi + 1, 2)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return (_sum1 + _arb_power(sigma, 2))/(_sum0*kappa)


def asymptotic_tau2_math(xi: Any, kappa: Any, sigma: Any, Lambda: Any, B: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""tau^2, asymptotic (cancellation-free denominator) (math; docs/theory.md#asymptotic; this project (equal to Def. 3's (9) at the root)).

    Arguments: xi, kappa, sigma, Lambda, B, p.
    Assumptions: \kappa > 1,\ \xi \text{ is the root of } F."""
    _length = len(Lambda)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (Lambda[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0])
    _sum1 = sum([_w[_i] * (B[_i]**2*Lambda[_i]*p[_i]/(Lambda[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0])
    return (_sum1 + sigma**2)/(_sum0*kappa)


# -- asymptotic_law: The limit Omega of sqrt(P) w_hat_i given (Lambda, B), H ~ N(0, 1)


def asymptotic_law_numpy(xi: Any, kappa: Any, tau: Any, Lambda: Any, B: Any, H: Any, /, *, weights: Any = None) -> Any:
    r"""The limit Omega of sqrt(P) w_hat_i given (Lambda, B), H ~ N(0, 1) (numpy; docs/theory.md#asymptotic; paper, Def. 3 (10)).

    Arguments: xi, kappa, tau, Lambda, B, H.
    Assumptions: \kappa > 1;\ H \sim N(0, 1) \text{ independent of } (\Lambda, B)."""
    xi = numpy.asarray(xi, dtype=float)
    kappa = numpy.asarray(kappa, dtype=float)
    tau = numpy.asarray(tau, dtype=float)
    Lambda = numpy.asarray(Lambda, dtype=float)
    B = numpy.asarray(B, dtype=float)
    H = numpy.asarray(H, dtype=float)
    return Lambda*xi*(B + H*numpy.sqrt(kappa)*tau/numpy.sqrt(Lambda))/(Lambda*xi + 1)


def asymptotic_law_mpmath(xi: Any, kappa: Any, tau: Any, Lambda: Any, B: Any, H: Any, /, *, weights: Any = None) -> Any:
    r"""The limit Omega of sqrt(P) w_hat_i given (Lambda, B), H ~ N(0, 1) (mpmath; docs/theory.md#asymptotic; paper, Def. 3 (10)).

    Arguments: xi, kappa, tau, Lambda, B, H.
    Assumptions: \kappa > 1;\ H \sim N(0, 1) \text{ independent of } (\Lambda, B)."""
    return Lambda*xi*(B + H*mpmath.sqrt(kappa)*tau/mpmath.sqrt(Lambda))/(Lambda*xi + 1)


def asymptotic_law_gmpy2(xi: Any, kappa: Any, tau: Any, Lambda: Any, B: Any, H: Any, /, *, weights: Any = None) -> Any:
    r"""The limit Omega of sqrt(P) w_hat_i given (Lambda, B), H ~ N(0, 1) (gmpy2; docs/theory.md#asymptotic; paper, Def. 3 (10)).

    Arguments: xi, kappa, tau, Lambda, B, H.
    Assumptions: \kappa > 1;\ H \sim N(0, 1) \text{ independent of } (\Lambda, B)."""
    return Lambda*xi*(B + H*gmpy2.sqrt(kappa)*tau/gmpy2.sqrt(Lambda))/(Lambda*xi + 1)


def asymptotic_law_arb(xi: Any, kappa: Any, tau: Any, Lambda: Any, B: Any, H: Any, /, *, weights: Any = None) -> Any:
    r"""The limit Omega of sqrt(P) w_hat_i given (Lambda, B), H ~ N(0, 1) (arb; docs/theory.md#asymptotic; paper, Def. 3 (10)).

    Arguments: xi, kappa, tau, Lambda, B, H.
    Assumptions: \kappa > 1;\ H \sim N(0, 1) \text{ independent of } (\Lambda, B)."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    kappa = flint.arb(kappa)
    tau = flint.arb(tau)
    Lambda = flint.arb(Lambda)
    B = flint.arb(B)
    H = flint.arb(H)
    return Lambda*xi*(B + H*_arb_sqrt(kappa)*tau/_arb_sqrt(Lambda))/(Lambda*xi + 1)


def asymptotic_law_math(xi: Any, kappa: Any, tau: Any, Lambda: Any, B: Any, H: Any, /, *, weights: Any = None) -> Any:
    r"""The limit Omega of sqrt(P) w_hat_i given (Lambda, B), H ~ N(0, 1) (math; docs/theory.md#asymptotic; paper, Def. 3 (10)).

    Arguments: xi, kappa, tau, Lambda, B, H.
    Assumptions: \kappa > 1;\ H \sim N(0, 1) \text{ independent of } (\Lambda, B)."""
    return Lambda*xi*(B + H*math.sqrt(kappa)*tau/math.sqrt(Lambda))/(Lambda*xi + 1)


# -- hastie_xi: xi for isotropic features (derived from the asymptotic equation)


def hastie_xi_numpy(kappa: Any, /, *, weights: Any = None) -> Any:
    r"""xi for isotropic features (derived from the asymptotic equation) (numpy; docs/theory.md#asymptotic; Hastie et al. 2019, Thm. 3).

    Arguments: kappa.
    Assumptions: \Lambda = 1,\ \kappa > 1."""
    kappa = numpy.asarray(kappa, dtype=float)
    return (kappa - 1)**(-1.0)


def hastie_xi_mpmath(kappa: Any, /, *, weights: Any = None) -> Any:
    r"""xi for isotropic features (derived from the asymptotic equation) (mpmath; docs/theory.md#asymptotic; Hastie et al. 2019, Thm. 3).

    Arguments: kappa.
    Assumptions: \Lambda = 1,\ \kappa > 1."""
    return 1/(kappa - 1)


def hastie_xi_gmpy2(kappa: Any, /, *, weights: Any = None) -> Any:
    r"""xi for isotropic features (derived from the asymptotic equation) (gmpy2; docs/theory.md#asymptotic; Hastie et al. 2019, Thm. 3).

    Arguments: kappa.
    Assumptions: \Lambda = 1,\ \kappa > 1."""
    return 1/(kappa - 1)


def hastie_xi_arb(kappa: Any, /, *, weights: Any = None) -> Any:
    r"""xi for isotropic features (derived from the asymptotic equation) (arb; docs/theory.md#asymptotic; Hastie et al. 2019, Thm. 3).

    Arguments: kappa.
    Assumptions: \Lambda = 1,\ \kappa > 1."""
    import flint  # the optional "certify" extra
    kappa = flint.arb(kappa)
    return 1/(kappa - 1)


def hastie_xi_math(kappa: Any, /, *, weights: Any = None) -> Any:
    r"""xi for isotropic features (derived from the asymptotic equation) (math; docs/theory.md#asymptotic; Hastie et al. 2019, Thm. 3).

    Arguments: kappa.
    Assumptions: \Lambda = 1,\ \kappa > 1."""
    return 1/(kappa - 1)


# -- hastie_tau2: Dense risk for isotropic features (derived from the asymptotic equations)


def hastie_tau2_numpy(kappa: Any, sigma: Any, gamma: Any, /, *, weights: Any = None) -> Any:
    r"""Dense risk for isotropic features (derived from the asymptotic equations) (numpy; docs/theory.md#asymptotic; Hastie et al. 2019, Thm. 3).

    Arguments: kappa, sigma, gamma.
    Assumptions: \Lambda = 1,\ \mathbb{E}[B^2] = \gamma^2,\ \kappa > 1."""
    kappa = numpy.asarray(kappa, dtype=float)
    sigma = numpy.asarray(sigma, dtype=float)
    gamma = numpy.asarray(gamma, dtype=float)
    return gamma**2*(1 - 1/kappa) + kappa*sigma**2/(kappa - 1)


def hastie_tau2_mpmath(kappa: Any, sigma: Any, gamma: Any, /, *, weights: Any = None) -> Any:
    r"""Dense risk for isotropic features (derived from the asymptotic equations) (mpmath; docs/theory.md#asymptotic; Hastie et al. 2019, Thm. 3).

    Arguments: kappa, sigma, gamma.
    Assumptions: \Lambda = 1,\ \mathbb{E}[B^2] = \gamma^2,\ \kappa > 1."""
    return gamma**2*(1 - 1/kappa) + kappa*sigma**2/(kappa - 1)


def hastie_tau2_gmpy2(kappa: Any, sigma: Any, gamma: Any, /, *, weights: Any = None) -> Any:
    r"""Dense risk for isotropic features (derived from the asymptotic equations) (gmpy2; docs/theory.md#asymptotic; Hastie et al. 2019, Thm. 3).

    Arguments: kappa, sigma, gamma.
    Assumptions: \Lambda = 1,\ \mathbb{E}[B^2] = \gamma^2,\ \kappa > 1."""
    return gamma**2*(1 - 1/kappa) + kappa*sigma**2/(kappa - 1)


def hastie_tau2_arb(kappa: Any, sigma: Any, gamma: Any, /, *, weights: Any = None) -> Any:
    r"""Dense risk for isotropic features (derived from the asymptotic equations) (arb; docs/theory.md#asymptotic; Hastie et al. 2019, Thm. 3).

    Arguments: kappa, sigma, gamma.
    Assumptions: \Lambda = 1,\ \mathbb{E}[B^2] = \gamma^2,\ \kappa > 1."""
    import flint  # the optional "certify" extra
    kappa = flint.arb(kappa)
    sigma = flint.arb(sigma)
    gamma = flint.arb(gamma)
    return _arb_power(gamma, 2)*(1 - 1/kappa) + kappa*_arb_power(sigma, 2)/(kappa - 1)


def hastie_tau2_math(kappa: Any, sigma: Any, gamma: Any, /, *, weights: Any = None) -> Any:
    r"""Dense risk for isotropic features (derived from the asymptotic equations) (math; docs/theory.md#asymptotic; Hastie et al. 2019, Thm. 3).

    Arguments: kappa, sigma, gamma.
    Assumptions: \Lambda = 1,\ \mathbb{E}[B^2] = \gamma^2,\ \kappa > 1."""
    return gamma**2*(1 - 1/kappa) + kappa*sigma**2/(kappa - 1)


# -- asymptotic_retrained_risk: Fresh retraining on a kept fraction q = s/P of the features, asymptotic (q kappa < 1)


def asymptotic_retrained_risk_numpy(sigma: Any, kappa: Any, q: Any, Lambda: Any, B: Any, eta: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Fresh retraining on a kept fraction q = s/P of the features, asymptotic (q kappa < 1) (numpy; docs/theory.md#retraining; this project (Def. 5's procedure in the limit)).

    Arguments: sigma, kappa, q, Lambda, B, eta, p.
    Assumptions: \Sigma \text{ diagonal};\ q\kappa < 1;\ \eta \text{ the keep probability of the pruning rule}."""
    sigma = numpy.asarray(sigma, dtype=float)
    kappa = numpy.asarray(kappa, dtype=float)
    q = numpy.asarray(q, dtype=float)
    Lambda = numpy.asarray(Lambda, dtype=float)
    B = numpy.asarray(B, dtype=float)
    eta = numpy.asarray(eta, dtype=float)
    p = numpy.asarray(p, dtype=float)
    _sum0 = _numpy_sum(B**2*Lambda*p*(1 - eta), weights)
    return (_sum0 + sigma**2)/(-kappa*q + 1)


def asymptotic_retrained_risk_mpmath(sigma: Any, kappa: Any, q: Any, Lambda: Any, B: Any, eta: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Fresh retraining on a kept fraction q = s/P of the features, asymptotic (q kappa < 1) (mpmath; docs/theory.md#retraining; this project (Def. 5's procedure in the limit)).

    Arguments: sigma, kappa, q, Lambda, B, eta, p.
    Assumptions: \Sigma \text{ diagonal};\ q\kappa < 1;\ \eta \text{ the keep probability of the pruning rule}."""
    sigma = mpmath.mpf(sigma)
    kappa = mpmath.mpf(kappa)
    q = mpmath.mpf(q)
    Lambda = [mpmath.mpf(x) for x in Lambda]
    B = [mpmath.mpf(x) for x in B]
    eta = [mpmath.mpf(x) for x in eta]
    p = [mpmath.mpf(x) for x in p]
    _length = len(Lambda)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (B[_i]**2*Lambda[_i]*p[_i]*(1 - eta[_i])) for _i in range(_length) if _w[_i] != 0)
    return (_sum0 + sigma**2)/(-kappa*q + 1)


def asymptotic_retrained_risk_gmpy2(sigma: Any, kappa: Any, q: Any, Lambda: Any, B: Any, eta: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Fresh retraining on a kept fraction q = s/P of the features, asymptotic (q kappa < 1) (gmpy2; docs/theory.md#retraining; this project (Def. 5's procedure in the limit)).

    Arguments: sigma, kappa, q, Lambda, B, eta, p.
    Assumptions: \Sigma \text{ diagonal};\ q\kappa < 1;\ \eta \text{ the keep probability of the pruning rule}."""
    _length = len(Lambda)
    _sum0 = _gmpy2_sum(lambda _i: B[_i]**2*Lambda[_i]*p[_i]*(1 - eta[_i]), _length, weights)
    return (_sum0 + sigma**2)/(-kappa*q + 1)


def asymptotic_retrained_risk_arb(sigma: Any, kappa: Any, q: Any, Lambda: Any, B: Any, eta: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Fresh retraining on a kept fraction q = s/P of the features, asymptotic (q kappa < 1) (arb; docs/theory.md#retraining; this project (Def. 5's procedure in the limit)).

    Arguments: sigma, kappa, q, Lambda, B, eta, p.
    Assumptions: \Sigma \text{ diagonal};\ q\kappa < 1;\ \eta \text{ the keep probability of the pruning rule}."""
    import flint  # the optional "certify" extra
    sigma = flint.arb(sigma)
    kappa = flint.arb(kappa)
    q = flint.arb(q)
    Lambda = [flint.arb(x) for x in Lambda]
    B = [flint.arb(x) for x in B]
    eta = [flint.arb(x) for x in eta]
    p = [flint.arb(x) for x in p]
    _length = len(Lambda)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (_arb_power(B[_i], 2)*Lambda[_i]*p[_i]*(1 - eta[_i])) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return (_sum0 + _arb_power(sigma, 2))/(-kappa*q + 1)


def asymptotic_retrained_risk_math(sigma: Any, kappa: Any, q: Any, Lambda: Any, B: Any, eta: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Fresh retraining on a kept fraction q = s/P of the features, asymptotic (q kappa < 1) (math; docs/theory.md#retraining; this project (Def. 5's procedure in the limit)).

    Arguments: sigma, kappa, q, Lambda, B, eta, p.
    Assumptions: \Sigma \text{ diagonal};\ q\kappa < 1;\ \eta \text{ the keep probability of the pruning rule}."""
    _length = len(Lambda)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (B[_i]**2*Lambda[_i]*p[_i]*(1 - eta[_i])) for _i in range(_length) if _w[_i] != 0])
    return (_sum0 + sigma**2)/(-kappa*q + 1)


# -- asymptotic_threshold_equation: Threshold equation of magnitude pruning, asymptotic: Pr(|Omega| > t) = q (root in t)


def asymptotic_threshold_equation_numpy(t: Any, xi: Any, kappa: Any, tau: Any, q: Any, Lambda: Any, B: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Threshold equation of magnitude pruning, asymptotic: Pr(|Omega| > t) = q (root in t) (numpy; docs/theory.md#thresholded-risk; paper, (15)).

    Arguments: t, xi, kappa, tau, q, Lambda, B, p.
    Assumptions: \text{Assumptions 1--3};\ q = s/P \in (0, 1);\ \xi, \tau^2 \text{ of Def. 3}."""
    t = numpy.asarray(t, dtype=float)
    xi = numpy.asarray(xi, dtype=float)
    kappa = numpy.asarray(kappa, dtype=float)
    tau = numpy.asarray(tau, dtype=float)
    q = numpy.asarray(q, dtype=float)
    Lambda = numpy.asarray(Lambda, dtype=float)
    B = numpy.asarray(B, dtype=float)
    p = numpy.asarray(p, dtype=float)
    t_i = t[..., None]
    xi_i = xi[..., None]
    kappa_i = kappa[..., None]
    tau_i = tau[..., None]
    _sum0 = _numpy_sum(p*(_gaussian_tail((Lambda*xi_i + 1)*(-B*Lambda*xi_i/(Lambda*xi_i + 1) + t_i)/(numpy.sqrt(Lambda)*numpy.sqrt(kappa_i)*tau_i*xi_i)) + _gaussian_tail((Lambda*xi_i + 1)*(B*Lambda*xi_i/(Lambda*xi_i + 1) + t_i)/(numpy.sqrt(Lambda)*numpy.sqrt(kappa_i)*tau_i*xi_i))), weights)
    return _sum0 - q


def asymptotic_threshold_equation_mpmath(t: Any, xi: Any, kappa: Any, tau: Any, q: Any, Lambda: Any, B: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Threshold equation of magnitude pruning, asymptotic: Pr(|Omega| > t) = q (root in t) (mpmath; docs/theory.md#thresholded-risk; paper, (15)).

    Arguments: t, xi, kappa, tau, q, Lambda, B, p.
    Assumptions: \text{Assumptions 1--3};\ q = s/P \in (0, 1);\ \xi, \tau^2 \text{ of Def. 3}."""
    t = mpmath.mpf(t)
    xi = mpmath.mpf(xi)
    kappa = mpmath.mpf(kappa)
    tau = mpmath.mpf(tau)
    q = mpmath.mpf(q)
    Lambda = [mpmath.mpf(x) for x in Lambda]
    B = [mpmath.mpf(x) for x in B]
    p = [mpmath.mpf(x) for x in p]
    _length = len(Lambda)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (p[_i]*(_mpmath_gaussian_tail((Lambda[_i]*xi + 1)*(-B[_i]*Lambda[_i]*xi/(Lambda[_i]*xi + 1) + t)/(mpmath.sqrt(Lambda[_i])*mpmath.sqrt(kappa)*tau*xi)) + _mpmath_gaussian_tail((Lambda[_i]*xi + 1)*(B[_i]*Lambda[_i]*xi/(Lambda[_i]*xi + 1) + t)/(mpmath.sqrt(Lambda[_i])*mpmath.sqrt(kappa)*tau*xi)))) for _i in range(_length) if _w[_i] != 0)
    return _sum0 - q


def asymptotic_threshold_equation_arb(t: Any, xi: Any, kappa: Any, tau: Any, q: Any, Lambda: Any, B: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Threshold equation of magnitude pruning, asymptotic: Pr(|Omega| > t) = q (root in t) (arb; docs/theory.md#thresholded-risk; paper, (15)).

    Arguments: t, xi, kappa, tau, q, Lambda, B, p.
    Assumptions: \text{Assumptions 1--3};\ q = s/P \in (0, 1);\ \xi, \tau^2 \text{ of Def. 3}."""
    import flint  # the optional "certify" extra
    t = flint.arb(t)
    xi = flint.arb(xi)
    kappa = flint.arb(kappa)
    tau = flint.arb(tau)
    q = flint.arb(q)
    Lambda = [flint.arb(x) for x in Lambda]
    B = [flint.arb(x) for x in B]
    p = [flint.arb(x) for x in p]
    _length = len(Lambda)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (p[_i]*(_arb_gaussian_tail((Lambda[_i]*xi + 1)*(-B[_i]*Lambda[_i]*xi/(Lambda[_i]*xi + 1) + t)/(_arb_sqrt(Lambda[_i])*_arb_sqrt(kappa)*tau*xi)) + _arb_gaussian_tail((Lambda[_i]*xi + 1)*(B[_i]*Lambda[_i]*xi/(Lambda[_i]*xi + 1) + t)/(_arb_sqrt(Lambda[_i])*_arb_sqrt(kappa)*tau*xi)))) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 - q


def asymptotic_threshold_equation_math(t: Any, xi: Any, kappa: Any, tau: Any, q: Any, Lambda: Any, B: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Threshold equation of magnitude pruning, asymptotic: Pr(|Omega| > t) = q (root in t) (math; docs/theory.md#thresholded-risk; paper, (15)).

    Arguments: t, xi, kappa, tau, q, Lambda, B, p.
    Assumptions: \text{Assumptions 1--3};\ q = s/P \in (0, 1);\ \xi, \tau^2 \text{ of Def. 3}."""
    _length = len(Lambda)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (p[_i]*(_math_gaussian_tail((Lambda[_i]*xi + 1)*(-B[_i]*Lambda[_i]*xi/(Lambda[_i]*xi + 1) + t)/(math.sqrt(Lambda[_i])*math.sqrt(kappa)*tau*xi)) + _math_gaussian_tail((Lambda[_i]*xi + 1)*(B[_i]*Lambda[_i]*xi/(Lambda[_i]*xi + 1) + t)/(math.sqrt(Lambda[_i])*math.sqrt(kappa)*tau*xi)))) for _i in range(_length) if _w[_i] != 0])
    return _sum0 - q


# -- asymptotic_magnitude_risk: Risk of magnitude pruning, asymptotic: sigma^2 + E[Lambda (B - T_t(Omega))^2]


def asymptotic_magnitude_risk_numpy(t: Any, xi: Any, kappa: Any, tau: Any, sigma: Any, Lambda: Any, B: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of magnitude pruning, asymptotic: sigma^2 + E[Lambda (B - T_t(Omega))^2] (numpy; docs/theory.md#thresholded-risk; paper, Cor. 1).

    Arguments: t, xi, kappa, tau, sigma, Lambda, B, p.
    Assumptions: \text{Assumptions 1--3};\ t \text{ is the root of } J."""
    t = numpy.asarray(t, dtype=float)
    xi = numpy.asarray(xi, dtype=float)
    kappa = numpy.asarray(kappa, dtype=float)
    tau = numpy.asarray(tau, dtype=float)
    sigma = numpy.asarray(sigma, dtype=float)
    Lambda = numpy.asarray(Lambda, dtype=float)
    B = numpy.asarray(B, dtype=float)
    p = numpy.asarray(p, dtype=float)
    t_i = t[..., None]
    xi_i = xi[..., None]
    kappa_i = kappa[..., None]
    tau_i = tau[..., None]
    x0 = Lambda*xi_i
    x1 = x0 + 1
    x2 = x1**(-1.0)
    x3 = B*x0*x2
    x4 = t_i + x3
    x5 = numpy.sqrt(Lambda)
    x6 = numpy.sqrt(kappa_i)
    x7 = x1/(tau_i*x5*x6*xi_i)
    x8 = _gaussian_tail(x4*x7)
    x9 = tau_i**2
    x10 = xi_i**2
    x11 = x1**2
    x12 = -B + x3
    x13 = Lambda*kappa_i*x10*x9/x11 + x12**2
    x14 = t_i - x3
    x15 = x14*x7
    x16 = (1/2)*x11/(Lambda*kappa_i*x10*x9)
    x17 = 1.4142135623730951*tau_i*x2*x5*x6*xi_i/1.7724538509055159
    x18 = (1/2)*x17
    x19 = x12*x17
    _sum0 = _numpy_sum(Lambda*p*(B**2*(-x8 + _gaussian_tail(-x15)) + x13*x8 + x13*_gaussian_tail(x15) + (x14*x18 + x19)*numpy.exp(-x14**2*x16) + (x18*x4 - x19)*numpy.exp(-x16*x4**2)), weights)
    return _sum0 + sigma**2


def asymptotic_magnitude_risk_mpmath(t: Any, xi: Any, kappa: Any, tau: Any, sigma: Any, Lambda: Any, B: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of magnitude pruning, asymptotic: sigma^2 + E[Lambda (B - T_t(Omega))^2] (mpmath; docs/theory.md#thresholded-risk; paper, Cor. 1).

    Arguments: t, xi, kappa, tau, sigma, Lambda, B, p.
    Assumptions: \text{Assumptions 1--3};\ t \text{ is the root of } J."""
    t = mpmath.mpf(t)
    xi = mpmath.mpf(xi)
    kappa = mpmath.mpf(kappa)
    tau = mpmath.mpf(tau)
    sigma = mpmath.mpf(sigma)
    Lambda = [mpmath.mpf(x) for x in Lambda]
    B = [mpmath.mpf(x) for x in B]
    p = [mpmath.mpf(x) for x in p]
    _length = len(Lambda)
    _w = _mpmath_weights(weights, _length)
    def _term0(_i: int) -> Any:
        x0 = Lambda[_i]*xi
        x1 = x0 + 1
        x2 = 1/x1
        x3 = B[_i]*x0*x2
        x4 = t + x3
        x5 = mpmath.sqrt(Lambda[_i])
        x6 = mpmath.sqrt(kappa)
        x7 = x1/(tau*x5*x6*xi)
        x8 = _mpmath_gaussian_tail(x4*x7)
        x9 = tau**2
        x10 = xi**2
        x11 = x1**2
        x12 = -B[_i] + x3
        x13 = Lambda[_i]*kappa*x10*x9/x11 + x12**2
        x14 = t - x3
        x15 = x14*x7
        x16 = (mpmath.mpf(1)/mpmath.mpf(2))*x11/(Lambda[_i]*kappa*x10*x9)
        x17 = mpmath.sqrt(2)*tau*x2*x5*x6*xi/mpmath.sqrt(mpmath.pi)
        x18 = (mpmath.mpf(1)/mpmath.mpf(2))*x17
        x19 = x12*x17
        return Lambda[_i]*p[_i]*(B[_i]**2*(-x8 + _mpmath_gaussian_tail(-x15)) + x13*x8 + x13*_mpmath_gaussian_tail(x15) + (x14*x18 + x19)*mpmath.exp(-x14**2*x16) + (x18*x4 - x19)*mpmath.exp(-x16*x4**2))
    _sum0 = mpmath.fsum(_w[_i] * (_term0(_i)) for _i in range(_length) if _w[_i] != 0)
    return _sum0 + sigma**2


def asymptotic_magnitude_risk_arb(t: Any, xi: Any, kappa: Any, tau: Any, sigma: Any, Lambda: Any, B: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of magnitude pruning, asymptotic: sigma^2 + E[Lambda (B - T_t(Omega))^2] (arb; docs/theory.md#thresholded-risk; paper, Cor. 1).

    Arguments: t, xi, kappa, tau, sigma, Lambda, B, p.
    Assumptions: \text{Assumptions 1--3};\ t \text{ is the root of } J."""
    import flint  # the optional "certify" extra
    t = flint.arb(t)
    xi = flint.arb(xi)
    kappa = flint.arb(kappa)
    tau = flint.arb(tau)
    sigma = flint.arb(sigma)
    Lambda = [flint.arb(x) for x in Lambda]
    B = [flint.arb(x) for x in B]
    p = [flint.arb(x) for x in p]
    _length = len(Lambda)
    _w = _arb_weights(weights, _length)
    def _term0(_i: int) -> Any:
        x0 = Lambda[_i]*xi
        x1 = x0 + 1
        x2 = 1/x1
        x3 = B[_i]*x0*x2
        x4 = t + x3
        x5 = _arb_sqrt(Lambda[_i])
        x6 = _arb_sqrt(kappa)
        x7 = x1/(tau*x5*x6*xi)
        x8 = _arb_gaussian_tail(x4*x7)
        x9 = _arb_power(tau, 2)
        x10 = _arb_power(xi, 2)
        x11 = _arb_power(x1, 2)
        x12 = -B[_i] + x3
        x13 = Lambda[_i]*kappa*x10*x9/x11 + _arb_power(x12, 2)
        x14 = t - x3
        x15 = _arb_gaussian_tail(x14*x7)
        x16 = ((flint.arb(1)/2))*x11/(Lambda[_i]*kappa*x10*x9)
        x17 = _arb_sqrt(2)*tau*x2*x5*x6*xi/_arb_sqrt(flint.arb.pi())
        x18 = ((flint.arb(1)/2))*x17
        x19 = x12*x17
        return Lambda[_i]*p[_i]*(_arb_power(B[_i], 2)*(-x15 - x8 + 1) + x13*x15 + x13*x8 + (x14*x18 + x19)*flint.arb(-_arb_power(x14, 2)*x16).exp() + (x18*x4 - x19)*flint.arb(-x16*_arb_power(x4, 2)).exp())
    _sum0 = sum((_w[_i] * (_term0(_i)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 + _arb_power(sigma, 2)


def asymptotic_magnitude_risk_math(t: Any, xi: Any, kappa: Any, tau: Any, sigma: Any, Lambda: Any, B: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of magnitude pruning, asymptotic: sigma^2 + E[Lambda (B - T_t(Omega))^2] (math; docs/theory.md#thresholded-risk; paper, Cor. 1).

    Arguments: t, xi, kappa, tau, sigma, Lambda, B, p.
    Assumptions: \text{Assumptions 1--3};\ t \text{ is the root of } J."""
    _length = len(Lambda)
    _w = _math_weights(weights, _length)
    def _term0(_i: int) -> Any:
        x0 = Lambda[_i]*xi
        x1 = x0 + 1
        x2 = 1/x1
        x3 = B[_i]*x0*x2
        x4 = t + x3
        x5 = math.sqrt(Lambda[_i])
        x6 = math.sqrt(kappa)
        x7 = x1/(tau*x5*x6*xi)
        x8 = _math_gaussian_tail(x4*x7)
        x9 = tau**2
        x10 = xi**2
        x11 = x1**2
        x12 = -B[_i] + x3
        x13 = Lambda[_i]*kappa*x10*x9/x11 + x12**2
        x14 = t - x3
        x15 = x14*x7
        x16 = (1/2)*x11/(Lambda[_i]*kappa*x10*x9)
        x17 = 1.4142135623730951*tau*x2*x5*x6*xi/1.7724538509055159
        x18 = (1/2)*x17
        x19 = x12*x17
        return Lambda[_i]*p[_i]*(B[_i]**2*(-x8 + _math_gaussian_tail(-x15)) + x13*x8 + x13*_math_gaussian_tail(x15) + (x14*x18 + x19)*math.exp(-x14**2*x16) + (x18*x4 - x19)*math.exp(-x16*x4**2))
    _sum0 = sum([_w[_i] * (_term0(_i)) for _i in range(_length) if _w[_i] != 0])
    return _sum0 + sigma**2


# -- schedule_xi_equation: Equation for xi of the model trained on the kept support (root in xi)


def schedule_xi_equation_numpy(xi: Any, kappa: Any, Lambda: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi of the model trained on the kept support (root in xi) (numpy; docs/theory.md#schedule; this project).

    Arguments: xi, kappa, Lambda, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ q\kappa > 1."""
    xi = numpy.asarray(xi, dtype=float)
    kappa = numpy.asarray(kappa, dtype=float)
    Lambda = numpy.asarray(Lambda, dtype=float)
    chi = numpy.asarray(chi, dtype=float)
    p = numpy.asarray(p, dtype=float)
    xi_i = xi[..., None]
    _sum0 = _numpy_sum(Lambda*chi*p*xi_i/(Lambda*xi_i + 1), weights)
    return _sum0 - 1/kappa


def schedule_xi_equation_mpmath(xi: Any, kappa: Any, Lambda: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi of the model trained on the kept support (root in xi) (mpmath; docs/theory.md#schedule; this project).

    Arguments: xi, kappa, Lambda, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ q\kappa > 1."""
    xi = mpmath.mpf(xi)
    kappa = mpmath.mpf(kappa)
    Lambda = [mpmath.mpf(x) for x in Lambda]
    chi = [mpmath.mpf(x) for x in chi]
    p = [mpmath.mpf(x) for x in p]
    _length = len(Lambda)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (Lambda[_i]*chi[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0)
    return _sum0 - 1/kappa


def schedule_xi_equation_gmpy2(xi: Any, kappa: Any, Lambda: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi of the model trained on the kept support (root in xi) (gmpy2; docs/theory.md#schedule; this project).

    Arguments: xi, kappa, Lambda, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ q\kappa > 1."""
    _length = len(Lambda)
    _sum0 = _gmpy2_sum(lambda _i: Lambda[_i]*chi[_i]*p[_i]*xi/(Lambda[_i]*xi + 1), _length, weights)
    return _sum0 - 1/kappa


def schedule_xi_equation_arb(xi: Any, kappa: Any, Lambda: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi of the model trained on the kept support (root in xi) (arb; docs/theory.md#schedule; this project).

    Arguments: xi, kappa, Lambda, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ q\kappa > 1."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    kappa = flint.arb(kappa)
    Lambda = [flint.arb(x) for x in Lambda]
    chi = [flint.arb(x) for x in chi]
    p = [flint.arb(x) for x in p]
    _length = len(Lambda)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (Lambda[_i]*chi[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 - 1/kappa


def schedule_xi_equation_math(xi: Any, kappa: Any, Lambda: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Equation for xi of the model trained on the kept support (root in xi) (math; docs/theory.md#schedule; this project).

    Arguments: xi, kappa, Lambda, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ q\kappa > 1."""
    _length = len(Lambda)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (Lambda[_i]*chi[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0])
    return _sum0 - 1/kappa


# -- schedule_tau2: tau^2 (the dense risk) of the model trained on the kept support, q kappa > 1


def schedule_tau2_numpy(xi: Any, kappa: Any, sigma: Any, Lambda: Any, B: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""tau^2 (the dense risk) of the model trained on the kept support, q kappa > 1 (numpy; docs/theory.md#schedule; this project).

    Arguments: xi, kappa, sigma, Lambda, B, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ q\kappa > 1,\ \xi \text{ the root of } F_S."""
    xi = numpy.asarray(xi, dtype=float)
    kappa = numpy.asarray(kappa, dtype=float)
    sigma = numpy.asarray(sigma, dtype=float)
    Lambda = numpy.asarray(Lambda, dtype=float)
    B = numpy.asarray(B, dtype=float)
    chi = numpy.asarray(chi, dtype=float)
    p = numpy.asarray(p, dtype=float)
    xi_i = xi[..., None]
    _sum0 = _numpy_sum(B**2*Lambda*p*(1 - chi), weights)
    _sum1 = _numpy_sum(Lambda*chi*p*xi_i/(Lambda*xi_i + 1)**2, weights)
    _sum2 = _numpy_sum(B**2*Lambda*chi*p/(Lambda*xi_i + 1)**2, weights)
    return (_sum0 + _sum2 + sigma**2)/(_sum1*kappa)


def schedule_tau2_mpmath(xi: Any, kappa: Any, sigma: Any, Lambda: Any, B: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""tau^2 (the dense risk) of the model trained on the kept support, q kappa > 1 (mpmath; docs/theory.md#schedule; this project).

    Arguments: xi, kappa, sigma, Lambda, B, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ q\kappa > 1,\ \xi \text{ the root of } F_S."""
    xi = mpmath.mpf(xi)
    kappa = mpmath.mpf(kappa)
    sigma = mpmath.mpf(sigma)
    Lambda = [mpmath.mpf(x) for x in Lambda]
    B = [mpmath.mpf(x) for x in B]
    chi = [mpmath.mpf(x) for x in chi]
    p = [mpmath.mpf(x) for x in p]
    _length = len(Lambda)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (B[_i]**2*Lambda[_i]*p[_i]*(1 - chi[_i])) for _i in range(_length) if _w[_i] != 0)
    _sum1 = mpmath.fsum(_w[_i] * (Lambda[_i]*chi[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0)
    _sum2 = mpmath.fsum(_w[_i] * (B[_i]**2*Lambda[_i]*chi[_i]*p[_i]/(Lambda[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0)
    return (_sum0 + _sum2 + sigma**2)/(_sum1*kappa)


def schedule_tau2_gmpy2(xi: Any, kappa: Any, sigma: Any, Lambda: Any, B: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""tau^2 (the dense risk) of the model trained on the kept support, q kappa > 1 (gmpy2; docs/theory.md#schedule; this project).

    Arguments: xi, kappa, sigma, Lambda, B, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ q\kappa > 1,\ \xi \text{ the root of } F_S."""
    _length = len(Lambda)
    _sum0 = _gmpy2_sum(lambda _i: B[_i]**2*Lambda[_i]*p[_i]*(1 - chi[_i]), _length, weights)
    _sum1 = _gmpy2_sum(lambda _i: Lambda[_i]*chi[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)**2, _length, weights)
    _sum2 = _gmpy2_sum(lambda _i: B[_i]**2*Lambda[_i]*chi[_i]*p[_i]/(Lambda[_i]*xi + 1)**2, _length, weights)
    return (_sum0 + _sum2 + sigma**2)/(_sum1*kappa)


def schedule_tau2_arb(xi: Any, kappa: Any, sigma: Any, Lambda: Any, B: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""tau^2 (the dense risk) of the model trained on the kept support, q kappa > 1 (arb; docs/theory.md#schedule; this project).

    Arguments: xi, kappa, sigma, Lambda, B, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ q\kappa > 1,\ \xi \text{ the root of } F_S."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    kappa = flint.arb(kappa)
    sigma = flint.arb(sigma)
    Lambda = [flint.arb(x) for x in Lambda]
    B = [flint.arb(x) for x in B]
    chi = [flint.arb(x) for x in chi]
    p = [flint.arb(x) for x in p]
    _length = len(Lambda)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (_arb_power(B[_i], 2)*Lambda[_i]*p[_i]*(1 - chi[_i])) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    _sum1 = sum((_w[_i] * (Lambda[_i]*chi[_i]*p[_i]*xi/_arb_power(Lambda[_i]*xi + 1, 2)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    _sum2 = sum((_w[_i] * (_arb_power(B[_i], 2)*Lambda[_i]*chi[_i]*p[_i]/_arb_power(Lambda[_i]*xi + 1, 2)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return (_sum0 + _sum2 + _arb_power(sigma, 2))/(_sum1*kappa)


def schedule_tau2_math(xi: Any, kappa: Any, sigma: Any, Lambda: Any, B: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""tau^2 (the dense risk) of the model trained on the kept support, q kappa > 1 (math; docs/theory.md#schedule; this project).

    Arguments: xi, kappa, sigma, Lambda, B, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ q\kappa > 1,\ \xi \text{ the root of } F_S."""
    _length = len(Lambda)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (B[_i]**2*Lambda[_i]*p[_i]*(1 - chi[_i])) for _i in range(_length) if _w[_i] != 0])
    _sum1 = sum([_w[_i] * (Lambda[_i]*chi[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0])
    _sum2 = sum([_w[_i] * (B[_i]**2*Lambda[_i]*chi[_i]*p[_i]/(Lambda[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0])
    return (_sum0 + _sum2 + sigma**2)/(_sum1*kappa)


# -- schedule_underparameterized_sd: Standard deviation of the limit of sqrt(P) w_i for least squares on a kept fraction q, q kappa < 1


def schedule_underparameterized_sd_numpy(sigma_S: Any, kappa: Any, q: Any, Lambda: Any, /, *, weights: Any = None) -> Any:
    r"""Standard deviation of the limit of sqrt(P) w_i for least squares on a kept fraction q, q kappa < 1 (numpy; docs/theory.md#schedule; this project (the limit of the supplement's Sec. E law)).

    Arguments: sigma_S, kappa, q, Lambda.
    Assumptions: q\kappa < 1;\ \text{the limit's mean is } B."""
    sigma_S = numpy.asarray(sigma_S, dtype=float)
    kappa = numpy.asarray(kappa, dtype=float)
    q = numpy.asarray(q, dtype=float)
    Lambda = numpy.asarray(Lambda, dtype=float)
    return numpy.sqrt(kappa)*sigma_S/(numpy.sqrt(Lambda)*numpy.sqrt(-kappa*q + 1))


def schedule_underparameterized_sd_mpmath(sigma_S: Any, kappa: Any, q: Any, Lambda: Any, /, *, weights: Any = None) -> Any:
    r"""Standard deviation of the limit of sqrt(P) w_i for least squares on a kept fraction q, q kappa < 1 (mpmath; docs/theory.md#schedule; this project (the limit of the supplement's Sec. E law)).

    Arguments: sigma_S, kappa, q, Lambda.
    Assumptions: q\kappa < 1;\ \text{the limit's mean is } B."""
    return mpmath.sqrt(kappa)*sigma_S/(mpmath.sqrt(Lambda)*mpmath.sqrt(-kappa*q + 1))


def schedule_underparameterized_sd_gmpy2(sigma_S: Any, kappa: Any, q: Any, Lambda: Any, /, *, weights: Any = None) -> Any:
    r"""Standard deviation of the limit of sqrt(P) w_i for least squares on a kept fraction q, q kappa < 1 (gmpy2; docs/theory.md#schedule; this project (the limit of the supplement's Sec. E law)).

    Arguments: sigma_S, kappa, q, Lambda.
    Assumptions: q\kappa < 1;\ \text{the limit's mean is } B."""
    return gmpy2.sqrt(kappa)*sigma_S/(gmpy2.sqrt(Lambda)*gmpy2.sqrt(-kappa*q + 1))


def schedule_underparameterized_sd_arb(sigma_S: Any, kappa: Any, q: Any, Lambda: Any, /, *, weights: Any = None) -> Any:
    r"""Standard deviation of the limit of sqrt(P) w_i for least squares on a kept fraction q, q kappa < 1 (arb; docs/theory.md#schedule; this project (the limit of the supplement's Sec. E law)).

    Arguments: sigma_S, kappa, q, Lambda.
    Assumptions: q\kappa < 1;\ \text{the limit's mean is } B."""
    import flint  # the optional "certify" extra
    sigma_S = flint.arb(sigma_S)
    kappa = flint.arb(kappa)
    q = flint.arb(q)
    Lambda = flint.arb(Lambda)
    return _arb_sqrt(kappa)*sigma_S/(_arb_sqrt(Lambda)*_arb_sqrt(-kappa*q + 1))


def schedule_underparameterized_sd_math(sigma_S: Any, kappa: Any, q: Any, Lambda: Any, /, *, weights: Any = None) -> Any:
    r"""Standard deviation of the limit of sqrt(P) w_i for least squares on a kept fraction q, q kappa < 1 (math; docs/theory.md#schedule; this project (the limit of the supplement's Sec. E law)).

    Arguments: sigma_S, kappa, q, Lambda.
    Assumptions: q\kappa < 1;\ \text{the limit's mean is } B."""
    return math.sqrt(kappa)*sigma_S/(math.sqrt(Lambda)*math.sqrt(-kappa*q + 1))


# -- schedule_threshold_equation: Threshold equation of magnitude pruning of the model trained on the kept support (root in t)


def schedule_threshold_equation_numpy(t: Any, xi: Any, kappa: Any, tau: Any, q_: Any, Lambda: Any, B: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Threshold equation of magnitude pruning of the model trained on the kept support (root in t) (numpy; docs/theory.md#schedule; this project).

    Arguments: t, xi, kappa, tau, q', Lambda, B, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ q' < q;\ \xi, \tau^2 \text{ of the kept problem}."""
    t = numpy.asarray(t, dtype=float)
    xi = numpy.asarray(xi, dtype=float)
    kappa = numpy.asarray(kappa, dtype=float)
    tau = numpy.asarray(tau, dtype=float)
    q_ = numpy.asarray(q_, dtype=float)
    Lambda = numpy.asarray(Lambda, dtype=float)
    B = numpy.asarray(B, dtype=float)
    chi = numpy.asarray(chi, dtype=float)
    p = numpy.asarray(p, dtype=float)
    t_i = t[..., None]
    xi_i = xi[..., None]
    kappa_i = kappa[..., None]
    tau_i = tau[..., None]
    _sum0 = _numpy_sum(chi*p*(_gaussian_tail((Lambda*xi_i + 1)*(-B*Lambda*xi_i/(Lambda*xi_i + 1) + t_i)/(numpy.sqrt(Lambda)*numpy.sqrt(kappa_i)*tau_i*xi_i)) + _gaussian_tail((Lambda*xi_i + 1)*(B*Lambda*xi_i/(Lambda*xi_i + 1) + t_i)/(numpy.sqrt(Lambda)*numpy.sqrt(kappa_i)*tau_i*xi_i))), weights)
    return _sum0 - q_


def schedule_threshold_equation_mpmath(t: Any, xi: Any, kappa: Any, tau: Any, q_: Any, Lambda: Any, B: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Threshold equation of magnitude pruning of the model trained on the kept support (root in t) (mpmath; docs/theory.md#schedule; this project).

    Arguments: t, xi, kappa, tau, q', Lambda, B, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ q' < q;\ \xi, \tau^2 \text{ of the kept problem}."""
    t = mpmath.mpf(t)
    xi = mpmath.mpf(xi)
    kappa = mpmath.mpf(kappa)
    tau = mpmath.mpf(tau)
    q_ = mpmath.mpf(q_)
    Lambda = [mpmath.mpf(x) for x in Lambda]
    B = [mpmath.mpf(x) for x in B]
    chi = [mpmath.mpf(x) for x in chi]
    p = [mpmath.mpf(x) for x in p]
    _length = len(Lambda)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (chi[_i]*p[_i]*(_mpmath_gaussian_tail((Lambda[_i]*xi + 1)*(-B[_i]*Lambda[_i]*xi/(Lambda[_i]*xi + 1) + t)/(mpmath.sqrt(Lambda[_i])*mpmath.sqrt(kappa)*tau*xi)) + _mpmath_gaussian_tail((Lambda[_i]*xi + 1)*(B[_i]*Lambda[_i]*xi/(Lambda[_i]*xi + 1) + t)/(mpmath.sqrt(Lambda[_i])*mpmath.sqrt(kappa)*tau*xi)))) for _i in range(_length) if _w[_i] != 0)
    return _sum0 - q_


def schedule_threshold_equation_arb(t: Any, xi: Any, kappa: Any, tau: Any, q_: Any, Lambda: Any, B: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Threshold equation of magnitude pruning of the model trained on the kept support (root in t) (arb; docs/theory.md#schedule; this project).

    Arguments: t, xi, kappa, tau, q', Lambda, B, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ q' < q;\ \xi, \tau^2 \text{ of the kept problem}."""
    import flint  # the optional "certify" extra
    t = flint.arb(t)
    xi = flint.arb(xi)
    kappa = flint.arb(kappa)
    tau = flint.arb(tau)
    q_ = flint.arb(q_)
    Lambda = [flint.arb(x) for x in Lambda]
    B = [flint.arb(x) for x in B]
    chi = [flint.arb(x) for x in chi]
    p = [flint.arb(x) for x in p]
    _length = len(Lambda)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (chi[_i]*p[_i]*(_arb_gaussian_tail((Lambda[_i]*xi + 1)*(-B[_i]*Lambda[_i]*xi/(Lambda[_i]*xi + 1) + t)/(_arb_sqrt(Lambda[_i])*_arb_sqrt(kappa)*tau*xi)) + _arb_gaussian_tail((Lambda[_i]*xi + 1)*(B[_i]*Lambda[_i]*xi/(Lambda[_i]*xi + 1) + t)/(_arb_sqrt(Lambda[_i])*_arb_sqrt(kappa)*tau*xi)))) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 - q_


def schedule_threshold_equation_math(t: Any, xi: Any, kappa: Any, tau: Any, q_: Any, Lambda: Any, B: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Threshold equation of magnitude pruning of the model trained on the kept support (root in t) (math; docs/theory.md#schedule; this project).

    Arguments: t, xi, kappa, tau, q', Lambda, B, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ q' < q;\ \xi, \tau^2 \text{ of the kept problem}."""
    _length = len(Lambda)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (chi[_i]*p[_i]*(_math_gaussian_tail((Lambda[_i]*xi + 1)*(-B[_i]*Lambda[_i]*xi/(Lambda[_i]*xi + 1) + t)/(math.sqrt(Lambda[_i])*math.sqrt(kappa)*tau*xi)) + _math_gaussian_tail((Lambda[_i]*xi + 1)*(B[_i]*Lambda[_i]*xi/(Lambda[_i]*xi + 1) + t)/(math.sqrt(Lambda[_i])*math.sqrt(kappa)*tau*xi)))) for _i in range(_length) if _w[_i] != 0])
    return _sum0 - q_


# -- schedule_magnitude_risk: Risk of magnitude pruning of the model trained on the kept support


def schedule_magnitude_risk_numpy(t: Any, xi: Any, kappa: Any, tau: Any, sigma: Any, Lambda: Any, B: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of magnitude pruning of the model trained on the kept support (numpy; docs/theory.md#schedule; this project).

    Arguments: t, xi, kappa, tau, sigma, Lambda, B, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ t \text{ the root of } J_S."""
    t = numpy.asarray(t, dtype=float)
    xi = numpy.asarray(xi, dtype=float)
    kappa = numpy.asarray(kappa, dtype=float)
    tau = numpy.asarray(tau, dtype=float)
    sigma = numpy.asarray(sigma, dtype=float)
    Lambda = numpy.asarray(Lambda, dtype=float)
    B = numpy.asarray(B, dtype=float)
    chi = numpy.asarray(chi, dtype=float)
    p = numpy.asarray(p, dtype=float)
    t_i = t[..., None]
    xi_i = xi[..., None]
    kappa_i = kappa[..., None]
    tau_i = tau[..., None]
    _sum0 = _numpy_sum(B**2*Lambda*p*(1 - chi), weights)
    x0 = Lambda*xi_i
    x1 = x0 + 1
    x2 = x1**(-1.0)
    x3 = B*x0*x2
    x4 = t_i + x3
    x5 = numpy.sqrt(Lambda)
    x6 = numpy.sqrt(kappa_i)
    x7 = x1/(tau_i*x5*x6*xi_i)
    x8 = _gaussian_tail(x4*x7)
    x9 = tau_i**2
    x10 = xi_i**2
    x11 = x1**2
    x12 = -B + x3
    x13 = Lambda*kappa_i*x10*x9/x11 + x12**2
    x14 = t_i - x3
    x15 = x14*x7
    x16 = (1/2)*x11/(Lambda*kappa_i*x10*x9)
    x17 = 1.4142135623730951*tau_i*x2*x5*x6*xi_i/1.7724538509055159
    x18 = (1/2)*x17
    x19 = x12*x17
    _sum1 = _numpy_sum(Lambda*chi*p*(B**2*(-x8 + _gaussian_tail(-x15)) + x13*x8 + x13*_gaussian_tail(x15) + (x14*x18 + x19)*numpy.exp(-x14**2*x16) + (x18*x4 - x19)*numpy.exp(-x16*x4**2)), weights)
    return _sum0 + _sum1 + sigma**2


def schedule_magnitude_risk_mpmath(t: Any, xi: Any, kappa: Any, tau: Any, sigma: Any, Lambda: Any, B: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of magnitude pruning of the model trained on the kept support (mpmath; docs/theory.md#schedule; this project).

    Arguments: t, xi, kappa, tau, sigma, Lambda, B, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ t \text{ the root of } J_S."""
    t = mpmath.mpf(t)
    xi = mpmath.mpf(xi)
    kappa = mpmath.mpf(kappa)
    tau = mpmath.mpf(tau)
    sigma = mpmath.mpf(sigma)
    Lambda = [mpmath.mpf(x) for x in Lambda]
    B = [mpmath.mpf(x) for x in B]
    chi = [mpmath.mpf(x) for x in chi]
    p = [mpmath.mpf(x) for x in p]
    _length = len(Lambda)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (B[_i]**2*Lambda[_i]*p[_i]*(1 - chi[_i])) for _i in range(_length) if _w[_i] != 0)
    def _term1(_i: int) -> Any:
        x0 = Lambda[_i]*xi
        x1 = x0 + 1
        x2 = 1/x1
        x3 = B[_i]*x0*x2
        x4 = t + x3
        x5 = mpmath.sqrt(Lambda[_i])
        x6 = mpmath.sqrt(kappa)
        x7 = x1/(tau*x5*x6*xi)
        x8 = _mpmath_gaussian_tail(x4*x7)
        x9 = tau**2
        x10 = xi**2
        x11 = x1**2
        x12 = -B[_i] + x3
        x13 = Lambda[_i]*kappa*x10*x9/x11 + x12**2
        x14 = t - x3
        x15 = x14*x7
        x16 = (mpmath.mpf(1)/mpmath.mpf(2))*x11/(Lambda[_i]*kappa*x10*x9)
        x17 = mpmath.sqrt(2)*tau*x2*x5*x6*xi/mpmath.sqrt(mpmath.pi)
        x18 = (mpmath.mpf(1)/mpmath.mpf(2))*x17
        x19 = x12*x17
        return Lambda[_i]*chi[_i]*p[_i]*(B[_i]**2*(-x8 + _mpmath_gaussian_tail(-x15)) + x13*x8 + x13*_mpmath_gaussian_tail(x15) + (x14*x18 + x19)*mpmath.exp(-x14**2*x16) + (x18*x4 - x19)*mpmath.exp(-x16*x4**2))
    _sum1 = mpmath.fsum(_w[_i] * (_term1(_i)) for _i in range(_length) if _w[_i] != 0)
    return _sum0 + _sum1 + sigma**2


def schedule_magnitude_risk_arb(t: Any, xi: Any, kappa: Any, tau: Any, sigma: Any, Lambda: Any, B: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of magnitude pruning of the model trained on the kept support (arb; docs/theory.md#schedule; this project).

    Arguments: t, xi, kappa, tau, sigma, Lambda, B, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ t \text{ the root of } J_S."""
    import flint  # the optional "certify" extra
    t = flint.arb(t)
    xi = flint.arb(xi)
    kappa = flint.arb(kappa)
    tau = flint.arb(tau)
    sigma = flint.arb(sigma)
    Lambda = [flint.arb(x) for x in Lambda]
    B = [flint.arb(x) for x in B]
    chi = [flint.arb(x) for x in chi]
    p = [flint.arb(x) for x in p]
    _length = len(Lambda)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (_arb_power(B[_i], 2)*Lambda[_i]*p[_i]*(1 - chi[_i])) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    def _term1(_i: int) -> Any:
        x0 = Lambda[_i]*xi
        x1 = x0 + 1
        x2 = 1/x1
        x3 = B[_i]*x0*x2
        x4 = t + x3
        x5 = _arb_sqrt(Lambda[_i])
        x6 = _arb_sqrt(kappa)
        x7 = x1/(tau*x5*x6*xi)
        x8 = _arb_gaussian_tail(x4*x7)
        x9 = _arb_power(tau, 2)
        x10 = _arb_power(xi, 2)
        x11 = _arb_power(x1, 2)
        x12 = -B[_i] + x3
        x13 = Lambda[_i]*kappa*x10*x9/x11 + _arb_power(x12, 2)
        x14 = t - x3
        x15 = _arb_gaussian_tail(x14*x7)
        x16 = ((flint.arb(1)/2))*x11/(Lambda[_i]*kappa*x10*x9)
        x17 = _arb_sqrt(2)*tau*x2*x5*x6*xi/_arb_sqrt(flint.arb.pi())
        x18 = ((flint.arb(1)/2))*x17
        x19 = x12*x17
        return Lambda[_i]*chi[_i]*p[_i]*(_arb_power(B[_i], 2)*(-x15 - x8 + 1) + x13*x15 + x13*x8 + (x14*x18 + x19)*flint.arb(-_arb_power(x14, 2)*x16).exp() + (x18*x4 - x19)*flint.arb(-x16*_arb_power(x4, 2)).exp())
    _sum1 = sum((_w[_i] * (_term1(_i)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 + _sum1 + _arb_power(sigma, 2)


def schedule_magnitude_risk_math(t: Any, xi: Any, kappa: Any, tau: Any, sigma: Any, Lambda: Any, B: Any, chi: Any, p: Any, /, *, weights: Any = None) -> Any:
    r"""Risk of magnitude pruning of the model trained on the kept support (math; docs/theory.md#schedule; this project).

    Arguments: t, xi, kappa, tau, sigma, Lambda, B, chi, p.
    Assumptions: \text{Assumptions 1--4};\ \chi \text{ the kept probability of the rounds so far},\ q = \mathbb{E}[\chi];\ t \text{ the root of } J_S."""
    _length = len(Lambda)
    _w = _math_weights(weights, _length)
    _sum0 = sum([_w[_i] * (B[_i]**2*Lambda[_i]*p[_i]*(1 - chi[_i])) for _i in range(_length) if _w[_i] != 0])
    def _term1(_i: int) -> Any:
        x0 = Lambda[_i]*xi
        x1 = x0 + 1
        x2 = 1/x1
        x3 = B[_i]*x0*x2
        x4 = t + x3
        x5 = math.sqrt(Lambda[_i])
        x6 = math.sqrt(kappa)
        x7 = x1/(tau*x5*x6*xi)
        x8 = _math_gaussian_tail(x4*x7)
        x9 = tau**2
        x10 = xi**2
        x11 = x1**2
        x12 = -B[_i] + x3
        x13 = Lambda[_i]*kappa*x10*x9/x11 + x12**2
        x14 = t - x3
        x15 = x14*x7
        x16 = (1/2)*x11/(Lambda[_i]*kappa*x10*x9)
        x17 = 1.4142135623730951*tau*x2*x5*x6*xi/1.7724538509055159
        x18 = (1/2)*x17
        x19 = x12*x17
        return Lambda[_i]*chi[_i]*p[_i]*(B[_i]**2*(-x8 + _math_gaussian_tail(-x15)) + x13*x8 + x13*_math_gaussian_tail(x15) + (x14*x18 + x19)*math.exp(-x14**2*x16) + (x18*x4 - x19)*math.exp(-x16*x4**2))
    _sum1 = sum([_w[_i] * (_term1(_i)) for _i in range(_length) if _w[_i] != 0])
    return _sum0 + _sum1 + sigma**2


FORMULAS: dict[str, dict[str, Any]] = {
    'shrinkage': {
        'title': 'Per-coordinate shrinkage factor a_i',
        'reference': 'docs/theory.md#finite-size; paper, Def. 4',
        'assumptions': '\\xi > 0,\\ \\lambda_i \\ge 0;\\ \\text{then } 0 \\le a_i < 1',
        'arg_names': ('xi', 'lambda_i'),
        'indexed': (False, False),
        'functions': {'numpy': shrinkage_numpy, 'mpmath': shrinkage_mpmath, 'gmpy2': shrinkage_gmpy2, 'arb': shrinkage_arb, 'math': shrinkage_math},
        'unavailable': {},
    },
    'shrinkage_log_derivative': {
        'title': 'd a_i / d log xi (for Newton steps on the xi equation)',
        'reference': 'docs/theory.md#finite-size; this project',
        'assumptions': '\\xi > 0,\\ \\lambda_i \\ge 0',
        'arg_names': ('xi', 'lambda_i'),
        'indexed': (False, False),
        'functions': {'numpy': shrinkage_log_derivative_numpy, 'mpmath': shrinkage_log_derivative_mpmath, 'gmpy2': shrinkage_log_derivative_gmpy2, 'arb': shrinkage_log_derivative_arb, 'math': shrinkage_log_derivative_math},
        'unavailable': {},
    },
    'shrinkage_complement': {
        'title': '1 - a_i, the part of a coordinate that min-norm does not recover',
        'reference': 'docs/theory.md#finite-size; this project',
        'assumptions': '\\xi > 0,\\ \\lambda_i \\ge 0',
        'arg_names': ('xi', 'lambda_i'),
        'indexed': (False, False),
        'functions': {'numpy': shrinkage_complement_numpy, 'mpmath': shrinkage_complement_mpmath, 'gmpy2': shrinkage_complement_gmpy2, 'arb': shrinkage_complement_arb, 'math': shrinkage_complement_math},
        'unavailable': {},
    },
    'xi_equation': {
        'title': 'Equation for xi, ridgeless overparameterized (root F(xi) = 0)',
        'reference': 'docs/theory.md#finite-size; paper, Def. 4',
        'assumptions': 'm > n,\\ \\lambda_r = 0;\\ F \\text{ increases from } -n \\text{ to } \\operatorname{rank}\\Sigma_{DD} - n\\text{, so a unique root } \\xi > 0 \\text{ exists iff } \\operatorname{rank}\\Sigma_{DD} > n',
        'arg_names': ('xi', 'n', 'lambda'),
        'indexed': (False, False, True),
        'functions': {'numpy': xi_equation_numpy, 'mpmath': xi_equation_mpmath, 'gmpy2': xi_equation_gmpy2, 'arb': xi_equation_arb, 'math': xi_equation_math},
        'unavailable': {},
    },
    'ridge_equation': {
        'title': 'Equation for xi with ridge lambda_r > 0 (any m/n)',
        'reference': 'docs/theory.md#finite-size; this project (the standard deterministic equivalent of ridge regression)',
        'assumptions': '\\lambda_r > 0;\\ G \\text{ increases from } -n \\ (\\xi \\to 0) \\text{ to } +\\infty\\text{, so the root } \\xi > 0 \\text{ is unique}',
        'arg_names': ('xi', 'n', 'lambda_r', 'lambda'),
        'indexed': (False, False, False, True),
        'functions': {'numpy': ridge_equation_numpy, 'mpmath': ridge_equation_mpmath, 'gmpy2': ridge_equation_gmpy2, 'arb': ridge_equation_arb, 'math': ridge_equation_math},
        'unavailable': {},
    },
    'tau2': {
        'title': 'Dense-risk parameter tau^2 (cancellation-free denominator)',
        'reference': "docs/theory.md#finite-size; this project (equal to Def. 4's $\\tau^2$ at the root)",
        'assumptions': '\\xi \\text{ is the root of } F \\ (\\lambda_r = 0) \\text{ or of } G \\ (\\lambda_r > 0)',
        'arg_names': ('xi', 'n', 'lambda_r', 'sigma_D', 'lambda', 'b'),
        'indexed': (False, False, False, False, True, True),
        'functions': {'numpy': tau2_numpy, 'mpmath': tau2_mpmath, 'gmpy2': tau2_gmpy2, 'arb': tau2_arb, 'math': tau2_math},
        'unavailable': {},
    },
    'tau2_stated': {
        'title': 'tau^2 as the paper writes it',
        'reference': 'docs/theory.md#finite-size; paper, Def. 4',
        'assumptions': 'm > n,\\ \\xi \\text{ is the root of } F;\\ \\text{the denominator lies in } (0, 1)',
        'arg_names': ('xi', 'n', 'sigma_D', 'lambda', 'b'),
        'indexed': (False, False, False, True, True),
        'functions': {'numpy': tau2_stated_numpy, 'mpmath': tau2_stated_mpmath, 'gmpy2': tau2_stated_gmpy2, 'arb': tau2_stated_arb, 'math': tau2_stated_math},
        'unavailable': {},
    },
    'coordinate_mean': {
        'title': 'Mean of a min-norm coordinate in the eigenbasis',
        'reference': 'docs/theory.md#finite-size; paper, Def. 4',
        'assumptions': 'm > n \\text{ or } \\lambda_r > 0',
        'arg_names': ('xi', 'lambda_i', 'b_i'),
        'indexed': (False, False, False),
        'functions': {'numpy': coordinate_mean_numpy, 'mpmath': coordinate_mean_mpmath, 'gmpy2': coordinate_mean_gmpy2, 'arb': coordinate_mean_arb, 'math': coordinate_mean_math},
        'unavailable': {},
    },
    'coordinate_sd': {
        'title': 'Standard deviation of a min-norm coordinate in the eigenbasis',
        'reference': 'docs/theory.md#finite-size; paper, Def. 4',
        'assumptions': 'm > n \\text{ or } \\lambda_r > 0;\\ \\lambda_i \\ge 0 \\ (\\varsigma_i = 0 \\text{ at } \\lambda_i = 0)',
        'arg_names': ('xi', 'tau', 'n', 'lambda_i'),
        'indexed': (False, False, False, False),
        'functions': {'numpy': coordinate_sd_numpy, 'mpmath': coordinate_sd_mpmath, 'gmpy2': coordinate_sd_gmpy2, 'arb': coordinate_sd_arb, 'math': coordinate_sd_math},
        'unavailable': {},
    },
    'underparameterized_sd': {
        'title': 'Standard deviation of a least-squares coordinate, m < n - 1',
        'reference': 'docs/theory.md#finite-size; supplement, Sec. E; Hastie et al. 2019',
        'assumptions': "m < n - 1,\\ \\lambda_i > 0;\\ \\text{the coordinate's mean is } \\beta_i",
        'arg_names': ('sigma_D', 'n', 'm', 'lambda_i'),
        'indexed': (False, False, False, False),
        'functions': {'numpy': underparameterized_sd_numpy, 'mpmath': underparameterized_sd_mpmath, 'gmpy2': underparameterized_sd_gmpy2, 'arb': underparameterized_sd_arb, 'math': underparameterized_sd_math},
        'unavailable': {},
    },
    'underparameterized_risk': {
        'title': 'Exact mean risk of least squares, m < n - 1',
        'reference': 'docs/theory.md#finite-size; supplement, Sec. E; Hastie et al. 2019',
        'assumptions': 'm < n - 1',
        'arg_names': ('sigma_D', 'n', 'm'),
        'indexed': (False, False, False),
        'functions': {'numpy': underparameterized_risk_numpy, 'mpmath': underparameterized_risk_mpmath, 'gmpy2': underparameterized_risk_gmpy2, 'arb': underparameterized_risk_arb, 'math': underparameterized_risk_math},
        'unavailable': {},
    },
    'ridge_sample_size': {
        'title': 'Finite-n sample size n_lambda of the ridge prediction',
        'reference': 'docs/theory.md#finite-size; this project (exact as the ridge vanishes, an O(1/n) choice otherwise)',
        'assumptions': '\\lambda_r > 0,\\ \\xi \\text{ the root of } G \\text{ with } n;\\ m \\text{ the coordinates with } \\lambda_i > 0;\\ n - 1 \\le n_{\\lambda} \\le n',
        'arg_names': ('xi', 'n', 'lambda_r', 'm', 'lambda'),
        'indexed': (False, False, False, False, True),
        'functions': {'numpy': ridge_sample_size_numpy, 'mpmath': ridge_sample_size_mpmath, 'gmpy2': ridge_sample_size_gmpy2, 'arb': ridge_sample_size_arb, 'math': ridge_sample_size_math},
        'unavailable': {},
    },
    'ridge_tau2_limit': {
        'title': 'Dense ridge risk as the ridge vanishes, m < n_lambda',
        'reference': 'docs/theory.md#finite-size; this project',
        'assumptions': 'm < n_{\\lambda};\\ \\text{at } n_{\\lambda} = n - 1 \\text{ it is the exact least-squares risk}',
        'arg_names': ('sigma_D', 'n_lambda', 'm'),
        'indexed': (False, False, False),
        'functions': {'numpy': ridge_tau2_limit_numpy, 'mpmath': ridge_tau2_limit_mpmath, 'gmpy2': ridge_tau2_limit_gmpy2, 'arb': ridge_tau2_limit_arb, 'math': ridge_tau2_limit_math},
        'unavailable': {},
    },
    'keep_probability': {
        'title': 'Keep probability eta_i(t) = Pr(|w_i| > t)',
        'reference': 'docs/theory.md#thresholded-risk; this project',
        'assumptions': '\\varsigma_i > 0,\\ t \\ge 0',
        'arg_names': ('t', 'mu_i', 'varsigma_i'),
        'indexed': (False, False, False),
        'functions': {'numpy': keep_probability_numpy, 'mpmath': keep_probability_mpmath, 'arb': keep_probability_arb, 'math': keep_probability_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula keep_probability has constants that are not exact in binary: no gmpy2 backend')},
    },
    'keep_probability_derivative': {
        'title': 'd eta_i / d t (for Newton steps on the threshold)',
        'reference': 'docs/theory.md#thresholded-risk; this project',
        'assumptions': '\\varsigma_i > 0,\\ t \\ge 0',
        'arg_names': ('t', 'mu_i', 'varsigma_i'),
        'indexed': (False, False, False),
        'functions': {'numpy': keep_probability_derivative_numpy, 'mpmath': keep_probability_derivative_mpmath, 'arb': keep_probability_derivative_arb, 'math': keep_probability_derivative_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula keep_probability_derivative has constants that are not exact in binary: no gmpy2 backend')},
    },
    'standardized_keep_probability': {
        'title': 'Keep probability in units of the coordinate sd, eta_i = Q(tbar_i - mubar_i) + Q(tbar_i + mubar_i)',
        'reference': 'docs/theory.md#thresholded-risk; this project',
        'assumptions': '\\bar t_i = t / \\varsigma_i,\\ \\bar\\mu_i = \\mu_i / \\varsigma_i,\\ \\varsigma_i > 0',
        'arg_names': ('tbar_i', 'mubar_i'),
        'indexed': (False, False),
        'functions': {'numpy': standardized_keep_probability_numpy, 'mpmath': standardized_keep_probability_mpmath, 'arb': standardized_keep_probability_arb, 'math': standardized_keep_probability_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula standardized_keep_probability has constants that are not exact in binary: no gmpy2 backend')},
    },
    'standardized_keep_probability_derivative': {
        'title': 'd eta_i / d tbar_i, so that d eta_i / d t = (d eta_i / d tbar_i) / varsigma_i (for Newton steps on the threshold)',
        'reference': 'docs/theory.md#thresholded-risk; this project',
        'assumptions': '\\bar t_i = t / \\varsigma_i,\\ \\bar\\mu_i = \\mu_i / \\varsigma_i,\\ \\varsigma_i > 0',
        'arg_names': ('tbar_i', 'mubar_i'),
        'indexed': (False, False),
        'functions': {'numpy': standardized_keep_probability_derivative_numpy, 'mpmath': standardized_keep_probability_derivative_mpmath, 'arb': standardized_keep_probability_derivative_arb, 'math': standardized_keep_probability_derivative_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula standardized_keep_probability_derivative has constants that are not exact in binary: no gmpy2 backend')},
    },
    'standardized_keep_probability_second_derivative': {
        'title': 'd^2 eta_i / d tbar_i^2 (for Halley steps on the threshold)',
        'reference': 'docs/theory.md#thresholded-risk; this project',
        'assumptions': '\\bar t_i = t / \\varsigma_i,\\ \\bar\\mu_i = \\mu_i / \\varsigma_i,\\ \\varsigma_i > 0',
        'arg_names': ('tbar_i', 'mubar_i'),
        'indexed': (False, False),
        'functions': {'numpy': standardized_keep_probability_second_derivative_numpy, 'mpmath': standardized_keep_probability_second_derivative_mpmath, 'arb': standardized_keep_probability_second_derivative_arb, 'math': standardized_keep_probability_second_derivative_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula standardized_keep_probability_second_derivative has constants that are not exact in binary: no gmpy2 backend')},
    },
    'thresholded_m1': {
        'title': 'M_1,i(t) = E[w_i 1{|w_i| > t}]',
        'reference': 'docs/theory.md#thresholded-risk; this project',
        'assumptions': '\\varsigma_i > 0,\\ t \\ge 0',
        'arg_names': ('t', 'mu_i', 'varsigma_i'),
        'indexed': (False, False, False),
        'functions': {'numpy': thresholded_m1_numpy, 'mpmath': thresholded_m1_mpmath, 'arb': thresholded_m1_arb, 'math': thresholded_m1_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula thresholded_m1 has constants that are not exact in binary: no gmpy2 backend')},
    },
    'thresholded_m2': {
        'title': 'M_2,i(t) = E[w_i^2 1{|w_i| > t}]',
        'reference': 'docs/theory.md#thresholded-risk; this project',
        'assumptions': '\\varsigma_i > 0,\\ t \\ge 0',
        'arg_names': ('t', 'mu_i', 'varsigma_i'),
        'indexed': (False, False, False),
        'functions': {'numpy': thresholded_m2_numpy, 'mpmath': thresholded_m2_mpmath, 'arb': thresholded_m2_arb, 'math': thresholded_m2_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula thresholded_m2 has constants that are not exact in binary: no gmpy2 backend')},
    },
    'pruned_error': {
        'title': 'Per-coordinate error of hard thresholding, e_i(t) = E[(w_i 1{|w_i| > t} - beta_i)^2]',
        'reference': 'docs/theory.md#thresholded-risk; this project',
        'assumptions': '\\varsigma_i > 0,\\ t \\ge 0',
        'arg_names': ('t', 'mu_i', 'varsigma_i', 'beta_i'),
        'indexed': (False, False, False, False),
        'functions': {'numpy': pruned_error_numpy, 'mpmath': pruned_error_mpmath, 'arb': pruned_error_arb, 'math': pruned_error_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula pruned_error has constants that are not exact in binary: no gmpy2 backend')},
    },
    'pruned_error_stable': {
        'title': 'Per-coordinate error of hard thresholding, kept part plus beta^2 times the drop probability',
        'reference': 'docs/theory.md#thresholded-risk; this project',
        'assumptions': '\\varsigma_i > 0,\\ t \\ge 0',
        'arg_names': ('t', 'mu_i', 'varsigma_i', 'beta_i'),
        'indexed': (False, False, False, False),
        'functions': {'numpy': pruned_error_stable_numpy, 'mpmath': pruned_error_stable_mpmath, 'arb': pruned_error_stable_arb, 'math': pruned_error_stable_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula pruned_error_stable has constants that are not exact in binary: no gmpy2 backend')},
    },
    'effective_noise': {
        'title': 'Effective noise variance of a model trained on D: the noise plus the signal of the dropped features (weights: the number of dropped copies of each coordinate)',
        'reference': 'docs/theory.md#notation; paper, Sec. 5.3 (this project: the diagonal case)',
        'assumptions': '\\Sigma \\text{ diagonal};\\ \\lambda_i, \\beta_i \\text{ of the } P - m \\text{ features outside } D',
        'arg_names': ('sigma', 'lambda', 'beta'),
        'indexed': (False, True, True),
        'functions': {'numpy': effective_noise_numpy, 'mpmath': effective_noise_mpmath, 'gmpy2': effective_noise_gmpy2, 'arb': effective_noise_arb, 'math': effective_noise_math},
        'unavailable': {},
    },
    'thresholded_risk': {
        'title': "Risk after hard thresholding at per-coordinate thresholds t_i (magnitude: t_i = t; Hessian: t_i = t'/sqrt(lambda_i))",
        'reference': 'docs/theory.md#thresholded-risk; this project (the finite-size form of Cor. 1)',
        'assumptions': '\\Sigma \\text{ diagonal};\\ \\textstyle\\sum_{i \\in D} \\eta_i(t_i) = s',
        'arg_names': ('sigma_D', 'lambda', 't', 'mu', 'varsigma', 'beta'),
        'indexed': (False, True, True, True, True, True),
        'functions': {'numpy': thresholded_risk_numpy, 'mpmath': thresholded_risk_mpmath, 'arb': thresholded_risk_arb, 'math': thresholded_risk_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula thresholded_risk has constants that are not exact in binary: no gmpy2 backend')},
    },
    'oracle_risk': {
        'title': 'Risk of oracle pruning (keep o_i = 1 on D* = top-s of lambda_i beta_i^2, no refit)',
        'reference': 'docs/theory.md#thresholded-risk; this project',
        'assumptions': '\\Sigma \\text{ diagonal};\\ o_i = 1 \\text{ for } i \\in D^* \\cap D,\\ o_i = 0 \\text{ otherwise}',
        'arg_names': ('sigma_D', 'lambda', 'o', 'mu', 'varsigma', 'beta'),
        'indexed': (False, True, True, True, True, True),
        'functions': {'numpy': oracle_risk_numpy, 'mpmath': oracle_risk_mpmath, 'gmpy2': oracle_risk_gmpy2, 'arb': oracle_risk_arb, 'math': oracle_risk_math},
        'unavailable': {},
    },
    'random_pruning_risk': {
        'title': 'Risk of pruning a uniformly random s-subset of D',
        'reference': 'docs/theory.md#thresholded-risk; this project',
        'assumptions': '\\Sigma \\text{ diagonal};\\ s \\le m',
        'arg_names': ('sigma_D', 's', 'm', 'lambda', 'mu', 'varsigma', 'beta'),
        'indexed': (False, False, False, True, True, True, True),
        'functions': {'numpy': random_pruning_risk_numpy, 'mpmath': random_pruning_risk_mpmath, 'gmpy2': random_pruning_risk_gmpy2, 'arb': random_pruning_risk_arb, 'math': random_pruning_risk_math},
        'unavailable': {},
    },
    'retrained_risk': {
        'title': 'Risk of fresh retraining on the pruned support, s < n - 1 (eta_i = 0 outside D)',
        'reference': "docs/theory.md#retraining; this project (a closed form of Def. 5's procedure)",
        'assumptions': '\\Sigma \\text{ diagonal};\\ s < n - 1;\\ \\eta_i = 0 \\text{ for } i \\notin D;\\ \\text{fresh sample}',
        'arg_names': ('sigma', 'n', 's', 'lambda', 'beta', 'eta'),
        'indexed': (False, False, False, True, True, True),
        'functions': {'numpy': retrained_risk_numpy, 'mpmath': retrained_risk_mpmath, 'gmpy2': retrained_risk_gmpy2, 'arb': retrained_risk_arb, 'math': retrained_risk_math},
        'unavailable': {},
    },
    'rank_one_pruned_excess': {
        'title': 'E L(w_s) - L* for magnitude or Hessian pruning',
        'reference': 'docs/theory.md#correlated-features; paper, Lemma 1',
        'assumptions': 'x = \\zeta g \\text{ with distinct } |\\zeta_i|;\\ n > 2;\\ \\rho = \\|\\zeta_S\\|^2 / \\|\\zeta\\|^2;\\ c = \\zeta^\\top\\beta',
        'arg_names': ('c', 'rho', 'sigma', 'n'),
        'indexed': (False, False, False, False),
        'functions': {'numpy': rank_one_pruned_excess_numpy, 'mpmath': rank_one_pruned_excess_mpmath, 'gmpy2': rank_one_pruned_excess_gmpy2, 'arb': rank_one_pruned_excess_arb, 'math': rank_one_pruned_excess_math},
        'unavailable': {},
    },
    'rank_one_retrained_excess': {
        'title': 'E L(w_RT) - L* (retraining on the pruned support)',
        'reference': 'docs/theory.md#correlated-features; paper, Lemma 1',
        'assumptions': 'x = \\zeta g \\text{ with distinct } |\\zeta_i|;\\ n > 2;\\ \\rho = \\|\\zeta_S\\|^2 / \\|\\zeta\\|^2;\\ c = \\zeta^\\top\\beta',
        'arg_names': ('sigma', 'n'),
        'indexed': (False, False),
        'functions': {'numpy': rank_one_retrained_excess_numpy, 'mpmath': rank_one_retrained_excess_mpmath, 'gmpy2': rank_one_retrained_excess_gmpy2, 'arb': rank_one_retrained_excess_arb, 'math': rank_one_retrained_excess_math},
        'unavailable': {},
    },
    'rank_one_dense_excess': {
        'title': 'E L(w_hat) - L* of the dense min-norm model',
        'reference': 'docs/theory.md#correlated-features; paper, Lemma 1',
        'assumptions': 'x = \\zeta g \\text{ with distinct } |\\zeta_i|;\\ n > 2;\\ \\rho = \\|\\zeta_S\\|^2 / \\|\\zeta\\|^2;\\ c = \\zeta^\\top\\beta',
        'arg_names': ('sigma', 'n'),
        'indexed': (False, False),
        'functions': {'numpy': rank_one_dense_excess_numpy, 'mpmath': rank_one_dense_excess_mpmath, 'gmpy2': rank_one_dense_excess_gmpy2, 'arb': rank_one_dense_excess_arb, 'math': rank_one_dense_excess_math},
        'unavailable': {},
    },
    'relu_covariance': {
        'title': 'Sigma_ij = E[ReLU(w_i^T x) ReLU(w_j^T x)] (theta_ij the angle between w_i, w_j)',
        'reference': 'docs/theory.md#random-features; this project',
        'assumptions': '0 \\le \\theta_{ij} \\le \\pi \\ (\\theta_{ii} = 0, \\text{ so } \\Sigma_{ii} = r_i^2 / 2)',
        'arg_names': ('r_i', 'r_j', 'theta_ij'),
        'indexed': (False, False, False),
        'functions': {'numpy': relu_covariance_numpy, 'mpmath': relu_covariance_mpmath, 'math': relu_covariance_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula relu_covariance has constants that are not exact in binary: no gmpy2 backend'), 'arb': ('TypeError', 'relu_covariance: sin has no ball-arithmetic version here')},
    },
    'relu_label_correlation': {
        'title': 'E[psi_i y] for the quadratic label (nu_i = <w_i, beta*>/r_i)',
        'reference': 'docs/theory.md#random-features; this project',
        'assumptions': '-1 \\le \\nu_i \\le 1',
        'arg_names': ('r_i', 'nu_i'),
        'indexed': (False, False),
        'functions': {'numpy': relu_label_correlation_numpy, 'mpmath': relu_label_correlation_mpmath, 'arb': relu_label_correlation_arb, 'math': relu_label_correlation_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula relu_label_correlation has constants that are not exact in binary: no gmpy2 backend')},
    },
    'label_second_moment': {
        'title': 'E[y^2] for y = (x^T beta*)^2 + sigma_y z',
        'reference': 'docs/theory.md#random-features; this project',
        'assumptions': '\\|\\beta^*\\| = 1',
        'arg_names': ('sigma_y',),
        'indexed': (False,),
        'functions': {'numpy': label_second_moment_numpy, 'mpmath': label_second_moment_mpmath, 'gmpy2': label_second_moment_gmpy2, 'arb': label_second_moment_arb, 'math': label_second_moment_math},
        'unavailable': {},
    },
    'asymptotic_xi_equation': {
        'title': 'Equation for xi, asymptotic (E over the law of Lam)',
        'reference': 'docs/theory.md#asymptotic; paper, Def. 3 (8)',
        'assumptions': '\\kappa > 1,\\ \\Pr(\\Lambda > 0) > 1/\\kappa',
        'arg_names': ('xi', 'kappa', 'Lambda', 'p'),
        'indexed': (False, False, True, True),
        'functions': {'numpy': asymptotic_xi_equation_numpy, 'mpmath': asymptotic_xi_equation_mpmath, 'gmpy2': asymptotic_xi_equation_gmpy2, 'arb': asymptotic_xi_equation_arb, 'math': asymptotic_xi_equation_math},
        'unavailable': {},
    },
    'asymptotic_tau2': {
        'title': 'tau^2, asymptotic (cancellation-free denominator)',
        'reference': "docs/theory.md#asymptotic; this project (equal to Def. 3's (9) at the root)",
        'assumptions': '\\kappa > 1,\\ \\xi \\text{ is the root of } F',
        'arg_names': ('xi', 'kappa', 'sigma', 'Lambda', 'B', 'p'),
        'indexed': (False, False, False, True, True, True),
        'functions': {'numpy': asymptotic_tau2_numpy, 'mpmath': asymptotic_tau2_mpmath, 'gmpy2': asymptotic_tau2_gmpy2, 'arb': asymptotic_tau2_arb, 'math': asymptotic_tau2_math},
        'unavailable': {},
    },
    'asymptotic_law': {
        'title': 'The limit Omega of sqrt(P) w_hat_i given (Lambda, B), H ~ N(0, 1)',
        'reference': 'docs/theory.md#asymptotic; paper, Def. 3 (10)',
        'assumptions': '\\kappa > 1;\\ H \\sim N(0, 1) \\text{ independent of } (\\Lambda, B)',
        'arg_names': ('xi', 'kappa', 'tau', 'Lambda', 'B', 'H'),
        'indexed': (False, False, False, False, False, False),
        'functions': {'numpy': asymptotic_law_numpy, 'mpmath': asymptotic_law_mpmath, 'gmpy2': asymptotic_law_gmpy2, 'arb': asymptotic_law_arb, 'math': asymptotic_law_math},
        'unavailable': {},
    },
    'hastie_xi': {
        'title': 'xi for isotropic features (derived from the asymptotic equation)',
        'reference': 'docs/theory.md#asymptotic; Hastie et al. 2019, Thm. 3',
        'assumptions': '\\Lambda = 1,\\ \\kappa > 1',
        'arg_names': ('kappa',),
        'indexed': (False,),
        'functions': {'numpy': hastie_xi_numpy, 'mpmath': hastie_xi_mpmath, 'gmpy2': hastie_xi_gmpy2, 'arb': hastie_xi_arb, 'math': hastie_xi_math},
        'unavailable': {},
    },
    'hastie_tau2': {
        'title': 'Dense risk for isotropic features (derived from the asymptotic equations)',
        'reference': 'docs/theory.md#asymptotic; Hastie et al. 2019, Thm. 3',
        'assumptions': '\\Lambda = 1,\\ \\mathbb{E}[B^2] = \\gamma^2,\\ \\kappa > 1',
        'arg_names': ('kappa', 'sigma', 'gamma'),
        'indexed': (False, False, False),
        'functions': {'numpy': hastie_tau2_numpy, 'mpmath': hastie_tau2_mpmath, 'gmpy2': hastie_tau2_gmpy2, 'arb': hastie_tau2_arb, 'math': hastie_tau2_math},
        'unavailable': {},
    },
    'asymptotic_retrained_risk': {
        'title': 'Fresh retraining on a kept fraction q = s/P of the features, asymptotic (q kappa < 1)',
        'reference': "docs/theory.md#retraining; this project (Def. 5's procedure in the limit)",
        'assumptions': '\\Sigma \\text{ diagonal};\\ q\\kappa < 1;\\ \\eta \\text{ the keep probability of the pruning rule}',
        'arg_names': ('sigma', 'kappa', 'q', 'Lambda', 'B', 'eta', 'p'),
        'indexed': (False, False, False, True, True, True, True),
        'functions': {'numpy': asymptotic_retrained_risk_numpy, 'mpmath': asymptotic_retrained_risk_mpmath, 'gmpy2': asymptotic_retrained_risk_gmpy2, 'arb': asymptotic_retrained_risk_arb, 'math': asymptotic_retrained_risk_math},
        'unavailable': {},
    },
    'asymptotic_threshold_equation': {
        'title': 'Threshold equation of magnitude pruning, asymptotic: Pr(|Omega| > t) = q (root in t)',
        'reference': 'docs/theory.md#thresholded-risk; paper, (15)',
        'assumptions': '\\text{Assumptions 1--3};\\ q = s/P \\in (0, 1);\\ \\xi, \\tau^2 \\text{ of Def. 3}',
        'arg_names': ('t', 'xi', 'kappa', 'tau', 'q', 'Lambda', 'B', 'p'),
        'indexed': (False, False, False, False, False, True, True, True),
        'functions': {'numpy': asymptotic_threshold_equation_numpy, 'mpmath': asymptotic_threshold_equation_mpmath, 'arb': asymptotic_threshold_equation_arb, 'math': asymptotic_threshold_equation_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula asymptotic_threshold_equation has constants that are not exact in binary: no gmpy2 backend')},
    },
    'asymptotic_magnitude_risk': {
        'title': 'Risk of magnitude pruning, asymptotic: sigma^2 + E[Lambda (B - T_t(Omega))^2]',
        'reference': 'docs/theory.md#thresholded-risk; paper, Cor. 1',
        'assumptions': '\\text{Assumptions 1--3};\\ t \\text{ is the root of } J',
        'arg_names': ('t', 'xi', 'kappa', 'tau', 'sigma', 'Lambda', 'B', 'p'),
        'indexed': (False, False, False, False, False, True, True, True),
        'functions': {'numpy': asymptotic_magnitude_risk_numpy, 'mpmath': asymptotic_magnitude_risk_mpmath, 'arb': asymptotic_magnitude_risk_arb, 'math': asymptotic_magnitude_risk_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula asymptotic_magnitude_risk has constants that are not exact in binary: no gmpy2 backend')},
    },
    'schedule_xi_equation': {
        'title': 'Equation for xi of the model trained on the kept support (root in xi)',
        'reference': 'docs/theory.md#schedule; this project',
        'assumptions': '\\text{Assumptions 1--4};\\ \\chi \\text{ the kept probability of the rounds so far},\\ q = \\mathbb{E}[\\chi];\\ q\\kappa > 1',
        'arg_names': ('xi', 'kappa', 'Lambda', 'chi', 'p'),
        'indexed': (False, False, True, True, True),
        'functions': {'numpy': schedule_xi_equation_numpy, 'mpmath': schedule_xi_equation_mpmath, 'gmpy2': schedule_xi_equation_gmpy2, 'arb': schedule_xi_equation_arb, 'math': schedule_xi_equation_math},
        'unavailable': {},
    },
    'schedule_tau2': {
        'title': 'tau^2 (the dense risk) of the model trained on the kept support, q kappa > 1',
        'reference': 'docs/theory.md#schedule; this project',
        'assumptions': '\\text{Assumptions 1--4};\\ \\chi \\text{ the kept probability of the rounds so far},\\ q = \\mathbb{E}[\\chi];\\ q\\kappa > 1,\\ \\xi \\text{ the root of } F_S',
        'arg_names': ('xi', 'kappa', 'sigma', 'Lambda', 'B', 'chi', 'p'),
        'indexed': (False, False, False, True, True, True, True),
        'functions': {'numpy': schedule_tau2_numpy, 'mpmath': schedule_tau2_mpmath, 'gmpy2': schedule_tau2_gmpy2, 'arb': schedule_tau2_arb, 'math': schedule_tau2_math},
        'unavailable': {},
    },
    'schedule_underparameterized_sd': {
        'title': 'Standard deviation of the limit of sqrt(P) w_i for least squares on a kept fraction q, q kappa < 1',
        'reference': "docs/theory.md#schedule; this project (the limit of the supplement's Sec. E law)",
        'assumptions': "q\\kappa < 1;\\ \\text{the limit's mean is } B",
        'arg_names': ('sigma_S', 'kappa', 'q', 'Lambda'),
        'indexed': (False, False, False, False),
        'functions': {'numpy': schedule_underparameterized_sd_numpy, 'mpmath': schedule_underparameterized_sd_mpmath, 'gmpy2': schedule_underparameterized_sd_gmpy2, 'arb': schedule_underparameterized_sd_arb, 'math': schedule_underparameterized_sd_math},
        'unavailable': {},
    },
    'schedule_threshold_equation': {
        'title': 'Threshold equation of magnitude pruning of the model trained on the kept support (root in t)',
        'reference': 'docs/theory.md#schedule; this project',
        'assumptions': "\\text{Assumptions 1--4};\\ \\chi \\text{ the kept probability of the rounds so far},\\ q = \\mathbb{E}[\\chi];\\ q' < q;\\ \\xi, \\tau^2 \\text{ of the kept problem}",
        'arg_names': ('t', 'xi', 'kappa', 'tau', "q'", 'Lambda', 'B', 'chi', 'p'),
        'indexed': (False, False, False, False, False, True, True, True, True),
        'functions': {'numpy': schedule_threshold_equation_numpy, 'mpmath': schedule_threshold_equation_mpmath, 'arb': schedule_threshold_equation_arb, 'math': schedule_threshold_equation_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula schedule_threshold_equation has constants that are not exact in binary: no gmpy2 backend')},
    },
    'schedule_magnitude_risk': {
        'title': 'Risk of magnitude pruning of the model trained on the kept support',
        'reference': 'docs/theory.md#schedule; this project',
        'assumptions': '\\text{Assumptions 1--4};\\ \\chi \\text{ the kept probability of the rounds so far},\\ q = \\mathbb{E}[\\chi];\\ t \\text{ the root of } J_S',
        'arg_names': ('t', 'xi', 'kappa', 'tau', 'sigma', 'Lambda', 'B', 'chi', 'p'),
        'indexed': (False, False, False, False, False, True, True, True, True),
        'functions': {'numpy': schedule_magnitude_risk_numpy, 'mpmath': schedule_magnitude_risk_mpmath, 'arb': schedule_magnitude_risk_arb, 'math': schedule_magnitude_risk_math},
        'unavailable': {'gmpy2': ('ValueError', 'formula schedule_magnitude_risk has constants that are not exact in binary: no gmpy2 backend')},
    },
}


# -- shrinkage_terms (joint): a_i, d a_i / d log xi and 1 - a_i at one point (Newton steps on the xi equation)


def shrinkage_terms_numpy(xi: Any, lambda_i: Any, /) -> tuple[Any, ...]:
    r"""a_i, d a_i / d log xi and 1 - a_i at one point (Newton steps on the xi equation) (numpy): the values of shrinkage, shrinkage_log_derivative, shrinkage_complement, in this order."""
    xi = numpy.asarray(xi, dtype=float)
    lambda_i = numpy.asarray(lambda_i, dtype=float)
    return (lambda_i*xi/(lambda_i*xi + 1), lambda_i*xi/(lambda_i*xi + 1)**2, (lambda_i*xi + 1)**(-1.0))


def shrinkage_terms_math(xi: Any, lambda_i: Any, /) -> tuple[Any, ...]:
    r"""a_i, d a_i / d log xi and 1 - a_i at one point (Newton steps on the xi equation) (math): the values of shrinkage, shrinkage_log_derivative, shrinkage_complement, in this order."""
    return (lambda_i*xi/(lambda_i*xi + 1), lambda_i*xi/(lambda_i*xi + 1)**2, 1/(lambda_i*xi + 1))


# -- standardized_keep_terms (joint): eta_i, d eta_i / d tbar_i and d^2 eta_i / d tbar_i^2 at one point (Halley steps on the threshold)


def standardized_keep_terms_numpy(tbar_i: Any, mubar_i: Any, /) -> tuple[Any, ...]:
    r"""eta_i, d eta_i / d tbar_i and d^2 eta_i / d tbar_i^2 at one point (Halley steps on the threshold) (numpy): the values of standardized_keep_probability, standardized_keep_probability_derivative, standardized_keep_probability_second_derivative, in this order."""
    tbar_i = numpy.asarray(tbar_i, dtype=float)
    mubar_i = numpy.asarray(mubar_i, dtype=float)
    _call0 = numpy.exp(-1/2*(mubar_i - tbar_i)**2)
    _call1 = numpy.exp(-1/2*(mubar_i + tbar_i)**2)
    return (_gaussian_tail(-mubar_i + tbar_i) + _gaussian_tail(mubar_i + tbar_i), -1/2*1.4142135623730951*_call0/1.7724538509055159 - 1/2*1.4142135623730951*_call1/1.7724538509055159, (1/2)*1.4142135623730951*(-_call0*(mubar_i - tbar_i) + _call1*(mubar_i + tbar_i))/1.7724538509055159)


def standardized_keep_terms_math(tbar_i: Any, mubar_i: Any, /) -> tuple[Any, ...]:
    r"""eta_i, d eta_i / d tbar_i and d^2 eta_i / d tbar_i^2 at one point (Halley steps on the threshold) (math): the values of standardized_keep_probability, standardized_keep_probability_derivative, standardized_keep_probability_second_derivative, in this order."""
    _call0 = math.exp(-1/2*(mubar_i - tbar_i)**2)
    _call1 = math.exp(-1/2*(mubar_i + tbar_i)**2)
    _m1x0 = (1/2)*1.4142135623730951/1.7724538509055159
    return (_math_gaussian_tail(-mubar_i + tbar_i) + _math_gaussian_tail(mubar_i + tbar_i), -_call0*_m1x0 - _call1*_m1x0, (1/2)*1.4142135623730951*(-_call0*(mubar_i - tbar_i) + _call1*(mubar_i + tbar_i))/1.7724538509055159)


JOINTS: dict[str, dict[str, Any]] = {
    'shrinkage_terms': {
        'title': 'a_i, d a_i / d log xi and 1 - a_i at one point (Newton steps on the xi equation)',
        'members': ('shrinkage', 'shrinkage_log_derivative', 'shrinkage_complement'),
        'arg_names': ('xi', 'lambda_i'),
        'functions': {'numpy': shrinkage_terms_numpy, 'math': shrinkage_terms_math},
    },
    'standardized_keep_terms': {
        'title': 'eta_i, d eta_i / d tbar_i and d^2 eta_i / d tbar_i^2 at one point (Halley steps on the threshold)',
        'members': ('standardized_keep_probability', 'standardized_keep_probability_derivative', 'standardized_keep_probability_second_derivative'),
        'arg_names': ('tbar_i', 'mubar_i'),
        'functions': {'numpy': standardized_keep_terms_numpy, 'math': standardized_keep_terms_math},
    },
}
