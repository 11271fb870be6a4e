"""Theory against the Monte Carlo it predicts, on the DC-sampling routes (full covariances, random features).

Run:  python benchmarks/bench_sampling.py [--routes toeplitz rotation fig2 fig4 advise] [--timed-trials K]
      [--quick] [--skip-large]

For each route the experiment's own config (``validation/experiments/NAME.json``, full size unless
``--quick``) is used in one process, with one BLAS thread (threadpoolctl), so that the two sides are
measured the same way:

* theory: ``experiment.theory(config)``, the DC-sampling predictions the validation compares with;
* Monte Carlo: ``experiment.simulate`` for the first ``K`` trials (``--timed-trials``, default 10; ``all``
  for every trial), scaled to the config's number of trials (trials are independent and cost the same).

``advise`` is the random-features setting of the advise check (``docs/advise/random_features.json``): its
theory is ``dctheory.advise`` on that setting, its Monte Carlo the simulation of that setting's candidates.
Goal: theory at most a quarter of the Monte Carlo (``ratio`` = Monte Carlo / theory >= 4).

A last line times one DC-sampling prediction with a full covariance at P = 1000 (Toeplitz rho = 0.6,
n = 400, m = P, s = 100, the default 2000 samples), with and without building the LGP. Goal: under 2 s.

Times are CPU seconds of this process (``time.process_time``) next to the wall clock: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
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
    from validation.experiment import get_experiment
    from validation.runner import task_seed

    experiment = get_experiment(name)
    config = experiment.load_config(quick=quick)
    if name == "advise":
        import validation.experiments_advise as advise_check

        config = dict(config, settings={"random_features": config["settings"]["random_features"]})
        advise_check.advice_for.cache_clear()
    tasks = experiment.tasks(config)
    trials = len(tasks)
    timed = tasks if timed_trials == "all" else tasks[:min(int(timed_trials), trials)]
    with Clock() as theory:
        rows = experiment.theory(config)
    with Clock() as simulation:
        for point, trial in timed:
            experiment.simulate(point, trial, task_seed(name, point, trial, int(config.get("seed", 0))), config)
    scale = trials / len(timed)
    return {"route": name, "theory_cpu": theory.cpu, "theory_wall": theory.wall, "rows": len(rows),
            "sim_cpu": simulation.cpu * scale, "sim_wall": simulation.wall * scale, "timed": len(timed),
            "trials": trials}


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
            ratio = r["sim_cpu"] / r["theory_cpu"]
            print(f"{name:<9} theory {r['theory_cpu']:8.2f} s CPU ({r['theory_wall']:8.2f} s wall, {r['rows']:4d} rows) | "
                  f"Monte Carlo {r['sim_cpu']:8.2f} s CPU ({r['sim_wall']:8.2f} s wall; {r['timed']} of {r['trials']} "
                  f"trials timed, scaled) | ratio {ratio:6.2f}x | goal >= 4x: {'met' if ratio >= 4 else 'NOT met'} "
                  f"| load {os.getloadavg()[0]:.2f}", flush=True)
        if not args.skip_large:
            build, predict, prediction = large_prediction()
            total = build.cpu + predict.cpu
            print(f"P=1000 full covariance, 2000 samples: LGP {build.cpu:.2f} s CPU + predict {predict.cpu:.2f} s CPU "
                  f"= {total:.2f} s ({build.wall + predict.wall:.2f} s wall) | magnitude "
                  f"{prediction['magnitude']:.5g} +- {prediction.stderr['magnitude']:.2g} | goal < 2 s: "
                  f"{'met' if total < 2 else 'NOT met'}", flush=True)


if __name__ == "__main__":
    main()
