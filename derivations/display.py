r"""Display forms: each registered formula as a person writes it.

A registered formula's right-hand side is what sympy derived (expanded, in
sympy's term order): the computational form that is compiled. Its display
form is the same quantity written with named, unevaluated pieces
(:math:`\phi`, :math:`Q`, :math:`a_i`, :math:`\eta_i(t)`, :math:`M_{1,i}(t)`,
:math:`\mathbb{E}[\cdot]`, ...) and with terms in the order a reader expects
(:math:`n - m - 1`, not :math:`-m + n - 1`).

Every display form is proven equal to its computational form by
:func:`verify`: the named pieces are replaced by their definitions (the
registered formulas they name) and the difference is simplified to zero; where
sympy's simplification cannot close it (the Gaussian tail integrals), the
difference is evaluated at 50 significant digits at random points of the
formula's domain and must vanish to 40 digits.

``display(name)`` returns a :class:`Display`; ``render(name, expanded, fmt)``
prints either form as LaTeX or as Markdown math.
"""

from __future__ import annotations

import functools
import itertools
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import mpmath
import sympy as sp
from sympy.printing.latex import LatexPrinter

from derivations import asymptotic as asy
from derivations import distributional as dist
from derivations import pruning as pr
from derivations import random_features as rf
from derivations import rank_one as r1
from derivations import schedule as sch
from derivations import symbols as sy
from derivations import thresholded as th
from derivations.gaussian import Q, normal_pdf
from derivations.registry import UnknownFormula, formula, names

# ---------------------------------------------------------------------------
# Printing: keep the written order, print indexed symbols as lambda_i.
# ---------------------------------------------------------------------------


class _Printer(LatexPrinter):  # type: ignore[misc]  # sympy ships no type information: its classes are Any
    def __init__(self) -> None:
        super().__init__({"order": "none"})

    def _print_Indexed(self, expr: sp.Indexed) -> str:
        base = self._print(expr.base.label)
        return f"{base}_{{{','.join(self._print(i) for i in expr.indices)}}}"

    def _print_Function(self, expr: sp.Function, exp: str | None = None) -> str:
        if hasattr(expr, "_latex"):
            named: str = expr._latex(self, exp)  # sympy is untyped: its printers return str
            return named
        if isinstance(expr, sp.core.function.AppliedUndef):
            body = f"{expr.func.__name__}({', '.join(self._print(a) for a in expr.args)})"
            return body if exp is None else f"{body}^{{{exp}}}"
        printed: str = super()._print_Function(expr, exp)
        return printed


def to_latex(expr: sp.Basic) -> str:
    """LaTeX of an expression in the order it was written."""
    latex: str = _Printer().doprint(_flatten(expr))
    return latex


def _flatten(expr: sp.Basic) -> sp.Basic:
    # Unevaluated sums and products nest as written ((n - m) - 1): flatten them so that no
    # parentheses appear that a reader would not write.
    if not expr.args or isinstance(expr, (sp.Indexed, sp.Idx)):
        return expr
    args = [_flatten(a) for a in expr.args]
    if isinstance(expr, (sp.Add, sp.Mul)):
        flat: list[sp.Basic] = []
        for a in args:
            flat.extend(a.args if type(a) is type(expr) else [a])
        if isinstance(expr, sp.Mul):
            flat = [a for a in flat if a != 1] or [sp.S.One]
            if len(flat) == 1:
                return flat[0]
        return expr.func(*flat, evaluate=False)
    if isinstance(expr, sp.Pow):
        return sp.Pow(*args, evaluate=False)
    if isinstance(expr, (sp.Sum, sp.Tuple, sp.Function)):
        return expr.func(*args)
    return expr


def _evaluate(expr: sp.Basic) -> sp.Basic:
    # Rebuild an unevaluated tree with evaluation on (what sympy would have built).
    if not expr.args or isinstance(expr, (sp.Indexed, sp.Idx)):
        return expr
    if isinstance(expr, sp.UnevaluatedExpr):
        return _evaluate(expr.args[0])
    return expr.func(*[_evaluate(arg) for arg in expr.args])


# ---------------------------------------------------------------------------
# Named quantities: print as a symbol, defined by a registered formula.
# ---------------------------------------------------------------------------


class _Named(sp.Function):  # type: ignore[misc]  # sympy ships no type information
    """An unevaluated named quantity. ``source``: the registered formula whose
    right-hand side, with its arguments replaced by this call's, defines it."""

    source = ""

    def definition(self) -> sp.Expr:
        entry = formula(self.source)
        return entry.rhs.xreplace(dict(zip(entry.args, self.args)))

    @staticmethod
    def _index(arg: sp.Basic) -> str:
        return str(arg.indices[0]) if isinstance(arg, sp.Indexed) else "i"

    @staticmethod
    def _power(body: str, exp: str | None) -> str:
        return body if exp is None else rf"{body}^{{{exp}}}"


class phi(_Named):
    r"""The standard normal density :math:`\phi(x) = e^{-x^2/2}/\sqrt{2\pi}`."""

    nargs = 1

    def definition(self) -> sp.Expr:
        return normal_pdf(self.args[0])

    def _latex(self, printer: LatexPrinter, exp: str | None = None) -> str:
        return self._power(rf"\phi\left({printer._print(self.args[0])}\right)", exp)


class a(_Named):
    r"""The shrinkage factor :math:`a_i = \xi\lambda_i/(1 + \xi\lambda_i)` (``a(xi, lambda)``)."""

    nargs = 2
    source = "shrinkage"

    def _latex(self, printer: LatexPrinter, exp: str | None = None) -> str:
        eigen = self.args[1]
        if eigen.is_Symbol and eigen.name == "Lambda":
            return self._power(r"a(\Lambda)", exp)
        return rf"a_{{{self._index(eigen)}}}" + ("" if exp is None else f"^{{{exp}}}")


class keep(_Named):
    r"""The keep probability :math:`\eta_i(t)` of a coordinate (``keep(t, mu, sd)``)."""

    nargs = 3
    source = "keep_probability"

    def _latex(self, printer: LatexPrinter, exp: str | None = None) -> str:
        t = self.args[0]
        if self.args[1].has(Lam1):
            return self._power(rf"\eta({printer._print(t)} \mid \Lambda, B)", exp)
        return self._power(rf"\eta_{{{self._index(t)}}}({printer._print(t)})", exp)


class M1(_Named):
    r""":math:`M_{1,i}(t) = \mathbb{E}[w_i 1\{|w_i| > t\}]` (``M1(t, mu, sd)``)."""

    nargs = 3
    source = "thresholded_m1"

    def _latex(self, printer: LatexPrinter, exp: str | None = None) -> str:
        return self._power(rf"M_{{1,{self._index(self.args[0])}}}({printer._print(self.args[0])})", exp)


