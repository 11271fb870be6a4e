"""Pruning in rounds in the proportional limit (AsymptoticDC.predict_schedule, docs/theory.md#schedule).

Exactness: a one-round schedule is the one-round prediction; rounds without retraining are one-shot pruning;
closed forms of random and oracle pruning (isotropic features, uniform spectrum); float64 against 30 digits.
Statistics: the finite-size recursion (dctheory.predict_schedule, which samples supports) on P quantiles of the
law converges to the limit as P grows. Contracts: bad keeps, strategies and flags.
"""

import math

import mpmath
import numpy as np
import pytest

import dctheory as dc
from dctheory import ConfigError
from dctheory.distributions import Distribution

SIGMA, KAPPA = 0.5, 4.0
STRATEGIES = ("magnitude", "hessian", "oracle", "random")


def root(lam):
    """B = sqrt(Lam), for float64 arrays and mpmath numbers: saliency Lam B^2 = Lam^2 increases with Lam."""
    return mpmath.sqrt(lam) if isinstance(lam, mpmath.mpf) else np.sqrt(lam)


@pytest.fixture(scope="module")
def uniform():
    return dc.AsymptoticDC(Distribution.uniform(0.5, 2.0), root, kappa=KAPPA, sigma=SIGMA)


# E[Lam B^2] = E[Lam^2] for Lam uniform on (0.5, 2): (2^3 - 0.5^3) / (3 * 1.5).
SIGNAL = (8 - 0.125) / 4.5


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_one_round_schedule_is_the_one_round_prediction(uniform, strategy):
    keep = 0.2  # q kappa = 0.8: retraining is least squares
    result = uniform.predict_schedule([keep], strategy)
    once = uniform.predict(keep)
    (round_,) = result.rounds
    assert round_["kept"] == keep
    assert round_["pruned"] == pytest.approx(once[strategy], rel=1e-13)
    if strategy in ("magnitude", "hessian"):
        assert round_["retrained"] == pytest.approx(once[strategy + "_retrained"], rel=1e-13)
    elif strategy == "random":
        # The kept law is the law: (sigma^2 + (1 - q) E[Lam B^2]) / (1 - q kappa).
        assert round_["retrained"] == pytest.approx((SIGMA**2 + (1 - keep) * SIGNAL) / (1 - keep * KAPPA), rel=1e-13)
    else:
        # The oracle keeps Lam > 2 - 1.5 q (the top q of Lam^2) and drops E[Lam^2; Lam < 2 - 1.5 q].
        cut = 2 - 1.5 * keep
        dropped = (cut**3 - 0.125) / 4.5
        assert round_["retrained"] == pytest.approx((SIGMA**2 + dropped) / (1 - keep * KAPPA), rel=1e-13)
    assert result.one_shot["kept"] == keep
    for key in ("pruned", "retrained"):
        assert result.one_shot[key] == pytest.approx(round_[key], rel=1e-13)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_rounds_without_retraining_are_one_shot_pruning(uniform, strategy):
    # Thresholds only rise, top of top is top, random of random is random, oracle supports are nested.
    keeps = [0.6, 0.3, 0.1]
    result = uniform.predict_schedule(keeps, strategy, retrain=False)
    for round_, keep in zip(result.rounds, keeps):
        assert round_["retrained"] is None
        assert round_["pruned"] == pytest.approx(uniform.predict(keep)[strategy], rel=1e-12)
    assert result.final == pytest.approx(result.one_shot_final, rel=1e-13)
    assert "retrain" in result.notes


