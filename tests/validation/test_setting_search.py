"""Contracts and exactness of the theory-first setting search (validation.setting_search)."""

import numpy as np
import pytest

import dctheory as dc
from dctheory.errors import ConfigError
from validation.experiments.random_features import features
from validation.setting_search import SearchRow, candidate_grid, search


def test_candidate_grid_includes_m_just_above_s_and_skips_the_peak():
    grid = candidate_grid(600, 40, 200)
    assert grid[:2] == [50, 60]  # s + 10, s + 20: the small-model competitors
    assert all(40 < m <= 600 and abs(m - 200) > 4 for m in grid)
    assert 200 not in candidate_grid(600, 190, 200) and 210 in candidate_grid(600, 190, 200)


def test_search_matches_dc_predict_and_reports_argmin_and_margin():
    small = lambda P, s, n: [12, 16, 40, 60]  # noqa: E731
    (row,) = search([60], [8], n=20, d=5, feature_seed=3, samples=40, seed=4, grid=small)
    model = features({"P": 60, "d": 5, "feature_seed": 3})
    problem = dc.random_features_lgp(model.W, model.beta_star)
    ref = [
        dc.predict(problem, n=20, m=m, s=8, samples=40, rng=np.random.default_rng(4)).risks["magnitude"]
        for m in (12, 16, 40, 60)
    ]
    np.testing.assert_allclose(row.risk, ref, rtol=1e-12)
    assert row.argmin == (12, 16, 40, 60)[int(np.argmin(ref))]
    assert row.margin == pytest.approx(min(ref[2:]) / min(ref[:2]))


def test_margin_below_one_iff_overparameterized_minimum():
    row = SearchRow(P=600, s=40, n=200, m=(50, 60, 400, 600), risk=(2.5, 2.6, 3.0, 2.4))
    assert row.argmin == 600 and row.margin == pytest.approx(2.4 / 2.5)
    row = SearchRow(P=600, s=40, n=200, m=(50, 400), risk=(2.5, 3.0))
    assert row.argmin == 50 and row.margin == pytest.approx(1.2)


def test_bad_sparsity_is_a_config_error():
    with pytest.raises(ConfigError, match="s must be in"):
        search([60], [60], n=20, d=5)
