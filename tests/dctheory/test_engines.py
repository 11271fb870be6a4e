"""The engines (dctheory/engines.py): root finders, row blocks and verified digits, on functions whose roots
are known in closed form."""

import mpmath
import numpy as np
import pytest

from dctheory import engines
from dctheory.engines import (
    bracketed_root_mp,
    by_rows,
    float64_seed,
    newton_mp,
    newton_roots,
    prefix_lengths,
    solve_rows,
    verified,
)
from dctheory.errors import PrecisionError


def test_newton_roots_cannot_fail_from_bad_starts_or_flat_functions():
    # f(x) = tanh(x - r) is flat (f' ~ 1e-40) far from r: Newton alone would jump out; the safeguard
    # bisects. Starts outside the bracket, NaN, and exactly at an end are moved to the middle.
    roots = np.array([0.3, -7.0, 44.0, 1e-3, 0.0])
    start = np.array([49.0, np.nan, -50.0, 1e6, 50.0])

    def f_and_slope(x, rows):
        return np.tanh(x - roots[rows]), 1 / np.cosh(x - roots[rows]) ** 2

    x, lo, hi, open_rows = newton_roots(
        f_and_slope, np.full(5, -50.0), np.full(5, 50.0), start, increasing=True, rtol=0.0, atol=1e-12
    )
    assert open_rows.size == 0
    np.testing.assert_allclose(x, roots, rtol=0, atol=1e-12)
    # Stopped early, every row still brackets its root.
    x, lo, hi, open_rows = newton_roots(
        f_and_slope, np.full(5, -50.0), np.full(5, 50.0), start, increasing=True, max_steps=2
    )
    assert open_rows.size > 0 and np.all((lo <= roots) & (roots <= hi))


@pytest.mark.parametrize("compact", [True, False])
def test_newton_roots_of_a_few_rows_take_the_same_steps_in_python_floats(monkeypatch, compact):
    # Batches of at most SMALL_BATCH rows iterate in Python floats: the iterates, brackets, open rows and chord
    # steps must be those of the numpy iteration bit for bit, on monotone f = a tanh(b (x - r)) + c (x - r)^3
    # + e (x - r) of random shape (flat stretches that bisect, slow Newton steps, rows that stop at different
    # steps), from random starts (some outside the bracket or NaN), with a zero slope in one row and an exact
    # root in another; with and without the chord step, a step limit, an absolute tolerance.
    rng = np.random.default_rng(7)
    calls = []
    few = engines.SMALL_BATCH

    def solve(small, shape, start, **options):
        a, b, c, e, r = shape

        def f(x, rows):
            d = x - r[rows]
            return a[rows] * np.tanh(b[rows] * d) + c[rows] * d**3 + e[rows] * d

        def f_and_slope(x, rows):
            calls.append((rows.tolist(), x.tolist()))
            d = x - r[rows]
            slope = a[rows] * b[rows] / np.cosh(b[rows] * d) ** 2 + 3 * c[rows] * d**2 + e[rows]
            return f(x, rows), np.where(rows == 1, 0.0, slope)

        monkeypatch.setattr(engines, "SMALL_BATCH", small)
        calls.clear()
        assert (start.size <= small) == (small == few)
        if options.pop("chord", False):
            options["f"] = f
        out = newton_roots(f_and_slope, np.full(6, -20.0), np.full(6, 30.0), start, increasing=True, **options)
        return [*out, list(calls)]

    for trial in range(40):
        shape = (
            rng.uniform(0.1, 5, 6),
            10 ** rng.uniform(-1, 2, 6),
            10 ** rng.uniform(-6, -1, 6),
            10 ** rng.uniform(-8, -2, 6),
            rng.uniform(-15, 25, 6),
        )
        start = rng.uniform(-30, 40, 6)
        start[trial % 6] = np.nan
        start[(trial + 3) % 6] = shape[4][(trial + 3) % 6]  # an exact root
        options = [{}, {"chord": True}, {"chord": True, "rtol": 1e-6}, {"max_steps": 3}, {"rtol": 0.0, "atol": 1e-12}]
        option = {**options[trial % 5], "compact": compact}
        numpy_steps = solve(-1, shape, start, **dict(option))
        python_steps = solve(few, shape, start, **dict(option))
        for x, y in zip(numpy_steps[:4], python_steps[:4]):
            assert x.dtype == y.dtype and np.array_equal(x, y, equal_nan=True), (trial, option)
        assert repr(numpy_steps[4]) == repr(python_steps[4]), (trial, option)  # the same points, step by step


