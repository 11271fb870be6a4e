"""Contracts of the command line: outputs and one-line errors with exit status 2."""

import json

import mpmath
import numpy as np
import pytest

from dctheory.cli import main

SPIKED = {
    "n": 150,
    "sigma": 0,
    "s": 120,
    "m": 500,
    "covariance": {"spiked": {"P": 500, "k": 60, "C": 10}},
    "beta": {"constant": 1},
}


def run(tmp_path, capsys, config, *flags):
    path = tmp_path / "config.json"
    path.write_text(config if isinstance(config, str) else json.dumps(config))
    code = main(["predict", str(path), *flags])
    out, err = capsys.readouterr()
    return code, out, err


def test_predict_prints_every_number(tmp_path, capsys):
    code, out, _ = run(tmp_path, capsys, SPIKED, "--json")
    record = json.loads(out)
    assert code == 0
    assert {
        "xi",
        "tau2",
        "dense",
        "magnitude",
        "hessian",
        "hessian_population",
        "oracle",
        "random",
        "magnitude_retrained",
        "hessian_retrained",
        "hessian_population_retrained",
    } <= set(record)
    assert round(record["hessian_population"], 1) == 548.9
    assert round(record["hessian"], 1) == 549.2


def test_predict_dps_50_isotropic_equals_hastie(tmp_path, capsys):
    config = {
        "n": 200,
        "sigma": 0.5,
        "s": 100,
        "m": 400,
        "covariance": {"identity": {"P": 400}},
        "beta": {"constant": 0.05},
    }
    _code, out, _ = run(tmp_path, capsys, config, "--dps", "50", "--json")
    record = json.loads(out)
    with mpmath.workdps(60):
        kappa, r2 = mpmath.mpf(2), 400 * mpmath.mpf("0.05") ** 2
        expected = mpmath.mpf("0.25") * kappa / (kappa - 1) + r2 * (1 - 1 / kappa)
        assert isinstance(record["tau2"], str) and len(record["tau2"].replace(".", "")) == 50
        assert abs(mpmath.mpf(record["tau2"]) - expected) < mpmath.mpf(10) ** -49
        assert abs(mpmath.mpf(record["xi"]) - 1 / (kappa - 1)) < mpmath.mpf(10) ** -49


def test_predict_curve_and_rank_one(tmp_path, capsys):
    code, out, _ = run(tmp_path, capsys, {**SPIKED, "m": "all"}, "--json")
    data = json.loads(out)
    assert code == 0 and len(data["curve"]) == 498 and data["undefined_m"] == [149, 150]
    rank_one = {"model": "rank_one", "zeta": [2, -1.5, 1], "beta": [0.3, 0.1, -0.2], "n": 12, "sigma": 0.7, "s": 1}
    code, out, _ = run(tmp_path, capsys, rank_one, "--json")
    assert code == 0 and json.loads(out)["retrained_excess"] == pytest.approx(0.49 / 10, rel=1e-14)


BAD = [
    ({**SPIKED, "colour": 1}, "unknown key 'colour'"),
    ({**SPIKED, "sigma": -1}, "sigma = -1 must be >= 0"),
    ({**SPIKED, "n": -5}, "n = -5 must be >= 2"),
    ({**SPIKED, "m": 100, "s": 501}, "s = 501 must be <= P = 500"),
    ({**SPIKED, "beta": [1, 2, 3]}, "beta has length 3, expected 500"),
    ({**SPIKED, "covariance": {"matrix": [[1, 0.5], [0.2, 1]]}, "beta": [1, 1], "s": 1, "m": 2}, "not symmetric"),
    (
        {**SPIKED, "covariance": {"matrix": [[1, 2], [2, 1]]}, "beta": [1, 1], "s": 1, "m": 2},
        "not positive semi-definite",
    ),
    (
        {**SPIKED, "covariance": {"eigenvalues": [1.0] * 150 + [0.0] * 50}, "beta": [1] * 200, "m": 200},
        "undefined for 150 features",
    ),
    ('{"n": 150, "sigma": NaN}', "non-finite number NaN"),
    (
        {**SPIKED, "covariance": {"eigenvalues": [1, -2]}, "beta": [1, 1], "s": 1, "m": 2},
        "eigenvalues[1] = -2.0 must be >= 0",
    ),
]


@pytest.mark.parametrize("config, message", BAD)
def test_bad_config_gets_one_line_error_and_status_2(tmp_path, capsys, config, message):
    code, _out, err = run(tmp_path, capsys, config)
    assert code == 2
    assert message in err and err.count("\n") == 1, err


def test_bad_dps(tmp_path, capsys):
    code, _, err = run(tmp_path, capsys, SPIKED, "--dps", "0")
    assert code == 2 and "dps = 0 must be an integer in [1, 10000]" in err


