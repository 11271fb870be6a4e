"""Tables, CSV files and figures drawn from stored tidy rows.

Every number shown comes from the rows of the result store (simulation) and
the experiment's theory rows, written to CSV by the same run:

    <out>/<name>/simulation.csv   one row per point, strategy and trial
    <out>/<name>/theory.csv       one row per point and strategy
    <out>/<name>/verdicts.csv     typed verdict rows (column ``kind``): agreement (one per
                                  simulated point and strategy), margin, rate
    <out>/<name>/claims.csv       one row per claim: name, status, passed, skipped,
                                  resolvable, detail
    <out>/<name>/measurements.csv reported quantities with 95% CIs (when the experiment has any)
    <out>/<name>/<name>.png/.pdf  the figure
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np

# one colour per strategy, shared by its theory line and its simulated points, in every figure
COLOURS = {
    "dense": "black",
    "magnitude": "tab:blue",
    "hessian": "tab:red",
    "hessian_population": "tab:brown",
    "oracle": "tab:green",
    "random": "tab:gray",
    "magnitude_retrained": "tab:cyan",
    "hessian_retrained": "tab:orange",
    "hessian_population_retrained": "tab:olive",
    "magnitude_retrained_same": "tab:cyan",
    "hessian_retrained_same": "tab:orange",
    "small_first": "tab:purple",
    "pruned": "tab:blue",
    "retrained": "tab:cyan",
}
MARKERS = {
    "dense": "o",
    "magnitude": "s",
    "hessian": "^",
    "hessian_population": "*",
    "oracle": "D",
    "random": "x",
    "magnitude_retrained": "v",
    "hessian_retrained": "<",
    "hessian_population_retrained": ">",
    "magnitude_retrained_same": "1",
    "hessian_retrained_same": "2",
    "small_first": "P",
    "pruned": "s",
    "retrained": "v",
}
#: the fallback colours, in order, for series without a fixed colour
CYCLE = (
    "tab:blue",
    "tab:red",
    "tab:green",
    "tab:orange",
    "tab:purple",
    "tab:brown",
    "tab:pink",
    "tab:olive",
    "tab:cyan",
    "tab:gray",
)
#: matplotlib settings of every figure: mathtext symbols, titles that wrap rather than clip
RC = {
    "font.size": 9,
    "axes.titlesize": 9,
    "legend.fontsize": 7,
    "legend.framealpha": 0.85,
    "mathtext.fontset": "cm",
    "figure.dpi": 100,
    "savefig.bbox": "tight",
}
#: how a strategy name is written in a legend
LABELS = {
    "dense": "dense",
    "magnitude": "magnitude (MP)",
    "hessian": "Hessian (HP, sample diagonal)",
    "hessian_population": "Hessian (population diagonal)",
    "oracle": "oracle",
    "random": "random",
    "magnitude_retrained": "MP + fresh retraining",
    "hessian_retrained": "HP + fresh retraining",
    "hessian_population_retrained": "HP (population) + fresh retraining",
    "magnitude_retrained_same": "MP + same-sample retraining",
    "hessian_retrained_same": "HP + same-sample retraining",
}


_GREEK = {
    "Sigma": r"\Sigma",
    "sigma": r"\sigma",
    "beta": r"\beta",
    "kappa": r"\kappa",
    "rho": r"\rho",
    "zeta": r"\zeta",
    "tau2": r"\tau^2",
    "xi": r"\xi",
    "lambda": r"\lambda",
    "Lambda": r"\Lambda",
}


def mathtext(text: str) -> str:
    """``text`` with Greek names written as mathtext symbols ("Sigma = I" -> "$\\Sigma$ = I").

    Text that already holds ``$`` is returned unchanged.
    """
    import re

    if "$" in text:
        return text
    return re.sub(
        r"\b(" + "|".join(sorted(_GREEK, key=len, reverse=True)) + r")\b", lambda m: f"${_GREEK[m.group(1)]}$", text
    )


def colour(strategy: str, index: int = 0) -> str:
    """The colour of ``strategy`` (its fixed one, else the ``index``-th of :data:`CYCLE`)."""
    return COLOURS.get(strategy, CYCLE[index % len(CYCLE)])


def label(strategy: str) -> str:
    return LABELS.get(strategy, strategy.replace("_", " "))


def pyplot():
    """matplotlib.pyplot on the Agg backend with :data:`RC` applied."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(RC)
    return plt


