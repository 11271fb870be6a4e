"""The bridge from the nn sweep to the theory: the sweep's MLP with its first
layer frozen at initialisation is a random-features model, for which
dctheory predicts the risk (docs/theory.md#random-features; claim C6).

    python -m validation.nn.bridge [--quick] [--docs docs/nn/bridge]

Regression version of the MNIST-1D task (``validation/configs/nn_bridge.json``):
target ``y = +1`` for digits 0-4 and ``-1`` for 5-9, squared loss. The
network is ``f(x) = <a, relu(W_m x)>`` with a bias-free hidden layer whose m
rows are the first m of a fixed ``W`` (P x 40, i.i.d. N(0, 1/40), the
features of :func:`validation.relu_features.mnist1d_features`). Per trial, n
training signals are drawn from the 5000-signal pool with replacement and
three fits are made for every width m:

* ``frozen``: ``W_m`` fixed, ``a`` trained from 0 with the sweep's optimiser
  (Adam, mini-batches, the declared step schedule): the random-features model;
* ``min_norm``: the minimum-norm least-squares ``a`` in closed form, the
  estimator the theory describes (``numpy.linalg.lstsq``);
* ``unfrozen``: both layers trained from (``W_m``, 0) with the same optimiser.

The risk of each is the exact mean squared error over the pool (the
population). The theory is ``dctheory.predict(..).risks["dense"]`` on the
equivalent LGP of the pool's features (:meth:`DataReLUFeatures.equivalent_lgp`),
as in the ``nn_rf`` experiment. Agreement per m uses the shared
random-features rule (:func:`validation.verdicts.allowance_random_features`):
``|sim - theory| <= 4 se + allowance |theory|``.
Writes ``simulation.csv``, ``theory.csv``, ``agreement.csv``,
``nn_bridge.png`` and ``results.md`` into ``--docs``.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from validation import report, verdicts
from validation.relu_features import mnist1d_features

CONFIG = Path(__file__).resolve().parents[1] / "configs" / "nn_bridge.json"
FITS = ("frozen", "min_norm", "unfrozen")


def load_config(quick: bool = False) -> dict:
    """The declared config, with its ``quick`` section applied when ``quick``."""
    config = json.loads(CONFIG.read_text())
    quick_part = config.pop("quick")
    return {**config, **quick_part, "quick": True} if quick else {**config, "quick": False}


def fit(config: dict, W: np.ndarray, x: np.ndarray, y: np.ndarray, freeze: bool, seed: int) -> tuple:
    """Train ``f(x) = <a, relu(W x)>`` (the bias-free MLP of width ``len(W)``
    with one output, in float64) on (x, y) by :func:`validation.nn.protocol.train`
    under the declared schedule: squared loss, batches of ``batch_size``, ``a``
    from 0, ``W`` trained unless ``freeze``; returns (W, a) as arrays."""
    import torch

    from validation.nn.models import build_model
    from validation.nn.protocol import ProtocolConfig, lr_schedule, train

    schedule = lr_schedule(
        ProtocolConfig(
            lr=config["lr"], epochs=config["epochs"], lr_decay_at=config["lr_decay_at"], lr_decay=config["lr_decay"]
        )
    )
    model = build_model("mlp", W.shape[0], (W.shape[1],), 1, hidden_bias=False).double()
    with torch.no_grad():
        model.hidden.weight.copy_(torch.from_numpy(W))
        model.output.weight.zero_()
        model.output.bias.zero_()
    model.output.bias.requires_grad_(False)
    model.hidden.weight.requires_grad_(not freeze)
    train(
        model,
        torch.from_numpy(x),
        torch.from_numpy(y),
        schedule=schedule,
        batch_size=int(config["batch_size"]),
        generator=torch.Generator().manual_seed(int(seed)),
        loss_function=lambda outputs, targets: ((outputs[:, 0] - targets) ** 2).mean(),
    )
    return model.hidden.weight.detach().numpy().copy(), model.output.weight.detach().numpy()[0].copy()


def simulate(config: dict) -> list[dict]:
    """Rows ``{trial, m, fit, risk, train_mse}`` (module docstring)."""
    import torch

    torch.set_num_threads(1)
    from validation.nn.data import load_mnist1d

    model = mnist1d_features(int(config["P"]), int(config["feature_seed"]), int(config["pool_samples"]))
    # the pool's raw signals, in the order mnist1d_features stacks them (its features are relu(pool_x W^T))
    data = load_mnist1d(num_samples=int(config["pool_samples"]))
    pool_x = np.concatenate([data.x_train, data.x_test]).astype(np.float64)
    pool_y = model.targets
    rows = []
    for trial in range(int(config["trials"])):
        rng = np.random.default_rng([int(config["seed"]), trial])
        index = rng.integers(0, model.pool_size, size=int(config["n"]))
        x, y = pool_x[index], pool_y[index]
        for m in config["m_grid"]:
            W = model.W[: int(m)]
            features = np.maximum(x @ W.T, 0.0)
            padded = np.zeros((3, model.P))
            fitted = {
                "frozen": fit(config, W, x, y, True, 1000 * trial + m),
                "min_norm": (W, np.linalg.lstsq(features, y, rcond=None)[0]),
                "unfrozen": fit(config, W, x, y, False, 1000 * trial + m),
            }
            for i, name in enumerate(FITS):
                hidden, output = fitted[name]
                if name == "unfrozen":
                    risk = float(np.mean((np.maximum(pool_x @ hidden.T, 0.0) @ output - pool_y) ** 2))
                else:
                    padded[i, : int(m)] = output
                    risk = float(model.pool_risk(padded[i])[0])
                train_mse = float(np.mean((np.maximum(x @ hidden.T, 0.0) @ output - y) ** 2))
                rows.append(dict(trial=trial, m=int(m), fit=name, risk=risk, train_mse=train_mse))
    return rows


def theory(config: dict) -> list[dict]:
    """``{m, risk, stderr}``: dctheory's dense random-features risk per m (public API only)."""
    import dctheory as dc

    model = mnist1d_features(int(config["P"]), int(config["feature_seed"]), int(config["pool_samples"]))
    problem = model.equivalent_lgp()
    rng = np.random.default_rng(int(config["theory_seed"]))
    out = []
    for m in config["m_grid"]:
        if int(m) == int(config["n"]):
            continue
        prediction = dc.predict(
            problem, n=int(config["n"]), m=int(m), s=1, samples=int(config["theory_samples"]), rng=rng
        )
        out.append(
            dict(m=int(m), risk=float(prediction.risks["dense"]), stderr=float(prediction.stderr.get("dense") or 0.0))
        )
    return out


