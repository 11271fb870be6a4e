"""Risk predictions for dense, pruned and retrained models (docs/theory.md#finite-size, #thresholded-risk, #retraining).

Three routes, one set of formulas (all compiled from ``derivations``); the two closed-form routes are routes
of the one pipeline (:func:`dctheory.pipeline.strategy_risks`: :class:`_AtomBatch` in float64,
:class:`_DecimalAtoms` at ``dps`` digits), which also serves the asymptotic law:

* closed form, float64, vectorized: a diagonal Sigma is grouped into atoms
  (distinct (lambda_i, beta_i, oracle membership)) and a batch of feature
  sets D is described by the multiplicity of each atom in D. One call
  evaluates every strategy for every D; :func:`risk_curve` uses it for all m.
* closed form, mpmath, at ``dps`` digits (diagonal Sigma), proven by one pass in Arb balls where python-flint
  is installed, else verified by a second solve at more digits;
* DC sampling for any Sigma (docs/theory.md#thresholded-risk, last item): draw weights
  from the law, prune them exactly (top-s), evaluate the population risk,
  and average; the standard error of that average is reported.

Retraining predictions are for *fresh* retraining (docs/theory.md#retraining):
same-sample retraining is a different quantity.
"""

from __future__ import annotations

import functools
import math
import sys
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Protocol, TypedDict

import mpmath
import numpy as np
from numpy.typing import ArrayLike

from dctheory import backends, kernel
from dctheory._compiled import compiled
from dctheory.checks import check_dps, check_n_ridge, check_scalar
from dctheory.engines import NARROW, log_level, newton_root, prefix_lengths, verified
from dctheory.errors import ConfigError, PrecisionError, RegimeError
from dctheory.finite_size import apply_finite_size, check_finite_size, reference_setting
from dctheory.pipeline import strategy_risks
from dctheory.problems import LGP
from dctheory.results import Curve, Prediction
from dctheory.sample_diagonal import (
    COARSE_GAUSS_FROM_N,
    COARSE_GAUSS_NODES,
    COARSE_GAUSS_SMOOTHNESS,
    GAUSS_FROM_N,
    GAUSS_SMOOTHNESS,
    chi2_rule,
    gauss_rule,
    steepness,
    threshold_start,
    width,
)
from dctheory.sampling import sampled_risks
from dctheory.scalar import MAX_ATOMS, Declined, ScalarAtoms
from dctheory.solvers import OVER, UNDER, has_regime, regime, undefined_message
from dctheory.strategies import (
    DENSE,
    FALLS_BACK_TO_DENSE,
    ORACLE,
    RANDOM,
    RULES,
    STRATEGIES,
    Rule,
    population_twin,
    retrained,
    solved_rules,
)

__all__ = ["STRATEGIES", "Prediction", "Curve", "predict", "risk_curve", "closed_risks"]


class _Float64Backend(Protocol):
    """What the float64 route calls on its backend itself (the kernel receives it as ``bk``): the dense fit's
    solve (n_lambda, xi, tau^2), the sum over atoms and row chunking of :class:`dctheory.backends.NumpyBackend`."""

    def total(self, a: np.ndarray) -> np.ndarray: ...

    def solve_dense(
        self,
        lam: np.ndarray,
        beta: np.ndarray,
        sigma2: np.ndarray,
        n: float,
        ridge: float,
        w: np.ndarray,
        position: np.ndarray | None = None,
    ) -> tuple[Any, Any, np.ndarray]: ...

    def column(self, x: Any) -> np.ndarray: ...

    def by_rows(
        self,
        compute: Callable[..., Any],
        per_row: dict[str, np.ndarray],
        per_atom: dict[str, np.ndarray] | None = None,
        outputs: int = 1,
        rows: np.ndarray | None = None,
    ) -> Any: ...


class _MpBackend(Protocol):
    """What the mpmath route calls on its backend itself (the kernel receives it as ``bk``): vectors of mpf
    (numpy object arrays), the dense fit's solve (n_lambda, xi, tau^2) at the working precision of
    :class:`dctheory.backends.MpBackend`, and its reductions (compiled formulas with a sum, in balls where it can)."""

    def vector(self, values: Any) -> np.ndarray: ...

    def number(self, value: Any) -> Any: ...

    def decimal(self, text: str) -> Any: ...

    def sqrt(self, x: Any) -> Any: ...

    def formula(self, name: str, *args: Any) -> Any: ...

    def sorts(self) -> None: ...

    def reduce(self, name: str, *args: Any, weights: Any = None) -> Any: ...

    def solve_dense(
        self, lam: np.ndarray, beta: np.ndarray, sigma2: Any, n: float, ridge: Any, w: np.ndarray
    ) -> tuple[Any, Any, Any]: ...


NUMPY: _Float64Backend = backends.NUMPY
MP: _MpBackend = backends.MP
BALL: _MpBackend = backends.BALL

#: :func:`_exact_atoms`: representative feature of each atom, multiplicity in D, multiplicity over all P,
#: oracle flag (per atom) and the atom of each feature
_ExactAtoms = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


class _ClosedView(TypedDict):
    """One float64 closed-form prediction in the problem's units (:func:`_predict_closed`)."""

    kind: str
    xi: float
    tau2: float
    risks: dict[str, float]
    notes: dict[str, str]
    thresholds: dict[str, float | None]


# ---------------------------------------------------------------------------
# Atoms: a diagonal problem grouped into distinct coordinates
# ---------------------------------------------------------------------------

# Inputs whose scale lies outside [2^-64, 2^64] are rescaled by powers of two (exact) before solving.
_SCALE_WINDOW = 64


@dataclass(frozen=True)
class _Atoms:
    """Distinct coordinates (lambda_i, beta_i) of a diagonal problem, rescaled, with the oracle set D* of one s.

    Coordinates that differ only in their membership of D* share an atom: every closed form but the
    oracle risk depends on (lambda_i, beta_i) alone, and the oracle risk is linear in the membership o_i,
    so it is evaluated with each atom's fraction of copies in D* (an equal-beta spiked model then has two
    atoms, not three, for the whole curve).

    The problem is solved in units where the largest eigenvalue and the signal are of order 1:
    lambda / 4^j, beta 2^j / 2^h and sigma / 2^h (powers of two, so exact). Risks are homogeneous
    of degree 2 in (beta, sigma) and the problem is invariant under (lambda, beta, ridge, xi) ->
    (lambda / c, beta sqrt(c), ridge / c, xi c), so results are scaled back exactly:
    risks by 4^h, xi by 4^-j (``risk_exponent`` = 2h, ``xi_exponent`` = -2j)."""

    lam: np.ndarray  # (K,)
    beta: np.ndarray  # (K,)
    total: np.ndarray  # (K,) multiplicity over all P features
    label: np.ndarray  # (P,) atom of each feature
    in_oracle: np.ndarray  # (P,) True on D*
    oracle: np.ndarray  # (K,) fraction of the atom's copies in D* (0 or 1 unless D* splits the atom)
    sigma: float
    lam_exponent: int  # lambda here = lambda * 2^lam_exponent (ridge likewise)
    risk_exponent: int
    xi_exponent: int
    beta_exponent: int  # beta here = beta * 2^beta_exponent


def _exponent(value: float) -> int:
    """e with value = f 2^e, f in [0.5, 1); 0 for values inside the window (no rescaling)."""
    if value == 0 or 2.0**-_SCALE_WINDOW <= value <= 2.0**_SCALE_WINDOW:
        return 0
    return int(np.frexp(value)[1])


def _spectrum(problem: LGP) -> np.ndarray:
    """The eigenvalues of a diagonal Sigma (the closed forms; every caller has checked ``is_diagonal``)."""
    if problem.eigenvalues is None:  # pragma: no cover
        raise ConfigError("the closed forms need a diagonal covariance; use predict(..., method='sampling')")
    return problem.eigenvalues


def _scaled(problem: LGP) -> tuple[np.ndarray, np.ndarray, float, int, int, int]:
    """(lambda, beta, sigma, lam_exponent, beta_exponent, risk_exponent) in units of order 1."""
    eigenvalues = _spectrum(problem)
    j = _exponent(float(np.max(eigenvalues))) // 2
    lam = np.ldexp(eigenvalues, -2 * j)
    with np.errstate(over="ignore"):
        beta = np.ldexp(problem.beta, j)
        signal = max(problem.sigma, float(np.max(np.abs(beta) * np.sqrt(lam))))
    if not np.isfinite(signal):
        raise RegimeError(
            f"beta and the eigenvalues (largest {np.max(eigenvalues):.3g}) give a signal beyond "
            f"the float64 range (~1.8e308); use dps"
        )
    h = _exponent(signal)
    return lam, np.ldexp(beta, -h), float(np.ldexp(problem.sigma, -h)), -2 * j, j - h, 2 * h


def _oracle_mask(problem: LGP, s: int) -> np.ndarray:
    """1.0 on D* (:meth:`LGP.oracle_set`), 0 elsewhere, shape (P,)."""
    oracle = np.zeros(problem.P)
    oracle[problem.oracle_set(s)] = 1.0
    return oracle


# Atoms per problem and sparsity (a problem's inputs are read-only, so they cannot go stale); a few s each.
_ATOMS: weakref.WeakKeyDictionary[LGP, OrderedDict[int, _Atoms]] = weakref.WeakKeyDictionary()
_ATOMS_PER_PROBLEM = 8


def _atoms(problem: LGP, s: int) -> _Atoms:
    """The problem's atoms for sparsity s (the oracle set depends on s), computed once and cached."""
    cache = _ATOMS.setdefault(problem, OrderedDict())
    atoms = cache.get(s)
    if atoms is None:
        atoms = cache[s] = _group_atoms(problem, s)
        while len(cache) > _ATOMS_PER_PROBLEM:
            cache.popitem(last=False)
    else:
        cache.move_to_end(s)
    return atoms


