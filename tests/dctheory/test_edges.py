"""Degenerate, cancelling and extreme inputs: right numbers or one-line refusals.

Each expected value is derived independently of the code under test: a closed form written out
here, the certified ball of :func:`dctheory.certify.certify`, the 30-digit route, or the exact
homogeneity of the risks (scaling beta and sigma by c scales every risk by c^2).
"""

import math

import mpmath
import numpy as np
import pytest

import dctheory as dc
from dctheory.certify import certify

# The strategies of every route: Hessian pruning with the sample diagonal is float64 only (None at dps,
# with a note), and its float64 closed form is tested in test_sample_diagonal.py.
ALL = tuple(name for name in dc.STRATEGIES if name not in ("hessian", "hessian_retrained"))


def risks(prediction):
    return {k: (None if v is None else float(v)) for k, v in prediction.risks.items()}


# -- zero variance --------------------------------------------------------------


@pytest.mark.parametrize("dps", [None, 20])
def test_noise_free_least_squares_with_tied_coefficients_keeps_the_top_s(dps):
    # sigma = 0, m = P = 10 < n - 1: least squares recovers beta exactly, so pruning to s = 5 drops
    # five coordinates of lambda beta^2 = 1 whichever are dropped (ties): risk 5 for magnitude,
    # Hessian and oracle (closed form). Random pruning drops half in expectation: 5. Fresh retraining
    # on s = 5 of them: (sigma^2 + 5) (n - 1)/(n - s - 1) = 5 * 19/14.
    problem = dc.LGP(eigenvalues=np.ones(10), beta=np.ones(10), sigma=0.0)
    got = risks(dc.predict(problem, n=20, s=5, dps=dps))
    assert got["dense"] == 0
    for name in ("magnitude", "hessian_population", "oracle", "random"):
        assert got[name] == pytest.approx(5.0, rel=1e-15), name
    for name in ("magnitude_retrained", "hessian_population_retrained"):
        assert got[name] == pytest.approx(5 * 19 / 14, rel=1e-15), name


def test_ties_across_coordinates_of_different_variance_are_kept_in_feature_order():
    # sigma = 0 and beta = 0 beyond the first 12 features: for m >= 12 least squares recovers beta exactly,
    # and the 12 coefficients equal to 1 tie for magnitude pruning although their eigenvalues differ
    # (4 levels, interleaved). The rule of DC sampling keeps the first s of them: the risk is the sum of
    # lambda_i over the other tied features (closed form), and retraining on them multiplies it by
    # (n - 1)/(n - s - 1). Every route agrees: the curve, predict, 20 digits and DC sampling.
    lam = np.array([3, 0.1, 1, 3, 3, 0.1, 10, 10, 1, 1, 10, 1, 3, 1, 10, 3])
    problem = dc.LGP(eigenvalues=lam, beta=np.r_[np.ones(12), np.zeros(4)], sigma=0.0)
    n = 40
    for s in (3, 5, 7):
        expected = lam[s:12].sum()  # keeping features 0..s-1 drops the rest of the 12
        curve = dc.risk_curve(problem, n=n, s=s, m=np.arange(12, 17))
        assert curve.risks["magnitude"] == pytest.approx(np.full(5, expected), rel=1e-14)
        assert curve.risks["magnitude_retrained"] == pytest.approx(
            np.full(5, expected * (n - 1) / (n - s - 1)), rel=1e-14
        )
        for m in (12, 16):
            for route in ({}, {"dps": 20}, {"method": "sampling", "samples": 8}):
                got = risks(dc.predict(problem, n=n, m=m, s=s, **route))
                assert got["magnitude"] == pytest.approx(expected, rel=1e-14), (s, m, route)


def test_dc_sampling_keeps_tied_scores_in_index_order():
    from dctheory.sampling import top_s

    scores = np.array([[1.0, 2.0, 2.0, 0.5, 2.0, 2.0], [2.0, 2.0, 2.0, 2.0, 2.0, 2.0]])
    assert top_s(scores, 3).tolist() == [[1, 2, 4], [0, 1, 2]]
    assert top_s(scores, 1).tolist() == [[1], [0]]


