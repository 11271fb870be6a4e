"""Certified enclosures (dctheory.certify): exactness against 100-digit mpmath and closed forms, and contracts."""

import json
from fractions import Fraction

import mpmath
import pytest

pytest.importorskip("flint")

import itertools

import dctheory as dc
from dctheory.certify import certify
from dctheory.cli import main

SPIKED = dc.LGP(eigenvalues=dc.spiked(300, 30, 10.0), beta=[0.1] * 300, sigma=0.3)


@pytest.mark.parametrize(
    "m, ridge, regime",
    [(300, 0.0, "overparameterized"), (300, 0.1, "ridge"), (60, 0.01, "ridge"), (60, 0.0, "underparameterized")],
)
def test_exactness_100_digit_mpmath_value_lies_in_the_ball(m, ridge, regime):
    cert = certify(SPIKED, 100, m, ridge, dps=100)
    reference = dc.solve(SPIKED.effective(m), 100, ridge, dps=100, problem=SPIKED)
    assert cert.regime == regime
    assert cert.dense.contains(reference.dense)
    assert cert.dense.relative_width < 1e-95
    if regime != "underparameterized":
        assert cert.xi.contains(reference.xi) and cert.tau2.contains(reference.tau2)
        assert cert.xi.relative_width < 1e-95
    else:
        assert cert.xi is None and cert.tau2 is None


def test_exactness_width_shrinks_as_precision_grows():
    widths = [certify(SPIKED, 100, 300, 0.1, dps=dps).tau2.width for dps in (15, 30, 60, 120)]
    assert all(b < a * 1e-10 for a, b in itertools.pairwise(widths)), widths
    # Balls at different precisions all hold the same true value: they intersect.
    balls = [certify(SPIKED, 100, 300, 0.1, dps=dps).xi for dps in (15, 120)]
    assert balls[0].lo <= balls[1].lo and balls[1].hi <= balls[0].hi


def test_exactness_isotropic_closed_form_is_enclosed():
    """Sigma = I, ridgeless: xi = 1/(kappa - 1) exactly and tau^2 = sigma^2 kappa/(kappa-1) + r^2 (1 - 1/kappa)
    with the finite-size a_i (docs/theory.md#asymptotic check): kappa = 2 gives xi = 1, tau^2 = 2 sigma^2 + r^2 / 2."""
    problem = dc.LGP(eigenvalues=[1] * 400, beta=[0.05] * 400, sigma=0.5)
    cert = certify(problem, 200, 400, 0.0, dps=40)
    assert cert.xi.contains(1)
    # Finite size: tau^2 = (sigma^2 + sum b^2 / 4) / (1 - (1/n) sum 1/4) = (0.25 + 0.25) / (1 - 0.5) = 1 exactly.
    assert cert.tau2.contains(1) and cert.tau2.width < 1e-40


def test_exactness_decimal_inputs_are_read_exactly():
    """0.1 as a decimal is 1/10: the ball for sigma = 0.1 excludes the value for the binary double 0.1."""
    problem = dc.LGP(eigenvalues=[1] * 10, beta=[0] * 10, sigma=0.1)
    cert = certify(problem, 20, 10, 0.0, dps=40)  # underparameterized: sigma^2 (n-1)/(n-m-1) = 0.01 * 19/9
    assert cert.dense.contains(Fraction(1, 100) * Fraction(19, 9))
    assert not cert.dense.contains(Fraction(0.1) ** 2 * Fraction(19, 9))


def test_contracts():
    with pytest.raises(dc.RegimeError):
        certify(SPIKED, 100, 100, 0.0)
    with pytest.raises(dc.ConfigError):
        certify(SPIKED, 100, 300, 0.0, dps=0)
    full = dc.LGP(covariance=dc.toeplitz(5, 0.5), beta=[1] * 5)
    with pytest.raises(dc.ConfigError, match="diagonal"):
        certify(full, 2, 5)


def test_cli_predict_certify_json(tmp_path, capsys):
    config = {
        "n": 200,
        "sigma": 0.5,
        "s": 100,
        "m": 400,
        "covariance": {"identity": {"P": 400}},
        "beta": {"constant": 0.05},
    }
    path = tmp_path / "c.json"
    path.write_text(json.dumps(config))
    assert main(["predict", str(path), "--certify", "--dps", "40", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    lo, hi = (mpmath.mpf(x) for x in record["dense"])
    assert lo <= 1 <= hi and hi - lo < mpmath.mpf(10) ** -38
    config["m"] = 200
    path.write_text(json.dumps(config))
    assert main(["predict", str(path), "--certify"]) == 2
    assert "undefined" in capsys.readouterr().err


@pytest.mark.parametrize("text", ["-0.405", "0.405", "-3e-200", "0"])
def test_exact_reading_of_mpmath_numbers_keeps_the_sign(text):
    pytest.importorskip("flint")
    from fractions import Fraction

    from dctheory.certify import _fraction

    with mpmath.workdps(30):
        x = mpmath.mpf(text)
        assert _fraction(x) == Fraction(x.man_exp[0]) * Fraction(2) ** int(x.man_exp[1]) * (-1 if x < 0 else 1)
        assert (_fraction(x) < 0) == (x < 0)
