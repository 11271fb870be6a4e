"""The sample Hessian diagonal h_i = ||X_i||^2 / n of the training design (docs/theory.md#thresholded-risk).

Hessian pruning as it is run scores weight i by h_i w_i^2 with the diagonal of X^T X / n. With the rows of
X drawn from N(0, Sigma), h_i = Sigma_ii u_i with u_i ~ chi^2_n / n (lambda_i u_i for a diagonal Sigma).
The predictions take u_i independent of the trained weights and, for a diagonal Sigma, of each other
(for a full Sigma they are dependent, :func:`draw`): the Hessian rule with the sample diagonal is the
population rule with the per-coordinate scale c_i = 1 / sqrt(lambda_i u_i), averaged over u_i. The closed
forms average with a quadrature rule of the chi^2_n / n law (:func:`chi2_rule`; float64 only: at d digits
the rule needs about (d / sqrt(n))^2 nodes, over 800 at n = 5 and 30 digits); DC sampling draws u_i with
the weights (:func:`draw`).

The rule is the trapezoidal rule in v = log u, whose density is proportional to
exp(f(v)), f(v) = (n/2)(v - e^v + 1) (maximal, 0, at v = 0; curvature n/2, so an sd of sqrt(2/n)): nodes
v_k = k h on the range where f(v) >= -L, weights exp(f(v_k)) normalized to sum 1. The integrands (keep
probabilities and risk terms at the threshold t / sqrt(lambda_i e^v)) are analytic in v, and the
trapezoidal rule converges geometrically in 1/h: measured, the risks move by 7e-8, 5e-13 and below 2e-16
(relative) with h = sqrt(2/n) / c for c = 1, 1.5, 2, at n = 20 and n = 80 alike. That needs integrands that
change over more than a step: with little noise below the threshold (m < n), an atom's terms jump across a
width in v narrower than h, and the rule was off by up to 2e-4; the closed forms refine the step for such
atoms (``refine``; :func:`dctheory.risks._steepness`). A Gauss rule in u itself
(generalized Laguerre) converges as fast at n = 80 but only to 1e-8 with 16 nodes at n = 20: the
integrands' branch point at u = 0 lies within a few sds of the mass for small n.
"""

from __future__ import annotations

import functools
import math
from typing import TypeVar

import numpy as np
from scipy import special

__all__ = [
    "FLOAT64_DIGITS",
    "rule_range",
    "chi2_rule",
    "gauss_rule",
    "width",
    "steepness",
    "steep_on_floats",
    "threshold_start",
    "draw",
]

#: digits the float64 rule is built for
FLOAT64_DIGITS = 16


def rule_range(n: int, digits: int) -> tuple[float, int, int]:
    """(c, k_low, k_high): the step h = sqrt(2/n) / c and the node indices of the rule built for
    ``digits`` digits: c = max(1.75, (digits + 3) / (1.3 sqrt(n))) and f(k h) >= -L, L = (digits + 3) ln 10.
    (The error falls like exp(-a c sqrt(n)), a about 1.5 per digit, for small n and like exp(-b c^2) for
    large n, where c = 1 leaves 1e-8 (measured on the risks and the
    moments E[u^k], k < 8, for n from 5 to 10^6): small n need a finer step.)"""
    c = max(1.75, (digits + 3) / (1.3 * math.sqrt(n)))
    L = (digits + 3) * math.log(10)
    h = math.sqrt(2 / n) / c

    def f(v: float) -> float:
        return float(_log_density(np.array(v), n))

    def edge(inside: float, outside: float) -> float:
        for _ in range(200):  # bisection on f = -L between a point inside and one outside
            middle = (inside + outside) / 2
            inside, outside = (middle, outside) if f(middle) >= -L else (inside, middle)
        return outside

    # f < -L outside these: on the right f <= -(n/4) v^2 = -4L; on the left the same point where it is
    # already below -L (large n), else (n/2)(v + 1) = -L - 2 sqrt(n L)
    spread = 4 * math.sqrt(L / n)
    far_left = -spread if f(-spread) < -L else -(1 + 2 * L / n + spread)
    left, right = edge(0.0, far_left), edge(0.0, spread)
    return c, math.floor(left / h), math.ceil(right / h)


def _log_density(v: np.ndarray, n: float) -> np.ndarray:
    """f(v) = (n/2)(v - e^v + 1), by its series -(n/2)(v^2/2 + v^3/6 + v^4/24 + v^5/120) where |v| < 1e-3
    (for huge n the nodes are tiny, and v - expm1(v) would cancel to 0)."""
    series = -(v**2) * (1 / 2 + v * (1 / 6 + v * (1 / 24 + v / 120)))
    with np.errstate(over="ignore"):
        direct = v - np.expm1(v)
    result: np.ndarray = (n / 2) * np.where(np.abs(v) < 1e-3, series, direct)
    return result