def test_noise_free_least_squares_with_distinct_coefficients_drops_the_smallest():
    # beta = (1, ..., 10)/10, identity, sigma = 0: exact coefficients, magnitude keeps the five largest,
    # so the risk is sum_{i <= 5} (i/10)^2 = 0.55 (closed form).
    beta = np.arange(1, 11) / 10
    problem = dc.LGP(eigenvalues=np.ones(10), beta=beta, sigma=0.0)
    got = risks(dc.predict(problem, n=20, s=5))
    assert got["magnitude"] == pytest.approx(0.55, rel=1e-14)
    assert got["hessian"] == pytest.approx(0.55, rel=1e-14)


@pytest.mark.parametrize("n", [5, 20])  # overparameterized (tau^2 = 0) and least squares (sigma_D = 0)
@pytest.mark.parametrize("dps", [None, 20])
def test_beta_zero_without_noise_has_zero_risk(n, dps):
    problem = dc.LGP(eigenvalues=dc.power_law(10, 1.0), beta=np.zeros(10), sigma=0.0)
    got = risks(dc.predict(problem, n=n, s=3, dps=dps))
    assert all(got[name] == 0 for name in ALL), got


def test_an_underflowing_eigenvalue_counts_as_a_silent_feature():
    # An eigenvalue of 1e-308 carries no measurable signal or variance: the risks equal those of the
    # same problem with that eigenvalue exactly 0 (to rounding), and the 30-digit route agrees.
    lam = dc.power_law(10, 1.0)
    lam[3] = 1e-308
    tiny = dc.LGP(eigenvalues=lam, beta=np.ones(10), sigma=0.5)
    lam0 = lam.copy()
    lam0[3] = 0.0
    zero = dc.LGP(eigenvalues=lam0, beta=np.ones(10), sigma=0.5)
    got, reference = risks(dc.predict(tiny, n=4, s=3)), risks(dc.predict(zero, n=4, s=3))
    exact = risks(dc.predict(tiny, n=4, s=3, dps=30))
    undefined = {name for name in ALL if reference[name] is None}
    assert undefined == {"magnitude_retrained", "hessian_population_retrained"}  # s = n - 1: retraining undefined
    for name in ALL:
        if name in undefined:
            assert got[name] is None and exact[name] is None, name
            continue
        assert got[name] == pytest.approx(reference[name], rel=1e-12), name
        assert got[name] == pytest.approx(exact[name], rel=1e-12), name


# -- cancellation -----------------------------------------------------------------


def test_effective_noise_with_one_huge_eigenvalue_matches_the_certified_ball():
    # One eigenvalue 1e20 among 49 ones, trained on 40 features with n = 20: sigma_D^2 = 0.25 + 10 must
    # not be formed as 0.25 + (1e20 + 49) - (1e20 + 39). The certified tau^2 is about 42.09.
    lam = np.ones(50)
    lam[0] = 1e20
    problem = dc.LGP(eigenvalues=lam, beta=np.ones(50), sigma=0.5)
    ball = certify(problem, n=20, m=40)
    fast = dc.predict(problem, n=20, m=40, s=10)
    assert ball.tau2.lo <= fast.tau2 * (1 + 1e-13) and fast.tau2 * (1 - 1e-13) <= ball.tau2.hi
    assert fast.tau2 == pytest.approx(42.09, abs=0.01)
    exact = dc.predict(problem, n=20, m=40, s=10, dps=20)  # formerly an mpmath ValueError
    assert ball.tau2.contains(exact.tau2)
    for name in ALL:
        # Magnitude pruning sets its threshold within a few sd of the huge coordinate's mean, where
        # sd / mean is about 1e-10: float64 resolves the keep probability to ~1e-16 / 1e-10 = 1e-6.
        assert fast[name] == pytest.approx(float(exact[name]), rel=1e-5 if name.startswith("magnitude") else 1e-9), name


def test_hessian_risk_with_one_huge_eigenvalue_agrees_with_30_digits():
    # The pruned error kept almost surely (sd << |beta|) was M2 - 2 beta M1 + beta^2: 1e20 times a
    # cancellation. float64 must agree with the 30-digit route.
    lam = np.ones(20)
    lam[0] = 1e20
    problem = dc.LGP(eigenvalues=lam, beta=np.ones(20), sigma=0.5)
    fast, exact = risks(dc.predict(problem, n=5, m=10, s=3)), risks(dc.predict(problem, n=5, m=10, s=3, dps=30))
    for name in ALL:
        assert fast[name] == pytest.approx(exact[name], rel=1e-9), name


