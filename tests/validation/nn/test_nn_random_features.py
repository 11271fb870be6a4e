"""The random-features bridge (validation.relu_features.DataReLUFeatures and the nn_rf experiment)."""

import numpy as np
import pytest

from dctheory.errors import ConfigError
from validation.relu_features import DataReLUFeatures, half_targets


def _model(N=400, d=6, P=30, seed=0):
    rng = np.random.default_rng(seed)
    inputs = rng.standard_normal((N, d))
    targets = np.sign(inputs[:, 0] * inputs[:, 1]) + 0.1 * rng.standard_normal(N)
    return DataReLUFeatures.draw(P, inputs, targets, rng), inputs, targets


def test_pool_risk_is_the_exact_pool_mean_squared_error():
    model, inputs, targets = _model()
    weights = np.random.default_rng(1).standard_normal((5, model.P)) * 0.1
    direct = ((targets[:, None] - np.maximum(inputs @ model.W.T, 0.0) @ weights.T) ** 2).mean(axis=0)
    np.testing.assert_allclose(model.pool_risk(weights), direct, rtol=1e-10)
    # beta_eq is the pool least-squares fit: no w does better, and its risk is sigma_eq^2
    assert model.pool_risk(model.beta)[0] == pytest.approx(model.sigma2, rel=1e-9)
    assert model.pool_risk(model.beta)[0] <= direct.min()
    _risk, se = model.test_risk(weights)
    np.testing.assert_array_equal(se, 0.0)


def test_sampling_draws_pool_rows_with_replacement():
    model, _, targets = _model(N=50)
    Phi, y = model.sample(2000, np.random.default_rng(3))
    assert Phi.shape == (2000, model.P)
    # every drawn row is a pool row, with its own target
    rows = [int(np.argmin(np.abs(model.features - phi).sum(axis=1))) for phi in Phi[:50]]
    np.testing.assert_array_equal(y[:50], targets[rows])
    assert len(set(rows)) < 50  # 50 draws from 50 rows repeat one (probability 1 - 50!/50^50)


def test_equivalent_lgp_carries_the_pool_moments():
    dc = pytest.importorskip("dctheory")
    if not hasattr(dc, "LGP"):
        pytest.skip("dctheory.LGP not in this checkout yet")
    model, *_ = _model()
    problem = model.equivalent_lgp()
    np.testing.assert_allclose(problem.covariance, model.covariance)
    np.testing.assert_allclose(problem.beta, model.beta)
    w = np.random.default_rng(4).standard_normal(model.P) * 0.1
    assert float(problem.risk(w)) == pytest.approx(float(model.pool_risk(w)[0]), rel=1e-9)


def test_half_targets_and_bad_shapes():
    np.testing.assert_array_equal(half_targets(np.array([0, 4, 5, 9])), [1.0, 1.0, -1.0, -1.0])
    with pytest.raises(ConfigError, match="agree on d"):
        DataReLUFeatures(np.zeros((3, 5)), np.zeros((10, 4)), np.zeros(10))
    with pytest.raises(ConfigError, match="P must be >= 1, got 0"):
        DataReLUFeatures.draw(0, np.zeros((10, 4)), np.zeros(10), np.random.default_rng(0))


@pytest.mark.nn
def test_nn_rf_quick_through_runner(tmp_path):
    pytest.importorskip("mnist1d")
    dc = pytest.importorskip("dctheory")
    if not hasattr(dc, "predict"):
        pytest.skip("dctheory.predict not in this checkout yet")
    from validation.catalog import get_experiment
    from validation.runner import run

    experiment = get_experiment("nn_rf")
    config = experiment.load_config(quick=True)
    summary = run(experiment, config, out_dir=tmp_path, progress=False)
    theory = experiment.theory(config)
    verdicts = experiment.compare(summary.rows, theory, config)
    fresh = [v for v in verdicts if v["strategy"] == "magnitude_retrained"]
    same = [v for v in verdicts if v["strategy"] == "magnitude_retrained_same"]
    assert len(fresh) == len(config["m_grid"]) and all(v["verdict"] == "PASS" for v in fresh)
    assert same and all(v["verdict"] == "INFO" for v in same)  # reported, never judged
    # the dense pool risk at m = P: theory and simulation within the stated rule
    (dense,) = [v for v in verdicts if v["strategy"] == "dense" and v["m"] == config["P"]]
    assert dense["verdict"] == "PASS"
    assert {c.name for c in experiment.claims(summary.rows, theory, verdicts, config)} >= {
        "C6 DC predicts fresh retraining"
    }