class M2(_Named):
    r""":math:`M_{2,i}(t) = \mathbb{E}[w_i^2 1\{|w_i| > t\}]` (``M2(t, mu, sd)``)."""

    nargs = 3
    source = "thresholded_m2"

    def _latex(self, printer: LatexPrinter, exp: str | None = None) -> str:
        return self._power(rf"M_{{2,{self._index(self.args[0])}}}({printer._print(self.args[0])})", exp)


class e(_Named):
    r"""The error of a thresholded coordinate :math:`e_i(t)` (``e(t, mu, sd, beta)``)."""

    nargs = 4
    source = "pruned_error"

    def _latex(self, printer: LatexPrinter, exp: str | None = None) -> str:
        t = self.args[0]
        if self.args[1].has(Lam1):
            return self._power(rf"e({printer._print(t)} \mid \Lambda, B)", exp)
        return self._power(rf"e_{{{self._index(t)}}}({printer._print(t)})", exp)


class mean_over(_Named):
    r"""``mean_over(n, x)`` is :math:`x/n`, printed :math:`\frac{1}{n} x`."""

    nargs = 2

    def definition(self) -> sp.Expr:
        return self.args[1] / self.args[0]

    def _latex(self, printer: LatexPrinter, exp: str | None = None) -> str:
        body = printer._print(self.args[1])
        if isinstance(self.args[1], sp.Add):
            body = rf"\left({body}\right)"
        return rf"\frac{{1}}{{{printer._print(self.args[0])}}} {body}"


class SumOver(sp.Function):  # type: ignore[misc]  # sympy ships no type information
    r"""``SumOver(summand, i, SET)``: a sum whose index set is written in the display.

    ``SET`` is one of the symbols of :data:`INDEX_SETS`: the trained features
    :math:`D` (printed :math:`\sum_{i \in D}`), the features outside it
    (:math:`\sum_{i \notin D}`), all :math:`P` features (:math:`\sum_{i=1}^{P}`) or the
    eigen-coordinates of :math:`\Sigma_{DD}` (:math:`\sum_{i=1}^{m}`). The numeric check
    (:func:`check_numerically`) sums over exactly that set of a concrete problem, so a
    display that names the wrong set gives a different number than the compiled function."""

    nargs = 3

    def _latex(self, printer: LatexPrinter, exp: str | None = None) -> str:
        summand, index, where = self.args
        body = printer._print(summand)
        if isinstance(summand, sp.Add):
            body = rf"\left({body}\right)"
        return rf"{INDEX_SETS[where][0].format(i=printer._print(index))} {body}"


# Index sets: the LaTeX of the sum's subscript and the upper limit of the computational form's sum.
_SET_D, _SET_OUT, _SET_ALL, _SET_EIGEN = sp.symbols("D D^c P_all eigen")
INDEX_SETS = {
    _SET_D: (r"\sum_{{{i} \in D}}", sy.m),
    _SET_OUT: (r"\sum_{{{i} \notin D}}", pr.P - sy.m),
    _SET_ALL: (r"\sum_{{{i}=1}}^{{P}}", pr.P),
    _SET_EIGEN: (r"\sum_{{{i}=1}}^{{m}}", sy.m),
}


def over_d(summand: sp.Expr) -> sp.Expr:
    """A sum over the trained features i in D."""
    return SumOver(summand, sy.i, _SET_D)


def outside_d(summand: sp.Expr) -> sp.Expr:
    """A sum over the features outside D."""
    return SumOver(summand, sy.i, _SET_OUT)


def over_all(summand: sp.Expr) -> sp.Expr:
    """A sum over all P features."""
    return SumOver(summand, sy.i, _SET_ALL)


def over_eigen(summand: sp.Expr) -> sp.Expr:
    """A sum over the eigen-coordinates i = 1, ..., m of Sigma_DD."""
    return SumOver(summand, sy.i, _SET_EIGEN)


# The asymptotic law (Lambda, B) and the keep probability pi of the pruning rule, as plain symbols
# inside an expectation.
Lam1 = sp.Symbol("Lambda", positive=True)
B1 = sp.Symbol("B", real=True)
pi1 = sp.Symbol(r"\eta(\Lambda, B)", nonnegative=True)
chi1 = sp.Symbol(r"\chi(\Lambda, B)", nonnegative=True)  # kept by the rounds so far, given (Lambda, B)


class E(_Named):
    r""":math:`\mathbb{E}[f(\Lambda, B)]` over the discrete law with atoms
    :math:`(\Lambda_k, B_k)`, probabilities :math:`p_k`: :math:`\sum_k p_k f(\Lambda_k, B_k)`."""

    nargs = 1

    def definition(self) -> sp.Expr:
        atom = {Lam1: sy.Lam[sy.k], B1: sy.B[sy.k], pi1: sy.keep[sy.k], chi1: sch.chi[sy.k]}
        return sp.Sum(sy.p[sy.k] * self.args[0].xreplace(atom), (sy.k, 1, sy.K))

    def _latex(self, printer: LatexPrinter, exp: str | None = None) -> str:
        return self._power(rf"\mathbb{{E}}\left[{printer._print(self.args[0])}\right]", exp)


# ---------------------------------------------------------------------------
# The display forms.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Display:
    """The display form of the registered formula ``name``.

    Attributes:
        name: the registered formula.
        rhs: the right-hand side, unevaluated, with named pieces.
        breaks: for a right-hand side that is a sum: the positions of its terms
            before which a long display breaks its line (the document's ``split``).
        symbols: display symbols standing for computational ones (e.g. the
            product zeta^T beta for c), substituted by :func:`verify`.
        step: one line of prose on how the computational form follows from it.
        domain: the index set the compiled function's per-coordinate arguments run over
            (a key of :data:`INDEX_SETS`; ``None``: the eigen-coordinates 1, ..., m).
    """

    name: str
    rhs: sp.Expr
    breaks: tuple[int, ...] = ()
    symbols: dict[sp.Basic, sp.Basic] = field(default_factory=dict)
    step: str = ""
    domain: sp.Symbol | None = None

    def latex(self) -> str:
        return f"{to_latex(formula(self.name).lhs)} = {to_latex(self.rhs)}"

    def lines(self) -> list[str]:
        """The right-hand side cut into lines at its ``breaks`` (each line a LaTeX string;
        every line after the first starts with its sign)."""
        rhs = _flatten(self.rhs)
        if not self.breaks:
            return [to_latex(rhs)]
        if not isinstance(rhs, sp.Add):
            raise ValueError(f"{self.name}: breaks need a sum on the right-hand side")
        terms, cuts = list(rhs.args), (0, *self.breaks, len(rhs.args))
        out = []
        for start, stop in itertools.pairwise(cuts):
            group = terms[start:stop]
            text = to_latex(sp.Add(*group, evaluate=False)) if len(group) > 1 else to_latex(group[0])
            if start and not text.startswith("-"):
                text = "+ " + text
            out.append(text)
        return out