# -- scale --------------------------------------------------------------------------


@pytest.mark.parametrize("scale", [1e-150, 1e-100, 1e100, 1e150])
def test_risks_are_homogeneous_of_degree_two_in_beta_and_sigma(scale):
    lam = dc.power_law(30, 1.0)
    beta = 1 + 0.5 * np.cos(np.arange(30))
    base = dc.predict(dc.LGP(eigenvalues=lam, beta=beta, sigma=0.3), n=10, s=8)
    scaled = dc.predict(dc.LGP(eigenvalues=lam, beta=beta * scale, sigma=0.3 * scale), n=10, s=8)
    for name in ALL:
        assert scaled[name] == pytest.approx(base[name] * scale**2, rel=1e-12), name
    assert scaled.xi == pytest.approx(base.xi, rel=1e-12)


def test_eigenvalue_scale_leaves_the_risks_invariant_when_beta_compensates():
    # (lambda, beta) -> (c lambda, beta / sqrt(c)) is the same problem: same risks.
    lam = dc.power_law(30, 1.0)
    beta = 1 + 0.5 * np.cos(np.arange(30))
    base = dc.risk_curve(dc.LGP(eigenvalues=lam, beta=beta, sigma=0.3), n=10, s=8, m=[5, 20, 30])
    for c in (1e-250, 1e250):
        scaled = dc.risk_curve(
            dc.LGP(eigenvalues=lam * c, beta=beta / math.sqrt(c), sigma=0.3), n=10, s=8, m=[5, 20, 30]
        )
        for name in ALL:
            np.testing.assert_allclose(scaled.risks[name], base.risks[name], rtol=1e-12)
        np.testing.assert_allclose(scaled.xi[1:] * c, base.xi[1:], rtol=1e-12)


def test_tiny_and_huge_coefficients_at_30_digits_are_exactly_homogeneous():
    lam = dc.power_law(10, 1.0)
    base = risks(dc.predict(dc.LGP(eigenvalues=lam, beta=np.ones(10), sigma=0.0), n=5, s=3, dps=30))
    for scale in ("1e-200", "1e160"):
        beta = [float(scale)] * 10  # read back as the exact decimal of its repr
        got = dc.predict(dc.LGP(eigenvalues=lam, beta=beta, sigma=0.0), n=5, s=3, dps=30)
        for name in ALL:
            expected = mpmath.mpf(base[name]) * mpmath.mpf(scale) ** 2
            assert abs(got[name] / expected - 1) < 1e-12, name


@pytest.mark.parametrize("field", ["beta", "sigma"])
def test_risks_beyond_the_float64_range_are_refused_in_one_line(field):
    lam = dc.power_law(10, 1.0)
    kwargs = {"beta": np.ones(10) * (1e160 if field == "beta" else 1.0), "sigma": 1e160 if field == "sigma" else 0.5}
    with pytest.raises(dc.RegimeError, match="float64 range") as error:
        dc.predict(dc.LGP(eigenvalues=lam, **kwargs), n=5, s=3)
    assert "\n" not in str(error.value)


def test_large_n_tends_to_the_noise_free_limit():
    # n = 1e10, m = P = 10 least squares, beta = 1 (tied): the coordinates are beta + O(1e-5) noise and
    # s/m = 1/2, so each is kept with probability 1/2 and the magnitude risk tends to
    # sigma_D^2 + sum(lambda)/2 = 0.25 + H_10/2 (closed form); the oracle keeps the 3 largest lambda.
    lam = dc.power_law(10, 1.0)
    problem = dc.LGP(eigenvalues=lam, beta=np.ones(10), sigma=0.5)
    got = dc.predict(problem, n=10**10, s=5)
    harmonic = sum(1 / k for k in range(1, 11))
    assert got["magnitude"] == pytest.approx(0.25 + harmonic / 2, rel=1e-8)
    assert got["oracle"] == pytest.approx(0.25 + sum(1 / k for k in range(6, 11)), rel=1e-8)
    assert got["magnitude"] >= got["oracle"]


