"""Pruning in rounds (dctheory.schedule): the recursion against an independent Monte Carlo, exact reductions to
the one-round prediction, and contracts.

Statistics: ``simulate`` below trains min-norm (or least-squares) regressions on fresh Gaussian samples, prunes
them by magnitude and retrains on the kept support, round after round, with numpy alone (no dctheory code).
A prediction and a simulation agree when their difference is within 4 combined standard errors (the
prediction's own Monte Carlo error and the simulation's); with the trial counts below, 4 standard errors
are about 3% of the round-2 risk in the default test and 1% in the slow one. The DC is exact as P grows;
at P = 400 the measured gap of the round-2 retrained risk is 0.2% (2000 simulated trials: 21.38 +- 0.07
against a prediction of 21.42 +- 0.015).

Exactness: a one-round schedule is :func:`dctheory.predict` (same closed forms); a round without retraining
followed by a round to s is one-shot pruning to s; oracle rounds are deterministic and nest.
"""

import json

import numpy as np
import pytest

import dctheory as dc
from dctheory.errors import ConfigError

P, N, SIGMA = 400, 120, 0.5


def log_uniform_problem(seed=1):
    rng = np.random.default_rng(seed)
    lam = np.exp(rng.uniform(np.log(0.1), np.log(10.0), P))
    beta = 3 * rng.standard_normal(P) / np.sqrt(P)
    return dc.LGP(eigenvalues=lam, beta=beta, sigma=SIGMA)


def _fit(X, y):
    """Min-norm least squares for a batch: X (B, n, p), y (B, n)."""
    if X.shape[2] > X.shape[1]:
        return np.einsum("bnp,bn->bp", X, np.linalg.solve(X @ X.transpose(0, 2, 1), y[..., None])[..., 0])
    return np.linalg.solve(X.transpose(0, 2, 1) @ X, np.einsum("bnp,bn->bp", X, y)[..., None])[..., 0]


def simulate(lam, beta, sigma, n, schedule, trials, rng, chunk=200):
    """(2 K, trials): the pruned and the retrained risk of each of the K rounds of magnitude pruning with
    fresh retraining, per trial. Diagonal Sigma: the features outside a support are independent of those in
    it, so a model on S is trained on x_S alone with their signal as extra Gaussian noise (the same law as
    drawing all P features)."""
    P = lam.size
    out = []
    for start in range(0, trials, chunk):
        B = min(chunk, trials - start)
        support = np.tile(np.arange(P), (B, 1))
        rows, w = [], None
        for k, s in enumerate([P, *schedule]):
            if k:
                chosen = np.sort(np.argpartition(-np.abs(w), s - 1, axis=1)[:, :s], axis=1)
                kept = np.zeros((B, P))
                np.put_along_axis(kept, np.take_along_axis(support, chosen, 1), np.take_along_axis(w, chosen, 1), 1)
                rows.append(sigma**2 + ((kept - beta) ** 2 * lam).sum(1))
                support = np.take_along_axis(support, chosen, 1)
            lam_S, beta_S = lam[support], beta[support]
            noise2 = sigma**2 + ((lam * beta**2).sum() - (lam_S * beta_S**2).sum(1))
            X = rng.standard_normal((B, n, s)) * np.sqrt(lam_S)[:, None, :]
            y = np.einsum("bnp,bp->bn", X, beta_S) + np.sqrt(noise2)[:, None] * rng.standard_normal((B, n))
            w = _fit(X, y)
            if k:
                rows.append(noise2 + ((w - beta_S) ** 2 * lam_S).sum(1))
        out.append(np.array(rows))
    return np.concatenate(out, axis=1)


def _check_against_simulation(problem, schedule, trials, samples):
    predicted = dc.predict_schedule(problem, N, None, schedule, samples=samples, rng=np.random.default_rng(3))
    simulated = simulate(problem.eigenvalues, problem.beta, SIGMA, N, schedule, trials, np.random.default_rng(7))
    mean = simulated.mean(axis=1)
    se = simulated.std(axis=1, ddof=1) / np.sqrt(trials)
    for k, round_ in enumerate(predicted.rounds):
        for j, name in enumerate(("pruned", "retrained")):
            combined = np.hypot(se[2 * k + j], round_[f"{name}_stderr"])
            assert abs(round_[name] - mean[2 * k + j]) < 4 * combined, (k, name)
    return predicted, mean, se


