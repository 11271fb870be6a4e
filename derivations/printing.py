"""sympy's code printers specialised for the registered formulas: a formula's plan (its sums taken out),
one printer per backend, which backends take which formula, and the source of one function.

Below :mod:`derivations.build` (which writes every function into the generated module) and
:mod:`derivations.display` (whose Python export prints one function as a script): both import this
module, which imports neither.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sympy as sp
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pycode import AbstractPythonCodePrinter, MpmathPrinter, PythonCodePrinter

from derivations.gaussian import Q
from derivations.registry import Formula, Joint, formula

BACKENDS = ("numpy", "mpmath", "gmpy2", "arb", "math")


# ---------------------------------------------------------------------------
# The plan of a formula: its sums taken out as placeholders.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    """A formula's right-hand side split for printing.

    ``outer`` is the rhs with each ``Sum`` replaced by a placeholder symbol
    ``_sum0, _sum1, ...``; ``sums`` pairs each placeholder with its summand, in
    which the indexed symbols ``base[i]`` are replaced by plain symbols named
    as their base; ``scalars`` are the plain symbols of all arguments, in order;
    ``indexed`` says which arguments are indexed.
    """

    outer: sp.Expr
    sums: tuple[tuple[sp.Symbol, sp.Expr], ...]
    scalars: tuple[sp.Symbol, ...]
    indexed: tuple[bool, ...]


def plan(f: Formula) -> Plan:
    plain = {a: sp.Symbol(str(a.label), **_assumptions_of(a)) for a in f.args if isinstance(a, sp.IndexedBase)}
    sums: list[tuple[sp.Symbol, sp.Expr]] = []
    replacements: dict[sp.Sum, sp.Symbol] = {}
    for node in sorted(f.rhs.atoms(sp.Sum), key=sp.default_sort_key):
        index = node.limits[0][0]
        summand = node.function
        for base, symbol in plain.items():
            summand = summand.subs(base[index], symbol)
        placeholder = sp.Symbol(f"_sum{len(sums)}")
        replacements[node] = placeholder
        sums.append((placeholder, summand))
    outer = f.rhs.xreplace(replacements)
    for base, symbol in plain.items():
        outer = outer.subs(base, symbol)
    scalars = tuple(plain.get(a, a) for a in f.args)
    indexed = tuple(isinstance(a, sp.IndexedBase) for a in f.args)
    # Everything printed must be an argument (or a sum's placeholder): a stray symbol would print as an
    # undefined name, a stray Indexed as a subscript of one.
    known = set(scalars) | {placeholder for placeholder, _ in sums}
    for part in (outer, *(summand for _, summand in sums)):
        stray = part.free_symbols - known
        if stray or part.atoms(sp.Sum, sp.Indexed):
            raise ValueError(
                f"formula {f.name}: {sorted(map(str, stray)) or 'a nested sum'} is not one of its "
                f"arguments {f.arg_names}"
            )
    return Plan(outer, tuple(sums), scalars, indexed)


def _assumptions_of(base: sp.IndexedBase) -> dict[str, bool]:
    return {k: v for k, v in base.assumptions0.items() if k in ("real", "positive", "nonnegative")}


_RESERVED = {"numpy", "scipy", "mpmath", "gmpy2", "flint", "weights", "math", "builtins"}


def identifiers(p: Plan) -> dict[sp.Symbol, str]:
    """Python identifiers for the argument symbols: the symbol's name with every non-identifier
    character replaced by ``_``, and ``_`` appended to keywords and to the module's own names."""
    taken: set[str] = set()
    out: dict[sp.Symbol, str] = {}
    for symbol in p.scalars:
        name = re.sub(r"\W", "_", str(symbol))
        if not name or not (name[0].isalpha()):
            name = "arg" + name
        while keyword.iskeyword(name) or name in _RESERVED or name in taken or re.fullmatch(r"x\d+", name):
            name += "_"
        taken.add(name)
        out[symbol] = name
    broadcast = {name + "_i" for symbol, name in out.items()}
    if broadcast & taken:
        raise ValueError(f"argument names {sorted(broadcast & taken)} clash with the names of scalars inside sums")
    return out


