"""Exactness and contracts of the Monte Carlo engine (validation.montecarlo)."""

import numpy as np
import pytest

import dctheory as dc
from dctheory.errors import ConfigError
from validation.montecarlo import (
    RCOND_MIN,
    GaussianModel,
    Sample,
    cholesky_solve,
    min_norm,
    oracle_set,
    prune_in_rounds,
    prune_support,
    train_prune_retrain,
)


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.mark.parametrize("n,m", [(40, 15), (40, 39), (40, 41), (40, 200), (30, 30)])
def test_min_norm_equals_lstsq(rng, n, m):
    X, y = rng.standard_normal((n, m)), rng.standard_normal(n)
    w, fallback = min_norm(X, y)
    assert not fallback
    ref = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(w, ref, rtol=0, atol=1e-10 * max(1, np.abs(ref).max()))
    np.testing.assert_allclose(w, np.linalg.pinv(X) @ y, rtol=0, atol=1e-9 * max(1, np.abs(ref).max()))


@pytest.mark.parametrize("m", [10, 80])
def test_ridge_equals_normal_equations(rng, m):
    n, lam = 40, 0.3
    X, y = rng.standard_normal((n, m)), rng.standard_normal(n)
    w, fallback = min_norm(X, y, ridge=lam)
    ref = np.linalg.solve(X.T @ X + n * lam * np.eye(m), X.T @ y)
    assert not fallback
    np.testing.assert_allclose(w, ref, atol=1e-12)


def test_growing_gram_sweep_equals_per_m_solve(rng):
    n, P = 50, 160
    X, y = rng.standard_normal((n, P)), rng.standard_normal(n)
    grid = [1, 7, 30, 48, 52, 53, 90, 160]
    for ridge in (0.0, 0.05):
        got = {m: (w, f) for m, w, f in Sample(X, y, ridge=ridge).sweep(grid)}
        for m in grid:
            ref = min_norm(X[:, :m], y, ridge)[0]
            assert got[m][1] is False
            np.testing.assert_allclose(got[m][0], ref, atol=1e-10 * max(1, np.abs(ref).max()))


def test_fallback_triggers_and_is_recorded(rng):
    # duplicated columns: X^T X is singular (m < n) and X X^T is singular for rank-deficient m > n
    n = 30
    base = rng.standard_normal((n, 10))
    X = np.hstack([base, base])  # rank 10, m = 20 < n
    y = rng.standard_normal(n)
    w, fallback = min_norm(X, y)
    assert fallback
    np.testing.assert_allclose(w, np.linalg.pinv(X) @ y, atol=1e-10)
    Xwide = np.hstack([base] * 5)  # rank 10, m = 50 > n
    w, fallback = min_norm(Xwide, y)
    assert fallback
    np.testing.assert_allclose(w, np.linalg.pinv(Xwide) @ y, atol=1e-10)
    flags = [f for _, _, f in Sample(Xwide, y).sweep([5, 10, 11, 50])]
    assert flags == [False, False, True, True]


def test_cholesky_solve_lapack_paths(rng):
    # exact on a well-conditioned SPD system; the caller's matrix is untouched unless overwrite=True
    B = rng.standard_normal((60, 25))
    G = B.T @ B + np.eye(25)
    rhs = rng.standard_normal(25)
    G0 = G.copy()
    x = cholesky_solve(G, rhs)
    np.testing.assert_allclose(x, np.linalg.solve(G0, rhs), rtol=0, atol=1e-12)
    np.testing.assert_array_equal(G, G0)
    x2 = cholesky_solve(G, rhs, overwrite=True)
    np.testing.assert_array_equal(x2, x)
    assert not np.array_equal(G, G0)  # factored in place: no n x n copy
    # dpotrf info > 0: indefinite; dpocon: positive definite but rcond below RCOND_MIN
    assert cholesky_solve(np.diag([1.0, -1.0, 2.0]), np.ones(3)) is None
    eps = RCOND_MIN / 100
    assert cholesky_solve(np.diag([1.0, eps, 1.0]), np.ones(3)) is None
    assert cholesky_solve(np.diag([1.0, RCOND_MIN * 100, 1.0]), np.ones(3)) is not None
    assert cholesky_solve(np.full((3, 3), np.nan), np.ones(3)) is None


