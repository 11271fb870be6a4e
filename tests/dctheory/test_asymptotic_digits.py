"""Exactness: the seven asymptotic risks at 50 digits against an independent evaluation, and the
Gaussian tail that their mpmath formulas evaluate per coordinate.

The reference below writes every expectation over the law as an ``mpmath.quad`` integral of the
defining per-coordinate quantities (docs/theory.md#asymptotic, #thresholded-risk, #retraining),
with the Gaussian moments of a hard-thresholded coordinate written out from N(mu, s^2) and the
threshold roots found by ``mpmath.findroot`` on those integrals. It shares no code with dctheory
(no compiled formula, no quadrature rule, no Newton step), and runs at 60 digits.
"""

from __future__ import annotations

import mpmath
import pytest

import dctheory as dc
from dctheory import Distribution

LOW, HIGH, KAPPA, SIGMA, KEEP = "0.5", "2", "2", "0.5", "0.2"


def reference_risks(dps=60):
    """Lam ~ uniform(LOW, HIGH), B = 1: every strategy's risk by mpmath.quad at ``dps`` digits."""
    with mpmath.workdps(dps):
        low, high, kappa, sigma, q = (mpmath.mpf(x) for x in (LOW, HIGH, KAPPA, SIGMA, KEEP))

        def E(f, a=low, b=high):
            return mpmath.quad(f, [a, b]) / (high - low)

        xi = mpmath.findroot(lambda u: E(lambda x: u * x / (1 + u * x)) - 1 / kappa, 1)

        def a(x):
            return xi * x / (1 + xi * x)

        tau2 = (sigma**2 + E(lambda x: x / (1 + xi * x) ** 2)) / (kappa * E(lambda x: a(x) * (1 - a(x))))

        def sd(x):  # sqrt(P) w_hat ~ a (B + sqrt(kappa) tau H / sqrt(Lam)), mean a B with B = 1
            return a(x) * mpmath.sqrt(kappa * tau2 / x)

        def keep(t, x):  # P(|X| > t), X ~ N(a, sd^2)
            m, s = a(x), sd(x)
            return mpmath.ncdf((m - t) / s) + mpmath.ncdf((-t - m) / s)

        def error(t, x):  # E[(X 1{|X| > t} - 1)^2] = E[(X - 1)^2 1{|X| > t}] + P(|X| <= t)
            m, s = a(x), sd(x)
            d, upper, lower = m - 1, (t - m) / s, (-t - m) / s
            above = (d * d + s * s) * mpmath.ncdf(-upper) + (2 * d * s + s * s * upper) * mpmath.npdf(upper)
            below = (d * d + s * s) * mpmath.ncdf(lower) - (2 * d * s + s * s * lower) * mpmath.npdf(lower)
            return above + below + mpmath.ncdf(upper) - mpmath.ncdf(lower)

        kept_all = lambda x: (a(x) - 1) ** 2 + sd(x) ** 2  # noqa: E731  (error at t = 0)
        risks = {"dense": sigma**2 + E(lambda x: x * kept_all(x))}
        risks["random"] = sigma**2 + E(lambda x: x * ((1 - q) + q * kept_all(x)))
        # Oracle: B = 1, so the saliency Lam B^2 is Lam; the top q of the mass lies above HIGH - q (HIGH - LOW).
        cut = high - q * (high - low)
        risks["oracle"] = sigma**2 + E(lambda x: x, low, cut) + E(lambda x: x * kept_all(x), cut, high)
        for name, scale in (("magnitude", lambda x: 1), ("hessian", lambda x: 1 / mpmath.sqrt(x))):
            t = mpmath.findroot(
                lambda t, scale=scale: E(lambda x: keep(t * scale(x), x)) - q,
                (mpmath.mpf("0.05"), 10),
                solver="anderson",
            )
            risks[name] = sigma**2 + E(lambda x, t=t, scale=scale: x * error(t * scale(x), x))
            # Fresh retraining on the kept support, q kappa < 1.
            risks[f"{name}_retrained"] = (sigma**2 + E(lambda x, t=t, scale=scale: x * (1 - keep(t * scale(x), x)))) / (
                1 - q * kappa
            )
        # n -> infinity: the sample Hessian diagonal is the population one, the two Hessian rules coincide
        risks["hessian_population"], risks["hessian_population_retrained"] = (
            risks["hessian"],
            risks["hessian_retrained"],
        )
        return risks, tau2


@pytest.fixture(scope="module")
def prediction():
    model = dc.AsymptoticDC(
        Distribution.uniform(float(LOW), float(HIGH)), 1.0, kappa=float(KAPPA), sigma=float(SIGMA), dps=50
    )
    return model.predict(float(KEEP))


def test_exactness_fifty_digit_risks_equal_an_independent_quadrature_to_45_digits(prediction):
    expected, tau2 = reference_risks()
    assert set(prediction.risks) == set(expected)
    with mpmath.workdps(60):
        assert abs(prediction.tau2 - tau2) <= mpmath.mpf(10) ** -45 * tau2
        for name, value in expected.items():
            got = prediction.risks[name]
            assert isinstance(got, mpmath.mpf), name
            assert abs(got - value) <= mpmath.mpf(10) ** -45 * value, (name, mpmath.nstr(got - value, 5))
