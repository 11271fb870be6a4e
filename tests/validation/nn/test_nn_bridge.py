"""The bridge (validation.nn.bridge): the frozen-first-layer network is the
random-features model of the theory, and docs/nn/bridge recomputes from its CSVs."""

import csv
from pathlib import Path

import numpy as np
import pytest

from validation.nn.bridge import agreement, load_config

BRIDGE = Path(__file__).resolve().parents[3] / "docs" / "nn" / "bridge"


def _read(path):
    with path.open() as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        for key, value in row.items():
            if key in ("m", "trial", "trials"):
                row[key] = int(value)
            elif key not in ("fit", "verdict") and value != "":
                row[key] = float(value)
    return rows


def test_the_frozen_network_trained_long_reaches_least_squares():
    # underparameterised (m = 5 < n = 40): least squares is unique, and Adam on the
    # squared loss with the first layer frozen converges to it
    pytest.importorskip("torch")
    from validation.nn.bridge import fit

    rng = np.random.default_rng(0)
    x, W = rng.standard_normal((40, 8)), rng.standard_normal((5, 8)) / np.sqrt(8)
    y = np.sign(rng.standard_normal(40))
    config = dict(lr=0.05, epochs=600, batch_size=40, lr_decay_at=0.75, lr_decay=0.1)
    hidden, output = fit(config, W, x, y, True, 1)
    assert np.array_equal(hidden, W)
    best = np.linalg.lstsq(np.maximum(x @ W.T, 0.0), y, rcond=None)[0]
    assert np.max(np.abs(output - best)) < 1e-3
    moved, _ = fit(config, W, x, y, False, 1)
    assert not np.allclose(moved, W)


def test_agreement_recomputes_from_the_stored_simulation_and_theory():
    config = load_config()
    sim = _read(BRIDGE / "simulation.csv")
    theory = _read(BRIDGE / "theory.csv")
    assert {r["trial"] for r in sim} == set(range(config["trials"]))
    assert sorted({r["m"] for r in sim}) == config["m_grid"]
    stored = {(r["m"], r["fit"]): r for r in _read(BRIDGE / "agreement.csv")}
    for row in agreement(config, sim, theory):
        mine = stored[(row["m"], row["fit"])]
        assert row["verdict"] == mine["verdict"]
        assert row["sim_mean"] == pytest.approx(mine["sim_mean"], rel=1e-12)
    # the min-norm fit is the estimator the theory describes: it agrees at every width
    assert all(r["verdict"] == "AGREE" for r in stored.values() if r["fit"] == "min_norm")


def test_bridge_quick_command(tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("mnist1d")
    from validation.nn.bridge import main

    main(["--quick", "--docs", str(tmp_path)])
    page = (tmp_path / "results.md").read_text()
    assert "--quick" in page and "| 40 |" in page
    assert (tmp_path / "nn_bridge.png").stat().st_size > 10_000
    rows = _read(tmp_path / "agreement.csv")
    assert {r["fit"] for r in rows} == {"frozen", "min_norm", "unfrozen"} and len(rows) == 9
