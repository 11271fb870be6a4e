"""Figures of the command line: the risk curve of ``dctheory demo`` and the decision of ``advise --plot``.

Every number drawn comes from the result object passed in (a :class:`~dctheory.results.Curve` or the
tidy rows of an :class:`~dctheory.results.Advice`); matplotlib is imported only when drawing.
"""

from __future__ import annotations

from os import PathLike
from typing import TYPE_CHECKING, Any

import numpy as np

from dctheory.strategies import NEEDS_ORACLE, ROUNDS, SMALL, STRATEGIES, STYLES

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from dctheory.results import Advice, Curve

__all__ = ["plot_curve", "plot_advice", "advice_figure"]


def _figure(**options: Any) -> Figure:
    """A matplotlib Figure outside pyplot: no global backend or figure state is touched (in a notebook
    it displays as returned; ``savefig`` renders it)."""
    from matplotlib.figure import Figure

    return Figure(**options)


def plot_curve(curve: Curve, path: str | PathLike[str], title: str = "") -> None:
    """Theory lines of every strategy of the curve against m (those of the rules it was evaluated for, in the
    display order), with the m = n line labelled (log scale)."""
    fig = _figure(figsize=(7, 4.5))
    ax = fig.subplots()
    for name in (name for name in STRATEGIES if name in curve.risks):
        values = curve.risks[name]
        # Break the line across the undefined m so that it is not drawn through the peak.
        m_plot = curve.m.astype(float)
        if curve.undefined:
            m_plot = np.insert(m_plot, np.searchsorted(m_plot, curve.undefined[0]), np.nan)
            values = np.insert(values, np.searchsorted(curve.m, curve.undefined[0]), np.nan)
        color, style = STYLES[name]
        ax.plot(m_plot, values, color=color, ls=style, label=name.replace("_", " "), lw=1.5)
    _n_line(ax, curve.n)
    ax.set_yscale("log")
    ax.set_xlabel("m (trained features)")
    ax.set_ylabel("population risk")
    ax.set_title(title)
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


def _n_line(ax: Axes, n: int) -> None:
    ax.axvline(n, color="0.55", lw=0.8, ls=":")
    ax.text(n, 0.98, f" m = n = {n}", transform=ax.get_xaxis_transform(), ha="left", va="top", fontsize=7, color="0.35")


def _routes(advice: Advice) -> dict[str, tuple[np.ndarray, ...]]:
    """strategy -> (m, risk, stderr) arrays at that strategy's best ridge, sorted by m."""
    best = {row["strategy"]: row for row in advice.ranking}
    out = {}
    for strategy, top in best.items():
        rows = sorted(
            (r["m"], r["risk"], r["stderr"])
            for r in advice.rows
            if r["strategy"] == strategy and r["ridge"] == top["ridge"]
        )
        out[strategy] = tuple(np.array(column, dtype=float) for column in zip(*rows))
    return out


def _zoom_range(advice: Advice) -> tuple[float, float]:
    """Risk range of the deciding region: from the best route to the fifth best (and the best small model)."""
    risks = [row["risk"] for row in advice.ranking[:5]]
    if advice.best_small is not None:
        risks.append(advice.best_small["risk"])
    low, high = min(risks), max(risks)
    pad = 0.15 * (high - low) if high > low else 0.02 * abs(low) or 1.0
    return low - pad, high + pad


def plot_advice(advice: Advice, path: str | PathLike[str]) -> None:
    """Write :func:`advice_figure` to ``path`` (the format from its suffix, e.g. .png or .pdf)."""
    advice_figure(advice).savefig(path, dpi=120)


