"""Risk predictions: docs/theory.md's reference numbers, properties, routes agreeing, and Monte Carlo."""

import mpmath
import numpy as np
import pytest

import dctheory as dc
from dctheory import risks
from dctheory.errors import ConfigError

#: the strategies a high-precision prediction verifies (the sample-diagonal Hessian rule is float64 only)
VERIFIED = [name for name in dc.STRATEGIES if name not in ("hessian", "hessian_retrained")]


@pytest.fixture(scope="module")
def spiked_problem():
    # docs/theory.md#claims, setting (b): P = 500, spiked Sigma (k = 60, C = 10), beta = 1, sigma = 0.
    return dc.LGP(eigenvalues=dc.spiked(500, 60, 10.0), beta=np.ones(500), sigma=0.0)


def test_reference_numbers_of_theory_section_7(spiked_problem):
    pred = dc.predict(spiked_problem, n=150, m=500, s=120)
    quoted = {"hessian_population": 548.9, "hessian": 549.2, "oracle": 571.5, "magnitude": 654.3, "dense": 481.1}
    for name, value in quoted.items():
        assert round(pred[name], 1) == value
    curve = dc.risk_curve(spiked_problem, n=150, s=120)
    small = curve.m < 149
    assert round(curve.risks["dense"][small].min(), 1) == 736.6
    assert round(np.nanmin(curve.risks["hessian_population_retrained"]), 1) == 736.6
    assert curve.undefined == [149, 150]


def test_curve_agrees_with_single_predictions(spiked_problem):
    curve = dc.risk_curve(spiked_problem, n=150, s=120, m=[30, 100, 140, 151, 200, 500])
    for index, m in enumerate(curve.m):
        pred = dc.predict(spiked_problem, n=150, m=int(m), s=120)
        for name in dc.STRATEGIES:
            assert curve.risks[name][index] == pytest.approx(pred[name], rel=1e-12)


def test_atoms_split_by_the_oracle_set_give_the_curve_of_the_tie_broken_problem(spiked_problem):
    # D* (s = 120) is the 60 spikes and the first 60 flat features: equal (lambda, beta) on both sides of it
    # share an atom, and the oracle risk takes the fraction of each atom's first m copies in D*. Lowering
    # beta outside D* by 1e-12 (D* unchanged) makes them separate atoms; every risk moves by about 2e-12.
    beta = np.ones(500)
    beta[120:] *= 1 - 1e-12
    separate = dc.LGP(eigenvalues=spiked_problem.eigenvalues, beta=beta, sigma=0.0)
    assert np.array_equal(np.sort(separate.oracle_set(120)), np.sort(spiked_problem.oracle_set(120)))
    merged, split = dc.risk_curve(spiked_problem, n=150, s=120), dc.risk_curve(separate, n=150, s=120)
    assert np.array_equal(merged.m, split.m)
    for name in dc.STRATEGIES:
        np.testing.assert_allclose(merged.risks[name], split.risks[name], rtol=1e-11)
    for m in (130, 151, 300, 500):
        assert dc.predict(spiked_problem, n=150, m=m, s=120)["oracle"] == pytest.approx(
            dc.predict(separate, n=150, m=m, s=120)["oracle"], rel=1e-11
        )


def test_high_precision_agrees_with_float64(spiked_problem):
    fast = dc.predict(spiked_problem, n=150, m=300, s=120)
    exact = dc.predict(spiked_problem, n=150, m=300, s=120, dps=25)
    for name in VERIFIED:
        assert float(exact[name]) == pytest.approx(fast[name], rel=1e-9)


def test_oracle_risk_is_non_increasing_in_s_when_coordinates_are_signal_dominated(spiked_problem):
    values = [dc.predict(spiked_problem, n=150, m=500, s=s)["oracle"] for s in range(10, 500, 30)]
    assert np.all(np.diff(values) <= 1e-9)


def test_oracle_increments_have_the_sign_the_law_predicts():
    # Keeping coordinate i changes the risk by lam_i (varsigma_i^2 - beta_i^2 a_i (2 - a_i)) (mu_i = a_i beta_i):
    # noise-dominated coordinates make the oracle risk *increase* with s, so monotonicity is not general.
    rng = np.random.default_rng(0)
    lam, beta = rng.uniform(0.1, 3, 200), rng.normal(size=200)
    problem = dc.LGP(eigenvalues=lam, beta=beta, sigma=0.3)
    law = dc.dc_law(problem, 80, 200)
    a = law.mean / np.where(beta != 0, beta, 1)
    change = lam * (law.sd**2 - beta**2 * a * (2 - a))
    order = problem.oracle_set(200)[np.argsort(-problem.saliency, kind="stable")]
    risks = [dc.predict(problem, n=80, m=200, s=s)["oracle"] for s in range(1, 201)]
    assert np.allclose(np.diff(risks), change[order[1:]], rtol=1e-9, atol=1e-12)
    assert (np.diff(risks) > 0).any() and (np.diff(risks) < 0).any()


def test_predictions_invariant_under_permuting_features():
    rng = np.random.default_rng(1)
    lam, beta = rng.uniform(0.1, 3, 120), rng.normal(size=120)
    order = rng.permutation(120)
    a = dc.predict(dc.LGP(eigenvalues=lam, beta=beta, sigma=0.2), n=50, s=30)
    b = dc.predict(dc.LGP(eigenvalues=lam[order], beta=beta[order], sigma=0.2), n=50, s=30)
    for name in dc.STRATEGIES:
        if name != "oracle":  # D* breaks ties of the saliency in feature order
            assert a[name] == pytest.approx(b[name], rel=1e-10), name


