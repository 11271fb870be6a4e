"""Access to the formulas compiled from ``derivations`` (the single source of truth)."""

from __future__ import annotations

import functools
from typing import Callable

from derivations import formula


@functools.cache
def compiled(name: str, backend: str = "numpy") -> Callable:
    """The numpy (float64, vectorized) or mpmath evaluator of a derived formula."""
    entry = formula(name)
    return entry.numpy if backend == "numpy" else entry.mpmath
