"""The random-features simulator: held-out risk against the exact quadratic risk."""

import numpy as np
import pytest

import dctheory as dc
from dctheory.errors import ConfigError
from validation.relu_features import ReLUFeatures


def test_held_out_risk_is_unbiased_for_the_population_risk():
    # E (y - <phi, w>)^2 is a quadratic in w whose coefficients the equivalent LGP
    # holds exactly (docs/theory.md#random-features), so p.risk(w) is the population risk.
    # The held-out estimate must agree within 4.5 of its own standard error.
    rng = np.random.default_rng(3)
    model = ReLUFeatures.draw(30, 5, rng)
    p = dc.random_features_lgp(model.W, model.beta_star)
    W = np.vstack([np.zeros(30), rng.standard_normal((3, 30)) * 0.3, p.beta])
    risk, se = model.test_risk(W, 200_000, rng)
    exact = p.risk(W)
    assert np.all(np.abs(risk - exact) <= 4.5 * se), (risk, exact, se)
    assert risk[0] == pytest.approx(3.0, rel=0.03)  # E y^2 = E (x^T b)^4 = 3 for a unit b


def test_contracts():
    with pytest.raises(ConfigError, match="noise"):
        ReLUFeatures(np.ones((3, 2)), np.ones(2), noise=-1)
    with pytest.raises(ConfigError, match="beta_star"):
        ReLUFeatures(np.ones((3, 2)), np.ones(3))
    with pytest.raises(ConfigError, match="n_test"):
        ReLUFeatures(np.ones((3, 2)), np.ones(2)).test_risk(np.ones((1, 3)), 1, np.random.default_rng(0))
