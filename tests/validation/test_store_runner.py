"""Contracts of the result store and the runner: atomic tasks, resume, seeds, parallel parity."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from dctheory.errors import ConfigError
from validation import runner
from validation.catalog import get_experiment
from validation.experiment import config_hash
from validation.store import ResultStore, canonical_json

ROOT = Path(__file__).resolve().parents[2]


def test_store_add_done_rows_clear(tmp_path):
    with ResultStore(tmp_path / "r.sqlite") as store:
        store.add("e", "h", canonical_json({"a": 1}), 0, [{"x": 1.5}, {"x": 2.5}], seed="7")
        store.add("e", "h", canonical_json({"a": 1}), 0, [{"x": 99.0}])  # duplicate: ignored
        store.add("e", "h", canonical_json({"a": 2}), 3, [{"x": 4.0}])
        assert store.done("e", "h") == {('{"a":1}', 0), ('{"a":2}', 3)}
        assert store.rows("e", "h") == [
            {"a": 1, "trial": 0, "x": 1.5},
            {"a": 1, "trial": 0, "x": 2.5},
            {"a": 2, "trial": 3, "x": 4.0},
        ]
        assert store.rows("e", "h", trials=1) == store.rows("e", "h")[:2]
        assert store.done("e", "other") == set()
        assert store.integrity_ok()
        store.clear("e")
        assert store.rows("e", "h") == []


def test_store_transaction_is_atomic(tmp_path):
    with ResultStore(tmp_path / "r.sqlite") as store:

        class Bad(dict):
            pass

        with pytest.raises(TypeError):
            store.add("e", "h", "{}", 0, [{"x": 1}, {"x": object()}])  # fails while serializing
        assert store.done("e", "h") == set() and store.integrity_ok()


def test_store_rejects_directory(tmp_path):
    with pytest.raises(ConfigError, match="is a directory"):
        ResultStore(tmp_path)


def test_task_seed_depends_only_on_experiment_point_trial():
    a = runner.task_seed("fig3a", {"curve": "identity"}, 3)
    b = runner.task_seed("fig3a", {"curve": "identity"}, 3)
    assert a.entropy == b.entropy and a.generate_state(4).tolist() == b.generate_state(4).tolist()
    assert runner.task_seed("fig3a", {"curve": "identity"}, 4).entropy != a.entropy
    assert runner.task_seed("fig3b", {"curve": "identity"}, 3).entropy != a.entropy


def test_runner_contracts(tmp_path):
    with pytest.raises(ConfigError, match="jobs"):
        runner.run("lemma1", out_dir=tmp_path, quick=True, jobs=0)
    with pytest.raises(ConfigError, match="trials"):
        runner.run("lemma1", out_dir=tmp_path, quick=True, trials=0)
    with pytest.raises(ConfigError, match="scheduler"):
        runner.run("lemma1", out_dir=tmp_path, quick=True, scheduler="localhost")
    with pytest.raises(ConfigError, match=r"unknown experiment 'nope'; valid names: .*fig3a"):
        runner.run("nope", out_dir=tmp_path)


def _values(rows):
    return sorted((r["trial"], r["m"], r["strategy"], r["risk"]) for r in rows)


def test_resume_skips_finished_and_more_trials_extend(tmp_path):
    first = runner.run("fig3b", out_dir=tmp_path, quick=True, trials=3, progress=False)
    assert (first.tasks_run, first.tasks_skipped) == (3, 0)
    again = runner.run("fig3b", out_dir=tmp_path, quick=True, trials=5, progress=False)
    assert (again.tasks_run, again.tasks_skipped) == (2, 3)
    assert again.config_hash == first.config_hash  # trials is not hashed
    assert _values(again.rows)[: len(first.rows)] == _values(first.rows)
    fresh = runner.run("fig3b", out_dir=tmp_path, quick=True, trials=2, fresh=True, progress=False)
    assert (fresh.tasks_run, fresh.tasks_skipped) == (2, 0)


def test_jobs1_equals_jobs2(tmp_path):
    one = runner.run("fig3a", out_dir=tmp_path / "a", quick=True, trials=4, jobs=1, progress=False)
    two = runner.run("fig3a", out_dir=tmp_path / "b", quick=True, trials=4, jobs=2, progress=False)
    assert two.tasks_run == 4
    assert _values(one.rows) == _values(two.rows)  # bit-identical


def test_dask_local_cluster_equals_inline(tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("PYTHONPATH", f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    inline = runner.run("fig7b", out_dir=tmp_path / "a", quick=True, trials=4, progress=False)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = runner.run(
            "fig7b", out_dir=tmp_path / "b", quick=True, trials=4, scheduler=cluster.scheduler_address, progress=False
        )
    assert remote.tasks_run == 4
    assert _values(inline.rows) == _values(remote.rows)


def _finished(db: Path):
    if not db.exists():  # connecting would create it, and --out refuses a folder it did not write
        return {}
    con = sqlite3.connect(db)
    try:
        return {
            (p, t): f
            for p, t, f in con.execute("SELECT point_key, trial, finished_at FROM tasks WHERE experiment = 'fig3b'")
        }
    except sqlite3.OperationalError:  # tables not created yet
        return {}
    finally:
        con.close()


def test_resume_after_sigkill(tmp_path):
    """Kill `dctheory validate` with SIGKILL mid-run; the rerun recomputes nothing finished."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    cmd = [
        sys.executable,
        "-m",
        "dctheory",
        "validate",
        "fig3b",
        "--quick",
        "--trials",
        "300",
        "--out",
        str(tmp_path),
        "--no-progress",
    ]
    db = tmp_path / "results.sqlite"
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and len(_finished(db)) < 15:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = _finished(db)
    assert 15 <= len(before) < 300, "the run must be killed mid-way"
    with ResultStore(db) as store:
        assert store.integrity_ok()
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stdout[-2000:] + rerun.stderr[-2000:]
    after = _finished(db)
    assert len(after) == 300
    assert all(after[k] == before[k] for k in before)  # nothing finished was recomputed
    assert f"{300 - len(before)} tasks run, {len(before)} reused" in rerun.stdout
    with ResultStore(db) as store:
        assert store.integrity_ok()
        config = get_experiment("fig3b").load_config(quick=True)
        rows = store.rows("fig3b", config_hash(config))
    assert len({r["trial"] for r in rows}) == 300
    assert np.isfinite([r["risk"] for r in rows]).all()


