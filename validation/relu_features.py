"""Random ReLU feature models for the random-features experiments (docs/theory.md#random-features).

Two models, one interface (``sample(n, rng) -> (Phi, y)``, the risk of fitted weights,
the equivalent LGP):

* :class:`ReLUFeatures`: Gaussian inputs (Figs. 2 and 4).
* :class:`DataReLUFeatures`: features of a fixed pool of MNIST-1D signals (the
  random-features network with hidden nodes pruned).

Gaussian inputs
---------------

Random-features regression simulator (docs/theory.md#random-features).

``x ~ N(0, I_d)``, a unit vector ``beta_star``, label
``y = (x^T beta_star)^2 + noise * z``, features ``phi(x) = ReLU(W x)`` with
``W`` (P x d) i.i.d. N(0, 1/d). Fits, pruning and retraining reuse the linear
engine (:mod:`validation.montecarlo`) on the feature matrix.

Test risk. The risk ``E (y - <phi(x), w>)^2`` of a fitted w is estimated on a
held-out sample of ``n_test`` fresh points, redrawn in every trial. The
estimate is unbiased, so it cannot bias a comparison; its noise adds to the
trial-to-trial spread and is therefore already inside the standard error of
the mean over trials. Its size: the per-trial standard error of the
held-out mean is ``sd((y - <phi, w>)^2) / sqrt(n_test)``; :meth:`test_risk`
returns it, and the experiments report its ratio to the trial-to-trial
standard deviation of the risk (``test_noise_ratio``), which must stay well
below 1; the experiments require < 0.5 (the test variance is then under a
quarter of the total). fig2 uses n_test = 80000: with P = 1200 the smallest, most
stable models reached 0.655 at n_test = 20000 (docs/validation/fig2.md).

MNIST-1D pool
-------------

The bridge to the theory: a random-features network on MNIST-1D, pruned
hidden node by hidden node, next to the DC prediction of its equivalent LGP
(docs/theory.md#notation, #retraining, #random-features; the paper's Sec. 3.2, "pruning hidden nodes").

The network is ``f(x) = <a, relu(W x)>`` with the first layer ``W`` (P x 40)
fixed, i.i.d. N(0, 1/40), and only the output weights ``a`` trained, by
min-norm least squares on the first m hidden nodes (the width-m network).
Pruning ``a`` to s nonzeros removes P - s hidden nodes; retraining refits
``a`` on the kept nodes. The task is scalar regression of the label's half,
``y = +1`` for digits 0-4 and ``-1`` for 5-9 (the DC is a theory of a scalar
output).

The population is the **pool**: all MNIST-1D signals generated (train and
test splits together, 5000 by default), each with probability 1/N. Training
samples are drawn from it with replacement, so they are exactly i.i.d. from
the population, and the risk of any ``a`` is the exact pool mean squared error

    L(a) = E_pool (y - <phi(x), a>)^2 = sigma_eq^2 + (a - beta_eq)^T Sigma (a - beta_eq)

with the pool moments ``Sigma = E phi phi^T``, ``beta_eq = Sigma^+ E[phi y]``,
``sigma_eq^2 = E y^2 - beta_eq^T Sigma beta_eq`` (docs/theory.md#random-features: the
equivalent LGP, here estimated on the data rather than by the arc-cosine
closed forms, which assume Gaussian inputs). The identity is exact, so the
only gap between simulation and theory is the Gaussian equivalence itself:
the DC treats ``phi`` as Gaussian with covariance Sigma, while the pool's
features are ReLUs of MNIST-1D signals. No test-set noise enters the
simulated risks (their held-out standard error is 0).
"""

from __future__ import annotations

import functools

import numpy as np

from dctheory.errors import ConfigError


class ReLUFeatures:
    """A fixed random-features model: first layer W (P, d) and target direction beta_star (d,)."""

    def __init__(self, W: np.ndarray, beta_star: np.ndarray, noise: float = 0.0):
        self.W = np.asarray(W, dtype=float)
        self.beta_star = np.asarray(beta_star, dtype=float)
        if self.W.ndim != 2 or self.beta_star.shape != (self.W.shape[1],):
            raise ConfigError(f"W must be (P, d) and beta_star (d,); got {self.W.shape}, {self.beta_star.shape}")
        if not np.isfinite(noise) or noise < 0:
            raise ConfigError(f"noise must be a finite number >= 0, got {noise!r}")
        self.noise = float(noise)

    @classmethod
    def draw(cls, P: int, d: int, rng: np.random.Generator, noise: float = 0.0) -> ReLUFeatures:
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

    def test_risk(
        self, weights: np.ndarray, n_test: int, rng: np.random.Generator, chunk: int = 4000
    ) -> tuple[np.ndarray, np.ndarray]:
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


