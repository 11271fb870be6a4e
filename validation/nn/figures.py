"""Figures of the width sweeps drawn from their stored tidy rows and verdict rows
(docs/theory.md#claims, C7; the paper's Figs. 1, 5, 6).

* :func:`width_sweep_figures`: one figure per (study, retraining mode, pruning
  scheme) of a sweep study, one column per budget, test error (top) and
  training error (bottom) against width k (log scale). Markers are means over
  seeds with the 95% Student-t interval of the mean: black the dense network
  of width k; blue magnitude-pruned and retrained; grey randomly pruned (the
  same scheme) and retrained; orange magnitude-pruned, not retrained (drawn,
  but the y-range is set by the retrained curves, so it may leave the panel);
  dashed the fair baseline of the budget (the dense width-k0 network trained
  as long as the pruned route at the rate chosen on validation); a star at k*.
  The legend sits outside the panels.
* :func:`margin_figures`: one figure per claim: every judged cell's paired
  margin with the interval its verdict uses (the Student-t interval at the
  cell's Holm level), coloured by verdict; the line at 0 is the null.
* :func:`double_descent_figure`: test error against width of the dense and
  pruned networks of a double-descent study, with the peaks located on the
  validation split.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy import stats

VERDICT_COLOURS = {"PASS": "tab:green", "FAIL": "tab:red", "SKIPPED": "tab:gray"}


def curve(rows, method: str, stage: str, base_width, value: str = "test_error", **match):
    """(widths, means, half-widths) of ``value`` over trials for one method, stage and
    budget (rows also filtered on ``match``: study, mode, scheme, lr): the mean
    and the half-width of its 95% Student-t interval (0 for one trial)."""
    groups = defaultdict(list)
    for row in rows:
        if (
            row["method"] == method
            and row["stage"] == stage
            and row["base_width"] == base_width
            and all(row.get(k) == v for k, v in match.items())
        ):
            groups[row["width"]].append(float(row[value]))
    widths = sorted(groups)
    means = np.array([np.mean(groups[w]) for w in widths])
    halves = np.array(
        [
            stats.t.ppf(0.975, len(groups[w]) - 1) * np.std(groups[w], ddof=1) / np.sqrt(len(groups[w]))
            if len(groups[w]) > 1
            else 0.0
            for w in widths
        ]
    )
    return np.array(widths), means, halves


def _save(plt, fig, path: Path) -> Path:
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _plot(ax, widths, means, halves, **style):
    if widths.size:
        ax.errorbar(widths, means, yerr=halves, marker="o", markersize=3, capsize=2, linewidth=1.2, **style)


def width_sweep_figures(
    rows: list[dict], stem: Path, k_star: dict | None = None, lr_star: dict | None = None
) -> list[Path]:
    """Draw every (study, mode, scheme) figure (module docstring) of the sweep
    studies in ``rows``; files ``STEM_<study>_<mode>[_<scheme>].png``.
    ``k_star``: ``{(study, base_width, mode, scheme): width}`` to mark;
    ``lr_star``: ``{(study, base_width): rate}`` of the fair baseline."""
    from validation.report import legend_outside, pyplot

    plt = pyplot()
    stem = Path(stem)
    sweep = [r for r in rows if r.get("judge", "sweep") == "sweep"]
    combos = sorted({(r["study"], r["mode"], r["scheme"]) for r in sweep if r["method"] == "magnitude"})
    paths = []
    for study, mode, scheme in combos:
        mine = [r for r in sweep if r["study"] == study]
        budgets = sorted({(r["base_width"], r["budget"]) for r in mine if r["method"] == "magnitude"})
        fig, axes = plt.subplots(2, len(budgets), figsize=(3.6 * len(budgets) + 2.2, 5.6), squeeze=False, sharex="col")
        for column, (k0, n_keep) in enumerate(budgets):
            for line, value in enumerate(("test_error", "train_error")):
                ax = axes[line, column]
                dense = curve(mine, "dense", "dense", None, value)
                _plot(ax, *dense, color="black", linestyle="-", label="dense, width k")
                rate = (lr_star or {}).get((study, k0))
                fair = curve(mine, "dense_fair", "dense", k0, value, lr=rate) if rate is not None else None
                if fair is not None and fair[0].size:
                    ax.axhline(
                        fair[1][0],
                        color="black",
                        linewidth=0.8,
                        linestyle="--",
                        label="fair baseline (dense k0, as long)",
                    )
                retrained = curve(mine, "magnitude", "retrained", k0, value, mode=mode, scheme=scheme)
                _plot(ax, *retrained, color="tab:blue", linestyle="-", label="magnitude + retrain")
                random = curve(mine, "random", "retrained", k0, value, mode=mode, scheme=scheme)
                _plot(ax, *random, color="tab:gray", linestyle=":", label="random + retrain (same scheme)")
                _plot(
                    ax,
                    *curve(mine, "magnitude", "pruned", k0, value, mode=mode, scheme=scheme),
                    color="tab:orange",
                    linestyle=":",
                    label="magnitude, not retrained",
                )
                if mode == "lr_rewind":
                    _plot(
                        ax,
                        *curve(mine, "imp", "retrained", k0, value, mode=mode, scheme=scheme),
                        color="tab:purple",
                        linestyle="-.",
                        label="iterative (20%/round) + retrain",
                    )
                best = (k_star or {}).get((study, k0, mode, scheme))
                if best is not None and value == "test_error" and best in retrained[0]:
                    ax.plot(
                        [best],
                        [retrained[1][list(retrained[0]).index(best)]],
                        marker="*",
                        markersize=12,
                        color="tab:red",
                        linestyle="none",
                        label="k* (validation)",
                        zorder=5,
                    )
                # the y-range of the retrained curves, the dense curve and the baseline
                shown = [a + b for a, b in ((retrained[1], retrained[2]), (random[1], random[2])) if a.size] + [
                    dense[1] + dense[2]
                ]
                lows = [a - b for a, b in ((retrained[1], retrained[2]), (random[1], random[2])) if a.size]
                lows.append(dense[1] - dense[2])
                top, bottom = max(float(np.max(s)) for s in shown), min(float(np.min(s)) for s in lows)
                if fair is not None and fair[0].size:
                    top, bottom = max(top, fair[1][0]), min(bottom, fair[1][0])
                pad = 0.06 * (top - bottom) + 1e-3
                ax.set_ylim(bottom - pad, top + pad)
                ax.set_xscale("log", base=2)
                ax.grid(True, alpha=0.3)
                if line == 0:
                    ax.set_title(f"budget {n_keep} (k0 = {k0})")
                else:
                    ax.set_xlabel("width k")
                if column == 0:
                    ax.set_ylabel("test error" if line == 0 else "training error")
        legend_outside(axes[0, -1])
        fig.suptitle(
            f"{study}\n{mode}"
            + (f", {scheme} pruning" if scheme != "global" else "")
            + " (mean over seeds, 95% t interval)"
        )
        name = f"{stem.name}_{study}_{mode}" + (f"_{scheme}" if scheme != "global" else "") + ".png"
        paths.append(_save(plt, fig, stem.parent / name))
    return paths


def margin_figures(verdicts: list[dict], stem: Path, titles: dict[str, str]) -> list[Path]:
    """One figure per claim (module docstring): files ``STEM_margins_<claim>.png``."""
    from validation.report import pyplot

    plt = pyplot()
    stem = Path(stem)
    paths = []
    for claim, title in titles.items():
        mine = [v for v in verdicts if v["claim"] == claim]
        if not mine:
            continue
        fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(mine) + 1.4))
        for y, v in enumerate(mine):
            colour = VERDICT_COLOURS.get(v["verdict"], "black")
            low, high = v["ci_low"], v["ci_high"]
            ax.errorbar(
                [v["margin"]],
                [y],
                xerr=[[v["margin"] - low], [high - v["margin"]]],
                marker="o",
                markersize=4,
                capsize=2,
                color=colour,
                linestyle="none",
            )
        ax.axvline(0.0, color="black", linewidth=0.8)
        ax.set_yticks(range(len(mine)))
        ax.set_yticklabels([v["label"] for v in mine], fontsize=7)
        ax.invert_yaxis()
        ax.set_xlabel("paired margin in test error (interval at the cell's Holm level)")
        counts = {k: sum(v["verdict"] == k for v in mine) for k in VERDICT_COLOURS}
        ax.set_title(
            textwrap.fill(title, 90) + f"\n{counts['PASS']} PASS (green), {counts['FAIL']} FAIL (red), "
            f"{counts['SKIPPED']} SKIPPED (grey) of {len(mine)} cells",
            loc="left",
        )
        ax.grid(True, axis="x", alpha=0.3)
        paths.append(_save(plt, fig, stem.parent / f"{stem.name}_margins_{claim}.png"))
    return paths


def double_descent_figure(rows: list[dict], verdicts: list[dict], stem: Path) -> list[Path]:
    """One figure per double-descent study (module docstring): ``STEM_<study>.png``."""
    from validation.report import legend_outside, pyplot

    plt = pyplot()
    stem = Path(stem)
    paths = []
    for study in sorted({r["study"] for r in rows if r.get("judge") == "double_descent"}):
        mine = [r for r in rows if r["study"] == study]
        fig, axes = plt.subplots(1, 2, figsize=(10.5, 3.8))
        for ax, value in zip(axes, ("test_error", "train_error")):
            _plot(ax, *curve(mine, "dense", "dense", None, value), color="black", label="dense, width k")
            for index, (k0, mode, scheme) in enumerate(
                sorted({(r["base_width"], r["mode"], r["scheme"]) for r in mine if r["method"] == "magnitude"})
            ):
                colour = ("tab:blue", "tab:green", "tab:purple")[index % 3]
                _plot(
                    ax,
                    *curve(mine, "magnitude", "retrained", k0, value, mode=mode, scheme=scheme),
                    color=colour,
                    label=f"pruned to k0 = {k0}, {mode}",
                )
                _plot(
                    ax,
                    *curve(mine, "magnitude", "pruned", k0, value, mode=mode, scheme=scheme),
                    color=colour,
                    linestyle=":",
                    label=f"pruned to k0 = {k0}, not retrained",
                )
            ax.set_xscale("log", base=2)
            ax.set_xlabel("width k")
            ax.set_ylabel(value.replace("_", " "))
            ax.grid(True, alpha=0.3)
        dense_peaks = {v["dense_peak"] for v in verdicts if v["study"] == study and "dense_peak" in v}
        for peak in dense_peaks:
            axes[0].axvline(peak, color="black", linewidth=0.8, linestyle="--", label=f"dense peak k = {peak}")
        for v in verdicts:
            if (
                v["study"] == study
                and v["claim"] == "pruned_peak_near_dense_peak"
                and "not retrained" not in v["label"]
            ):
                axes[0].axvline(
                    v["k_star"],
                    color="tab:red",
                    linewidth=0.8,
                    linestyle=":",
                    label=f"pruned peak k = {v['k_star']} (k0 = {v['base_width']})",
                )
        legend_outside(axes[1])
        fig.suptitle(f"{study}: double descent in width (mean over seeds, 95% t interval; peaks on validation)")
        paths.append(_save(plt, fig, stem.parent / f"{stem.name}_{study}.png"))
    return paths
