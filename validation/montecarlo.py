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
  ``fallback=True`` so that callers record it;
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
from scipy.linalg.lapack import dpocon, dpotrf, dpotrs

from dctheory.errors import ConfigError

#: below this reciprocal condition number a Cholesky solve is replaced by lstsq/eigh
RCOND_MIN = 1e-12

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
def cholesky_solve(G: np.ndarray, rhs: np.ndarray, *, overwrite: bool = False):
    """Solve ``G x = rhs`` for symmetric positive definite G (n, n) by Cholesky.

    LAPACK directly: ``dpotrf`` (its ``info > 0`` says G is not numerically
    positive definite), ``dpocon`` (reciprocal 1-norm condition number from
    the factor, O(n^2)) and ``dpotrs``. Returns ``x``, or ``None`` when the
    factorization fails or the reciprocal condition number is below
    RCOND_MIN (callers then use the stable solver and record the fallback).
    With ``overwrite=True`` G is the caller's temporary and is factored in
    place; only its upper triangle is read. (The condition estimate and the
    solve use one n x n copy: the factor's transpose, see below.)
    """
    anorm = float(np.abs(G).sum(axis=0).max())
    # G is symmetric: its transpose is the same matrix in Fortran order, which
    # LAPACK can factor in place when overwriting is allowed
    A = G.T if G.flags.c_contiguous else G
    # The lower factor L (G = L L^T) is factored faster than the upper one by OpenBLAS (measured: 59 vs 83 us at
    # n = 150, one thread), while the condition estimate runs faster on the upper one: U = L^T, one n x n copy.
    c, info = dpotrf(A, lower=1, clean=0, overwrite_a=overwrite)
    if info != 0:
        return None
    upper = np.asfortranarray(c.T)  # the upper triangle of c.T is L^T (its lower one is never read)
    rcond, info = dpocon(upper, anorm)
    if info != 0 or not rcond >= RCOND_MIN:
        return None
    x, info = dpotrs(upper, rhs, lower=0, overwrite_b=False)
    return x if info == 0 else None


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
            G = self._support_gram(S)
            if self.ridge:
                G[np.diag_indices(k)] += self.n * self.ridge
            sol = cholesky_solve(G, self.b[S], overwrite=True)
        else:
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

        The Gram matrices are fused: when the supports' own Gram products (n |S|^2 flops each, |S| <= n)
        would cost more than ``A = X^T X`` (n P^2, one symmetric product at the matrix-multiply rate), A is
        formed once and each support's Gram matrix is gathered from it (the retraining fits of a sweep:
        two supports of s columns per m). Each distinct support is then solved once, as in :meth:`fit_support`
        (two rules keep the same support, e.g. every feature of D when m <= s)."""
        W = np.zeros((len(supports), self.P))
        flags = np.zeros(len(supports), dtype=bool)
        first: dict[bytes, int] = {}  # support -> the row that fitted it
        distinct = [first.setdefault(np.asarray(S).tobytes(), i) == i for i, S in enumerate(supports)]
        small = sum(S.size**2 for S, new in zip(supports, distinct) if new and 0 < S.size <= self.n)
        if small > self.P**2:
            self.A  # noqa: B018 (formed once; :meth:`_support_gram` then gathers from it)
        for i, (S, new) in enumerate(zip(supports, distinct)):
            if new:
                W[i], flags[i] = self.fit_support(S)
            else:
                row = first[np.asarray(S).tobytes()]
                W[i], flags[i] = W[row], flags[row]
        return W, flags

    def sweep(self, m_grid):
        """Fit on the first m columns for each m of the increasing ``m_grid``.

        Yields ``(m, w (m,), fallback)``. For m <= n the Gram matrix is the
        leading block of A; for m > n the n x n Gram matrix grows by the new
        columns only.
        """
        m_grid = [int(m) for m in m_grid]
        if any(b <= a for a, b in itertools.pairwise(m_grid)) or m_grid[0] < 1 or m_grid[-1] > self.P:
            raise ConfigError(f"m_grid must be strictly increasing within [1, {self.P}], got {m_grid}")
        n, X, lam = self.n, self.X, self.ridge
        under = [m for m in m_grid if m <= n]
        if under:
            self._leading_gram(under[-1])  # one block for every m <= n of the sweep
        G = None
        filled = 0
        for m in m_grid:
            if m <= n:
                Gm = self._leading_gram(m)
                if lam:
                    Gm[np.diag_indices(m)] += n * lam
                w = cholesky_solve(Gm, self.b[:m], overwrite=True)
            else:
                if G is None:
                    G = np.zeros((n, n))
                Xnew = X[:, filled:m]
                G += Xnew @ Xnew.T
                filled = m
                Gm = G
                if lam:
                    Gm = G.copy()
                    Gm[np.diag_indices(n)] += n * lam
                # G accumulates across m: overwrite only a ridge copy
                alpha = cholesky_solve(Gm, self.y, overwrite=Gm is not G)
                w = None if alpha is None else X[:, :m].T @ alpha
            fallback = w is None
            if fallback:
                w = _fallback(X[:, :m], self.y, lam)
            yield m, w, fallback


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
    labels, weights, flags = [], [], []
    # Retraining fits are collected per sample and fitted together at the end (fused Gram matrices,
    # :meth:`Sample.fit_supports`): per sample, (support, row of ``weights``).
    refits = {"same": [], "fresh": []}
    for m, w_m, fb in train.sweep(m_grid):
        dense = np.zeros(P)
        dense[:m] = w_m
        supports = {}
        for strategy in strategies:
            base = strategy.removesuffix("_same").removesuffix("_retrained")
            if strategy == "dense":
                w, f = dense, fb
            elif strategy in PRUNING:
                S = prune_support(
                    w_m,
                    s,
                    strategy,
                    hessian_diagonal=h,
                    population_diagonal=population_diagonal,
                    oracle_set=oracle,
                    rng=rng,
                )
                supports[strategy] = S
                w = np.zeros(P)
                w[S] = w_m[S]
                f = fb
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
                refits["same" if same else "fresh"].append((supports[base], len(weights)))
                w, f = None, fb
            labels.append((m, strategy))
            weights.append(w)
            flags.append(bool(f))
    for which, sample in (("same", train), ("fresh", fresh)):
        if refits[which]:
            fitted, fallbacks = sample.fit_supports([S for S, _ in refits[which]])
            for (_, row), w, f in zip(refits[which], fitted, fallbacks):
                weights[row] = w
                flags[row] = flags[row] or bool(f)
    return labels, np.array(weights), np.array(flags)


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
