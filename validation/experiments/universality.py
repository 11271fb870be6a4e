"""Universality: the Gaussian theory against designs that are not Gaussian.

The theory (docs/theory.md) assumes Gaussian features. Here the features are x = Sigma^{1/2} z with the
z_i i.i.d., mean 0, variance 1, drawn from one design law per point (:data:`DESIGNS`):

* ``gaussian``: N(0, 1), the control;
* ``rademacher``: +-1 with probability 1/2 each (kurtosis 1);
* ``uniform``: uniform on [-sqrt 3, sqrt 3] (kurtosis 1.8);
* ``student_t5``, ``student_t10``: Student's t with 5 or 10 degrees of freedom scaled to variance 1
  (kurtosis 9 and 4: heavy tails).

The noise stays Gaussian and the population risk sigma^2 + (w - beta)^T Sigma (w - beta) uses second
moments only, so the prediction (``dctheory.risk_curve``) is the same for every design; only the
simulation changes. Settings are those of the linear experiments (:func:`linear.lgp_arrays`).

Judged: every point against the suite's declared tolerance (:data:`validation.verdicts.RULE`).
Reported (:meth:`Universality.measurements`): per design and strategy, pooled over the simulated m by
inverse-variance weights, with 95% intervals, (a) the deviation sim / theory - 1 and (b) the design's own
effect, (sim - sim of the Gaussian design) / theory, paired by trial: every design of a trial is a transform
of the same Gaussian numbers (:data:`DESIGNS`), so (b) cancels the finite-n gap the designs share and
resolves small effects. "resolved" marks a value beyond 2 standard errors: for (b), a design on which the
Gaussian theory's accuracy differs from the Gaussian simulation's.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr, stdtrit

from dctheory.errors import ConfigError
from validation import verdicts
from validation.experiment import register_experiment
from validation.experiments.linear import LGPCurve, curve_rows, lgp_arrays
from validation.montecarlo import GaussianModel
from validation.report import pyplot, save_figure
from validation.verdicts import claim_points

KEYS = ("design", "m", "strategy")


def _student_t(df: float):
    scale = math.sqrt((df - 2) / df)  # Var t_df = df / (df - 2)
    return lambda g: stdtrit(df, ndtr(g)) * scale


#: design name -> the transform of a standard Gaussian array into i.i.d. entries of that law (mean 0, variance
#: 1) through the inverse distribution function, z = F^{-1}(Phi(g)): every design of a trial is drawn from the
#: same Gaussian numbers (common random numbers), so the designs' risks are compared paired by trial.
DESIGNS = {
    "gaussian": lambda g: g,
    "rademacher": lambda g: np.where(g < 0, -1.0, 1.0),
    "uniform": lambda g: math.sqrt(3.0) * (2 * ndtr(g) - 1),
    "student_t5": _student_t(5.0),
    "student_t10": _student_t(10.0),
}


class DesignModel(GaussianModel):
    """The LGP of :class:`GaussianModel` with x = Sigma^{1/2} z, z_i i.i.d. from a design of :data:`DESIGNS`."""

    def __init__(self, design: str, **model):
        if design not in DESIGNS:
            raise ConfigError(f"design = {design!r} must be one of {', '.join(DESIGNS)}")
        super().__init__(**model)
        self.design = design

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """(X, y) from the Gaussian numbers of ``rng``, in the same order as :meth:`GaussianModel.sample`."""
        Z = DESIGNS[self.design](rng.standard_normal((n, self.P)))
        X = Z * self._root if self.covariance is None else Z @ self._root
        return X, X @ self.beta + self.sigma * rng.standard_normal(n)


def design_model(config: dict, design: str) -> DesignModel:
    cov, beta, diagonal = lgp_arrays(config)
    arrays = {"eigenvalues": cov} if diagonal else {"covariance": cov}
    return DesignModel(design, beta=beta, sigma=float(config["sigma"]), **arrays)


def pooled(rows: list[dict]) -> tuple[float, float]:
    """Inverse-variance weighted mean of sim / theory - 1 over rows, and its standard error."""
    rel = np.array([r["sim_mean"] / r["theory"] - 1 for r in rows])
    se = np.array([r["sim_se"] / abs(r["theory"]) for r in rows])
    weights = 1 / se**2
    return float(weights @ rel / weights.sum()), float(1 / math.sqrt(weights.sum()))


class Universality(LGPCurve):
    """Train, prune and retrain on the first m features for each design; compare with the Gaussian theory."""

    def tasks(self, config):
        unknown = [d for d in config["designs"] if d not in DESIGNS]
        if unknown or "gaussian" not in config["designs"]:
            raise ConfigError(
                f"designs must include 'gaussian' and be among {', '.join(DESIGNS)}; got {config['designs']!r}"
            )
        return [({"curve": "designs"}, t) for t in range(int(config["trials"]))]

    def simulate(self, point, trial, seed, config):
        # The same three streams for every design: common random numbers, paired by trial.
        seeds = seed.spawn(3)
        return [
            {"design": design, **row}
            for design in config["designs"]
            for row in curve_rows(design_model(config, design), config, seeds)
        ]

    def theory(self, config):
        # One Gaussian prediction, shown against every design.
        rows = super().theory(config)
        return [{"design": d, **row} for d in config["designs"] for row in rows]

    def compare(self, sim_rows, theory_rows, config):
        return verdicts.compare_rows(sim_rows, theory_rows, KEYS, self.allowance(config))

    def claims(self, sim_rows, theory_rows, verdict_rows, config):
        return [
            claim_points(f"{self.name} ({design})", [v for v in verdict_rows if v["design"] == design])
            for design in config["designs"]
        ]

    def measurements(self, sim_rows, theory_rows, verdict_rows, config):
        """Per design and strategy, pooled over m: the deviation from the Gaussian theory, and the design's
        effect, its simulated risk against the Gaussian design's on the same numbers, relative to the theory
        (the finite-n gap that both designs share cancels there)."""
        out = []
        table = verdicts.by_trial(sim_rows, KEYS)
        for design in config["designs"]:
            for strategy in config["strategies"]:
                rows = [
                    v
                    for v in verdict_rows
                    if v["design"] == design
                    and v["strategy"] == strategy
                    and v["verdict"] != "INFO"
                    and v["sim_se"] > 0
                ]
                if not rows:
                    continue
                effects = []
                for v in rows:
                    d, se, _ = verdicts.paired_difference(
                        table[(design, v["m"], strategy)], table[("gaussian", v["m"], strategy)]
                    )
                    effects.append({"sim_mean": v["theory"] + d, "sim_se": se, "theory": v["theory"]})
                measured = [("sim / theory - 1", pooled(rows))]
                if design != "gaussian":
                    measured.append(("(sim - sim gaussian) / theory", pooled(effects)))
                for quantity, (value, se) in measured:
                    half = verdicts.CI_Z * se
                    out.append(
                        {
                            "quantity": quantity,
                            "design": design,
                            "strategy": strategy,
                            "value": value,
                            "se": se,
                            "ci_low": value - half,
                            "ci_high": value + half,
                            "resolved": bool(abs(value) > 2 * se),
                        }
                    )
        return out

    def figure(self, sim_rows, theory_rows, verdict_rows, config, stem):
        plt = pyplot()
        rows = [
            r
            for r in self.measurements(sim_rows, theory_rows, verdict_rows, config)
            if r["quantity"] == "sim / theory - 1"
        ]
        designs, strategies = config["designs"], config["strategies"]
        fig, ax = plt.subplots(figsize=(9, 4.2))
        width = 0.8 / len(designs)
        for k, design in enumerate(designs):
            mine = {r["strategy"]: r for r in rows if r["design"] == design}
            x = [i + (k - (len(designs) - 1) / 2) * width for i, st in enumerate(strategies) if st in mine]
            y = [100 * mine[st]["value"] for st in strategies if st in mine]
            e = [100 * verdicts.CI_Z * mine[st]["se"] for st in strategies if st in mine]
            ax.errorbar(x, y, yerr=e, fmt="o", ms=4, capsize=2, label=design.replace("_", " "))
        ax.axhline(0, color="0.4", lw=0.8)
        ax.set_xticks(range(len(strategies)), [st.replace("_", "\n") for st in strategies], fontsize=8)
        ax.set_ylabel("simulation / Gaussian theory - 1 (%)")
        ax.set_title(
            f"{self.title}: P={config['P']}, n={config['n']}, s={config['s']}, "
            f"{config['trials']} trials per design (95% intervals)",
            fontsize=9,
        )
        ax.legend(fontsize=8, ncol=len(designs), loc="upper center", bbox_to_anchor=(0.5, -0.22))
        return save_figure(fig, stem)


register_experiment(Universality("universality", "Universality: non-Gaussian designs vs the Gaussian theory"))
