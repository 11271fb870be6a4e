r"""The asymptotic DC (docs/theory.md#asymptotic, Def. 3, Theorem 1) for any law of (Lam, B),
and the asymptotic pruning and retraining risks (sections 3 and 4 with sums replaced by
expectations over the law).

n, P -> oo with kappa = P/n > 1 fixed; the empirical law of (lambda_i, sqrt(P) beta_i)
tends to the law of (Lam, B). With a_xi(Lam) = xi Lam / (1 + xi Lam):

* xi solves E[a_xi(Lam)] = 1/kappa  (``asymptotic_xi_equation``);
* tau^2 = (sigma^2 + E[Lam B^2 / (1 + xi Lam)^2]) / (kappa E[a (1 - a)])  (``asymptotic_tau2``);
* sqrt(P) w_hat_i ~ X = a (B + sqrt(kappa) tau H / sqrt(Lam)), H ~ N(0, 1)  (``asymptotic_law``):
  given (Lam, B), X is Gaussian with mean a B and standard deviation varsigma = a sqrt(kappa) tau / sqrt(Lam).

Pruning to a kept fraction q = s/P of the trained model (m = P) then gives, with the
per-coordinate error e(t) of docs/theory.md#thresholded-risk in the sqrt(P) scale:

* magnitude: t with E[pi(t)] = q, L = sigma^2 + E[Lam e(t)]; Hessian: the same with the
  threshold t / sqrt(Lam); random: L = sigma^2 + E[Lam (q ((mu - B)^2 + varsigma^2) + (1 - q) B^2)];
  oracle: keep the top-q mass of the saliency Lam B^2;
* fresh retraining on the kept support (keep probabilities pi): for q kappa < 1,
  L = (sigma^2 + E[Lam B^2 (1 - pi)]) / (1 - q kappa) (``asymptotic_retrained_risk``, the limit
  of the finite-size form); for q kappa > 1 the dense risk of the kept law (weights pi):
  E[pi a_xi] = 1/kappa and tau_S^2 from ``asymptotic_tau2`` with weights pi and
  sigma_S^2 = sigma^2 + E[Lam B^2 (1 - pi)].

Every expectation is a weighted sum over a rule from :meth:`Distribution.rule`: exact for
atoms, tanh-sinh quadrature for a continuous part. The compiled formulas of ``derivations``
take the rule's weights as the law's probabilities (a ``Sum`` with weights p_k is an
expectation). The quadrature is refined until two successive levels agree (float64: to
2e-15 relative; at ``dps`` digits: to 10^-dps); the difference between the last two levels
is reported in ``error`` as the quadrature error estimate (an over-estimate: the error of the
finer level is roughly its square). At ``dps`` digits the values are verified by a re-run at ten
more digits on the rule of the converged level (:func:`dctheory.engines.verified`): the two runs
must agree to ``dps`` digits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence, Sized
from dataclasses import dataclass, replace
from typing import Any, Protocol

import mpmath
import numpy as np
import numpy.typing as npt

from dctheory import kernel
from dctheory._compiled import compiled
from dctheory.backends import MP, NUMPY
from dctheory.checks import check_dps, check_probabilities, check_scalar, show
from dctheory.distributions import Distribution, exact
from dctheory.engines import verified
from dctheory.errors import ConfigError, PrecisionError, RegimeError
from dctheory.pipeline import strategy_risks
from dctheory.problems import LGP
from dctheory.results import AsymptoticPrediction, ScheduleResult, number_text
from dctheory.solvers import OVER, UNDER
from dctheory.strategies import DENSE, FALLS_BACK_TO_DENSE, ORACLE, RANDOM, RULES, STRATEGIES, Rule, retrained

__all__ = ["AsymptoticDC", "AsymptoticPrediction"]

FLOAT_LEVELS = (4, 9)  # first and last tanh-sinh level in float64
MP_LEVELS = (4, 12)
FLOAT_TOLERANCE = 2e-15

FloatArray = npt.NDArray[np.float64]
#: (Lam, B, weight) of a rule: float64 arrays, or lists of mpmath numbers (mpmath has no types: Any)
Nodes = tuple[Any, Any, Any]
#: a coefficient function B = b(Lam), numpy-vectorized (and on mpmath numbers at ``dps``)
CoefficientFunction = Callable[[Any], Any]


class _Evaluate(Protocol):
    """Values (name -> number) on the rule of a level (None: a law of atoms), with optional seed values."""

    def __call__(self, level: int | None, mp: bool, seed: dict[str, Any] | None = None, /) -> dict[str, Any]: ...


class AsymptoticDC:
    """The asymptotic DC for a law of (Lam, B).

    Args:
        eigenvalues: the law of Lam: a :class:`Distribution` (continuous, discrete or mixed), or
            an array of atoms Lam_k >= 0 (with ``probabilities``, default uniform).
        coefficients: B = sqrt(P) beta_i. One of: an array aligned with atom ``eigenvalues``;
            a number r (B = r); a callable b with B = b(Lam) (numpy-vectorized; at ``dps`` it
            must accept mpmath numbers); or a :class:`Distribution` of B independent of Lam.
        probabilities: with atom ``eigenvalues`` only.
        kappa: P/n > 1.
        sigma: noise level >= 0.
        dps: None (float64) or verified digits (mpmath).

    Attributes:
        xi, tau2: the DC parameters; error: their quadrature error estimates; level: the rule's level.

    Raises:
        ConfigError: bad inputs. RegimeError: kappa P(Lam > 0) <= 1 (no root).
        PrecisionError: the quadrature does not converge (e.g. an infinite expectation).
    """

    law: Distribution | None
    coefficients: Distribution | CoefficientFunction | FloatArray
    _aligned: tuple[FloatArray, FloatArray, FloatArray] | None

    def __init__(
        self,
        eigenvalues: Distribution | npt.ArrayLike,
        coefficients: Distribution | CoefficientFunction | npt.ArrayLike = 1.0,
        probabilities: npt.ArrayLike | None = None,
        *,
        kappa: float,
        sigma: float = 0.0,
        dps: int | None = None,
    ) -> None:
        self.kappa = check_scalar("kappa", kappa, low=1.0, low_open=True)
        self.sigma = check_scalar("sigma", sigma, low=0.0)
        self.dps = None if dps is None else check_dps(dps)
        if isinstance(eigenvalues, Distribution):
            if probabilities is not None:
                raise ConfigError("probabilities go with atom eigenvalues; a Distribution carries its own")
            self.law = eigenvalues
            self._aligned = None
            if isinstance(coefficients, Distribution):
                self.mode = "independent"
                self.coefficients = coefficients
            elif callable(coefficients):
                self.mode = "function"
                self.coefficients = coefficients
            else:
                self.mode = "function"
                self.coefficients = _Constant(check_scalar("coefficients", coefficients))
        else:
            if isinstance(coefficients, Distribution) or callable(coefficients):
                raise ConfigError(
                    "with atom eigenvalues, coefficients must be a number or an array aligned with them, "
                    f"got {type(coefficients).__name__}"
                )
            lam = np.asarray(eigenvalues, dtype=float)
            B = (
                np.broadcast_to(np.asarray(coefficients, dtype=float), lam.shape)
                if np.ndim(coefficients) == 0
                else np.asarray(coefficients, dtype=float)
            )
            if lam.ndim != 1 or B.shape != lam.shape or lam.size == 0:
                raise ConfigError(
                    f"eigenvalues and coefficients must be 1-d of equal length, got {lam.shape} and {B.shape}"
                )
            if np.any(lam < 0) or not np.all(np.isfinite(lam)) or not np.all(np.isfinite(B)):
                raise ConfigError("atoms must be finite with eigenvalues >= 0")
            p = (
                np.full(lam.size, 1.0 / lam.size)
                if probabilities is None
                else check_probabilities(probabilities, lam.size)
            )
            self.law, self.mode, self.coefficients = None, "aligned", B
            self._aligned = (lam, B, p)
            self.eigenvalues, self.probabilities = lam, p
        self.continuous = self.law is not None and (
            self.law.kind is not None
            or (isinstance(self.coefficients, Distribution) and self.coefficients.kind is not None)
        )
        positive = self._positive_mass()
        if positive * self.kappa <= 1:
            raise RegimeError(
                f"the asymptotic xi equation has no root: P(Lam > 0) * kappa = {positive * self.kappa:g} must exceed 1"
            )
        values, self.error, self.level = self._converged(self._dc, self.dps)
        self.xi, self.tau2 = values["xi"], values["tau2"]

    def __repr__(self) -> str:
        if self.law is None:
            law = f"{self.eigenvalues.size} atoms"
            coefficients = "aligned with the atoms"
        else:
            law = self.law.name
            if isinstance(self.coefficients, Distribution):
                coefficients = self.coefficients.name
            elif isinstance(self.coefficients, _Constant):
                coefficients = repr(self.coefficients)
            else:
                name = getattr(self.coefficients, "__name__", "<lambda>")
                coefficients = "a function of Lam" if name == "<lambda>" else f"{name}(Lam)"
        digits = "float64" if self.dps is None else f"{self.dps} digits"
        return (
            f"AsymptoticDC(Lam ~ {law}, B = {coefficients}, kappa = {self.kappa:g}, sigma = {self.sigma:g}, "
            f"{digits}; xi = {number_text(self.xi, self.dps)}, tau2 = {number_text(self.tau2, self.dps)})"
        )

    # -- the law as a rule ---------------------------------------------------
    def _atom_arrays(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        """(Lam, B, p) of a model built from atoms."""
        assert self._aligned is not None, "the model's law is a Distribution, not atoms"
        return self._aligned

    def _lam_law(self) -> Distribution:
        """The law of Lam of a model built from a :class:`Distribution`."""
        assert self.law is not None, "the model is built from atoms, not a Distribution"
        return self.law

    def _coefficient_function(self) -> CoefficientFunction:
        """b with B = b(Lam) (mode "function")."""
        assert callable(self.coefficients), "B is not a function of Lam"
        return self.coefficients

    def _coefficient_law(self) -> Distribution:
        """The law of B (mode "independent")."""
        assert isinstance(self.coefficients, Distribution), "B is not independent of Lam"
        return self.coefficients

    def _positive_mass(self) -> float:
        if self.law is None:
            lam, _, p = self._atom_arrays()
            return float(np.sum(p * (lam > 0)))
        zero = sum(p for value, p in self.law.atoms if value <= 0)
        return 1.0 - zero

    def _nodes(self, level: int | None, mp: bool, interval: tuple[float, float] | None = None) -> Nodes:
        """(Lam, B, weight) of the joint rule, Lam > 0 only (Lam = 0 contributes to nothing).

        numpy arrays in float64, lists of mpf at ``mp``. ``interval`` restricts the continuous
        part of the Lam law to that range of v (atoms left out). Rules are built once per level,
        precision and interval (at 50 digits building them was most of a prediction's time)."""
        key = (level, mpmath.mp.prec if mp else None, None if interval is None else tuple(interval))
        cache: dict[tuple[Any, ...], Nodes] = self.__dict__.setdefault("_rules", {})
        if key not in cache:
            cache[key] = self._build_nodes(level, mp, interval)
        return cache[key]

    def _risk_nodes(self, level: int | None, mp: bool, interval: tuple[float, float] | None = None) -> Nodes:
        """The rule of :meth:`_nodes` for the risks: at ``mp``, without the nodes where w (1 + Lam B^2 / E[Lam B^2])
        is below 10^-(dps + 40) of its sum over the rule.

        Every integrand of the risks is at most a constant times 1 + Lam B^2 / E[Lam B^2] in the units of the
        risk: keep probabilities (at most 2), the terms of xi and tau^2, Lam s^2 = a^2 kappa tau^2, and
        Lam B^2 in the thresholded and retrained errors. So the nodes left out change no sum by more
        than about 10^-(dps + 35) of its scale. The rule reaches 10^-(4 dps + 40) of either end of the
        law, for integrands that are singular there; for a smooth law about a sixth of its nodes
        lie past the bound."""
        nodes = self._nodes(level, mp, interval)
        if not mp:
            return nodes
        key = ("risks", level, mpmath.mp.prec, None if interval is None else tuple(interval))
        cache: dict[tuple[Any, ...], Nodes] = self.__dict__.setdefault("_rules", {})
        if key not in cache:
            lam, B, w = nodes
            signal = [x * b * b for x, b in zip(lam, B)]
            total = mpmath.fsum(wi * y for wi, y in zip(w, signal))
            size = [wi * (1 + y / total) if total > 0 else wi for wi, y in zip(w, signal)]
            floor = mpmath.mpf(10) ** (-(mpmath.mp.dps + 40)) * mpmath.fsum(size)
            keep = [k for k, value in enumerate(size) if value > floor]
            cache[key] = ([lam[k] for k in keep], [B[k] for k in keep], [w[k] for k in keep])
        return cache[key]

    def _build_nodes(self, level: int | None, mp: bool, interval: tuple[float, float] | None = None) -> Nodes:
        if self.law is None:
            lam_atoms, B_atoms, p = self._atom_arrays()
            keep = lam_atoms > 0
            if mp:
                return (
                    [exact(x) for x in lam_atoms[keep]],
                    [exact(x) for x in B_atoms[keep]],
                    [exact(x) for x in p[keep]],
                )
            return lam_atoms[keep], B_atoms[keep], p[keep]
        dps = mpmath.mp.dps if mp else None
        rule_level = 0 if level is None else level  # None: laws of atoms only, whose rules have no level
        if interval is None:
            lam, w = self.law.rule(rule_level, dps)
        else:
            lam, w = self.law.rule(rule_level, dps, interval=interval, atoms=False)
        if mp:
            pairs = [(x, wi) for x, wi in zip(lam, w) if x > 0 and wi != 0]
            lam, w = [x for x, _ in pairs], [wi for _, wi in pairs]
        else:
            keep = (lam > 0) & (w != 0)
            lam, w = lam[keep], w[keep]
        if self.mode == "function":
            B = _apply(self._coefficient_function(), lam, mp)
            return lam, B, w
        # independent: the product rule
        b, v = self._coefficient_law().rule(rule_level, dps)
        if mp:
            return ([x for x in lam for _ in b], [y for _ in lam for y in b], [wi * vj for wi in w for vj in v])
        return np.repeat(lam, b.size), np.tile(b, lam.size), np.outer(w, v).ravel()

    # -- convergence in the quadrature level -----------------------------------
    def _converged(
        self, evaluate: _Evaluate, dps: int | None = None
    ) -> tuple[dict[str, Any], dict[str, Any], int | None]:
        """Evaluate at increasing tanh-sinh levels until two agree; (values, errors, level)."""
        mp = dps is not None

        def run() -> tuple[dict[str, Any], dict[str, Any], int | None]:
            if not self.continuous:
                values = evaluate(None, mp)
                return values, dict.fromkeys(values, 0), None
            if mp and holder:
                # A re-run at more digits (the verification) evaluates the rule of the level where the first
                # run converged: the quadrature error is that run's estimate, only the rounding differs.
                error, level = holder[min(holder)]
                return evaluate(level, mp, seeds.get(level)), error, level
            first, last = MP_LEVELS if mp else FLOAT_LEVELS
            tolerance = mpmath.mpf(10) ** (-(mpmath.mp.dps - 3)) if mp else FLOAT_TOLERANCE
            # Root finders start from the same level at fewer digits (a re-run at more digits), else from
            # the coarser level: then a Newton step or two reach the working precision.
            previous = seeds[first] = evaluate(first, mp, seeds.get(first))
            previous_worst: Any = None
            for level in range(first + 1, last + 1):
                current = seeds[level] = evaluate(level, mp, seeds.get(level, previous))
                error = {k: _gap(current[k], previous[k]) for k in current}
                worst = max((_relative(error[k], current[k]) for k in current), default=0)
                if worst <= tolerance:
                    return current, error, level
                if not mp and previous_worst is not None and previous_worst <= worst < 1e-12:
                    return current, error, level  # float64 rounding floor reached
                previous_worst, previous = worst, current
            raise PrecisionError(
                f"the quadrature over the law did not converge by level {last} (relative change "
                f"{float(worst):.2g}); an expectation may be infinite (e.g. E[Lam B^2] for a heavy-tailed spectrum)"
            )

        holder: dict[int, tuple[dict[str, Any], int | None]] = {}
        seeds: dict[int | None, dict[str, Any]] = {}  # level -> values (the seeds of root finders)
        if not mp:
            # Nodes far in a heavy tail (Lam ~ 1e300) overflow (1 + xi Lam)^2 to inf, whose terms are then
            # their exact limit 0; the warning would be noise.
            with np.errstate(over="ignore"):
                return run()

        def compute() -> dict[str, Any]:
            values, error, level = run()
            holder[mpmath.mp.dps] = (error, level)
            return values

        assert dps is not None  # mp
        values: dict[str, Any] = verified(compute, dps, "asymptotic DC")
        error, level = holder[max(holder)]
        return values, error, level

    # -- the DC ----------------------------------------------------------------
    def _dc(
        self, level: int | None, mp: bool, seed: dict[str, Any] | None = None, nodes: Nodes | None = None
    ) -> dict[str, Any]:
        """xi and tau^2 on the level's rule (``seed``, values from a nearby rule or precision, is not
        needed: the xi solvers seed themselves)."""
        lam, B, w = self._nodes(level, mp) if nodes is None else nodes
        bk: Any = MP if mp else NUMPY  # the backend of the precision (backends share no declared interface)
        kappa, sigma = (exact(x) if mp else float(x) for x in (self.kappa, self.sigma))
        xi = bk.number(bk.solve_xi(lam, 1 / kappa, bk.number(0), w))
        return {"xi": xi, "tau2": bk.number(bk.reduce("asymptotic_tau2", xi, kappa, sigma, lam, B, w))}

    # -- sampling ----------------------------------------------------------------
    def sample(self, rng: np.random.Generator, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Draw (Lam, B, X) triples, each of shape (size,), X from ``asymptotic_law``."""
        if not isinstance(rng, np.random.Generator):
            raise ConfigError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        size = check_scalar("size", size, low=1, integer=True)
        if self.law is None:
            lam_atoms, B_atoms, p = self._atom_arrays()
            atoms = rng.choice(lam_atoms.size, size=size, p=p)
            lam, B = lam_atoms[atoms], B_atoms[atoms]
        else:
            lam = self.law.sample(rng, size)
            B = (
                self._coefficient_law().sample(rng, size)
                if self.mode == "independent"
                else _apply(self._coefficient_function(), lam, False)
            )
        H = rng.standard_normal(size)
        safe = np.where(lam > 0, lam, 1.0)
        X = compiled("asymptotic_law")(float(self.xi), self.kappa, np.sqrt(float(self.tau2)), safe, B, H)
        return lam, B, np.where(lam > 0, X, 0.0)

    # -- finite-size counterpart -------------------------------------------------
    def finite_problem(self, P: int) -> tuple[LGP, int]:
        """The finite-size problem on P quantiles of the law: lambda_i = Q((i - 1/2)/P),
        beta_i = b(lambda_i)/sqrt(P), and n = P/kappa (must be an integer). As P grows its
        finite-size predictions (docs/theory.md#finite-size) tend to this asymptotic DC."""
        P = int(check_scalar("P", P, low=2, integer=True))
        n = P / self.kappa
        if abs(n - round(n)) > 1e-9 * n:
            raise ConfigError(f"P / kappa = {n:g} must be an integer (P = {P}, kappa = {self.kappa:g})")
        if self.mode == "independent":
            raise ConfigError(
                "finite_problem needs B as a function of Lam (B independent of Lam has no canonical pairing)"
            )
        if self.law is None:
            lam_atoms, B_atoms, p = self._atom_arrays()
            counts = p * P
            if np.any(np.abs(counts - np.round(counts)) > 1e-9):
                raise ConfigError(f"P = {P} times the atom probabilities must be integers, got {counts}")
            index = np.repeat(np.arange(lam_atoms.size), np.round(counts).astype(int))
            lam, B = lam_atoms[index], B_atoms[index]
        else:
            lam = self.law.quantile_function((np.arange(P) + 0.5) / P)
            B = _apply(self._coefficient_function(), lam, False)
        return LGP(eigenvalues=lam, beta=B / np.sqrt(P), sigma=self.sigma), round(n)

    # -- pruning and retraining ---------------------------------------------------
    def predict(self, keep: float, *, dps: int | None = None) -> AsymptoticPrediction:
        """Asymptotic risks of every strategy when pruning the model trained on all P features
        to a fraction ``keep`` = s/P of its weights (docs/theory.md#thresholded-risk, #retraining, P -> oo).

        Args:
            keep: q = s/P in (0, 1].
            dps: None for the model's precision (float64, or its constructor ``dps``), else that many
                verified digits (as in :func:`dctheory.predict`).

        Raises:
            ConfigError: keep outside (0, 1], a bad dps; oracle pruning of a law it does not support.
            PrecisionError: the quadrature does not converge.
        """
        q = check_scalar("keep", keep, low=0.0, high=1.0, low_open=True)
        dps = self.dps if dps is None else check_dps(dps)
        self._check_signal()
        notes: dict[str, str] = {}
        values, error, level = self._converged(lambda lev, mp, seed=None: self._risks(q, lev, mp, seed, notes), dps)
        risks = {name: values.get(name) for name in STRATEGIES}
        xi, value = (self.xi, self.tau2) if dps == self.dps else (values["xi"], values["tau2"])
        return AsymptoticPrediction(
            q,
            self.kappa,
            self.sigma,
            xi,
            value,
            risks,
            {k: v for k, v in error.items() if not k.startswith("_")},
            level,
            dps,
            notes,
        )

    def predict_schedule(
        self,
        keeps: Sequence[float] = (0.2, 0.1),
        strategy: str = RULES[0].name,  # magnitude
        retrain: bool | Sequence[bool] = True,
        *,
        dps: int | None = None,
    ) -> ScheduleResult:
        """Asymptotic risks of pruning in rounds (docs/theory.md#schedule): round r prunes the current model
        to the fraction ``keeps[r]`` of the P features and, if it retrains, fits a fresh model on the kept
        support with a new sample of n = P/kappa.

        Round r + 1 is the one-round theory (:meth:`predict`) of the sub-problem on the support kept so far:
        its law is this law reweighted by chi(Lam, B), the probability that the rounds so far kept a
        coordinate given (Lam, B); its noise is sigma^2 + E[Lam B^2 (1 - chi)]; its ratio is q_r kappa and
        it keeps the fraction q_(r+1)/q_r of its features. In the scale of this law that is: expectations
        with weight chi, this kappa, absolute fractions (``schedule_xi_equation``, ``schedule_tau2``,
        ``schedule_threshold_equation``, ``schedule_magnitude_risk``). A support with q_r kappa < 1 is fit by
        least squares (``schedule_underparameterized_sd``), and q_r kappa = 1 has infinite risk.

        A round that does not retrain passes its pruned model on: the next round prunes the same trained
        model further, which for every strategy is pruning it once to the next size.

        Args:
            keeps: the kept fractions q_r of P, strictly decreasing, in (0, 1].
            strategy: "magnitude", "hessian", "oracle" or "random", for every round.
            retrain: fresh retraining after each round (True), never (False), or one flag per round.
            dps: None for the model's precision (float64, or its constructor ``dps``), else that many
                verified digits.

        Returns:
            :class:`dctheory.results.ScheduleResult`: per round ``kept`` (q_r), ``pruned`` and
            ``retrained`` (None where the round does not retrain or the risk is infinite); ``one_shot`` is
            :meth:`predict` at the last fraction for the same strategy.

        Raises:
            ConfigError: bad keeps, strategy, retrain or dps; oracle pruning of a law it does not support.
            PrecisionError: the quadrature does not converge.
        """
        fractions = _check_keeps(keeps)
        names = (*(rule.name for rule in RULES), ORACLE, RANDOM)
        if strategy not in names:
            raise ConfigError(f"strategy = {show(strategy)} must be one of {', '.join(names)}")
        flags = _check_retrain(retrain, len(fractions))
        dps = self.dps if dps is None else check_dps(dps)
        self._check_signal()
        notes: dict[str, str] = {}
        values, _, level = self._converged(
            lambda lev, mp, seed=None: self._schedule(fractions, strategy, flags, lev, mp, seed, notes), dps
        )
        one = self.predict(fractions[-1], dps=dps)
        rounds = [
            {
                "kept": q,
                "pruned": values[f"pruned {r}"],
                "retrained": values[f"retrained {r}"] if flags[r] else None,
            }
            for r, q in enumerate(fractions)
        ]
        one_shot = {
            "kept": fractions[-1],
            "pruned": one.risks[strategy],
            "retrained": one.risks.get(retrained(strategy)) if strategy in RULE_NAMES else values["retrained once"],
        }
        if not all(flags):
            notes["retrain"] = (
                "a round that does not retrain passes its pruned model on: the next round prunes the same "
                "trained model further"
            )
        rule = "exact sums over atoms" if level is None else f"tanh-sinh level {level}"
        return ScheduleResult(
            strategy,
            rounds,
            one_shot,
            setting={"kappa": self.kappa, "sigma": self.sigma},
            method=f"the asymptotic recursion ({rule})",
            dps=dps,
            notes=notes,
        )

    def _schedule(
        self,
        keeps: list[float],
        strategy: str,
        retrain: list[bool],
        level: int | None,
        mp: bool,
        seed: dict[str, Any] | None,
        notes: dict[str, str],
    ) -> dict[str, Any]:
        """The schedule's risks on the level's rule (``pruned r``, ``retrained r`` for round r from 0, and
        ``retrained once``: fresh retraining after pruning once to the last fraction). ``seed``: the values of
        a nearby rule or precision; their thresholds (``_t r``) start the mpmath Newton steps."""
        bk: Any = MP if mp else NUMPY
        number: Callable[[Any], Any] = (lambda x: x) if mp else float
        lam, B, w = (bk.vector(a) for a in self._risk_nodes(level, mp))
        sigma = exact(self.sigma) if mp else float(self.sigma)
        first = _Kept(lam, B, w, bk.ones_like(w), sigma, 1.0, 0.0 if self.continuous else None)
        kept = first
        model = first_model = self._trained(bk, first)
        out: dict[str, Any] = {}
        for r, q in enumerate(keeps):
            if model is None:
                out[f"pruned {r}"] = out[f"retrained {r}"] = None
                notes.setdefault("all", "a support with q kappa = 1 is interpolated exactly: infinite risk")
                continue
            start = None if seed is None else seed.get(f"_t {r}")
            pruned, next_kept, threshold = self._prune_kept(bk, kept, model, q, strategy, level, mp, start, notes)
            next_model = self._trained(bk, next_kept)
            out[f"pruned {r}"] = number(pruned)
            out[f"retrained {r}"] = None if next_model is None else number(next_model.dense)
            if threshold is not None:
                out[f"_t {r}"] = threshold
            if retrain[r]:
                kept, model = next_kept, next_model
        if strategy in (ORACLE, RANDOM) and first_model is not None:
            # The one-round prediction reports no retraining after these two: fresh retraining after pruning once.
            _, once, _ = self._prune_kept(bk, first, first_model, keeps[-1], strategy, level, mp, None, notes)
            trained = self._trained(bk, once)
            out["retrained once"] = None if trained is None else number(trained.dense)
        return out

    def _trained(self, bk: Any, kept: _Kept) -> _Trained | None:
        """The model fit on the kept support with a fresh sample: its dense risk and coordinate law
        (docs/theory.md#schedule); None for q kappa = 1 (exact interpolation, infinite risk)."""
        kappa = _scalar(self.kappa, bk)
        ratio = kept.q * self.kappa
        if ratio == 1:
            return None
        if ratio > 1:
            xi = bk.number(bk.solve_xi(kept.lam, 1 / kappa, bk.number(0), kept.w * kept.chi))
            value = bk.number(bk.reduce("schedule_tau2", xi, kappa, kept.sigma, kept.lam, kept.B, kept.chi, kept.w))
            return _Trained(OVER, value, xi, value, None)
        sigma_S = bk.sqrt(kernel.effective_noise(bk, kept.sigma, kept.lam, kept.B, kept.w * (1 - kept.chi)))
        q = _scalar(kept.q, bk)
        dense = bk.number(
            bk.reduce("asymptotic_retrained_risk", kept.sigma, kappa, q, kept.lam, kept.B, kept.chi, kept.w)
        )
        return _Trained(UNDER, dense, None, None, sigma_S)

    def _prune_kept(
        self,
        bk: Any,
        kept: _Kept,
        model: _Trained,
        q: float,
        strategy: str,
        level: int | None,
        mp: bool,
        start: Any,
        notes: dict[str, str],
    ) -> tuple[Any, _Kept, Any]:
        """Prune the model trained on ``kept`` to the fraction q of P: (pruned risk, the kept support after
        pruning, the threshold or None) (docs/theory.md#schedule)."""
        kappa, q_ = _scalar(self.kappa, bk), _scalar(q, bk)
        lam, B, W = kept.lam, kept.B, kept.w * kept.chi
        mean, sd = model.law(bk, kappa, kept, lam, B)
        sigma_S = bk.sqrt(kernel.effective_noise(bk, kept.sigma, lam, B, kept.w * (1 - kept.chi)))
        if q >= (sum(W) if mp else float(np.sum(W))):  # nothing to prune: every live coordinate is kept
            notes["all"] = "keep >= the live mass of the support: nothing to prune, the round keeps its model"
            return model.dense, replace(kept, q=q), None
        if strategy == RANDOM:
            previous = _scalar(kept.q, bk)
            risk = kernel.random_risk(bk, sigma_S, q_, previous, lam, mean, sd, B, W)
            return risk, replace(kept, chi=kept.chi * (q_ / previous), q=q), None
        if strategy == ORACLE:
            return (*self._oracle_kept(bk, kept, model, q, level, mp, mean, sd, sigma_S), None)
        rule = next(r for r in RULES if r.name == strategy)
        risk, pi, t = _rule_pruned(bk, rule, mp, sigma_S, lam, B, W, mean, sd, q_, start)
        return risk, replace(kept, chi=kept.chi * pi, q=q), t

    def _oracle_kept(
        self,
        bk: Any,
        kept: _Kept,
        model: _Trained,
        q: float,
        level: int | None,
        mp: bool,
        mean: Any,
        sd: Any,
        sigma_S: Any,
    ) -> tuple[Any, _Kept]:
        """Oracle pruning of the model trained on ``kept`` to the top-q mass of the saliency Lam B^2: for a law
        of atoms, the top q of the kept weight; for a continuous law, whose oracle supports are upper tails
        v > v_q of its quantile variable (the saliency is non-decreasing in Lam), the tail of mass q."""
        lam, B, W = kept.lam, kept.B, kept.w * kept.chi
        q_ = _scalar(q, bk)
        if not self.continuous:
            saliency = lam * B * B
            o = kernel.top_s(bk, W, saliency, q_) / bk.where(W > 0, W, bk.number(1))
            risk = kernel.kept_fraction_risk(bk, sigma_S, lam, o, mean, bk.where(sd > 0, sd, bk.number(1)), B, W)
            return risk, replace(kept, chi=kept.chi * o, q=q)
        assert level is not None and kept.start is not None
        reason = self._oracle_unsupported(level)
        if reason:
            raise ConfigError(reason)
        end = _tail_start(self._lam_law(), q, level, mp)
        band = tuple(bk.vector(a) for a in self._risk_nodes(level, mp, interval=(kept.start, end)))
        lam_t, B_t, w_t = (bk.vector(a) for a in self._risk_nodes(level, mp, interval=(end, 1)))
        mean_t, sd_t = model.law(bk, _scalar(self.kappa, bk), kept, lam_t, B_t)
        base2 = kernel.effective_noise(bk, kept.sigma, *band)
        risk = kernel.effective_noise(bk, sigma_S, *band) + kernel.oracle_risk(
            bk, bk.number(0), lam_t, bk.ones_like(w_t), mean_t, sd_t, B_t, w_t
        )
        return risk, _Kept(lam_t, B_t, w_t, bk.ones_like(w_t), bk.sqrt(base2), q, end)

    def _check_signal(self) -> None:
        """E[Lam B^2] (= beta^T Sigma beta, in every pruned risk) must be finite (checked once per model)."""
        if not self.continuous or getattr(self, "_signal_finite", False):
            return
        totals: list[float] = []
        for level in (FLOAT_LEVELS[1] - 2, FLOAT_LEVELS[1]):
            lam, B, w = self._nodes(level, False)
            with np.errstate(over="ignore", invalid="ignore"):
                totals.append(float(np.sum(w * lam * B**2)))
        if not all(np.isfinite(totals)) or abs(totals[1] - totals[0]) > 1e-8 * abs(totals[1]):
            raise PrecisionError(
                f"E[Lam B^2] (the signal beta^T Sigma beta) appears infinite for {self._lam_law().name}: "
                f"the quadrature gives {totals[0]:.6g} and {totals[1]:.6g} at two levels; pruned risks need it finite"
            )
        self._signal_finite = True

    def _risks(
        self, q: float, level: int | None, mp: bool, seed: dict[str, Any] | None, notes: dict[str, str]
    ) -> dict[str, Any]:
        """Every strategy on the level's rule: the pipeline (:func:`dctheory.pipeline.strategy_risks`) on the
        route :class:`_LawRoute`, with the law's probabilities as weights and n = 1/kappa. ``seed``: the values
        of a nearby rule or precision (their thresholds start the mpmath Newton steps), or None."""
        return strategy_risks(MP if mp else NUMPY, _LawRoute(self, q, level, mp, seed, notes))

    def _oracle_unsupported(self, level: int) -> str:
        """Why oracle pruning of this continuous law is not supported ("" where it is): its oracle supports must
        be upper tails of Lam (B a function of Lam, saliency Lam b(Lam)^2 non-decreasing, no atoms of positive
        saliency)."""
        if self.mode == "independent":
            return (
                "oracle pruning with a continuous law and B independent of Lam is not supported by "
                "the asymptotic predictions (give B as a function of Lam)"
            )
        law, b = self._lam_law(), self._coefficient_function()
        positive = [x for x, _ in law.atoms if x > 0 and _apply(b, np.array([x]), False)[0] != 0]
        if positive:
            return (
                f"oracle pruning of {law.name}: atoms of positive saliency (at Lam = {positive}) "
                f"next to a continuous part are not supported"
            )
        x, _ = law.rule(level, None, atoms=False)
        saliency = x * _apply(b, x, False) ** 2
        if np.any(np.diff(saliency) < -1e-12 * np.max(np.abs(saliency))):
            return "oracle pruning needs the saliency Lam b(Lam)^2 to be non-decreasing in Lam"
        return ""

    def _oracle(
        self, q: float, level: int | None, mp: bool, xi: Any, value: Any, nodes: Nodes, mean: Any, sd: Any
    ) -> Any:
        """Oracle pruning: keep the top-q mass of the saliency Lam B^2 (ties: atoms in the given order).

        ``nodes`` (Lam, B, w) is the level's rule and ``mean``, ``sd`` its coordinate parameters."""
        bk: Any = MP if mp else NUMPY
        sigma, kappa = (exact(x) if mp else float(x) for x in (self.sigma, self.kappa))
        lam, B, w = nodes

        def risk(
            o: Any, sigma_value: Any, lam: Any = lam, B: Any = B, w: Any = w, mean: Any = mean, sd: Any = sd
        ) -> Any:
            value = kernel.oracle_risk(bk, sigma_value, lam, o, mean, sd, B, w)
            return value if mp else float(value)

        def ones(x: Sized, fill: int = 1) -> np.ndarray:
            return np.array([mpmath.mpf(fill)] * len(x), dtype=object) if mp else np.full(len(x), float(fill))

        if not self.continuous:
            saliency = np.array([float(x) * float(y) ** 2 for x, y in zip(lam, B)])
            # The top-q mass of the saliency (ties in the given order), the kernel's top-s rule.
            return risk(kernel.top_s(bk, w, saliency, exact(q) if mp else q) / w, sigma)
        assert level is not None  # a continuous law: a tanh-sinh level
        reason = self._oracle_unsupported(level)
        if reason:
            raise _Unsupported(reason)
        law = self._lam_law()
        if q >= law.mass:
            return risk(ones(lam), sigma)
        start = _tail_start(law, q, level, mp)
        lam_t, B_t, w_t = (bk.vector(a) for a in self._risk_nodes(level, mp, interval=(start, 1)))
        mean_t, sd_t = kernel.coordinate_law(bk, OVER, lam_t, B_t, n=1 / kappa, xi=xi, tau2=value)
        tail = {"lam": lam_t, "B": B_t, "w": w_t, "mean": mean_t, "sd": sd_t}
        return risk(ones(lam, 0), sigma) + risk(ones(lam_t), 0, **tail) - risk(ones(lam_t, 0), 0, **tail)


class _LawRoute:
    """The route of the pipeline for the asymptotic law: one "row", the nodes of the level's rule (Lam, B,
    weight = probability), the kept fraction q as the sparsity target, n = 1/kappa. Besides the strategies it
    returns xi, tau^2 and each rule's threshold (``_t_<rule>``, the seed of the next level or precision)."""

    #: the pruning rules to evaluate (:func:`dctheory.pipeline.strategy_risks`)
    rules: tuple[Rule, ...] = RULES

    def __init__(
        self,
        model: AsymptoticDC,
        q: float,
        level: int | None,
        mp: bool,
        seed: dict[str, Any] | None,
        notes: dict[str, str],
    ) -> None:
        self.model, self.q, self.level, self.mp, self.seed, self.notes = model, q, level, mp, seed, notes
        self.number: Callable[[Any], Any] = (lambda x: x) if mp else float

    def dense(self, bk: Any) -> dict[str, Any]:
        model, mp = self.model, self.mp
        nodes = model._risk_nodes(self.level, mp)
        dc = model._dc(self.level, mp, nodes=nodes)
        self.xi, self.value = xi, value = dc["xi"], dc["tau2"]
        self.lam, self.B, self.w = lam, B, _w = tuple(bk.vector(a) for a in nodes)
        self.kappa, self.sigma, self.q_ = tuple(
            exact(x) if mp else float(x) for x in (model.kappa, model.sigma, self.q)
        )
        self.mean, self.sd = kernel.coordinate_law(bk, OVER, lam, B, n=1 / self.kappa, xi=xi, tau2=value)
        return {"xi": xi, "tau2": value, DENSE: value}

    def oracle(self, bk: Any, out: dict[str, Any]) -> None:
        try:
            out[ORACLE] = self.model._oracle(
                self.q, self.level, self.mp, self.xi, self.value, (self.lam, self.B, self.w), self.mean, self.sd
            )
        except _Unsupported as reason:
            out[ORACLE], self.notes[ORACLE] = None, str(reason)

    def nothing_to_prune(self, bk: Any, out: dict[str, Any]) -> bool:
        if self.q < self.model._positive_mass():
            return False
        for name in FALLS_BACK_TO_DENSE:
            out[name] = self.value
        self.notes["all"] = "keep >= P(Lam > 0): nothing to prune, every strategy keeps the dense model"
        return True

    def random(self, bk: Any, out: dict[str, Any]) -> None:
        out[RANDOM] = self.number(
            kernel.random_risk(bk, self.sigma, self.q_, 1, self.lam, self.mean, self.sd, self.B, self.w)
        )

    def prune(self, bk: Any, out: dict[str, Any]) -> dict[str, Any]:
        """Per rule, the keep probability of each node."""
        keep: dict[str, Any] = {}
        for rule in RULES:
            start = None if self.seed is None else self.seed.get(f"_t_{rule.name}")
            risk, keep[rule.name], t = _rule_pruned(
                bk, rule, self.mp, self.sigma, self.lam, self.B, self.w, self.mean, self.sd, self.q_, start
            )
            out[rule.name] = self.number(risk)
            if t is not None:
                out[f"_t_{rule.name}"] = t
        return keep

    def retrain(self, bk: Any, rule: Rule, pi: Any, out: dict[str, Any]) -> None:
        name, q, model = retrained(rule.name), self.q, self.model
        sigma, kappa, q_, lam, B, w = self.sigma, self.kappa, self.q_, self.lam, self.B, self.w
        if q * model.kappa < 1:
            out[name] = self.number(bk.reduce("asymptotic_retrained_risk", sigma, kappa, q_, lam, B, pi, w))
        elif q * model.kappa == 1:
            out[name] = None
            self.notes[name] = "q kappa = 1: retraining interpolates exactly at s = n (infinite risk)"
        else:
            kept = w * pi
            sigma2_S = kernel.effective_noise(bk, sigma, lam, B, w * (1 - pi))
            xi_S = bk.number(bk.solve_xi(lam, 1 / kappa, bk.number(0), kept))
            out[name] = self.number(bk.reduce("asymptotic_tau2", xi_S, kappa, bk.sqrt(sigma2_S), lam, B, kept))


# ---------------------------------------------------------------------------
# Pieces shared by the float64 and mpmath routes
# ---------------------------------------------------------------------------


RULE_NAMES = tuple(rule.name for rule in RULES)


@dataclass(frozen=True)
class _Kept:
    """The support kept by the rounds so far, on a level's rule (docs/theory.md#schedule).

    ``lam``, ``B``, ``w``: the nodes and their probabilities; ``chi``: per node, the probability that the rounds
    kept the coordinate; ``sigma``: the noise level of the nodes' problem (sigma, raised by the signal of the
    coordinates outside the nodes: the oracle's dropped lower part of a continuous law); ``q``: the kept fraction
    of P; ``start``: for a continuous law, the lower end of the nodes' interval of the quantile variable (0 for
    all of it; oracle supports are upper tails), None for a law of atoms."""

    lam: Any
    B: Any
    w: Any
    chi: Any
    sigma: Any
    q: float
    start: Any


@dataclass(frozen=True)
class _Trained:
    """The model fit on a kept support with a fresh sample: ``regime`` (OVER: min-norm with ``xi`` and
    ``tau2``; UNDER: least squares with noise ``sigma_S``) and its ``dense`` risk."""

    regime: str
    dense: Any
    xi: Any
    tau2: Any
    sigma_S: Any

    def law(self, bk: Any, kappa: Any, kept: _Kept, lam: Any, B: Any) -> tuple[Any, Any]:
        """(mean, sd) of the limit of sqrt(P) w_i given (Lam, B) at the nodes ``lam``, ``B`` of the support."""
        if self.regime == OVER:
            return kernel.coordinate_law(bk, OVER, lam, B, n=1 / kappa, xi=self.xi, tau2=self.tau2)
        safe = bk.where(lam > 0, lam, bk.number(1))
        sd = bk.pointwise("schedule_underparameterized_sd", self.sigma_S, kappa, _scalar(kept.q, bk), safe)
        return B, bk.where(lam > 0, sd, bk.number(0))


def _rule_pruned(
    bk: Any, rule: Rule, mp: bool, sigma: Any, lam: Any, B: Any, w: Any, mean: Any, sd: Any, q: Any, start: Any
) -> tuple[Any, Any, Any]:
    """Pruning by a thresholding rule to the kept mass q of the weights w (docs/theory.md#thresholded-risk):
    (risk, keep probability per node, threshold or None). ``sigma``: the noise level of the nodes' problem;
    ``start``: a threshold that starts the mpmath Newton steps (or None). Where every live coordinate has zero
    variance the top-q mass of the scores is kept exactly (no threshold)."""
    if mp:
        exact_law = kernel.deterministic(bk, lam, sd, w)
    else:
        exact_law = bool(kernel.deterministic(bk, lam, sd[None], w[None])[0])
    if exact_law:
        pi = kernel.top_s(bk, w, rule.score(lam, mean), q) / bk.where(w > 0, w, bk.number(1))
        risk = kernel.kept_fraction_risk(bk, sigma, lam, pi, mean, bk.where(sd > 0, sd, bk.number(1)), B, w)
        return risk, pi, None
    scale = rule.scale(bk, lam)
    if mp:
        t = kernel.threshold(bk, {"w": w, "mean": mean, "sd": sd}, {"c": scale}, q, start=start)
    else:
        t = float(
            kernel.threshold(bk, {"w": w[None], "mean": mean[None], "sd": sd[None]}, {"c": scale}, q, rtol=1e-9)[0]
        )
    thresholds = scale * t
    return (
        kernel.thresholded_risk(bk, sigma, lam, thresholds, mean, sd, B, w),
        kernel.keep_probability(bk, thresholds, mean, sd),
        t,
    )


def _scalar(x: float, bk: Any) -> Any:
    """A float input in the backend's numbers: the exact decimal it was written as (float64: the float itself)."""
    return bk.number(exact(x))


def _check_keeps(keeps: object) -> list[float]:
    """The kept fractions: a non-empty sequence in (0, 1], strictly decreasing (ConfigError: one line)."""
    valid = "a non-empty list of kept fractions in (0, 1], strictly decreasing"
    if isinstance(keeps, (str, bytes)) or not isinstance(keeps, (Sequence, np.ndarray)) or len(keeps) == 0:
        raise ConfigError(f"keeps = {show(keeps)} must be {valid}")
    fractions: list[float] = []
    for r, value in enumerate(keeps):
        q = check_scalar(f"keeps[{r}]", value)  # a finite number
        if not 0 < q <= 1:
            raise ConfigError(f"keeps[{r}] = {show(value)} must lie in (0, 1]: {valid}")
        if r and q >= fractions[-1]:
            raise ConfigError(
                f"keeps[{r}] = {show(value)} must lie in (0, keeps[{r - 1}] = {show(keeps[r - 1])}): {valid}"
            )
        fractions.append(q)
    return fractions


def _check_retrain(retrain: object, rounds: int) -> list[bool]:
    """One retraining flag per round from a bool or a sequence of bools (ConfigError: one line)."""
    if isinstance(retrain, (bool, np.bool_)):
        return [bool(retrain)] * rounds
    if (
        isinstance(retrain, (Sequence, np.ndarray))
        and not isinstance(retrain, (str, bytes))
        and len(retrain) == rounds
        and all(isinstance(flag, (bool, np.bool_)) for flag in retrain)
    ):
        return [bool(flag) for flag in retrain]
    raise ConfigError(f"retrain = {show(retrain)} must be true, false or a list of {rounds} booleans (one per round)")


class _Unsupported(Exception):
    """A strategy the asymptotic predictions do not cover for this law (reported in ``notes``)."""


class _Constant:
    """B = r for every Lam."""

    def __init__(self, r: float) -> None:
        self.r = r

    def __repr__(self) -> str:
        return f"{self.r:g}"

    def __call__(self, lam: Any) -> Any:
        if isinstance(lam, np.ndarray):
            return np.full(lam.shape, self.r)
        return exact(self.r) if isinstance(lam, mpmath.mpf) else self.r


def _apply(function: CoefficientFunction, lam: Any, mp: bool) -> Any:
    """B = function(Lam) at the nodes: a list of mpmath numbers at ``mp``, else a float64 array."""
    if mp:
        values = [function(x) for x in lam]
        if not all(isinstance(y, mpmath.mpf) for y in values):
            raise PrecisionError("the coefficient function must return mpmath numbers for mpmath arguments (dps)")
        return values
    out = np.asarray(function(np.asarray(lam, dtype=float)), dtype=float)
    if out.shape != np.shape(lam) or not np.all(np.isfinite(out)):
        raise ConfigError("the coefficient function must map an array of Lam to finite values of the same shape")
    return out


def _gap(a: Any, b: Any) -> Any:
    if a is None or b is None:
        return 0 if a is None and b is None else float("inf")
    return abs(a - b)


def _relative(gap: Any, value: Any) -> Any:
    if value is None:
        return 0
    return gap / max(abs(value), 1e-300)


def _tail_start(law: Distribution, q: float, level: int, mp: bool) -> Any:
    """v_c with continuous mass q above it (the kept upper tail of the oracle)."""
    if law.kind == "quantile":
        return (1 - exact(q) / (1 - mpmath.fsum(exact(p) for _, p in law.atoms))) if mp else 1 - q / law.mass

    def tail(v: Any, mp: bool) -> Any:
        if v >= 1:
            return -q
        _, w = law.rule(level, mpmath.mp.dps if mp else None, interval=(v, 1), atoms=False)
        return (mpmath.fsum(w) if mp else float(np.sum(w))) - q

    import scipy.optimize  # imported when first needed (start-up time)

    # Bracketed in float64 (an mpmath rule per step cost most of a 50-digit prediction), then refined.
    v = scipy.optimize.brentq(lambda v: tail(v, False), 0.0, 1.0, xtol=1e-17, rtol=1e-15)
    if not mp:
        return v
    return mpmath.findroot(lambda v: tail(v, True), mpmath.mpf(v), tol=mpmath.mpf(10) ** (-2 * mpmath.mp.dps))
