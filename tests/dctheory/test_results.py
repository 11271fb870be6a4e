"""Result objects (dctheory.results): repr, HTML, to_dict, to_frame and mapping access.

Contracts (what each view shows, errors that list the valid names) and exactness: every number a
view prints or exports is read back and compared with the object's own fields, and the digits of a
50-digit prediction are compared with an independent 80-digit mpmath solve.
"""

import json
import re
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import mpmath
import numpy as np
import pytest

import dctheory as dc
from dctheory.results import value_with_error

pandas = pytest.importorskip("pandas")

# Small spiked problem (docs/theory.md#claims shape, P = 100): first 12 eigenvalues 10, the rest 1.
P, K, C, N, M, S = 100, 12, 10.0, 30, 60, 20
SPIKED = dc.LGP(eigenvalues=dc.spiked(P, K, C), beta=np.ones(P), sigma=0.5)
NUMBER = r"[-+]?\d[\d.]*(?:e[-+]?\d+)?"


@pytest.fixture(scope="module")
def prediction():
    return dc.predict(SPIKED, n=N, m=M, s=S)


@pytest.fixture(scope="module")
def precise():
    return dc.predict(SPIKED, n=N, m=M, s=S, dps=50)


#: the strategies a high-precision prediction verifies (the sample-diagonal Hessian rule is float64 only)
VERIFIED = [name for name in dc.STRATEGIES if name not in ("hessian", "hessian_retrained")]


@pytest.fixture(scope="module")
def sampled():
    rng = np.random.default_rng(1)
    a = rng.standard_normal((40, 40))
    problem = dc.LGP(covariance=a @ a.T / 40 + 0.1 * np.eye(40), beta=np.ones(40) / 6, sigma=0.5)
    return dc.predict(problem, n=20, m=40, s=8, samples=300, rng=np.random.default_rng(2))


@pytest.fixture(scope="module")
def advice():
    return dc.advise(SPIKED, N, S)  # default grid: 5 ridges x 200 m


@pytest.fixture(scope="module")
def curve():
    return dc.risk_curve(SPIKED, n=N, s=S)


@pytest.fixture(scope="module")
def asymptotic():
    return dc.AsymptoticDC(dc.Distribution.uniform(0.5, 2.0), 1.0, kappa=2.0, sigma=0.5).predict(0.2)


@pytest.fixture(scope="module")
def rank_one():
    return dc.rank_one([3.0, 2.0, 1.0, 0.5], [1.0, -1.0, 0.5, 1.0], n=20, sigma=0.5, s=2, dps=40)


@pytest.fixture(scope="module")
def certificate():
    pytest.importorskip("flint")
    from dctheory.certify import certify

    return certify(SPIKED, N, M, dps=30)


def table_values(text: str) -> dict:
    """name -> the first number printed after it, for the lines '  name  value ...' of a repr."""
    values = {}
    for line in text.splitlines()[1:]:
        found = re.match(rf"\s+(\w+)\s+({NUMBER})", line)
        if found:
            values[found.group(1)] = found.group(2)
    return values


# -- repr ----------------------------------------------------------------------


def test_contract_prediction_repr_shows_setting_and_every_risk_to_six_digits(prediction):
    text = repr(prediction)
    assert len(text.splitlines()) <= 12 and len(text) < 800
    for part in (f"n = {N}", f"m = {M}", f"s = {S}", "ridge = 0", "overparameterized", "closed form", "float64"):
        assert part in text
    shown = table_values(text)
    assert set(shown) == set(dc.STRATEGIES)
    for name in dc.STRATEGIES:
        assert float(shown[name]) == pytest.approx(prediction[name], rel=6e-6)  # 6 significant digits
    xi = re.search(rf"xi = ({NUMBER})", text).group(1)
    assert float(xi) == pytest.approx(prediction.xi, rel=6e-6)


def test_contract_sampled_prediction_prints_value_plus_minus_its_standard_error(sampled):
    shown = {
        m.group(1): (float(m.group(2)), float(m.group(3)))
        for m in re.finditer(rf"(\w+)\s+({NUMBER}) ± ({NUMBER})", repr(sampled))
    }
    pruned = [name for name in dc.STRATEGIES if name != "dense"]
    assert set(pruned) <= set(shown)
    for name in pruned:
        value, error = shown[name]
        se = sampled.stderr[name]
        assert error == pytest.approx(se, rel=0.06)  # two significant digits
        assert abs(value - sampled[name]) <= 0.051 * se  # rounded at the error's second digit
    assert "dense" not in shown  # the dense risk is a closed form (s.e. 0 up to rounding)


