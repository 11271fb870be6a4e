"""Risk predictions for dense, pruned and retrained models (THEORY.md sections 1, 3, 4).

Three routes, one set of formulas (all compiled from ``derivations``):

* closed form, float64, vectorized: a diagonal Sigma is grouped into atoms
  (distinct (lambda_i, beta_i, oracle membership)) and a batch of feature
  sets D is described by the multiplicity of each atom in D. One call
  evaluates every strategy for every D; :func:`risk_curve` uses it for all m.
* closed form, mpmath, at ``dps`` verified digits (diagonal Sigma);
* DC sampling for any Sigma (THEORY.md section 3, last item): draw weights
  from the law, prune them exactly (top-s), evaluate the population risk,
  and average; the standard error of that average is reported.

Retraining predictions are for *fresh* retraining (THEORY.md section 4):
same-sample retraining is a different quantity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import mpmath
import numpy as np

from dctheory._compiled import compiled
from dctheory.errors import ConfigError, RegimeError
from dctheory.finite_size import apply_finite_size, check_finite_size, reference_setting
from dctheory.law import check_n_ridge, dc_law, law_parameters, solve
from dctheory.problems import LGP, check_scalar
from dctheory.solvers import (
    OVER, RIDGE, UNDER, RowBlocks, check_dps, prefix_lengths, refine_root, regime, solve_rows, solve_xi, solve_xi_mp, tau2,
    tau2_mp, undefined_message, verified,
)

STRATEGIES = (
    "dense", "magnitude", "hessian", "oracle", "random", "magnitude_retrained", "hessian_retrained",
)

__all__ = ["STRATEGIES", "Prediction", "Curve", "predict", "risk_curve"]


@dataclass
class Prediction:
    """Predicted risks of one training set-up.

    Attributes:
        xi, tau2: the DC parameters (None for ridgeless m < n - 1, where least
            squares has no xi; the dense risk is then its exact mean risk).
        risks: strategy -> predicted population risk (None where undefined; see ``notes``).
        stderr: strategy -> standard error of the prediction (0 for closed forms,
            the Monte Carlo error of DC sampling otherwise).
        method: "closed" or "sampling"; dps: digits (None for float64).
        finite_size: strategy -> the EMPIRICAL finite-size correction applied by
            ``predict(..., finite_size="fitted")`` (reference setting, c, se_c, factor
            1 + c/n, uncorrected risk, its s.e. se_c/n * risk, also in ``stderr``);
            empty otherwise. See :mod:`dctheory.finite_size`.
    """

    n: int
    m: int
    s: int
    ridge: float
    regime: str
    xi: object
    tau2: object
    risks: dict
    stderr: dict
    method: str
    dps: int | None = None
    notes: dict = field(default_factory=dict)
    finite_size: dict = field(default_factory=dict)

    def __getitem__(self, strategy: str):
        return self.risks[strategy]


@dataclass
class Curve:
    """Risks of every strategy for a range of m (training on the first m features).

    ``m`` lists the evaluated m; ``risks[strategy]``, ``xi`` and ``tau2`` are
    aligned with it (xi and tau2 are NaN where m < n - 1, ridgeless).
    ``undefined`` lists the m that were skipped (ridgeless m in [n - 1, n]) and
    ``notes`` explains any strategy left NaN on a range of m.
    """

    n: int
    s: int
    ridge: float
    m: np.ndarray
    xi: np.ndarray
    tau2: np.ndarray
    risks: dict
    undefined: list
    notes: dict = field(default_factory=dict)


# ---------------------------------------------------------------------------
# Atoms: a diagonal problem grouped into distinct coordinates
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Atoms:
    lam: np.ndarray  # (K,)
    beta: np.ndarray  # (K,)
    oracle: np.ndarray  # (K,) 1.0 if the atom's coordinates are in D*
    total: np.ndarray  # (K,) multiplicity over all P features
    label: np.ndarray  # (P,) atom of each feature


def _atoms(problem: LGP, s: int) -> _Atoms:
    oracle = np.zeros(problem.P)
    oracle[problem.oracle_set(s)] = 1.0
    keys = np.stack([problem.eigenvalues, problem.beta, oracle], axis=1)
    unique, label = np.unique(keys, axis=0, return_inverse=True)
    label = label.ravel()
    # Order atoms by first appearance, so that the first m features use a prefix of the atoms.
    first = np.full(len(unique), problem.P)
    np.minimum.at(first, label, np.arange(problem.P))
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    unique, label = unique[order], rank[label]
    return _Atoms(unique[:, 0], unique[:, 1], unique[:, 2], np.bincount(label, minlength=len(unique)).astype(float), label)


def _counts_first_m(atoms: _Atoms, ms: np.ndarray) -> np.ndarray:
    """(B, K): multiplicity of each atom among the first m features, for each m.

    O(P + B K): the atom counts of the features between consecutive sorted m, accumulated.
    """
    order = np.argsort(ms, kind="stable")
    K = atoms.lam.size
    # Feature j (0-based) is first counted in the first sorted row with m > j.
    first_row = np.searchsorted(ms[order], np.arange(atoms.label.size), side="right")
    inside = first_row < ms.size
    between = np.zeros((ms.size, K))
    np.add.at(between, (first_row[inside], atoms.label[inside]), 1.0)
    counts = np.empty_like(between)
    counts[order] = np.cumsum(between, axis=0)
    return counts


def _counts_of(atoms: _Atoms, features: np.ndarray) -> np.ndarray:
    return np.bincount(atoms.label[features], minlength=atoms.lam.size).astype(float)[None, :]


# ---------------------------------------------------------------------------
# Closed forms, float64, batched over feature sets
# ---------------------------------------------------------------------------

def _thresholds(blocks: RowBlocks, scale: str, s: int, position: np.ndarray) -> np.ndarray:
    """t per row with sum_k w_k pi(t c_k; mean_k, sd_k) = s (THEORY.md section 3; pi decreasing in t).

    ``blocks`` hold the rows' weights ``w`` (live multiplicities), ``mean`` and ``sd`` (B, K) and the
    per-atom scale ``blocks[scale]`` = c (1 for magnitude, 1/sqrt(lambda) for Hessian pruning).
    The root lies in [0, reach]: every kept-sum term is 1 at t = 0 (rank > s) and below 1e-300
    past (|mean| + 40 sd)/c. Rows of a curve over m (``position``) are solved by bracketing a few
    and safeguarded Newton steps (the compiled ``keep_probability_derivative``) from splines
    through those roots for the others (:func:`dctheory.solvers.solve_rows`).
    """
    keep = compiled("keep_probability")
    keep_slope = compiled("keep_probability_derivative")
    B = position.size
    every = np.arange(B)
    reach = blocks.map(every, lambda rows, a: np.max(np.where(a["w"] > 0, (np.abs(a["mean"]) + 40 * a["sd"]) / a[scale], 0.0),
                                                     axis=1)) * 1.01 + 1e-300
    t_of = np.empty(B)

    def evaluate(t, rows, with_slope):
        t_of[rows] = t

        def compute(rows_b, a):
            thresholds = t_of[rows_b, None] * a[scale]
            value = np.sum(a["w"] * keep(thresholds, a["mean"], a["sd"]), axis=1) - s
            if not with_slope:
                return value
            return value, np.sum(a["w"] * a[scale] * keep_slope(thresholds, a["mean"], a["sd"]), axis=1)

        return blocks.map(rows, compute, 2 if with_slope else 1)

    # Rows solved from scratch start at reach / 200: measured, fewer safeguarded steps than from
    # mid-bracket or from reach / 40 (the coarsest rows of curves over m, 2000 distinct eigenvalues).
    return solve_rows(evaluate, np.zeros(B), reach, increasing=False, position=position, start=reach / 200)


def _batch(atoms: _Atoms, counts: np.ndarray, problem: LGP, n: int, s: int, ridge: float):
    """All strategies for a batch of feature sets given as atom counts (B, K)."""
    lam, beta = atoms.lam, atoms.beta
    B = counts.shape[0]
    positive = lam > 0
    safe_lam = np.where(positive, lam, 1.0)
    signal = atoms.total @ (lam * beta**2)
    sigma2_D = np.maximum(problem.sigma**2 + signal - counts @ (lam * beta**2), 0.0)
    sigma_D = np.sqrt(sigma2_D)
    rank = counts @ positive.astype(float)
    m = counts.sum(axis=1)
    kinds = regime(rank, n, ridge)
    nan = np.full(B, np.nan)
    out = {name: nan.copy() for name in STRATEGIES}
    xi, t2 = nan.copy(), nan.copy()
    notes = {}
    thresholds_of = {"magnitude": nan.copy(), "hessian": nan.copy()}  # t (magnitude) and t' (Hessian) per row
    fitted = np.array([k is not None for k in kinds])

    def of(rows, a):
        # (B, K) arrays are large: no copy when a mask selects every row (e.g. every row with a ridge).
        return a if rows.all() else a[rows]

    over = np.array([k in (OVER, RIDGE) for k in kinds])
    under = np.array([k == UNDER for k in kinds])
    mean = np.zeros_like(counts) if not over.all() else None
    sd = np.zeros_like(counts) if not over.all() else None
    if over.any():
        counts_over = of(over, counts)
        xi[over] = solve_xi(np.broadcast_to(lam, counts_over.shape), n, ridge, counts_over, position=m[over])
        t2[over] = tau2(xi[over], lam, beta, sigma2_D[over], n, ridge, weights=counts_over)
        out["dense"][over] = t2[over]
        mean_over = compiled("coordinate_mean")(xi[over, None], lam, beta)
        sd_over = compiled("coordinate_sd")(xi[over, None], np.sqrt(t2[over, None]), n, lam)
        if over.all():
            mean, sd = mean_over, sd_over
        else:
            mean[over], sd[over] = mean_over, sd_over
    if under.any():
        out["dense"][under] = compiled("underparameterized_risk")(sigma_D[under], n, rank[under])
        mean[under] = beta
        sd[under] = compiled("underparameterized_sd")(sigma_D[under, None], n, rank[under, None], safe_lam)
    if not positive.all():
        mean = np.where(positive, mean, 0.0)
        sd = np.where(positive, sd, 1.0)  # zero-variance atoms carry weight 0 in every keep-sum below
    live = counts * positive if not positive.all() else counts

    # Oracle (THEORY.md section 3): keep D* cap D, zero the rest, no refit.
    out["oracle"][fitted] = compiled("oracle_risk")(
        sigma_D[fitted], lam, atoms.oracle, of(fitted, mean), of(fitted, sd), beta, weights=of(fitted, counts)
    )
    # Rows with nothing to prune (rank <= s) keep the dense model.
    prune = fitted & (rank > s)
    keep_all = fitted & ~prune
    for name in ("magnitude", "hessian", "random", "magnitude_retrained", "hessian_retrained"):
        out[name][keep_all] = out["dense"][keep_all]
    if prune.any():
        rows = np.flatnonzero(prune)
        every = rows.size == B  # usually: no gathers
        mean_p, sd_p, live_p = (a if every else a[rows] for a in (mean, sd, live))
        keep = compiled("keep_probability")
        risk = compiled("thresholded_risk")
        sigma_p, m_p = sigma_D[rows], m[rows]
        # mean, sd and weights gathered once per block of similar prefix, for every strategy. Zero-variance
        # atoms (lambda = 0) have weight 0 here; in the risks they count with lambda = 0, i.e. not at all.
        blocks = RowBlocks(prefix_lengths(live_p), {"w": live_p, "mean": mean_p, "sd": sd_p},
                           {"lam": lam, "beta": beta, "magnitude": np.ones_like(lam), "hessian": 1.0 / np.sqrt(safe_lam)})
        random_risk = compiled("random_pruning_risk")
        out["random"][rows] = blocks.map(np.arange(rows.size), lambda rows_b, a: random_risk(
            sigma_p[rows_b], s, m_p[rows_b], a["lam"], a["mean"], a["sd"], a["beta"], weights=a["w"]))
        for name in ("magnitude", "hessian"):
            t = _thresholds(blocks, name, s, rank[rows])
            thresholds_of[name][rows] = t
            kept = np.zeros((rows.size, lam.size))  # expected kept count per atom

            def compute(rows_b, a):
                thresholds = t[rows_b, None] * a[name]
                kept[rows_b, :thresholds.shape[1]] = a["w"] * keep(thresholds, a["mean"], a["sd"])
                return risk(sigma_p[rows_b], a["lam"], thresholds, a["mean"], a["sd"], a["beta"], weights=a["w"])

            out[name][rows] = blocks.map(np.arange(rows.size), compute)
            retrained, note = _retrained(atoms, kept, problem, n, s, ridge, position=m[rows])
            out[f"{name}_retrained"][rows] = retrained
            if note:
                notes[f"{name}_retrained"] = note
    return kinds, xi, t2, out, notes, thresholds_of


def _retrained(atoms: _Atoms, kept: np.ndarray, problem: LGP, n: int, s: int, ridge: float, position=None):
    """Fresh-retraining risk on a support kept with expected multiplicities ``kept`` (THEORY.md section 4).

    ``position``: the rows' m, for warm starts of the xi solves (speed only)."""
    lam, beta = atoms.lam, atoms.beta
    signal_kept = kept @ (lam * beta**2)
    sigma2_S = np.maximum(problem.sigma**2 + atoms.total @ (lam * beta**2) - signal_kept, 0.0)
    kind = regime(np.array(float(s)), n, ridge)[()]
    if kind == UNDER:
        # sum over all P features of lam beta^2 (1 - pi): class averages pi = kept / total.
        average_keep = kept / atoms.total
        return compiled("retrained_risk")(problem.sigma, n, s, lam, beta, average_keep, weights=atoms.total), None
    if kind is None:
        return np.full(kept.shape[0], np.nan), undefined_message(s, n) + " (retraining keeps s features)"
    # s > n or ridge: the dense risk of the kept spectrum, multiplicities kept.
    xi = solve_xi(np.broadcast_to(lam, kept.shape), n, ridge, kept, position=position)
    return tau2(xi, lam, beta, sigma2_S, n, ridge, weights=kept), None


