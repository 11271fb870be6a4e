# generated from derivations/, do not edit (regenerate with `python -m derivations.build`)
"""Every formula registered in ``derivations``, compiled ahead of time by ``derivations.build``.

For each formula NAME: ``NAME_numpy`` (float64, broadcasting), ``NAME_mpmath``
(the caller's ``mpmath.mp`` precision) and, where the formula allows it,
``NAME_gmpy2`` (MPFR) and ``NAME_arb`` (python-flint balls). Indexed arguments
are arrays (numpy: the last axis) or sequences over the summation index; the
keyword ``weights`` multiplies every summand before the reduction.
``FORMULAS[NAME]`` holds the metadata, the functions and, for each backend that
the formula has no function for, the reason. Read it through
``dctheory._compiled.compiled(name, backend)``.
"""

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
)


# -- shrinkage: Per-coordinate shrinkage factor a_i


def shrinkage_numpy(xi, lambda_i, /, *, weights=None):
    r"""Per-coordinate shrinkage factor a_i (numpy; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, lambda_i.
    Assumptions: xi > 0, lambda_i >= 0; 0 <= a_i < 1."""
    xi = numpy.asarray(xi, dtype=float)
    lambda_i = numpy.asarray(lambda_i, dtype=float)
    return lambda_i*xi/(lambda_i*xi + 1)


def shrinkage_mpmath(xi, lambda_i, /, *, weights=None):
    r"""Per-coordinate shrinkage factor a_i (mpmath; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, lambda_i.
    Assumptions: xi > 0, lambda_i >= 0; 0 <= a_i < 1."""
    return lambda_i*xi/(lambda_i*xi + 1)


def shrinkage_gmpy2(xi, lambda_i, /, *, weights=None):
    r"""Per-coordinate shrinkage factor a_i (gmpy2; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, lambda_i.
    Assumptions: xi > 0, lambda_i >= 0; 0 <= a_i < 1."""
    return lambda_i*xi/(lambda_i*xi + 1)


