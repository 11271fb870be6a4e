"""Claim C7 on the tidy rows of a width sweep, judged by paired margins with
confidence intervals (docs/theory.md#claims; the paper's Figs. 1, 5, 6).

Rows are those of :func:`validation.nn.protocol.run_width_batched` with the
keys ``study``, ``trial``, ``mode`` and ``scheme`` added by the experiment. A
**cell** is one (study, budget, retraining mode, pruning scheme); a study fixes
the data set, architecture and training-set size. Every margin is in test
error (fraction of the test set misclassified) and is **paired within a
trial**: one trial is one seed of the whole protocol (its own data draw,
initialisations, batch orders and random masks), so both sides of a margin
saw the same data.

(i) ``wide_pruned_beats_small_dense``: margin ``dense(k0) - magnitude_retrained(k*)``,
    where k* (a width > k0 pruned to the budget) is the width with the lowest
    mean *validation* error of the magnitude-pruned, retrained network in the
    cell: chosen on the validation split, judged on the test set. Without a
    validation split the first ``ceil(trials / 2)`` trials choose k* and only
    the others are judged (held-out seeds).
(ii) ``magnitude_beats_random``: margin ``random_retrained - magnitude_retrained``
    averaged over the widths pruned to the budget (random pruning of the
    study's first scheme when the cell's scheme has none).
(iii) ``retraining_helps``: margin ``magnitude_pruned - magnitude_retrained``
    averaged over the widths pruned to the budget.

The rule, fixed before the sweep ran: with t trials judged, the 95% interval
is ``mean +- t_{0.975, t-1} * sd / sqrt(t)`` (Student t over trials); its
half-width is the smallest margin the run can resolve (``resolvable``). The
verdict is **PASS** when the interval lies above 0, **FAIL** otherwise
(reversed when it lies below 0, unresolved when it contains 0), and
**SKIPPED** when fewer than ``min_trials`` trials are judged or the run is a
quick one: such a run is too small to say anything and never counts as PASS.

Rows are of kind ``"margin"`` (the shared verdict-row format): ``kind, claim,
label, margin, ci_low, ci_high, trials, resolvable, verdict`` plus context
(``study, dataset, architecture, n_train, base_width, budget, mode, scheme,
k_star, compared, margin_sd``) and, so that the suite's agreement-table printer
can show them, ``theory = 0`` (the null), ``sim_mean = margin``, ``sim_se``,
``z = margin / sim_se``.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
from scipy import stats

from dctheory.errors import ConfigError

CLAIMS = {
    "wide_pruned_beats_small_dense": "(i) the best pruned wide network (k* chosen on validation data) beats "
                                     "the dense network of the budget",
    "magnitude_beats_random": "(ii) magnitude pruning beats random pruning at equal nonzeros (after retraining)",
    "retraining_helps": "(iii) retraining lowers the test error of magnitude-pruned networks",
}

CONFIDENCE = 0.95


def interval(margins: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float, float, float]:
    """(mean, sd, low, high) of the Student-t interval of the mean of ``margins``
    (half-width 0 for identical margins, inf for fewer than two)."""
    values = np.asarray(margins, dtype=float)
    mean = float(values.mean())
    if values.size < 2:
        return mean, float("nan"), -math.inf, math.inf
    sd = float(values.std(ddof=1))
    half = float(stats.t.ppf(0.5 + confidence / 2, values.size - 1)) * sd / math.sqrt(values.size)
    return mean, sd, mean - half, mean + half


def judge(margins: dict[int, float], *, min_trials: int, quick: bool,
          confidence: float = CONFIDENCE) -> dict:
    """The statistics and verdict of one cell's per-trial margins (module docstring)."""
    # errors are multiples of 1/n_test: round away float noise of the averages
    values = np.round(np.array([margins[t] for t in sorted(margins)], dtype=float), 12)
    if values.size == 0:
        raise ConfigError("a claim cell has no trial holding all the rows it compares")
    mean, sd, low, high = interval(values, confidence)
    half = (high - low) / 2
    if quick or values.size < min_trials:
        verdict, reading = "SKIPPED", ("quick run" if quick else f"{values.size} trials < {min_trials}")
    elif low > 0:
        verdict, reading = "PASS", "above 0"
    elif high < 0:
        verdict, reading = "FAIL", "reversed (interval below 0)"
    else:
        verdict, reading = "FAIL", "unresolved (interval contains 0)"
    se = sd / math.sqrt(values.size) if values.size > 1 else float("nan")
    return dict(margin=mean, ci_low=low, ci_high=high, trials=int(values.size), resolvable=half,
                verdict=verdict, reading=reading, margin_sd=sd, margin_min=float(values.min()),
                theory=0.0, theory_se=0.0, sim_mean=mean, sim_se=se,
                z=mean / se if se and se > 0 else (0.0 if mean == 0 else math.copysign(math.inf, mean)),
                rel=float("nan"), allowance=0.0)


def _table(rows, study, method, stage, mode, scheme, value="test_error") -> dict[tuple, dict[int, float]]:
    """{(base_width, width): {trial: value}} for one study, method, stage, mode and scheme."""
    table: dict[tuple, dict[int, float]] = defaultdict(dict)
    for row in rows:
        if (row["study"] == study and row["method"] == method and row["stage"] == stage
                and row.get("mode") == mode and row.get("scheme") == scheme and row.get(value) is not None):
            table[(row["base_width"], row["width"])][int(row["trial"])] = float(row[value])
    return table


def _mean(values: dict[int, float], trials=None) -> float:
    keys = values if trials is None else [t for t in trials if t in values]
    return float(np.mean([values[t] for t in keys]))


