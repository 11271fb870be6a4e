"""A registry of named formulas: each derived once in sympy, printed as LaTeX,
and compiled ahead of time to numpy, mpmath, gmpy2 and ball arithmetic.

A formula is ``lhs = rhs``. The right-hand side may contain finite sums
``Sum(summand, (i, 1, m))`` over indexed symbols (``lam[i]``, ``b[i]``): those
are what the paper writes, so they are what LaTeX shows. For numerics each sum
becomes a weighted reduction over the index (see :mod:`derivations.build`,
which prints every formula into the generated module ``dctheory/_formulas.py``).

This module is a leaf: it imports none of the formula modules and no compiler.
Importing the ``derivations`` package imports them, and their ``@register``
decorators fill the registry; :mod:`derivations.build` installs itself as the
compiler of the evaluators (:func:`install_compiler`). A :class:`Formula` is data.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeAlias

import sympy as sp

Evaluator: TypeAlias = Callable[..., Any]
"""A compiled formula ``f(*args, weights=None)``: numpy arrays, mpmath, MPFR or Arb numbers, one kind per backend."""
Compiler: TypeAlias = Callable[["Formula", str], Evaluator]
"""``compiler(formula, backend)``: the formula's evaluator for that backend."""

_BUILDERS: dict[str, Callable[[], Formula]] = {}
_ORDER: list[str] = []
_COMPILER: list[Compiler] = []  # installed by derivations.build


def install_compiler(compiler: Compiler) -> None:
    """Make ``compiler(formula, backend)`` the source of every formula's evaluators (``Formula.numpy`` etc.)."""
    _COMPILER[:] = [compiler]


class UnknownFormula(LookupError):
    """No formula is registered under the requested name."""


@dataclass(frozen=True)
class Formula:
    """One named formula ``lhs = rhs``.

    Attributes:
        name: registry key (``derivations.formula(name)``).
        title: one line of prose.
        reference: where it comes from (docs/theory.md section, the paper's Def./Lemma).
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
    args: tuple[sp.Basic, ...]
    assumptions: str = ""
    notes: str = field(default="", compare=False)

    # -- presentation -------------------------------------------------------
    def latex(self) -> str:
        """The formula as a LaTeX equation body (no surrounding $)."""
        return f"{sp.latex(self.lhs)} = {sp.latex(self.rhs)}"

    @property
    def arg_names(self) -> tuple[str, ...]:
        return tuple(_arg_name(a) for a in self.args)

    # -- evaluation (the generated functions, compiled in memory) -------------
    # dctheory reads the same functions from the generated module; these are for work on
    # derivations before the module is regenerated.
    @functools.cached_property
    def numpy(self) -> Evaluator:
        """Vectorized float64 evaluator ``f(*args, weights=None)``.

        Scalar arguments broadcast; indexed arguments are arrays whose last
        axis is the summation index; ``weights`` (same trailing axis) multiply
        every summand before the reduction.
        """
        return self._compiled("numpy")

    @functools.cached_property
    def gmpy2(self) -> Evaluator:
        """gmpy2 (MPFR) evaluator at the precision of the caller's ``gmpy2`` context:
        ~20x faster than mpmath per operation. Only for formulas whose constants are
        exact in binary (integers and dyadic rationals); others raise ValueError."""
        return self._compiled("gmpy2")

    @functools.cached_property
    def mpmath(self) -> Evaluator:
        """mpmath evaluator ``f(*args, weights=None)`` at the working precision
        of the caller's ``mpmath.mp`` context; indexed arguments are sequences."""
        return self._compiled("mpmath")

    @functools.cached_property
    def arb(self) -> Evaluator:
        """Ball-arithmetic evaluator ``f(*args, weights=None)`` (python-flint ``arb``,
        at the precision of the caller's ``flint.ctx.workprec``). Every operation
        is rigorous, so the result is a ball that contains the exact value for any
        inputs inside the argument balls. Only formulas built from arithmetic,
        rational constants, pi, ``sqrt``, ``exp`` and Gaussian tails compile (anything
        else raises TypeError)."""
        return self._compiled("arb")

    def _compiled(self, backend: str) -> Evaluator:
        if not _COMPILER:
            raise RuntimeError("no formula compiler is installed: import derivations (or derivations.build) first")
        return _COMPILER[0](self, backend)


def _arg_name(symbol: sp.Basic) -> str:
    return str(symbol.label) if isinstance(symbol, sp.IndexedBase) else str(symbol)


@dataclass(frozen=True)
class Joint:
    """Pointwise formulas with the same arguments, compiled into one function that returns their values in
    the order of ``members`` (numpy and math only: the hot loops of the float64 and scalar routes). A Gaussian
    tail or exponential that several members call is evaluated once; the rest is each member's own arithmetic,
    so that the values are the bits of the members' own functions (tests/derivations/test_joint.py). One call
    instead of several also saves the per-call cost, which dominates on Python floats and short arrays. A joint
    adds no formula: its members are derived, displayed and documented on their own."""

    name: str
    members: tuple[str, ...]
    title: str


_JOINTS: dict[str, Joint] = {}


def register_joint(name: str, members: tuple[str, ...], title: str) -> None:
    """Register the joint evaluation of the pointwise formulas ``members`` (registered formula names) as
    ``name``."""
    if name in _JOINTS or name in _BUILDERS:
        raise ValueError(f"joint {name!r} registered twice, or named as a formula")
    _JOINTS[name] = Joint(name, members, title)


def joints() -> list[Joint]:
    """Every registered joint, in registration order."""
    return list(_JOINTS.values())


def register(name: str) -> Callable[[Callable[[], Formula]], Callable[[], Formula]]:
    """Decorator: register the builder of a formula under ``name``."""

    def decorate(builder: Callable[[], Formula]) -> Callable[[], Formula]:
        if name in _BUILDERS:
            raise ValueError(f"formula {name!r} registered twice")
        _BUILDERS[name] = builder
        _ORDER.append(name)
        return builder

    return decorate


def names() -> list[str]:
    """Names of all registered formulas, in the order of docs/theory.md."""
    return list(_ORDER)


@functools.cache
def formula(name: str) -> Formula:
    """The formula registered under ``name``, derived on first use (sympy; seconds for the integrals).

    Raises:
        UnknownFormula: no formula has that name (the message lists the known ones).
    """
    if name not in _BUILDERS:
        raise UnknownFormula(f"unknown formula {name!r}; known: {', '.join(_ORDER)}")
    return _BUILDERS[name]()


def check_identity(difference: sp.Expr, message: str) -> None:
    """Raise if a derivation step's ``difference`` does not simplify to zero."""
    if sp.simplify(difference) != 0:
        raise AssertionError(f"derivation check failed: {message}: {difference}")
