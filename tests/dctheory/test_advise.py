"""dctheory.advise: exactness against predict / closed forms, and contracts (CLI, configs)."""

import json

import numpy as np
import pytest

import dctheory as dc
from dctheory.cli import main

SPIKED = dc.LGP(eigenvalues=dc.spiked(500, 60, 10.0), beta=np.ones(500), sigma=0.0)


@pytest.fixture(scope="module")
def spiked_advice():
    return dc.advise(SPIKED, 150, 120, ridges=[0, 0.1, 1], m_points="all")


def row(advice, strategy, m, ridge):
    (found,) = [r for r in advice.rows if r["strategy"] == strategy and r["m"] == m and r["ridge"] == ridge]
    return found["risk"]


def test_exactness_rows_match_the_paper_setting_and_closed_forms(spiked_advice):
    # docs/theory.md#claims: Hessian (population diagonal) 548.9 and magnitude 654.3 at m = P, ridgeless.
    assert row(spiked_advice, "hessian_population", 500, 0.0) == pytest.approx(548.9, abs=0.05)
    assert row(spiked_advice, "magnitude", 500, 0.0) == pytest.approx(654.3, abs=0.05)
    # Small model on the first s = 120 features, ridgeless least squares (docs/theory.md#finite-size):
    # sigma_D^2 = 380 (the 380 unit-variance features left out), risk 380 (n - 1)/(n - s - 1).
    assert row(spiked_advice, "small_first", 120, 0.0) == pytest.approx(380 * 149 / 29, rel=1e-12)
    # Every row equals predict at the same (m, ridge).
    direct = dc.predict(SPIKED, 150, 300, 120, 0.1)
    for strategy in dc.STRATEGIES[1:]:
        assert row(spiked_advice, strategy, 300, 0.1) == pytest.approx(direct[strategy], rel=1e-10)


def test_exactness_ranking_and_verdict(spiked_advice):
    risks = [r["risk"] for r in spiked_advice.ranking]
    assert risks == sorted(risks)
    best = min(r["risk"] for r in spiked_advice.rows if r["strategy"] not in ("oracle", "small_oracle"))
    assert spiked_advice.best["risk"] == best
    assert spiked_advice.best["strategy"] == "hessian_population" and spiked_advice.best["m"] == 500
    assert spiked_advice.ranking[0]["gap"] == 0 and all(r["gap"] >= 0 for r in spiked_advice.ranking)
    assert "m = 500" in spiked_advice.verdict and "Hessian" in spiked_advice.verdict
    assert f"{spiked_advice.best['risk']:.4g}" in spiked_advice.verdict
    assert f"{spiked_advice.best_small['risk']:.4g}" in spiked_advice.verdict


def test_exactness_isotropic_magnitude_equals_hessian():
    """C3 (docs/theory.md#claims): with Sigma = I, Hessian (population diagonal) and magnitude pruning coincide."""
    problem = dc.LGP(eigenvalues=np.ones(300), beta=[1.0] * 30 + [0.0] * 270, sigma=0.5)
    advice = dc.advise(problem, 100, 30, ridges=[0, 0.1], m_points=20)
    for r in advice.rows:
        if r["strategy"] == "hessian_population":
            assert r["risk"] == pytest.approx(row(advice, "magnitude", r["m"], r["ridge"]), rel=1e-9)


def test_contracts_bad_arguments():
    with pytest.raises(dc.ConfigError, match="ridges"):
        dc.advise(SPIKED, 150, 120, ridges=[0, -1])
    with pytest.raises(dc.ConfigError, match="s ="):
        dc.advise(SPIKED, 150, 0)
    with pytest.raises(dc.ConfigError, match="m_points"):
        dc.advise(SPIKED, 150, 120, m_points=1)


def write(tmp_path, config):
    path = tmp_path / "advise.json"
    path.write_text(json.dumps(config))
    return str(path)