def test_latex_lists_prints_and_writes(tmp_path, capsys):
    assert main(["latex"]) == 0
    listing = capsys.readouterr().out
    assert "thresholded_m2" in listing and "relu_covariance" in listing
    assert main(["latex", "hastie_xi"]) == 0
    assert capsys.readouterr().out.strip() == r"\xi = \frac{1}{\kappa - 1}"
    target = tmp_path / "all.tex"
    assert main(["latex", "--all", str(target)]) == 0
    text = target.read_text()
    from derivations import names

    assert text.count(r"\label{eq:") == len(names()) and text.rstrip().endswith(r"\end{document}")
    assert main(["latex", "no_such_formula"]) == 2


# -- the Python API and the command line agree ----------------------------------------------------


def test_s_is_required_in_python_as_in_a_config(tmp_path, capsys):
    import dctheory as dc
    from dctheory.errors import ConfigError

    problem = dc.LGP(eigenvalues=dc.spiked(500, 60, 10.0), beta=np.ones(500), sigma=0.0)
    with pytest.raises(ConfigError, match=r"^s \(the number of kept weights, 1 <= s <= P\) is required$"):
        dc.predict(problem, n=150, m=500)
    code, _, err = run(tmp_path, capsys, {k: v for k, v in SPIKED.items() if k != "s"})
    assert code == 2 and "missing key 's'" in err


def test_a_list_of_m_gives_the_curve_at_those_m_as_in_python(tmp_path, capsys):
    import dctheory as dc

    code, out, _ = run(tmp_path, capsys, {**SPIKED, "m": [100, 150, 300]}, "--json")
    record = json.loads(out)
    problem = dc.LGP(eigenvalues=dc.spiked(500, 60, 10.0), beta=np.ones(500), sigma=0.0)
    for row in record["curve"]:
        direct = dc.predict(problem, n=150, m=row["m"], s=120)
        assert row["hessian"] == pytest.approx(direct["hessian"], rel=1e-13)
    assert code == 0 and [row["m"] for row in record["curve"]] == [100, 300] and record["undefined_m"] == [150]
    code, _, err = run(tmp_path, capsys, {**SPIKED, "m": [100, 501]})
    assert code == 2 and "m[1] = 501" in err


def test_a_curve_with_no_defined_m_is_empty_and_lists_them():
    import dctheory as dc

    problem = dc.LGP(eigenvalues=dc.spiked(500, 60, 10.0), beta=np.ones(500), sigma=0.0)
    curve = dc.risk_curve(problem, n=150, s=120, m=[149, 150])  # rank in [n - 1, n], ridgeless
    assert len(curve.m) == 0 and curve.undefined == [149, 150]
    assert all(len(values) == 0 for values in curve.risks.values())
    assert (
        repr(curve).splitlines()[0]
        == "Curve: n = 150, s = 120, ridge = 0; no m defined; ridgeless m = 149, 150 undefined"
    )