@functools.lru_cache(maxsize=64)
def chi2_rule(n: int, digits: int = FLOAT64_DIGITS, refine: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """(nodes u_k, weights) of the rule for u ~ chi^2_n / n, float64 (weights sum to 1); ``refine``: the step
    divided by it, over the same range (for integrands steeper than the density, :func:`steepness`). Built
    once per argument and read-only: the range is found by bisection, about 3 ms, the same for every
    prediction and curve of that n."""
    c, low, high = rule_range(n, digits)
    v = np.arange(low * refine, high * refine + 1) * (math.sqrt(2 / n) / (c * refine))
    weights = np.exp(_log_density(v, n))
    nodes, weights = np.exp(v), weights / weights.sum()
    nodes.setflags(write=False)
    weights.setflags(write=False)
    return nodes, weights


@functools.lru_cache(maxsize=64)
def _inverse_moment(n: int, power: float) -> float:
    nodes, omega = chi2_rule(n)
    return float(omega @ nodes**-power)


#: roots: one float or an array of them
Roots = TypeVar("Roots", float, np.ndarray)


def threshold_start(t_population: Roots, n: int, power: float) -> Roots:
    """A first guess of the sample-diagonal rule's threshold from the root ``t_population`` of the same rule
    with the population diagonal (u = 1): t_pop / E[u^-p] under :func:`chi2_rule` (p = ``power``). A score
    divided by the same u^p everywhere would move the root by exactly that factor; with u drawn per
    coordinate, the roots lie near it (measured over 60 spiked and power-law predictions, n 20 to 2000:
    2e-3 relative in the median, at most 6e-2). On the spiked problem of the single-prediction benchmark the
    Halley steps from it take 2 evaluations, from :func:`dctheory.kernel.first_guess` 3."""
    return t_population / _inverse_moment(n, power)


#: a steep atom (see :func:`steepness`) takes the trapezoidal step STEEP_STEP x its width
STEEP_STEP = 0.6


def width(sd: np.ndarray, mean: np.ndarray, power: float) -> np.ndarray:
    """Each coordinate's width in v = log u: its keep probability and risk terms, as functions of v, change
    from one value to the other where its threshold t c(lambda) e^(-p v) (p = ``power``) crosses |mu|, over
    about s / (p |mu|) (the threshold moves by p t c dv, and the Gaussian term's argument by that over s)."""
    out: np.ndarray = np.asarray(sd) / (power * np.maximum(np.abs(mean), 1e-300))
    return out


def steepness(widths: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """The trapezoidal step in v = log u of the rule with these ``nodes`` over ``STEEP_STEP`` times each
    coordinate's :func:`width`, elementwise (above 1: the rule does not resolve that coordinate).

    The trapezoidal rule's error on a step of that width is about exp(-2 pi^2 (width / step)^2) (Poisson
    summation), below 1e-16 for a step of 0.6 widths (measured: a rule refined to that step moves the risks
    by below 1e-14 relative to a rule four times finer on problems with 16 to 200 atoms, where the
    unrefined rule was off by up to 2e-4)."""
    out: np.ndarray = math.log(nodes[1] / nodes[0]) / (STEEP_STEP * np.asarray(widths))
    return out


def steep_on_floats(live: list[float], mean: list[float], sd: list[float], power: float, nodes: np.ndarray) -> bool:
    """Whether a coordinate of positive weight (``live``) is steeper than the rule of these ``nodes`` resolves:
    ``steepness(width(sd, mean, power), nodes) > 1`` for one of them, the same arithmetic on Python floats (for
    a few atoms, where numpy's calls cost more than the arithmetic); a width of 0 raises ZeroDivisionError
    where :func:`steepness` gives inf."""
    step = math.log(nodes[1] / nodes[0])
    return any(
        step / (STEEP_STEP * (x / (power * max(abs(mu), 1e-300)))) > 1 for w, mu, x in zip(live, mean, sd) if w > 0
    )


#: nodes of :func:`gauss_rule`, and the sample sizes and smoothness it is used from (measured: for keep
#: probabilities whose jump is at least GAUSS_SMOOTHNESS sds of v wide, the 16-node rule is within 6e-16 of
#: a trapezoidal rule 8 times finer than the float64 one at n = 80, 3e-16 at n = 1000 and 3e-15 at 10^5,
#: over thresholds across the jump; at 2 sds the error is 3e-13 at n = 80)
GAUSS_NODES = 16
GAUSS_FROM_N = 80
GAUSS_SMOOTHNESS = 4.0
#: the coarser Gauss rule (``COARSE_GAUSS_NODES`` nodes) for smoother atoms still: those at least
#: COARSE_GAUSS_SMOOTHNESS sds of v wide, from n = COARSE_GAUSS_FROM_N. Measured, per atom (keep probability
#: absolutely, risk term relatively) against a trapezoidal rule 8 times finer than the float64 one, over
#: thresholds across the jump and atoms of mean 0: the 8-node rule within 2e-15 at n = 300 and 100,000 and 1e-14
#: at n = 1000, where the 16-node rule is within 2e-15, 2e-15 and 6e-15 (rounding); at 4 sds the 8-node rule is
#: off by 4e-12 (n = 300) to 1e-13 (n = 100,000), and at n = 80 by 3e-11 whatever the width (atoms of mean 0:
#: 4e-12), hence the bounds
COARSE_GAUSS_NODES = 8
COARSE_GAUSS_FROM_N = 300
COARSE_GAUSS_SMOOTHNESS = 16.0


@functools.lru_cache(maxsize=64)
def gauss_rule(n: int, size: int = GAUSS_NODES) -> tuple[np.ndarray, np.ndarray]:
    """(nodes u_k, weights) of the ``size``-point Gauss rule of the law of v = log u, u ~ chi^2_n / n (by
    default ``GAUSS_NODES`` points): exact for polynomials in v of degree below 2 x size, so a few nodes serve
    integrands that are smooth on the scale of v's sd, sqrt(2/n). Built by the Lanczos process (with full
    reorthogonalization) on the discrete measure of :func:`chi2_rule` refined 4 times, which integrates
    such polynomials to float64 precision, and the eigen-decomposition of the resulting Jacobi matrix
    (Golub-Welsch)."""
    from scipy import linalg  # imported when first used

    u, w = chi2_rule(n, refine=4)
    v = np.log(u)
    center = float(w @ v)
    spread = math.sqrt(float(w @ (v - center) ** 2))
    x = (v - center) / spread
    basis = np.zeros((size, x.size))
    diagonal, off = np.zeros(size), np.zeros(size - 1)
    basis[0] = np.sqrt(w)
    for k in range(size):
        z = x * basis[k]
        diagonal[k] = basis[k] @ z
        z -= basis[: k + 1].T @ (basis[: k + 1] @ z)  # orthogonal to the basis so far, twice over
        z -= basis[: k + 1].T @ (basis[: k + 1] @ z)
        if k + 1 < size:
            off[k] = np.linalg.norm(z)
            basis[k + 1] = z / off[k]
    points, vectors = linalg.eigh_tridiagonal(diagonal, off)
    nodes, weights = np.exp(center + spread * points), vectors[0] ** 2
    weights /= weights.sum()
    nodes.setflags(write=False)  # cached, as chi2_rule's
    weights.setflags(write=False)
    return nodes, weights


def draw(rng: np.random.Generator, n: int, samples: int, covariance: np.ndarray | None, m: int) -> np.ndarray:
    """(samples, m) draws of u_i = h_i / Sigma_ii, each u_i ~ chi^2_n / n (DC sampling).

    A diagonal Sigma (``covariance`` None): independent columns, independent u_i. A full Sigma_DD: the
    h_i of one design are dependent, with the correlation rho_ij^2 (rho the correlation matrix of
    Sigma_DD; Cov(h_i, h_j) = 2 Sigma_ij^2 / n); they are drawn from the Gaussian copula with that
    correlation, u_i = F^-1(Phi(z_i)), z ~ N(0, rho o rho), which has the exact marginals and pairwise
    correlations (to O(1/n)) and costs one m x m product per draw, where the exact diagonal of
    X^T X / n costs min(n, m) of them. Measured on a block-equicorrelated Sigma (blocks of 10,
    correlation 0.8, P = m = 200, n = 80, s = 30; 6000 trials), independent u_i predict Hessian
    retraining 6 s.e. below Monte Carlo (56.24 vs 57.12 +- 0.14), the exact diagonal of X^T X / n
    1.2 s.e. below and this copula 1.9 s.e. below (56.82 +- 0.06, 20000 draws)."""
    if covariance is None:
        return rng.chisquare(n, (samples, m)) / n
    scale = np.sqrt(np.diag(covariance))
    correlation = (covariance / np.outer(scale, scale)) ** 2
    values, vectors = np.linalg.eigh(correlation)
    root = vectors * np.sqrt(np.clip(values, 0.0, None))
    z = rng.standard_normal((samples, m)) @ root.T
    # F^-1(Phi(z)) interpolated on a grid of z (measured: within 3e-8 relative of the direct chdtri, at a
    # tenth of its cost); |z| > 12 has probability below 1e-32
    grid = np.linspace(-12.0, 12.0, 4801)
    u: np.ndarray = np.interp(z, grid, special.chdtri(n, special.ndtr(-grid)) / n)
    return u
