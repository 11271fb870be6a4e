"""Benchmarks of the Monte Carlo engine. Run: ``PYTHONPATH=. python benchmarks/bench_montecarlo.py [--fig3b]``
(``--fig3b``: item 3 only; ``--gemm [--quick]``: the two figures of ``benchmarks/run.py`` only, the engine's
single-thread rate as a fraction of a GEMM of the same shape: :func:`gemm_fraction_solve` and
:func:`gemm_fraction_trial` say how each is counted).

Prints ratios measured in the same run:

1. min-norm solves per second, engine (``validation.montecarlo.min_norm``:
   n x n Gram + LAPACK Cholesky) vs the naive ``np.linalg.pinv(X) @ y`` loop, at
   n = 500, m = 2000 (goal >= 5x), checking both give the same solution. The
   two are timed in interleaved rounds and the median per-round ratio is
   reported with its range and the load average: the machine is shared, and
   a ratio of two timings taken minutes apart mostly measures the change of
   load between them. When the machine is oversubscribed (load average above
   the number of cores) multi-threaded BLAS threads wait on each other and
   both timings swing by 10x; ``OPENBLAS_NUM_THREADS=1`` gives the stable,
   per-core ratio;
2. the engine's achieved GFLOP/s (n^2 m for the symmetric Gram product,
   n^3/3 Cholesky, 2nm for X^T alpha) as a fraction of this machine's
   measured float64 matrix-multiply GFLOP/s (2 N^3 per N x N product);
3. a full fig3b-size sweep (P = 500, n = 150, m = 1..500 on the experiment's
   grid, all strategies) per trial vs the theory curve dctheory.risk_curve
   for every m = 1..P, and the same theory vs the Monte Carlo needed to get
   a whole curve at the experiment's number of trials (goal >= 1000x), in CPU
   seconds with one BLAS thread (as ``dctheory validate`` runs its tasks).
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np
from figures import Figure, cpu_time, figure, interleaved

from dctheory.strategies import STRATEGIES

#: single-thread rate of the engine as a fraction of a single-thread GEMM of the same shape (see below)
GEMM_GOAL = 0.85


def best_of(fn, repeat=3, number=1):
    best = np.inf
    for _ in range(repeat):
        t = time.perf_counter()
        for _ in range(number):
            fn()
        best = min(best, (time.perf_counter() - t) / number)
    return best


def main(n=500, m=2000, reps=5, rounds=5):
    if "--fig3b" in sys.argv:
        return fig3b()
    from validation.montecarlo import min_norm

    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((n, m)), rng.standard_normal(n)
    w_engine, fallback = min_norm(X, y)
    w_pinv = np.linalg.pinv(X) @ y
    err = np.abs(w_engine - w_pinv).max()
    # interleaved rounds: engine and pinv are timed back to back, so a change of
    # load on the shared machine hits both sides of each round's ratio
    ratios, t_engines, t_pinvs = [], [], []
    for _ in range(rounds):
        t_e = best_of(lambda: min_norm(X, y), repeat=3, number=reps)
        t_p = best_of(lambda: np.linalg.pinv(X) @ y, repeat=1, number=1)
        ratios.append(t_p / t_e)
        t_engines.append(t_e)
        t_pinvs.append(t_p)
    t_engine = min(t_engines)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"[1] min-norm solve n={n}, m={m}: engine {1 / t_engine:.1f} solves/s, "
        f"pinv {1 / min(t_pinvs):.2f} solves/s; ratio per interleaved round: median "
        f"{np.median(ratios):.1f}x, range {min(ratios):.1f}-{max(ratios):.1f}x over {rounds} "
        f"rounds (goal >= 5x); max |w_engine - w_pinv| = {err:.1e}, fallback={fallback}; "
        f"load average {load:.2f} on {os.cpu_count()} CPUs"
    )

    N = 1500
    A, B = rng.standard_normal((N, N)), rng.standard_normal((N, N))
    t_mm = best_of(lambda: A @ B)
    peak = 2 * N**3 / t_mm / 1e9
    flops = n * n * m + n**3 / 3 + 2 * n * m
    achieved = flops / t_engine / 1e9
    print(f"[2] matmul {N}x{N}: {peak:.1f} GFLOP/s; engine {achieved:.1f} GFLOP/s = {achieved / peak:.0%} of matmul")

    fig3b()


def fig3b():
    import dctheory as dc
    from validation import runner
    from validation.catalog import get_experiment
    from validation.experiments.linear import theory_problem

    exp = get_experiment("fig3b")
    config = exp.load_config()
    seed = runner.task_seed("fig3b", {}, 0)
    p = theory_problem(config)
    # CPU seconds with one BLAS thread, as the validation runner runs every task (threadpoolctl).
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        t_trial = cpu_time(lambda: exp.simulate({}, 0, seed, config), repeat=3)
        t_theory = cpu_time(lambda: dc.risk_curve(p, n=config["n"], s=config["s"]), repeat=20)
    trials = config["trials"]
    ratio = trials * t_trial / t_theory
    print(
        f"[3] fig3b (P={config['P']}, n={config['n']}, s={config['s']}), CPU seconds, one BLAS thread: theory "
        f"curve (all {config['P']} m, {len(STRATEGIES)} strategies) {t_theory * 1e3:.2f} ms (min of 20); one Monte Carlo trial "
        f"({len(exp.simulate({}, 0, seed, config)) // len(config['strategies'])} m values, "
        f"{len(config['strategies'])} strategies) {t_trial * 1e3:.1f} ms (min of 3); {trials} trials "
        f"{trials * t_trial:.2f} s = {ratio:.0f}x the theory curve | goal >= 1000x: "
        f"{'met' if ratio >= 1000 else 'NOT met'} | load {os.getloadavg()[0]:.2f}"
    )


def solve_flops(n: int, k: int) -> float:
    """Flops of one min-norm (or ridge) fit on k columns of an n-row sample through the smaller Gram matrix, as
    the engine solves it on its own (:func:`validation.montecarlo.min_norm`): the symmetric Gram product
    (n k^2 for k <= n, n^2 k otherwise: one triangle), the Cholesky factorization (r^3 / 3, r the smaller side),
    the two triangular solves (2 r^2) and, for k > n, the back-projection X^T alpha (2 n k)."""
    if k <= n:
        return n * k * k + k**3 / 3 + 2 * k * k
    return n * n * k + n**3 / 3 + 2 * n * n + 2 * n * k


def trial_flops(n: int, P: int, s: int, grid: list[int], refits_per_m: int) -> float:
    """Flops of one trial's fits counted fit by fit, each from scratch (:func:`solve_flops`): the fit on the first
    m columns at every m of ``grid`` and ``refits_per_m`` retraining fits per m on min(m, s) columns, each with
    its own Gram matrix, plus diag(X^T X) for Hessian pruning (2 n P). An engine that shares work between fits
    (the sweep's growing Gram matrix, one factorization for nested prefixes, one product for every support's
    Gram block) does less arithmetic for the same outputs, and shows as a higher rate.

    Until the engine shared factorizations, the sweep's fits were counted with their Gram matrices shared as
    the engine formed them while the refits were counted from scratch: that mixed count
    (:func:`trial_flops_shared_sweep`, 216 MFLOP at the size of Fig. 3(b) against 386 here) credited one kind
    of shared work and not the other, and is shown beside the figure for comparison with earlier runs."""
    return 2.0 * n * P + sum(solve_flops(n, m) + refits_per_m * solve_flops(n, min(m, s)) for m in grid)


def trial_flops_shared_sweep(n: int, P: int, s: int, grid: list[int], refits_per_m: int) -> float:
    """The earlier count of :func:`trial_flops`: the sweep's Gram matrices formed as the engine has long formed
    them (the leading block once for the largest m <= n; for m > n the n x n Gram grown by the new columns only,
    n^2 per column), the retraining fits from scratch; plus diag(X^T X) (2 n P)."""
    under = [m for m in grid if m <= n]
    flops = 2.0 * n * P + (n * under[-1] ** 2 if under else 0)
    filled = 0
    for m in grid:
        if m <= n:
            flops += m**3 / 3 + 2 * m * m
        else:
            flops += n * n * (m - filled) + n**3 / 3 + 2 * n * n + 2 * n * m
            filled = m
        flops += refits_per_m * solve_flops(n, min(m, s))
    return flops


def _gemm(n: int, P: int, rng: np.random.Generator):
    """A (n x P) @ (P x n) product (2 n^2 P flops) and its flop count: the reference rate."""
    A, B = rng.standard_normal((n, P)), rng.standard_normal((P, n))
    return (lambda: A @ B), 2.0 * n * n * P


@figure("Monte Carlo engine")
def gemm_fraction_solve(quick: bool) -> Figure:
    """One min-norm solve at the size of Fig. 3 (n = 150, m = P = 500: the n x n Gram side), single thread
    (threadpoolctl), as a fraction of a single-thread GEMM of the same shape, (n x P) @ (P x n), timed in the
    same run: (flops of :func:`solve_flops` / engine CPU seconds) / (2 n^2 P / GEMM CPU seconds), each the min
    over interleaved repeats (200 rounds of 10 calls).

    A lone solve shares nothing, so its rate is bounded by its parts' (measured at this size, one thread): the
    Gram product (``syrk``, 90% of the flops) runs at about 0.86x the GEMM rate, but the Cholesky factorization
    of the 150 x 150 Gram matrix runs at about 0.3x (50 us for 1.1 MFLOP), and the condition estimate that
    decides the fallback (``dpocon`` and the matrix 1-norm, 40-50 us) and the triangular solves add time
    without counted flops; together they hold the solve near 0.6-0.65x (the factorization alone caps it near
    0.75x). The certificate that replaces dpocon in a sweep costs a second factorization, more than dpocon for a
    single matrix, and the O(n^2) bound on the inverse of a triangular factor (its comparison matrix) is too
    loose here by 6 to 13 orders of magnitude (measured, m = 500 to 156): 0.85x is out of reach for this figure
    while the fallback test stays as it is."""
    from threadpoolctl import threadpool_limits

    from validation.montecarlo import min_norm

    n, P = (60, 200) if quick else (150, 500)
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((n, P)), rng.standard_normal(n)
    gemm, gemm_flops = _gemm(n, P, rng)
    rounds = 20 if quick else 200
    with threadpool_limits(limits=1):
        times = interleaved(
            {"engine": lambda: [min_norm(X, y) for _ in range(10)], "gemm": lambda: [gemm() for _ in range(10)]}, rounds
        )
    engine_rate = solve_flops(n, P) / (times["engine"] / 10)
    gemm_rate = gemm_flops / (times["gemm"] / 10)
    return Figure(
        f"min-norm solve (n = {n}, m = {P}) rate / single-thread GEMM rate",
        engine_rate / gemm_rate,
        f"GEMM ({n} x {P}) @ ({P} x {n}), one thread, same run",
        at_least=GEMM_GOAL,
        detail=f"solve {times['engine'] / 10 * 1e6:.0f} us = {engine_rate / 1e9:.1f} GFLOP/s, "
        f"GEMM {gemm_rate / 1e9:.1f} GFLOP/s",
    )


@figure("Monte Carlo engine")
def gemm_fraction_trial(quick: bool) -> Figure:
    """The fits of one Monte Carlo trial of Fig. 3(b) (``train_prune_retrain`` on a training and a fresh sample:
    the sweep over the experiment's m grid, pruning by the four rules, fresh retraining of magnitude and Hessian
    pruning; P = 500, n = 150, s = 120), single thread, as a fraction of the GEMM rate of
    :func:`gemm_fraction_solve`: (:func:`trial_flops` / trial CPU seconds) / GEMM rate. The samples are drawn
    once, outside the timing; min over 30 interleaved rounds. The time includes pruning and the bookkeeping of
    ``train_prune_retrain``, whose flops are not counted.

    The flops are counted fit by fit, each from scratch, so the work the engine shares raises the rate: the
    sweep's Gram matrix grows by new columns, nested prefixes (the sweep's m <= n, the refits with m <= s) share
    one factorization, one certificate replaces the condition estimates of a whole sweep, and the refits gather
    their Gram matrices from one product over their supports' union. What it cannot share is one Cholesky
    factorization per m > n (150 x 150, at about 0.3x the GEMM rate) and, per refit on an arbitrary support,
    the factorization (120 x 120) and its ``dpocon`` estimate: these, with the pruning, bound the figure. The
    detail shows the rate under the earlier count as well (:func:`trial_flops_shared_sweep`)."""
    from threadpoolctl import threadpool_limits

    from validation import runner
    from validation.catalog import get_experiment
    from validation.experiments.linear import gaussian_model, sweep_grid
    from validation.montecarlo import Sample, oracle_set, train_prune_retrain

    config = get_experiment("fig3b").load_config(quick)
    n, P, s = int(config["n"]), int(config["P"]), int(config["s"])
    model = gaussian_model(config)
    seeds = runner.task_seed("fig3b", {}, 0).spawn(3)
    (X, y), (Xf, yf) = (model.sample(n, np.random.default_rng(seed)) for seed in seeds[:2])
    grid, oracle = sweep_grid(config), oracle_set(model.variances, model.beta, s)
    refits = sum(name.endswith("_retrained") for name in config["strategies"])

    def trial():
        return train_prune_retrain(
            Sample(X, y),
            Sample(Xf, yf),
            grid,
            s,
            strategies=config["strategies"],
            oracle=oracle,
            rng=np.random.default_rng(seeds[2]),
        )

    gemm, gemm_flops = _gemm(n, P, np.random.default_rng(1))
    with threadpool_limits(limits=1):
        times = interleaved({"trial": trial, "gemm": lambda: [gemm() for _ in range(20)]}, 10 if quick else 30)
    flops, earlier = trial_flops(n, P, s, grid, refits), trial_flops_shared_sweep(n, P, s, grid, refits)
    rate, gemm_rate = flops / times["trial"], gemm_flops / (times["gemm"] / 20)
    return Figure(
        f"one Fig. 3(b) trial's fits (P = {P}, n = {n}, {len(grid)} m) rate / single-thread GEMM rate",
        rate / gemm_rate,
        f"GEMM ({n} x {P}) @ ({P} x {n}), one thread, same run",
        at_least=GEMM_GOAL,
        detail=f"trial {times['trial'] * 1e3:.2f} ms for {flops / 1e6:.0f} MFLOP counted fit by fit = "
        f"{rate / 1e9:.1f} GFLOP/s, GEMM {gemm_rate / 1e9:.1f} GFLOP/s; with the earlier count "
        f"({earlier / 1e6:.0f} MFLOP, sweep Gram shared) {earlier / times['trial'] / gemm_rate:.3g}x",
    )


if __name__ == "__main__":
    if "--gemm" in sys.argv:  # the two registered figures only
        for item in (gemm_fraction_solve("--quick" in sys.argv), gemm_fraction_trial("--quick" in sys.argv)):
            print(item.row("Monte Carlo engine"))
    else:
        main()
