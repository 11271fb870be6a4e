"""Exactness of xi and tau^2: closed forms, higher precision, properties."""

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dctheory as dc
from dctheory.solvers import solve_xi


def hastie(kappa, sigma2, r2):
    return 1 / (kappa - 1), sigma2 * kappa / (kappa - 1) + r2 * (1 - 1 / kappa)


@pytest.mark.parametrize("dps", [30, 50])
def test_isotropic_case_equals_hastie_closed_form_to_all_digits(dps):
    # Finite-size isotropic: m xi/(1 + xi) = n gives xi = 1/(kappa - 1) exactly, and tau^2 is Hastie's with r^2 = ||beta||^2.
    P, n = 300, 120
    beta = np.linspace(-0.1, 0.1, P)
    problem = dc.LGP(eigenvalues=np.ones(P), beta=beta, sigma=0.3)
    solution = dc.solve(problem.effective(P), n, dps=dps, problem=problem)
    with mpmath.workdps(dps + 20):
        kappa = mpmath.mpf(P) / n
        r2 = mpmath.fsum(mpmath.mpf(repr(float(b))) ** 2 for b in beta)
        xi, value = hastie(kappa, mpmath.mpf("0.3") ** 2, r2)
        assert abs(solution.xi - xi) <= mpmath.mpf(10) ** (-dps) * xi
        assert abs(solution.tau2 - value) <= mpmath.mpf(10) ** (-dps) * value


def test_float64_matches_high_precision_for_wide_spectra():
    rng = np.random.default_rng(0)
    lam = 10 ** rng.uniform(-12, 0, 400)  # condition number ~1e12
    lam[:20] = 0.0  # and zero eigenvalues
    problem = dc.LGP(eigenvalues=lam, beta=rng.normal(size=400), sigma=0.1)
    fast = dc.solve(problem.effective(400), 150)
    exact = dc.solve(problem.effective(400), 150, dps=30, problem=problem)
    assert fast.xi == pytest.approx(float(exact.xi), rel=1e-10)
    assert fast.tau2 == pytest.approx(float(exact.tau2), rel=1e-10)


@settings(max_examples=30, deadline=None)
@given(st.integers(5, 60), st.floats(1.05, 6), st.integers(0, 2**32 - 1))
def test_shrinkage_sums_to_n_and_tau2_exceeds_noise(n, ratio, seed):
    rng = np.random.default_rng(seed)
    m = int(np.ceil(n * ratio)) + 1
    lam = rng.exponential(size=m)
    xi = solve_xi(lam, n)
    shrink = xi * lam / (1 + xi * lam)
    assert shrink.sum() == pytest.approx(n, rel=1e-12)
    problem = dc.LGP(eigenvalues=lam, beta=rng.normal(size=m), sigma=0.5)
    assert dc.solve(problem.effective(m), n).tau2 >= 0.25


def test_close_to_interpolation_threshold_and_at_it():
    n = 100
    problem = dc.LGP(eigenvalues=np.ones(400), beta=np.ones(400) / 20, sigma=0.5)
    above = dc.solve(problem.effective(n + 1), n)
    # xi = n/(m - n) for identity: 100; tau^2 finite and large.
    assert above.xi == pytest.approx(100.0, rel=1e-12)
    assert np.isfinite(above.tau2) and above.tau2 > 10
    with pytest.raises(dc.RegimeError, match="undefined"):
        dc.solve(problem.effective(n), n)
    with pytest.raises(dc.RegimeError, match="undefined"):
        dc.solve(problem.effective(n - 1), n)
    below = dc.solve(problem.effective(n - 2), n)
    assert below.xi is None and below.dense > 10


def test_ridge_tends_to_ridgeless_overparameterized():
    rng = np.random.default_rng(1)
    problem = dc.LGP(eigenvalues=rng.uniform(0.5, 2, 300), beta=rng.normal(size=300) / 17, sigma=0.2)
    ridgeless = dc.solve(problem.effective(300), 100)
    ridge = dc.solve(problem.effective(300), 100, ridge=1e-9)
    assert ridge.tau2 == pytest.approx(ridgeless.tau2, rel=1e-6)