def test_identity_covariance_makes_hessian_equal_magnitude():
    problem = dc.LGP(eigenvalues=np.ones(300), beta=np.r_[np.ones(30), np.zeros(270)], sigma=0.5)
    pred = dc.predict(problem, n=100, s=40)
    assert pred["hessian_population"] == pytest.approx(pred["magnitude"], rel=1e-12)


def test_dc_sampling_agrees_with_closed_forms(spiked_problem):
    closed = dc.predict(spiked_problem, n=150, m=400, s=120)
    sampled = dc.predict(
        spiked_problem, n=150, m=400, s=120, method="sampling", samples=400, rng=np.random.default_rng(5)
    )
    for name in ("dense", "magnitude", "hessian", "hessian_population", "oracle", "random"):
        # Top-s vs threshold rule differ at finite size (docs/theory.md#thresholded-risk): allow 4 s.e. plus 1%.
        assert abs(sampled[name] - closed[name]) <= 4 * sampled.stderr[name] + 0.01 * closed[name]
    for name in ("magnitude_retrained", "hessian_retrained", "hessian_population_retrained"):
        assert abs(sampled[name] - closed[name]) <= 4 * sampled.stderr[name] + 0.02 * closed[name]


def simulate_magnitude(problem, n, m, s, trials, rng):
    """Independent simulator: min-norm interpolation w = X^T (X X^T)^{-1} y (m > n), then top-s by |w|."""
    sd = np.sqrt(problem.eigenvalues)
    risks = []
    for _ in range(trials):
        X = rng.standard_normal((n, problem.P)) * sd
        y = X @ problem.beta + problem.sigma * rng.standard_normal(n)
        w = np.zeros(problem.P)
        X_D = X[:, :m]
        w[:m] = X_D.T @ np.linalg.solve(X_D @ X_D.T, y)
        w[np.argsort(-np.abs(w))[s:]] = 0.0
        risks.append(problem.risk(w))
    return np.asarray(risks)


def test_magnitude_pruning_risk_against_monte_carlo():
    # Sigma = diag(v) spiked, kappa = 3, far from the peak: |z| <= 4 with z = (theory - mean)/s.e.
    problem = dc.LGP(eigenvalues=dc.spiked(300, 30, 5.0), beta=np.ones(300) * 0.2, sigma=0.5)
    risks = simulate_magnitude(problem, n=100, m=300, s=40, trials=300, rng=np.random.default_rng(11))
    theory = dc.predict(problem, n=100, m=300, s=40)["magnitude"]
    z = (theory - risks.mean()) / (risks.std(ddof=1) / np.sqrt(risks.size))
    assert abs(z) <= 4, z


def test_full_covariance_needs_sampling_and_reports_stderr():
    problem = dc.LGP(covariance=dc.toeplitz(80, 0.5), beta=np.ones(80) / 9, sigma=0.3)
    pred = dc.predict(problem, n=30, m=80, s=20, samples=200)
    assert pred.method == "sampling" and pred.stderr["magnitude"] > 0
    with pytest.raises(dc.ConfigError, match="diagonal"):
        dc.predict(problem, n=30, s=20, method="closed")
    with pytest.raises(dc.ConfigError, match="diagonal"):
        dc.predict(problem, n=30, s=20, dps=20)


def test_rank_one_lemma_against_monte_carlo_and_high_precision():
    zeta = np.array([2.0, -1.5, 1.0, 0.5, 0.25])
    beta = np.array([0.3, 0.1, -0.2, 0.4, 0.0])
    n, sigma, s = 12, 0.7, 2
    result = dc.rank_one(zeta, beta, n, sigma, s)
    rng = np.random.default_rng(3)
    g = rng.standard_normal((200_000, n))
    y = g * float(zeta @ beta) + sigma * rng.standard_normal((200_000, n))
    a_hat = (g * y).sum(1) / (g**2).sum(1)
    c, rho = float(zeta @ beta), result.rho
    pruned = (c - rho * a_hat) ** 2
    retrained = (c - a_hat) ** 2
    for value, sample in ((result.pruned_excess, pruned), (result.retrained_excess, retrained)):
        assert abs(value - sample.mean()) < 4 * sample.std() / np.sqrt(sample.size)
    exact = dc.rank_one(zeta, beta, n, sigma, s, dps=40)
    with mpmath.workdps(45):
        assert abs(exact.retrained_excess - mpmath.mpf("0.49") / 10) < mpmath.mpf(10) ** -40
    assert list(result.support) == [0, 1]


def test_random_features_analytic_equivalent_matches_monte_carlo():
    rng = np.random.default_rng(4)
    d, P = 6, 8
    W = rng.standard_normal((P, d)) / np.sqrt(d)
    beta_star = np.ones(d) / np.sqrt(d)
    analytic = dc.random_features_lgp(W, beta_star)
    estimate, stderr = dc.random_features_lgp_monte_carlo(W, beta_star, samples=200_000, rng=rng)
    assert np.all(np.abs(analytic.covariance - estimate.covariance) < 5 * stderr + 1e-12)
    assert analytic.sigma == pytest.approx(estimate.sigma, rel=0.05)


def _distinct_with_zeros(P=160):
    # A power law with P distinct eigenvalues, every 11th one zero, and random beta.
    rng = np.random.default_rng(3)
    lam = dc.power_law(P, 1.0)
    lam[5::11] = 0.0
    return dc.LGP(eigenvalues=lam, beta=rng.normal(size=P) / np.sqrt(P), sigma=0.2)


