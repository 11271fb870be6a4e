"""The ``nn`` experiment: width sweeps of :mod:`validation.nn.protocol` run
through the shared runner, store and report (:mod:`validation.runner`), so
that ``dctheory validate nn [--quick]`` resumes, parallelises and reports like
the linear experiments. docs/theory.md#claims, claim C7.

Configuration (``validation/configs/nn.json``), declared before the sweep ran:

* ``protocol``: the settings every study shares (Adam lr, epochs, batch size,
  validation-split size, data seed, ...: fields of
  :class:`~validation.nn.protocol.ProtocolConfig`);
* ``studies``: a list; each names a data set, architecture, training-set size,
  base widths k0 (the budgets), ``width_multipliers`` (the widths swept are
  ``round(k0 * m)``; a width is pruned only to budgets with ``k <= max(m) * k0``)
  or an explicit list of ``widths``, the retraining ``modes`` and pruning
  ``schemes`` (random controls use the same schemes), ``judge`` (``"sweep"``:
  claims (i)-(iv); ``"double_descent"``: claim (v)), and may override any
  protocol field (``imp_rate``, ``baseline_lrs``, ``prune_output``, ``label_noise``, ...);
* ``trials`` (seeds, per study), ``seeds_per_task`` (how many seeds one task
  trains at once), ``min_trials`` and ``confidence`` (the claim rule of
  :mod:`validation.nn.claims`), ``torch_threads``, ``device``.

One task = one (study, width, block of ``seeds_per_task`` seeds): every
network of that width (the dense ones, then every budget x method x scheme x
mode) for those seeds, trained at once as stacked tensors
(:func:`~validation.nn.protocol.run_width_batched`); a ResNet-20 study runs
the same protocol one network at a time (:func:`~validation.nn.protocol.run_width`)
on ``device`` (a GPU when given). Seed j of a study trains on data draw j
(the same for every width, so margins are paired) and initialises width k
from ``SeedSequence([seed, study, k, j])``; results therefore depend neither
on the block size nor on the worker. Asking for more ``trials`` (a multiple of
``seeds_per_task``) extends a finished run.

There is no closed-form theory for these networks: :meth:`NNExperiment.theory`
returns no rows; :meth:`~NNExperiment.compare` returns the margin rows of
:mod:`validation.nn.claims`. Torch is imported only when a task runs.
"""

from __future__ import annotations

import functools
import zlib
from dataclasses import replace
from pathlib import Path

import numpy as np

from dctheory.errors import ConfigError
from validation.experiment import Claim, Experiment, register_experiment

#: keys of a study that are not ProtocolConfig fields
STUDY_KEYS = frozenset({"name", "base_widths", "width_multipliers", "widths", "modes", "schemes", "judge"})
#: what a study is judged on: the sweep's claims (i)-(iv), or the double descent in width
JUDGEMENTS = ("sweep", "double_descent")
#: top-level keys of the experiment's config
CONFIG_KEYS = frozenset(
    {
        "description",
        "trials",
        "seed",
        "quick",
        "torch_threads",
        "device",
        "protocol",
        "studies",
        "seeds_per_task",
        "min_trials",
        "confidence",
        "declared",
    }
)


def _check_keys(found, valid, where: str) -> None:
    unknown = sorted(set(found) - set(valid))
    if unknown:
        raise ConfigError(f"unknown {where} keys {unknown}; valid keys: {sorted(valid)}")


