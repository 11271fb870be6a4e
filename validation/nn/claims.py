"""Programmatic checks of claim C7 on the tidy rows of a width sweep
(docs/theory.md#claims; the paper's Figs. 1, 5, 6).

Rows are those of :func:`validation.nn.protocol.run_width`, with a ``trial``
key (one trial = one seed of the whole protocol). All three checks compare
**test error** and are *paired over trials*: a margin is computed within each
trial and the claim passes only if it is positive in every trial. The rule was
fixed before any sweep was run; nothing here was tuned to make a claim pass.

(i) **wide-then-pruned beats small-dense**, per budget k0: the margin is
    ``dense(k0) - magnitude_retrained(k*)`` where k* is the width > k0 whose
    mean (over trials) retrained test error is lowest. Choosing k* by the
    same trials favours the pruned side slightly (a max over widths of noisy
    means); the per-trial spread is reported so that can be judged.
(ii) **magnitude beats random pruning at equal nonzeros**, per budget: the
    margin is ``random_retrained - magnitude_retrained`` averaged over all
    widths pruned to that budget.
(iii) **retraining lowers test error**, per budget: the margin is
    ``magnitude_pruned - magnitude_retrained`` averaged over the widths pruned
    to that budget.

Each check returns one verdict row per budget, in the columns of the shared
report (:func:`validation.report.verdict_table`): ``claim, base_width, budget,
compared`` (the two test errors compared, means over trials), ``margin_min``
(the smallest per-trial margin), ``sim_mean`` and ``sim_se`` (mean margin and
its standard error over trials), ``z = sim_mean / sim_se`` (inf when every
trial has the same margin), ``theory = 0`` (the null: no difference),
``trials`` and ``verdict`` (PASS iff every per-trial margin is > 0). Margins
are in test-error units (fractions of the test set).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from dctheory.errors import ConfigError

CLAIMS = {
    "wide_pruned_beats_small_dense": "(i) at each budget the best pruned wide network beats the dense network of that budget",
    "magnitude_beats_random": "(ii) magnitude pruning beats random pruning at equal nonzeros (after retraining)",
    "retraining_helps": "(iii) retraining lowers the test error of magnitude-pruned networks",
}


def _test_errors(rows, method: str, stage: str) -> dict[tuple, dict[int, float]]:
    """{(base_width or None, width): {trial: test_error}} for one method and stage."""
    table: dict[tuple, dict[int, float]] = defaultdict(dict)
    for row in rows:
        if row["method"] == method and row["stage"] == stage:
            table[(row["base_width"], row["width"])][int(row["trial"])] = float(row["test_error"])
    return table


def _verdict(claim: str, k0: int, budget: int, margins: dict[int, float], compared: str) -> dict:
    # errors are multiples of 1/n_test: round away float noise of the averages,
    # so that a tie counts as a tie (not a pass) in "positive in every trial"
    values = np.round(np.array([margins[t] for t in sorted(margins)], dtype=float), 12)
    if values.size == 0:
        raise ConfigError(f"claim {claim} at base width {k0}: no trial has all the rows it compares")
    sd = float(values.std(ddof=1)) if values.size > 1 else 0.0
    mean = float(values.mean())
    se = sd / np.sqrt(values.size)
    return dict(
        claim=claim,
        base_width=k0,
        budget=budget,
        compared=compared,
        margin_min=round(float(values.min()), 6),
        theory=0.0,  # the null hypothesis: no difference
        theory_se=0.0,
        sim_mean=mean,
        sim_se=se,
        trials=int(values.size),
        z=mean / se if se > 0 else float(np.copysign(np.inf, mean)) if mean != 0 else 0.0,
        rel=float("nan"),
        allowance=0.0,
        verdict="PASS" if values.min() > 0 else "FAIL",
    )


def _mean(values: dict[int, float]) -> float:
    return float(np.mean(list(values.values())))


def _budgets(rows) -> dict[int, int]:
    found = {row["base_width"]: row["budget"] for row in rows if row["base_width"] is not None}
    if not found:
        raise ConfigError("no pruned rows: every width's count is <= every budget; add wider widths")
    return dict(sorted(found.items()))


def _paired_average(first, second, keys, trials) -> dict[int, float]:
    """Per trial, the mean over ``keys`` of ``first - second``."""
    return {t: float(np.mean([first[key][t] - second[key][t] for key in keys])) for t in trials}


def check_claims(rows: list[dict]) -> list[dict]:
    """The verdict rows of claims (i), (ii), (iii) for every budget (module docstring)."""
    dense = _test_errors(rows, "dense", "dense")
    retrained = _test_errors(rows, "magnitude", "retrained")
    pruned = _test_errors(rows, "magnitude", "pruned")
    random_retrained = _test_errors(rows, "random", "retrained")
    verdicts = []
    for k0, budget in _budgets(rows).items():
        widths = sorted(width for (base, width) in retrained if base == k0)
        keys = [(k0, width) for width in widths]
        trials = sorted(set.intersection(*(set(retrained[key]) for key in keys)))
        if (None, k0) not in dense:
            raise ConfigError(f"the sweep has no dense network of base width {k0}; add {k0} to widths")
        reference = dense[(None, k0)]
        trials_i = [t for t in trials if t in reference]
        best = min(widths, key=lambda width: _mean(retrained[(k0, width)]))
        verdicts.append(_verdict(
            "wide_pruned_beats_small_dense", k0, budget,
            {t: reference[t] - retrained[(k0, best)][t] for t in trials_i},
            f"dense k={k0} {_mean(reference):.4f} vs pruned k={best} {_mean(retrained[(k0, best)]):.4f}",
        ))
        verdicts.append(_verdict(
            "magnitude_beats_random", k0, budget,
            _paired_average(random_retrained, retrained, keys, trials),
            f"random {np.mean([_mean(random_retrained[key]) for key in keys]):.4f} vs magnitude "
            f"{np.mean([_mean(retrained[key]) for key in keys]):.4f} (k={widths[0]}..{widths[-1]})",
        ))
        verdicts.append(_verdict(
            "retraining_helps", k0, budget,
            _paired_average(pruned, retrained, keys, trials),
            f"not retrained {np.mean([_mean(pruned[key]) for key in keys]):.4f} vs retrained "
            f"{np.mean([_mean(retrained[key]) for key in keys]):.4f} (k={widths[0]}..{widths[-1]})",
        ))
    return verdicts


def verdict_line(verdict: dict) -> str:
    """One line: budget, the compared errors, margin mean, sd and minimum over trials."""
    sd = verdict["sim_se"] * np.sqrt(verdict["trials"])
    return (f"k0={verdict['base_width']} (budget {verdict['budget']}): {verdict['compared']}; margin "
            f"{verdict['sim_mean']:+.4f} (sd {sd:.4f}, min {verdict['margin_min']:+.4f} over "
            f"{verdict['trials']} trials) {verdict['verdict']}")


def summarize_claims(verdicts: list[dict]) -> list[tuple[str, bool, str]]:
    """One ``(claim, passed, detail)`` per claim: passed when every budget passed."""
    out = []
    for claim, statement in CLAIMS.items():
        mine = [v for v in verdicts if v["claim"] == claim]
        passed = bool(mine) and all(v["verdict"] == "PASS" for v in mine)
        out.append((claim, passed, statement + ": " + "; ".join(verdict_line(v) for v in mine)))
    return out
