"""The run-time helpers of the compiled formulas (dctheory/formula_runtime.py): exactness against numpy,
scipy and mpmath, and the generated module calling these very functions."""

import gmpy2
import mpmath
import numpy as np
import pytest
import scipy.special

from dctheory import _formulas, formula_runtime


def test_generated_module_calls_the_runtime_helpers():
    # The generated functions run on the helpers of this module, not on copies of them.
    for name in formula_runtime.__all__:
        assert getattr(_formulas, f"_{name}") is getattr(formula_runtime, name)


def test_exactness_numpy_sum_is_numpys_sum():
    # Rows of fewer than 8 terms are summed column by column: the same additions in the same order as
    # numpy's per-row sum, so the same bits; longer rows are numpy's sum itself.
    rng = np.random.default_rng(3)
    for K in (1, 2, 3, 7, 8, 13):
        terms = rng.standard_normal((50, K)) * 10.0 ** rng.integers(-8, 8, (50, K))
        weights = rng.random((50, K))
        assert np.array_equal(formula_runtime.numpy_sum(terms, None), terms.sum(axis=-1))
        assert np.array_equal(formula_runtime.numpy_sum(terms, weights), (terms * weights).sum(axis=-1))


def test_exactness_gaussian_tail_both_branches():
    # The masked branch (a quarter or more of a large array past |x| = 38.5) gives ndtr(-x)'s numbers,
    # NaN included; Q(38.5) is below the smallest subnormal, so the tails set to 0 and 1 are exact.
    rng = np.random.default_rng(4)
    small = rng.normal(0, 5, 100)
    large = np.concatenate([rng.normal(0, 5, 3000), rng.choice([-1, 1], 3000) * rng.uniform(38.5, 1e3, 3000), [np.nan]])
    for x in (small, large):
        got = formula_runtime.gaussian_tail(x)
        assert np.array_equal(got, scipy.special.ndtr(-x), equal_nan=True)
    assert scipy.special.ndtr(-38.5) == 0.0


def test_exactness_gmpy2_sum_and_weights():
    # fsum of the weighted terms, zero weights skipped: an infinite term of weight 0 adds nothing (0 * inf is NaN).
    with gmpy2.context(precision=200):
        terms = [gmpy2.mpfr(1) / 3, gmpy2.mpfr(2) ** -100, gmpy2.mpfr(-1) / 3]
        assert formula_runtime.gmpy2_sum(lambda i: terms[i], 3, None) == gmpy2.mpfr(2) ** -100
        assert formula_runtime.gmpy2_sum(
            lambda i: terms[i] if i != 1 else 1 / gmpy2.mpfr(0), 3, [1, 0, 2]
        ) == gmpy2.fsum([terms[0], 2 * terms[2]])
    assert formula_runtime.mpmath_weights(None, 2) == [1, 1]
    assert formula_runtime.mpmath_weights([0.5], 1) == [mpmath.mpf("0.5")]


@pytest.mark.parametrize("flint", [True, False])
def test_exactness_mpmath_gaussian_tail(flint, monkeypatch):
    # The Gaussian tail Q of the generated mpmath formulas. With python-flint (Arb's erfc with guard bits)
    # it is within one unit in the last place of Q at the working precision, across the range of its
    # argument: both sides, the far tail (Q(40) ~ 4e-350, Q(1e4) ~ 1e-21715588, Q(2e30)), against
    # mpmath.ncdf with the guard bits it needs there (Q's relative condition number is about x^2).
    # Without python-flint it is mpmath.ncdf itself.
    if flint:
        pytest.importorskip("flint")
    else:
        monkeypatch.setattr(formula_runtime, "_FLINT", (None,))
    points = ["0", "1e-30", "0.3", "-0.3", "1.7", "-2.5", "6.75", "12.5", "40", "-40", "1e4", "3e19", "2e30"]
    for dps in (20, 55, 300):
        for text in points:
            with mpmath.workdps(dps):
                x = mpmath.mpf(text)
                got = formula_runtime.mpmath_gaussian_tail(x)
                assert isinstance(got, mpmath.mpf)
                if not flint:
                    assert got == mpmath.ncdf(-x)
                    continue
                ulp = mpmath.mpf(2) ** (1 - mpmath.mp.prec)
                reference = mpmath.mp.prec + 2 * int(mpmath.log(abs(x) + 1, 2)) + 64
            with mpmath.workprec(reference):
                expected = mpmath.ncdf(-x)
                assert abs(got - expected) <= ulp * expected, (dps, text, mpmath.nstr(got / expected - 1, 3))
    assert (
        formula_runtime.mpmath_gaussian_tail(mpmath.inf) == 0 and formula_runtime.mpmath_gaussian_tail(-mpmath.inf) == 1
    )