def _group_atoms(problem: LGP, s: int) -> _Atoms:
    lam, beta, sigma, lam_exponent, beta_exponent, risk_exponent = _scaled(problem)
    keys = np.stack([lam, beta], axis=1)
    # Group equal rows: a stable lexicographic sort, so each group's first sorted element is its first feature.
    order = np.lexsort((beta, lam))
    ordered = keys[order]
    new = np.ones(problem.P, dtype=bool)
    new[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    group = np.cumsum(new) - 1
    first = order[new]
    # Order atoms by first appearance, so that the first m features use a prefix of the atoms.
    by_first = np.argsort(first, kind="stable")
    rank = np.empty_like(by_first)
    rank[by_first] = np.arange(by_first.size)
    label = np.empty(problem.P, dtype=int)
    label[order] = rank[group]
    unique = ordered[new][by_first]
    total = np.bincount(label, minlength=len(unique)).astype(float)
    in_oracle = _oracle_mask(problem, s) > 0
    arrays = (
        unique[:, 0].copy(),
        unique[:, 1].copy(),
        total,
        label,
        in_oracle,
        np.bincount(label[in_oracle], minlength=len(unique)) / total,
    )
    for array in arrays:
        array.setflags(write=False)  # shared by every call that reads the cache
    return _Atoms(*arrays, sigma, lam_exponent, risk_exponent, lam_exponent, beta_exponent)


def _split_by_oracle(atoms: _Atoms) -> bool:
    """Whether D* splits an atom (some of its copies in D*, some not)."""
    return bool(np.any((atoms.oracle > 0) & (atoms.oracle < 1)))


def _counts_first_m(atoms: _Atoms, ms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(B, K): the multiplicity of each atom among the first m features, for each m; and the membership of
    D* for the oracle risk: per atom (K,), or, where D* splits an atom, per row the fraction of the atom's
    copies among the first m that lie in D* (B, K).

    O(P + B K): the atom counts of the features between consecutive sorted m, accumulated.
    """
    order = np.argsort(ms, kind="stable")
    # Feature j (0-based) is first counted in the first sorted row with m > j.
    first_row = np.searchsorted(ms[order], np.arange(atoms.label.size), side="right")
    inside = first_row < ms.size

    def counted(features: np.ndarray) -> np.ndarray:
        between = np.zeros((ms.size, atoms.lam.size))
        np.add.at(between, (first_row[features], atoms.label[features]), 1.0)
        counts = np.cumsum(between, axis=0, out=between)  # in place: a curve's (B, K) is large
        return counts if np.all(order == np.arange(order.size)) else counts[np.argsort(order)]

    counts = counted(inside)
    if not _split_by_oracle(atoms):
        return counts, atoms.oracle
    in_oracle = counted(inside & atoms.in_oracle)
    return counts, np.divide(in_oracle, counts, out=in_oracle, where=counts > 0)


def _counts_of(atoms: _Atoms, features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(B, K): the multiplicity of each atom among the features of each row of ``features`` ((m,): one row,
    or (B, m)); and the membership of D*, as in :func:`_counts_first_m` (per atom, or (B, K) fractions
    among each row's features where D* splits an atom)."""
    K = atoms.lam.size
    rows = np.atleast_2d(features)
    offset = K * np.arange(rows.shape[0])[:, None]

    def count(chosen: np.ndarray) -> np.ndarray:  # one bincount for every row: atom k of row b is b K + k
        return np.bincount((offset + atoms.label[rows])[chosen], minlength=rows.shape[0] * K).reshape(-1, K)

    counts = count(np.ones(rows.shape, dtype=bool)).astype(float)
    if not _split_by_oracle(atoms):
        return counts, atoms.oracle
    in_oracle = count(atoms.in_oracle[rows]).astype(float)
    return counts, np.divide(in_oracle, counts, out=np.zeros_like(counts), where=counts > 0)


# ---------------------------------------------------------------------------
# Closed forms, float64, batched over feature sets
# ---------------------------------------------------------------------------


def _batch(
    atoms: _Atoms,
    counts: np.ndarray,
    oracle: np.ndarray,
    n: int,
    s: int,
    ridge: float,
    *,
    first_m: np.ndarray | None = None,
    features: np.ndarray | None = None,
    starts: dict[str, np.ndarray] | None = None,
    rules: tuple[Rule, ...] = RULES,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray], dict[str, str], dict[str, np.ndarray]]:
    """All strategies for a batch of feature sets given as atom counts (B, K), in the atoms' units
    (see :class:`_Atoms`; ``ridge`` already rescaled): the pipeline (:func:`dctheory.pipeline.strategy_risks`)
    on the float64 route :class:`_AtomBatch`. ``starts``: per pruning rule, first guesses (B,) of the threshold
    roots t (speed only). ``rules``: the pruning rules to evaluate (the others' risks are left NaN). Returns
    (regimes, xi, tau^2, risks, notes, thresholds)."""
    route = _AtomBatch(
        atoms, counts, oracle, n, s, ridge, first_m=first_m, features=features, starts=starts, rules=rules
    )
    out = strategy_risks(NUMPY, route)
    return route.kinds, route.xi, route.t2, out, route.notes, route.thresholds


class _AtomBatch:
    """The float64 route of the pipeline: B feature sets given as atom counts (B, K), in the atoms' units.

    ``oracle``: the membership of D*, per atom (K,) or per row (B, K) (:func:`_counts_first_m`). The feature
    sets themselves, for the one rule that needs more than counts (ties of exact coefficients are kept in
    feature order): the first ``first_m[i]`` features of row i, or ``features`` for every row. The steps
    split the rows by regime (overparameterized or ridge, underparameterized, undefined), by whether there is
    anything to prune, and by degeneracy (zero variance: the top-s rule); the kernel does the work.
    (B, K) arrays are large: they are evaluated in cache-sized chunks of rows (``by_rows``), never copied
    whole for a subset of rows."""

    #: the pruning rules to evaluate (:func:`dctheory.pipeline.strategy_risks`)
    rules: tuple[Rule, ...] = RULES

    # Per row (B,) or (B, K), set by ``dense``: sigma_D, rank of Sigma_DD, m, regime, xi, tau^2, whether the
    # row has a regime, each coordinate's law (mean, sd and the sd the formulas evaluate), the counts of
    # atoms with lambda > 0; per rule, the threshold t; ``rows``: the pruned rows (``nothing_to_prune``).
    sigma_D: np.ndarray
    rank: np.ndarray
    m: np.ndarray
    kinds: np.ndarray
    xi: np.ndarray
    t2: np.ndarray
    thresholds: dict[str, np.ndarray]
    fitted: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    sd_eval: np.ndarray
    live: np.ndarray
    rows: np.ndarray
    kept_of: dict[str, np.ndarray | None]

    def __init__(
        self,
        atoms: _Atoms,
        counts: np.ndarray,
        oracle: np.ndarray,
        n: int,
        s: int,
        ridge: float,
        *,
        first_m: np.ndarray | None = None,
        features: np.ndarray | None = None,
        starts: dict[str, np.ndarray] | None = None,
        rules: tuple[Rule, ...] = RULES,
    ) -> None:
        self.rules = rules
        self.atoms, self.counts, self.oracle_membership = atoms, counts, oracle
        self.n, self.s, self.ridge, self.first_m, self.features = n, s, ridge, first_m, features
        self.starts = starts
        self.notes: dict[str, str] = {}
        # per rule, its retrained risks (rows,) and note, when computed with another rule's (``retrain``)
        self.retrained_of: dict[str, tuple[np.ndarray, str | None]] = {}

    @staticmethod
    def _of(rows: np.ndarray, a: np.ndarray) -> np.ndarray:
        # No copy when a mask selects every row (e.g. every row with a ridge).
        return a if rows.all() else a[rows]

    def dense(self, bk: _Float64Backend) -> dict[str, np.ndarray]:
        atoms, counts, n, ridge = self.atoms, self.counts, self.n, self.ridge
        lam, beta = atoms.lam, atoms.beta
        B = counts.shape[0]
        positive = lam > 0
        sigma2_D = kernel.effective_noise(bk, atoms.sigma, lam, beta, atoms.total - counts)
        self.sigma_D = sigma_D = np.sqrt(sigma2_D)
        self.rank = rank = counts @ positive.astype(float)
        self.m = m = counts.sum(axis=1)
        self.kinds = regime(rank, n, ridge)
        nan = np.full(B, np.nan)
        out = {name: nan.copy() for name in STRATEGIES}
        self.xi, self.t2 = xi, t2 = nan.copy(), nan.copy()
        self.thresholds = {rule.name: nan.copy() for rule in RULES}  # per rule, t of the threshold t c_i per row
        # The regimes of ``kinds`` as masks (solvers.regime: a ridge makes every row RIDGE, solved like OVER).
        over = np.ones(B, dtype=bool) if ridge > 0 else rank > n
        under = np.zeros(B, dtype=bool) if ridge > 0 else rank < n - 1
        self.fitted = over | under
        mean = np.zeros_like(counts) if not over.all() else None
        sd = np.zeros_like(counts) if not over.all() else None
        if over.any():
            counts_over = self._of(over, counts)
            spectra = np.broadcast_to(lam, counts_over.shape)
            size, xi[over], t2[over] = bk.solve_dense(  # size: n_lambda with a ridge
                spectra, beta, sigma2_D[over], n, ridge, counts_over, position=m[over]
            )
            out[DENSE][over] = t2[over]
            mean_over, sd_over = kernel.coordinate_law(
                bk, OVER, lam, beta, n=bk.column(size), xi=xi[over], tau2=t2[over]
            )
            if over.all():
                mean, sd = mean_over, sd_over
            else:
                assert mean is not None and sd is not None  # allocated above: not every row is overparameterized
                mean[over], sd[over] = mean_over, sd_over
        if under.any():
            out[DENSE][under] = compiled("underparameterized_risk")(sigma_D[under], n, rank[under])
            assert mean is not None and sd is not None  # allocated above: not every row is overparameterized
            mean[under], sd[under] = kernel.coordinate_law(
                bk, UNDER, lam, beta, n=n, sigma_D=sigma_D[under], rank=rank[under]
            )
        assert mean is not None and sd is not None  # None only for an empty batch (B = 0), which no caller makes
        self.mean, self.sd = mean, sd
        self.sd_eval = kernel.evaluation_sd(bk, lam, sd)
        self.live = counts * positive if not positive.all() else counts
        return out

    def oracle(self, bk: _Float64Backend, out: dict[str, np.ndarray]) -> None:
        # The oracle risk is linear in the membership o_i of D*: an atom with copies on both sides takes the
        # fraction in D*.
        fitted, of, atoms = self.fitted, self._of, self.atoms
        fitted_rows = {
            "w": of(fitted, self.counts),
            "mean": of(fitted, self.mean),
            "sd": of(fitted, self.sd_eval),
            "sigma_D": self.sigma_D[fitted],
        }
        atom_arrays = {"lam": atoms.lam, "beta": atoms.beta}
        if self.oracle_membership.ndim == 2:
            fitted_rows["in_oracle"] = of(fitted, self.oracle_membership)
        else:
            atom_arrays["in_oracle"] = self.oracle_membership
        out[ORACLE][fitted] = bk.by_rows(
            lambda a, k: kernel.oracle_risk(
                bk, a["sigma_D"], k["lam"], {**k, **a}["in_oracle"], a["mean"], a["sd"], k["beta"], a["w"]
            ),
            fitted_rows,
            atom_arrays,
        )

    def nothing_to_prune(self, bk: _Float64Backend, out: dict[str, np.ndarray]) -> bool:
        # Rows with nothing to prune (rank <= s) keep the dense model.
        prune = self.fitted & (self.rank > self.s)
        keep_all = self.fitted & ~prune
        for name in FALLS_BACK_TO_DENSE:
            out[name][keep_all] = out[DENSE][keep_all]
        # The pruned rows are evaluated in place (``rows`` of by_rows and of the threshold solve).
        self.rows = np.flatnonzero(prune)
        return self.rows.size == 0

    def random(self, bk: _Float64Backend, out: dict[str, np.ndarray]) -> None:
        s, atoms = self.s, self.atoms
        out[RANDOM][self.rows] = bk.by_rows(
            lambda a, k: kernel.random_risk(
                bk, a["sigma_D"], s, a["m"], k["lam"], a["mean"], a["sd"], k["beta"], a["w"]
            ),
            {"w": self.live, "mean": self.mean, "sd": self.sd_eval, "sigma_D": self.sigma_D, "m": self.m},
            {"lam": atoms.lam, "beta": atoms.beta},
            rows=self.rows,
        )

    def prune(self, bk: _Float64Backend, out: dict[str, np.ndarray]) -> dict[str, np.ndarray | None]:
        """Per rule, the expected kept count per atom (rows, K), its thresholded (or exact top-s) risk written."""
        atoms, s, rows, live, mean, sd = self.atoms, self.s, self.rows, self.live, self.mean, self.sd
        lam, beta = atoms.lam, atoms.beta
        exact = kernel.deterministic(bk, lam, sd, live)[rows]  # zero variance: the top-s rule
        smooth_rows, exact_rows = rows[~exact], rows[exact]
        safe_lam = np.where(lam > 0, lam, 1.0)
        # with the population twins of the sample-diagonal rules: their roots seed and bracket those rules'
        scale = {rule.name: rule.scale(bk, safe_lam) for rule in solved_rules(self.rules)}
        per_row = {"w": live, "mean": mean, "sd": self.sd_eval, "sigma_D": self.sigma_D}
        starts = None if self.starts is None else {name: t[smooth_rows] for name, t in self.starts.items()}
        pruned = _pruned(per_row, scale, lam, beta, s, smooth_rows, self.rank[smooth_rows], starts) if scale else {}
        for rule in self.rules:
            if rule.sample_diagonal:
                pruned[rule.name] = _pruned_sample_diagonal(
                    per_row,
                    rule,
                    safe_lam,
                    lam,
                    beta,
                    s,
                    smooth_rows,
                    self.rank[smooth_rows],
                    self.n,
                    t_population=pruned[population_twin(rule).name][0],
                    starts=None if starts is None else starts.get(rule.name),
                )
        for name, (t, _, _) in pruned.items():  # every rule solved, twins included: a curve's next starts
            self.thresholds[name][smooth_rows] = t
        kept_of: dict[str, np.ndarray | None] = {}
        for rule in self.rules:
            name = rule.name
            kept = np.zeros((rows.size, lam.size)) if exact.any() else None  # expected kept count per atom
            if smooth_rows.size:
                self.thresholds[name][smooth_rows], kept_s, out[name][smooth_rows] = pruned[name]
                if kept is None:
                    kept = kept_s
                else:
                    kept[~exact] = kept_s
            if exact.any():
                # Exact coefficients: the top s by score, the sample diagonal taken at its mean lambda_i.
                live_e, mean_e = live[exact_rows], mean[exact_rows]
                score = rule.score(lam, mean_e)
                score = score * (live_e > 0) - (live_e == 0)
                kept_e = kernel.top_s(bk, live_e, score, s)
                tied, r = kernel.cutoff_ties(live_e, score, kept_e)
                assert kept is not None  # allocated above: some rows are exact
                kept[exact] = _ties_in_feature_order(
                    kept_e,
                    tied,
                    r,
                    atoms.label,
                    first_m=None if self.first_m is None else self.first_m[exact_rows],
                    features=self.features
                    if self.features is None or self.features.ndim == 1
                    else self.features[exact_rows],
                )
                fraction = np.divide(kept[exact], live_e, out=np.zeros_like(live_e), where=live_e > 0)
                out[name][exact_rows] = kernel.kept_fraction_risk(
                    bk, self.sigma_D[exact_rows], lam, fraction, mean_e, sd[exact_rows], beta, live_e
                )
            kept_of[name] = kept
        self.kept_of = kept_of
        return kept_of

    def retrain(self, bk: _Float64Backend, rule: Rule, kept: np.ndarray, out: dict[str, np.ndarray]) -> None:
        """Fresh retraining on the rule's kept support. A single prediction retrains every rule at once (their
        kept rows stacked: one xi solve serves them all, and at that size a solve costs per call, not per row)
        where the rules keep the same prefix of atoms, so that each row's sums, and its result, are the same."""
        name = retrained(rule.name)
        if rule.name not in self.retrained_of:
            kept_of = {rule.name: kept}
            if self.rows.size == 1:
                width = prefix_lengths(kept)[0]
                for other, rows in self.kept_of.items():
                    if rows is not None and prefix_lengths(rows)[0] == width:
                        kept_of[other] = rows
            rules = list(kept_of)
            stacked = np.concatenate(list(kept_of.values())) if len(rules) > 1 else kept
            risks, note = _retrained(
                self.atoms, stacked, self.n, self.s, self.ridge, position=np.tile(self.m[self.rows], len(rules))
            )
            for j, other in enumerate(rules):
                self.retrained_of[other] = (risks[j * self.rows.size : (j + 1) * self.rows.size], note)
        out[name][self.rows], note = self.retrained_of.pop(rule.name)
        if note:
            self.notes[name] = note


def _ties_in_feature_order(
    kept: np.ndarray,
    tied: np.ndarray,
    r: np.ndarray,
    label: np.ndarray,
    *,
    first_m: np.ndarray | None = None,
    features: np.ndarray | None = None,
) -> np.ndarray:
    """``kept`` (R, K) of :func:`kernel.top_s` with each tie at the cutoff (``tied``, ``r`` of
    :func:`kernel.cutoff_ties`) kept in feature order, the rule DC sampling applies: of the tied atoms'
    copies in D, the first r. D is the first ``first_m[i]`` features (row i of a curve) or ``features``
    (in the order given: (m,) for every row, or (R, m), row i's own); ``label`` is the atom of each feature."""
    rows = np.flatnonzero(np.any(tied, axis=-1))
    if rows.size == 0:
        return kept
    kept = kept.copy()
    if features is not None:
        for i in rows:
            D = features if features.ndim == 1 else features[i]
            copies = D[tied[i][label[D]]]  # the tied copies in D, in order
            taken = np.bincount(label[copies[: int(r[i])]], minlength=tied.shape[-1])
            kept[i, tied[i]] = taken[tied[i]]
        return kept
    # First m features: rows with the same tied atoms share one pass over the features. The r-th tied copy
    # sits at the first feature where the running count of tied copies reaches r; each tied atom keeps its
    # copies up to there.
    groups: dict[bytes, list[np.intp]] = {}
    for i in rows:
        groups.setdefault(tied[i].tobytes(), []).append(i)
    for group in map(np.array, groups.values()):
        atoms_tied = np.flatnonzero(tied[group[0]])
        last = np.searchsorted(np.cumsum(np.isin(label, atoms_tied)), np.rint(r[group].astype(float)))
        for k in atoms_tied:
            kept[group, k] = np.cumsum(label == k)[last]
    return kept


def _kept_and_risk(a: dict[str, np.ndarray], k: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kept counts, their row sums and the thresholded risk at thresholds t c_i (``by_rows`` chunks; c per
    atom, or per row where the rows of both pruning rules are stacked)."""
    c = a["c"] if "c" in a else k["c"]
    thresholds = a["t"][:, None] * c
    counts_kept = kernel.kept_counts(NUMPY, thresholds, a["mean"], a["sd"], a["w"])
    return (
        counts_kept,
        NUMPY.total(counts_kept),
        kernel.thresholded_risk(NUMPY, a["sigma_D"], k["lam"], thresholds, a["mean"], a["sd"], k["beta"], a["w"]),
    )


def _pruned(
    per_row: dict[str, np.ndarray],
    scale: dict[str, np.ndarray],
    lam: np.ndarray,
    beta: np.ndarray,
    s: int,
    rows: np.ndarray,
    position: np.ndarray,
    starts: dict[str, np.ndarray] | None = None,
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per pruning rule (name -> c_i): its thresholds, kept counts and risk on the given rows (``starts``: per
    rule, first guesses of the threshold roots on those rows, e.g. from a curve's earlier chunks).

    A narrow batch (both rules together at most ``NARROW`` values, e.g. one prediction, or a curve of a
    few atoms) is one stack of both rules: its thresholds are one solve (each Newton step serves both, and
    at that size a step costs per call, not per value) and its kept counts and risks one evaluation.
    Wider batches go one rule at a time, each warm-started along its own curve, without copying their rows.
    The thresholds are solved unchecked (``kernel.threshold``): the kept counts' row sums are the check
    (``kernel.threshold_missed``), and rows that miss s are solved again, checked, and evaluated again."""
    names, K = list(scale), lam.size
    if rows.size == 0:
        return {name: (np.zeros(0), np.zeros((0, K)), np.zeros(0)) for name in names}
    law = {key: per_row[key] for key in ("w", "mean", "sd")}
    atoms = {"lam": lam, "beta": beta}
    if len(names) * rows.size * K <= NARROW:
        stacked = {key: np.concatenate([v[rows]] * len(names)) for key, v in per_row.items()}
        stacked["c"] = np.concatenate([np.broadcast_to(scale[name], (rows.size, K)) for name in names])
        stacked["t"] = kernel.threshold(
            NUMPY,
            {key: stacked[key] for key in (*law, "c")},
            {},
            s,
            position=np.concatenate([position] * len(names)),
            check=False,
            start=None if starts is None or set(names) - set(starts) else np.concatenate([starts[n] for n in names]),
        )

        def parts(x: np.ndarray) -> list[np.ndarray]:  # the stacked rows, rule by rule (views)
            return [x[j * rows.size : (j + 1) * rows.size] for j in range(len(names))]

        roots = dict(zip(names, parts(stacked["t"])))
        evaluated = NUMPY.by_rows(_kept_and_risk, stacked, atoms, outputs=3)
        results = dict(zip(names, zip(*(parts(x) for x in evaluated))))
    else:
        roots, results = {}, {}
        for name in names:
            t = np.full(per_row["w"].shape[0], np.nan)
            t[rows] = roots[name] = kernel.threshold(
                NUMPY,
                law,
                {"c": scale[name]},
                s,
                position=position,
                check=False,
                rows=rows,
                start=None if starts is None else starts.get(name),
            )
            results[name] = NUMPY.by_rows(
                _kept_and_risk, {**per_row, "t": t}, {**atoms, "c": scale[name]}, outputs=3, rows=rows
            )
    out = {}
    for name in names:
        kept, total, risk = results[name]
        t = roots[name]
        missed = np.flatnonzero(kernel.threshold_missed(total, s))
        if missed.size:
            again = rows[missed]
            t[missed] = kernel.threshold(NUMPY, law, {"c": scale[name]}, s, position=position[missed], rows=again)
            t_full = np.full(per_row["w"].shape[0], np.nan)
            t_full[again] = t[missed]
            kept[missed], _, risk[missed] = NUMPY.by_rows(
                _kept_and_risk, {**per_row, "t": t_full}, {**atoms, "c": scale[name]}, outputs=3, rows=again
            )
        out[name] = (t, kept, risk)
    return out


#: float64 values of one chunk of expanded (rows, atoms x nodes) arrays of the sample-diagonal rule
_EXPANDED_BUDGET = 2**22
#: a Gaussian term more than this many sds from its threshold is exactly 0 or 1 in float64, and so is every
#: term of the keep-sum and the risk built from it (Q(40) and phi(40) underflow to 0)
_SATURATED_SDS = 40.0
#: rows of more (atoms x nodes) values than this are evaluated node by node. Measured (CPU seconds, the curve of
#: every m with the hessian rule alone), with the node-by-node rows started along the curve: power law, n = 0.3 P,
#: P = 20 0.0096 against 0.017 expanded (the bound NARROW = 8192), P = 100 0.058 against 0.077, P = 200 0.12
#: against 0.18; 8 levels, P = 200, n = 5 (1800 values) 0.058 against 0.072; a bound of 512 put 8 levels at
#: n = 20 (624 values) node by node, 0.040 against 0.027 expanded; a 2-atom curve of 500 points, batched over
#: its rows when expanded, stays expanded (0.008 s; row by row 0.054)
_BY_NODES_FROM = 1024
#: node-by-node rows expand their atoms over all nodes at once up to this many values, else one node at a time
_FLAT_PART = 2**16
#: the most a steep atom's trapezoidal step is refined (:func:`_pruned_sample_diagonal_by_nodes`)
MAX_REFINE = 256
#: node-by-node roots stop after a Newton step below ROOT_STEP relative (the root then lies within about
#: (x g''/ g') ROOT_STEP^2 of the iterate), or a Halley step below HALLEY_STEP (within about C HALLEY_STEP^3,
#: C of the order of (x g'' / g')^2), and are accepted when the kept total at them says so (``ROOT_MISS``,
#: :meth:`_NodeSums.resolved`), else stepped on to steps of 1e-14
ROOT_STEP = 1e-8
HALLEY_STEP = 1e-6
ROOT_MISS = 1e-15


def _pruned_sample_diagonal(
    per_row: dict[str, np.ndarray],
    rule: Rule,
    safe_lam: np.ndarray,
    lam: np.ndarray,
    beta: np.ndarray,
    s: int,
    rows: np.ndarray,
    position: np.ndarray,
    n: int,
    t_population: np.ndarray,
    starts: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_pruned` for a rule that scores with the sample diagonal h_i = lambda_i u_i, u_i ~ chi^2_n / n
    (:mod:`dctheory.sample_diagonal`): each atom becomes one atom per node u_q of the quadrature rule of
    chi^2_n / n, with weight w_i omega_q, scale c(lambda_i u_q), and the atom's law, eigenvalue and
    coefficient. The keep-sum and the risk are linear in the weights, so this is the average over u_i of
    the population rule's terms. Returns (thresholds, kept counts per atom (rows, K), risks).

    Rows are evaluated in chunks of about ``_EXPANDED_BUDGET`` values; rows wider than ``_BY_NODES_FROM``
    values, and rows with an atom steeper than the rule resolves (:func:`dctheory.sample_diagonal.steepness`),
    node by node
    (:func:`_pruned_sample_diagonal_by_nodes`; the rows it cannot solve are expanded where the rule resolves
    them). ``t_population``: the roots of the rule's population twin
    (:func:`dctheory.strategies.population_twin`) on these rows: node-by-node rows take their bracket from
    them, and every row its first guess (:func:`dctheory.sample_diagonal.threshold_start`). ``starts``: first
    guesses of the roots on these rows (e.g. extrapolated from a curve's earlier chunks), for node-by-node rows
    with no earlier row of their own."""
    nodes, omega = chi2_rule(n)
    Q, K = nodes.size, lam.size
    t, kept, risk = np.zeros(rows.size), np.zeros((rows.size, K)), np.zeros(rows.size)
    if K * Q > _BY_NODES_FROM:
        by_nodes = np.ones(rows.size, dtype=bool)
    else:
        by_nodes = np.any(steepness(_width(per_row, rule, rows), nodes) > 1, axis=1)
    if by_nodes.any():
        t[by_nodes], kept[by_nodes], risk[by_nodes], failed = _pruned_sample_diagonal_by_nodes(
            per_row,
            rule,
            safe_lam,
            lam,
            beta,
            s,
            rows[by_nodes],
            position[by_nodes],
            n,
            t_population[by_nodes],
            None if starts is None else starts[by_nodes],
        )
        if failed.any():
            # rows the node-by-node steps could not solve are expanded, where the threshold's check brackets
            # them, if the rule resolves them and they fit the budget
            again = np.flatnonzero(by_nodes)[failed]
            if K * Q > _EXPANDED_BUDGET or np.any(steepness(_width(per_row, rule, rows[again]), nodes) > 1):
                raise RegimeError(f"the sample-diagonal Hessian threshold did not converge (s = {s})")
            by_nodes[again] = False
    if by_nodes.all():
        return t, kept, risk
    expanded_rows = np.flatnonzero(~by_nodes)
    scale = {rule.name: rule.scale(NUMPY, (safe_lam[:, None] * nodes).ravel())}
    expanded_lam, expanded_beta = np.repeat(lam, Q), np.repeat(beta, Q)
    chunk = max(1, _EXPANDED_BUDGET // (K * Q))
    for start in range(0, expanded_rows.size, chunk):
        part = expanded_rows[start : start + chunk]
        block = rows[part]
        expanded = {
            "w": (per_row["w"][block][:, :, None] * omega).reshape(block.size, K * Q),
            "mean": np.repeat(per_row["mean"][block], Q, axis=1),
            "sd": np.repeat(per_row["sd"][block], Q, axis=1),
            "sigma_D": per_row["sigma_D"][block],
        }
        guesses = {rule.name: threshold_start(t_population[part], n, rule.scale_power)}
        t[part], kept_expanded, risk[part] = _pruned(
            expanded, scale, expanded_lam, expanded_beta, s, np.arange(block.size), position[part], guesses
        )[rule.name]
        kept[part] = kept_expanded.reshape(block.size, K, Q).sum(axis=2)
    return t, kept, risk


def _width(per_row: dict[str, np.ndarray], rule: Rule, rows: np.ndarray | np.intp) -> np.ndarray:
    """(rows, K), or (K,) for one row: each atom's :func:`dctheory.sample_diagonal.width`, infinite at weight 0
    (its steepness 0)."""
    widths = width(per_row["sd"][rows], per_row["mean"][rows], rule.scale_power)
    return np.where(per_row["w"][rows] > 0, widths, np.inf)


def _pruned_sample_diagonal_by_nodes(
    per_row: dict[str, np.ndarray],
    rule: Rule,
    safe_lam: np.ndarray,
    lam: np.ndarray,
    beta: np.ndarray,
    s: int,
    rows: np.ndarray,
    position: np.ndarray,
    n: int,
    t_population: np.ndarray,
    starts: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_pruned_sample_diagonal` one row at a time with (K,) arrays (and which rows it could not solve, a
    boolean array: their root not found in the bracket, or missing s, as where the twin's root is itself no
    exact root: a keep-sum that drops by two coordinates at once): the keep-sum and the risk are sums
    over the nodes of the population rule's sums with the scales c(lambda_i u_q) and weights w_i omega_q,
    evaluated a node at a time where the atoms are many, so memory stays that of the population rule.

    The root is bracketed: with c(lambda u) = c(lambda) u^-p (p = ``scale_power``), node q's keep-sum is
    the population keep-sum at t u_q^-p, which lies between its values at t u_min^-p and t u_max^-p, so the
    root lies in [t_pop u_min^p, t_pop u_max^p] (t_pop: ``t_population``, the roots of the rule's population
    twin). Safeguarded steps on g = log(K / s) (:func:`dctheory.engines.newton_root`: bisection where a step
    would leave the bracket or not halve) from the previous rows' roots along a curve (:func:`_start_along_rows`),
    else from ``starts`` (e.g. extrapolated from a curve's earlier chunks), else from t_pop / E[u^-p]
    (:func:`dctheory.sample_diagonal.threshold_start`): Newton steps where the
    previous row started within ``ROOT_STEP`` of its root (consecutive m: one evaluation), else Halley steps
    (m far apart: one evaluation where Newton's took two), to a step below ``ROOT_STEP`` or ``HALLEY_STEP``;
    the kept total of the final evaluation then checks the root (:meth:`_NodeSums.resolved`), and a root it
    refuses is stepped on to steps of 1e-14 relative (measured: no row refused on the power-law curves of the
    benchmarks).
    Every threshold tried lies in the bracket, so atom i's thresholds t c(lambda_i u_q) lie in
    t_pop c(lambda_i) [(u_min / u_max)^p, (u_max / u_min)^p]. Then

    * an atom whose mean is more than ``_SATURATED_SDS`` sds from that whole range has every term exactly
      0 or 1 at every node, and is evaluated once, at the population scale; an atom of weight 0 (past the
      row's m) not at all (measured on the 50-point power-law curve at P = 20,000, n = 6000, s = 4800: 38% of
      the (row, atom) pairs have weight 0, and 28 of the 473,189 others are saturated);
    * an atom steeper than the rule resolves (its :func:`dctheory.sample_diagonal.steepness` above 1) is
      evaluated with the rule's
      step refined by the steepest such atom's factor (at most ``MAX_REFINE``);
    * from n = ``GAUSS_FROM_N``, an atom at least ``GAUSS_SMOOTHNESS`` sds of v wide is evaluated with
      the 16-node Gauss rule (:func:`dctheory.sample_diagonal.gauss_rule`) instead of the 34 or more
      nodes of the trapezoidal rule, and from n = ``COARSE_GAUSS_FROM_N`` an atom at least
      ``COARSE_GAUSS_SMOOTHNESS`` sds wide with the 8-node one; their nodes lie inside the trapezoidal rule's
      range, so the bracket holds."""
    K = lam.size
    nodes, omega = chi2_rule(n)
    population = rule.scale(NUMPY, safe_lam)
    p = rule.scale_power
    spread = (nodes[-1] / nodes[0]) ** p
    t, kept, risk = np.zeros(rows.size), np.zeros((rows.size, K)), np.zeros(rows.size)
    failed = np.zeros(rows.size, dtype=bool)
    offset = math.inf  # how far the previous row's first guess was from its root, relative
    for j, row in enumerate(rows):
        row_law = {key: per_row[key][row] for key in ("w", "mean", "sd")}
        size, sd = np.abs(row_law["mean"]), row_law["sd"]
        active = (t_population[j] * population / spread - size <= _SATURATED_SDS * sd) & (
            size - t_population[j] * population * spread <= _SATURATED_SDS * sd
        )
        active &= row_law["w"] > 0
        widths = _width(per_row, rule, row)  # (K,): one row at a time, for memory
        steep_by = steepness(widths, nodes)
        steep = active & (steep_by > 1)
        smooth = active & (widths >= GAUSS_SMOOTHNESS * math.sqrt(2 / n)) & (n >= GAUSS_FROM_N)
        smoother = smooth & (widths >= COARSE_GAUSS_SMOOTHNESS * math.sqrt(2 / n)) & (n >= COARSE_GAUSS_FROM_N)
        groups = [(active & ~steep & ~smooth, nodes, omega)]
        if (smooth & ~smoother).any():
            groups.append((smooth & ~smoother, *gauss_rule(n)))
        if smoother.any():
            groups.append((smoother, *gauss_rule(n, COARSE_GAUSS_NODES)))
        if steep.any():
            refine = min(MAX_REFINE, math.ceil(float(steep_by[steep].max())))
            groups.append((steep, *chi2_rule(n, refine=refine)))
        sums = _NodeSums(row_law, population, safe_lam, rule, ~active & (row_law["w"] > 0), groups)

        low, high = t_population[j] * nodes[0] ** p, t_population[j] * nodes[-1] ** p
        start = _start_along_rows(t[:j], t_population[: j + 1], position[: j + 1])
        if not low < start < high and starts is not None:
            start = float(starts[j])
        if not low < start < high:
            start = float(threshold_start(t_population[j], n, p))
        # Halley steps unless the previous row started within a Newton step's reach of its root
        halley = not offset <= ROOT_STEP
        level = functools.partial(sums.log_level, s=s, curvature=halley)
        x = newton_root(level, low, high, start, increasing=False, rtol=HALLEY_STEP if halley else ROOT_STEP)
        if x is not None:
            kept[j], total = sums.kept_and_risk(x, lam, beta)
            if not sums.resolved(x, float(kept[j].sum()), s):  # the safeguard: steps to rounding, as once
                x = newton_root(level, low, high, x, increasing=False, rtol=1e-14)
                if x is not None:
                    kept[j], total = sums.kept_and_risk(x, lam, beta)
        if x is None or kernel.threshold_missed(kept[j].sum(), s):
            failed[j], t[j], offset = True, math.nan, math.inf  # left to the caller
            continue
        t[j] = x
        offset = abs(x / start - 1)
        risk[j] = total + float(per_row["sigma_D"][row]) ** 2  # sigma_D^2 added last, as the formula does
    return t, kept, risk, failed


def _start_along_rows(roots: np.ndarray, t_population: np.ndarray, position: np.ndarray) -> float:
    """A first guess of the last row's root from the ``roots`` of the rows before it, along a curve: the ratio
    of each root to its population twin's (``t_population``, one more: the last row's too) varies smoothly
    with the ``position`` (m), so the line through the last two ratios, times the last row's t_pop (the last
    ratio where two rows share a position; NaN without an earlier row). Measured on the power-law curve of
    P = 2000 (n = 600, s = 480, every m): 8e-10 relative from the root in the median, 7e-8 at most, where the
    last ratio alone is 6e-7 and :func:`dctheory.sample_diagonal.threshold_start` 3e-3; at P = 20,000, 50
    points (m 408 apart): 1.3e-7, 5e-7 at most."""
    j = roots.size
    if j == 0:
        return math.nan
    ratio = roots[j - 1] / t_population[j - 1]
    if j >= 2 and position[j - 1] != position[j - 2]:
        before = roots[j - 2] / t_population[j - 2]
        ratio += (ratio - before) / (position[j - 1] - position[j - 2]) * (position[j] - position[j - 1])
    return float(ratio * t_population[j])


class _NodeSums:
    """The sums over atoms and nodes of :func:`_pruned_sample_diagonal_by_nodes` for one row, in pieces of at
    most ``_FLAT_PART`` values (cache-sized: measured, numpy's passes over 600,000 values cost 1.5 times as
    much per value as over 65,536): each piece is some atoms at some nodes, each atom repeated over them
    with the weights w_i omega_q, as (1, N) arrays. The ``single`` atoms are evaluated at the population
    scale; each group of atoms over its own nodes and weights, all at once where that is at most
    ``_FLAT_PART`` values, else a block of atoms at one node at a time, formed when used (memory of a few
    (K,) arrays)."""

    def __init__(
        self,
        law: dict[str, np.ndarray],
        population: np.ndarray,
        safe_lam: np.ndarray,
        rule: Rule,
        single: np.ndarray,
        groups: list[tuple[np.ndarray, np.ndarray, np.ndarray]],
    ) -> None:
        self.law, self.safe_lam, self.rule, self.K = law, safe_lam, rule, population.size
        self.slope = math.nan  # g' at the last log_level evaluation
        # fixed pieces: (law, scales, atom indices, their standardized arrays)
        self.fixed: list[tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, dict[str, np.ndarray]]] = []
        self._fix({key: v[None] for key, v in law.items()}, population, np.arange(self.K), np.flatnonzero(single))
        self.by_node: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (atoms, nodes, weights)
        for mask, nodes, omega in groups:
            atoms = np.flatnonzero(mask)
            if atoms.size * nodes.size > _FLAT_PART:
                self.by_node.append((atoms, nodes, omega))
            elif atoms.size:
                self.add(atoms, nodes, omega)

    def _fix(self, a: dict[str, np.ndarray], c: np.ndarray, atoms: np.ndarray, take: np.ndarray | None) -> None:
        """Fix the values ``take`` of the (1, N) law ``a`` with scales ``c`` (N,) of these ``atoms`` (N,) as pieces
        (``take`` None: all N, in order, as views)."""
        blocks = _blocks(take) if take is not None else [slice(i, i + _FLAT_PART) for i in range(0, c.size, _FLAT_PART)]
        for block in blocks:
            piece = {key: v[:, block] for key, v in a.items()}
            with np.errstate(over="ignore"):  # w q^2 past float64 is capped (as in NumpyBackend.root_decreasing)
                arrays = kernel.standardized(NUMPY, {**piece, "c": c[block]}, curvature=True)
            self.fixed.append((piece, c[block], atoms[block], arrays))

    def add(self, atoms: np.ndarray, nodes: np.ndarray, omega: np.ndarray) -> None:
        """Add the given atoms over their own nodes and weights."""
        count = nodes.size
        a = {
            "w": (self.law["w"][atoms][:, None] * omega).reshape(1, -1),
            "mean": np.repeat(self.law["mean"][atoms], count)[None],
            "sd": np.repeat(self.law["sd"][atoms], count)[None],
        }
        c = self.rule.scale(NUMPY, (self.safe_lam[atoms][:, None] * nodes).ravel())
        self._fix(a, c, np.repeat(atoms, count), None)

    def pieces(
        self,
    ) -> Iterator[tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, dict[str, np.ndarray] | None]]:
        """(law as (1, N) arrays, scales (N,), atom indices (N,), standardized arrays or None) of every piece."""
        yield from self.fixed
        for atoms, nodes, omega in self.by_node:
            for block in _blocks(atoms):
                law = {key: v[block][None] for key, v in self.law.items()}
                lam = self.safe_lam[block]
                for u, weight in zip(nodes, omega):
                    yield {**law, "w": law["w"] * weight}, self.rule.scale(NUMPY, lam * u), block, None

    def keep_sum(self, x: float, curvature: bool = False) -> tuple[float, float, float]:
        """The keep-sum at threshold x and its first two derivatives in x (the second 0 without
        ``curvature``)."""
        value = slope = second = 0.0
        for a, c, _, arrays in self.pieces():
            if arrays is None:
                with np.errstate(over="ignore"):  # as in _fix
                    arrays = kernel.standardized(NUMPY, {**a, "c": c}, curvature)
            out = kernel.keep_excess(NUMPY, np.array([x]), arrays, 0.0, with_slope=True, curvature=curvature)
            value, slope = value + float(out[0][0]), slope + float(out[1][0])
            if curvature:
                second += float(out[2][0])
        return value, slope, second

    def log_level(self, x: float, s: float, curvature: bool = False) -> tuple[float, float]:
        """g = log(K / s) at threshold x and its derivative in x (the equation of the threshold root). With
        ``curvature`` the derivative times Halley's factor h = 1 - g g'' / (2 g'^2) where h lies in [1/2, 2]
        (else 1), so that the Newton step -g / (g' h) is Halley's, whose error after a step dx is of order
        dx^3 rather than dx^2 (as ``NumpyBackend.level_root`` steps narrow batches)."""
        kept_total, slope, second = self.keep_sum(x, curvature)
        g, self.slope, step_slope = log_level(kept_total, slope, second if curvature else None, s)
        return g, step_slope

    def resolved(self, x: float, kept_total: float, s: float) -> bool:
        """Whether x is the root to float64 rounding, judged by the kept total at x (from
        :meth:`kept_and_risk`): |g(x)| = |log(kept_total / s)| at most ``ROOT_MISS`` max(1, |x g'|), with g' the
        slope of the last :meth:`log_level` evaluation. That is a root within ``ROOT_MISS`` relative (the
        Newton correction g / g'), or a kept total within ``ROOT_MISS`` relative of s, the rounding of the sum
        itself."""
        miss = abs(math.log(max(kept_total, 1e-300) / s))
        return miss <= ROOT_MISS * max(1.0, abs(x * self.slope))

    def kept_and_risk(self, x: float, lam: np.ndarray, beta: np.ndarray) -> tuple[np.ndarray, float]:
        """The expected kept count per atom (K,) and the risk's sum over the atoms (sigma_D^2 left out)."""
        kept, total = np.zeros(self.K), 0.0
        for a, c, index, _ in self.pieces():
            kept_q, _, terms = _kept_and_risk(
                {**a, "sigma_D": np.zeros(1), "t": np.array([x])}, {"lam": lam[index], "beta": beta[index], "c": c}
            )
            kept += np.bincount(index, kept_q[0], minlength=self.K)
            total += float(terms[0])
        return kept, total


def _blocks(values: np.ndarray) -> list[np.ndarray]:
    """``values`` in consecutive blocks of at most ``_FLAT_PART``."""
    return [values[start : start + _FLAT_PART] for start in range(0, values.size, _FLAT_PART)]


def _retrained(
    atoms: _Atoms, kept: np.ndarray, n: int, s: int, ridge: float, position: np.ndarray | None = None
) -> tuple[np.ndarray, str | None]:
    """Fresh-retraining risk on a support kept with expected multiplicities ``kept`` (docs/theory.md#retraining).

    ``position``: the rows' m, for warm starts of the xi solves (speed only)."""
    lam, beta = atoms.lam, atoms.beta
    kind: str | None = regime(np.array(float(s)), n, ridge).item()
    if kind == UNDER:
        # sum over all P features of lam beta^2 (1 - pi): class averages pi = kept / total.
        average_keep = kept / atoms.total
        return compiled("retrained_risk")(atoms.sigma, n, s, lam, beta, average_keep, weights=atoms.total), None
    if kind is None:
        return np.full(kept.shape[0], np.nan), undefined_message(s, n) + " (retraining keeps s features)"
    # s > n or ridge: the dense risk of the kept spectrum, multiplicities kept.
    sigma2_S = kernel.effective_noise(NUMPY, atoms.sigma, lam, beta, np.maximum(atoms.total - kept, 0.0))
    spectra = np.broadcast_to(lam, kept.shape)
    # tau^2 with n_lambda of S
    _, _, risk = NUMPY.solve_dense(spectra, beta, sigma2_S, n, ridge, kept, position=position)
    return risk, None


# ---------------------------------------------------------------------------
# Closed forms at arbitrary precision (diagonal Sigma)
# ---------------------------------------------------------------------------

SAMPLE_DIAGONAL_FLOAT64 = (
    "Hessian pruning with the sample diagonal is predicted in float64 only (its average over chi^2_n/n "
    "is not verified at high precision); hessian_population carries the verified digits"
)


def _exact_atoms(problem: LGP, features: np.ndarray, s: int) -> _ExactAtoms:
    """The features grouped by their exact inputs (eigenvalue and coefficient as the decimals they print as,
    and oracle membership), in order of first appearance, as :class:`_Atoms` groups them in float64.

    Returns (representative feature of each atom, multiplicity in D, multiplicity over all P, oracle flag,
    atom of each feature), the middle three as float arrays of length K."""
    lam, beta = problem.decimal("eigenvalues"), problem.decimal("beta")
    oracle = _oracle_mask(problem, s)
    inside = np.zeros(problem.P, dtype=bool)
    inside[features] = True
    atom_of: dict[tuple[Any, Any, float], int] = {}
    first: list[int] = []
    label = np.empty(problem.P, dtype=int)
    for i, key in enumerate(zip(lam, beta, oracle)):
        if key not in atom_of:
            atom_of[key] = len(first)
            first.append(i)
        label[i] = atom_of[key]
    K = len(first)
    in_D = np.bincount(label[inside], minlength=K).astype(float)
    total = np.bincount(label, minlength=K).astype(float)
    return np.array(first), in_D, total, oracle[first], label


def _predict_mp(
    problem: LGP, features: np.ndarray, n: int, s: int, ridge: float, dps: int, rules: tuple[Rule, ...] = RULES
) -> tuple[str, Any, Any, dict[str, Any], dict[str, str]]:
    """Every strategy of the pruning ``rules`` at dps digits: proven by one pass in balls (:func:`_proven`), else
    verified by two solves (:func:`_verified_twice`). The float64 thresholds seed the Newton steps (the float64
    prediction that gives them leaves out the sample-diagonal rules, which have no risk at dps digits).

    Features with equal inputs are evaluated once, with their multiplicity as the weight (the kernel's
    atoms), so the cost grows with the number of distinct coordinates, not with P."""
    rank_float = int(np.count_nonzero(_spectrum(problem)[features] > 0))
    kind: str | None = regime(np.array(rank_float), n, ridge).item()
    if kind is None:
        raise RegimeError(undefined_message(rank_float, n))
    seeds: dict[str, float | None]
    notes: dict[str, str]
    try:
        seeded = tuple(rule for rule in rules if not rule.sample_diagonal)
        float_view = _predict_closed(problem, features, n, s, ridge, seeded)
        seeds, notes = float_view["thresholds"], float_view["notes"]
    except RegimeError:  # float64 cannot represent or resolve this problem; mpmath can
        seeds, notes = {}, {}
    atoms = _exact_atoms(problem, features, s)
    dps = check_dps(dps)

    def route(starts: dict[str, Any]) -> _DecimalAtoms:
        return _DecimalAtoms(problem, features, atoms, n, s, ridge, kind, starts, rules)

    proven = _proven(route, seeds, dps)
    xi, value, risks = proven if proven is not None else _verified_twice(route, seeds, dps)
    for rule in rules:
        if rule.sample_diagonal:
            for name in (rule.name, retrained(rule.name)):
                if risks.get(name) is None:
                    notes[name] = SAMPLE_DIAGONAL_FLOAT64
    for name in (retrained(rule.name) for rule in rules):
        if risks.get(name) is None and rank_float > s:
            notes.setdefault(name, undefined_message(s, n) + " (retraining keeps s features)")
    return kind, xi, value, risks, notes


# Digits above ``dps`` at which :func:`_proven` computes (its balls have ``backends.PROOF_GUARD_BITS`` more).
PROOF_GUARD = 10


def _proven(
    route_of: Callable[[dict[str, Any]], _DecimalAtoms], seeds: dict[str, Any], dps: int
) -> tuple[Any, Any, dict[str, Any]] | None:
    """(xi, tau^2, risks) at ``dps`` proven digits of the route ``route_of(seeds)`` (the feature set D, with the
    thresholds' first guesses) from one pass in balls (:class:`dctheory.backends.BallBackend` at
    dps + ``PROOF_GUARD`` digits), or None where python-flint is missing, a root is not enclosed
    (:class:`dctheory.backends.Uncertified`) or an output's ball is wider than ``dps`` digits allow (the caller
    then verifies by two solves). Every regime is taken: ridgeless m < n - 1 too, whose coordinate means are
    the coefficients themselves (their (mu - beta)^2 is a ball around 0, squared by a product).

    What is proven: every decimal input is read into a ball that contains it; xi is enclosed by certain
    opposite signs of its increasing equation at two exact points; each rule's threshold by the interval
    Newton operator (N = x - f(x) / f'(T) inside T proves the one root of T in N), or else by certain
    opposite signs of its decreasing keep-sum at two exact points; every output is a compiled formula
    evaluated in balls on those balls, so each output ball contains the exact value of the finite-size
    formulas for the exact inputs. A midpoint is returned when its ball's radius is at most 10^-(dps + 1)
    of its size (relative accuracy ``rel_accuracy_bits``), so the midpoint is the exact value to ``dps``
    significant digits (the number of digits a radius proves is floor(bits log10 2)). Not proven: the
    formulas themselves (the theory), and nothing rests on the float64 first guesses but where the steps
    start."""
    if backends._ball_function("thresholded_risk") is None:
        return None  # without python-flint: the two solves
    flint = backends._FLINT[0]
    try:
        with mpmath.workdps(dps + PROOF_GUARD):
            with flint.ctx.workprec(mpmath.mp.prec + backends.PROOF_GUARD_BITS):
                route = route_of(seeds)
                with backends.ball_memo():
                    risks = strategy_risks(BALL, route)
    except (backends.Uncertified, ArithmeticError, PrecisionError):
        # not enclosed, or an mpmath solve inside the pass gave up at this precision: the two solves, which
        # retry with more guard digits and raise if those do not agree either
        return None
    needed = math.ceil((dps + 1) * math.log2(10)) + 1
    balls = [route.xi, route.value, *risks.values()]
    if any(ball is not None and ball.rel_accuracy_bits() < needed for ball in balls):
        return None
    with mpmath.workdps(dps + 15):  # the precision of the two solves' result

        def point(ball: Any) -> Any:
            return None if ball is None else backends._midpoint(ball)

        return point(route.xi), point(route.value), {name: point(ball) for name, ball in risks.items()}


def _verified_twice(
    route_of: Callable[[dict[str, Any]], _DecimalAtoms], seeds: dict[str, Any], dps: int
) -> tuple[Any, Any, dict[str, Any]]:
    """(xi, tau^2, risks) at ``dps`` verified digits of the route ``route_of(first guesses)``: two solves, at
    dps + 5 and dps + 15 digits, that must agree (:func:`dctheory.engines.verified`; where :func:`_proven` cannot
    prove them)."""
    # The verification's second run, at more digits, starts its Newton steps from the first run's thresholds:
    # good to its digits, so one step (quadratic convergence) reaches the higher precision.
    roots: dict[str, Any] = {}

    def compute() -> tuple[Any, Any, dict[str, Any]]:
        route = route_of({**seeds, **roots})
        with backends.ball_memo():
            risks = strategy_risks(MP, route)
        roots.update(route.roots)
        return route.xi, route.value, risks

    result: tuple[Any, Any, dict[str, Any]] = verified(compute, dps, "prediction")
    return result


class _DecimalAtoms:
    """The mpmath route of the pipeline: one feature set D at the working precision, its features grouped by
    their exact inputs (:func:`_exact_atoms`: representative feature, multiplicity in D and over all P, oracle
    flag, atom of each feature), with the regime ``kind`` of D and ``seeds`` (first guesses of the thresholds
    per rule: float64 roots, or the roots of a run at fewer digits). ``roots``: the thresholds it solved."""

    #: the pruning rules to evaluate (:func:`dctheory.pipeline.strategy_risks`)
    rules: tuple[Rule, ...]

    # mpf (None where underparameterized): xi and the dense risk tau^2, set by ``dense``
    xi: Any
    value: Any

    def __init__(
        self,
        problem: LGP,
        features: np.ndarray,
        atoms: _ExactAtoms,
        n: int,
        s: int,
        ridge: float,
        kind: str,
        seeds: dict[str, Any],
        rules: tuple[Rule, ...] = RULES,
    ) -> None:
        self.problem, self.features, self.n, self.s, self.ridge, self.kind, self.seeds, self.rules = (
            problem,
            features,
            n,
            s,
            ridge,
            kind,
            seeds,
            rules,
        )
        self.first, self.in_D, self.total, self.oracle_flag, self.label = atoms
        self.used = np.flatnonzero(self.in_D > 0)  # the atoms of D
        self.roots: dict[str, Any] = {}

    def dense(self, bk: _MpBackend) -> dict[str, Any]:
        problem, first, in_D, total, used, n = self.problem, self.first, self.in_D, self.total, self.used, self.n
        lam_text, beta_text = problem.decimal("eigenvalues"), problem.decimal("beta")
        self.lam_all = lam_all = bk.vector([bk.decimal(lam_text[i]) for i in first])
        self.beta_all = beta_all = bk.vector([bk.decimal(beta_text[i]) for i in first])
        self.sigma = bk.decimal(problem.decimal("sigma"))
        self.total_mp, self.w = bk.vector(total), bk.vector(in_D[used])
        sigma2_D = kernel.effective_noise(bk, self.sigma, lam_all, beta_all, bk.vector(total - in_D))
        self.lam, self.beta = lam, beta = lam_all[used], beta_all[used]
        self.ridge_mp = bk.decimal(repr(self.ridge))
        self.sigma_D = sigma_D = bk.sqrt(sigma2_D)
        self.positive = positive = lam > 0
        self.rank = rank = int(np.sum(in_D[used][positive.astype(bool)]))
        if self.kind == UNDER:
            self.xi = self.value = None
            dense = bk.formula("underparameterized_risk", sigma_D, n, rank)
            self.mean, self.sd = kernel.coordinate_law(bk, UNDER, lam, beta, n=n, sigma_D=sigma_D, rank=rank)
        else:
            size, self.xi, dense = bk.solve_dense(lam, beta, sigma2_D, n, self.ridge_mp, self.w)  # size: n_lambda
            self.value = dense
            self.mean, self.sd = kernel.coordinate_law(bk, self.kind, lam, beta, n=size, xi=self.xi, tau2=self.value)
        self.sd_eval = kernel.evaluation_sd(bk, lam, self.sd)
        return {DENSE: dense}

    def oracle(self, bk: _MpBackend, risks: dict[str, Any]) -> None:
        risks[ORACLE] = kernel.oracle_risk(
            bk,
            self.sigma_D,
            self.lam,
            bk.vector(self.oracle_flag[self.used]),
            self.mean,
            self.sd_eval,
            self.beta,
            self.w,
        )

    def nothing_to_prune(self, bk: _MpBackend, risks: dict[str, Any]) -> bool:
        if self.rank > self.s:
            return False
        for name in FALLS_BACK_TO_DENSE:
            risks[name] = risks[DENSE]  # nothing to prune; the oracle still zeroes D minus D*
        return True

    def random(self, bk: _MpBackend, risks: dict[str, Any]) -> None:
        risks[RANDOM] = kernel.random_risk(
            bk, self.sigma_D, self.s, len(self.features), self.lam, self.mean, self.sd_eval, self.beta, self.w
        )

    def prune(self, bk: _MpBackend, risks: dict[str, Any]) -> dict[str, np.ndarray | None]:
        """Per rule, the expected kept count per atom over all P (atoms outside D: 0)."""
        lam, mean, sd_eval, positive, s = self.lam, self.mean, self.sd_eval, self.positive, self.s
        live = np.where(positive, self.w, bk.number(0))
        exact = kernel.deterministic(bk, lam, self.sd, live)
        kept_of: dict[str, np.ndarray | None] = {}
        for rule in self.rules:
            name = rule.name
            if rule.sample_diagonal:
                # float64 only: its average over chi^2_n / n needs about (digits / sqrt(n))^2 nodes (measured:
                # over 800 at n = 5 and 30 digits, 53 s for a 2-atom problem); :data:`SAMPLE_DIAGONAL_FLOAT64`
                risks[name] = None
                kept_of[name] = None
                continue
            if exact:
                bk.sorts()
                score = np.where(positive, rule.score(lam, mean), -1)
                kept_in_D = kernel.top_s(bk, live, score, s)
                tied, r = kernel.cutoff_ties(live, score, kept_in_D)
                used_label = np.full(len(self.first), -1)
                used_label[self.used] = np.arange(self.used.size)
                kept_in_D = _ties_in_feature_order(
                    kept_in_D[None], tied[None], np.atleast_1d(r), used_label[self.label], features=self.features
                )[0]
                fraction = np.array([k / x if x > 0 else mpmath.mpf(0) for k, x in zip(kept_in_D, live)], dtype=object)
                risks[name] = kernel.kept_fraction_risk(bk, self.sigma_D, lam, fraction, mean, sd_eval, self.beta, live)
            else:
                scale = rule.scale(bk, np.where(positive, lam, bk.number(1)))
                t = kernel.threshold(
                    bk, {"w": live, "mean": mean, "sd": sd_eval}, {"c": scale}, s, start=self.seeds.get(name)
                )
                self.roots[name] = t
                thresholds = scale * t
                risks[name] = kernel.thresholded_risk(
                    bk, self.sigma_D, lam, thresholds, mean, sd_eval, self.beta, self.w
                )
                kept_in_D = kernel.kept_counts(bk, thresholds, mean, sd_eval, live)
            kept = np.array([bk.number(0)] * len(self.first), dtype=object)  # expected kept count per atom
            kept[self.used] = kept_in_D
            kept_of[name] = kept
        return kept_of

    def retrain(self, bk: _MpBackend, rule: Rule, kept: np.ndarray | None, risks: dict[str, Any]) -> None:
        n, s, name = self.n, self.s, retrained(rule.name)
        if kept is None:  # a rule the route does not evaluate (the sample diagonal)
            risks[name] = None
            return
        kind_s: str | None = regime(np.array(s), n, self.ridge).item()
        lam_all, beta_all, total_mp = self.lam_all, self.beta_all, self.total_mp
        if kind_s == UNDER:
            average_keep = np.array([k / x for k, x in zip(kept, total_mp)], dtype=object)
            risks[name] = bk.reduce(
                "retrained_risk", self.sigma, n, s, lam_all, beta_all, average_keep, weights=total_mp
            )
        elif kind_s is None:
            risks[name] = None
        else:
            sigma2_S = kernel.effective_noise(bk, self.sigma, lam_all, beta_all, total_mp - kept)
            # tau^2 with n_lambda of S
            _, _, risks[name] = bk.solve_dense(lam_all, beta_all, sigma2_S, n, self.ridge_mp, kept)


# ---------------------------------------------------------------------------
# Public entry points
# ---------------------------------------------------------------------------


def _check_common(problem: object, n: object, s: object, ridge: object) -> tuple[int, int, float]:
    if not isinstance(problem, LGP):
        raise ConfigError(f"problem must be a dctheory.LGP, got {type(problem).__name__}")
    n, ridge = check_n_ridge(n, ridge)
    s = check_scalar("s", s, low=1, high=problem.P, integer=True)
    return n, s, ridge


def _predict_closed(
    problem: LGP, features: np.ndarray, n: int, s: int, ridge: float, rules: tuple[Rule, ...] = RULES
) -> _ClosedView:
    """The float64 prediction of one feature set for the pruning ``rules`` (the others' risks NaN, their
    thresholds None): the scalar route where it takes the input, else a batch of one row."""
    atoms = _atoms(problem, s)
    scaled_ridge = math.ldexp(ridge, atoms.lam_exponent)
    if atoms.lam.size <= MAX_ATOMS:
        if features.size == problem.P:  # every feature (distinct, in any order): the atoms' totals, and D* in them
            in_D, in_oracle = atoms.total, atoms.oracle
        else:
            counts, oracle = _counts_of(atoms, features)
            in_D, in_oracle = counts[0], oracle[0] if oracle.ndim == 2 else oracle
        view = _predict_scalar(atoms, in_D, in_oracle, n, s, scaled_ridge, rules)
        if view is not None:
            return view
    counts, oracle = _counts_of(atoms, features)
    kinds, xi, t2, out, notes, thresholds = _batch(
        atoms, counts, oracle, n, s, scaled_ridge, features=features, rules=rules
    )
    if kinds[0] is None:
        raise RegimeError(undefined_message(float(counts[0] @ (atoms.lam > 0)), n))
    left_out = _left_out(rules)
    out = {name: values for name, values in out.items() if name not in left_out}
    xi, t2, out = _unscaled(atoms, xi, t2, out)
    _check_numbers(out, notes)
    # The float64 thresholds (in the problem's units) seed the mpmath route's Newton steps.
    # t c_i is in units of beta, c_i ~ lambda_i^-p: t scales with 2^-(beta_exponent + p lam_exponent).
    seeds = {
        rule.name: np.ldexp(thresholds[rule.name], -int(atoms.beta_exponent + rule.scale_power * atoms.lam_exponent))
        for rule in RULES
    }
    return {
        "kind": kinds[0],
        "xi": xi[0],
        "tau2": t2[0],
        "risks": {k: v[0] for k, v in out.items()},
        "notes": notes,
        "thresholds": {name: (None if np.isnan(t[0]) else float(t[0])) for name, t in seeds.items()},
    }


def _predict_scalar(
    atoms: _Atoms,
    counts: np.ndarray,
    oracle: np.ndarray,
    n: int,
    s: int,
    ridge: float,
    rules: tuple[Rule, ...] = RULES,
) -> _ClosedView | None:
    """:func:`_predict_closed` of one feature set (atom counts (K,), D* membership (K,)) on the scalar route
    (:class:`dctheory.scalar.ScalarAtoms`, ``ridge`` in the atoms' units); None where that route declines the
    input, or where the float64 route is to raise its error (a risk beyond the float64 range, a NaN)."""
    route = ScalarAtoms(
        atoms.lam.tolist(),
        atoms.beta.tolist(),
        atoms.total.tolist(),
        counts.tolist(),
        oracle.tolist(),
        atoms.sigma,
        n,
        s,
        ridge,
        rules,
    )
    try:
        left_out = _left_out(rules)
        out = {name: value for name, value in strategy_risks(None, route).items() if name not in left_out}
        # _unscaled and _check_numbers, for floats: back in the problem's units (math.ldexp raises past the
        # float64 range), refused where a risk is beyond it or NaN without a note (to the float64 route, which
        # raises its error)
        risks = {name: math.ldexp(value, atoms.risk_exponent) for name, value in out.items()}
        xi, tau2 = math.ldexp(route.xi, atoms.xi_exponent), math.ldexp(route.tau2, atoms.risk_exponent)
        # the thresholds in the problem's units, as the float64 route gives them (the mpmath route's seeds)
        seeds = {
            rule.name: math.ldexp(
                route.thresholds[rule.name], -int(atoms.beta_exponent + rule.scale_power * atoms.lam_exponent)
            )
            for rule in RULES
        }
    except (Declined, ArithmeticError, ValueError):  # math's overflow, division by zero and domain errors
        return None
    tiny = sys.float_info.min
    for name, value in risks.items():
        if (out[name] != 0 and abs(value) < tiny) or (math.isnan(value) and name not in route.notes):
            return None
    return _ClosedView(
        kind=route.kind,
        xi=xi,
        tau2=tau2,
        risks=risks,
        notes=route.notes,
        thresholds={name: (None if math.isnan(t) else t) for name, t in seeds.items()},
    )


def closed_risks(
    problem: LGP,
    supports: np.ndarray,
    n: int,
    s: int,
    ridge: float,
    dps: int | None = None,
    rules: tuple[str, ...] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Every strategy's closed-form risk for training on each row of ``supports`` (B, m) and pruning to s
    (a diagonal Sigma; the batch of feature sets of :func:`predict` with ``m`` an index array, row by row).

    Rows with the same atom counts (and D* membership) have the same risks and are evaluated once. float64:
    one vectorized evaluation of those (the route of :func:`risk_curve`); with ``dps``: one mpmath prediction
    each at dps verified digits (object arrays of mpf). ``rules``: the names of the pruning rules to evaluate
    (None: all; the others and their retraining are left out of the result). Returns
    (strategy -> (B,) risks, NaN or None where undefined; notes).

    Raises:
        RegimeError: a row of ridgeless rank in [n - 1, n], or a risk beyond float64 (use dps).
    """
    supports = np.atleast_2d(supports)
    atoms = _atoms(problem, s)
    counts, oracle = _counts_of(atoms, supports)
    keys = np.concatenate([counts, np.broadcast_to(oracle, counts.shape)], axis=1)
    first, inverse = _distinct_rows(keys)
    chosen, left_out = _chosen_rules(rules)
    if dps is not None:
        values: dict[str, list[Any]] = {name: [] for name in STRATEGIES if name not in left_out}
        notes: dict[str, str] = {}
        for row in supports[first]:
            _kind, _xi, _t2, risks, row_notes = _predict_mp(problem, row, n, s, ridge, dps, chosen)
            notes.update(_without(row_notes, left_out))
            for name, column in values.items():
                column.append(risks[name])
        return {name: np.array(v, dtype=object)[inverse] for name, v in values.items()}, notes
    counts = counts[first]
    scaled_ridge = float(np.ldexp(ridge, atoms.lam_exponent))
    kinds, xi, t2, out, notes, _ = _batch(
        atoms,
        counts,
        oracle[first] if oracle.ndim == 2 else oracle,
        n,
        s,
        scaled_ridge,
        features=supports[first],
        rules=chosen,
    )
    if any(kind is None for kind in kinds):
        raise RegimeError(undefined_message(float(counts[list(kinds).index(None)] @ (atoms.lam > 0)), n))
    out = {name: values for name, values in out.items() if name not in left_out}
    xi, t2, out = _unscaled(atoms, xi, t2, out)
    _check_numbers(out, notes)
    return {name: values[inverse] for name, values in out.items()}, notes


def _chosen_rules(rules: object) -> tuple[tuple[Rule, ...], set[str]]:
    """(the pruning rules named by ``rules``, in :data:`RULES` order; the strategies they leave out: the other
    rules and their retraining). None: every rule; an empty sequence: none (dense, oracle and random only).
    Unknown names are refused with the valid ones."""
    if rules is None:
        return RULES, set()
    names = (rules,) if isinstance(rules, str) else tuple(rules) if isinstance(rules, (list, tuple)) else None
    valid = [rule.name for rule in RULES]
    if names is None or any(name not in valid for name in names):
        raise ConfigError(f"rules = {rules!r}: give names among {', '.join(valid)} (None: all of them)")
    chosen = tuple(rule for rule in RULES if rule.name in names)
    return chosen, _left_out(chosen)


def _left_out(rules: tuple[Rule, ...]) -> set[str]:
    """The strategies that evaluating only the pruning ``rules`` leaves out: the other rules and their retraining."""
    return {name for rule in RULES if rule not in rules for name in (rule.name, retrained(rule.name))}


def _distinct_rows(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(first, inverse) of ``np.unique(keys, axis=0, return_index=True, return_inverse=True)`` for a float
    array (B, L) without negative zeros or NaNs, in the same order: rows told apart by their bytes (one 1-d
    ``np.unique``), then sorted as ``axis=0`` sorts them. ``axis=0`` builds a structured dtype of L fields,
    about 45 ms for one row at L = 20,000 (closed_risks on 10,000 distinct features), where this takes
    microseconds."""
    if keys.shape[0] == 1:
        return np.zeros(1, dtype=np.intp), np.zeros(1, dtype=np.intp)
    rows = np.ascontiguousarray(keys)
    whole = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
    _, first, inverse = np.unique(whole, return_index=True, return_inverse=True)
    order = np.lexsort(rows[first].T[::-1])  # lexicographic, first column first
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return first[order], rank[inverse.ravel()]


def _check_numbers(out: dict[str, np.ndarray], notes: dict[str, str]) -> None:
    """A risk left NaN without a note explaining it is a numerical failure: refuse rather than print it."""
    for name, values in out.items():
        if name not in notes and np.isnan(values).any():
            raise RegimeError(
                f"the {name} risk could not be evaluated in float64 for this input; use dps (e.g. dps=30)"
            )


def _unscaled(
    atoms: _Atoms, xi: np.ndarray, t2: np.ndarray, out: dict[str, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """xi, tau^2 and the risks back in the problem's units (see :class:`_Atoms`)."""
    scaled = np.stack([t2, *out.values()])  # tau^2 and the risks, one row each
    with np.errstate(over="ignore", under="ignore"):
        xi = np.ldexp(xi, atoms.xi_exponent)
        values = np.ldexp(scaled, atoms.risk_exponent)
    if np.isinf(values).any():  # tau^2 and the risks
        raise RegimeError(
            "the risks exceed the float64 range (~1.8e308): beta or sigma is too large for float64 "
            "(results are right for risks up to ~1e300); use dps"
        )
    # A risk below the normal float64 range is a subnormal with fewer than 15 digits, or 0: refused like
    # an overflow (a risk that is 0 in the problem's units, beta = 0 with sigma = 0, stays an exact 0).
    if np.any((scaled != 0) & (np.abs(values) < np.finfo(float).tiny)):
        raise RegimeError(
            "the risks fall below the float64 range (~2.2e-308): beta and sigma are too small for "
            "float64 (results are right for risks down to ~1e-300); use dps"
        )
    return xi, values[0], dict(zip(out, values[1:]))


def predict(
    problem: LGP,
    n: int,
    m: ArrayLike | None = None,
    s: int | None = None,
    ridge: float = 0.0,
    *,
    dps: int | None = None,
    method: str = "auto",
    samples: int = 2000,
    rng: np.random.Generator | None = None,
    finite_size: str = "none",
    rules: str | Sequence[str] | None = None,
) -> Prediction:
    """Predicted risk of every strategy when training on the first ``m`` features.

    Args:
        problem: the LGP.
        n: samples (>= 2).
        m: the number of trained features (the first m), or an index array D; default P.
        s: sparsity target (number of kept weights), 1 <= s <= P; required (as in the CLI's configs).
        ridge: ridge strength (docs/theory.md#finite-size, ridge).
        dps: None for float64, else that many verified digits (closed forms, diagonal Sigma).
        method: "closed" (diagonal Sigma), "sampling" (DC sampling, any Sigma) or "auto".
        samples: number of DC samples for "sampling".
        rng: numpy Generator for "sampling" (default: seeded with 0, for reproducibility).
        finite_size: "none" (default: the DC prediction) or "fitted": multiply each risk by the
            EMPIRICAL factor (1 + c/n), c measured by Monte Carlo in the reference settings of
            docs/finite-size.md (fixed P/n, k/n, s/n, two spectrum classes; :mod:`dctheory.finite_size`),
            its uncertainty in ``Prediction.finite_size`` and added in quadrature to ``stderr``.
        rules: the pruning rules to predict, by name, as in :func:`risk_curve` (default all): the others and
            their retraining are left out of the prediction, and the closed forms do not evaluate them (DC
            sampling prunes by every rule and drops the others' risks).

    Returns:
        :class:`Prediction`.

    Raises:
        ConfigError: bad arguments; RegimeError: ridgeless m in [n - 1, n], or
        finite_size="fitted" outside the settings where the coefficients were measured.
    """
    if s is None:
        raise ConfigError("s (the number of kept weights, 1 <= s <= P) is required")
    check_finite_size(finite_size, dps)
    n, s, ridge = _check_common(problem, n, s, ridge)
    chosen, left_out = _chosen_rules(rules)
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
        kind, xi, t2, risks, notes = _predict_mp(problem, features, n, s, ridge, dps, chosen)
        risks, notes = _without(risks, left_out), _without(notes, left_out)
        for name, value in risks.items():
            if value is None:
                notes.setdefault(name, undefined_message(s, n))
        # (finite_size="fitted" with dps was refused above: the correction is float64)
        return Prediction(
            n, features.size, s, ridge, kind, xi, t2, risks, dict.fromkeys(risks, 0), "closed", dps, notes
        )
    if method == "closed":
        view = _predict_closed(problem, features, n, s, ridge, chosen)
        risks = {k: (None if math.isnan(v) else float(v)) for k, v in view["risks"].items()}
        xi = None if math.isnan(view["xi"]) else float(view["xi"])
        t2 = None if math.isnan(view["tau2"]) else float(view["tau2"])
        return apply_finite_size(
            Prediction(
                n,
                features.size,
                s,
                ridge,
                view["kind"],
                xi,
                t2,
                risks,
                dict.fromkeys(risks, 0.0),
                "closed",
                None,
                _without(view["notes"], left_out),
            ),
            setting,
        )
    samples = check_scalar("samples", samples, low=2, integer=True)
    return apply_finite_size(
        _predict_sampling(problem, features, n, s, ridge, samples, rng or np.random.default_rng(0), left_out),
        setting,
    )


def _without(values: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """``values`` without the keys ``names``."""
    return {name: value for name, value in values.items() if name not in names}


def _predict_sampling(
    problem: LGP,
    features: np.ndarray,
    n: int,
    s: int,
    ridge: float,
    samples: int,
    rng: np.random.Generator,
    left_out: set[str],
) -> Prediction:
    """DC sampling (docs/theory.md#thresholded-risk, last item): prune sampled weights exactly, average the risk
    (:func:`dctheory.sampling.sampled_risks`); the strategies ``left_out`` dropped."""
    sampled = sampled_risks(problem, features, n, s, ridge, samples, rng)
    risks, stderr = sampled.summary()
    kept = [name for name in STRATEGIES if name not in left_out]
    risks = {name: risks[name] for name in kept}
    stderr = {name: stderr[name] for name in kept}
    sol = sampled.law.solution
    return Prediction(
        n,
        features.size,
        s,
        ridge,
        sol.regime,
        sol.xi,
        sol.tau2,
        risks,
        stderr,
        "sampling",
        None,
        _without(sampled.notes, left_out),
    )


def risk_curve(
    problem: LGP,
    n: int,
    s: int,
    ridge: float = 0.0,
    m: ArrayLike | None = None,
    rules: str | Sequence[str] | None = None,
) -> Curve:
    """Every strategy's risk for each m (training on the first m features), in one vectorized evaluation.

    Args:
        problem: an LGP with diagonal Sigma (closed forms).
        n, s, ridge: as in :func:`predict`.
        m: the m values (default 1..P).
        rules: the pruning rules to evaluate, by name (``"magnitude"``, ``"hessian"``,
            ``"hessian_population"``; default all, ``()`` none): the others and their retraining are left
            out of the curve. The sample-diagonal ``hessian`` rule averages over the law of the sample diagonal and
            costs the most on spectra of many distinct eigenvalues.

    Returns:
        :class:`Curve`; ridgeless m with rank in [n - 1, n] are skipped and listed in ``undefined``
        (when every m is such, the curve is empty: ``len(curve.m) == 0``, all of them in ``undefined``).
    """
    n, s, ridge = _check_common(problem, n, s, ridge)
    chosen, left_out = _chosen_rules(rules)
    if not problem.is_diagonal:
        raise ConfigError("risk_curve needs a diagonal covariance; use predict(..., method='sampling') per m")
    ms = np.arange(1, problem.P + 1) if m is None else np.asarray(m, dtype=int).ravel()
    if ms.size == 0 or ms.min() < 1 or ms.max() > problem.P:
        raise ConfigError(f"m values must lie in [1, {problem.P}]")
    atoms = _atoms(problem, s)
    # rank of Sigma_DD for D the first m features (an integer-valued float, as counts @ (lambda > 0) gives it)
    rank = np.cumsum(atoms.lam[atoms.label] > 0)[ms - 1].astype(float)
    defined = has_regime(rank, n, ridge)
    if not defined.any():  # every m undefined: an empty curve that lists them, as for a partly defined one
        empty = np.empty(0)
        strategies = [name for name in STRATEGIES if name not in left_out]
        return Curve(n, s, ridge, ms[defined], empty, empty, dict.fromkeys(strategies, empty), [int(x) for x in ms], {})
    xi, t2, out, notes = _curve_rows(atoms, ms[defined], n, s, float(np.ldexp(ridge, atoms.lam_exponent)), chosen)
    out = {name: values for name, values in out.items() if name not in left_out}
    xi, t2, out = _unscaled(atoms, xi, t2, out)
    _check_numbers(out, notes)
    return Curve(n, s, ridge, ms[defined], xi, t2, out, [int(x) for x in ms[~defined]], notes)


#: A curve's (m, atom) arrays are evaluated at most this many cells at a time: rows of consecutive m, each
#: chunk cut to the atoms its largest m uses (:func:`_curve_rows`), so that memory stays bounded (about a dozen
#: arrays of 32 MB) at any P, and arrays below glibc's largest mmap threshold are reused, not faulted in afresh.
CURVE_CHUNK_CELLS = 1 << 22


def _curve_rows(
    atoms: _Atoms, ms: np.ndarray, n: int, s: int, ridge: float, rules: tuple[Rule, ...] = RULES
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], dict[str, str]]:
    """(xi, tau^2, risks, notes) of the batch of the first m features for each m (every m has a regime), in
    the atoms' units (``ridge`` rescaled), for the pruning ``rules`` (the others' risks left NaN).

    A batch of at most ``CURVE_CHUNK_CELLS`` (m, atom) cells is one evaluation. A larger one is evaluated in
    chunks of consecutive m (sorted), each on the atoms its largest m uses (:func:`_first_atoms`): each row's
    results are its own to rounding (a chunk changes the first guesses of root solves and the order of the sum
    of the dropped atoms' signal, not the roots: 1e-13 relative), the rows' (m, atom)
    arrays are never all held at once, and the atoms past each chunk's last are never touched."""
    if ms.size * atoms.lam.size <= CURVE_CHUNK_CELLS:
        counts, oracle = _counts_first_m(atoms, ms)
        _kinds, xi_all, t2_all, risks_all, notes_all, _ = _batch(
            atoms, counts, oracle, n, s, ridge, first_m=ms, rules=rules
        )
        return xi_all, t2_all, risks_all, notes_all
    order = np.argsort(ms, kind="stable")
    # The atoms that the first m features use are the first widths[m - 1] (atoms are in order of first appearance).
    widths = np.maximum.accumulate(atoms.label)[ms[order] - 1] + 1
    xi, t2 = np.empty(ms.size), np.empty(ms.size)
    out = {name: np.empty(ms.size) for name in STRATEGIES}
    notes: dict[str, str] = {}
    # threshold roots t, in sorted order, of the rules and of the population twins that seed them
    roots = {rule.name: np.full(ms.size, np.nan) for rule in (*solved_rules(rules), *rules)}
    start = 0
    while start < ms.size:
        stop = start + 1
        while stop < ms.size and (stop + 1 - start) * widths[stop] <= CURVE_CHUNK_CELLS:
            stop += 1
        rows = order[start:stop]
        chunk = _first_atoms(atoms, int(widths[stop - 1]))
        counts, oracle = _counts_first_m(chunk, ms[rows])
        starts = _extrapolated(ms[order[:start]], roots, ms[rows])
        _kinds, xi[rows], t2[rows], risks, chunk_notes, thresholds = _batch(
            chunk, counts, oracle, n, s, ridge, first_m=ms[rows], starts=starts, rules=rules
        )
        for name, values in risks.items():
            out[name][rows] = values
        for name in roots:
            roots[name][start:stop] = thresholds[name]
        notes.update(chunk_notes)
        start = stop
    return xi, t2, out, notes


def _extrapolated(solved_m: np.ndarray, roots: dict[str, np.ndarray], m: np.ndarray) -> dict[str, np.ndarray] | None:
    """First guesses of the threshold roots at ``m`` (larger than every ``solved_m``): per rule, the line through
    the roots at the last two solved m (the roots vary smoothly along a curve; a chunk of a few rows has too few
    for splines of its own), the last root where the line does not stay positive. None before two roots."""
    starts = {}
    for name, t in roots.items():
        known = np.flatnonzero(np.isfinite(t[: solved_m.size]))
        if known.size < 2:
            return None
        (m1, m2), (t1, t2) = solved_m[known[-2:]], t[known[-2:]]
        line = t2 + (t2 - t1) / (m2 - m1) * (m - m2)
        starts[name] = np.where(line > 0, line, t2)
    return starts


def _first_atoms(atoms: _Atoms, width: int) -> _Atoms:
    """The first ``width`` atoms, the signal of the others folded into the noise: sigma'^2 = sigma^2 +
    sum_{k >= width} total_k lambda_k beta_k^2 (``kernel.effective_noise``). For feature sets that use no atom
    past ``width`` every closed form is the same (each sums the dropped atoms' signal into sigma_D^2 or a
    retrained risk, and a dropped atom has no other term), up to the rounding of that sum."""
    if width >= atoms.lam.size:
        return atoms
    tail = slice(width, None)
    sigma2 = kernel.effective_noise(NUMPY, atoms.sigma, atoms.lam[tail], atoms.beta[tail], atoms.total[tail])
    head = slice(0, width)
    return replace(
        atoms,
        lam=atoms.lam[head],
        beta=atoms.beta[head],
        total=atoms.total[head],
        oracle=atoms.oracle[head],
        sigma=float(np.sqrt(sigma2)),
    )
