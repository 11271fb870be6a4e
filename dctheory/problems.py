"""Linear Gaussian problems and their effective problems on feature subsets (docs/theory.md#notation)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import mpmath
import numpy as np
from numpy.typing import ArrayLike

from dctheory.checks import check_number, check_scalar, finite_vector, real_array, show
from dctheory.errors import ConfigError

__all__ = [
    "check_number",
    "check_scalar",
    "show",
    "LGP",
    "EffectiveProblem",
    "identity",
    "spiked",
    "power_law",
    "toeplitz",
]


def _decimal_string(value: object) -> str:
    """How a number prints: repr for binary floats (shortest round-trip), str otherwise."""
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return str(value)


@dataclass(frozen=True)
class EffectiveProblem:
    """The problem seen by a model trained on the feature subset D (docs/theory.md#notation).

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

    eigenvalues: np.ndarray | None
    beta: np.ndarray
    P: int
    _matrix: np.ndarray | None
    _eigh: tuple[np.ndarray, np.ndarray]

    def __init__(
        self,
        *,
        beta: ArrayLike,
        sigma: float = 0.0,
        eigenvalues: ArrayLike | None = None,
        covariance: ArrayLike | None = None,
    ) -> None:
        self._sigma = check_scalar("sigma", sigma, low=0.0)
        self._decimal: dict[str, str | list[str]] = {"sigma": _decimal_string(sigma)}
        # Inputs given as binary-float arrays print as the repr of their float64 copies: their decimal strings
        # are made from those on first use (only the arbitrary-precision and certified routes read them; a
        # string per element costs as much as a float64 prediction at a million features).
        self._decimal_from_floats: set[str] = set()
        if (eigenvalues is None) == (covariance is None):
            raise ConfigError("give exactly one of eigenvalues (diagonal Sigma) or covariance (a matrix)")
        if covariance is not None:
            matrix = real_array("covariance", covariance)
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
                # One eigendecomposition per covariance: the PSD check here, the effective problem on all
                # P features and DC sampling at m = P reuse it (:meth:`effective`).
                values, vectors = np.linalg.eigh(matrix)
                if values[0] < -1e-10 * scale * matrix.shape[0]:
                    raise ConfigError(
                        f"covariance is not positive semi-definite: smallest eigenvalue {values[0]:.3g} < 0"
                    )
                self._matrix = matrix
                self._eigh = (values, vectors)
        if covariance is None:
            values = finite_vector("eigenvalues", eigenvalues)
            negative = np.flatnonzero(values < 0)
            if negative.size:
                raise ConfigError(f"eigenvalues[{negative[0]}] = {values[negative[0]]} must be >= 0")
            self.eigenvalues = values
            self._matrix = None
            self._keep_decimal("eigenvalues", eigenvalues)
        else:
            self.eigenvalues = None
        self.P = int(self._diagonal.size if self._matrix is None else self._matrix.shape[0])
        if self.P < 1:
            raise ConfigError("the problem needs at least one feature (P >= 1)")
        self.beta = finite_vector("beta", beta, self.P)
        # The problem's arrays are its own, read-only copies: effective problems, Sigma beta and the
        # signal are cached on it, and a caller who changed an array in place would read stale values.
        for name in ("eigenvalues", "beta"):  # vectors may share memory with the caller's: copied
            if getattr(self, name) is not None:
                setattr(self, name, np.array(getattr(self, name), dtype=float))
        for array in (self.eigenvalues, self.beta, self._matrix):
            if array is not None:
                array.setflags(write=False)
        self._effective_cache: OrderedDict[bytes, EffectiveProblem] = OrderedDict()
        self._keep_decimal("beta", beta)

    def _keep_decimal(self, name: str, values: object) -> None:
        """Record how the input ``name`` prints: later, from its float64 copy, for an array of binary floats
        (whose decimal strings are the reprs of those floats); now, element by element, for anything else
        (integers, decimals, fractions, strings of digits keep their own digits)."""
        if isinstance(values, np.ndarray) and values.dtype.kind == "f":
            self._decimal_from_floats.add(name)
        else:
            self._decimal[name] = [_decimal_string(x) for x in np.ravel(np.asarray(values, dtype=object))]

    @property
    def sigma(self) -> float:
        """The noise level (read-only, like the problem's arrays: results are cached on the problem)."""
        return self._sigma

    def exact(self, name: str) -> Any:
        """An input at the caller's mpmath precision, read as the decimal number it
        prints as (``0.1`` means 1/10): ``sigma``, ``beta`` or ``eigenvalues``
        (diagonal problems). This is what arbitrary-precision evaluation uses."""
        value = self.decimal(name)
        return mpmath.mpf(value) if isinstance(value, str) else [mpmath.mpf(x) for x in value]

    def decimal(self, name: str) -> Any:
        """An input as the decimal string(s) it prints as: ``sigma`` (a str), ``beta`` or
        ``eigenvalues`` (diagonal problems; lists of str). Exact rational arithmetic
        (``dctheory.certify``) starts from these."""
        if name in self._decimal_from_floats and name not in self._decimal:
            # repr of each float64 (shortest round-trip), as ``_decimal_string`` prints a binary float
            self._decimal[name] = [repr(x) for x in getattr(self, name).tolist()]
        if name not in self._decimal:
            raise ConfigError(f"no exact decimal form of {name!r} (a full covariance matrix has none)")
        return self._decimal[name]

    def effective_exact(self, features: np.ndarray) -> tuple[list[Any], list[Any], Any]:
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
    def _diagonal(self) -> np.ndarray:
        """The eigenvalues of a diagonal problem (read only where ``self._matrix is None``)."""
        assert self.eigenvalues is not None, "a full covariance has no eigenvalues attribute"
        return self.eigenvalues

    @property
    def is_diagonal(self) -> bool:
        return self._matrix is None

    @cached_property
    def covariance(self) -> np.ndarray:
        """Sigma as a dense (P, P) array."""
        return np.diag(self._diagonal) if self._matrix is None else self._matrix

    @cached_property
    def variances(self) -> np.ndarray:
        """diag(Sigma), shape (P,): the population Hessian diagonal h."""
        return self._diagonal if self._matrix is None else np.diag(self._matrix).copy()

    @cached_property
    def signal(self) -> float:
        """beta^T Sigma beta."""
        if self._matrix is None:
            return float(np.dot(self._diagonal, self.beta**2))
        return float(self.beta @ self.cross)

    def unexplained(self, supports: np.ndarray, beta_S: np.ndarray) -> np.ndarray:
        """The signal variance that x_S^T beta_S leaves unexplained, for B supports (B, s) with their
        coefficients (B, s): v^T Sigma v with v = beta - beta_S (beta_S placed on S), shape (B,).

        sigma_D^2 = sigma^2 + this (docs/theory.md#notation). Written as a quadratic form of the residual
        coefficients, not as beta^T Sigma beta minus the explained part: when x_S explains nearly all the
        signal, the difference of two large numbers keeps none of the small one's digits, while the
        rounding error of v^T Sigma v is relative to v (and first-order errors in beta_S cancel, since
        Sigma_{S,:} v = 0 at the least-squares beta_S)."""
        supports = np.atleast_2d(supports)
        v = np.repeat(self.beta[None, :], supports.shape[0], axis=0)
        np.subtract.at(v, (np.arange(supports.shape[0])[:, None], supports), beta_S)
        if self._matrix is None:
            value = (v**2) @ self.eigenvalues
        else:
            value = np.einsum("bp,bp->b", v @ self._matrix, v)
        risk: np.ndarray = np.maximum(value, 0.0)  # a PSD quadratic form: below 0 only by rounding
        return risk

    @cached_property
    def cross(self) -> np.ndarray:
        """Sigma beta = E[x y], shape (P,): its entries on D are Sigma_{D,:} beta, for every subset D."""
        value: np.ndarray = self._diagonal * self.beta if self._matrix is None else self._matrix @ self.beta
        value.setflags(write=False)
        return value

    @cached_property
    def saliency(self) -> np.ndarray:
        """Latent saliency Sigma_ii beta_i^2 that oracle pruning ranks by, shape (P,)."""
        saliency: np.ndarray = self.variances * self.beta**2
        return saliency

    def oracle_set(self, s: int) -> np.ndarray:
        """D* = indices of the s largest saliencies (ties broken by feature order).

        Ranked on inputs rescaled by powers of two (exact: the order is that of Sigma_ii beta_i^2), so
        that tiny or huge coefficients neither underflow nor overflow the ranking."""
        h = np.ldexp(self.variances, -int(np.frexp(np.max(self.variances))[1]))
        b = np.ldexp(np.abs(self.beta), -int(np.frexp(np.max(np.abs(self.beta)))[1]))
        saliency = h * b**2
        return np.sort(np.argsort(-saliency, kind="stable")[:s])

    def risk(self, w: ArrayLike) -> np.ndarray:
        """Population risk sigma^2 + (w - beta)^T Sigma (w - beta); w of shape (P,) or (k, P)."""
        diff = np.asarray(w, dtype=float) - self.beta
        if self._matrix is None:
            quad = (diff**2 * self.eigenvalues).sum(axis=-1)
        else:
            quad = np.einsum("...i,ij,...j->...", diff, self._matrix, diff)
        risk: np.ndarray = self.sigma**2 + quad
        return risk

    def features(self, D: int | ArrayLike) -> np.ndarray:
        """Validate a feature subset: an integer m (the first m features) or indices."""
        if type(D) is int or np.ndim(D) == 0:
            m = check_scalar("m", D, low=1, high=self.P, integer=True)
            return np.arange(m)
        index = np.asarray(D)
        if index.ndim != 1 or index.size == 0 or not np.issubdtype(index.dtype, np.integer):
            raise ConfigError(f"a feature subset must be a non-empty 1-d integer array, got {D!r}")
        if index.min() < 0 or index.max() >= self.P or np.unique(index).size != index.size:
            raise ConfigError(f"feature indices must be distinct and in [0, {self.P - 1}]")
        return index

    #: bytes of eigenvectors kept by the cache of effective problems (full covariance only)
    EFFECTIVE_CACHE_BYTES = 256 * 2**20

    def effective(self, D: int | ArrayLike) -> EffectiveProblem:
        """The effective problem (sigma_D, beta_D, Sigma_DD) on the subset D (docs/theory.md#notation).

        For a full covariance, ``Sigma_DD = U diag(lambda) U^T`` is decomposed once per subset: results are
        cached on the problem (least recently used first out, at most :attr:`EFFECTIVE_CACHE_BYTES` of
        eigenvectors; their arrays are read-only), D = all P features in order reuses the decomposition of
        the PSD check, and ``Sigma_{D,:} beta`` is read from :attr:`cross`. An eigendecomposition of a
        leading block is not an update of a smaller block's, so a grid of m costs one ``eigh`` per m.
        """
        features = self.features(D)
        if self._matrix is None:
            from dctheory import kernel
            from dctheory.backends import NUMPY

            lam = self._diagonal[features]
            beta_D = self.beta[features]
            dropped = np.ones(self.P)
            dropped[features] = 0.0
            sigma2 = float(kernel.effective_noise(NUMPY, self.sigma, self.eigenvalues, self.beta, dropped))
            return EffectiveProblem(features, lam, beta_D, beta_D, sigma2, None)
        key = np.asarray(features, dtype=np.int64).tobytes()
        cached = self._effective_cache.get(key)
        if cached is not None:
            self._effective_cache.move_to_end(key)
            return cached
        if features.size == self.P and np.array_equal(features, np.arange(self.P)):
            lam, basis = (a.copy() for a in self._eigh)
        else:
            lam, basis = np.linalg.eigh(self._matrix[np.ix_(features, features)])
        lam = np.where(lam > lam.max() * features.size * np.finfo(float).eps, lam, 0.0)
        # beta_D = Sigma_DD^+ Sigma_{D,:} beta (min-norm if Sigma_DD is singular).
        rotated = basis.T @ self.cross[features]
        b = np.divide(rotated, lam, out=np.zeros_like(rotated), where=lam > 0)
        beta_D = basis @ b
        sigma2 = self.sigma**2 + float(self.unexplained(features[None, :], beta_D[None, :])[0])
        features = features.copy()
        for array in (features, lam, b, beta_D, basis):
            array.setflags(write=False)
        result = EffectiveProblem(features, lam, b, beta_D, sigma2, basis)
        self._effective_cache[key] = result
        while (
            sum(e.basis.nbytes for e in self._effective_cache.values() if e.basis is not None)
            > self.EFFECTIVE_CACHE_BYTES
            and len(self._effective_cache) > 1
        ):
            self._effective_cache.popitem(last=False)
        return result


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
    """The AR(1) Toeplitz covariance ``Sigma_ij = rho^|i - j|``, ``|rho| < 1``."""
    P = check_scalar("P", P, low=1, integer=True)
    rho = check_scalar("rho", rho, low=-1.0, high=1.0)
    if abs(rho) == 1.0:
        raise ConfigError(f"rho = {rho} must satisfy |rho| < 1")
    index = np.arange(P)
    covariance: np.ndarray = rho ** np.abs(index[:, None] - index[None, :])
    return covariance
