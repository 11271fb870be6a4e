"""Figures of the width sweep drawn from its stored tidy rows, in the manner
of the paper's Figs. 1, 5 and 6 (docs/theory.md#claims, C7).

Three panels, test error against width k (log scale), markers with error bars
(mean +- standard deviation over trials), one colour per budget k0 and the
dense networks in black for reference:

(a) magnitude-pruned and retrained (solid) with the dense test error, and the
    training errors dashed (Figs. 1, 6(a));
(b) solid as in (a), random pruning at the same nonzeros dotted (Figs. 5(a), 6(b));
(c) solid as in (a), magnitude-pruned without retraining dotted (Figs. 5(b), 6(c)).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import numpy as np


def curve(rows, method: str, stage: str, base_width, value: str = "test_error"):
    """(widths, means, sds) of ``value`` over trials for one method/stage/budget."""
    groups = defaultdict(list)
    for row in rows:
        if row["method"] == method and row["stage"] == stage and row["base_width"] == base_width:
            groups[row["width"]].append(float(row[value]))
    widths = sorted(groups)
    means = np.array([np.mean(groups[w]) for w in widths])
    sds = np.array([np.std(groups[w], ddof=1) if len(groups[w]) > 1 else 0.0 for w in widths])
    return np.array(widths), means, sds


def _plot(ax, rows, method, stage, base_width, *, color, linestyle, label, value="test_error"):
    widths, means, sds = curve(rows, method, stage, base_width, value)
    if widths.size:
        ax.errorbar(widths, means, yerr=sds, color=color, linestyle=linestyle, marker="o",
                    markersize=3, capsize=2, linewidth=1.2, label=label)


def width_sweep_figure(rows: list[dict], path: str | Path, title: str = "") -> Path:
    """Draw the three panels (module docstring) from ``rows`` and save to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    base_widths = sorted({row["base_width"] for row in rows if row["base_width"] is not None})
    colors = dict(zip(base_widths, plt.get_cmap("tab10").colors))
    budget_of = {row["base_width"]: row["budget"] for row in rows if row["base_width"] is not None}
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.4), sharey=True)
    for ax in axes:
        _plot(ax, rows, "dense", "dense", None, color="black", linestyle="-", label="dense")
        for k0 in base_widths:
            _plot(ax, rows, "magnitude", "retrained", k0, color=colors[k0], linestyle="-",
                  label=f"k0={k0} (s={budget_of[k0]}) magnitude + retrain")
        ax.set_xscale("log", base=2)
        ax.set_xlabel("width k")
        ax.grid(True, alpha=0.3)
    _plot(axes[0], rows, "dense", "dense", None, color="black", linestyle="--", label="dense, train",
          value="train_error")
    for k0 in base_widths:
        _plot(axes[0], rows, "magnitude", "retrained", k0, color=colors[k0], linestyle="--",
              label=f"k0={k0}, train", value="train_error")
        _plot(axes[1], rows, "random", "retrained", k0, color=colors[k0], linestyle=":",
              label=f"k0={k0} random + retrain")
        _plot(axes[2], rows, "magnitude", "pruned", k0, color=colors[k0], linestyle=":",
              label=f"k0={k0} no retraining")
    axes[0].set_ylabel("error")
    axes[0].set_title("(a) test (solid) and train (dashed) error")
    axes[1].set_title("(b) magnitude (solid) vs random (dotted) pruning")
    axes[2].set_title("(c) retrained (solid) vs not retrained (dotted)")
    for ax in axes:
        ax.legend(fontsize=6.5)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path
