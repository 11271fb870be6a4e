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
    "wide_pruned_beats_small_dense": "(i) best pruned wide network (k* on validation) beats the fair dense baseline",
    "magnitude_beats_random": "(ii) magnitude beats random pruning of the same scheme (both retrained)",
    "retraining_helps": "(iii) retraining beats not retraining (magnitude)",
    "iterative_beats_one_shot": "(iv) iterative magnitude pruning beats one-shot (learning-rate rewinding)",
    "pruned_peak_near_dense_peak": "(v) the pruned networks' test error peaks in width near the dense peak",
}


def complete_budgets(config: dict, done: set) -> dict[str, list[int]]:
    """{study: base widths whose widths have all finished, for every seed block}: for
    a sweep study the widths k0 .. max multiplier x k0, for a double-descent study all."""
    from validation.nn.experiment import _block, studies

    trials, per_task = _block(config)
    out = {}
    for study in studies(config):
        finished = {
            w
            for w in study["widths"]
            if all((canonical_json({"study": study["name"], "width": w}), b) in done for b in range(trials // per_task))
        }
        ratio = study["protocol"].max_width_ratio
        out[study["name"]] = [
            k0
            for k0 in study["protocol"].base_widths
            if all(
                w in finished
                for w in study["widths"]
                if study["judge"] == "double_descent" or k0 <= w <= (ratio or float("inf")) * k0 + 1e-9
            )
        ]
    return out


def _fmt(value, digits=3) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{value:.{digits}f}"


def margin_table(verdicts: list[dict], claim: str) -> list[str]:
    """The cells of one claim: margin, the interval at the cell's Holm level, p, verdict."""
    lines = [
        "| study | budget (k0) | retraining | k* | baseline lr | compared | margin | interval (Holm level) "
        "| p | verdict |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for v in (v for v in verdicts if v["claim"] == claim):
        verdict = v["verdict"] if v["verdict"] != "FAIL" else f"FAIL, {v['reading'].split(' (')[0]}"
        level = v.get("holm_level")
        at = f" ({1 - level:.4f})" if level is not None and not np.isnan(level) else ""
        retraining = (
            ("iterative, " if v.get("method") == "imp" else "")
            + str(v["mode"])
            + (f", {v['scheme']}" if v["scheme"] != "global" else "")
        )
        if claim == "pruned_peak_near_dense_peak":
            retraining = v["label"].split(", ")[-1]
        rate = "" if v.get("lr_star") is None else f"{v['lr_star']:g}"
        lines.append(
            f"| {v['study']} | {v['budget']} ({v['base_width']}) | {retraining} "
            f"| {v['k_star'] if v['k_star'] is not None else ''} "
            f"| {rate} "
            f"| {v['compared']} | {v['margin']:+.3f} | [{v['ci_low']:+.3f}, {v['ci_high']:+.3f}]{at} "
            f"| {v['p_value']:.2g} | **{verdict}** |"
        )
    return lines


def error_table(rows: list[dict], study: str, mode: str, scheme: str) -> list[str]:
    """Mean test error over seeds per width: dense, and per budget magnitude+RT, random+RT (same scheme),
    magnitude no RT, and iterative+RT (learning-rate rewinding)."""
    mine = [r for r in rows if r["study"] == study]
    budgets = sorted({r["base_width"] for r in mine if r["method"] == "magnitude"})
    cells = defaultdict(list)
    for r in mine:
        if r["method"] == "dense":
            cells[(r["width"], "dense")].append(r["test_error"])
        elif r["method"] != "dense_fair" and r["mode"] == mode and r["scheme"] == scheme:
            cells[(r["width"], r["base_width"], r["method"], r["stage"])].append(r["test_error"])
    widths = sorted({r["width"] for r in mine})
    columns = [
        (method, stage, name)
        for method, stage, name in (
            ("magnitude", "retrained", "mag+RT"),
            ("random", "retrained", "rand+RT"),
            ("magnitude", "pruned", "mag, no RT"),
            ("imp", "retrained", "iter+RT"),
        )
        if any(r["method"] == method and r["mode"] == mode for r in mine)
    ]
    head = ["k", "dense"] + [f"k0={k0} {name}" for k0 in budgets for _, _, name in columns]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for w in widths:
        values = [str(w), _fmt(np.mean(cells[(w, "dense")])) if cells[(w, "dense")] else ""]
        for k0 in budgets:
            for method, stage, _ in columns:
                found = cells.get((w, k0, method, stage))
                values.append(_fmt(np.mean(found)) if found else "")
        lines.append("| " + " | ".join(values) + " |")
    return lines


def baseline_table(rows: list[dict], study: str) -> list[str]:
    """Mean validation and test error of the fair baseline per budget and rate, and the one-phase dense network."""
    fair = [r for r in rows if r["study"] == study and r["method"] == "dense_fair"]
    if not fair:
        return []
    lines = [
        "| k0 (budget) | one-phase dense: test | "
        + " | ".join(f"lr {rate:g}: val / test / train" for rate in sorted({r["lr"] for r in fair}))
        + " |",
        "|---|---|" + "---|" * len({r["lr"] for r in fair}),
    ]
    for k0 in sorted({r["width"] for r in fair}):
        dense = [r["test_error"] for r in rows if r["study"] == study and r["method"] == "dense" and r["width"] == k0]
        budget = next(r["budget"] for r in fair if r["width"] == k0)
        values = [f"{k0} ({budget})", _fmt(np.mean(dense))]
        for rate in sorted({r["lr"] for r in fair}):
            mine = [r for r in fair if r["width"] == k0 and r["lr"] == rate]
            values.append(
                " / ".join(_fmt(np.mean([r[key] for r in mine])) for key in ("val_error", "test_error", "train_error"))
            )
        lines.append("| " + " | ".join(values) + " |")
    return lines


def run_time(log: list[dict]) -> tuple[float, float]:
    """(wall seconds from the first task's start to the last task's end, summed task seconds)."""
    if not log:
        return 0.0, 0.0
    start = min(t["finished_at"] - t["elapsed_s"] for t in log)
    return max(t["finished_at"] for t in log) - start, sum(t["elapsed_s"] for t in log)


def write_page(out_dir: Path, docs: Path, quick: bool = False) -> Path:
    """Write the files listed in the module docstring (of the quick sweep with
    ``quick``); returns the path of results.md."""
    from validation.nn.experiment import studies
    from validation.nn.protocol import MODE_NAMES

    experiment = get_experiment("nn")
    config = experiment.load_config(quick=quick)
    chash = config_hash(config)
    with ResultStore(Path(out_dir) / "results.sqlite") as store:
        rows = store.rows("nn", chash, trials=config["trials"])
        log = store.task_log("nn", chash)
        done = store.done("nn", chash)
    tasks = experiment.tasks(config)
    complete = complete_budgets(config, done)
    judged_rows = [r for r in rows if r["base_width"] is None or r["base_width"] in complete.get(r["study"], [])]
    verdicts = (
        experiment.compare(judged_rows, [], config)
        if any(r["base_width"] is not None and r["method"] != "dense_fair" for r in judged_rows)
        else []
    )
    claims = experiment.claims(judged_rows, [], verdicts, config)
    docs.mkdir(parents=True, exist_ok=True)
    report.write_csv(docs / "simulation.csv", rows)
    report.write_csv(docs / "verdicts.csv", verdicts)
    report.write_csv(docs / "claims.csv", [{**c.__dict__, "status": c.status} for c in claims])
    for old in docs.glob("nn_*.png"):
        old.unlink()
    figures = experiment.figure(judged_rows, [], verdicts, config, docs / "nn")

    wall, cpu = run_time(log)
    finished = [t["finished_at"] for t in log]
    judged = [v for v in verdicts if v["verdict"] != "SKIPPED"]
    lines = [
        "# nn sweep: generated results",
        "",
        f"Generated by `python -m validation.nn.page` from the store of the declared sweep "
        f"(`validation/configs/nn.json`{', quick section' if quick else ''}, config hash `{chash}`): "
        f"{len(done)} of {len(tasks)} tasks finished"
        + (f", the last at {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(max(finished)))}" if finished else "")
        + f"; {wall / 60:.1f} minutes of wall time from the first task's start to the last task's end, "
        f"{cpu / 60:.1f} minutes of task time (summed over workers). "
        f"Margins are in test error (fraction of the test set); each is the mean over seeds of a "
        f"per-seed paired margin. Its interval is the Student-t interval at the cell's Holm level "
        f"(the confidence in brackets): Holm's step-down procedure within each claim, family-wise "
        f"level {1 - float(config.get('confidence', 0.95)):.2f}; a PASS is an interval above 0.",
        "",
    ]
    if not judged:
        lines += [
            "**This run judges nothing**: every cell is SKIPPED ("
            + (
                "the quick run is too small to say anything"
                if quick
                else f"no budget has all its widths and {config.get('min_trials')} seeds yet"
            )
            + "); no claim below passes or fails.",
            "",
        ]
    missing = [(p["study"], p["width"]) for p, b in tasks if (canonical_json(p), b) not in done]
    if missing:
        by_study = defaultdict(list)
        for study, width in missing:
            by_study[study].append(width)
        lines += [
            "**Not finished** (the sweep resumes with `dctheory validate nn --jobs 2 --out OUT`): "
            + "; ".join(f"{s}: widths {sorted(set(w))}" for s, w in by_study.items())
            + ". Budgets missing any of their widths are not judged.",
            "",
        ]
    lines += ["## Verdicts per claim, after Holm's correction", ""]
    for claim, title in CLAIM_TITLES.items():
        mine = [v for v in verdicts if v["claim"] == claim]
        if not mine:
            continue
        passed = [v for v in mine if v["verdict"] == "PASS"]
        lines += [
            f"### {title}",
            "",
            f"{len(passed)} of {len(mine)} cells PASS after Holm "
            f"({sum(v['verdict'] == 'SKIPPED' for v in mine)} SKIPPED).",
            "",
        ]
        lines += [*margin_table(verdicts, claim), ""]
        figure = f"nn_margins_{claim}.png"
        if (docs / figure).exists():
            lines += [f"![{claim}]({figure})", ""]
    lines += ["## Retraining modes", ""] + [f"* `{mode}`: {text}" for mode, text in MODE_NAMES.items()] + [""]
    for study in studies(config):
        name = study["name"]
        protocol = study["protocol"]
        lines += [
            f"## {name}",
            "",
            f"{protocol.dataset}, {protocol.architecture}, {protocol.n_train} training samples "
            f"({protocol.n_val} validation), label noise {protocol.label_noise:g}; budgets (every trainable "
            f"parameter{', hidden layer bias-free' if not protocol.hidden_bias else ''}; read-out layer "
            f"{'pruned' if protocol.prune_output else 'dense and counted'}): "
            + ", ".join(f"k0={k0}" for k0 in protocol.base_widths)
            + f"; widths {list(study['widths'])}; {protocol.epochs} epochs dense (lr {protocol.lr:g}, "
            f"x {protocol.lr_decay:g} after {protocol.lr_decay_at:.0%}) + retraining; modes "
            f"{', '.join(study['modes'])}; schemes {', '.join(study['schemes'])}"
            + (f"; iterative pruning at {protocol.imp_rate:.0%} per round" if protocol.imp_rate else "")
            + (f"; fair-baseline rates {list(protocol.baseline_lrs)}" if protocol.baseline_lrs else "")
            + f". Budgets judged: {complete.get(name) or 'none yet'}.",
            "",
        ]
        if study["judge"] == "double_descent":
            lines += ["Mean test error over seeds (RT = retrained):", ""]
            for mode in study["modes"]:
                lines += [*error_table(rows, name, mode, study["schemes"][0]), ""]
            figure = f"nn_{name}.png"
            if (docs / figure).exists():
                lines += [f"![{name}]({figure})", ""]
            continue
        if baseline_table(rows, name):
            lines += [
                "Fair baseline: mean errors of the dense width-k0 network trained as long as the pruned "
                "route, per rate (the rate with the lowest validation error is the reference):",
                "",
            ]
            lines += [*baseline_table(rows, name), ""]
        for mode in study["modes"]:
            for scheme in study["schemes"]:
                if not any(r["study"] == name and r["method"] == "magnitude" for r in rows):
                    continue
                lines += [f"Mean test error over seeds, {mode}, {scheme} pruning (RT = retrained):", ""]
                lines += [*error_table(rows, name, mode, scheme), ""]
                figure = f"nn_{name}_{mode}" + (f"_{scheme}" if scheme != "global" else "") + ".png"
                if (docs / figure).exists():
                    lines += [f"![{name} {mode} {scheme}]({figure})", ""]
    if any(r.get("layer_nonzeros") for r in rows if r["architecture"] == "conv1d"):
        lines += [
            "## Conv1D: weights kept per layer, magnitude pruning, mean over seeds",
            "",
            "| width | scheme | budget | kept per prunable layer |",
            "|---|---|---|---|",
        ]
        groups = defaultdict(list)
        for r in rows:
            if r["architecture"] == "conv1d" and r["method"] == "magnitude" and r["stage"] == "pruned":
                groups[(r["width"], r["scheme"], r["budget"])].append(r["layer_nonzeros"])
        for (width, scheme, n_keep), kept in sorted(groups.items()):
            mean = np.mean(np.array(kept, dtype=float), axis=0)
            lines.append(f"| {width} | {scheme} | {n_keep} | {', '.join(f'{m:.0f}' for m in mean)} |")
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