class _Interrupting:
    """A sqlite3 connection that raises KeyboardInterrupt around one statement of the n-th task's write."""

    def __init__(self, connection, statement: str, when: str, task: int):
        self._connection, self._statement, self._when, self._task = connection, statement, when, task
        self._begun = 0

    def __getattr__(self, name):
        return getattr(self._connection, name)

    def cursor(self):
        return _InterruptingCursor(self, self._connection.cursor())


class _InterruptingCursor:
    def __init__(self, owner: _Interrupting, cursor):
        self._owner, self._cursor = owner, cursor

    def __getattr__(self, name):
        return getattr(self._cursor, name)

    def _step(self, method, sql, *args):
        owner = self._owner
        owner._begun += sql.startswith("BEGIN")
        hit = owner._begun == owner._task and sql.startswith(owner._statement)
        if hit and owner._when == "before":
            raise KeyboardInterrupt
        result = method(sql, *args)
        if hit:
            raise KeyboardInterrupt
        return result

    def execute(self, sql, *args):
        return self._step(self._cursor.execute, sql, *args)

    def executemany(self, sql, *args):
        return self._step(self._cursor.executemany, sql, *args)


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("statement", ["BEGIN", "INSERT OR IGNORE INTO tasks", "INSERT INTO rows", "COMMIT"])
def test_an_interrupt_at_any_step_of_a_write_is_one_line_and_keeps_the_store_whole(
    tmp_path, monkeypatch, capsys, statement, when
):
    from dctheory.cli import main

    connect = sqlite3.connect
    monkeypatch.setattr(
        "validation.store.sqlite3.connect", lambda *a, **k: _Interrupting(connect(*a, **k), statement, when, task=3)
    )
    code = main(["validate", "fig3b", "--quick", "--trials", "4", "--out", str(tmp_path), "--no-progress"])
    err = capsys.readouterr().err
    # Two tasks were committed before the third write; the third is stored only when COMMIT completed.
    stored = 3 if (statement, when) == ("COMMIT", "after") else 2
    assert code == 130, err
    assert err == (
        f"dctheory validate: interrupted; {stored} of 4 fig3b tasks stored; rerun the same command to resume\n"
    )
    monkeypatch.undo()
    chash = config_hash(get_experiment("fig3b").load_config(quick=True))
    with ResultStore(tmp_path / "results.sqlite") as store:
        assert store.integrity_ok()
        assert len(store.done("fig3b", chash)) == stored
        per_trial = {}
        for row in store.rows("fig3b", chash):
            per_trial[row["trial"]] = per_trial.get(row["trial"], 0) + 1
        assert len(per_trial) == stored and len(set(per_trial.values())) == 1  # each task whole
    # The rerun resumes: it runs only the tasks that were not stored.
    resumed = runner.run("fig3b", out_dir=tmp_path, quick=True, trials=4, progress=False)
    assert (resumed.tasks_skipped, resumed.tasks_run) == (stored, 4 - stored)
