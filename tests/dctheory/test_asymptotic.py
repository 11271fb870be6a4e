"""The asymptotic DC for continuous laws (docs/theory.md#asymptotic) and its pruning risks.

Exactness: a discrete law equals the finite-size prediction on the same spectrum; the
Marchenko-Pastur law against its closed form (from the Stieltjes transform), at float64 and at
50 digits; float64 against 30 digits. Convergence: continuous-law predictions against the
finite-size predictions on P quantiles of the law, as P grows. Contracts: bad inputs.
"""

import math

import mpmath
import numpy as np
import pytest
import scipy.integrate
import scipy.stats

import dctheory as dc
from dctheory import Distribution as D

# The finite-size predictions' population-diagonal Hessian rule is the one whose limit the law gives at every n
# (the sample-diagonal rule tends to it as n grows).
STRATEGIES = (
    "dense",
    "magnitude",
    "hessian_population",
    "oracle",
    "random",
    "magnitude_retrained",
    "hessian_population_retrained",
)


def marchenko_pastur_closed_form(ratio, kappa, sigma, r, lib=math):
    """xi and tau^2 for Lam ~ MP(ratio), B = r, from the Stieltjes transform S(z) = E 1/(Lam - z),
    which solves ratio z S^2 + (z - 1 + ratio) S + 1 = 0. At z = -1/xi, E 1/(1 + xi Lam) = S/xi
    must equal f = 1 - 1/kappa; substituting S = xi f gives xi in closed form. Implicit
    differentiation gives S', hence E 1/(1 + xi Lam)^2 = S'/xi^2."""
    f = 1 - 1 / lib.mpf(kappa) if lib is mpmath else 1 - 1 / kappa
    xi = (1 - f) / (f * (ratio * f + 1 - ratio))
    z, S = -1 / xi, xi * f
    S_prime = -(ratio * S**2 + S) / (2 * ratio * z * S + z - 1 + ratio)
    second = S_prime / xi**2
    D_ = f - second  # E[a (1 - a)]
    return xi, (sigma**2 + r**2 * D_ / xi) / (kappa * D_)


@pytest.mark.parametrize("ratio,kappa", [(0.5, 2.0), (0.25, 3.0), (2.0, 4.0), (1.0, 2.5)])
def test_marchenko_pastur_matches_closed_form_float64(ratio, kappa):
    law = dc.AsymptoticDC(D.marchenko_pastur(ratio), 0.7, kappa=kappa, sigma=0.5)
    xi, tau2 = marchenko_pastur_closed_form(ratio, kappa, 0.5, 0.7)
    assert law.xi == pytest.approx(xi, rel=1e-14)
    assert law.tau2 == pytest.approx(tau2, rel=1e-14)
    assert law.error["tau2"] <= 1e-14 * tau2  # the reported quadrature error is small too


def test_marchenko_pastur_matches_closed_form_50_digits():
    with mpmath.workdps(60):
        xi, tau2 = marchenko_pastur_closed_form(mpmath.mpf("0.5"), 2, mpmath.mpf("0.5"), mpmath.mpf("0.7"), mpmath)
    law = dc.AsymptoticDC(D.marchenko_pastur(0.5), 0.7, kappa=2.0, sigma=0.5, dps=50)
    assert abs(law.xi - xi) <= mpmath.mpf(10) ** -49 * xi
    assert abs(law.tau2 - tau2) <= mpmath.mpf(10) ** -49 * tau2


def test_point_law_is_hastie():
    law = dc.AsymptoticDC(D.point(1.0), 1.3, kappa=2.5, sigma=0.4)
    assert law.xi == pytest.approx(1 / 1.5, rel=1e-15)
    assert law.tau2 == pytest.approx(0.16 * 2.5 / 1.5 + 1.69 * (1 - 1 / 2.5), rel=1e-15)


def test_scipy_law_solves_the_xi_equation_by_independent_quadrature():
    gamma = scipy.stats.gamma(2.0, scale=0.5)
    law = dc.AsymptoticDC(D.from_scipy(gamma), 1.0, kappa=3.0, sigma=0.2)
    # (quad's own error estimate is held below the comparison's tolerance; asked for 1e-14 it warns of roundoff)
    value, error = scipy.integrate.quad(
        lambda x: law.xi * x / (1 + law.xi * x) * gamma.pdf(x), 0, np.inf, epsabs=1e-15, epsrel=1e-13
    )
    assert error <= 1e-13
    assert value == pytest.approx(1 / 3.0, rel=1e-12)


@pytest.mark.parametrize(
    "law",
    [
        D.uniform(0.5, 2.0),
        pytest.param(D.power_law(0.5), marks=pytest.mark.slow),
        pytest.param(D.marchenko_pastur(0.5), marks=pytest.mark.slow),
    ],
    ids=lambda law: law.name,
)
def test_float64_risks_agree_with_30_digits(law):
    fast = dc.AsymptoticDC(law, 1.0, kappa=2.0, sigma=0.5).predict(0.2)
    exact = dc.AsymptoticDC(law, 1.0, kappa=2.0, sigma=0.5, dps=30).predict(0.2)
    for name in STRATEGIES:
        assert fast[name] == pytest.approx(float(exact[name]), rel=2e-14), name


