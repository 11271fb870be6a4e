"""Linear Gaussian problems and their effective problems on feature subsets (THEORY.md section 0)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Sequence

import mpmath
import numpy as np

from dctheory.errors import ConfigError

__all__ = ["LGP", "EffectiveProblem", "identity", "spiked", "power_law", "toeplitz"]


def _finite_vector(name: str, values, length: int | None = None) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ConfigError(f"{name} must be a 1-d list of numbers, got shape {array.shape}")
    if length is not None and array.size != length:
        raise ConfigError(f"{name} has length {array.size}, expected {length} (the number of features P)")
    bad = np.flatnonzero(~np.isfinite(array))
    if bad.size:
        raise ConfigError(f"{name}[{bad[0]}] = {array[bad[0]]} is not finite")
    return array


def _decimal_string(value) -> str:
    """How a number prints: repr for binary floats (shortest round-trip), str otherwise."""
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return str(value)


def check_scalar(name: str, value, *, low=None, high=None, low_open=False, integer=False) -> float:
    """Validate a scalar argument: finite, in range, integer if asked; returns it."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} = {value!r} is not a number") from None
    if not np.isfinite(number):
        raise ConfigError(f"{name} = {value!r} is not finite")
    if integer and number != int(number):
        raise ConfigError(f"{name} = {value!r} must be an integer")
    if low is not None and (number <= low if low_open else number < low):
        raise ConfigError(f"{name} = {value!r} must be {'>' if low_open else '>='} {low}")
    if high is not None and number > high:
        raise ConfigError(f"{name} = {value!r} must be <= {high}")
    return int(number) if integer else number


@dataclass(frozen=True)
class EffectiveProblem:
    """The problem seen by a model trained on the feature subset D (THEORY.md section 0).

    ``y = <x_D, beta_D> + sigma_D z'``, with Sigma_DD = U diag(eigenvalues) U^T and
    ``b = U^T beta_D``. For a diagonal Sigma, U is the identity (``basis`` None).

    Attributes:
        features: indices D into the original P features, shape (m,).
        eigenvalues: eigenvalues of Sigma_DD, shape (m,), >= 0.
        b: beta_D rotated to the eigenbasis, shape (m,).
        beta_D: the effective coefficients, shape (m,).
        sigma2_D: the effective noise variance sigma_D^2.
        basis: U (m, m), or None when Sigma_DD is diagonal.
    """

    features: np.ndarray
    eigenvalues: np.ndarray
    b: np.ndarray
    beta_D: np.ndarray
    sigma2_D: float
    basis: np.ndarray | None

    @property
    def m(self) -> int:
        return self.features.size

    @property
    def rank(self) -> int:
        return int(np.count_nonzero(self.eigenvalues > 0))