# ---------------------------------------------------------------------------
# Closed forms at arbitrary precision (diagonal Sigma)
# ---------------------------------------------------------------------------

def _predict_mp(problem: LGP, features: np.ndarray, n: int, s: int, ridge: float, dps: int):
    """All strategies at dps verified digits (the float64 threshold seeds mpmath's Newton steps)."""
    float_view = _predict_closed(problem, features, n, s, ridge)
    f = {name: compiled(name, "mpmath") for name in (
        "keep_probability", "keep_probability_derivative", "thresholded_risk", "oracle_risk",
        "random_pruning_risk", "retrained_risk", "coordinate_mean", "coordinate_sd",
        "underparameterized_sd", "underparameterized_risk",
    )}
    inside = np.zeros(problem.P, dtype=bool)
    inside[features] = True
    oracle = np.zeros(problem.P)
    oracle[problem.oracle_set(s)] = 1

    def compute():
        lam_all, beta_all, sigma = problem.exact("eigenvalues"), problem.exact("beta"), problem.exact("sigma")
        lam, beta, sigma2_D = problem.effective_exact(features)
        ridge_mp = mpmath.mpf(repr(ridge))
        sigma_D = mpmath.sqrt(sigma2_D)
        live = [i for i, value in enumerate(lam) if value > 0]
        rank = len(live)
        kind = regime(np.array(rank), n, ridge)[()]
        if kind == UNDER:
            xi = value = None
            dense = f["underparameterized_risk"](sigma_D, n, rank)
            mean = [b if l > 0 else 0 for l, b in zip(lam, beta)]
            sd = [f["underparameterized_sd"](sigma_D, n, rank, l) if l > 0 else 1 for l in lam]
        else:
            xi = solve_xi_mp(lam, n, ridge_mp)
            value = dense = tau2_mp(xi, lam, beta, sigma2_D, n, ridge_mp)
            mean = [f["coordinate_mean"](xi, l, b) for l, b in zip(lam, beta)]
            sd = [f["coordinate_sd"](xi, mpmath.sqrt(value), n, l) if l > 0 else 1 for l in lam]
        risks = {"dense": dense}
        risks["oracle"] = f["oracle_risk"](sigma_D, lam, [oracle[i] for i in features], mean, sd, beta)
        if rank <= s:
            for name in STRATEGIES[1:]:
                risks.setdefault(name, dense)  # nothing to prune; the oracle still zeroes D minus D*
            return xi, value, risks
        risks["random"] = f["random_pruning_risk"](sigma_D, s, len(features), lam, mean, sd, beta)
        weights = [1 if l > 0 else 0 for l in lam]
        for name in ("magnitude", "hessian"):
            scale = [1 if (name == "magnitude" or l == 0) else 1 / mpmath.sqrt(l) for l in lam]

            def excess(t):
                return mpmath.fsum(w * f["keep_probability"](t * c, mu, sdv) for w, c, mu, sdv in zip(weights, scale, mean, sd)) - s

            def slope(t):
                return mpmath.fsum(w * c * f["keep_probability_derivative"](t * c, mu, sdv) for w, c, mu, sdv in zip(weights, scale, mean, sd))

            reach = max((abs(mu) + 40 * sdv) / c for w, c, mu, sdv in zip(weights, scale, mean, sd) if w)
            t = refine_root(lambda x: excess(x) / slope(x), float_view["thresholds"][name], 0, reach)
            if t is None:
                tol = mpmath.mpf(10) ** (-mpmath.mp.dps)
                t = mpmath.findroot(excess, (0, reach), solver="anderson", tol=tol**2, maxsteps=10_000)
            thresholds = [t * c for c in scale]
            risks[name] = f["thresholded_risk"](sigma_D, lam, thresholds, mean, sd, beta)
            kept_in_D = [w * f["keep_probability"](th, mu, sdv) for w, th, mu, sdv in zip(weights, thresholds, mean, sd)]
            keep_all = [0] * problem.P
            for position, i in enumerate(features):
                keep_all[i] = kept_in_D[position]
            if regime(np.array(s), n, ridge)[()] == UNDER:
                risks[f"{name}_retrained"] = f["retrained_risk"](sigma, n, s, lam_all, beta_all, keep_all)
            elif regime(np.array(s), n, ridge)[()] is None:
                risks[f"{name}_retrained"] = None
            else:
                sigma2_S = sigma**2 + mpmath.fsum(l * b**2 * (1 - k) for l, b, k in zip(lam_all, beta_all, keep_all))
                xi_S = solve_xi_mp(lam_all, n, ridge_mp, keep_all)
                risks[f"{name}_retrained"] = tau2_mp(xi_S, lam_all, beta_all, sigma2_S, n, ridge_mp, keep_all)
        return xi, value, risks

    xi, value, risks = verified(compute, dps, "prediction")
    return float_view["kind"], xi, value, risks, float_view["notes"]


