"""Built-in sub-commands: ``predict``, ``latex`` and ``demo``."""

from __future__ import annotations

import json
from pathlib import Path

import mpmath
import numpy as np

from dctheory import config as configs
from dctheory.errors import ConfigError
from dctheory.plots import plot_advice, plot_curve
from dctheory.rank_one import rank_one
from dctheory.risks import STRATEGIES, predict, risk_curve
from dctheory.solvers import check_dps


def register(sub) -> None:
    p = sub.add_parser("predict", help="predict xi, tau^2 and the risk of every pruning strategy",
                       description=configs.__doc__, formatter_class=_raw())
    p.add_argument("config", help="JSON config file")
    p.add_argument("--dps", type=int, help="decimal digits (verified by a higher-precision re-solve)")
    p.add_argument("--json", action="store_true", help="print JSON (numbers as strings with --dps)")
    p.add_argument("--certify", action="store_true",
                   help="print xi, tau^2 and the dense risk as intervals [lo, hi] guaranteed to contain the exact "
                        "values (python-flint ball arithmetic, diagonal Sigma; --dps digits, default 30)")
    p.set_defaults(func=_predict)

    p = sub.add_parser("advise", help="should I train small or prune large? rank every route to s nonzeros",
                       description=configs.ADVISE_DOC, formatter_class=_raw())
    p.add_argument("config", help="JSON config file")
    p.add_argument("--json", action="store_true", help="print the ranking, verdict and tidy rows as JSON")
    p.add_argument("--plot", metavar="PATH", help="write a figure of risk vs m per strategy to PATH")
    p.set_defaults(func=_advise)

    p = sub.add_parser("latex", help="list the derived formulas, print one as LaTeX, or write the theory document",
                       description="Print a derived formula as a person writes it (its display form, proven equal "
                                   "to the computational form), or write docs/theory.md's content as a LaTeX "
                                   "document that compiles with pdflatex.")
    p.add_argument("name", nargs="?", help="a formula name (omit to list them)")
    p.add_argument("--expanded", action="store_true",
                   help="print the computational form (what is compiled) instead of the display form")
    p.add_argument("--format", default="latex", choices=("latex", "markdown", "python"),
                   help="latex: an equation body; markdown: a $$ block for GitHub and MathJax; python: the "
                        "formula's generated numpy function (default: latex)")
    p.add_argument("--all", metavar="PATH", help="write the theory with every formula as a LaTeX document to PATH")
    p.set_defaults(func=_latex)

    p = sub.add_parser("demo", help="the paper's Fig. 3(b)/7(b) setting: print the theory, write a figure")
    p.add_argument("--out", default="dctheory-out", help="output directory (default: dctheory-out)")
    p.set_defaults(func=_demo)


def _raw():
    import argparse

    return argparse.RawDescriptionHelpFormatter


# -- predict ------------------------------------------------------------------

def _format(value, dps):
    if value is None:
        return None
    if dps is not None:
        return mpmath.nstr(value, dps, strip_zeros=False)
    return float(value)


def _record(prediction, dps) -> dict:
    record = {"m": prediction.m, "regime": prediction.regime, "xi": _format(prediction.xi, dps),
              "tau2": _format(prediction.tau2, dps)}
    record.update({name: _format(prediction.risks[name], dps) for name in STRATEGIES})
    if prediction.method == "sampling":
        record["stderr"] = {name: prediction.stderr[name] for name in STRATEGIES}
    if prediction.notes:
        record["notes"] = prediction.notes
    return record


def _predict(args) -> int:
    dps = None if args.dps is None else check_dps(args.dps)
    parsed = configs.parse(configs.load(args.config))
    if parsed["kind"] == "rank_one":
        result = rank_one(parsed["zeta"], parsed["beta"], parsed["n"], parsed["sigma"], parsed["s"], dps=dps)
        record = {"model": "rank_one", "support": [int(i) for i in result.support], "rho": _format(result.rho, dps),
                  "optimal_risk": _format(result.optimal_risk, dps),
                  "pruned_excess": _format(result.pruned_excess, dps),
                  "retrained_excess": _format(result.retrained_excess, dps),
                  "dense_excess": _format(result.dense_excess, dps)}
        _emit(record, args.json)
        return 0
    problem, n, s, ridge, m = (parsed[k] for k in ("problem", "n", "s", "ridge", "m"))
    if args.certify:
        return _certify(problem, n, m, ridge, 30 if dps is None else dps, args.json)
    if m == "all":
        if dps is not None:
            raise ConfigError('--dps with m = "all" is not supported: evaluate single m values at high precision')
        curve = risk_curve(problem, n, s, ridge)
        records = []
        for index, mm in enumerate(curve.m):
            record = {"m": int(mm), "xi": _nan_none(curve.xi[index]), "tau2": _nan_none(curve.tau2[index])}
            record.update({name: _nan_none(curve.risks[name][index]) for name in STRATEGIES})
            records.append(record)
        if args.json:
            print(json.dumps({"undefined_m": curve.undefined, "notes": curve.notes, "curve": records}))
        else:
            _table(records, curve.undefined)
        return 0
    prediction = predict(problem, n, m, s, ridge, dps=dps, method=parsed["method"], samples=parsed["samples"],
                         rng=np.random.default_rng(parsed["seed"]))
    _emit(_record(prediction, dps), args.json)
    return 0


