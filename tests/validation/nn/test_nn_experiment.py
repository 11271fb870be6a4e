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
    config.update(widths=[2, 8], base_widths=[2], trials=2, epochs=1, mnist1d_samples=200)
    return experiment, config


def test_registered_and_quick_config():
    experiment = get_experiment("nn")
    full, quick = experiment.load_config(), experiment.load_config(quick=True)
    assert len(full["widths"]) >= 8 and len(full["base_widths"]) == 3 and full["trials"] >= 3
    assert quick["epochs"] < full["epochs"] and quick["quick"] and not full["quick"]
    assert len(experiment.tasks(full)) == len(full["widths"]) * full["trials"]


def test_runner_stores_resumes_and_extends(tmp_path):
    experiment, config = _tiny_config()
    first = run(experiment, config, out_dir=tmp_path, progress=False)
    assert (first.tasks_run, first.tasks_skipped) == (4, 0)
    # width 2: one dense row; width 8: dense + 1 budget x 2 methods x 2 stages
    assert len(first.rows) == 2 * (1 + (1 + 2 * 2))
    again = run(experiment, config, out_dir=tmp_path, progress=False)
    assert again.tasks_run == 0 and again.rows == first.rows
    more = run(experiment, config, out_dir=tmp_path, progress=False, trials=3)
    assert (more.tasks_run, more.tasks_skipped) == (2, 4)
    verdicts = experiment.compare(more.rows, [], more.config)
    assert {v["claim"] for v in verdicts} == {"wide_pruned_beats_small_dense", "magnitude_beats_random",
                                              "retraining_helps"}
    assert all(v["trials"] == 3 for v in verdicts)
    (figure,) = experiment.figure(more.rows, [], verdicts, more.config, tmp_path / "nn")
    assert figure.stat().st_size > 10_000


def test_task_result_independent_of_process_and_threads():
    experiment, config = _tiny_config()
    from validation.runner import execute_task

    rows, _ = execute_task("nn", {"width": 8}, 1, 0, config)
    rows_again, _ = execute_task("nn", {"width": 8}, 1, 0, {**config, "torch_threads": 2})
    assert rows == rows_again
    assert torch.get_num_threads() == 1  # restored to the fixture's setting


def test_unknown_config_key_is_named():
    experiment, config = _tiny_config()
    with pytest.raises(ConfigError, match="'epoch'"):
        experiment.tasks({**config, "epoch": 3})
    with pytest.raises(ConfigError, match=r"not seeds=\[0, 1\]"):
        experiment.tasks({**config, "seeds": [0, 1]})
    with pytest.raises(ConfigError, match="'cifar100'"):
        experiment.tasks({**config, "dataset": "cifar100"})


def test_validate_nn_quick_command(tmp_path, capsys):
    from dctheory.cli import main

    out = tmp_path / "out"
    assert main(["validate", "nn", "--quick", "--out", str(out), "--no-progress"]) == 0
    printed = capsys.readouterr().out
    assert "=== nn:" in printed and "0/0 rows PASS" in printed
    # three claims x two quick budgets, reported not judged
    assert sum(line.endswith(" INFO") for line in printed.splitlines()) == 3 * 2
    for name in ("simulation.csv", "verdicts.csv", "claims.csv", "nn.png"):
        assert (out / "nn" / name).stat().st_size > 0
    assert main(["validate", "nn", "--quick", "--out", str(out), "--no-progress"]) == 0
    assert "0 tasks run, 8 reused" in capsys.readouterr().out
