"""Run an experiment's tasks: resumable, parallel, distributed, reproducible.

``run(experiment, config, out_dir=..., quick=..., trials=..., jobs=...,
scheduler=..., fresh=..., progress=...)``:

1. builds the task list ``experiment.tasks(config)`` (trials overridden by
   ``trials``), opens ``<out_dir>/results.sqlite`` (:class:`ResultStore`) and
   skips every task already recorded for this (experiment, config hash);
   ``fresh=True`` first deletes the experiment's stored results;
2. runs the others inline (``jobs=1``), on local processes through joblib
   (``jobs>1``, loky backend), or on a Dask cluster
   (``scheduler="tcp://HOST:PORT"``, through ``distributed.Client``); every
   task runs with its BLAS and OpenMP pools limited to one thread
   (threadpoolctl), wherever it runs;
3. stores each task the moment it finishes (one SQLite transaction per task),
   so an interrupted run loses at most the tasks in flight;
4. shows a tqdm progress bar (only when stderr is a terminal and
   ``progress`` is true) and returns a :class:`RunSummary`.

Seeds: task (experiment, point, trial) gets
``SeedSequence([config["seed"], H])`` where H is the first 128 bits of
SHA-256 of ``name NUL canonical_json(point) NUL trial``. The seed therefore
depends neither on the order of tasks nor on the worker that ran it, and one
BLAS thread per task fixes the order of every floating-point reduction (a
multi-threaded BLAS splits sums differently with the thread count): results,
and the CSV files written from them, are byte-identical for any ``jobs`` or
scheduler.

:func:`evaluate` runs and judges an experiment (the CLI and the tests both go
through it); :func:`claim_output` makes sure an output folder is the tool's own.
"""

from __future__ import annotations

import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dctheory.errors import ConfigError
from validation.catalog import get_experiment
from validation.experiment import Claim, Experiment, config_hash
from validation.store import ResultStore, canonical_json

DEFAULT_OUT = Path("dctheory-out")
#: the file that marks a folder as a validation output folder (written on first use)
MARKER = ".dctheory-validate"
#: BLAS / OpenMP threads inside one task
TASK_THREADS = 1


def claim_output(out_dir) -> Path:
    """Make ``out_dir`` a validation output folder, or refuse it with a one-line ConfigError.

    Accepted: a folder that does not exist yet, an empty folder, or a folder
    holding :data:`MARKER` (one this tool wrote). Refused: a file, or a folder
    with other content (its files are never replaced).
    """
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ConfigError(
            f"--out {str(out)!r} is a file; expected a folder (empty, or one written by dctheory validate)"
        )
    if out.is_dir() and not (out / MARKER).is_file() and any(out.iterdir()):
        raise ConfigError(
            f"--out {str(out)!r} is a folder that dctheory validate did not write (no {MARKER}); "
            f"choose an empty or new folder"
        )
    out.mkdir(parents=True, exist_ok=True)
    marker = out / MARKER
    if not marker.is_file():
        marker.write_text("written by dctheory validate: results.sqlite and one folder per experiment\n")
    return out


