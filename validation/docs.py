"""Render docs/validation pages from the output of a real ``dctheory validate`` run.

    python -m validation.docs OUT_DIR docs/validation "COMMAND THAT WAS RUN" [--costs]

(in COMMAND, the word NAME stands for each experiment's name: one run per experiment)

For each experiment with results under OUT_DIR: copy its PNG figures to
``docs/validation/figures/`` and write ``docs/validation/NAME.md`` with the
settings (the config, as stored), the command, the claims (status and the
effect each resolves), the verdict tables (one per kind of row) and the
measurements, all read from the run's CSV files; then an ``index.md`` summary.
Hand-written reasoning that must survive regeneration (why these settings,
how they were chosen) lives in ``docs/validation/notes/NAME.md`` and is
inserted into the page after the description (``notes/index.md`` into the index).

With ``--costs``, the run's measured cost of each experiment (task seconds
from the store plus theory seconds) is written to
``validation/configs/costs.json`` under ``quick`` or ``full`` (from the
command), where ``dctheory validate`` reads it for its listing.
"""

from __future__ import annotations

import csv
import json
import os
import platform
import shutil
import sqlite3
import sys
from pathlib import Path

from validation import catalog, report, verdicts
from validation.catalog import get_experiment
from validation.experiment import config_hash as hash_of
from validation.report import fmt

COSTS_PATH = Path(__file__).parent / "configs" / "costs.json"


def _read(path: Path) -> list[dict]:
    if not path.is_file():
        return []
    with path.open() as handle:
        return list(csv.DictReader(handle))


def stored_seconds(out: Path, name: str, chash: str) -> float | None:
    """Task plus theory seconds of one experiment configuration, from the run's store."""
    path = out / "results.sqlite"
    if not path.is_file():
        return None
    db = sqlite3.connect(str(path))
    try:
        total = db.execute(
            "SELECT SUM(elapsed_s) FROM tasks WHERE experiment IN (?, ?) AND config_hash = ?",
            (name, f"{name}#theory", chash),
        ).fetchone()[0]
    finally:
        db.close()
    return None if total is None else float(total)


def page(name: str, out: Path, docs: Path, command: str) -> dict:
    """Write ``docs/NAME.md`` from ``out/NAME``; returns the index row's numbers."""
    experiment = get_experiment(name)
    command = " ".join(name if word == "NAME" else word for word in command.split(" "))
    folder = out / name
    verdict_rows, claims = _read(folder / "verdicts.csv"), _read(folder / "claims.csv")
    measurements = _read(folder / "measurements.csv")
    sims = _read(folder / "simulation.csv")
    quick = "--quick" in command
    config = experiment.load_config(quick=quick)
    trials = max((int(r["trial"]) for r in sims), default=-1) + 1
    config["trials"] = trials
    chash = hash_of(config)
    seconds = stored_seconds(out, name, chash)
    (docs / "figures").mkdir(parents=True, exist_ok=True)
    figures = sorted(folder.glob("*.png"))
    for f in figures:
        shutil.copy(f, docs / "figures" / f.name)
    judged = [v for v in verdict_rows if v["verdict"] in ("PASS", "FAIL")]
    fails = sum(v["verdict"] == "FAIL" for v in judged)
    status = {s: sum(c["status"] == s for c in claims) for s in ("PASS", "FAIL", "SKIPPED")}
    notes = docs / "notes" / f"{name}.md"
    lines = [f"# {name}: {experiment.title}", "", config.get("description", ""), ""]
    if notes.exists():
        lines += [notes.read_text().rstrip(), ""]
    lines += [
        "Produced by a real run of:",
        "",
        f"    {command}",
        "",
        f"{trials} Monte Carlo trials; config hash `{chash}`; "
        f"{'cost ' + fmt(seconds, 3) + ' s of task and theory time. ' if seconds else ''}"
        f"Result: **{len(judged) - fails}/{len(judged)} judged rows PASS; claims: {status['PASS']} PASS, "
        f"{status['FAIL']} FAIL, {status['SKIPPED']} SKIPPED.**",
        "",
        "## Tolerance rule (stated before the run)",
        "",
        experiment.rule(config) or verdicts.RULE,
        "",
        "## Settings",
        "",
        "```json",
        json.dumps({k: v for k, v in config.items() if k != "description"}, indent=1),
        "```",
        "",
    ]
    lines += ["## Figure", ""] + [f"![{f.stem}](figures/{f.name})" for f in figures] + [""]
    lines += ["## Claims", "", "| claim | verdict | resolves | detail |", "|---|---|---|---|"]
    lines += [
        f"| {c['name']} | {c['status']} | {c.get('resolvable', '').replace('|', '/')} | "
        f"{c['detail'].replace('|', '/')} |"
        for c in claims
    ]
    lines += [
        "",
        "## Verdict tables",
        "",
        "Agreement rows: theory (+- its sampling s.e. when DC-sampled), simulation mean +- s.e., "
        "z, relative error, allowance, verdict (INFO: same-sample retraining, reported only). "
        "Margin rows: a paired margin with its 95% confidence interval and the smallest margin "
        "the run resolves. Rate rows: a fitted slope +- s.e. against its bound.",
        "",
    ]
    for kind, rows in report.by_kind(verdict_rows).items():
        lines += [f"### {report.TITLES[kind]}", "", report.tables(rows, markdown=True), ""]
    if measurements:
        lines += [
            "## Measurements (reported with 95% confidence intervals, not judged)",
            "",
            report.measurement_table(measurements, markdown=True),
            "",
        ]
    (docs / f"{name}.md").write_text("\n".join(lines) + "\n")
    return {"name": name, "passed": len(judged) - fails, "judged": len(judged), **status, "seconds": seconds}