def test_newton_root_of_one_function_takes_the_steps_of_newton_roots():
    # The scalar route's root finder: on one row the same iterates as newton_roots (no chord step), bit for bit,
    # on the monotone functions of the test above from random starts; None where the step limit is reached.
    rng = np.random.default_rng(11)
    for trial in range(60):
        a, b, c, e, r = (
            rng.uniform(0.1, 5),
            10 ** rng.uniform(-1, 2),
            10 ** rng.uniform(-6, -1),
            10 ** rng.uniform(-8, -2),
            rng.uniform(-15, 25),
        )
        start = float(rng.uniform(-30, 40))
        options = [{}, {"rtol": 1e-6}, {"rtol": 0.0, "atol": 1e-12}][trial % 3]

        def f_and_slope(x, a=a, b=b, c=c, e=e, r=r):
            d = x - r
            with np.errstate(over="ignore"):  # cosh of a far point: the slope term is 0
                return a * np.tanh(b * d) + c * d**3 + e * d, a * b / np.cosh(b * d) ** 2 + 3 * c * d**2 + e

        x = engines.newton_root(
            lambda u: tuple(map(float, f_and_slope(u))), -20.0, 30.0, start, increasing=True, **options
        )
        rows, _, _, open_rows = newton_roots(
            lambda u, rows: f_and_slope(u), [-20.0], [30.0], [start], increasing=True, max_steps=100, **options
        )
        assert open_rows.size == 0 and x == rows[0], trial
    assert (
        engines.newton_root(lambda u: (np.tanh(u - 0.3), 1e-40), -50.0, 50.0, 49.0, increasing=True, max_steps=3)
        is None
    )


def test_solve_rows_along_a_curve_matches_the_closed_form():
    # Roots of x^3 = c_i for 200 rows of smoothly growing c (warm starts from splines through every 4th
    # row), and of a narrow batch solved directly: every root to 1e-12 relative.
    c = np.linspace(1.0, 50.0, 200)

    def evaluate(x, rows, with_slope):
        value = x**3 - c[rows]
        return (value, 3 * x**2) if with_slope else value

    for direct in (False, True):
        x = solve_rows(evaluate, np.zeros(200), np.full(200, 10.0), increasing=True, rtol=1e-8, direct=direct)
        np.testing.assert_allclose(x, np.cbrt(c), rtol=1e-12)


def test_solve_rows_reads_only_the_roots_it_has_solved(monkeypatch):
    # The rows solved first seed the others by the spline of their roots; the array the roots go into is
    # allocated uninitialized (np.empty), so the spline must read only the solved rows: here every fresh
    # float array holds signaling NaNs (what uninitialized memory may hold), and arithmetic on an unsolved
    # row raises the RuntimeWarning "invalid value encountered" (an error in this suite).
    c = np.linspace(1.0, 50.0, 200)

    def evaluate(x, rows, with_slope):
        value = x**3 - c[rows]
        return (value, 3 * x**2) if with_slope else value

    class NumpyWithNanEmpty:
        def __getattr__(self, name):
            return getattr(np, name)

        @staticmethod
        def empty(shape, dtype=float, **kwargs):
            if np.dtype(dtype) == np.float64:
                return np.full(shape, 0x7FF0000000000001, dtype=np.uint64).view(np.float64)
            return np.empty(shape, dtype=dtype, **kwargs)

    monkeypatch.setattr(engines, "np", NumpyWithNanEmpty())
    x = solve_rows(evaluate, np.zeros(200), np.full(200, 10.0), increasing=True, rtol=1e-8)
    np.testing.assert_allclose(x, np.cbrt(c), rtol=1e-12)


def test_by_rows_cuts_each_chunk_to_its_prefix():
    # Row sums of w * v over chunks, each cut to its widest prefix of non-zero weight: the same as one sum.
    rng = np.random.default_rng(5)
    w = np.triu(np.ones((300, 400)))[:, ::-1][::-1] * (rng.random((300, 400)) + 0.5)
    v = rng.random(400)
    assert np.array_equal(prefix_lengths(np.array([[1.0, 0, 0], [0, 0, 0], [0, 2.0, 0]])), [1, 1, 2])
    got = by_rows(lambda a, k: (a["w"] * k["v"]).sum(axis=1), {"w": w}, {"v": v})
    np.testing.assert_allclose(got, (w * v).sum(axis=1), rtol=1e-13)


def test_exactness_newton_mp_and_its_bracketing_fallback():
    # sqrt(2) to the working precision from a float64 start; outside the bracket Newton gives up (None),
    # and the decreasing f(t) = 2 - t^2 on [0, 10] is bracketed instead.
    with mpmath.workdps(60):
        root = newton_mp(lambda x: (x * x - 2) / (2 * x), 1.4142135623730951, 0, 10)
        assert abs(root - mpmath.sqrt(2)) < mpmath.mpf(10) ** -58
        assert newton_mp(lambda x: (x * x - 2) / (2 * x), 1e-9, 0, 10) is None  # first step jumps past 10
        assert abs(bracketed_root_mp(lambda t: 2 - t * t, None, 10) - mpmath.sqrt(2)) < mpmath.mpf(10) ** -58


def test_contract_float64_seed_is_none_where_float64_cannot_help():
    assert float64_seed(lambda x: np.sum(x), {"x": [mpmath.mpf(1), mpmath.mpf(2)]}) == 3.0
    assert float64_seed(lambda x: np.sum(x), {"x": [mpmath.mpf("1e400")]}) is None  # beyond float64
    assert float64_seed(lambda x: 1 / 0, {"x": [1.0]}) is None


def test_contract_verified_confirms_or_refuses_digits():
    assert verified(lambda: mpmath.pi, 30, "pi") == +mpmath.pi
    with pytest.raises(PrecisionError, match="noise: 20 digits not confirmed"):
        verified(lambda: 1 + mpmath.mpf(1) / mpmath.mp.dps, 20, "noise")  # a value that moves with the digits
