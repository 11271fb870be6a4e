"""``dctheory validate``: run experiments, compare with theory, report PASS/FAIL.

    dctheory validate                      list the experiments (runs nothing)
    dctheory validate NAME|all [--quick] [--trials N] [--jobs N]
                      [--scheduler tcp://HOST:PORT] [--out DIR] [--fresh] [--table]

For each experiment: run (or resume) and judge it through
:func:`validation.runner.evaluate`, write ``simulation.csv``, ``theory.csv``,
``verdicts.csv``, ``claims.csv`` (and ``measurements.csv``) and the figures
(PNG and PDF) under ``OUT/NAME/`` (see :mod:`validation.report`), print the
claims and a one-line summary (with ``--table``, first one table per kind of
verdict row). ``--out`` must be a new or empty
folder or one this command wrote before (:func:`validation.runner.claim_output`).
The exit status is 0 when no judged point and no claim FAILs (a SKIPPED claim,
one the run is too small to resolve, does not fail), 1 otherwise, 2 on bad input.
Registered through the ``dctheory.commands`` entry point.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from validation import catalog, report, runner, verdicts
from validation.catalog import get_experiment
from validation.experiment import CONFIG_DIR

#: how to add the optional packages of the neural-network experiments (from the repository root)
INSTALL_NN = 'python3 -m pip install ".[nn]"'

#: measured costs (seconds of task and theory time on the reference machine), written by validation.docs
COSTS_PATH = CONFIG_DIR / "costs.json"


def register(sub) -> None:
    names = catalog.names()
    parser = sub.add_parser(
        "validate",
        help="check the theory against simulation",
        description="Run the validation experiments and report agreement with the theory. "
        "Without a name: list the experiments and run nothing. Experiments: " + ", ".join(names) + ". " + verdicts.RULE,
    )
    parser.add_argument(
        "name",
        nargs="?",
        default=None,
        metavar="NAME",
        help=f"experiment to run ({', '.join(names)}), or 'all'; omitted: list the experiments",
    )
    parser.add_argument("--quick", action="store_true", help="small sizes (seconds per experiment)")
    parser.add_argument("--trials", type=int, default=None, help="Monte Carlo trials (default: config)")
    parser.add_argument("--jobs", type=int, default=1, help="local worker processes (default 1)")
    parser.add_argument(
        "--scheduler", default=None, metavar="ADDRESS", help="run on a Dask cluster, e.g. tcp://127.0.0.1:8786"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=runner.DEFAULT_OUT,
        help=f"output folder: new, empty, or written by this command before (default {runner.DEFAULT_OUT})",
    )
    parser.add_argument("--fresh", action="store_true", help="discard stored results first")
    parser.add_argument(
        "--table", action="store_true", help="also print every verdict row (always written to OUT/NAME/verdicts.csv)"
    )
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=main)


def names_for(name: str) -> list[str]:
    if name == "all":
        return catalog.names()
    get_experiment(name)  # raises ConfigError listing valid names
    return [name]


def _duration(seconds) -> str:
    if seconds is None:
        return "not measured"
    if seconds < 1:
        return "under 1 s"
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def listing() -> str:
    """One line per experiment: name, what it checks, measured quick and full cost."""
    costs = json.loads(COSTS_PATH.read_text()) if COSTS_PATH.is_file() else {}
    names = catalog.names()
    width = max(len(n) for n in names)
    lines = [
        "experiments (dctheory validate NAME|all [--quick]); cost = task + theory wall seconds of one process with "
        "one BLAS thread per task (high when the machine is shared; the machine and load of each: "
        "validation/configs/costs.json):"
    ]
    for name in names:
        experiment = get_experiment(name)
        cost = costs.get(name, {})
        lines.append(
            f"  {name:<{width}}  {experiment.title}  "
            f"[quick {_duration(cost.get('quick'))}, full {_duration(cost.get('full'))}]"
        )
    return "\n".join(lines)


def validate_one(name: str, args, stream=None) -> str:
    """Run, judge, write and print one experiment; its status: FAIL when a judged row or a claim FAILs,
    SKIPPED when the run judged nothing (no row judged, no claim resolved), PASS otherwise."""
    stream = sys.stdout if stream is None else stream  # resolved per call: sys.stdout may be replaced
    experiment = get_experiment(name)
    result = runner.evaluate(
        experiment,
        out_dir=args.out,
        quick=args.quick,
        trials=args.trials,
        jobs=args.jobs,
        scheduler=args.scheduler,
        fresh=args.fresh,
        progress=not args.no_progress,
    )
    summary, config, claims = result.summary, result.summary.config, result.claims
    folder = Path(args.out) / name
    report.write_csv(folder / "simulation.csv", summary.rows)
    report.write_csv(folder / "theory.csv", result.theory_rows)
    report.write_csv(folder / "verdicts.csv", result.verdict_rows)
    report.write_csv(folder / "claims.csv", [claim_row(c) for c in claims])
    if result.measurements:
        report.write_csv(folder / "measurements.csv", result.measurements)
    figures = experiment.figure(summary.rows, result.theory_rows, result.verdict_rows, config, folder / name)

    print(
        f"\n=== {name}: {experiment.title} ({'quick' if args.quick else 'full'}, "
        f"config {summary.config_hash}, {config['trials']} trials) ===",
        file=stream,
    )
    if getattr(args, "table", False):
        rule = experiment.rule(config)
        if rule:
            print(rule, file=stream)
        print(report.tables(result.verdict_rows), file=stream)
        if result.measurements:
            print(report.measurement_table(result.measurements), file=stream)
    for claim in claims:
        print(
            f"[{claim.status}] {claim.name}: {claim.detail}"
            + (f" (resolves: {claim.resolvable})" if claim.resolvable else ""),
            file=stream,
        )
    judged = [v for v in result.verdict_rows if v["verdict"] in ("PASS", "FAIL")]
    fails = sum(v["verdict"] == "FAIL" for v in judged)
    counts = {s: sum(c.status == s for c in claims) for s in ("PASS", "FAIL", "SKIPPED")}
    print(
        f"{name}: {len(judged) - fails}/{len(judged)} rows PASS; claims {counts['PASS']} PASS, "
        f"{counts['FAIL']} FAIL, {counts['SKIPPED']} SKIPPED; {summary.line()}; "
        f"theory {'from the store' if result.theory_cached else f'{result.theory_s:.2f} s'}; "
        f"files in {folder}" + (f" (figure {figures[0].name})" if figures else ""),
        file=stream,
    )
    if not result.passed:
        return "FAIL"
    return "PASS" if judged or counts["PASS"] else "SKIPPED"


def claim_row(claim) -> dict:
    """A claim as a CSV row."""
    return {
        "name": claim.name,
        "status": claim.status,
        "passed": claim.passed,
        "skipped": claim.skipped,
        "resolvable": claim.resolvable,
        "detail": claim.detail,
    }


def skipped(names: list[str], name: str) -> dict[str, str]:
    """For ``all``: experiments whose optional packages are missing -> a one-line note.

    A single named experiment is never skipped: it fails with its own one-line
    ConfigError instead.
    """
    if name != "all":
        return {}
    notes = {}
    for each in names:
        missing = get_experiment(each).missing_requirements()
        if missing:
            notes[each] = f"needs {', '.join(missing)}; install with: {INSTALL_NN}"
    return notes


def main(args) -> int:
    if args.name is None:
        print(listing())
        return 0
    names = names_for(args.name)
    runner.claim_output(args.out)
    skips = skipped(names, args.name)
    print(verdicts.RULE)
    start = time.perf_counter()
    for name, note in skips.items():
        print(f"[SKIPPED] {name}: {note}")
    try:
        results = {name: validate_one(name, args) for name in names if name not in skips}
    except runner.Interrupted:
        raise
    except KeyboardInterrupt:  # outside a run's tasks (the theory, the tables): every finished task is stored
        raise runner.Interrupted("finished tasks are stored; rerun the same command to resume") from None
    print(f"\n=== summary ({time.perf_counter() - start:.1f} s) ===")
    for name, status in results.items():
        print(
            f"[{status}] {name}"
            + (" (this run judged nothing: too small to resolve its claims)" if status == "SKIPPED" else "")
        )
    for name in skips:
        print(f"[SKIPPED] {name} ({skips[name]})")
    return 1 if "FAIL" in results.values() else 0
