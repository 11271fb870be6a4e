"""Claim C7 on the tidy rows of a width sweep, judged by paired margins with
Holm-corrected confidence intervals (docs/theory.md#claims; the paper's Figs. 1, 5, 6).

Rows are those of :func:`validation.nn.protocol.run_width_batched` with the
keys ``study``, ``trial`` and ``judge`` added by the experiment. A **cell** is
one (study, budget, retraining mode, pruning scheme, pruning method: one-shot
``magnitude`` or iterative ``imp``). Every margin is in test error (fraction
of the test set misclassified) and is **paired within a trial**: one trial is
one seed of the whole protocol (its own data draw, initialisations, batch
orders and random masks), so both sides of a margin saw the same data.

(i) ``wide_pruned_beats_small_dense``: margin ``fair_dense(k0) - pruned_retrained(k*)``.
    The reference is the **fair baseline**: the dense width-k0 network trained
    as long as the pruned route, at the rate of the declared grid with the
    lowest mean *validation* error (one rate per study and budget; rows
    ``dense_fair``); without such rows, the one-phase dense network. k* (a
    width > k0 pruned to the budget) is the width with the lowest mean
    validation error of the cell's retrained networks: both choices are made
    on the validation split, the margin is judged on the test set. Without a
    validation split the first ``ceil(trials / 2)`` trials choose k* and only
    the others are judged (held-out seeds).
(ii) ``magnitude_beats_random``: margin ``random_retrained - magnitude_retrained``
    (one-shot, the same mode and the *same* pruning scheme) averaged over the
    widths pruned to the budget.
(iii) ``retraining_helps``: margin ``magnitude_pruned - magnitude_retrained``
    (one-shot), same average.
(iv) ``iterative_beats_one_shot``: margin ``one-shot_retrained - imp_retrained``,
    both retrained by learning-rate rewinding, same scheme, same average.
(v) ``pruned_peak_near_dense_peak`` (studies with ``judge = "double_descent"``):
    see :func:`double_descent_claims`.

The rule, fixed before the sweep ran: with t trials judged, each cell's
two-sided p-value is Student's t test of mean margin 0; within each claim
(one family: all its cells, every study) Holm's step-down procedure at level
``alpha = 1 - confidence`` orders the cells by p and rejects while
``p <= alpha / (m - rank)``. The interval printed, and drawn, is the Student-t
interval at the cell's Holm level, ``1 - alpha / (m - rank)``, so a PASS is
an interval above 0. The verdict is **PASS** when the cell is rejected with a
positive mean; **FAIL** otherwise (*reversed* when rejected with a negative
mean, *unresolved* when not rejected); a cell whose margins are all equal has
an interval of zero width and no test: it is *unresolved*, never PASS; and
**SKIPPED** when fewer than ``min_trials`` trials are judged or the run is a
quick one (such cells leave the family).

Rows are of kind ``"margin"`` (the shared verdict-row format): ``kind, claim,
label, margin, ci_low, ci_high, trials, resolvable, verdict`` plus context
(``study, dataset, architecture, n_train, base_width, budget, mode, scheme,
method, k_star, lr_star, compared, margin_sd, p_value, holm_level, family``) and, so that the
suite's agreement-table printer can show them, ``theory = 0`` (the null),
``sim_mean = margin``, ``sim_se``, ``z = margin / sim_se``.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
from scipy import stats

from dctheory.errors import ConfigError

CLAIMS = {
    "wide_pruned_beats_small_dense": "(i) the best pruned wide network (k* chosen on validation data) beats "
    "the dense network of the budget trained as long (fair baseline)",
    "magnitude_beats_random": "(ii) magnitude pruning beats random pruning of the same scheme at equal nonzeros "
    "(after retraining)",
    "retraining_helps": "(iii) retraining lowers the test error of magnitude-pruned networks",
    "iterative_beats_one_shot": "(iv) iterative magnitude pruning beats one-shot (both by learning-rate rewinding)",
    "pruned_peak_near_dense_peak": "(v) with label noise, the pruned networks' test error peaks in width near "
    "the dense networks' peak (the paper's Fig. 1)",
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


def p_value(margins: np.ndarray) -> float:
    """Two-sided p-value of Student's t test of mean 0 (1.0 for identical
    margins or fewer than two: no test)."""
    values = np.asarray(margins, dtype=float)
    if values.size < 2 or float(values.std(ddof=1)) == 0.0:
        return 1.0
    t = float(values.mean()) / (float(values.std(ddof=1)) / math.sqrt(values.size))
    return float(2 * stats.t.sf(abs(t), values.size - 1))


def judge(margins: dict[int, float], *, min_trials: int, quick: bool, confidence: float = CONFIDENCE) -> dict:
    """The statistics of one cell's per-trial margins, verdict before correction
    (:func:`holm` sets the final one): SKIPPED (quick or too few trials),
    UNRESOLVED (zero-width interval) or PENDING."""
    # errors are multiples of 1/n_test: round away float noise of the averages
    values = np.round(np.array([margins[t] for t in sorted(margins)], dtype=float), 12)
    if values.size == 0:
        raise ConfigError("a claim cell has no trial holding all the rows it compares")
    mean, sd, low, high = interval(values, confidence)
    if quick or values.size < min_trials:
        verdict, reading = "SKIPPED", ("quick run" if quick else f"{values.size} trials < {min_trials}")
    elif not sd > 0:
        verdict, reading = "FAIL", "unresolved (zero-width interval: every trial's margin is equal)"
    else:
        verdict, reading = "PENDING", ""
    se = sd / math.sqrt(values.size) if values.size > 1 else float("nan")
    return dict(
        margin=mean,
        ci_low=low,
        ci_high=high,
        ci95_low=low,
        ci95_high=high,
        trials=int(values.size),
        resolvable=(high - low) / 2,
        verdict=verdict,
        reading=reading,
        margin_sd=sd,
        margin_min=float(values.min()),
        p_value=p_value(values),
        holm_level=float("nan"),
        family=0,
        values=values,
        theory=0.0,
        theory_se=0.0,
        sim_mean=mean,
        sim_se=se,
        z=mean / se if se and se > 0 else (0.0 if mean == 0 else math.copysign(math.inf, mean)),
        rel=float("nan"),
        allowance=0.0,
    )


def holm(rows: list[dict], confidence: float = CONFIDENCE) -> list[dict]:
    """Holm's step-down procedure within each claim (module docstring), in place:
    sets ``verdict``, ``reading``, ``holm_level``, ``family`` and the interval at
    the cell's Holm level on every PENDING row; drops the per-trial ``values``."""
    alpha = 1.0 - confidence
    for claim in {row["claim"] for row in rows}:
        family = sorted(
            (row for row in rows if row["claim"] == claim and row["verdict"] != "SKIPPED"),
            key=lambda row: row["p_value"],
        )
        stopped = False
        for rank, row in enumerate(family):
            level = alpha / (len(family) - rank)
            row["holm_level"], row["family"] = level, len(family)
            values = row["values"]
            _, _, row["ci_low"], row["ci_high"] = interval(values, 1.0 - level)
            row["resolvable"] = (row["ci_high"] - row["ci_low"]) / 2
            if row["verdict"] != "PENDING":  # zero-width: no test, and the step-down stops
                stopped = True
                continue
            if not stopped and row["p_value"] <= level:
                row["verdict"], row["reading"] = (
                    ("PASS", "above 0 after Holm") if row["margin"] > 0 else ("FAIL", "reversed (below 0 after Holm)")
                )
            else:
                stopped = True
                row["verdict"] = "FAIL"
                row["reading"] = (
                    "unresolved (Holm interval contains 0)"
                    if row["ci_low"] <= 0 <= row["ci_high"]
                    else "unresolved (Holm stopped at a cell with a smaller p)"
                )
    for row in rows:
        row.pop("values", None)
    return rows


