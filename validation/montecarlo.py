"""Monte Carlo engine for min-norm regression, pruning and retraining.

The simulated quantities of docs/theory.md#notation, computed fast and exactly:

* data: ``x ~ N(0, Sigma)``, ``y = <x, beta> + sigma z`` (:class:`GaussianModel`);
  for random features (docs/theory.md#random-features) any design matrix works;
* training on the first m features, ``w_hat = pinv(X_D) y`` (ridgeless) or
  ``w_lam = argmin (1/n)||y - X_D w||^2 + lam ||w||^2 = (X_D^T X_D + n lam I)^{-1} X_D^T y``,
  solved through the smaller Gram matrix:

  - ``m <= n``: ``(X_D^T X_D + n lam I) w = X_D^T y``, with ``X_D^T X_D`` the
    leading m x m block of ``A = X^T X``, formed once per sample for the
    largest such m of a sweep (a support S of a retraining uses its own
    |S| x |S| block; the full P x P product A is never needed);
  - ``m > n``:  ``w = X_D^T alpha``, ``(X_D X_D^T + n lam I) alpha = y``; the
    n x n Gram matrix ``X_D X_D^T = sum_{j in D} x_j x_j^T`` GROWS with m: a
    sweep adds only the new columns' outer products (one ``syrk``-like
    product per step), so a whole curve costs about one Gram matrix.

  Each system is solved by Cholesky (LAPACK ``dpotrf``/``dpotrs``, in place on
  temporaries) when its reciprocal condition number (``dpocon``) exceeds ``RCOND_MIN``;
  otherwise by the SVD least-squares solver (``numpy.linalg.lstsq``, the
  min-norm solution; ``eigh`` of the Gram for ridge), and the fit is flagged
  ``fallback=True`` so that callers record it. Work is shared between the fits of
  a sweep or of a batch of supports without changing any solution beyond rounding
  (docs of :func:`prefix_solves`, :meth:`Sample.sweep` and :meth:`Sample.fit_supports`):

  - nested prefixes (the first m columns, m <= n) share ONE factorization: the
    Cholesky factor of a leading block is the leading block of the factor, and
    one forward and one backward triangular solve serve every m at once;
  - for m > n the Gram matrix only grows (``G_m = G_m' + X_new X_new^T``), so
    its smallest eigenvalue never decreases: one certificate (a Cholesky
    factorization of the Gram matrix minus a small multiple of I) proves that
    every later ``dpocon`` test would pass, and those estimates are skipped
    (when none can be given, ``dpocon`` runs as before: the fallback decisions
    are unchanged); the leading blocks of the prefixes share one certificate
    in the same way;
  - the refits on arbitrary supports gather their Gram matrices from
    ``X_U^T X_U``, U the union of the supports, formed once;
* pruning of a fit on D (|D| = m) to s entries (docs/theory.md#notation):
  magnitude (top-s ``|w_i|``), Hessian (top-s ``h_i w_i^2``,
  ``h = diag(X_D^T X_D / n)``, the sample diagonal: "hessian"; ``h_i = Sigma_ii``, the
  population diagonal: "hessian_population"), oracle (the fixed set D* = top-s of the
  latent saliency ``Sigma_ii beta_i^2`` intersected with D, no refit), random
  (uniform s-subset of D). When ``m <= s`` nothing is pruned;
* retraining: min-norm least squares on the support S, on the SAME sample or
  on a FRESH independent sample of size n (docs/theory.md#retraining);
* population risk ``L(w) = sigma^2 + (w - beta)^T Sigma (w - beta)`` evaluated
  exactly (docs/theory.md#notation), batched over many w.

Strategy names follow ``dctheory.STRATEGIES``; ``*_retrained`` is FRESH
retraining (what the theory predicts) and ``*_retrained_same`` is
same-sample retraining (reported, never judged).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from scipy.linalg.blas import dsyrk
from scipy.linalg.lapack import dpocon, dpotrf, dpotrs, dtrtrs

from dctheory.errors import ConfigError

#: below this reciprocal condition number a Cholesky solve is replaced by lstsq/eigh
RCOND_MIN = 1e-12
#: a certified lower bound on the reciprocal condition number skips ``dpocon`` only when it clears RCOND_MIN by
#: this factor (room for the rounding of the factor and of the bound)
CERTIFICATE_MARGIN = 100.0
#: a certificate (one Cholesky factorization, about two ``dpocon`` calls) is tried only for at least this many
#: Gram matrices
CERTIFICATE_MIN_USES = 3

PRUNING = ("magnitude", "hessian", "hessian_population", "oracle", "random")
STRATEGIES = (
    "dense",
    "magnitude",
    "hessian",
    "hessian_population",
    "oracle",
    "random",
    "magnitude_retrained",
    "hessian_retrained",
    "hessian_population_retrained",
    "magnitude_retrained_same",
    "hessian_retrained_same",
    "hessian_population_retrained_same",
)


# --------------------------------------------------------------------------
# the data model
# --------------------------------------------------------------------------
@dataclass
class GaussianModel:
    """LGP(beta, Sigma, sigma) on the simulation side (docs/theory.md#notation).

    Give either ``eigenvalues`` (diagonal Sigma, shape (P,)) or
    ``covariance`` (shape (P, P), symmetric PSD). :meth:`from_lgp` builds it
    from a ``dctheory.LGP``.
    """

    beta: np.ndarray
    sigma: float
    eigenvalues: np.ndarray | None = None
    covariance: np.ndarray | None = None

    def __post_init__(self):
        self.beta = np.asarray(self.beta, dtype=float)
        if self.beta.ndim != 1:
            raise ConfigError(f"beta must be a 1-d array, got shape {self.beta.shape}")
        P = self.beta.size
        if (self.eigenvalues is None) == (self.covariance is None):
            raise ConfigError("give exactly one of eigenvalues= (diagonal Sigma) or covariance=")
        if not np.isfinite(self.sigma) or self.sigma < 0:
            raise ConfigError(f"sigma must be a finite number >= 0, got {self.sigma!r}")
        if self.eigenvalues is not None:
            self.eigenvalues = np.asarray(self.eigenvalues, dtype=float)
            if self.eigenvalues.shape != (P,) or np.any(self.eigenvalues < 0):
                raise ConfigError(f"eigenvalues must be >= 0 with shape ({P},), got shape {self.eigenvalues.shape}")
            self._root = np.sqrt(self.eigenvalues)
        else:
            S = np.asarray(self.covariance, dtype=float)
            if S.shape != (P, P) or not np.allclose(S, S.T, rtol=1e-10, atol=1e-12):
                raise ConfigError(f"covariance must be symmetric with shape ({P}, {P}), got {S.shape}")
            self.covariance = S
            vals, vecs = np.linalg.eigh(S)
            if vals.min() < -1e-10 * max(1.0, vals.max()):
                raise ConfigError(f"covariance must be PSD; smallest eigenvalue {vals.min():.3g}")
            # x = R^T g with R = diag(sqrt(vals)) U^T so that E x x^T = Sigma (works for singular Sigma)
            self._root = (vecs * np.sqrt(np.clip(vals, 0, None))).T

    @classmethod
    def from_lgp(cls, lgp) -> GaussianModel:
        """From a ``dctheory.LGP`` (uses its public attributes only)."""
        if lgp.is_diagonal:
            return cls(beta=lgp.beta, sigma=float(lgp.sigma), eigenvalues=np.diag(lgp.covariance).copy())
        return cls(beta=lgp.beta, sigma=float(lgp.sigma), covariance=lgp.covariance)

    @property
    def P(self) -> int:
        return self.beta.size

    @property
    def variances(self) -> np.ndarray:
        """``Sigma_ii``."""
        return self.eigenvalues if self.covariance is None else np.diag(self.covariance)

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Draw (X (n, P), y (n,)) with rows ``x ~ N(0, Sigma)``, ``y = X beta + sigma z``."""
        if not isinstance(n, (int, np.integer)) or n < 1:
            raise ConfigError(f"n must be an integer >= 1, got {n!r}")
        G = rng.standard_normal((n, self.P))
        X = G * self._root if self.covariance is None else G @ self._root
        y = X @ self.beta + self.sigma * rng.standard_normal(n)
        return X, y

    def risk(self, W: np.ndarray) -> np.ndarray:
        """Population risk ``sigma^2 + (w - beta)^T Sigma (w - beta)``; W (P,) or (K, P)."""
        E = np.atleast_2d(W) - self.beta
        if self.covariance is None:
            r = self.sigma**2 + (E * E) @ self.eigenvalues
        else:
            r = self.sigma**2 + np.einsum("kp,kp->k", E @ self.covariance, E)
        return r if np.ndim(W) == 2 else r[0]


# --------------------------------------------------------------------------
# solvers
# --------------------------------------------------------------------------
def _lower_factor(G: np.ndarray, overwrite: bool):
    """The lower Cholesky factor of symmetric G (LAPACK ``dpotrf``: only one triangle is read; Fortran order,
    the other triangle left as it was), or None when G is not numerically positive definite (``info > 0``)."""
    # G is symmetric: its transpose is the same matrix in Fortran order, which LAPACK can factor in place
    A = G.T if G.flags.c_contiguous else G
    # The lower factor L (G = L L^T) is factored faster than the upper one by OpenBLAS (measured: 52 vs 75 us at
    # n = 150, one thread).
    c, info = dpotrf(A, lower=1, clean=0, overwrite_a=overwrite)
    return c if info == 0 else None


def _one_norm(G: np.ndarray) -> float:
    return float(np.abs(G).sum(axis=0).max())


def _one_norm_lower(G: np.ndarray) -> float:
    """The 1-norm of the symmetric matrix whose lower triangle G holds (its strict upper triangle is zero)."""
    absolute = np.abs(G)
    return float((absolute.sum(axis=0) + absolute.sum(axis=1) - np.diagonal(absolute)).max())


def _passes_dpocon(c: np.ndarray, anorm: float) -> bool:
    """Whether ``dpocon``'s reciprocal 1-norm condition number of ``L L^T`` (c: lower factor) is >= RCOND_MIN.

    dpocon runs faster on the upper factor (measured: 26 vs 37 us at n = 150), so it gets ``L^T``: one copy."""
    rcond, info = dpocon(np.asfortranarray(c.T), anorm)
    return info == 0 and rcond >= RCOND_MIN


def _certify(G: np.ndarray, order: int, trace: float, shift: float = 0.0) -> bool:
    """Whether ``dpocon`` is proven to pass on every SPD matrix H of order <= ``order`` and trace <= ``trace``
    whose smallest eigenvalue is at least that of G (a principal submatrix of G, or G plus a PSD term), at the
    cost of one Cholesky factorization: that of ``G - delta I`` with ``delta = CERTIFICATE_MARGIN RCOND_MIN order
    trace`` (G symmetric; its lower triangle in Fortran order, or a C-ordered full matrix, is read; with
    ``shift``, G stands for ``G + shift I``).

    If it succeeds, ``lambda_min(G) > delta`` (up to the factorization's backward error, ~ order^2 eps ||G||,
    far below delta). Then ``||H||_1 <= sqrt(k) ||H||_2 <= sqrt(k) trace H`` and ``||H^{-1}||_1 <= sqrt(k) /
    lambda_min(H)`` give ``rcond_1(H) >= lambda_min(H) / (k trace H) > CERTIFICATE_MARGIN RCOND_MIN``; and
    dpocon's estimate of ``||H^{-1}||_1`` is ``||H^{-1} v||_1`` for vectors with ``||v||_1 = 1``, never above the
    norm, so the rcond it returns is never below the true one: it would pass. The margin covers the rounding of
    the factors and of the estimate."""
    shifted = np.array(G, order="F" if G.flags.f_contiguous else "C")
    shifted[np.diag_indices(G.shape[0])] += shift - CERTIFICATE_MARGIN * RCOND_MIN * order * trace
    return _lower_factor(shifted, overwrite=True) is not None


def cholesky_solve(G: np.ndarray, rhs: np.ndarray, *, overwrite: bool = False):
    """Solve ``G x = rhs`` for symmetric positive definite G (n, n) by Cholesky.

    LAPACK directly: ``dpotrf`` (its ``info > 0`` says G is not numerically
    positive definite), ``dpocon`` (reciprocal 1-norm condition number from
    the factor, O(n^2)) and ``dpotrs``. Returns ``x``, or ``None`` when the
    factorization fails or the reciprocal condition number is below
    RCOND_MIN (callers then use the stable solver and record the fallback).
    With ``overwrite=True`` G is the caller's temporary and is factored in
    place; only its lower triangle is read by the factorization.
    """
    anorm = _one_norm(G)
    c = _lower_factor(G, overwrite)
    if c is None or not _passes_dpocon(c, anorm):
        return None
    x, info = dpotrs(c, rhs, lower=1)
    return x if info == 0 else None


def prefix_solves(G: np.ndarray, rhs: np.ndarray, sizes) -> list:
    """Solve ``G[:m, :m] x_m = rhs[:m]`` for every m of the increasing ``sizes`` (symmetric G of order at least
    ``sizes[-1]``, both triangles stored) with ONE Cholesky factorization: the factor of a leading block is the
    leading block of the factor (``G[:m, :m] = L[:m, :m] L[:m, :m]^T``), forward substitution on a prefix is the
    prefix of the forward substitution, and back substitution of ``[z[:m]; 0]`` with the whole ``L^T`` is
    ``[x_m; 0]``: one forward and one backward triangular solve (all m as columns of one right-hand side).

    Each x_m is as :func:`cholesky_solve` gives it (to rounding): None when its block fails ``dpocon`` (run on
    each leading block of the factor, with the block's own 1-norm). With at least CERTIFICATE_MIN_USES sizes,
    :func:`_certify` first tries to prove at once that every block passes (a leading block's smallest
    eigenvalue is at least G's); dpocon runs only when it cannot. When the whole factorization fails, every m is
    solved on its own as before.
    """
    sizes = [int(m) for m in sizes]
    M = sizes[-1]
    G = G[:M, :M]
    c = _lower_factor(G, overwrite=False)
    if c is None:
        return [cholesky_solve(G[:m, :m].copy(), rhs[:m], overwrite=True) for m in sizes]
    z, _ = dtrtrs(c, rhs[:M], lower=1)
    Z = np.zeros((M, len(sizes)), order="F")
    for j, m in enumerate(sizes):
        Z[:m, j] = z[:m]
    W, _ = dtrtrs(c, Z, lower=1, trans=1, overwrite_b=1)
    # the leading blocks' smallest eigenvalues are at least G's (interlacing): one certificate serves all
    certified = len(sizes) >= CERTIFICATE_MIN_USES and _certify(G, M, float(np.trace(G)))
    return [
        W[:m, j].copy() if certified or _passes_dpocon(c[:m, :m], _one_norm(G[:m, :m])) else None
        for j, m in enumerate(sizes)
    ]


def _fallback(X: np.ndarray, y: np.ndarray, ridge: float) -> np.ndarray:
    """Stable solver: SVD min-norm least squares (ridgeless) or eigh of the Gram (ridge)."""
    n, m = X.shape
    if ridge == 0.0:
        return np.linalg.lstsq(X, y, rcond=None)[0]
    if m <= n:
        vals, vecs = np.linalg.eigh(X.T @ X)
        return vecs @ ((vecs.T @ (X.T @ y)) / (vals + n * ridge))
    vals, vecs = np.linalg.eigh(X @ X.T)
    return X.T @ (vecs @ ((vecs.T @ y) / (vals + n * ridge)))


def _check_ridge(ridge):
    if not np.isfinite(ridge) or ridge < 0:
        raise ConfigError(f"ridge must be a finite number >= 0, got {ridge!r}")


def min_norm(X: np.ndarray, y: np.ndarray, ridge: float = 0.0) -> tuple[np.ndarray, bool]:
    """Min-norm least squares ``pinv(X) y`` (ridge=0) or the ridge fit; returns (w, fallback).

    Uses the smaller Gram matrix and Cholesky; ``fallback`` is True when the
    Gram matrix was too ill-conditioned and lstsq/eigh was used instead.
    """
    _check_ridge(ridge)
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n, m = X.shape
    if m <= n:
        G = X.T @ X
        if ridge:
            G[np.diag_indices(m)] += n * ridge
        w = cholesky_solve(G, X.T @ y, overwrite=True)
    else:
        G = X @ X.T
        if ridge:
            G[np.diag_indices(n)] += n * ridge
        alpha = cholesky_solve(G, y, overwrite=True)
        w = None if alpha is None else X.T @ alpha
    if w is None:
        return _fallback(X, y, ridge), True
    return w, False


class Sample:
    """A training sample (X (n, P), y (n,)) with ``b = X^T y`` and, formed only when a fit needs them,
    blocks of ``A = X^T X``.

    A fit on m <= n columns needs the m x m block of its columns (the leading block for a sweep, computed
    once for the largest such m), a fit on m > n columns the n x n Gram matrix of the other side, and
    Hessian pruning only ``diag(A)``: the full P x P product ``A`` is formed only if it is read.
    """

    def __init__(self, X: np.ndarray, y: np.ndarray, ridge: float = 0.0):
        _check_ridge(ridge)
        self.X = np.ascontiguousarray(X, dtype=float)
        self.y = np.asarray(y, dtype=float)
        self.n, self.P = self.X.shape
        self.ridge = float(ridge)
        self.b = self.X.T @ self.y
        self._products = {}  # shared with with_ridge copies: "A", "leading", "diagonal"

    def with_ridge(self, ridge: float) -> Sample:
        """The same sample (sharing X, y, b and the Gram blocks formed so far) fitted with another ridge strength."""
        _check_ridge(ridge)
        other = object.__new__(Sample)
        other.__dict__.update(self.__dict__)
        other.ridge = float(ridge)
        return other

    @property
    def A(self) -> np.ndarray:
        """``X^T X`` (P, P), formed on first use."""
        if "A" not in self._products:
            self._products["A"] = self.X.T @ self.X
        return self._products["A"]

    def _leading_gram(self, m: int) -> np.ndarray:
        """A copy of the leading m x m block of ``X^T X`` (the largest block asked for is kept)."""
        if "A" in self._products:
            return self._products["A"][:m, :m].copy()
        block = self._products.get("leading")
        if block is None or block.shape[0] < m:
            columns = self.X[:, :m]
            block = self._products["leading"] = columns.T @ columns
        return block[:m, :m].copy()

    def _support_gram(self, S: np.ndarray) -> np.ndarray:
        """``X_S^T X_S`` (a new array): a block of A when A exists, else from the |S| columns."""
        if "A" in self._products:
            return self._products["A"][S][:, S]  # rows, then columns: half the time of np.ix_
        columns = self.X[:, S]
        return columns.T @ columns

    @property
    def hessian_diagonal(self) -> np.ndarray:
        """``h = diag(X^T X / n)``: the empirical feature second moments."""
        if "diagonal" not in self._products:
            self._products["diagonal"] = np.einsum("ij,ij->j", self.X, self.X) / self.n
        return self._products["diagonal"]

    def fit_support(self, S: np.ndarray) -> tuple[np.ndarray, bool]:
        """Min-norm (or ridge) fit on the columns S; returns (w in R^P with zeros off S, fallback)."""
        S = np.asarray(S)
        k = S.size
        w = np.zeros(self.P)
        if k == 0:
            return w, False
        if k <= self.n:
            w[S], fallback = self._solve_support(S, self._support_gram(S))
            return w, fallback
        XS = self.X[:, S]
        G = XS @ XS.T
        if self.ridge:
            G[np.diag_indices(self.n)] += self.n * self.ridge
        alpha = cholesky_solve(G, self.y, overwrite=True)
        sol = None if alpha is None else XS.T @ alpha
        fallback = sol is None
        if fallback:
            sol = _fallback(self.X[:, S], self.y, self.ridge)
        w[S] = sol
        return w, fallback

    def fit_supports(self, supports: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """Fits on each support of ``supports`` (as :meth:`fit_support`): (W (k, P) with zeros off each
        support, fallbacks (k,)).

        Work is shared, each solution unchanged beyond rounding: each distinct support is solved once (two
        rules keep the same support, e.g. every feature of D when m <= s); the prefixes ``S = {0, .., k-1}``
        (k <= n) are solved together by :func:`prefix_solves` on the leading Gram block (one factorization);
        the other supports of at most n columns gather their Gram matrices from ``X_U^T X_U``, U the union of
        their columns, formed once (one symmetric product at the matrix-multiply rate) when it costs less than
        their own products (n |S|^2 flops each; from A = X^T X when A is already formed)."""
        W = np.zeros((len(supports), self.P))
        flags = np.zeros(len(supports), dtype=bool)
        supports = [np.asarray(S) for S in supports]
        first: dict[bytes, int] = {}  # support -> the row that fitted it
        distinct = [i for i, S in enumerate(supports) if first.setdefault(S.tobytes(), i) == i]
        prefixes, gathered = {}, []  # size k -> the row of {0, .., k-1}; rows of the other supports with k <= n
        for i in distinct:
            k = supports[i].size
            if 0 < k <= self.n and supports[i][0] == 0 and supports[i][-1] == k - 1 and _increasing(supports[i]):
                prefixes[k] = i
            elif 0 < k <= self.n:
                gathered.append(i)
            else:
                W[i], flags[i] = self.fit_support(supports[i])
        if prefixes:
            sizes = sorted(prefixes)
            G = self._leading_gram(sizes[-1])
            if self.ridge:
                G[np.diag_indices(sizes[-1])] += self.n * self.ridge
            for k, sol in zip(sizes, prefix_solves(G, self.b, sizes)):
                fallback = sol is None
                W[prefixes[k], :k] = _fallback(self.X[:, :k], self.y, self.ridge) if fallback else sol
                flags[prefixes[k]] = fallback
        gram = None
        if gathered and "A" not in self._products:
            in_union = np.zeros(self.P, dtype=bool)
            in_union[np.concatenate([supports[i] for i in gathered])] = True
            union = np.flatnonzero(in_union)
            if sum(supports[i].size ** 2 for i in gathered) > union.size**2:
                columns = self.X[:, union]
                gram, position = columns.T @ columns, np.cumsum(in_union) - 1  # feature -> its index in union
        for i in gathered:
            S = supports[i]
            G = self._support_gram(S) if gram is None else gram[position[S]][:, position[S]]
            W[i, S], flags[i] = self._solve_support(S, G)
        for i, S in enumerate(supports):
            row = first[S.tobytes()]
            if row != i:
                W[i], flags[i] = W[row], flags[row]
        return W, flags

    def sweep(self, m_grid):
        """Fit on the first m columns for each m of the increasing ``m_grid``.

        Yields ``(m, w (m,), fallback)``. For m <= n the Gram matrices are the leading blocks of A, all
        solved with one factorization (:func:`prefix_solves`); for m > n the n x n Gram matrix grows by the
        new columns only, and is factored at each m. Its smallest eigenvalue never decreases along the sweep
        (a PSD term is added) and its trace grows to ``||X||_F^2``, so one certificate (:func:`_certify`, tried
        after each m that passes ``dpocon`` until it succeeds, while at least CERTIFICATE_MIN_USES m remain)
        proves that every later m passes dpocon, whose estimates are then skipped; until then dpocon runs as
        before.
        """
        m_grid = [int(m) for m in m_grid]
        if any(b <= a for a, b in itertools.pairwise(m_grid)) or m_grid[0] < 1 or m_grid[-1] > self.P:
            raise ConfigError(f"m_grid must be strictly increasing within [1, {self.P}], got {m_grid}")
        n, X, lam = self.n, self.X, self.ridge
        under = [m for m in m_grid if m <= n]
        if under:
            G = self._leading_gram(under[-1])
            if lam:
                G[np.diag_indices(under[-1])] += n * lam
            for m, w in zip(under, prefix_solves(G, self.b, under)):
                yield (m, w, False) if w is not None else (m, _fallback(X[:, :m], self.y, lam), True)
        over = m_grid[len(under) :]
        if not over:
            return
        G = np.zeros((n, n), order="F")  # X_m X_m^T, its lower triangle only (what dsyrk updates and dpotrf reads)
        trace = n * self.hessian_diagonal.sum() + n * n * lam  # trace(X X^T + n lam I): the largest of the sweep
        filled, certified = 0, False  # certified: every later Gram matrix passes dpocon (its estimate is skipped)
        for j, m in enumerate(over):
            G = dsyrk(1.0, X[:, filled:m], beta=1.0, c=G, lower=1, overwrite_c=1)
            filled = m
            Gm = G
            if lam:
                Gm = G.copy(order="F")
                Gm[np.diag_indices(n)] += n * lam
            # G accumulates across m: overwrite only a ridge copy
            c = _lower_factor(Gm, overwrite=Gm is not G)
            ok = c is not None
            if ok and not certified:
                # the 1-norm of G + n lam I is that of G plus n lam (G's diagonal is >= 0)
                ok = _passes_dpocon(c, _one_norm_lower(G) + n * lam)
                if ok and len(over) - j - 1 >= CERTIFICATE_MIN_USES:
                    certified = _certify(G, n, trace, shift=n * lam)
            w = None
            if ok:
                alpha, info = dpotrs(c, self.y, lower=1)
                w = X[:, :m].T @ alpha if info == 0 else None
            fallback = w is None
            if fallback:
                w = _fallback(X[:, :m], self.y, lam)
            yield m, w, fallback

    def _solve_support(self, S: np.ndarray, G: np.ndarray) -> tuple[np.ndarray, bool]:
        """The fit on the columns S (|S| <= n), as (w (|S|,), fallback), from their Gram matrix G (a
        temporary, overwritten)."""
        if self.ridge:
            G[np.diag_indices(S.size)] += self.n * self.ridge
        sol = cholesky_solve(G, self.b[S], overwrite=True)
        if sol is None:
            return _fallback(self.X[:, S], self.y, self.ridge), True
        return sol, False


def _increasing(S: np.ndarray) -> bool:
    return bool(np.all(S[1:] > S[:-1]))


# --------------------------------------------------------------------------
# pruning
# --------------------------------------------------------------------------
def top_s(scores: np.ndarray, s: int) -> np.ndarray:
    """Indices of the s largest scores, sorted increasingly (ties broken by position)."""
    if s >= scores.size:
        return np.arange(scores.size)
    idx = np.argpartition(-scores, s - 1, kind="introselect")[:s]
    return np.sort(idx)


def prune_support(
    w: np.ndarray,
    s: int,
    strategy: str,
    *,
    hessian_diagonal=None,
    population_diagonal=None,
    oracle_set=None,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """Support S (indices into w's m coordinates) kept by ``strategy`` at sparsity s.

    magnitude: top-s ``|w_i|``; hessian: top-s ``h_i w_i^2`` with the sample diagonal
    ``hessian_diagonal``; hessian_population: the same with ``population_diagonal`` (Sigma_ii); oracle: the
    given fixed set D* restricted to ``range(m)``; random: uniform s-subset.
    When ``m <= s`` every index is kept (nothing is pruned).
    """
    m = w.size
    if not isinstance(s, (int, np.integer)) or s < 1:
        raise ConfigError(f"sparsity s must be an integer >= 1, got {s!r}")
    if strategy == "oracle":
        if oracle_set is None:
            raise ConfigError("oracle pruning needs oracle_set (top-s of Sigma_ii beta_i^2)")
        D = np.asarray(oracle_set)
        return np.sort(D[D < m])
    if m <= s:
        return np.arange(m)
    if strategy == "magnitude":
        return top_s(np.abs(w), s)
    if strategy == "hessian":
        if hessian_diagonal is None:
            raise ConfigError("Hessian pruning needs hessian_diagonal = diag(X^T X / n)")
        return top_s(hessian_diagonal[:m] * w * w, s)
    if strategy == "hessian_population":
        if population_diagonal is None:
            raise ConfigError("population Hessian pruning needs population_diagonal = diag(Sigma)")
        return top_s(np.asarray(population_diagonal)[:m] * w * w, s)
    if strategy == "random":
        if rng is None:
            raise ConfigError("random pruning needs rng")
        return np.sort(rng.choice(m, size=s, replace=False))
    raise ConfigError(f"unknown pruning strategy {strategy!r}; valid: {', '.join(PRUNING)}")


def oracle_set(variances: np.ndarray, beta: np.ndarray, s: int) -> np.ndarray:
    """D* = top-s of the latent saliency ``Sigma_ii beta_i^2`` over all P features.

    Ties are broken by feature order (the lower index is kept), the convention
    of ``dctheory.LGP.oracle_set``: with a spiked model many saliencies are
    equal, and an arbitrary tie-break would simulate a different D* than the
    one predicted.
    """
    saliency = np.asarray(variances) * np.asarray(beta) ** 2
    return np.sort(np.argsort(-saliency, kind="stable")[:s])


# --------------------------------------------------------------------------
# train -> prune -> retrain over a sweep of m
# --------------------------------------------------------------------------
def train_prune_retrain(
    train: Sample,
    fresh: Sample | None,
    m_grid,
    s: int,
    *,
    strategies=None,
    oracle=None,
    rng=None,
    population_diagonal=None,
):
    """All fits of one trial: for each m in ``m_grid`` and each strategy, the weights.

    Returns ``(labels, W, fallbacks)``: ``labels`` a list of (m, strategy),
    ``W`` an array (K, P) of the fitted weights embedded in R^P, and
    ``fallbacks`` a bool array (K,) flagging fits that needed the stable
    solver. ``fresh`` (a second independent Sample) is needed for
    ``*_retrained``; ``oracle`` (the set D*) for "oracle"; ``rng`` for "random";
    ``population_diagonal`` (Sigma_ii) for "hessian_population". ``strategies`` defaults to every
    strategy, those of "hessian_population" only when ``population_diagonal`` is given.
    """
    if strategies is None:
        strategies = [st for st in STRATEGIES if population_diagonal is not None or "population" not in st]
    unknown = set(strategies) - set(STRATEGIES)
    if unknown:
        raise ConfigError(f"unknown strategies {sorted(unknown)}; valid: {', '.join(STRATEGIES)}")
    P = train.P
    h = train.hessian_diagonal
    m_grid = [int(m) for m in m_grid]
    labels = [(m, strategy) for m in m_grid for strategy in strategies]
    W, flags = np.zeros((len(labels), P)), np.zeros(len(labels), dtype=bool)
    # Retraining fits are collected per sample and fitted together at the end (shared work,
    # :meth:`Sample.fit_supports`): per sample, (support, row of ``W``).
    refits = {"same": [], "fresh": []}
    row = 0
    for m, w_m, fb in train.sweep(m_grid):
        supports = {}
        for strategy in strategies:
            base = strategy.removesuffix("_same").removesuffix("_retrained")
            flags[row] = fb
            if strategy == "dense":
                W[row, :m] = w_m
            elif strategy in PRUNING:
                S = supports[strategy] = prune_support(
                    w_m,
                    s,
                    strategy,
                    hessian_diagonal=h,
                    population_diagonal=population_diagonal,
                    oracle_set=oracle,
                    rng=rng,
                )
                W[row, S] = w_m[S]
            else:
                if base not in supports:
                    supports[base] = prune_support(
                        w_m,
                        s,
                        base,
                        hessian_diagonal=h,
                        population_diagonal=population_diagonal,
                        oracle_set=oracle,
                        rng=rng,
                    )
                same = strategy.endswith("_same")
                if not same and fresh is None:
                    raise ConfigError(f"strategy {strategy!r} needs a fresh sample")
                refits["same" if same else "fresh"].append((supports[base], row))
            row += 1
    for which, sample in (("same", train), ("fresh", fresh)):
        if refits[which]:
            rows = [r for _, r in refits[which]]
            W[rows], fallbacks = sample.fit_supports([S for S, _ in refits[which]])
            flags[rows] |= fallbacks
    return labels, W, flags


# --------------------------------------------------------------------------
# pruning in rounds: train -> prune -> retrain, a fresh sample each round
# --------------------------------------------------------------------------
def prune_in_rounds(
    support: np.ndarray,
    weights: np.ndarray,
    fresh: list[Sample],
    schedule,
    strategy: str,
    *,
    hessian_diagonal=None,
    population_diagonal=None,
    oracle=None,
    rng: np.random.Generator | None = None,
):
    """One schedule of iterative pruning, starting from a fit on ``support``.

    ``support`` (m,) holds the trained features (indices into the P features) and ``weights`` (m,) the fit
    on them. Round k (k = 1..R, R = len(schedule)) prunes the current fit to ``schedule[k-1]`` weights by
    ``strategy`` (:func:`prune_support`, scores restricted to the current support) and refits min-norm (or
    ridge, the sample's own) least squares on the kept support on the independent sample ``fresh[k-1]``;
    the next round prunes that refit. ``hessian_diagonal`` (P,): the h_i of "hessian" pruning in round 1,
    the sample diagonal ``||X_i||^2 / n`` of the sample that ``weights`` were fitted on (later rounds score
    with the diagonal of the fresh sample that the refit they prune was fitted on, as Hessian pruning is
    run); ``population_diagonal`` (P,): Sigma_ii, the h_i of "hessian_population" in every round;
    ``oracle``: a function s -> D* (the top-s latent saliencies, :func:`oracle_set`), kept within the
    current support; ``rng``: for random pruning.

    Returns ``(pruned, retrained, fallbacks)``: ``pruned`` (R, P) the pruned fit of each round embedded
    in R^P, ``retrained`` (R, P) its fresh refit, ``fallbacks`` (R,) flags of refits that needed the
    stable solver.
    """
    if len(fresh) < len(schedule):
        raise ConfigError(f"a schedule of {len(schedule)} rounds needs as many fresh samples, got {len(fresh)}")
    P = fresh[0].P
    support, w = np.asarray(support), np.asarray(weights, dtype=float)
    pruned, retrained, flags = np.zeros((len(schedule), P)), np.zeros((len(schedule), P)), []
    for k, (kept, sample) in enumerate(zip(schedule, fresh)):
        D = None if oracle is None else np.flatnonzero(np.isin(support, oracle(int(kept))))
        h = None if hessian_diagonal is None else np.asarray(hessian_diagonal)[support]
        h_population = None if population_diagonal is None else np.asarray(population_diagonal)[support]
        positions = prune_support(
            w, int(kept), strategy, hessian_diagonal=h, population_diagonal=h_population, oracle_set=D, rng=rng
        )
        S = support[positions]
        pruned[k, S] = w[positions]
        retrained[k], fallback = sample.fit_support(S)
        flags.append(fallback)
        support, w = S, retrained[k, S]
        hessian_diagonal = sample.hessian_diagonal  # the next round prunes the refit on this sample
    return pruned, retrained, np.array(flags, dtype=bool)
