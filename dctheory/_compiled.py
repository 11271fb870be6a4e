"""Access to the formulas compiled ahead of time from ``derivations`` (the single source of truth).

The functions live in the generated module :mod:`dctheory._formulas` (``python -m
derivations.build`` writes it), which imports numpy, scipy.special, mpmath and gmpy2
only: no formula is derived or compiled at run time, and sympy is never imported.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dctheory import _formulas
from dctheory.errors import ConfigError

BACKENDS = ("numpy", "mpmath", "gmpy2", "arb", "math")
_ERRORS = {"ValueError": ValueError, "TypeError": TypeError}


def compiled(name: str, backend: str = "numpy") -> Callable[..., Any]:
    """The numpy (float64, vectorized), mpmath, gmpy2 (MPFR), arb (ball arithmetic) or math (Python floats, one
    coordinate at a time) evaluator of a derived formula.

    Raises:
        ConfigError: no formula is named ``name``.
        ValueError: ``backend`` is not one of the five, or (gmpy2) the formula has constants that are
            not exact in binary.
        TypeError: (arb) the formula has a constant or function with no rigorous ball form.
    """
    entry = metadata(name)
    if backend not in BACKENDS:
        raise ValueError(f"backend = {backend!r} must be 'numpy', 'mpmath', 'gmpy2', 'arb' or 'math'")
    function: Callable[..., Any] | None = entry["functions"].get(backend)
    if function is None:
        kind, message = entry["unavailable"][backend]
        raise _ERRORS[kind](message)
    return function


def joint(name: str, backend: str = "numpy") -> Callable[..., tuple[Any, ...]]:
    """The numpy or math function of a joint (``derivations.registry.Joint``): pointwise formulas with the same
    arguments evaluated in one call, their values returned as a tuple in the order of its ``members``, each
    the same bits as the member's own function.

    Raises:
        ConfigError: no joint is named ``name``.
        ValueError: ``backend`` is not 'numpy' or 'math'.
    """
    joint_members(name)  # known
    entry = _formulas.JOINTS[name]
    if backend not in entry["functions"]:
        raise ValueError(f"backend = {backend!r} must be 'numpy' or 'math' for a joint")
    function: Callable[..., tuple[Any, ...]] = entry["functions"][backend]
    return function


def joint_members(name: str) -> tuple[str, ...]:
    """The formulas of a joint, in the order of its values.

    Raises:
        ConfigError: no joint is named ``name``.
    """
    entry = _formulas.JOINTS.get(name)
    if entry is None:
        raise ConfigError(f"unknown joint {name!r}; known: {', '.join(_formulas.JOINTS)}")
    members: tuple[str, ...] = entry["members"]
    return members


def metadata(name: str) -> dict[str, Any]:
    """The generated entry of formula ``name``: title, reference, assumptions, arg_names, indexed,
    functions (by backend) and unavailable (the reason, by backend)."""
    try:
        return _formulas.FORMULAS[name]
    except (KeyError, TypeError):
        raise ConfigError(f"unknown formula {name!r}; known: {', '.join(_formulas.FORMULAS)}") from None


def names() -> list[str]:
    """Names of the compiled formulas, in the order of docs/theory.md."""
    return list(_formulas.FORMULAS)
