"""``dctheory validate``: run experiments, compare with theory, report PASS/FAIL.

    dctheory validate [NAME|all] [--quick] [--trials N] [--jobs N]
                      [--scheduler tcp://HOST:PORT] [--out DIR] [--fresh]

For each experiment: run (or resume) its Monte Carlo tasks through
:func:`validation.runner.run`, compute its theory with the public dctheory
API, write ``simulation.csv``, ``theory.csv``, ``verdicts.csv``,
``claims.csv`` and the figure (PNG and PDF) under ``OUT/NAME/`` (see
:mod:`validation.report`), print the verdict table and the claims. The exit
status is 0 when every judged point and every claim passes, 1 otherwise.
Registered through the ``dctheory.commands`` entry point.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from validation import report, runner, verdicts
from validation.experiment import EXPERIMENTS, get_experiment


def register(sub) -> None:
    parser = sub.add_parser(
        "validate", help="check the theory against simulation",
        description="Run the validation experiments and report agreement with the theory. "
                    + verdicts.RULE)
    parser.add_argument("name", nargs="?", default="all",
                        help="experiment name, or 'all' (default)")
    parser.add_argument("--quick", action="store_true", help="small sizes (seconds per experiment)")
    parser.add_argument("--trials", type=int, default=None, help="Monte Carlo trials (default: config)")
    parser.add_argument("--jobs", type=int, default=1, help="local worker processes (default 1)")
    parser.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="run on a Dask cluster, e.g. tcp://127.0.0.1:8786")
    parser.add_argument("--out", type=Path, default=runner.DEFAULT_OUT, help="output directory")
    parser.add_argument("--fresh", action="store_true", help="discard stored results first")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.set_defaults(func=main)


def names_for(name: str) -> list[str]:
    get_experiment("fig3a")  # imports the catalog
    if name == "all":
        return list(EXPERIMENTS)
    get_experiment(name)  # raises ConfigError listing valid names
    return [name]


def validate_one(name: str, args, stream=None) -> bool:
    """Run, judge, write and print one experiment; True when everything passed."""
    stream = sys.stdout if stream is None else stream  # resolved per call: sys.stdout may be replaced
    experiment = get_experiment(name)
    summary = runner.run(experiment, out_dir=args.out, quick=args.quick, trials=args.trials,
                         jobs=args.jobs, scheduler=args.scheduler, fresh=args.fresh,
                         progress=not args.no_progress)
    config = summary.config
    theory_rows, theory_s, cached = runner.theory(experiment, config, out_dir=args.out, fresh=args.fresh)
    verdict_rows = experiment.compare(summary.rows, theory_rows, config)
    claims = experiment.claims(summary.rows, theory_rows, verdict_rows, config)

    folder = Path(args.out) / name
    report.write_csv(folder / "simulation.csv", summary.rows)
    report.write_csv(folder / "theory.csv", theory_rows)
    report.write_csv(folder / "verdicts.csv", verdict_rows)
    report.write_csv(folder / "claims.csv", [c.__dict__ for c in claims])
    figures = experiment.figure(summary.rows, theory_rows, verdict_rows, config, folder / name)

    keys = tuple(k for k in verdict_rows[0] if k not in _VALUE_FIELDS) if verdict_rows else ()
    print(f"\n=== {name}: {experiment.title} ({'quick' if args.quick else 'full'}, "
          f"config {summary.config_hash}, {config['trials']} trials) ===", file=stream)
    rule = experiment.rule(config)
    if rule:
        print(rule, file=stream)
    print(report.verdict_table(verdict_rows, keys), file=stream)
    for claim in claims:
        print(f"[{claim.status}] {claim.name}: {claim.detail}", file=stream)
    judged = [v for v in verdict_rows if v["verdict"] not in ("INFO", "SKIPPED")]
    fails = sum(v["verdict"] == "FAIL" for v in judged)
    zmax = max((abs(v["z"]) for v in judged), default=float("nan"))
    print(f"{name}: {len(judged) - fails}/{len(judged)} points PASS, largest |z| {zmax:.2f}, "
          f"{sum(c.passed for c in claims)}/{len(claims)} claims PASS; {summary.line()}; "
          f"theory {'from the store' if cached else f'{theory_s:.2f} s'}; files in {folder}"
          + (f" (figure {figures[0].name})" if figures else ""), file=stream)
    return fails == 0 and all(c.status != "FAIL" for c in claims)


_VALUE_FIELDS = {"theory", "theory_se", "sim_mean", "sim_se", "trials", "z", "rel", "allowance",
                 "verdict", "fallbacks"}


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
            notes[each] = (f"needs {', '.join(missing)} (pip install 'dctheory[nn]'); "
                           f"skipped, not run")
    return notes


def main(args) -> int:
    names = names_for(args.name)
    skips = skipped(names, args.name)
    print(verdicts.RULE)
    start = time.perf_counter()
    for name, note in skips.items():
        print(f"[SKIP] {name}: {note}")
    results = {name: validate_one(name, args) for name in names if name not in skips}
    print(f"\n=== summary ({time.perf_counter() - start:.1f} s) ===")
    for name, ok in results.items():
        print(f"[{'PASS' if ok else 'FAIL'}] {name}")
    for name in skips:
        print(f"[SKIP] {name}")
    return 0 if all(results.values()) else 1