def studies(config: dict) -> list[dict]:
    """The studies of ``config``, each completed with its ``protocol`` (a
    ProtocolConfig with the study's widths and base widths) and ``widths``.
    Raises ConfigError naming an unknown key, a duplicate name or a bad value."""
    try:
        import torch  # noqa: F401
    except ImportError as error:
        raise ConfigError("the nn experiment needs torch: pip install 'dctheory[nn]'") from error
    from validation.nn.protocol import ProtocolConfig, check_choices

    _check_keys(config, CONFIG_KEYS, "nn config")
    shared = dict(config.get("protocol", {}))
    fields = set(ProtocolConfig.__dataclass_fields__) - {
        "seeds",
        "widths",
        "base_widths",
        "retrain",
        "pruning",
        "device",
    }
    _check_keys(shared, fields, "nn protocol")
    out, names = [], set()
    for study in config.get("studies", []):
        _check_keys(study, STUDY_KEYS | fields, f"nn study {study.get('name')!r}")
        name = study.get("name")
        if not name or name in names:
            raise ConfigError(f"every nn study needs a unique name, got {name!r}")
        names.add(name)
        multipliers = sorted(float(m) for m in study.get("width_multipliers", [1, 2, 4, 8, 16]))
        base_widths = tuple(int(k) for k in study.get("base_widths", []))
        if not base_widths or not multipliers or multipliers[0] < 1:
            raise ConfigError(f"study {name!r}: base_widths and width_multipliers (>= 1) must be non-empty")
        modes = tuple(study.get("modes", ["finetune", "lr_rewind"]))
        schemes = tuple(study.get("schemes", ["global"]))
        judge = study.get("judge", "sweep")
        if judge not in JUDGEMENTS:
            raise ConfigError(f"study {name!r}: judge must be one of {JUDGEMENTS}, got {judge!r}")
        check_choices(modes, schemes, f"study {name!r}")
        if "widths" in study:
            widths = tuple(sorted({int(w) for w in study["widths"]}))
        else:
            widths = tuple(sorted({round(k0 * m) for k0 in base_widths for m in multipliers}))
        settings = {**shared, **{k: v for k, v in study.items() if k in fields}}
        settings.setdefault("max_width_ratio", None if "widths" in study else multipliers[-1])
        protocol = ProtocolConfig(
            seeds=(0,),
            widths=widths,
            base_widths=base_widths,
            retrain=modes[0],
            pruning=schemes[0],
            device=str(config.get("device", "cpu")),
            **settings,
        )
        out.append(
            dict(
                name=name,
                protocol=protocol,
                widths=widths,
                multipliers=tuple(multipliers),
                modes=modes,
                schemes=schemes,
                judge=judge,
            )
        )
    if not out:
        raise ConfigError("the nn config needs at least one study")
    return out


def _block(config: dict) -> tuple[int, int]:
    trials = int(config.get("trials", 1))
    per_task = int(config.get("seeds_per_task", trials))
    if trials < 1 or per_task < 1 or trials % per_task:
        raise ConfigError(f"trials ({trials}) must be >= 1 and a multiple of seeds_per_task ({per_task})")
    return trials, per_task


def torch_seed(base_seed: int, study: str, width: int, trial: int) -> int:
    """The initialisation seed of seed ``trial`` of ``study`` at width ``width``."""
    entropy = [int(base_seed), zlib.crc32(study.encode()), int(width), int(trial)]
    return int(np.random.SeedSequence(entropy).generate_state(1)[0])


@functools.lru_cache(maxsize=32)
def _data(protocol, draw: int):
    # MNIST-1D takes seconds to generate; a worker process runs many tasks.
    from validation.nn.protocol import load_protocol_data

    return load_protocol_data(protocol, draw=draw)