def test_isotropic_random_rounds_closed_form():
    # Lam = 1, B = r: random pruning keeps the law; the sub-problem on q P features is isotropic with
    # kappa_S = q kappa, sigma_S^2 = sigma^2 + (1 - q) r^2 and E[B_S^2] = q r^2 (Hastie et al., Thm 3).
    r, sigma, kappa, q1, q2 = 1.3, 0.4, 3.0, 0.6, 0.2
    law = dc.AsymptoticDC(Distribution.point(1.0), r, kappa=kappa, sigma=sigma)
    first, second = law.predict_schedule([q1, q2], "random").rounds
    k1, noise1 = q1 * kappa, sigma**2 + (1 - q1) * r**2
    tau2_1 = noise1 * k1 / (k1 - 1) + q1 * r**2 * (1 - 1 / k1)
    assert first["retrained"] == pytest.approx(tau2_1, rel=1e-13)
    # Random pruning of that model to q2: the fraction q2/q1 of its error, the rest of its signal q1 r^2 dropped.
    pruned = noise1 + (q2 / q1) * (tau2_1 - noise1) + (1 - q2 / q1) * q1 * r**2
    assert second["pruned"] == pytest.approx(pruned, rel=1e-13)
    assert second["retrained"] == pytest.approx((sigma**2 + (1 - q2) * r**2) / (1 - q2 * kappa), rel=1e-13)


def test_oracle_and_random_final_retraining_does_not_depend_on_the_schedule(uniform):
    for strategy in ("oracle", "random"):
        final = uniform.predict_schedule([0.7, 0.4, 0.1], strategy).final
        assert final == pytest.approx(uniform.predict_schedule([0.1], strategy).final, rel=1e-13)


def test_law_of_atoms_matches_its_continuous_counterpart_structure():
    # Two atoms with distinct saliency: every strategy runs, rounds retrain above and below q kappa = 1.
    law = dc.AsymptoticDC([1.0, 4.0], [1.0, 0.8], [0.7, 0.3], kappa=3.0, sigma=0.3)
    for strategy in STRATEGIES:
        result = law.predict_schedule([0.6, 0.25], strategy)
        assert all(math.isfinite(part[key]) for part in result.rounds for key in ("pruned", "retrained"))
        assert result.rounds[0]["pruned"] == pytest.approx(law.predict(0.6)[strategy], rel=1e-13)


@pytest.mark.parametrize("strategy", ["magnitude", "oracle"])
def test_30_digits_agree_with_float64(uniform, strategy):
    # Three rounds: min-norm (q kappa = 2), then least squares (0.6, 0.2), whose coordinates the next round prunes.
    keeps = [0.5, 0.15, 0.05]
    fast = uniform.predict_schedule(keeps, strategy)
    exact = uniform.predict_schedule(keeps, strategy, dps=30)
    assert exact.dps == 30
    for part_fast, part_exact in zip(fast.rounds, exact.rounds):
        for key in ("pruned", "retrained"):
            assert isinstance(part_exact[key], mpmath.mpf)
            assert abs(part_fast[key] - part_exact[key]) <= 1e-13 * abs(part_exact[key])


def test_finite_recursion_converges_to_the_limit(uniform):
    # dctheory.predict_schedule on P quantiles of the law, n = P / kappa, kept sizes q_r P, supports drawn by DC
    # sampling. Round 1 is exact given the quantiles (gap O(1/P^2): 1.4e-7, 8.7e-9, 5.4e-10 relative); later
    # rounds differ by their Monte Carlo error and by O(1/P) finite-size terms, led by the least-squares factor
    # (n - 1)/(n - s - 1) against 1/(1 - q kappa): relative q kappa / ((1 - q kappa) n) = 6/P for q kappa = 0.6.
    # Measured relative gaps (P = 500, 2000, 8000): round 2 retrained 1.2e-2, 2.9e-3, 6.8e-4; round 3 pruned
    # 1.0e-2, 2.5e-3, 7.2e-4; the others within 2 standard errors. Tolerance: 4 standard errors + 8/P.
    keeps = [0.5, 0.15, 0.05]
    limit = uniform.predict_schedule(keeps, "magnitude")
    worst = []
    for P, samples in ((500, 200), (2000, 200), (8000, 100)):
        problem, n = uniform.finite_problem(P)
        finite = dc.predict_schedule(
            problem, n, None, [round(q * P) for q in keeps], "magnitude", samples=samples, rng=np.random.default_rng(7)
        )
        gaps = []
        for part, exact in zip(finite.rounds, limit.rounds):
            for key in ("pruned", "retrained"):
                gap = abs(part[key] - exact[key])
                assert gap <= 4 * part[f"{key}_stderr"] + 8 * exact[key] / P, (P, key, gap / exact[key])
                gaps.append(gap / exact[key])
        worst.append(max(gaps))
    # The rate: each fourfold P shrinks the largest gap at least 2.5-fold (O(1/P) measured: about 4-fold).
    assert worst[1] < worst[0] / 2.5 and worst[2] < worst[1] / 2.5, worst


