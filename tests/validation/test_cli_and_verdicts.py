"""The `dctheory validate` command and the tolerance rule."""

import numpy as np
import pytest

from dctheory.cli import main
from validation import verdicts


def test_judge_rule_numbers():
    # se = hypot(3, 4) = 5; diff = 30: 30 <= 4*5 + 0.1*100 -> pass; z = 6, rel = 0.3
    z, rel, ok = verdicts.judge(100.0, 3.0, 130.0, 4.0, 0.1)
    assert (z, rel, ok) == (6.0, 0.3, True)
    assert verdicts.judge(100.0, 3.0, 130.01, 4.0, 0.1)[2] is False
    assert verdicts.allowance_lgp(500, 150, "magnitude") == verdicts.ALLOWANCE_LGP
    assert verdicts.allowance_lgp(160, 150, "magnitude") == verdicts.ALLOWANCE_PEAK
    assert verdicts.allowance_lgp(500, 150, "hessian_retrained") == verdicts.ALLOWANCE_HESSIAN
    assert verdicts.allowance_random_features(500, 150, "dense") == verdicts.ALLOWANCE_RANDOM_FEATURES


def test_summarize_mean_and_standard_error():
    rows = [{"m": 1, "strategy": "d", "risk": v} for v in (1.0, 2.0, 3.0, 6.0)]
    mean, se, count, fb = verdicts.summarize(rows, ("m", "strategy"))[(1, "d")]
    assert (mean, count, fb) == (3.0, 4, 0)
    assert se == pytest.approx(np.std([1, 2, 3, 6], ddof=1) / 2, rel=1e-14)


def test_validate_command_writes_tables_and_figures(tmp_path, capsys):
    assert main(["validate", "lemma1", "--quick", "--out", str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "tolerance: PASS iff" in out and "[PASS] lemma1" in out and "largest |z|" in out
    for name in ("simulation.csv", "theory.csv", "verdicts.csv", "claims.csv", "lemma1.png", "lemma1.pdf"):
        assert (tmp_path / "lemma1" / name).stat().st_size > 0
    lines = (tmp_path / "lemma1" / "simulation.csv").read_text().splitlines()
    assert len(lines) == 1 + 40 * 19  # header + (6 s x 3 strategies + 1 check) per trial
    # The terminal gets the claims and one summary line; the verdict rows go to verdicts.csv (and --table).
    claims = (tmp_path / "lemma1" / "claims.csv").read_text().splitlines()[1:]
    verdicts = (tmp_path / "lemma1" / "verdicts.csv").read_text().splitlines()[1:]
    printed = out.splitlines()
    assert sum(line.startswith("[PASS] ") for line in printed) == len(claims) + 1  # + the summary's
    assert len(printed) <= len(claims) + 8 < len(verdicts)
    # a second run reuses every task and the cached theory; --table prints every verdict row too
    assert main(["validate", "lemma1", "--quick", "--out", str(tmp_path), "--no-progress", "--table"]) == 0
    out = capsys.readouterr().out
    assert "0 tasks run, 40 reused" in out
    assert len(out.splitlines()) > len(printed) + len(verdicts)


def test_a_run_that_judges_nothing_ends_skipped_not_pass(tmp_path, capsys, monkeypatch):
    from validation.catalog import get_experiment
    from validation.experiment import Claim

    experiment = type(get_experiment("lemma1"))
    monkeypatch.setattr(experiment, "compare", lambda self, sim, theory, config: [])
    monkeypatch.setattr(
        experiment,
        "claims",
        lambda self, sim, theory, verdicts, config: [Claim("C5", passed=False, detail="too few trials", skipped=True)],
    )
    assert main(["validate", "lemma1", "--quick", "--out", str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "[SKIPPED] lemma1 (this run judged nothing: too small to resolve its claims)" in out.splitlines()
    assert "[PASS] lemma1" not in out


def test_validate_unknown_name_is_a_clear_error(tmp_path, capsys):
    assert main(["validate", "fig99", "--out", str(tmp_path)]) == 2
    assert "unknown experiment 'fig99'; valid names:" in capsys.readouterr().err


def test_validate_exit_status_is_nonzero_on_failure(tmp_path, capsys, monkeypatch):
    # shift every prediction by 50%: points must fail and the exit status must say so
    from validation.catalog import get_experiment

    experiment = get_experiment("lemma1")
    original = type(experiment).theory
    monkeypatch.setattr(
        type(experiment),
        "theory",
        lambda self, config: [{**r, "risk": 1.5 * r["risk"]} for r in original(self, config)],
    )
    assert main(["validate", "lemma1", "--quick", "--out", str(tmp_path), "--no-progress"]) == 1
    assert "[FAIL] lemma1" in capsys.readouterr().out


def test_validate_all_skips_experiments_whose_optional_packages_are_missing(tmp_path, capsys, monkeypatch):
    from validation import cli
    from validation.catalog import get_experiment
    from validation.experiment import EXPERIMENTS

    get_experiment("nn")  # the catalog
    monkeypatch.setattr(type(get_experiment("nn")), "requires", ("no_such_module_for_dctheory",))
    ran = []
    monkeypatch.setattr(cli, "validate_one", lambda name, args, stream=None: ran.append(name) or "PASS")
    assert main(["validate", "all", "--out", str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert (
        '[SKIPPED] nn: needs no_such_module_for_dctheory; install with: python3 -m pip install ".[nn]"'
        in out.splitlines()
    )
    assert "nn" not in ran and ran == [name for name in EXPERIMENTS if name != "nn"]
    # named explicitly, it is not skipped: it runs and reports its own error
    ran.clear()
    assert main(["validate", "nn", "--out", str(tmp_path), "--no-progress"]) == 0
    assert ran == ["nn"] and "[SKIPPED]" not in capsys.readouterr().out


def test_missing_requirements_lists_only_absent_modules():
    from validation.catalog import get_experiment

    experiment = get_experiment("fig2")
    assert experiment.requires == () and experiment.missing_requirements() == []
    experiment.requires = ("numpy", "no_such_module_for_dctheory")
    try:
        assert experiment.missing_requirements() == ["no_such_module_for_dctheory"]
    finally:
        del experiment.requires
