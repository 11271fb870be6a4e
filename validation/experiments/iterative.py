"""Iterative pruning: train -> prune -> retrain in rounds, a fresh sample each round, against its prediction.

A *schedule* is the list of kept sizes per round, e.g. ``[80, 40]``: train on the first m features (min-norm
least squares, or ridge), prune to 80 weights, refit the kept support on a FRESH sample of size n, prune that
refit to 40 weights, refit again on another fresh sample. One-shot pruning is the one-round schedule ``[40]``.
Every round's pruned and retrained risks are predicted by ``dctheory.predict_schedule`` (the one-round DC
applied to the sub-problem on the support kept so far, averaged over the law of that support); this
experiment measures the same numbers by Monte Carlo (:func:`validation.montecarlo.prune_in_rounds`).

Settings (``settings`` of ``validation/configs/iterative.json``, each a diagonal Sigma with its beta and
sigma, built by :func:`setting_arrays`): a spiked spectrum (the paper's Fig. 3(b)), a power law, and a random
spectrum, eigenvalues log-uniform on [low, high] with Gaussian coefficients (both drawn once from a fixed
seed). Strategies: magnitude (top |w_i|), Hessian (top lambda_i w_i^2 with the POPULATION eigenvalues
lambda_i, the rule that ``dctheory`` predicts), oracle (the top latent saliencies lambda_i beta_i^2 kept
within the current support) and random; each round scores only the weights of the current support.

Common random numbers: in one trial every schedule, strategy and ridge starts from the same training sample,
and the LAST round of every schedule refits on the same fresh sample (round k of an R-round schedule uses
fresh sample k + 3 - R of three), so the one-shot vs rounds difference is measured paired by trial.

One task is one trial of one setting; its rows are one per (ridge, schedule, strategy, round, stage), stage
``pruned`` or ``retrained``.
"""

from __future__ import annotations

import math

import numpy as np

from dctheory.errors import ConfigError
from validation import verdicts
from validation.experiment import Claim, Experiment, register_experiment
from validation.montecarlo import GaussianModel, Sample, oracle_set, prune_in_rounds
from validation.report import colour, pyplot, save_figure
from validation.verdicts import claim_points

KEYS = ("setting", "ridge", "schedule", "strategy", "round", "stage")
STAGES = ("pruned", "retrained")
STRATEGIES = ("magnitude", "hessian", "hessian_population", "oracle", "random")
SPECTRA = ("spiked", "power_law", "log_uniform")
#: the name of the one-round schedule every other schedule is compared with
ONE_SHOT = "one_shot"


def setting_arrays(spec: dict, P: int) -> tuple[np.ndarray, np.ndarray, float]:
    """(eigenvalues (P,), beta (P,), sigma) of one setting of the config; ConfigError on a bad spec.

    ``spectrum``: ``spiked`` (the first ``round(k_over_P P)`` eigenvalues C, the rest 1), ``power_law``
    (``scale i^-alpha``, i = 1..P) or ``log_uniform`` (i.i.d. ``exp U[log low, log high]``); ``beta``:
    ``ones`` or ``gaussian`` (i.i.d. N(0, 1)). Random draws come from ``default_rng(seed)``, eigenvalues first.
    """
    spectrum, rng = spec.get("spectrum"), np.random.default_rng(int(spec.get("seed", 0)))
    if spectrum == "spiked":
        k = round(float(spec["k_over_P"]) * P)
        eigenvalues = np.r_[np.full(k, float(spec["C"])), np.ones(P - k)]
    elif spectrum == "power_law":
        eigenvalues = float(spec["scale"]) * np.arange(1, P + 1) ** -float(spec["alpha"])
    elif spectrum == "log_uniform":
        low, high = float(spec["low"]), float(spec["high"])
        if not 0 < low < high:
            raise ConfigError(f"iterative config: log_uniform needs 0 < low < high, got {low}, {high}")
        eigenvalues = np.exp(rng.uniform(math.log(low), math.log(high), P))
    else:
        raise ConfigError(f"iterative config: spectrum must be one of {', '.join(SPECTRA)}, got {spectrum!r}")
    coefficients = spec.get("beta", "ones")
    if coefficients == "ones":
        beta = np.ones(P)
    elif coefficients == "gaussian":
        beta = rng.standard_normal(P)
    else:
        raise ConfigError(f"iterative config: beta must be 'ones' or 'gaussian', got {coefficients!r}")
    sigma = float(spec["sigma"])
    if not sigma >= 0:
        raise ConfigError(f"iterative config: sigma must be >= 0, got {sigma}")
    return eigenvalues, beta, sigma