@pytest.mark.parametrize("n", [10**14, 10**30, 10**308])
def test_n_beyond_float64_resolution_gives_the_limit_or_a_one_line_refusal(n):
    # Tied coefficients (beta = 1, s/m = 1/2): the limit is 0.25 + H_10/2 (see above). float64 either
    # lands on it or refuses, naming the supported range; 40 digits resolve n = 1e30.
    problem = dc.LGP(eigenvalues=dc.power_law(10, 1.0), beta=np.ones(10), sigma=0.5)
    limit = 0.25 + sum(1 / k for k in range(1, 11)) / 2
    try:
        got = dc.predict(problem, n=n, s=5)
    except dc.RegimeError as error:
        assert "n <= 1e12" in str(error) and "\n" not in str(error)
    else:
        assert got["magnitude"] == pytest.approx(limit, rel=1e-9)
    if n == 10**30:
        exact = dc.predict(problem, n=n, s=5, dps=40)
        harmonic = sum(mpmath.mpf(1) / k for k in range(1, 11))
        assert abs(exact["magnitude"] - (mpmath.mpf("0.25") + harmonic / 2)) < 1e-12


@pytest.mark.parametrize("n", [10**30, 10**308])
def test_huge_n_with_distinct_coefficients_is_the_noise_free_limit(n):
    # Exact coefficients: magnitude and Hessian keep the s largest (here the same set as the oracle);
    # the risk is sigma^2 + the dropped saliency (closed form).
    beta = 1 + 0.5 * np.cos(np.arange(10))
    lam = dc.power_law(10, 1.0)
    got = dc.predict(dc.LGP(eigenvalues=lam, beta=beta, sigma=0.5), n=n, s=5)
    dropped = np.argsort(-np.abs(beta), kind="stable")[5:]
    assert got["magnitude"] == pytest.approx(0.25 + float(np.sum(lam[dropped] * beta[dropped] ** 2)), rel=1e-12)
    assert got["magnitude"] >= got["oracle"] * (1 - 1e-12)


def test_full_covariance_effective_noise_keeps_its_digits_when_d_explains_nearly_all_signal():
    # sigma_D^2 of a full covariance, with the coefficient outside D of 1e-6: the residual variance
    # (about 1e-12) is 1e-13 of beta^T Sigma beta (about 29). It is the quadratic form v^T Sigma v of the
    # residual coefficients, compared here with the same quantity at 60 digits (Sigma_DD^{-1} by LU in
    # mpmath, from the float64 inputs). Signal minus explained signal kept only 2 digits (5e-3).
    rng = np.random.default_rng(3)
    P = 6
    A = rng.normal(size=(P, P))
    Sigma = A.T @ A / P + np.eye(P)
    beta = rng.normal(size=P)
    beta[-1] = 1e-6
    problem = dc.LGP(covariance=Sigma, beta=beta, sigma=1e-8)
    D = np.arange(P - 1)
    effective = problem.effective(D)
    with mpmath.workdps(60):
        S = mpmath.matrix(Sigma.tolist())
        b = mpmath.matrix(beta.tolist())
        c = S * b
        beta_D = mpmath.lu_solve(
            mpmath.matrix([[S[i, j] for j in range(P - 1)] for i in range(P - 1)]),
            mpmath.matrix([c[i] for i in range(P - 1)]),
        )
        v = b.copy()
        for i in range(P - 1):
            v[i] -= beta_D[i]
        exact = mpmath.mpf(1e-8) ** 2 + (v.T * S * v)[0]
        assert exact < 1e-11 * problem.signal
        assert abs(effective.sigma2_D - exact) <= 1e-12 * exact
    # The dense least-squares risk (m < n - 1) is sigma_D^2 (n - 1) / (n - m - 1).
    risk = dc.predict(problem, n=20, m=P - 1, s=2, method="sampling", samples=200, rng=np.random.default_rng(0))[
        "dense"
    ]
    assert risk == pytest.approx(float(exact) * 19 / 14, rel=1e-12)