class LGP:
    """Linear Gaussian problem LGP(beta, Sigma, sigma): x ~ N(0, Sigma), y = <x, beta> + sigma z.

    Give either ``eigenvalues`` (a diagonal Sigma) or ``covariance`` (a symmetric
    positive semi-definite P x P matrix; a matrix that is exactly diagonal is
    treated as diagonal).

    Raises:
        ConfigError: non-finite entries, wrong lengths, negative eigenvalues,
            a non-symmetric or non-PSD matrix, or sigma < 0.
    """

    def __init__(self, *, beta: Sequence[float], sigma: float = 0.0, eigenvalues=None, covariance=None):
        self.sigma = check_scalar("sigma", sigma, low=0.0)
        self._decimal = {"sigma": _decimal_string(sigma)}
        if (eigenvalues is None) == (covariance is None):
            raise ConfigError("give exactly one of eigenvalues (diagonal Sigma) or covariance (a matrix)")
        if covariance is not None:
            matrix = np.asarray(covariance, dtype=float)
            if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
                raise ConfigError(f"covariance must be a square matrix, got shape {matrix.shape}")
            if not np.all(np.isfinite(matrix)):
                row, col = np.argwhere(~np.isfinite(matrix))[0]
                raise ConfigError(f"covariance[{row}][{col}] = {matrix[row, col]} is not finite")
            scale = max(np.abs(matrix).max(), np.finfo(float).tiny)
            asymmetry = np.abs(matrix - matrix.T).max()
            if asymmetry > 1e-12 * scale:
                row, col = np.unravel_index(np.argmax(np.abs(matrix - matrix.T)), matrix.shape)
                raise ConfigError(
                    f"covariance is not symmetric: entry [{row}][{col}] = {matrix[row, col]} "
                    f"but [{col}][{row}] = {matrix[col, row]}"
                )
            matrix = (matrix + matrix.T) / 2
            if np.count_nonzero(matrix - np.diag(np.diag(matrix))) == 0:
                eigenvalues, covariance = np.diag(matrix).copy(), None
            else:
                smallest = np.linalg.eigvalsh(matrix)[0]
                if smallest < -1e-10 * scale * matrix.shape[0]:
                    raise ConfigError(f"covariance is not positive semi-definite: smallest eigenvalue {smallest:.3g} < 0")
                self._matrix = matrix
        if covariance is None:
            values = _finite_vector("eigenvalues", eigenvalues)
            negative = np.flatnonzero(values < 0)
            if negative.size:
                raise ConfigError(f"eigenvalues[{negative[0]}] = {values[negative[0]]} must be >= 0")
            self.eigenvalues = values
            self._matrix = None
            self._decimal["eigenvalues"] = [_decimal_string(x) for x in np.ravel(np.asarray(eigenvalues, dtype=object))]
        else:
            self.eigenvalues = None
        self.P = int(self.eigenvalues.size if self._matrix is None else self._matrix.shape[0])
        if self.P < 1:
            raise ConfigError("the problem needs at least one feature (P >= 1)")
        self.beta = _finite_vector("beta", beta, self.P)
        self._decimal["beta"] = [_decimal_string(x) for x in np.ravel(np.asarray(beta, dtype=object))]

    def exact(self, name: str):
        """An input at the caller's mpmath precision, read as the decimal number it
        prints as (``0.1`` means 1/10): ``sigma``, ``beta`` or ``eigenvalues``
        (diagonal problems). This is what arbitrary-precision evaluation uses."""
        value = self._decimal[name]
        return mpmath.mpf(value) if isinstance(value, str) else [mpmath.mpf(x) for x in value]

    def decimal(self, name: str):
        """An input as the decimal string(s) it prints as: ``sigma`` (a str), ``beta`` or
        ``eigenvalues`` (diagonal problems; lists of str). Exact rational arithmetic
        (``dctheory.certify``) starts from these."""
        if name not in self._decimal:
            raise ConfigError(f"no exact decimal form of {name!r} (a full covariance matrix has none)")
        return self._decimal[name]

    def effective_exact(self, features: np.ndarray):
        """(eigenvalues, b, sigma_D^2) on D at the caller's mpmath precision (diagonal Sigma only)."""
        if self._matrix is not None:
            raise ConfigError(
                "arbitrary precision (dps) needs a diagonal covariance: for a full matrix the "
                "eigendecomposition is float64 and pruning risks come from DC sampling"
            )
        from dctheory import kernel
        from dctheory.backends import MP

        lam, beta = self.exact("eigenvalues"), self.exact("beta")
        dropped = [1] * self.P
        for i in features:
            dropped[int(i)] = 0
        sigma2_D = kernel.effective_noise(MP, self.exact("sigma"), lam, beta, dropped)
        return [lam[i] for i in features], [beta[i] for i in features], sigma2_D

    def __repr__(self) -> str:
        kind = "diagonal" if self.is_diagonal else "full"
        return f"LGP(P={self.P}, {kind} covariance, sigma={self.sigma:g})"

    @property
    def is_diagonal(self) -> bool:
        return self._matrix is None

    @cached_property
    def covariance(self) -> np.ndarray:
        """Sigma as a dense (P, P) array."""
        return np.diag(self.eigenvalues) if self._matrix is None else self._matrix

    @cached_property
    def variances(self) -> np.ndarray:
        """diag(Sigma), shape (P,): the population Hessian diagonal h."""
        return self.eigenvalues if self._matrix is None else np.diag(self._matrix).copy()

    @cached_property
    def signal(self) -> float:
        """beta^T Sigma beta."""
        if self._matrix is None:
            return float(np.dot(self.eigenvalues, self.beta**2))
        return float(self.beta @ self._matrix @ self.beta)

    @cached_property
    def saliency(self) -> np.ndarray:
        """Latent saliency Sigma_ii beta_i^2 that oracle pruning ranks by, shape (P,)."""
        return self.variances * self.beta**2

    def oracle_set(self, s: int) -> np.ndarray:
        """D* = indices of the s largest saliencies (ties broken by feature order).

        Ranked on inputs rescaled by powers of two (exact: the order is that of Sigma_ii beta_i^2), so
        that tiny or huge coefficients neither underflow nor overflow the ranking."""
        h = np.ldexp(self.variances, -int(np.frexp(np.max(self.variances))[1]))
        b = np.ldexp(np.abs(self.beta), -int(np.frexp(np.max(np.abs(self.beta)))[1]))
        saliency = h * b**2
        return np.sort(np.argsort(-saliency, kind="stable")[:s])

    def risk(self, w) -> np.ndarray:
        """Population risk sigma^2 + (w - beta)^T Sigma (w - beta); w of shape (P,) or (k, P)."""
        diff = np.asarray(w, dtype=float) - self.beta
        if self._matrix is None:
            quad = (diff**2 * self.eigenvalues).sum(axis=-1)
        else:
            quad = np.einsum("...i,ij,...j->...", diff, self._matrix, diff)
        return self.sigma**2 + quad

    def features(self, D) -> np.ndarray:
        """Validate a feature subset: an integer m (the first m features) or indices."""
        if np.ndim(D) == 0:
            m = check_scalar("m", D, low=1, high=self.P, integer=True)
            return np.arange(m)
        index = np.asarray(D)
        if index.ndim != 1 or index.size == 0 or not np.issubdtype(index.dtype, np.integer):
            raise ConfigError(f"a feature subset must be a non-empty 1-d integer array, got {D!r}")
        if index.min() < 0 or index.max() >= self.P or np.unique(index).size != index.size:
            raise ConfigError(f"feature indices must be distinct and in [0, {self.P - 1}]")
        return index

    def effective(self, D) -> EffectiveProblem:
        """The effective problem (sigma_D, beta_D, Sigma_DD) on the subset D (THEORY.md section 0)."""
        features = self.features(D)
        if self._matrix is None:
            from dctheory import kernel
            from dctheory.backends import NUMPY

            lam = self.eigenvalues[features]
            beta_D = self.beta[features]
            dropped = np.ones(self.P)
            dropped[features] = 0.0
            sigma2 = float(kernel.effective_noise(NUMPY, self.sigma, self.eigenvalues, self.beta, dropped))
            return EffectiveProblem(features, lam, beta_D, beta_D, sigma2, None)
        block = self._matrix[np.ix_(features, features)]
        lam, basis = np.linalg.eigh(block)
        lam = np.where(lam > lam.max() * features.size * np.finfo(float).eps, lam, 0.0)
        cross = self._matrix[features] @ self.beta  # Sigma_{D,:} beta
        # beta_D = Sigma_DD^+ Sigma_{D,:} beta (min-norm if Sigma_DD is singular).
        rotated = basis.T @ cross
        b = np.divide(rotated, lam, out=np.zeros_like(rotated), where=lam > 0)
        beta_D = basis @ b
        sigma2 = self.sigma**2 + self.signal - float(np.dot(lam, b**2))
        return EffectiveProblem(features, lam, b, beta_D, max(sigma2, 0.0), basis)


