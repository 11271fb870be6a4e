"""Statistics: Hessian pruning with the sample diagonal (``hessian``) and with the population diagonal
(``hessian_population``), predicted and simulated, on a diagonal and two full covariances.

The simulation (validation.montecarlo) prunes by ``h_i w_i^2`` with ``h = diag(X_D^T X_D / n)`` for
``hessian`` and ``Sigma_ii w_i^2`` for ``hessian_population``, on the same fits, and retrains each support
on a fresh sample. Settings: P = m = 200, n = 80, s = 30, sigma = 0.5, beta ~ N(0, I) (seed 1);

* diagonal: eigenvalues log-uniform on [0.1, 10] (closed forms);
* block: blocks of 10 with correlation 0.8, unit variances (DC sampling, 20000 draws);
* ar1: Sigma_ij = 0.7^|i - j| (DC sampling, 20000 draws).

Tolerance, stated before the run: each simulated mean within 4 standard errors of the prediction, the
standard error sqrt(se_sim^2 + se_theory^2) (se_theory: the DC-sampling error, 0 for closed forms), plus
1% of the prediction (the finite-n accuracy of the DC away from m = n, docs/validation/*); and the paired
simulated difference hessian - hessian_population within 4 paired standard errors (plus the DC-sampling
error of the predicted difference) of the predicted difference, with no allowance. The population
prediction of the sample rule, which the package reported as "hessian" before, misses that difference
entirely: the test also checks that the simulated difference is resolved (above 3 paired s.e.) in the
pruned risks.

Run as a script to print the measured numbers: ``python -m tests.validation.test_sample_hessian``.
"""

from __future__ import annotations

import numpy as np
import pytest

import dctheory as dc
from validation.montecarlo import GaussianModel, Sample, train_prune_retrain

N, P, S, SIGMA = 80, 200, 30, 0.5
TRIALS = 3000
DRAWS = 20000
PAIRS = (("hessian", "hessian_population"), ("hessian_retrained", "hessian_population_retrained"))
SIMULATED = ("hessian", "hessian_population", "hessian_retrained", "hessian_population_retrained")


def problem(setting: str) -> dc.LGP:
    rng = np.random.default_rng(1)
    if setting == "diagonal":
        eigenvalues = np.exp(rng.uniform(np.log(0.1), np.log(10), P))
        return dc.LGP(beta=rng.standard_normal(P), sigma=SIGMA, eigenvalues=eigenvalues)
    if setting == "block":
        covariance = np.kron(np.eye(P // 10), np.full((10, 10), 0.8)) + 0.2 * np.eye(P)
    else:
        index = np.arange(P)
        covariance = 0.7 ** np.abs(index[:, None] - index[None, :])
    return dc.LGP(beta=rng.standard_normal(P), sigma=SIGMA, covariance=covariance)


def simulate(lgp: dc.LGP, trials: int, seed: int) -> dict[str, np.ndarray]:
    """Per-trial population risks of the four strategies (same fits for both rules)."""
    model = GaussianModel.from_lgp(lgp)
    rng = np.random.default_rng(seed)
    risks: dict[str, list[float]] = {name: [] for name in SIMULATED}
    for _ in range(trials):
        train, fresh = (Sample(*model.sample(N, rng)) for _ in range(2))
        labels, weights, _ = train_prune_retrain(
            train, fresh, [P], S, strategies=SIMULATED, population_diagonal=lgp.variances
        )
        for (_, name), value in zip(labels, model.risk(weights)):
            risks[name].append(float(value))
    return {name: np.array(values) for name, values in risks.items()}


def measure(setting: str, trials: int = TRIALS) -> dict[str, tuple[float, float, float, float]]:
    """name -> (predicted, its s.e., simulated mean, its s.e.), and each pair's difference."""
    lgp = problem(setting)
    prediction = dc.predict(lgp, N, P, S, samples=DRAWS, rng=np.random.default_rng(5))
    simulated = simulate(lgp, trials, seed=7)
    out = {}
    for name in SIMULATED:
        values = simulated[name]
        out[name] = (
            prediction[name],
            prediction.stderr[name] or 0.0,
            values.mean(),
            values.std(ddof=1) / np.sqrt(values.size),
        )
    for a, b in PAIRS:
        difference = simulated[a] - simulated[b]
        # the DC-sampling errors of the two predictions bound that of their difference
        theory_se = (prediction.stderr[a] or 0.0) + (prediction.stderr[b] or 0.0)
        out[f"{a} - {b}"] = (
            prediction[a] - prediction[b],
            theory_se,
            difference.mean(),
            difference.std(ddof=1) / np.sqrt(difference.size),
        )
    return out


@pytest.mark.slow
@pytest.mark.parametrize("setting", ["diagonal", "block", "ar1"])
def test_both_hessian_rules_match_monte_carlo(setting):
    measured = measure(setting)
    for name in SIMULATED:
        theory, theory_se, mean, se = measured[name]
        assert abs(mean - theory) <= 4 * np.hypot(se, theory_se) + 0.01 * theory, (setting, name, measured[name])
    for a, b in PAIRS:
        theory, theory_se, mean, se = measured[f"{a} - {b}"]
        assert abs(mean - theory) <= 4 * se + 4 * theory_se, (setting, a, measured[f"{a} - {b}"])
    _, _, mean, se = measured["hessian - hessian_population"]
    assert mean > 3 * se, (setting, mean, se)  # the sample diagonal costs, resolved


if __name__ == "__main__":  # pragma: no cover
    for setting in ("diagonal", "block", "ar1"):
        for name, (theory, theory_se, mean, se) in measure(setting).items():
            print(
                f"{setting:9} {name:55} theory {theory:9.4f} +- {theory_se:.4f}  sim {mean:9.4f} +- {se:.4f}  "
                f"rel {(mean - theory) / theory:+.4f}  z {(mean - theory) / np.hypot(se, theory_se):+.2f}"
            )