def test_a_problem_keeps_read_only_copies_of_its_inputs():
    # Effective problems, Sigma beta and the signal are cached on the problem: changing an input in place
    # afterwards would leave them stale, so the problem's arrays are read-only copies and sigma a property.
    eigenvalues, beta = np.array([2.0, 1.0, 0.5]), np.array([1.0, -1.0, 0.5])
    problem = dc.LGP(eigenvalues=eigenvalues, beta=beta, sigma=0.1)
    before = problem.effective([0, 1]).sigma2_D
    eigenvalues[2], beta[2] = 50.0, 3.0  # the caller's arrays stay theirs
    assert problem.effective([0, 1]).sigma2_D == before == pytest.approx(0.1**2 + 0.5 * 0.5**2, rel=1e-15)
    for array in (problem.eigenvalues, problem.beta):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0.0
    with pytest.raises(AttributeError):
        problem.sigma = 1.0
    full = dc.LGP(covariance=[[2.0, 0.5], [0.5, 1.0]], beta=[1.0, 1.0])
    with pytest.raises(ValueError, match="read-only"):
        full.covariance[0, 0] = 5.0


def test_eigenvalues_near_the_underflow_limit_that_carry_the_interpolation():
    # rank(Sigma) > n only with the eigenvalues of 1e-308: the minimum-norm fit leans on them, and xi is
    # huge. Float64 refuses in one line and points to dps:
    # * four of them (rank = n + 2): xi is about 1e308, beyond the float64 range; dps computes it, checked
    #   here against the xi equation at 50 digits (inputs read as the decimals they print as, as dps does);
    # * one (rank = n + 1): the xi equation is exactly 0 in float64 from xi = 1e17 to 1e290 (the unit
    #   eigenvalues' terms round to 1, the tiny one's to 0), and at 30 digits too: float64 used to return the
    #   middle of its bracket (4.5e153, 7x too small), and dps=30 "confirmed" it from that seed. Both now
    #   refuse: float64 with RegimeError, dps with PrecisionError (its two precisions disagree).
    beta = np.linspace(1.0, 2.0, 14)
    carried = dc.LGP(eigenvalues=[1.0] * 10 + [1e-308] * 4, beta=beta, sigma=0.5)
    with pytest.raises(dc.RegimeError, match=r"float64 cannot resolve xi.*use dps"):
        dc.predict(carried, n=12, s=3)
    exact = dc.predict(carried, n=12, s=3, dps=30)
    assert exact.xi > 1e307 and all(exact[name] > 0 for name in ALL)
    with mpmath.workdps(50):
        xi = mpmath.mpf(exact.xi)
        residual = mpmath.fsum(xi * x / (1 + xi * x) for x in carried.exact("eigenvalues")) - 12
        assert abs(residual) < mpmath.mpf(10) ** -25 * 12
    flat = dc.LGP(eigenvalues=[*list(np.linspace(1.0, 2.0, 13)), 1e-308], beta=beta, sigma=0.5)
    with pytest.raises(dc.RegimeError, match=r"float64 cannot resolve xi.*use dps"):
        dc.predict(flat, n=13, s=3)
    with pytest.raises(dc.PrecisionError, match="not confirmed"):
        dc.predict(flat, n=13, s=3, dps=30)


def test_thirty_digits_with_two_eigenvalues_near_the_underflow_limit_in_d():
    # Two eigenvalues of 1e-308 among the 6 trained features (n = 3, s = 5): their coordinates have sds
    # near 1e-155, and the keep-sum drops by both at once around t of that size. The float64 threshold
    # (sds floored at 1e-150) is no root at 30 digits, and mpmath's bracketing of [0, high] stopped on its
    # absolute step test at once (a ValueError from inside mpmath). The 30-digit route now brackets the
    # root's decade and agrees with float64 to 1e-9 in every strategy (the tiny coordinates carry 1e-308 of
    # the risk).
    lam = [
        0.9374597881465124,
        0.6569747188733176,
        1e-308,
        1.8870935508851774,
        1e-308,
        0.19225792377167103,
        4.7205514803966775,
        0.24413577575970372,
    ]
    beta = [
        0.2993820298150113,
        0.676069425508605,
        0.926170550442235,
        0.32390786256503823,
        0.8344463166707718,
        0.33772772057102657,
        0.3820007929967236,
        0.9519321847644635,
    ]
    problem = dc.LGP(eigenvalues=lam, beta=beta, sigma=1.6260091971577015)
    fast, exact = dc.predict(problem, 3, 6, 5), dc.predict(problem, 3, 6, 5, dps=30)
    for name in ALL:
        assert float(exact[name]) == pytest.approx(fast[name], rel=1e-9), name
