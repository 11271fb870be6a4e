"""Properties of the predictions over random diagonal problems (hypothesis).

Exactness properties, each checked on generated problems LGP(beta, diag(lambda), sigma):

* homogeneity: scaling beta and sigma by c leaves xi unchanged and scales tau^2 and every
  risk by c^2 (the law is linear in (beta, sigma z)); relative tolerance 1e-9;
* invariance under a permutation of the coordinates (m = P, no ties among the saliencies
  lambda_i beta_i^2, so that the oracle set is unambiguous); relative tolerance 1e-9;
* float64 against 30 verified digits (``dps=30``): relative 1e-9;
* the risk floor: every strategy keeps at most s coordinates, so its risk is at least
  sigma^2 + sum_{i not in D*} lambda_i beta_i^2, the risk of the oracle support D* (top-s
  saliencies) with the exact coefficients (docs/theory.md#thresholded-risk, #retraining: the threshold rules keep
  sum pi_i = s coordinates in expectation; retraining multiplies by (n-1)/(n-s-1) >= 1 or is
  a tau_S^2 >= sigma_S^2). The prediction's own "oracle" strategy (no refit) is NOT a lower
  bound for magnitude or Hessian pruning: at Fig. 7(b), m = P, Hessian 548.9 < oracle 571.5.
  The dense risk is at least sigma_D^2 (the effective noise on D);
* magnitude, Hessian, oracle and random pruning, and magnitude / Hessian retraining
  (ridge 0, s < n - 1), against the closed forms of docs/theory.md#thresholded-risk, #retraining evaluated here
  independently (scipy's normal law, a bracketing root for the threshold); relative 1e-7
  (the threshold is a root found to about 1e-12);
* the command line: exit status 0 or 2 (never 1 or 3) on every generated config, valid or
  mutated, and no NaN or infinity printed as a number, in text or in JSON.

``EDGE_CASES`` adds sigma = 0 with tied coefficients, zero and underflowing eigenvalues and
scales beyond 1e+-100 to the generated problems. With sigma = 0 the trained coefficients are exact and
pruning keeps the top s scores, ties in feature order: a permutation then moves which tied coordinate
is kept, so the invariance is checked only for the rules whose scores are not tied.

Profiles: the default runs a fixed (derandomized) set of examples within about 40 s; the
``slow`` tests re-run every property with ten times more random examples
(``pytest -m slow tests/dctheory/test_properties.py``).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import tempfile
from pathlib import Path

import numpy as np
import pytest
import scipy.optimize
import scipy.stats
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import dctheory as dc
from dctheory.cli import main
from dctheory.errors import DCTheoryError, RegimeError

EDGE_CASES = True

DEFAULT = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
DEEP = settings(
    max_examples=400,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# -- generated problems ---------------------------------------------------------


@st.composite
def settings_of_problems(draw, max_P: int = 24, edge: bool | None = None):
    """(problem, n, m, s, ridge): a diagonal LGP with continuous random spectrum and
    coefficients (no ties unless ``edge``), and a setting where the theory is defined."""
    edge = EDGE_CASES if edge is None else edge
    P = draw(st.integers(2, max_P))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    spread = draw(st.floats(0.0, 4.0))  # log10 of the condition number
    lam = 10.0 ** rng.uniform(-spread / 2, spread / 2, P)
    shape = draw(st.sampled_from(["gaussian", "decaying", "positive"]))
    beta = {
        "gaussian": rng.standard_normal(P),
        "positive": rng.uniform(0.2, 2.0, P),
        "decaying": rng.uniform(0.5, 1.5, P) / np.arange(1, P + 1),
    }[shape]
    sigma = draw(st.floats(0.05, 3.0))
    scale = 10.0 ** draw(st.floats(-3, 3))
    if edge:
        kind = draw(st.sampled_from(["none", "ties", "zeros", "tiny", "huge"]))
        if kind == "ties":
            beta, sigma = np.ones(P), draw(st.sampled_from([0.0, sigma]))
        elif kind == "zeros":
            lam[rng.integers(0, P, size=max(1, P // 4))] = draw(st.sampled_from([0.0, 1e-308]))
        elif kind in ("tiny", "huge"):
            scale = 10.0 ** draw(st.floats(-300, -100) if kind == "tiny" else st.floats(100, 300))
    problem = dc.LGP(eigenvalues=lam, beta=beta * scale, sigma=sigma * scale)
    n = draw(st.integers(3, 3 * P + 3))
    ridge = draw(st.sampled_from([0.0, 0.0, 0.0, 0.01, 0.5]))
    m = draw(st.integers(2, P))
    s = draw(st.integers(1, m - 1))
    if ridge == 0:
        assume(not n - 1 <= m <= n)  # ridgeless m in [n - 1, n]: undefined (RegimeError)
        assume(not n - 1 <= s <= n)  # retraining on s features: the same
    return problem, n, m, s, ridge


def _predict(problem, n, m, s, ridge, **kwargs):
    try:
        return dc.predict(problem, n, m, s, ridge, **kwargs)
    except RegimeError:
        assume(False)


def _close(a, b, rtol):
    if a is None or b is None:
        return a is None and b is None
    a, b = float(a), float(b)
    return abs(a - b) <= rtol * max(abs(a), abs(b)) or a == b


def _all_values(prediction):
    return {"xi": prediction.xi, "tau2": prediction.tau2, **prediction.risks}


# -- exactness properties ----------------------------------------------------------


def _homogeneity(case, exponent):
    problem, n, m, s, ridge = case
    c = 10.0**exponent
    base = _predict(problem, n, m, s, ridge)
    scaled = _predict(
        dc.LGP(eigenvalues=problem.eigenvalues, beta=problem.beta * c, sigma=problem.sigma * c), n, m, s, ridge
    )
    assert _close(base.xi, scaled.xi, 1e-9), (base.xi, scaled.xi)
    for name in ("tau2", *dc.STRATEGIES):
        a, b = _all_values(base)[name], _all_values(scaled)[name]
        assert _close(None if a is None else a * c * c, b, 1e-9), (name, a, b, c)


def _permutation(case, permutation_seed):
    problem, n, _, s, ridge = case
    order = np.random.default_rng(permutation_seed).permutation(problem.P)
    base = _predict(problem, n, problem.P, s, ridge)
    moved = _predict(
        dc.LGP(eigenvalues=problem.eigenvalues[order], beta=problem.beta[order], sigma=problem.sigma),
        n,
        problem.P,
        s,
        ridge,
    )
    # Zero variance (sigma = 0): pruning keeps the top s scores exactly, tied scores in feature order,
    # so with tied scores the kept set, and its risk, depend on the order (EDGE_CASES).
    tied = set()
    if problem.sigma == 0:
        live = problem.eigenvalues > 0
        for names, score in (
            (("magnitude", "magnitude_retrained"), np.abs(problem.beta)),
            (
                ("hessian", "hessian_retrained", "hessian_population", "hessian_population_retrained"),
                problem.eigenvalues * problem.beta**2,
            ),
        ):
            if np.unique(score[live]).size < np.count_nonzero(live):
                tied.update(names)
    for name, value in _all_values(base).items():
        if name not in tied:
            assert _close(value, _all_values(moved)[name], 1e-9), (name, value, _all_values(moved)[name])


def _precision(case):
    problem, n, m, s, ridge = case
    low = _predict(problem, n, m, s, ridge)
    high = _predict(problem, n, m, s, ridge, dps=30)
    for name, value in _all_values(high).items():
        if name in high.notes and "float64 only" in high.notes[name]:
            continue  # the sample-diagonal Hessian rule is not evaluated at high precision
        assert _close(_all_values(low)[name], value, 1e-9), (name, _all_values(low)[name], value)


def _floor(case):
    problem, n, m, s, ridge = case
    prediction = _predict(problem, n, m, s, ridge)
    saliency = problem.eigenvalues * problem.beta**2
    floor = problem.sigma**2 + np.sort(saliency)[: problem.P - s].sum()
    sigma2_D = problem.sigma**2 + saliency[m:].sum()
    assert prediction.risks["dense"] >= sigma2_D * (1 - 1e-12)
    for name in dc.STRATEGIES[1:]:
        assert prediction.risks[name] is not None, (name, prediction.notes)
        assert prediction.risks[name] >= floor * (1 - 1e-12), (name, prediction.risks[name], floor)


def _ridge_sample_size(lam, n, ridge):
    """n_lambda = n - (n - sum a)/(n - sum a^2) * mean(a^2), a at the root of sum a + n ridge xi = n
    (docs/theory.md#finite-size, ridge; brentq in log xi); n itself at ridge 0."""
    if ridge == 0:
        return n

    def shrinkage(u):
        return np.exp(u) * lam / (1 + np.exp(u) * lam)

    with np.errstate(over="ignore", invalid="ignore"):
        u = scipy.optimize.brentq(lambda u: shrinkage(u).sum() + n * ridge * np.exp(u) - n, -700, 700, xtol=1e-15)
    a = shrinkage(u)
    return n - (n - a.sum()) / (n - np.sum(a**2)) * np.mean(a**2)


def _closed_forms(case):
    """docs/theory.md#thresholded-risk, #retraining, written out here independently of dctheory's compiled formulas."""
    problem, n, m, s, ridge = case
    prediction = _predict(problem, n, m, s, ridge)
    lam, beta = problem.eigenvalues, problem.beta
    inside = np.arange(problem.P) < m
    # A coordinate with lambda_i = 0 is exactly 0 (mean and sd 0, docs/theory.md#finite-size) and is never
    # counted among the kept: the integrals below run over the live coordinates (lambda_i > 0) of D.
    live = lam[inside] > 0
    assume(np.count_nonzero(live) > s)  # else nothing to prune: the dense model
    lam_D, beta_D = lam[inside][live], beta[inside][live]
    sigma2_D = problem.sigma**2 + np.sum((lam * beta**2)[~inside])
    if prediction.xi is None:  # least squares, rank(Sigma_DD) < n - 1
        mu, sd = beta_D, np.sqrt(sigma2_D / (n - lam_D.size - 1)) / np.sqrt(lam_D)
    else:
        size = _ridge_sample_size(lam_D, n, ridge)
        a = prediction.xi * lam_D / (1 + prediction.xi * lam_D)
        mu, sd = a * beta_D, a * math.sqrt(prediction.tau2) / np.sqrt(size * lam_D)
    # Zero variances (sigma = 0 with ties: EDGE_CASES) follow the top-s rule, not these integrals.
    assume(np.all(sd > 0))
    normal = scipy.stats.norm
    # lambda_i E[(w_i 1{|w_i| > t_i} - beta_i)^2] = (sqrt(lambda_i) c_i)^2 E[...] of w_i / c_i: the same
    # integrals in units c_i = max(s_i, 1), so that s_i^2 does not overflow when lambda_i underflows in
    # least squares (s_i ~ lambda_i^-1/2).
    unit = np.maximum(sd, 1.0)
    M, S, Bs, energy = mu / unit, sd / unit, beta_D / unit, (np.sqrt(lam_D) * unit) ** 2

    def keep(t):  # (a huge ratio is an exact 0 / 1 tail)
        with np.errstate(over="ignore"):
            return normal.sf((t / unit - M) / S) + normal.cdf((-t / unit - M) / S)

    def error(t):  # lambda_i E[(w_i 1{|w_i| > t_i} - beta_i)^2]
        T = t / unit
        pi = keep(t)
        with np.errstate(over="ignore"):
            a1, a2 = (T - M) / S, (-T - M) / S
            m1 = M * pi + S * (normal.pdf(a1) - normal.pdf(a2))
            m2 = (M**2 + S**2) * pi + S * ((M + T) * normal.pdf(a1) + (T - M) * normal.pdf(a2))
        return energy * (m2 - 2 * Bs * m1 + Bs**2)

    outside = np.sum((lam * beta**2)[~inside])
    expected = {}
    for name, weight in (("magnitude", np.ones(lam_D.size)), ("hessian_population", np.sqrt(lam_D))):
        # keep sqrt(h_i)|w_i| > t': the per-coordinate threshold t' / sqrt(h_i)
        top = 50 * np.max(weight * (np.abs(mu) + sd))
        root = scipy.optimize.brentq(
            lambda t, weight=weight: keep(t / weight).sum() - s, 0.0, top, xtol=1e-300, rtol=1e-15, maxiter=2000
        )
        expected[name] = problem.sigma**2 + np.sum(error(root / weight)) + outside
        if ridge == 0 and s < n - 1:
            dropped = np.sum((lam * beta**2)[~inside]) + np.sum((lam_D * beta_D**2) * (1 - keep(root / weight)))
            expected[f"{name}_retrained"] = (problem.sigma**2 + dropped) * (n - 1) / (n - s - 1)
    kept_error = np.zeros(m)
    kept_error[live] = energy * ((M - Bs) ** 2 + S**2)
    dropped = lam[inside] * beta[inside] ** 2
    oracle = np.isin(np.arange(m), problem.oracle_set(s))
    expected["oracle"] = problem.sigma**2 + np.sum(np.where(oracle, kept_error, dropped)) + outside
    expected["random"] = problem.sigma**2 + np.sum(s / m * kept_error + (1 - s / m) * dropped) + outside
    for name, value in expected.items():
        assert _close(prediction.risks[name], value, 1e-7), (name, prediction.risks[name], value)


def _finite_or_none(record: dict) -> bool:
    return all(
        v is None or isinstance(v, (str, int)) or math.isfinite(v)
        for v in record.values()
        if not isinstance(v, (dict, list))
    )


# -- the command line in-process ------------------------------------------------------

_FOLDER = Path(tempfile.mkdtemp(prefix="dctheory-properties-"))


def run_cli(config, *flags) -> tuple[int, str, str]:
    """main() on a config written to a file: (status, stdout, stderr)."""
    path = _FOLDER / "config.json"
    path.write_text(config if isinstance(config, str) else json.dumps(config))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["predict", str(path), *flags])
    return code, out.getvalue(), err.getvalue()


