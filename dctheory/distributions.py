r"""Laws of a scalar (the spectrum law of Lam, or of B) for the asymptotic DC.

The asymptotic DC (docs/theory.md#asymptotic, Def. 3) is a set of expectations over
the law of (Lam, B). A :class:`Distribution` is a finite set of atoms plus an
optional continuous part, given by a quantile function, a density, a
``scipy.stats`` distribution or one of the named families
(:meth:`Distribution.two_point`, :meth:`~Distribution.uniform`,
:meth:`~Distribution.power_law`, :meth:`~Distribution.marchenko_pastur`).

Expectations are computed by a quadrature rule (:meth:`Distribution.rule`):
the continuous part is written as an integral over v in (0, 1) with a
non-decreasing map v -> x and a weight g(v),

    E_cont f(X) = int_0^1 f(x(v)) g(v) dv,

    quantile Q:          x = Q(v),               g = mass
    density f on [a,b]:  x = a + (b - a) v,      g = (b - a) f(x)
    density on [a, inf): x = a + v / (1 - v),    g = f(x) / (1 - v)^2

and integrated by the tanh-sinh (double exponential) rule with step h = 2^-level,
which converges exponentially fast in the number of nodes even with integrable
endpoint singularities (the power-law quantile v^-alpha, the Marchenko-Pastur
density's square-root edges). Both v and 1 - v are formed without cancellation
(v = expit(pi sinh t)), so the nodes next to either end are exact. The same rule
at level k - 1 is the even nodes of level k; callers compare the two to estimate
the quadrature error (:class:`dctheory.asymptotic.AsymptoticDC`).

At ``dps`` digits (mpmath) the named families are evaluated in mpmath; a user
quantile or density must then accept mpmath numbers, and a ``scipy.stats``
distribution (float64 only) is refused.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import mpmath
import numpy as np
import scipy.special
from numpy.typing import ArrayLike

from dctheory.checks import check_probabilities, check_scalar, finite_vector
from dctheory.errors import ConfigError, PrecisionError

__all__ = ["Distribution"]

#: float64 nodes run out to t = T_FLOAT, where min(v, 1 - v) ~ 1e-300.
T_FLOAT = 6.1


@dataclass(frozen=True)
class Distribution:
    """A law on the real line: atoms plus an optional continuous part.

    Build it with a named constructor rather than directly.

    Attributes:
        name: a short description (shown in reports).
        atoms: (value, probability) pairs.
        kind: None (atoms only), "quantile" or "density".
        mass: probability of the continuous part (1 - sum of atom probabilities).
        quantile: for kind "quantile": ``quantile(v, one_minus_v)`` -> x, non-decreasing in v;
            both arguments given so that the upper tail can be formed without cancellation.
        density: for kind "density": ``density(x)`` with integral ``mass`` over ``support``.
        support: (low, high) of the continuous part; high may be inf.
        quantile_mp, density_mp: the mpmath versions of ``quantile`` / ``density`` (None: float64 only).
        support_mp: () -> (low, high) in mpmath, when the support is not exact in binary.
    """

    name: str
    atoms: tuple[tuple[float, float], ...] = ()
    kind: str | None = None
    mass: float = 0.0
    quantile: Callable[..., Any] | None = field(default=None, compare=False)
    density: Callable[..., Any] | None = field(default=None, compare=False)
    support: tuple[float, float] = (0.0, math.inf)
    quantile_mp: Callable[..., Any] | None = field(default=None, compare=False)
    density_mp: Callable[..., Any] | None = field(default=None, compare=False)
    support_mp: Callable[[], tuple[Any, Any]] | None = field(default=None, compare=False)

    def __repr__(self) -> str:
        atoms = ", ".join(f"{v:g} w.p. {p:g}" for v, p in self.atoms[:4]) + (", ..." if len(self.atoms) > 4 else "")
        parts = [self.name]
        if atoms and self.kind is not None:
            parts.append(f"atoms {atoms}")
        elif atoms and not self.name.startswith(("point", "two_point")):
            parts.append(atoms)
        if self.kind is not None:
            low, high = self.support
            parts.append(f"continuous part ({self.kind}) of mass {self.mass:g} on [{low:g}, {high:g}]")
        return f"Distribution({'; '.join(parts)})"

    # -- named families ------------------------------------------------------
    @classmethod
    def point(cls, value: float) -> Distribution:
        """The point mass at ``value`` (e.g. Lam = 1: isotropic features, Hastie et al. 2019)."""
        return cls.discrete([value], [1.0], name=f"point({value:g})")

    @classmethod
    def discrete(
        cls, values: ArrayLike, probabilities: ArrayLike | None = None, *, name: str | None = None
    ) -> Distribution:
        """Atoms ``values`` with ``probabilities`` (default uniform; must sum to 1)."""
        array = finite_vector("values", values)
        if array.size == 0:
            raise ConfigError("values must be a non-empty 1-d list of finite numbers, got an empty list")
        p = (
            np.full(array.size, 1.0 / array.size)
            if probabilities is None
            else check_probabilities(probabilities, array.size)
        )
        atoms = tuple((float(v), float(q)) for v, q in zip(array, p) if q > 0)
        return cls(name or f"discrete({array.size} atoms)", atoms)

    @classmethod
    def two_point(cls, high: float, fraction: float, low: float = 1.0) -> Distribution:
        """The spiked law: ``high`` with probability ``fraction``, else ``low``
        (Fig. 3(b): C = high on k = fraction * P coordinates, 1 elsewhere)."""
        high = check_scalar("high", high, low=0.0)
        low = check_scalar("low", low, low=0.0)
        fraction = check_scalar("fraction", fraction, low=0.0, high=1.0)
        return cls.discrete([high, low], [fraction, 1.0 - fraction], name=f"two_point({high:g}, {fraction:g}, {low:g})")

    @classmethod
    def uniform(cls, low: float, high: float) -> Distribution:
        """The uniform law on [low, high], 0 <= low < high."""
        low = check_scalar("low", low, low=0.0)
        high = check_scalar("high", high, low=low, low_open=True)

        def quantile(v: Any, w: Any, lib: Any = np) -> Any:
            # low + (high - low) v, formed from the nearer end.
            a, b = (low, high) if lib is np else (exact(low), exact(high))
            return _where(lib, v <= 0.5, lambda: a + (b - a) * v, lambda: b - (b - a) * w)

        return cls(
            f"uniform({low:g}, {high:g})",
            (),
            "quantile",
            1.0,
            quantile=quantile,
            quantile_mp=lambda v, w: quantile(v, w, mpmath),
            support=(low, high),
        )

    @classmethod
    def power_law(cls, alpha: float, scale: float = 1.0) -> Distribution:
        """The limit law of the power-law spectrum lambda_i = scale (i / P)^(-alpha), i = 1..P:
        Lam = scale U^(-alpha), U uniform on (0, 1). Its P quantiles (i - 1/2)/P give
        ``dc.power_law(P, alpha, scale * P**alpha)`` up to the half-index shift.
        E Lam is finite iff alpha < 1 (needed by risks that contain beta^T Sigma beta)."""
        alpha = check_scalar("alpha", alpha, low=0.0, low_open=True)
        scale = check_scalar("scale", scale, low=0.0, low_open=True)

        def quantile(v: Any, w: Any, lib: Any = np) -> Any:
            # Increasing in v: Q(v) = scale (1 - v)^(-alpha) = scale w^(-alpha).
            if lib is np:
                return scale * w ** (-alpha)
            return exact(scale) * w ** (-exact(alpha))

        return cls(
            f"power_law({alpha:g}, {scale:g})",
            (),
            "quantile",
            1.0,
            quantile=quantile,
            quantile_mp=lambda v, w: quantile(v, w, mpmath),
            support=(scale, math.inf),
        )

    @classmethod
    def marchenko_pastur(cls, ratio: float, scale: float = 1.0) -> Distribution:
        """The Marchenko-Pastur law: eigenvalues of scale * Z^T Z / N, Z an N x P Gaussian matrix,
        P / N -> ratio. Density sqrt((b - x)(x - a)) / (2 pi ratio scale x) on
        [a, b] = scale [(1 - sqrt(ratio))^2, (1 + sqrt(ratio))^2], plus an atom at 0 of mass
        1 - 1/ratio when ratio > 1."""
        ratio = check_scalar("ratio", ratio, low=0.0, low_open=True)
        scale = check_scalar("scale", scale, low=0.0, low_open=True)
        root = math.sqrt(ratio)
        a, b = scale * (1 - root) ** 2, scale * (1 + root) ** 2

        def edges() -> tuple[Any, Any]:
            r, c = exact(ratio), exact(scale)
            return c * (1 - mpmath.sqrt(r)) ** 2, c * (1 + mpmath.sqrt(r)) ** 2

        def density(x: Any, lib: Any = np) -> Any:
            if lib is np:
                inside = np.clip((b - x) * (x - a), 0.0, None)
                return np.sqrt(inside) / (2 * np.pi * ratio * scale * x)
            lo, hi = edges()
            return mpmath.sqrt(max((hi - x) * (x - lo), 0)) / (2 * mpmath.pi * exact(ratio) * exact(scale) * x)

        atoms = ((0.0, 1.0 - 1.0 / ratio),) if ratio > 1 else ()
        mass = 1.0 / ratio if ratio > 1 else 1.0
        return cls(
            f"marchenko_pastur({ratio:g}, {scale:g})",
            atoms,
            "density",
            mass,
            density=density,
            density_mp=lambda x: density(x, mpmath),
            support=(a, b),
            support_mp=edges,
        )

    # -- user-given laws -----------------------------------------------------
    @classmethod
    def from_quantile(
        cls,
        quantile: Callable[[Any], Any],
        *,
        name: str = "quantile",
        mp: bool = False,
        upper: Callable[[Any], Any] | None = None,
    ) -> Distribution:
        """A continuous law from its quantile function Q(v), v in (0, 1), non-decreasing.

        ``quantile`` must accept numpy arrays; with ``mp=True`` it must also accept mpmath
        numbers (needed for ``dps``). ``upper(w)``, if given, is Q(1 - w) written without
        the cancellation of 1 - w (e.g. ``scipy.stats``' ``isf``); it is used for v > 1/2.
        """
        if not callable(quantile) or (upper is not None and not callable(upper)):
            raise ConfigError("quantile (and upper) must be callables of v in (0, 1)")

        def q(v: Any, w: Any) -> Any:
            if upper is None:
                return quantile(v)
            if isinstance(v, np.ndarray):
                low_half = v <= 0.5
                out = np.empty_like(v)
                out[low_half] = quantile(v[low_half])
                out[~low_half] = upper(w[~low_half])
                return out
            return quantile(v) if v <= 0.5 else upper(w)

        return cls(name, (), "quantile", 1.0, quantile=q, quantile_mp=q if mp else None)

    @classmethod
    def from_density(
        cls,
        density: Callable[[Any], Any],
        support: Sequence[float],
        *,
        name: str = "density",
        mp: bool = False,
        check: bool = True,
    ) -> Distribution:
        """A continuous law from a density on ``support`` = (low, high), high may be inf.

        The density must integrate to 1 (checked by the quadrature rule to 1e-10 unless
        ``check=False``); with ``mp=True`` it must also accept mpmath numbers."""
        if not callable(density):
            raise ConfigError("density must be a callable")
        try:
            low, high = (float(x) for x in support)
        except (TypeError, ValueError):
            raise ConfigError(f"support must be (low, high), got {support!r}") from None
        if not (math.isfinite(low) and low < high):
            raise ConfigError(f"support must satisfy -inf < low < high, got ({low}, {high})")
        law = cls(name, (), "density", 1.0, density=density, support=(low, high), density_mp=density if mp else None)
        if check:
            _nodes, weights = law.rule(6)
            total = float(np.sum(weights))
            if not abs(total - 1) <= 1e-10:
                raise ConfigError(f"the density integrates to {total:.12g} over {support}, not 1")
        return law

    @classmethod
    def from_scipy(cls, distribution: Any) -> Distribution:
        """A frozen ``scipy.stats`` continuous distribution (float64 only: its quantile is
        ``ppf`` below the median and ``isf`` above, so both tails are accurate)."""
        if not (hasattr(distribution, "ppf") and hasattr(distribution, "isf") and hasattr(distribution, "dist")):
            raise ConfigError(f"expected a frozen scipy.stats distribution, got {type(distribution).__name__}")
        if not hasattr(distribution.dist, "_pdf") and not hasattr(distribution, "pdf"):
            raise ConfigError("only continuous scipy.stats distributions are supported (use Distribution.discrete)")
        name = getattr(distribution.dist, "name", "scipy")
        law = cls.from_quantile(distribution.ppf, name=f"scipy.stats.{name}", upper=distribution.isf)
        return law

    # -- quadrature ----------------------------------------------------------
    def rule(
        self, level: int, dps: int | None = None, *, interval: tuple[float, float] = (0.0, 1.0), atoms: bool = True
    ) -> tuple[Any, Any]:
        """Nodes x_j and weights w_j with sum_j w_j f(x_j) ~ E f(X) (atoms exact).

        The continuous part uses the tanh-sinh rule of step 2^-level on v in ``interval``
        (a sub-interval of (0, 1) integrates only that part of the continuous law, e.g. a
        kept upper tail; ``atoms=False`` leaves the atoms out). Returns numpy
        float arrays, or lists of mpf at the caller's mpmath precision when ``dps`` is set.

        Raises:
            PrecisionError: ``dps`` with a law that is not available in mpmath.
            ConfigError: the law gives non-finite values where the rule's weight is not negligible.
        """
        start, stop = interval
        if not 0 <= start < stop <= 1:
            raise ConfigError(f"interval must satisfy 0 <= start < stop <= 1, got {interval!r}")
        if dps is None:
            return self._rule_float(level, start, stop, atoms)
        return self._rule_mp(level, start, stop, atoms)

    def _rule_float(self, level: int, start: float, stop: float, atoms: bool) -> tuple[np.ndarray, np.ndarray]:
        values = [v for v, _ in self.atoms] if atoms else []
        probabilities = [p for _, p in self.atoms] if atoms else []
        if self.kind is None:
            return np.array(values, dtype=float), np.array(probabilities, dtype=float)
        v, w, weight = tanh_sinh(level)
        if (start, stop) != (0.0, 1.0):
            v, w, weight = start + (stop - start) * v, (1 - stop) + (stop - start) * w, weight * (stop - start)
        keep = weight > 0
        x, g = self._continuous(v[keep], w[keep])
        weight = weight[keep] * g
        good = np.isfinite(x) & np.isfinite(weight)
        if np.any(~good):
            lost = float(np.sum(np.where(good, 0.0, np.nan_to_num(weight, nan=1.0, posinf=1.0))))
            if lost > 1e-25:
                raise ConfigError(f"the law {self.name} gives non-finite values inside its support (weight {lost:.2g})")
        x, weight = x[good], weight[good]
        return np.concatenate([values, x]), np.concatenate([probabilities, weight])

    def _continuous(self, v: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """x(v) and the weight g(v) of the continuous part at v (w = 1 - v), float64 arrays."""
        with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
            if self.kind == "quantile":
                assert self.quantile is not None  # a law of kind "quantile" is built with its function
                return np.asarray(self.quantile(v, w), dtype=float), np.full(v.shape, self.mass)
            assert self.density is not None  # a law of kind "density" is built with its function
            low, high = self.support
            if math.isinf(high):
                x = low + v / w
                return x, np.asarray(self.density(x), dtype=float) / w**2
            x = np.where(v <= 0.5, low + (high - low) * v, high - (high - low) * w)
            return x, (high - low) * np.asarray(self.density(x), dtype=float)

    def quantile_function(self, u: ArrayLike) -> np.ndarray:
        """The quantile of the whole law at probabilities u in (0, 1), float64.

        Atoms must lie outside the open support of the continuous part (as for the
        Marchenko-Pastur atom at 0). For a density the cdf is inverted by a bracketing
        root finder on the tanh-sinh cdf (relative accuracy ~1e-14).
        """
        u = np.asarray(u, dtype=float)
        out: np.ndarray
        if np.any(~((u > 0) & (u < 1))):
            raise ConfigError("probabilities u must lie in (0, 1)")
        atoms = sorted(self.atoms)
        if self.kind is None:
            values = np.array([v for v, _ in atoms])
            edges = np.cumsum([p for _, p in atoms])
            return values[np.minimum(np.searchsorted(edges, u, side="left"), values.size - 1)]
        low, high = self.support
        below = [(v, p) for v, p in atoms if v <= low]
        above = [(v, p) for v, p in atoms if v >= high]
        if len(below) + len(above) != len(atoms):
            raise ConfigError(f"the law {self.name} has atoms inside its continuous support: no quantile function")
        mass_below = sum(p for _, p in below)
        position = (u - mass_below) / self.mass  # position within the continuous part
        out = np.empty_like(u)
        if below:
            inside = position <= 0
            out[inside] = Distribution.discrete(
                [v for v, _ in below], np.array([p for _, p in below]) / mass_below
            ).quantile_function(np.clip(u[inside] / mass_below, 1e-300, 1 - 1e-16))
        if above:
            mass_above = sum(p for _, p in above)
            outside = position >= 1
            out[outside] = Distribution.discrete(
                [v for v, _ in above], np.array([p for _, p in above]) / mass_above
            ).quantile_function(np.clip((u[outside] - mass_below - self.mass) / mass_above, 1e-300, 1 - 1e-16))
        middle = (position > 0) & (position < 1)
        out[middle] = self._continuous_quantile(position[middle])
        return out

    def _continuous_quantile(self, position: np.ndarray) -> np.ndarray:
        if self.kind == "quantile":
            assert self.quantile is not None  # a law of kind "quantile" is built with its function
            return np.asarray(self.quantile(position, 1 - position), dtype=float)
        from scipy.optimize import elementwise

        base_v, _, base_w = tanh_sinh(5)

        def cdf_minus(v: np.ndarray, target: np.ndarray) -> np.ndarray:
            nodes = v[..., None] * base_v
            _, g = self._continuous(nodes, 1 - nodes)
            gap: np.ndarray = np.sum(v[..., None] * base_w * np.nan_to_num(g), axis=-1) / self.mass - target
            return gap

        result = elementwise.find_root(
            cdf_minus,
            (np.zeros_like(position), np.ones_like(position)),
            args=(position,),
            tolerances={"xatol": 1e-16, "xrtol": 1e-15},
        )
        v = result.x
        return self._continuous(v, 1 - v)[0]

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` draws, by the quantile function at uniform variates (``rng`` a numpy Generator)."""
        if not isinstance(rng, np.random.Generator):
            raise ConfigError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
        size = check_scalar("size", size, low=1, integer=True)
        return self.quantile_function(rng.uniform(np.nextafter(0, 1), 1.0, size))

    def _rule_mp(self, level: int, start: float, stop: float, atoms: bool) -> tuple[list[Any], list[Any]]:
        values = [exact(v) for v, _ in self.atoms] if atoms else []
        probabilities = [exact(p) for _, p in self.atoms] if atoms else []
        if self.kind is None:
            return values, probabilities
        function = self.quantile_mp if self.kind == "quantile" else self.density_mp
        if function is None:
            raise PrecisionError(
                f"the law {self.name} is float64 only; for dps, build it from a named family or "
                f"pass mp=True with a function that accepts mpmath numbers"
            )
        mass = 1 - mpmath.fsum(exact(p) for _, p in self.atoms)
        if self.kind == "density":
            low, high = (
                self.support_mp()
                if self.support_mp
                else (exact(x) if math.isfinite(x) else mpmath.inf for x in self.support)
            )
        xs, ws = [], []
        first, last = mpmath.mpf(start), mpmath.mpf(stop)
        whole = first == 0 and last == 1
        for v, w, weight in tanh_sinh_mp(level):
            if not whole:
                v, w, weight = first + (last - first) * v, (1 - last) + (last - first) * w, weight * (last - first)
            if self.kind == "quantile":
                x = function(v, w)
                weight *= mass
            elif mpmath.isinf(high):
                x = low + v / w
                weight = weight / w**2 * function(x)
            else:
                x = low + (high - low) * v if v <= 0.5 else high - (high - low) * w
                weight = weight * (high - low) * function(x)
            if not isinstance(x, mpmath.mpf) or not isinstance(weight, mpmath.mpf):
                raise PrecisionError(
                    f"the law {self.name} returned {type(x).__name__}, not an mpmath number: "
                    f"its function must accept mpmath numbers for dps"
                )
            xs.append(x)
            ws.append(weight)
        return values + xs, probabilities + ws


def tanh_sinh(level: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The float64 tanh-sinh rule on (0, 1) with step h = 2^-level, out to t = T_FLOAT:
    nodes v = expit(pi sinh t), 1 - v = expit(-pi sinh t) (each to full relative accuracy)
    and weights h pi cosh(t) v (1 - v)."""
    h = 2.0 ** (-level)
    t = np.arange(-int(T_FLOAT / h), int(T_FLOAT / h) + 1) * h
    g = np.pi * np.sinh(t)
    v, w = scipy.special.expit(g), scipy.special.expit(-g)
    return v, w, h * np.pi * np.cosh(t) * v * w


_TANH_SINH_MP: dict[
    tuple[int, int, int], list[tuple[Any, Any, Any]]
] = {}  # (level, prec, dps) -> rule, the most recently used last
_TANH_SINH_MP_ENTRIES, _TANH_SINH_MP_BITS = 8, 2**26  # kept rules, and the largest kept (bits of its numbers)


def tanh_sinh_mp(level: int) -> list[tuple[Any, Any, Any]]:
    """The tanh-sinh rule on (0, 1) with step h = 2^-level at the caller's mpmath precision: a list of
    (v, 1 - v, weight), as :func:`tanh_sinh`. Nodes reach min(v, 1 - v) ~ 10^-(4 dps + 40), far below
    the working precision even for integrands that grow like v^(-0.9) at an end. The last few rules
    built (up to 8 MB each) are kept: every law, interval and prediction at that precision shares them."""
    key = (level, mpmath.mp.prec, mpmath.mp.dps)
    rule = _TANH_SINH_MP.pop(key, None)
    if rule is None:
        h = mpmath.mpf(2) ** (-level)
        limit = mpmath.asinh((4 * mpmath.mp.dps + 40) * mpmath.log(10) / mpmath.pi)
        count = int(limit / h) + 1
        rule = []
        for j in range(-count, count + 1):
            t = j * h
            g = mpmath.pi * mpmath.sinh(t)
            v, w = 1 / (1 + mpmath.exp(-g)), 1 / (1 + mpmath.exp(g))
            rule.append((v, w, h * mpmath.pi * mpmath.cosh(t) * v * w))
    if 3 * len(rule) * mpmath.mp.prec <= _TANH_SINH_MP_BITS:
        _TANH_SINH_MP[key] = rule
        while len(_TANH_SINH_MP) > _TANH_SINH_MP_ENTRIES:
            del _TANH_SINH_MP[next(iter(_TANH_SINH_MP))]
    return rule


def exact(x: float) -> Any:
    """A float input read as the exact decimal it was written as (0.7 -> 7/10 at any precision)."""
    return mpmath.mpf(repr(float(x)))


def _where(lib: Any, condition: Any, if_true: Callable[[], Any], if_false: Callable[[], Any]) -> Any:
    if lib is np:
        return np.where(condition, if_true(), if_false())
    return if_true() if condition else if_false()
