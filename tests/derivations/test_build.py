"""Ahead-of-time compilation: the generated module is current, equals the lambdify compilation it
replaced, and is all that dctheory needs (no sympy at run time). Also the registry's contracts."""

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import gmpy2
import mpmath
import numpy as np
import pytest
import sympy as sp

import derivations
from dctheory import _formulas
from dctheory._compiled import compiled
from dctheory.cli import main
from dctheory.errors import ConfigError
from derivations import UnknownFormula, formula, names
from derivations.asymptotic import to_asymptotic
from derivations.build import GENERATED, module_source
from derivations.printing import numpy_source
from derivations.symbols import B, K, Lam, k, kappa, p, sigma, xi
from tests.derivations.lambdified import lambdified

ROOT = Path(__file__).resolve().parents[2]


def test_generated_module_equals_a_fresh_build_byte_for_byte():
    assert GENERATED == ROOT / "dctheory" / "_formulas.py"
    assert GENERATED.read_text() == module_source(), "stale: run `python -m derivations.build`"
    assert GENERATED.read_text().startswith("# generated from derivations/, do not edit")


def test_generated_module_holds_every_registered_formula_and_its_metadata():
    assert list(_formulas.FORMULAS) == names()
    for name in names():
        entry, f = _formulas.FORMULAS[name], formula(name)
        assert (entry["title"], entry["reference"], entry["arg_names"]) == (f.title, f.reference, f.arg_names)
        assert set(entry["functions"]) | set(entry["unavailable"]) == {"numpy", "mpmath", "gmpy2", "arb", "math"}


def _draw(rng, name, size):
    # Inside every formula's domain: n large enough for the least-squares forms, kappa > 1.
    low, high = {"n": (10.0, 20.0), "kappa": (1.5, 3.0), "m": (2.0, 4.0), "q": (0.05, 0.3)}.get(name, (0.2, 0.9))
    return rng.uniform(low, high, size)


def _cases():
    return [(name, backend) for name in names() for backend in _formulas.FORMULAS[name]["functions"]]


@pytest.mark.parametrize("name, backend", _cases())
def test_exactness_generated_function_equals_the_lambdify_compilation(name, backend):
    # The generated code and sympy.lambdify print the same expression trees with the same printers, so the
    # results agree bit for bit; 1e-15 relative is the contract (a change of term order may move the last bit).
    entry = _formulas.FORMULAS[name]
    generated, reference = entry["functions"][backend], lambdified(formula(name), backend)
    rng = np.random.default_rng(sum(map(ord, name + backend)))
    for trial in range(4):
        weighted = trial % 2 == 1
        if backend == "numpy":
            # rows (3,) of scalars against (3, 6) coordinates: the trailing axis is the summation index
            args = [
                _draw(rng, a, (3, 6)) if idx else _draw(rng, a, 3)
                for a, idx in zip(entry["arg_names"], entry["indexed"])
            ]
            weights = rng.uniform(0, 2, 6) * (rng.uniform(size=6) > 0.3) if weighted else None
            got, want = generated(*args, weights=weights), reference(*args, weights=weights)
            np.testing.assert_allclose(got, want, rtol=1e-15, atol=0)
            continue
        if backend == "math":
            # Python floats; the generated Gaussian tail is math's erf and erfc by ndtr's formula, the
            # reference's ndtr itself: a few ulps apart, so 1e-14 relative (and 1e-300 absolute for tails
            # of 0)
            args = [
                [float(x) for x in _draw(rng, a, 6)] if idx else float(_draw(rng, a, 1)[0])
                for a, idx in zip(entry["arg_names"], entry["indexed"])
            ]
            weights = [float(w) for w in rng.uniform(0, 2, 6) * (rng.uniform(size=6) > 0.3)] if weighted else None
            got, want = generated(*args, weights=weights), reference(*args, weights=weights)
            assert isinstance(got, float)
            assert got == pytest.approx(want, rel=1e-14, abs=1e-300)
            continue
        number = {"mpmath": mpmath.mpf, "gmpy2": gmpy2.mpfr, "arb": None}[backend]
        if backend == "arb":
            import flint

            number = flint.arb
        args = [
            [number(x) for x in _draw(rng, a, 6)] if idx else number(_draw(rng, a, 1)[0])
            for a, idx in zip(entry["arg_names"], entry["indexed"])
        ]
        weights = [float(w) for w in rng.uniform(0, 2, 6) * (rng.uniform(size=6) > 0.3)] if weighted else None
        with mpmath.workdps(30), gmpy2.context(gmpy2.get_context(), precision=100):
            got, want = generated(*args, weights=weights), reference(*args, weights=weights)
            if backend == "arb":
                # Two enclosures of one value (the generated code shares Gaussian tails, Q(-x) = 1 - Q(x), and
                # holds its constants as balls): they overlap, and both are accurate to most of flint's 53 bits.
                assert got.overlaps(want) and got.rel_accuracy_bits() > 40 and want.rel_accuracy_bits() > 40
            else:
                assert abs(mpmath.mpf(got) - mpmath.mpf(want)) <= mpmath.mpf("1e-28") * abs(mpmath.mpf(want))