def agreement(config: dict, sim_rows: list[dict], theory_rows: list[dict]) -> list[dict]:
    """Per (m, fit): simulated mean risk and s.e. over trials, theory, rel, z and the
    shared rule's verdict (AGREE / DISAGREE) for the frozen and min-norm fits;
    the unfrozen fit is reported against the same theory (INFO, not judged)."""
    n = int(config["n"])
    theory_of = {r["m"]: r for r in theory_rows}
    out = []
    for m in config["m_grid"]:
        for name in FITS:
            risks = np.array([r["risk"] for r in sim_rows if r["m"] == m and r["fit"] == name])
            mean = float(risks.mean())
            se = float(risks.std(ddof=1) / np.sqrt(risks.size)) if risks.size > 1 else float("nan")
            t = theory_of.get(int(m))
            row = dict(
                m=int(m),
                fit=name,
                sim_mean=mean,
                sim_se=se,
                trials=int(risks.size),
                train_mse=float(np.mean([r["train_mse"] for r in sim_rows if r["m"] == m and r["fit"] == name])),
            )
            if t is None:
                out.append({**row, "theory": None, "verdict": "NO THEORY (m = n)"})
                continue
            both = float(np.hypot(se, t["stderr"]))
            allowance = verdicts.allowance_random_features(int(m), n, "dense")
            within = abs(mean - t["risk"]) <= 4 * both + allowance * abs(t["risk"])
            row.update(
                theory=t["risk"],
                theory_se=t["stderr"],
                rel=mean / t["risk"] - 1,
                z=(mean - t["risk"]) / both if both > 0 else float("nan"),
                allowance=allowance,
                verdict=("INFO" if name == "unfrozen" else ("AGREE" if within else "DISAGREE")),
            )
            out.append(row)
    return out


