"""Symbolic derivations (sympy): the single source of truth for every formula.

``formula(name)`` returns a :class:`~derivations.registry.Formula` with its
LaTeX and its evaluators; ``names()`` lists them. ``python -m derivations.build``
prints every formula into the generated module ``dctheory/_formulas.py``, which
is all that ``dctheory`` reads at run time.

Importing this package imports the formula modules, in the order of docs/theory.md;
their ``@register`` decorators fill the registry (a leaf that imports none of them), and
installs :mod:`derivations.build` as the compiler of their evaluators.
"""

from collections.abc import Callable
from typing import Any

from derivations.registry import Formula, UnknownFormula, formula, install_compiler, names
from derivations import (  # noqa: F401  (registers the formulas)
    distributional,
    thresholded,
    pruning,
    rank_one,
    random_features,
    asymptotic,
    schedule,
)


def _compile(f: Formula, backend: str) -> Callable[..., Any]:
    """The formulas' evaluators come from the build (imported when first needed: it loads sympy's printers)."""
    from derivations.build import evaluator

    return evaluator(f, backend)


install_compiler(_compile)

__all__ = ["Formula", "UnknownFormula", "formula", "names"]
