"""Hessian pruning with the sample diagonal h_i = lambda_i u_i, u_i ~ chi^2_n / n (dctheory.sample_diagonal).

Exactness: the quadrature rule of chi^2_n / n (trapezoidal in log u) integrates the moments
E[u^k] = prod_{j<k} (1 + 2j/n) to float64 precision. Statistics: the
closed form (quadrature over u) against DC sampling (u drawn with the weights), within 4 standard errors
of the sampling. Contracts: the two Hessian rules coincide where they must.
"""

import mpmath
import numpy as np
import pytest

import dctheory as dc
from dctheory.sample_diagonal import chi2_rule, draw, threshold_start
from dctheory.sampling import sampled_risks


def moment(n, k):
    return np.prod([1 + 2 * j / n for j in range(k)])


@pytest.mark.parametrize("n", [5, 20, 80, 10_000, 1_000_000])
def test_exactness_float64_rule_integrates_the_chi2_moments(n):
    nodes, weights = chi2_rule(n)
    for k in range(8):
        assert weights @ nodes**k == pytest.approx(moment(n, k), rel=1e-13)


@pytest.mark.parametrize("n", [5, 20, 80, 10_000])
@pytest.mark.parametrize("power", [0.5, 1.0])
def test_exactness_threshold_start_divides_by_the_inverse_moment(n, power):
    # E[u^-p] for u ~ chi^2_n / n is (n / 2)^p Gamma(n / 2 - p) / Gamma(n / 2): the closed form at 30 digits
    # (float64 log-gammas lose 1e-12 at n = 10,000). Measured: the rule's moment is within 7e-16 of it, but
    # 2.2e-12 for u^-1 at n = 5, where the density's cut-off tail near u = 0 carries that much of E[u^-1]
    tolerance = 1e-11 if n < 20 else 2e-15
    with mpmath.workdps(30):
        half = mpmath.mpf(n) / 2
        inverse_moment = mpmath.exp(power * mpmath.log(half) + mpmath.loggamma(half - power) - mpmath.loggamma(half))
    assert threshold_start(3.0, n, power) == pytest.approx(float(3 / inverse_moment), rel=tolerance)


def test_statistics_drawn_diagonal_has_the_chi2_moments_and_the_wishart_correlation():
    rng = np.random.default_rng(3)
    u = draw(rng, 40, 200_000, None, 2)
    assert u.mean() == pytest.approx(1, abs=4 * np.sqrt(2 / 40 / u.size))
    covariance = np.array([[1.0, 0.6], [0.6, 1.0]])
    u = draw(rng, 40, 200_000, covariance, 2)
    # Var(u_i) = 2/n; Corr(h_1, h_2) = rho^2 = 0.36 for the diagonal of a Wishart; s.e. ~ 1/sqrt(samples)
    assert u.var(axis=0) == pytest.approx(2 / 40, rel=0.02)
    assert np.corrcoef(u.T)[0, 1] == pytest.approx(0.36, abs=4 / np.sqrt(u.shape[0]))


@pytest.fixture(scope="module")
def diagonal_problem():
    rng = np.random.default_rng(1)
    return dc.LGP(eigenvalues=np.exp(rng.uniform(np.log(0.1), np.log(10), 60)), beta=rng.standard_normal(60), sigma=0.5)