def test_two_rounds_match_simulation_and_differ_from_one_shot():
    """P = 400 -> 80 -> 40, n = 120: the recursion within 4 combined s.e. of a 400-trial simulation in every
    round, and the schedule's final risk above one-shot pruning by far more than the errors (measured: 24%)."""
    problem = log_uniform_problem()
    predicted, mean, se = _check_against_simulation(problem, [80, 40], trials=400, samples=1000)
    one_shot = simulate(problem.eigenvalues, problem.beta, SIGMA, N, [40], 400, np.random.default_rng(11))
    once, once_se = one_shot[1].mean(), one_shot[1].std(ddof=1) / 20
    assert abs(predicted.one_shot["retrained"] - once) < 4 * once_se
    simulated_difference = mean[3] / once - 1
    difference_se = np.hypot(se[3] / once, mean[3] * once_se / once**2)
    assert predicted.relative_difference > 0.15 and simulated_difference > 10 * difference_se
    assert abs(predicted.relative_difference - simulated_difference) < 4 * difference_se + 0.01


@pytest.mark.slow
def test_two_rounds_match_a_large_simulation():
    """The same at 4000 trials (about 1% of the risk at 4 s.e.), on the log-uniform and a spiked spectrum."""
    _check_against_simulation(log_uniform_problem(), [80, 40], trials=4000, samples=4000)
    spiked = dc.LGP(eigenvalues=dc.spiked(P, 40, 10.0), beta=np.ones(P) / np.sqrt(P) * 2, sigma=SIGMA)
    _check_against_simulation(spiked, [80, 40], trials=4000, samples=4000)


@pytest.mark.parametrize("strategy", ["magnitude", "hessian", "oracle", "random"])
def test_one_round_is_predict(strategy):
    problem = log_uniform_problem()
    result = dc.predict_schedule(problem, N, None, [40], strategy=strategy)
    prediction = dc.predict(problem, N, None, 40)
    for part in (result.rounds[0], result.one_shot):
        assert part["pruned"] == prediction[strategy] and part["pruned_stderr"] == 0
    if strategy in ("magnitude", "hessian"):
        assert result.rounds[0]["retrained"] == prediction[strategy + "_retrained"]
    if strategy == "oracle":  # retraining on D*: the dense risk of the small oracle model
        small = dc.predict(problem, N, problem.oracle_set(40), 40)["dense"]
        assert result.rounds[0]["retrained"] == pytest.approx(small, rel=1e-12)


def test_one_round_at_digits_is_predict_at_digits():
    problem = dc.LGP(eigenvalues=dc.spiked(60, 6, 4.0), beta=np.ones(60), sigma=0.5)
    result = dc.predict_schedule(problem, 20, None, [10], dps=30)
    prediction = dc.predict(problem, 20, None, 10, dps=30)
    assert result.to_dict()["rounds"][0]["pruned"] == prediction.to_dict()["risks"]["magnitude"]
    assert result.to_dict()["rounds"][0]["retrained"] == prediction.to_dict()["risks"]["magnitude_retrained"]


def test_one_round_full_covariance_is_dc_sampling():
    problem = dc.LGP(covariance=dc.toeplitz(60, 0.5), beta=np.linspace(0.2, 2.0, 60), sigma=0.5)
    result = dc.predict_schedule(problem, 20, None, [15], samples=2000)
    prediction = dc.predict(problem, 20, None, 15, method="sampling", samples=2000, rng=np.random.default_rng(5))
    for name, strategy in (("pruned", "magnitude"), ("retrained", "magnitude_retrained")):
        combined = np.hypot(result.rounds[0][f"{name}_stderr"], prediction.stderr[strategy])
        assert abs(result.rounds[0][name] - prediction[strategy]) < 4 * combined