_DISPLAYS: dict[str, Callable[[], Display]] = {}


def _display(name: str) -> Callable[[Callable[[], Display]], Callable[[], Display]]:
    def decorate(builder: Callable[[], Display]) -> Callable[[], Display]:
        _DISPLAYS[name] = builder
        return builder

    return decorate


def display(name: str) -> Display:
    """The display form of a registered formula (UnknownFormula, a LookupError, for an unknown
    name or a formula that has none)."""
    formula(name)  # an unknown name raises UnknownFormula, listing the known ones
    if name not in _DISPLAYS:
        raise UnknownFormula(f"formula {name!r} has no display form; known: {', '.join(sorted(_DISPLAYS))}")
    with sp.evaluate(False):
        return _DISPLAYS[name]()


def missing() -> list[str]:
    """Registered formulas without a display form (none, when the registry is complete)."""
    return [name for name in names() if name not in _DISPLAYS]


i, m, n, xi = sy.i, sy.m, sy.n, sy.xi
lam, b, sigma_D, lam_i, b_i = sy.lam, sy.b, sy.sigma_D, sy.lam_s, sp.Symbol("b_i", real=True)
t, mu, sd, beta = th.t, th.mu, th.sd, th.beta


def _one_minus(x: sp.Expr) -> sp.Expr:
    return sp.Add(1, -x)


def _minus(x: sp.Expr, y: sp.Expr) -> sp.Expr:
    return sp.Add(x, sp.Mul(-1, y))


def _frac(x: sp.Expr, y: sp.Expr) -> sp.Expr:
    # A fraction printed as \frac{x}{y}.
    return sp.Pow(y, -1) if x == 1 else sp.Mul(x, sp.Pow(y, -1))


def _factor(x: sp.Expr) -> sp.Expr:
    # A factor printed on its own (a fraction that is not merged into its neighbours).
    return sp.UnevaluatedExpr(x)


# -- finite size (Def. 4) -----------------------------------------------------


@_display("shrinkage")
def _() -> Display:
    return Display("shrinkage", _frac(xi * lam_i, sp.Add(1, xi * lam_i)))


@_display("shrinkage_log_derivative")
def _() -> Display:
    return Display(
        "shrinkage_log_derivative",
        a(xi, lam_i) * _one_minus(a(xi, lam_i)),
        step=r"$\xi\,\partial a_i/\partial\xi = \xi\lambda_i/(1 + \xi\lambda_i)^2 = a_i (1 - a_i)$",
    )


@_display("shrinkage_complement")
def _() -> Display:
    return Display(
        "shrinkage_complement",
        _frac(1, sp.Add(1, xi * lam_i)),
        step=r"$1 - \xi\lambda_i/(1 + \xi\lambda_i)$ over the common denominator: no subtraction left",
    )


@_display("xi_equation")
def _() -> Display:
    return Display("xi_equation", _minus(over_eigen(a(xi, lam[i])), n))


@_display("ridge_equation")
def _() -> Display:
    return Display(
        "ridge_equation",
        sp.Add(over_eigen(a(xi, lam[i])), n * sy.ridge * xi, -n),
        step=r"multiply the deterministic equivalent $\lambda_r = \xi^{-1}(1 - n^{-1}\sum_{i=1}^m "
        r"\xi\lambda_i/(1 + \xi\lambda_i))$ by $n\xi$",
    )


def _tau2_numerator() -> sp.Expr:
    return sp.Add(sigma_D**2, over_eigen(lam[i] * b[i] ** 2 * _one_minus(a(xi, lam[i])) ** 2))


@_display("tau2")
def _() -> Display:
    denominator = sp.Add(sy.ridge * xi, mean_over(n, over_eigen(a(xi, lam[i]) * _one_minus(a(xi, lam[i])))))
    return Display(
        "tau2",
        _frac(_tau2_numerator(), denominator),
        step=r"$n - \sum_{i=1}^m a_i^2 = (n - \sum_{i=1}^m a_i) + \sum_{i=1}^m a_i (1 - a_i)$ and "
        r"$n - \sum_{i=1}^m a_i = n\lambda_r\xi$ at the root: no cancellation near $m = n$",
    )


@_display("tau2_stated")
def _() -> Display:
    denominator = _minus(1, mean_over(n, over_eigen(a(xi, lam[i]) ** 2)))
    return Display("tau2_stated", _frac(_tau2_numerator(), denominator), step=r"$1/(1 + \xi\lambda_i) = 1 - a_i$")


@_display("coordinate_mean")
def _() -> Display:
    return Display("coordinate_mean", a(xi, lam_i) * b_i)


@_display("coordinate_sd")
def _() -> Display:
    return Display(
        "coordinate_sd",
        _frac(a(xi, lam_i) * sy.tau, sp.sqrt(n * lam_i)),
        step=r"the computational form multiplies numerator and denominator by "
        r"$\sqrt{\lambda_i}$, so that $\lambda_i = 0$ gives $\varsigma_i = 0$ with no $0/0$",
    )


@_display("ridge_sample_size")
def _() -> Display:
    squares = over_eigen(a(xi, lam[i]) ** 2)
    residual = sp.Add(sy.ridge * xi, mean_over(n, over_eigen(a(xi, lam[i]) * _one_minus(a(xi, lam[i])))))
    return Display(
        "ridge_sample_size",
        _minus(n, _frac(sy.ridge * xi * squares, residual * m)),
        step=r"$\rho = \frac{n - \sum_{i=1}^m a_i}{n - \sum_{i=1}^m a_i^2} \cdot \frac{1}{m}\sum_{i=1}^m a_i^2$, "
        r"with $n - \sum_{i=1}^m a_i = n\lambda_r\xi$ at the root",
    )


@_display("ridge_tau2_limit")
def _() -> Display:
    size = sp.Symbol("n_lambda", positive=True)
    return Display("ridge_tau2_limit", _frac(sigma_D**2 * size, sp.Add(size, -m)))


