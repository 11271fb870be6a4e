"""Built-in sub-commands: ``predict``, ``latex`` and ``demo``."""

from __future__ import annotations

import contextlib
import json
import math
import sys
import threading
from collections.abc import Collection, Iterator, Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, SupportsFloat

import mpmath
import numpy as np

from dctheory import config as configs
from dctheory.checks import MAX_DPS, check_dps
from dctheory.errors import ConfigError
from dctheory.plots import plot_advice
from dctheory.problems import show
from dctheory.rank_one import rank_one
from dctheory.results import value_with_error
from dctheory.risks import STRATEGIES, predict, risk_curve

if TYPE_CHECKING:
    import argparse

    from dctheory.problems import LGP
    from dctheory.results import Prediction


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "predict",
        help="predict xi, tau^2 and the risk of every pruning strategy",
        description=configs.__doc__,
        formatter_class=_raw(),
    )
    p.add_argument("config", help="JSON config file")
    p.add_argument("--dps", type=int, help=f"decimal digits, 1 to {MAX_DPS} (verified by a higher-precision re-solve)")
    p.add_argument("--json", action="store_true", help="print JSON (numbers as strings with --dps)")
    p.add_argument(
        "--certify",
        action="store_true",
        help="print xi, tau^2 and the dense risk as intervals [lo, hi] guaranteed to contain the exact "
        "values (python-flint ball arithmetic, diagonal Sigma; --dps digits, default 30)",
    )
    p.set_defaults(func=_predict)

    p = sub.add_parser(
        "advise",
        help="should I train small or prune large? rank every route to s nonzeros",
        description=configs.ADVISE_DOC,
        formatter_class=_raw(),
    )
    p.add_argument("config", help="JSON config file")
    p.add_argument("--json", action="store_true", help="print the ranking, verdict and tidy rows as JSON")
    p.add_argument(
        "--plot",
        metavar="PATH",
        help="write a figure of risk vs m per strategy to PATH (.png, .pdf, .svg, ...; the folder must exist)",
    )
    p.add_argument("--force", action="store_true", help="replace an existing --plot file")
    p.set_defaults(func=_advise)

    p = sub.add_parser(
        "latex",
        help="list the derived formulas, print one as LaTeX, or write the theory document",
        description="Print a derived formula as a person writes it (its display form, proven equal "
        "to the computational form), or write docs/theory.md's content as a LaTeX "
        "document that compiles with pdflatex.",
    )
    p.add_argument("name", nargs="?", help="a formula name (omit to list them)")
    p.add_argument(
        "--expanded",
        action="store_true",
        help="print the computational form (what is compiled) instead of the display form",
    )
    p.add_argument(
        "--format",
        default="latex",
        choices=("latex", "markdown", "python"),
        help="latex: an equation body; markdown: a $$ block that GitHub renders as written; python: "
        "the formula's generated numpy function with its imports and helpers, runnable as "
        "pasted (default: latex)",
    )
    p.add_argument("--all", metavar="PATH", help="write the theory with every formula as a LaTeX document to PATH")
    p.add_argument("--force", action="store_true", help="replace an existing --all file")
    p.set_defaults(func=_latex)

    p = sub.add_parser(
        "demo", help="the paper's Fig. 3(b)/7(b) setting: print the theory and the decision, write its figure"
    )
    p.add_argument("--out", default="dctheory-out", help="output directory (default: dctheory-out)")
    p.add_argument("--force", action="store_true", help="replace an existing OUT/demo-fig7b.png")
    p.set_defaults(func=_demo)


def _raw() -> type[argparse.RawDescriptionHelpFormatter]:
    import argparse

    return argparse.RawDescriptionHelpFormatter


# -- predict ------------------------------------------------------------------

RISK_MEANING = (
    "risk: population risk E(y - x^T w)^2 on a fresh sample, noise included "
    "(dense: trained on m features; others: pruned to s weights; retrained: refit on them)"
)


def _format(value: object, dps: int | None) -> str | float | None:
    if value is None:
        return None
    if dps is not None:
        shown: str = mpmath.nstr(value, dps, strip_zeros=False)  # mpmath is untyped
        return shown
    return _real(value)