def test_dense_risk_invariant_under_rotation():
    rng = np.random.default_rng(2)
    lam = rng.uniform(0.2, 3, 40)
    beta = rng.normal(size=40)
    rotation, _ = np.linalg.qr(rng.normal(size=(40, 40)))
    diagonal = dc.LGP(eigenvalues=lam, beta=beta, sigma=0.3)
    rotated = dc.LGP(covariance=rotation @ np.diag(lam) @ rotation.T, beta=rotation @ beta, sigma=0.3)
    assert dc.solve(rotated.effective(40), 15).tau2 == pytest.approx(
        dc.solve(diagonal.effective(40), 15).tau2, rel=1e-9
    )


def test_asymptotic_law_matches_finite_size_with_atoms():
    # Finite-size with P coordinates = asymptotic with uniform atoms (same equations, B = sqrt(P) beta).
    rng = np.random.default_rng(3)
    P, n = 200, 80
    lam, beta = rng.uniform(0.5, 2, P), rng.normal(size=P) / np.sqrt(P)
    finite = dc.solve(dc.LGP(eigenvalues=lam, beta=beta, sigma=0.4).effective(P), n)
    limit = dc.AsymptoticDC(lam, np.sqrt(P) * beta, kappa=P / n, sigma=0.4)
    assert limit.xi == pytest.approx(finite.xi, rel=1e-12)
    assert limit.tau2 == pytest.approx(finite.tau2, rel=1e-12)
    exact = dc.AsymptoticDC([1.0], [1.0], kappa=2.5, sigma=0.5, dps=40)
    with mpmath.workdps(50):
        xi, value = hastie(mpmath.mpf("2.5"), mpmath.mpf("0.25"), 1)
        assert abs(exact.tau2 - value) < mpmath.mpf(10) ** -40 and abs(exact.xi - xi) < mpmath.mpf(10) ** -40


def test_dc_sampling_has_the_law_moments():
    problem = dc.LGP(eigenvalues=dc.spiked(300, 30, 5.0), beta=np.ones(300), sigma=0.5)
    law = dc.dc_law(problem, 100, 300)
    w = law.sample(np.random.default_rng(0), 20_000)
    se = law.sd / np.sqrt(w.shape[0])
    assert np.all(np.abs(w.mean(axis=0) - law.mean) < 5 * se)
    again = law.sample(np.random.default_rng(0), 3)
    assert np.array_equal(again, law.sample(np.random.default_rng(0), 3))


def test_spectrum_beyond_float64_uses_the_bracketing_fallback():
    # 1e-400 underflows in float64, so there is no float seed: mpmath's Anderson-Bjorck solver on the bracket.
    from dctheory.solvers import solve_xi_mp

    with mpmath.workdps(40):
        lam = [mpmath.mpf("1e-400")] * 3 + [mpmath.mpf(1)] * 5
        xi = solve_xi_mp(lam, 4)
        residual = mpmath.fsum(xi * x / (1 + xi * x) for x in lam) - 4
        assert abs(residual) < mpmath.mpf(10) ** -38
        assert abs(xi - 4) < mpmath.mpf(10) ** -30  # 5 xi/(1+xi) = 4 up to 3e-400 xi


@pytest.mark.parametrize("text", ["-0.405", "3.25e-300", "-7", "0", "1e+400"])
def test_mpfr_conversion_is_exact_both_ways(text):
    import gmpy2

    from dctheory.solvers import _to_mpf, _to_mpfr

    with mpmath.workdps(60):
        x = mpmath.mpf(text)
        with gmpy2.context(gmpy2.get_context(), precision=mpmath.mp.prec + 16):
            assert _to_mpf(_to_mpfr(x)) == x