def test_fit_support_equals_pinv(rng):
    n, P = 40, 100
    X, y = rng.standard_normal((n, P)), rng.standard_normal(n)
    sample = Sample(X, y)
    for S in (np.array([3, 9, 50]), np.arange(0, 100, 2)):
        w, f = sample.fit_support(S)
        ref = np.zeros(P)
        ref[S] = np.linalg.pinv(X[:, S]) @ y
        assert not f
        np.testing.assert_allclose(w, ref, atol=1e-10)


def test_pruning_rules(rng):
    w = np.array([0.5, -3.0, 1.0, 0.1, -2.0])
    h = np.array([100.0, 0.01, 1.0, 1.0, 1.0])
    assert prune_support(w, 2, "magnitude").tolist() == [1, 4]
    # h w^2 = [25, 0.09, 1, 0.01, 4]
    assert prune_support(w, 2, "hessian", hessian_diagonal=h).tolist() == [0, 4]
    assert prune_support(w, 2, "oracle", oracle_set=np.array([2, 7])).tolist() == [2]
    S = prune_support(w, 3, "random", rng=rng)
    assert len(S) == 3 and len(set(S.tolist())) == 3 and S.max() < 5
    for strategy in ("magnitude", "hessian", "random"):
        assert prune_support(w, 5, strategy, hessian_diagonal=h, rng=rng).tolist() == [0, 1, 2, 3, 4]
    assert oracle_set(np.array([1.0, 10, 1, 1]), np.array([3.0, 1, 0.1, 2]), 2).tolist() == [0, 1]
    # ties broken by feature order, as dctheory.LGP.oracle_set
    assert oracle_set(np.ones(8), np.r_[np.full(3, 2.0), np.ones(5)], 5).tolist() == [0, 1, 2, 3, 4]
    lgp = dc.LGP(eigenvalues=dc.spiked(50, 10, 10.0), beta=np.ones(50), sigma=0.0)
    assert oracle_set(np.diag(lgp.covariance), lgp.beta, 20).tolist() == lgp.oracle_set(20).tolist()


def test_random_pruning_is_uniform(rng):
    # each index kept with probability s/m = 0.3; 4000 draws: s.e. sqrt(.3*.7/4000) = 0.0072, allow 4.5 s.e.
    counts = np.zeros(10)
    for _ in range(4000):
        counts[prune_support(np.ones(10), 3, "random", rng=rng)] += 1
    assert np.all(np.abs(counts / 4000 - 0.3) < 4.5 * np.sqrt(0.3 * 0.7 / 4000))


def test_train_prune_retrain_counts_and_same_sample(rng):
    model = GaussianModel(beta=np.ones(60), sigma=0.5, eigenvalues=np.linspace(1, 3, 60))
    train = Sample(*model.sample(25, rng))
    fresh = Sample(*model.sample(25, rng))
    labels, W, flags = train_prune_retrain(
        train, fresh, [5, 20, 60], 10, oracle=oracle_set(model.variances, model.beta, 10), rng=rng
    )
    nnz = {lab: np.count_nonzero(w) for lab, w in zip(labels, W)}
    assert nnz[(60, "dense")] == 60 and nnz[(60, "magnitude")] == 10 and nnz[(60, "random")] == 10
    assert nnz[(60, "hessian_retrained")] == 10 and nnz[(5, "magnitude")] == 5
    # oracle D* = the 10 features of largest variance (indices 50..59) intersected with [m]
    assert nnz[(20, "oracle")] == 0 and nnz[(60, "oracle")] == 10
    by = dict(zip(labels, W))
    np.testing.assert_array_equal(by[(5, "magnitude")], by[(5, "dense")])  # m <= s: nothing pruned
    S = np.flatnonzero(by[(60, "magnitude")])
    np.testing.assert_allclose(
        by[(60, "magnitude_retrained_same")][S], np.linalg.pinv(train.X[:, S]) @ train.y, atol=1e-10
    )
    np.testing.assert_allclose(by[(60, "magnitude_retrained")][S], np.linalg.pinv(fresh.X[:, S]) @ fresh.y, atol=1e-10)
    assert not flags.any()


