"""Does ``dctheory advise`` recommend what Monte Carlo finds best?.

For each documented setting (``validation/configs/advise/NAME.json``: isotropic, spiked,
random features; the config ``validation/configs/advise.json`` names the
files and may override keys, e.g. a coarser m grid in the quick run) the
experiment runs :func:`dctheory.advise` exactly as the CLI does, takes its
candidates:

* the ``top`` best routes that need no oracle knowledge, each at its own best
  (m, ridge) -- the first is the recommendation (``Advice.best``);
* the best small model on the first s features (``Advice.best_small``), the
  verdict's comparison;

and simulates each candidate at its m and ridge: train on the first m
features with that ridge, prune to s (magnitude, Hessian, random), retrain on
a FRESH sample with the same ridge where the route says so (docs/theory.md#retraining); the small model is the ridge fit on the first s features. Every
candidate of a trial uses the same training and fresh samples, so candidates
are compared paired over trials. LGP risks are exact population risks
(docs/theory.md#notation); random-features risks are held-out estimates on
``n_test`` fresh points (:mod:`validation.relu_features`; the features W
and target are rebuilt from the setting's seed as ``dctheory.config`` does
and checked against the advised problem).

Judged: every candidate's simulated risk against the advised prediction
(suite's rule, :mod:`validation.verdicts`; random features with the stated
Gaussian-equivalence allowance), and per setting two claims: the
recommendation is the best simulated candidate (no candidate below it by
more than 4 paired standard errors) and the verdict's comparison with the
best small model holds in simulation (by more than 4 paired s.e.).
"""

from __future__ import annotations

import functools
import json
import math
from decimal import Decimal

import numpy as np

from dctheory.errors import ConfigError
from validation import verdicts
from validation.experiment import CONFIG_DIR, Claim, Experiment, register_experiment
from validation.montecarlo import GaussianModel, Sample, train_prune_retrain
from validation.relu_features import ReLUFeatures
from validation.store import canonical_json
from validation.verdicts import claim_points

KEYS = ("setting", "strategy", "m", "ridge")
SIMULABLE = (
    "small_first",
    "magnitude",
    "hessian",
    "hessian_population",
    "random",
    "magnitude_retrained",
    "hessian_retrained",
    "hessian_population_retrained",
)


class AdviseCheck(Experiment):
    """Simulate the routes ``dctheory.advise`` ranks highest, at their m and ridge."""

    name = "advise"
    title = "advise: recommended route vs Monte Carlo"

    def load_config(self, quick: bool = False) -> dict:
        """The JSON config with each setting's file read in (so the config hash covers it)."""
        return resolve(super().load_config(quick))

    def tasks(self, config):
        return [({"setting": name}, t) for name in config["settings"] for t in range(int(config["trials"]))]

    def simulate(self, point, trial, seed, config):
        name = point["setting"]
        setting = config["settings"][name]
        advice, parsed = advice_for(canonical_json(setting))
        n, s = parsed["n"], parsed["s"]
        rng_train, rng_fresh, rng_prune, rng_test = (np.random.default_rng(c) for c in seed.spawn(4))
        model = simulator(setting, parsed["problem"])
        train = Sample(*model.sample(n, rng_train))
        fresh = Sample(*model.sample(n, rng_fresh))
        weights, labels, flags = [], [], []
        for c in candidates(advice, int(config["top"])):
            ridge = c["ridge"]
            if c["strategy"] == "small_first":
                w, f = train.with_ridge(ridge).fit_support(np.arange(s))
            else:
                _, W, fl = train_prune_retrain(
                    train.with_ridge(ridge),
                    fresh.with_ridge(ridge),
                    [c["m"]],
                    s,
                    strategies=[c["strategy"]],
                    rng=rng_prune,
                    population_diagonal=parsed["problem"].variances,
                )
                w, f = W[0], fl[0]
            weights.append(w)
            labels.append(c)
            flags.append(bool(f))
        W = np.array(weights)
        if isinstance(model, ReLUFeatures):
            risks, _ = model.test_risk(W, int(config["n_test"]), rng_test)
        else:
            risks = model.risk(W)
        return [
            {
                "setting": name,
                "strategy": c["strategy"],
                "m": c["m"],
                "ridge": c["ridge"],
                "risk": float(r),
                "fallback": f,
            }
            for c, r, f in zip(labels, risks, flags)
        ]

    def theory(self, config):
        rows = []
        for name, setting in config["settings"].items():
            advice, _ = advice_for(canonical_json(setting))
            rows += [
                {
                    "setting": name,
                    "strategy": c["strategy"],
                    "m": c["m"],
                    "ridge": c["ridge"],
                    "risk": c["risk"],
                    "stderr": c["stderr"],
                    "recommended": c["recommended"],
                }
                for c in candidates(advice, int(config["top"]))
            ]
        return rows

    def compare(self, sim_rows, theory_rows, config):
        def allowance(key):
            setting = config["settings"][key["setting"]]
            rule = (
                verdicts.allowance_random_features
                if setting.get("model") == "random_features"
                else verdicts.allowance_lgp
            )
            return rule(key["m"], int(setting["n"]), key["strategy"])

        rows = verdicts.compare_rows(sim_rows, theory_rows, KEYS, allowance)
        for name in config["settings"]:
            th = [r for r in theory_rows if r["setting"] == name]
            rows += margin_rows(name, th, _by_trial([r for r in sim_rows if r["setting"] == name]))
        return rows

    def claims(self, sim_rows, theory_rows, verdict_rows, config):
        out = [claim_points(self.name, verdict_rows)]
        quick = bool(config.get("quick"))
        for name in config["settings"]:
            th = [r for r in theory_rows if r["setting"] == name]
            table = _by_trial([r for r in sim_rows if r["setting"] == name])
            out.append(claim_recommended_is_best(name, th, table))
            out.append(claim_beats_small(name, th, table, quick))
        return out