def _number(value: object) -> str:
    """A setting value as written: 150, 0.5, 1e-05 (never Decimal('0.5'))."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return show(value)


def _setting_lines(pairs: Sequence[tuple[str, object]]) -> list[str]:
    width = max(len(k) for k, _ in pairs)
    return [f"{key:<{width}}  {value}" for key, value in pairs]


def _with_error(value: float, se: float) -> str:
    """``value +- se`` with the value rounded to the standard error's second significant digit
    (:func:`dctheory.results.value_with_error`, in ASCII; a value without error prints in full)."""
    return value_with_error(value, se, sign="+-", plain=_plain)


def _plain(value: object) -> str:
    if value is None:
        return "undefined"
    if isinstance(value, str):
        return value
    if not math.isfinite(_real(value)):
        return f"undefined ({value} in float64)"
    return repr(_real(value))


def _real(value: object) -> float:
    """``float(value)`` for a value the type system knows only as an object (a risk: float, numpy or mpmath)."""
    if not isinstance(value, SupportsFloat):
        raise TypeError(f"{type(value).__name__} {value!r} is not a real number")
    return float(value)


def _record(prediction: Prediction, dps: int | None) -> dict[str, object]:
    record: dict[str, object] = {
        "m": prediction.m,
        "regime": prediction.regime,
        "xi": _format(prediction.xi, dps),
        "tau2": _format(prediction.tau2, dps),
    }
    record.update({name: _format(prediction.risks[name], dps) for name in STRATEGIES})
    if prediction.method == "sampling" or prediction.finite_size:
        record["stderr"] = {name: prediction.stderr[name] for name in STRATEGIES}
    if prediction.notes:
        record["notes"] = prediction.notes
    if prediction.interpolation:
        record["interpolation"] = prediction.interpolation
    return record


def _setting(problem: LGP, n: float, m: object, s: int, ridge: float, regime: str) -> list[tuple[str, object]]:
    return [
        ("P", problem.P),
        ("n", show(n)),
        ("m", m),
        ("s", s),
        ("sigma", _number(problem.sigma)),
        ("ridge", _number(ridge)),
        ("regime", regime),
    ]


def _predict(args: argparse.Namespace) -> int:
    dps = None if args.dps is None else check_dps(args.dps)
    parsed = configs.parse(configs.load(args.config))
    if parsed["kind"] == "rank_one":
        return _predict_rank_one(parsed, dps, args.json)
    if parsed["kind"] == "asymptotic":
        if args.certify:
            raise ConfigError("--certify needs a finite diagonal problem, not a continuous law")
        return _predict_asymptotic(parsed, dps, args.json)
    if parsed["kind"] == "asymptotic_schedule":
        if args.certify:
            raise ConfigError("--certify needs a finite diagonal problem, not a continuous law")
        return _predict_law_schedule(parsed, dps, args.json)
    if parsed["kind"] == "schedule":
        if args.certify:
            raise ConfigError("--certify applies to one dense solution, not to a schedule")
        return _predict_schedule(parsed, dps, args.json)
    problem, n, s, ridge, m = (parsed[k] for k in ("problem", "n", "s", "ridge", "m"))
    if args.certify:
        return _certify(problem, n, m, s, ridge, 30 if dps is None else dps, args.json)
    if m == "all" or isinstance(m, list):
        if dps is not None:
            raise ConfigError(
                '--dps with a list of m or "all" is not supported: evaluate single m values at high precision'
            )
        if parsed["finite_size"] != "none":
            raise ConfigError(
                'finite_size = "fitted" with a list of m or "all" is not supported: it applies at m = P only'
            )
        curve = risk_curve(problem, n, s, ridge, m=None if m == "all" else m)
        records: list[dict[str, object]] = []
        for index, mm in enumerate(curve.m):
            record: dict[str, object] = {
                "m": int(mm),
                "xi": _nan_none(curve.xi[index]),
                "tau2": _nan_none(curve.tau2[index]),
            }
            record.update({name: _nan_none(curve.risks[name][index]) for name in STRATEGIES})
            if curve.interpolation[index]:
                record["interpolation"] = True
            records.append(record)
        if args.json:
            zone = {"interpolation": curve.interpolation_note} if curve.interpolation_note else {}
            _print_json({"undefined_m": curve.undefined, "notes": curve.notes, **zone, "curve": records})
        else:
            print(
                "\n".join(
                    _setting_lines(_setting(problem, n, m if m == "all" else ", ".join(map(str, m)), s, ridge, "per m"))
                )
            )
            print(f"\n# {RISK_MEANING}")
            _table(records, curve.undefined)
            for name, note in curve.notes.items():
                print(f"# {name}: {note}")
            if curve.interpolation_note:
                print(f"# interpolation: {curve.interpolation_note}")
        return 0
    method = parsed["method"]
    sampled = method == "sampling" or (method == "auto" and not problem.is_diagonal)
    notice = (
        f"dctheory predict: DC sampling ({parsed['samples']} samples, P = {problem.P}, m = {m}) "
        "is taking more than a second; the time grows with samples x m^2"
    )
    with _notice_after(1.0, notice if sampled else None):
        prediction = predict(
            problem,
            n,
            m,
            s,
            ridge,
            dps=dps,
            method=method,
            samples=parsed["samples"],
            rng=np.random.default_rng(parsed["seed"]),
            finite_size=parsed["finite_size"],
        )
    if args.json:
        record = {
            "P": problem.P,
            "n": n,
            "s": s,
            "sigma": problem.sigma,
            "ridge": ridge,
            "method": prediction.method,
            **_record(prediction, dps),
        }
        if prediction.finite_size:
            record["finite_size"] = prediction.finite_size
        _print_json(record)
        return 0
    lines = _setting_lines(_setting(problem, n, prediction.m, s, ridge, prediction.regime))
    how = {
        "closed": "closed form" + ("" if dps is None else f", {dps} verified digits"),
        "sampling": f"DC sampling, {parsed['samples']} samples (seed {parsed['seed']}); +- one standard error",
    }
    print("\n".join(lines))
    print(
        f"\n{RISK_MEANING}.\nMethod: {how[prediction.method]}"
        + (
            "; finite_size fitted: risks times the EMPIRICAL factor (1 + c/n), +- its standard error"
            if prediction.finite_size
            else ""
        )
        + "\n"
    )
    rows: list[tuple[str, object, float]] = [("xi", prediction.xi, 0.0), ("tau2", prediction.tau2, 0.0)]
    rows += [(name, prediction.risks[name], prediction.stderr.get(name) or 0.0) for name in STRATEGIES]
    width = max(len(name) for name, _, _ in rows)
    for name, value, se in rows:
        if value is None and name in ("xi", "tau2") and prediction.regime == "underparameterized":
            value = "none (least squares, m < n - 1: the dense risk is its exact mean)"
        if dps is not None and value is not None:
            shown = mpmath.nstr(value, dps, strip_zeros=False)
        else:
            shown = (
                _plain(value)
                if value is None or isinstance(value, str) or not se
                else _with_error(_real(value), float(se))
            )
        print(f"{name:<{width}}  {shown}")
    for name, note in prediction.notes.items():
        print(f"note ({name}): {note}")
    if prediction.interpolation:
        print(f"note (interpolation): {prediction.interpolation}")
    return 0


def _predict_schedule(parsed: Mapping[str, Any], dps: int | None, as_json: bool) -> int:
    """A config with a "schedule": the rounds (dctheory.predict_schedule) as JSON or a table."""
    from dctheory.schedule import predict_schedule

    problem, n, m, ridge, schedule = (parsed[k] for k in ("problem", "n", "m", "ridge", "schedule"))
    notice = (
        f"dctheory predict: pruning in rounds ({parsed['samples']} chains, P = {problem.P}, m = {m}) "
        "is taking more than a second; the time grows with samples x rounds"
    )
    with _notice_after(1.0, notice):
        result = predict_schedule(
            problem,
            n,
            m,
            schedule,
            parsed["strategy"],
            parsed["retrain"],
            ridge,
            samples=parsed["samples"],
            rng=np.random.default_rng(parsed["seed"]),
            dps=dps,
        )
    pairs = [
        ("P", problem.P),
        ("n", show(n)),
        ("m", m),
        ("schedule", " -> ".join(map(str, [m, *schedule]))),
        ("strategy", result.strategy),
        ("sigma", _number(problem.sigma)),
        ("ridge", _number(ridge)),
    ]
    return _show_schedule(result, pairs, {"sigma": problem.sigma}, parsed["seed"], dps, as_json)


def _predict_law_schedule(parsed: Mapping[str, Any], dps: int | None, as_json: bool) -> int:
    """A continuous-law config with a "schedule": the rounds of AsymptoticDC.predict_schedule (kept fractions)."""
    from dctheory.asymptotic import AsymptoticDC

    law = parsed["law"]
    model = AsymptoticDC(law, parsed["B"], kappa=parsed["kappa"], sigma=parsed["sigma"], dps=dps)
    result = model.predict_schedule(parsed["schedule"], parsed["strategy"], parsed["retrain"])
    pairs = [
        ("law", law.name),
        ("B", _number(parsed["B"])),
        ("kappa", _number(parsed["kappa"])),
        ("sigma", _number(parsed["sigma"])),
        ("schedule", " -> ".join(map(_number, [1, *parsed["schedule"]])) + " (kept fractions of P)"),
        ("strategy", result.strategy),
        ("regime", "asymptotic: P, n -> oo with P/n = kappa, trained on all P features"),
    ]
    known = {
        "model": "asymptotic",
        "law": law.name,
        "B": parsed["B"],
        "kappa": parsed["kappa"],
        "sigma": parsed["sigma"],
    }
    return _show_schedule(result, pairs, known, None, dps, as_json)


def _show_schedule(
    result: Any, pairs: list[tuple[str, Any]], known: dict[str, Any], seed: int | None, dps: int | None, as_json: bool
) -> int:
    """Print a ScheduleResult: JSON (its to_dict, the setting in ``known``) or the setting and a table of rounds."""
    schedule = [part["kept"] for part in result.to_dict()["rounds"]]
    if as_json:
        record = result.to_dict()
        record.update(
            known,
            final=_format(result.final, dps),
            one_shot_final=_format(result.one_shot_final, dps),
            relative_difference=result.relative_difference,
        )
        _print_json(record)
        return 0
    print("\n".join(_setting_lines(pairs)))
    sampled = f"; {result.samples} chains (seed {seed}), +- one standard error" if result.samples else ""
    digits = "" if dps is None else f", {dps} verified digits"
    print(
        "\nrisk: population risk E(y - x^T w)^2 on a fresh sample, noise included (pruned: the round's pruned "
        "model; retrained: refit on its kept support with a fresh sample; - : not retrained)."
        f"\nMethod: {result.method}{digits}{sampled}\n"
    )

    def cell(part: Mapping[str, Any], name: str) -> str:
        value, se = part[name], part.get(f"{name}_stderr")
        if value is None:
            return "-" if name == "retrained" else "undefined"
        if dps is not None:
            return str(_format(value, dps)) + (f" +- {se:.2g}" if se else "")
        return _with_error(_real(value), float(se)) if se else _plain(value)

    rows = [(label, str(part["kept"]), cell(part, "pruned"), cell(part, "retrained")) for label, part in result.items()]
    header = ("round", "kept", "pruned", "retrained")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        print("  ".join(f"{c:<{w}}" if i == 0 else f"{c:>{w}}" for i, (c, w) in enumerate(zip(row, widths))))
    difference = result.relative_difference
    if difference is not None:
        print(
            f"\nafter the last round: {_plain(result.final) if dps is None else _format(result.final, dps)} vs "
            f"{_plain(result.one_shot_final) if dps is None else _format(result.one_shot_final, dps)} for one-shot "
            f"pruning to {schedule[-1]} ({100 * abs(difference):.2f}% {'lower' if difference < 0 else 'higher'})"
        )
    for name, note in result.notes.items():
        print(f"note ({name}): {note}")
    return 0


def _predict_rank_one(parsed: Mapping[str, Any], dps: int | None, as_json: bool) -> int:
    result = rank_one(parsed["zeta"], parsed["beta"], parsed["n"], parsed["sigma"], parsed["s"], dps=dps)
    record = {
        "model": "rank_one",
        "support": [int(i) for i in result.support],
        "rho": _format(result.rho, dps),
        "optimal_risk": _format(result.optimal_risk, dps),
        "pruned_excess": _format(result.pruned_excess, dps),
        "retrained_excess": _format(result.retrained_excess, dps),
        "dense_excess": _format(result.dense_excess, dps),
    }
    if as_json:
        _print_json(record)
        return 0
    print(
        "\n".join(
            _setting_lines(
                [
                    ("model", "rank_one (Lemma 1)"),
                    ("P", len(parsed["zeta"])),
                    ("n", parsed["n"]),
                    ("s", parsed["s"]),
                    ("sigma", _number(parsed["sigma"])),
                ]
            )
        )
    )
    print("\nexcess = population risk minus the optimal risk sigma^2 of the true model\n")
    _emit({k: v for k, v in record.items() if k != "model"})
    return 0


def _predict_asymptotic(parsed: Mapping[str, Any], dps: int | None, as_json: bool) -> int:
    """A continuous-law config: the asymptotic DC (dctheory.AsymptoticDC, docs/theory.md#asymptotic)."""
    from dctheory.asymptotic import AsymptoticDC

    law = parsed["law"]
    model = AsymptoticDC(law, parsed["B"], kappa=parsed["kappa"], sigma=parsed["sigma"], dps=dps)
    prediction = model.predict(parsed["keep"])
    values = {"xi": prediction.xi, "tau2": prediction.tau2, **prediction.risks}
    if as_json:
        record: dict[str, object] = {
            "model": "asymptotic",
            "law": law.name,
            "B": parsed["B"],
            "kappa": parsed["kappa"],
            "sigma": parsed["sigma"],
            "keep": parsed["keep"],
            **{name: _format(value, dps) for name, value in values.items()},
            "error": {name: float(value) for name, value in prediction.error.items()},
            "level": prediction.level,
        }
        if prediction.notes:
            record["notes"] = prediction.notes
        _print_json(record)
        return 0
    print(
        "\n".join(
            _setting_lines(
                [
                    ("law", law.name),
                    ("B", _number(parsed["B"])),
                    ("kappa", _number(parsed["kappa"])),
                    ("sigma", _number(parsed["sigma"])),
                    ("keep", _number(parsed["keep"])),
                    ("regime", "asymptotic: P, n -> oo with P/n = kappa, trained on all P features, s = keep * P"),
                ]
            )
        )
    )
    print(
        f"\n{RISK_MEANING}.\nMethod: tanh-sinh quadrature"
        + (f" at level {prediction.level}" if prediction.level is not None else " (discrete law: exact sums)")
        + ("" if dps is None else f", {dps} verified digits")
        + "; error: the quadrature error estimate\n"
    )
    width = max(len(name) for name in values)
    shown = {
        name: _plain(None)
        if value is None
        else (mpmath.nstr(value, dps, strip_zeros=False) if dps is not None else repr(float(value)))
        for name, value in values.items()
    }
    column = max(len(text) for text in shown.values())
    print(f"{'':<{width}}  {'value':<{column}}  error")
    for name in values:
        error = prediction.error.get(name)
        print(f"{name:<{width}}  {shown[name]:<{column}}  {'-' if error is None else format(float(error), '.1e')}")
    for name, note in prediction.notes.items():
        print(f"note ({name}): {note}")
    return 0


def _certify(
    problem: LGP, n: int, m: int | Sequence[int] | Literal["all"], s: int, ridge: float, dps: int, as_json: bool
) -> int:
    """``predict --certify``: guaranteed enclosures (dctheory.certify, docs/theory.md#finite-size)."""
    from dctheory.certify import Interval, certify

    if m == "all":
        raise ConfigError('--certify with m = "all" is not supported: certify single m values')
    result = certify(problem, n, m, ridge, dps=dps)

    def bounds(interval: object) -> list[str] | None:
        return list(interval.bounds(dps)) if isinstance(interval, Interval) else None  # None: not defined

    record = {
        "m": result.m,
        "regime": result.regime,
        "precision_bits": result.prec,
        "xi": bounds(result.xi),
        "tau2": bounds(result.tau2),
        "dense": bounds(result.dense),
    }
    if as_json:
        _print_json(record)
        return 0
    print("\n".join(_setting_lines(_setting(problem, n, result.m, s, ridge, result.regime))))
    print(
        "\nrisk = population risk E(y - x^T w)^2 of the dense model trained on m features; "
        "each value an interval [lo, hi] guaranteed to contain it\n"
    )
    for key, value in record.items():
        if key in ("m", "regime"):
            continue
        shown = "undefined" if value is None and key in ("xi", "tau2") else value
        if isinstance(value, list):
            shown = f"[{value[0]}, {value[1]}]"
        print(f"{key:<14}  {shown}")
    return 0


def _nan_none(x: float | np.floating[Any]) -> float | None:
    return None if not np.isfinite(x) else float(x)


def _json_safe(value: object, path: str, undefined: dict[str, str]) -> object:
    """``value`` with every non-finite float replaced by None, its path and reason recorded."""
    if isinstance(value, dict):
        return {k: _json_safe(v, f"{path}.{k}" if path else str(k), undefined) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v, f"{path}[{i}]", undefined) for i, v in enumerate(value)]
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            undefined[path] = f"{float(value)} in float64 (not representable in JSON)"
            return None
        return float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _print_json(record: Mapping[str, object]) -> None:
    """Strict JSON: a non-finite number becomes null, with the reason under "nonfinite"."""
    undefined: dict[str, str] = {}
    safe = {k: _json_safe(v, k, undefined) for k, v in record.items()}
    if undefined:
        safe["nonfinite"] = undefined
    print(json.dumps(safe, allow_nan=False))


