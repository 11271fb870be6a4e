"""The iterative pruning experiment: its config contracts and its quick run judged against
``dctheory.predict_schedule`` (its engine, :func:`validation.montecarlo.prune_in_rounds`, is tested in
test_montecarlo.py)."""

import numpy as np
import pytest

from dctheory.errors import ConfigError
from validation import runner
from validation.catalog import get_experiment
from validation.experiments.iterative import ONE_SHOT, checked, setting_arrays


# -- contracts: the config ---------------------------------------------------------------------------
def _config(**change):
    config = get_experiment("iterative").load_config(quick=True)
    config.update(change)
    return config


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"schedules": {"two": [40, 20]}}, "'one_shot' schedule"),
        ({"schedules": {ONE_SHOT: [20], "up": [20, 40]}}, "strictly decreasing"),
        ({"schedules": {ONE_SHOT: [20], "other": [40, 10]}}, "must end at the same size"),
        ({"schedules": {ONE_SHOT: [20], "many": [150, 100, 60, 40, 20]}}, "more rounds than fresh_samples"),
        ({"strategies": ["magnitude", "sample_hessian_typo"]}, "strategies must be among"),
        ({"ridges": [-1]}, "ridges must be"),
        ({"m": 500}, "m must be <= P"),
    ],
)
def test_bad_configs_raise_one_line(change, message):
    with pytest.raises(ConfigError, match=message) as error:
        checked(_config(**change))
    assert "\n" not in str(error.value)


def test_settings_are_the_documented_spectra():
    config = _config()
    spiked, _, _ = setting_arrays(config["settings"]["spiked"], 200)
    assert spiked.tolist() == [10.0] * 20 + [1.0] * 180
    power, _, _ = setting_arrays(config["settings"]["power_law"], 200)
    np.testing.assert_allclose(power, 10.0 / np.arange(1, 201), rtol=1e-15)
    lam, beta, _ = setting_arrays(config["settings"]["log_uniform"], 4000)
    assert 0.1 <= lam.min() and lam.max() <= 10.0
    # log-uniform on [0.1, 10]: log10 is uniform on [-1, 1] (mean 0, variance 1/3); Gaussian beta: mean 0, variance 1.
    # Tolerance: 5 standard errors of each sample moment.
    se = 1 / np.sqrt(4000)
    assert abs(np.log10(lam).mean()) <= 5 * np.sqrt(1 / 3) * se
    assert abs(beta.mean()) <= 5 * se and abs(beta.var() - 1) <= 5 * np.sqrt(2) * se
    with pytest.raises(ConfigError, match="spectrum must be one of"):
        setting_arrays({"spectrum": "flat", "sigma": 1}, 10)


# -- statistics: the quick run -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    return runner.evaluate("iterative", out_dir=tmp_path_factory.mktemp("iterative"), quick=True)


def test_quick_run_passes_and_judges_every_claim(quick):
    """Tolerance: the experiment's rule (4 combined s.e. + the declared allowance of the config)."""
    config = quick.summary.config
    assert quick.passed, [c for c in quick.claims if not c.passed]
    assert len(quick.claims) == 2 * len(config["settings"]) and not any(c.skipped for c in quick.claims)
    judged = [v for v in quick.verdict_rows if v["kind"] == "agreement" and v["verdict"] == "PASS"]
    rounds = sum(len(s) for s in config["schedules"].values())
    assert len(judged) == len(config["settings"]) * len(config["ridges"]) * rounds * len(config["strategies"]) * 2
    # every setting has at least one one-shot vs rounds comparison the run resolves, and it passes
    margins = [v for v in quick.verdict_rows if v["kind"] == "margin"]
    for setting in config["settings"]:
        assert any(v["claim"].startswith(setting) and v["verdict"] == "PASS" for v in margins), setting
    # the one-round schedule is the one-round prediction (dctheory.predict), exact for a diagonal Sigma
    once = [r for r in quick.theory_rows if r["schedule"] == ONE_SHOT]
    assert once and all(r["stderr"] == 0 for r in once if r["strategy"] != "random")


def test_the_one_shot_prediction_of_a_schedule_fails(quick):
    """A theory that ignored the rounds (each schedule's final risk = one-shot pruning's) is refuted by the
    same simulation: rounds change the final risk by far more than the tolerance."""
    experiment = get_experiment("iterative")
    config, sim_rows = quick.summary.config, quick.summary.rows
    lengths = {name: len(sizes) for name, sizes in config["schedules"].items()}
    once = {
        (r["setting"], r["ridge"], r["strategy"], r["stage"]): r for r in quick.theory_rows if r["schedule"] == ONE_SHOT
    }
    wrong = [
        {**r, "risk": once[(r["setting"], r["ridge"], r["strategy"], r["stage"])]["risk"]}
        if r["round"] == lengths[r["schedule"]]
        else r
        for r in quick.theory_rows
    ]
    verdict_rows = experiment.compare(sim_rows, wrong, config)
    claims = experiment.claims(sim_rows, wrong, verdict_rows, config)
    agreement = [c for c in claims if "within tolerance" in c.name]
    assert len(agreement) == len(config["settings"]) and all(c.status == "FAIL" for c in agreement)


@pytest.mark.slow
def test_full_run_passes(tmp_path):
    """The full size of docs/validation/iterative.md: every point and every claim passes."""
    result = runner.evaluate("iterative", out_dir=tmp_path)
    assert result.passed and not any(c.skipped for c in result.claims)