def test_advise_accepts_a_predict_config_and_notes_the_keys_it_scans(tmp_path, capsys):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({**SPIKED, "ridge": 0.1, "m_points": 20}))
    assert main(["advise", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        'dctheory advise: note: "m" is ignored: advise scans m over [s, P] itself',
        'dctheory advise: note: "ridge" is ignored: advise tries every ridge in ridges',
    ]
    assert "Train with m = " in out


@pytest.mark.parametrize("command", ["predict", "advise"])
def test_the_example_configs_in_help_are_valid_json_that_runs(tmp_path, capsys, command):
    import re

    from dctheory.config import ADVISE_DOC
    from dctheory.config import __doc__ as PREDICT_DOC

    text = PREDICT_DOC if command == "predict" else ADVISE_DOC
    # Each example is the indented block after a line ending in "::".
    blocks = re.findall(r"::\n\n((?:    .*\n?)+)", text)
    assert len(blocks) >= 2
    for block in blocks:
        config = json.loads(block)  # pasted as printed, it is JSON
        if command == "advise":
            config["m_points"] = 8
        path = tmp_path / "example.json"
        path.write_text(json.dumps(config))
        assert main([command, str(path)]) == 0, block
        capsys.readouterr()


def test_latex_list_is_aligned(capsys):
    from dctheory import _compiled

    assert main(["latex"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = _compiled.names()
    assert len(lines) == len(names)
    column = max(map(len, names)) + 2
    for line, name in zip(lines, names):
        assert line.startswith(name) and line[len(name) : column].strip() == "" and line[column] != " ", line


def test_demo_draws_the_decision_and_keeps_an_existing_figure_without_force(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    figure = out / "demo-fig7b.png"
    assert "Recommended by `dctheory advise`" in printed and figure.stat().st_size > 0
    figure.write_bytes(b"mine")
    assert main(["demo", "--out", str(out)]) == 2
    assert "add --force to replace it" in capsys.readouterr().err and figure.read_bytes() == b"mine"
    assert main(["demo", "--out", str(out), "--force"]) == 0 and figure.read_bytes() != b"mine"


SCHEDULE = {
    "n": 120,
    "sigma": 0.5,
    "covariance": {"spiked": {"P": 400, "k": 40, "C": 10}},
    "beta": {"constant": 0.1},
    "schedule": [80, 40],
    "samples": 300,
    "seed": 4,
}


def test_predict_schedule_json_gives_the_rounds(tmp_path, capsys):
    import dctheory as dc
    from dctheory.config import problem_from

    code, out, _ = run(tmp_path, capsys, SCHEDULE, "--json")
    record = json.loads(out)
    expected = dc.predict_schedule(
        problem_from(SCHEDULE), 120, None, [80, 40], samples=300, rng=np.random.default_rng(4)
    ).to_dict()
    assert code == 0 and record["rounds"] == expected["rounds"] and record["one_shot"] == expected["one_shot"]
    assert [r["kept"] for r in record["rounds"]] == [80, 40] and record["final"] == expected["rounds"][1]["retrained"]


def test_predict_schedule_prints_a_table(tmp_path, capsys):
    config = dict(SCHEDULE, strategy="hessian", retrain=[False, True], s=40)
    code, out, _ = run(tmp_path, capsys, config)
    lines = out.splitlines()
    assert code == 0 and "schedule  400 -> 80 -> 40" in out and "strategy  hessian" in out
    header = next(i for i, line in enumerate(lines) if line.startswith("round "))
    assert lines[header].split() == ["round", "kept", "pruned", "retrained"]
    assert lines[header + 1].split()[:3] == ["round", "1", "80"] and lines[header + 1].split()[-1] == "-"
    assert lines[header + 3].startswith("one_shot") and "for one-shot pruning to 40" in out


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"schedule": [80, 90]}, "schedule[1] = 90 must be < schedule[0] = 80"),
        ({"schedule": []}, "schedule = [] must be a non-empty list of kept sizes in [1, m = 400]"),
        ({"schedule": [80, 40], "m": 60}, "schedule[0] = 80"),
        ({"s": 30}, "s = 30 must be the last kept size of the schedule, 40"),
        ({"strategy": "size"}, "strategy = 'size' must be one of"),
        ({"retrain": "yes"}, "retrain = 'yes' must be true, false or a list of 2 booleans"),
        ({"method": "sampling"}, "method = 'sampling' applies to one prediction"),
    ],
)
def test_predict_schedule_bad_config_one_line(tmp_path, capsys, changes, message):
    code, _, err = run(tmp_path, capsys, dict(SCHEDULE, **changes))
    assert code == 2 and message in err and err.count("\n") == 1


def test_strategy_without_a_schedule_is_refused(tmp_path, capsys):
    code, _, err = run(tmp_path, capsys, dict(SPIKED, strategy="hessian"))
    assert code == 2 and '"strategy" applies to pruning in rounds' in err


LAW_SCHEDULE = {"law": {"uniform": {"low": 0.5, "high": 2}}, "B": 1, "kappa": 2, "sigma": 0.5, "schedule": [0.2, 0.1]}


def test_continuous_law_schedule_json_is_asymptotic_predict_schedule(tmp_path, capsys):
    import dctheory as dc

    code, out, _ = run(tmp_path, capsys, dict(LAW_SCHEDULE, strategy="hessian"), "--json")
    record = json.loads(out)
    model = dc.AsymptoticDC(dc.Distribution.uniform(0.5, 2), 1, kappa=2, sigma=0.5)
    expected = model.predict_schedule([0.2, 0.1], "hessian").to_dict()
    assert code == 0 and record["rounds"] == expected["rounds"] and record["one_shot"] == expected["one_shot"]
    assert record["model"] == "asymptotic" and [r["kept"] for r in record["rounds"]] == [0.2, 0.1]


def test_continuous_law_schedule_prints_a_table(tmp_path, capsys):
    code, out, _ = run(tmp_path, capsys, dict(LAW_SCHEDULE, retrain=[False, True]))
    lines = out.splitlines()
    assert code == 0 and "schedule  1 -> 0.2 -> 0.1 (kept fractions of P)" in out
    header = next(i for i, line in enumerate(lines) if line.startswith("round "))
    assert lines[header + 1].split()[:3] == ["round", "1", "0.2"] and lines[header + 1].split()[-1] == "-"
    assert "for one-shot pruning to 0.1" in out


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"keep": 0.1}, 'give either "keep" (one round) or "schedule"'),
        ({"schedule": []}, "schedule = [] must be a non-empty list of kept fractions in (0, 1]"),
        ({"schedule": [0.2, 1.5]}, "schedule[1] = 1.5"),
        ({"schedule": [0.1, 0.2]}, "0.2"),
        ({"strategy": "size"}, "strategy = 'size' must be one of"),
        ({"retrain": 1}, "retrain = 1 must be true, false or a list of 2 booleans"),
    ],
)
def test_continuous_law_schedule_bad_config_one_line(tmp_path, capsys, changes, message):
    code, _, err = run(tmp_path, capsys, dict(LAW_SCHEDULE, **changes))
    assert code == 2 and message in err and err.count("\n") == 1