# ---------------------------------------------------------------------------
# Printers
# ---------------------------------------------------------------------------


class _FormulaPrinting(AbstractPythonCodePrinter):  # type: ignore[misc]  # sympy ships no type information
    """Mixin of the formula printers (placed before one of sympy's Python code printers): arguments print
    as their identifiers, ``Q`` as an accurate Gaussian tail, and ``Sum`` as the backend's weighted reduction."""

    if TYPE_CHECKING:  # the inherited members this module uses, with the types sympy gives them at run time
        language: str
        _not_supported: set[sp.Basic]

        def doprint(self, expr: sp.Basic, assign_to: Any = None) -> str: ...
        def _print(self, expr: sp.Basic, **kwargs: Any) -> str: ...
        def parenthesize(self, item: sp.Basic, level: int, strict: bool = False) -> str: ...
        def _hprint_Pow(self, expr: sp.Pow, rational: bool = False, sqrt: str = "math.sqrt") -> str: ...

    def __init__(self, names: dict[sp.Symbol, str], indexed: set[sp.Symbol], settings: dict[str, Any] | None = None):
        super().__init__(dict({"fully_qualified_modules": True, "inline": True}, **(settings or {})))
        self.names = names  # plain symbol -> identifier
        self.indexed = indexed  # the plain symbols of indexed arguments
        self.in_sum = False

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        if expr in self.names:
            return self._argument(expr, self.names[expr])
        text: str = super()._print_Symbol(expr)
        return text

    def _argument(self, symbol: sp.Symbol, name: str) -> str:
        return name

    def _reduction(self, body: str) -> str:
        """The backend's weighted sum over the index of ``body``, a summand printed per coordinate."""
        raise NotImplementedError

    def _print_Sum(self, expr: sp.Sum) -> str:
        if len(expr.limits) != 1:
            raise NotImplementedError(f"only single sums print: {expr}")
        saved, self.in_sum = self.in_sum, True
        try:
            body = self._print(expr.function)
        finally:
            self.in_sum = saved
        return self._reduction(body)

    def summand(self, expr: sp.Expr) -> str:
        """Print an expression evaluated per coordinate (inside a sum)."""
        saved, self.in_sum = self.in_sum, True
        try:
            return self.doprint(expr)
        finally:
            self.in_sum = saved

    def _negated(self, expr: sp.Expr) -> str:
        return "-" + self.parenthesize(expr, PRECEDENCE["Mul"])


def _constant_root(expr: sp.Pow) -> str | None:
    """The square root of a positive constant (sqrt(2), sqrt(pi)) as the float64 number that numpy.sqrt and
    math.sqrt return for it (correctly rounded, so the values are those of the call it replaces): no per-call
    scalar work, and the float64 backends share the constant. None for any other power."""
    if expr.exp == sp.S.Half and expr.base.is_number and expr.base.is_positive:
        import math

        return repr(math.sqrt(float(expr.base)))
    return None


class NumpyFormulaPrinter(_FormulaPrinting, NumPyPrinter):  # type: ignore[misc]  # sympy ships no type information
    """float64 numpy code: scalars inside a sum gain a trailing axis, indexed arrays are summed over their last."""

    def _argument(self, symbol: sp.Symbol, name: str) -> str:
        return f"{name}_i" if self.in_sum and symbol not in self.indexed else name

    def _reduction(self, body: str) -> str:
        return f"_numpy_sum({body}, weights)"

    def _print_Q(self, expr: Q) -> str:
        return f"_gaussian_tail({self._print(expr.args[0])})"

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        text: str = _constant_root(expr) or super()._print_Pow(expr, rational=rational)
        return text

    def _print_erfc(self, expr: sp.erfc) -> str:
        return f"scipy.special.erfc({self._print(expr.args[0])})"


class _LoopPrinting(_FormulaPrinting):
    """The scalar backends' printers: a sum is a loop over the index ``_i``, and indexed arguments are
    sequences read at it."""

    def _argument(self, symbol: sp.Symbol, name: str) -> str:
        return f"{name}[_i]" if self.in_sum and symbol in self.indexed else name


