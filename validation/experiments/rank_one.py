"""Lemma 1 (docs/theory.md#correlated-features): perfectly correlated features, a table over s.

``x = zeta g`` (g ~ N(0,1)), ``y = g zeta^T beta + sigma z``. The Gram matrix
of X = g zeta^T has rank one, so every min-norm fit here goes through the
engine's stable fallback (and is recorded as such). Magnitude and Hessian
pruning keep the same deterministic support S = top-s |zeta_i|; because S
does not depend on the data, same-sample retraining is the quantity Lemma 1
predicts (``E L(w_RT) - L* = sigma^2/(n-2)``), so here it IS judged.

Rows are excess risks ``L(w) - sigma^2`` averaged over ``reps_per_trial``
independent draws inside each trial (one task = one trial); the standard
error is taken over trials. Predictions: ``dctheory.rank_one``. No finite-size
allowance: Lemma 1 is exact at finite n, so PASS iff |z| <= 4.
"""

from __future__ import annotations

import numpy as np

from dctheory.errors import ConfigError
from validation import verdicts
from validation.experiment import Claim, Experiment, register_experiment
from validation.montecarlo import GaussianModel, Sample, min_norm, prune_support
from validation.verdicts import claim_points

KEYS = ("s", "strategy")


def arrays(config):
    zeta, beta = np.asarray(config["zeta"], float), np.asarray(config["beta"], float)
    if zeta.shape != beta.shape or np.unique(np.abs(zeta)).size != zeta.size:
        raise ConfigError("zeta and beta must have the same length and |zeta_i| must be distinct")
    return zeta, beta


