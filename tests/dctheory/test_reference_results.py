"""Exactness: predictions equal the values stored before the pruning kernel was unified.

The stored file (``tests/data/reference_results.json``, written by ``python tests/data/make_reference.py``
with the code before the change) covers distinct, spiked and tied spectra, ridge, m < n, m > n,
the edge m, several s, every strategy of ``predict`` and ``risk_curve``, and the asymptotic
predictions of two laws. float64 results must agree to 1e-13 relative, 30-digit results to 1e-25.
The file was written when "hessian" was Hessian pruning with the population diagonal: its values are
compared with "hessian_population" (the sample-diagonal rule is tested in test_sample_diagonal.py).
"""

import importlib.util
import json
from pathlib import Path

import mpmath
import pytest

import dctheory as dc

DATA = Path(__file__).parents[1] / "data"
REFERENCE = json.loads((DATA / "reference_results.json").read_text())
_spec = importlib.util.spec_from_file_location("make_reference", DATA / "make_reference.py")
settings = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(settings)
PROBLEMS = settings.problems()


def close_float(new, old, rel=1e-13):
    if old is None:
        return new is None or new != new  # None or NaN
    return new is not None and abs(float(new) - old) <= rel * abs(old) + 1e-300


def close_mp(new, old, rel=1e-25):
    if old is None:
        return new is None
    with mpmath.workdps(40):
        old = mpmath.mpf(old)
        return new is not None and abs(mpmath.mpf(new) - old) <= rel * abs(old)


#: the stored name -> the strategy that carries that rule now
RENAMED = {"hessian": "hessian_population", "hessian_retrained": "hessian_population_retrained"}


def _stored(values):
    return {RENAMED.get(k, k): v for k, v in values.items()}


def _values(prediction):
    return dict(prediction.risks) | {"xi": prediction.xi, "tau2": prediction.tau2}


@pytest.mark.parametrize("row", REFERENCE["predict"], ids=lambda r: f"{r['problem']}-m{r['m']}-s{r['s']}")
def test_predict_float64(row):
    problem, n, ridge = PROBLEMS[row["problem"]]
    values = _values(dc.predict(problem, n=n, m=row["m"], s=row["s"], ridge=ridge))
    bad = {k: (values[k], v) for k, v in _stored(row["float64"]).items() if not close_float(values[k], v)}
    assert not bad


@pytest.mark.parametrize("row", REFERENCE["predict"], ids=lambda r: f"{r['problem']}-m{r['m']}-s{r['s']}")
def test_predict_30_digits(row):
    problem, n, ridge = PROBLEMS[row["problem"]]
    values = _values(dc.predict(problem, n=n, m=row["m"], s=row["s"], ridge=ridge, dps=settings.DIGITS))
    bad = {k: (values[k], v) for k, v in _stored(row["dps"]).items() if not close_mp(values[k], v)}
    assert not bad


@pytest.mark.parametrize("row", REFERENCE["curve"], ids=lambda r: r["problem"])
def test_risk_curve_float64(row):
    problem, n, ridge = PROBLEMS[row["problem"]]
    curve = dc.risk_curve(problem, n=n, s=row["s"], ridge=ridge)
    assert curve.m.tolist() == row["m"] and curve.undefined == row["undefined"]
    for name, stored in [*list(_stored(row["risks"]).items()), ("xi", row["xi"]), ("tau2", row["tau2"])]:
        new = curve.risks[name] if name in curve.risks else getattr(curve, name)
        bad = [(m, x, y) for m, x, y in zip(row["m"], new, stored) if not close_float(x, y)]
        assert not bad, name


@pytest.mark.parametrize("row", REFERENCE["asymptotic"], ids=lambda r: r["law"])
def test_asymptotic(row):
    eigenvalues, coefficients = settings.asymptotic_cases()[row["law"]][0]()
    law = dc.AsymptoticDC(eigenvalues, coefficients, kappa=row["kappa"], sigma=row["sigma"])
    values = _values(law.predict(row["keep"]))
    assert not {k: (values[k], v) for k, v in _stored(row["float64"]).items() if not close_float(values[k], v)}
    values = (
        _values(law.predict(row["keep"], dps=settings.DIGITS))
        if _takes_dps(law)
        else _values(
            dc.AsymptoticDC(
                eigenvalues, coefficients, kappa=row["kappa"], sigma=row["sigma"], dps=settings.DIGITS
            ).predict(row["keep"])
        )
    )
    assert not {k: (values[k], v) for k, v in _stored(row["dps"]).items() if not close_mp(values[k], v)}


def _takes_dps(law):
    import inspect

    return "dps" in inspect.signature(law.predict).parameters