def test_full_covariance_two_rounds_match_simulation():
    """Toeplitz Sigma (rho = 0.5), P = 80 -> 30 -> 12, n = 40: every feature is drawn (x_S and the dropped
    features are correlated), 1000 trials; within 4 combined s.e. of DC sampling."""
    P_, n, schedule, trials = 80, 40, [30, 12], 1000
    covariance = dc.toeplitz(P_, 0.5)
    beta = np.linspace(0.2, 2.0, P_)
    problem = dc.LGP(covariance=covariance, beta=beta, sigma=SIGMA)
    predicted = dc.predict_schedule(problem, n, None, schedule, samples=2000)
    rng = np.random.default_rng(9)
    root = np.linalg.cholesky(covariance)
    risks = np.empty((4, trials))
    for t in range(trials):
        support = np.arange(P_)
        X = rng.standard_normal((n, P_)) @ root.T
        w = np.linalg.lstsq(X, X @ beta + SIGMA * rng.standard_normal(n), rcond=None)[0]
        for k, s in enumerate(schedule):
            keep = np.sort(np.argsort(-np.abs(w))[:s])
            full = np.zeros(P_)
            full[support[keep]] = w[keep]
            risks[2 * k, t] = problem.risk(full)
            support = support[keep]
            X = rng.standard_normal((n, P_)) @ root.T
            w = np.linalg.lstsq(X[:, support], X @ beta + SIGMA * rng.standard_normal(n), rcond=None)[0]
            full = np.zeros(P_)
            full[support] = w
            risks[2 * k + 1, t] = problem.risk(full)
    mean, se = risks.mean(axis=1), risks.std(axis=1, ddof=1) / np.sqrt(trials)
    for k, round_ in enumerate(predicted.rounds):
        for j, name in enumerate(("pruned", "retrained")):
            assert abs(round_[name] - mean[2 * k + j]) < 4 * np.hypot(se[2 * k + j], round_[f"{name}_stderr"])


def test_a_round_without_retraining_passes_its_weights_on():
    """Not retraining after round 1 and pruning on to 40 prunes the first model once to 40: the one-shot numbers."""
    problem = log_uniform_problem()
    for strategy in ("magnitude", "oracle"):
        result = dc.predict_schedule(problem, N, None, [80, 40], strategy=strategy, retrain=[False, True])
        assert result.rounds[0]["retrained"] is None
        assert result.rounds[1]["pruned"] == result.one_shot["pruned"]
        assert result.rounds[1]["retrained"] == result.one_shot["retrained"]
    random = dc.predict_schedule(problem, N, None, [80, 40], strategy="random", retrain=False, samples=500)
    assert random.rounds[1]["pruned"] == random.one_shot["pruned"] and random.final == random.one_shot["pruned"]


def test_oracle_rounds_nest():
    """D*(40) is inside D*(80): retraining on the oracle support after two rounds is retraining on D*(40)."""
    problem = log_uniform_problem()
    result = dc.predict_schedule(problem, N, None, [80, 40], strategy="oracle")
    assert result.rounds[1]["retrained"] == result.one_shot["retrained"]
    assert result.rounds[1]["retrained_stderr"] == 0


def test_ridge_and_index_array():
    problem = log_uniform_problem()
    result = dc.predict_schedule(problem, N, np.arange(300), [120, 60], ridge=0.1, samples=200)
    prediction = dc.predict(problem, N, 300, 120, ridge=0.1)
    assert result.rounds[0]["pruned"] == prediction["magnitude"]
    assert result.setting == {"P": P, "n": N, "m": 300, "ridge": 0.1}


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ([], r"schedule = \[\] must be a non-empty list of kept sizes in \[1, m = 400\]"),
        ([80, 90], r"schedule\[1\] = 90 must be < schedule\[0\] = 80"),
        ([80, 80], r"schedule\[1\] = 80 must be < schedule\[0\] = 80"),
        ([500, 40], r"schedule\[0\] = 500 .*400"),
        ([80, 0], r"schedule\[1\] = 0 .*1"),
        ("80", r"schedule = '80' must be a non-empty list"),
    ],
)
def test_bad_schedules_raise_one_line(schedule, message):
    with pytest.raises(ConfigError, match=message) as error:
        dc.predict_schedule(log_uniform_problem(), N, None, schedule)
    assert "\n" not in str(error.value)


