"""Contracts of the command line: what predict prints, continuous laws from the shell, exit
statuses (0 or 2 for any input), strict JSON, quiet pipes and warnings, files never overwritten."""

import io
import json
import math
import subprocess
import sys
import time
import warnings

import mpmath
import numpy as np
import pytest
import scipy.integrate

import dctheory as dc
from dctheory import _commands, finite_size
from dctheory.cli import main

SPIKED = {
    "n": 150,
    "sigma": 0,
    "s": 120,
    "m": 500,
    "covariance": {"spiked": {"P": 500, "k": 60, "C": 10}},
    "beta": {"constant": 1},
}
UNIFORM = {"law": {"uniform": {"low": 0.5, "high": 2}}, "B": 1, "kappa": 2, "sigma": 0.5, "keep": 0.2}


def run(tmp_path, capsys, config, *flags, command="predict"):
    path = tmp_path / "config.json"
    path.write_text(config if isinstance(config, str) else json.dumps(config))
    code = main([command, str(path), *flags])
    out, err = capsys.readouterr()
    return code, out, err


def strict(text):
    def refuse(name):
        raise AssertionError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


# -- predict's text output -----------------------------------------------------------------


def test_text_output_starts_with_the_setting_then_says_what_risk_means(tmp_path, capsys):
    code, out, err = run(tmp_path, capsys, {**SPIKED, "ridge": 0.5})
    lines = out.splitlines()
    assert code == 0 and err == ""
    assert [line.split()[0] for line in lines[:7]] == ["P", "n", "m", "s", "sigma", "ridge", "regime"]
    assert [line.split()[1] for line in lines[:6]] == ["500", "150", "500", "120", "0", "0.5"]
    assert lines[8].startswith("risk: population risk E(y - x^T w)^2")
    values = dict(line.split(None, 1) for line in lines[11:] if line and not line.startswith("note"))
    expected = dc.predict(dc.LGP(eigenvalues=dc.spiked(500, 60, 10.0), beta=np.ones(500)), 150, 500, 120, 0.5)
    assert set(values) == {"xi", "tau2", *dc.STRATEGIES}
    for name in dc.STRATEGIES:
        assert float(values[name]) == expected[name]  # all 17 significant digits, as printed by repr


def _decimals(text):
    return len(text.split(".")[1]) if "." in text else 0


def test_sampled_risks_print_plus_minus_with_digits_matched_to_the_standard_error(tmp_path, capsys):
    config = {
        "n": 20,
        "sigma": 0.5,
        "s": 5,
        "m": 30,
        "covariance": {"toeplitz": {"P": 30, "rho": 0.5}},
        "beta": {"constant": 1},
        "samples": 300,
    }
    code, out, _ = run(tmp_path, capsys, config)
    code_json, out_json, _ = run(tmp_path, capsys, config, "--json")
    record = strict(out_json)
    assert code == code_json == 0 and "DC sampling, 300 samples (seed 0); +- one standard error" in out
    rows = {
        line.split()[0]: line.split()[1:]
        for line in out.splitlines()
        if " +- " in line and line.split()[0] in dc.STRATEGIES
    }
    assert {"magnitude", "hessian", "oracle", "random"} <= set(rows)
    for name, (value, sign, se) in rows.items():
        assert sign == "+-" and _decimals(value) == _decimals(se)
        # se to two significant digits, and the value rounded at the same place
        assert 10 <= float(se) * 10 ** _decimals(se) < 100
        assert abs(float(value) - record[name]) <= 0.5 * 10.0 ** -_decimals(value) * (1 + 1e-9)
        assert abs(float(se) - record["stderr"][name]) <= 0.5 * 10.0 ** -_decimals(se) * (1 + 1e-9)


def test_with_error_formatting():
    assert _commands._with_error(628.41234, 0.0012345) == "628.4123 +- 0.0012"
    assert _commands._with_error(628.41234, 3.4) == "628.4 +- 3.4"
    assert _commands._with_error(12345.6, 250.0) == "12350 +- 250"
    assert _commands._with_error(1.5e20, 2.5e17) == "1.5000e+20 +- 2.5e+17"
    assert _commands._with_error(481.14, 1e-16) == "481.14"  # below float64 resolution