def _strict_json(text: str) -> dict:
    def refuse(name):
        raise AssertionError(f"invalid JSON constant {name} printed")

    return json.loads(text, parse_constant=refuse)


def config_of(case) -> dict:
    problem, n, m, s, ridge = case
    return {
        "n": n,
        "m": m,
        "s": s,
        "ridge": ridge,
        "sigma": problem.sigma,
        "covariance": {"eigenvalues": problem.eigenvalues.tolist()},
        "beta": problem.beta.tolist(),
    }


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
    | st.sampled_from(["all", "auto", "sampling", "fitted", "identity"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=12,
)


def _cli_valid(case, as_json):
    code, out, err = run_cli(config_of(case), *(["--json"] if as_json else []))
    assert code in (0, 2), err
    if code == 2:
        assert err.count("\n") == 1 and "Traceback" not in err, err
        return
    if as_json:
        record = _strict_json(out)
        assert _finite_or_none(record)
    else:
        words = out.lower().replace(",", " ").split()
        assert not {"nan", "inf", "-inf", "infinity"} & set(words), out


def _cli_mutated(case, key, value):
    config = config_of(case)
    config[key] = value
    code, _, err = run_cli(config)
    assert code in (0, 2), err
    assert "Traceback" not in err and err.count("\n") <= 1, err


# -- the tests: a default (derandomized) profile, and a deep one marked slow ----------------

EXPONENTS = st.floats(-4, 4) if not EDGE_CASES else st.floats(-150, 150)
KEYS = st.sampled_from(
    ["n", "m", "s", "ridge", "sigma", "covariance", "beta", "method", "samples", "seed", "finite_size", "model", "law"]
)

PROPERTIES = {
    "homogeneity": (_homogeneity, (settings_of_problems(), EXPONENTS)),
    "permutation": (_permutation, (settings_of_problems(), st.integers(0, 2**16))),
    "precision": (_precision, (settings_of_problems(max_P=10),)),
    "floor": (_floor, (settings_of_problems(),)),
    "closed_forms": (_closed_forms, (settings_of_problems(),)),
    "cli_valid": (_cli_valid, (settings_of_problems(), st.booleans())),
    "cli_mutated": (_cli_mutated, (settings_of_problems(max_P=8), KEYS, JSON_VALUES)),
}
SMALLER = {"precision": 20, "cli_valid": 40, "cli_mutated": 100}


def _make(name, profile):
    function, strategies = PROPERTIES[name]
    chosen = profile if profile is DEEP else settings(profile, max_examples=SMALLER.get(name, profile.max_examples))
    test = chosen(given(*strategies)(function))
    test.__name__ = f"test_{name}" + ("_deep" if profile is DEEP else "")
    return pytest.mark.slow(test) if profile is DEEP else test


for _name in PROPERTIES:
    for _profile in (DEFAULT, DEEP):
        _test = _make(_name, _profile)
        globals()[_test.__name__] = _test
del _name, _profile, _test


# -- the config parser under fuzzing -------------------------------------------------------

CONFIG_KEYS = st.sampled_from(
    [
        "n",
        "m",
        "s",
        "ridge",
        "sigma",
        "covariance",
        "beta",
        "samples",
        "seed",
        "method",
        "model",
        "zeta",
        "law",
        "B",
        "kappa",
        "keep",
        "finite_size",
    ]
)
CONFIG_OBJECTS = st.dictionaries(CONFIG_KEYS | st.text(max_size=5), JSON_VALUES, max_size=8)


def _fuzz(value, flags):
    code, out, err = run_cli(json.dumps(value), *flags)
    assert code in (0, 2), err
    assert "Traceback" not in err and err.count("\n") <= 1, err
    if code == 0 and "--json" in flags:
        _strict_json(out)


FUZZ_FLAGS = st.sampled_from([(), ("--json",), ("--dps", "20")])
test_config_fuzz = settings(DEFAULT, max_examples=200)(given(JSON_VALUES | CONFIG_OBJECTS, FUZZ_FLAGS)(_fuzz))
test_config_fuzz_deep = pytest.mark.slow(
    settings(DEEP, max_examples=3000)(given(JSON_VALUES | CONFIG_OBJECTS, FUZZ_FLAGS)(_fuzz))
)


def test_fuzz_text_that_is_not_json():
    """Raw bytes of every kind: one line and status 2, never a traceback."""
    for text in [
        "",
        "{",
        "[1, 2",
        "{'n': 1}",
        "\x00\xff",
        "NaN",
        '{"n": Infinity}',
        "1" * 5000,
        "[" * 100000,
        '{"a":' * 50000,
        "\ufeff{}",
    ]:
        code, _, err = run_cli(text)
        assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, (text[:20], err)


def test_generated_problems_are_distinct():
    """The generator really avoids ties when EDGE_CASES is off (the invariance property relies on it)."""

    @settings(DEFAULT, max_examples=30)
    @given(settings_of_problems())
    def distinct(case):
        problem = case[0]
        if not EDGE_CASES:
            saliency = problem.eigenvalues * problem.beta**2
            assert np.unique(saliency).size == problem.P and np.all(problem.eigenvalues > 0)

    distinct()


def test_dctheory_errors_only():
    """A generated setting outside the theory's range is a one-line RegimeError/ConfigError from the API."""
    problem = dc.LGP(eigenvalues=np.ones(6), beta=np.ones(6), sigma=1.0)
    with pytest.raises(DCTheoryError):
        dc.predict(problem, n=5, m=5, s=2)