def figure(config, sim_rows, theory_rows, path: Path) -> Path:
    plt = report.pyplot()
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    ax.plot(
        [r["m"] for r in theory_rows],
        [r["risk"] for r in theory_rows],
        color="black",
        label="theory: dctheory.predict, dense (equivalent LGP)",
    )
    styles = {
        "frozen": ("tab:blue", "o", "first layer frozen (random features), Adam"),
        "min_norm": ("tab:gray", "x", "first layer frozen, min-norm least squares"),
        "unfrozen": ("tab:red", "s", "both layers trained, Adam"),
    }
    for name, (colour, marker, label) in styles.items():
        ms = sorted({r["m"] for r in sim_rows})
        values = [[r["risk"] for r in sim_rows if r["m"] == m and r["fit"] == name] for m in ms]
        means = [np.mean(v) for v in values]
        halves = [1.96 * np.std(v, ddof=1) / np.sqrt(len(v)) if len(v) > 1 else 0.0 for v in values]
        ax.errorbar(ms, means, yerr=halves, color=colour, marker=marker, linestyle="none", capsize=2, label=label)
    ax.axvline(int(config["n"]), color="black", linewidth=0.6, linestyle=":")
    ax.set_yscale("log")
    ax.set_xlabel("width m (hidden units = random features)")
    ax.set_ylabel("pool mean squared error")
    ax.set_title(
        f"MNIST-1D, y = +-1 (digits 0-4 vs 5-9), n = {config['n']}: mean over {config['trials']} trials, 95% interval"
    )
    report.legend_outside(ax, "below")
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return path


def write(config: dict, docs: Path) -> Path:
    start = time.time()
    sim_rows = simulate(config)
    sim_time = time.time() - start
    theory_rows = theory(config)
    rows = agreement(config, sim_rows, theory_rows)
    docs.mkdir(parents=True, exist_ok=True)
    report.write_csv(docs / "simulation.csv", sim_rows)
    report.write_csv(docs / "theory.csv", theory_rows)
    report.write_csv(docs / "agreement.csv", rows)
    figure(config, sim_rows, theory_rows, docs / "nn_bridge.png")
    lines = [
        "# nn bridge: the MLP with a frozen first layer against the random-features theory",
        "",
        f"Generated by `python -m validation.nn.bridge{' --quick' if config['quick'] else ''}` from "
        f"`validation/configs/nn_bridge.json`: n = {config['n']}, P = {config['P']}, {config['trials']} "
        f"trials, {config['epochs']} epochs of Adam; simulation {sim_time:.0f} s, theory "
        f"{time.time() - start - sim_time:.0f} s. Risk: the pool mean squared error (E y^2 = 1). "
        "Rule: |sim - theory| <= 4 se + allowance |theory| (the shared random-features rule); "
        "the unfrozen network is reported against the same line, not judged.",
        "",
        "| m | theory | frozen, Adam | rel | verdict | min-norm LS | rel | verdict | unfrozen, Adam | rel "
        "| train MSE frozen / unfrozen |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for m in config["m_grid"]:
        mine = {r["fit"]: r for r in rows if r["m"] == m}
        theory_text = report.fmt(mine["frozen"].get("theory"))
        cells = []
        for name in FITS:
            r = mine[name]
            cells.append(f"{r['sim_mean']:.4f} +- {r['sim_se']:.4f}")
            cells.append(f"{r['rel']:+.1%}" if r.get("rel") is not None else "-")
            if name != "unfrozen":
                cells.append(r["verdict"])
        lines.append(
            f"| {m} | {theory_text} | "
            + " | ".join(cells)
            + f" | {mine['frozen']['train_mse']:.3f} / {mine['unfrozen']['train_mse']:.3f} |"
        )
    judged = [r for r in rows if r["verdict"] in ("AGREE", "DISAGREE")]
    for name in ("frozen", "min_norm"):
        agree = [r["m"] for r in judged if r["fit"] == name and r["verdict"] == "AGREE"]
        lines += [
            "",
            f"{name}: agrees at {len(agree)} of {sum(r['fit'] == name for r in judged)} widths "
            f"(m = {', '.join(map(str, agree)) or 'none'}).",
        ]
    lines += ["", "![bridge](nn_bridge.png)", ""]
    path = docs / "results.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=Path, default=Path("docs/nn/bridge"))
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    print(write(load_config(args.quick), args.docs))


if __name__ == "__main__":
    main()
