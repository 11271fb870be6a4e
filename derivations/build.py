"""Ahead-of-time compilation: every registered formula printed into one generated module.

Run from the repository root::

    python -m derivations.build            # rewrite dctheory/_formulas.py
    python -m derivations.build --check    # exit 1 if the committed module differs from a fresh build

Each formula is printed by subclasses of sympy's own code printers (in :mod:`derivations.printing`),
one per backend of :func:`dctheory._compiled.compiled`:

* ``numpy`` (:class:`NumpyFormulaPrinter`, a ``NumPyPrinter``): float64, broadcasting;
* ``mpmath`` (:class:`MpmathFormulaPrinter`, an ``MpmathPrinter``): the caller's ``mpmath.mp`` precision;
* ``gmpy2`` (:class:`Gmpy2FormulaPrinter`): MPFR at the caller's ``gmpy2`` context, for formulas
  whose constants are exact in binary;
* ``arb`` (:class:`ArbFormulaPrinter`): python-flint balls, for formulas built from arithmetic,
  integer constants and ``sqrt``;
* ``math`` (:class:`MathFormulaPrinter`): Python floats and the ``math`` module, one coordinate at a
  time (the scalar route of a prediction with a few atoms, :mod:`dctheory.scalar`).

A finite sum ``Sum(summand, (i, 1, m))`` over indexed symbols (``lambda[i]``)
prints as a weighted reduction (each printer's ``_print_Sum``): the summand is
evaluated per coordinate, multiplied by the optional ``weights`` (multiplicities,
masks or the probabilities of a discrete law) and summed. numpy evaluates it on
arrays whose last axis is the index (scalar arguments gain a trailing axis);
the scalar backends loop over the coordinates and sum exactly (``mpmath.fsum``,
``gmpy2.fsum``) or rigorously (ball additions), skipping zero weights. numpy
summands that call the same special function twice, and mpmath summands and
pointwise formulas that repeat a special function or a constant such as sqrt(pi),
are printed after common-subexpression elimination (``sympy.cse``), so that each
Gaussian tail and density is evaluated once per coordinate. mpmath Gaussian tails
go through Arb's erfc where python-flint is installed (``_mpmath_gaussian_tail``).

A joint (:class:`derivations.registry.Joint`) is printed after the formulas: one numpy and one math function
that returns the values of pointwise formulas of the same arguments, each shared Gaussian tail or
exponential evaluated once (``JOINTS``, read through ``dctheory._compiled.joint``).

The generated module imports numpy, scipy.special, mpmath and gmpy2 only
(python-flint, an optional extra, is imported by the ball functions when
called), so that ``import dctheory`` never imports sympy.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derivations.printing import (
    BACKENDS,
    JOINT_BACKENDS,
    function_name,
    function_source,
    joint_plan,
    joint_source,
    plan,
    unavailable,
)
from derivations.registry import Evaluator, Formula, formula, joints, names

GENERATED = Path(__file__).resolve().parent.parent / "dctheory" / "_formulas.py"
COMMAND = "python -m derivations.build"

# The run-time helpers the printed functions call (by these names), defined once in dctheory/formula_runtime.py.
RUNTIME = GENERATED.parent / "formula_runtime.py"
RUNTIME_NAMES = (
    "gaussian_tail",
    "numpy_sum",
    "mpmath_gaussian_tail",
    "mpmath_weights",
    "gmpy2_sum",
    "arb_weights",
    "arb_sqrt",
    "arb_power",
    "math_gaussian_tail",
    "math_weights",
    "arb_gaussian_tail",
)

_HEADER = '''# generated from derivations/, do not edit (regenerate with `{COMMAND}`)
"""Every formula registered in ``derivations``, compiled ahead of time by ``derivations.build``.