@pytest.mark.parametrize("ridge", [0.0, 1e-2])
def test_batched_xi_of_a_curve_over_m_matches_high_precision_row_by_row(ridge):
    # 150 prefixes of one wide spectrum (the rows of a curve over m): solve_xi brackets a few rows
    # and takes Newton steps from splines for the others; solve_xi_mp solves each row alone.
    rng = np.random.default_rng(4)
    P, n = 300, 100
    lam = 10 ** rng.uniform(-6, 1, P)
    lam[::13] = 0.0
    ms = np.arange(151, 301)
    weights = (np.arange(P)[None, :] < ms[:, None]).astype(float)
    xi = solve_xi(np.broadcast_to(lam, weights.shape), n, ridge, weights, position=ms)
    from dctheory.solvers import solve_xi_mp

    with mpmath.workdps(30):
        for row in (0, 1, 57, 58, 100, 149):
            exact = solve_xi_mp(lam[: ms[row]], n, ridge)
            assert xi[row] == pytest.approx(float(exact), rel=1e-12)


@pytest.mark.parametrize("ridge", [1e-6, 1e-2, 3.0])
def test_ridge_xi_below_rank_n_from_the_saturated_root(ridge):
    # Below rank n a ridge solve starts from the root with every a_i replaced by 1 - 1 / (xi lambda_i): an upper
    # bound of xi (a_i >= 1 - 1 / (xi lambda_i)). On the rows of a curve over m < n (brackets, splines) and on
    # a few rows at once (direct Newton steps), the roots must be those of 30 digits, and below the bound.
    from dctheory.solvers import saturated_root, solve_xi_mp

    lam, weights, ms = _curve_rows()
    n = 200
    under = ms < n
    weights, ms = weights[under], ms[under]
    spectra = np.broadcast_to(lam, weights.shape)
    positive = lam > 0
    rank = weights @ positive
    inverse = weights[:, positive] @ (1 / lam[positive])
    bound = saturated_root(n, ridge, rank, inverse)
    gap = n - rank
    # the bound is the root of its quadratic, n ridge x^2 - (n - rank) x - sum w / lambda, to rounding
    np.testing.assert_allclose(n * ridge * bound**2, gap * bound + inverse, rtol=1e-14)
    for rows in (slice(None), slice(0, 6)):
        xi = solve_xi(spectra[rows], n, ridge, weights[rows], position=ms[rows])
        assert np.all(xi <= bound[rows] * (1 + 1e-15))
        with mpmath.workdps(30):
            for row in range(0, xi.size, 7):
                exact = solve_xi_mp(lam[: ms[rows][row]], n, ridge)
                assert xi[row] == pytest.approx(float(exact), rel=1e-13), (rows, row)


def test_ridge_xi_below_rank_n_with_sum_of_inverses_near_the_float64_limit():
    # sum w / lambda = 7e306: the saturated root's discriminant overflows; the first guess is then the top of the
    # bracket, silently (pytest's filterwarnings turns a warning into an error), and the root is right.
    from dctheory.solvers import solve_xi_mp

    lam, w = np.array([1e-306, 1e-306, 1.0]), np.array([3.0, 4.0, 5.0])
    xi = solve_xi(lam, 20.0, 1.0, w)
    with mpmath.workdps(30):
        exact = solve_xi_mp([mpmath.mpf(x) for x in lam], 20, 1, [mpmath.mpf(x) for x in w])
    assert xi == pytest.approx(float(exact), rel=1e-13)


def test_xi_just_above_m_equal_n_keeps_float64_accuracy():
    # Just above m = n the ridgeless xi equation has W - S of order 1 next to the rank W = m: taking it as
    # a difference cost W ulps (3.5e-14 relative in xi here); summed from the complements 1 - a_i it is
    # exact to rounding. Reference: 30 verified digits.
    problem = dc.LGP(eigenvalues=dc.power_law(400, 1.0), beta=np.ones(400), sigma=0.3)
    n = 300
    curve = dc.risk_curve(problem, n=n, s=100, m=np.arange(n + 1, n + 6))
    for index, m in enumerate(curve.m):
        exact = dc.predict(problem, n=n, m=int(m), s=100, dps=30)
        assert curve.xi[index] == pytest.approx(float(exact.xi), rel=5e-15), m