def test_exactness_remembered_tails_enclose_the_mpmath_value(monkeypatch):
    # Inside a memo (dctheory.backends.ball_memo) a Gaussian tail near a remembered one is Taylor's formula
    # from it with an enclosed remainder, not Arb's erfc: for offsets of a float64 Newton step (1e-15), of
    # a second step (1e-30), of two precisions' roots (1e-55) and of rounding (1e-70), at arguments from -3
    # to 60, the ball contains mpmath's Q at 150 digits of its midpoint, is accurate to the working
    # precision less 8 bits, and came without a second erfc.
    flint = pytest.importorskip("flint")
    from dctheory.backends import ball_memo

    erfc_calls = []
    direct = formula_runtime._arb_tail
    monkeypatch.setattr(formula_runtime, "_arb_tail", lambda x: erfc_calls.append(x) or direct(x))
    prec = 250
    with flint.ctx.workprec(prec):
        for center in ("-3.1", "0.37", "2.5", "7.9", "15.2", "33.3", "60.1"):
            for offset in ("1e-15", "1e-30", "1e-55", "1e-70"):
                with ball_memo():
                    c = flint.arb(center)
                    formula_runtime.arb_gaussian_tail(c)
                    x = c * (1 + flint.arb(offset))
                    before = len(erfc_calls)
                    got = formula_runtime.arb_gaussian_tail(x)
                    assert len(erfc_calls) == before, (center, offset)
                assert got.rel_accuracy_bits() >= direct(x).rel_accuracy_bits() - 6, (center, offset)
                mid = x.mid().man_exp()
                with mpmath.workdps(150):
                    exact = mpmath.ncdf(-mpmath.mpf((int(mid[0]), int(mid[1]))))
                    low, high = (
                        mpmath.mpf((int(a), int(b))) for a, b in (got.lower().man_exp(), got.upper().man_exp())
                    )
                    assert low <= exact <= high, (center, offset)


def test_exactness_far_tails_are_not_continued():
    # Arguments that share a memo key but are too far apart for the Taylor bound (or any argument outside a
    # memo) go to Arb's erfc: the continuation refuses, and the tail is still Q.
    flint = pytest.importorskip("flint")
    with flint.ctx.workprec(200):
        c = flint.arb(3)
        memo = {}
        formula_runtime._remembered_tail(c, memo)
        (key,) = memo
        x = c + flint.arb("1e-50")
        near = formula_runtime._remembered_tail(x, memo)  # continued: the entry is now complete
        assert near.overlaps(formula_runtime._arb_tail(x)) and len(memo[key]) == 5
        constants = formula_runtime._tail_constants(200)
        assert formula_runtime._continued_tail(c + flint.arb("1e-3"), memo[key], constants) is None  # 12 terms too few
        assert formula_runtime._continued_tail(c * 3, memo[key], constants) is None  # w > 1
        got = formula_runtime.arb_gaussian_tail(c + flint.arb("1e-3"))
        with mpmath.workdps(80):
            assert got.overlaps(flint.arb(str(mpmath.ncdf(-mpmath.mpf("3.001")))))


def test_contract_tail_memo_is_per_thread_and_ends_with_its_block():
    import threading

    from dctheory.backends import ball_memo

    assert formula_runtime.TAIL_MEMO.get() is None
    with ball_memo():
        outer = formula_runtime.TAIL_MEMO.get()
        assert outer == {}
        seen = []
        worker = threading.Thread(target=lambda: seen.append(formula_runtime.TAIL_MEMO.get()))
        worker.start()
        worker.join()
        assert seen == [None]  # another thread computes without this block's memo
        with ball_memo():
            assert formula_runtime.TAIL_MEMO.get() is not outer
        assert formula_runtime.TAIL_MEMO.get() is outer
    assert formula_runtime.TAIL_MEMO.get() is None


def test_exactness_arb_power_encloses_powers_of_balls_around_zero():
    # The ball functions print x^k (k >= 2) as products: python-flint's x ** 2 of a ball that contains 0 is NaN
    # (the squared difference of a coefficient and its own mean, which is exactly 0 for ridgeless m < n - 1).
    # The product ball contains x^k for every x in the ball, and the exact power for an exact point.
    flint = pytest.importorskip("flint")
    from dctheory.formula_runtime import arb_power

    around_zero = flint.arb(0, 1e-3)  # python-flint 0.9: around_zero ** 2 is NaN
    for k in (2, 3, 4, 5, 7):
        ball = arb_power(around_zero, k)
        assert ball.is_finite() and ball.contains(flint.arb(1e-3) ** k) and ball.contains(0), k
        assert float(ball.rad()) <= 1.0001e-3**k, k
        assert arb_power(flint.arb(-3), k) == flint.arb((-3) ** k), k
        assert arb_power(flint.arb(7, 0), k) == flint.arb(7**k), k
    with flint.ctx.workprec(200):
        x = flint.arb("1.2345678901234567890123456789", "1e-40")
        assert arb_power(x, 3).overlaps(x**3) and arb_power(x, 3).rel_accuracy_bits() > 120