def resolve(config: dict) -> dict:
    """Read each setting's file into the config (so the config hash covers it); ConfigError on bad keys."""
    config = dict(config)
    settings = config.get("settings")
    if not isinstance(settings, dict) or not settings:
        raise ConfigError("advise config: settings must be a non-empty object {name: advise/NAME.json}")
    overrides = config.get("overrides", {})
    resolved = {}
    for name, path in settings.items():
        if not isinstance(path, str):
            raise ConfigError(f"advise config: settings.{name} must be a path, got {path!r}")
        file = CONFIG_DIR / path
        if not file.is_file():
            raise ConfigError(f"advise config: settings.{name}: no file at {file}")
        resolved[name] = {**json.loads(file.read_text()), **overrides.get(name, {})}
    config["settings"] = resolved
    config.pop("overrides", None)
    top = config.get("top")
    if not isinstance(top, int) or top < 1:
        raise ConfigError(f"advise config: top must be an integer >= 1, got {top!r}")
    return config


# -- advice and simulators ----------------------------------------------------
@functools.lru_cache(maxsize=8)
def advice_for(setting_json: str):
    """(Advice, parsed config) for one setting, computed as ``dctheory advise`` does (cached per process)."""
    from dctheory import config as configs
    from dctheory.advise import advise

    setting = json.loads(setting_json, parse_float=Decimal)  # the CLI reads numbers as exact decimals
    parsed = configs.parse_advise(setting)
    advice = advise(
        parsed["problem"],
        parsed["n"],
        parsed["s"],
        parsed["ridges"],
        m_points=parsed["m_points"],
        samples=parsed["samples"],
        rng=np.random.default_rng(parsed["seed"]),
    )
    return advice, parsed


def candidates(advice, top: int) -> list[dict]:
    """The ``top`` best routes without oracle knowledge plus the best small model; the first is recommended."""
    from dctheory.advise import NEEDS_ORACLE

    practical = [r for r in advice.ranking if r["strategy"] not in NEEDS_ORACLE]
    chosen = practical[:top]
    if advice.best_small is not None and all(r["strategy"] != "small_first" for r in chosen):
        chosen.append(advice.best_small)
    unknown = [r["strategy"] for r in chosen if r["strategy"] not in SIMULABLE]
    if unknown:
        raise ConfigError(f"advise check: cannot simulate strategies {unknown}")
    return [
        {
            "strategy": r["strategy"],
            "m": int(r["m"]),
            "ridge": float(r["ridge"]),
            "risk": float(r["risk"]),
            "stderr": float(r.get("stderr", 0.0)),
            "recommended": r is advice.best,
        }
        for r in chosen
    ]


def simulator(setting: dict, problem):
    """The data model of a setting: a GaussianModel (LGP) or ReLUFeatures (random features)."""
    if setting.get("model") != "random_features":
        return GaussianModel.from_lgp(problem)
    import dctheory as dc

    d, P = int(setting["d"]), int(setting["P"])
    rng = np.random.default_rng(int(setting.get("seed", 0)))
    W = rng.standard_normal((P, d)) / np.sqrt(d)  # the construction of dctheory.config.parse_advise
    beta_star = np.zeros(d)
    beta_star[0] = 1.0
    model = ReLUFeatures(W, beta_star, float(setting.get("noise", 0.0)))
    check = dc.random_features_lgp(W, beta_star, noise=model.noise)
    if not np.allclose(check.covariance, problem.covariance, rtol=1e-12, atol=1e-12):
        raise ConfigError("advise check: the simulated random features differ from the advised problem's")
    return model