@_display("underparameterized_sd")
def _() -> Display:
    return Display("underparameterized_sd", _frac(sigma_D, sp.sqrt(sp.Add(n, -m, -1) * lam_i)))


@_display("underparameterized_risk")
def _() -> Display:
    return Display(
        "underparameterized_risk",
        _frac(sigma_D**2 * sp.Add(n, -1), sp.Add(n, -m, -1)),
        step=r"$\sigma_D^2 + \sum_{i=1}^m \lambda_i \varsigma_i^2$ with $\varsigma_i$ of "
        "`underparameterized_sd`",
    )


# -- thresholded coordinate (Sec. 5.2, Cor. 1) --------------------------------


def _z(sign: int) -> sp.Expr:
    # (t - mu_i)/sd_i for sign = -1, (t + mu_i)/sd_i for sign = +1.
    return _frac(sp.Add(t, sp.Mul(sign, mu)), sd)


@_display("keep_probability")
def _() -> Display:
    return Display(
        "keep_probability",
        sp.Add(Q(_z(-1)), Q(_z(+1))),
        step=r"$\Pr(w_i > t) + \Pr(w_i < -t)$, the lower tail written as an upper one",
    )


@_display("keep_probability_derivative")
def _() -> Display:
    # 1/varsigma_i in front, so that no fraction sits inside phi inside a fraction (script size).
    return Display(
        "keep_probability_derivative",
        sp.Mul(-1, mean_over(sd, sp.Add(phi(_z(-1)), phi(_z(+1))))),
        step=r"$Q'(x) = -\phi(x)$",
    )


def _shifted(sign: int) -> sp.Expr:
    # tbar_i - mubar_i for sign = -1, tbar_i + mubar_i for sign = +1 (the standardized tails' arguments).
    return sp.Add(th.z, sp.Mul(sign, th.r))


@_display("standardized_keep_probability")
def _() -> Display:
    return Display(
        "standardized_keep_probability",
        sp.Add(Q(_shifted(-1)), Q(_shifted(+1))),
        step=r"$\eta_i(t)$ at $t = \bar t_i\varsigma_i$, $\mu_i = \bar\mu_i\varsigma_i$: $\varsigma_i$ cancels in both tails",
    )


@_display("standardized_keep_probability_derivative")
def _() -> Display:
    return Display(
        "standardized_keep_probability_derivative",
        sp.Add(-phi(_shifted(-1)), -phi(_shifted(+1))),
        step=r"$Q'(x) = -\phi(x)$",
    )


@_display("standardized_keep_probability_second_derivative")
def _() -> Display:
    return Display(
        "standardized_keep_probability_second_derivative",
        sp.Add(_shifted(-1) * phi(_shifted(-1)), _shifted(+1) * phi(_shifted(+1))),
        step=r"$\phi'(x) = -x\,\phi(x)$",
    )


@_display("thresholded_m1")
def _() -> Display:
    return Display(
        "thresholded_m1",
        sp.Add(mu * keep(t, mu, sd), sd * sp.Add(phi(_z(-1)), -phi(_z(+1)))),
        step=r"integrate $(\mu_i + \varsigma_i x)\,\phi(x)$ over both tails; $\phi$ is even",
    )


@_display("thresholded_m2")
def _() -> Display:
    return Display(
        "thresholded_m2",
        sp.Add(
            sp.Add(mu**2, sd**2) * keep(t, mu, sd),
            sd * sp.Add(sp.Add(t, mu) * phi(_z(-1)), sp.Add(t, -mu) * phi(_z(+1))),
        ),
        breaks=(1,),
        step=r"integrate $(\mu_i + \varsigma_i x)^2\,\phi(x)$ over both tails; $\phi$ is even",
    )


@_display("pruned_error")
def _() -> Display:
    return Display(
        "pruned_error",
        sp.Add(M2(t, mu, sd), -2 * beta * M1(t, mu, sd), beta**2),
        step=r"expand $\mathbb{E}[(w_i 1\{|w_i| > t\} - \beta_i)^2]$",
    )


@_display("pruned_error_stable")
def _() -> Display:
    return Display(
        "pruned_error_stable",
        sp.Add(
            sp.Add(sp.Add(mu, -beta) ** 2, sd**2) * keep(t, mu, sd),
            sd * sp.Add(sp.Add(t, mu, -2 * beta) * phi(_z(-1)), sp.Add(t, -mu, 2 * beta) * phi(_z(+1))),
            beta**2 * _one_minus(keep(t, mu, sd)),
        ),
        breaks=(1, 2),
        step=r"split $e_i(t)$ into the kept part $\mathbb{E}[(w_i - \beta_i)^2 1\{|w_i| > t\}]$, integrated like "
        r"$M_{2,i}$ with mean $\mu_i - \beta_i$, and $\beta_i^2$ times the drop probability: no cancellation",
    )


# -- pruning risks (Cor. 1) and retraining (Def. 5) ---------------------------


def _kept_error() -> sp.Expr:
    return sp.Add(sp.Add(pr.mean[i], -pr.beta[i]) ** 2, pr.spread[i] ** 2)


@_display("effective_noise")
def _() -> Display:
    return Display(
        "effective_noise",
        sp.Add(sy.sigma**2, outside_d(sy.lam[i] * pr.beta[i] ** 2)),
        domain=_SET_OUT,
        step=r"the features outside $D$ act as noise; the sum runs over them, term by term, "
        r"so that no digit is lost to a difference",
    )


@_display("thresholded_risk")
def _() -> Display:
    return Display(
        "thresholded_risk",
        sp.Add(sy.sigma_D**2, over_d(sy.lam[i] * e(pr.threshold[i], pr.mean[i], pr.spread[i], pr.beta[i]))),
        domain=_SET_D,
    )


@_display("oracle_risk")
def _() -> Display:
    return Display(
        "oracle_risk",
        sp.Add(
            sy.sigma_D**2,
            over_d(sy.lam[i] * sp.Add(pr.oracle[i] * _kept_error(), _one_minus(pr.oracle[i]) * pr.beta[i] ** 2)),
        ),
        domain=_SET_D,
    )


@_display("random_pruning_risk")
def _() -> Display:
    kept = _factor(_frac(pr.sparsity, sy.m))
    return Display(
        "random_pruning_risk",
        sp.Add(sy.sigma_D**2, over_d(sy.lam[i] * sp.Add(kept * _kept_error(), _one_minus(kept) * pr.beta[i] ** 2))),
        domain=_SET_D,
    )