@pytest.mark.parametrize(
    "value, error, text",
    [
        (1.48303, 0.0083, "1.4830 ± 0.0083"),
        (548.21, 2.43, "548.2 ± 2.4"),
        (12345.6, 137.0, "12350 ± 140"),
        (3.2e-7, 1.1e-8, "3.20e-07 ± 1.1e-08"),
        (2.0, 0.0, "2"),
        (None, 0.1, "undefined"),
    ],
)
def test_contract_value_with_error_rounds_at_the_errors_second_digit(value, error, text):
    assert value_with_error(value, error) == text


def test_contract_advice_repr_is_verdict_and_top_five_routes(advice):
    text = repr(advice)
    assert len(advice.rows) > 2000 and len(text) < 1500
    assert advice.verdict in text
    routes = re.findall(r"^\s+(\d)\s+(\w+)", text, flags=re.M)
    assert [int(rank) for rank, _ in routes] == [1, 2, 3, 4, 5]
    assert [name for _, name in routes] == [row["strategy"] for row in advice.ranking[:5]]
    for (_, name), row in zip(routes, advice.ranking):
        line = re.search(rf"^\s+\d\s+{name}\b.*$", text, flags=re.M).group(0)
        assert f" {row['m']} " in line
        risk = float(re.findall(NUMBER, line)[3])  # rank, m, ridge, risk
        assert risk == pytest.approx(row["risk"], rel=6e-6)


def test_contract_curve_repr_reports_each_strategys_minimum(curve):
    text = repr(curve)
    assert len(text) < 1200 and f"n = {N}" in text and f"s = {S}" in text
    for name in dc.STRATEGIES:
        line = re.search(rf"^\s+{name}\s+(.*)$", text, flags=re.M).group(1).split()
        risks = curve.risks[name]
        best = np.nanargmin(risks)
        assert float(line[0]) == pytest.approx(risks[best], rel=6e-6)
        assert int(line[1]) == curve.m[best]
    assert ", ".join(map(str, curve.undefined)) in text  # ridgeless m in [n - 1, n]


def test_contract_reprs_name_their_contents_not_memory_addresses(certificate):
    law = dc.Distribution.uniform(0.5, 2.0)
    model = dc.AsymptoticDC(
        law, lambda lam: np.sqrt(lam) if isinstance(lam, np.ndarray) else mpmath.sqrt(lam), kappa=2.0, sigma=0.5
    )
    texts = [
        repr(law),
        repr(model),
        repr(dc.Distribution.marchenko_pastur(2.0)),
        repr(certificate),
        repr(certificate.xi),
    ]
    for text in texts:
        assert " at 0x" not in text and "lambda" not in text and "Fraction" not in text
    assert "uniform(0.5, 2)" in texts[0] and "uniform(0.5, 2)" in texts[1] and "kappa = 2" in texts[1]
    assert float(re.search(rf"xi = ({NUMBER})", texts[1]).group(1)) == pytest.approx(model.xi, rel=6e-6)
    assert "atoms 0 w.p. 0.5" in texts[2]


def test_exactness_certificate_prints_decimal_intervals_holding_the_values(certificate):
    reference = dc.predict(SPIKED, n=N, m=M, s=S, dps=45)
    text = repr(certificate)
    for name in ("xi", "tau2", "dense"):
        lo, hi = re.search(rf"^\s+{name}\s+\[({NUMBER}), ({NUMBER})\]", text, flags=re.M).groups()
        value = reference.xi if name == "xi" else reference.tau2
        with mpmath.workdps(60):
            assert mpmath.mpf(lo) <= value <= mpmath.mpf(hi)
            assert (mpmath.mpf(hi) - mpmath.mpf(lo)) / value < mpmath.mpf(10) ** -28  # 30 digits asked


def test_exactness_fifty_digit_xi_prints_its_verified_digits(precise):
    assert mpmath.mp.dps == 15  # the global precision is left alone; the result prints its own digits
    text = repr(precise)
    xi_text = re.search(rf"xi = ({NUMBER})", text).group(1)
    assert len(re.sub(r"^[0.]*", "", xi_text).replace(".", "")) >= 45  # significant digits
    # Independent solve of the xi equation (docs/theory.md#finite-size) at 80 digits on the first M features:
    # K eigenvalues C and M - K eigenvalues 1: K C xi/(1 + C xi) + (M - K) xi/(1 + xi) = n.
    with mpmath.workdps(80):
        exact = mpmath.findroot(lambda x: K * C * x / (1 + C * x) + (M - K) * x / (1 + x) - N, mpmath.mpf("0.5"))
        assert abs(mpmath.mpf(xi_text) - exact) <= mpmath.mpf(10) ** -49 * exact
    # Every printed risk against the project's own 70-digit run.
    higher = dc.predict(SPIKED, n=N, m=M, s=S, dps=70)
    shown = table_values(text)
    for name in VERIFIED:
        with mpmath.workdps(80):
            assert abs(mpmath.mpf(shown[name]) - higher[name]) <= mpmath.mpf(10) ** -49 * abs(higher[name])
        assert len(shown[name].replace(".", "").lstrip("0")) >= 45