# ---------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------

def _check_common(problem, n, s, ridge):
    if not isinstance(problem, LGP):
        raise ConfigError(f"problem must be a dctheory.LGP, got {type(problem).__name__}")
    n, ridge = check_n_ridge(n, ridge)
    s = check_scalar("s", s, low=1, high=problem.P, integer=True)
    return n, s, ridge


def _predict_closed(problem, features, n, s, ridge):
    atoms = _atoms(problem, s)
    counts = _counts_of(atoms, features)
    kinds, xi, t2, out, notes, thresholds = _batch(atoms, counts, problem, n, s, ridge)
    if kinds[0] is None:
        raise RegimeError(undefined_message(float(counts[0] @ (atoms.lam > 0)), n))
    # The float64 thresholds seed the mpmath route's Newton steps.
    return {"kind": kinds[0], "xi": xi[0], "tau2": t2[0], "risks": {k: v[0] for k, v in out.items()}, "notes": notes,
            "thresholds": {name: float(t[0]) for name, t in thresholds.items()}}


def predict(problem: LGP, n: int, m=None, s: int = 1, ridge: float = 0.0, *, dps: int | None = None,
            method: str = "auto", samples: int = 2000, rng: np.random.Generator | None = None,
            finite_size: str = "none") -> Prediction:
    """Predicted risk of every strategy when training on the first ``m`` features.

    Args:
        problem: the LGP.
        n: samples (>= 2).
        m: the number of trained features (the first m), or an index array D; default P.
        s: sparsity target (number of kept weights), 1 <= s <= P.
        ridge: ridge strength (THEORY.md section 1, ridge).
        dps: None for float64, else that many verified digits (closed forms, diagonal Sigma).
        method: "closed" (diagonal Sigma), "sampling" (DC sampling, any Sigma) or "auto".
        samples: number of DC samples for "sampling".
        rng: numpy Generator for "sampling" (default: seeded with 0, for reproducibility).
        finite_size: "none" (default: the DC prediction) or "fitted": multiply each risk by the
            EMPIRICAL factor (1 + c/n), c measured by Monte Carlo in the reference settings of
            docs/finite-size.md (fixed P/n, k/n, s/n, two spectrum classes; :mod:`dctheory.finite_size`),
            its uncertainty in ``Prediction.finite_size`` and added in quadrature to ``stderr``.

    Returns:
        :class:`Prediction`.

    Raises:
        ConfigError: bad arguments; RegimeError: ridgeless m in [n - 1, n], or
        finite_size="fitted" outside the settings where the coefficients were measured.
    """
    check_finite_size(finite_size, dps)
    n, s, ridge = _check_common(problem, n, s, ridge)
    features = problem.features(problem.P if m is None else m)
    if method not in ("auto", "closed", "sampling"):
        raise ConfigError(f"method = {method!r} must be 'auto', 'closed' or 'sampling'")
    if method == "auto":
        method = "closed" if problem.is_diagonal else "sampling"
    if method == "closed" and not problem.is_diagonal:
        raise ConfigError("method = 'closed' needs a diagonal covariance; use 'sampling' for a full matrix")
    # Outside the measured settings "fitted" is refused here, before any prediction is computed.
    setting = reference_setting(problem, n, features.size, s, ridge) if finite_size == "fitted" else None
    if dps is not None:
        dps = check_dps(dps)
        if method != "closed":
            raise ConfigError("dps needs the closed forms (a diagonal covariance); DC sampling is float64")
        kind, xi, t2, risks, notes = _predict_mp(problem, features, n, s, ridge, dps)
        for name, value in risks.items():
            if value is None:
                notes.setdefault(name, undefined_message(s, n))
        # (finite_size="fitted" with dps was refused above: the correction is float64)
        return Prediction(n, features.size, s, ridge, kind, xi, t2, risks, {k: 0 for k in risks}, "closed", dps, notes)
    if method == "closed":
        view = _predict_closed(problem, features, n, s, ridge)
        risks = {k: (None if np.isnan(v) else float(v)) for k, v in view["risks"].items()}
        xi = None if np.isnan(view["xi"]) else float(view["xi"])
        t2 = None if np.isnan(view["tau2"]) else float(view["tau2"])
        return apply_finite_size(Prediction(n, features.size, s, ridge, view["kind"], xi, t2, risks,
                                            {k: 0.0 for k in risks}, "closed", None, view["notes"]), setting)
    samples = check_scalar("samples", samples, low=2, integer=True)
    return apply_finite_size(_predict_sampling(problem, features, n, s, ridge, samples, rng or np.random.default_rng(0)),
                             setting)


