"""Exactness: symbolic vs compiled, numpy vs mpmath, derived vs docs/theory.md's transcriptions."""

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations import formula, names
from derivations.gaussian import Q, normal_pdf
from derivations.printing import plan, unavailable
from derivations.thresholded import kept_moment, mu, t
from derivations.thresholded import sd as s

EXPECTED = {
    "shrinkage",
    "shrinkage_log_derivative",
    "shrinkage_complement",
    "xi_equation",
    "ridge_equation",
    "tau2",
    "tau2_stated",
    "coordinate_mean",
    "coordinate_sd",
    "underparameterized_sd",
    "underparameterized_risk",
    "ridge_sample_size",
    "ridge_tau2_limit",
    "keep_probability",
    "keep_probability_derivative",
    "standardized_keep_probability",
    "standardized_keep_probability_derivative",
    "standardized_keep_probability_second_derivative",
    "thresholded_m1",
    "thresholded_m2",
    "pruned_error",
    "thresholded_risk",
    "oracle_risk",
    "random_pruning_risk",
    "retrained_risk",
    "rank_one_pruned_excess",
    "rank_one_retrained_excess",
    "rank_one_dense_excess",
    "relu_covariance",
    "relu_label_correlation",
    "label_second_moment",
    "asymptotic_xi_equation",
    "asymptotic_tau2",
    "asymptotic_law",
    "hastie_xi",
    "hastie_tau2",
    "asymptotic_retrained_risk",
    "effective_noise",
    "pruned_error_stable",
    "asymptotic_threshold_equation",
    "asymptotic_magnitude_risk",
    "schedule_xi_equation",
    "schedule_tau2",
    "schedule_threshold_equation",
    "schedule_magnitude_risk",
    "schedule_underparameterized_sd",
}


def test_registry_lists_every_formula_with_latex():
    assert set(names()) == EXPECTED
    for name in names():
        entry = formula(name)
        assert entry.latex().count("=") >= 1 and entry.reference and entry.title


def test_corollary_1_equals_quadrature_over_the_limit_law():
    # sigma^2 + E[Lambda (B - T_t(Omega))^2] and Pr(|Omega| > t) - q by 30-digit quadrature over Omega given each
    # atom (Gaussian with mean a B and sd a sqrt(kappa) tau / sqrt(Lambda)): independent of the derivation.
    t_, xi_, kappa_, tau_, sigma_, q_ = 0.9, 0.7, 2.0, 1.3, 0.5, 0.3
    lam_, b_, p_ = [0.5, 2.0], [1.0, -0.4], [0.25, 0.75]

    def error_and_keep(lam, b):
        a = xi_ * lam / (1 + xi_ * lam)
        mean, sd = a * b, a * mpmath.sqrt(kappa_) * tau_ / mpmath.sqrt(lam)

        def kept_error(w):
            return (b - w) ** 2 * mpmath.npdf(w, mean, sd)

        error = (
            mpmath.quad(kept_error, [-mpmath.inf, -t_])
            + mpmath.quad(kept_error, [t_, mpmath.inf])
            + b**2 * (mpmath.ncdf(t_, mean, sd) - mpmath.ncdf(-t_, mean, sd))
        )
        return error, mpmath.ncdf(-t_, mean, sd) + 1 - mpmath.ncdf(t_, mean, sd)

    with mpmath.workdps(30):
        risk, kept = mpmath.mpf(sigma_) ** 2, -mpmath.mpf(q_)
        for lam, b, p in zip(map(mpmath.mpf, lam_), map(mpmath.mpf, b_), p_):
            error, keep = error_and_keep(lam, b)
            risk += p * lam * error
            kept += p * keep
        args = (t_, xi_, kappa_, tau_)
        assert abs(formula("asymptotic_magnitude_risk").mpmath(*args, sigma_, lam_, b_, p_) - risk) < 1e-25
        assert abs(formula("asymptotic_threshold_equation").mpmath(*args, q_, lam_, b_, p_) - kept) < 1e-25


