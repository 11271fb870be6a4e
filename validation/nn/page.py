"""The results page of the nn sweep, generated from its stored rows.

    python -m validation.nn.page [--out dctheory-out] [--docs docs/nn/sweep] [--quick]

Reads the rows of the declared full sweep (``validation/configs/nn.json``)
from ``OUT/results.sqlite`` (finished or not: an interrupted sweep resumes
with ``dctheory validate nn --out OUT``), judges every cell whose widths have
all finished (:mod:`validation.nn.claims`) and writes into ``--docs``:
``simulation.csv`` (tidy rows), ``verdicts.csv`` (margin rows),
``claims.csv``, the Fig. 6-style figures ``nn_<study>_<mode>[_<scheme>].png``
and ``results.md`` (the tables: each claim's margin with its 95% interval and
the smallest margin the run resolves, per budget, data size and mode; mean
errors per width; what has not finished; the run time).
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from validation import report, runner
from validation.catalog import get_experiment
from validation.experiment import config_hash
from validation.store import ResultStore, canonical_json

CLAIM_TITLES = {
    "wide_pruned_beats_small_dense": "(i) best pruned wide network (k* on validation) beats the dense base network",
    "magnitude_beats_random": "(ii) magnitude beats random pruning (both retrained)",
    "retraining_helps": "(iii) retraining beats not retraining (magnitude)",
}


def complete_budgets(config: dict, done: set) -> dict[str, list[int]]:
    """{study: base widths whose widths k0 x multipliers have all finished, for every seed block}."""
    from validation.nn.experiment import _block, studies

    trials, per_task = _block(config)
    out = {}
    for study in studies(config):
        multipliers = study["multipliers"]
        finished = {w for w in study["widths"]
                    if all((canonical_json({"study": study["name"], "width": w}), b) in done
                           for b in range(trials // per_task))}
        out[study["name"]] = [k0 for k0 in study["protocol"].base_widths
                              if all(k0 * m in finished for m in multipliers)]
    return out


def _fmt(value, digits=3) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{value:.{digits}f}"


def margin_table(verdicts: list[dict], study: str) -> list[str]:
    lines = ["| claim | budget (k0) | mode | scheme | k* | margin | 95% interval | resolvable | verdict |",
             "|---|---|---|---|---|---|---|---|---|"]
    for claim in CLAIM_TITLES:
        for v in (v for v in verdicts if v["study"] == study and v["claim"] == claim):
            verdict = v["verdict"] if v["verdict"] != "FAIL" else f"FAIL, {v['reading'].split(' (')[0]}"
            lines.append(f"| {CLAIM_TITLES[claim].split(')')[0]}) | {v['budget']} ({v['base_width']}) "
                         f"| {v['mode']} | {v['scheme']} | {v['k_star'] if v['k_star'] is not None else ''} "
                         f"| {v['margin']:+.3f} | [{v['ci_low']:+.3f}, {v['ci_high']:+.3f}] "
                         f"| {v['resolvable']:.3f} | **{verdict}** |")
    return lines


def error_table(rows: list[dict], study: str, mode: str, scheme: str) -> list[str]:
    """Mean test error over seeds per width: dense, and per budget magnitude+RT, random+RT, magnitude no RT."""
    mine = [r for r in rows if r["study"] == study]
    budgets = sorted({r["base_width"] for r in mine if r["base_width"] is not None})
    random_schemes = {r["scheme"] for r in mine if r["method"] == "random"}
    random_scheme = scheme if scheme in random_schemes else (sorted(random_schemes)[0] if random_schemes else scheme)
    cells = defaultdict(list)
    for r in mine:
        if r["method"] == "dense":
            cells[(r["width"], "dense")].append(r["test_error"])
        elif r["mode"] == mode and r["scheme"] == (scheme if r["method"] == "magnitude" else random_scheme):
            cells[(r["width"], r["base_width"], r["method"], r["stage"])].append(r["test_error"])
    widths = sorted({r["width"] for r in mine})
    head = ["k", "dense"]
    for k0 in budgets:
        head += [f"k0={k0} mag+RT", f"k0={k0} rand+RT", f"k0={k0} mag, no RT"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for w in widths:
        values = [str(w), _fmt(np.mean(cells[(w, "dense")])) if cells[(w, "dense")] else ""]
        for k0 in budgets:
            for method, stage in (("magnitude", "retrained"), ("random", "retrained"), ("magnitude", "pruned")):
                found = cells.get((w, k0, method, stage))
                values.append(_fmt(np.mean(found)) if found else "")
        lines.append("| " + " | ".join(values) + " |")
    return lines


def write_page(out_dir: Path, docs: Path, quick: bool = False) -> Path:
    """Write the files listed in the module docstring (of the quick sweep with
    ``quick``); returns the path of results.md."""
    experiment = get_experiment("nn")
    config = experiment.load_config(quick=quick)
    chash = config_hash(config)
    with ResultStore(Path(out_dir) / "results.sqlite") as store:
        rows = store.rows("nn", chash, trials=config["trials"])
        log = store.task_log("nn", chash)
        done = store.done("nn", chash)
    tasks = experiment.tasks(config)
    complete = complete_budgets(config, done)
    judged_rows = [r for r in rows
                   if r["base_width"] is None or r["base_width"] in complete.get(r["study"], [])]
    verdicts = experiment.compare(judged_rows, [], config) if any(
        r["base_width"] is not None for r in judged_rows) else []
    claims = experiment.claims(judged_rows, [], verdicts, config)
    docs.mkdir(parents=True, exist_ok=True)
    report.write_csv(docs / "simulation.csv", rows)
    report.write_csv(docs / "verdicts.csv", verdicts)
    report.write_csv(docs / "claims.csv", [{**c.__dict__, "status": c.status} for c in claims])
    for old in docs.glob("nn_*.png"):
        old.unlink()
    figures = experiment.figure(rows, [], verdicts, config, docs / "nn")

    cpu = sum(t["elapsed_s"] for t in log)
    finished = [t["finished_at"] for t in log]
    lines = ["# nn sweep: generated results", "",
             f"Generated by `python -m validation.nn.page` from the store of the declared sweep "
             f"(`validation/configs/nn.json`, config `{chash}`): "
             f"{len(done)} of {len(tasks)} tasks finished"
             + (f", the last at {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(max(finished)))}" if finished else "")
             + f"; {cpu / 60:.1f} minutes of task time (summed over workers). "
             f"Margins are in test error (fraction of the test set); each is the mean over seeds of a "
             f"per-seed paired margin, with its 95% Student-t interval; *resolvable* is the interval's "
             f"half-width, the smallest margin this run can tell from 0.", ""]
    missing = [(p["study"], p["width"]) for p, b in tasks if (canonical_json(p), b) not in done]
    if missing:
        by_study = defaultdict(list)
        for study, width in missing:
            by_study[study].append(width)
        lines += ["**Not finished** (the sweep resumes with `dctheory validate nn --jobs 2 --out OUT`): "
                  + "; ".join(f"{s}: widths {sorted(set(w))}" for s, w in by_study.items())
                  + ". Budgets missing any of their widths are not judged.", ""]
    from validation.nn.experiment import studies

    for study in studies(config):
        name = study["name"]
        protocol = study["protocol"]
        lines += [f"## {name}", "",
                  f"{protocol.dataset}, {protocol.architecture}, {protocol.n_train} training samples "
                  f"({protocol.n_val} validation), budgets "
                  + ", ".join(f"k0={k0}" for k0 in protocol.base_widths)
                  + f"; widths {list(study['widths'])}; {protocol.epochs} + {protocol.effective_retrain_epochs} "
                  f"epochs; modes {', '.join(study['modes'])}; schemes {', '.join(study['schemes'])}. "
                  f"Budgets judged: {complete.get(name) or 'none yet'}.", ""]
        if any(v["study"] == name for v in verdicts):
            lines += [*margin_table(verdicts, name), ""]
        for mode in study["modes"]:
            for scheme in study["schemes"]:
                if not any(r["study"] == name and r["method"] != "dense" for r in rows):
                    continue
                lines += [f"Mean test error over seeds, {mode}, {scheme} pruning (RT = retrained):", ""]
                lines += [*error_table(rows, name, mode, scheme), ""]
                figure = f"nn_{name}_{mode}" + (f"_{scheme}" if scheme != "global" else "") + ".png"
                if (docs / figure).exists():
                    lines += [f"![{name} {mode} {scheme}]({figure})", ""]
    if any(r.get("layer_nonzeros") for r in rows if r["architecture"] == "conv1d"):
        lines += ["## Conv1D: weights kept per layer (conv1, conv2, conv3, read-out), magnitude pruning, "
                  "mean over seeds", "", "| width | scheme | budget | kept per layer | layer sizes |",
                  "|---|---|---|---|---|"]
        groups = defaultdict(list)
        for r in rows:
            if r["architecture"] == "conv1d" and r["method"] == "magnitude" and r["stage"] == "pruned":
                groups[(r["width"], r["scheme"], r["budget"])].append(r["layer_nonzeros"])
        for (width, scheme, n_keep), kept in sorted(groups.items()):
            sizes = [width * 5, width * width * 3, width * width * 3, 10 * width * 5]
            mean = np.mean(np.array(kept, dtype=float), axis=0)
            lines.append(f"| {width} | {scheme} | {n_keep} | {', '.join(f'{m:.0f}' for m in mean)} "
                         f"| {', '.join(map(str, sizes))} |")
        lines.append("")
    path = docs / "results.md"
    path.write_text("\n".join(lines) + "\n")
    print(f"{path}: {len(done)}/{len(tasks)} tasks, {len(verdicts)} margin rows, {len(figures)} figures")
    return path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=runner.DEFAULT_OUT)
    parser.add_argument("--docs", type=Path, default=Path("docs/nn/sweep"))
    parser.add_argument("--quick", action="store_true", help="the quick sweep's results")
    args = parser.parse_args(argv)
    write_page(args.out, args.docs, args.quick)


if __name__ == "__main__":
    main()