def test_exactness_generated_numpy_against_sympy_evalf_at_30_digits():
    # Independent of any compiler: the tau^2 formula (sums over coordinates, weights) against sympy at 30 digits.
    f = formula("tau2")
    xi_, n_, ridge_, sigma_D_ = 0.8, 7.0, 0.1, 0.3
    lam_, b_, w_ = np.array([2.0, 0.5, 1.25]), np.array([1.0, -0.75, 0.5]), np.array([1.0, 2.0, 0.0])
    plain = f.rhs.subs(dict(zip(f.args[:4], (xi_, n_, ridge_, sigma_D_))))
    index = next(iter(f.rhs.atoms(sp.Sum))).limits[0][0]
    lam_base, b_base = f.args[4:]
    weighted = plain.replace(
        lambda e: isinstance(e, sp.Sum),
        lambda s: sp.Add(
            *[w * s.function.subs({lam_base[index]: lam_base[j], b_base[index]: b_base[j]}) for j, w in enumerate(w_)]
        ),
    )
    exact = weighted.subs({lam_base[j]: lam_[j] for j in range(3)} | {b_base[j]: b_[j] for j in range(3)})
    value = compiled("tau2")(xi_, n_, ridge_, sigma_D_, lam_, b_, weights=w_)
    assert value == pytest.approx(float(sp.N(exact, 30)), rel=1e-15)