def _table(rows, study, method, stage, mode, scheme, value="test_error", lr=None) -> dict[tuple, dict[int, float]]:
    """{(base_width, width): {trial: value}} for one study, method, stage, mode and scheme."""
    table: dict[tuple, dict[int, float]] = defaultdict(dict)
    for row in rows:
        if (
            row["study"] == study
            and row["method"] == method
            and row["stage"] == stage
            and row.get("mode") == mode
            and row.get("scheme") == scheme
            and row.get(value) is not None
            and (lr is None or row.get("lr") == lr)
        ):
            table[(row["base_width"], row["width"])][int(row["trial"])] = float(row[value])
    return table


def _mean(values: dict[int, float], trials=None) -> float:
    keys = values if trials is None else [t for t in trials if t in values]
    return float(np.mean([values[t] for t in keys]))


def cells(rows) -> list[tuple]:
    """The (study, base_width, budget, mode, scheme, method) of every cell with
    retrained rows of a pruning method (magnitude or imp), sweep studies only."""
    found = {
        (r["study"], r["base_width"], r["budget"], r["mode"], r["scheme"], r["method"])
        for r in rows
        if r["method"] in ("magnitude", "imp") and r["stage"] == "retrained" and r.get("judge", "sweep") == "sweep"
    }
    if not found and not any(r.get("judge") == "double_descent" for r in rows):
        raise ConfigError("no pruned rows: every width's count is <= every budget; add wider widths")
    return sorted(found, key=lambda c: (c[0], c[1], c[5], c[3], c[4]))


