"""Statistics and contracts: the ridge experiment and the advise check.

Tolerance: the suite's rule (validation.verdicts.RULE, fixed before results
were seen): |sim - theory| <= 4 se + allowance |theory|, LGP allowance 0.03
(Hessian 0.15). The quick ridge run uses n = 200, where docs/theory.md#finite-size
puts the ridge bias for kappa < 1 at about 2%, inside the 0.03 allowance.
Full-size runs are behind the ``slow`` marker.
"""

import json

import pytest

from dctheory.errors import ConfigError
from validation import runner
from validation.catalog import get_experiment
from validation.experiment import CONFIG_DIR
from validation.experiments.advise import resolve
from validation.experiments.ridge import checked, ridge_question


def _judge(name, out_dir, quick):
    return runner.evaluate(name, out_dir=out_dir, quick=quick)


def _assert_all_pass(verdict_rows, claims, at_least):
    judged = [v for v in verdict_rows if v["verdict"] != "INFO"]
    assert len(judged) >= at_least
    failing = [v for v in judged if v["verdict"] != "PASS"]
    assert not failing
    assert claims and all(c.passed for c in claims), [c for c in claims if not c.passed]


@pytest.fixture(scope="module")
def quick_ridge(tmp_path_factory):
    return _judge("ridge", tmp_path_factory.mktemp("ridge"), quick=True)


def test_quick_ridge_agrees_with_theory(quick_ridge):
    summary, _theory_rows, verdict_rows, claims = quick_ridge
    config = summary.config
    # every (ridge, m, strategy) of the grid is judged, ridge 0 included
    assert len(verdict_rows) == len(config["ridges"]) * len(config["m_grid"]) * len(config["strategies"])
    assert {v["ridge"] for v in verdict_rows} == set(config["ridges"])
    _assert_all_pass(verdict_rows, claims, at_least=100)
    # the ridge changes the risk: at m = P the dense risk at ridge 3 is >= 5% above the best
    dense = {v["ridge"]: v["theory"] for v in verdict_rows if v["m"] == config["P"] and v["strategy"] == "dense"}
    assert dense[3.0] > 1.05 * min(dense.values())


def test_quick_ridge_answers_the_open_question(quick_ridge):
    """At m = P magnitude pruning wants a larger ridge than the dense model, in theory and simulation."""
    summary, theory_rows, _, _ = quick_ridge
    answer = {
        r["strategy"]: r
        for r in ridge_question(summary.rows, theory_rows, summary.config["P"], summary.config["strategies"])
    }
    mp = answer["magnitude"]
    assert mp["best_ridge_theory"] > mp["dense_ridge_theory"]
    assert mp["best_ridge_sim"] > mp["dense_ridge_sim"]
    # the price of the dense ridge after magnitude pruning: predicted > 5%, measured > 4 paired s.e.
    assert mp["price_theory"] > 0.05 * mp["risk_best_theory"]
    assert mp["price_sim"] > 4 * mp["price_se"]


def test_quick_advise_recommendation_is_best_simulated(tmp_path):
    """All three documented settings; random features with a coarser advice (4 m values, 50 DC
    samples per m) and n_test = 5000 held-out points, judged with the Gaussian-equivalence
    allowance 0.15. The claims need no candidate below the recommendation by more than 4 paired
    s.e. and the recommendation below the best small model by more than 4 paired s.e."""
    _summary, theory_rows, verdict_rows, claims = _judge("advise", tmp_path, quick=True)
    _assert_all_pass(verdict_rows, claims, at_least=12)
    recommended = {r["setting"]: (r["strategy"], r["m"]) for r in theory_rows if r["recommended"]}
    # spiked: Hessian pruning with the population diagonal (548.2) just ahead of the sample diagonal (548.5)
    assert recommended["isotropic"][0] == "magnitude" and recommended["spiked"][0] == "hessian_population"
    # random features: fresh retraining after pruning the widest model (m = P = 400); MP and HP
    # retraining are predicted within their sampling s.e. of each other, so either may rank first
    assert recommended["random_features"] in {
        ("magnitude_retrained", 400),
        ("hessian_retrained", 400),
        ("hessian_population_retrained", 400),
    }
    rf = [v for v in verdict_rows if v["setting"] == "random_features" and v["kind"] == "agreement"]
    assert len(rf) == 5 and all(v["allowance"] == 0.15 for v in rf)
    names = [c.name for c in claims]
    assert sum("best simulated candidate" in n for n in names) == 3
    assert sum("beats the best small model" in n for n in names) == 3


@pytest.mark.parametrize(
    "change, message",
    [
        ({"ridges": [0.1, 1]}, "include 0"),
        ({"ridges": [0, -1]}, "ridges must be"),
        ({"m_grid": [240, 400, 800]}, "interpolation peak"),
        ({"m_grid": [100, 800]}, "strictly increasing"),
        ({"question_m": [700]}, "subset of m_grid"),
        ({"s": 400}, "s must be < n"),
        ({"strategies": ["dense", "pruned"]}, "strategies"),
    ],
)
def test_ridge_config_errors_are_one_line(change, message):
    config = get_experiment("ridge").load_config()
    config.update(change)
    with pytest.raises(ConfigError, match=message) as info:
        checked(config)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"settings": {}}, "non-empty"),
        ({"settings": {"x": "advise/missing.json"}}, "no file"),
        ({"top": 0}, "top must be"),
    ],
)
def test_advise_config_errors_are_one_line(change, message):
    raw = json.loads((CONFIG_DIR / "advise.json").read_text())
    raw.update(change)
    with pytest.raises(ConfigError, match=message) as info:
        resolve(raw)
    assert "\n" not in str(info.value)


def test_advise_config_reads_the_documented_settings():
    config = get_experiment("advise").load_config()
    assert set(config["settings"]) == {"isotropic", "spiked", "random_features"}
    assert config["settings"]["spiked"]["covariance"] == {"spiked": {"P": 500, "k": 60, "C": 10}}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["ridge", "advise"])
def test_full_ridge_and_advise(name, tmp_path):
    _, _, verdict_rows, claims = _judge(name, tmp_path, quick=False)
    _assert_all_pass(verdict_rows, claims, at_least=10)
