"""Random features and their equivalent linear Gaussian problem (docs/theory.md#random-features, Def. 2, Sec. 3.2)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from dctheory._compiled import compiled
from dctheory.checks import check_scalar
from dctheory.errors import ConfigError
from dctheory.problems import LGP

__all__ = ["random_features_lgp", "random_features_lgp_monte_carlo"]


def _check(W: ArrayLike, beta_star: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    W = np.asarray(W, dtype=float)
    beta_star = np.asarray(beta_star, dtype=float)
    if W.ndim != 2 or beta_star.shape != (W.shape[1],):
        raise ConfigError(f"W must be (P, d) and beta_star (d,), got {W.shape} and {beta_star.shape}")
    if not (np.all(np.isfinite(W)) and np.all(np.isfinite(beta_star))):
        raise ConfigError("W and beta_star must be finite")
    norm = np.linalg.norm(beta_star)
    if abs(norm - 1) > 1e-9:
        raise ConfigError(f"beta_star must be a unit vector (||beta_star|| = {norm:.6g})")
    if np.any(np.linalg.norm(W, axis=1) == 0):
        raise ConfigError("every row of W must be non-zero")
    return W, beta_star


def _equivalent(Sigma: np.ndarray, correlation: np.ndarray, second_moment: float) -> LGP:
    # beta_eq = Sigma^{-1} E[psi y];  sigma_eq^2 = E[y^2] - beta_eq^T Sigma beta_eq.
    beta_eq = np.linalg.lstsq(Sigma, correlation, rcond=None)[0]
    explained = float(beta_eq @ Sigma @ beta_eq)
    sigma2 = max(second_moment - explained, 0.0)
    return LGP(covariance=Sigma, beta=beta_eq, sigma=np.sqrt(sigma2))


def random_features_lgp(W: ArrayLike, beta_star: ArrayLike, noise: float = 0.0) -> LGP:
    """The equivalent LGP of ReLU features psi = ReLU(W x), x ~ N(0, I_d), y = (x^T beta*)^2 + noise z.

    Sigma, E[psi y] and E[y^2] come from the compiled arc-cosine moments
    (``relu_covariance``, ``relu_label_correlation``, ``label_second_moment``).

    Args:
        W: (P, d) feature weights (rows non-zero).
        beta_star: (d,) unit vector.
        noise: label noise standard deviation.
    """
    W, beta_star = _check(W, beta_star)
    noise = check_scalar("noise", noise, low=0.0)
    r = np.linalg.norm(W, axis=1)
    cosine = np.clip((W @ W.T) / np.outer(r, r), -1.0, 1.0)
    Sigma = compiled("relu_covariance")(r[:, None], r[None, :], np.arccos(cosine))
    rho = (W @ beta_star) / r
    correlation = compiled("relu_label_correlation")(r, rho)
    return _equivalent(Sigma, correlation, float(compiled("label_second_moment")(noise)))


def random_features_lgp_monte_carlo(
    W: ArrayLike,
    beta_star: ArrayLike,
    activation: Callable[[np.ndarray], np.ndarray] | None = None,
    samples: int = 100_000,
    rng: np.random.Generator | None = None,
    noise: float = 0.0,
    batch: int = 10_000,
) -> tuple[LGP, np.ndarray]:
    """The equivalent LGP estimated by Monte Carlo for any activation (the paper's route).

    Returns (LGP, standard errors of Sigma's entries) so that the estimate can be compared with
    :func:`random_features_lgp`. ``activation`` defaults to ReLU; it maps arrays elementwise.
    """
    W, beta_star = _check(W, beta_star)
    samples = check_scalar("samples", samples, low=2, integer=True)
    noise = check_scalar("noise", noise, low=0.0)
    rng = np.random.default_rng(0) if rng is None else rng
    activation = (lambda u: np.maximum(u, 0.0)) if activation is None else activation
    P, d = W.shape
    first = np.zeros((P, P))
    second = np.zeros((P, P))
    cross = np.zeros(P)
    y2 = 0.0
    done = 0
    while done < samples:
        k = min(batch, samples - done)
        x = rng.standard_normal((k, d))
        phi = activation(x @ W.T)
        y = (x @ beta_star) ** 2 + noise * rng.standard_normal(k)
        products = phi.T @ phi
        first += products
        second += (phi**2).T @ (phi**2)
        cross += phi.T @ y
        y2 += float(y @ y)
        done += k
    Sigma = first / samples
    stderr = np.sqrt(np.maximum(second / samples - Sigma**2, 0.0) / samples)
    return _equivalent((Sigma + Sigma.T) / 2, cross / samples, y2 / samples), stderr