def fair_reference(rows, study: str, k0: int) -> tuple[dict[int, float], float | None, str]:
    """The reference of budget k0: ``({trial: test error}, lr*, words)``. The fair
    baseline at the grid rate with the lowest mean validation error, or the
    one-phase dense network when the study has no fair-baseline rows."""
    fair = [r for r in rows if r["study"] == study and r["method"] == "dense_fair" and r["width"] == k0]
    if not fair:
        dense = _table(rows, study, "dense", "dense", None, None)
        if (None, k0) not in dense:
            raise ConfigError(f"study {study!r} has no dense network of base width {k0}; add {k0} to its widths")
        return dense[(None, k0)], None, "one-phase dense"
    rates = sorted({r["lr"] for r in fair})
    key = "val_error" if all(r.get("val_error") is not None for r in fair) else "train_error"
    best = min(rates, key=lambda rate: np.mean([r[key] for r in fair if r["lr"] == rate]))
    return (
        {int(r["trial"]): float(r["test_error"]) for r in fair if r["lr"] == best},
        best,
        f"fair dense (lr {best:g} on {key.split('_')[0]})",
    )


def check_claims(
    rows: list[dict], *, min_trials: int = 10, quick: bool = False, confidence: float = CONFIDENCE
) -> list[dict]:
    """Margin rows of claims (i)-(v) for every cell (module docstring), Holm-corrected."""
    out = []
    context_of = {r["study"]: r for r in rows}
    verdict = dict(min_trials=min_trials, quick=quick, confidence=confidence)
    for study, k0, n_keep, mode, scheme, method in cells(rows):
        context = context_of[study]
        base = dict(
            kind="margin",
            study=study,
            dataset=context.get("dataset"),
            architecture=context.get("architecture"),
            n_train=context.get("n_train"),
            base_width=k0,
            budget=n_keep,
            mode=mode,
            scheme=scheme,
            method=method,
        )
        label = f"{study}: budget {n_keep} (k0={k0}), {'iterative ' if method == 'imp' else ''}{mode}" + (
            f", {scheme} pruning" if scheme != "global" else ""
        )
        retrained = _table(rows, study, method, "retrained", mode, scheme)
        validation = _table(rows, study, method, "retrained", mode, scheme, "val_error")
        widths = sorted(width for base_width, width in retrained if base_width == k0)
        keys = [(k0, width) for width in widths]
        trials = sorted(set.intersection(*(set(retrained[key]) for key in keys)))
        reference, lr_star, reference_name = fair_reference(rows, study, k0)

        # (i): k* on the validation split, or on held-out trials without one
        if all(key in validation for key in keys):
            best = min(widths, key=lambda w: _mean(validation[(k0, w)]))
            judged, chosen_on = [t for t in trials if t in reference], "validation split"
        else:
            held = trials[: math.ceil(len(trials) / 2)]
            best = min(widths, key=lambda w: _mean(retrained[(k0, w)], held))
            judged, chosen_on = [t for t in trials if t in reference and t not in held], f"trials {held}"
        margins = {t: reference[t] - retrained[(k0, best)][t] for t in judged}
        out.append(
            dict(
                base,
                claim="wide_pruned_beats_small_dense",
                label=label,
                k_star=best,
                lr_star=lr_star,
                compared=f"{reference_name} k={k0} {_mean(reference, judged):.4f} vs pruned k*={best} "
                f"{_mean(retrained[(k0, best)], judged):.4f} (k* from {chosen_on})",
                **judge(margins, **verdict),
            )
        )
        # (ii)-(iv): averaged over the widths pruned to the budget
        if method == "magnitude":
            others = [
                (
                    "magnitude_beats_random",
                    _table(rows, study, "random", "retrained", mode, scheme),
                    retrained,
                    "random vs magnitude",
                ),
                (
                    "retraining_helps",
                    _table(rows, study, "magnitude", "pruned", mode, scheme),
                    retrained,
                    "not retrained vs retrained",
                ),
            ]
        else:
            others = [
                (
                    "iterative_beats_one_shot",
                    _table(rows, study, "magnitude", "retrained", mode, scheme),
                    retrained,
                    "one-shot vs iterative",
                )
            ]
        for claim, worse, better, what in others:
            pairs = [key for key in keys if key in worse]
            if not pairs:
                continue
            common = [t for t in trials if all(t in worse[key] for key in pairs)]
            margins = {t: float(np.mean([worse[key][t] - better[key][t] for key in pairs])) for t in common}
            out.append(
                dict(
                    base,
                    claim=claim,
                    label=label,
                    k_star=None,
                    lr_star=None,
                    compared=f"{what}: {np.mean([_mean(worse[k]) for k in pairs]):.4f} vs "
                    f"{np.mean([_mean(better[k]) for k in pairs]):.4f} "
                    f"(mean over k={pairs[0][1]}..{pairs[-1][1]})",
                    **judge(margins, **verdict),
                )
            )
    out += double_descent_claims(rows, **verdict)
    return finish_double_descent(holm(out, confidence))