class DataReLUFeatures:
    """Random ReLU features of a fixed pool of inputs with scalar targets.

    Has the interface of :class:`validation.relu_features.ReLUFeatures`
    (``W``, ``P``, ``sample``, ``test_risk``) so the shared train -> prune ->
    retrain engine runs on it unchanged.
    """

    def __init__(self, W: np.ndarray, inputs: np.ndarray, targets: np.ndarray):
        self.W = np.asarray(W, dtype=float)
        inputs = np.asarray(inputs, dtype=float)
        self.targets = np.asarray(targets, dtype=float)
        if inputs.ndim != 2 or self.W.ndim != 2 or inputs.shape[1] != self.W.shape[1]:
            raise ConfigError(f"inputs (N, d) and W (P, d) must agree on d; got {inputs.shape}, {self.W.shape}")
        if self.targets.shape != (inputs.shape[0],):
            raise ConfigError(f"targets must have shape ({inputs.shape[0]},), got {self.targets.shape}")
        self.features = np.maximum(inputs @ self.W.T, 0.0)
        N = self.features.shape[0]
        self.covariance = self.features.T @ self.features / N
        self.correlation = self.features.T @ self.targets / N
        self.second_moment = float(self.targets @ self.targets / N)
        self.beta = np.linalg.lstsq(self.covariance, self.correlation, rcond=None)[0]
        self.sigma2 = max(self.second_moment - float(self.beta @ self.covariance @ self.beta), 0.0)
        self.noise = 0.0  # ReLUFeatures' attribute; the label noise of the pool is inside sigma2

    @classmethod
    def draw(cls, P: int, inputs: np.ndarray, targets: np.ndarray, rng: np.random.Generator) -> DataReLUFeatures:
        """W with i.i.d. N(0, 1/d) entries (d = the input dimension)."""
        if P < 1:
            raise ConfigError(f"P must be >= 1, got {P}")
        d = np.asarray(inputs).shape[1]
        return cls(rng.standard_normal((P, d)) / np.sqrt(d), inputs, targets)

    @property
    def P(self) -> int:
        return self.W.shape[0]

    @property
    def pool_size(self) -> int:
        return self.features.shape[0]

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """(Phi (n, P), y (n,)): n pool points drawn uniformly with replacement."""
        if n < 1:
            raise ConfigError(f"n must be >= 1, got {n}")
        rows = rng.integers(0, self.pool_size, size=n)
        return self.features[rows], self.targets[rows]

    def pool_risk(self, weights: np.ndarray) -> np.ndarray:
        """Exact pool mean squared error of each row of ``weights`` (K, P), computed
        through the moments: ``sigma_eq^2 + (a - beta_eq)^T Sigma (a - beta_eq)``."""
        error = np.atleast_2d(weights) - self.beta
        return self.sigma2 + np.einsum("kp,kp->k", error @ self.covariance, error)

    def test_risk(self, weights: np.ndarray, n_test=None, rng=None) -> tuple[np.ndarray, np.ndarray]:
        """The exact pool risk and a zero standard error (``n_test``, ``rng`` unused)."""
        risk = self.pool_risk(weights)
        return risk, np.zeros_like(risk)

    def equivalent_lgp(self):
        """``dctheory.LGP(covariance=Sigma, beta=beta_eq, sigma=sigma_eq)``."""
        import dctheory as dc

        return dc.LGP(covariance=self.covariance, beta=self.beta, sigma=float(np.sqrt(self.sigma2)))


def half_targets(labels: np.ndarray) -> np.ndarray:
    """``+1`` for digits 0-4, ``-1`` for 5-9."""
    return np.where(np.asarray(labels) < 5, 1.0, -1.0)


@functools.lru_cache(maxsize=2)
def mnist1d_features(P: int, feature_seed: int, pool_samples: int) -> DataReLUFeatures:
    """The random-features model on the MNIST-1D pool (module docstring),
    first layer drawn from ``numpy.random.default_rng(feature_seed)``."""
    from validation.nn.data import load_mnist1d

    data = load_mnist1d(num_samples=pool_samples)
    inputs = np.concatenate([data.x_train, data.x_test])
    targets = half_targets(np.concatenate([data.y_train, data.y_test]))
    return DataReLUFeatures.draw(int(P), inputs, targets, np.random.default_rng(int(feature_seed)))
