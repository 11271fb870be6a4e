"""The nn experiment through the shared runner and store (validation.nn.experiment)."""

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
    config.update(trials=2, seeds_per_task=1, protocol={**config["protocol"], "epochs": 1, "mnist1d_samples": 300},
                  studies=[dict(name="tiny", n_train=100, base_widths=[2], width_multipliers=[1, 4],
                                modes=["finetune", "rewind"])])
    return experiment, config


def test_declared_full_config():
    experiment = get_experiment("nn")
    full, quick = experiment.load_config(), experiment.load_config(quick=True)
    from validation.nn.experiment import studies

    declared = {s["name"]: s for s in studies(full)}
    mnist1d = [s for s in declared.values() if s["protocol"].dataset == "mnist1d" and s["protocol"].architecture == "mlp"]
    assert {s["protocol"].n_train for s in mnist1d} == {4000, 16000}
    for study in mnist1d:
        assert study["protocol"].base_widths == (16, 32, 64) and set(study["modes"]) == {"finetune", "rewind"}
        assert max(study["widths"]) == 16 * 64 and study["protocol"].n_val > 0
    assert any(s["protocol"].architecture == "conv1d" and set(s["schemes"]) == {"global", "layerwise"}
               for s in declared.values())
    assert any(s["protocol"].dataset == "digits" for s in declared.values())
    assert full["trials"] >= 5 and full["min_trials"] >= 5 and full["confidence"] == 0.95
    assert quick["trials"] < full["min_trials"] and quick["quick"] and not full["quick"]


def test_runner_stores_resumes_and_extends(tmp_path):
    experiment, config = _tiny_config()
    first = run(experiment, config, out_dir=tmp_path, progress=False)
    assert (first.tasks_run, first.tasks_skipped) == (4, 0)
    # per trial: width 2 one dense row; width 8 dense + 2 methods x 2 modes x 2 stages
    assert len(first.rows) == 2 * (1 + 1 + 8)
    assert {row["trial"] for row in first.rows} == {0, 1}
    again = run(experiment, config, out_dir=tmp_path, progress=False)
    assert again.tasks_run == 0 and again.rows == first.rows
    more = run(experiment, config, out_dir=tmp_path, progress=False, trials=3)
    assert (more.tasks_run, more.tasks_skipped) == (2, 4)
    verdicts = experiment.compare(more.rows, [], more.config)
    assert {v["claim"] for v in verdicts} == {"wide_pruned_beats_small_dense", "magnitude_beats_random",
                                              "retraining_helps"}
    assert all(v["trials"] == 3 and v["verdict"] == "SKIPPED" for v in verdicts)  # quick config
    figures = experiment.figure(more.rows, [], verdicts, more.config, tmp_path / "nn")
    assert len(figures) == 2 and all(f.stat().st_size > 10_000 for f in figures)


def test_task_result_independent_of_block_size_and_threads():
    _experiment, config = _tiny_config()
    from validation.runner import execute_task

    one, _ = execute_task("nn", {"study": "tiny", "width": 8}, 1, 0, config)
    pair, _ = execute_task("nn", {"study": "tiny", "width": 8}, 0, 0,
                           {**config, "seeds_per_task": 2, "torch_threads": 2})
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
    with pytest.raises(ConfigError, match="'widths'"):
        experiment.tasks({**config, "studies": [{**config["studies"][0], "widths": [1, 2]}]})
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
    assert "8 of 8 tasks finished" in page and "Not finished" not in page
    assert page.count("**SKIPPED**") == 3 * (2 * 2 + 2 + 2)  # claims x cells (mnist1d, conv1d, digits)
    assert (tmp_path / "docs" / "verdicts.csv").read_text().count("SKIPPED") == 24
