"""The theorem1 experiment (docs/theory.md#asymptotic) and its exact 1-d W2 routine.

Three kinds of test:

* exactness: W2 to a Gaussian mixture against mpmath quadrature of the
  quantile coupling (30 digits) and closed forms (N = 1, N = 2); the quantile
  solver against its defining equation; E|X| against mpmath quadrature;
  the AR(1) design and the DC's eigenbasis against the Toeplitz matrix;
* statistics (fixed seeds, tolerance 4 standard errors): the closed-form DC
  expectations of the test functions against draws from the DC law, the
  AR(1) covariance against rho^|i-j|, the bootstrap slope against a known
  power law;
* the pipeline: a tiny config through the runner; the quick run must pass
  its own rule, stated in the config before any run: slope + 1.96 se
  < -0.25 for every covariance x measure.
"""

import csv
import math

import mpmath
import numpy as np
import pytest

from dctheory.errors import ConfigError
from validation import runner
from validation.catalog import get_experiment
from validation.experiments.theorem1 import (
    ar1_design,
    checked,
    dc_expectations,
    distance_table,
    fit_slope,
    folded_normal_mean,
    function_values,
    setting,
)
from validation.wasserstein import GaussianMixture, QuantileCoupling, w2_to_mixture


# --------------------------------------------------------------------------
# exactness of W2
# --------------------------------------------------------------------------
def _w2_mpmath(x, means, sds, dps=30):
    """W2 by the definition: quantiles by findroot, each cell's int (x_j - q)^2 dF(q) by quad."""
    with mpmath.workdps(dps):
        x = sorted(mpmath.mpf(v) for v in x)
        N, K = len(x), len(means)
        F = lambda q: mpmath.fsum(mpmath.ncdf((q - m) / s) for m, s in zip(means, sds)) / K  # noqa: E731
        f = lambda q: mpmath.fsum(mpmath.npdf(q, m, s) for m, s in zip(means, sds)) / K  # noqa: E731
        cuts = [-mpmath.inf]
        for j in range(1, N):
            cuts.append(mpmath.findroot(lambda q, j=j: F(q) - mpmath.mpf(j) / N, (-60, 60), solver="anderson"))
        cuts.append(mpmath.inf)
        total = mpmath.fsum(
            mpmath.quad(lambda q, j=j: (x[j] - q) ** 2 * f(q), [cuts[j], cuts[j + 1]]) for j in range(N)
        )
        return float(mpmath.sqrt(total))


@pytest.mark.parametrize("means, sds", [([0.0], [1.0]), ([-1.0, 2.0], [0.5, 1.5]), ([0.3, 0.1, -0.4], [1.0, 0.2, 0.7])])
def test_w2_matches_mpmath_quadrature_of_the_quantile_coupling(means, sds):
    x = np.random.default_rng(3).normal(size=7) * 1.3
    assert w2_to_mixture(x, means, sds) == pytest.approx(_w2_mpmath(x, means, sds), rel=1e-11)


def test_w2_closed_forms_for_one_and_two_points():
    # N = 1: W2^2 = E_F (x - X)^2 = (x - E X)^2 + Var X
    means, sds = np.array([-1.0, 0.5, 3.0]), np.array([0.3, 1.0, 2.0])
    mean = means.mean()
    var = np.mean(means**2 + sds**2) - mean**2
    assert w2_to_mixture([0.7], means, sds) == pytest.approx(math.sqrt((0.7 - mean) ** 2 + var), rel=1e-13)
    # N = 2, F = N(0, 1): cells (-inf, 0), (0, inf); E[X 1{X < 0}] = -phi(0)
    x1, x2 = -0.4, 1.1
    phi0 = 1 / math.sqrt(2 * math.pi)
    exact = (x1**2 + x2**2) / 2 - 2 * (-x1 * phi0 + x2 * phi0) + 1
    assert w2_to_mixture([x2, x1], [0.0], [1.0]) == pytest.approx(math.sqrt(exact), rel=1e-12)


