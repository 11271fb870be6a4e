"""The standard Gaussian pieces that derivations are written in."""

from __future__ import annotations

import sympy as sp
from sympy.printing.latex import LatexPrinter


class Q(sp.Function):  # type: ignore[misc]  # sympy ships no type information: its classes are Any
    r"""Gaussian tail function :math:`Q(x) = 1 - \Phi(x) = \tfrac12 \operatorname{erfc}(x/\sqrt2)`.

    Kept as a named function (rather than erfc) so that LaTeX reads as in the
    paper and compiled code calls an accurate tail (``scipy.special.ndtr(-x)``,
    ``mpmath.ncdf(-x)``) with no cancellation for large |x|.
    """

    nargs = 1

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return -normal_pdf(self.args[0])

    def _eval_rewrite_as_erfc(self, x: sp.Expr, **kwargs: object) -> sp.Expr:
        return sp.erfc(x / sp.sqrt(2)) / 2

    def _latex(self, printer: LatexPrinter, exp: str | None = None) -> str:
        body = rf"Q\left({printer._print(self.args[0])}\right)"
        return body if exp is None else rf"{body}^{{{exp}}}"


def normal_pdf(x: sp.Expr) -> sp.Expr:
    """phi(x), the standard normal density, as a sympy expression."""
    return sp.exp(-(x**2) / 2) / sp.sqrt(2 * sp.pi)


def erfc_to_q(expr: sp.Expr) -> sp.Expr:
    """Rewrite every erfc(u) as 2 Q(sqrt(2) u) (an exact identity)."""
    return expr.replace(sp.erfc, lambda u: 2 * Q(sp.sqrt(2) * u))


def upper_tail_moment(k: int, lower: sp.Expr, location: sp.Expr, scale: sp.Expr) -> sp.Expr:
    r"""E[(mu + s Z)^k 1{Z > lower}] for Z ~ N(0, 1), by sympy integration of the density."""
    z = sp.Symbol("z", real=True)
    bound, loc, sc = sp.symbols("_bound _loc _scale", real=True)
    value = sp.integrate(sp.expand((loc + sc * z) ** k) * normal_pdf(z), (z, bound, sp.oo))
    value = sp.collect(sp.expand(erfc_to_q(value)), [Q(bound), sp.exp(-(bound**2) / 2)])
    return value.xreplace({loc: location, sc: scale, bound: lower})
