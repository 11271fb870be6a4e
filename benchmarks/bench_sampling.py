"""Theory against the Monte Carlo it predicts, on the DC-sampling routes (full covariances, random features).

Run:  python benchmarks/bench_sampling.py [--routes toeplitz rotation fig2 fig4 advise] [--timed-trials K]
      [--quick] [--skip-large]

For each route the experiment's own config (``validation/experiments/NAME.json``, full size unless
``--quick``) is used in one process, with one BLAS thread (threadpoolctl), so that the two sides are
measured the same way:

* theory: ``experiment.theory(config)``, the DC-sampling predictions the validation compares with;
* Monte Carlo: the first ``K`` trials (``--timed-trials``, default 10; ``all`` for every trial), scaled to
  the config's number of trials (trials are independent and cost the same): run as ``dctheory validate``
  runs them (:func:`validation.runner.run`, one worker, results stored in a temporary SQLite store; the
  time that ``validate`` prints and compares), and ``experiment.simulate`` alone.

``advise`` is the random-features setting of the advise check (``validation/configs/advise/random_features.json``): its
theory is ``dctheory.advise`` on that setting, its Monte Carlo the simulation of that setting's candidates.
Goal: theory at most a quarter of the Monte Carlo as validate runs it (``ratio`` = Monte Carlo / theory >= 4).

A last line times one DC-sampling prediction with a full covariance at P = 1000 (Toeplitz rho = 0.6,
n = 400, m = P, s = 100, the default 2000 samples), with and without building the LGP. Goal: under 2 s.

Times are CPU seconds of this process (``time.process_time``) next to the wall clock: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np
from threadpoolctl import threadpool_limits

ROUTES = ("toeplitz", "rotation", "fig2", "fig4", "advise")


class Clock:
    def __enter__(self):
        self.cpu, self.wall = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.cpu, self.wall = time.process_time() - self.cpu, time.perf_counter() - self.wall


def route(name: str, quick: bool, timed_trials):
    from validation import runner
    from validation.catalog import get_experiment

    experiment = get_experiment(name)
    config = experiment.load_config(quick=quick)
    if name == "advise":
        import validation.experiments.advise as advise_check

        config = dict(config, settings={"random_features": config["settings"]["random_features"]})
        advise_check.advice_for.cache_clear()
    tasks = experiment.tasks(config)
    trials = int(config["trials"])
    timed = trials if timed_trials == "all" else min(int(timed_trials), trials)
    scale = len(tasks) / len(tasks[: len(tasks) * timed // trials])
    with Clock() as theory:
        rows = experiment.theory(config)
    with Clock() as simulate:
        for point, trial in tasks[: len(tasks) * timed // trials]:
            experiment.simulate(point, trial, runner.task_seed(name, point, trial, int(config.get("seed", 0))), config)
    with tempfile.TemporaryDirectory() as out, Clock() as run:
        runner.run(experiment, config, out_dir=out, trials=timed, jobs=1, progress=False)
    return {
        "route": name,
        "theory": theory,
        "rows": len(rows),
        "simulate": simulate,
        "run": run,
        "scale": scale,
        "timed": timed,
        "trials": trials,
    }


def large_prediction(P: int = 1000, n: int = 400, s: int = 100):
    import dctheory as dc

    covariance = dc.toeplitz(P, 0.6)
    beta = np.ones(P)
    with Clock() as build:
        problem = dc.LGP(covariance=covariance, beta=beta, sigma=0.5)
    with Clock() as predict:
        prediction = dc.predict(problem, n, P, s, method="sampling", rng=np.random.default_rng(0))
    return build, predict, prediction


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--routes", nargs="+", default=list(ROUTES), choices=ROUTES)
    parser.add_argument("--timed-trials", default="10", help="trials simulated per route (scaled), or 'all'")
    parser.add_argument("--quick", action="store_true", help="the configs' quick sizes")
    parser.add_argument("--skip-large", action="store_true", help="skip the P = 1000 prediction")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"load average at start: {load:.2f} (1 min); one BLAS thread; {'quick' if args.quick else 'full'} configs")
    with threadpool_limits(1):
        for name in args.routes:
            r = route(name, args.quick, args.timed_trials)
            theory, scale = r["theory"], r["scale"]
            ratio = r["run"].cpu * scale / theory.cpu
            print(
                f"{name:<9} theory {theory.cpu:7.2f} s CPU ({theory.wall:7.2f} wall, {r['rows']:4d} rows) | "
                f"Monte Carlo {r['run'].cpu * scale:7.2f} s CPU ({r['run'].wall * scale:7.2f} wall) as validate runs it, "
                f"{r['simulate'].cpu * scale:7.2f} s CPU simulate() alone ({r['timed']} of {r['trials']} trials "
                f"timed, scaled) | ratio {ratio:6.2f}x (simulate alone {r['simulate'].cpu * scale / theory.cpu:6.2f}x) "
                f"| goal >= 4x: {'met' if ratio >= 4 else 'NOT met'} | load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
        if not args.skip_large:
            build, predict, prediction = large_prediction()
            total = build.cpu + predict.cpu
            print(
                f"P=1000 full covariance, 2000 samples: LGP {build.cpu:.2f} s CPU + predict {predict.cpu:.2f} s CPU "
                f"= {total:.2f} s ({build.wall + predict.wall:.2f} s wall) | magnitude "
                f"{prediction['magnitude']:.5g} +- {prediction.stderr['magnitude']:.2g} | goal < 2 s: "
                f"{'met' if total < 2 else 'NOT met'}",
                flush=True,
            )


if __name__ == "__main__":
    main()