@_display("retrained_risk")
def _() -> Display:
    bias = sp.Add(sy.sigma**2, over_all(sy.lam[i] * pr.beta[i] ** 2 * _one_minus(sy.keep[i])))
    return Display(
        "retrained_risk",
        sp.Mul(bias, _factor(_frac(sp.Add(sy.n, -1), sp.Add(sy.n, -pr.sparsity, -1)))),
        domain=_SET_ALL,
        step=r"the dense risk $\sigma_S^2 (n - 1)/(n - s - 1)$ of the effective problem on the "
        r"kept support, averaged over the keep probabilities",
    )


# -- perfectly correlated features (Lemma 1) ----------------------------------

zeta_beta = sp.Symbol(r"\zeta^{\top} \beta", real=True)


@_display("rank_one_pruned_excess")
def _() -> Display:
    return Display(
        "rank_one_pruned_excess",
        sp.Add(_one_minus(r1.rho) ** 2 * zeta_beta**2, _frac(r1.rho**2 * sy.sigma**2, sp.Add(sy.n, -2))),
        symbols={zeta_beta: r1.alignment},
        step=r"expand $(\zeta^\top\beta - \rho\,\hat a)^2$ with $\mathbb{E}[u] = 0$ and "
        r"$\mathbb{E}[u^2] = \mathbb{E}[1/\chi^2_n] = 1/(n - 2)$",
    )


@_display("rank_one_retrained_excess")
def _() -> Display:
    return Display(
        "rank_one_retrained_excess",
        _frac(sy.sigma**2, sp.Add(sy.n, -2)),
        step=r"the same expansion with $\rho = 1$: the retrained model predicts $\hat a$",
    )


@_display("rank_one_dense_excess")
def _() -> Display:
    return Display(
        "rank_one_dense_excess",
        _frac(sy.sigma**2, sp.Add(sy.n, -2)),
        step=r"the dense model predicts $\hat a$ on the direction $\zeta$",
    )


# -- random features (Def. 2) -------------------------------------------------


@_display("relu_covariance")
def _() -> Display:
    return Display(
        "relu_covariance",
        _frac(rf.r_i * rf.r_j * sp.Add(sp.sin(rf.theta), sp.Add(sp.pi, -rf.theta) * sp.cos(rf.theta)), 2 * sp.pi),
        step="integrate over the plane of $w_i$, $w_j$ in polar coordinates",
    )


@_display("relu_label_correlation")
def _() -> Display:
    return Display(
        "relu_label_correlation",
        _frac(rf.r_i * sp.Add(1, rf.nu**2), sp.sqrt(2 * sp.pi)),
        step=r"write $x^\top\beta^* = \nu_i g_1 + (1 - \nu_i^2)^{1/2} g_2$ with $g_1 = w_i^\top x / r_i$ and $g_2$ "
        r"standard normal, independent of $g_1$",
    )


@_display("label_second_moment")
def _() -> Display:
    return Display(
        "label_second_moment",
        sp.Add(3, rf.sigma_y**2),
        step=r"$\mathbb{E}[g^4] = 3$ for $g = x^\top\beta^* \sim N(0, 1)$",
    )


# -- asymptotic (Def. 3, Theorem 1) -------------------------------------------


@_display("asymptotic_xi_equation")
def _() -> Display:
    return Display("asymptotic_xi_equation", _minus(E(a(sy.xi, Lam1)), _frac(1, sy.kappa)))


def _asymptotic_numerator() -> sp.Expr:
    return sp.Add(sy.sigma**2, E(Lam1 * B1**2 * _one_minus(a(sy.xi, Lam1)) ** 2))


@_display("asymptotic_tau2")
def _() -> Display:
    return Display(
        "asymptotic_tau2",
        _frac(_asymptotic_numerator(), sy.kappa * E(a(sy.xi, Lam1) * _one_minus(a(sy.xi, Lam1)))),
        step=r"$1 - \kappa\,\mathbb{E}[a(\Lambda)^2] = \kappa\,(1/\kappa - \mathbb{E}[a(\Lambda)]) + "
        r"\kappa\,\mathbb{E}[a(\Lambda) (1 - a(\Lambda))]$, and the first term vanishes at the root",
    )


@_display("asymptotic_law")
def _() -> Display:
    H, tau = sp.Symbol("H", real=True), sp.Symbol("tau", positive=True)
    return Display("asymptotic_law", a(sy.xi, Lam1) * sp.Add(B1, _frac(sp.sqrt(sy.kappa) * tau * H, sp.sqrt(Lam1))))


@_display("hastie_xi")
def _() -> Display:
    return Display(
        "hastie_xi", _frac(1, sp.Add(sy.kappa, -1)), step=r"one atom $\Lambda = 1$: $\xi/(1 + \xi) = 1/\kappa$"
    )


@_display("hastie_tau2")
def _() -> Display:
    return Display(
        "hastie_tau2",
        sp.Add(_frac(sy.sigma**2 * sy.kappa, sp.Add(sy.kappa, -1)), asy.gamma**2 * _one_minus(_frac(1, sy.kappa))),
        step=r"$\tau^2$ of Def. 3 at $\Lambda = 1$, $\mathbb{E}[B^2] = \gamma^2$, $\xi = 1/(\kappa - 1)$",
    )


def _limit_coordinate() -> tuple[sp.Expr, sp.Expr]:
    # The mean and standard deviation of Omega given (Lambda, B), as the display writes them.
    return a(sy.xi, Lam1) * B1, _frac(a(sy.xi, Lam1) * sp.sqrt(sy.kappa) * sy.tau, sp.sqrt(Lam1))


@_display("asymptotic_threshold_equation")
def _() -> Display:
    return Display(
        "asymptotic_threshold_equation",
        _minus(E(keep(asy.t, *_limit_coordinate())), asy.q),
        step=r"$\Omega$ given $(\Lambda, B)$ is Gaussian with mean $a(\Lambda)B$ and standard deviation "
        r"$a(\Lambda)\sqrt{\kappa}\,\tau/\sqrt{\Lambda}$: its keep probability is that of a "
        r"coordinate with these two moments",
    )


@_display("asymptotic_magnitude_risk")
def _() -> Display:
    return Display(
        "asymptotic_magnitude_risk",
        sp.Add(sy.sigma**2, E(Lam1 * e(asy.t, *_limit_coordinate(), B1))),
        step=r"$e(t \mid \Lambda, B) = \mathbb{E}[(B - T_t(\Omega))^2 \mid \Lambda, B]$ is the error "
        r"of a thresholded coordinate with the two moments of $\Omega$ given $(\Lambda, B)$",
    )