def _predict_sampling(problem: LGP, features, n, s, ridge, samples, rng) -> Prediction:
    """DC sampling (THEORY.md section 3, last item): prune sampled weights exactly, average the risk."""
    law = dc_law(problem, n, features, ridge)
    w = law.sample(rng, samples)  # (samples, m) in the coordinates of D
    m = features.size
    values = {"dense": np.full(samples, float(law.solution.dense))}
    notes = {}
    supports = {}
    if m <= s:
        for name in STRATEGIES[1:]:
            values[name] = values["dense"]
    else:
        h = problem.variances[features]
        orders = {
            "magnitude": np.argsort(-np.abs(w), axis=1)[:, :s],
            "hessian": np.argsort(-(h * w**2), axis=1)[:, :s],
            "random": np.argsort(rng.random((samples, m)), axis=1)[:, :s],
        }
        for name, keep in orders.items():
            mask = np.zeros_like(w, dtype=bool)
            np.put_along_axis(mask, keep, True, axis=1)
            values[name] = _risks_of(problem, features, np.where(mask, w, 0.0))
            supports[name] = np.sort(keep, axis=1)
        for name in ("magnitude", "hessian"):
            values[f"{name}_retrained"], note = _retrained_sampled(problem, features, supports[name], n, ridge)
            if note:
                notes[f"{name}_retrained"] = note
    oracle = np.isin(features, problem.oracle_set(s))
    values["oracle"] = _risks_of(problem, features, np.where(oracle, w, 0.0))
    risks, stderr = {}, {}
    for name in STRATEGIES:
        v = values[name]
        risks[name] = None if np.isnan(v).any() else float(v.mean())
        stderr[name] = None if np.isnan(v).any() else float(v.std(ddof=1) / np.sqrt(v.size))
    sol = law.solution
    return Prediction(n, m, s, ridge, sol.regime, sol.xi, sol.tau2, risks, stderr, "sampling", None, notes)


