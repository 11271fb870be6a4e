"""The ``nn_rf`` experiment: the random-features bridge of
:mod:`validation.nn.random_features` (MNIST-1D, hidden nodes pruned) through
the shared runner, judged against the DC prediction of its equivalent LGP
(docs/theory.md#retraining, #random-features, #claims; the paper's Figs. 2 and 4 on real data).

It is the ``fig2`` experiment of :mod:`validation.experiments_rf` with the
synthetic Gaussian-input model replaced by the MNIST-1D pool: same strategies,
same tolerance (:data:`validation.verdicts.ALLOWANCE_RANDOM_FEATURES`, fixed
up front for the Gaussian equivalence, not tuned here), same figure. The
first layer is drawn once from ``feature_seed``; each trial redraws the
training sample and the fresh retraining sample (with replacement from the
pool), and the risk is the exact pool risk. Same-sample retraining
(``magnitude_retrained_same``) is reported, never judged (docs/theory.md#retraining).

Configuration: ``validation/experiments/nn_rf.json`` (P = 600 hidden nodes,
n = 200, s in {20, 40, 100}, 40 trials). ``theory_samples`` is the number of
DC samples per (s, m); each needs one retraining solve on its support (about
0.3 s at P = 600, s = 100), and their sampling error enters the tolerance.
"""

from __future__ import annotations

import numpy as np

from validation.experiment import register_experiment
from validation.experiments_rf import RFExperiment
from validation.nn.random_features import mnist1d_features


def pool_model(config: dict):
    """The :class:`~validation.nn.random_features.DataReLUFeatures` of ``config``."""
    return mnist1d_features(int(config["P"]), int(config["feature_seed"]), int(config["pool_samples"]))


class NNRandomFeatures(RFExperiment):
    """Random features on MNIST-1D vs the DC of the equivalent LGP (module docstring).

    Only the model hooks differ from fig2: the pool model, its equivalent
    LGP, and the exact pool risk (no held-out noise, s.e. 0). The fourth
    seed stream (fig2's held-out sample) is unused; the first three
    (training, fresh, pruning) are the same children as ``seed.spawn(3)``.
    """

    point_model = "mnist1d-relu"
    requires = ("mnist1d",)

    def model(self, config):
        return pool_model(config)

    def equivalent_lgp(self, model):
        return model.equivalent_lgp()

    def risk(self, model, weights, config, rng):
        risk = model.pool_risk(weights)
        return risk, np.zeros_like(risk)

    def claims(self, sim_rows, theory_rows, verdict_rows, config):
        # the pool risk is exact (no held-out noise), so the parent's test-noise claim is moot
        return [claim for claim in super().claims(sim_rows, theory_rows, verdict_rows, config)
                if "held-out test noise" not in claim.name]


register_experiment(NNRandomFeatures(
    "nn_rf", "Random features on MNIST-1D (hidden nodes pruned) vs the DC of the equivalent LGP"))
