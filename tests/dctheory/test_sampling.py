"""DC sampling (dctheory.sampling): the batched path against a per-sample reference, the eigendecomposition
cache of the LGP, and contracts.

Exactness: ``reference_values`` below is the per-sample implementation the batched path replaced (a loop
over draws: argsort, the full P-dimensional quadratic form, one eigendecomposition and xi solve per
support). Same seeds must give the same draws, the same supports and, within floating-point reordering,
the same per-draw risks: compared draw by draw at rtol 1e-9 (the two paths differ by the order of
summation and the basis of the quadratic form: measured differences are below 1e-12 relative).
"""

import numpy as np
import pytest
import scipy.stats

import dctheory as dc
from dctheory.errors import ConfigError, RegimeError
from dctheory.sampling import retrained_risks, sampled_grid, sampled_risks

P, N = 40, 16


def _toeplitz_problem(sigma=0.5):
    beta = np.r_[np.full(6, 3.0), np.ones(P - 6)]
    return dc.LGP(covariance=dc.toeplitz(P, 0.6), beta=beta, sigma=sigma)


def _low_rank_problem():
    # rank 12 < P: Sigma_SS is singular for |S| > 12, so the Cholesky route must hand over to eigh.
    factor = np.random.default_rng(4).standard_normal((P, 12))
    return dc.LGP(covariance=factor @ factor.T / 12, beta=np.linspace(1.0, 2.0, P), sigma=0.3)


def reference_values(problem, m, n, s, ridge, samples, seed):
    """The per-sample DC sampling (slow reference, not in the package): per-draw risks of every strategy."""
    features = np.arange(m)
    rng = np.random.default_rng(seed)
    law = dc.dc_law(problem, n, m, ridge)
    w = law.sample(rng, samples)
    values = {"dense": np.full(samples, float(law.solution.dense))}
    notes = {}

    def risks_of(w_D):
        full = np.zeros((w_D.shape[0], problem.P))
        full[:, features] = w_D
        return problem.risk(full)

    if m <= s:
        for name in dc.STRATEGIES[1:]:
            if name != "oracle":
                values[name] = values["dense"]
    else:
        h = problem.variances[features]
        orders = {
            "magnitude": np.argsort(-np.abs(w), axis=1)[:, :s],
            "hessian_population": np.argsort(-(h * w**2), axis=1)[:, :s],
            "random": np.argsort(rng.random((samples, m)), axis=1)[:, :s],
        }
        # The sample diagonal h_i = Sigma_ii u_i, u_i ~ chi^2_n / n with the correlation rho_ij^2 of the
        # diagonal of a Wishart matrix (Gaussian copula), drawn after the random-pruning keys.
        block = problem.covariance[np.ix_(features, features)]
        correlation = (block / np.sqrt(np.outer(np.diag(block), np.diag(block)))) ** 2
        values_, vectors = np.linalg.eigh(correlation)
        z = rng.standard_normal((samples, m)) @ (vectors * np.sqrt(np.clip(values_, 0, None))).T
        u = scipy.stats.chi2.isf(scipy.stats.norm.sf(z), n) / n  # the package interpolates: within 3e-8
        orders["hessian"] = np.argsort(-(h * u * w**2), axis=1)[:, :s]
        for name, keep in orders.items():
            mask = np.zeros_like(w, dtype=bool)
            np.put_along_axis(mask, keep, True, axis=1)
            values[name] = risks_of(np.where(mask, w, 0.0))
        fresh = dc.LGP(covariance=problem.covariance, beta=problem.beta, sigma=problem.sigma)  # no shared cache
        for name in ("magnitude", "hessian", "hessian_population"):
            out = np.empty(samples)
            for row, support in enumerate(np.sort(orders[name], axis=1)):
                try:
                    out[row] = float(dc.solve(fresh.effective(features[support]), n, ridge).dense)
                except RegimeError as error:
                    out[:] = np.nan
                    notes[f"{name}_retrained"] = str(error)
                    break
            values[f"{name}_retrained"] = out
    oracle = np.isin(features, problem.oracle_set(s))
    values["oracle"] = risks_of(np.where(oracle, w, 0.0))
    return values, notes


CASES = [
    # (problem, m, s, ridge): underparameterized D, overparameterized D with s < n - 1 (Cholesky),
    # s > n (eigh and the vectorized xi solve), ridge, nothing to prune, retraining undefined (s = n - 1).
    ("toeplitz", 10, 4, 0.0),
    ("toeplitz", 40, 8, 0.0),
    ("toeplitz", 40, 25, 0.0),
    ("toeplitz", 30, 6, 0.1),
    ("toeplitz", 12, 20, 0.0),
    ("toeplitz", 40, N - 1, 0.0),
    ("low_rank", 40, 6, 0.0),
    ("low_rank", 40, 14, 0.0),
    ("low_rank", 40, 30, 0.05),
]


@pytest.mark.parametrize("kind, m, s, ridge", CASES)
def test_batched_path_matches_the_per_sample_reference(kind, m, s, ridge):
    problem = _toeplitz_problem() if kind == "toeplitz" else _low_rank_problem()
    samples, seed = 300, 11
    expected, expected_notes = reference_values(problem, m, N, s, ridge, samples, seed)
    got = sampled_risks(problem, np.arange(m), N, s, ridge, samples, np.random.default_rng(seed))
    assert set(got.values) == set(expected)
    for name, values in expected.items():
        if np.isnan(values).any():
            assert np.isnan(got.values[name]).all(), name
        else:
            np.testing.assert_allclose(got.values[name], values, rtol=1e-9, err_msg=name)
    assert got.notes == expected_notes
    # predict reports the mean and its standard error from the same draws
    prediction = dc.predict(
        problem, N, m, s, ridge, method="sampling", samples=samples, rng=np.random.default_rng(seed)
    )
    for name, values in expected.items():
        if np.isnan(values).any():
            assert prediction.risks[name] is None
            continue
        assert prediction.risks[name] == pytest.approx(values.mean(), rel=1e-9)
        assert prediction.stderr[name] == pytest.approx(values.std(ddof=1) / np.sqrt(samples), rel=1e-6, abs=1e-12)


