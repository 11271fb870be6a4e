"""Contracts of the input-validation layer shared by the API and the configs (dctheory.config,
dctheory.checks.check_scalar): every bad input is a one-line ConfigError naming the value."""

import json
from decimal import Decimal

import numpy as np
import pytest

import dctheory as dc
from dctheory import config as configs
from dctheory.checks import MAX_DPS, check_dps
from dctheory.errors import ConfigError
from dctheory.problems import check_scalar, show

SPIKED = {
    "n": 150,
    "sigma": 0,
    "s": 120,
    "m": 500,
    "covariance": {"spiked": {"P": 500, "k": 60, "C": 10}},
    "beta": {"constant": 1},
}


def parse_text(text):
    return configs.parse(configs.loads(text))


def one_line(error) -> str:
    text = str(error.value)
    assert "\n" not in text and "Decimal(" not in text and "np.float" not in text, text
    return text


# -- JSON types: a string or a boolean is not a number ---------------------------------------

TYPE_CASES = [
    ({"n": "150"}, "n = '150' is a string, not a number"),
    ({"m": "40"}, "m = '40' is a string, not a number"),
    ({"sigma": "0.5"}, "sigma = '0.5' is a string, not a number"),
    ({"s": True}, "s = true is a boolean, not a number"),
    ({"sigma": False}, "sigma = false is a boolean, not a number"),
    ({"ridge": None}, "ridge = null is not a number"),
    ({"n": [150]}, "n must be a number, got a list"),
    ({"beta": {"constant": "1"}}, "beta.constant = '1' is a string"),
    ({"beta": [1] * 499 + [True]}, "beta[499] = true is a boolean"),
    ({"covariance": {"spiked": {"P": 500, "k": "60", "C": 10}}}, "covariance.spiked.k = '60' is a string"),
    (
        {"covariance": {"eigenvalues": [1, "2"]}, "beta": [1, 1], "s": 1, "m": 2},
        "covariance.eigenvalues[1] = '2' is a string",
    ),
]


@pytest.mark.parametrize("change, message", TYPE_CASES)
def test_json_types_are_checked(change, message):
    with pytest.raises(ConfigError) as error:
        configs.parse({**SPIKED, **change})
    assert message in one_line(error)


def test_api_refuses_strings_and_booleans():
    problem = dc.LGP(eigenvalues=np.ones(40), beta=np.ones(40), sigma=0.5)
    with pytest.raises(ConfigError, match="n = '20' is a string"):
        dc.predict(problem, n="20", m=40, s=5)
    with pytest.raises(ConfigError, match="s = true is a boolean"):
        dc.predict(problem, n=20, m=40, s=True)
    with pytest.raises(ConfigError, match=r"sigma = '0\.5' is a string"):
        dc.LGP(eigenvalues=np.ones(3), beta=np.ones(3), sigma="0.5")
    with pytest.raises(ConfigError, match=r"beta\[1\] = '2' is a string"):
        dc.LGP(eigenvalues=np.ones(2), beta=[1, "2"])
    with pytest.raises(ConfigError, match=r"beta\[1\] = true is a boolean"):
        dc.LGP(eigenvalues=np.ones(2), beta=[1, True])
    with pytest.raises(ConfigError, match="rows of equal length"):
        dc.LGP(eigenvalues=[[1], [1, 2]], beta=[1, 1])


