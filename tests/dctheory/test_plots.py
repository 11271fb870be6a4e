"""Figures (dctheory.plots) and the demo: contracts on what the advise figure shows, read back from the
figure's artists and compared with the Advice it was drawn from."""

import re

import numpy as np
import pytest
from matplotlib.collections import PolyCollection

import dctheory as dc
from dctheory.cli import main
from dctheory.plots import advice_figure

SPIKED = dc.LGP(eigenvalues=dc.spiked(200, 24, 10.0), beta=np.ones(200), sigma=0.0)


def stars(ax):
    return [line for line in ax.lines if line.get_marker() == "*"]


def check_decision_marked(advice, fig):
    wide, zoom = fig.axes[:2]
    best = advice.best
    for ax in (wide, zoom):
        (star,) = stars(ax)
        x, y = star.get_data()
        assert (x[0], y[0]) == (best["m"], best["risk"])
        labels = [text.get_text().strip() for text in ax.texts]
        assert f"m = n = {advice.n}" in labels
        assert any(list(line.get_xdata()) == [advice.n, advice.n] for line in ax.lines)  # the n line
    (note,) = [text for text in zoom.texts if "recommended" in text.get_text()]
    assert best["strategy"].replace("_", " ") in note.get_text() and f"m = {best['m']}" in note.get_text()
    # The zoom is linear and spans the five best routes and the best small model, tighter than the wide panel.
    assert zoom.get_yscale() == "linear"
    low, high = zoom.get_ylim()
    shown = [row["risk"] for row in advice.ranking[:5]] + [advice.best_small["risk"]]
    assert low < min(shown) and max(shown) < high
    assert high - low < 0.5 * (wide.get_ylim()[1] - wide.get_ylim()[0])


def test_contract_advice_figure_marks_the_recommendation_n_and_zooms_on_the_best_routes():
    advice = dc.advise(SPIKED, 60, 48, ridges=[0, 0.1, 1], m_points=40)
    fig = advice_figure(advice)
    check_decision_marked(advice, fig)
    assert fig.axes[0].get_yscale() == "log"  # ridgeless oracle peak at m = n: risks span decades
    assert not [c for ax in fig.axes for c in ax.collections if isinstance(c, PolyCollection)]  # closed forms: no bands


def test_contract_sampled_routes_carry_two_standard_error_bands():
    rng = np.random.default_rng(0)
    problem = dc.random_features_lgp(rng.standard_normal((60, 8)) / np.sqrt(8), np.eye(8)[0], 0.0)
    advice = dc.advise(problem, 30, 6, ridges=[0.1], m_points=3, samples=40, rng=np.random.default_rng(1))
    fig = advice_figure(advice)
    check_decision_marked(advice, fig)
    extents = [
        (c.get_paths()[0].vertices[:, 1].min(), c.get_paths()[0].vertices[:, 1].max())
        for c in fig.axes[1].collections
        if isinstance(c, PolyCollection)
    ]
    sampled = [name for name in advice.keys() if name not in ("small_first", "small_oracle")]
    assert len(extents) == len(sampled)
    for name in sampled:
        rows = [r for r in advice.rows if r["strategy"] == name and r["ridge"] == advice[name]["ridge"]]
        risk, se = np.array([r["risk"] for r in rows]), np.array([r["stderr"] for r in rows])
        assert se.min() > 0
        expected = ((risk - 2 * se).min(), (risk + 2 * se).max())
        assert any(np.allclose(extent, expected, rtol=1e-12) for extent in extents), name


def test_contract_demo_and_advise_name_the_same_best_small_model(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    problem = dc.LGP(eigenvalues=dc.spiked(500, 60, 10.0), beta=np.ones(500), sigma=0.0)
    advice = dc.advise(problem, 150, 120, m_points="all")
    found = re.search(
        r"Best small model \(as `dctheory advise` defines it: train on the first s = 120 features, "
        r"best ridge of ([^)]*)\): risk ([\d.]+) at ridge ([\d.]+)",
        text,
    )
    assert found, text
    assert found.group(1) == ", ".join(f"{r:g}" for r in advice.ridges)
    assert float(found.group(2)) == pytest.approx(advice.best_small["risk"], abs=0.05)
    assert float(found.group(3)) == advice.best_small["ridge"]
    assert advice.verdict in text
    assert (tmp_path / "demo-fig7b.png").stat().st_size > 10_000


@pytest.mark.parametrize("rules", [None, ("magnitude",), ()])
def test_contract_curve_figure_draws_each_strategy_of_the_curve(tmp_path, monkeypatch, rules):
    from dctheory import plots
    from dctheory.strategies import STRATEGIES

    made = []
    figure = plots._figure
    monkeypatch.setattr(plots, "_figure", lambda **kwargs: made.append(figure(**kwargs)) or made[-1])
    problem = dc.LGP(eigenvalues=dc.spiked(200, 24, 10.0), beta=np.ones(200), sigma=0.3)
    curve = dc.risk_curve(problem, n=60, s=40, rules=rules)
    plots.plot_curve(curve, tmp_path / "curve.png")
    (ax,) = made[-1].axes
    labels = [line.get_label() for line in ax.lines if not line.get_label().startswith("_")]
    assert labels == [name.replace("_", " ") for name in STRATEGIES if name in curve.risks]
    assert (tmp_path / "curve.png").stat().st_size > 0