def advice_figure(advice: Advice) -> Figure:
    """The decision of :func:`dctheory.advise` as a matplotlib Figure (two axes: wide, zoom).

    Left: every strategy's predicted risk against m at its best ridge (log scale, all m); small
    models are horizontal lines (they train on m = s). Right: the same on a linear scale, zoomed
    on the risks of the best routes, where the decision is made. The recommended route (``best``)
    is starred and labelled, m = n is marked, and routes predicted by DC sampling carry bands of
    +- 2 standard errors.
    """

    routes = _routes(advice)
    fig = _figure(figsize=(12, 5))
    wide, zoom = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.15]})
    sampled = False
    for rank, (strategy, (m, risk, stderr)) in enumerate(routes.items()):
        color, style = STYLES[strategy]
        width = max(2.8 - 0.3 * rank, 1.0)  # by rank: routes that coincide (e.g. Sigma = I) all stay visible
        row = advice[strategy]
        label = (
            f"{strategy.replace('_', ' ')}{' *' if strategy in NEEDS_ORACLE else ''}, ridge {row['ridge']:g}: "
            f"{row['risk']:.4g} at m = {row['m']}"
        )
        for ax in (wide, zoom):
            if strategy in SMALL:
                ax.axhline(risk[0], color=color, ls=style, lw=1.2)
                ax.plot(m, risk, "o", color=color, ms=4, label=label if ax is wide else None)
                continue
            if strategy in ROUNDS:  # schedules start at one m: the best one, a marker there
                ax.plot(row["m"], row["risk"], "D", color=color, ms=5, label=label if ax is wide else None)
                continue
            ax.plot(m, risk, color=color, ls=style, lw=width, label=label if ax is wide else None)
            if np.any(stderr > 0):
                sampled = True
                ax.fill_between(m, risk - 2 * stderr, risk + 2 * stderr, color=color, alpha=0.18, lw=0)
    best = advice.best
    for ax in (wide, zoom):
        ax.plot(
            best["m"],
            best["risk"],
            "*",
            color="crimson",
            ms=16,
            mec="k",
            mew=0.6,
            zorder=5,
            label=f"recommended: {best['strategy'].replace('_', ' ')}" if ax is wide else None,
        )
        _n_line(ax, advice.n)
        ax.set_xlabel("m (features trained, then pruned to s)")
    low, high = _zoom_range(advice)
    zoom.set_ylim(low, high)
    on_right = best["m"] > (advice.s + advice.P) / 2
    zoom.annotate(
        f"recommended: {best['strategy'].replace('_', ' ')}\nm = {best['m']}, ridge {best['ridge']:g}, "
        f"risk {best['risk']:.4g}",
        xy=(best["m"], best["risk"]),
        xytext=(-25 if on_right else 25, 30),
        textcoords="offset points",
        ha="right" if on_right else "left",
        va="bottom",
        fontsize=8,
        arrowprops={"arrowstyle": "->", "color": "crimson"},
        bbox={"boxstyle": "round", "fc": "white", "ec": "crimson", "alpha": 0.9},
    )
    # Log scale only when the risks span more than a factor 5 (else its ticks would hide the values).
    every = np.concatenate([risk for _, risk, _ in routes.values()])
    logarithmic = every.max() > 5 * every.min() > 0
    if logarithmic:
        wide.set_yscale("log")
    wide.set_ylabel("predicted population risk")
    wide.set_title(f"every route at its best ridge ({'log' if logarithmic else 'linear'} scale)", fontsize=10)
    zoom.set_title("zoom on the best routes (linear scale)", fontsize=10)
    fig.suptitle(f"Train small or prune large? P = {advice.P}, n = {advice.n}, s = {advice.s}", fontsize=11)
    notes = "* needs the true top-s features. Dotted: small models (m = s)."
    if sampled:
        notes += " Bands: +- 2 s.e. of DC sampling."
    handles, labels = wide.get_legend_handles_labels()
    fig.legend(
        handles, labels, loc="lower center", ncol=3, fontsize=7.5, frameon=False, title=notes, title_fontsize=7.5
    )
    fig.tight_layout(rect=(0, 0.17, 1, 1))
    return fig