def _emit(record: Mapping[str, object]) -> None:
    width = max(len(k) for k in record)
    for key, value in record.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}={v}" for k, v in value.items())
        print(f"{key:<{width}}  {value if value is not None else 'undefined'}")


def _table(records: Sequence[Mapping[str, object]], undefined: Sequence[int]) -> None:
    columns = ["m", "xi", "tau2", *STRATEGIES]
    print("  ".join(f"{c:>12}" for c in columns))
    for record in records:
        print("  ".join(f"{'-' if record[c] is None else format(record[c], '12.6g'):>12}" for c in columns))
    if undefined:
        print(f"# undefined (ridgeless m in [n-1, n]): m = {', '.join(map(str, undefined))}")


@contextlib.contextmanager
def _notice_after(seconds: float, text: str | None) -> Iterator[None]:
    """Print ``text`` on stderr if the block is still running after ``seconds``."""
    if text is None:
        yield
        return
    timer = threading.Timer(seconds, lambda: print(text, file=sys.stderr, flush=True))
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


# -- advise --------------------------------------------------------------------


def _advise(args: argparse.Namespace) -> int:
    from dctheory.advise import advise

    parsed = configs.parse_advise(configs.load(args.config))
    for note in parsed["notes"]:
        print(f"dctheory advise: {note}", file=sys.stderr)
    if args.plot:
        check_output_file(args.plot, force=args.force, what="--plot", suffixes=_figure_suffixes())
    notice = (
        None
        if parsed["problem"].is_diagonal
        else (
            f"dctheory advise: DC sampling ({parsed['samples']} samples per m, P = {parsed['problem'].P}) "
            "is taking more than a second; the time grows with samples x m_points x m^2"
        )
    )
    with _notice_after(1.0, notice):
        result = advise(
            parsed["problem"],
            parsed["n"],
            parsed["s"],
            parsed["ridges"],
            m_points=parsed["m_points"],
            samples=parsed["samples"],
            rng=np.random.default_rng(parsed["seed"]),
            schedules=parsed["schedules"],
        )
    if args.plot:
        plot_advice(result, args.plot)
    if args.json:
        _print_json({"verdict": result.verdict, "ranking": result.ranking, "notes": result.notes, "rows": result.rows})
    else:
        print(
            f"P = {result.P}, n = {result.n}, s = {result.s}, ridges = {', '.join(f'{r:g}' for r in result.ridges)}\n"
        )
        print(result.table())
        print("\n" + result.verdict)
        if args.plot:
            print(f"wrote {args.plot}")
    return 0