class MpmathFormulaPrinter(_LoopPrinting, MpmathPrinter):  # type: ignore[misc]  # sympy ships no type information
    """mpmath code: indexed arguments are sequences read at the loop index ``_i``."""

    def _reduction(self, body: str) -> str:
        return f"mpmath.fsum(_w[_i] * ({body}) for _i in range(_length) if _w[_i] != 0)"

    def _print_Q(self, expr: Q) -> str:
        return f"_mpmath_gaussian_tail({self._print(expr.args[0])})"


class Gmpy2FormulaPrinter(_LoopPrinting, PythonCodePrinter):  # type: ignore[misc]  # sympy ships no type information
    """gmpy2 (MPFR) code: sqrt, exp and log from gmpy2; dyadic constants print as exact Python numbers."""

    def _reduction(self, body: str) -> str:
        return f"_gmpy2_sum(lambda _i: {body}, _length, weights)"

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        return self._hprint_Pow(expr, rational=rational, sqrt="gmpy2.sqrt")

    def _print_exp(self, expr: sp.exp) -> str:
        return f"gmpy2.exp({self._print(expr.args[0])})"

    def _print_log(self, expr: sp.log) -> str:
        if len(expr.args) != 1:
            raise NotImplementedError("log with a base has no gmpy2 form here")
        return f"gmpy2.log({self._print(expr.args[0])})"


class ArbFormulaPrinter(_LoopPrinting, PythonCodePrinter):  # type: ignore[misc]  # sympy ships no type information
    """Ball arithmetic (python-flint ``arb``): rigorous additions, ``sqrt``, ``exp`` and Gaussian tails (Arb's
    erfc); rational constants and pi as balls (``flint.arb(1) / 2``, ``flint.arb.pi()``), never as binary
    floats, so that every printed number is enclosed; positive integer powers as products
    (``_arb_power``)."""

    def _reduction(self, body: str) -> str:
        return f"sum((_w[_i] * ({body}) for _i in range(_length) if _w[_i] != 0), flint.arb(0))"

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        # A positive integer power is a product: Arb's power of a ball that contains 0 is undefined (NaN),
        # the product of such a ball by itself is a ball around 0 (and costs half as much elsewhere).
        if expr.exp.is_Integer and expr.exp > 1:
            return f"_arb_power({self._print(expr.base)}, {expr.exp})"
        return self._hprint_Pow(expr, rational=rational, sqrt="_arb_sqrt")

    def _print_Rational(self, expr: sp.Rational) -> str:
        return str(expr.p) if expr.q == 1 else f"(flint.arb({expr.p})/{expr.q})"

    def _print_Half(self, expr: sp.Rational) -> str:
        return self._print_Rational(expr)

    def _print_Pi(self, expr: sp.Expr) -> str:
        return "flint.arb.pi()"

    def _print_exp(self, expr: sp.exp) -> str:
        return f"flint.arb({self._print(expr.args[0])}).exp()"

    def _print_Q(self, expr: Q) -> str:
        return f"_arb_gaussian_tail({self._print(expr.args[0])})"


class MathFormulaPrinter(_LoopPrinting, PythonCodePrinter):  # type: ignore[misc]  # sympy ships no type information
    """Plain-Python float code (the ``math`` module): one coordinate at a time, for the scalar route of a
    prediction with a few atoms, where a numpy call on a one-element array costs more than the arithmetic.
    A sum is a loop over the index in order (the additions of ``numpy_sum`` on a row of fewer than 8
    terms), zero weights skipped; ``Q`` is ``_math_gaussian_tail`` (``ndtr``'s formula)."""

    def _reduction(self, body: str) -> str:
        return f"sum([_w[_i] * ({body}) for _i in range(_length) if _w[_i] != 0])"

    def _print_Q(self, expr: Q) -> str:
        return f"_math_gaussian_tail({self._print(expr.args[0])})"

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        return _constant_root(expr) or self._hprint_Pow(expr, rational=rational, sqrt="math.sqrt")