def test_thresholded_moments_equal_the_theory_transcription_exactly():
    # docs/theory.md#thresholded-risk, typed by hand here (the derivation integrates the density instead).
    a1, a2 = (t - mu) / s, (-t - mu) / s
    keep = Q(a1) + (1 - Q(a2))
    m1 = mu * keep + s * (normal_pdf(a1) - normal_pdf(a2))
    m2 = (mu**2 + s**2) * keep + s * ((mu + t) * normal_pdf(a1) + (t - mu) * normal_pdf(a2))
    point = {t: sp.Rational(7, 10), mu: sp.Rational(3, 10), s: sp.Rational(9, 20)}
    for k, reference in enumerate((keep, m1, m2)):
        difference = (kept_moment(k) - reference).subs(point).rewrite(sp.erfc)
        assert abs(sp.N(difference, 60)) < sp.Float("1e-55")


@settings(max_examples=40, deadline=None)
@given(
    t_=st.floats(0, 5),
    mu_=st.floats(-3, 3),
    s_=st.floats(0.05, 3),
    beta_=st.floats(-3, 3),
)
def test_compiled_numpy_matches_symbolic_at_random_points(t_, mu_, s_, beta_):
    entry = formula("pruned_error")
    symbols = entry.args
    exact = entry.rhs.subs(dict(zip(symbols, map(sp.Float, (t_, mu_, s_, beta_))))).rewrite(sp.erfc)
    assert entry.numpy(t_, mu_, s_, beta_) == pytest.approx(float(sp.N(exact, 30)), rel=1e-11, abs=1e-13)


@pytest.mark.parametrize("name", ["keep_probability", "thresholded_m1", "thresholded_m2"])
def test_mpmath_backend_matches_numpy(name):
    entry = formula(name)
    rng = np.random.default_rng(1)
    for t_, mu_, s_ in zip(rng.uniform(0, 4, 20), rng.normal(size=20), rng.uniform(0.1, 2, 20)):
        with mpmath.workdps(40):
            high = entry.mpmath(t_, mu_, s_)
        assert entry.numpy(t_, mu_, s_) == pytest.approx(float(high), rel=1e-12, abs=1e-15)


def test_gaussian_tail_has_no_cancellation_far_in_the_tail():
    # keep probability for t = 0, mu = 40 s: P(|w| > 0) = 1 - Q(40) - ... ; the tail term Q(40) ~ 3.7e-350
    # underflows, but P(w < -t) for mu = -40, t = 1 must be ~1, and P(|w| > 60) for mu = 0 is 2 Q(60) > 0 in mpmath.
    keep = formula("keep_probability")
    with mpmath.workdps(30):
        value = keep.mpmath(60, 0, 1)
        assert value == pytest.approx(2 * mpmath.ncdf(-60), rel=1e-25)
    assert keep.numpy(8.0, 0.0, 1.0) == pytest.approx(2 * 6.22096057427178e-16, rel=1e-12)


def test_thresholded_moments_against_sampling():
    rng = np.random.default_rng(2)
    mu_, s_, t_ = 0.4, 0.7, 0.6
    w = rng.normal(mu_, s_, 400_000)
    kept = np.abs(w) > t_
    for k, name in enumerate(["keep_probability", "thresholded_m1", "thresholded_m2"]):
        sample = w**k * kept
        mean, se = sample.mean(), sample.std() / np.sqrt(w.size)
        assert abs(formula(name).numpy(t_, mu_, s_) - mean) < 4 * se  # within 4 standard errors


def test_lemma_one_derivation_uses_inverse_chi_square_mean():
    sigma, n = formula("rank_one_retrained_excess").args
    assert sp.simplify(formula("rank_one_retrained_excess").rhs - sigma**2 / (n - 2)) == 0
    rng = np.random.default_rng(3)
    chi2 = rng.chisquare(7, 400_000)
    inverse = 1 / chi2
    assert abs(inverse.mean() - 1 / 5) < 4 * inverse.std() / np.sqrt(inverse.size)


def test_hastie_special_case_is_derived_from_the_asymptotic_equations():
    kappa, sigma, r = formula("hastie_tau2").args
    assert sp.simplify(formula("hastie_xi").rhs - 1 / (kappa - 1)) == 0
    assert sp.simplify(formula("hastie_tau2").rhs - (sigma**2 * kappa / (kappa - 1) + r**2 * (1 - 1 / kappa))) == 0