def test_bad_arguments_raise():
    problem = log_uniform_problem()
    with pytest.raises(
        ConfigError,
        match="strategy = 'size' must be one of 'magnitude', 'hessian', 'hessian_population', 'oracle', 'random'",
    ):
        dc.predict_schedule(problem, N, None, [80, 40], strategy="size")
    with pytest.raises(ConfigError, match=r"retrain = .* must be true, false or a list of 2 booleans"):
        dc.predict_schedule(problem, N, None, [80, 40], retrain=[True])
    with pytest.raises(ConfigError, match=r"schedule\[0\] = 200 .*100"):
        dc.predict_schedule(problem, N, 100, [200])
    full = dc.LGP(covariance=dc.toeplitz(20, 0.5), beta=np.ones(20))
    with pytest.raises(ConfigError, match="dps needs the closed forms"):
        dc.predict_schedule(full, 8, None, [5], dps=20)
    with pytest.raises(dc.RegimeError, match=r"schedule\[0\] = 120"):  # retraining on n features, ridgeless
        dc.predict_schedule(problem, N, None, [120, 40])


def test_result_faces():
    problem = log_uniform_problem()
    result = dc.predict_schedule(problem, N, None, [80, 40], samples=200)
    record = json.loads(json.dumps(result.to_dict()))
    assert [r["kept"] for r in record["rounds"]] == [80, 40]
    assert set(record["rounds"][1]) == {"kept", "pruned", "retrained", "pruned_stderr", "retrained_stderr"}
    assert record["one_shot"]["kept"] == 40
    assert result["round 2"] is result.rounds[1] and list(result) == ["round 1", "round 2", "one_shot"]
    text = repr(result)
    assert "round 2" in text and "one_shot" in text and "±" in text and "% higher" in text
    assert "<table>" in result._repr_html_()
    pytest.importorskip("pandas")
    frame = result.to_frame()
    assert list(frame["route"]) == ["rounds", "rounds", "one_shot"]
    assert frame["retrained"].iloc[1] == result.rounds[1]["retrained"]


def test_result_from_per_round_numbers():
    """What a continuous law's schedule builds: numbers without standard errors."""
    result = dc.ScheduleResult(
        "magnitude",
        [{"kept": 0.2, "pruned": 1.5, "retrained": 1.2}, {"kept": 0.1, "pruned": 1.6, "retrained": 1.3}],
        {"kept": 0.1, "pruned": 1.4, "retrained": 1.25},
        setting={"kappa": 2.0},
    )
    assert result.final == 1.3 and result.relative_difference == pytest.approx(1.3 / 1.25 - 1)
    assert "1.3" in repr(result) and "±" not in repr(result)
    with pytest.raises(ValueError, match=r"rounds\[0\] lacks retrained"):
        dc.ScheduleResult("magnitude", [{"kept": 0.2, "pruned": 1.5}], {"kept": 0.2, "pruned": 1, "retrained": 1})


@pytest.mark.parametrize("ridge", [0.0, 0.1])
@pytest.mark.parametrize("n", [60, 120])
def test_batched_coordinate_laws_of_distinct_supports_are_each_supports_dc_law(n, ridge):
    """The laws that the chains of a round draw from, solved for many supports at once, are dc_law's on each
    support (its n_lambda with a ridge included) to rounding (4.4e-16 measured)."""
    from dctheory.schedule import _coordinate_laws

    rng = np.random.default_rng(2)
    P = 200
    problem = dc.LGP(eigenvalues=np.exp(rng.uniform(-2, 2, P)), beta=rng.standard_normal(P), sigma=0.5)
    supports = np.sort(np.stack([rng.choice(P, 80, replace=False) for _ in range(3)]), axis=1)
    b = problem.beta[supports]
    mean, sd = _coordinate_laws(
        problem.variances[supports], b, problem.sigma**2 + problem.unexplained(supports, b), n, ridge
    )
    for row, support in enumerate(supports):
        law = dc.dc_law(problem, n, support, ridge)
        np.testing.assert_allclose(mean[row], law.mean, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(sd[row], law.sd, rtol=1e-13)