@_display("asymptotic_retrained_risk")
def _() -> Display:
    return Display(
        "asymptotic_retrained_risk",
        _frac(sp.Add(sy.sigma**2, E(Lam1 * B1**2 * _one_minus(pi1))), _one_minus(asy.q * sy.kappa)),
        step=r"$(n - 1)/(n - s - 1) \to 1/(1 - q\kappa)$ at $n = P/\kappa$, $s = qP$, $P \to \infty$",
    )


# -- pruning in rounds (this project) --------------------------------------------


def _kept_noise() -> sp.Expr:
    return sp.Add(sy.sigma**2, E(Lam1 * B1**2 * _one_minus(chi1)))


@_display("schedule_xi_equation")
def _() -> Display:
    return Display(
        "schedule_xi_equation",
        _minus(E(chi1 * a(sy.xi, Lam1)), _frac(1, sy.kappa)),
        step=r"the equation (D.1) of the kept law (probabilities $\chi/q$, $\kappa_S = q\kappa$), times $q$",
    )


@_display("schedule_tau2")
def _() -> Display:
    return Display(
        "schedule_tau2",
        _frac(
            sp.Add(_kept_noise(), E(chi1 * Lam1 * B1**2 * _one_minus(a(sy.xi, Lam1)) ** 2)),
            sy.kappa * E(chi1 * a(sy.xi, Lam1) * _one_minus(a(sy.xi, Lam1))),
        ),
        step=r"(D.2) of the kept law: probabilities $\chi/q$, $B_S = \sqrt{q}B$, $\kappa_S = q\kappa$ and "
        r"$\sigma_S^2 = \sigma^2 + \mathbb{E}[\Lambda B^2 (1 - \chi)]$; every factor $q$ cancels",
    )


@_display("schedule_underparameterized_sd")
def _() -> Display:
    return Display(
        "schedule_underparameterized_sd",
        _frac(sch.sigma_S * sp.sqrt(sy.kappa), sp.sqrt(sp.Mul(_one_minus(asy.q * sy.kappa), Lam1))),
        step=r"$\sqrt{P}\,\sigma_S/\sqrt{(n - m - 1)\lambda_i}$ at $n = P/\kappa$, $m = qP$, $P \to \infty$",
    )


@_display("schedule_threshold_equation")
def _() -> Display:
    return Display(
        "schedule_threshold_equation",
        _minus(E(chi1 * keep(asy.t, *_limit_coordinate())), sch.q_next),
        step=r"(E.1) of the kept law at the fraction $q'/q$ of its features, times $q$: the threshold, the mean "
        r"and the standard deviation all scale by $\sqrt{q}$, which leaves every keep probability unchanged",
    )


@_display("schedule_magnitude_risk")
def _() -> Display:
    return Display(
        "schedule_magnitude_risk",
        sp.Add(_kept_noise(), E(chi1 * Lam1 * e(asy.t, *_limit_coordinate(), B1))),
        step=r"(E.2) of the kept law with its noise $\sigma_S^2$: $\Lambda e(t \mid \Lambda, B)$ is homogeneous "
        r"of degree 2 in $(t, B)$ and the mean and standard deviation, so the factor $q$ of $B_S^2$ cancels "
        r"the $1/q$ of the probabilities",
    )


# ---------------------------------------------------------------------------
# The identity check.
# ---------------------------------------------------------------------------

_SUM_LIMITS = (sy.m, pr.P, sy.K)
DIGITS = 50


def _expand_named(expr: sp.Expr, sums: bool = True) -> sp.Expr:
    # Named pieces become their definitions; with ``sums``, each sum over a written index set becomes
    # the computational form's Sum (upper limit of INDEX_SETS), for the symbolic comparison.
    while expr.atoms(_Named):
        expr = expr.replace(lambda node: isinstance(node, _Named), lambda node: node.definition())
    if sums:
        expr = expr.replace(
            lambda node: isinstance(node, SumOver),
            lambda node: sp.Sum(node.args[0], (node.args[1], 1, INDEX_SETS[node.args[2]][1])),
        )
    return expr


def _difference(name: str) -> sp.Expr:
    shown = display(name)
    value = _expand_named(_evaluate(shown.rhs)).xreplace(shown.symbols)
    return value - formula(name).rhs


def _sample(symbol: sp.Basic, rng: random.Random) -> mpmath.mpf:
    # A point well inside every formula's domain (n > m + 1, q kappa < 1, kappa > 1, |nu_i| < 1).
    name = str(symbol.base.label if isinstance(symbol, sp.Indexed) else symbol)
    ranges = {
        "n": (20, 30),
        "m": (3, 6),
        "s": (1, 4),
        "kappa": (1.5, 3),
        "q": (0.05, 0.3),
        "theta_ij": (0.1, 3),
        "rho": (0, 0.9),
        "nu_i": (-0.9, 0.9),
    }
    low, high = ranges.get(name, (0.1, 1.2) if symbol.is_nonnegative else (-1.2, 1.2))
    return mpmath.mpf(low) + (mpmath.mpf(high) - mpmath.mpf(low)) * mpmath.mpf(rng.random())


@functools.cache
def verify(name: str, points: int = 5) -> str:
    """Prove the display form of ``name`` equal to its computational form.

    Returns how: ``"simplify"`` (the difference simplifies to 0 symbolically) or
    ``"50 digits"`` (sums written out at 3 terms, the difference vanishes to 40 of 50
    digits at ``points`` random points). Raises AssertionError otherwise.
    """
    difference = _difference(name)
    if sp.count_ops(difference) < 80 and sp.simplify(difference) == 0:
        return "simplify"
    explicit = difference.subs({limit: 3 for limit in _SUM_LIMITS if limit != pr.sparsity}).doit()
    explicit = explicit.replace(Q, lambda u: sp.erfc(u / sp.sqrt(2)) / 2)
    scale_expr = formula(name).rhs.subs(dict.fromkeys(_SUM_LIMITS, 3)).doit()
    scale_expr = scale_expr.replace(Q, lambda u: sp.erfc(u / sp.sqrt(2)) / 2)
    rng = random.Random(name)
    free = sorted(explicit.free_symbols | scale_expr.free_symbols, key=str)
    for _ in range(points):
        values = {symbol: sp.Float(_sample(symbol, rng), DIGITS + 10) for symbol in free}
        gap = abs(sp.N(explicit.xreplace(values), DIGITS))
        scale = max(1, abs(sp.N(scale_expr.xreplace(values), DIGITS)))
        if not gap < sp.Float(10) ** -(DIGITS - 10) * scale:
            raise AssertionError(f"display form of {name} differs from the computational form by {gap} at {values}")
    return "50 digits"