For each formula NAME: ``NAME_numpy`` (float64, broadcasting), ``NAME_mpmath``
(the caller's ``mpmath.mp`` precision) and, where the formula allows it,
``NAME_gmpy2`` (MPFR), ``NAME_arb`` (python-flint balls) and ``NAME_math``
(Python floats, one coordinate at a time). Indexed arguments
are arrays (numpy: the last axis) or sequences over the summation index; the
keyword ``weights`` multiplies every summand before the reduction.
``FORMULAS[NAME]`` holds the metadata, the functions and, for each backend that
the formula has no function for, the reason. Read it through
``dctheory._compiled.compiled(name, backend)``.

Every argument and result is typed ``Any``: one formula's functions take and return numpy arrays,
mpmath numbers, MPFR numbers, Arb balls or Python floats, one kind per backend.
"""

import math
from typing import Any

import gmpy2
import mpmath
import numpy
import scipy.special

from dctheory.formula_runtime import (
{RUNTIME_IMPORTS}
)
'''.format(COMMAND=COMMAND, RUNTIME_IMPORTS="\n".join(f"    {name} as _{name}," for name in RUNTIME_NAMES))


# ---------------------------------------------------------------------------
# The module
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Compiled:
    """The generated sources of one formula: ``sources[backend]`` or ``reasons[backend]`` (why none)."""

    formula: Formula
    sources: dict[str, str]
    reasons: dict[str, tuple[str, str]]


def compile_formula(f: Formula) -> Compiled:
    p = plan(f)
    sources: dict[str, str] = {}
    reasons: dict[str, tuple[str, str]] = {}
    for backend in BACKENDS:
        reason = unavailable(f, p, backend)
        if reason is None:
            sources[backend] = function_source(f, backend, p)
        else:
            reasons[backend] = reason
    return Compiled(f, sources, reasons)


def module_source(formulas: Iterable[Formula] | None = None) -> str:
    """The text of the generated module for ``formulas`` (default: every registered formula)."""
    entries = [compile_formula(f) for f in (formulas if formulas is not None else [formula(n) for n in names()])]
    parts = [_HEADER]
    for entry in entries:
        f = entry.formula
        parts.append(f"\n\n# -- {f.name}: {f.title}\n")
        parts += ["\n\n" + source for source in entry.sources.values()]
    parts.append("\n\nFORMULAS: dict[str, dict[str, Any]] = {\n")
    for entry in entries:
        f = entry.formula
        p = plan(f)
        parts.append(f"    {f.name!r}: {{\n")
        for key, value in (
            ("title", f.title),
            ("reference", f.reference),
            ("assumptions", f.assumptions),
            ("arg_names", f.arg_names),
            ("indexed", p.indexed),
        ):
            parts.append(f"        {key!r}: {value!r},\n")
        parts.append(
            "        'functions': {" + ", ".join(f"{b!r}: {function_name(f.name, b)}" for b in entry.sources) + "},\n"
        )
        parts.append(
            "        'unavailable': {" + ", ".join(f"{b!r}: {reason!r}" for b, reason in entry.reasons.items()) + "},\n"
        )
        parts.append("    },\n")
    parts.append("}\n")
    if formulas is None:
        parts.append(_joints_source())
    return "".join(parts)


def _joints_source() -> str:
    """The joint functions (:class:`derivations.registry.Joint`) and their ``JOINTS`` table."""
    parts = []
    for j in joints():
        parts.append(f"\n\n# -- {j.name} (joint): {j.title}\n")
        parts += ["\n\n" + joint_source(j, backend) for backend in JOINT_BACKENDS]
    parts.append("\n\nJOINTS: dict[str, dict[str, Any]] = {\n")
    for j in joints():
        parts.append(f"    {j.name!r}: {{\n")
        parts.append(f"        'title': {j.title!r},\n")
        parts.append(f"        'members': {j.members!r},\n")
        parts.append(f"        'arg_names': {tuple(str(s) for s in joint_plan(j).scalars)!r},\n")
        parts.append(
            "        'functions': {" + ", ".join(f"{b!r}: {function_name(j.name, b)}" for b in JOINT_BACKENDS) + "},\n"
        )
        parts.append("    },\n")
    parts.append("}\n")
    return "".join(parts)


@functools.cache
def _runtime_namespace() -> dict[str, Any]:
    """The namespace the generated module's functions run in: numpy, scipy.special, mpmath, gmpy2 and the
    run-time helpers under their printed names, loaded from dctheory/formula_runtime.py as a standalone
    module (importing the ``dctheory`` package would import the generated module that is being built)."""
    import importlib.util
    import math

    import gmpy2
    import mpmath
    import numpy
    import scipy.special

    spec = importlib.util.spec_from_file_location("dctheory_formula_runtime", RUNTIME)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load the formula run-time helpers from {RUNTIME}")
    runtime = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(runtime)
    namespace = {"gmpy2": gmpy2, "math": math, "mpmath": mpmath, "numpy": numpy, "scipy": scipy}
    namespace.update({f"_{name}": getattr(runtime, name) for name in RUNTIME_NAMES})
    return namespace


def evaluator(f: Formula, backend: str) -> Evaluator:
    """Compile ``f``'s generated function for ``backend`` in memory (what the generated module holds)."""
    p = plan(f)
    reason = unavailable(f, p, backend)
    if reason is not None:
        raise {"ValueError": ValueError, "TypeError": TypeError}[reason[0]](reason[1])
    namespace = dict(_runtime_namespace())
    exec(compile(function_source(f, backend, p), f"<{f.name} {backend}>", "exec"), namespace)
    function: Evaluator = namespace[function_name(f.name, backend)]
    return function


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog=COMMAND,
        description=f"Print every registered formula into {GENERATED.relative_to(GENERATED.parent.parent)}.",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the committed module differs from a fresh build"
    )
    parser.add_argument("--output", type=Path, default=GENERATED, help="where to write (default: %(default)s)")
    args = parser.parse_args(argv)
    text = module_source()
    # What is displayed is what is computed: every display form, as printed (index sets included), against its
    # compiled function at 30 digits; a wrong range or sign fails the build here.
    from derivations.display import check_numerically

    for name in names():
        check_numerically(name)
    if args.check:
        current = args.output.read_text() if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is stale: run `{COMMAND}`", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date ({len(names())} formulas)")
        return 0
    args.output.write_text(text)
    print(f"wrote {len(names())} formulas to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
