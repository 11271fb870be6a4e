"""The distributional characterization as a law: its parameters and seeded sampling.

Finite size (THEORY.md section 1, the paper's Def. 4): in the eigenbasis of
Sigma_DD the min-norm (or ridge, or least-squares) solution has independent
Gaussian coordinates N(mu_i, s_i^2); ``DCLaw.sample`` draws from it and
rotates back to the original coordinates of D.

Asymptotic (THEORY.md section 2, Def. 3): ``AsymptoticDC`` for a discrete law
of (Lam, B) given by atoms and probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np

from dctheory._compiled import compiled
from dctheory.errors import ConfigError, RegimeError
from dctheory.problems import LGP, EffectiveProblem, check_scalar
from dctheory.solvers import (
    OVER, RIDGE, UNDER, Solution, check_dps, regime, solve_xi, solve_xi_mp, tau2, tau2_mp,
    undefined_message, verified,
)

__all__ = ["DCLaw", "dc_law", "solve", "AsymptoticDC"]


def check_n_ridge(n, ridge):
    n = check_scalar("n", n, low=2, integer=True)
    ridge = check_scalar("ridge", ridge, low=0.0)
    return n, ridge


def solve(effective: EffectiveProblem, n: int, ridge: float = 0.0, dps: int | None = None, problem: LGP | None = None) -> Solution:
    """xi, tau^2 and the dense risk of an effective problem (THEORY.md section 1).

    Args:
        effective: from :meth:`LGP.effective`.
        n: number of samples (>= 2).
        ridge: ridge strength (0: min-norm / least squares).
        dps: None for float64; an integer for that many verified digits (mpmath).
        problem: the LGP that ``effective`` comes from; with ``dps``, its inputs are
            re-read as exact decimals and the effective problem recomputed in mpmath.

    Raises:
        RegimeError: ridgeless with rank(Sigma_DD) in [n - 1, n].
    """
    n, ridge = check_n_ridge(n, ridge)
    rank = effective.rank
    kind = regime(np.array(rank), n, ridge)[()]
    if kind is None:
        raise RegimeError(undefined_message(rank, n))
    lam, b, sigma2 = effective.eigenvalues, effective.b, effective.sigma2_D
    if dps is None:
        if kind == UNDER:
            return Solution(UNDER, None, None, float(compiled("underparameterized_risk")(np.sqrt(sigma2), n, rank)))
        xi = float(solve_xi(lam, n, ridge))
        value = float(tau2(xi, lam, b, sigma2, n, ridge))
        return Solution(kind, xi, value, value)

    if problem is None:
        raise ConfigError("solve with dps needs the problem (to read its inputs as exact decimals)")

    def compute():
        lam_mp, b_mp, sigma2_mp = problem.effective_exact(effective.features)
        ridge_mp = mpmath.mpf(repr(ridge))
        if kind == UNDER:
            risk = compiled("underparameterized_risk", "mpmath")(mpmath.sqrt(sigma2_mp), n, rank)
            return (None, None, risk)
        xi = solve_xi_mp(lam_mp, n, ridge_mp)
        value = tau2_mp(xi, lam_mp, b_mp, sigma2_mp, n, ridge_mp)
        return (xi, value, value)

    xi, value, dense = verified(compute, check_dps(dps), "dense solution")
    return Solution(kind, xi, value, dense)


@dataclass(frozen=True)
class DCLaw:
    """The finite-size law of the trained weights on D (THEORY.md section 1).

    Attributes:
        effective: the effective problem on D.
        solution: xi, tau^2, dense risk.
        mean, sd: (m,) parameters of the independent coordinates in the eigenbasis.
    """

    problem: LGP
    effective: EffectiveProblem
    n: int
    ridge: float
    solution: Solution
    mean: np.ndarray
    sd: np.ndarray

    def sample(self, rng: np.random.Generator, size: int, *, embed: bool = False) -> np.ndarray:
        """Draw ``size`` weight vectors: shape (size, m), or (size, P) with zeros
        outside D when ``embed``. ``rng`` is a numpy Generator (seeded by the caller)."""
        if not isinstance(rng, np.random.Generator):
            raise ConfigError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        size = check_scalar("size", size, low=1, integer=True)
        coordinates = self.mean + self.sd * rng.standard_normal((size, self.mean.size))
        w = coordinates if self.effective.basis is None else coordinates @ self.effective.basis.T
        if not embed:
            return w
        full = np.zeros((size, self.problem.P))
        full[:, self.effective.features] = w
        return full


def law_parameters(effective: EffectiveProblem, n: int, solution: Solution):
    """(mean, sd) of the eigenbasis coordinates; zero-variance directions are exactly 0."""
    lam, b = effective.eigenvalues, effective.b
    positive = lam > 0
    safe = np.where(positive, lam, 1.0)
    if solution.regime == UNDER:
        mean = np.where(positive, b, 0.0)
        sd = compiled("underparameterized_sd")(np.sqrt(effective.sigma2_D), n, effective.rank, safe)
    else:
        xi = float(solution.xi)
        mean = compiled("coordinate_mean")(xi, lam, b)
        sd = compiled("coordinate_sd")(xi, np.sqrt(float(solution.tau2)), n, lam)
    return np.where(positive, mean, 0.0), np.where(positive, sd, 0.0)


def dc_law(problem: LGP, n: int, m=None, ridge: float = 0.0) -> DCLaw:
    """The DC law of the model trained on the first ``m`` features (or on the index array ``m``)."""
    effective = problem.effective(problem.P if m is None else m)
    solution = solve(effective, n, ridge)
    mean, sd = law_parameters(effective, n, solution)
    return DCLaw(problem, effective, int(n), float(ridge), solution, mean, sd)


class AsymptoticDC:
    """The asymptotic DC (THEORY.md section 2, Def. 3) for a discrete law of (Lam, B).

    Args:
        eigenvalues: atoms Lam_k >= 0, shape (K,).
        coefficients: atoms B_k (B = sqrt(P) beta), shape (K,).
        probabilities: p_k >= 0 summing to 1 (default uniform).
        kappa: P/n > 1.
        sigma: noise level.
        dps: None (float64) or verified digits (mpmath).
    """

    def __init__(self, eigenvalues, coefficients, probabilities=None, *, kappa, sigma=0.0, dps=None):
        lam = np.asarray(eigenvalues, dtype=float)
        B = np.asarray(coefficients, dtype=float)
        if lam.ndim != 1 or B.shape != lam.shape or lam.size == 0:
            raise ConfigError(f"eigenvalues and coefficients must be 1-d of equal length, got {lam.shape} and {B.shape}")
        if np.any(lam < 0) or not np.all(np.isfinite(lam)) or not np.all(np.isfinite(B)):
            raise ConfigError("atoms must be finite with eigenvalues >= 0")
        p = np.full(lam.size, 1.0 / lam.size) if probabilities is None else np.asarray(probabilities, dtype=float)
        if p.shape != lam.shape or np.any(p < 0) or abs(p.sum() - 1) > 1e-12:
            raise ConfigError(f"probabilities must be >= 0, of length {lam.size}, and sum to 1 (sum = {p.sum():.6g})")
        self.kappa = check_scalar("kappa", kappa, low=1.0, low_open=True)
        self.sigma = check_scalar("sigma", sigma, low=0.0)
        if float(np.sum(p * (lam > 0))) * self.kappa <= 1:
            raise RegimeError(
                f"the asymptotic xi equation has no root: P(Lam > 0) * kappa = "
                f"{float(np.sum(p * (lam > 0))) * self.kappa:g} must exceed 1"
            )
        self.eigenvalues, self.coefficients, self.probabilities = lam, B, p
        self.dps = None if dps is None else check_dps(dps)
        # E[a] = 1/kappa is the finite-size equation with weights p and "n" = 1/kappa.
        if self.dps is None:
            self.xi = float(solve_xi(lam, 1.0 / self.kappa, 0.0, p))
            self.tau2 = float(compiled("asymptotic_tau2")(self.xi, self.kappa, self.sigma, lam, B, p))
        else:
            def compute():
                kappa = mpmath.mpf(self.kappa)
                xi = solve_xi_mp(lam, 1 / kappa, 0, p)
                return xi, compiled("asymptotic_tau2", "mpmath")(xi, kappa, self.sigma, lam, B, p)

            self.xi, self.tau2 = verified(compute, self.dps, "asymptotic DC")

    def sample(self, rng: np.random.Generator, size: int):
        """Draw (Lam, B, X) triples, each of shape (size,)."""
        atoms = rng.choice(self.eigenvalues.size, size=size, p=self.probabilities)
        lam, B = self.eigenvalues[atoms], self.coefficients[atoms]
        H = rng.standard_normal(size)
        safe = np.where(lam > 0, lam, 1.0)
        X = compiled("asymptotic_law")(float(self.xi), self.kappa, np.sqrt(float(self.tau2)), safe, B, H)
        return lam, B, np.where(lam > 0, X, 0.0)