def _peak(table: dict[int, dict[int, float]], widths: list[int]) -> int:
    return max(widths, key=lambda w: _mean(table[w]))


def double_descent_claims(
    rows: list[dict], *, min_trials: int = 10, quick: bool = False, confidence: float = CONFIDENCE
) -> list[dict]:
    """Claim (v) for every study with ``judge = "double_descent"`` (one budget
    k0, one mode), declared before the run: the **dense** peak width is the
    width of the highest mean *validation* error of the dense networks; the
    **pruned** peak is the same for the magnitude-pruned networks of the
    budget, once retrained (the primary cell) and once not retrained. A peak
    is *real* when its paired test-error excess over the widest width
    (``error(peak) - error(widest)``) has an interval above 0; the cell's
    margin is the pruned curve's excess. PASS needs the Holm verdict on that
    margin, a real dense peak (its 95% interval above 0) and the two peaks
    within a factor 2 in width (two steps of sqrt 2)."""
    out = []
    for study in sorted({r["study"] for r in rows if r.get("judge") == "double_descent"}):
        mine = [r for r in rows if r["study"] == study]
        context = mine[0]
        dense_test = {w: v for (_, w), v in _table(mine, study, "dense", "dense", None, None).items()}
        dense_val = {w: v for (_, w), v in _table(mine, study, "dense", "dense", None, None, "val_error").items()}
        dense_widths = sorted(dense_test)
        dense_peak = _peak(dense_val, dense_widths)
        widest = dense_widths[-1]
        trials = sorted(set.intersection(*(set(dense_test[w]) for w in dense_widths)))
        dense_excess = interval([dense_test[dense_peak][t] - dense_test[widest][t] for t in trials])
        for k0, n_keep, mode, scheme in sorted(
            {(r["base_width"], r["budget"], r["mode"], r["scheme"]) for r in mine if r["method"] == "magnitude"}
        ):
            for stage in ("retrained", "pruned"):
                test = {w: v for (b, w), v in _table(mine, study, "magnitude", stage, mode, scheme).items() if b == k0}
                val = {
                    w: v
                    for (b, w), v in _table(mine, study, "magnitude", stage, mode, scheme, "val_error").items()
                    if b == k0
                }
                widths = sorted(test)
                peak = _peak(val, widths)
                last = widths[-1]
                common = [t for t in trials if t in test[peak] and t in test[last]]
                row = dict(
                    kind="margin",
                    claim="pruned_peak_near_dense_peak",
                    study=study,
                    dataset=context.get("dataset"),
                    architecture=context.get("architecture"),
                    n_train=context.get("n_train"),
                    base_width=k0,
                    budget=n_keep,
                    mode=mode,
                    scheme=scheme,
                    method="magnitude",
                    k_star=peak,
                    lr_star=None,
                    dense_peak=dense_peak,
                    label=f"{study}: budget {n_keep} (k0={k0}), {mode if stage == 'retrained' else 'not retrained'}",
                    compared=(
                        f"pruned peak k={peak} ({_mean(test[peak]):.4f}) vs widest k={last} "
                        f"({_mean(test[last]):.4f}); dense peak k={dense_peak} "
                        f"(excess over k={widest} {dense_excess[0]:+.4f} "
                        f"[{dense_excess[2]:+.4f}, {dense_excess[3]:+.4f}])"
                    ),
                    **judge(
                        {t: test[peak][t] - test[last][t] for t in common},
                        min_trials=min_trials,
                        quick=quick,
                        confidence=confidence,
                    ),
                )
                row["peak_ratio"] = peak / dense_peak
                row["dense_peak_real"] = bool(dense_excess[2] > 0)
                out.append(row)
    return out