def _risks_of(problem: LGP, features, w_D) -> np.ndarray:
    full = np.zeros((w_D.shape[0], problem.P))
    full[:, features] = w_D
    return problem.risk(full)


def _retrained_sampled(problem: LGP, features, supports, n, ridge):
    """Mean fresh-retraining risk over sampled supports (each: the dense risk of its effective problem)."""
    cache = {}
    out = np.empty(supports.shape[0])
    for row, support in enumerate(supports):
        key = support.tobytes()
        if key not in cache:
            try:
                cache[key] = float(solve(problem.effective(features[support]), n, ridge).dense)
            except RegimeError as error:
                return np.full(supports.shape[0], np.nan), str(error)
        out[row] = cache[key]
    return out, None


def risk_curve(problem: LGP, n: int, s: int, ridge: float = 0.0, m=None) -> Curve:
    """Every strategy's risk for each m (training on the first m features), in one vectorized evaluation.

    Args:
        problem: an LGP with diagonal Sigma (closed forms).
        n, s, ridge: as in :func:`predict`.
        m: the m values (default 1..P).

    Returns:
        :class:`Curve`; ridgeless m with rank in [n - 1, n] are skipped and listed in ``undefined``.
    """
    n, s, ridge = _check_common(problem, n, s, ridge)
    if not problem.is_diagonal:
        raise ConfigError("risk_curve needs a diagonal covariance; use predict(..., method='sampling') per m")
    ms = np.arange(1, problem.P + 1) if m is None else np.asarray(m, dtype=int).ravel()
    if ms.size == 0 or ms.min() < 1 or ms.max() > problem.P:
        raise ConfigError(f"m values must lie in [1, {problem.P}]")
    atoms = _atoms(problem, s)
    counts = _counts_first_m(atoms, ms)
    rank = counts @ (atoms.lam > 0)
    defined = regime(rank, n, ridge) != None  # noqa: E711 (object array)
    kinds, xi, t2, out, notes, _ = _batch(atoms, counts[defined], problem, n, s, ridge)
    return Curve(n, s, ridge, ms[defined], xi, t2, out, [int(x) for x in ms[~defined]], notes)
