"""The ``nn`` experiment: the width sweep of :mod:`validation.nn.protocol` run
through the shared runner, store and report (:mod:`validation.runner`), so
that ``dctheory validate nn [--quick]`` resumes, parallelises and reports like
the linear experiments. docs/theory.md#claims, claim C7.

One task = one (width, trial): the dense network of that width is trained
once and pruned to every budget below its count with both methods. A trial is
one seed of the whole protocol; its torch seed is drawn from the task's
``SeedSequence`` (which the runner derives from experiment, point and trial),
so results do not depend on scheduling. ``config["trials"]`` is the number of
seeds; asking for more extends a finished run.

There is no closed-form theory for these networks: :meth:`NNExperiment.theory`
returns no rows, :meth:`~NNExperiment.compare` returns the claim verdict rows of
:mod:`validation.nn.claims` (one per claim and budget).

Configuration: ``validation/configs/nn.json``. The default is the full
sweep (MNIST-1D, 2-layer MLP, 9 widths x 3 budgets x 3 seeds) with the
protocol settings of :class:`~validation.nn.protocol.ProtocolConfig` (chosen
from dense training alone, see there); ``torch_threads`` (default 1) is set
in each task and restored afterwards. Its ``quick`` block (4 widths, 2
budgets, 2 seeds, 3 epochs, 480 training signals) checks in seconds that the
pipeline runs (train, prune, retrain, store, resume, report, figure); at that
size the claims say little, so their rows are reported as INFO and not
judged (the invariants are judged by the tests instead).

Torch is imported only when a task runs, so registering this experiment never
needs the optional ``nn`` extra.
"""

from __future__ import annotations

import functools
from pathlib import Path

from dctheory.errors import ConfigError
from validation.experiment import Claim, Experiment, register_experiment

#: keys of the runner's config that are not ProtocolConfig fields
RUNNER_KEYS = frozenset({"description", "trials", "seed", "quick", "torch_threads"})


def protocol_config(config: dict):
    """The :class:`~validation.nn.protocol.ProtocolConfig` of a runner config
    (validated; unknown keys raise ConfigError naming them, and so does a
    missing torch)."""
    try:
        import torch  # noqa: F401
    except ImportError as error:
        raise ConfigError("the nn experiment needs torch: pip install 'dctheory[nn]'") from error
    from validation.nn.protocol import ProtocolConfig

    fields = {key: value for key, value in config.items() if key not in RUNNER_KEYS}
    if "seeds" in fields:
        raise ConfigError(f"the nn experiment takes trials (the number of seeds), not seeds={fields['seeds']!r}")
    known = set(ProtocolConfig.__dataclass_fields__) - {"seeds"}
    unknown = sorted(set(fields) - known)
    if unknown:
        raise ConfigError(f"unknown nn config keys {unknown}; valid keys: {sorted(known | RUNNER_KEYS)}")
    for key in ("widths", "base_widths"):
        if key in fields:
            fields[key] = tuple(fields[key])
    return ProtocolConfig(seeds=(0,), **fields)


@functools.lru_cache(maxsize=4)
def _cached_data(protocol):
    # MNIST-1D takes seconds to generate; a worker process runs many tasks.
    from validation.nn.protocol import load_protocol_data

    return load_protocol_data(protocol)


class NNExperiment(Experiment):
    """Claim C7 on neural networks (docs/theory.md#claims): see the module docstring."""

    name = "nn"
    requires = ("torch", "mnist1d")
    title = "Neural networks: train -> prune -> retrain width sweeps at fixed budgets (C7)"

    def tasks(self, config: dict) -> list[tuple[dict, int]]:
        protocol = protocol_config(config)
        trials = int(config.get("trials", 1))
        if trials < 1:
            raise ConfigError(f"trials must be >= 1, got {trials}")
        # widest first: the longest tasks start early, so parallel workers finish together
        return [({"width": width}, trial) for trial in range(trials) for width in sorted(protocol.widths, reverse=True)]

    def simulate(self, point: dict, trial: int, seed, config: dict) -> list[dict]:
        import torch

        from validation.nn.protocol import run_width

        protocol = protocol_config(config)
        threads = int(config.get("torch_threads", 1))
        previous = torch.get_num_threads()
        if threads > 0:
            torch.set_num_threads(threads)
        try:
            torch_seed = int(seed.generate_state(1)[0])
            rows = run_width(protocol, _cached_data(protocol), int(point["width"]), torch_seed)
        finally:
            torch.set_num_threads(previous)
        return rows

    def theory(self, config: dict) -> list[dict]:
        return []

    def compare(self, sim_rows, theory_rows, config) -> list[dict]:
        """The verdict rows of :func:`validation.nn.claims.check_claims`; with
        ``quick`` their verdict is INFO (reported, not judged)."""
        from validation.nn.claims import check_claims

        verdicts = check_claims(sim_rows)
        if config.get("quick"):
            verdicts = [{**v, "verdict": "INFO"} for v in verdicts]
        return verdicts

    def claims(self, sim_rows, theory_rows, verdicts, config) -> list[Claim]:
        """Claims (i)-(iii), each passed when it passed at every budget; none in quick mode."""
        from validation.nn.claims import summarize_claims

        if config.get("quick"):
            return []
        return [Claim(name, passed, detail) for name, passed, detail in summarize_claims(verdicts)]

    def figure(self, sim_rows, theory_rows, verdicts, config, stem: Path) -> list[Path]:
        from validation.nn.figures import width_sweep_figure

        title = (f"{config['dataset']} {config['architecture']}, {config.get('trials', 1)} seeds, "
                 f"{config['epochs']} epochs, Adam lr {config['lr']:g}, retrain={config['retrain']}, "
                 f"label noise {config['label_noise']:g}")
        return [width_sweep_figure(sim_rows, Path(f"{stem}.png"), title)]


register_experiment(NNExperiment())