def _curve_rows(P=300, seed=5):
    """Prefixes of one wide spectrum with zeros (the rows of a curve over m): (lam, weights, ms)."""
    rng = np.random.default_rng(seed)
    lam = 10 ** rng.uniform(-6, 1, P)
    lam[::13] = 0.0
    ms = np.arange(20, P + 1, 2)
    return lam, (np.arange(P)[None, :] < ms[:, None]).astype(float), ms


@pytest.mark.parametrize("ridge", [1e-8, 1e-3, 0.3, 20.0])
@pytest.mark.parametrize("rows", ["curve", "narrow", "one"])
def test_ridge_solution_warm_root_equals_the_cold_root(ridge, rows):
    # The root with n_lambda is solved from the root with n (warm: every row's first guess, and the splines
    # between the first-solved rows carry the shift); a cold solve_xi with the same n_lambda starts from its
    # brackets. Both stop within K du^2 <= 1e-16 K of the root in u = log xi: they agree to 1e-14.
    from dctheory.solvers import ridge_solution

    lam, weights, ms = _curve_rows()
    n = 100
    if rows == "narrow":  # few atoms: every row solved at once (solve_rows' direct path)
        lam, weights, ms = lam[:8], weights[::30, :8], ms[::30]
        n = 3
    spectra = np.broadcast_to(lam, weights.shape)
    if rows == "one":
        spectra, weights, ms = lam[:150], None, None
    size, xi = ridge_solution(spectra, n, ridge, weights, position=ms)
    cold = solve_xi(spectra, size, ridge, weights)
    assert np.all((size >= n - 1) & (size <= n))
    assert np.all(size < n)  # n_lambda < n with a ridge: the second solve is a different equation
    np.testing.assert_allclose(xi, cold, rtol=1e-14, atol=0)


def test_ridge_solution_at_ridge_0_is_n_and_one_solve(monkeypatch):
    from dctheory import solvers

    lam, weights, ms = _curve_rows()
    calls = []
    cold = solve_xi(np.broadcast_to(lam, weights[-50:].shape), 100, 0.0, weights[-50:], position=ms[-50:])
    monkeypatch.setattr(solvers, "solve_xi", lambda *a, **k: calls.append(a) or solve_xi(*a, **k))
    size, xi = solvers.ridge_solution(np.broadcast_to(lam, weights[-50:].shape), 100, 0.0, weights[-50:], ms[-50:])
    assert size == 100 and len(calls) == 1
    np.testing.assert_array_equal(xi, cold)


@pytest.mark.parametrize("ridge", ["1e-6", "0.05", "4"])
@pytest.mark.parametrize("representable", [True, False])
def test_ridge_solution_mp_warm_root_equals_the_cold_root_to_40_digits(ridge, representable):
    # The root with n_lambda from the root with n (as the float64 solve's first guess, or, where the spectrum
    # is beyond float64 (1e-400), as the first guess of the Newton steps themselves) against a cold solve_xi_mp
    # with the same n_lambda, at 50 digits; and the float64 twin against both to 1e-13.
    from dctheory.solvers import ridge_solution, ridge_solution_mp, solve_xi_mp

    lam, _, _ = _curve_rows(P=120)
    n = 40
    with mpmath.workdps(50):
        lam_mp = [mpmath.mpf(repr(float(x))) for x in lam]
        if not representable:
            lam_mp[:6] = [mpmath.mpf("1e-400")] * 6
        ridge_mp = mpmath.mpf(ridge)
        size, xi = ridge_solution_mp(lam_mp, n, ridge_mp)
        cold = solve_xi_mp(lam_mp, size, ridge_mp)
        assert n - 1 <= size < n
        assert abs(xi - cold) <= mpmath.mpf(10) ** -40 * cold
        residual = mpmath.fsum(xi * x / (1 + xi * x) for x in lam_mp) + size * ridge_mp * xi - size
        assert abs(residual) <= mpmath.mpf(10) ** -40 * size
    if representable:
        size64, xi64 = ridge_solution(lam, n, float(ridge))
        assert size64 == pytest.approx(float(size), rel=1e-13)
        assert xi64 == pytest.approx(float(xi), rel=1e-13)
