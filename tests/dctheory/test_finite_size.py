"""Contracts and exactness of ``predict(..., finite_size=...)`` (dctheory.finite_size).

The expected factors are read from the shipped data file with ``json`` (not
through the module under test): "fitted" must multiply each risk by exactly
(1 + c/n) and report se(c)/n * risk, added in quadrature to ``stderr``.
"""

import json
import math
from pathlib import Path

import numpy as np
import pytest

import dctheory as dc
from dctheory.errors import ConfigError, RegimeError

DATA = json.loads((Path(dc.__file__).parent / "finite_size.json").read_text())


def reference_problem(setting, n, *, P_over_n=3, k_over_n=0.36, C=10.0, sigma=0.0, scale=1.0, flip=False):
    """The reference construction (validation/experiments/finite_size.py), optionally rescaled."""
    P, k = round(P_over_n * n), round(k_over_n * n)
    spike = np.r_[np.full(k, C), np.ones(P - k)]
    if setting == "identity":
        lam, beta = np.full(P, 2.5 * scale), np.sqrt(spike) * 0.7
    else:
        lam, beta = spike * scale, np.full(P, 0.7)
    if flip:
        beta = beta * np.where(np.arange(P) % 3 == 0, -1.0, 1.0)
    return dc.LGP(eigenvalues=lam, beta=beta, sigma=sigma)


@pytest.mark.parametrize("setting", ["identity", "spiked"])
@pytest.mark.parametrize("n", [150, 1000])
def test_fitted_multiplies_by_one_plus_c_over_n(setting, n):
    problem = reference_problem(setting, n, flip=True)
    s = round(0.8 * n)
    plain = dc.predict(problem, n=n, s=s)
    fitted = dc.predict(problem, n=n, s=s, finite_size="fitted")
    table = DATA["references"][setting]["coefficients"]
    # measured before hessian_population existed: that rule (and its retraining) has no coefficient
    assert set(table) == set(dc.STRATEGIES) - {"hessian_population", "hessian_population_retrained"}
    # measured against the population-diagonal prediction: stored, not applied to the sample-diagonal "hessian"
    for strategy in (set(dc.STRATEGIES) - set(table)) | {"hessian", "hessian_retrained"}:
        assert fitted[strategy] == plain[strategy] and strategy not in fitted.finite_size
    assert "uncorrected" in fitted.notes["hessian"] and "uncorrected" in fitted.notes["hessian_retrained"]
    for strategy in set(table) - {"hessian", "hessian_retrained"}:
        c, se = table[strategy]["c"], table[strategy]["se"]
        assert fitted[strategy] == pytest.approx(plain[strategy] * (1 + c / n), rel=1e-14)
        assert fitted.stderr[strategy] == pytest.approx(se / n * plain[strategy], rel=1e-14)
        info = fitted.finite_size[strategy]
        assert info["reference"] == setting and info["uncorrected"] == plain[strategy]
    assert fitted.xi == plain.xi and fitted.tau2 == plain.tau2
    assert plain.finite_size == {}


def test_none_is_the_default_and_changes_nothing():
    problem = reference_problem("spiked", 150)
    a = dc.predict(problem, n=150, s=120)
    b = dc.predict(problem, n=150, s=120, finite_size="none")
    assert a.risks == b.risks and a.stderr == b.stderr and b.finite_size == {}


def test_sampling_route_adds_the_correction_error_in_quadrature():
    problem = reference_problem("identity", 100)
    plain = dc.predict(problem, n=100, s=80, method="sampling", samples=50)
    fitted = dc.predict(problem, n=100, s=80, method="sampling", samples=50, finite_size="fitted")
    se = DATA["references"]["identity"]["coefficients"]["magnitude"]["se"]
    expected = math.hypot(plain.stderr["magnitude"], se / 100 * plain["magnitude"])
    assert fitted.stderr["magnitude"] == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("bad", ["fit", "FITTED", None, 1, True])
def test_bad_mode_is_a_config_error_naming_the_valid_values(bad):
    with pytest.raises(ConfigError, match="'none', 'fitted'"):
        dc.predict(reference_problem("spiked", 150), n=150, s=120, finite_size=bad)


def test_fitted_with_dps_is_a_config_error():
    with pytest.raises(ConfigError, match="dps"):
        dc.predict(reference_problem("spiked", 150), n=150, s=120, dps=30, finite_size="fitted")


@pytest.mark.parametrize(
    "change, match",
    [
        (dict(n=60, s=48), "n = 60, needs n >= 100"),
        (dict(m=300), "m = 300, needs m = P = 450"),
        (dict(s=60), "s/n"),
        (dict(ridge=0.1), "ridge"),
        (dict(problem=reference_problem("spiked", 150, P_over_n=4)), "P/n"),
        (dict(problem=reference_problem("spiked", 150, C=5.0)), "C = 5, needs 10.0"),
        (dict(problem=reference_problem("spiked", 150, k_over_n=0.2)), "k/n"),
        (dict(problem=reference_problem("spiked", 150, sigma=0.5)), "sigma"),
        (dict(problem=dc.LGP(eigenvalues=dc.power_law(450, 1.0), beta=np.ones(450), sigma=0.0)), "two-level pattern"),
        (dict(problem=dc.LGP(covariance=dc.toeplitz(450, 0.5), beta=np.ones(450), sigma=0.0)), "not diagonal"),
    ],
)
def test_outside_the_measured_settings_is_a_regime_error(change, match):
    args = dict(problem=reference_problem("spiked", 150), n=150, s=120)
    args.update(change)
    if "n" in change and "problem" not in change:
        args["problem"] = reference_problem("spiked", change["n"])
    if not args["problem"].is_diagonal:
        args["samples"] = 20  # DC sampling runs before the check; keep it short
    with pytest.raises(RegimeError, match=match) as refusal:
        dc.predict(**args, finite_size="fitted")
    message = str(refusal.value)
    assert len(message) < 200 and "\n" not in message and "docs/finite-size.md" in message, message
    dc.predict(**args)  # the uncorrected prediction is still available


def test_data_file_has_provenance():
    prov = DATA["provenance"]
    assert prov["experiment"] == "finite_size" and "validate finite_size" in prov["command"]
    assert not prov["quick"] and all(int(t) >= 100 for t in prov["trials_by_n"].values())
