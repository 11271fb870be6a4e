"""The ``nn_rf`` experiment: the random-features bridge of
:mod:`validation.nn.random_features` (MNIST-1D, hidden nodes pruned) through
the shared runner, judged against the DC prediction of its equivalent LGP
(THEORY.md sections 4, 6, 7; the paper's Figs. 2 and 4 on real data).

It is the ``fig2`` experiment of :mod:`validation.experiments_rf` with the
synthetic Gaussian-input model replaced by the MNIST-1D pool: same strategies,
same tolerance (:data:`validation.verdicts.ALLOWANCE_RANDOM_FEATURES`, fixed
up front for the Gaussian equivalence, not tuned here), same figure. The
first layer is drawn once from ``feature_seed``; each trial redraws the
training sample and the fresh retraining sample (with replacement from the
pool), and the risk is the exact pool risk. Same-sample retraining
(``magnitude_retrained_same``) is reported, never judged (THEORY.md section 4).

Configuration: ``validation/experiments/nn_rf.json`` (P = 600 hidden nodes,
n = 200, s in {20, 40, 100}, 40 trials). ``theory_samples`` is the number of
DC samples per (s, m); each needs one retraining solve on its support (about
0.3 s at P = 600, s = 100), and their sampling error enters the tolerance.
"""

from __future__ import annotations

import numpy as np

from validation.experiment import register_experiment
from validation.experiments_rf import RFExperiment
from validation.montecarlo import Sample, train_prune_retrain
from validation.nn.random_features import mnist1d_features


def pool_model(config: dict):
    """The :class:`~validation.nn.random_features.DataReLUFeatures` of ``config``."""
    return mnist1d_features(int(config["P"]), int(config["feature_seed"]), int(config["pool_samples"]))


class NNRandomFeatures(RFExperiment):
    """Random features on MNIST-1D vs the DC of the equivalent LGP (module docstring)."""

    def tasks(self, config):
        return [({"model": "mnist1d-relu"}, t) for t in range(int(config["trials"]))]

    def simulate(self, point, trial, seed, config):
        model = pool_model(config)
        n = int(config["n"])
        rng_train, rng_fresh, rng_prune = (np.random.default_rng(c) for c in seed.spawn(3))
        train = Sample(*model.sample(n, rng_train))
        fresh = Sample(*model.sample(n, rng_fresh))
        rows = []
        for s in config["s_list"]:
            labels, weights, flags = train_prune_retrain(train, fresh, config["m_grid"], int(s),
                                                         strategies=config["strategies"], rng=rng_prune)
            rows += [{"s": int(s), "m": m, "strategy": strategy, "risk": float(risk), "test_se": 0.0,
                      "fallback": bool(flag)}
                     for (m, strategy), risk, flag in zip(labels, model.pool_risk(weights), flags)]
        return rows

    def theory(self, config):
        import dctheory as dc

        problem = pool_model(config).equivalent_lgp()
        rng = np.random.default_rng(int(config["theory_seed"]))
        rows = []
        for s in config["s_list"]:
            for m in config["m_grid"]:
                prediction = dc.predict(problem, n=int(config["n"]), m=int(m), s=int(s),
                                        samples=int(config["theory_samples"]), rng=rng)
                rows += [{"s": int(s), "m": int(m), "strategy": strategy, "risk": float(value),
                          "stderr": float(prediction.stderr.get(strategy) or 0.0)}
                         for strategy, value in prediction.risks.items() if value is not None]
        return rows

    def claims(self, sim_rows, theory_rows, verdict_rows, config):
        # the pool risk is exact (no held-out noise), so the parent's test-noise claim is moot
        return [claim for claim in super().claims(sim_rows, theory_rows, verdict_rows, config)
                if "held-out test noise" not in claim.name]


register_experiment(NNRandomFeatures(
    "nn_rf", "Random features on MNIST-1D (hidden nodes pruned) vs the DC of the equivalent LGP"))