# ---------------------------------------------------------------------------
# Named generators (what configs and examples use)
# ---------------------------------------------------------------------------

def identity(P: int) -> np.ndarray:
    """Eigenvalues of Sigma = I_P."""
    return np.ones(check_scalar("P", P, low=1, integer=True))


def spiked(P: int, k: int, C: float) -> np.ndarray:
    """Eigenvalues of the spiked covariance of Fig. 3(b): the first k equal C, the rest 1."""
    P = check_scalar("P", P, low=1, integer=True)
    k = check_scalar("k", k, low=0, high=P, integer=True)
    C = check_scalar("C", C, low=0.0, low_open=True)
    values = np.ones(P)
    values[:k] = C
    return values


def power_law(P: int, alpha: float, scale: float = 1.0) -> np.ndarray:
    """Eigenvalues lambda_i = scale * i^(-alpha), i = 1..P."""
    P = check_scalar("P", P, low=1, integer=True)
    alpha = check_scalar("alpha", alpha, low=0.0)
    return check_scalar("scale", scale, low=0.0, low_open=True) * np.arange(1, P + 1) ** (-alpha)


def toeplitz(P: int, rho: float) -> np.ndarray:
    """The AR(1) Toeplitz covariance Sigma_ij = rho^|i - j|, |rho| < 1."""
    P = check_scalar("P", P, low=1, integer=True)
    rho = check_scalar("rho", rho, low=-1.0, high=1.0)
    if abs(rho) == 1.0:
        raise ConfigError(f"rho = {rho} must satisfy |rho| < 1")
    index = np.arange(P)
    return rho ** np.abs(index[:, None] - index[None, :])