def test_population_risk_matches_dctheory(rng):
    P = 12
    lam, beta = rng.uniform(0.5, 2, P), rng.standard_normal(P)
    A = rng.standard_normal((P, P))
    cov = A @ A.T / P
    W = rng.standard_normal((5, P))
    for model, lgp in (
        (GaussianModel(beta=beta, sigma=0.7, eigenvalues=lam), dc.LGP(eigenvalues=lam, beta=beta, sigma=0.7)),
        (GaussianModel(beta=beta, sigma=0.7, covariance=cov), dc.LGP(covariance=cov, beta=beta, sigma=0.7)),
    ):
        np.testing.assert_allclose(model.risk(W), lgp.risk(W), rtol=1e-12)
        assert GaussianModel.from_lgp(lgp).risk(W[0]) == pytest.approx(float(lgp.risk(W[0])), rel=1e-12)


def test_sample_covariance_statistics(rng):
    # E x x^T = Sigma and E x y = Sigma beta, each entry within 4.5 of its own s.e. over 20000 draws
    i = np.arange(6)
    cov = 0.5 ** np.abs(i[:, None] - i[None, :])
    model = GaussianModel(beta=np.arange(6.0), sigma=1.0, covariance=cov)
    N = 20000
    X, y = model.sample(N, rng)
    prods = X[:, :, None] * X[:, None, :]
    se = prods.std(axis=0) / np.sqrt(N)
    assert np.all(np.abs(prods.mean(axis=0) - cov) <= 4.5 * se)
    xy = X * y[:, None]
    assert np.all(np.abs(xy.mean(axis=0) - cov @ model.beta) <= 4.5 * xy.std(axis=0) / np.sqrt(N))
    # residual variance sigma^2 = 1: s.e. of the sample variance sqrt(2/N) = 0.01
    assert abs(np.var(y - X @ model.beta) - 1.0) <= 4.5 * np.sqrt(2 / N)


def test_contracts(rng):
    X, y = rng.standard_normal((5, 8)), rng.standard_normal(5)
    with pytest.raises(ConfigError, match="ridge"):
        min_norm(X, y, ridge=-1.0)
    with pytest.raises(ConfigError, match="sparsity s"):
        prune_support(np.ones(4), 0, "magnitude")
    with pytest.raises(ConfigError, match="unknown pruning strategy 'foo'"):
        prune_support(np.ones(4), 2, "foo")
    with pytest.raises(ConfigError, match="m_grid"):
        list(Sample(X, y).sweep([4, 3]))
    with pytest.raises(ConfigError, match="exactly one"):
        GaussianModel(beta=np.ones(3), sigma=1.0)
    with pytest.raises(ConfigError, match="sigma"):
        GaussianModel(beta=np.ones(3), sigma=-1.0, eigenvalues=np.ones(3))
    with pytest.raises(ConfigError, match="PSD"):
        GaussianModel(beta=np.ones(2), sigma=1.0, covariance=np.array([[1.0, 2.0], [2.0, 1.0]]))


def test_fits_form_only_the_gram_blocks_they_need(rng):
    # A trial's fits (sweep through m = n, pruning, same-sample and fresh retraining) never form the P x P
    # product X^T X; every fit equals the one computed from it to rounding.
    n, P, s = 30, 120, 10
    X, y = rng.standard_normal((n, P)), rng.standard_normal(n)
    lazy, fresh = Sample(X, y), Sample(rng.standard_normal((n, P)), rng.standard_normal(n))
    _labels, W, _ = train_prune_retrain(
        lazy, fresh, [5, 20, 60, 120], s, rng=np.random.default_rng(1), oracle=np.arange(s)
    )
    assert "A" not in lazy._products and "A" not in fresh._products
    eager, eager_fresh = Sample(X, y), Sample(fresh.X, fresh.y)
    eager.A, eager_fresh.A  # noqa: B018 (formed first: every fit then reads its blocks)
    _, W_eager, _ = train_prune_retrain(
        eager, eager_fresh, [5, 20, 60, 120], s, rng=np.random.default_rng(1), oracle=np.arange(s)
    )
    np.testing.assert_allclose(W, W_eager, rtol=0, atol=1e-8 * np.abs(W_eager).max())
    np.testing.assert_allclose(lazy.hessian_diagonal, np.diag(X.T @ X) / n, rtol=1e-13)


# -- pruning in rounds -----------------------------------------------------------------------------
def _model(P=60, seed=0, sigma=0.5):
    rng = np.random.default_rng(seed)
    return GaussianModel(beta=rng.standard_normal(P), sigma=sigma, eigenvalues=np.exp(rng.uniform(-1, 1, P)))