def test_tau2_stable_form_equals_the_stated_form_at_the_root():
    from dctheory.solvers import solve_xi

    rng = np.random.default_rng(4)
    lam, b = rng.uniform(0.01, 10, 50), rng.normal(size=50)
    xi = solve_xi(lam, 20.0)
    stable = formula("tau2").numpy(xi, 20.0, 0.0, 0.3, lam, b)
    stated = formula("tau2_stated").numpy(xi, 20.0, 0.3, lam, b)
    assert stable == pytest.approx(stated, rel=1e-12)


@pytest.mark.parametrize("name", ["shrinkage", "shrinkage_log_derivative"])
def test_gmpy2_backend_matches_mpmath_at_200_bits(name):
    import gmpy2

    entry = formula(name)
    for xi_, lam_ in [(0.3, 7.0), (12.5, 1e-9), (1e-6, 3e5)]:
        with mpmath.workprec(200):
            reference = entry.mpmath(mpmath.mpf(xi_), mpmath.mpf(lam_))
        with gmpy2.context(gmpy2.get_context(), precision=200):
            value = entry.gmpy2(gmpy2.mpfr(xi_), gmpy2.mpfr(lam_))
        with mpmath.workprec(200):
            assert abs(mpmath.mpf(str(value)) - reference) <= mpmath.mpf(2) ** -190 * abs(reference)


def test_gmpy2_backend_refuses_inexact_constants():
    with pytest.raises(ValueError, match="not exact in binary"):
        _ = formula("keep_probability").gmpy2


def test_exactness_arb_backend_encloses_the_mpmath_value():
    flint = pytest.importorskip("flint")
    from derivations import formula

    lam, b = ["0.5", "2", "3.25"], ["1", "-0.1", "0.7"]
    with mpmath.workdps(60):
        expected = formula("tau2").mpmath(
            mpmath.mpf("0.8"),
            2,
            mpmath.mpf("0.1"),
            mpmath.mpf("0.3"),
            [mpmath.mpf(x) for x in lam],
            [mpmath.mpf(x) for x in b],
        )
    with flint.ctx.workprec(300):
        ball = formula("tau2").arb(
            flint.arb("0.8"),
            2,
            flint.arb("0.1"),
            flint.arb("0.3"),
            [flint.arb(x) for x in lam],
            [flint.arb(x) for x in b],
        )
        # The 60-digit mpmath value agrees with the 300-bit ball to its own 60 digits.
        assert abs(ball - flint.arb(mpmath.nstr(expected, 60))) < flint.arb("1e-58")
        assert float(ball.rad()) < 1e-80
    with pytest.raises(TypeError, match=r"no ball-arithmetic version|no exact arb form"):
        _ = formula("relu_covariance").arb


def _has_ball_tails(name):
    f = formula(name)
    return bool(f.rhs.atoms(Q, sp.exp)) and unavailable(f, plan(f), "arb") is None


@pytest.mark.parametrize("name", [n for n in names() if _has_ball_tails(n)])
def test_exactness_arb_tails_and_exponentials_enclose_the_mpmath_value(name):
    # The ball functions with Gaussian tails and exponentials (Q(-x) printed as 1 - Q(x) where Q(x) appears
    # too) contain the 80-digit mpmath value at random points, and are 60 digits narrow there.
    flint = pytest.importorskip("flint")
    entry = formula(name)
    indexed = plan(entry).indexed
    rng = np.random.default_rng(3)
    points = 0
    for _ in range(6):
        # Inside every formula's domain: n large enough for the least-squares forms, kappa > 1.
        scalar = {"n": (10, 20), "kappa": (1.5, 3), "m": (2, 4), "q": (0.05, 0.3), "q_": (0.05, 0.3)}
        decimals = [
            [f"{x:.6f}" for x in rng.uniform(-2.5 if arg in ("mu", "beta", "b", "B") else 0.2, 2.5, 3)]
            if is_indexed
            else f"{rng.uniform(*scalar.get(arg, (0.2, 3))):.6f}"
            for arg, is_indexed in zip(entry.arg_names, indexed)
        ]
        with mpmath.workdps(80):
            try:
                expected = entry.mpmath(
                    *([mpmath.mpf(x) for x in d] if isinstance(d, list) else mpmath.mpf(d) for d in decimals)
                )
            except TypeError:  # outside the formula's domain: a complex square root
                continue
        if not isinstance(expected, mpmath.mpf):
            continue
        points += 1
        with flint.ctx.workprec(300):
            ball = entry.arb(*([flint.arb(x) for x in d] if isinstance(d, list) else flint.arb(d) for d in decimals))
            assert ball.contains(flint.arb(mpmath.nstr(expected, 80))) or abs(
                ball - flint.arb(mpmath.nstr(expected, 80))
            ) < flint.arb("1e-75") * (1 + abs(ball))
            assert ball.rel_accuracy_bits() > 200
    assert points >= 3