@pytest.mark.parametrize("m", [60, 20])
def test_statistics_closed_form_matches_dc_sampling(diagonal_problem, m):
    # The closed form averages over u with the quadrature rule, DC sampling draws u with the weights. Each risk
    # within 4 s.e. plus 1% (pruned) or 2% (retrained): the top-s rule that sampling applies and the
    # threshold rule of the closed forms differ at finite size (docs/theory.md#thresholded-risk; measured
    # here up to 1.2%, for magnitude pruning at m = 20). The cost of the sample diagonal, the paired
    # difference from the population rule, within 4 paired s.e. plus 0.1% of the risk (measured: 0.7 and
    # 0.95 s.e. at m = 60, 3.7 and 2.3 s.e. at m = 20, i.e. 0.03% and 0.02% of the risks).
    closed = dc.predict(diagonal_problem, 30, m, 10)
    draws = sampled_risks(diagonal_problem, np.arange(m), 30, 10, 0.0, 40_000, np.random.default_rng(0)).values
    for name in ("hessian", "hessian_retrained", "hessian_population", "hessian_population_retrained"):
        se = draws[name].std(ddof=1) / np.sqrt(draws[name].size)
        allowance = 0.02 if name.endswith("_retrained") else 0.01
        assert abs(closed[name] - draws[name].mean()) <= 4 * se + allowance * closed[name], name
    for a, b in (("hessian", "hessian_population"), ("hessian_retrained", "hessian_population_retrained")):
        difference = draws[a] - draws[b]
        se = difference.std(ddof=1) / np.sqrt(difference.size)
        assert abs(closed[a] - closed[b] - difference.mean()) <= 4 * se + 1e-3 * closed[a], (a, b)
    if m == 60:  # the sample diagonal costs: the pruned risk is above the population rule's
        assert closed["hessian"] - closed["hessian_population"] > 0.2


def test_contract_high_precision_leaves_the_sample_rule_to_float64():
    problem = dc.LGP(eigenvalues=dc.spiked(40, 5, 10.0), beta=np.ones(40), sigma=0.3)
    precise = dc.predict(problem, 20, 40, 10, dps=20)
    fast = dc.predict(problem, 20, 40, 10)
    for name in ("hessian", "hessian_retrained"):
        assert precise[name] is None and "float64 only" in precise.notes[name]
    for name in ("hessian_population", "hessian_population_retrained"):
        assert float(precise[name]) == pytest.approx(fast[name], rel=1e-12)


def test_contract_equal_variances_make_the_population_rule_magnitude_pruning():
    problem = dc.LGP(eigenvalues=np.ones(50), beta=np.linspace(0, 1, 50), sigma=0.2)
    prediction = dc.predict(problem, 30, 50, 10)
    assert prediction["hessian_population"] == prediction["magnitude"]
    assert prediction["hessian"] > prediction["magnitude"]  # the sample diagonal adds noise to the ranking


def test_contract_asymptotic_law_has_one_hessian_rule():
    # n -> infinity: chi^2_n / n -> 1, the sample diagonal is the population one
    from dctheory import Distribution

    prediction = dc.AsymptoticDC(Distribution.marchenko_pastur(0.5), 1.0, kappa=2.0, sigma=0.5).predict(0.2)
    assert prediction["hessian"] == prediction["hessian_population"]
    assert prediction["hessian_retrained"] == prediction["hessian_population_retrained"]


