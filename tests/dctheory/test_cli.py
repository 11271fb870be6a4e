"""Contracts of the command line: outputs and one-line errors with exit status 2."""

import json

import mpmath
import pytest

from dctheory.cli import main

SPIKED = {"n": 150, "sigma": 0, "s": 120, "m": 500, "covariance": {"spiked": {"P": 500, "k": 60, "C": 10}},
          "beta": {"constant": 1}}


def run(tmp_path, capsys, config, *flags):
    path = tmp_path / "config.json"
    path.write_text(config if isinstance(config, str) else json.dumps(config))
    code = main(["predict", str(path), *flags])
    out, err = capsys.readouterr()
    return code, out, err


def test_predict_prints_all_nine_numbers(tmp_path, capsys):
    code, out, _ = run(tmp_path, capsys, SPIKED, "--json")
    record = json.loads(out)
    assert code == 0
    assert {"xi", "tau2", "dense", "magnitude", "hessian", "oracle", "random", "magnitude_retrained",
            "hessian_retrained"} <= set(record)
    assert round(record["hessian"], 1) == 548.9


def test_predict_dps_50_isotropic_equals_hastie(tmp_path, capsys):
    config = {"n": 200, "sigma": 0.5, "s": 100, "m": 400, "covariance": {"identity": {"P": 400}},
              "beta": {"constant": 0.05}}
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
    ({**SPIKED, "covariance": {"matrix": [[1, 0.5], [0.2, 1]]}, "beta": [1, 1], "s": 1, "m": 2},
     "not symmetric"),
    ({**SPIKED, "covariance": {"matrix": [[1, 2], [2, 1]]}, "beta": [1, 1], "s": 1, "m": 2},
     "not positive semi-definite"),
    ({**SPIKED, "covariance": {"eigenvalues": [1.0] * 150 + [0.0] * 50}, "beta": [1] * 200, "m": 200},
     "undefined for 150 features"),
    ('{"n": 150, "sigma": NaN}', "non-finite number NaN"),
    ({**SPIKED, "covariance": {"eigenvalues": [1, -2]}, "beta": [1, 1], "s": 1, "m": 2},
     "eigenvalues[1] = -2.0 must be >= 0"),
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