_PRINTERS: dict[str, type[_FormulaPrinting]] = {
    "numpy": NumpyFormulaPrinter,
    "mpmath": MpmathFormulaPrinter,
    "gmpy2": Gmpy2FormulaPrinter,
    "arb": ArbFormulaPrinter,
    "math": MathFormulaPrinter,
}


# ---------------------------------------------------------------------------
# Which formulas each backend takes
# ---------------------------------------------------------------------------


def _binary_exact(expr: sp.Expr) -> bool:
    """True if every number in expr is an integer or a dyadic rational and no named constant appears."""
    for number in expr.atoms(sp.Number):
        if not (number.is_Integer or (number.is_Rational and (number.q & (number.q - 1)) == 0)):
            return False
    return not expr.atoms(sp.NumberSymbol) and not expr.atoms(Q)


def unavailable(f: Formula, p: Plan, backend: str) -> tuple[str, str] | None:
    """(exception class name, message) if ``backend`` cannot evaluate ``f`` exactly as written, else None."""
    parts = (p.outer, *(summand for _, summand in p.sums))
    if backend == "gmpy2" and not all(_binary_exact(e) for e in parts):
        return "ValueError", f"formula {f.name} has constants that are not exact in binary: no gmpy2 backend"
    if backend == "arb":
        # A constant other than a rational or pi would be printed as a binary float (an inexact input); a
        # function other than sqrt, exp and the Gaussian tail has no rigorous ball version here.
        for expr in parts:
            for atom in sorted(expr.atoms(sp.Number), key=sp.default_sort_key):
                if not atom.is_Rational:
                    return "TypeError", f"{f.name}: constant {atom} has no exact arb form"
            for constant in sorted(expr.atoms(sp.NumberSymbol), key=sp.default_sort_key):
                if constant is not sp.pi:
                    return "TypeError", f"{f.name}: constant {constant} has no exact arb form"
            for call in sorted(expr.atoms(sp.Function), key=sp.default_sort_key):
                if not isinstance(call, (sp.exp, Q)):
                    return "TypeError", f"{f.name}: {call.func} has no ball-arithmetic version here"
    return None


def _complement_tails(expr: sp.Expr) -> sp.Expr:
    """``expr`` with Q(-x) written 1 - Q(x) wherever Q(x) appears too, so that the pair costs one Gaussian tail.
    For balls only: there the identity is exact and the enclosure stays rigorous; in floating point, 1 - Q(x)
    would lose the relative accuracy of a small Q(-x)."""
    tails = expr.atoms(Q)
    pairs = {
        call: 1 - Q(-call.args[0])
        for call in tails
        if call.args[0].could_extract_minus_sign() and Q(-call.args[0]) in tails
    }
    return expr.xreplace(pairs) if pairs else expr


def _repeats_special_call(expr: sp.Expr, constants: bool = False) -> bool:
    """True if a Gaussian tail or an exponential (with ``constants``: also sqrt(2) or pi) appears twice."""
    kinds = (Q, sp.exp, sp.Pow, sp.NumberSymbol) if constants else (Q, sp.exp)
    calls = [
        node
        for node in sp.preorder_traversal(expr)
        if isinstance(node, kinds) and (not isinstance(node, sp.Pow) or node.base.is_Number)
    ]
    return len(calls) > len(set(calls))


# ---------------------------------------------------------------------------
# Source of one function
# ---------------------------------------------------------------------------


def function_name(name: str, backend: str) -> str:
    return f"{name}_{backend}"


def function_source(f: Formula, backend: str, p: Plan | None = None) -> str:
    """The source of ``f``'s function for ``backend`` (a ``def`` block, ending in a newline)."""
    p = p or plan(f)
    if not f.name.isidentifier():
        raise ValueError(f"formula name {f.name!r} is not a Python identifier")
    names = identifiers(p)
    indexed = {s for s, is_idx in zip(p.scalars, p.indexed) if is_idx}
    printer = _PRINTERS[backend](names, indexed)
    params = ", ".join(f"{names[s]}: Any" for s in p.scalars)
    lines = [
        f"def {function_name(f.name, backend)}({params}, /, *, weights: Any = None) -> Any:",
        f'    r"""{_docstring(f, backend)}"""',
    ]
    body = _numpy_body if backend == "numpy" else _scalar_body
    lines += ["    " + line for line in body(f, p, names, indexed, printer, backend)]
    text = "\n".join(lines) + "\n"
    compile(text, f"<{f.name} {backend}>", "exec")  # a title that breaks the docstring fails here, not on import
    return text