def test_exactness_high_precision_rank_one_and_asymptotic_print_their_digits(rank_one):
    shown = table_values(repr(rank_one))
    # Lemma 1: the retrained and dense excess are sigma^2 / (n - 2) = 0.25 / 18 exactly.
    with mpmath.workdps(60):
        assert abs(mpmath.mpf(shown["retrained_excess"]) - mpmath.mpf(1) / 72) < mpmath.mpf(10) ** -41
    assert len(shown["retrained_excess"].replace("0.", "", 1).lstrip("0")) >= 40
    model = dc.AsymptoticDC([1.0, 4.0], [1.0, 0.5], kappa=3.0, sigma=0.5, dps=30)
    xi_text = re.search(rf"xi = ({NUMBER})", repr(model.predict(0.25))).group(1)
    # Two atoms of probability 1/2: xi/(1 + xi) + 4 xi/(1 + 4 xi) = 2/kappa, i.e. the quadratic
    # 16 xi^2 + 5 xi - 2 = 0 (kappa = 3), solved independently.
    with mpmath.workdps(50):
        root = (-5 + mpmath.sqrt(25 + 4 * 16 * 2)) / 32
        assert abs(mpmath.mpf(xi_text) - root) < mpmath.mpf(10) ** -29 * root
    assert len(xi_text.replace("0.", "", 1)) >= 30


# -- HTML --------------------------------------------------------------------------


def test_contract_html_is_a_small_table_with_the_risks(prediction, advice, curve, asymptotic, rank_one, certificate):
    for result in (prediction, advice, curve, asymptotic, rank_one, certificate):
        page = result._repr_html_()
        assert page.startswith("<div>") and "<table>" in page and len(page) < 4000
        cells = re.findall(r"<td[^>]*>([^<]*)</td>", page)
        assert cells
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", prediction._repr_html_())
    for name in dc.STRATEGIES:
        value = float(cells[cells.index(name) + 1])
        assert value == pytest.approx(prediction[name], rel=6e-6)
    assert advice.verdict.replace("'", "&#x27;") in advice._repr_html_()


# -- to_dict ---------------------------------------------------------------------------


def test_contract_to_dict_round_trips_through_json(
    prediction, precise, sampled, advice, curve, asymptotic, rank_one, certificate
):
    for result in (prediction, precise, sampled, advice, curve, asymptotic, rank_one, certificate):
        record = result.to_dict()
        assert json.loads(json.dumps(record, allow_nan=False)) == record
    record = prediction.to_dict()
    assert record["risks"] == {name: prediction[name] for name in dc.STRATEGIES}
    assert (record["n"], record["m"], record["s"], record["xi"]) == (N, M, S, prediction.xi)
    assert len(advice.to_dict()["rows"]) == len(advice.rows)
    xi = curve.to_dict()["xi"]  # NaN (no xi for ridgeless m < n - 1) -> None
    assert [x is None for x in xi] == np.isnan(curve.xi).tolist() and None in xi


def test_exactness_to_dict_keeps_every_verified_digit_as_strings(precise, rank_one, certificate):
    record = precise.to_dict()
    for name in VERIFIED:
        text = record["risks"][name]
        assert isinstance(text, str)
        with mpmath.workdps(60):
            assert abs(mpmath.mpf(text) - precise[name]) <= mpmath.mpf(10) ** -49 * abs(precise[name])
    assert isinstance(rank_one.to_dict()["rho"], str)
    interval = certificate.to_dict()["tau2"]
    # Outward rounding: the printed decimals enclose the exact rational interval.
    assert Fraction(Decimal(interval["lo"])) <= certificate.tau2.lo and certificate.tau2.hi <= Fraction(
        Decimal(interval["hi"])
    )
    with mpmath.workdps(60):
        lo, hi = mpmath.mpf(interval["lo"]), mpmath.mpf(interval["hi"])
        assert lo <= precise.tau2 <= hi  # outward rounding keeps the true value inside


# -- to_frame ------------------------------------------------------------------------------