def finish_double_descent(rows: list[dict]) -> list[dict]:
    """After :func:`holm`: a (v) cell PASSes only with a real dense peak and the
    peaks within a factor 2 (see :func:`double_descent_claims`)."""
    for row in rows:
        if row["claim"] != "pruned_peak_near_dense_peak" or row["verdict"] != "PASS":
            continue
        if not row["dense_peak_real"]:
            row["verdict"], row["reading"] = "FAIL", "unresolved (the dense curve has no real peak)"
        elif not 0.5 <= row["peak_ratio"] <= 2.0:
            row["verdict"], row["reading"] = "FAIL", f"peaks apart (pruned/dense width {row['peak_ratio']:.2f})"
    return rows


def verdict_line(row: dict) -> str:
    """One line: the cell, the compared errors, the margin with its interval and resolution, the verdict."""
    level = row.get("holm_level")
    at = f"Holm level {level:.4f}, " if level is not None and not np.isnan(level) else ""
    return (
        f"{row['label']}: {row['compared']}; margin {row['margin']:+.4f} "
        f"[{row['ci_low']:+.4f}, {row['ci_high']:+.4f}] ({at}{row['trials']} trials), "
        f"resolvable {row['resolvable']:.4f}: {row['verdict']} ({row['reading']})"
    )


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
            out.append(
                dict(
                    name=f"{claim} [{study}]",
                    passed=counts["PASS"] == len(mine),
                    skipped=counts["SKIPPED"] == len(mine),
                    detail=(
                        f"{statement}: {counts['PASS']} of {len(mine)} cells PASS, {counts['FAIL']} FAIL, "
                        f"{counts['SKIPPED']} SKIPPED (Holm over the claim's "
                        f"{max(row['family'] for row in mine)} judged cells); "
                        + "; ".join(verdict_line(row) for row in mine)
                    ),
                    resolvable=(
                        f"interval half-width up to {worst:.4f} test error "
                        f"({min(row['trials'] for row in mine)} trials per cell)"
                    ),
                )
            )
    return out