@pytest.mark.parametrize(
    "eigenvalues, beta, sigma, n",
    [
        (dc.power_law(300, 1.0), np.ones(300), 0.1, 5000),  # low noise, large n: 30-40% of the atoms saturated
        (np.geomspace(0.1, 10, 250), np.linspace(0.2, 2, 250), 0.3, 80),
        (np.r_[np.full(20, 10.0), np.ones(180)], np.ones(200), 0.5, 20),
    ],
)
@pytest.mark.parametrize("piece", [2**16, 97])
def test_exactness_node_by_node_route_matches_the_expansion(monkeypatch, eigenvalues, beta, sigma, n, piece):
    """Wide rows sum over the nodes in pieces (``piece`` values at most: 97 takes the atoms a block at a
    time, one node at a time), with their own bracketed root and the saturated atoms evaluated once;
    narrow rows expand every atom into its nodes and solve with the batched rows. Both are the same
    quadrature sum, added in other orders: they agree to rounding (measured 7e-15)."""
    from dctheory import risks

    monkeypatch.setattr(risks, "_FLAT_PART", piece)

    problem = dc.LGP(eigenvalues=eigenvalues, beta=beta, sigma=sigma)
    m = np.unique(np.linspace(problem.P // 4, problem.P, 9).astype(int))
    m = m[np.abs(m - n) > 2]

    def hessian(threshold):
        monkeypatch.setattr(risks, "_BY_NODES_FROM", threshold)
        curve = dc.risk_curve(problem, n=n, s=problem.P // 5, m=m)
        single = dc.predict(problem, n=n, s=problem.P // 7)
        return [np.asarray(curve.risks[k], float) for k in ("hessian", "hessian_retrained")] + [
            np.array([single.risks["hessian"], single.risks["hessian_retrained"]], float)
        ]

    expanded, by_nodes = hessian(10**12), hessian(0)
    for a, b in zip(expanded, by_nodes):
        np.testing.assert_allclose(b, a, rtol=5e-14)


LOG_UNIFORM = (np.geomspace(0.1, 10, 250), np.linspace(0.2, 2, 250))
TWO_LEVELS = (np.r_[np.full(20, 4.0), np.ones(180)], np.r_[np.full(20, 1.0), np.full(180, 0.5)])


@pytest.mark.parametrize(
    "spectrum, sigma, n, s",
    [
        (LOG_UNIFORM, 0.03, 400, 25),
        (LOG_UNIFORM, 0.03, 400, 83),
        (LOG_UNIFORM, 0.03, 5000, 25),
        (TWO_LEVELS, 0.02, 400, 30),
        (TWO_LEVELS, 0.02, 400, 100),
    ],
)
def test_exactness_steep_atoms_are_resolved(monkeypatch, spectrum, sigma, n, s):
    """Low noise with m < n: the atoms' keep probabilities jump across a width in log u narrower than the
    rule's step. The refined step matches a rule 64 times finer to 1e-13 (measured 2e-14), where the
    unrefined rule is off by 1e-7 to 2e-4. Two atoms: the single prediction's scalar route declines
    them (it does not refine) and the float64 route answers."""
    from dctheory import risks, sample_diagonal

    problem = dc.LGP(eigenvalues=spectrum[0], beta=spectrum[1], sigma=sigma)
    refined = dc.predict(problem, n=n, s=s).risks["hessian"]
    monkeypatch.setattr(risks, "chi2_rule", lambda n, refine=1: sample_diagonal.chi2_rule(n, refine=64 * refine))
    fine = dc.predict(problem, n=n, s=s).risks["hessian"]
    monkeypatch.setattr(risks, "chi2_rule", sample_diagonal.chi2_rule)
    monkeypatch.setattr(risks, "MAX_REFINE", 1)
    coarse = dc.predict(problem, n=n, s=s).risks["hessian"]
    assert refined == pytest.approx(fine, rel=1e-13)
    assert abs(coarse / fine - 1) > 5e-8


@pytest.mark.parametrize("n", [80, 1000, 100_000])
def test_exactness_gauss_rule_integrates_polynomials_in_log_u(n):
    """The 16-node Gauss rule is exact for polynomials in v = log u of degree below 32: against the
    trapezoidal rule refined 8 times (float64 precision), in units of v's sd, to 1e-12 of E|v|^k up to
    degree 11 (measured 8e-14). Higher monomials weigh the outermost nodes, whose weights (1e-10 and
    below) the eigenvectors give to absolute, not relative, precision: 6e-12 at degree 15, n = 80; the
    probabilities the rule averages are bounded, so that does not reach them (see the next test)."""
    from dctheory.sample_diagonal import gauss_rule

    nodes, weights = gauss_rule(n)
    fine_nodes, fine_weights = chi2_rule(n, refine=8)
    scale = np.sqrt(2 / n)
    x, fine_x = np.log(nodes) / scale, np.log(fine_nodes) / scale
    for k in range(12):
        size = fine_weights @ np.abs(fine_x) ** k
        assert abs(weights @ x**k - fine_weights @ fine_x**k) <= 1e-12 * size


def test_exactness_smooth_atoms_on_the_gauss_rule_match_a_finer_trapezoidal_rule(monkeypatch):
    """Node by node, atoms smooth on the scale of log u take the 16-node Gauss rule: the risks match the
    trapezoidal rule refined 4 times, Gauss rule off, to 1e-14 (measured 7e-16)."""
    from dctheory import risks, sample_diagonal

    P = 2000
    problem = dc.LGP(eigenvalues=dc.power_law(P, 1.0), beta=np.ones(P), sigma=0.1)
    m = np.array([300, 900, 1500, 2000])

    def hessian():
        return np.asarray(dc.risk_curve(problem, n=600, s=480, m=m).risks["hessian"], float)

    gauss = hessian()
    monkeypatch.setattr(risks, "GAUSS_FROM_N", 10**12)
    monkeypatch.setattr(risks, "chi2_rule", lambda n, refine=1: sample_diagonal.chi2_rule(n, refine=4 * refine))
    np.testing.assert_allclose(gauss, hessian(), rtol=1e-14)


def test_exactness_start_along_rows_extrapolates_the_ratio_to_the_population_root():
    """Along a curve, a row's first guess is the line through the two previous rows' ratios of the root to
    the population twin's root, at the row's position, times its twin's root: exact where the ratio is linear
    in the position; the last ratio where the two previous rows share a position; none without a row before."""
    from dctheory.risks import _start_along_rows

    position = np.array([10.0, 12.0, 17.0])
    t_population = np.array([2.0, 3.0, 5.0])
    ratio = 0.9 + 0.01 * position
    roots = (ratio * t_population)[:2]
    assert _start_along_rows(roots, t_population, position) == pytest.approx(ratio[2] * 5.0, rel=1e-15)
    shared = np.array([12.0, 12.0, 17.0])
    assert _start_along_rows(roots, t_population, shared) == pytest.approx(roots[1] / 3.0 * 5.0, rel=1e-15)
    assert np.isnan(_start_along_rows(roots[:0], t_population[:1], position[:1]))


@pytest.mark.parametrize("newton, halley", [(1e-8, 1e-6), (0.0, 1e-6), (1e-2, 1e-2)])
def test_exactness_node_by_node_roots_stop_at_rounding(monkeypatch, newton, halley):
    """Node-by-node roots stop after a Newton step below ``ROOT_STEP`` (rows whose predecessor started that
    close to its root) or a Halley step below ``HALLEY_STEP`` (the others; every row where ROOT_STEP is 0)
    when the kept total at the iterate says the root is resolved, else step on to rounding. Along a curve of
    consecutive m, rows take either; with the steps
    stopped at 1e-2 relative the check refuses rows, and each curve is the same (to the 5e-14 of the
    expansion test) as the expanded route's, where the rows are solved together, without either."""
    from dctheory import risks

    refused, curvature = [], []
    resolved, log_level = risks._NodeSums.resolved, risks._NodeSums.log_level

    def counted(self, x, kept_total, s):
        refused.append(not resolved(self, x, kept_total, s))
        return not refused[-1]

    def recorded(self, x, s, curvature=False):
        recorded.calls.append(curvature)
        return log_level(self, x, s, curvature)

    recorded.calls = curvature
    monkeypatch.setattr(risks._NodeSums, "resolved", counted)
    monkeypatch.setattr(risks._NodeSums, "log_level", recorded)
    monkeypatch.setattr(risks, "ROOT_STEP", newton)
    monkeypatch.setattr(risks, "HALLEY_STEP", halley)
    problem = dc.LGP(eigenvalues=np.geomspace(0.1, 10, 250), beta=np.linspace(0.2, 2, 250), sigma=0.3)
    m = np.arange(150, 251)

    def hessian(threshold):
        monkeypatch.setattr(risks, "_BY_NODES_FROM", threshold)
        return np.asarray(dc.risk_curve(problem, n=80, s=50, m=m, rules=("hessian",)).risks["hessian"], float)

    expanded, by_nodes = hessian(10**12), hessian(0)
    np.testing.assert_allclose(by_nodes, expanded, rtol=5e-14)
    assert len(refused) == m.size
    assert any(refused) == (halley > 1e-3)
    assert all(curvature) == (newton == 0.0) and any(curvature)


def _averaged_terms(rule, T, mean, sd, p=0.5, beta=0.7):
    """The keep probability and the thresholded-risk term (lambda = 1, coefficient ``beta``) of one atom of
    this ``mean`` and ``sd`` at the threshold T u^-p, averaged over u with the (nodes, weights) ``rule``."""
    from dctheory import kernel
    from dctheory.backends import NUMPY

    nodes, weights = rule
    thresholds = (T * nodes**-p)[None]
    mean_, sd_ = np.full_like(thresholds, mean), np.full_like(thresholds, sd)
    keep = weights @ kernel.keep_probability(NUMPY, thresholds, mean_, sd_)[0]
    ones = np.ones(nodes.size)
    risk = kernel.thresholded_risk(NUMPY, np.zeros(1), ones, thresholds, mean_, sd_, beta * ones, weights[None])[0]
    return keep, risk


@pytest.mark.parametrize("n", [300, 1000, 100_000])
def test_exactness_coarse_gauss_rule_averages_smooth_atoms(n):
    """Atoms at least COARSE_GAUSS_SMOOTHNESS sds of v = log u wide (``width``: sd / (p |mean|); mean 0 is the
    widest), from n = COARSE_GAUSS_FROM_N, take the 8-node Gauss rule: their keep probabilities and risk
    terms, at thresholds across the jump, match the trapezoidal rule refined 8 times to 2e-14 (absolute for the
    probabilities, relative for the risk terms; measured 1e-14 at n = 1000, where the 16-node rule is within
    6e-15), where the rule is off by 4e-12 at 4 sds and n = 300."""
    from dctheory.sample_diagonal import COARSE_GAUSS_FROM_N, COARSE_GAUSS_NODES, COARSE_GAUSS_SMOOTHNESS, gauss_rule

    assert n >= COARSE_GAUSS_FROM_N
    p, spread = 0.5, np.sqrt(2 / n)
    coarse, fine = gauss_rule(n, COARSE_GAUSS_NODES), chi2_rule(n, refine=8)
    cases = [(0.0, 1.0, T) for T in np.linspace(0.05, 8, 20)]  # mean 0: width infinite
    for wide in (COARSE_GAUSS_SMOOTHNESS, 2 * COARSE_GAUSS_SMOOTHNESS):
        sd = p * wide * spread  # mean 1: width = sd / p = wide sds of v
        cases += [(1.0, sd, 1.0 + a * sd) for a in np.linspace(-8, 8, 33)]
    for mean, sd, T in cases:
        (keep, risk), (keep_fine, risk_fine) = _averaged_terms(coarse, T, mean, sd), _averaged_terms(fine, T, mean, sd)
        assert abs(keep - keep_fine) <= 2e-14
        assert abs(risk - risk_fine) <= 2e-14 * abs(risk_fine)
    sd = p * 4 * spread  # 4 sds wide: the 16-node rule's bound, too coarse for 8 nodes
    thresholds = 1.0 + np.linspace(-8, 8, 33) * sd
    misses = [abs(_averaged_terms(coarse, T, 1.0, sd)[0] - _averaged_terms(fine, T, 1.0, sd)[0]) for T in thresholds]
    assert n != 300 or max(misses) > 1e-12


def test_exactness_rows_the_node_by_node_steps_cannot_solve_are_expanded(monkeypatch):
    # Two eigenvalues of 1e-308 among 6 trained features (n = 3, s = 5): their keep probabilities drop together
    # near t of 1e-301, the population twin's root is no exact root, and the bracket it gives the node-by-node
    # steps misses the root. Such a row is evaluated expanded, where the threshold's check brackets it: the
    # risks are those of the expanded route (node by node they raised a RegimeError).
    from dctheory import risks

    rng = np.random.default_rng(1)
    lam = rng.uniform(0.2, 5, 40)
    lam[[2, 4]] = 1e-308
    problem = dc.LGP(eigenvalues=lam, beta=rng.uniform(0.2, 1, 40), sigma=1.6)
    failures = []
    by_nodes = risks._pruned_sample_diagonal_by_nodes

    def spy(*args):
        out = by_nodes(*args)
        failures.append(int(out[3].sum()))
        return out

    with monkeypatch.context() as patch:
        patch.setattr(risks, "_BY_NODES_FROM", 2**62)
        expanded = dc.predict(problem, 3, 6, 5)
    monkeypatch.setattr(risks, "_pruned_sample_diagonal_by_nodes", spy)
    monkeypatch.setattr(risks, "_BY_NODES_FROM", 0)
    mixed = dc.predict(problem, 3, 6, 5)
    assert failures == [1]
    for name in ("hessian", "hessian_retrained"):
        assert mixed[name] == pytest.approx(expanded[name], rel=5e-14), name
