"""The scalar route of one prediction (:mod:`dctheory.scalar`) against the float64 route (exactness).

A problem of at most ``MAX_ATOMS`` distinct coordinates is predicted on the scalar route (Python floats, the
``math`` functions of the compiled formulas); the float64 route (numpy over (rows, atoms)) computes the same
closed forms with the same root finders. On random small problems (hypothesis: 1 to 8 eigenvalue levels,
ties among the coefficients, zero eigenvalues, ridge 0 and > 0, m < n - 1 and m > n, s below and above the
rank, index-array feature sets, every pruning rule including the sample-diagonal Hessian rule) the two agree
to 1e-13 relative in xi, tau^2 and every risk, and give the same notes and the same errors. (Their differences
are rounding: the Gaussian tails of ``math`` and scipy a few ulps apart, sums in another order; the largest
measured over 8000 such problems is below 3e-14.) The thresholds t are compared at 1e-13 on the spiked model; over
random problems only whether each exists: a threshold is a root of a keep-sum that can be flat at s (the s-th
copy between atoms kept with probability 0 and 1), where rounding moves it (measured: 3.9e-7 apart, the risks
1e-15 apart); it only seeds the mpmath route's Newton steps.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

import dctheory as dc
from dctheory import kernel, risks
from dctheory.errors import RegimeError
from dctheory.scalar import MAX_ATOMS

RTOL = 1e-13


def _both(problem: dc.LGP, features: np.ndarray, n: int, s: int, ridge: float, monkeypatch: pytest.MonkeyPatch):
    """(scalar view or None where declined, float64 view or its RegimeError, whether the float64 route did what
    the scalar route leaves to it: solved a threshold again with its check, after its first root missed s (the
    bracketing), or solved the sample-diagonal rule node by node (atoms steeper than the rule resolves))."""
    atoms = risks._atoms(problem, s)
    counts, oracle = risks._counts_of(atoms, features)
    scaled_ridge = float(np.ldexp(ridge, atoms.lam_exponent))
    scalar = risks._predict_scalar(atoms, counts[0], oracle[0] if oracle.ndim == 2 else oracle, n, s, scaled_ridge)
    checked = []
    threshold = kernel.threshold

    by_nodes = risks._pruned_sample_diagonal_by_nodes

    def spy(*args, **kwargs):
        checked.append(kwargs.get("check", True))
        return threshold(*args, **kwargs)

    def by_nodes_spy(*args, **kwargs):
        checked.append(True)
        return by_nodes(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(risks, "MAX_ATOMS", 0)  # every problem on the float64 route
        # its sample-diagonal rows expanded where the scalar route expands them (node by node only for steep atoms)
        patch.setattr(risks, "_BY_NODES_FROM", 2**62)
        patch.setattr(kernel, "threshold", spy)
        patch.setattr(risks, "_pruned_sample_diagonal_by_nodes", by_nodes_spy)
        try:
            vectorized = risks._predict_closed(problem, features, n, s, ridge)
        except RegimeError as error:
            vectorized = error
    return scalar, vectorized, any(checked)


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None or math.isnan(a) or math.isnan(b):
        return (a is None and b is None) or (a is not None and b is not None and math.isnan(a) and math.isnan(b))
    return abs(a - b) <= RTOL * abs(b)


def _assert_agree(scalar: dict, vectorized: dict, thresholds: bool = True) -> None:
    assert scalar["kind"] == vectorized["kind"]
    assert scalar["notes"] == vectorized["notes"]
    for key in ("xi", "tau2"):
        assert _close(scalar[key], float(vectorized[key])), (key, scalar[key], vectorized[key])
    assert set(scalar["risks"]) == set(vectorized["risks"])
    for name, value in vectorized["risks"].items():
        assert _close(scalar["risks"][name], float(value)), (name, scalar["risks"][name], value)
    for name, t in vectorized["thresholds"].items():
        if thresholds:
            assert _close(scalar["thresholds"][name], t), (name, scalar["thresholds"][name], t)
        else:
            assert (scalar["thresholds"][name] is None) == (t is None)


@st.composite
def small_problems(draw: st.DrawFn) -> tuple[dc.LGP, np.ndarray, int, int, float]:
    levels = draw(st.integers(1, MAX_ATOMS))
    eigenvalues = draw(st.lists(st.floats(0.05, 20.0), min_size=levels, max_size=levels))
    if levels > 1 and draw(st.booleans()):
        eigenvalues[-1] = 0.0  # a level of zero variance (not the only one: see the note on zero spectra)
    P = draw(st.integers(levels, 60))
    which = draw(st.lists(st.integers(0, levels - 1), min_size=P, max_size=P))
    lam = np.array([eigenvalues[k] for k in which])
    # coefficients from a few values: ties within and across levels (still at most MAX_ATOMS atoms: one
    # coefficient per level, or a level split in two)
    coefficient = draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, -1.0, 2.0]), min_size=levels, max_size=levels))
    beta = np.array([coefficient[k] for k in which])
    if levels < MAX_ATOMS and draw(st.booleans()):
        beta[: P // 2] = np.where(beta[: P // 2] == 1.0, 1.5, beta[: P // 2])
    sigma = draw(st.floats(0.05, 2.0))
    n = draw(st.integers(2, 80))
    ridge = draw(st.sampled_from([0.0, 0.0, 1e-3, 0.1, 3.0]))
    if draw(st.booleans()):
        features = np.arange(draw(st.integers(1, P)))
    else:
        features = np.array(draw(st.permutations(range(P)))[: draw(st.integers(1, P))])
    s = draw(st.integers(1, P))
    return dc.LGP(eigenvalues=lam, beta=beta, sigma=sigma), features, n, s, ridge


@settings(max_examples=400, deadline=None, derandomize=True, database=None)
@given(small_problems())
def test_exactness_scalar_route_agrees_with_the_float64_route(case):
    problem, features, n, s, ridge = case
    # (D of zero-variance features alone with a ridge is left out: the float64 route's n_lambda is 0/0 there)
    assume(np.any(problem.eigenvalues[features] > 0))
    with pytest.MonkeyPatch.context() as monkeypatch:
        scalar, vectorized, left_to_it = _both(problem, features, n, s, ridge, monkeypatch)
    if isinstance(vectorized, RegimeError):
        # the float64 route's error (an undefined regime): the scalar route declines it, predict raises it
        assert scalar is None
        with pytest.raises(RegimeError, match=re.escape(str(vectorized))):
            dc.predict(problem, n=n, m=features, s=s, ridge=ridge)
        return
    # sigma > 0 and moderate scales: every coordinate has variance, so the scalar route takes every input but
    # those whose threshold the float64 route had to bracket after a first root that missed s, and those with
    # atoms steeper than the sample-diagonal rule resolves
    event("declined" if scalar is None else "scalar")
    if scalar is None:
        assert left_to_it
        return
    _assert_agree(scalar, vectorized, thresholds=False)


@pytest.mark.parametrize(
    "m, s, ridge",
    [
        (500, 120, 0.1),  # the benchmark's point: m > n, ridge
        (500, 500, 0.1),  # s = P: nothing to prune
        (500, 120, 0.0),  # ridgeless, m > n
        (100, 30, 0.0),  # ridgeless, m < n - 1
        (140, 120, 0.0),  # ridgeless least squares, s > n - 1: retraining is undefined (a note)
        (100, 120, 0.1),  # s >= rank
        (149, 60, 0.0),  # m = n - 1: undefined, the float64 route's RegimeError
    ],
)
def test_exactness_scalar_route_on_the_spiked_model(m, s, ridge, monkeypatch):
    # Fig. 7(b)'s spiked model (two levels), P = 500, n = 150
    problem = dc.LGP(eigenvalues=dc.spiked(500, 60, 10.0), beta=np.ones(500), sigma=0.1)
    scalar, vectorized, _ = _both(problem, np.arange(m), 150, s, ridge, monkeypatch)
    if isinstance(vectorized, RegimeError):
        assert scalar is None
        return
    assert scalar is not None
    _assert_agree(scalar, vectorized)
    assert dc.predict(problem, n=150, m=m, s=s, ridge=ridge).risks == scalar["risks"]


def test_exactness_exact_coefficients_are_declined_to_the_float64_route(monkeypatch):
    # sigma = 0 and least squares: the coefficients are exact, pruning keeps the top s scores with ties in
    # feature order (the float64 route's top-s rule); the scalar route declines, and predict gives the float64
    # route's numbers
    problem = dc.LGP(eigenvalues=np.array([2.0, 1.0, 2.0, 1.0, 2.0, 1.0]), beta=np.ones(6), sigma=0.0)
    scalar, vectorized, _ = _both(problem, np.arange(6), 20, 2, 0.0, monkeypatch)
    assert scalar is None
    prediction = dc.predict(problem, n=20, s=2)
    assert prediction.risks == {name: float(value) for name, value in vectorized["risks"].items()}
    # keep the two features of eigenvalue 2 first in feature order (ties): the risk is that of dropping the rest
    assert prediction.risks["magnitude"] == pytest.approx(4 * 1.0 + 2.0, rel=1e-15)


def test_exactness_math_gaussian_tail_against_scipy_ndtr():
    # Q(x) = ndtr(-x): 1e-13 relative where Q is at least 1e-300 (measured 6e-14 at the far tail, x near 37,
    # where the two erfc's differ), within 1e-300 beyond
    import scipy.special

    from dctheory.formula_runtime import math_gaussian_tail

    x = np.concatenate([np.linspace(-40, 40, 20001), np.geomspace(1e-300, 1, 200), -np.geomspace(1e-300, 1, 200)])
    got = np.array([math_gaussian_tail(float(v)) for v in x])
    want = scipy.special.ndtr(-x)
    normal = want >= 1e-300
    np.testing.assert_allclose(got[normal], want[normal], rtol=1e-13, atol=0)
    assert np.all(np.abs(got[~normal] - want[~normal]) <= 1e-300)


@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.0, 1.0, 3.5]),
            st.floats(-1e6, 1e6, allow_subnormal=False),
            st.floats(1e-12, 1e6, allow_subnormal=False),
        ),
        min_size=1,
        max_size=MAX_ATOMS,
    ),
    st.sampled_from([5, 20, 150, 4000]),
    st.sampled_from([0.5, 1.0]),
)
@settings(max_examples=300, deadline=None)
def test_exactness_the_steepness_test_on_floats_is_the_sample_diagonal_one(atoms, n, power):
    # The scalar route decides on Python floats whether an atom is too steep for the chi^2_n / n rule: the same
    # decision as dctheory.sample_diagonal's width and steepness on arrays (a zero width: steep there, an
    # ArithmeticError here, and either way the float64 route).
    from dctheory.sample_diagonal import chi2_rule, steep_on_floats, steepness, width

    live, mean, sd = (list(column) for column in zip(*atoms))
    nodes, _ = chi2_rule(n)
    on = np.array(live) > 0
    with np.errstate(divide="ignore"):
        expected = bool(np.any(steepness(width(np.array(sd)[on], np.array(mean)[on], power), nodes) > 1))
    try:
        assert steep_on_floats(live, mean, sd, power, nodes) == expected
    except ZeroDivisionError:
        assert expected