def test_w2_is_equivariant_and_ignores_duplicated_components():
    rng = np.random.default_rng(5)
    means, sds, x = rng.normal(size=30), 0.2 + rng.random(30), rng.normal(size=50)
    base = w2_to_mixture(x, means, sds)
    # location-scale: W2(a + c x, a + c F) = c W2(x, F)
    assert w2_to_mixture(1.5 + 3 * x, 1.5 + 3 * means, 3 * sds) == pytest.approx(3 * base, rel=1e-10)
    # a mixture that repeats every component is the same law
    assert w2_to_mixture(x, np.r_[means, means], np.r_[sds, sds]) == pytest.approx(base, rel=1e-10)


def test_quantiles_solve_the_cdf_equation_for_a_badly_separated_mixture():
    mix = GaussianMixture([-50.0, 0.0, 50.0], [0.01, 1.0, 10.0])
    u = np.arange(1, 500) / 500
    q = mix.quantile(u)
    assert np.all(np.diff(q) > 0)
    assert np.max(np.abs(mix.cdf(q) - u)) <= 1e-12


def test_w2_contracts():
    with pytest.raises(ConfigError, match="sds must be > 0"):
        GaussianMixture([0.0], [0.0])
    with pytest.raises(ConfigError, match="shape"):
        QuantileCoupling(GaussianMixture([0.0], [1.0]), 3).w2([1.0, 2.0])


# --------------------------------------------------------------------------
# test functions, the AR(1) design, the Toeplitz eigenbasis
# --------------------------------------------------------------------------
def test_folded_normal_mean_matches_quadrature():
    for mu, s in [(0.0, 1.0), (0.7, 0.3), (-2.0, 1.5), (5.0, 0.1)]:
        cuts = sorted({0.0, mu - 10 * s, mu, mu + 10 * s})
        exact = mpmath.quad(lambda v, mu=mu, s=s: abs(v) * mpmath.npdf(v, mu, s), [-mpmath.inf, *cuts, mpmath.inf])
        assert folded_normal_mean(mu, s) == pytest.approx(float(exact), rel=1e-12)


def _tiny_config(**over):
    config = get_experiment("theorem1").load_config(quick=True)
    config.update({"P_grid": [40, 80], "trial_share": [1.0, 1.0], "trials": 4, "bootstrap": 200})
    config.update(over)
    return config


@pytest.mark.parametrize("covariance", ["spiked", "power_law", "toeplitz"])
def test_dc_expectations_match_draws_from_the_dc_law(covariance):
    """Closed forms vs 40000 draws of the DC law (tolerance 4 standard errors of the draws)."""
    config = _tiny_config()
    s = setting(config, covariance, 80)
    rng = np.random.default_rng(7)
    draws = function_values(s.mean + s.sd * rng.standard_normal((40000, s.P)), s.lam, s.b, 1.0)
    se = draws.std(axis=1, ddof=1) / math.sqrt(draws.shape[1])
    assert np.all(np.abs(draws.mean(axis=1) - dc_expectations(s, 1.0)) <= 4 * se)


def test_ar1_design_has_the_toeplitz_covariance():
    n, P, rho = 20000, 5, 0.6
    X = ar1_design(n, P, rho, np.random.default_rng(11))
    sample = X.T @ X / n
    target = rho ** np.abs(np.subtract.outer(np.arange(P), np.arange(P)))
    # var of a Gaussian product x_i x_j is 1 + rho_ij^2 (unit variances)
    se = np.sqrt((1 + target**2) / n)
    assert np.all(np.abs(sample - target) <= 4 * se)


def test_toeplitz_setting_uses_the_dc_eigenbasis():
    import dctheory as dc

    s = setting(_tiny_config(), "toeplitz", 40)
    U = s.basis
    assert np.allclose(U @ np.diag(s.lam) @ U.T, dc.toeplitz(40, 0.6), atol=1e-12)
    assert np.allclose(s.b, math.sqrt(40) * U.T @ s.problem.beta, atol=1e-12)
    assert sorted(np.concatenate([idx for _, idx in s.classes]).tolist()) == list(range(40))