# -- output files ---------------------------------------------------------------


def _figure_suffixes() -> set[str]:
    from matplotlib.backend_bases import FigureCanvasBase

    return {"." + suffix for suffix in FigureCanvasBase.get_supported_filetypes()}


def check_output_file(
    path: str | PathLike[str],
    *,
    force: bool,
    what: str,
    suffixes: Collection[str] | None = None,
    create_parent: bool = False,
) -> Path:
    """A file the command may write: not a folder, a known suffix, not an existing file unless
    ``force``, in an existing folder unless ``create_parent``; ConfigError (one line) otherwise."""
    path = Path(path)
    if path.is_dir():
        raise ConfigError(f"{what} {str(path)!r} is a folder; give a file name inside it")
    if suffixes is not None and path.suffix.lower() not in suffixes:
        raise ConfigError(
            f"{what} {str(path)!r}: the suffix {path.suffix or '(none)'!s} is not a known format; "
            f"use one of {', '.join(sorted(suffixes))}"
        )
    if path.exists() or path.is_symlink():
        if not force:
            raise ConfigError(f"{what} {str(path)!r} exists; add --force to replace it")
        if not path.is_file():
            raise ConfigError(f"{what} {str(path)!r} exists and is not a regular file")
    parent = path.parent
    if not parent.is_dir():
        if parent.exists():
            raise ConfigError(f"{what} {str(path)!r}: {str(parent)!r} is not a folder")
        if not create_parent:
            raise ConfigError(f"{what} {str(path)!r}: the folder {str(parent)!r} does not exist")
    return path