def legend_outside(ax, where: str = "right", **kwargs):
    """A legend outside the axes (``where``: "right" or "below"), where it cannot cover data."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return
    if where == "below":
        ax.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, -0.15), borderaxespad=0.0, **kwargs)
    else:
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0, **kwargs)


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


def fmt(x, digits: int = 4) -> str:
    """A number for a table cell; a missing or non-finite value prints as "-" (never nan or inf)."""
    if x is None or x == "":
        return "-"
    if isinstance(x, str):
        try:
            x = float(x)
        except ValueError:
            return x
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x)
    return f"{x:.{digits}g}" if math.isfinite(x) else "-"


def _signed(x, spec: str) -> str:
    x = float(x) if x not in (None, "") else math.nan
    return format(x, spec) if math.isfinite(x) else "-"


#: the value columns of each row kind (every other column is the row's context)
VALUE_FIELDS = {
    "agreement": (
        "kind",
        "theory",
        "theory_se",
        "sim_mean",
        "sim_se",
        "trials",
        "z",
        "rel",
        "allowance",
        "verdict",
        "fallbacks",
    ),
    "margin": ("kind", "claim", "label", "margin", "ci_low", "ci_high", "trials", "resolvable", "verdict"),
    "rate": ("kind", "claim", "label", "slope", "slope_se", "bound", "verdict"),
}


def kind_of(row: dict) -> str:
    """The row's ``kind``; an untyped row is an agreement row when it has a theory column."""
    kind = row.get("kind") or ("agreement" if "theory" in row else "other")
    return kind if kind in VALUE_FIELDS else "other"


def by_kind(rows: list[dict]) -> dict[str, list[dict]]:
    """Rows grouped by kind, in the order agreement, margin, rate."""
    out: dict[str, list[dict]] = {}
    for kind in ("agreement", "margin", "rate", "other"):
        mine = [r for r in rows if kind_of(r) == kind]
        if mine:
            out[kind] = mine
    return out


def context_keys(rows: list[dict], kind: str) -> list[str]:
    keys: list[str] = []
    for r in rows:
        keys.extend(k for k in r if k not in VALUE_FIELDS[kind] and k not in keys and r[k] not in (None, ""))
    return keys


def table_cells(rows: list[dict], kind: str) -> tuple[list[str], list[list[str]]]:
    """(header, cells) of one kind's table; see :func:`tables`."""
    keys = context_keys(rows, kind) if kind == "agreement" else []
    if kind == "agreement":
        head = [*keys, "theory", "sim mean +- se", "z", "rel", "allow", "verdict"]
        cells = []
        for v in rows:
            theory = fmt(v["theory"]) + (f" +- {fmt(v['theory_se'], 2)}" if float(v["theory_se"] or 0) else "")
            fb = int(float(v.get("fallbacks") or 0))
            cells.append(
                [
                    *(str(v.get(k, "")) for k in keys),
                    theory,
                    f"{fmt(v['sim_mean'])} +- {fmt(v['sim_se'], 2)}",
                    _signed(v["z"], "+.2f"),
                    _signed(v["rel"], "+.3f"),
                    _signed(v["allowance"], ".2f"),
                    v["verdict"] + (f" ({fb} fallback)" if fb else ""),
                ]
            )
    elif kind == "margin":
        head = ["claim", "cell", "margin (95% CI)", "trials", "resolvable", "verdict"]
        cells = [
            [
                v["claim"],
                v["label"],
                f"{fmt(v['margin'])} [{fmt(v['ci_low'], 3)}, {fmt(v['ci_high'], 3)}]",
                fmt(v["trials"]),
                fmt(v["resolvable"], 3),
                v["verdict"],
            ]
            for v in rows
        ]
    elif kind == "other":
        head = list(dict.fromkeys(k for r in rows for k in r))
        cells = [[fmt(r.get(k)) for k in head] for r in rows]
    else:
        head = ["claim", "cell", "slope +- se", "bound", "verdict"]
        cells = [
            [
                v["claim"],
                v["label"],
                f"{_signed(v['slope'], '+.3f')} +- {fmt(v['slope_se'], 2)}",
                fmt(v["bound"]),
                v["verdict"],
            ]
            for v in rows
        ]
    return head, cells