def test_contract_to_frame_columns_and_values_are_the_objects_numbers(
    prediction, advice, curve, asymptotic, rank_one, certificate, precise
):
    frame = prediction.to_frame()
    assert list(frame.columns) == ["n", "m", "s", "ridge", "xi", "tau2", "strategy", "risk", "stderr"]
    assert list(frame["strategy"]) == list(dc.STRATEGIES)
    assert frame["risk"].tolist() == [prediction[name] for name in dc.STRATEGIES]
    assert (frame["m"] == M).all() and (frame["xi"] == prediction.xi).all()

    frame = precise.to_frame()
    assert frame.set_index("strategy")["risk"][VERIFIED].tolist() == [float(precise[name]) for name in VERIFIED]

    frame = curve.to_frame()
    assert list(frame.columns) == ["m", "xi", "tau2", *dc.STRATEGIES, "interpolation"]
    np.testing.assert_array_equal(frame["m"].to_numpy(), curve.m)
    np.testing.assert_array_equal(frame["xi"].to_numpy(), curve.xi)
    for name in dc.STRATEGIES:
        np.testing.assert_array_equal(frame[name].to_numpy(), curve.risks[name])

    frame = advice.to_frame()
    assert len(frame) == len(advice.rows) and list(frame.columns) == ["strategy", "m", "ridge", "risk", "stderr"]
    assert frame["risk"].tolist() == [row["risk"] for row in advice.rows]
    ranking = advice.to_frame("ranking")
    assert ranking["strategy"].tolist() == list(advice.keys())
    assert ranking["relative_gap"].tolist() == [row["relative_gap"] for row in advice.ranking]

    frame = asymptotic.to_frame()
    assert frame.set_index("strategy")["risk"].to_dict() == asymptotic.risks

    frame = rank_one.to_frame().set_index("quantity")
    assert frame.loc["pruned_excess", "value"] == float(rank_one.pruned_excess)
    assert frame["rho"].iloc[0] == float(rank_one.rho)

    frame = certificate.to_frame().set_index("quantity")
    assert frame.loc["xi", "lo"] == float(certificate.xi.lo) and frame.loc["dense", "hi"] == float(certificate.dense.hi)


def test_contract_to_frame_without_pandas_names_the_extra(prediction, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(ImportError, match=r"dctheory\[pandas\]"):
        prediction.to_frame()


# -- mapping -----------------------------------------------------------------------------------


def test_contract_iteration_and_keys_give_the_names(
    prediction, precise, advice, curve, asymptotic, rank_one, certificate
):
    for result in (prediction, precise, curve, asymptotic):
        assert list(result) == list(result.keys()) == list(dc.STRATEGIES)
        assert len(result) == len(dc.STRATEGIES) and "hessian" in result and "nope" not in result
    assert dict(prediction) == prediction.risks
    assert curve["hessian"] is curve.risks["hessian"]
    assert list(advice) == [row["strategy"] for row in advice.ranking]
    assert advice[advice.ranking[0]["strategy"]] == advice.ranking[0]
    assert list(rank_one) == ["pruned_excess", "retrained_excess", "dense_excess", "optimal_risk"]
    assert rank_one["pruned_excess"] == rank_one.pruned_excess
    assert list(certificate) == ["xi", "tau2", "dense"] and certificate["xi"] is certificate.xi


def test_contract_key_error_lists_the_valid_names(prediction, advice, curve, asymptotic, rank_one, certificate):
    for result in (prediction, advice, curve, asymptotic, rank_one, certificate):
        with pytest.raises(KeyError) as error:
            result["nope"]
        message = str(error.value)
        assert "'nope'" in message
        for name in result.keys():
            assert name in message
    with pytest.raises(KeyError, match="valid: dense, magnitude"):
        prediction[0]  # list(prediction)[0] is the way to index by position


def test_contract_readme_notebook_view_is_the_measured_display():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    shown = re.search(
        r"displays as \(measured\):\n\n<!-- output: .*? -->\n```text\n(.*?)\n```", readme, flags=re.S
    ).group(1)
    problem = dc.LGP(eigenvalues=dc.spiked(500, 60, 10.0), beta=np.ones(500), sigma=0.0)
    assert repr(dc.advise(problem, n=150, s=120)) == shown
    xi = re.search(r"\nxi = (\d\.\d+), tau2 = ", readme).group(1)
    assert len(xi) == 32  # 30 verified digits shown
    with mpmath.workdps(40):
        assert abs(mpmath.mpf(xi) - dc.predict(problem, n=150, m=300, s=120, dps=35).xi) < mpmath.mpf(10) ** -30