# -- latex ---------------------------------------------------------------------


def _latex(args: argparse.Namespace) -> int:
    if args.name is None and not args.all:
        # The list reads the generated module: no derivation (and no sympy) needed.
        from dctheory import _compiled

        width = max(map(len, _compiled.names()))
        for name in _compiled.names():
            print(f"{name:<{width}}  {_compiled.metadata(name)['title']}")
        return 0
    from derivations import UnknownFormula, names
    from derivations.display import render
    from derivations.document import latex_document

    if args.all:
        path = check_output_file(args.all, force=args.force, what="--all", create_parent=True)
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


def _demo(args: argparse.Namespace) -> int:
    """Fig. 3(b)/7(b) of the paper (docs/theory.md#claims): P = 500, n = 150, s = 120, spiked Sigma."""
    import dctheory as dc

    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out {str(out)!r} is a file; give a folder (it is created if missing)")
    path = check_output_file(out / "demo-fig7b.png", force=args.force, what="the demo figure", create_parent=True)
    P, n, s, k, C = 500, 150, 120, 60, 10.0
    problem = dc.LGP(eigenvalues=dc.spiked(P, k, C), beta=np.ones(P), sigma=0.0)
    print(
        f"Spiked covariance (first {k} eigenvalues {C:g}, the rest 1), beta = 1, sigma = 0; "
        f"P = {P}, n = {n}, keep s = {s} weights.\n"
    )
    curve = risk_curve(problem, n, s)
    print(f"Ridgeless risk of training on the first m features, then pruning to s = {s} (the figure):")
    print(f"{'m':>5} " + " ".join(f"{name:>19}" for name in STRATEGIES))
    for m in (60, 120, 140, 200, 300, 500):
        index = int(np.flatnonzero(curve.m == m)[0])
        print(f"{m:>5} " + " ".join(f"{curve.risks[name][index]:>19.1f}" for name in STRATEGIES))
    # "Best small model" as dctheory advise defines it: the first s features, best ridge of the grid.
    advice = dc.advise(problem, n, s, m_points="all")
    small, ridges = advice.best_small, ", ".join(f"{r:g}" for r in advice.ridges)
    assert small is not None, "the first s features are always a candidate small model"
    print(
        f"\nBest small model (as `dctheory advise` defines it: train on the first s = {s} features, best ridge "
        f"of {ridges}): risk {small['risk']:.1f} at ridge {small['ridge']:g}."
    )
    print(f"Recommended by `dctheory advise` (every m and ridge): {advice.verdict}")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"--out {str(out)!r}: cannot create the folder: {error.strerror}") from None
    plot_advice(advice, path)  # the decision printed above, drawn as `dctheory advise --plot` draws it
    print(f"\nwrote {path} (the decision: every route at its best ridge, the recommended one starred)")
    return 0
