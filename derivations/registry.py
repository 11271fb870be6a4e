"""A registry of named formulas: each derived once in sympy, printed as LaTeX,
and compiled to numpy (vectorized float64) and mpmath (any precision).

A formula is ``lhs = rhs``. The right-hand side may contain finite sums
``Sum(summand, (i, 1, m))`` over indexed symbols (``lam[i]``, ``b[i]``): those
are what the paper writes, so they are what LaTeX shows. For numerics each sum
is compiled into a reduction: the summand is compiled on its own with the
indexed symbols replaced by plain ones, evaluated on arrays whose last axis is
the index ``i``, multiplied by optional ``weights`` (multiplicities, masks or
the probabilities of a discrete law) and summed over that axis.

Derivations (sympy integration, solving, simplification) take seconds, so a
built formula's expressions are cached on disk, keyed by the sympy version and
a hash of the ``derivations`` sources; delete the cache to re-derive.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import gmpy2
import mpmath
import numpy as np
import scipy.special
import sympy as sp

from derivations.gaussian import Q

_BUILDERS: dict[str, Callable[[], "Formula"]] = {}
_ORDER: list[str] = []


@dataclass(frozen=True)
class Formula:
    """One named formula ``lhs = rhs``.

    Attributes:
        name: registry key (``derivations.formula(name)``).
        title: one line of prose.
        reference: where it comes from (THEORY.md section, the paper's Def./Lemma).
        lhs: the defined quantity (a symbol or expression; ``0`` for an equation F = 0).
        rhs: the sympy expression; may contain ``Sum`` over indexed symbols.
        args: argument order of the compiled evaluators; plain symbols for
            scalars, ``IndexedBase`` for per-coordinate arrays.
        assumptions: the conditions under which it holds, in words.
    """

    name: str
    title: str
    reference: str
    lhs: sp.Basic
    rhs: sp.Basic
    args: tuple
    assumptions: str = ""
    notes: str = field(default="", compare=False)

    # -- presentation -------------------------------------------------------
    def latex(self) -> str:
        """The formula as a LaTeX equation body (no surrounding $)."""
        return f"{sp.latex(self.lhs)} = {sp.latex(self.rhs)}"

    @property
    def arg_names(self) -> tuple[str, ...]:
        return tuple(_arg_name(a) for a in self.args)

    # -- compilation ---------------------------------------------------------
    @functools.cached_property
    def _plan(self):
        return _plan(self)

    @functools.cached_property
    def numpy(self) -> Callable:
        """Vectorized float64 evaluator ``f(*args, weights=None)``.

        Scalar arguments broadcast; indexed arguments are arrays whose last
        axis is the summation index; ``weights`` (same trailing axis) multiply
        every summand before the reduction.
        """
        return _compile(self, "numpy")

    @functools.cached_property
    def gmpy2(self) -> Callable:
        """gmpy2 (MPFR) evaluator at the precision of the caller's ``gmpy2`` context:
        ~20x faster than mpmath per operation. Only for formulas whose constants are
        exact in binary (integers and dyadic rationals); others raise ValueError."""
        return _compile(self, "gmpy2")

    @functools.cached_property
    def mpmath(self) -> Callable:
        """mpmath evaluator ``f(*args, weights=None)`` at the working precision
        of the caller's ``mpmath.mp`` context; indexed arguments are sequences."""
        return _compile(self, "mpmath")

    @functools.cached_property
    def arb(self) -> Callable:
        """Ball-arithmetic evaluator ``f(*args, weights=None)`` (python-flint ``arb``,
        at the precision of the caller's ``flint.ctx.workprec``). Every operation
        is rigorous, so the result is a ball that contains the exact value for any
        inputs inside the argument balls. Only formulas built from arithmetic,
        integer constants and ``sqrt`` compile (anything else raises TypeError)."""
        return _compile(self, "arb")


def _arg_name(symbol) -> str:
    return str(symbol.label) if isinstance(symbol, sp.IndexedBase) else str(symbol)


def register(name: str):
    """Decorator: register the builder of a formula under ``name``."""

    def decorate(builder: Callable[[], Formula]):
        if name in _BUILDERS:
            raise ValueError(f"formula {name!r} registered twice")
        _BUILDERS[name] = builder
        _ORDER.append(name)
        return builder

    return decorate


def names() -> list[str]:
    """Names of all registered formulas, in the order of THEORY.md."""
    _load_modules()
    return list(_ORDER)


@functools.cache
def formula(name: str) -> Formula:
    """The formula registered under ``name`` (derived, or loaded from the cache)."""
    _load_modules()
    if name not in _BUILDERS:
        from dctheory.errors import ConfigError

        raise ConfigError(f"unknown formula {name!r}; known: {', '.join(_ORDER)}")
    cache = _cache_dir() / f"{name}.pickle"
    if cache.exists():
        try:
            with cache.open("rb") as handle:
                return pickle.load(handle)
        except Exception:  # a stale or truncated cache is re-derived
            pass
    built = _BUILDERS[name]()
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(built, handle)
        tmp.replace(cache)
    except OSError:
        pass
    return built


def _load_modules() -> None:
    # Importing the modules runs their @register decorators.
    from derivations import (  # noqa: F401
        distributional,
        thresholded,
        pruning,
        rank_one,
        random_features,
        asymptotic,
    )


@functools.cache
def _cache_dir() -> Path:
    sources = sorted(Path(__file__).parent.glob("*.py"))
    digest = hashlib.sha256(sp.__version__.encode())
    for source in sources:
        digest.update(source.read_bytes())
    base = os.environ.get("DCTHEORY_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "dctheory"
    )
    return Path(base) / f"formulas-{digest.hexdigest()[:16]}"


# ---------------------------------------------------------------------------
# Compilation: Sum nodes become reductions over the last axis.
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Plan:
    outer: sp.Expr  # rhs with each Sum replaced by a placeholder symbol
    sums: tuple  # (placeholder, summand with indexed -> plain symbols, plain arg symbols)
    scalar_args: tuple  # plain symbols for every arg (indexed ones by their label)


def _plan(f: Formula) -> _Plan:
    plain = {a: sp.Symbol(str(a.label), **_assumptions_of(a)) for a in f.args if isinstance(a, sp.IndexedBase)}
    sums = []
    replacements = {}
    for node in sorted(f.rhs.atoms(sp.Sum), key=sp.default_sort_key):
        index = node.limits[0][0]
        summand = node.function
        for base, symbol in plain.items():
            summand = summand.subs(base[index], symbol)
        placeholder = sp.Symbol(f"_sum{len(sums)}")
        replacements[node] = placeholder
        sums.append((placeholder, summand))
    outer = f.rhs.xreplace(replacements)
    for base, symbol in plain.items():
        outer = outer.subs(base, symbol)
    scalars = tuple(plain.get(a, a) for a in f.args)
    return _Plan(outer, tuple(sums), scalars)


def _assumptions_of(base: sp.IndexedBase) -> dict:
    return {k: v for k, v in base.assumptions0.items() if k in ("real", "positive", "nonnegative")}


def gaussian_tail(x):
    """Q(x) = ndtr(-x), elementwise; exactly 0 above 38.5 and 1 below -38.5 (Q(38.5) < 2^-1074), where
    ``ndtr`` is evaluated only on the rest: keep-sums over many coordinates are mostly such tails."""
    x = np.asarray(x, dtype=float)
    if x.size < 256:
        return scipy.special.ndtr(-x)
    out = (x < 0).astype(float)
    inside = np.abs(x) < 38.5
    out[inside] = scipy.special.ndtr(-x[inside])
    out[np.isnan(x)] = np.nan
    return out


_NUMPY_MODULES = [{"Q": gaussian_tail, "erfc": scipy.special.erfc}, "numpy"]
_MPMATH_MODULES = [{"Q": lambda x: mpmath.ncdf(-x)}, "mpmath"]
_GMPY2_MODULES = [{"sqrt": gmpy2.sqrt, "exp": gmpy2.exp, "log": gmpy2.log}, "math"]


def _binary_exact(expr: sp.Expr) -> bool:
    """True if every number in expr is an integer or a dyadic rational and no named constant appears."""
    for number in expr.atoms(sp.Number):
        if not (number.is_Integer or (number.is_Rational and (number.q & (number.q - 1)) == 0)):
            return False
    return not expr.atoms(sp.NumberSymbol) and not expr.atoms(Q)


def _arb_modules():
    import flint  # the optional "certify" extra

    return [{"sqrt": lambda x: flint.arb(x).sqrt()}]


def _check_arb_compilable(f: Formula, plan: _Plan) -> None:
    # A non-integer constant would be printed as a binary float (an inexact
    # input); a function other than sqrt has no rigorous ball version here.
    for expr in (plan.outer, *(s for _, s in plan.sums)):
        for atom in expr.atoms(sp.Number):
            if not atom.is_Integer:
                raise TypeError(f"{f.name}: constant {atom} has no exact arb form")
        for call in expr.atoms(sp.Function):
            if call.func is not sp.sqrt and not isinstance(call, sp.Pow):
                raise TypeError(f"{f.name}: {call.func} has no ball-arithmetic version here")


def _repeats_special_call(expr: sp.Expr) -> bool:
    calls = [node for node in sp.preorder_traversal(expr) if isinstance(node, (Q, sp.exp))]
    return len(calls) > len(set(calls))


def _compile(f: Formula, backend: str) -> Callable:
    plan = f._plan
    if backend == "arb":
        import flint

        _check_arb_compilable(f, plan)
        # Ball additions are rigorous as they are; mpmath.fsum would round to mpf.
        modules, number, reduce = _arb_modules(), flint.arb, lambda terms: sum(terms, flint.arb(0))
    else:
        modules = {"numpy": _NUMPY_MODULES, "mpmath": _MPMATH_MODULES, "gmpy2": _GMPY2_MODULES}[backend]
        if backend == "gmpy2" and not all(_binary_exact(e) for e in (plan.outer, *(x for _, x in plan.sums))):
            raise ValueError(f"formula {f.name} has constants that are not exact in binary: no gmpy2 backend")
        number, reduce = mpmath.mpf, mpmath.fsum
    # numpy evaluates whole arrays per call: an expression that calls the same special function
    # twice (the thresholded risk: each tail Q and density exp appears in M1 and in M2) is compiled
    # with common-subexpression elimination, so that each is evaluated once per coordinate.
    def cse(expr):
        return backend == "numpy" and _repeats_special_call(expr)

    outer = sp.lambdify(plan.scalar_args + tuple(s for s, _ in plan.sums), plan.outer, modules=modules, cse=cse(plan.outer))
    summands = [sp.lambdify(plan.scalar_args, summand, modules=modules, cse=cse(summand)) for _, summand in plan.sums]
    indexed = tuple(isinstance(a, sp.IndexedBase) for a in f.args)
    n_args = len(f.args)

    if backend == "numpy":

        def evaluate(*values, weights=None):
            if len(values) != n_args:
                raise TypeError(f"{f.name} takes {n_args} arguments {f.arg_names}, got {len(values)}")
            values = [np.asarray(v, dtype=float) for v in values]
            reduced = []
            if summands:
                # Scalars gain a trailing axis so that they broadcast against the index axis.
                inner = [v if is_idx else v[..., None] for v, is_idx in zip(values, indexed)]
                for summand in summands:
                    terms = np.asarray(summand(*inner), dtype=float)
                    if weights is not None:
                        terms = terms * weights
                    reduced.append(terms.sum(axis=-1))
            return outer(*values, *reduced)

    elif backend == "gmpy2":

        def evaluate(*values, weights=None):
            if len(values) != n_args:
                raise TypeError(f"{f.name} takes {n_args} arguments {f.arg_names}, got {len(values)}")
            reduced = []
            if summands:
                length = next(len(v) for v, is_idx in zip(values, indexed) if is_idx)
                for summand in summands:
                    terms = (summand(*[v[i] if is_idx else v for v, is_idx in zip(values, indexed)]) for i in range(length))
                    if weights is not None:
                        terms = (w * term for w, term in zip(weights, terms) if w != 0)
                    reduced.append(gmpy2.fsum(terms))
            return outer(*values, *reduced)

    elif backend == "mpmath" and not summands:
        # Pointwise formulas are called once per coordinate in hot loops: mpmath functions accept
        # ints, floats and mpf alike, so no conversion is needed.

        def evaluate(*values, weights=None):
            if len(values) != n_args:
                raise TypeError(f"{f.name} takes {n_args} arguments {f.arg_names}, got {len(values)}")
            return outer(*values)

    else:

        def evaluate(*values, weights=None):
            if len(values) != n_args:
                raise TypeError(f"{f.name} takes {n_args} arguments {f.arg_names}, got {len(values)}")
            values = [[number(x) for x in v] if is_idx else number(v) for v, is_idx in zip(values, indexed)]
            reduced = []
            if summands:
                length = next(len(v) for v, is_idx in zip(values, indexed) if is_idx)
                w = [number(1)] * length if weights is None else [number(x) for x in weights]
                for summand in summands:
                    reduced.append(
                        reduce(
                            w[i] * summand(*[v[i] if is_idx else v for v, is_idx in zip(values, indexed)])
                            for i in range(length)
                            if w[i] != 0
                        )
                    )
            return outer(*values, *reduced)

    evaluate.__name__ = f.name
    evaluate.__doc__ = f"{f.title} ({backend})\n\n    {f.latex()}\n\n    Arguments: {', '.join(f.arg_names)}."
    return evaluate


def check_identity(difference: sp.Expr, message: str) -> None:
    """Raise if a derivation step's ``difference`` does not simplify to zero."""
    if sp.simplify(difference) != 0:
        raise AssertionError(f"derivation check failed: {message}: {difference}")