class RankOne(Experiment):
    name = "lemma1"
    title = "Lemma 1: rank-one features"

    def tasks(self, config):
        return [({"table": "rank_one"}, t) for t in range(int(config["trials"]))]

    def simulate(self, point, trial, seed, config):
        zeta, beta = arrays(config)
        n, sigma = int(config["n"]), float(config["sigma"])
        model = GaussianModel(beta=beta, sigma=sigma, covariance=np.outer(zeta, zeta))
        rng = np.random.default_rng(seed)
        s_list = [int(s) for s in config["s_list"]]
        sums: dict = {}
        agree = fallbacks = 0
        reps = int(config["reps_per_trial"])
        for _ in range(reps):
            g = rng.standard_normal(n)
            X = np.outer(g, zeta)
            y = g * (zeta @ beta) + sigma * rng.standard_normal(n)
            w, fb = min_norm(X, y)
            fallbacks += fb
            sample = Sample(X, y)
            weights = {("dense", 0): w}
            for s in s_list:
                S = prune_support(w, s, "magnitude")
                agree += np.array_equal(S, prune_support(w, s, "hessian", hessian_diagonal=sample.hessian_diagonal))
                pruned = np.zeros_like(w)
                pruned[S] = w[S]
                weights[("pruned", s)] = pruned
                weights[("retrained", s)], fb = sample.fit_support(S)
                fallbacks += fb
            excess = model.risk(np.array(list(weights.values()))) - sigma**2
            for key, e in zip(weights, excess):
                sums[key] = sums.get(key, 0.0) + e
        rows = []
        for s in s_list:
            for strategy in ("dense", "pruned", "retrained"):
                total = sums[(strategy, 0 if strategy == "dense" else s)]
                rows.append({"s": s, "strategy": strategy, "risk": float(total / reps), "fallback": bool(fallbacks)})
        rows.append(
            {"s": 0, "strategy": "hp_equals_mp_fraction", "risk": agree / (reps * len(s_list)), "fallback": False}
        )
        return rows

    def theory(self, config):
        import dctheory as dc

        zeta, beta = arrays(config)
        rows = []
        # every s in [1, P], not only the simulated ones: the figure draws the theory through them
        for s in range(1, len(zeta) + 1):
            r = dc.rank_one(zeta, beta, int(config["n"]), float(config["sigma"]), int(s))
            rows += [
                {"s": int(s), "strategy": "dense", "risk": float(r.dense_excess), "stderr": 0.0},
                {"s": int(s), "strategy": "pruned", "risk": float(r.pruned_excess), "stderr": 0.0},
                {"s": int(s), "strategy": "retrained", "risk": float(r.retrained_excess), "stderr": 0.0},
                {"s": int(s), "strategy": "rho", "risk": float(r.rho), "stderr": 0.0},
            ]
        return rows

    def compare(self, sim_rows, theory_rows, config):
        rows = [r for r in sim_rows if r["strategy"] != "hp_equals_mp_fraction"]
        return verdicts.compare_rows(rows, theory_rows, KEYS, lambda key: 0.0)

    def claims(self, sim_rows, theory_rows, verdict_rows, config):
        agree = np.mean([r["risk"] for r in sim_rows if r["strategy"] == "hp_equals_mp_fraction"])
        retrained = [v for v in verdict_rows if v["strategy"] == "retrained"]
        theory = {(r["s"], r["strategy"]): r["risk"] for r in theory_rows}
        sigma2_over = float(config["sigma"]) ** 2 / (int(config["n"]) - 2)
        # the bias term (1 - rho)^2 (zeta^T beta)^2 of the pruned model, as the theory states it
        biased = [
            (v["s"], v["sim_mean"], v["sim_se"], theory[(v["s"], "rho")])
            for v in verdict_rows
            if v["strategy"] == "pruned" and theory[(v["s"], "rho")] < 1 - 1e-12
        ]
        return [
            claim_points(self.name, verdict_rows),
            Claim(
                "C5 Lemma 1: magnitude and Hessian keep the same support",
                agree == 1.0,
                f"fraction of draws with identical supports: {agree:.4f}",
                f"one differing support in {int(config['reps_per_trial']) * int(config['trials']) * len(config['s_list'])} draws",
            ),
            Claim(
                "C5 Lemma 1: retraining is unbiased whatever s (excess = sigma^2/(n-2))",
                bool(retrained)
                and all(v["verdict"] == "PASS" for v in retrained)
                and all(abs(theory[(v["s"], "retrained")] - sigma2_over) <= 1e-12 * sigma2_over for v in retrained),
                f"sigma^2/(n-2) = {sigma2_over:.4g}; simulated retrained excess: "
                + ", ".join(f"s={v['s']}: {v['sim_mean']:.4g} +- {v['sim_se']:.2g}" for v in retrained),
                f"a bias >= {verdicts.resolvable(max((v['sim_se'] for v in retrained), default=float('inf'))):.3g} "
                f"(largest s.e.)",
            ),
            Claim(
                "C5 Lemma 1: pruning without retraining is biased (rho < 1)",
                bool(biased) and all(v["verdict"] == "PASS" for v in verdict_rows if v["strategy"] == "pruned"),
                "pruned excess matches (1-rho)^2 (zeta^T beta)^2 + rho^2 sigma^2/(n-2): "
                + ", ".join(f"s={s}: rho={rho:.3f}, sim {m:.4g} +- {e:.2g}" for s, m, e, rho in biased),
                f"a deviation >= {verdicts.resolvable(max((e for _, _, e, _ in biased), default=float('inf'))):.3g} "
                f"from the pruned excess (largest s.e.)",
            ),
        ]

    def figure(self, sim_rows, theory_rows, verdict_rows, config, stem):
        from validation.report import curve_figure

        summary = verdicts.summarize([r for r in sim_rows if r["s"] > 0], KEYS)
        th = [r for r in theory_rows if r["strategy"] in ("dense", "pruned", "retrained")]
        return curve_figure(
            summary,
            th,
            ("dense", "pruned", "retrained"),
            n=None,
            stem=stem,
            title=f"{self.title}: P={len(config['zeta'])}, n={config['n']}, sigma={config['sigma']}",
            xkey="s",
            xlabel="$s$ (kept features)",
            ylabel=r"excess risk $L(\hat w) - \sigma^2$",
        )


register_experiment(RankOne())