def checked(config: dict) -> dict:
    """The typed sizes of an iterative config; ConfigError (one line) on a bad value."""
    P, n, m = (config.get(k) for k in ("P", "n", "m"))
    for key, value in (("P", P), ("n", n), ("m", m)):
        if not isinstance(value, int) or value < 1:
            raise ConfigError(f"iterative config: {key} must be an integer >= 1, got {value!r}")
    if m > P:
        raise ConfigError(f"iterative config: m must be <= P = {P}, got {m}")
    schedules = config.get("schedules")
    if not isinstance(schedules, dict) or ONE_SHOT not in schedules:
        raise ConfigError(f"iterative config: schedules must be a dict with a {ONE_SHOT!r} schedule")
    finals = set()
    for name, sizes in schedules.items():
        if (
            not isinstance(sizes, list)
            or not sizes
            or not all(isinstance(s, int) and s >= 1 for s in sizes)
            or sizes != sorted(set(sizes), reverse=True)
            or sizes[0] >= m
        ):
            raise ConfigError(
                f"iterative config: schedule {name!r} must be strictly decreasing integers in [1, m = {m}), got {sizes!r}"
            )
        finals.add(sizes[-1])
    if len(schedules[ONE_SHOT]) != 1 or len(finals) != 1:
        raise ConfigError(
            f"iterative config: {ONE_SHOT!r} must have one round and every schedule must end at the same size, "
            f"got {schedules!r}"
        )
    if max(len(s) for s in schedules.values()) > int(config.get("fresh_samples", 3)):
        raise ConfigError("iterative config: a schedule has more rounds than fresh_samples")
    unknown = set(config.get("strategies", ())) - set(STRATEGIES)
    if unknown or not config.get("strategies"):
        raise ConfigError(f"iterative config: strategies must be among {', '.join(STRATEGIES)}, got {sorted(unknown)}")
    ridges = config.get("ridges")
    if not isinstance(ridges, list) or not ridges or not all(isinstance(r, (int, float)) and r >= 0 for r in ridges):
        raise ConfigError(f"iterative config: ridges must be a non-empty list of numbers >= 0, got {ridges!r}")
    return {"P": P, "n": n, "m": m, "schedules": schedules, "ridges": [float(r) for r in ridges]}


def theory_problem(spec: dict, P: int):
    import dctheory as dc

    eigenvalues, beta, sigma = setting_arrays(spec, P)
    return dc.LGP(eigenvalues=eigenvalues, beta=beta, sigma=sigma)


def fit_label(ridge: float) -> str:
    return "min-norm" if ridge == 0 else f"ridge {ridge:g}"


def z_score(difference: float, se: float) -> float:
    """difference / se; 0 for a difference that is exactly 0 with s.e. 0 (e.g. oracle pruning, whose final
    support and last fresh sample are the same for every schedule)."""
    if se > 0:
        return difference / se
    return 0.0 if difference == 0 else math.copysign(math.inf, difference)