def cells(rows) -> list[tuple]:
    """The (study, base_width, budget, mode, scheme) of every cell with magnitude-retrained rows."""
    found = {(r["study"], r["base_width"], r["budget"], r["mode"], r["scheme"]) for r in rows
             if r["method"] == "magnitude" and r["stage"] == "retrained"}
    if not found:
        raise ConfigError("no pruned rows: every width's count is <= every budget; add wider widths")
    return sorted(found, key=lambda c: (c[0], c[1], c[3], c[4]))


def check_claims(rows: list[dict], *, min_trials: int = 5, quick: bool = False,
                 confidence: float = CONFIDENCE) -> list[dict]:
    """Margin rows of claims (i), (ii), (iii) for every cell (module docstring)."""
    out = []
    context_of = {r["study"]: r for r in rows}
    for study, k0, n_keep, mode, scheme in cells(rows):
        context = context_of[study]
        base = dict(kind="margin", study=study, dataset=context.get("dataset"),
                    architecture=context.get("architecture"), n_train=context.get("n_train"),
                    base_width=k0, budget=n_keep, mode=mode, scheme=scheme)
        label = (f"{study}: budget {n_keep} (k0={k0}), n_train {context.get('n_train')}, {mode}"
                 + (f", {scheme} pruning" if scheme != "global" else ""))
        retrained = _table(rows, study, "magnitude", "retrained", mode, scheme)
        validation = _table(rows, study, "magnitude", "retrained", mode, scheme, "val_error")
        pruned = _table(rows, study, "magnitude", "pruned", mode, scheme)
        random = _table(rows, study, "random", "retrained", mode, scheme)
        if not any(base_width == k0 for base_width, _ in random):
            schemes = sorted({r["scheme"] for r in rows if r["study"] == study and r["method"] == "random"})
            random = _table(rows, study, "random", "retrained", mode, schemes[0]) if schemes else {}
        dense = _table(rows, study, "dense", "dense", None, None)
        widths = sorted(width for base_width, width in retrained if base_width == k0)
        keys = [(k0, width) for width in widths]
        trials = sorted(set.intersection(*(set(retrained[key]) for key in keys)))
        if (None, k0) not in dense:
            raise ConfigError(f"study {study!r} has no dense network of base width {k0}; add {k0} to its widths")
        reference = dense[(None, k0)]

        # (i): k* on the validation split, or on held-out trials without one
        if all(key in validation for key in keys):
            best = min(widths, key=lambda w: _mean(validation[(k0, w)]))
            judged, chosen_on = [t for t in trials if t in reference], "validation split"
        else:
            held = trials[: math.ceil(len(trials) / 2)]
            best = min(widths, key=lambda w: _mean(retrained[(k0, w)], held))
            judged, chosen_on = [t for t in trials if t in reference and t not in held], f"trials {held}"
        margins = {t: reference[t] - retrained[(k0, best)][t] for t in judged}
        out.append(dict(base, claim="wide_pruned_beats_small_dense", label=label, k_star=best,
                        compared=f"dense k={k0} {_mean(reference, judged):.4f} vs pruned k*={best} "
                                 f"{_mean(retrained[(k0, best)], judged):.4f} (k* from {chosen_on})",
                        **judge(margins, min_trials=min_trials, quick=quick, confidence=confidence)))
        # (ii) and (iii): averaged over the widths pruned to the budget
        for claim, worse, better, what in (
            ("magnitude_beats_random", random, retrained, "random vs magnitude"),
            ("retraining_helps", pruned, retrained, "not retrained vs retrained"),
        ):
            pairs = [key for key in keys if key in worse]
            if not pairs:
                continue
            common = [t for t in trials if all(t in worse[key] for key in pairs)]
            margins = {t: float(np.mean([worse[key][t] - better[key][t] for key in pairs])) for t in common}
            out.append(dict(base, claim=claim, label=label, k_star=None,
                            compared=f"{what}: {np.mean([_mean(worse[k]) for k in pairs]):.4f} vs "
                                     f"{np.mean([_mean(better[k]) for k in pairs]):.4f} "
                                     f"(mean over k={pairs[0][1]}..{pairs[-1][1]})",
                            **judge(margins, min_trials=min_trials, quick=quick, confidence=confidence)))
    return out


def verdict_line(row: dict) -> str:
    """One line: the cell, the compared errors, the margin with its interval and resolution, the verdict."""
    return (f"{row['label']}: {row['compared']}; margin {row['margin']:+.4f} "
            f"[{row['ci_low']:+.4f}, {row['ci_high']:+.4f}] over {row['trials']} trials, "
            f"resolvable {row['resolvable']:.4f}: {row['verdict']} ({row['reading']})")


def summarize_claims(rows: list[dict]) -> list[dict]:
    """One summary per (claim, study): ``name, passed, skipped, detail, resolvable``
    (passed: every cell PASS; skipped: every cell SKIPPED)."""
    out = []
    studies = sorted({row["study"] for row in rows})
    for claim, statement in CLAIMS.items():
        for study in studies:
            mine = [row for row in rows if row["claim"] == claim and row["study"] == study]
            if not mine:
                continue
            counts = {v: sum(row["verdict"] == v for row in mine) for v in ("PASS", "FAIL", "SKIPPED")}
            worst = max(row["resolvable"] for row in mine)
            out.append(dict(
                name=f"{claim} [{study}]",
                passed=counts["PASS"] == len(mine),
                skipped=counts["SKIPPED"] == len(mine),
                detail=(f"{statement}: {counts['PASS']} of {len(mine)} cells PASS, {counts['FAIL']} FAIL, "
                        f"{counts['SKIPPED']} SKIPPED; " + "; ".join(verdict_line(row) for row in mine)),
                resolvable=(f"95% interval half-width up to {worst:.4f} test error "
                            f"({min(row['trials'] for row in mine)} trials per cell)"),
            ))
    return out
