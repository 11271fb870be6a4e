"""Render docs/validation pages from the output of a real ``dctheory validate`` run.

    PYTHONPATH=. python -m validation.docs OUT_DIR docs/validation "COMMAND THAT WAS RUN"

For each experiment with results under OUT_DIR: copy its PNG figures to
``docs/validation/figures/`` and write ``docs/validation/NAME.md`` with the
settings (the config, as stored), the command, the claims and the verdict
table, all read from the run's CSV files; then an ``index.md`` summary.
Hand-written reasoning that must survive regeneration (why these settings,
how they were chosen) lives in ``docs/validation/notes/NAME.md`` and is
inserted into the page after the description.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from pathlib import Path

from validation import verdicts
from validation.experiment import get_experiment
from validation.experiment import config_hash as hash_of


def _read(path: Path) -> list[dict]:
    with path.open() as handle:
        return list(csv.DictReader(handle))


def page(name: str, out: Path, docs: Path, command: str) -> tuple[str, int, int, float, int, int]:
    experiment = get_experiment(name)
    folder = out / name
    verdict_rows, claims = _read(folder / "verdicts.csv"), _read(folder / "claims.csv")
    sims = _read(folder / "simulation.csv")
    trials = len({r["trial"] for r in sims})
    config = experiment.load_config(quick="--quick" in command)
    config["trials"] = trials
    (docs / "figures").mkdir(parents=True, exist_ok=True)
    figures = sorted(folder.glob("*.png"))
    for f in figures:
        shutil.copy(f, docs / "figures" / f.name)
    judged = [v for v in verdict_rows if v["verdict"] != "INFO"]
    fails = sum(v["verdict"] == "FAIL" for v in judged)
    zmax = max((abs(float(v["z"])) for v in judged), default=float("nan"))
    keys = [k for k in verdict_rows[0] if k not in
            ("theory", "theory_se", "sim_mean", "sim_se", "trials", "z", "rel", "allowance", "verdict",
             "fallbacks")]
    notes = docs / "notes" / f"{name}.md"
    lines = [f"# {name}: {experiment.title}", "",
             config.get("description", ""), ""]
    if notes.exists():
        lines += [notes.read_text().rstrip(), ""]
    lines += ["Produced by a real run of:", "", f"    {command}", "",
             f"{trials} Monte Carlo trials; config hash `{hash_of(config)}`. "
             f"Result: **{len(judged) - fails}/{len(judged)} judged points PASS, largest |z| "
             f"{zmax:.2f}; {sum(c['passed'] == 'True' for c in claims)}/{len(claims)} claims PASS.**", "",
             "## Tolerance rule (stated before the run)", "", experiment.rule(config) or verdicts.RULE, "",
             "## Settings", "", "```json", json.dumps({k: v for k, v in config.items()
                                                      if k != "description"}, indent=1), "```", ""]
    lines += ["## Figure", ""] + [f"![{f.stem}](figures/{f.name})" for f in figures] + [""]
    lines += ["## Claims", "", "| claim | verdict | detail |", "|---|---|---|"]
    lines += [f"| {c['name']} | {'PASS' if c['passed'] == 'True' else 'FAIL'} | "
              f"{c['detail'].replace('|', '/')} |" for c in claims]
    lines += ["", "## Verdict table", "",
              ("columns as in the rule above." if experiment.rule(config) else
               "theory (+- its sampling s.e. when DC-sampled), simulation mean +- s.e., "
               "z, relative error, allowance, verdict (INFO: same-sample retraining, reported only)."), "",
              "| " + " | ".join(keys) + " | theory | sim | z | rel | allow | verdict |",
              "|" + "---|" * (len(keys) + 6)]
    for v in verdict_rows:
        th = f"{float(v['theory']):.4g}" + (f" +- {float(v['theory_se']):.2g}" if float(v["theory_se"]) else "")
        lines.append("| " + " | ".join(v[k] for k in keys) + f" | {th} | {float(v['sim_mean']):.4g} +- "
                     f"{float(v['sim_se']):.2g} | {float(v['z']):+.2f} | {float(v['rel']):+.3f} | "
                     f"{float(v['allowance']):.2f} | {v['verdict']} |")
    (docs / f"{name}.md").write_text("\n".join(lines) + "\n")
    return name, len(judged) - fails, len(judged), zmax, sum(c["passed"] == "True" for c in claims), len(claims)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out, docs, command = Path(argv[0]), Path(argv[1]), argv[2]
    docs.mkdir(parents=True, exist_ok=True)
    rows = [page(p.parent.name, out, docs, command) for p in sorted(out.glob("*/verdicts.csv"))]
    index = ["# Validation suite: linear and random-features theory", "",
             f"All pages were produced by `{command}`.", "", verdicts.RULE, "",
             "| experiment | points PASS | largest abs z | claims PASS |", "|---|---|---|---|"]
    index += [f"| [{n}]({n}.md) | {a}/{b} | {z:.2f} | {c}/{d} |" for n, a, b, z, c, d in rows]
    (docs / "index.md").write_text("\n".join(index) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
