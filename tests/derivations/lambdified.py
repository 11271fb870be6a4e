"""The reference compiler for the exactness tests: each formula compiled at run time with
``sympy.lambdify`` (summands on their own, then reduced), as dctheory did before the formulas
were generated ahead of time. The generated functions must agree with these."""

from __future__ import annotations

import gmpy2
import mpmath
import numpy as np
import scipy.special
import sympy as sp

from derivations.printing import _repeats_special_call, plan, unavailable

_NUMPY_MODULES = [{"Q": lambda x: scipy.special.ndtr(-x), "erfc": scipy.special.erfc}, "numpy"]
_MPMATH_MODULES = [{"Q": lambda x: mpmath.ncdf(-x)}, "mpmath"]
_GMPY2_MODULES = [{"sqrt": gmpy2.sqrt, "exp": gmpy2.exp, "log": gmpy2.log}, "math"]
_MATH_MODULES = [{"Q": lambda x: float(scipy.special.ndtr(-x))}, "math"]


def lambdified(f, backend: str):
    """``f(*args, weights=None)`` for ``backend`` in numpy, mpmath, gmpy2, arb, math, compiled by lambdify
    (math: Q as scipy's ``ndtr``, the numpy backend's, so that the generated ``_math_gaussian_tail`` is checked
    against it)."""
    p = plan(f)
    reason = unavailable(f, p, backend)
    if reason is not None:
        raise {"ValueError": ValueError, "TypeError": TypeError}[reason[0]](reason[1])
    if backend == "arb":
        import flint

        from dctheory.formula_runtime import arb_gaussian_tail

        ball_functions = {
            "sqrt": lambda x: flint.arb(x).sqrt(),
            "exp": lambda x: flint.arb(x).exp(),
            "Q": arb_gaussian_tail,
            "pi": flint.arb.pi(),
        }
        modules, number = [ball_functions], flint.arb
        reduce = lambda terms: sum(terms, flint.arb(0))  # noqa: E731
    elif backend == "math":
        modules, number, reduce = _MATH_MODULES, float, sum
    else:
        modules = {"numpy": _NUMPY_MODULES, "mpmath": _MPMATH_MODULES, "gmpy2": _GMPY2_MODULES}[backend]
        number, reduce = mpmath.mpf, mpmath.fsum

    def cse(expr):
        return backend == "numpy" and _repeats_special_call(expr)

    outer = sp.lambdify(p.scalars + tuple(s for s, _ in p.sums), p.outer, modules=modules, cse=cse(p.outer))
    summands = [sp.lambdify(p.scalars, summand, modules=modules, cse=cse(summand)) for _, summand in p.sums]
    indexed = p.indexed

    if backend == "numpy":

        def evaluate(*values, weights=None):
            values = [np.asarray(v, dtype=float) for v in values]
            reduced = []
            inner = [v if is_idx else v[..., None] for v, is_idx in zip(values, indexed)]
            for summand in summands:
                terms = np.asarray(summand(*inner), dtype=float)
                if weights is not None:
                    terms = terms * weights
                reduced.append(terms.sum(axis=-1))
            return outer(*values, *reduced)

    elif backend == "gmpy2":

        def evaluate(*values, weights=None):
            reduced = []
            if summands:
                length = next(len(v) for v, is_idx in zip(values, indexed) if is_idx)
                for summand in summands:
                    terms = (
                        summand(*[v[i] if is_idx else v for v, is_idx in zip(values, indexed)]) for i in range(length)
                    )
                    if weights is not None:
                        terms = (w * term for w, term in zip(weights, terms) if w != 0)
                    reduced.append(gmpy2.fsum(terms))
            return outer(*values, *reduced)

    elif backend == "mpmath" and not summands:

        def evaluate(*values, weights=None):
            return outer(*values)

    else:

        def evaluate(*values, weights=None):
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

    return evaluate