class IterativePruning(Experiment):
    """Pruning in rounds with fresh retraining vs ``dctheory.predict_schedule``, per setting."""

    def __init__(self, name: str, title: str):
        self.name, self.title = name, title

    def tasks(self, config):
        checked(config)
        for spec in config["settings"].values():
            setting_arrays(spec, int(config["P"]))  # fail early, in one line, on a bad setting
        return [({"setting": name}, t) for name in config["settings"] for t in range(int(config["trials"]))]

    def simulate(self, point, trial, seed, config):
        c = checked(config)
        eigenvalues, beta, sigma = setting_arrays(config["settings"][point["setting"]], c["P"])
        model = GaussianModel(beta=beta, sigma=sigma, eigenvalues=eigenvalues)
        fresh_count = int(config.get("fresh_samples", 3))
        streams = [np.random.default_rng(s) for s in seed.spawn(2 + fresh_count)]
        train = Sample(*model.sample(c["n"], streams[0]))
        fresh = [Sample(*model.sample(c["n"], rng)) for rng in streams[1:-1]]
        rng_prune = streams[-1]
        support = np.arange(c["m"])
        rows = []
        for ridge in c["ridges"]:
            dense, dense_fallback = train.with_ridge(ridge).fit_support(support)
            refits = [f.with_ridge(ridge) for f in fresh]
            labels, weights, flags = [], [], []
            for name, sizes in c["schedules"].items():
                for strategy in config["strategies"]:
                    pruned, retrained, fallbacks = prune_in_rounds(
                        support,
                        dense[support],
                        refits[len(refits) - len(sizes) :],  # the last round always refits on the last sample
                        sizes,
                        strategy,
                        hessian_diagonal=train.hessian_diagonal,
                        population_diagonal=eigenvalues,
                        oracle=lambda s: oracle_set(eigenvalues, beta, s),
                        rng=rng_prune,
                    )
                    for k, size in enumerate(sizes):
                        for stage, W in (("pruned", pruned), ("retrained", retrained)):
                            labels.append((name, strategy, k + 1, stage, size))
                            weights.append(W[k])
                            # a fit that needed the stable solver, in this round or any fit before it
                            flags.append(bool(dense_fallback or fallbacks[: k + (stage == "retrained")].any()))
            risks = model.risk(np.array(weights))
            rows += [
                {
                    "ridge": ridge,
                    "schedule": name,
                    "strategy": strategy,
                    "round": k,
                    "stage": stage,
                    "kept": size,
                    "risk": float(r),
                    "fallback": f,
                }
                for (name, strategy, k, stage, size), r, f in zip(labels, risks, flags)
            ]
        return rows

    def theory(self, config):
        import dctheory as dc

        c = checked(config)
        rng = np.random.default_rng(int(config.get("theory_seed", 0)))
        rows = []
        for setting, spec in config["settings"].items():
            problem = theory_problem(spec, c["P"])
            for ridge in c["ridges"]:
                for name, sizes in c["schedules"].items():
                    for strategy in config["strategies"]:
                        result = dc.predict_schedule(
                            problem,
                            c["n"],
                            c["m"],
                            sizes,
                            strategy=strategy,
                            retrain=True,
                            ridge=ridge,
                            samples=int(config["theory_samples"]),
                            rng=rng,
                        ).to_dict()
                        for k, part in enumerate(result["rounds"], 1):
                            rows += [
                                {
                                    "setting": setting,
                                    "ridge": ridge,
                                    "schedule": name,
                                    "strategy": strategy,
                                    "round": k,
                                    "stage": stage,
                                    "kept": int(part["kept"]),
                                    "risk": math.nan if part[stage] is None else float(part[stage]),
                                    "stderr": float(part.get(f"{stage}_stderr") or 0.0),
                                }
                                for stage in STAGES
                            ]
        return rows

    def allowance(self, config):
        """The declared model tolerance ``allowance`` (relative), the same for every point."""
        allowance = float(config["allowance"])
        return lambda key: allowance

    def rule(self, config):
        return (
            f"tolerance: PASS iff |sim - theory| <= {verdicts.Z_MAX:g} * se + allowance * |theory|, "
            f"se = sqrt(se_sim^2 + se_theory^2) (se_sim the standard error of the mean over trials, se_theory "
            f"the sampling s.e. of the prediction, 0 where it is exact); allowance {float(config['allowance']):g}, "
            f"the model tolerance measured on an independent pilot run (see the page). Ordering: where the "
            f"prediction separates a schedule from one-shot pruning (|predicted difference| > {verdicts.Z_MAX:g} "
            f"combined s.e. and resolvable), the paired simulated difference of the final risks must have the "
            f"same sign and lie beyond {verdicts.Z_MAX:g} paired s.e."
        )

    def compare(self, sim_rows, theory_rows, config):
        agreement = verdicts.compare_rows(sim_rows, theory_rows, KEYS, self.allowance(config))
        return agreement + self.margin_rows(sim_rows, theory_rows, config)

    # -- one-shot vs rounds --------------------------------------------------
    def orderings(self, sim_rows, theory_rows, config) -> list[dict]:
        """One dict per (setting, ridge, schedule other than one-shot, strategy): the final retrained risk
        of the schedule against one-shot pruning's, in theory and simulation (paired by trial)."""
        c = checked(config)
        final = {name: len(sizes) for name, sizes in c["schedules"].items()}
        table = verdicts.by_trial(
            sim_rows,
            ("setting", "ridge", "schedule", "strategy"),
            where=lambda r: r["stage"] == "retrained" and r["round"] == final[r["schedule"]],
        )
        theory = {
            (r["setting"], r["ridge"], r["schedule"], r["strategy"]): (r["risk"], r["stderr"])
            for r in theory_rows
            if r["stage"] == "retrained" and r["round"] == final[r["schedule"]]
        }
        out = []
        for setting in config["settings"]:
            for ridge in c["ridges"]:
                for name in c["schedules"]:
                    if name == ONE_SHOT:
                        continue
                    for strategy in config["strategies"]:
                        key, once = (setting, ridge, name, strategy), (setting, ridge, ONE_SHOT, strategy)
                        if key not in table or once not in table:
                            continue
                        (t_rounds, se_rounds), (t_once, se_once) = theory[key], theory[once]
                        d_sim, se_sim, count = verdicts.paired_difference(table[key], table[once])
                        d_th, se_th = t_rounds - t_once, math.hypot(se_rounds, se_once)
                        out.append(
                            {
                                "setting": setting,
                                "ridge": ridge,
                                "schedule": name,
                                "strategy": strategy,
                                "theory_once": t_once,
                                "theory_diff": d_th,
                                "theory_diff_se": se_th,
                                "sim_diff": d_sim,
                                "sim_diff_se": se_sim,
                                "trials": count,
                                "a": table[key],
                                "b": table[once],
                            }
                        )
        return out

    @staticmethod
    def separated(o: dict) -> bool:
        """The prediction separates the schedule from one-shot pruning, and the run resolves the difference."""
        combined = math.hypot(o["theory_diff_se"], o["sim_diff_se"])
        return abs(o["theory_diff"]) > verdicts.Z_MAX * combined and abs(o["theory_diff"]) >= verdicts.resolvable(
            o["sim_diff_se"]
        )

    @staticmethod
    def ordered(o: dict) -> bool:
        return bool(np.sign(o["sim_diff"]) == np.sign(o["theory_diff"])) and abs(o["sim_diff"]) > (
            verdicts.Z_MAX * o["sim_diff_se"]
        )

    def margin_rows(self, sim_rows, theory_rows, config) -> list[dict]:
        rows = []
        for o in self.orderings(sim_rows, theory_rows, config):
            judged = self.separated(o)
            rows.append(
                verdicts.margin_row(
                    f"{o['setting']}: one-shot vs rounds",
                    f"{fit_label(o['ridge'])}, {o['strategy']}, {o['schedule']} - {ONE_SHOT} "
                    f"(theory {o['theory_diff']:+.4g} +- {o['theory_diff_se']:.2g})",
                    o["a"],
                    o["b"],
                    passed=self.ordered(o) if judged else None,
                )
            )
        return rows

    def claims(self, sim_rows, theory_rows, verdict_rows, config):
        agreement = [v for v in verdict_rows if v["kind"] == "agreement"]
        out = [
            claim_points(f"{self.name} ({setting})", [v for v in agreement if v["setting"] == setting])
            for setting in config["settings"]
        ]
        orderings = self.orderings(sim_rows, theory_rows, config)
        for setting in config["settings"]:
            mine = [o for o in orderings if o["setting"] == setting]
            judged = [o for o in mine if self.separated(o)]
            bad = [o for o in judged if not self.ordered(o)]
            parts = [
                f"{fit_label(o['ridge'])} {o['strategy']} {o['schedule']}: theory {100 * o['theory_diff'] / o['theory_once']:+.1f}%, "
                f"sim {100 * o['sim_diff'] / o['theory_once']:+.1f}% (z = {z_score(o['sim_diff'], o['sim_diff_se']):+.1f})"
                for o in judged
            ]
            ses = [o["sim_diff_se"] for o in mine]
            resolves = f"paired difference >= {verdicts.resolvable(float(np.median(ses))):.3g} (median paired s.e.)"
            name = f"{self.name} ({setting}): one-shot vs rounds ordering as predicted"
            detail = (
                f"{len(judged)} of {len(mine)} comparisons separated by the theory and resolved; final risk of the "
                f"schedule relative to one-shot: "
                + "; ".join(parts)
                + (f"; disagreeing: {[(o['ridge'], o['strategy'], o['schedule']) for o in bad]}" if bad else "")
            )
            if config.get("quick") and not judged:
                out.append(Claim(name, False, "not judged at this size: nothing resolved; " + detail, resolves, True))
            else:
                out.append(Claim(name, bool(judged) and not bad, detail, resolves))
        return out

    def measurements(self, sim_rows, theory_rows, verdict_rows, config):
        """The final risk of each schedule relative to one-shot pruning, predicted and simulated (paired by trial):
        ``z`` is the simulated difference over its paired s.e. (is the schedule better or worse than one-shot
        pruning), ``z_vs_theory`` its deviation from the predicted difference over the combined s.e."""
        out = []
        for o in self.orderings(sim_rows, theory_rows, config):
            scale = o["theory_once"]
            value, se = o["sim_diff"] / scale, o["sim_diff_se"] / scale
            out.append(
                {
                    "quantity": "final / one-shot - 1",
                    "setting": o["setting"],
                    "fit": fit_label(o["ridge"]),
                    "strategy": o["strategy"],
                    "schedule": o["schedule"],
                    "theory": o["theory_diff"] / scale,
                    "theory_se": o["theory_diff_se"] / scale,
                    "sim": value,
                    "se": se,
                    "ci_low": value - verdicts.CI_Z * se,
                    "ci_high": value + verdicts.CI_Z * se,
                    "z": z_score(o["sim_diff"], o["sim_diff_se"]),
                    "z_vs_theory": z_score(
                        o["sim_diff"] - o["theory_diff"], math.hypot(o["sim_diff_se"], o["theory_diff_se"])
                    ),
                }
            )
        return out

    def figure(self, sim_rows, theory_rows, verdict_rows, config, stem):
        """Per setting and fit: the final risk of each schedule and strategy, theory (bars) and simulation
        (markers, 95% intervals)."""
        plt = pyplot()
        c = checked(config)
        summary = verdicts.summarize(sim_rows, KEYS)
        theory = {tuple(r[k] for k in KEYS): r["risk"] for r in theory_rows}
        settings, schedules = list(config["settings"]), list(c["schedules"])
        fig, axes = plt.subplots(
            len(c["ridges"]), len(settings), figsize=(4 * len(settings), 3.2 * len(c["ridges"])), squeeze=False
        )
        width = 0.8 / len(config["strategies"])
        for i, ridge in enumerate(c["ridges"]):
            for j, setting in enumerate(settings):
                ax = axes[i][j]
                for q, strategy in enumerate(config["strategies"]):
                    x, th, mu, err = [], [], [], []
                    for p, name in enumerate(schedules):
                        key = (setting, ridge, name, strategy, len(c["schedules"][name]), "retrained")
                        if key in summary and key in theory:
                            x.append(p + (q - (len(config["strategies"]) - 1) / 2) * width)
                            th.append(theory[key])
                            mu.append(summary[key][0])
                            err.append(verdicts.CI_Z * summary[key][1])
                    ax.bar(x, th, width * 0.9, color=colour(strategy), alpha=0.35, label=f"{strategy} (theory)")
                    ax.errorbar(x, mu, yerr=err, fmt="o", ms=3, color=colour(strategy), capsize=2)
                ax.set_xticks(range(len(schedules)), [n.replace("_", " ") for n in schedules], fontsize=8)
                ax.set_title(f"{setting}, {fit_label(ridge)}", fontsize=9)
                ax.set_ylabel("final risk after retraining", fontsize=8)
        handles, labels = axes[0][0].get_legend_handles_labels()
        fig.legend(handles, labels, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(labels))
        fig.suptitle(
            f"{self.title}: P={c['P']}, n={c['n']}, m={c['m']}, {config['trials']} trials "
            f"(bars: theory, markers: simulation with 95% intervals)",
            fontsize=9,
        )
        return save_figure(fig, stem)


register_experiment(IterativePruning("iterative", "Iterative pruning: rounds with fresh retraining vs one-shot"))
