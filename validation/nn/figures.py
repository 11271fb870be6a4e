"""Figures of the width sweeps drawn from their stored tidy rows, in the style of
the paper's Fig. 6 (docs/theory.md#claims, C7).

One figure per (study, retraining mode, pruning scheme); one column per budget
(base width k0), error against width k (log scale): the top row test error,
the bottom row training error. Markers are means over seeds with error bars
of one standard deviation:

* black: the dense network of width k (the same in every panel);
* solid, colour: magnitude-pruned to the budget, then retrained;
* dotted, grey: randomly pruned to the budget, then retrained (magnitude vs random);
* dotted, colour: magnitude-pruned, not retrained (retrained vs not);
* a horizontal line at the dense width-k0 network's error (the budget's
  reference) and a star at k*, the width chosen on the validation split.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np


def curve(rows, method: str, stage: str, base_width, value: str = "test_error", **match):
    """(widths, means, sds) of ``value`` over trials for one method, stage and budget
    (rows also filtered on ``match``: study, mode, scheme)."""
    groups = defaultdict(list)
    for row in rows:
        if (row["method"] == method and row["stage"] == stage and row["base_width"] == base_width
                and all(row.get(k) == v for k, v in match.items())):
            groups[row["width"]].append(float(row[value]))
    widths = sorted(groups)
    means = np.array([np.mean(groups[w]) for w in widths])
    sds = np.array([np.std(groups[w], ddof=1) if len(groups[w]) > 1 else 0.0 for w in widths])
    return np.array(widths), means, sds


def _plot(ax, widths, means, sds, **style):
    if widths.size:
        ax.errorbar(widths, means, yerr=sds, marker="o", markersize=3, capsize=2, linewidth=1.2, **style)


def _random_scheme(rows, study, scheme):
    schemes = {row["scheme"] for row in rows if row["study"] == study and row["method"] == "random"}
    return scheme if scheme in schemes else (sorted(schemes)[0] if schemes else scheme)


def width_sweep_figures(rows: list[dict], stem: Path, k_star: dict | None = None) -> list[Path]:
    """Draw every (study, mode, scheme) figure (module docstring) from ``rows``;
    files ``STEM_<study>_<mode>[_<scheme>].png``. ``k_star``: optional
    ``{(study, base_width, mode, scheme): width}`` to mark."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    stem = Path(stem)
    combos = sorted({(r["study"], r["mode"], r["scheme"]) for r in rows if r["method"] == "magnitude"})
    paths = []
    for study, mode, scheme in combos:
        mine = [r for r in rows if r["study"] == study]
        budgets = sorted({(r["base_width"], r["budget"]) for r in mine if r["base_width"] is not None})
        random_scheme = _random_scheme(rows, study, scheme)
        fig, axes = plt.subplots(2, len(budgets), figsize=(4.6 * len(budgets), 6.4), squeeze=False,
                                 sharex="col")
        for column, (k0, n_keep) in enumerate(budgets):
            for line, value in enumerate(("test_error", "train_error")):
                ax = axes[line, column]
                dense = curve(mine, "dense", "dense", None, value)
                _plot(ax, *dense, color="black", linestyle="-", label="dense, width k")
                at_k0 = dense[1][list(dense[0]).index(k0)] if k0 in dense[0] else None
                if at_k0 is not None:
                    ax.axhline(at_k0, color="black", linewidth=0.7, linestyle="--",
                               label=f"dense k0={k0} (the budget)")
                _plot(ax, *curve(mine, "magnitude", "retrained", k0, value, mode=mode, scheme=scheme),
                      color="tab:blue", linestyle="-", label="magnitude + retrain")
                _plot(ax, *curve(mine, "random", "retrained", k0, value, mode=mode, scheme=random_scheme),
                      color="tab:gray", linestyle=":", label=f"random + retrain ({random_scheme})")
                _plot(ax, *curve(mine, "magnitude", "pruned", k0, value, mode=mode, scheme=scheme),
                      color="tab:orange", linestyle=":", label="magnitude, not retrained")
                best = (k_star or {}).get((study, k0, mode, scheme))
                if best is not None and value == "test_error":
                    widths, means, _ = curve(mine, "magnitude", "retrained", k0, value, mode=mode, scheme=scheme)
                    if best in widths:
                        ax.plot([best], [means[list(widths).index(best)]], marker="*", markersize=13,
                                color="tab:red", linestyle="none", label="k* (validation)")
                ax.set_xscale("log", base=2)
                ax.grid(True, alpha=0.3)
                if line == 0:
                    ax.set_title(f"budget {n_keep} weights (k0 = {k0})", fontsize=10)
                else:
                    ax.set_xlabel("width k")
                if column == 0:
                    ax.set_ylabel("test error" if line == 0 else "training error")
        axes[0, 0].legend(fontsize=7)
        fig.suptitle(f"{study}: {mode}" + (f", {scheme} pruning" if scheme != "global" else "")
                     + " (mean +- sd over seeds)", fontsize=11)
        fig.tight_layout()
        path = stem.parent / (f"{stem.name}_{study}_{mode}" + (f"_{scheme}" if scheme != "global" else "") + ".png")
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=110)
        plt.close(fig)
        paths.append(path)
    return paths