@dataclass
class RunSummary:
    """What a run did. ``rows`` are the tidy rows of all requested trials."""

    experiment: str
    config_hash: str
    config: dict
    tasks_total: int
    tasks_skipped: int
    tasks_run: int
    elapsed_s: float
    rows: list[dict] = field(default_factory=list)

    @property
    def tasks_per_s(self) -> float:
        return self.tasks_run / self.elapsed_s if self.elapsed_s > 0 else float("nan")

    def line(self) -> str:
        return (
            f"{self.experiment}: {self.tasks_run} tasks run, {self.tasks_skipped} reused "
            f"from the store, {self.elapsed_s:.1f} s, {self.tasks_per_s:.2f} tasks/s"
        )


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a run; its message says how many tasks are stored (a rerun resumes from them)."""


def task_seed(name: str, point: dict, trial: int, base_seed: int = 0) -> np.random.SeedSequence:
    """The seed of one task (see the module docstring); independent of scheduling."""
    digest = hashlib.sha256(f"{name}\0{canonical_json(point)}\0{int(trial)}".encode()).hexdigest()
    return np.random.SeedSequence([int(base_seed), int(digest[:32], 16)])


def execute_task(name: str, point: dict, trial: int, base_seed: int, config: dict):
    """Run one task in whatever process this lands in; returns (rows, seconds).

    Top-level and argument-only so that joblib and Dask can ship it.
    """
    from threadpoolctl import threadpool_limits

    experiment = get_experiment(name)
    start = time.perf_counter()
    with threadpool_limits(limits=TASK_THREADS):
        rows = experiment.simulate(point, trial, task_seed(name, point, trial, base_seed), config)
    return rows, time.perf_counter() - start


def _validate_args(trials, jobs, scheduler):
    if trials is not None and (not isinstance(trials, int) or trials < 1):
        raise ConfigError(f"trials must be an integer >= 1, got {trials!r}")
    if not isinstance(jobs, int) or jobs < 1:
        raise ConfigError(f"jobs must be an integer >= 1, got {jobs!r}")
    if scheduler is not None and not (isinstance(scheduler, str) and "://" in scheduler):
        raise ConfigError(f"scheduler must be an address like tcp://HOST:PORT, got {scheduler!r}")


def run(
    experiment: Experiment | str,
    config: dict | None = None,
    *,
    out_dir=DEFAULT_OUT,
    quick: bool = False,
    trials: int | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    fresh: bool = False,
    progress: bool = True,
) -> RunSummary:
    """Run (or resume) one experiment; see the module docstring."""
    _validate_args(trials, jobs, scheduler)
    if isinstance(experiment, str):
        experiment = get_experiment(experiment)
    if config is None:
        config = experiment.load_config(quick=quick)
    config = dict(config)
    if trials is not None:
        config["trials"] = trials
    chash = config_hash(config)
    base_seed = int(config.get("seed", 0))
    name = experiment.name

    store = ResultStore(Path(out_dir) / "results.sqlite")
    try:
        if fresh:
            store.clear(name)
        store.record_config(name, chash, config)
        tasks = experiment.tasks(config)
        done = store.done(name, chash)
        todo = [(p, t) for p, t in tasks if (canonical_json(p), t) not in done]
        start = time.perf_counter()
        bar = _progress_bar(len(todo), name, progress)
        try:
            for point, trial, rows, seconds in _dispatch(name, todo, base_seed, config, jobs, scheduler):
                seed = task_seed(name, point, trial, base_seed)
                store.add(name, chash, canonical_json(point), trial, rows, seed=str(seed.entropy), elapsed_s=seconds)
                bar.update(1)
        except KeyboardInterrupt:
            keys = {(canonical_json(p), t) for p, t in tasks}
            raise Interrupted(
                f"{len(keys & store.done(name, chash))} of {len(tasks)} {name} tasks stored; "
                "rerun the same command to resume"
            ) from None
        finally:
            bar.close()
        elapsed = time.perf_counter() - start
        n_trials = config.get("trials")
        rows = store.rows(name, chash, trials=n_trials)
    finally:
        store.close()
    return RunSummary(name, chash, config, len(tasks), len(tasks) - len(todo), len(todo), elapsed, rows)


def theory(
    experiment: Experiment | str, config: dict, *, out_dir=DEFAULT_OUT, fresh: bool = False
) -> tuple[list[dict], float, bool]:
    """The experiment's theory rows, cached in the store; returns (rows, seconds, cached).

    Stored as task (point ``{"theory": true}``, trial 0) of the pseudo
    experiment ``NAME#theory`` under the same config hash, so an expensive
    DC-sampling prediction is computed once per configuration.
    """
    if isinstance(experiment, str):
        experiment = get_experiment(experiment)
    key, chash = f"{experiment.name}#theory", config_hash(config)
    point = canonical_json({"theory": True})
    store = ResultStore(Path(out_dir) / "results.sqlite")
    try:
        if fresh:
            store.clear(key)
        if (point, 0) in store.done(key, chash):
            rows = [{k: v for k, v in r.items() if k not in ("theory", "trial")} for r in store.rows(key, chash)]
            return rows, 0.0, True
        from threadpoolctl import threadpool_limits

        start = time.perf_counter()
        with threadpool_limits(limits=TASK_THREADS):  # same floating-point order as the tasks
            rows = experiment.theory(config)
        seconds = time.perf_counter() - start
        store.add(key, chash, point, 0, rows, elapsed_s=seconds)
        return rows, seconds, False
    finally:
        store.close()


@dataclass
class Evaluation:
    """An experiment run and judged. Unpacks as (summary, theory_rows, verdict_rows, claims)."""

    summary: RunSummary
    theory_rows: list[dict]
    verdict_rows: list[dict]
    claims: list[Claim]
    measurements: list[dict]
    theory_s: float
    theory_cached: bool

    def __iter__(self):
        return iter((self.summary, self.theory_rows, self.verdict_rows, self.claims))

    @property
    def passed(self) -> bool:
        """No judged point and no claim FAILs (SKIPPED claims do not count)."""
        return not any(v["verdict"] == "FAIL" for v in self.verdict_rows) and not any(
            c.status == "FAIL" for c in self.claims
        )


def evaluate(
    experiment: Experiment | str,
    *,
    out_dir=DEFAULT_OUT,
    quick: bool = False,
    trials: int | None = None,
    jobs: int = 1,
    scheduler: str | None = None,
    fresh: bool = False,
    progress: bool = False,
) -> Evaluation:
    """Run (or resume) an experiment and judge it: its verdict rows, claims and measurements."""
    if isinstance(experiment, str):
        experiment = get_experiment(experiment)
    summary = run(
        experiment,
        out_dir=out_dir,
        quick=quick,
        trials=trials,
        jobs=jobs,
        scheduler=scheduler,
        fresh=fresh,
        progress=progress,
    )
    theory_rows, theory_s, cached = theory(experiment, summary.config, out_dir=out_dir, fresh=fresh)
    verdict_rows = experiment.compare(summary.rows, theory_rows, summary.config)
    claims = experiment.claims(summary.rows, theory_rows, verdict_rows, summary.config)
    measurements = experiment.measurements(summary.rows, theory_rows, verdict_rows, summary.config)
    return Evaluation(summary, theory_rows, verdict_rows, claims, measurements, theory_s, cached)


def _progress_bar(total: int, name: str, progress: bool):
    from tqdm import tqdm

    return tqdm(
        total=total,
        desc=name,
        unit="task",
        disable=not (progress and sys.stderr.isatty()),
        file=sys.stderr,
        dynamic_ncols=True,
    )


def _dispatch(name, todo, base_seed, config, jobs, scheduler):
    """Yield (point, trial, rows, seconds) as tasks finish, in any order."""
    if not todo:
        return
    if scheduler is not None:
        yield from _dispatch_dask(name, todo, base_seed, config, scheduler)
    elif jobs == 1:
        for point, trial in todo:
            rows, seconds = execute_task(name, point, trial, base_seed, config)
            yield point, trial, rows, seconds
    else:
        yield from _dispatch_joblib(name, todo, base_seed, config, jobs)


def _run_tagged(name, point, trial, base_seed, config):
    rows, seconds = execute_task(name, point, trial, base_seed, config)
    return point, trial, rows, seconds


def _dispatch_joblib(name, todo, base_seed, config, jobs):
    from joblib import Parallel, delayed, parallel_config

    with parallel_config(backend="loky", inner_max_num_threads=TASK_THREADS):
        results = Parallel(n_jobs=jobs, return_as="generator_unordered")(
            delayed(_run_tagged)(name, p, t, base_seed, config) for p, t in todo
        )
        yield from results


def _dispatch_dask(name, todo, base_seed, config, scheduler):
    from distributed import Client, as_completed

    with Client(scheduler) as client:
        futures = [client.submit(_run_tagged, name, p, t, base_seed, config, pure=False) for p, t in todo]
        for future in as_completed(futures):
            yield future.result()
            future.release()
