"""Programmatic checks of claim C7 on the tidy rows of a width sweep
(THEORY.md section 7; the paper's Figs. 1, 5, 6).

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

Each check returns one verdict row per budget: ``{claim, base_width, budget,
margin_mean, margin_sd, margin_min, trials, passed, detail}`` (margins in
test-error units, i.e. fractions of the test set; sd over trials, 0 for one
trial).
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


def _verdict(claim: str, k0: int, budget: int, margins: dict[int, float], detail: str) -> dict:
    # errors are multiples of 1/n_test: round away float noise of the averages,
    # so that a tie counts as a tie (not a pass) in "positive in every trial"
    values = np.round(np.array([margins[t] for t in sorted(margins)], dtype=float), 12)
    sd = float(values.std(ddof=1)) if values.size > 1 else 0.0
    passed = bool(values.size > 0 and values.min() > 0)
    return dict(
        claim=claim,
        base_width=k0,
        budget=budget,
        margin_mean=float(values.mean()) if values.size else float("nan"),
        margin_sd=sd,
        margin_min=float(values.min()) if values.size else float("nan"),
        trials=int(values.size),
        passed=passed,
        detail=(
            f"k0={k0} (budget {budget}): {detail}; margin {values.mean():+.4f} "
            f"(sd {sd:.4f}, min {values.min():+.4f} over {values.size} trials) -> "
            f"{'PASS' if passed else 'FAIL'}"
        ),
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
            f"dense k={k0} test error {_mean(reference):.4f}, best pruned k={best} {_mean(retrained[(k0, best)]):.4f}",
        ))
        verdicts.append(_verdict(
            "magnitude_beats_random", k0, budget,
            _paired_average(random_retrained, retrained, keys, trials),
            f"random {np.mean([_mean(random_retrained[key]) for key in keys]):.4f} vs magnitude "
            f"{np.mean([_mean(retrained[key]) for key in keys]):.4f} averaged over widths {widths}",
        ))
        verdicts.append(_verdict(
            "retraining_helps", k0, budget,
            _paired_average(pruned, retrained, keys, trials),
            f"no retraining {np.mean([_mean(pruned[key]) for key in keys]):.4f} vs retrained "
            f"{np.mean([_mean(retrained[key]) for key in keys]):.4f} averaged over widths {widths}",
        ))
    return verdicts


def summarize_claims(verdicts: list[dict]) -> list[tuple[str, bool, str]]:
    """One ``(claim, passed, detail)`` per claim: passed when every budget passed."""
    out = []
    for claim, statement in CLAIMS.items():
        mine = [v for v in verdicts if v["claim"] == claim]
        passed = bool(mine) and all(v["passed"] for v in mine)
        out.append((claim, passed, statement + ": " + "; ".join(v["detail"] for v in mine)))
    return out