def test_s_above_m_means_the_same_in_the_api_and_the_cli(tmp_path, capsys):
    """s > m: magnitude, Hessian and random pruning keep all m weights (the dense risk, docs/theory.md#retraining); oracle pruning keeps the trained features in D* (the top-s saliencies of all P).
    With beta increasing along the features, D* = the last s features misses D = the first m,
    so oracle pruning drops every weight: risk sigma^2 + sum lambda_i beta_i^2 exactly."""
    from dctheory.cli import main

    beta = np.linspace(0.1, 2.0, 40)
    problem = dc.LGP(eigenvalues=np.ones(40), beta=beta, sigma=0.5)
    prediction = dc.predict(problem, n=30, m=10, s=20)
    for name in ("magnitude", "hessian", "random", "magnitude_retrained", "hessian_retrained"):
        assert prediction[name] == pytest.approx(prediction["dense"], rel=1e-12)
    assert prediction["oracle"] == pytest.approx(0.25 + np.sum(beta**2), rel=1e-12)
    path = tmp_path / "config.json"
    path.write_text(
        json.dumps(
            {"n": 30, "m": 10, "s": 20, "sigma": 0.5, "covariance": {"identity": {"P": 40}}, "beta": beta.tolist()}
        )
    )
    assert main(["predict", str(path), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert all(record[name] == prediction[name] for name in dc.STRATEGIES)


# -- constructors name their missing arguments ------------------------------------------------


@pytest.mark.parametrize(
    "covariance, message",
    [
        ({"identity": {}}, "missing key 'P' in covariance.identity; it needs P"),
        ({"power_law": {"P": 10}}, "missing key 'alpha' in covariance.power_law; it needs P, alpha (optional: scale)"),
        ({"spiked": {"P": 10, "k": 2}}, "missing key 'C' in covariance.spiked"),
        ({"toeplitz": {"P": 10}}, "missing key 'rho' in covariance.toeplitz"),
        ({"toeplitz": {"P": 10, "rho": 0.5, "size": 3}}, "unknown key 'size' in covariance.toeplitz"),
        ({"identity": 10}, "covariance.identity must be an object with keys P, got a number"),
        ({"cube": {}}, "unknown covariance 'cube'"),
    ],
)
def test_every_constructor_names_its_missing_argument(covariance, message):
    with pytest.raises(ConfigError) as error:
        configs.parse({**SPIKED, "covariance": covariance})
    assert message in one_line(error)


@pytest.mark.parametrize(
    "law, message",
    [
        ({"uniform": {"low": 0.5}}, "missing key 'high' in law.uniform; it needs high, low"),
        ({"power_law": {}}, "missing key 'alpha' in law.power_law"),
        ({"discrete": {"values": [1, "a"]}}, "law.discrete.values[1] = 'a' is a string"),
        ({"gamma": {"a": 1}}, "unknown law 'gamma'; known: discrete, marchenko_pastur, point, power_law, "),
        ({"uniform": {"low": 2, "high": 1}}, "high = 1 must be > 2.0"),
    ],
)
def test_continuous_law_configs_are_checked(law, message):
    with pytest.raises(ConfigError) as error:
        configs.parse({"law": law, "B": 1, "kappa": 2, "sigma": 0.5, "keep": 0.2})
    assert message in one_line(error)


def test_continuous_law_config_has_exactly_its_keys():
    good = {"law": {"uniform": {"low": 0.5, "high": 2}}, "B": 1, "kappa": 2, "sigma": 0.5, "keep": 0.2}
    parsed = configs.parse(good)
    assert parsed["kind"] == "asymptotic" and parsed["law"].name == "uniform(0.5, 2)"
    for key in good:
        with pytest.raises(ConfigError, match=f"missing key '{key}'"):
            configs.parse({k: v for k, v in good.items() if k != key})
    with pytest.raises(ConfigError, match="unknown key 'n' in a continuous-law config"):
        configs.parse({**good, "n": 100})
    with pytest.raises(ConfigError, match=r"keep = 1\.5 must be <= 1"):
        configs.parse({**good, "keep": Decimal("1.5")})
    with pytest.raises(ConfigError, match="kappa = 1 must be > 1"):
        configs.parse({**good, "kappa": 1})


# -- limits: size, depth, digits, dps ------------------------------------------------------------


def test_a_5000_digit_integer_is_one_line():
    with pytest.raises(ConfigError) as error:
        parse_text('{"n": ' + "9" * 5000 + "}")
    assert "a number in the config has 5000 digits (at most 400)" in one_line(error)
    with pytest.raises(ConfigError, match="has 5001 characters"):
        parse_text('{"n": 0.' + "9" * 4999 + "}")


@pytest.mark.parametrize("text", ["[" * 100_000, '{"a":' * 100_000, "[" * 40 + "]" * 40])
def test_deep_nesting_is_one_line(text):
    with pytest.raises(ConfigError) as error:
        configs.loads(text)
    assert "nested more than 32 levels deep" in one_line(error)


def test_numbers_too_large_for_a_float_are_refused_with_their_name():
    with pytest.raises(ConfigError) as error:
        configs.parse({**SPIKED, "sigma": Decimal("1e400")})
    assert "sigma = 1E+400 is too large for a float" in one_line(error)
    problem = dc.LGP(eigenvalues=np.ones(3), beta=np.ones(3))
    with pytest.raises(ConfigError) as error:
        dc.predict(problem, n=10**5000, m=3, s=1)
    assert "n = ~1e5000 is too large for a float" in one_line(error)


def test_generated_sizes_are_bounded():
    with pytest.raises(ConfigError, match=r"covariance\.identity\.P = 100000000 must be <= 10000000"):
        configs.parse({**SPIKED, "covariance": {"identity": {"P": 10**8}}})
    with pytest.raises(ConfigError, match=r"covariance\.toeplitz\.P = 20000 must be <= 10000"):
        configs.parse({**SPIKED, "covariance": {"toeplitz": {"P": 20000, "rho": 0.5}}})
    with pytest.raises(ConfigError, match="samples = 10000000 must be <= 1000000"):
        configs.parse({**SPIKED, "samples": 10**7})


def test_maximum_dps():
    assert MAX_DPS == 10_000 and check_dps(10_000) == 10_000
    for bad in (0, 10_001, 1_000_000, True, 2.5):
        with pytest.raises(ConfigError, match=r"must be an integer in \[1, 10000\]"):
            check_dps(bad)
    problem = dc.LGP(eigenvalues=np.ones(3), beta=np.ones(3))
    with pytest.raises(ConfigError, match=r"dps = 1000000 must be an integer in \[1, 10000\]"):
        dc.predict(problem, n=10, m=3, s=1, dps=1_000_000)


def test_numbers_print_as_numbers():
    assert show(Decimal("150.5")) == "150.5" and show(np.float64(0.1)) == "0.1" and show(True) == "true"
    assert show(np.int64(3)) == "3" and show("x") == "'x'" and show(None) == "null"
    with pytest.raises(ConfigError) as error:
        check_scalar("n", Decimal("150.5"), integer=True)
    assert one_line(error) == "n = 150.5 must be an integer"
    with pytest.raises(ConfigError) as error:
        configs.parse({**SPIKED, "n": Decimal("150.5")})
    assert one_line(error) == "n = 150.5 must be an integer"
    assert check_scalar("n", 10**30, integer=True) == 10**30  # exact, not float-rounded


def test_non_json_and_non_objects():
    for text, message in [
        ("{", "invalid JSON at line 1"),
        ("[1]", "a config must be a JSON object, got a list"),
        ('"x"', "got a string"),
        ('{"n": NaN}', "non-finite number NaN"),
    ]:
        with pytest.raises(ConfigError, match=message):
            configs.loads(text)
    assert json.loads(json.dumps(configs.loads('{"n": 1.5}'), default=str)) == {"n": "1.5"}