def _edge_m(problem, n, s):
    """m on the edges: rank s + 1 (one weight to prune), rank n - 2 and n + 1 (next to the
    interpolation threshold), a middle m and m = P."""
    rank = np.cumsum(problem.eigenvalues > 0)
    first = lambda r: int(np.argmax(rank == r)) + 1  # noqa: E731
    return sorted({first(s + 1), first(n - 2), first(n + 1), (problem.P + n) // 2, problem.P})


@pytest.mark.parametrize("case", ["distinct", "distinct-ridge", "spiked", "spiked-ridge"])
def test_exactness_curve_warm_started_solves_match_verified_high_precision(case):
    # risk_curve over all m solves its thresholds and xi by Newton steps started from splines through
    # neighbouring m; predict(dps=20) solves each m on its own in mpmath, with its digits verified
    # (dctheory.engines.verified). Float64 agreement to 1e-10 relative means the fast path lost nothing.
    n, s = 60, 45
    if case.startswith("distinct"):
        problem = _distinct_with_zeros()
    else:
        problem = dc.LGP(eigenvalues=dc.spiked(160, 20, 10.0), beta=np.ones(160), sigma=0.2)
    ridge = 0.05 if case.endswith("ridge") else 0.0
    curve = dc.risk_curve(problem, n=n, s=s, ridge=ridge)
    assert curve.m.size > 150  # the batched path (spline seeds, Newton), not the few-row path
    for m in _edge_m(problem, n, s):
        index = int(np.searchsorted(curve.m, m))
        assert curve.m[index] == m
        exact = dc.predict(problem, n=n, m=m, s=s, ridge=ridge, dps=20)
        for name in VERIFIED:
            if exact[name] is None:
                assert np.isnan(curve.risks[name][index])
            else:
                assert curve.risks[name][index] == pytest.approx(float(exact[name]), rel=1e-10), (m, name)


def test_exactness_curve_does_not_depend_on_the_order_of_m():
    # The warm starts follow m; rows given shuffled, repeated or alone must give the same numbers.
    problem = _distinct_with_zeros()
    ms = np.arange(1, problem.P + 1)
    reference = dc.risk_curve(problem, n=60, s=45, ridge=0.01, m=ms)
    shuffled = np.random.default_rng(0).permutation(np.concatenate([ms, ms[::7]]))
    curve = dc.risk_curve(problem, n=60, s=45, ridge=0.01, m=shuffled)
    position = np.searchsorted(reference.m, curve.m)
    for name in dc.STRATEGIES:
        np.testing.assert_allclose(curve.risks[name], reference.risks[name][position], rtol=1e-12)


@pytest.mark.parametrize("m", [100, 149 - 12, 200, 500])
def test_high_precision_groups_equal_coordinates_without_changing_digits(m):
    # predict(dps=...) evaluates each distinct (eigenvalue, coefficient, oracle membership) once, weighted
    # by its multiplicity. Spelling equal inputs differently ("10" and "10.0", "1" and "1.0") splits those
    # atoms in two, interleaved in feature order; both groupings must give the same 30 digits.
    from decimal import Decimal

    P, k = 500, 60
    grouped = dc.LGP(eigenvalues=dc.spiked(P, k, 10.0), beta=np.ones(P), sigma=0.3)
    spelled = [(10 if i % 2 else 10.0) if i < k else (Decimal("1") if i % 3 else 1.0) for i in range(P)]
    split = dc.LGP(eigenvalues=spelled, beta=[1 if i % 5 else 1.0 for i in range(P)], sigma=0.3)
    a = dc.predict(grouped, n=150, m=m, s=120, dps=30)
    b = dc.predict(split, n=150, m=m, s=120, dps=30)
    with mpmath.workdps(40):
        for name in VERIFIED:
            assert abs(a[name] - b[name]) <= mpmath.mpf(10) ** -28 * abs(a[name]), name


def _chunk_cases():
    P = 600
    rng = np.random.default_rng(0)
    with_zeros = np.r_[dc.power_law(P - 100, 1.0), np.zeros(100)][rng.permutation(P)]
    return {
        "distinct": (dc.LGP(eigenvalues=dc.power_law(P, 1.0), beta=np.cos(np.arange(P)), sigma=0.3), 160, 120, 0.0),
        "spiked": (dc.LGP(eigenvalues=dc.spiked(P, 40, 10.0), beta=np.ones(P), sigma=0.1), 120, 100, 0.0),
        "ridge": (dc.LGP(eigenvalues=dc.power_law(P, 1.5), beta=np.ones(P), sigma=0.2), 120, 80, 0.01),
        "noise-free": (dc.LGP(eigenvalues=dc.power_law(P, 1.0), beta=np.ones(P), sigma=0.0), 120, 80, 0.0),
        "zero eigenvalues": (dc.LGP(eigenvalues=with_zeros, beta=np.ones(P), sigma=0.1), 120, 80, 0.0),
    }


@pytest.mark.parametrize("case", list(_chunk_cases()))
def test_exactness_curve_in_chunks_of_m_equals_the_whole_batch(case, monkeypatch):
    """A curve evaluated in chunks of consecutive m, each on the atoms its largest m uses (the rest of the signal
    folded into the noise), gives every row's numbers of the whole batch to 1e-13 relative (the chunks change the
    first guesses of the root solves and the order of one sum)."""
    from dctheory import risks

    problem, n, s, ridge = _chunk_cases()[case]
    whole = dc.risk_curve(problem, n=n, s=s, ridge=ridge)
    atoms = risks._atoms(problem, s).lam.size
    monkeypatch.setattr(risks, "CURVE_CHUNK_CELLS", problem.P * atoms // 8)  # at least 8 chunks
    chunked = dc.risk_curve(problem, n=n, s=s, ridge=ridge)
    assert chunked.m.tolist() == whole.m.tolist() and chunked.undefined == whole.undefined
    assert chunked.notes == whole.notes
    for name, a, b in [*((k, whole.risks[k], chunked.risks[k]) for k in whole.risks), ("xi", whole.xi, chunked.xi)]:
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=name)
        ok = ~np.isnan(a)
        np.testing.assert_allclose(b[ok], a[ok], rtol=1e-13, atol=0, err_msg=name)


def test_problem_built_from_float_arrays_prints_each_float_as_its_repr():
    """The decimal strings of binary-float inputs (made on first use) are each float's repr, as for a list."""
    values = np.array([0.1, 3.0, 1e-300, 2.5e10, 1 / 3])
    from_array = dc.LGP(eigenvalues=values, beta=values.astype(np.float32), sigma=0.1)
    from_list = dc.LGP(eigenvalues=values.tolist(), beta=[float(x) for x in values.astype(np.float32)], sigma=0.1)
    for name in ("eigenvalues", "beta", "sigma"):
        assert from_array.decimal(name) == from_list.decimal(name)
    assert from_array.decimal("eigenvalues") == ["0.1", "3.0", "1e-300", "25000000000.0", "0.3333333333333333"]
    with mpmath.workdps(30):
        assert from_array.exact("eigenvalues")[0] == mpmath.mpf(1) / 10


def _curve_peak_bytes(P: int) -> int:
    """tracemalloc's peak of risk_curve at 50 m on a distinct power law of P features, in a fresh interpreter."""
    import subprocess
    import sys

    code = (
        "import tracemalloc, numpy as np, dctheory as dc\n"
        f"P = {P}\n"
        "p = dc.LGP(eigenvalues=dc.power_law(P, 1.0), beta=np.ones(P), sigma=0.1)\n"
        "m = np.unique(np.linspace(1, P, 50).astype(int))\n"
        "tracemalloc.start()\n"
        "dc.risk_curve(p, n=int(0.3 * P), s=int(0.24 * P), m=m)\n"
        "print(tracemalloc.get_traced_memory()[1])\n"
    )
    return int(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)


@pytest.mark.slow
def test_curve_memory_grows_by_a_few_vectors_per_feature_not_by_a_row_per_m():
    """Peak memory of a 50-point curve: going from P = 1e5 to 3e5 adds at most 400 bytes per feature (a few
    P-length vectors). Holding (m, atom) arrays for every m at once adds about 50 x 8 bytes per array per feature
    (measured: 3.2 kB per feature before the curve was evaluated in chunks of m)."""
    low, high = _curve_peak_bytes(100_000), _curve_peak_bytes(300_000)
    assert (high - low) / 200_000 <= 400


# -- the finite-n ridge prediction (docs/theory.md#finite-size, ridge) ------------------------------------------
# A spectrum log-uniform on [0.1, 10] with Gaussian coefficients, in random order (P = 400, n = 120, sigma = 1).


def _log_uniform_problem():
    rng = np.random.default_rng(7)
    return dc.LGP(eigenvalues=10 ** rng.uniform(-1, 1, 400), beta=rng.standard_normal(400), sigma=1.0)


@pytest.mark.parametrize("m", [60, 100, 116, 117, 122, 124, 200, 400])
def test_exactness_ridge_prediction_is_continuous_at_zero_in_both_regimes(m):
    # Below the threshold (m < n - 1) ridge 0 is the exact least-squares form sigma_D^2 (n - 1)/(n - m - 1)
    # and its law, above it (m > n) Def. 4: a ridge of 1e-12 moves every strategy by less than 1e-6.
    problem, n, s = _log_uniform_problem(), 120, 40
    ridgeless = dc.predict(problem, n=n, m=m, s=s)
    tiny = dc.predict(problem, n=n, m=m, s=s, ridge=1e-12)
    for name in dc.STRATEGIES:
        assert tiny[name] == pytest.approx(ridgeless[name], rel=1e-6), name


@pytest.mark.parametrize("m", [100, 200])
def test_exactness_ridge_routes_agree_near_zero(m):
    # mpmath (20 verified digits) and the dense risk of DC sampling, at ridge 1e-12 against ridgeless float64.
    problem, n, s = _log_uniform_problem(), 120, 40
    ridgeless = dc.predict(problem, n=n, m=m, s=s)
    exact = dc.predict(problem, n=n, m=m, s=s, ridge=1e-12, dps=20)
    sampled = dc.predict(problem, n=n, m=m, s=s, ridge=1e-12, method="sampling", samples=50)
    for name in dc.STRATEGIES:
        if exact[name] is None:  # the sample-diagonal rule is predicted in float64 only, with a note
            assert name in ("hessian", "hessian_retrained") and name in exact.notes, name
            continue
        assert float(exact[name]) == pytest.approx(ridgeless[name], rel=1e-6), name
    assert sampled["dense"] == pytest.approx(ridgeless["dense"], rel=1e-6)


def _ridge_monte_carlo(problem, n, m, ridges, trials, seed):
    """Mean and standard error over designs X of the ridge fit's risk on the first m features, with the label
    noise integrated exactly given X: sigma_D^2 + sum_i lambda_i (E[w_i | X] - beta_i)^2
    + sigma_D^2 sum_i lambda_i Var-factor_i(X), from one SVD of X per trial."""
    lam, beta = problem.eigenvalues[:m], problem.beta[:m]
    sigma2_D = problem.sigma**2 + np.sum(problem.eigenvalues[m:] * problem.beta[m:] ** 2)
    rng = np.random.default_rng(seed)
    risks = {ridge: [] for ridge in ridges}
    for _ in range(trials // 250):
        X = rng.standard_normal((250, n, m)) * np.sqrt(lam)
        _, S, Vt = np.linalg.svd(X, full_matrices=False)
        Vb = np.einsum("tki,i->tk", Vt, beta)
        for ridge in ridges:
            f = S / (S**2 + n * ridge)  # w = V diag(S / (S^2 + n ridge)) U^T y
            mean = np.einsum("tki,tk->ti", Vt, f * S * Vb)
            variance = sigma2_D * np.einsum("i,tki,tk->t", lam, Vt**2, f**2)
            risks[ridge].append(sigma2_D + np.sum(lam * (mean - beta) ** 2, axis=1) + variance)
    return {r: (np.mean(np.concatenate(v)), np.std(np.concatenate(v)) / np.sqrt(trials)) for r, v in risks.items()}


def test_statistics_small_ridges_below_the_threshold_agree_with_monte_carlo_as_ridge_zero_does():
    # m = 100 < n = 120. Measured (2000 designs): ridge 0 +0.07%, 1e-3 -0.27%, 1e-2 -0.23%, 0.1 -0.03%, 1 0.00%
    # (simulation / prediction - 1; standard errors 0.16%, 0.10%, 0.04%, 0.016%, 0.015%). Tolerance: 4 standard
    # errors plus 0.5% of the prediction (the O(1/n) allowance of the ridge form; n = 120). The limit form
    # (Def. 4 with n, the prediction before n_lambda) misses at ridge 1e-3 by +2.8%, beyond that tolerance.
    from dctheory.solvers import solve_xi, tau2

    problem, n, m = _log_uniform_problem(), 120, 100
    ridges = [0.0, 1e-3, 1e-2, 0.1, 1.0]
    simulated = _ridge_monte_carlo(problem, n, m, ridges, trials=1500, seed=1)
    effective = problem.effective(m)
    for ridge in ridges:
        mean, se = simulated[ridge]
        predicted = dc.predict(problem, n=n, m=m, s=50, ridge=ridge)["dense"]
        assert abs(mean - predicted) <= 4 * se + 5e-3 * predicted, (ridge, mean, se, predicted)
        if ridge == 1e-3:
            lam, b, sigma2 = effective.eigenvalues, effective.b, effective.sigma2_D
            limit_form = float(tau2(solve_xi(lam, n, ridge), lam, b, sigma2, n, ridge))
            assert abs(mean - limit_form) > 4 * se + 5e-3 * limit_form


@pytest.mark.parametrize("ridge", [0.0, 0.1])
def test_closed_risks_of_chosen_rules_are_those_of_all_rules_bit_for_bit(ridge):
    """Evaluating only some pruning rules (as pruning in rounds does) leaves out the others and their retraining,
    and changes no number of the rest in a batch of several rows (a single row retrains the rules that keep the
    same atoms in one stacked solve, so there a retrained risk may differ in its last bit)."""
    from dctheory.risks import closed_risks
    from dctheory.strategies import RULES, retrained

    rng = np.random.default_rng(3)
    P = 150
    problem = dc.LGP(eigenvalues=np.exp(rng.uniform(-2, 2, P)), beta=rng.standard_normal(P), sigma=0.5)
    supports = np.sort(np.stack([rng.choice(P, 70, replace=False) for _ in range(6)]), axis=1)
    every, _ = closed_risks(problem, supports, 50, 20, ridge)
    names = [rule.name for rule in RULES]
    for name in names:
        chosen, _ = closed_risks(problem, supports, 50, 20, ridge, rules=(name,))
        others = {other for other in names if other != name} | {retrained(o) for o in names if o != name}
        assert set(chosen) == set(every) - others
        for key, values in chosen.items():
            np.testing.assert_array_equal(values, every[key], err_msg=key)


@pytest.mark.parametrize("ridge", [0.0, 0.1])
@pytest.mark.parametrize("chunk_cells", [None, 4096])
def test_risk_curve_of_chosen_rules_is_that_of_all_rules_bit_for_bit(ridge, chunk_cells, monkeypatch):
    """A curve of some pruning rules leaves out the others and their retraining and changes no number of the
    rest, in one evaluation and in chunks of m (the chunks' threshold starts are extrapolated per rule)."""
    from dctheory.strategies import RULES, retrained

    if chunk_cells is not None:
        monkeypatch.setattr(risks, "CURVE_CHUNK_CELLS", chunk_cells)
    rng = np.random.default_rng(4)
    P = 120
    problem = dc.LGP(eigenvalues=np.exp(rng.uniform(-2, 2, P)), beta=rng.standard_normal(P), sigma=0.5)
    every = dc.risk_curve(problem, n=40, s=25, ridge=ridge)
    names = [rule.name for rule in RULES]
    for chosen in [(name,) for name in names] + [("magnitude", "hessian"), ()]:
        curve = dc.risk_curve(problem, n=40, s=25, ridge=ridge, rules=chosen)
        others = {name for name in names if name not in chosen}
        assert set(curve.risks) == set(every.risks) - others - {retrained(name) for name in others}
        np.testing.assert_array_equal(curve.m, every.m)
        for key, values in curve.risks.items():
            np.testing.assert_array_equal(values, every.risks[key], err_msg=f"{chosen}: {key}")


@pytest.mark.parametrize("rules", [("magnitud",), "every", 3, ["hessian", None]])
def test_risk_curve_refuses_unknown_rules(rules):
    problem = dc.LGP(eigenvalues=np.ones(20), beta=np.ones(20), sigma=0.5)
    with pytest.raises(ConfigError, match=r"rules = .*among magnitude, hessian, hessian_population"):
        dc.risk_curve(problem, n=10, s=5, rules=rules)


_RULE_CHOICES = [("magnitude",), ("hessian",), ("hessian_population",), ("magnitude", "hessian"), ()]


def _left_out_of(chosen):
    from dctheory.strategies import RULES, retrained

    others = [rule.name for rule in RULES if rule.name not in chosen]
    return set(others) | {retrained(name) for name in others}


@pytest.mark.parametrize("ridge", [0.0, 0.1])
@pytest.mark.parametrize("levels", [2, 300])
def test_predict_of_chosen_rules_is_that_of_all_rules(ridge, levels, monkeypatch):
    """A prediction of some pruning rules leaves out the others and their retraining, and its other numbers are
    those of the prediction of every rule: bit for bit, but for fresh retraining, whose xi solves start from the
    roots of the rule solved before (to 1e-13 relative). Two levels take the scalar route (the batch route is
    made to fail, so that a decline of the scalar route shows), 300 distinct eigenvalues the batch route."""
    rng = np.random.default_rng(5)
    P = 300
    if levels == 2:  # two atoms (eigenvalue, coefficient)
        lam, beta = np.where(np.arange(P) < 40, 4.0, 1.0), np.where(np.arange(P) < 40, 1.0, 0.5)
    else:
        lam, beta = np.exp(rng.uniform(-2, 2, P)), rng.standard_normal(P)
    problem = dc.LGP(eigenvalues=lam, beta=beta, sigma=0.5)
    every = dc.predict(problem, n=100, s=60, ridge=ridge)
    if levels == 2:

        def no_batch(*args, **kwargs):
            raise AssertionError("the scalar route declined")

        monkeypatch.setattr(risks, "_batch", no_batch)
    for chosen in [*_RULE_CHOICES, "magnitude"]:
        names = (chosen,) if isinstance(chosen, str) else chosen
        some = dc.predict(problem, n=100, s=60, ridge=ridge, rules=chosen)
        assert set(some.risks) == set(every.risks) - _left_out_of(names)
        assert (some.xi, some.tau2) == (every.xi, every.tau2)
        for key, value in some.risks.items():
            if key.endswith("_retrained"):
                assert value == pytest.approx(every.risks[key], rel=1e-13), f"{chosen}: {key}"
            else:
                assert value == every.risks[key], f"{chosen}: {key}"


def test_predict_of_chosen_rules_at_dps_and_by_sampling():
    """At dps digits the chosen rules' risks are those of every rule to the digits asked (the sample-diagonal
    rule has none: its note stays); DC sampling drops the other rules' risks and standard errors and keeps the
    numbers of the same draws."""
    P = 200
    problem = dc.LGP(eigenvalues=np.where(np.arange(P) < 30, 4.0, 1.0), beta=np.ones(P), sigma=0.5)
    every = dc.predict(problem, n=90, s=50, dps=30)
    for chosen in _RULE_CHOICES:
        some = dc.predict(problem, n=90, s=50, dps=30, rules=chosen)
        assert set(some.risks) == set(every.risks) - _left_out_of(chosen)
        for key, value in some.risks.items():
            if value is None:
                assert every.risks[key] is None and some.notes[key] == every.notes[key]
            else:
                assert abs(value / every.risks[key] - 1) < mpmath.mpf(10) ** -29, key
    sampled = dc.predict(problem, n=90, s=50, method="sampling", samples=40, rng=np.random.default_rng(1))
    some = dc.predict(
        problem, n=90, s=50, method="sampling", samples=40, rng=np.random.default_rng(1), rules=("hessian",)
    )
    assert set(some.risks) == set(some.stderr) == set(sampled.risks) - _left_out_of(("hessian",))
    for key, value in some.risks.items():
        assert (value, some.stderr[key]) == (sampled.risks[key], sampled.stderr[key])


@pytest.mark.parametrize("rules", [("magnitud",), "every", 3, ["hessian", None]])
def test_predict_refuses_unknown_rules(rules):
    problem = dc.LGP(eigenvalues=np.ones(20), beta=np.ones(20), sigma=0.5)
    with pytest.raises(ConfigError, match=r"rules = .*among magnitude, hessian, hessian_population"):
        dc.predict(problem, n=10, s=5, rules=rules)


def _distinct_problem(P, seed=0):
    rng = np.random.default_rng(seed)
    lam = 10 ** rng.uniform(-3, 0, P)
    return dc.LGP(eigenvalues=lam, beta=rng.normal(size=P) / np.sqrt(P), sigma=0.1), P // 3, P // 4


def test_exactness_ball_evaluations_give_the_digits_of_plain_mpmath(monkeypatch):
    # predict(dps) evaluates the formulas with Gaussian tails in Arb balls (python-flint installed); with the
    # balls disabled every formula runs in mpmath: an independent evaluation, here at 20 more digits. The 40
    # verified digits agree. A ball guard of -60 bits makes every ball too wide to take, so the same
    # prediction runs on the fallback (mpmath again, value by value and sum by sum) and agrees too.
    pytest.importorskip("flint")
    from dctheory import backends

    problem, n, s = _distinct_problem(60)
    with monkeypatch.context() as patch:
        patch.setattr(risks, "_proven", lambda *args: None)  # the two solves (the route without the proof)
        balls = dc.predict(problem, n=n, s=s, dps=40)
        patch.setattr(backends, "BALL_GUARD_BITS", -60)
        fallback = dc.predict(problem, n=n, s=s, dps=40)
    with monkeypatch.context() as patch:
        patch.setattr(backends, "_FLINT", [None])
        plain = dc.predict(problem, n=n, s=s, dps=60)
    with mpmath.workdps(80):
        for name in VERIFIED:
            assert abs(balls[name] - plain[name]) <= mpmath.mpf(10) ** -40 * abs(plain[name]), name
            assert abs(fallback[name] - plain[name]) <= mpmath.mpf(10) ** -40 * abs(plain[name]), name


def test_exactness_remembered_tails_give_the_digits_of_plain_mpmath(monkeypatch):
    # At one precision the Newton steps, risks and kept counts of both threshold rules evaluate Gaussian
    # tails at nearly the same arguments; inside the prediction's memo most of them are Taylor continuations
    # of a remembered tail (dctheory.formula_runtime). The 40 verified digits agree with plain mpmath (no
    # balls, no memo) at 60 digits, the magnitude and Hessian-population rules and their retraining included.
    pytest.importorskip("flint")
    from dctheory import backends, formula_runtime

    continued = []
    original = formula_runtime._continued_tail

    def counted(x, entry, prec):
        out = original(x, entry, prec)
        continued.append(out is not None)
        return out

    problem, n, s = _distinct_problem(40, seed=2)
    with monkeypatch.context() as patch:
        patch.setattr(formula_runtime, "_continued_tail", counted)
        patch.setattr(risks, "_proven", lambda *args: None)  # the two solves (the route without the proof)
        remembered = dc.predict(problem, n=n, s=s, dps=40)
    assert sum(continued) > 40 * 2 * 2 * 2  # at least the risk and kept-count tails of both rules, both runs
    with monkeypatch.context() as patch:
        patch.setattr(backends, "_FLINT", [None])
        plain = dc.predict(problem, n=n, s=s, dps=60)
    with mpmath.workdps(80):
        for name in ("magnitude", "hessian_population", "magnitude_retrained", "hessian_population_retrained"):
            assert abs(remembered[name] - plain[name]) <= mpmath.mpf(10) ** -40 * abs(plain[name]), name


def test_exactness_doubling_newton_steps_give_the_digits_of_full_precision_steps(monkeypatch):
    # From 512 bits on, a float64 threshold is refined at doubling precision before the full-precision
    # Newton steps; with that switched off every step is at full precision. 300 verified digits agree.
    from dctheory import backends

    problem, n, s = _distinct_problem(30, seed=1)
    moved = []
    doubling = backends._doubling_steps

    def recorded(step, x, high):
        out = doubling(step, x, high)
        moved.append(out != x)
        return out

    with monkeypatch.context() as patch:
        patch.setattr(backends, "_doubling_steps", recorded)
        doubled = dc.predict(problem, n=n, s=s, dps=300)
    assert any(moved)  # the float64 starts were refined at fewer bits
    with monkeypatch.context() as patch:
        patch.setattr(backends, "DOUBLING_FROM_BITS", 10**9)
        full = dc.predict(problem, n=n, s=s, dps=320)
    with mpmath.workdps(340):
        for name in VERIFIED:
            if full[name] is None:  # retraining s features at this n is undefined in both
                assert doubled[name] is None, name
                continue
            assert abs(doubled[name] - full[name]) <= mpmath.mpf(10) ** -300 * abs(full[name]), name


def _routes_taken(patch):
    """Records, in order, what each prediction at dps did: "proof" (one pass in balls, every root enclosed and
    every output ball narrow enough), "uncertified" (that pass declined) and "two solves" (the verification
    by a second solve at more digits)."""
    taken = []
    proven, verified = risks._proven, risks.verified

    def spied_proof(*args):
        out = proven(*args)
        taken.append("uncertified" if out is None else "proof")
        return out

    def spied_verification(*args):
        taken.append("two solves")
        return verified(*args)

    patch.setattr(risks, "_proven", spied_proof)
    patch.setattr(risks, "verified", spied_verification)
    return taken


def _plain(monkeypatch, problem, dps, **setting):
    """The prediction without python-flint (mpmath throughout, the two solves), checked to take that route."""
    from dctheory import backends

    with monkeypatch.context() as patch:
        patch.setattr(backends, "_FLINT", [None])
        taken = _routes_taken(patch)
        plain = dc.predict(problem, dps=dps, **setting)
    assert taken == ["uncertified", "two solves"]
    return plain


def _assert_digits(found, reference, digits, names=VERIFIED):
    with mpmath.workdps(digits + 40):
        for name in names:
            if reference[name] is None:
                assert found[name] is None, name
                continue
            assert abs(found[name] - reference[name]) <= mpmath.mpf(10) ** -digits * abs(reference[name]), name
        for name in ("xi", "tau2"):
            a, b = getattr(found, name), getattr(reference, name)
            assert (a is None and b is None) or abs(a - b) <= mpmath.mpf(10) ** -digits * abs(b), name


@pytest.mark.parametrize(
    ("ridge", "variant"),
    [(0.0, None), (0.05, None), (0.0, "sign test"), (0.0, "slopes in balls"), (0.0, "underparameterized")],
)
def test_exactness_one_proven_pass_gives_the_digits_of_plain_mpmath(monkeypatch, ridge, variant):
    # With python-flint, predict(dps) on a distinct spectrum is one pass in balls: xi is enclosed by certain
    # signs of its equation, the thresholds of both rules by the interval Newton operator (or, with that
    # switched off, by certain signs too), and every output is a ball narrower than 10^-(dps + 1) of itself,
    # so no second solve runs. Its 40 digits (xi, tau^2, the magnitude and Hessian-population rules and their
    # retraining) agree with plain mpmath (no python-flint, two solves) at 60 digits. The thresholds' Newton
    # steps take the float64 slope where it is good enough; with it taken as good to 0 bits, every step's
    # slope is evaluated in balls. Ridgeless m < n - 1 (m = 20, n = 30: the coordinate means are the
    # coefficients, and each (mu - beta)^2 is a ball around 0) is proven too.
    pytest.importorskip("flint")
    from dctheory import backends

    problem, n, s = _distinct_problem(60, seed=3)
    setting = {"n": 30, "m": 20, "s": 8} if variant == "underparameterized" else {"n": n, "s": s}
    with monkeypatch.context() as patch:
        if variant == "sign test":
            patch.setattr(backends, "_interval_newton", lambda *args: None)
        if variant == "slopes in balls":
            patch.setattr(backends, "FLOAT_SLOPE_BITS", 0)
        taken = _routes_taken(patch)
        proven = dc.predict(problem, ridge=ridge, dps=40, **setting)
    assert taken == ["proof"]
    _assert_digits(proven, _plain(monkeypatch, problem, 60, ridge=ridge, **setting), 40)


@pytest.mark.parametrize("ridge", [0.0, 0.05])
def test_exactness_ball_roots_contain_the_roots_at_more_digits(ridge):
    # The pass in balls encloses xi and both rules' thresholds in balls (at 40 digits, about 10^-36 wide); the
    # plain mpmath route's roots at 80 digits (good to about 10^-78) lie inside them.
    pytest.importorskip("flint")
    import flint

    from dctheory import backends
    from dctheory.pipeline import strategy_risks
    from dctheory.solvers import OVER

    problem, n, s = _distinct_problem(50, seed=5)
    features = np.arange(problem.P)
    atoms = risks._exact_atoms(problem, features, s)
    assert backends._ball_function("thresholded_risk") is not None
    with mpmath.workdps(40), flint.ctx.workprec(mpmath.mp.prec + backends.PROOF_GUARD_BITS):
        balls = risks._DecimalAtoms(problem, features, atoms, n, s, ridge, OVER, {})
        strategy_risks(backends.BALL, balls)
    with mpmath.workdps(80):
        plain = risks._DecimalAtoms(problem, features, atoms, n, s, ridge, OVER, {})
        strategy_risks(backends.MP, plain)
        with flint.ctx.workprec(400):
            for ball, root in [(balls.xi, plain.xi), *((balls.roots[k], plain.roots[k]) for k in plain.roots)]:
                assert ball.rel_accuracy_bits() > 110
                assert ball.contains(backends._ball(root)), (ball, root)
    assert set(plain.roots) == {"magnitude", "hessian_population"}


def test_exactness_failed_certificates_fall_back_to_the_two_solves(monkeypatch):
    # Where the proof cannot be given the prediction is verified by two solves as before, with the same digits:
    # (1) brackets no wider than 2^-(prec - 4) around a root (narrower than the first one tried) certify no
    # sign change; (2) a pass at 3 digits fewer than asked cannot give output balls narrow enough for them;
    # (3) beta = 0 and sigma = 0: every coordinate is exactly 0 and the exact top-s rule sorts, which the pass
    # does not do in balls.
    pytest.importorskip("flint")
    from dctheory import backends

    problem, n, s = _distinct_problem(40, seed=4)
    plain = _plain(monkeypatch, problem, 60, n=n, s=s)
    for module, name, value in ((backends, "BRACKET_LIMIT_BITS", 4), (risks, "PROOF_GUARD", -3)):
        with monkeypatch.context() as patch:
            patch.setattr(module, name, value)
            taken = _routes_taken(patch)
            fallback = dc.predict(problem, n=n, s=s, dps=40)
        assert taken == ["uncertified", "two solves"], name
        _assert_digits(fallback, plain, 40)
    zero = dc.LGP(eigenvalues=problem.eigenvalues, beta=np.zeros(problem.P), sigma=0.0)
    with monkeypatch.context() as patch:
        taken = _routes_taken(patch)
        fallback = dc.predict(zero, n=n, s=s, dps=30)
    assert taken == ["uncertified", "two solves"]
    _assert_digits(fallback, _plain(monkeypatch, zero, 50, n=n, s=s), 30)


def test_distinct_rows_match_numpy_unique_along_rows():
    """closed_risks groups its feature sets by their atom counts with a byte-wise unique; it must give
    np.unique(axis=0)'s first indices and inverse, in its order."""
    from dctheory.risks import _distinct_rows

    rng = np.random.default_rng(3)
    for rows, columns in [(1, 6), (2, 1), (9, 3), (60, 5), (300, 12)]:
        keys = rng.integers(0, 3, (rows, columns)).astype(float)
        _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        mine_first, mine_inverse = _distinct_rows(keys)
        np.testing.assert_array_equal(mine_first, first)
        np.testing.assert_array_equal(mine_inverse, inverse.ravel())


@pytest.mark.parametrize("ridge", [0.0, 0.1])
def test_contract_features_without_variance_predict_the_null_model(ridge):
    """Training on features that all have eigenvalue 0 fits nothing: every strategy's risk is the null risk
    sigma^2 + sum over the other features of lambda_i beta_i^2 = 0.25 + 5 (a ridge once gave 0 / 0 in the
    finite-n sample size and a misleading error)."""
    problem = dc.LGP(eigenvalues=np.r_[np.zeros(5), np.ones(5)], beta=np.ones(10), sigma=0.5)
    for dps in (None, 30):
        prediction = dc.predict(problem, n=4, m=5, s=2, ridge=ridge, dps=dps)
        for name, risk in prediction.risks.items():
            assert float(risk) == pytest.approx(5.25, rel=1e-14), name