def write_costs(rows: list[dict], quick: bool, path: Path = COSTS_PATH) -> None:
    """Record each experiment's measured cost under ``quick`` or ``full`` in ``path``."""
    costs = json.loads(path.read_text()) if path.is_file() else {}
    size = "quick" if quick else "full"
    measured = [row for row in rows if row["seconds"] is not None]
    where = f"a {os.cpu_count()}-core {platform.machine()} machine at load {os.getloadavg()[0]:.1f}"
    for row in measured:
        costs.setdefault(row["name"], {})[size] = round(row["seconds"], 1)
        costs.setdefault("measured_on", {}).setdefault(size, {})[row["name"]] = where
    path.write_text(json.dumps(costs, indent=1, sort_keys=True) + "\n")


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 3:
        print(
            "usage: python -m validation.docs OUT DOCS COMMAND [--costs]\n"
            "  OUT: a validate output folder; DOCS: where the pages go; COMMAND: the command that made OUT",
            file=sys.stderr,
        )
        return 2
    out, docs, command = Path(argv[0]), Path(argv[1]), argv[2]
    docs.mkdir(parents=True, exist_ok=True)
    rows = [page(p.parent.name, out, docs, command) for p in sorted(out.glob("*/verdicts.csv"))]
    if "--costs" in argv[3:]:
        write_costs(rows, "--quick" in command)
    index = [
        "# Validation suite: linear and random-features theory",
        "",
        f"All pages were produced by `{command}`.",
        "",
        verdicts.RULE,
        "",
    ]
    notes = docs / "notes" / "index.md"
    if notes.exists():
        index += [notes.read_text().rstrip(), ""]
    index += ["| experiment | rows PASS | claims PASS | FAIL | SKIPPED | cost (s) |", "|---|---|---|---|---|---|"]
    index += [
        f"| [{r['name']}]({r['name']}.md) | {r['passed']}/{r['judged']} | {r['PASS']} | {r['FAIL']} | "
        f"{r['SKIPPED']} | {fmt(round(r['seconds']) if r['seconds'] else None)} |"
        for r in rows
    ]
    missing = [n for n in catalog.names() if n not in {r["name"] for r in rows} and n != "nn"]
    if missing:
        index += ["", "Not in this run (their pages, if any, are from an earlier run): " + ", ".join(missing) + "."]
    (docs / "index.md").write_text("\n".join(index) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
