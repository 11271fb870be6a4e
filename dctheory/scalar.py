"""The scalar route of the pipeline: one feature set of a few atoms in Python floats (docs/theory.md#finite-size,
#thresholded-risk, #retraining).

A single prediction of a problem with few distinct coordinates is a handful of numbers per step; on the
float64 route (:class:`dctheory.risks._AtomBatch`) each step is a few numpy calls on one-element arrays,
whose per-call cost is many times the arithmetic. This route takes the same steps of
:func:`dctheory.pipeline.strategy_risks` on lists of Python floats, with the ``math`` functions of the same
compiled formulas (:func:`dctheory._compiled.compiled`, backend ``"math"``) and the same safeguarded
Newton and Halley steps (:func:`dctheory.engines.newton_root`), so that its results agree with the float64
route's to rounding (tests/dctheory/test_scalar.py states the tolerance).

It covers the usual case and declines the rest (:class:`Declined`; the caller then takes the float64 route,
which handles them): an undefined regime, exact coefficients (zero variance: the top-s rule with its ties
in feature order), coordinate sds beyond ``HUGE_SD``, a xi equation flat to rounding or beyond the float64
range, a threshold whose keep-sum misses s, atoms steeper than the chi^2_n / n rule of the sample-diagonal
Hessian resolves (:func:`dctheory.sample_diagonal.steepness`; the float64 route refines the rule's step for
them), and any overflow or division by zero in the arithmetic.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from dctheory import kernel
from dctheory._compiled import compiled, joint
from dctheory.backends import HUGE_SD, NUMPY, SD_FLOOR
from dctheory.engines import log_level, newton_root
from dctheory.kernel import REACH_SDS, TOLERATED_MISS
from dctheory.sample_diagonal import chi2_rule, steep_on_floats, threshold_start
from dctheory.solvers import OVER, RIDGE, UNDER, XI_LOG_TOP, saturated_root, undefined_message
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

__all__ = ["MAX_ATOMS", "Declined", "ScalarAtoms"]

#: problems with at most this many atoms (distinct coordinates) take the scalar route for one prediction
MAX_ATOMS = 8

Floats = list[float]

#: a sum over the one axis of an array (``ndarray.sum`` without its Python wrapper)
_add = np.add.reduce


class Declined(Exception):
    """The scalar route does not take this input (see the module docstring); the float64 route does."""


@functools.lru_cache(maxsize=64)
def _expanded_atoms(
    n: int, lam: tuple[float, ...], beta: tuple[float, ...], scale: Callable[[Any, Any], Any]
) -> tuple[np.ndarray, ...]:
    """The sample-diagonal rule's atoms times nodes (atom-major) that depend on the problem and n only: the
    nodes u_q of the chi^2_n / n rule (:func:`dctheory.sample_diagonal.chi2_rule`), the weights omega_q
    tiled once per atom, lambda_i and beta_i repeated once per node, and the scale c(lambda_i u_q) of
    ``scale`` (a rule's; lambda = 0 taken as 1)."""
    nodes, omega = chi2_rule(n)
    K, Q = len(lam), nodes.size
    lam_e, beta_e, safe_e = np.repeat(np.array([lam, beta, [x if x > 0 else 1.0 for x in lam]]), Q, axis=1)
    arrays = (nodes, np.tile(omega, K), lam_e, beta_e, scale(NUMPY, safe_e * np.tile(nodes, K)))
    for array in arrays:
        array.setflags(write=False)  # cached
    return arrays


@functools.cache
def _formula(name: str, backend: str = "math") -> Callable[..., Any]:
    """The ``math`` (or ``backend``) function of a compiled formula (looked up once)."""
    return compiled(name, backend)


class _MathScale:
    """What a rule's ``scale`` asks of a backend, for one Python float."""

    sqrt = staticmethod(math.sqrt)

    @staticmethod
    def ones_like(x: float) -> float:
        return 1.0


#: the terms of the xi equation (:func:`xi_sums`): a_i, its slope in log xi and 1 - a_i, in one call
_SHRINKAGE_TERMS = joint("shrinkage_terms", "math")

#: the standardized keep probability and its first two derivatives, the threshold equation's terms, in one call
#: (on Python floats, and on the sample-diagonal rule's row of atoms times nodes)
_KEEP_TERMS, _KEEP_TERMS_ROW = (joint("standardized_keep_terms", backend) for backend in ("math", "numpy"))


def _total(weights: Sequence[float], terms: Sequence[float]) -> float:
    """sum_i w_i x_i in index order (``numpy_sum``'s additions on a row of fewer than 8 terms)."""
    return sum([w * x for w, x in zip(weights, terms) if w != 0])


#: (rank, sum w lambda, sum w / lambda, the terms (w_i, lambda_i) with w_i != 0) of one spectrum (:func:`_spectrum`)
Spectrum = tuple[float, float, float, list[tuple[float, float]]]


def _spectrum(lam: Floats, w: Floats) -> Spectrum:
    """(rank, sum w lambda, sum w / lambda, terms) of one spectrum in one pass (each sum in index order; the
    terms (w_i, lambda_i) where w_i != 0, in index order), for :func:`solve_xi`'s bracket and sums;
    :class:`Declined` where the eigenvalues spread over more than 1e30 or sum w / lambda is beyond the
    float64 range."""
    rank = total = inverse = 0.0
    largest, smallest = 0.0, math.inf
    terms = []
    for x, lam_i in zip(w, lam):
        if x != 0:
            total += x * lam_i
            terms.append((x, lam_i))
        if lam_i > 0:
            rank += x
            inverse += x / lam_i
            largest, smallest = max(largest, lam_i), min(smallest, lam_i)
    if largest > 1e30 * smallest or not 0 < inverse < math.inf:
        raise Declined("eigenvalues spread over more than 1e30, or sum w / lambda beyond the float64 range")
    return rank, total, inverse, terms


_LOG_2 = math.log(2.0)


def xi_sums(x: float, terms: Sequence[tuple[float, float]], complements: bool = True) -> tuple[float, float, float]:
    """(sum w_i a_i, sum w_i d a_i / d log xi, sum over lambda_i > 0 of w_i (1 - a_i)) at xi = ``x`` over the
    ``terms`` (w_i, lambda_i) with w_i != 0, each sum in index order: the sums of the ``ridge_equation`` (whose
    value is the first plus lambda_r n xi - n, to the bit), of its slope in log xi and (with ``complements``;
    else 0) of the ridgeless equation's complement."""
    kept = slopes = rest = 0.0  # (each added in index order)
    for w_i, lam_i in terms:
        a, slope, complement = _SHRINKAGE_TERMS(x, lam_i)
        kept += w_i * a
        slopes += w_i * slope
        if complements and lam_i > 0:
            rest += w_i * complement
    return kept, slopes, rest


def solve_xi(
    lam: Floats,
    n: float,
    ridge: float,
    w: Floats,
    guess: float | None = None,
    spectrum: Spectrum | None = None,
) -> float:
    """xi of one spectrum, the root of the ``ridge_equation`` (ridge 0: the ridgeless xi equation): the steps of
    :func:`dctheory.solvers.solve_xi` on one row (its bracket, first guess and Newton function in u = log xi).
    ``guess``: a first guess of xi instead (the root of a nearby equation; speed only: the steps stop at the same
    tolerance, 1e-8 in u, within about 1e-16 of the root). ``spectrum``: :func:`_spectrum` of (lam, w), where
    the caller has it."""
    rank, total, inverse, terms = _spectrum(lam, w) if spectrum is None else spectrum
    if ridge == 0 and rank <= n:
        raise Declined("no positive root")
    low = n / (total + n * ridge)
    if ridge > 0 and rank <= n:
        log_high = -math.log(ridge)
    else:
        log_inverse = math.log(inverse)
        log_high = _LOG_2 + log_inverse - math.log(max(rank - n, 1e-300))
        if ridge > 0:
            log_high = min(-math.log(ridge), log_high)
    top = min(log_high + 1.0, XI_LOG_TOP)
    bottom = math.log(low) - 1.0
    # the first guess of dctheory.solvers.solve_xi: the nearby root; else with a ridge the saturated root below
    # rank n, the middle of the bracket above; ridgeless, the root for equal eigenvalues drawn towards its limit
    if ridge == 0:
        offset = math.log(n / (rank - n))
    if guess is not None:
        start = math.log(guess)
    elif ridge > 0:
        if rank < n:
            start = min(max(math.log(saturated_root(n, ridge, rank, inverse, math.sqrt)), bottom), top)
        else:
            start = 0.5 * (bottom + top)
    else:
        start = offset - _total(w, [math.log(lam_i if lam_i > 0 else 1.0) for lam_i in lam]) / rank
        start += (n / rank) ** 4 * (log_inverse - math.log(rank - n) - start)
        start = min(max(start, bottom), top)

    if ridge > 0:
        n_ridge = n * ridge

        def function(u: float) -> tuple[float, float]:
            x = math.exp(u)
            kept, slope, _ = xi_sums(x, terms, complements=False)
            return kept + ridge * n * x - n, slope + n_ridge * x

    else:

        def function(u: float) -> tuple[float, float]:
            x = math.exp(u)
            total, derivative, rest = xi_sums(x, terms)
            value = total + ridge * n * x - n  # the ridge_equation at ridge 0
            kept = value + n
            if rest > 0 and kept > 0:
                return math.log(kept / rest) - offset, derivative * (1 / kept + 1 / rest)
            return value, derivative

    u = newton_root(function, bottom, top, start, increasing=True, rtol=0.0, atol=1e-8)
    if u is None or not u < XI_LOG_TOP - 1.0:
        raise Declined("xi beyond the float64 range")
    return math.exp(u)


def dense_solution(
    lam: Floats, n: float, ridge: float, w: Floats, nearby: tuple[float, float] | None = None
) -> tuple[float, float, tuple[float, float]]:
    """(n_lambda, xi, (xi with n, xi)): :func:`dctheory.solvers.ridge_solution` of one spectrum in Python floats (the
    sample size of the formulas, n at ridge 0, else from the root xi_n of the equation with n; and xi, the root with
    n_lambda). ``nearby``: the two roots of a nearby spectrum (speed only): xi_n starts from its xi_n, and xi from
    xi_n times its ratio xi / xi_n (without it, from xi_n, O(1/n) away)."""
    if ridge == 0:
        xi = solve_xi(lam, n, ridge, w, None if nearby is None else nearby[1])
        return float(n), xi, (xi, xi)
    spectrum = _spectrum(lam, w)
    xi_n = solve_xi(lam, n, ridge, w, None if nearby is None else nearby[0], spectrum)
    size: float = _formula("ridge_sample_size")(xi_n, n, ridge, spectrum[0], lam, weights=w)
    xi = solve_xi(lam, size, ridge, w, xi_n if nearby is None else xi_n * nearby[1] / nearby[0], spectrum)
    return size, xi, (xi_n, xi)


@functools.cache
def _prune_order(rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
    """The rules whose thresholds evaluating ``rules`` solves, in order: the population rules first, with the
    twins of the sample-diagonal rules (their roots seed those rules', as on the float64 route,
    ``_AtomBatch.prune``), then the sample-diagonal rules."""
    return (*solved_rules(rules), *(rule for rule in rules if rule.sample_diagonal))


def _regime(rank: float, n: float, ridge: float) -> str | None:
    """:func:`dctheory.solvers.regime` of one rank."""
    if ridge > 0:
        return RIDGE
    return OVER if rank > n else UNDER if rank < n - 1 else None


class ScalarAtoms:
    """The scalar route of :func:`dctheory.pipeline.strategy_risks` (``bk`` unused: the arithmetic is Python
    floats): one feature set given by the multiplicity ``counts`` of each atom, in the atoms' units of
    :class:`dctheory.risks._Atoms` (``lam``, ``beta``, ``total``, ``sigma``; ``oracle``: the fraction of each
    atom's copies in D* among those in D). Sets ``kind``, ``xi``, ``tau2`` (NaN where underparameterized),
    ``notes`` and ``thresholds`` (per rule, t of the threshold t c_i; NaN where nothing is pruned)."""

    def __init__(
        self,
        lam: Floats,
        beta: Floats,
        total: Floats,
        counts: Floats,
        oracle: Floats,
        sigma: float,
        n: int,
        s: int,
        ridge: float,
        rules: tuple[Rule, ...] = RULES,
    ) -> None:
        self.lam, self.beta, self.total, self.counts, self.oracle_membership = lam, beta, total, counts, oracle
        self.sigma, self.n, self.s, self.ridge, self.rules = sigma, n, s, ridge, rules
        self.xi = self.tau2 = math.nan
        self.notes: dict[str, str] = {}
        self.thresholds = {rule.name: math.nan for rule in RULES}
        self.retrained_of: dict[tuple[float, ...], tuple[float, str | None]] = {}
        self.retrained_roots: tuple[float, float] | None = None  # (xi with n, xi) of the last retraining solved

    def dense(self, bk: Any) -> dict[str, float]:
        lam, beta, counts, n, ridge = self.lam, self.beta, self.counts, self.n, self.ridge
        sigma2_D = _formula("effective_noise")(
            self.sigma, lam, beta, weights=[t - c for t, c in zip(self.total, counts)]
        )
        self.sigma_D = sigma_D = math.sqrt(sigma2_D)
        self.rank = rank = sum([c for c, lam_i in zip(counts, lam) if lam_i > 0])
        self.m = sum(counts)
        kind = _regime(rank, n, ridge)
        if kind is None:
            raise Declined(undefined_message(rank, n))
        self.kind = kind
        out = dict.fromkeys(STRATEGIES, math.nan)
        if kind == UNDER:
            out[DENSE] = _formula("underparameterized_risk")(sigma_D, n, rank)
            sd_of = _formula("underparameterized_sd")
            mean = list(beta)
            sd = [sd_of(sigma_D, n, rank, lam_i if lam_i > 0 else 1.0) for lam_i in lam]
        else:
            size, xi, _ = dense_solution(lam, n, ridge, counts)  # n_lambda with a ridge
            self.xi = xi
            self.tau2 = out[DENSE] = t2 = _formula("tau2")(xi, size, ridge, sigma_D, lam, beta, weights=counts)
            mean_of, sd_of, tau = _formula("coordinate_mean"), _formula("coordinate_sd"), math.sqrt(t2)
            mean = [mean_of(xi, lam_i, b) for lam_i, b in zip(lam, beta)]
            sd = [sd_of(xi, tau, size, lam_i) for lam_i in lam]
        positive = [lam_i > 0 for lam_i in lam]
        self.mean = [x if p else 0.0 for x, p in zip(mean, positive)]
        self.sd = sd = [x if p else 0.0 for x, p in zip(sd, positive)]
        # kernel.evaluation_sd: 1 where lambda = 0, tiny sds raised to the floor (NumpyBackend.floored)
        self.sd_eval = [(SD_FLOOR if 0 < x < SD_FLOOR else x) if p else 1.0 for x, p in zip(sd, positive)]
        if max(self.sd_eval) > HUGE_SD:
            raise Declined("coordinate sds beyond HUGE_SD (NumpyBackend.coordinate_units)")
        self.live = [c if p else 0.0 for c, p in zip(counts, positive)]
        return out

    def oracle(self, bk: Any, out: dict[str, float]) -> None:
        out[ORACLE] = _formula("oracle_risk")(
            self.sigma_D, self.lam, self.oracle_membership, self.mean, self.sd_eval, self.beta, weights=self.counts
        )

    def nothing_to_prune(self, bk: Any, out: dict[str, float]) -> bool:
        if self.rank > self.s:
            return False
        for name in FALLS_BACK_TO_DENSE:
            out[name] = out[DENSE]
        return True

    def random(self, bk: Any, out: dict[str, float]) -> None:
        out[RANDOM] = _formula("random_pruning_risk")(
            self.sigma_D, self.s, self.m, self.lam, self.mean, self.sd_eval, self.beta, weights=self.live
        )

    def prune(self, bk: Any, out: dict[str, float]) -> dict[str, Floats]:
        """Per rule, the expected kept count per atom, its thresholded risk written (``_pruned``'s steps)."""
        lam, beta, live, mean, sd = self.lam, self.beta, self.live, self.mean, self.sd_eval
        if max([x for x, w, lam_i in zip(self.sd, live, lam) if w > 0 and lam_i > 0], default=0.0) == 0:
            raise Declined("exact coefficients: the top-s rule")
        safe_lam = [lam_i if lam_i > 0 else 1.0 for lam_i in lam]
        kept_of: dict[str, Floats] = {}
        roots: dict[str, float] = {}
        for rule in _prune_order(self.rules):
            if rule.sample_diagonal:
                # Each atom becomes one atom per node u_q of the chi^2_n / n rule, weight w_i omega_q and scale
                # c(lambda_i u_q) (_pruned_sample_diagonal's arrays, one row)
                nodes, omega_e, lam_e, beta_e, c_e = _expanded_atoms(self.n, tuple(lam), tuple(beta), rule.scale)
                # (a width of 0 raises ZeroDivisionError: the float64 route then takes the input, as it does here)
                if steep_on_floats(live, mean, sd, rule.scale_power, nodes):
                    raise Declined("atoms steeper than the chi^2_n / n rule resolves: the refined rule")
                w_e, mean_e, sd_e = np.repeat(np.array([live, mean, sd]), nodes.size, axis=1)
                t, kept, risk = self._threshold_and_risk(
                    w_e * omega_e,
                    mean_e,
                    sd_e,
                    c_e,
                    lam_e,
                    beta_e,
                    threshold_start(roots[population_twin(rule).name], self.n, rule.scale_power),
                )
            else:
                scale = [rule.scale(_MathScale, lam_i) for lam_i in safe_lam]
                t, kept, risk = self._threshold_and_risk(live, mean, sd, scale, lam, beta)
            roots[rule.name] = t
            if any(rule is asked for asked in self.rules):
                self.thresholds[rule.name], out[rule.name], kept_of[rule.name] = t, risk, kept
        return {rule.name: kept_of[rule.name] for rule in self.rules}

    def _threshold_and_risk(
        self, w: Any, mean: Any, sd: Any, c: Any, lam: Any, beta: Any, start: float | None = None
    ) -> tuple[float, Floats, float]:
        """(t, kept counts per atom, thresholded risk) at the root t of sum_i w_i pi(t c_i; mu_i, s_i) = s
        (:func:`dctheory.kernel.threshold`): Halley steps on g = log(K / s) (``NumpyBackend.level_root``) from
        ``start``, else the kernel's first guess, in the standardized units of
        :func:`dctheory.kernel.standardized`. The arrays are lists of floats (the atoms), or 1-d numpy arrays
        (the sample-diagonal rule's atoms times nodes, dozens, atom-major; ``start`` required): then the
        kernel's own numpy functions evaluate the sums on that row, a numpy call per formula costing less
        there than a Python call per atom, and the float64 route's steps are followed to the bit where the
        inputs agree (a flat keep-sum leaves t undetermined within its tolerance: another first guess would
        give another t there, and risks 1e-13 apart); the kept counts are then summed over each atom's nodes.
        """
        s = self.s
        sums: Callable[[float], tuple[float, float, float]]
        wide = isinstance(w, np.ndarray)
        if wide:
            if start is None:
                raise TypeError("the threshold of atoms times nodes is solved from a first guess")
            with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
                # (the kernel's functions on one row, given as 1-d arrays)
                law = kernel.standardized(NUMPY, {"w": w, "mean": mean, "sd": sd, "c": c}, curvature=True)
                high = float(kernel.threshold_reach(NUMPY, law))

            w_a, q_a, r_a, wq_a, wqq_a = (law[key] for key in ("w", "q", "r", "wq", "wqq"))

            def keep_excess(t: float) -> tuple[float, float, float]:
                # kernel.keep_excess on the one row, its products and sums the same
                with np.errstate(over="ignore", under="ignore"):
                    keep, slope, second = _KEEP_TERMS_ROW(t * q_a, r_a)
                    return float(_add(w_a * keep)) - s, float(_add(wq_a * slope)), float(_add(wqq_a * second))

            sums = keep_excess
        else:
            high, start, sums = self._keep_sums(w, mean, sd, c)

        def function(t: float) -> tuple[float, float]:
            value, slope, second = sums(t)
            g, _, step_slope = log_level(value + s, slope, second, s)
            return g, step_slope

        t = newton_root(function, 0.0, high, start, increasing=False, rtol=1e-6)
        if t is None:
            raise Declined("the threshold did not converge")
        if wide:
            # kernel.kept_counts and kernel.thresholded_risk on the one row (their formulas; no sd is beyond
            # HUGE_SD here, so that the risk's coordinate units are the atoms' own)
            with np.errstate(over="ignore", under="ignore"):
                at = t * c
                expected = w * _formula("keep_probability", "numpy")(at, mean, sd)
                risk = float(_formula("thresholded_risk", "numpy")(self.sigma_D, lam, at, mean, sd, beta, weights=w))
            # per atom, the sum over its nodes
            kept = np.reshape(expected, (len(self.lam), -1)).sum(axis=1).tolist()
            total = sum(kept)
        else:
            thresholds = [t * x for x in c]
            keep_probability = _formula("keep_probability")
            kept = [x * keep_probability(y, mu, v) if x != 0 else 0.0 for x, y, mu, v in zip(w, thresholds, mean, sd)]
            risk = _formula("thresholded_risk")(self.sigma_D, lam, thresholds, mean, sd, beta, weights=w)
            total = sum(kept)
        if not (abs(total - s) <= TOLERATED_MISS * s and math.isfinite(risk)):
            raise Declined("the threshold's keep-sum misses s")
        return t, kept, risk

    def _keep_sums(
        self, w: Floats, mean: Floats, sd: Floats, c: Floats
    ) -> tuple[float, float, Callable[[float], tuple[float, float, float]]]:
        """(reach, first guess, K(t) - s with its first two derivatives) of the threshold equation, in Python
        floats: :func:`dctheory.kernel.standardized`, :func:`~dctheory.kernel.threshold_reach`,
        :func:`~dctheory.kernel.first_guess` and :func:`~dctheory.kernel.keep_excess` on one row."""
        s = self.s
        slope_at_0 = _formula("standardized_keep_probability_derivative")
        # per live atom (w_i != 0, in index order): the terms (w, q, r, w q, w q^2) of the sums, the reach
        # (|r| + REACH_SDS) / q and the score sqrt(r^2 + 1) / q with its weight; W and K'(0) summed in index order
        terms, reach, scores = [], [], []
        W = slope0 = 0.0
        for w_i, c_i, mu_i, x in zip(w, c, mean, sd):
            W += w_i
            if w_i != 0:
                q_i, r_i = min(c_i / x, 1e300), mu_i / x
                wq_i = w_i * q_i
                terms.append((w_i, q_i, r_i, wq_i, min(wq_i * q_i, 1e300)))
                reach.append((abs(r_i) + REACH_SDS) / q_i)
                scores.append((math.hypot(r_i, 1.0) / q_i, w_i))
                if wq_i != 0:
                    slope0 += wq_i * slope_at_0(0.0, r_i)
        high = max(reach, default=0.0) * 1.01 + 1e-300
        # the score of the s-th kept copy, or the first Newton step on log(K / s) from t = 0, the smaller
        scores.sort(reverse=True)
        start, above = scores[0][0] if scores else -math.inf, 0.0
        for score, weight in scores:
            above += weight
            if above >= s:
                start = score
                break
        slope0 = abs(slope0)
        if slope0 > 0:
            start = min(start, math.log(W / s) * W / slope0)
        if not (math.isfinite(start) and 0 < start < high):
            start = high / 200

        def sums(t: float) -> tuple[float, float, float]:
            # the three sums over the live atoms in index order, in one pass
            value = slope = second = 0.0
            for w_i, q_i, r_i, wq_i, wqq_i in terms:
                keep, slope_i, second_i = _KEEP_TERMS(t * q_i, r_i)
                value += w_i * keep
                slope += wq_i * slope_i
                second += wqq_i * second_i
            return value - s, slope, second

        return high, start, sums

    def retrain(self, bk: Any, rule: Rule, kept: Floats, out: dict[str, float]) -> None:
        """Fresh retraining on the rule's kept support (:func:`dctheory.risks._retrained`); rules that keep the
        same counts share it."""
        key = tuple(kept)
        if key not in self.retrained_of:
            self.retrained_of[key] = self._retrained(kept)
        name = retrained(rule.name)
        out[name], note = self.retrained_of[key]
        if note:
            self.notes[name] = note

    def _retrained(self, kept: Floats) -> tuple[float, str | None]:
        lam, beta, total, n, s, ridge = self.lam, self.beta, self.total, self.n, self.s, self.ridge
        kind = _regime(s, n, ridge)
        if kind == UNDER:
            average_keep = [k / x for k, x in zip(kept, total)]
            return _formula("retrained_risk")(self.sigma, n, s, lam, beta, average_keep, weights=total), None
        if kind is None:
            return math.nan, undefined_message(s, n) + " (retraining keeps s features)"
        sigma2_S = _formula("effective_noise")(
            self.sigma, lam, beta, weights=[max(t - k, 0.0) for t, k in zip(total, kept)]
        )
        # (the kept supports of the rules are alike: each solve starts from the previous rule's roots)
        size, xi, self.retrained_roots = dense_solution(lam, n, ridge, kept, self.retrained_roots)  # n_lambda of S
        risk: float = _formula("tau2")(xi, size, ridge, math.sqrt(sigma2_S), lam, beta, weights=kept)
        return risk, None