@pytest.mark.parametrize("strategy", ["magnitude", "oracle"])
def test_one_round_is_the_one_round_engine(strategy):
    """One round from a fit on all P features prunes and refits exactly as train_prune_retrain does."""
    model, P, n, s = _model(), 60, 25, 8
    train = Sample(*model.sample(n, np.random.default_rng(1)))
    fresh = Sample(*model.sample(n, np.random.default_rng(2)))
    D = oracle_set(model.variances, model.beta, s)
    _, W, _ = train_prune_retrain(train, fresh, [P], s, strategies=[strategy, "magnitude_retrained"], oracle=D)
    dense, _ = train.fit_support(np.arange(P))
    pruned, retrained, flags = prune_in_rounds(
        np.arange(P), dense, [fresh], [s], strategy, oracle=lambda size: oracle_set(model.variances, model.beta, size)
    )
    np.testing.assert_allclose(pruned[0], W[0], rtol=1e-12, atol=1e-12)
    if strategy == "magnitude":
        np.testing.assert_allclose(retrained[0], W[1], rtol=1e-10, atol=1e-12)
    assert flags.tolist() == [False]


@pytest.mark.parametrize("ridge", [0.0, 0.3])
@pytest.mark.parametrize("strategy", ["magnitude", "hessian", "hessian_population", "oracle", "random"])
def test_rounds_are_nested_and_each_refit_is_least_squares_on_its_own_sample(strategy, ridge):
    """Round k prunes round k-1's refit within its support (hessian: scored with the sample diagonal of the
    sample that refit was fitted on; hessian_population: with Sigma_ii); each refit is the closed-form (ridge)
    least squares solution on the kept columns of its own fresh sample."""
    model, P, n = _model(P=50, seed=3), 50, 30
    lam = model.eigenvalues
    samples = [Sample(*model.sample(n, np.random.default_rng(10 + k)), ridge=ridge) for k in range(4)]
    dense, _ = samples[0].fit_support(np.arange(P))
    sizes = [40, 20, 6]
    pruned, retrained, _ = prune_in_rounds(
        np.arange(P),
        dense,
        samples[1:],
        sizes,
        strategy,
        hessian_diagonal=samples[0].hessian_diagonal,
        population_diagonal=lam,
        oracle=lambda s: oracle_set(lam, model.beta, s),
        rng=np.random.default_rng(4),
    )
    previous, support = dense, np.arange(P)
    for k, size in enumerate(sizes):
        S = np.flatnonzero(pruned[k])
        assert S.size == size and set(S) <= set(support)
        np.testing.assert_array_equal(pruned[k][S], previous[S])
        h = np.sum(samples[k].X ** 2, axis=0) / n  # the sample diagonal of the fit being pruned
        score = {"magnitude": np.abs(previous), "hessian": h * previous**2, "hessian_population": lam * previous**2}
        score = score.get(strategy)
        if score is not None:  # the kept weights are the top scores within the previous support
            assert score[S].min() >= score[np.setdiff1d(support, S)].max()
        if strategy == "oracle":
            assert set(S) == set(oracle_set(lam, model.beta, size))
        X, y = samples[k + 1].X[:, S], samples[k + 1].y
        if ridge or size < n:  # (X^T X + n lam I)^-1 X^T y
            expected = np.linalg.solve(X.T @ X + n * ridge * np.eye(size), X.T @ y)
        else:  # more columns than samples, no ridge: the min-norm solution pinv(X) y
            expected = np.linalg.lstsq(X, y, rcond=None)[0]
        np.testing.assert_allclose(retrained[k][S], expected, rtol=1e-8, atol=1e-10)
        assert not np.any(np.delete(retrained[k], S))
        previous, support = retrained[k], S


def test_a_schedule_needs_a_fresh_sample_per_round():
    model = _model()
    one = [Sample(*model.sample(20, np.random.default_rng(0)))]
    with pytest.raises(ConfigError, match="needs as many fresh samples"):
        prune_in_rounds(np.arange(60), np.ones(60), one, [20, 10], "magnitude")


# -- the shared-work engine against plain least squares ---------------------------------------------------------
# Reference: numpy.linalg.lstsq / pinv (SVD) and, for ridge, numpy.linalg.solve of the normal equations. A solve
# through a Gram matrix G (Cholesky) has a relative error of order kappa(G) eps; the tolerance is 1e-9 relative
# up to kappa(G) = 1e5 and 1e-14 kappa(G) above (a margin of ~100 over kappa eps); each test states the kappa(G)
# of its problems. The fallback (SVD) fits match pinv to 1e-9 relative.
def _relative_error(w, ref):
    return np.linalg.norm(w - ref) / np.linalg.norm(ref)