def test_retraining_routes_agree_on_the_same_supports():
    # Cholesky of the covariance of (x_S, y) (ridgeless, s < n - 1) against the eigendecomposition route
    # (a tiny ridge): as ridge -> 0 the ridge risk, with its sample size n_lambda -> n - 1, tends to the exact
    # least-squares risk sigma_S^2 (n - 1)/(n - s - 1) (docs/theory.md#finite-size): equal up to O(ridge).
    problem = _toeplitz_problem()
    supports = np.sort(np.random.default_rng(2).permuted(np.tile(np.arange(P), (50, 1)), axis=1)[:, :8], axis=1)
    exact, _ = retrained_risks(problem, supports, 30, 0.0)
    for row, support in enumerate(supports[:5]):
        assert exact[row] == pytest.approx(float(dc.solve(problem.effective(support), 30).dense), rel=1e-10)
    nearby, _ = retrained_risks(problem, supports, 30, 1e-9)
    np.testing.assert_allclose(nearby, exact, rtol=1e-6)
    # duplicated supports are refitted once and mapped back in order
    doubled, _ = retrained_risks(problem, np.concatenate([supports, supports[::-1]]), 30, 0.0)
    np.testing.assert_allclose(doubled, np.concatenate([exact, exact[::-1]]), rtol=0, atol=0)


def test_sampled_grid_is_predict_per_m_with_one_generator():
    problem = _toeplitz_problem()
    rng_grid, rng_predict = np.random.default_rng(3), np.random.default_rng(3)
    seen = []
    for m, sampled in sampled_grid(problem, N, 5, 0.0, [10, 15, 30], 50, rng_grid):
        if isinstance(sampled, str):
            seen.append((m, sampled))
            with pytest.raises(RegimeError):
                dc.predict(problem, N, m, 5, method="sampling", samples=50, rng=rng_predict)
            continue
        risks, stderr = sampled.summary()
        prediction = dc.predict(problem, N, m, 5, method="sampling", samples=50, rng=rng_predict)
        assert risks == prediction.risks and stderr == prediction.stderr
    assert [m for m, _ in seen] == [15]  # ridgeless m = n - 1 is undefined
    with pytest.raises(ConfigError, match="samples"):
        next(sampled_grid(problem, N, 5, 0.0, [10], 1, rng_grid))


def test_one_eigendecomposition_per_covariance_and_cached_effective_problems():
    problem = _toeplitz_problem()
    matrix = problem.covariance
    full = problem.effective(P)
    lam, basis = np.linalg.eigh(matrix)
    np.testing.assert_allclose(full.eigenvalues, lam, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(np.abs(full.basis.T @ basis), np.eye(P), atol=1e-8)
    assert problem.effective(P) is full and problem.effective(np.arange(P)) is full
    for D in (np.arange(17), np.array([3, 9, 1, 30])):
        got = problem.effective(D)
        assert problem.effective(D.copy()) is got
        block = matrix[np.ix_(D, D)]
        beta_D = np.linalg.solve(block, matrix[D] @ problem.beta)
        np.testing.assert_allclose(got.beta_D, beta_D, rtol=1e-9)
        sigma2 = problem.sigma**2 + problem.beta @ matrix @ problem.beta - beta_D @ block @ beta_D
        assert got.sigma2_D == pytest.approx(sigma2, rel=1e-10)
        with pytest.raises(ValueError):
            got.eigenvalues[0] = 1.0  # cached arrays are read-only
    problem.EFFECTIVE_CACHE_BYTES = 2 * 17 * 17 * 8  # an instance bound: room for about two bases
    for m in (15, 16, 17, 18):
        problem.effective(m)
    assert len(problem._effective_cache) <= 2
    # a matrix that is not PSD still fails at construction, from the same decomposition
    with pytest.raises(ConfigError, match="positive semi-definite"):
        dc.LGP(covariance=np.array([[1.0, 2.0], [2.0, 1.0]]), beta=[1.0, 1.0])


@pytest.mark.parametrize("ridge", [0.0, 0.1])
def test_diagonal_retraining_skips_the_eigendecomposition_and_agrees_with_it(monkeypatch, ridge):
    """Retrained risks on supports larger than n of a diagonal Sigma read Sigma_SS's diagonal; forcing the
    batched-eigh route of a full Sigma on the same problem gives the same risks to rounding (2e-15 measured)."""
    rng = np.random.default_rng(1)
    P, n = 300, 90
    problem = dc.LGP(
        eigenvalues=np.exp(rng.uniform(np.log(0.1), np.log(10), P)), beta=rng.standard_normal(P), sigma=0.5
    )
    supports = np.sort(np.stack([rng.choice(P, 150, replace=False) for _ in range(20)]), axis=1)
    direct, note = retrained_risks(problem, supports, n, ridge)
    monkeypatch.setattr(dc.LGP, "is_diagonal", property(lambda self: False))
    rotated, _ = retrained_risks(problem, supports, n, ridge)
    assert note is None
    np.testing.assert_allclose(direct, rotated, rtol=1e-12)
