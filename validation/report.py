"""Tables, CSV files and figures drawn from stored tidy rows.

Every number shown comes from the rows of the result store (simulation) and
the experiment's theory rows, written to CSV by the same run:

    <out>/<name>/simulation.csv   one row per point, strategy and trial
    <out>/<name>/theory.csv       one row per point and strategy
    <out>/<name>/verdicts.csv     one row per simulated point and strategy
    <out>/<name>/claims.csv       one row per claim
    <out>/<name>/<name>.png/.pdf  the figure
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

# a fixed colour per strategy so that every figure reads the same
COLOURS = {
    "dense": "black", "magnitude": "tab:blue", "hessian": "tab:red", "oracle": "tab:green",
    "random": "tab:gray", "magnitude_retrained": "tab:cyan", "hessian_retrained": "tab:orange",
    "magnitude_retrained_same": "tab:cyan", "hessian_retrained_same": "tab:orange",
}
MARKERS = {"dense": "o", "magnitude": "s", "hessian": "^", "oracle": "D", "random": "x",
           "magnitude_retrained": "v", "hessian_retrained": "<",
           "magnitude_retrained_same": "1", "hessian_retrained_same": "2"}


def write_csv(path: Path, rows: list[dict]) -> Path:
    """Write dict rows (columns = union of keys in first-seen order)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fields: list[str] = []
    for row in rows:
        fields.extend(k for k in row if k not in fields)
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _fmt(x: float) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "nan"
    if isinstance(x, float) and math.isinf(x):
        return "inf"
    return f"{x:.4g}"


def verdict_table(verdicts: list[dict], keys: tuple[str, ...]) -> str:
    """Plain-text table: keys, theory (+- s.e.), sim mean +- s.e., z, rel, allowance, verdict."""
    head = [*keys, "theory", "sim mean +- se", "z", "rel", "allow", "verdict"]
    lines = [head]
    for v in verdicts:
        theory = _fmt(v["theory"]) + (f" +- {_fmt(v['theory_se'])}" if v["theory_se"] else "")
        lines.append([*(str(v[k]) for k in keys), theory,
                      f"{_fmt(v['sim_mean'])} +- {_fmt(v['sim_se'])}", f"{v['z']:+.2f}",
                      f"{v['rel']:+.3f}", f"{v['allowance']:.2f}",
                      v["verdict"] + (f" ({v['fallbacks']} fallback)" if v.get("fallbacks") else "")])
    widths = [max(len(r[i]) for r in lines) for i in range(len(head))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in lines)


def curve_figure(sim_summary: dict, theory_rows: list[dict], strategies, *, n: int | None,
                 stem: Path, title: str, xkey: str = "m", xlabel: str = "m (features trained on)",
                 logy: bool = True) -> list[Path]:
    """Theory lines, simulation markers with standard-error bars, and the m = n line.

    ``sim_summary``: {(x, strategy): (mean, se, count, fallbacks)} (see
    :func:`validation.verdicts.summarize`); ``theory_rows`` carry ``xkey``,
    ``strategy``, ``risk``.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.0, 4.6))
    for strategy in strategies:
        colour = COLOURS.get(strategy, None)
        same = strategy.endswith("_same")
        pts = sorted((r[xkey], r["risk"]) for r in theory_rows
                     if r["strategy"] == strategy and np.isfinite(r["risk"]))
        if pts and not same:
            x, y = zip(*pts)
            ax.plot(x, y, "-", color=colour, lw=1.4, label=f"{strategy} (theory)")
        sims = sorted((k[0], v[0], v[1]) for k, v in sim_summary.items() if k[1] == strategy)
        if sims:
            x, y, e = zip(*sims)
            ax.errorbar(x, y, yerr=e, fmt=MARKERS.get(strategy, "o"), color=colour, ms=4,
                        mfc="none" if same else colour, capsize=2, lw=0.8,
                        label=f"{strategy} (sim)")
    if n is not None:
        ax.axvline(n, color="k", ls=":", lw=1, label=f"{xkey} = n = {n}")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("risk")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, ncol=2)
    return save_figure(fig, stem)


def save_figure(fig, stem: Path, dpi: int = 130) -> list[Path]:
    """Write ``fig`` as STEM.png and STEM.pdf (creating the folder), close it, return the paths."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".pdf")]
    for p in paths:
        fig.savefig(p, dpi=dpi)
    plt.close(fig)
    return paths