# ---------------------------------------------------------------------------
# The numeric check: the display against the compiled function on a concrete problem.
# ---------------------------------------------------------------------------

CHECK_DIGITS = 30
FEATURES, TRAINED, ATOMS = 7, 4, 3  # P, m = |D| and the atoms K of a discrete law, in every check


def _problem(rng: random.Random) -> dict[sp.Basic | str, list[int]]:
    """Index sets of a concrete problem: P features, D a random m-subset other than {1, ..., m}
    (so that a sum over D and a sum over i = 1, ..., m differ), its complement, and the law's atoms."""
    everything = list(range(1, FEATURES + 1))
    while True:
        trained = sorted(rng.sample(everything, TRAINED))
        if trained != everything[:TRAINED]:
            break
    return {
        _SET_D: trained,
        _SET_OUT: [j for j in everything if j not in trained],
        _SET_ALL: everything,
        _SET_EIGEN: everything[:TRAINED],
        "law": list(range(1, ATOMS + 1)),
    }


def _value(symbol: sp.Basic, rng: random.Random) -> mpmath.mpf:
    # An admissible value: probabilities in (0, 1), oracle indicators in {0, 1}, m = |D|; the rest from _sample.
    name = str(symbol.label if isinstance(symbol, sp.IndexedBase) else symbol)
    if name == "m":
        return mpmath.mpf(TRAINED)
    if name == "o":
        return mpmath.mpf(rng.randint(0, 1))
    if name in ("eta", "p", "chi"):
        return mpmath.mpf(0.05) + mpmath.mpf(0.9) * mpmath.mpf(rng.random())
    return _sample(symbol, rng)


def _explicit(expr: sp.Expr, sets: dict[sp.Basic | str, list[int]]) -> sp.Expr:
    """``expr`` with every sum written out over the concrete index sets (E over the law's atoms)."""
    expr = expr.replace(
        lambda node: isinstance(node, SumOver),
        lambda node: sp.Add(*[node.args[0].xreplace({node.args[1]: j}) for j in sets[node.args[2]]]),
    )
    return expr.replace(
        lambda node: isinstance(node, sp.Sum),
        lambda node: sp.Add(*[node.function.xreplace({node.limits[0][0]: j}) for j in sets["law"]]),
    )


def check_numerically(name: str, points: int = 4) -> float:
    """Evaluate the display form of ``name`` (what is printed, index sets included) at ``points`` random
    admissible points of a concrete problem at 30 digits, and the compiled mpmath function (what is
    computed) at the same point, its per-coordinate arguments taken over ``Display.domain``.

    Returns the largest relative difference; raises AssertionError above 1e-25."""
    shown, entry = display(name), formula(name)
    rng = random.Random("numeric " + name)
    worst = 0.0
    for _ in range(points):
        sets = _problem(rng)
        domain = sets[shown.domain] if shown.domain is not None else None
        values, call = {}, []
        for arg in entry.args:
            if isinstance(arg, sp.IndexedBase):
                law = any(
                    index == sy.k for node in entry.rhs.atoms(sp.Indexed) if node.base == arg for index in node.indices
                )
                positions = sets["law"] if law else (domain or sets[_SET_EIGEN])
                every = sets["law"] if law else sets[_SET_ALL]
                column = {j: _value(arg, rng) for j in every}
                values.update({arg[j]: column[j] for j in every})
                call.append([column[j] for j in positions])
            else:
                values[arg] = _value(arg, rng)
                call.append(values[arg])
        shown_expr = _explicit(_expand_named(_evaluate(shown.rhs), sums=False).xreplace(shown.symbols), sets)
        shown_expr = shown_expr.replace(Q, lambda u: sp.erfc(u / sp.sqrt(2)) / 2)
        exact = {symbol: sp.Float(value, CHECK_DIGITS + 10) for symbol, value in values.items()}
        printed = sp.N(shown_expr.xreplace(exact), CHECK_DIGITS)
        if printed.free_symbols:
            raise AssertionError(f"display form of {name}: {sorted(map(str, printed.free_symbols))} not set")
        worst = max(worst, _agreement(f"the display form of {name}", printed, entry.mpmath, call))
    return worst


def _agreement(what: str, printed: sp.Expr, compiled: Callable[..., mpmath.mpf], arguments: Iterable[object]) -> float:
    """The relative difference of a 30-digit value and the compiled function at ``arguments`` (at 30 digits);
    AssertionError above 1e-25."""
    with mpmath.workdps(CHECK_DIGITS):
        computed = compiled(*arguments)
        gap = abs(mpmath.mpf(printed) - computed) / max(1, abs(computed))
    if not gap < mpmath.mpf(10) ** -25:
        raise AssertionError(
            f"{what} evaluates to {printed}, the compiled function to {computed} (relative difference {float(gap):.3g})"
        )
    return float(gap)


# ---------------------------------------------------------------------------
# Output formats.
# ---------------------------------------------------------------------------

# Backslash before ASCII punctuation is a Markdown escape: GitHub may strip it inside $...$ before the
# math is rendered. These commands say the same without one; a bare | (which would end a table cell) is \vert.
_MARKDOWN_MATH = (
    (r"\{", r"\lbrace"),
    (r"\}", r"\rbrace"),
    (r"\|", r"\Vert"),
    (r"\,", r"\thinspace"),
    (r"\;", r"\thickspace"),
    (r"\!", r"\negthinspace"),
    (r"\ ", r"~"),
    ("|", r"\vert"),
)


def markdown_math(tex: str) -> str:
    """LaTeX math that GitHub renders as written: no backslash before punctuation."""
    for old, new in _MARKDOWN_MATH:
        tex = re.sub(re.escape(old) + r"(?=[A-Za-z])", new.replace("\\", "\\\\") + " ", tex).replace(old, new)
    return tex


FORMATS = ("latex", "markdown", "python")


def render(name: str, expanded: bool = False, fmt: str = "latex") -> str:
    """The formula ``name`` as a LaTeX equation body (``fmt="latex"``), as a Markdown display-math
    block that GitHub renders as written (``fmt="markdown"``: no backslash before punctuation), or as
    a self-contained numpy function (``fmt="python"``); ``expanded`` gives the computational form
    instead of the display form."""
    if fmt == "python":
        return python_source(name).rstrip("\n")
    body = formula(name).latex() if expanded else display(name).latex()
    if fmt == "latex":
        return body
    if fmt == "markdown":
        return f"$$\n{markdown_math(body)}\n$$"
    raise ValueError(f"unknown format {fmt!r}; valid: {', '.join(FORMATS)}")