def _tolerance(X):
    return max(1e-9, 1e-14 * np.linalg.cond(X) ** 2)


def _ridge_reference(X, y, ridge):
    n, m = X.shape
    if ridge == 0.0:
        return np.linalg.lstsq(X, y, rcond=None)[0]
    return np.linalg.solve(X.T @ X + n * ridge * np.eye(m), X.T @ y)


@pytest.mark.parametrize("ridge", [0.0, 0.2])
def test_sweep_equals_lstsq_on_both_sides_of_the_threshold(rng, ridge):
    # n = 60, m from 1 to 300: kappa(G) from 1 to 2e3 (at m = 56, 64, nearest to n)
    n, P = 60, 300
    X = rng.standard_normal((n, P)) * np.sqrt(rng.uniform(0.5, 5.0, P))
    y = rng.standard_normal(n)
    grid = [1, 2, 13, 30, 47, 56, 64, 90, 120, 150, 180, 240, 299, 300]
    for m, w, fallback in Sample(X, y, ridge=ridge).sweep(grid):
        assert not fallback
        assert _relative_error(w, _ridge_reference(X[:, :m], y, ridge)) < _tolerance(X[:, :m]), m


def test_sweep_through_a_rank_deficient_stretch_falls_back_as_min_norm(rng):
    # columns 20..39 repeat columns 0..19: X_m is rank deficient for 20 < m < 60 (n = 40: X X^T is singular
    # until the new columns restore rank 40 at m = 60, where kappa(G) = 2e8, then 70 at m = 80); every fit is
    # pinv(X_m) y (SVD fallback while singular) and the flags are those of per-m min_norm
    n = 40
    base = rng.standard_normal((n, 20))
    X = np.hstack([base, base, rng.standard_normal((n, 100))])
    y = rng.standard_normal(n)
    grid = [5, 10, 20, 21, 30, 39, 40, 45, 55, 60, 80, 100, 110, 120]
    got = list(Sample(X, y).sweep(grid))
    for m, w, fallback in got:
        assert fallback == min_norm(X[:, :m], y)[1], m
        tolerance = 1e-9 if fallback else _tolerance(X[:, :m])
        assert _relative_error(w, np.linalg.pinv(X[:, :m]) @ y) < tolerance, m
    assert [f for _, _, f in got] == [
        False,
        False,
        False,
        True,
        True,
        True,
        True,
        True,
        True,
        False,
        False,
        False,
        False,
        False,
    ]


def test_prefix_solves_equal_separate_solves_and_keep_the_fallback_decisions(rng):
    from validation.montecarlo import prefix_solves

    n, M = 80, 60
    X = rng.standard_normal((n, M))
    X[:, 40] = X[:, 3] + 1e-7 * rng.standard_normal(n)  # blocks m > 40: kappa(G) = 1e15, rcond below RCOND_MIN
    G, b = X.T @ X, X.T @ rng.standard_normal(n)
    sizes = [1, 7, 25, 40, 41, 50, 60]
    for m, x in zip(sizes, prefix_solves(G, b, sizes)):
        separate = cholesky_solve(G[:m, :m].copy(), b[:m])
        assert (x is None) == (separate is None) == (m > 40), m
        if x is not None:  # kappa(G[:40, :40]) = 23
            assert _relative_error(x, np.linalg.solve(G[:m, :m], b[:m])) < 1e-9
    well = X[:, :40].T @ X[:, :40]  # every block certified at once, same solutions
    for m, x in zip(sizes[:4], prefix_solves(well, b, sizes[:4])):
        assert _relative_error(x, np.linalg.solve(well[:m, :m], b[:m])) < 1e-9