# -- claims ------------------------------------------------------------------------
def _label(r) -> str:
    return f"{r['strategy']} (m={r['m']}, ridge {r['ridge']:g})"


def _by_trial(sim_rows) -> dict:
    """{(strategy, m, ridge): {trial: risk}}."""
    return verdicts.by_trial(sim_rows, ("strategy", "m", "ridge"))


def _paired(table, a, b):
    d, se, _ = verdicts.paired_difference(table[a], table[b])
    return d, se


def margin_rows(name, theory_rows, table) -> list[dict]:
    """Margin rows: each other candidate minus the recommended route, paired over trials.

    PASS when the candidate does not beat the recommendation by more than
    ``Z_MAX`` paired s.e. (the rule of :func:`claim_recommended_is_best`).
    """
    rec = next((r for r in theory_rows if r["recommended"]), None)
    out = []
    for r in theory_rows:
        if rec is None or r is rec or _key(r) not in table or _key(rec) not in table:
            continue
        d, se = _paired(table, _key(r), _key(rec))
        out.append(
            verdicts.margin_row(
                f"advise ({name}): recommended route is the best simulated candidate",
                f"{_label(r)} - recommended",
                table[_key(r)],
                table[_key(rec)],
                passed=not d < -verdicts.Z_MAX * se,
                setting=name,
                theory_margin=r["risk"] - rec["risk"],
            )
        )
    return out


def _key(r):
    return (r["strategy"], r["m"], r["ridge"])


def claim_recommended_is_best(name, theory_rows, table) -> Claim:
    """The recommendation is the best simulated candidate: none is below it by more than 4 paired s.e."""
    rec = next(r for r in theory_rows if r["recommended"])
    means = {k: float(np.mean(list(v.values()))) for k, v in table.items()}
    parts, ok, ses = [], True, []
    for r in theory_rows:
        if r is rec:
            continue
        d, se = _paired(table, _key(rec), _key(r))
        ses.append(se)
        beaten = d > verdicts.Z_MAX * se
        ok &= not beaten
        parts.append(
            f"{_label(r)}: sim margin {-d:+.4g} +- {se:.2g} (theory {r['risk'] - rec['risk']:+.4g})"
            + (" BEATS IT" if beaten else "")
        )
    best = min(means, key=means.get)
    return Claim(
        f"advise ({name}): recommended route is the best simulated candidate",
        bool(ok),
        f"recommended {_label(rec)}: theory {rec['risk']:.4g}, sim {means[_key(rec)]:.4g}; "
        f"simulated argmin: {best[0]} (m={best[1]}, ridge {best[2]:g}); margins (other - recommended, "
        f"paired over trials): " + "; ".join(parts) + f"; needs no margin below -{verdicts.Z_MAX:g} se",
        f"a candidate better by >= {verdicts.resolvable(max(ses, default=math.inf)):.3g} (largest paired s.e.)",
    )


def claim_beats_small(name, theory_rows, table, quick: bool = False) -> Claim:
    """The verdict's comparison (recommended vs best small model) has the predicted sign, by 4 paired s.e."""
    rec = next(r for r in theory_rows if r["recommended"])
    small = next((r for r in theory_rows if r["strategy"] == "small_first"), None)
    if small is None or small is rec:
        return Claim(
            f"advise ({name}): recommended vs best small model",
            small is not None,
            "the recommendation is the small model itself" if small else "no small model candidate",
            "a structural check (no effect size)",
        )
    d, se = _paired(table, _key(small), _key(rec))
    predicted = small["risk"] - rec["risk"]
    ok = predicted > 0 and d > verdicts.Z_MAX * se
    return verdicts.claim(
        f"advise ({name}): recommended route beats the best small model in simulation",
        bool(ok),
        f"{_label(small)} minus {_label(rec)}: theory {predicted:+.4g}, sim {d:+.4g} +- {se:.2g} "
        f"(paired); needs sim > {verdicts.Z_MAX:g} se",
        effect=predicted,
        resolves=verdicts.resolvable(se),
        unit="risk margin",
        quick=quick,
    )


register_experiment(AdviseCheck())