def test_result_shape(uniform):
    result = uniform.predict_schedule([0.5, 0.1], "hessian", retrain=[True, False])
    payload = result.to_dict()
    assert [set(part) for part in payload["rounds"]] == [{"kept", "pruned", "retrained"}] * 2
    assert payload["rounds"][1]["retrained"] is None and payload["rounds"][0]["retrained"] is not None
    assert set(payload["one_shot"]) == {"kept", "pruned", "retrained"}
    assert result.setting == {"kappa": KAPPA, "sigma": SIGMA}
    assert "ScheduleResult: hessian" in repr(result) and "<table" in result._repr_html_()
    assert len(result.to_frame()) == 3


@pytest.mark.parametrize(
    ("keeps", "message"),
    [
        ([0.2, 0.3], r"keeps\[1\] = 0.3 must lie in \(0, keeps\[0\] = 0.2\)"),
        ([0.2, 0.2], r"keeps\[1\] = 0.2 must lie in \(0, keeps\[0\] = 0.2\)"),
        ([1.5], r"keeps\[0\] = 1.5 must lie in \(0, 1\]"),
        ([0.5, 0.0], r"keeps\[1\] = 0.0 must lie in \(0, 1\]"),
        ([-0.1], r"keeps\[0\] = -0.1 must lie in \(0, 1\]"),
        ([float("nan")], r"keeps\[0\] = nan is not finite"),
        ([], r"keeps = \[\] must be a non-empty list of kept fractions in \(0, 1\]"),
        ("0.2", r"keeps = '0.2' must be a non-empty list"),
    ],
)
def test_bad_keeps_raise_one_line(uniform, keeps, message):
    with pytest.raises(ConfigError, match=message) as caught:
        uniform.predict_schedule(keeps)
    assert "\n" not in str(caught.value)


def test_bad_strategy_and_retrain_flags(uniform):
    with pytest.raises(
        ConfigError, match="strategy = 'dense' must be one of magnitude, hessian, hessian_population, oracle, random"
    ):
        uniform.predict_schedule([0.2], "dense")
    with pytest.raises(ConfigError, match=r"retrain = \[True\] must be true, false or a list of 2 booleans"):
        uniform.predict_schedule([0.4, 0.2], retrain=[True])
    with pytest.raises(ConfigError, match="dps"):
        uniform.predict_schedule([0.2], dps=0)


def test_oracle_of_an_unsupported_law_says_why():
    law = dc.AsymptoticDC(Distribution.uniform(0.5, 2.0), Distribution.discrete([-1.0, 1.0]), kappa=2.0, sigma=0.5)
    with pytest.raises(ConfigError, match="B independent of Lam is not supported"):
        law.predict_schedule([0.5, 0.2], "oracle")


def test_interpolating_support_is_reported_undefined(uniform):
    # q kappa = 1 after round 1: the retrained model interpolates exactly (infinite risk), later rounds undefined.
    result = uniform.predict_schedule([0.25, 0.1], "magnitude")
    assert result.rounds[0]["retrained"] is None and result.rounds[1]["pruned"] is None
    assert "q kappa = 1" in result.notes["all"]