TITLES = {
    "agreement": "theory vs simulation",
    "margin": "paired margins",
    "rate": "rates (fitted slope vs bound)",
    "other": "other rows",
}


def tables(rows: list[dict], markdown: bool = False) -> str:
    """One table per row kind (agreement, margin, rate), each with its own columns.

    Plain text (aligned columns, a title line each) or GitHub markdown.
    """
    parts = []
    for kind, mine in by_kind(rows).items():
        head, cells = table_cells(mine, kind)
        parts.append(_render(head, cells, markdown, TITLES[kind]))
    return "\n\n".join(parts)


def measurement_table(rows: list[dict], markdown: bool = False) -> str:
    """Reported (not judged) measurements: every column as stored, numbers formatted."""
    if not rows:
        return ""
    head = list(dict.fromkeys(k for r in rows for k in r))
    cells = [[fmt(r.get(k)) for k in head] for r in rows]
    return _render(head, cells, markdown, "measurements (reported with 95% CI, not judged)")


def _render(head, cells, markdown: bool, title: str) -> str:
    if markdown:
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        lines += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in cells]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [head, *cells]) for i in range(len(head))]
    lines = [f"-- {title} --"] + ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in [head, *cells]]
    return "\n".join(lines)


def verdict_table(verdicts: list[dict], keys: tuple[str, ...] = ()) -> str:
    """The plain-text tables of :func:`tables` (``keys`` is accepted for compatibility and ignored)."""
    return tables(verdicts)


def curve_figure(
    sim_summary: dict,
    theory_rows: list[dict],
    strategies,
    *,
    n: int | None,
    stem: Path,
    title: str,
    xkey: str = "m",
    xlabel: str = "$m$ (features trained on)",
    logy: bool = True,
    ylabel: str = "risk",
    theory_points: bool = False,
) -> list[Path]:
    """Theory lines, simulation markers with standard-error bars (one colour per strategy), the m = n line.

    ``sim_summary``: {(x, strategy): (mean, se, count, fallbacks)} (see
    :func:`validation.verdicts.summarize`); ``theory_rows`` carry ``xkey``,
    ``strategy``, ``risk`` (on a grid at least as fine as the simulated one).
    The legend sits outside the axes. ``theory_points``: the theory is known only at
    the simulated points (DC sampling, costly): draw it there as bars of +- its
    sampling s.e. instead of a line that would interpolate between them.
    """
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.6, 4.4))
    for index, strategy in enumerate(strategies):
        c = colour(strategy, index)
        same = strategy.endswith("_same")
        pts = sorted((r[xkey], r["risk"]) for r in theory_rows if r["strategy"] == strategy and np.isfinite(r["risk"]))
        if pts and not same and theory_points:
            with_se = sorted(
                (r[xkey], r["risk"], r.get("stderr", 0.0))
                for r in theory_rows
                if r["strategy"] == strategy and np.isfinite(r["risk"])
            )
            x, y, e = zip(*with_se)
            ax.errorbar(
                x,
                y,
                yerr=e,
                fmt="_",
                ms=14,
                mew=1.6,
                color=c,
                lw=1.0,
                capsize=0,
                label=f"{label(strategy)} (theory, DC sampling)",
            )
        elif pts and not same:
            x, y = zip(*pts)
            ax.plot(x, y, "-", color=c, lw=1.3, label=f"{label(strategy)} (theory)")
        sims = sorted((k[0], v[0], v[1]) for k, v in sim_summary.items() if k[1] == strategy)
        if sims:
            x, y, e = zip(*sims)
            ax.errorbar(
                x,
                y,
                yerr=e,
                fmt=MARKERS.get(strategy, "o"),
                color=c,
                ms=4,
                mfc="none" if same else c,
                capsize=2,
                lw=0.8,
                label=f"{label(strategy)} (sim)",
            )
    if n is not None:
        ax.axvline(n, color="k", ls=":", lw=1, label=f"${xkey} = n = {n}$")
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(mathtext(title), wrap=True)
    legend_outside(ax)
    return save_figure(fig, stem)


def save_figure(fig, stem: Path, dpi: int = 130) -> list[Path]:
    """Write ``fig`` as STEM.png and STEM.pdf (creating the folder), close it, return the paths."""
    import matplotlib.pyplot as plt

    fig.tight_layout()  # counts the legends placed outside the axes
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".pdf")]
    for p in paths:
        fig.savefig(p, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return paths