def _certify(problem, n, m, ridge, dps, as_json) -> int:
    """``predict --certify``: guaranteed enclosures (dctheory.certify, docs/theory.md#finite-size)."""
    from dctheory.certify import certify

    if m == "all":
        raise ConfigError('--certify with m = "all" is not supported: certify single m values')
    result = certify(problem, n, m, ridge, dps=dps)

    def bounds(interval):
        return None if interval is None else list(interval.bounds(dps))

    record = {"m": result.m, "regime": result.regime, "precision_bits": result.prec,
              "xi": bounds(result.xi), "tau2": bounds(result.tau2), "dense": bounds(result.dense)}
    if as_json:
        print(json.dumps(record))
        return 0
    for key, value in record.items():
        shown = "undefined" if value is None and key in ("xi", "tau2") else value
        if isinstance(value, list):
            shown = f"[{value[0]}, {value[1]}]"
        print(f"{key:<14}  {shown}")
    return 0


def _nan_none(x):
    return None if not np.isfinite(x) else float(x)


def _emit(record: dict, as_json: bool) -> None:
    if as_json:
        print(json.dumps(record))
        return
    width = max(len(k) for k in record)
    for key, value in record.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        print(f"{key:<{width}}  {value if value is not None else 'undefined'}")


def _table(records, undefined) -> None:
    columns = ["m", "xi", "tau2", *STRATEGIES]
    print("  ".join(f"{c:>12}" for c in columns))
    for record in records:
        print("  ".join(f"{'-' if record[c] is None else format(record[c], '12.6g'):>12}" for c in columns))
    if undefined:
        print(f"# undefined (ridgeless m in [n-1, n]): m = {', '.join(map(str, undefined))}")


# -- advise --------------------------------------------------------------------

def _advise(args) -> int:
    from dctheory.advise import advise

    parsed = configs.parse_advise(configs.load(args.config))
    result = advise(parsed["problem"], parsed["n"], parsed["s"], parsed["ridges"], m_points=parsed["m_points"],
                    samples=parsed["samples"], rng=np.random.default_rng(parsed["seed"]))
    if args.plot:
        plot_advice(result, args.plot)
    if args.json:
        print(json.dumps({"verdict": result.verdict, "ranking": result.ranking, "notes": result.notes,
                          "rows": result.rows}))
    else:
        print(f"P = {result.P}, n = {result.n}, s = {result.s}, ridges = {', '.join(f'{r:g}' for r in result.ridges)}\n")
        print(result.table())
        print("\n" + result.verdict)
        if args.plot:
            print(f"wrote {args.plot}")
    return 0


# -- latex ---------------------------------------------------------------------

def _latex(args) -> int:
    if args.name is None and not args.all:
        # The list reads the generated module: no derivation (and no sympy) needed.
        from dctheory import _compiled

        for name in _compiled.names():
            print(f"{name:<28} {_compiled.metadata(name)['title']}")
        return 0
    from derivations import UnknownFormula, names
    from derivations.display import render
    from derivations.document import latex_document

    if args.all:
        path = Path(args.all)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(latex_document())
        print(f"wrote {len(names())} formulas to {path} (compile with: pdflatex {path.name})")
        return 0
    try:
        print(render(args.name, expanded=args.expanded, fmt=args.format))
    except UnknownFormula as error:
        raise ConfigError(str(error)) from None
    return 0


# -- demo ----------------------------------------------------------------------

def _demo(args) -> int:
    """Fig. 3(b)/7(b) of the paper (docs/theory.md#claims): P = 500, n = 150, s = 120, spiked Sigma."""
    import dctheory as dc

    P, n, s, k, C = 500, 150, 120, 60, 10.0
    problem = dc.LGP(eigenvalues=dc.spiked(P, k, C), beta=np.ones(P), sigma=0.0)
    print(f"Spiked covariance (first {k} eigenvalues {C:g}, the rest 1), beta = 1, sigma = 0; "
          f"P = {P}, n = {n}, keep s = {s} weights.\n")
    curve = risk_curve(problem, n, s)
    print(f"Ridgeless risk of training on the first m features, then pruning to s = {s} (the figure):")
    print(f"{'m':>5} " + " ".join(f"{name:>19}" for name in STRATEGIES))
    for m in (60, 120, 140, 200, 300, 500):
        index = int(np.flatnonzero(curve.m == m)[0])
        print(f"{m:>5} " + " ".join(f"{curve.risks[name][index]:>19.1f}" for name in STRATEGIES))
    # "Best small model" as dctheory advise defines it: the first s features, best ridge of the grid.
    advice = dc.advise(problem, n, s, m_points="all")
    small, ridges = advice.best_small, ", ".join(f"{r:g}" for r in advice.ridges)
    print(f"\nBest small model (as `dctheory advise` defines it: train on the first s = {s} features, best ridge "
          f"of {ridges}): risk {small['risk']:.1f} at ridge {small['ridge']:g}.")
    print(f"Recommended by `dctheory advise` (every m and ridge): {advice.verdict}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / "demo-fig7b.png"
    plot_curve(curve, path, title=f"Theory, spiked $\\Sigma$ (P={P}, n={n}, s={s})")
    print(f"\nwrote {path}")
    return 0