# The helpers a generated numpy function calls, in the plain form a reader can paste (the generated
# module's versions add fast paths that give the same numbers).
_PASTE_HELPERS = {
    "_gaussian_tail": '''def _gaussian_tail(x):
    """Q(x) = 1 - Phi(x), the standard normal tail, elementwise (no cancellation for large x)."""
    return scipy.special.ndtr(-numpy.asarray(x, dtype=float))
''',
    "_numpy_sum": '''def _numpy_sum(terms, weights):
    """sum_i weights_i terms_i over the last axis (the summation index); weights=None: all ones."""
    terms = numpy.asarray(terms, dtype=float)
    return (terms if weights is None else terms * weights).sum(axis=-1)
''',
}


def python_source(name: str) -> str:
    """Formula ``name``'s generated numpy function as a self-contained script: the imports and helpers it
    calls, and every constant written as the expression it stands for (``numpy.sqrt(2)``, not
    ``1.4142135623730951``). Pasted into a fresh interpreter it defines ``NAME_numpy``."""
    import numpy

    from derivations.printing import numpy_source

    entry = formula(name)
    body = numpy_source(name)
    roots = {
        node.base
        for node in sp.preorder_traversal(entry.rhs)
        if isinstance(node, sp.Pow) and abs(node.exp) == sp.S.Half and node.base.is_number and node.base.is_positive
    }
    for base in sorted(roots, key=sp.default_sort_key):
        # The generated module prints sqrt(constant) as its float64 value (numpy.sqrt's, correctly rounded).
        written = sp.pycode(base).replace("math.", "numpy.")
        body = body.replace(repr(float(numpy.sqrt(float(base)))), f"numpy.sqrt({written})")
    helpers = [text for helper, text in _PASTE_HELPERS.items() if helper + "(" in body]
    imports = ["import numpy"] + (["import scipy.special"] if "scipy." in body + "".join(helpers) else [])
    if re.search(r"\bAny\b", body):  # the generated module types every argument and result as Any
        imports.insert(0, "from typing import Any\n")
    return "\n\n\n".join(part.strip("\n") for part in ["\n".join(imports), *helpers, body]) + "\n"


# ---------------------------------------------------------------------------
# Read back: the printed LaTeX, parsed by sympy, against the compiled function.
# ---------------------------------------------------------------------------


class CannotParse(ValueError):
    """sympy's LaTeX parser cannot read a printed formula back with its meaning (the message says why)."""


def _parse(text: str) -> sp.Expr:
    try:
        from sympy.parsing.latex import parse_latex
    except ImportError:  # pragma: no cover - the test extra installs it
        raise CannotParse("sympy's LaTeX parser needs antlr4-python3-runtime 4.11") from None
    try:
        return parse_latex(text)
    except Exception:  # the parser raises its own LaTeXParsingError and antlr's errors
        if r"\in D" in text or r"\notin D" in text:
            raise CannotParse("the parser has no sums over an index set") from None
        raise CannotParse("the parser rejects its syntax") from None


def check_parsed(name: str, points: int = 3) -> float:
    """Parse the printed display form of ``name`` (its right-hand side, exactly as ``dctheory latex NAME``
    prints it) with sympy's LaTeX parser and evaluate it at ``points`` random admissible points against the
    compiled mpmath function at 30 digits. Returns the largest relative difference.

    Raises:
        CannotParse: the parser rejects the text, or reads it with another meaning (a sum over
            per-coordinate symbols, a named piece such as a_i or eta_i(t) as a plain symbol).
        AssertionError: the parsed expression evaluates to another number.
    """
    entry, shown = formula(name), display(name)
    text = shown.latex().split(" = ", 1)[1]
    parsed = _parse(text)
    if r"\mathbb{E}" in text:
        raise CannotParse(r"the parser has no expectation over a law (it reads $\mathbb{E}$ as a product)")
    if parsed.has(sp.Sum) or any(isinstance(arg, sp.IndexedBase) for arg in entry.args):
        raise CannotParse(
            r"the parser reads a per-coordinate symbol such as $\lambda_i$ as one number, so a sum "
            "has no value"
        )
    meaning = {sp.Symbol("pi"): sp.pi}
    for arg in entry.args:
        meaning[_parse(to_latex(arg))] = arg
    by_name = {str(parsed_arg): arg for parsed_arg, arg in meaning.items()}
    # The named pieces a reader knows from their definitions (a_i, a(Lambda), eta_i(t)), and the parser's
    # reading of "r_j \left(...\right)" as a call of r_j: a product, as written.
    shrinkage = dist.shrinkage_of(by_name.get("lambda_{i}", lam_i))
    pieces = {sp.Symbol("a_{i}"): shrinkage}
    functions: dict[str, Callable[..., sp.Expr]] = {
        "Q": Q,
        "phi": normal_pdf,
        "a": dist.shrinkage_of,
        "a_{i}": lambda *factors: sp.Mul(shrinkage, *factors),
        "eta_{i}": lambda x: keep(x, by_name.get("mu_{i}", mu), by_name.get("varsigma_{i}", sd)).definition(),
    }

    def call(node: sp.Basic) -> sp.Expr:
        name = str(node.func)
        if name in by_name:
            return sp.Mul(by_name[name], *node.args)
        return functions[name](*node.args)

    parsed = parsed.replace(
        lambda node: (
            isinstance(node, sp.core.function.AppliedUndef)
            and (str(node.func) in functions or str(node.func) in by_name)
        ),
        call,
    )
    parsed = parsed.xreplace(pieces).xreplace(meaning)
    unknown = parsed.free_symbols - set(entry.args)
    if sp.Symbol("top") in unknown:
        raise CannotParse(r"the parser reads $\zeta^\top$ as a power of $\zeta$")
    if unknown or parsed.atoms(sp.core.function.AppliedUndef):
        unread = sorted(sp.latex(s) for s in unknown | parsed.atoms(sp.core.function.AppliedUndef))
        raise CannotParse(
            "the parser reads "
            + ", ".join(f"${piece}$" for piece in unread)
            + " as plain symbols without their definitions"
        )
    parsed = parsed.replace(Q, lambda u: sp.erfc(u / sp.sqrt(2)) / 2)
    rng = random.Random("parsed " + name)
    worst = 0.0
    for _ in range(points):
        values = {arg: _value(arg, rng) for arg in entry.args}
        printed = sp.N(parsed.xreplace({s: sp.Float(v, CHECK_DIGITS + 10) for s, v in values.items()}), CHECK_DIGITS)
        worst = max(worst, _agreement(f"the printed LaTeX of {name}, parsed,", printed, entry.mpmath, values.values()))
    return worst
