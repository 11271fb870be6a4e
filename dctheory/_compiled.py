"""Access to the formulas compiled from ``derivations`` (the single source of truth)."""

from __future__ import annotations

import functools
from typing import Callable

from derivations import formula


@functools.cache
def compiled(name: str, backend: str = "numpy") -> Callable:
    """The "numpy" (float64, vectorized), "mpmath" or "gmpy2" (MPFR) evaluator of a derived formula."""
    if backend not in ("numpy", "mpmath", "gmpy2"):
        raise ValueError(f"unknown backend {backend!r}")
    return getattr(formula(name), backend)
