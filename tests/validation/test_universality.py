"""The universality experiment: its design laws (moments against closed forms) and its quick run."""

import math

import numpy as np
import pytest

import dctheory as dc
from validation import runner
from validation.experiments.universality import DESIGNS, DesignModel
from validation.montecarlo import GaussianModel

# Fourth moments E z^4 (the kurtosis) of the unit-variance laws: Rademacher 1, uniform on [-sqrt 3, sqrt 3]
# 9/5, Student t_nu scaled to variance 1: 3 + 6/(nu - 4). t_5 has no finite 8th moment, so its sample fourth
# moment has no standard error: only its mean and variance are tested.
FOURTH = {"gaussian": 3.0, "rademacher": 1.0, "uniform": 1.8, "student_t10": 4.0}


@pytest.mark.parametrize("design", sorted(DESIGNS))
def test_each_design_has_mean_0_variance_1_and_its_fourth_moment(design):
    z = DESIGNS[design](np.random.default_rng(3).standard_normal(2_000_000))
    n = z.size
    # Tolerance: 5 standard errors of each sample moment, the standard error estimated from the sample.
    assert abs(z.mean()) <= 5 * z.std() / math.sqrt(n)
    assert abs((z**2).mean() - 1) <= 5 * (z**2).std() / math.sqrt(n)
    if design in FOURTH:
        assert abs((z**4).mean() - FOURTH[design]) <= 5 * (z**4).std() / math.sqrt(n)


def test_the_gaussian_design_draws_what_the_gaussian_model_draws():
    problem = dict(beta=np.ones(30), sigma=0.5, eigenvalues=np.linspace(1, 3, 30))
    a = DesignModel("gaussian", **problem).sample(12, np.random.default_rng(5))
    b = GaussianModel(**problem).sample(12, np.random.default_rng(5))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))


def test_quick_run_passes_and_reports_each_designs_effect(tmp_path):
    result = runner.evaluate("universality", out_dir=tmp_path, quick=True)
    assert result.passed
    config = result.summary.config
    assert [c.name.split(":")[0] for c in result.claims] == [f"universality ({d})" for d in config["designs"]]
    effects = [r for r in result.measurements if r["quantity"] == "(sim - sim gaussian) / theory"]
    assert len(effects) == (len(config["designs"]) - 1) * len(config["strategies"])
    # The paired effect is resolved far more finely than the deviation from theory (common random numbers).
    deviation = {
        (r["design"], r["strategy"]): r["se"] for r in result.measurements if r["quantity"] == "sim / theory - 1"
    }
    assert np.median([r["se"] / deviation[(r["design"], r["strategy"])] for r in effects]) < 0.7
    # The theory rows are one Gaussian prediction, the same for every design.
    curve = dc.risk_curve(
        dc.LGP(eigenvalues=np.r_[np.full(20, 10.0), np.ones(180)], beta=np.ones(200), sigma=1.0), n=60, s=30
    )
    hessian = {
        r["m"]: r["risk"] for r in result.theory_rows if r["design"] == "student_t5" and r["strategy"] == "hessian"
    }
    for m, value in zip(curve.m, curve.risks["hessian"]):
        if m in hessian:
            assert hessian[m] == pytest.approx(value, rel=1e-14)