def test_cli_advise_json_and_plot(tmp_path, capsys):
    config = {
        "n": 150,
        "sigma": 0,
        "s": 120,
        "covariance": {"spiked": {"P": 500, "k": 60, "C": 10}},
        "beta": {"constant": 1},
        "ridges": [0],
        "m_points": "all",
    }
    plot = tmp_path / "advise.png"
    assert main(["advise", write(tmp_path, config), "--json", "--plot", str(plot)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["ranking"][0]["strategy"] == "hessian_population"
    assert record["ranking"][0]["risk"] == pytest.approx(548.9, abs=0.05)
    assert plot.stat().st_size > 10_000


@pytest.mark.parametrize(
    "config, message",
    [
        ({"n": 150, "s": 10, "sigma": 0, "beta": {"constant": 1}}, "missing key 'covariance'"),
        (
            {
                "n": 150,
                "s": 10,
                "sigma": 0,
                "beta": {"constant": 1},
                "covariance": {"identity": {"P": 50}},
                "ridges": [-0.1],
            },
            "ridges[0]",
        ),
        (
            {
                "n": 150,
                "s": 10,
                "sigma": 0,
                "beta": {"constant": 1},
                "covariance": {"identity": {"P": 50}},
                "width": 20,
            },
            "unknown key 'width'",
        ),
        ({"model": "random_features", "d": 5, "n": 40, "s": 10}, "missing key 'P'"),
    ],
)
def test_cli_bad_config_one_line_error_status_2(tmp_path, capsys, config, message):
    assert main(["advise", write(tmp_path, config)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_cli_random_features_setting_uses_dc_sampling(tmp_path, capsys):
    config = {
        "model": "random_features",
        "d": 5,
        "P": 60,
        "n": 40,
        "s": 10,
        "ridges": [0.1],
        "m_points": 3,
        "samples": 40,
    }
    assert main(["advise", write(tmp_path, config), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    magnitude = [r for r in record["rows"] if r["strategy"] == "magnitude"]
    assert [r["m"] for r in magnitude] == [35, 60]
    assert all(r["stderr"] > 0 and np.isfinite(r["risk"]) for r in magnitude)


def test_schedule_sizes_geometric_and_linear():
    from dctheory.advise import schedule_sizes

    assert schedule_sizes(400, 40, 2, "geometric") == [126, 40]  # 400 * 0.1^(1/2) = 126.5
    assert schedule_sizes(400, 40, 3, "linear") == [280, 160, 40]
    assert schedule_sizes(42, 40, 4, "linear") == [41, 40]  # rounding merges equal sizes


def test_schedules_ranked_beside_one_shot_routes():
    """schedules=True adds one row per schedule (ending at s, from the best one-shot retrained m and ridge) whose
    risk is predict_schedule's (to its Monte Carlo error), and a verdict on rounds vs one shot; off by default."""
    rng = np.random.default_rng(1)
    problem = dc.LGP(eigenvalues=np.exp(rng.uniform(-2.3, 2.3, 200)), beta=rng.standard_normal(200) / 5, sigma=0.5)
    plain = dc.advise(problem, 60, 20, ridges=[0], m_points=20)
    assert not [r for r in plain.rows if "schedule" in r] and "In rounds" not in plain.verdict
    advice = dc.advise(problem, 60, 20, ridges=[0], m_points=20, samples=300, schedules=True)
    rounds = [r for r in advice.rows if r["strategy"] in ("magnitude_rounds", "hessian_rounds")]
    assert len(rounds) >= 8 and all(r["schedule"][-1] == 20 for r in rounds)
    assert all(np.all(np.diff([r["m"], *r["schedule"]]) < 0) for r in rounds)
    start = plain["magnitude_retrained"]
    first = next(r for r in rounds if r["strategy"] == "magnitude_rounds")
    assert (first["m"], first["one_shot"]) == (start["m"], start["risk"])
    again = dc.predict_schedule(problem, 60, first["m"], first["schedule"], samples=2000, rng=np.random.default_rng(5))
    assert abs(again.final - first["risk"]) < 4 * np.hypot(first["stderr"], again.rounds[-1]["retrained_stderr"])
    assert "In rounds, the best schedule is" in advice.verdict and "recommended: prune" in advice.verdict


def test_cli_schedules_key(tmp_path, capsys):
    config = {
        "n": 20,
        "s": 5,
        "sigma": 0.5,
        "beta": {"constant": 0.2},
        "covariance": {"power_law": {"P": 60, "alpha": 1}},
        "ridges": [0.1],
        "m_points": 5,
        "samples": 50,
        "schedules": True,
    }
    assert main(["advise", write(tmp_path, config), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert {r["strategy"] for r in record["rows"] if "schedule" in r} == {
        "magnitude_rounds",
        "hessian_rounds",
        "hessian_population_rounds",
    }
    assert "In rounds, the best schedule is" in record["verdict"]
    assert main(["advise", write(tmp_path, dict(config, schedules="yes"))]) == 2
    assert "schedules = 'yes' must be true or false" in capsys.readouterr().err
