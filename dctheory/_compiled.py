"""Access to the formulas compiled from ``derivations`` (the single source of truth)."""

from __future__ import annotations

import functools
from typing import Callable

from derivations import formula


@functools.cache
def compiled(name: str, backend: str = "numpy") -> Callable:
    """The numpy (float64, vectorized), mpmath, gmpy2 (MPFR) or arb (ball arithmetic) evaluator of a derived formula."""
    entry = formula(name)
    if backend not in ("numpy", "mpmath", "gmpy2", "arb"):
        raise ValueError(f"backend = {backend!r} must be 'numpy', 'mpmath', 'gmpy2' or 'arb'")
    return getattr(entry, backend)