def test_fit_slope_recovers_a_known_power_law():
    """d = 2 P^(-1/2) exp(0.1 g): slope -1/2 within 4 se; bootstrap se near the delta-method se."""
    rng = np.random.default_rng(13)
    grid, T = [100, 200, 400, 800, 1600], 200
    d = [2 * P**-0.5 * np.exp(0.1 * rng.standard_normal(T)) for P in grid]
    slope, se, _, _ = fit_slope(grid, d, 2000, np.random.default_rng(1))
    x = np.log(grid) - np.log(grid).mean()
    analytic = math.sqrt(np.exp(0.01) - 1) / math.sqrt(T) / math.sqrt(np.dot(x, x))
    assert abs(slope + 0.5) <= 4 * se
    assert 0.75 * analytic <= se <= 1.25 * analytic


def test_config_errors_name_the_bad_value():
    with pytest.raises(ConfigError, match="kappa must be a finite number > 1"):
        checked(_tiny_config(kappa=1.0))
    with pytest.raises(ConfigError, match="covariances"):
        checked(_tiny_config(covariances={"circulant": {}}))
    with pytest.raises(ConfigError, match="alpha"):
        checked(_tiny_config(covariances={"power_law": {"alpha": 1.0, "bins": 2}}))


# --------------------------------------------------------------------------
# the pipeline
# --------------------------------------------------------------------------
def test_tiny_config_runs_through_the_runner(tmp_path):
    experiment = get_experiment("theorem1")
    config = _tiny_config()
    summary = runner.run(experiment, config, out_dir=tmp_path, progress=False)
    theory_rows, _, _ = runner.theory(experiment, summary.config, out_dir=tmp_path)
    verdicts = experiment.compare(summary.rows, theory_rows, summary.config)
    # one row per covariance x measure: W2 of 2 + 4 + 4 classes, 4 test functions each
    assert len(verdicts) == 10 + 3 * 4
    z = summary.config.get("z", 1.96)
    for v in verdicts:
        # rate rows: the fitted slope +- se against the bound, PASS iff slope + z se < bound
        assert v["kind"] == "rate" and v["bound"] == -0.25 and v["slope_se"] > 0
        assert (v["verdict"] == "PASS") == (v["slope"] + z * v["slope_se"] < -0.25)
    table = distance_table(summary.rows, theory_rows)
    assert all(d.size == 4 for per in table.values() for d in per.values())
    assert len(experiment.claims(summary.rows, theory_rows, verdicts, summary.config)) == 4


def test_quick_run_passes_its_rule_and_matches_the_exact_law_floor(tmp_path, capsys):
    """The quick run (15 s on a quiet machine) at its fixed seeds: every covariance x measure passes
    slope + 1.96 se < -0.25 (W2 slopes have se ~0.02, test functions ~0.06; measured
    z = (slope + 0.25)/se from -2.2 to -12.8, the closest row 0.25 se inside the bound),
    the bias claim holds (|z| <= 4), and at the largest P every class W2 of the simulation
    is within 25% of the W2 of an equally large draw from the DC law itself (measured
    ratios 0.95-1.09; a law off by a few percent in its spread would exceed the floor)."""
    from dctheory.cli import main

    code = main(["validate", "theorem1", "--quick", "--out", str(tmp_path), "--no-progress", "--table"])
    assert "theorem1 rule:" in capsys.readouterr().out
    verdicts = list(csv.DictReader((tmp_path / "theorem1" / "verdicts.csv").open()))
    claims = list(csv.DictReader((tmp_path / "theorem1" / "claims.csv").open()))
    assert len(verdicts) == 22 and all(v["verdict"] == "PASS" for v in verdicts)
    assert len(claims) == 4 and all(c["passed"] == "True" for c in claims)
    assert code == 0
    ratios = [float(v["sim/exact at max P"]) for v in verdicts if v["measure"].startswith("W2 ")]
    assert len(ratios) == 10 and max(ratios) < 1.25
