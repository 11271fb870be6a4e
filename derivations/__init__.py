"""Symbolic derivations (sympy): the single source of truth for every formula.

``formula(name)`` returns a :class:`~derivations.registry.Formula` with its
LaTeX and its compiled numpy / mpmath evaluators; ``names()`` lists them.
"""

from derivations.registry import Formula, formula, names

__all__ = ["Formula", "formula", "names"]