def _docstring(f: Formula, backend: str) -> str:
    text = f"{f.title} ({backend}; {f.reference}).\n\n    Arguments: {', '.join(f.arg_names)}."
    if f.assumptions:
        text += f"\n    Assumptions: {f.assumptions}."
    return text.replace('"""', "'''")


def _print(printer: _FormulaPrinting, expr: sp.Expr, summand: bool = False) -> str:
    text = printer.summand(expr) if summand else printer.doprint(expr)
    if printer._not_supported:
        raise TypeError(f"not printable for {printer.language}: {sorted(map(str, printer._not_supported))}")
    return text


def _numpy_body(
    f: Formula,
    p: Plan,
    names: dict[sp.Symbol, str],
    indexed: set[sp.Symbol],
    printer: _FormulaPrinting,
    backend: str,
) -> list[str]:
    lines = [f"{names[s]} = numpy.asarray({names[s]}, dtype=float)" for s in p.scalars]
    if p.sums:
        used = set().union(*(summand.free_symbols for _, summand in p.sums))
        lines += [f"{names[s]}_i = {names[s]}[..., None]" for s in p.scalars if s in used and s not in indexed]
    for placeholder, summand in p.sums:
        index = sp.Idx("i")
        if _repeats_special_call(summand):
            replacements, reduced = sp.cse(summand, list=False)
            lines += [f"{sym} = {_print(printer, e, summand=True)}" for sym, e in replacements]
        else:
            reduced = summand
        lines.append(f"{placeholder} = {_print(printer, sp.Sum(reduced, (index, 1, sp.Symbol('m'))))}")
    lines += _return(p.outer, printer, cse=_repeats_special_call(p.outer))
    return lines


def _return(expr: sp.Expr, printer: _FormulaPrinting, cse: bool = False) -> list[str]:
    lines: list[str] = []
    if cse:
        replacements, expr = sp.cse(expr, list=False)
        lines += [f"{sym} = {_print(printer, e)}" for sym, e in replacements]
    return [*lines, f"return {_print(printer, expr)}"]


def _scalar_body(
    f: Formula,
    p: Plan,
    names: dict[sp.Symbol, str],
    indexed: set[sp.Symbol],
    printer: _FormulaPrinting,
    backend: str,
) -> list[str]:
    lines: list[str] = []
    if backend in ("mpmath", "math") and not p.sums:
        # Pointwise formulas are called once per coordinate in hot loops: mpmath functions accept
        # ints, floats and mpf alike, so no conversion is needed (math: floats); a Gaussian density or
        # tail, or a constant such as sqrt(pi), that appears twice is evaluated once.
        return _return(p.outer, printer, cse=_repeats_special_call(p.outer, constants=True))
    if backend in ("mpmath", "arb"):
        number = "mpmath.mpf" if backend == "mpmath" else "flint.arb"
        if backend == "arb":
            lines.append('import flint  # the optional "certify" extra')
        for s, is_idx in zip(p.scalars, p.indexed):
            name = names[s]
            lines.append(f"{name} = [{number}(x) for x in {name}]" if is_idx else f"{name} = {number}({name})")
    if p.sums:
        first = next(names[s] for s, is_idx in zip(p.scalars, p.indexed) if is_idx)
        lines.append(f"_length = len({first})")
        if backend in ("mpmath", "arb", "math"):
            lines.append(f"_w = _{backend}_weights(weights, _length)")
    for index, (placeholder, summand) in enumerate(p.sums):
        if backend == "arb":
            summand = _complement_tails(summand)
        if backend in ("mpmath", "arb", "math") and _repeats_special_call(summand, constants=True):
            # One function per coordinate, after common-subexpression elimination: each Gaussian tail
            # and density (and each constant such as sqrt(pi)) is evaluated once per coordinate.
            replacements, reduced = sp.cse(summand, list=False)
            lines.append(f"def _term{index}(_i: int) -> Any:")
            lines += [f"    {sym} = {_print(printer, e, summand=True)}" for sym, e in replacements]
            lines.append(f"    return {_print(printer, reduced, summand=True)}")
            lines.append(f"{placeholder} = {printer._reduction(f'_term{index}(_i)')}")
            continue
        lines.append(f"{placeholder} = {_print(printer, sp.Sum(summand, (sp.Idx('i'), 1, sp.Symbol('m'))))}")
    if backend == "arb":
        outer = _complement_tails(p.outer)
        return lines + _return(outer, printer, cse=_repeats_special_call(outer, constants=True))
    return lines + _return(p.outer, printer)