def test_discrete_law_equals_finite_size_on_the_same_spectrum():
    """A two-point law with P p_k integer is a finite problem: the sums are the same sums."""
    P, kappa, q = 400, 2.0, 0.2
    law = dc.AsymptoticDC(D.two_point(10.0, 0.1), 1.0, kappa=kappa, sigma=0.5)
    asymptotic = law.predict(q)
    problem, n = law.finite_problem(P)
    finite = dc.predict(problem, n=n, m=P, s=int(q * P))
    for name in ("dense", "magnitude", "hessian_population", "oracle", "random"):
        assert asymptotic[name] == pytest.approx(finite[name], rel=1e-12), name
    # Retraining: (n - 1)/(n - s - 1) at finite n versus its limit 1/(1 - q kappa).
    factor = (n - 1) * (1 - q * kappa) / (n - q * P - 1)
    for name in ("magnitude_retrained", "hessian_population_retrained"):
        assert finite[name] == pytest.approx(asymptotic[name] * factor, rel=1e-12), name


@pytest.mark.parametrize(
    "law", [D.uniform(0.5, 2.0), D.marchenko_pastur(0.5), D.power_law(0.5)], ids=lambda law: law.name
)
def test_continuous_law_is_the_limit_of_finite_size_predictions_on_quantiles(law):
    """Relative gaps shrink by at least 2x per 16x in P (the slowest, magnitude pruning and its
    retraining on the heavy-tailed power law, go as P^-1/2 or slower over this range) and are below 5e-3 at P = 3200."""
    asymptotic = dc.AsymptoticDC(law, 1.0, kappa=2.0, sigma=0.5).predict(0.2)
    gaps = []
    for P in (200, 800, 3200):
        problem, n = dc.AsymptoticDC(law, 1.0, kappa=2.0, sigma=0.5).finite_problem(P)
        finite = dc.predict(problem, n=n, m=P, s=int(0.2 * P))
        gaps.append({name: abs(finite[name] / asymptotic[name] - 1) for name in STRATEGIES})
    for name in STRATEGIES:
        assert gaps[2][name] < 5e-3, (name, gaps)
        assert gaps[2][name] < gaps[0][name] / 2, (name, gaps)


def test_independent_discrete_coefficients_are_a_product_law():
    """B = +-r independent of Lam: every risk depends on B only through B^2 here, so it equals B = r."""
    signed = dc.AsymptoticDC(D.uniform(0.5, 2.0), D.discrete([-1.3, 1.3]), kappa=2.0, sigma=0.5)
    plain = dc.AsymptoticDC(D.uniform(0.5, 2.0), 1.3, kappa=2.0, sigma=0.5)
    assert signed.tau2 == pytest.approx(plain.tau2, rel=1e-14)
    a, b = signed.predict(0.3), plain.predict(0.3)
    for name in ("magnitude", "hessian", "random", "magnitude_retrained"):
        assert a[name] == pytest.approx(b[name], rel=1e-13), name


def test_sample_matches_the_law_moments():
    law = dc.AsymptoticDC(D.uniform(0.5, 2.0), 1.0, kappa=2.0, sigma=0.5)
    lam, B, X = law.sample(np.random.default_rng(3), 200_000)
    a = law.xi * lam / (1 + law.xi * lam)
    # E X^2 = E[a^2 (B^2 + kappa tau^2 / Lam)]; compare the sample mean within 4 standard errors.
    expected = np.mean(a**2 * (B**2 + 2.0 * law.tau2 / lam))
    assert abs(np.mean(X**2) - expected) < 4 * np.std(X**2) / np.sqrt(X.size)


def test_contracts():
    with pytest.raises(dc.ConfigError, match="kappa"):
        dc.AsymptoticDC(D.uniform(1, 2), 1.0, kappa=0.5)
    with pytest.raises(dc.RegimeError, match="P\\(Lam > 0\\)"):
        dc.AsymptoticDC(D.marchenko_pastur(4.0), 1.0, kappa=2.0)  # P(Lam > 0) = 1/4
    law = dc.AsymptoticDC(D.uniform(1, 2), 1.0, kappa=2.0)
    for bad in (0.0, 1.5, float("nan")):
        with pytest.raises(dc.ConfigError, match="keep"):
            law.predict(bad)
    with pytest.raises(dc.PrecisionError, match="mpmath"):
        dc.AsymptoticDC(D.from_scipy(scipy.stats.gamma(2.0)), 1.0, kappa=2.0, dps=20)
    with pytest.raises(dc.PrecisionError, match="infinite"):
        dc.AsymptoticDC(D.power_law(1.5), 1.0, kappa=2.0).predict(0.2)  # E[Lam B^2] = oo
    independent = dc.AsymptoticDC(D.uniform(1, 2), D.from_scipy(scipy.stats.norm()), kappa=2.0).predict(0.2)
    assert independent["oracle"] is None and "not supported" in independent.notes["oracle"]
    with pytest.raises(dc.ConfigError, match=r"high = 1\.0"):
        D.uniform(2.0, 1.0)
    with pytest.raises(dc.ConfigError, match="integrates"):
        D.from_density(lambda x: 2 * np.ones_like(x), (0, 1))


@pytest.mark.parametrize(
    "args, message",
    [
        ((["a"],), r"values\[0\] = 'a' is a string"),
        (([1, 2], ["x", 1]), r"probabilities\[0\] = 'x' is a string"),
        (([1, float("nan")],), r"values\[1\] = nan is not finite"),
    ],
)
def test_contract_discrete_law_refuses_non_numbers_in_one_line(args, message):
    with pytest.raises(dc.ConfigError, match=message) as error:
        D.discrete(*args)
    assert "\n" not in str(error.value)