@pytest.mark.parametrize("ridge", [0.0, 0.3])
def test_fit_supports_equal_lstsq_for_every_kind_of_support(rng, ridge):
    # prefixes {0..k-1}, arbitrary supports (gathered from X_U^T X_U; one in decreasing order), a repeated
    # support, k = n (the worst conditioned: the tolerance follows its kappa(G)), k > n (the n-side Gram) and an
    # empty one
    n, P = 50, 200
    X, y = rng.standard_normal((n, P)), rng.standard_normal(n)
    pick = lambda k: np.sort(rng.choice(P, k, replace=False))  # noqa: E731
    supports = [
        np.arange(10),
        np.arange(45),
        np.arange(3),
        pick(40),
        pick(45),
        pick(30),
        pick(n),
        pick(120),
        np.arange(0),
        np.arange(45),
        pick(35)[::-1],
    ]
    supports.append(supports[4].copy())
    W, flags = Sample(X, y, ridge=ridge).fit_supports(supports)
    assert not flags.any()
    for S, w in zip(supports, W):
        assert not np.any(np.delete(w, S))
        if S.size:
            assert _relative_error(w[S], _ridge_reference(X[:, S], y, ridge)) < _tolerance(X[:, S]), S.size
    # a rank-deficient support (a repeated column) falls back to the SVD and is flagged; the others are not
    bad = np.r_[np.arange(5), 7, 7 + P // 2]
    Xd = X.copy()
    Xd[:, 7 + P // 2] = Xd[:, 7]
    W, flags = Sample(Xd, y).fit_supports([bad, pick(20), pick(20)])
    assert flags.tolist() == [True, False, False]
    np.testing.assert_allclose(W[0, bad], np.linalg.pinv(Xd[:, bad]) @ y, rtol=0, atol=1e-9 * np.abs(W[0]).max())


def test_the_certificate_never_skips_a_failing_dpocon(rng):
    """_certify(G) proves that dpocon passes on G's leading blocks; checked against dpocon itself on matrices with
    smallest eigenvalues from far above to below the certified level."""
    from scipy.linalg.lapack import dpocon, dpotrf

    from validation.montecarlo import CERTIFICATE_MARGIN, _certify

    k = 30
    Q = np.linalg.qr(rng.standard_normal((k, k)))[0]
    for smallest in 10.0 ** np.arange(-16, 1):
        G = (Q * np.r_[smallest, rng.uniform(1, 10, k - 1)]) @ Q.T
        G = (G + G.T) / 2
        trace = float(np.trace(G))
        certified = _certify(G, k, trace)
        # certified exactly when lambda_min clears margin * RCOND_MIN * k * trace (up to rounding)
        level = CERTIFICATE_MARGIN * RCOND_MIN * k * trace
        if smallest > 2 * level:
            assert certified
        if smallest < level / 2:
            assert not certified
        if certified:
            for m in (1, 10, k):
                c, info = dpotrf(G[:m, :m])
                rcond, _ = dpocon(c, np.abs(G[:m, :m]).sum(axis=0).max())
                assert info == 0 and rcond >= RCOND_MIN


def test_a_whole_trial_equals_fit_by_fit_least_squares(rng):
    """train_prune_retrain (shared Gram work, one factorization for the prefixes, certificates) against the plain
    procedure: lstsq on the first m columns, the same pruning rules, lstsq on each kept support of the fresh
    sample; n = 40, P = 160, kappa(G) <= 2.7e3 on the grid (it avoids |m - n| <= 4)."""
    n, P, s = 40, 160, 25
    model = GaussianModel(beta=rng.standard_normal(P), sigma=0.3, eigenvalues=np.r_[np.full(16, 8.0), np.ones(P - 16)])
    train, fresh = Sample(*model.sample(n, rng)), Sample(*model.sample(n, rng))
    grid, oracle = [1, 9, 20, 25, 30, 35, 45, 52, 70, 100, 130, 160], oracle_set(model.variances, model.beta, s)
    labels, W, flags = train_prune_retrain(train, fresh, grid, s, oracle=oracle, rng=np.random.default_rng(7))
    assert not flags.any()
    got = dict(zip(labels, W))
    random_rng = np.random.default_rng(7)
    for m in grid:
        w_m = np.linalg.lstsq(train.X[:, :m], train.y, rcond=None)[0]
        tolerance = _tolerance(train.X[:, :m])
        assert _relative_error(got[(m, "dense")][:m], w_m) < tolerance
        for rule in ("magnitude", "hessian", "oracle", "random"):
            S = prune_support(w_m, s, rule, hessian_diagonal=train.hessian_diagonal, oracle_set=oracle, rng=random_rng)
            assert np.flatnonzero(got[(m, rule)]).tolist() == S.tolist()
            if rule in ("magnitude", "hessian"):
                for suffix, sample in (("_retrained", fresh), ("_retrained_same", train)):
                    ref = np.linalg.lstsq(sample.X[:, S], sample.y, rcond=None)[0]
                    assert _relative_error(got[(m, rule + suffix)][S], ref) < _tolerance(sample.X[:, S])
