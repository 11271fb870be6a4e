"""The nn experiment through the shared runner and store (validation.nn.experiment)."""

import itertools

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("mnist1d")

from dctheory.errors import ConfigError  # noqa: E402
from validation.catalog import get_experiment  # noqa: E402
from validation.runner import run  # noqa: E402

pytestmark = pytest.mark.nn


def _tiny_config():
    experiment = get_experiment("nn")
    config = experiment.load_config(quick=True)
    config.update(
        trials=2,
        seeds_per_task=1,
        protocol={**config["protocol"], "epochs": 1, "mnist1d_samples": 300},
        studies=[
            dict(name="tiny", n_train=100, base_widths=[2], width_multipliers=[1, 4], modes=["finetune", "reset"])
        ],
    )
    return experiment, config


def test_declared_full_config():
    experiment = get_experiment("nn")
    full, quick = experiment.load_config(), experiment.load_config(quick=True)
    from validation.nn.experiment import studies
    from validation.nn.protocol import RETRAIN_MODES

    declared = {s["name"]: s for s in studies(full)}
    sweep = declared["mlp_mnist1d_n4000"]
    protocol = sweep["protocol"]
    assert protocol.base_widths == (16, 32, 64) and set(sweep["modes"]) == set(RETRAIN_MODES)
    assert protocol.n_val > 0 and not protocol.prune_output and not protocol.hidden_bias
    assert len(protocol.baseline_lrs) >= 3 and protocol.imp_rate == 0.2
    # a sqrt(2) width grid from 16 to 4 x 64
    assert sweep["widths"] == (16, 23, 32, 45, 64, 91, 128, 181, 256)
    double = declared["mlp_mnist1d_n4000_noise15"]
    assert double["judge"] == "double_descent" and 0.1 <= double["protocol"].label_noise <= 0.2
    widths = double["widths"]
    assert all(1.38 < b / a < 1.45 for a, b in itertools.pairwise(widths))
    assert full["trials"] >= 10 and full["min_trials"] >= 10 and full["confidence"] == 0.95
    assert quick["trials"] < full["min_trials"] and quick["quick"] and not full["quick"]


def test_runner_stores_resumes_and_extends(tmp_path):
    experiment, config = _tiny_config()
    first = run(experiment, config, out_dir=tmp_path, progress=False)
    assert (first.tasks_run, first.tasks_skipped) == (4, 0)
    # per trial: width 2 one dense row and 2 fair-baseline rows (the quick grid);
    # width 8 dense + 2 methods x 2 modes x 2 stages
    assert len(first.rows) == 2 * (1 + 2 + 1 + 8)
    assert {row["trial"] for row in first.rows} == {0, 1}
    again = run(experiment, config, out_dir=tmp_path, progress=False)
    assert again.tasks_run == 0 and again.rows == first.rows
    more = run(experiment, config, out_dir=tmp_path, progress=False, trials=3)
    assert (more.tasks_run, more.tasks_skipped) == (2, 4)
    verdicts = experiment.compare(more.rows, [], more.config)
    assert {v["claim"] for v in verdicts} == {
        "wide_pruned_beats_small_dense",
        "magnitude_beats_random",
        "retraining_helps",
    }
    assert all(v["trials"] == 3 and v["verdict"] == "SKIPPED" for v in verdicts)  # quick config
    figures = experiment.figure(more.rows, [], verdicts, more.config, tmp_path / "nn")
    assert sorted(f.name for f in figures) == [
        "nn_margins_magnitude_beats_random.png",
        "nn_margins_retraining_helps.png",
        "nn_margins_wide_pruned_beats_small_dense.png",
        "nn_tiny_finetune.png",
        "nn_tiny_reset.png",
    ]
    assert all(f.stat().st_size > 10_000 for f in figures)


def test_task_result_independent_of_block_size_and_threads():
    _experiment, config = _tiny_config()
    from validation.runner import execute_task

    one, _ = execute_task("nn", {"study": "tiny", "width": 8}, 1, 0, config)
    pair, _ = execute_task(
        "nn", {"study": "tiny", "width": 8}, 0, 0, {**config, "seeds_per_task": 2, "torch_threads": 2}
    )
    assert one == [row for row in pair if row["trial"] == 1]
    assert torch.get_num_threads() == 1  # restored to the fixture's setting


def test_data_draw_follows_the_trial():
    _experiment, config = _tiny_config()
    from validation.nn.experiment import _data, studies

    protocol = studies(config)[0]["protocol"]
    first, second = _data(protocol, 0), _data(protocol, 1)
    assert first.x_train.shape == second.x_train.shape == (100, 40)
    assert not (first.x_train == second.x_train).all()
    assert (first.x_train == _data(protocol, 0).x_train).all()


def test_bad_config_is_named():
    experiment, config = _tiny_config()
    with pytest.raises(ConfigError, match="'epoch'"):
        experiment.tasks({**config, "protocol": {**config["protocol"], "epoch": 3}})
    with pytest.raises(ConfigError, match="'width'"):
        experiment.tasks({**config, "studies": [{**config["studies"][0], "width": [1, 2]}]})
    with pytest.raises(ConfigError, match="'paper'"):
        experiment.tasks({**config, "studies": [{**config["studies"][0], "judge": "paper"}]})
    with pytest.raises(ConfigError, match="'cifar100'"):
        experiment.tasks({**config, "studies": [{**config["studies"][0], "dataset": "cifar100"}]})
    with pytest.raises(ConfigError, match="multiple of seeds_per_task"):
        experiment.tasks({**config, "trials": 3, "seeds_per_task": 2})
    with pytest.raises(ConfigError, match="'sideways'"):
        experiment.tasks({**config, "studies": [{**config["studies"][0], "modes": ["sideways"]}]})


def test_validate_nn_quick_command(tmp_path, capsys):
    from dctheory.cli import main

    out = tmp_path / "out"
    assert main(["validate", "nn", "--quick", "--out", str(out), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "=== nn:" in printed and "0/0 rows PASS" in printed
    claims = [line for line in printed.splitlines() if line.startswith("[")]
    assert claims and all(line.startswith("[SKIPPED]") for line in claims[:-1])  # last: the run's own check
    for name in ("simulation.csv", "verdicts.csv", "claims.csv"):
        assert (out / "nn" / name).stat().st_size > 0
    assert len(list((out / "nn").glob("nn_*.png"))) >= 3
    assert main(["validate", "nn", "--quick", "--out", str(out), "--no-progress"]) == 0
    assert "0 tasks run" in capsys.readouterr().out

    from validation.nn.page import write_page

    page = write_page(out, tmp_path / "docs", quick=True).read_text()
    assert "11 of 11 tasks finished" in page and "Not finished" not in page
    assert "judges nothing" in page
    # cells: MLP (2 budgets x (4 modes x 3 claims + iterative x 2 claims)),
    # Conv1D (2 schemes x 3 claims), double descent (2 cells)
    n_cells = 2 * (4 * 3 + 2) + 2 * 3 + 2
    assert (tmp_path / "docs" / "verdicts.csv").read_text().count("SKIPPED") == n_cells