#: the backends a joint is printed for (:class:`derivations.registry.Joint`)
JOINT_BACKENDS = ("numpy", "math")


def joint_plan(j: Joint) -> Plan:
    """The plan shared by a joint's members (``outer``: the Tuple of their expressions), checked: every member
    is pointwise (no sum) and takes the same arguments in the same order."""
    plans = [plan(formula(name)) for name in j.members]
    for name, p in zip(j.members, plans):
        if p.sums or p.scalars != plans[0].scalars:
            raise ValueError(
                f"joint {j.name}: {name} has a sum or other arguments than {j.members[0]} "
                f"({', '.join(map(str, p.scalars))} against {', '.join(map(str, plans[0].scalars))})"
            )
    return Plan(sp.Tuple(*(p.outer for p in plans)), (), plans[0].scalars, plans[0].indexed)


def joint_source(j: Joint, backend: str) -> str:
    """The source of joint ``j``'s function for ``backend`` (numpy or math), returning the members' values as a
    tuple in their order. Each Gaussian tail or exponential that more than one member calls is evaluated once,
    first; then each member is printed as its own function prints it (its own common-subexpression rule), on
    those values, so that the arithmetic, and every bit of the result, is the members'."""
    if backend not in JOINT_BACKENDS:
        raise ValueError(f"a joint prints for {JOINT_BACKENDS}, not {backend!r}")
    p = joint_plan(j)
    names = identifiers(p)
    printer = _PRINTERS[backend](names, set())
    params = ", ".join(f"{names[s]}: Any" for s in p.scalars)
    lines = [
        f"def {function_name(j.name, backend)}({params}, /) -> tuple[Any, ...]:",
        f'    r"""{j.title} ({backend}): the values of {", ".join(j.members)}, in this order."""',
    ]
    if backend == "numpy":
        lines += [f"    {names[s]} = numpy.asarray({names[s]}, dtype=float)" for s in p.scalars]
    members = list(p.outer.args)
    calls = [{node for node in sp.preorder_traversal(e) if isinstance(node, (Q, sp.exp))} for e in members]
    shared = sorted({c for c in set().union(*calls) if sum(c in mine for mine in calls) > 1}, key=sp.default_sort_key)
    hoisted = {call: sp.Symbol(f"_call{k}") for k, call in enumerate(shared)}
    lines += [f"    {hoisted[call]} = {_print(printer, call)}" for call in shared]
    values = []
    for k, expr in enumerate(members):
        expr = expr.xreplace(hoisted)
        repeats = _repeats_special_call(expr, constants=backend == "math")
        replacements, reduced = (
            sp.cse(expr, symbols=sp.numbered_symbols(f"_m{k}x"), list=False) if repeats else ([], expr)
        )
        lines += [f"    {sym} = {_print(printer, e)}" for sym, e in replacements]
        values.append(_print(printer, reduced))
    lines.append(f"    return ({', '.join(values)})")
    text = "\n".join(lines) + "\n"
    compile(text, f"<{j.name} {backend}>", "exec")
    return text


def numpy_source(name: str) -> str:
    """The exact source of formula ``name``'s numpy function in the generated module."""
    return function_source(formula(name), "numpy")