def test_slow_sampling_prints_a_one_line_notice(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    with _commands._notice_after(0.05, "taking a while"):
        time.sleep(0.3)
    with _commands._notice_after(0.5, "never shown"):
        pass
    time.sleep(0.6)
    assert err.getvalue() == "taking a while\n"


def test_predict_asks_for_the_notice_only_when_sampling(tmp_path, capsys, monkeypatch):
    asked = []
    original = _commands._notice_after

    def record(seconds, text):
        asked.append((seconds, text))
        return original(seconds, text)

    monkeypatch.setattr(_commands, "_notice_after", record)
    run(tmp_path, capsys, SPIKED)
    run(
        tmp_path,
        capsys,
        {
            "n": 20,
            "sigma": 0.5,
            "s": 5,
            "m": 10,
            "covariance": {"toeplitz": {"P": 10, "rho": 0.5}},
            "beta": {"constant": 1},
            "samples": 50,
        },
    )
    assert asked[0] == (1.0, None)
    assert asked[1][0] == 1.0 and "DC sampling (50 samples, P = 10, m = 10) is taking more than a second" in asked[1][1]


# -- continuous laws and the finite-size correction from the shell ---------------------------


def test_continuous_law_config_text_json_and_dps(tmp_path, capsys):
    code, out, err = run(tmp_path, capsys, UNIFORM, "--json")
    record = strict(out)
    assert code == 0 and err == ""
    assert set(record["error"]) == {"xi", "tau2", *dc.STRATEGIES}
    assert record["dense"] == record["tau2"]
    # xi solves E[xi Lam / (1 + xi Lam)] = 1/kappa, Lam uniform on [0.5, 2] (docs/theory.md#asymptotic),
    # checked by scipy's adaptive quadrature (error below 1e-12)
    xi = record["xi"]
    value, _ = scipy.integrate.quad(lambda x: xi * x / (1 + xi * x) / 1.5, 0.5, 2, epsabs=1e-14)
    assert value == pytest.approx(0.5, abs=1e-12)
    code, out, _ = run(tmp_path, capsys, UNIFORM)
    lines = out.splitlines()
    assert code == 0 and [line.split()[0] for line in lines[:6]] == ["law", "B", "kappa", "sigma", "keep", "regime"]
    assert lines[0].split()[1] == "uniform(0.5," and "quadrature error estimate" in out
    rows = {line.split()[0]: line.split()[1:] for line in lines[11:]}
    assert set(rows) == {"xi", "tau2", *dc.STRATEGIES}
    assert float(rows["magnitude"][0]) == record["magnitude"] and float(rows["magnitude"][1]) >= 0


def test_continuous_law_point_mass_matches_hastie_at_40_digits(tmp_path, capsys):
    config = {"law": {"point": {"value": 1}}, "B": 0.5, "kappa": 2, "sigma": 0.5, "keep": 0.3}
    code, out, _ = run(tmp_path, capsys, config, "--dps", "40", "--json")
    record = strict(out)
    with mpmath.workdps(60):
        kappa, r2, sigma2 = mpmath.mpf(2), mpmath.mpf("0.25"), mpmath.mpf("0.25")
        tau2 = sigma2 * kappa / (kappa - 1) + r2 * (1 - 1 / kappa)  # Hastie et al. 2019, Thm 3
        assert abs(mpmath.mpf(record["xi"]) - 1 / (kappa - 1)) < mpmath.mpf(10) ** -39
        assert abs(mpmath.mpf(record["tau2"]) - tau2) < mpmath.mpf(10) ** -39
    assert (
        code == 0
        and isinstance(record["magnitude"], str)
        and len(record["magnitude"].lstrip("0.").replace(".", "")) == 40
    )


def test_finite_size_fitted_from_the_shell(tmp_path, capsys):
    config = {
        "n": 100,
        "sigma": 0,
        "s": 80,
        "m": 300,
        "covariance": {"spiked": {"P": 300, "k": 36, "C": 10}},
        "beta": {"constant": 1},
    }
    _, plain, _ = run(tmp_path, capsys, config, "--json")
    code, fitted, _ = run(tmp_path, capsys, {**config, "finite_size": "fitted"}, "--json")
    plain, fitted = strict(plain), strict(fitted)
    coefficients = finite_size.coefficients()["references"]["spiked"]["coefficients"]
    assert code == 0
    for name in ("magnitude", "oracle"):
        c = coefficients[name]["c"]
        assert fitted[name] == pytest.approx(plain[name] * (1 + c / 100), rel=1e-12)
        assert fitted["stderr"][name] == pytest.approx(coefficients[name]["se"] / 100 * plain[name], rel=1e-6)
    assert fitted["hessian"] == plain["hessian"]  # its coefficient predates the sample-diagonal prediction
    code, out, _ = run(tmp_path, capsys, {**config, "finite_size": "fitted"})
    assert code == 0 and "finite_size fitted: risks times the EMPIRICAL factor (1 + c/n)" in out and " +- " in out
    code, _, err = run(tmp_path, capsys, {**config, "n": 150, "finite_size": "fitted"})
    assert code == 2 and "here P/n = 2, needs 3 (within 2%)" in err and err.count("\n") == 1 and len(err) < 240
    code, _, err = run(tmp_path, capsys, {**config, "finite_size": "yes"})
    assert code == 2 and "finite_size = 'yes' must be one of 'none', 'fitted'" in err


# -- regressions: every input exits 0 or 2 with one line ---------------------------------------

REGRESSIONS = [
    ({**SPIKED, "n": "150"}, (), "n = '150' is a string, not a number (write it without quotes)"),
    ({**SPIKED, "m": "40"}, (), "m = '40' is a string"),
    ({**SPIKED, "sigma": "0.5"}, (), "sigma = '0.5' is a string"),
    ({**SPIKED, "s": True}, (), "s = true is a boolean, not a number"),
    ({**SPIKED, "sigma": False}, (), "sigma = false is a boolean, not a number"),
    ({**SPIKED, "covariance": {"identity": {}}}, (), "missing key 'P' in covariance.identity; it needs P"),
    ({**SPIKED, "covariance": {"power_law": {"P": 500}}}, (), "missing key 'alpha' in covariance.power_law"),
    ('{"n": ' + "9" * 5000 + "}", (), "a number in the config has 5000 digits (at most 400)"),
    ("[" * 100_000, (), "nested more than 32 levels deep"),
    ({**SPIKED, "n": 150.5}, (), "n = 150.5 must be an integer"),
    (SPIKED, ("--dps", "1000000"), "dps = 1000000 must be an integer in [1, 10000]"),
    (UNIFORM, ("--certify",), "--certify needs a finite diagonal problem"),
    ({**UNIFORM, "law": {"uniform": {"low": 0.5}}}, (), "missing key 'high' in law.uniform"),
]


@pytest.mark.parametrize("config, flags, message", REGRESSIONS)
def test_regressions_exit_2_with_one_line(tmp_path, capsys, config, flags, message):
    code, out, err = run(tmp_path, capsys, config, *flags)
    assert code == 2 and out == ""
    assert err.startswith("dctheory predict: error: ") and message in err and err.count("\n") == 1, err
    assert "Decimal(" not in err and "Traceback" not in err


def test_usage_errors_return_2_and_version(capsys):
    assert main(["predict"]) == 2
    assert main(["predict", "x.json", "--dps", "many"]) == 2
    assert main(["no-such-command"]) == 2
    capsys.readouterr()
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"dctheory {dc.__version__}"
    assert main(["predict", "/no/such/config.json"]) == 2
    assert "cannot read config '/no/such/config.json'" in capsys.readouterr().err


def test_an_internal_error_is_one_line_not_a_traceback(tmp_path, capsys, monkeypatch):
    def broken(args):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(_commands, "_predict", broken)
    monkeypatch.delenv("DCTHEORY_TRACEBACK", raising=False)
    code, _, err = run(tmp_path, capsys, SPIKED)
    assert code == 3 and err.count("\n") == 1 and "internal error (ZeroDivisionError: float division by zero)" in err


def test_json_never_prints_bare_infinity_or_nan(capsys):
    _commands._print_json({"xi": 1.0, "dense": math.inf, "rows": [np.float64("nan"), 2.0], "m": np.int64(3)})
    record = strict(capsys.readouterr().out)
    assert record["dense"] is None and record["rows"] == [None, 2.0] and record["m"] == 3
    assert record["nonfinite"] == {
        "dense": "inf in float64 (not representable in JSON)",
        "rows[0]": "nan in float64 (not representable in JSON)",
    }


def test_huge_n_prints_valid_json_and_a_readable_setting(tmp_path, capsys):
    config = {"n": 1e12, "sigma": 0.5, "s": 5, "m": 40, "covariance": {"identity": {"P": 40}}, "beta": {"constant": 1}}
    code, out, _ = run(tmp_path, capsys, config, "--json")
    assert code == 0 and strict(out)["n"] == 10**12
    code, out, _ = run(tmp_path, capsys, config)
    assert code == 0 and out.splitlines()[1].split() == ["n", "1000000000000"]
    # beyond the n that float64 resolves (the law is at its noise-free limit): one line naming the range
    code, out, err = run(tmp_path, capsys, dict(config, n=1e308), "--json")
    assert code == 2 and out == "" and err.count("\n") == 1 and "n <= 1e12" in err


def test_no_warning_printed_at_exit_0(tmp_path, capsys):
    """A tiny-scale problem made numpy print 12 lines of RuntimeWarning at exit 0."""
    config = {
        "n": 20,
        "sigma": 1e-200,
        "s": 5,
        "m": 40,
        "covariance": {"power_law": {"P": 40, "alpha": 1}},
        "beta": {"constant": 1e-200},
    }
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        code, _, err = run(tmp_path, capsys, config)
    # risks of order (1e-200)^2 are below the float64 range: one line pointing to dps, nothing else
    assert code == 2 and err.count("\n") == 1 and "use dps" in err
    config["sigma"] = config["beta"]["constant"] = 1e-150  # risks of order 1e-300: printed, silently
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        code, _, err = run(tmp_path, capsys, config)
    assert code == 0 and err == ""


def test_broken_pipe_exits_quietly():
    """``dctheory latex | head -1``: the reader closes the pipe; no traceback, status 0."""
    shell = subprocess.run(
        f"{sys.executable} -m dctheory latex | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        executable="/bin/bash",
    )
    assert shell.returncode == 0 and shell.stdout.count("\n") == 1
    assert shell.stderr == ""
    status = subprocess.run(
        f"set -o pipefail; {sys.executable} -m dctheory latex | head -c 10 >/dev/null",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        executable="/bin/bash",
    )
    assert status.returncode == 0 and status.stderr == ""


# -- files: never overwrite what the tool did not write -------------------------------------------

ADVISE = {
    "n": 20,
    "sigma": 0.5,
    "s": 4,
    "covariance": {"identity": {"P": 30}},
    "beta": {"constant": 1},
    "ridges": [0],
    "m_points": 5,
}


def test_advise_plot_target_is_checked_before_computing(tmp_path, capsys):
    (tmp_path / "folder").mkdir()
    existing = tmp_path / "mine.png"
    existing.write_bytes(b"not the tool's")
    for target, message in [
        (tmp_path / "folder", "is a folder"),
        (existing, "exists; add --force to replace it"),
        (tmp_path / "missing" / "x.png", "the folder"),
        (tmp_path / "x.txt", "the suffix .txt is not a known format"),
        (tmp_path / "x", "the suffix (none) is not a known format"),
    ]:
        code, out, err = run(tmp_path, capsys, ADVISE, "--plot", str(target), command="advise")
        assert code == 2 and out == "" and err.count("\n") == 1 and message in err, err
    assert existing.read_bytes() == b"not the tool's" and not (tmp_path / "folder.png").exists()
    code, _, _ = run(tmp_path, capsys, ADVISE, "--plot", str(existing), "--force", command="advise")
    assert code == 0 and existing.read_bytes().startswith(b"\x89PNG")


def test_latex_all_needs_force_to_replace(tmp_path, capsys):
    target = tmp_path / "formulas.tex"
    target.write_text("mine")
    assert main(["latex", "--all", str(target)]) == 2
    assert "exists; add --force to replace it" in capsys.readouterr().err and target.read_text() == "mine"
    assert main(["latex", "--all", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["latex", "--all", str(target), "--force"]) == 0
    assert target.read_text().startswith(r"\documentclass")


def test_demo_out_must_be_a_folder(tmp_path, capsys):
    target = tmp_path / "file"
    target.write_text("mine")
    assert main(["demo", "--out", str(target)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "is a file; give a folder" in err and target.read_text() == "mine"
