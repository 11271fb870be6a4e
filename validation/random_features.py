"""Random-features regression simulator (docs/theory.md#random-features).

``x ~ N(0, I_d)``, a unit vector ``beta_star``, label
``y = (x^T beta_star)^2 + noise * z``, features ``psi(x) = ReLU(W x)`` with
``W`` (P x d) i.i.d. N(0, 1/d). Fits, pruning and retraining reuse the linear
engine (:mod:`validation.montecarlo`) on the feature matrix.

Test risk. The risk ``E (y - <psi(x), w>)^2`` of a fitted w is estimated on a
held-out sample of ``n_test`` fresh points, redrawn in every trial. The
estimate is unbiased, so it cannot bias a comparison; its noise adds to the
trial-to-trial spread and is therefore already inside the standard error of
the mean over trials. Its size: the per-trial standard error of the
held-out mean is ``sd((y - <psi, w>)^2) / sqrt(n_test)``; :meth:`test_risk`
returns it, and the experiments report its ratio to the trial-to-trial
standard deviation of the risk (``test_noise_ratio``), which must stay well
below 1; the experiments require < 0.5 (the test variance is then under a
quarter of the total). fig2 uses n_test = 80000: with P = 1200 the smallest, most
stable models reached 0.655 at n_test = 20000 (docs/validation/fig2.md).
"""

from __future__ import annotations

import numpy as np

from dctheory.errors import ConfigError


class ReLUFeatures:
    """A fixed random-features model: first layer W (P, d) and target direction beta_star (d,)."""

    def __init__(self, W: np.ndarray, beta_star: np.ndarray, noise: float = 0.0):
        self.W = np.asarray(W, dtype=float)
        self.beta_star = np.asarray(beta_star, dtype=float)
        if self.W.ndim != 2 or self.beta_star.shape != (self.W.shape[1],):
            raise ConfigError(f"W must be (P, d) and beta_star (d,); got {self.W.shape}, "
                              f"{self.beta_star.shape}")
        if not np.isfinite(noise) or noise < 0:
            raise ConfigError(f"noise must be a finite number >= 0, got {noise!r}")
        self.noise = float(noise)

    @classmethod
    def draw(cls, P: int, d: int, rng: np.random.Generator, noise: float = 0.0) -> "ReLUFeatures":
        """W with i.i.d. N(0, 1/d) entries and a uniformly random unit beta_star."""
        if P < 1 or d < 1:
            raise ConfigError(f"P and d must be >= 1, got P={P}, d={d}")
        W = rng.standard_normal((P, d)) / np.sqrt(d)
        b = rng.standard_normal(d)
        return cls(W, b / np.linalg.norm(b), noise)

    @property
    def P(self) -> int:
        return self.W.shape[0]

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """(Phi (n, P), y (n,)) for n fresh inputs."""
        x = rng.standard_normal((n, self.W.shape[1]))
        y = (x @ self.beta_star) ** 2
        if self.noise:
            y = y + self.noise * rng.standard_normal(n)
        return np.maximum(x @ self.W.T, 0.0), y

    def test_risk(self, weights: np.ndarray, n_test: int, rng: np.random.Generator,
                  chunk: int = 4000) -> tuple[np.ndarray, np.ndarray]:
        """Held-out risk of each row of ``weights`` (K, P) and its standard error."""
        if n_test < 2:
            raise ConfigError(f"n_test must be >= 2, got {n_test}")
        K = weights.shape[0]
        s1, s2 = np.zeros(K), np.zeros(K)
        left = n_test
        while left:
            b = min(chunk, left)
            Phi, y = self.sample(b, rng)
            r2 = (y[:, None] - Phi @ weights.T) ** 2
            s1 += r2.sum(axis=0)
            s2 += (r2 * r2).sum(axis=0)
            left -= b
        mean = s1 / n_test
        var = np.maximum(s2 / n_test - mean**2, 0.0) * n_test / (n_test - 1)
        return mean, np.sqrt(var / n_test)