def test_numpy_source_is_the_generated_function_and_the_cli_prints_it(capsys):
    text = GENERATED.read_text()
    for name in names():
        source = numpy_source(name)
        assert source.startswith(f"def {name}_numpy(") and source in text
    # The CLI prints it as a script that runs as pasted: the imports and helpers it calls, then the function
    # (its constants written as expressions; tests/derivations/test_display.py runs it against the API).
    assert main(["latex", "thresholded_risk", "--format", "python"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("from typing import Any\n\nimport numpy\nimport scipy.special\n")
    assert "def _gaussian_tail(x):" in out
    assert out.endswith(
        numpy_source("thresholded_risk")
        .replace("1.7724538509055159", "numpy.sqrt(numpy.pi)")
        .replace("1.4142135623730951", "numpy.sqrt(2)")
    )


def test_contract_unknown_formula_is_a_lookup_error_in_derivations_and_a_config_error_in_dctheory(capsys):
    with pytest.raises(UnknownFormula, match=r"no_such_formula.*known: shrinkage") as error:
        formula("no_such_formula")
    assert isinstance(error.value, LookupError)
    with pytest.raises(ConfigError, match="no_such_formula"):
        compiled("no_such_formula")
    with pytest.raises(ValueError, match="backend"):
        compiled("tau2", "float32")
    with pytest.raises(ValueError, match="not exact in binary"):
        compiled("keep_probability", "gmpy2")
    with pytest.raises(TypeError, match=r"no exact arb form|no ball-arithmetic"):
        compiled("relu_covariance", "arb")
    assert main(["latex", "no_such_formula"]) == 2
    assert "unknown formula 'no_such_formula'" in capsys.readouterr().err


def _imports(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            modules.add(node.module)
            modules |= {f"{node.module}.{a.name}" for a in node.names}
    return modules


def test_contract_registry_is_a_leaf_and_derivations_never_import_dctheory():
    package = Path(derivations.__file__).parent
    formula_modules = {"distributional", "thresholded", "pruning", "rank_one", "random_features", "asymptotic"}
    registry = _imports(package / "registry.py")
    assert not {f"derivations.{m}" for m in formula_modules} & registry
    assert {m for m in registry if m.startswith("derivations")} <= {"derivations.build", "derivations.build.evaluator"}
    for source in package.glob("*.py"):
        assert not any(m.split(".")[0] == "dctheory" for m in _imports(source)), source.name


def test_exactness_asymptotic_formulas_are_the_finite_ones_in_the_limit():
    # Def. 3 as docs/theory.md writes it (stable denominator), typed by hand: the substitution gives the
    # same expression tree, hence the same generated code.
    def expectation(expr):
        return sp.Sum(p[k] * expr, (k, 1, K))

    a = xi * Lam[k] / (1 + xi * Lam[k])
    assert formula("asymptotic_xi_equation").rhs == expectation(a) - 1 / kappa
    stated = (sigma**2 + expectation(Lam[k] * B[k] ** 2 / (1 + xi * Lam[k]) ** 2)) / (
        kappa * expectation(sp.factor(a * (1 - a)))
    )
    assert formula("asymptotic_tau2").rhs == stated == to_asymptotic(formula("tau2").rhs)


SCRIPT = textwrap.dedent("""
    import json, sys
    import numpy as np
    import dctheory as dc

    problem = dc.LGP(eigenvalues=dc.spiked(60, 10, 5.0), beta=np.ones(60), sigma=0.5)
    dc.predict(problem, n=30, m=50, s=20)
    dc.predict(problem, n=30, m=50, s=20, dps=20)
    dc.risk_curve(problem, n=30, s=20)
    dc.advise(problem, n=30, s=20, ridges=[0.0, 0.1], m_points=20)
    dc.AsymptoticDC(dc.Distribution.marchenko_pastur(0.5), 1.0, kappa=2.0, sigma=0.5).predict(0.2)
    print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in ("sympy", "derivations"))))
""")


def test_contract_dctheory_runs_without_importing_sympy():
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
    timing = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import dctheory"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "dctheory._formulas" in timing.stderr
    assert "sympy" not in timing.stderr.lower()


def test_contract_a_built_in_command_starts_without_plugins_plotting_or_sympy(tmp_path):
    config = tmp_path / "fig7b.json"
    config.write_text(
        '{"n": 150, "sigma": 0, "s": 120, "m": 500, "covariance": {"spiked": {"P": 500, "k": 60, '
        '"C": 10}}, "beta": {"constant": 1}}'
    )
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "dctheory", "predict", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "hessian" in result.stdout
    imported = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in result.stderr.splitlines()}
    assert not imported & {"sympy", "derivations", "validation", "matplotlib"}


def test_contract_a_formula_with_a_symbol_outside_its_arguments_does_not_build():
    from derivations.build import compile_formula
    from derivations.registry import Formula
    from derivations.symbols import i, lam, m, n

    stray = Formula(
        "stray", "a sum that uses n without taking it", "none", sp.Symbol("S"), sp.Sum(lam[i] / n, (i, 1, m)), (lam,)
    )
    with pytest.raises(ValueError, match=r"stray: \['n'\] is not one of its arguments \('lambda',\)"):
        compile_formula(stray)