def shrinkage_arb(xi, lambda_i, /, *, weights=None):
    r"""Per-coordinate shrinkage factor a_i (arb; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, lambda_i.
    Assumptions: xi > 0, lambda_i >= 0; 0 <= a_i < 1."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    lambda_i = flint.arb(lambda_i)
    return lambda_i*xi/(lambda_i*xi + 1)


# -- shrinkage_log_derivative: d a_i / d log xi (for Newton steps on the xi equation)


def shrinkage_log_derivative_numpy(xi, lambda_i, /, *, weights=None):
    r"""d a_i / d log xi (for Newton steps on the xi equation) (numpy; docs/theory.md#finite-size).

    Arguments: xi, lambda_i.
    Assumptions: xi > 0, lambda_i >= 0."""
    xi = numpy.asarray(xi, dtype=float)
    lambda_i = numpy.asarray(lambda_i, dtype=float)
    return lambda_i*xi/(lambda_i*xi + 1)**2


def shrinkage_log_derivative_mpmath(xi, lambda_i, /, *, weights=None):
    r"""d a_i / d log xi (for Newton steps on the xi equation) (mpmath; docs/theory.md#finite-size).

    Arguments: xi, lambda_i.
    Assumptions: xi > 0, lambda_i >= 0."""
    return lambda_i*xi/(lambda_i*xi + 1)**2


def shrinkage_log_derivative_gmpy2(xi, lambda_i, /, *, weights=None):
    r"""d a_i / d log xi (for Newton steps on the xi equation) (gmpy2; docs/theory.md#finite-size).

    Arguments: xi, lambda_i.
    Assumptions: xi > 0, lambda_i >= 0."""
    return lambda_i*xi/(lambda_i*xi + 1)**2


def shrinkage_log_derivative_arb(xi, lambda_i, /, *, weights=None):
    r"""d a_i / d log xi (for Newton steps on the xi equation) (arb; docs/theory.md#finite-size).

    Arguments: xi, lambda_i.
    Assumptions: xi > 0, lambda_i >= 0."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    lambda_i = flint.arb(lambda_i)
    return lambda_i*xi/(lambda_i*xi + 1)**2


# -- shrinkage_complement: 1 - a_i, the part of a coordinate that min-norm does not recover


def shrinkage_complement_numpy(xi, lambda_i, /, *, weights=None):
    r"""1 - a_i, the part of a coordinate that min-norm does not recover (numpy; docs/theory.md#finite-size).

    Arguments: xi, lambda_i.
    Assumptions: xi > 0, lambda_i >= 0."""
    xi = numpy.asarray(xi, dtype=float)
    lambda_i = numpy.asarray(lambda_i, dtype=float)
    return (lambda_i*xi + 1)**(-1.0)


def shrinkage_complement_mpmath(xi, lambda_i, /, *, weights=None):
    r"""1 - a_i, the part of a coordinate that min-norm does not recover (mpmath; docs/theory.md#finite-size).

    Arguments: xi, lambda_i.
    Assumptions: xi > 0, lambda_i >= 0."""
    return 1/(lambda_i*xi + 1)


def shrinkage_complement_gmpy2(xi, lambda_i, /, *, weights=None):
    r"""1 - a_i, the part of a coordinate that min-norm does not recover (gmpy2; docs/theory.md#finite-size).

    Arguments: xi, lambda_i.
    Assumptions: xi > 0, lambda_i >= 0."""
    return 1/(lambda_i*xi + 1)


def shrinkage_complement_arb(xi, lambda_i, /, *, weights=None):
    r"""1 - a_i, the part of a coordinate that min-norm does not recover (arb; docs/theory.md#finite-size).

    Arguments: xi, lambda_i.
    Assumptions: xi > 0, lambda_i >= 0."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    lambda_i = flint.arb(lambda_i)
    return 1/(lambda_i*xi + 1)


# -- xi_equation: Equation for xi, ridgeless overparameterized (root F(xi) = 0)


def xi_equation_numpy(xi, n, lambda_, /, *, weights=None):
    r"""Equation for xi, ridgeless overparameterized (root F(xi) = 0) (numpy; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, n, lambda.
    Assumptions: m > n; F increases from -n to rank(Sigma_DD) - n, so a unique root exists iff rank(Sigma_DD) > n."""
    xi = numpy.asarray(xi, dtype=float)
    n = numpy.asarray(n, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    xi_i = xi[..., None]
    _sum0 = _numpy_sum(lambda_*xi_i/(lambda_*xi_i + 1), weights)
    return _sum0 - n


def xi_equation_mpmath(xi, n, lambda_, /, *, weights=None):
    r"""Equation for xi, ridgeless overparameterized (root F(xi) = 0) (mpmath; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, n, lambda.
    Assumptions: m > n; F increases from -n to rank(Sigma_DD) - n, so a unique root exists iff rank(Sigma_DD) > n."""
    xi = mpmath.mpf(xi)
    n = mpmath.mpf(n)
    lambda_ = [mpmath.mpf(x) for x in lambda_]
    _length = len(lambda_)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (lambda_[_i]*xi/(lambda_[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0)
    return _sum0 - n


def xi_equation_gmpy2(xi, n, lambda_, /, *, weights=None):
    r"""Equation for xi, ridgeless overparameterized (root F(xi) = 0) (gmpy2; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, n, lambda.
    Assumptions: m > n; F increases from -n to rank(Sigma_DD) - n, so a unique root exists iff rank(Sigma_DD) > n."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: lambda_[_i]*xi/(lambda_[_i]*xi + 1), _length, weights)
    return _sum0 - n


def xi_equation_arb(xi, n, lambda_, /, *, weights=None):
    r"""Equation for xi, ridgeless overparameterized (root F(xi) = 0) (arb; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, n, lambda.
    Assumptions: m > n; F increases from -n to rank(Sigma_DD) - n, so a unique root exists iff rank(Sigma_DD) > n."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    n = flint.arb(n)
    lambda_ = [flint.arb(x) for x in lambda_]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (lambda_[_i]*xi/(lambda_[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 - n


# -- ridge_equation: Equation for xi = 1/c with ridge lambda_r > 0 (any m/n)


def ridge_equation_numpy(xi, n, lambda_r, lambda_, /, *, weights=None):
    r"""Equation for xi = 1/c with ridge lambda_r > 0 (any m/n) (numpy; docs/theory.md#finite-size (ridge; ours)).

    Arguments: xi, n, lambda_r, lambda.
    Assumptions: ridge > 0; G increases from -n (xi -> 0) to +infinity, so the root is unique; derived from lambda_r = c (1 - (1/n) sum_i lambda_i / (lambda_i + c)) with c = 1/xi."""
    xi = numpy.asarray(xi, dtype=float)
    n = numpy.asarray(n, dtype=float)
    lambda_r = numpy.asarray(lambda_r, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    xi_i = xi[..., None]
    _sum0 = _numpy_sum(lambda_*xi_i/(lambda_*xi_i + 1), weights)
    return _sum0 + lambda_r*n*xi - n


def ridge_equation_mpmath(xi, n, lambda_r, lambda_, /, *, weights=None):
    r"""Equation for xi = 1/c with ridge lambda_r > 0 (any m/n) (mpmath; docs/theory.md#finite-size (ridge; ours)).

    Arguments: xi, n, lambda_r, lambda.
    Assumptions: ridge > 0; G increases from -n (xi -> 0) to +infinity, so the root is unique; derived from lambda_r = c (1 - (1/n) sum_i lambda_i / (lambda_i + c)) with c = 1/xi."""
    xi = mpmath.mpf(xi)
    n = mpmath.mpf(n)
    lambda_r = mpmath.mpf(lambda_r)
    lambda_ = [mpmath.mpf(x) for x in lambda_]
    _length = len(lambda_)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (lambda_[_i]*xi/(lambda_[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0)
    return _sum0 + lambda_r*n*xi - n


def ridge_equation_gmpy2(xi, n, lambda_r, lambda_, /, *, weights=None):
    r"""Equation for xi = 1/c with ridge lambda_r > 0 (any m/n) (gmpy2; docs/theory.md#finite-size (ridge; ours)).

    Arguments: xi, n, lambda_r, lambda.
    Assumptions: ridge > 0; G increases from -n (xi -> 0) to +infinity, so the root is unique; derived from lambda_r = c (1 - (1/n) sum_i lambda_i / (lambda_i + c)) with c = 1/xi."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: lambda_[_i]*xi/(lambda_[_i]*xi + 1), _length, weights)
    return _sum0 + lambda_r*n*xi - n


def ridge_equation_arb(xi, n, lambda_r, lambda_, /, *, weights=None):
    r"""Equation for xi = 1/c with ridge lambda_r > 0 (any m/n) (arb; docs/theory.md#finite-size (ridge; ours)).

    Arguments: xi, n, lambda_r, lambda.
    Assumptions: ridge > 0; G increases from -n (xi -> 0) to +infinity, so the root is unique; derived from lambda_r = c (1 - (1/n) sum_i lambda_i / (lambda_i + c)) with c = 1/xi."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    n = flint.arb(n)
    lambda_r = flint.arb(lambda_r)
    lambda_ = [flint.arb(x) for x in lambda_]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (lambda_[_i]*xi/(lambda_[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 + lambda_r*n*xi - n


# -- tau2: Dense-risk parameter tau^2 (cancellation-free denominator)


def tau2_numpy(xi, n, lambda_r, sigma_D, lambda_, b, /, *, weights=None):
    r"""Dense-risk parameter tau^2 (cancellation-free denominator) (numpy; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, n, lambda_r, sigma_D, lambda, b.
    Assumptions: xi is the root of the xi (ridge = 0) or ridge equation; there it equals tau2_stated."""
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


def tau2_mpmath(xi, n, lambda_r, sigma_D, lambda_, b, /, *, weights=None):
    r"""Dense-risk parameter tau^2 (cancellation-free denominator) (mpmath; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, n, lambda_r, sigma_D, lambda, b.
    Assumptions: xi is the root of the xi (ridge = 0) or ridge equation; there it equals tau2_stated."""
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


def tau2_gmpy2(xi, n, lambda_r, sigma_D, lambda_, b, /, *, weights=None):
    r"""Dense-risk parameter tau^2 (cancellation-free denominator) (gmpy2; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, n, lambda_r, sigma_D, lambda, b.
    Assumptions: xi is the root of the xi (ridge = 0) or ridge equation; there it equals tau2_stated."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: lambda_[_i]*xi/(lambda_[_i]*xi + 1)**2, _length, weights)
    _sum1 = _gmpy2_sum(lambda _i: b[_i]**2*lambda_[_i]/(lambda_[_i]*xi + 1)**2, _length, weights)
    return (_sum1 + sigma_D**2)/(_sum0/n + lambda_r*xi)


def tau2_arb(xi, n, lambda_r, sigma_D, lambda_, b, /, *, weights=None):
    r"""Dense-risk parameter tau^2 (cancellation-free denominator) (arb; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, n, lambda_r, sigma_D, lambda, b.
    Assumptions: xi is the root of the xi (ridge = 0) or ridge equation; there it equals tau2_stated."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    n = flint.arb(n)
    lambda_r = flint.arb(lambda_r)
    sigma_D = flint.arb(sigma_D)
    lambda_ = [flint.arb(x) for x in lambda_]
    b = [flint.arb(x) for x in b]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (lambda_[_i]*xi/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    _sum1 = sum((_w[_i] * (b[_i]**2*lambda_[_i]/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return (_sum1 + sigma_D**2)/(_sum0/n + lambda_r*xi)


# -- tau2_stated: tau^2 as the paper writes it


def tau2_stated_numpy(xi, n, sigma_D, lambda_, b, /, *, weights=None):
    r"""tau^2 as the paper writes it (numpy; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, n, sigma_D, lambda, b.
    Assumptions: xi is the root of its equation; the denominator lies in (0, 1)."""
    xi = numpy.asarray(xi, dtype=float)
    n = numpy.asarray(n, dtype=float)
    sigma_D = numpy.asarray(sigma_D, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    b = numpy.asarray(b, dtype=float)
    xi_i = xi[..., None]
    _sum0 = _numpy_sum(lambda_**2*xi_i**2/(lambda_*xi_i + 1)**2, weights)
    _sum1 = _numpy_sum(b**2*lambda_/(lambda_*xi_i + 1)**2, weights)
    return (_sum1 + sigma_D**2)/(-_sum0/n + 1)


def tau2_stated_mpmath(xi, n, sigma_D, lambda_, b, /, *, weights=None):
    r"""tau^2 as the paper writes it (mpmath; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, n, sigma_D, lambda, b.
    Assumptions: xi is the root of its equation; the denominator lies in (0, 1)."""
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


def tau2_stated_gmpy2(xi, n, sigma_D, lambda_, b, /, *, weights=None):
    r"""tau^2 as the paper writes it (gmpy2; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, n, sigma_D, lambda, b.
    Assumptions: xi is the root of its equation; the denominator lies in (0, 1)."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: lambda_[_i]**2*xi**2/(lambda_[_i]*xi + 1)**2, _length, weights)
    _sum1 = _gmpy2_sum(lambda _i: b[_i]**2*lambda_[_i]/(lambda_[_i]*xi + 1)**2, _length, weights)
    return (_sum1 + sigma_D**2)/(-_sum0/n + 1)


def tau2_stated_arb(xi, n, sigma_D, lambda_, b, /, *, weights=None):
    r"""tau^2 as the paper writes it (arb; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, n, sigma_D, lambda, b.
    Assumptions: xi is the root of its equation; the denominator lies in (0, 1)."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    n = flint.arb(n)
    sigma_D = flint.arb(sigma_D)
    lambda_ = [flint.arb(x) for x in lambda_]
    b = [flint.arb(x) for x in b]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (lambda_[_i]**2*xi**2/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    _sum1 = sum((_w[_i] * (b[_i]**2*lambda_[_i]/(lambda_[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return (_sum1 + sigma_D**2)/(-_sum0/n + 1)


# -- coordinate_mean: Mean of a min-norm coordinate in the eigenbasis


def coordinate_mean_numpy(xi, lambda_i, b_i, /, *, weights=None):
    r"""Mean of a min-norm coordinate in the eigenbasis (numpy; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, lambda_i, b_i.
    Assumptions: overparameterized or ridge."""
    xi = numpy.asarray(xi, dtype=float)
    lambda_i = numpy.asarray(lambda_i, dtype=float)
    b_i = numpy.asarray(b_i, dtype=float)
    return b_i*lambda_i*xi/(lambda_i*xi + 1)


def coordinate_mean_mpmath(xi, lambda_i, b_i, /, *, weights=None):
    r"""Mean of a min-norm coordinate in the eigenbasis (mpmath; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, lambda_i, b_i.
    Assumptions: overparameterized or ridge."""
    return b_i*lambda_i*xi/(lambda_i*xi + 1)


def coordinate_mean_gmpy2(xi, lambda_i, b_i, /, *, weights=None):
    r"""Mean of a min-norm coordinate in the eigenbasis (gmpy2; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, lambda_i, b_i.
    Assumptions: overparameterized or ridge."""
    return b_i*lambda_i*xi/(lambda_i*xi + 1)


def coordinate_mean_arb(xi, lambda_i, b_i, /, *, weights=None):
    r"""Mean of a min-norm coordinate in the eigenbasis (arb; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, lambda_i, b_i.
    Assumptions: overparameterized or ridge."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    lambda_i = flint.arb(lambda_i)
    b_i = flint.arb(b_i)
    return b_i*lambda_i*xi/(lambda_i*xi + 1)


# -- coordinate_sd: Standard deviation of a min-norm coordinate in the eigenbasis


def coordinate_sd_numpy(xi, tau, n, lambda_i, /, *, weights=None):
    r"""Standard deviation of a min-norm coordinate in the eigenbasis (numpy; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, tau, n, lambda_i.
    Assumptions: overparameterized or ridge; written without 0/0 so that lambda_i = 0 gives 0."""
    xi = numpy.asarray(xi, dtype=float)
    tau = numpy.asarray(tau, dtype=float)
    n = numpy.asarray(n, dtype=float)
    lambda_i = numpy.asarray(lambda_i, dtype=float)
    return numpy.sqrt(lambda_i)*tau*xi/(numpy.sqrt(n)*(lambda_i*xi + 1))


def coordinate_sd_mpmath(xi, tau, n, lambda_i, /, *, weights=None):
    r"""Standard deviation of a min-norm coordinate in the eigenbasis (mpmath; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, tau, n, lambda_i.
    Assumptions: overparameterized or ridge; written without 0/0 so that lambda_i = 0 gives 0."""
    return mpmath.sqrt(lambda_i)*tau*xi/(mpmath.sqrt(n)*(lambda_i*xi + 1))


def coordinate_sd_gmpy2(xi, tau, n, lambda_i, /, *, weights=None):
    r"""Standard deviation of a min-norm coordinate in the eigenbasis (gmpy2; docs/theory.md#finite-size; Def. 4).

    Arguments: xi, tau, n, lambda_i.
    Assumptions: overparameterized or ridge; written without 0/0 so that lambda_i = 0 gives 0."""
    return gmpy2.sqrt(lambda_i)*tau*xi/(gmpy2.sqrt(n)*(lambda_i*xi + 1))


# -- underparameterized_sd: Standard deviation of a least-squares coordinate, m < n - 1


def underparameterized_sd_numpy(sigma_D, n, m, lambda_i, /, *, weights=None):
    r"""Standard deviation of a least-squares coordinate, m < n - 1 (numpy; docs/theory.md#finite-size).

    Arguments: sigma_D, n, m, lambda_i.
    Assumptions: m < n - 1; w ~ beta_D + sigma_D Sigma_DD^{-1/2} h / sqrt(n - m - 1); mean beta_i."""
    sigma_D = numpy.asarray(sigma_D, dtype=float)
    n = numpy.asarray(n, dtype=float)
    m = numpy.asarray(m, dtype=float)
    lambda_i = numpy.asarray(lambda_i, dtype=float)
    return sigma_D/(numpy.sqrt(lambda_i)*numpy.sqrt(-m + n - 1))


def underparameterized_sd_mpmath(sigma_D, n, m, lambda_i, /, *, weights=None):
    r"""Standard deviation of a least-squares coordinate, m < n - 1 (mpmath; docs/theory.md#finite-size).

    Arguments: sigma_D, n, m, lambda_i.
    Assumptions: m < n - 1; w ~ beta_D + sigma_D Sigma_DD^{-1/2} h / sqrt(n - m - 1); mean beta_i."""
    return sigma_D/(mpmath.sqrt(lambda_i)*mpmath.sqrt(-m + n - 1))


def underparameterized_sd_gmpy2(sigma_D, n, m, lambda_i, /, *, weights=None):
    r"""Standard deviation of a least-squares coordinate, m < n - 1 (gmpy2; docs/theory.md#finite-size).

    Arguments: sigma_D, n, m, lambda_i.
    Assumptions: m < n - 1; w ~ beta_D + sigma_D Sigma_DD^{-1/2} h / sqrt(n - m - 1); mean beta_i."""
    return sigma_D/(gmpy2.sqrt(lambda_i)*gmpy2.sqrt(-m + n - 1))


# -- underparameterized_risk: Exact mean risk of least squares, m < n - 1


def underparameterized_risk_numpy(sigma_D, n, m, /, *, weights=None):
    r"""Exact mean risk of least squares, m < n - 1 (numpy; docs/theory.md#finite-size).

    Arguments: sigma_D, n, m.
    Assumptions: m < n - 1 (infinite at m = n - 1)."""
    sigma_D = numpy.asarray(sigma_D, dtype=float)
    n = numpy.asarray(n, dtype=float)
    m = numpy.asarray(m, dtype=float)
    return sigma_D**2*(n - 1)/(-m + n - 1)


def underparameterized_risk_mpmath(sigma_D, n, m, /, *, weights=None):
    r"""Exact mean risk of least squares, m < n - 1 (mpmath; docs/theory.md#finite-size).

    Arguments: sigma_D, n, m.
    Assumptions: m < n - 1 (infinite at m = n - 1)."""
    return sigma_D**2*(n - 1)/(-m + n - 1)


def underparameterized_risk_gmpy2(sigma_D, n, m, /, *, weights=None):
    r"""Exact mean risk of least squares, m < n - 1 (gmpy2; docs/theory.md#finite-size).

    Arguments: sigma_D, n, m.
    Assumptions: m < n - 1 (infinite at m = n - 1)."""
    return sigma_D**2*(n - 1)/(-m + n - 1)


def underparameterized_risk_arb(sigma_D, n, m, /, *, weights=None):
    r"""Exact mean risk of least squares, m < n - 1 (arb; docs/theory.md#finite-size).

    Arguments: sigma_D, n, m.
    Assumptions: m < n - 1 (infinite at m = n - 1)."""
    import flint  # the optional "certify" extra
    sigma_D = flint.arb(sigma_D)
    n = flint.arb(n)
    m = flint.arb(m)
    return sigma_D**2*(n - 1)/(-m + n - 1)


# -- keep_probability: Keep probability pi(t) = P(|w| > t)


def keep_probability_numpy(t, mu_i, varsigma_i, /, *, weights=None):
    r"""Keep probability pi(t) = P(|w| > t) (numpy; docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: varsigma_i > 0, t >= 0."""
    t = numpy.asarray(t, dtype=float)
    mu_i = numpy.asarray(mu_i, dtype=float)
    varsigma_i = numpy.asarray(varsigma_i, dtype=float)
    return _gaussian_tail((-mu_i + t)/varsigma_i) + _gaussian_tail((mu_i + t)/varsigma_i)


def keep_probability_mpmath(t, mu_i, varsigma_i, /, *, weights=None):
    r"""Keep probability pi(t) = P(|w| > t) (mpmath; docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: varsigma_i > 0, t >= 0."""
    return _mpmath_gaussian_tail((-mu_i + t)/varsigma_i) + _mpmath_gaussian_tail((mu_i + t)/varsigma_i)


# -- keep_probability_derivative: d pi / d t (for Newton steps on the threshold)


def keep_probability_derivative_numpy(t, mu_i, varsigma_i, /, *, weights=None):
    r"""d pi / d t (for Newton steps on the threshold) (numpy; docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: varsigma_i > 0, t >= 0."""
    t = numpy.asarray(t, dtype=float)
    mu_i = numpy.asarray(mu_i, dtype=float)
    varsigma_i = numpy.asarray(varsigma_i, dtype=float)
    return -1/2*1.4142135623730951*numpy.exp(-1/2*(mu_i + t)**2/varsigma_i**2)/(1.7724538509055159*varsigma_i) - 1/2*1.4142135623730951*numpy.exp(-1/2*(mu_i - t)**2/varsigma_i**2)/(1.7724538509055159*varsigma_i)


def keep_probability_derivative_mpmath(t, mu_i, varsigma_i, /, *, weights=None):
    r"""d pi / d t (for Newton steps on the threshold) (mpmath; docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: varsigma_i > 0, t >= 0."""
    x0 = (mpmath.mpf(1)/mpmath.mpf(2))/varsigma_i**2
    x1 = (mpmath.mpf(1)/mpmath.mpf(2))*mpmath.sqrt(2)/(mpmath.sqrt(mpmath.pi)*varsigma_i)
    return -x1*mpmath.exp(-x0*(mu_i + t)**2) - x1*mpmath.exp(-x0*(mu_i - t)**2)


# -- standardized_keep_probability: Keep probability in units of the coordinate sd, pi_i = Q(z_i - r_i) + Q(z_i + r_i)


def standardized_keep_probability_numpy(z_i, r_i, /, *, weights=None):
    r"""Keep probability in units of the coordinate sd, pi_i = Q(z_i - r_i) + Q(z_i + r_i) (numpy; docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1).

    Arguments: z_i, r_i.
    Assumptions: z_i = t / varsigma_i, r_i = mu_i / varsigma_i, varsigma_i > 0."""
    z_i = numpy.asarray(z_i, dtype=float)
    r_i = numpy.asarray(r_i, dtype=float)
    return _gaussian_tail(-r_i + z_i) + _gaussian_tail(r_i + z_i)


def standardized_keep_probability_mpmath(z_i, r_i, /, *, weights=None):
    r"""Keep probability in units of the coordinate sd, pi_i = Q(z_i - r_i) + Q(z_i + r_i) (mpmath; docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1).

    Arguments: z_i, r_i.
    Assumptions: z_i = t / varsigma_i, r_i = mu_i / varsigma_i, varsigma_i > 0."""
    return _mpmath_gaussian_tail(-r_i + z_i) + _mpmath_gaussian_tail(r_i + z_i)


# -- standardized_keep_probability_derivative: d pi_i / d z_i, so that d pi_i / d t = (d pi_i / d z_i) / varsigma_i (for Newton steps on the threshold)


def standardized_keep_probability_derivative_numpy(z_i, r_i, /, *, weights=None):
    r"""d pi_i / d z_i, so that d pi_i / d t = (d pi_i / d z_i) / varsigma_i (for Newton steps on the threshold) (numpy; docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1).

    Arguments: z_i, r_i.
    Assumptions: z_i = t / varsigma_i, r_i = mu_i / varsigma_i."""
    z_i = numpy.asarray(z_i, dtype=float)
    r_i = numpy.asarray(r_i, dtype=float)
    return -1/2*1.4142135623730951*numpy.exp(-1/2*(r_i + z_i)**2)/1.7724538509055159 - 1/2*1.4142135623730951*numpy.exp(-1/2*(r_i - z_i)**2)/1.7724538509055159


def standardized_keep_probability_derivative_mpmath(z_i, r_i, /, *, weights=None):
    r"""d pi_i / d z_i, so that d pi_i / d t = (d pi_i / d z_i) / varsigma_i (for Newton steps on the threshold) (mpmath; docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1).

    Arguments: z_i, r_i.
    Assumptions: z_i = t / varsigma_i, r_i = mu_i / varsigma_i."""
    x0 = (mpmath.mpf(1)/mpmath.mpf(2))*mpmath.sqrt(2)/mpmath.sqrt(mpmath.pi)
    return -x0*mpmath.exp(-mpmath.mpf(1)/mpmath.mpf(2)*(r_i + z_i)**2) - x0*mpmath.exp(-mpmath.mpf(1)/mpmath.mpf(2)*(r_i - z_i)**2)


# -- standardized_keep_probability_second_derivative: d^2 pi_i / d z_i^2 (for Halley steps on the threshold)


def standardized_keep_probability_second_derivative_numpy(z_i, r_i, /, *, weights=None):
    r"""d^2 pi_i / d z_i^2 (for Halley steps on the threshold) (numpy; docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1).

    Arguments: z_i, r_i.
    Assumptions: z_i = t / varsigma_i, r_i = mu_i / varsigma_i."""
    z_i = numpy.asarray(z_i, dtype=float)
    r_i = numpy.asarray(r_i, dtype=float)
    return (1/2)*1.4142135623730951*(-(r_i - z_i)*numpy.exp(-1/2*(r_i - z_i)**2) + (r_i + z_i)*numpy.exp(-1/2*(r_i + z_i)**2))/1.7724538509055159


def standardized_keep_probability_second_derivative_mpmath(z_i, r_i, /, *, weights=None):
    r"""d^2 pi_i / d z_i^2 (for Halley steps on the threshold) (mpmath; docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1).

    Arguments: z_i, r_i.
    Assumptions: z_i = t / varsigma_i, r_i = mu_i / varsigma_i."""
    return (mpmath.mpf(1)/mpmath.mpf(2))*mpmath.sqrt(2)*(-(r_i - z_i)*mpmath.exp(-mpmath.mpf(1)/mpmath.mpf(2)*(r_i - z_i)**2) + (r_i + z_i)*mpmath.exp(-mpmath.mpf(1)/mpmath.mpf(2)*(r_i + z_i)**2))/mpmath.sqrt(mpmath.pi)


# -- thresholded_m1: M1(t) = E[w 1{|w| > t}]


def thresholded_m1_numpy(t, mu_i, varsigma_i, /, *, weights=None):
    r"""M1(t) = E[w 1{|w| > t}] (numpy; docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: varsigma_i > 0, t >= 0."""
    t = numpy.asarray(t, dtype=float)
    mu_i = numpy.asarray(mu_i, dtype=float)
    varsigma_i = numpy.asarray(varsigma_i, dtype=float)
    return mu_i*_gaussian_tail((-mu_i + t)/varsigma_i) + mu_i*_gaussian_tail((mu_i + t)/varsigma_i) - 1/2*1.4142135623730951*varsigma_i*numpy.exp(-1/2*(mu_i + t)**2/varsigma_i**2)/1.7724538509055159 + (1/2)*1.4142135623730951*varsigma_i*numpy.exp(-1/2*(-mu_i + t)**2/varsigma_i**2)/1.7724538509055159


def thresholded_m1_mpmath(t, mu_i, varsigma_i, /, *, weights=None):
    r"""M1(t) = E[w 1{|w| > t}] (mpmath; docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: varsigma_i > 0, t >= 0."""
    x0 = 1/varsigma_i
    x1 = mu_i + t
    x2 = -mu_i + t
    x3 = (mpmath.mpf(1)/mpmath.mpf(2))/varsigma_i**2
    x4 = (mpmath.mpf(1)/mpmath.mpf(2))*mpmath.sqrt(2)*varsigma_i/mpmath.sqrt(mpmath.pi)
    return mu_i*_mpmath_gaussian_tail(x0*x1) + mu_i*_mpmath_gaussian_tail(x0*x2) + x4*mpmath.exp(-x2**2*x3) - x4*mpmath.exp(-x1**2*x3)


# -- thresholded_m2: M2(t) = E[w^2 1{|w| > t}]


def thresholded_m2_numpy(t, mu_i, varsigma_i, /, *, weights=None):
    r"""M2(t) = E[w^2 1{|w| > t}] (numpy; docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: varsigma_i > 0, t >= 0."""
    t = numpy.asarray(t, dtype=float)
    mu_i = numpy.asarray(mu_i, dtype=float)
    varsigma_i = numpy.asarray(varsigma_i, dtype=float)
    return (mu_i**2 + varsigma_i**2)*_gaussian_tail((-mu_i + t)/varsigma_i) + (mu_i**2 + varsigma_i**2)*_gaussian_tail((mu_i + t)/varsigma_i) + (-1.4142135623730951*mu_i*varsigma_i/1.7724538509055159 - 1/2*1.4142135623730951*varsigma_i*(-mu_i - t)/1.7724538509055159)*numpy.exp(-1/2*(mu_i + t)**2/varsigma_i**2) + (1.4142135623730951*mu_i*varsigma_i/1.7724538509055159 + (1/2)*1.4142135623730951*varsigma_i*(-mu_i + t)/1.7724538509055159)*numpy.exp(-1/2*(-mu_i + t)**2/varsigma_i**2)


def thresholded_m2_mpmath(t, mu_i, varsigma_i, /, *, weights=None):
    r"""M2(t) = E[w^2 1{|w| > t}] (mpmath; docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1).

    Arguments: t, mu_i, varsigma_i.
    Assumptions: varsigma_i > 0, t >= 0."""
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


# -- pruned_error: Per-coordinate error of hard thresholding, E[(w 1{|w|>t} - beta)^2]


def pruned_error_numpy(t, mu_i, varsigma_i, beta_i, /, *, weights=None):
    r"""Per-coordinate error of hard thresholding, E[(w 1{|w|>t} - beta)^2] (numpy; docs/theory.md#thresholded-risk; Cor. 1).

    Arguments: t, mu_i, varsigma_i, beta_i.
    Assumptions: varsigma_i > 0, t >= 0."""
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


def pruned_error_mpmath(t, mu_i, varsigma_i, beta_i, /, *, weights=None):
    r"""Per-coordinate error of hard thresholding, E[(w 1{|w|>t} - beta)^2] (mpmath; docs/theory.md#thresholded-risk; Cor. 1).

    Arguments: t, mu_i, varsigma_i, beta_i.
    Assumptions: varsigma_i > 0, t >= 0."""
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


# -- pruned_error_stable: Per-coordinate error of hard thresholding, kept part plus beta^2 times the drop probability


def pruned_error_stable_numpy(t, mu_i, varsigma_i, beta_i, /, *, weights=None):
    r"""Per-coordinate error of hard thresholding, kept part plus beta^2 times the drop probability (numpy; docs/theory.md#thresholded-risk; Cor. 1).

    Arguments: t, mu_i, varsigma_i, beta_i.
    Assumptions: varsigma_i > 0, t >= 0."""
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


def pruned_error_stable_mpmath(t, mu_i, varsigma_i, beta_i, /, *, weights=None):
    r"""Per-coordinate error of hard thresholding, kept part plus beta^2 times the drop probability (mpmath; docs/theory.md#thresholded-risk; Cor. 1).

    Arguments: t, mu_i, varsigma_i, beta_i.
    Assumptions: varsigma_i > 0, t >= 0."""
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


# -- effective_noise: Effective noise variance of a model trained on D: the noise plus the signal of the dropped features (weights: the number of dropped copies of each coordinate)


def effective_noise_numpy(sigma, lambda_, beta, /, *, weights=None):
    r"""Effective noise variance of a model trained on D: the noise plus the signal of the dropped features (weights: the number of dropped copies of each coordinate) (numpy; docs/theory.md#notation).

    Arguments: sigma, lambda, beta.
    Assumptions: sum over the features outside D; every term >= 0."""
    sigma = numpy.asarray(sigma, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    beta = numpy.asarray(beta, dtype=float)
    _sum0 = _numpy_sum(beta**2*lambda_, weights)
    return _sum0 + sigma**2


def effective_noise_mpmath(sigma, lambda_, beta, /, *, weights=None):
    r"""Effective noise variance of a model trained on D: the noise plus the signal of the dropped features (weights: the number of dropped copies of each coordinate) (mpmath; docs/theory.md#notation).

    Arguments: sigma, lambda, beta.
    Assumptions: sum over the features outside D; every term >= 0."""
    sigma = mpmath.mpf(sigma)
    lambda_ = [mpmath.mpf(x) for x in lambda_]
    beta = [mpmath.mpf(x) for x in beta]
    _length = len(lambda_)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (beta[_i]**2*lambda_[_i]) for _i in range(_length) if _w[_i] != 0)
    return _sum0 + sigma**2


def effective_noise_gmpy2(sigma, lambda_, beta, /, *, weights=None):
    r"""Effective noise variance of a model trained on D: the noise plus the signal of the dropped features (weights: the number of dropped copies of each coordinate) (gmpy2; docs/theory.md#notation).

    Arguments: sigma, lambda, beta.
    Assumptions: sum over the features outside D; every term >= 0."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: beta[_i]**2*lambda_[_i], _length, weights)
    return _sum0 + sigma**2


def effective_noise_arb(sigma, lambda_, beta, /, *, weights=None):
    r"""Effective noise variance of a model trained on D: the noise plus the signal of the dropped features (weights: the number of dropped copies of each coordinate) (arb; docs/theory.md#notation).

    Arguments: sigma, lambda, beta.
    Assumptions: sum over the features outside D; every term >= 0."""
    import flint  # the optional "certify" extra
    sigma = flint.arb(sigma)
    lambda_ = [flint.arb(x) for x in lambda_]
    beta = [flint.arb(x) for x in beta]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (beta[_i]**2*lambda_[_i]) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 + sigma**2


# -- thresholded_risk: Risk after hard thresholding at per-coordinate thresholds t_i (magnitude: t_i = t; Hessian: t_i = t'/sqrt(lambda_i))


def thresholded_risk_numpy(sigma_D, lambda_, t, mu, varsigma, beta, /, *, weights=None):
    r"""Risk after hard thresholding at per-coordinate thresholds t_i (magnitude: t_i = t; Hessian: t_i = t'/sqrt(lambda_i)) (numpy; docs/theory.md#thresholded-risk; Cor. 1).

    Arguments: sigma_D, lambda, t, mu, varsigma, beta.
    Assumptions: diagonal Sigma; thresholds chosen so that sum_i pi_i(t_i) = s."""
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


def thresholded_risk_mpmath(sigma_D, lambda_, t, mu, varsigma, beta, /, *, weights=None):
    r"""Risk after hard thresholding at per-coordinate thresholds t_i (magnitude: t_i = t; Hessian: t_i = t'/sqrt(lambda_i)) (mpmath; docs/theory.md#thresholded-risk; Cor. 1).

    Arguments: sigma_D, lambda, t, mu, varsigma, beta.
    Assumptions: diagonal Sigma; thresholds chosen so that sum_i pi_i(t_i) = s."""
    sigma_D = mpmath.mpf(sigma_D)
    lambda_ = [mpmath.mpf(x) for x in lambda_]
    t = [mpmath.mpf(x) for x in t]
    mu = [mpmath.mpf(x) for x in mu]
    varsigma = [mpmath.mpf(x) for x in varsigma]
    beta = [mpmath.mpf(x) for x in beta]
    _length = len(lambda_)
    _w = _mpmath_weights(weights, _length)
    def _term0(_i):
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


# -- oracle_risk: Risk of oracle pruning (keep o_i = 1 on D* = top-s of lambda_i beta_i^2, no refit)


def oracle_risk_numpy(sigma_D, lambda_, o, mu, varsigma, beta, /, *, weights=None):
    r"""Risk of oracle pruning (keep o_i = 1 on D* = top-s of lambda_i beta_i^2, no refit) (numpy; docs/theory.md#thresholded-risk).

    Arguments: sigma_D, lambda, o, mu, varsigma, beta.
    Assumptions: diagonal Sigma; o_i in {0, 1}."""
    sigma_D = numpy.asarray(sigma_D, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    o = numpy.asarray(o, dtype=float)
    mu = numpy.asarray(mu, dtype=float)
    varsigma = numpy.asarray(varsigma, dtype=float)
    beta = numpy.asarray(beta, dtype=float)
    _sum0 = _numpy_sum(lambda_*(beta**2*(1 - o) + o*(varsigma**2 + (-beta + mu)**2)), weights)
    return _sum0 + sigma_D**2


def oracle_risk_mpmath(sigma_D, lambda_, o, mu, varsigma, beta, /, *, weights=None):
    r"""Risk of oracle pruning (keep o_i = 1 on D* = top-s of lambda_i beta_i^2, no refit) (mpmath; docs/theory.md#thresholded-risk).

    Arguments: sigma_D, lambda, o, mu, varsigma, beta.
    Assumptions: diagonal Sigma; o_i in {0, 1}."""
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


def oracle_risk_gmpy2(sigma_D, lambda_, o, mu, varsigma, beta, /, *, weights=None):
    r"""Risk of oracle pruning (keep o_i = 1 on D* = top-s of lambda_i beta_i^2, no refit) (gmpy2; docs/theory.md#thresholded-risk).

    Arguments: sigma_D, lambda, o, mu, varsigma, beta.
    Assumptions: diagonal Sigma; o_i in {0, 1}."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: lambda_[_i]*(beta[_i]**2*(1 - o[_i]) + o[_i]*(varsigma[_i]**2 + (-beta[_i] + mu[_i])**2)), _length, weights)
    return _sum0 + sigma_D**2


def oracle_risk_arb(sigma_D, lambda_, o, mu, varsigma, beta, /, *, weights=None):
    r"""Risk of oracle pruning (keep o_i = 1 on D* = top-s of lambda_i beta_i^2, no refit) (arb; docs/theory.md#thresholded-risk).

    Arguments: sigma_D, lambda, o, mu, varsigma, beta.
    Assumptions: diagonal Sigma; o_i in {0, 1}."""
    import flint  # the optional "certify" extra
    sigma_D = flint.arb(sigma_D)
    lambda_ = [flint.arb(x) for x in lambda_]
    o = [flint.arb(x) for x in o]
    mu = [flint.arb(x) for x in mu]
    varsigma = [flint.arb(x) for x in varsigma]
    beta = [flint.arb(x) for x in beta]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (lambda_[_i]*(beta[_i]**2*(1 - o[_i]) + o[_i]*(varsigma[_i]**2 + (-beta[_i] + mu[_i])**2))) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 + sigma_D**2


# -- random_pruning_risk: Risk of pruning a uniformly random s-subset of D


def random_pruning_risk_numpy(sigma_D, s, m, lambda_, mu, varsigma, beta, /, *, weights=None):
    r"""Risk of pruning a uniformly random s-subset of D (numpy; docs/theory.md#thresholded-risk).

    Arguments: sigma_D, s, m, lambda, mu, varsigma, beta.
    Assumptions: diagonal Sigma; s <= m."""
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


def random_pruning_risk_mpmath(sigma_D, s, m, lambda_, mu, varsigma, beta, /, *, weights=None):
    r"""Risk of pruning a uniformly random s-subset of D (mpmath; docs/theory.md#thresholded-risk).

    Arguments: sigma_D, s, m, lambda, mu, varsigma, beta.
    Assumptions: diagonal Sigma; s <= m."""
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


def random_pruning_risk_gmpy2(sigma_D, s, m, lambda_, mu, varsigma, beta, /, *, weights=None):
    r"""Risk of pruning a uniformly random s-subset of D (gmpy2; docs/theory.md#thresholded-risk).

    Arguments: sigma_D, s, m, lambda, mu, varsigma, beta.
    Assumptions: diagonal Sigma; s <= m."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: lambda_[_i]*(beta[_i]**2*(1 - s/m) + s*(varsigma[_i]**2 + (-beta[_i] + mu[_i])**2)/m), _length, weights)
    return _sum0 + sigma_D**2


def random_pruning_risk_arb(sigma_D, s, m, lambda_, mu, varsigma, beta, /, *, weights=None):
    r"""Risk of pruning a uniformly random s-subset of D (arb; docs/theory.md#thresholded-risk).

    Arguments: sigma_D, s, m, lambda, mu, varsigma, beta.
    Assumptions: diagonal Sigma; s <= m."""
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
    _sum0 = sum((_w[_i] * (lambda_[_i]*(beta[_i]**2*(1 - s/m) + s*(varsigma[_i]**2 + (-beta[_i] + mu[_i])**2)/m)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 + sigma_D**2


# -- retrained_risk: Risk of fresh retraining on the pruned support, s < n - 1 (pi_i = 0 outside D)


def retrained_risk_numpy(sigma, n, s, lambda_, beta, pi, /, *, weights=None):
    r"""Risk of fresh retraining on the pruned support, s < n - 1 (pi_i = 0 outside D) (numpy; docs/theory.md#retraining; Def. 5).

    Arguments: sigma, n, s, lambda, beta, pi.
    Assumptions: diagonal Sigma; s < n - 1; the prediction is for retraining on a fresh sample."""
    sigma = numpy.asarray(sigma, dtype=float)
    n = numpy.asarray(n, dtype=float)
    s = numpy.asarray(s, dtype=float)
    lambda_ = numpy.asarray(lambda_, dtype=float)
    beta = numpy.asarray(beta, dtype=float)
    pi = numpy.asarray(pi, dtype=float)
    _sum0 = _numpy_sum(beta**2*lambda_*(1 - pi), weights)
    return (_sum0 + sigma**2)*(n - 1)/(n - s - 1)


def retrained_risk_mpmath(sigma, n, s, lambda_, beta, pi, /, *, weights=None):
    r"""Risk of fresh retraining on the pruned support, s < n - 1 (pi_i = 0 outside D) (mpmath; docs/theory.md#retraining; Def. 5).

    Arguments: sigma, n, s, lambda, beta, pi.
    Assumptions: diagonal Sigma; s < n - 1; the prediction is for retraining on a fresh sample."""
    sigma = mpmath.mpf(sigma)
    n = mpmath.mpf(n)
    s = mpmath.mpf(s)
    lambda_ = [mpmath.mpf(x) for x in lambda_]
    beta = [mpmath.mpf(x) for x in beta]
    pi = [mpmath.mpf(x) for x in pi]
    _length = len(lambda_)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (beta[_i]**2*lambda_[_i]*(1 - pi[_i])) for _i in range(_length) if _w[_i] != 0)
    return (_sum0 + sigma**2)*(n - 1)/(n - s - 1)


def retrained_risk_gmpy2(sigma, n, s, lambda_, beta, pi, /, *, weights=None):
    r"""Risk of fresh retraining on the pruned support, s < n - 1 (pi_i = 0 outside D) (gmpy2; docs/theory.md#retraining; Def. 5).

    Arguments: sigma, n, s, lambda, beta, pi.
    Assumptions: diagonal Sigma; s < n - 1; the prediction is for retraining on a fresh sample."""
    _length = len(lambda_)
    _sum0 = _gmpy2_sum(lambda _i: beta[_i]**2*lambda_[_i]*(1 - pi[_i]), _length, weights)
    return (_sum0 + sigma**2)*(n - 1)/(n - s - 1)


def retrained_risk_arb(sigma, n, s, lambda_, beta, pi, /, *, weights=None):
    r"""Risk of fresh retraining on the pruned support, s < n - 1 (pi_i = 0 outside D) (arb; docs/theory.md#retraining; Def. 5).

    Arguments: sigma, n, s, lambda, beta, pi.
    Assumptions: diagonal Sigma; s < n - 1; the prediction is for retraining on a fresh sample."""
    import flint  # the optional "certify" extra
    sigma = flint.arb(sigma)
    n = flint.arb(n)
    s = flint.arb(s)
    lambda_ = [flint.arb(x) for x in lambda_]
    beta = [flint.arb(x) for x in beta]
    pi = [flint.arb(x) for x in pi]
    _length = len(lambda_)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (beta[_i]**2*lambda_[_i]*(1 - pi[_i])) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return (_sum0 + sigma**2)*(n - 1)/(n - s - 1)


# -- rank_one_pruned_excess: E L(w_s) - L* for magnitude or Hessian pruning


def rank_one_pruned_excess_numpy(c, rho, sigma, n, /, *, weights=None):
    r"""E L(w_s) - L* for magnitude or Hessian pruning (numpy; docs/theory.md#correlated-features; Lemma 1).

    Arguments: c, rho, sigma, n.
    Assumptions: x = zeta g with distinct |zeta_i|; n > 2; c = zeta^T beta, rho = ||zeta_S||^2/||zeta||^2."""
    c = numpy.asarray(c, dtype=float)
    rho = numpy.asarray(rho, dtype=float)
    sigma = numpy.asarray(sigma, dtype=float)
    n = numpy.asarray(n, dtype=float)
    return c**2*(1 - rho)**2 + rho**2*sigma**2/(n - 2)


def rank_one_pruned_excess_mpmath(c, rho, sigma, n, /, *, weights=None):
    r"""E L(w_s) - L* for magnitude or Hessian pruning (mpmath; docs/theory.md#correlated-features; Lemma 1).

    Arguments: c, rho, sigma, n.
    Assumptions: x = zeta g with distinct |zeta_i|; n > 2; c = zeta^T beta, rho = ||zeta_S||^2/||zeta||^2."""
    return c**2*(1 - rho)**2 + rho**2*sigma**2/(n - 2)


def rank_one_pruned_excess_gmpy2(c, rho, sigma, n, /, *, weights=None):
    r"""E L(w_s) - L* for magnitude or Hessian pruning (gmpy2; docs/theory.md#correlated-features; Lemma 1).

    Arguments: c, rho, sigma, n.
    Assumptions: x = zeta g with distinct |zeta_i|; n > 2; c = zeta^T beta, rho = ||zeta_S||^2/||zeta||^2."""
    return c**2*(1 - rho)**2 + rho**2*sigma**2/(n - 2)


def rank_one_pruned_excess_arb(c, rho, sigma, n, /, *, weights=None):
    r"""E L(w_s) - L* for magnitude or Hessian pruning (arb; docs/theory.md#correlated-features; Lemma 1).

    Arguments: c, rho, sigma, n.
    Assumptions: x = zeta g with distinct |zeta_i|; n > 2; c = zeta^T beta, rho = ||zeta_S||^2/||zeta||^2."""
    import flint  # the optional "certify" extra
    c = flint.arb(c)
    rho = flint.arb(rho)
    sigma = flint.arb(sigma)
    n = flint.arb(n)
    return c**2*(1 - rho)**2 + rho**2*sigma**2/(n - 2)


# -- rank_one_retrained_excess: E L(w_RT) - L* (retraining on the pruned support)


def rank_one_retrained_excess_numpy(sigma, n, /, *, weights=None):
    r"""E L(w_RT) - L* (retraining on the pruned support) (numpy; docs/theory.md#correlated-features; Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = zeta g with distinct |zeta_i|; n > 2; c = zeta^T beta, rho = ||zeta_S||^2/||zeta||^2."""
    sigma = numpy.asarray(sigma, dtype=float)
    n = numpy.asarray(n, dtype=float)
    return sigma**2/(n - 2)


def rank_one_retrained_excess_mpmath(sigma, n, /, *, weights=None):
    r"""E L(w_RT) - L* (retraining on the pruned support) (mpmath; docs/theory.md#correlated-features; Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = zeta g with distinct |zeta_i|; n > 2; c = zeta^T beta, rho = ||zeta_S||^2/||zeta||^2."""
    return sigma**2/(n - 2)


def rank_one_retrained_excess_gmpy2(sigma, n, /, *, weights=None):
    r"""E L(w_RT) - L* (retraining on the pruned support) (gmpy2; docs/theory.md#correlated-features; Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = zeta g with distinct |zeta_i|; n > 2; c = zeta^T beta, rho = ||zeta_S||^2/||zeta||^2."""
    return sigma**2/(n - 2)


def rank_one_retrained_excess_arb(sigma, n, /, *, weights=None):
    r"""E L(w_RT) - L* (retraining on the pruned support) (arb; docs/theory.md#correlated-features; Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = zeta g with distinct |zeta_i|; n > 2; c = zeta^T beta, rho = ||zeta_S||^2/||zeta||^2."""
    import flint  # the optional "certify" extra
    sigma = flint.arb(sigma)
    n = flint.arb(n)
    return sigma**2/(n - 2)


# -- rank_one_dense_excess: E L(w_hat) - L* of the dense min-norm model


def rank_one_dense_excess_numpy(sigma, n, /, *, weights=None):
    r"""E L(w_hat) - L* of the dense min-norm model (numpy; docs/theory.md#correlated-features; Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = zeta g with distinct |zeta_i|; n > 2; c = zeta^T beta, rho = ||zeta_S||^2/||zeta||^2."""
    sigma = numpy.asarray(sigma, dtype=float)
    n = numpy.asarray(n, dtype=float)
    return sigma**2/(n - 2)


def rank_one_dense_excess_mpmath(sigma, n, /, *, weights=None):
    r"""E L(w_hat) - L* of the dense min-norm model (mpmath; docs/theory.md#correlated-features; Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = zeta g with distinct |zeta_i|; n > 2; c = zeta^T beta, rho = ||zeta_S||^2/||zeta||^2."""
    return sigma**2/(n - 2)


def rank_one_dense_excess_gmpy2(sigma, n, /, *, weights=None):
    r"""E L(w_hat) - L* of the dense min-norm model (gmpy2; docs/theory.md#correlated-features; Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = zeta g with distinct |zeta_i|; n > 2; c = zeta^T beta, rho = ||zeta_S||^2/||zeta||^2."""
    return sigma**2/(n - 2)


def rank_one_dense_excess_arb(sigma, n, /, *, weights=None):
    r"""E L(w_hat) - L* of the dense min-norm model (arb; docs/theory.md#correlated-features; Lemma 1).

    Arguments: sigma, n.
    Assumptions: x = zeta g with distinct |zeta_i|; n > 2; c = zeta^T beta, rho = ||zeta_S||^2/||zeta||^2."""
    import flint  # the optional "certify" extra
    sigma = flint.arb(sigma)
    n = flint.arb(n)
    return sigma**2/(n - 2)


# -- relu_covariance: Sigma_ij = E[ReLU(w_i^T x) ReLU(w_j^T x)] (theta_ij the angle between w_i, w_j)


def relu_covariance_numpy(r_i, r_j, theta_ij, /, *, weights=None):
    r"""Sigma_ij = E[ReLU(w_i^T x) ReLU(w_j^T x)] (theta_ij the angle between w_i, w_j) (numpy; docs/theory.md#random-features).

    Arguments: r_i, r_j, theta_ij.
    Assumptions: 0 <= theta_ij <= pi; Sigma_ii = r_i^2 / 2 (theta_ij = 0)."""
    r_i = numpy.asarray(r_i, dtype=float)
    r_j = numpy.asarray(r_j, dtype=float)
    theta_ij = numpy.asarray(theta_ij, dtype=float)
    return (1/2)*r_i*r_j*((numpy.pi - theta_ij)*numpy.cos(theta_ij) + numpy.sin(theta_ij))/numpy.pi


def relu_covariance_mpmath(r_i, r_j, theta_ij, /, *, weights=None):
    r"""Sigma_ij = E[ReLU(w_i^T x) ReLU(w_j^T x)] (theta_ij the angle between w_i, w_j) (mpmath; docs/theory.md#random-features).

    Arguments: r_i, r_j, theta_ij.
    Assumptions: 0 <= theta_ij <= pi; Sigma_ii = r_i^2 / 2 (theta_ij = 0)."""
    return (mpmath.mpf(1)/mpmath.mpf(2))*r_i*r_j*((mpmath.pi - theta_ij)*mpmath.cos(theta_ij) + mpmath.sin(theta_ij))/mpmath.pi


# -- relu_label_correlation: E[psi_i y] for the quadratic label (rho_i = <w_i, beta*>/r_i)


def relu_label_correlation_numpy(r_i, rho_i, /, *, weights=None):
    r"""E[psi_i y] for the quadratic label (rho_i = <w_i, beta*>/r_i) (numpy; docs/theory.md#random-features).

    Arguments: r_i, rho_i.
    Assumptions: -1 <= rho_i <= 1."""
    r_i = numpy.asarray(r_i, dtype=float)
    rho_i = numpy.asarray(rho_i, dtype=float)
    return (1/2)*1.4142135623730951*r_i*(rho_i**2 + 1)/1.7724538509055159


def relu_label_correlation_mpmath(r_i, rho_i, /, *, weights=None):
    r"""E[psi_i y] for the quadratic label (rho_i = <w_i, beta*>/r_i) (mpmath; docs/theory.md#random-features).

    Arguments: r_i, rho_i.
    Assumptions: -1 <= rho_i <= 1."""
    return (mpmath.mpf(1)/mpmath.mpf(2))*mpmath.sqrt(2)*r_i*(rho_i**2 + 1)/mpmath.sqrt(mpmath.pi)


# -- label_second_moment: E[y^2] for y = (x^T beta*)^2 + sigma_y z


def label_second_moment_numpy(sigma_y, /, *, weights=None):
    r"""E[y^2] for y = (x^T beta*)^2 + sigma_y z (numpy; docs/theory.md#random-features).

    Arguments: sigma_y.
    Assumptions: ||beta*|| = 1."""
    sigma_y = numpy.asarray(sigma_y, dtype=float)
    return sigma_y**2 + 3


def label_second_moment_mpmath(sigma_y, /, *, weights=None):
    r"""E[y^2] for y = (x^T beta*)^2 + sigma_y z (mpmath; docs/theory.md#random-features).

    Arguments: sigma_y.
    Assumptions: ||beta*|| = 1."""
    return sigma_y**2 + 3


def label_second_moment_gmpy2(sigma_y, /, *, weights=None):
    r"""E[y^2] for y = (x^T beta*)^2 + sigma_y z (gmpy2; docs/theory.md#random-features).

    Arguments: sigma_y.
    Assumptions: ||beta*|| = 1."""
    return sigma_y**2 + 3


def label_second_moment_arb(sigma_y, /, *, weights=None):
    r"""E[y^2] for y = (x^T beta*)^2 + sigma_y z (arb; docs/theory.md#random-features).

    Arguments: sigma_y.
    Assumptions: ||beta*|| = 1."""
    import flint  # the optional "certify" extra
    sigma_y = flint.arb(sigma_y)
    return sigma_y**2 + 3


# -- asymptotic_xi_equation: Equation for xi, asymptotic (E over the law of Lam)


def asymptotic_xi_equation_numpy(xi, kappa, Lambda, p, /, *, weights=None):
    r"""Equation for xi, asymptotic (E over the law of Lam) (numpy; docs/theory.md#asymptotic; Def. 3).

    Arguments: xi, kappa, Lambda, p.
    Assumptions: kappa > 1 and P(Lam > 0) > 1/kappa."""
    xi = numpy.asarray(xi, dtype=float)
    kappa = numpy.asarray(kappa, dtype=float)
    Lambda = numpy.asarray(Lambda, dtype=float)
    p = numpy.asarray(p, dtype=float)
    xi_i = xi[..., None]
    _sum0 = _numpy_sum(Lambda*p*xi_i/(Lambda*xi_i + 1), weights)
    return _sum0 - 1/kappa


def asymptotic_xi_equation_mpmath(xi, kappa, Lambda, p, /, *, weights=None):
    r"""Equation for xi, asymptotic (E over the law of Lam) (mpmath; docs/theory.md#asymptotic; Def. 3).

    Arguments: xi, kappa, Lambda, p.
    Assumptions: kappa > 1 and P(Lam > 0) > 1/kappa."""
    xi = mpmath.mpf(xi)
    kappa = mpmath.mpf(kappa)
    Lambda = [mpmath.mpf(x) for x in Lambda]
    p = [mpmath.mpf(x) for x in p]
    _length = len(Lambda)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (Lambda[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0)
    return _sum0 - 1/kappa


def asymptotic_xi_equation_gmpy2(xi, kappa, Lambda, p, /, *, weights=None):
    r"""Equation for xi, asymptotic (E over the law of Lam) (gmpy2; docs/theory.md#asymptotic; Def. 3).

    Arguments: xi, kappa, Lambda, p.
    Assumptions: kappa > 1 and P(Lam > 0) > 1/kappa."""
    _length = len(Lambda)
    _sum0 = _gmpy2_sum(lambda _i: Lambda[_i]*p[_i]*xi/(Lambda[_i]*xi + 1), _length, weights)
    return _sum0 - 1/kappa


def asymptotic_xi_equation_arb(xi, kappa, Lambda, p, /, *, weights=None):
    r"""Equation for xi, asymptotic (E over the law of Lam) (arb; docs/theory.md#asymptotic; Def. 3).

    Arguments: xi, kappa, Lambda, p.
    Assumptions: kappa > 1 and P(Lam > 0) > 1/kappa."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    kappa = flint.arb(kappa)
    Lambda = [flint.arb(x) for x in Lambda]
    p = [flint.arb(x) for x in p]
    _length = len(Lambda)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (Lambda[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return _sum0 - 1/kappa


# -- asymptotic_tau2: tau^2, asymptotic (cancellation-free denominator)


def asymptotic_tau2_numpy(xi, kappa, sigma, Lambda, B, p, /, *, weights=None):
    r"""tau^2, asymptotic (cancellation-free denominator) (numpy; docs/theory.md#asymptotic; Def. 3).

    Arguments: xi, kappa, sigma, Lambda, B, p.
    Assumptions: xi the root of asymptotic_xi_equation; there it equals (sigma^2 + E[Lam B^2/(1+xi Lam)^2]) / (1 - kappa E[(xi Lam/(1+xi Lam))^2])."""
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


def asymptotic_tau2_mpmath(xi, kappa, sigma, Lambda, B, p, /, *, weights=None):
    r"""tau^2, asymptotic (cancellation-free denominator) (mpmath; docs/theory.md#asymptotic; Def. 3).

    Arguments: xi, kappa, sigma, Lambda, B, p.
    Assumptions: xi the root of asymptotic_xi_equation; there it equals (sigma^2 + E[Lam B^2/(1+xi Lam)^2]) / (1 - kappa E[(xi Lam/(1+xi Lam))^2])."""
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


def asymptotic_tau2_gmpy2(xi, kappa, sigma, Lambda, B, p, /, *, weights=None):
    r"""tau^2, asymptotic (cancellation-free denominator) (gmpy2; docs/theory.md#asymptotic; Def. 3).

    Arguments: xi, kappa, sigma, Lambda, B, p.
    Assumptions: xi the root of asymptotic_xi_equation; there it equals (sigma^2 + E[Lam B^2/(1+xi Lam)^2]) / (1 - kappa E[(xi Lam/(1+xi Lam))^2])."""
    _length = len(Lambda)
    _sum0 = _gmpy2_sum(lambda _i: Lambda[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)**2, _length, weights)
    _sum1 = _gmpy2_sum(lambda _i: B[_i]**2*Lambda[_i]*p[_i]/(Lambda[_i]*xi + 1)**2, _length, weights)
    return (_sum1 + sigma**2)/(_sum0*kappa)


def asymptotic_tau2_arb(xi, kappa, sigma, Lambda, B, p, /, *, weights=None):
    r"""tau^2, asymptotic (cancellation-free denominator) (arb; docs/theory.md#asymptotic; Def. 3).

    Arguments: xi, kappa, sigma, Lambda, B, p.
    Assumptions: xi the root of asymptotic_xi_equation; there it equals (sigma^2 + E[Lam B^2/(1+xi Lam)^2]) / (1 - kappa E[(xi Lam/(1+xi Lam))^2])."""
    import flint  # the optional "certify" extra
    xi = flint.arb(xi)
    kappa = flint.arb(kappa)
    sigma = flint.arb(sigma)
    Lambda = [flint.arb(x) for x in Lambda]
    B = [flint.arb(x) for x in B]
    p = [flint.arb(x) for x in p]
    _length = len(Lambda)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (Lambda[_i]*p[_i]*xi/(Lambda[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    _sum1 = sum((_w[_i] * (B[_i]**2*Lambda[_i]*p[_i]/(Lambda[_i]*xi + 1)**2) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return (_sum1 + sigma**2)/(_sum0*kappa)


# -- asymptotic_law: The limit law X of sqrt(P) w_hat_i given (Lam, B), H ~ N(0, 1)


def asymptotic_law_numpy(xi, kappa, tau, Lambda, B, H, /, *, weights=None):
    r"""The limit law X of sqrt(P) w_hat_i given (Lam, B), H ~ N(0, 1) (numpy; docs/theory.md#asymptotic; Def. 3, Theorem 1).

    Arguments: xi, kappa, tau, Lambda, B, H.
    Assumptions: Wasserstein-2 limit of the empirical law of (lambda_i, sqrt(P) beta_i, sqrt(P) w_hat_i)."""
    xi = numpy.asarray(xi, dtype=float)
    kappa = numpy.asarray(kappa, dtype=float)
    tau = numpy.asarray(tau, dtype=float)
    Lambda = numpy.asarray(Lambda, dtype=float)
    B = numpy.asarray(B, dtype=float)
    H = numpy.asarray(H, dtype=float)
    return Lambda*xi*(B + H*numpy.sqrt(kappa)*tau/numpy.sqrt(Lambda))/(Lambda*xi + 1)


def asymptotic_law_mpmath(xi, kappa, tau, Lambda, B, H, /, *, weights=None):
    r"""The limit law X of sqrt(P) w_hat_i given (Lam, B), H ~ N(0, 1) (mpmath; docs/theory.md#asymptotic; Def. 3, Theorem 1).

    Arguments: xi, kappa, tau, Lambda, B, H.
    Assumptions: Wasserstein-2 limit of the empirical law of (lambda_i, sqrt(P) beta_i, sqrt(P) w_hat_i)."""
    return Lambda*xi*(B + H*mpmath.sqrt(kappa)*tau/mpmath.sqrt(Lambda))/(Lambda*xi + 1)


def asymptotic_law_gmpy2(xi, kappa, tau, Lambda, B, H, /, *, weights=None):
    r"""The limit law X of sqrt(P) w_hat_i given (Lam, B), H ~ N(0, 1) (gmpy2; docs/theory.md#asymptotic; Def. 3, Theorem 1).

    Arguments: xi, kappa, tau, Lambda, B, H.
    Assumptions: Wasserstein-2 limit of the empirical law of (lambda_i, sqrt(P) beta_i, sqrt(P) w_hat_i)."""
    return Lambda*xi*(B + H*gmpy2.sqrt(kappa)*tau/gmpy2.sqrt(Lambda))/(Lambda*xi + 1)


# -- hastie_xi: xi for isotropic features (derived from the asymptotic equation)


def hastie_xi_numpy(kappa, /, *, weights=None):
    r"""xi for isotropic features (derived from the asymptotic equation) (numpy; docs/theory.md#asymptotic; Hastie et al. 2019, Thm 3).

    Arguments: kappa.
    Assumptions: kappa > 1."""
    kappa = numpy.asarray(kappa, dtype=float)
    return (kappa - 1)**(-1.0)


def hastie_xi_mpmath(kappa, /, *, weights=None):
    r"""xi for isotropic features (derived from the asymptotic equation) (mpmath; docs/theory.md#asymptotic; Hastie et al. 2019, Thm 3).

    Arguments: kappa.
    Assumptions: kappa > 1."""
    return 1/(kappa - 1)


def hastie_xi_gmpy2(kappa, /, *, weights=None):
    r"""xi for isotropic features (derived from the asymptotic equation) (gmpy2; docs/theory.md#asymptotic; Hastie et al. 2019, Thm 3).

    Arguments: kappa.
    Assumptions: kappa > 1."""
    return 1/(kappa - 1)


def hastie_xi_arb(kappa, /, *, weights=None):
    r"""xi for isotropic features (derived from the asymptotic equation) (arb; docs/theory.md#asymptotic; Hastie et al. 2019, Thm 3).

    Arguments: kappa.
    Assumptions: kappa > 1."""
    import flint  # the optional "certify" extra
    kappa = flint.arb(kappa)
    return 1/(kappa - 1)


# -- hastie_tau2: Dense risk for isotropic features (derived from the asymptotic equations)


def hastie_tau2_numpy(kappa, sigma, r, /, *, weights=None):
    r"""Dense risk for isotropic features (derived from the asymptotic equations) (numpy; docs/theory.md#asymptotic; Hastie et al. 2019, Thm 3).

    Arguments: kappa, sigma, r.
    Assumptions: kappa > 1."""
    kappa = numpy.asarray(kappa, dtype=float)
    sigma = numpy.asarray(sigma, dtype=float)
    r = numpy.asarray(r, dtype=float)
    return kappa*sigma**2/(kappa - 1) + r**2*(1 - 1/kappa)


def hastie_tau2_mpmath(kappa, sigma, r, /, *, weights=None):
    r"""Dense risk for isotropic features (derived from the asymptotic equations) (mpmath; docs/theory.md#asymptotic; Hastie et al. 2019, Thm 3).

    Arguments: kappa, sigma, r.
    Assumptions: kappa > 1."""
    return kappa*sigma**2/(kappa - 1) + r**2*(1 - 1/kappa)


def hastie_tau2_gmpy2(kappa, sigma, r, /, *, weights=None):
    r"""Dense risk for isotropic features (derived from the asymptotic equations) (gmpy2; docs/theory.md#asymptotic; Hastie et al. 2019, Thm 3).

    Arguments: kappa, sigma, r.
    Assumptions: kappa > 1."""
    return kappa*sigma**2/(kappa - 1) + r**2*(1 - 1/kappa)


def hastie_tau2_arb(kappa, sigma, r, /, *, weights=None):
    r"""Dense risk for isotropic features (derived from the asymptotic equations) (arb; docs/theory.md#asymptotic; Hastie et al. 2019, Thm 3).

    Arguments: kappa, sigma, r.
    Assumptions: kappa > 1."""
    import flint  # the optional "certify" extra
    kappa = flint.arb(kappa)
    sigma = flint.arb(sigma)
    r = flint.arb(r)
    return kappa*sigma**2/(kappa - 1) + r**2*(1 - 1/kappa)


# -- asymptotic_retrained_risk: Fresh retraining on a kept fraction q = s/P of the features, asymptotic (q kappa < 1)


def asymptotic_retrained_risk_numpy(sigma, kappa, q, Lambda, B, pi, p, /, *, weights=None):
    r"""Fresh retraining on a kept fraction q = s/P of the features, asymptotic (q kappa < 1) (numpy; docs/theory.md#retraining; Def. 5, P -> oo).

    Arguments: sigma, kappa, q, Lambda, B, pi, p.
    Assumptions: diagonal Sigma; q kappa < 1; pi the keep probabilities of the pruning rule; p the law's weights."""
    sigma = numpy.asarray(sigma, dtype=float)
    kappa = numpy.asarray(kappa, dtype=float)
    q = numpy.asarray(q, dtype=float)
    Lambda = numpy.asarray(Lambda, dtype=float)
    B = numpy.asarray(B, dtype=float)
    pi = numpy.asarray(pi, dtype=float)
    p = numpy.asarray(p, dtype=float)
    _sum0 = _numpy_sum(B**2*Lambda*p*(1 - pi), weights)
    return (_sum0 + sigma**2)/(-kappa*q + 1)


def asymptotic_retrained_risk_mpmath(sigma, kappa, q, Lambda, B, pi, p, /, *, weights=None):
    r"""Fresh retraining on a kept fraction q = s/P of the features, asymptotic (q kappa < 1) (mpmath; docs/theory.md#retraining; Def. 5, P -> oo).

    Arguments: sigma, kappa, q, Lambda, B, pi, p.
    Assumptions: diagonal Sigma; q kappa < 1; pi the keep probabilities of the pruning rule; p the law's weights."""
    sigma = mpmath.mpf(sigma)
    kappa = mpmath.mpf(kappa)
    q = mpmath.mpf(q)
    Lambda = [mpmath.mpf(x) for x in Lambda]
    B = [mpmath.mpf(x) for x in B]
    pi = [mpmath.mpf(x) for x in pi]
    p = [mpmath.mpf(x) for x in p]
    _length = len(Lambda)
    _w = _mpmath_weights(weights, _length)
    _sum0 = mpmath.fsum(_w[_i] * (B[_i]**2*Lambda[_i]*p[_i]*(1 - pi[_i])) for _i in range(_length) if _w[_i] != 0)
    return (_sum0 + sigma**2)/(-kappa*q + 1)


def asymptotic_retrained_risk_gmpy2(sigma, kappa, q, Lambda, B, pi, p, /, *, weights=None):
    r"""Fresh retraining on a kept fraction q = s/P of the features, asymptotic (q kappa < 1) (gmpy2; docs/theory.md#retraining; Def. 5, P -> oo).

    Arguments: sigma, kappa, q, Lambda, B, pi, p.
    Assumptions: diagonal Sigma; q kappa < 1; pi the keep probabilities of the pruning rule; p the law's weights."""
    _length = len(Lambda)
    _sum0 = _gmpy2_sum(lambda _i: B[_i]**2*Lambda[_i]*p[_i]*(1 - pi[_i]), _length, weights)
    return (_sum0 + sigma**2)/(-kappa*q + 1)


def asymptotic_retrained_risk_arb(sigma, kappa, q, Lambda, B, pi, p, /, *, weights=None):
    r"""Fresh retraining on a kept fraction q = s/P of the features, asymptotic (q kappa < 1) (arb; docs/theory.md#retraining; Def. 5, P -> oo).

    Arguments: sigma, kappa, q, Lambda, B, pi, p.
    Assumptions: diagonal Sigma; q kappa < 1; pi the keep probabilities of the pruning rule; p the law's weights."""
    import flint  # the optional "certify" extra
    sigma = flint.arb(sigma)
    kappa = flint.arb(kappa)
    q = flint.arb(q)
    Lambda = [flint.arb(x) for x in Lambda]
    B = [flint.arb(x) for x in B]
    pi = [flint.arb(x) for x in pi]
    p = [flint.arb(x) for x in p]
    _length = len(Lambda)
    _w = _arb_weights(weights, _length)
    _sum0 = sum((_w[_i] * (B[_i]**2*Lambda[_i]*p[_i]*(1 - pi[_i])) for _i in range(_length) if _w[_i] != 0), flint.arb(0))
    return (_sum0 + sigma**2)/(-kappa*q + 1)


FORMULAS = {
    'shrinkage': {
        'title': 'Per-coordinate shrinkage factor a_i',
        'reference': 'docs/theory.md#finite-size; Def. 4',
        'assumptions': 'xi > 0, lambda_i >= 0; 0 <= a_i < 1',
        'arg_names': ('xi', 'lambda_i'),
        'indexed': (False, False),
        'functions': {'numpy': shrinkage_numpy, 'mpmath': shrinkage_mpmath, 'gmpy2': shrinkage_gmpy2, 'arb': shrinkage_arb},
        'unavailable': {},
    },
    'shrinkage_log_derivative': {
        'title': 'd a_i / d log xi (for Newton steps on the xi equation)',
        'reference': 'docs/theory.md#finite-size',
        'assumptions': 'xi > 0, lambda_i >= 0',
        'arg_names': ('xi', 'lambda_i'),
        'indexed': (False, False),
        'functions': {'numpy': shrinkage_log_derivative_numpy, 'mpmath': shrinkage_log_derivative_mpmath, 'gmpy2': shrinkage_log_derivative_gmpy2, 'arb': shrinkage_log_derivative_arb},
        'unavailable': {},
    },
    'shrinkage_complement': {
        'title': '1 - a_i, the part of a coordinate that min-norm does not recover',
        'reference': 'docs/theory.md#finite-size',
        'assumptions': 'xi > 0, lambda_i >= 0',
        'arg_names': ('xi', 'lambda_i'),
        'indexed': (False, False),
        'functions': {'numpy': shrinkage_complement_numpy, 'mpmath': shrinkage_complement_mpmath, 'gmpy2': shrinkage_complement_gmpy2, 'arb': shrinkage_complement_arb},
        'unavailable': {},
    },
    'xi_equation': {
        'title': 'Equation for xi, ridgeless overparameterized (root F(xi) = 0)',
        'reference': 'docs/theory.md#finite-size; Def. 4',
        'assumptions': 'm > n; F increases from -n to rank(Sigma_DD) - n, so a unique root exists iff rank(Sigma_DD) > n',
        'arg_names': ('xi', 'n', 'lambda'),
        'indexed': (False, False, True),
        'functions': {'numpy': xi_equation_numpy, 'mpmath': xi_equation_mpmath, 'gmpy2': xi_equation_gmpy2, 'arb': xi_equation_arb},
        'unavailable': {},
    },
    'ridge_equation': {
        'title': 'Equation for xi = 1/c with ridge lambda_r > 0 (any m/n)',
        'reference': 'docs/theory.md#finite-size (ridge; ours)',
        'assumptions': 'ridge > 0; G increases from -n (xi -> 0) to +infinity, so the root is unique; derived from lambda_r = c (1 - (1/n) sum_i lambda_i / (lambda_i + c)) with c = 1/xi',
        'arg_names': ('xi', 'n', 'lambda_r', 'lambda'),
        'indexed': (False, False, False, True),
        'functions': {'numpy': ridge_equation_numpy, 'mpmath': ridge_equation_mpmath, 'gmpy2': ridge_equation_gmpy2, 'arb': ridge_equation_arb},
        'unavailable': {},
    },
    'tau2': {
        'title': 'Dense-risk parameter tau^2 (cancellation-free denominator)',
        'reference': 'docs/theory.md#finite-size; Def. 4',
        'assumptions': 'xi is the root of the xi (ridge = 0) or ridge equation; there it equals tau2_stated',
        'arg_names': ('xi', 'n', 'lambda_r', 'sigma_D', 'lambda', 'b'),
        'indexed': (False, False, False, False, True, True),
        'functions': {'numpy': tau2_numpy, 'mpmath': tau2_mpmath, 'gmpy2': tau2_gmpy2, 'arb': tau2_arb},
        'unavailable': {},
    },
    'tau2_stated': {
        'title': 'tau^2 as the paper writes it',
        'reference': 'docs/theory.md#finite-size; Def. 4',
        'assumptions': 'xi is the root of its equation; the denominator lies in (0, 1)',
        'arg_names': ('xi', 'n', 'sigma_D', 'lambda', 'b'),
        'indexed': (False, False, False, True, True),
        'functions': {'numpy': tau2_stated_numpy, 'mpmath': tau2_stated_mpmath, 'gmpy2': tau2_stated_gmpy2, 'arb': tau2_stated_arb},
        'unavailable': {},
    },
    'coordinate_mean': {
        'title': 'Mean of a min-norm coordinate in the eigenbasis',
        'reference': 'docs/theory.md#finite-size; Def. 4',
        'assumptions': 'overparameterized or ridge',
        'arg_names': ('xi', 'lambda_i', 'b_i'),
        'indexed': (False, False, False),
        'functions': {'numpy': coordinate_mean_numpy, 'mpmath': coordinate_mean_mpmath, 'gmpy2': coordinate_mean_gmpy2, 'arb': coordinate_mean_arb},
        'unavailable': {},
    },
    'coordinate_sd': {
        'title': 'Standard deviation of a min-norm coordinate in the eigenbasis',
        'reference': 'docs/theory.md#finite-size; Def. 4',
        'assumptions': 'overparameterized or ridge; written without 0/0 so that lambda_i = 0 gives 0',
        'arg_names': ('xi', 'tau', 'n', 'lambda_i'),
        'indexed': (False, False, False, False),
        'functions': {'numpy': coordinate_sd_numpy, 'mpmath': coordinate_sd_mpmath, 'gmpy2': coordinate_sd_gmpy2},
        'unavailable': {'arb': ('TypeError', 'coordinate_sd: constant -1/2 has no exact arb form')},
    },
    'underparameterized_sd': {
        'title': 'Standard deviation of a least-squares coordinate, m < n - 1',
        'reference': 'docs/theory.md#finite-size',
        'assumptions': 'm < n - 1; w ~ beta_D + sigma_D Sigma_DD^{-1/2} h / sqrt(n - m - 1); mean beta_i',
        'arg_names': ('sigma_D', 'n', 'm', 'lambda_i'),
        'indexed': (False, False, False, False),
        'functions': {'numpy': underparameterized_sd_numpy, 'mpmath': underparameterized_sd_mpmath, 'gmpy2': underparameterized_sd_gmpy2},
        'unavailable': {'arb': ('TypeError', 'underparameterized_sd: constant -1/2 has no exact arb form')},
    },
    'underparameterized_risk': {
        'title': 'Exact mean risk of least squares, m < n - 1',
        'reference': 'docs/theory.md#finite-size',
        'assumptions': 'm < n - 1 (infinite at m = n - 1)',
        'arg_names': ('sigma_D', 'n', 'm'),
        'indexed': (False, False, False),
        'functions': {'numpy': underparameterized_risk_numpy, 'mpmath': underparameterized_risk_mpmath, 'gmpy2': underparameterized_risk_gmpy2, 'arb': underparameterized_risk_arb},
        'unavailable': {},
    },
    'keep_probability': {
        'title': 'Keep probability pi(t) = P(|w| > t)',
        'reference': 'docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1',
        'assumptions': 'varsigma_i > 0, t >= 0',
        'arg_names': ('t', 'mu_i', 'varsigma_i'),
        'indexed': (False, False, False),
        'functions': {'numpy': keep_probability_numpy, 'mpmath': keep_probability_mpmath},
        'unavailable': {'gmpy2': ('ValueError', 'formula keep_probability has constants that are not exact in binary: no gmpy2 backend'), 'arb': ('TypeError', 'keep_probability: Q has no ball-arithmetic version here')},
    },
    'keep_probability_derivative': {
        'title': 'd pi / d t (for Newton steps on the threshold)',
        'reference': 'docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1',
        'assumptions': 'varsigma_i > 0, t >= 0',
        'arg_names': ('t', 'mu_i', 'varsigma_i'),
        'indexed': (False, False, False),
        'functions': {'numpy': keep_probability_derivative_numpy, 'mpmath': keep_probability_derivative_mpmath},
        'unavailable': {'gmpy2': ('ValueError', 'formula keep_probability_derivative has constants that are not exact in binary: no gmpy2 backend'), 'arb': ('TypeError', 'keep_probability_derivative: constant -1/2 has no exact arb form')},
    },
    'standardized_keep_probability': {
        'title': 'Keep probability in units of the coordinate sd, pi_i = Q(z_i - r_i) + Q(z_i + r_i)',
        'reference': 'docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1',
        'assumptions': 'z_i = t / varsigma_i, r_i = mu_i / varsigma_i, varsigma_i > 0',
        'arg_names': ('z_i', 'r_i'),
        'indexed': (False, False),
        'functions': {'numpy': standardized_keep_probability_numpy, 'mpmath': standardized_keep_probability_mpmath},
        'unavailable': {'gmpy2': ('ValueError', 'formula standardized_keep_probability has constants that are not exact in binary: no gmpy2 backend'), 'arb': ('TypeError', 'standardized_keep_probability: Q has no ball-arithmetic version here')},
    },
    'standardized_keep_probability_derivative': {
        'title': 'd pi_i / d z_i, so that d pi_i / d t = (d pi_i / d z_i) / varsigma_i (for Newton steps on the threshold)',
        'reference': 'docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1',
        'assumptions': 'z_i = t / varsigma_i, r_i = mu_i / varsigma_i',
        'arg_names': ('z_i', 'r_i'),
        'indexed': (False, False),
        'functions': {'numpy': standardized_keep_probability_derivative_numpy, 'mpmath': standardized_keep_probability_derivative_mpmath},
        'unavailable': {'gmpy2': ('ValueError', 'formula standardized_keep_probability_derivative has constants that are not exact in binary: no gmpy2 backend'), 'arb': ('TypeError', 'standardized_keep_probability_derivative: constant -1/2 has no exact arb form')},
    },
    'standardized_keep_probability_second_derivative': {
        'title': 'd^2 pi_i / d z_i^2 (for Halley steps on the threshold)',
        'reference': 'docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1',
        'assumptions': 'z_i = t / varsigma_i, r_i = mu_i / varsigma_i',
        'arg_names': ('z_i', 'r_i'),
        'indexed': (False, False),
        'functions': {'numpy': standardized_keep_probability_second_derivative_numpy, 'mpmath': standardized_keep_probability_second_derivative_mpmath},
        'unavailable': {'gmpy2': ('ValueError', 'formula standardized_keep_probability_second_derivative has constants that are not exact in binary: no gmpy2 backend'), 'arb': ('TypeError', 'standardized_keep_probability_second_derivative: constant -1/2 has no exact arb form')},
    },
    'thresholded_m1': {
        'title': 'M1(t) = E[w 1{|w| > t}]',
        'reference': 'docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1',
        'assumptions': 'varsigma_i > 0, t >= 0',
        'arg_names': ('t', 'mu_i', 'varsigma_i'),
        'indexed': (False, False, False),
        'functions': {'numpy': thresholded_m1_numpy, 'mpmath': thresholded_m1_mpmath},
        'unavailable': {'gmpy2': ('ValueError', 'formula thresholded_m1 has constants that are not exact in binary: no gmpy2 backend'), 'arb': ('TypeError', 'thresholded_m1: constant -1/2 has no exact arb form')},
    },
    'thresholded_m2': {
        'title': 'M2(t) = E[w^2 1{|w| > t}]',
        'reference': 'docs/theory.md#thresholded-risk; Sec. 5.2, Cor. 1',
        'assumptions': 'varsigma_i > 0, t >= 0',
        'arg_names': ('t', 'mu_i', 'varsigma_i'),
        'indexed': (False, False, False),
        'functions': {'numpy': thresholded_m2_numpy, 'mpmath': thresholded_m2_mpmath},
        'unavailable': {'gmpy2': ('ValueError', 'formula thresholded_m2 has constants that are not exact in binary: no gmpy2 backend'), 'arb': ('TypeError', 'thresholded_m2: constant -1/2 has no exact arb form')},
    },
    'pruned_error': {
        'title': 'Per-coordinate error of hard thresholding, E[(w 1{|w|>t} - beta)^2]',
        'reference': 'docs/theory.md#thresholded-risk; Cor. 1',
        'assumptions': 'varsigma_i > 0, t >= 0',
        'arg_names': ('t', 'mu_i', 'varsigma_i', 'beta_i'),
        'indexed': (False, False, False, False),
        'functions': {'numpy': pruned_error_numpy, 'mpmath': pruned_error_mpmath},
        'unavailable': {'gmpy2': ('ValueError', 'formula pruned_error has constants that are not exact in binary: no gmpy2 backend'), 'arb': ('TypeError', 'pruned_error: constant -1/2 has no exact arb form')},
    },
    'pruned_error_stable': {
        'title': 'Per-coordinate error of hard thresholding, kept part plus beta^2 times the drop probability',
        'reference': 'docs/theory.md#thresholded-risk; Cor. 1',
        'assumptions': 'varsigma_i > 0, t >= 0',
        'arg_names': ('t', 'mu_i', 'varsigma_i', 'beta_i'),
        'indexed': (False, False, False, False),
        'functions': {'numpy': pruned_error_stable_numpy, 'mpmath': pruned_error_stable_mpmath},
        'unavailable': {'gmpy2': ('ValueError', 'formula pruned_error_stable has constants that are not exact in binary: no gmpy2 backend'), 'arb': ('TypeError', 'pruned_error_stable: constant -1/2 has no exact arb form')},
    },
    'effective_noise': {
        'title': 'Effective noise variance of a model trained on D: the noise plus the signal of the dropped features (weights: the number of dropped copies of each coordinate)',
        'reference': 'docs/theory.md#notation',
        'assumptions': 'sum over the features outside D; every term >= 0',
        'arg_names': ('sigma', 'lambda', 'beta'),
        'indexed': (False, True, True),
        'functions': {'numpy': effective_noise_numpy, 'mpmath': effective_noise_mpmath, 'gmpy2': effective_noise_gmpy2, 'arb': effective_noise_arb},
        'unavailable': {},
    },
    'thresholded_risk': {
        'title': "Risk after hard thresholding at per-coordinate thresholds t_i (magnitude: t_i = t; Hessian: t_i = t'/sqrt(lambda_i))",
        'reference': 'docs/theory.md#thresholded-risk; Cor. 1',
        'assumptions': 'diagonal Sigma; thresholds chosen so that sum_i pi_i(t_i) = s',
        'arg_names': ('sigma_D', 'lambda', 't', 'mu', 'varsigma', 'beta'),
        'indexed': (False, True, True, True, True, True),
        'functions': {'numpy': thresholded_risk_numpy, 'mpmath': thresholded_risk_mpmath},
        'unavailable': {'gmpy2': ('ValueError', 'formula thresholded_risk has constants that are not exact in binary: no gmpy2 backend'), 'arb': ('TypeError', 'thresholded_risk: constant -1/2 has no exact arb form')},
    },
    'oracle_risk': {
        'title': 'Risk of oracle pruning (keep o_i = 1 on D* = top-s of lambda_i beta_i^2, no refit)',
        'reference': 'docs/theory.md#thresholded-risk',
        'assumptions': 'diagonal Sigma; o_i in {0, 1}',
        'arg_names': ('sigma_D', 'lambda', 'o', 'mu', 'varsigma', 'beta'),
        'indexed': (False, True, True, True, True, True),
        'functions': {'numpy': oracle_risk_numpy, 'mpmath': oracle_risk_mpmath, 'gmpy2': oracle_risk_gmpy2, 'arb': oracle_risk_arb},
        'unavailable': {},
    },
    'random_pruning_risk': {
        'title': 'Risk of pruning a uniformly random s-subset of D',
        'reference': 'docs/theory.md#thresholded-risk',
        'assumptions': 'diagonal Sigma; s <= m',
        'arg_names': ('sigma_D', 's', 'm', 'lambda', 'mu', 'varsigma', 'beta'),
        'indexed': (False, False, False, True, True, True, True),
        'functions': {'numpy': random_pruning_risk_numpy, 'mpmath': random_pruning_risk_mpmath, 'gmpy2': random_pruning_risk_gmpy2, 'arb': random_pruning_risk_arb},
        'unavailable': {},
    },
    'retrained_risk': {
        'title': 'Risk of fresh retraining on the pruned support, s < n - 1 (pi_i = 0 outside D)',
        'reference': 'docs/theory.md#retraining; Def. 5',
        'assumptions': 'diagonal Sigma; s < n - 1; the prediction is for retraining on a fresh sample',
        'arg_names': ('sigma', 'n', 's', 'lambda', 'beta', 'pi'),
        'indexed': (False, False, False, True, True, True),
        'functions': {'numpy': retrained_risk_numpy, 'mpmath': retrained_risk_mpmath, 'gmpy2': retrained_risk_gmpy2, 'arb': retrained_risk_arb},
        'unavailable': {},
    },
    'rank_one_pruned_excess': {
        'title': 'E L(w_s) - L* for magnitude or Hessian pruning',
        'reference': 'docs/theory.md#correlated-features; Lemma 1',
        'assumptions': 'x = zeta g with distinct |zeta_i|; n > 2; c = zeta^T beta, rho = ||zeta_S||^2/||zeta||^2',
        'arg_names': ('c', 'rho', 'sigma', 'n'),
        'indexed': (False, False, False, False),
        'functions': {'numpy': rank_one_pruned_excess_numpy, 'mpmath': rank_one_pruned_excess_mpmath, 'gmpy2': rank_one_pruned_excess_gmpy2, 'arb': rank_one_pruned_excess_arb},
        'unavailable': {},
    },
    'rank_one_retrained_excess': {
        'title': 'E L(w_RT) - L* (retraining on the pruned support)',
        'reference': 'docs/theory.md#correlated-features; Lemma 1',
        'assumptions': 'x = zeta g with distinct |zeta_i|; n > 2; c = zeta^T beta, rho = ||zeta_S||^2/||zeta||^2',
        'arg_names': ('sigma', 'n'),
        'indexed': (False, False),
        'functions': {'numpy': rank_one_retrained_excess_numpy, 'mpmath': rank_one_retrained_excess_mpmath, 'gmpy2': rank_one_retrained_excess_gmpy2, 'arb': rank_one_retrained_excess_arb},
        'unavailable': {},
    },
    'rank_one_dense_excess': {
        'title': 'E L(w_hat) - L* of the dense min-norm model',
        'reference': 'docs/theory.md#correlated-features; Lemma 1',
        'assumptions': 'x = zeta g with distinct |zeta_i|; n > 2; c = zeta^T beta, rho = ||zeta_S||^2/||zeta||^2',
        'arg_names': ('sigma', 'n'),
        'indexed': (False, False),
        'functions': {'numpy': rank_one_dense_excess_numpy, 'mpmath': rank_one_dense_excess_mpmath, 'gmpy2': rank_one_dense_excess_gmpy2, 'arb': rank_one_dense_excess_arb},
        'unavailable': {},
    },
    'relu_covariance': {
        'title': 'Sigma_ij = E[ReLU(w_i^T x) ReLU(w_j^T x)] (theta_ij the angle between w_i, w_j)',
        'reference': 'docs/theory.md#random-features',
        'assumptions': '0 <= theta_ij <= pi; Sigma_ii = r_i^2 / 2 (theta_ij = 0)',
        'arg_names': ('r_i', 'r_j', 'theta_ij'),
        'indexed': (False, False, False),
        'functions': {'numpy': relu_covariance_numpy, 'mpmath': relu_covariance_mpmath},
        'unavailable': {'gmpy2': ('ValueError', 'formula relu_covariance has constants that are not exact in binary: no gmpy2 backend'), 'arb': ('TypeError', 'relu_covariance: constant 1/2 has no exact arb form')},
    },
    'relu_label_correlation': {
        'title': 'E[psi_i y] for the quadratic label (rho_i = <w_i, beta*>/r_i)',
        'reference': 'docs/theory.md#random-features',
        'assumptions': '-1 <= rho_i <= 1',
        'arg_names': ('r_i', 'rho_i'),
        'indexed': (False, False),
        'functions': {'numpy': relu_label_correlation_numpy, 'mpmath': relu_label_correlation_mpmath},
        'unavailable': {'gmpy2': ('ValueError', 'formula relu_label_correlation has constants that are not exact in binary: no gmpy2 backend'), 'arb': ('TypeError', 'relu_label_correlation: constant -1/2 has no exact arb form')},
    },
    'label_second_moment': {
        'title': 'E[y^2] for y = (x^T beta*)^2 + sigma_y z',
        'reference': 'docs/theory.md#random-features',
        'assumptions': '||beta*|| = 1',
        'arg_names': ('sigma_y',),
        'indexed': (False,),
        'functions': {'numpy': label_second_moment_numpy, 'mpmath': label_second_moment_mpmath, 'gmpy2': label_second_moment_gmpy2, 'arb': label_second_moment_arb},
        'unavailable': {},
    },
    'asymptotic_xi_equation': {
        'title': 'Equation for xi, asymptotic (E over the law of Lam)',
        'reference': 'docs/theory.md#asymptotic; Def. 3',
        'assumptions': 'kappa > 1 and P(Lam > 0) > 1/kappa',
        'arg_names': ('xi', 'kappa', 'Lambda', 'p'),
        'indexed': (False, False, True, True),
        'functions': {'numpy': asymptotic_xi_equation_numpy, 'mpmath': asymptotic_xi_equation_mpmath, 'gmpy2': asymptotic_xi_equation_gmpy2, 'arb': asymptotic_xi_equation_arb},
        'unavailable': {},
    },
    'asymptotic_tau2': {
        'title': 'tau^2, asymptotic (cancellation-free denominator)',
        'reference': 'docs/theory.md#asymptotic; Def. 3',
        'assumptions': 'xi the root of asymptotic_xi_equation; there it equals (sigma^2 + E[Lam B^2/(1+xi Lam)^2]) / (1 - kappa E[(xi Lam/(1+xi Lam))^2])',
        'arg_names': ('xi', 'kappa', 'sigma', 'Lambda', 'B', 'p'),
        'indexed': (False, False, False, True, True, True),
        'functions': {'numpy': asymptotic_tau2_numpy, 'mpmath': asymptotic_tau2_mpmath, 'gmpy2': asymptotic_tau2_gmpy2, 'arb': asymptotic_tau2_arb},
        'unavailable': {},
    },
    'asymptotic_law': {
        'title': 'The limit law X of sqrt(P) w_hat_i given (Lam, B), H ~ N(0, 1)',
        'reference': 'docs/theory.md#asymptotic; Def. 3, Theorem 1',
        'assumptions': 'Wasserstein-2 limit of the empirical law of (lambda_i, sqrt(P) beta_i, sqrt(P) w_hat_i)',
        'arg_names': ('xi', 'kappa', 'tau', 'Lambda', 'B', 'H'),
        'indexed': (False, False, False, False, False, False),
        'functions': {'numpy': asymptotic_law_numpy, 'mpmath': asymptotic_law_mpmath, 'gmpy2': asymptotic_law_gmpy2},
        'unavailable': {'arb': ('TypeError', 'asymptotic_law: constant -1/2 has no exact arb form')},
    },
    'hastie_xi': {
        'title': 'xi for isotropic features (derived from the asymptotic equation)',
        'reference': 'docs/theory.md#asymptotic; Hastie et al. 2019, Thm 3',
        'assumptions': 'kappa > 1',
        'arg_names': ('kappa',),
        'indexed': (False,),
        'functions': {'numpy': hastie_xi_numpy, 'mpmath': hastie_xi_mpmath, 'gmpy2': hastie_xi_gmpy2, 'arb': hastie_xi_arb},
        'unavailable': {},
    },
    'hastie_tau2': {
        'title': 'Dense risk for isotropic features (derived from the asymptotic equations)',
        'reference': 'docs/theory.md#asymptotic; Hastie et al. 2019, Thm 3',
        'assumptions': 'kappa > 1',
        'arg_names': ('kappa', 'sigma', 'r'),
        'indexed': (False, False, False),
        'functions': {'numpy': hastie_tau2_numpy, 'mpmath': hastie_tau2_mpmath, 'gmpy2': hastie_tau2_gmpy2, 'arb': hastie_tau2_arb},
        'unavailable': {},
    },
    'asymptotic_retrained_risk': {
        'title': 'Fresh retraining on a kept fraction q = s/P of the features, asymptotic (q kappa < 1)',
        'reference': 'docs/theory.md#retraining; Def. 5, P -> oo',
        'assumptions': "diagonal Sigma; q kappa < 1; pi the keep probabilities of the pruning rule; p the law's weights",
        'arg_names': ('sigma', 'kappa', 'q', 'Lambda', 'B', 'pi', 'p'),
        'indexed': (False, False, False, True, True, True, True),
        'functions': {'numpy': asymptotic_retrained_risk_numpy, 'mpmath': asymptotic_retrained_risk_mpmath, 'gmpy2': asymptotic_retrained_risk_gmpy2, 'arb': asymptotic_retrained_risk_arb},
        'unavailable': {},
    },
}
