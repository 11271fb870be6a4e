"""Start-up cost of dctheory in fresh processes, against the cost of importing its numerical stack.

Run:  python benchmarks/bench_startup.py [--repeat R]

Each command runs in a new Python process (a cold start: nothing imported, no
cache of derived formulas to lean on) and is charged the CPU seconds (user +
system) that the process used, read with ``resource.getrusage(RUSAGE_CHILDREN)``
around it. Every command runs ``--repeat`` times, interleaved, and the median
is reported. The baseline, measured in the same run, is

    python -c "import numpy, scipy.special, mpmath"

i.e. the libraries that any float64 or any-precision evaluation needs. Goals:

* ``import dctheory``: at most 0.3 s CPU above the baseline;
* a cold ``dctheory predict`` of the paper's Fig. 7(b) setting (P = 500,
  n = 150, s = 120, spiked covariance; the setting of ``dctheory demo``):
  at most 1.8x the baseline.

The other rows are for information: a 30-digit prediction of the same setting
and whether a command imported sympy at all.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

FIG7B = {
    "n": 150,
    "sigma": 0,
    "s": 120,
    "m": 500,
    "covariance": {"spiked": {"P": 500, "k": 60, "C": 10}},
    "beta": {"constant": 1},
}


def cpu_seconds(command: list[str], env: dict) -> float:
    """CPU seconds (user + system) of one run of ``command`` in a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def imports_sympy(command: list[str], env: dict) -> bool:
    """Whether ``command`` (a ``python ...`` command) imports sympy, from ``-X importtime``."""
    result = subprocess.run(
        [command[0], "-X", "importtime", *command[1:]],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return any(line.rsplit("|", 1)[-1].strip().split(".")[0] == "sympy" for line in result.stderr.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="runs of each command (median reported; default 7)")
    args = parser.parse_args()

    python = sys.executable
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as scratch:
        config = Path(scratch) / "fig7b.json"
        config.write_text(json.dumps(FIG7B))
        commands = {
            "baseline: import numpy, scipy.special, mpmath": [python, "-c", "import numpy, scipy.special, mpmath"],
            "import dctheory": [python, "-c", "import dctheory"],
            "dctheory predict fig7b.json": [python, "-m", "dctheory", "predict", str(config)],
            "dctheory predict fig7b.json --dps 30": [python, "-m", "dctheory", "predict", str(config), "--dps", "30"],
        }
        for command in commands.values():  # one untimed run each: file-system caches warm, as for a user
            cpu_seconds(command, env)
        times = {label: [] for label in commands}
        for _ in range(args.repeat):
            for label, command in commands.items():
                times[label].append(cpu_seconds(command, env))
        sympy = {label: imports_sympy(command, env) for label, command in commands.items()}

    median = {label: statistics.median(values) for label, values in times.items()}
    base = median["baseline: import numpy, scipy.special, mpmath"]
    goals = {
        "import dctheory": (lambda t: t - base <= 0.3, "at most 0.3 s above the baseline"),
        "dctheory predict fig7b.json": (lambda t: t <= 1.8 * base, "at most 1.8x the baseline"),
    }
    print(
        f"CPU seconds per fresh process, median of {args.repeat} (min-max); "
        f"load average {os.getloadavg()[0]:.2f}; Python {sys.version.split()[0]}"
    )
    for label, value in median.items():
        spread = f"{min(times[label]):.3f}-{max(times[label]):.3f}"
        line = (
            f"{label:<46} {value:7.3f} s ({spread}) | {value / base:5.2f}x baseline | "
            f"{value - base:+7.3f} s | sympy imported: {'yes' if sympy[label] else 'no'}"
        )
        if label in goals:
            check, text = goals[label]
            line += f" | goal {text}: {'met' if check(value) else 'NOT met'}"
        print(line)


if __name__ == "__main__":
    main()
