"""The distributional characterization as a law: its parameters and seeded sampling.

Finite size (docs/theory.md#finite-size, the paper's Def. 4): in the eigenbasis of
Sigma_DD the min-norm (or ridge, or least-squares) solution has independent
Gaussian coordinates N(mu_i, varsigma_i^2); ``DCLaw.sample`` draws from it and
rotates back to the original coordinates of D.

The asymptotic DC (docs/theory.md#asymptotic) is :class:`dctheory.asymptotic.AsymptoticDC`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import mpmath
import numpy as np
from numpy.typing import ArrayLike

from dctheory import kernel
from dctheory._compiled import compiled
from dctheory.backends import NUMPY
from dctheory.checks import check_dps, check_n_ridge, check_scalar
from dctheory.engines import verified
from dctheory.errors import ConfigError, RegimeError
from dctheory.problems import LGP, EffectiveProblem
from dctheory.solvers import (
    UNDER,
    Solution,
    regime,
    solve_dense,
    solve_dense_mp,
    undefined_message,
)

__all__ = ["DCLaw", "dc_law", "solve"]


def solve(
    effective: EffectiveProblem, n: int, ridge: float = 0.0, dps: int | None = None, problem: LGP | None = None
) -> Solution:
    """xi, tau^2 and the dense risk of an effective problem (docs/theory.md#finite-size).

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
    found = regime(np.array(rank), n, ridge)[()]
    if found is None:
        raise RegimeError(undefined_message(rank, n))
    kind = str(found)
    lam, b, sigma2 = effective.eigenvalues, effective.b, effective.sigma2_D
    if dps is None:
        if kind == UNDER:
            return Solution(UNDER, None, None, float(compiled("underparameterized_risk")(np.sqrt(sigma2), n, rank)), n)
        size, xi, value = solve_dense(lam, b, sigma2, n, ridge)  # n_lambda with a ridge
        return Solution(kind, float(xi), float(value), float(value), float(size))

    if problem is None:
        raise ConfigError("solve with dps needs the problem (to read its inputs as exact decimals)")

    def compute() -> tuple[Any, ...]:
        lam_mp, b_mp, sigma2_mp = problem.effective_exact(effective.features)
        ridge_mp = mpmath.mpf(repr(ridge))
        if kind == UNDER:
            risk = compiled("underparameterized_risk", "mpmath")(mpmath.sqrt(sigma2_mp), n, rank)
            return (None, None, risk)
        size, xi, value = solve_dense_mp(lam_mp, b_mp, sigma2_mp, n, ridge_mp)  # n_lambda with a ridge
        return (xi, value, value, size)

    xi, value, dense, *size = verified(compute, check_dps(dps), "dense solution")
    return Solution(kind, xi, value, dense, size[0] if size else n)


@dataclass(frozen=True)
class DCLaw:
    """The finite-size law of the trained weights on D (docs/theory.md#finite-size).

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


def law_parameters(effective: EffectiveProblem, n: int, solution: Solution) -> tuple[np.ndarray, np.ndarray]:
    """(mean, sd) of the eigenbasis coordinates (:func:`dctheory.kernel.coordinate_law`); zero-variance
    directions are exactly 0."""
    lam, b = effective.eigenvalues, effective.b
    law: tuple[np.ndarray, np.ndarray]
    if solution.regime == UNDER:
        law = kernel.coordinate_law(NUMPY, UNDER, lam, b, n=n, sigma_D=np.sqrt(effective.sigma2_D), rank=effective.rank)
    else:  # xi and tau^2 are float64 numbers here (a float64 solution of a regime that has them)
        law = kernel.coordinate_law(
            NUMPY,
            solution.regime,
            lam,
            b,
            n=float(cast(float, solution.sample_size)),
            xi=float(cast(float, solution.xi)),
            tau2=float(cast(float, solution.tau2)),
        )
    return law


def dc_law(problem: LGP, n: int, m: int | ArrayLike | None = None, ridge: float = 0.0) -> DCLaw:
    """The DC law of the model trained on the first ``m`` features (or on the index array ``m``)."""
    effective = problem.effective(problem.P if m is None else m)
    solution = solve(effective, n, ridge)
    mean, sd = law_parameters(effective, n, solution)
    return DCLaw(problem, effective, int(n), float(ridge), solution, mean, sd)