class NNExperiment(Experiment):
    """Claim C7 on neural networks (docs/theory.md#claims): see the module docstring."""

    name = "nn"
    requires = ("torch", "mnist1d", "sklearn")
    title = "Neural networks: train -> prune -> retrain width sweeps at fixed budgets (C7)"

    def tasks(self, config: dict) -> list[tuple[dict, int]]:
        trials, per_task = _block(config)
        # studies in their declared order, every seed block of a study before
        # the next study, within a block narrowest first: an interrupted sweep
        # has whole studies, and within a study whole small budgets, done (a
        # budget needs the widths k0 .. max multiplier x k0)
        return [
            ({"study": study["name"], "width": width}, block)
            for study in studies(config)
            for block in range(trials // per_task)
            for width in sorted(study["widths"])
        ]

    def simulate(self, point: dict, trial: int, seed, config: dict) -> list[dict]:
        import torch

        from validation.nn.protocol import run_width, run_width_batched

        (study,) = [s for s in studies(config) if s["name"] == point["study"]]
        _, per_task = _block(config)
        protocol, width = study["protocol"], int(point["width"])
        draws = list(range(trial * per_task, (trial + 1) * per_task))
        seeds = [torch_seed(config.get("seed", 0), study["name"], width, j) for j in draws]
        threads = int(config.get("torch_threads", 1))
        previous = torch.get_num_threads()
        if threads > 0:
            torch.set_num_threads(threads)
        try:
            datasets = [_data(protocol, j) for j in draws]
            if protocol.architecture in ("mlp", "conv1d"):
                rows = run_width_batched(
                    protocol, datasets, width, seeds, modes=study["modes"], schemes=study["schemes"]
                )
            else:
                rows = []
                for seed_j, data in zip(seeds, datasets):
                    for mode in study["modes"]:
                        for scheme in study["schemes"]:
                            single = replace(protocol, retrain=mode, pruning=scheme)
                            found = run_width(single, data, width, seed_j)
                            rows += [
                                dict(
                                    r,
                                    mode=None if r["method"] == "dense" else mode,
                                    scheme=None if r["method"] == "dense" else scheme,
                                )
                                for r in found
                                if r["method"] != "dense" or (mode, scheme) == (study["modes"][0], study["schemes"][0])
                            ]
        finally:
            torch.set_num_threads(previous)
        trial_of = dict(zip(seeds, draws))
        context = dict(
            study=study["name"],
            dataset=protocol.dataset,
            architecture=protocol.architecture,
            n_train=int(datasets[0].y_train.size),
            judge=study["judge"],
        )
        return [dict(row, trial=trial_of[row["seed"]], **context) for row in rows]

    def theory(self, config: dict) -> list[dict]:
        return []

    def compare(self, sim_rows, theory_rows, config) -> list[dict]:
        """The margin rows of :func:`validation.nn.claims.check_claims` (SKIPPED in a quick run)."""
        from validation.nn.claims import check_claims

        return check_claims(
            sim_rows,
            min_trials=int(config.get("min_trials", 10)),
            quick=bool(config.get("quick")),
            confidence=float(config.get("confidence", 0.95)),
        )

    def claims(self, sim_rows, theory_rows, verdicts, config) -> list[Claim]:
        """One claim per (claim, study): PASS when every cell passes, SKIPPED when none is judged."""
        from validation.nn.claims import summarize_claims

        return [Claim(**summary) for summary in summarize_claims(verdicts)]

    def rule(self, config: dict) -> str:
        alpha = 1 - float(config.get("confidence", 0.95))
        return (
            f"nn rule (fixed before the sweep): per cell, the paired per-seed margin's t test; Holm's "
            f"step-down within each claim at family-wise level {alpha:.2f}, the interval at the cell's Holm "
            f"level; PASS when it lies above 0, FAIL otherwise (a zero-width interval is unresolved), "
            f"SKIPPED when fewer than {int(config.get('min_trials', 10))} seeds are judged or the run is "
            f"quick; k* and the fair baseline's rate chosen on the validation split."
        )

    def figure(self, sim_rows, theory_rows, verdicts, config, stem: Path) -> list[Path]:
        from validation.nn.claims import CLAIMS
        from validation.nn.figures import double_descent_figure, margin_figures, width_sweep_figures

        first = [v for v in verdicts if v["claim"] == "wide_pruned_beats_small_dense" and v["method"] == "magnitude"]
        k_star = {(v["study"], v["base_width"], v["mode"], v["scheme"]): v["k_star"] for v in first}
        lr_star = {(v["study"], v["base_width"]): v["lr_star"] for v in first if v.get("lr_star") is not None}
        return (
            width_sweep_figures(sim_rows, Path(stem), k_star, lr_star)
            + margin_figures(verdicts, Path(stem), CLAIMS)
            + double_descent_figure(sim_rows, verdicts, Path(stem))
        )


register_experiment(NNExperiment())