def _oracle_and_retrained(lam, beta, sigma, n, m, s):
    # Diagonal Sigma, features sorted by saliency lambda_i beta_i^2, D the first m, D* the first s; m < n - 1.
    noise = formula("effective_noise").numpy(sigma, lam[m:], beta[m:])
    sd = formula("underparameterized_sd").numpy(np.sqrt(noise), n, m, lam[:m])
    oracle = (np.arange(m) < s).astype(float)
    pruned = formula("oracle_risk").numpy(np.sqrt(noise), lam[:m], oracle, beta[:m], sd, beta[:m])
    keep = (np.arange(len(lam)) < s).astype(float)
    retrained = formula("retrained_risk").numpy(sigma, n, s, lam, beta, keep)
    return float(pruned), float(retrained), float(noise), float(sigma**2 + np.sum(lam[s:] * beta[s:] ** 2))


@pytest.mark.parametrize("seed", range(5))
def test_claim_c4_condition_for_oracle_pruning(seed):
    # docs/theory.md#claims, C4: L_OR = sigma_D*^2 + s sigma_D^2/(n-1-m), fresh L_RT = sigma_D*^2 (n-1)/(n-1-s), so
    # retraining wins exactly when sigma_D*^2/(n-1-s) < sigma_D^2/(n-1-m); with lambda_i beta_i^2 = 1, when
    # sigma^2 + P > n - 1.
    rng = np.random.default_rng(seed)
    P, m, s, sigma = 12, 6, 3, 0.3
    lam = rng.uniform(0.5, 2.0, P)
    beta = rng.normal(size=P)
    order = np.argsort(-lam * beta**2)
    lam, beta = lam[order], beta[order]
    for n in (10, 14, 30):
        pruned, retrained, noise_d, noise_star = _oracle_and_retrained(lam, beta, sigma, n, m, s)
        assert pruned == pytest.approx(noise_star + s * noise_d / (n - 1 - m), rel=1e-13)
        assert retrained == pytest.approx(noise_star * (n - 1) / (n - 1 - s), rel=1e-13)
        assert (retrained < pruned) == (noise_star / (n - 1 - s) < noise_d / (n - 1 - m))
    unit = 1 / np.sqrt(lam)  # lambda_i beta_i^2 = 1
    for n, retraining_wins in ((10, True), (30, False)):  # sigma^2 + P = 12.09 against n - 1 = 9 and 29
        pruned, retrained, _, _ = _oracle_and_retrained(lam, unit, sigma, n, m, s)
        assert (retrained < pruned) is retraining_wins


def test_ridge_sample_size_tends_to_n_minus_1_below_the_threshold_and_to_n_above_it():
    # Exactness of the limits the ridge prediction is built on (docs/theory.md#finite-size, ridge), on the compiled
    # function at the root of the ridge equation with n: below the threshold (m = 3 < n = 10) n_lambda -> n - 1
    # as the ridge vanishes, above it (m = 12 > n = 10) n_lambda -> n; in between it lies in [n - 1, n].
    import scipy.optimize

    size = formula("ridge_sample_size").numpy
    equation = formula("ridge_equation").numpy
    for lam, limit in ((np.array([0.3, 1.0, 4.0]), 9.0), (np.linspace(0.2, 3.0, 12), 10.0)):
        for ridge in (1e-10, 1e-3, 1.0):
            u = scipy.optimize.brentq(
                lambda u, ridge=ridge, lam=lam: equation(np.exp(u), 10.0, ridge, lam), -40, 40, xtol=1e-14
            )
            value = float(size(np.exp(u), 10.0, ridge, lam.size, lam))
            assert 9.0 <= value <= 10.0
            if ridge == 1e-10:
                assert abs(value - limit) < 1e-8, (lam.size, value)
