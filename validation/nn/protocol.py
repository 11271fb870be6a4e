"""Train -> prune -> retrain width sweeps at fixed budgets of nonzero weights
(the paper's Sec. 3.3 and SM Sec. A; docs/theory.md#claims, claim C7).

For one width k and seed (:func:`run_width`; :func:`run_width_batched` for
many seeds, modes and schemes at once):

1. build the width-k network (seeded initialisation ``theta_0``) and train it
   densely with Adam (cross-entropy, mini-batches) under the declared step
   schedule (:func:`lr_schedule`: lr, then lr x lr_decay for the last epochs),
   keeping its weights at epoch ``rewind_epoch`` (``theta_k``);
2. for every budget s (the **trainable**-parameter count of the dense
   base-width-k0 network, biases included; :func:`validation.nn.models.budget`)
   the width meets: prune to the n_keep prunable weights that make the pruned
   network's trainable count exactly s (the read-out layer stays dense by
   default and counts, :func:`validation.nn.models.prunable_budget`):

   * **magnitude**: keep the n_keep largest |w| (``L1Unstructured``) over all
     prunable layers (global) or per layer in proportion to its size (layer-wise);
   * **random**: a uniformly random n_keep-subset under the *same* scheme
     (``RandomUnstructured``), the control of the paper's Figs. 5(a), 6(b);

   each is evaluated right after pruning ("pruned", the no-retraining curves of
   Figs. 5(b), 6(c)), then retrained with the mask fixed by a fresh Adam in one
   of the modes the literature names (:data:`MODE_NAMES`,
   :func:`retrain_schedule`): fine-tuning at the final rate, learning-rate
   rewinding, weight rewinding to ``theta_k``, reset to ``theta_0``; and
   evaluated again ("retrained"). Iterative magnitude pruning
   (``imp_rate``) prunes in rounds, each followed by learning-rate rewinding;
3. a width whose count is <= s is not pruned (its sparse network *is* its
   dense network). The reference of a budget is the **fair baseline**: the
   dense width-k0 network trained as long as the pruned route (train +
   retrain, :func:`route_epochs`) at each rate of a declared grid.

The mask is fixed during retraining because ``torch.nn.utils.prune`` computes
``weight = weight_orig * weight_mask`` before every forward pass, so a pruned
entry's gradient is exactly 0 and the effective weight stays exactly 0 whatever
the optimizer does to ``weight_orig``; retraining uses a fresh Adam.

Every row of the result is tidy: one (width, seed, budget, method, stage) with
its train and test error (fraction misclassified) and nonzero count.
"""

from __future__ import annotations

import copy
import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn.utils import prune

from dctheory.errors import ConfigError
from validation.nn.data import DATASETS, Dataset, load_dataset
from validation.nn.models import (
    ARCHITECTURES,
    budget,
    build_model,
    nonzero_count,
    prunable_budget,
    prunable_count,
    prunable_parameters,
    trainable_count,
)

RETRAIN_MODES = ("finetune", "lr_rewind", "weight_rewind", "reset")
PRUNING_METHODS = ("magnitude", "random")
PRUNING_SCHEMES = ("global", "layerwise")
#: what each retraining mode is, in the literature's words (shown on the page)
MODE_NAMES = {
    "finetune": "fine-tuning at the final rate (from the trained weights, constant lr x lr_decay)",
    "lr_rewind": "learning-rate rewinding (Renda et al. 2020: trained weights, the dense schedule replayed)",
    "weight_rewind": "weight rewinding to epoch k (Frankle et al. 2020: weights of epoch k, schedule replayed from k)",
    "reset": "reset to initialisation (Frankle & Carbin 2019: initial weights, the schedule replayed)",
}


@dataclass(frozen=True)
class ProtocolConfig:
    """Everything that defines a width sweep. Defaults: the MNIST-1D MLP sweep.

    widths: the widths k swept; base_widths: the k0 whose trainable counts
    are the budgets; seeds: one run of the whole protocol per seed
    (initialisation, batch order, random-pruning mask); lr, epochs,
    batch_size, lr_decay_at, lr_decay: Adam's dense training under the step
    schedule of :func:`lr_schedule` (lr for the first ``lr_decay_at`` of the
    epochs, then lr x lr_decay); retrain: one of :data:`RETRAIN_MODES`
    (:func:`retrain_schedule`); retrain_epochs: fine-tuning's length
    (default ``epochs``); rewind_epoch: the epoch weight rewinding returns
    to; prune_output: prune the read-out layer too (default: it stays dense);
    hidden_bias: the MLP's hidden biases; baseline_lrs: the grid of rates the
    small dense network of each budget is trained with for as many epochs as
    the pruned route (:func:`route_epochs`; empty: no such baseline);
    imp_rate: iterative magnitude pruning, the fraction of the remaining
    weights pruned per round (None: one-shot only); random_control: run
    random pruning beside magnitude pruning; label_noise: fraction of
    training labels flipped (seeded by ``data_seed``); n_train: subsample of
    the training set (None: all).
    """

    dataset: str = "mnist1d"
    architecture: str = "mlp"
    widths: tuple[int, ...] = (1, 2, 4, 8, 16, 32, 64, 128, 256)
    base_widths: tuple[int, ...] = (2, 4, 8)
    seeds: tuple[int, ...] = (0, 1, 2)
    lr: float = 1e-2
    epochs: int = 60
    retrain_epochs: int | None = None
    batch_size: int = 100
    lr_decay_at: float = 0.75
    lr_decay: float = 0.1
    retrain: str = "finetune"
    rewind_epoch: int = 2
    prune_output: bool = False
    hidden_bias: bool = True
    baseline_lrs: tuple[float, ...] = ()
    imp_rate: float | None = None
    random_control: bool = True
    label_noise: float = 0.0
    n_train: int | None = None
    data_dir: str | None = None
    data_seed: int = 0
    mnist1d_samples: int = 5000
    n_val: int = 0
    pruning: str = "global"
    max_width_ratio: float | None = None
    device: str = "cpu"

    def __post_init__(self) -> None:
        if self.dataset not in DATASETS:
            raise ConfigError(f"unknown dataset {self.dataset!r}; expected one of {DATASETS}")
        if self.architecture not in ARCHITECTURES:
            raise ConfigError(f"unknown architecture {self.architecture!r}; expected one of {ARCHITECTURES}")
        if self.retrain not in RETRAIN_MODES:
            raise ConfigError(f"retrain must be one of {RETRAIN_MODES}, got {self.retrain!r}")
        for name in ("widths", "base_widths", "seeds"):
            values = getattr(self, name)
            if len(values) == 0:
                raise ConfigError(f"{name} must not be empty")
            for value in values:
                if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                    raise ConfigError(f"{name} must hold integers, got {value!r}")
            object.__setattr__(self, name, tuple(int(v) for v in values))
        for width in self.widths + self.base_widths:
            if width < 1:
                raise ConfigError(f"widths and base_widths must be >= 1, got {width}")
        if self.lr <= 0:
            raise ConfigError(f"lr must be > 0, got {self.lr}")
        object.__setattr__(self, "baseline_lrs", tuple(float(v) for v in self.baseline_lrs))
        if any(not v > 0 for v in self.baseline_lrs):
            raise ConfigError(f"baseline_lrs must all be > 0, got {list(self.baseline_lrs)}")
        if self.epochs < 1 or (self.retrain_epochs is not None and self.retrain_epochs < 1):
            raise ConfigError(f"epochs and retrain_epochs must be >= 1, got {self.epochs}, {self.retrain_epochs}")
        if not 0.0 < self.lr_decay_at <= 1.0 or not 0.0 < self.lr_decay <= 1.0:
            raise ConfigError(f"lr_decay_at and lr_decay must be in (0, 1], got {self.lr_decay_at}, {self.lr_decay}")
        if isinstance(self.rewind_epoch, bool) or not 1 <= self.rewind_epoch:
            raise ConfigError(f"rewind_epoch must be an integer >= 1, got {self.rewind_epoch}")
        if self.retrain == "weight_rewind":
            self.check_rewind_epoch()
        if self.imp_rate is not None and not 0.0 < self.imp_rate < 1.0:
            raise ConfigError(f"imp_rate must be in (0, 1) or None, got {self.imp_rate}")
        if self.batch_size < 1:
            raise ConfigError(f"batch_size must be >= 1, got {self.batch_size}")
        if self.pruning not in PRUNING_SCHEMES:
            raise ConfigError(f"pruning must be one of {PRUNING_SCHEMES}, got {self.pruning!r}")
        if self.max_width_ratio is not None and self.max_width_ratio < 1:
            raise ConfigError(f"max_width_ratio must be >= 1 or None, got {self.max_width_ratio}")
        if self.n_val < 0:
            raise ConfigError(f"n_val must be >= 0, got {self.n_val}")
        if not 0.0 <= self.label_noise <= 1.0:
            raise ConfigError(f"label_noise must be in [0, 1], got {self.label_noise}")

    def check_rewind_epoch(self) -> None:
        """ConfigError unless weight rewinding has an epoch to return to: 1 <= rewind_epoch < epochs."""
        if not 1 <= self.rewind_epoch < self.epochs:
            raise ConfigError(
                f"rewind_epoch must be in [1, epochs - 1 = {self.epochs - 1}] for weight rewinding, "
                f"got {self.rewind_epoch}"
            )

    @property
    def effective_retrain_epochs(self) -> int:
        return self.epochs if self.retrain_epochs is None else self.retrain_epochs

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def lr_schedule(config: ProtocolConfig, lr: float | None = None, epochs: int | None = None) -> list[float]:
    """The declared step schedule, one rate per epoch: ``lr`` (default
    ``config.lr``) for the first ``round(lr_decay_at * epochs)`` epochs, then
    ``lr * lr_decay`` (``epochs`` defaults to ``config.epochs``)."""
    lr = config.lr if lr is None else float(lr)
    epochs = config.epochs if epochs is None else int(epochs)
    cut = max(1, round(config.lr_decay_at * epochs))
    return [lr] * cut + [lr * config.lr_decay] * (epochs - cut)


def retrain_schedule(config: ProtocolConfig, mode: str) -> list[float]:
    """The rates of one retraining (a fresh Adam, mask fixed) per epoch, by mode:
    ``finetune``: ``retrain_epochs`` at the final rate ``lr * lr_decay``;
    ``lr_rewind`` and ``reset``: the whole dense schedule again;
    ``weight_rewind``: the dense schedule from ``rewind_epoch`` on."""
    if mode == "finetune":
        return [config.lr * config.lr_decay] * config.effective_retrain_epochs
    if mode in ("lr_rewind", "reset"):
        return lr_schedule(config)
    if mode == "weight_rewind":
        config.check_rewind_epoch()
        return lr_schedule(config)[config.rewind_epoch :]
    raise ConfigError(f"retrain mode must be one of {RETRAIN_MODES}, got {mode!r}")


def route_epochs(config: ProtocolConfig, modes=RETRAIN_MODES) -> int:
    """Epochs of the longest train -> prune -> retrain route over ``modes``
    (one-shot): the dense phase plus the longest retraining. The fair baseline
    trains the small dense network this long, so it takes as many optimizer
    steps as the pruned route."""
    return config.epochs + max(len(retrain_schedule(config, mode)) for mode in modes)


def imp_keep_counts(total: int, n_keep: int, rate: float) -> list[int]:
    """Kept weights after each round of iterative magnitude pruning from
    ``total`` to ``n_keep``: R = ceil(log(n_keep / total) / log(1 - rate))
    rounds at the equal geometric rate that ends exactly at ``n_keep``
    (``round(total * (n_keep / total) ** (r / R))``; at most ``rate`` per round)."""
    if not 1 <= n_keep < total:
        raise ConfigError(f"iterative pruning needs 1 <= n_keep < total, got {n_keep} of {total}")
    rounds = max(1, math.ceil(math.log(n_keep / total) / math.log(1.0 - rate) - 1e-12))
    return [round(total * (n_keep / total) ** (r / rounds)) for r in range(1, rounds)] + [int(n_keep)]


def load_protocol_data(config: ProtocolConfig, draw: int | None = None) -> Dataset:
    """The data set of ``config`` (see :func:`validation.nn.data.load_dataset`),
    drawn with ``data_seed`` or, for ``draw`` = j, with the seed of draw j of
    ``data_seed`` (each trial of a sweep trains on its own draw)."""
    seed = config.data_seed if draw is None else _seed(config.data_seed, 1, draw)
    return load_dataset(
        config.dataset,
        config.data_dir,
        label_noise=config.label_noise,
        n_train=config.n_train,
        n_val=config.n_val,
        seed=seed,
        mnist1d_samples=config.mnist1d_samples,
    )


def budgets(config: ProtocolConfig, dataset: Dataset) -> dict[int, int]:
    """``{k0: trainable count of the dense width-k0 network}`` for each base width
    (biases included: :func:`validation.nn.models.budget`)."""
    return {
        k0: budget(config.architecture, k0, dataset.input_shape, dataset.num_classes, config.hidden_bias)
        for k0 in config.base_widths
    }


def pruning_phases(
    config: ProtocolConfig, dataset: Dataset, width: int, model: nn.Module
) -> list[tuple[int, int, int, int]]:
    """``(phase, k0, budget, n_keep)`` of every budget a width-``width`` network
    ``model`` is pruned to: ``n_keep`` prunable weights are kept so that the
    network's trainable count equals the budget
    (:func:`validation.nn.models.prunable_budget`); a budget is used when
    ``1 <= n_keep <`` the prunable count (the width meets the budget and is
    wider than it) and, with ``max_width_ratio``, ``width <= max_width_ratio * k0``.
    ``phase`` (1, 2, ... over all sorted budgets) seeds the phase's randomness."""
    total = prunable_count(model, config.prune_output)
    out = []
    for phase, (k0, n_total) in enumerate(sorted(budgets(config, dataset).items()), start=1):
        n_keep = prunable_budget(model, n_total, config.prune_output)
        if 1 <= n_keep < total and (config.max_width_ratio is None or width <= config.max_width_ratio * k0):
            out.append((phase, k0, n_total, n_keep))
    return out


def initial_model(config: ProtocolConfig, dataset: Dataset, width: int, seed: int) -> nn.Module:
    """The width-``width`` network initialised from ``torch.manual_seed(seed)``
    inside ``fork_rng``, so the global torch stream is left as it was."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return build_model(
            config.architecture, width, dataset.input_shape, dataset.num_classes, hidden_bias=config.hidden_bias
        )


def train(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    lr: float | None = None,
    epochs: int | None = None,
    batch_size: int,
    generator: torch.Generator,
    schedule: list[float] | None = None,
    snapshot_epoch: int | None = None,
    loss_function=None,
) -> dict[str, torch.Tensor] | None:
    """Minimise the mean cross-entropy (or ``loss_function(outputs, targets)``)
    with a fresh Adam over the parameters that require gradients, in shuffled
    mini-batches (order drawn from ``generator``): ``epochs`` epochs at rate
    ``lr``, or one epoch per rate of ``schedule``. With ``snapshot_epoch`` = j,
    returns a copy of ``state_dict()`` after j epochs."""
    from validation.nn.batched import _schedule

    schedule = _schedule(lr, epochs, schedule)
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=schedule[0])
    loss_function = nn.CrossEntropyLoss() if loss_function is None else loss_function
    model.train()
    n = x.shape[0]
    snapshot = None
    for epoch, rate in enumerate(schedule):
        if epoch == snapshot_epoch:
            snapshot = copy.deepcopy(model.state_dict())
        for group in optimizer.param_groups:
            group["lr"] = rate
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss_function(model(x[batch]), y[batch]).backward()
            optimizer.step()
    if snapshot_epoch is not None and snapshot is None:
        snapshot = copy.deepcopy(model.state_dict())
    return snapshot


@torch.no_grad()
def error_rate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 2048) -> float:
    """Fraction of samples whose arg-max prediction differs from the label."""
    model.eval()
    wrong = 0
    for start in range(0, x.shape[0], batch_size):
        wrong += int((model(x[start : start + batch_size]).argmax(dim=1) != y[start : start + batch_size]).sum())
    return wrong / x.shape[0]


def prune_to_budget(
    model: nn.Module,
    n_keep: int,
    method: str,
    generator_seed: int | None = None,
    scheme: str = "global",
    prune_output: bool = True,
) -> None:
    """Prune ``model`` in place to exactly ``n_keep`` kept weights over
    :func:`prunable_parameters` (the read-out layer only with ``prune_output``).
    ``scheme="global"``:
    ``torch.nn.utils.prune.global_unstructured`` over all prunable layers at
    once; ``scheme="layerwise"``: each layer keeps its share
    (:func:`validation.nn.batched.layer_quotas`: ``n_keep * size / total``,
    rounded so the shares add up) by the per-layer ``l1_unstructured`` /
    ``random_unstructured``. ``method="magnitude"`` keeps the largest |w|
    (L1Unstructured), ``method="random"`` a uniformly random subset of the
    same layers under the same scheme
    (RandomUnstructured, drawn from ``torch.manual_seed(generator_seed)``
    inside ``fork_rng``).

    Raises ConfigError when n_keep is not in [1, prunable count] or the method
    or scheme is unknown.
    """
    from validation.nn.batched import layer_quotas

    total = prunable_count(model, prune_output)
    if isinstance(n_keep, bool) or not isinstance(n_keep, (int, np.integer)) or not 1 <= n_keep <= total:
        raise ConfigError(f"budget must be an integer in [1, {total}] (the model's prunable weights), got {n_keep!r}")
    methods = {"magnitude": prune.L1Unstructured, "random": prune.RandomUnstructured}
    if method not in methods:
        raise ConfigError(f"unknown pruning method {method!r}; expected one of {PRUNING_METHODS}")
    if scheme not in PRUNING_SCHEMES:
        raise ConfigError(f"unknown pruning scheme {scheme!r}; expected one of {PRUNING_SCHEMES}")
    parameters = prunable_parameters(model, prune_output)
    with torch.random.fork_rng(devices=[]):
        if generator_seed is not None:
            torch.manual_seed(generator_seed)
        if scheme == "global":
            prune.global_unstructured(parameters, pruning_method=methods[method], amount=int(total - n_keep))
            return
        sizes = [getattr(module, name).numel() for module, name in parameters]
        single = {"magnitude": prune.l1_unstructured, "random": prune.random_unstructured}[method]
        for (module, name), size, quota in zip(parameters, sizes, layer_quotas(sizes, int(n_keep))):
            single(module, name, amount=int(size - quota))


@torch.no_grad()
def rewind(model: nn.Module, initial_state: dict[str, torch.Tensor]) -> None:
    """Set every trainable tensor of a pruned ``model`` back to its value in
    ``initial_state`` (a dense ``state_dict()``: at initialisation, or at the
    rewind epoch); for pruned layers this writes ``weight_orig``, leaving
    ``weight_mask``. Batch-norm running statistics are reset to theirs too."""
    state = model.state_dict()
    for name, tensor in state.items():
        if name.endswith("_mask"):
            continue
        source = name[: -len("_orig")] if name.endswith("_orig") else name
        tensor.copy_(initial_state[source])


def _errors(net: nn.Module, dataset: Dataset, device: str) -> dict[str, float]:
    errors = dict(
        train_error=error_rate(net, *_tensors(dataset.x_train, dataset.y_train, device)),
        test_error=error_rate(net, *_tensors(dataset.x_test, dataset.y_test, device)),
    )
    if dataset.x_val is not None:
        errors["val_error"] = error_rate(net, *_tensors(dataset.x_val, dataset.y_val, device))
    return errors


def _tensors(x: np.ndarray, y: np.ndarray, device: str) -> tuple[torch.Tensor, torch.Tensor]:
    return torch.from_numpy(x).to(device), torch.from_numpy(y).to(device)


def _check_width(width) -> int:
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ConfigError(f"width must be an integer >= 1, got {width!r}")
    return int(width)


def run_width(config: ProtocolConfig, dataset: Dataset, width: int, seed: int) -> list[dict[str, Any]]:
    """The one-shot protocol (module docstring) for one width, one seed and the
    retraining mode ``config.retrain``, one network at a time (any architecture,
    on ``config.device``): tidy rows

    ``{width, seed, params, trainable, base_width, budget, method, stage, nonzeros,
    train_error, test_error[, val_error]}`` with ``method`` in {dense, magnitude, random}
    and ``stage`` in {dense, pruned, retrained}; ``base_width`` and ``budget``
    are None on the dense row. ``val_error`` when the data set has a validation split.
    """
    width = _check_width(width)
    device = config.device
    x_train, y_train = _tensors(dataset.x_train, dataset.y_train, device)
    model = initial_model(config, dataset, width, seed).to(device)
    initial_state = copy.deepcopy(model.state_dict())
    total = prunable_count(model, config.prune_output)
    dense_part = trainable_count(model) - total

    def row(net: nn.Module, **labels: Any) -> dict[str, Any]:
        nonzeros = nonzero_count(net, config.prune_output)
        return dict(
            width=width,
            seed=int(seed),
            params=total,
            nonzeros=nonzeros,
            trainable=dense_part + nonzeros,
            **_errors(net, dataset, device),
            **labels,
        )

    # One generator per phase, each seeded from (seed, phase), so the dense
    # phase draws the same batches whatever budgets follow.
    rewound_state = train(
        model,
        x_train,
        y_train,
        schedule=lr_schedule(config),
        batch_size=config.batch_size,
        generator=_generator(seed, 0),
        snapshot_epoch=config.rewind_epoch if config.retrain == "weight_rewind" else None,
    )
    rows = [row(model, base_width=None, budget=None, method="dense", stage="dense")]
    trained_state = copy.deepcopy(model.state_dict())
    methods = PRUNING_METHODS if config.random_control else PRUNING_METHODS[:1]
    for phase, k0, n_total, n_keep in pruning_phases(config, dataset, width, model):
        for method_index, method in enumerate(methods):
            sparse = initial_model(config, dataset, width, seed).to(device)
            sparse.load_state_dict(trained_state)
            prune_to_budget(
                sparse,
                n_keep,
                method,
                generator_seed=_seed(seed, phase, method_index),
                scheme=config.pruning,
                prune_output=config.prune_output,
            )
            labels = dict(base_width=k0, budget=n_total, method=method)
            rows.append(row(sparse, stage="pruned", **labels))
            if config.retrain == "reset":
                rewind(sparse, initial_state)
            elif config.retrain == "weight_rewind":
                rewind(sparse, rewound_state)
            train(
                sparse,
                x_train,
                y_train,
                schedule=retrain_schedule(config, config.retrain),
                batch_size=config.batch_size,
                generator=_generator(seed, phase, method_index, 1),
            )
            rows.append(row(sparse, stage="retrained", **labels))
    return rows


def check_choices(modes, schemes, where: str = "") -> None:
    """ConfigError (one line, prefixed by ``where``) unless every retraining mode is in
    :data:`RETRAIN_MODES` and every pruning scheme in :data:`PRUNING_SCHEMES`."""
    prefix = f"{where}: " if where else ""
    for mode in modes:
        if mode not in RETRAIN_MODES:
            raise ConfigError(f"{prefix}retrain modes must be in {RETRAIN_MODES}, got {mode!r}")
    for scheme in schemes:
        if scheme not in PRUNING_SCHEMES:
            raise ConfigError(f"{prefix}pruning schemes must be in {PRUNING_SCHEMES}, got {scheme!r}")


def run_width_batched(
    config: ProtocolConfig,
    datasets: list[Dataset],
    width: int,
    seeds: list[int],
    *,
    modes: tuple[str, ...] | None = None,
    schemes: tuple[str, ...] | None = None,
) -> list[dict[str, Any]]:
    """:func:`run_width` for every seed in ``seeds`` at once (seed j trains on
    ``datasets[j]``, all of one size), every retraining mode in ``modes`` and
    pruning scheme in ``schemes`` (defaults: ``config.retrain``, ``config.pruning``;
    random pruning with the same schemes, when ``config.random_control``), with
    the networks stacked (:mod:`validation.nn.batched`; MLP and Conv1D). Also:

    * the **fair baseline** (``config.baseline_lrs``; only at a base width): the
      dense width-k0 network from the same initial weights and data, trained
      for :func:`route_epochs` epochs under :func:`lr_schedule` at each rate of
      the grid (rows ``method="dense_fair"``, ``stage="dense"``, ``lr``);
    * **iterative magnitude pruning** (``config.imp_rate``): from the trained
      dense network, rounds of magnitude pruning (:func:`imp_keep_counts`),
      each followed by learning-rate rewinding (rows ``method="imp"``,
      ``mode="lr_rewind"``, ``rounds``; the pruned stage is after the last
      pruning, before its retraining).

    Same initialisations, batch orders, masks and random-pruning seeds as
    :func:`run_width`, so each (seed, mode, scheme) gives its rows up to float
    rounding; rows carry ``mode``, ``scheme`` and ``layer_nonzeros`` (kept
    weights per prunable layer) too (the pruned-stage row, which does not
    depend on the mode, is repeated for each mode).
    """
    from validation.nn.batched import prune_stack, stack_error_rates, stack_models, train_stack

    width = _check_width(width)
    if len(datasets) != len(seeds) or not seeds:
        raise ConfigError(f"need one data set per seed, got {len(datasets)} for {len(seeds)} seeds")
    modes = (config.retrain,) if modes is None else tuple(modes)
    schemes = (config.pruning,) if schemes is None else tuple(schemes)
    check_choices(modes, schemes)
    device = config.device
    seeds = [int(s) for s in seeds]
    splits = {"train": ("x_train", "y_train"), "test": ("x_test", "y_test")}
    if all(d.x_val is not None for d in datasets):
        splits["val"] = ("x_val", "y_val")
    data = {
        split: (
            torch.from_numpy(np.stack([getattr(d, xs) for d in datasets])).to(device),
            torch.from_numpy(np.stack([getattr(d, ys) for d in datasets])).to(device),
        )
        for split, (xs, ys) in splits.items()
    }
    dataset = datasets[0]
    models = [initial_model(config, dataset, width, seed).to(device) for seed in seeds]
    initial = stack_models(models, config.prune_output)
    total = prunable_count(models[0], config.prune_output)
    dense_part = trainable_count(models[0]) - total

    def errors(stack, data_index) -> dict[str, np.ndarray]:
        return {f"{split}_error": stack_error_rates(stack, *data[split], data_index) for split in data}

    rows: dict[int, list[dict[str, Any]]] = {seed: [] for seed in seeds}

    def add(j: int, found: dict, i: int, **labels) -> None:
        rows[seeds[j]].append(
            dict(width=width, seed=seeds[j], params=total, **{k: float(v[i]) for k, v in found.items()}, **labels)
        )

    seed_index = torch.arange(len(seeds), device=device)
    dense = initial.select(seed_index)
    rewound = train_stack(
        dense,
        *data["train"],
        seed_index,
        schedule=lr_schedule(config),
        batch_size=config.batch_size,
        generators=[_generator(seed, 0) for seed in seeds],
        snapshot_epoch=config.rewind_epoch if "weight_rewind" in modes else None,
    )
    dense_errors = errors(dense, seed_index)
    plain = dict(
        nonzeros=total,
        trainable=dense_part + total,
        base_width=None,
        budget=None,
        stage="dense",
        mode=None,
        scheme=None,
        layer_nonzeros=None,
        lr=None,
        rounds=None,
    )
    for j in range(len(seeds)):
        add(j, dense_errors, j, **{**plain, "method": "dense"})
    if width in config.base_widths and config.baseline_lrs:
        epochs = route_epochs(config, modes)
        for rate in config.baseline_lrs:
            fair = initial.select(seed_index)
            train_stack(
                fair,
                *data["train"],
                seed_index,
                schedule=lr_schedule(config, rate, epochs),
                batch_size=config.batch_size,
                generators=[_generator(seed, 0) for seed in seeds],
            )
            found = errors(fair, seed_index)
            for j in range(len(seeds)):
                add(
                    j,
                    found,
                    j,
                    **{**plain, "method": "dense_fair", "base_width": width, "budget": dense_part + total, "lr": rate},
                )
    # one entry per (budget, method, scheme, seed); modes share its mask
    methods = PRUNING_METHODS if config.random_control else PRUNING_METHODS[:1]
    entries = [
        dict(
            phase=phase,
            k0=k0,
            budget=n_total,
            n_keep=n_keep,
            method_index=mi,
            method=method,
            scheme=scheme,
            j=j,
            seed=seed,
        )
        for phase, k0, n_total, n_keep in pruning_phases(config, dataset, width, models[0])
        for mi, method in enumerate(methods)
        for scheme in schemes
        for j, seed in enumerate(seeds)
    ]
    if not entries:
        return [row for seed in seeds for row in rows[seed]]

    def layer_counts(stack) -> torch.Tensor:
        return torch.stack([stack.masks[name].flatten(1).sum(dim=1) for name in stack.prunable_names], 1)

    def labels_of(e, kept, **extra) -> dict:
        return dict(
            nonzeros=int(kept.sum()),
            trainable=dense_part + int(kept.sum()),
            base_width=e["k0"],
            budget=e["budget"],
            method=e["method"],
            scheme=e["scheme"],
            layer_nonzeros=[int(v) for v in kept],
            lr=None,
            **{"rounds": None, **extra},
        )

    index = torch.tensor([e["j"] for e in entries], device=device)
    pruned = dense.select(index)
    prune_stack(
        pruned,
        [e["n_keep"] for e in entries],
        [e["method"] for e in entries],
        [_seed(e["seed"], e["phase"], e["method_index"]) for e in entries],
        schemes=[e["scheme"] for e in entries],
    )
    pruned_errors = errors(pruned, index)
    kept = layer_counts(pruned)
    starts = {
        "reset": initial.select(index).params,
        "weight_rewind": None if rewound is None else {n: v[index] for n, v in rewound.items()},
    }
    for mode in modes:
        stack = pruned.select(torch.arange(len(entries), device=device))
        if starts.get(mode) is not None:
            stack.params = {name: starts[mode][name].clone() for name in stack.params}
        train_stack(
            stack,
            *data["train"],
            index,
            schedule=retrain_schedule(config, mode),
            batch_size=config.batch_size,
            generators=[_generator(e["seed"], e["phase"], e["method_index"], 1) for e in entries],
        )
        retrained_errors = errors(stack, index)
        for i, e in enumerate(entries):
            add(e["j"], pruned_errors, i, stage="pruned", **labels_of(e, kept[i], mode=mode))
            add(e["j"], retrained_errors, i, stage="retrained", **labels_of(e, kept[i], mode=mode))
    if config.imp_rate is not None:
        _iterative(
            config,
            [e for e in entries if e["method"] == "magnitude"],
            dense,
            data,
            errors,
            add,
            labels_of,
            layer_counts,
            total,
        )
    return [row for seed in seeds for row in rows[seed]]


def _iterative(config, entries, dense, data, errors, add, labels_of, layer_counts, total) -> None:
    """Iterative magnitude pruning of the trained ``dense`` stack for every
    magnitude entry (see :func:`run_width_batched`): round r prunes every entry
    with at least r rounds to its r-th count and retrains it by learning-rate
    rewinding; an entry's rows are written at its last round."""
    from validation.nn.batched import prune_stack, train_stack

    device = config.device
    counts = [imp_keep_counts(total, e["n_keep"], config.imp_rate) for e in entries]
    index = torch.tensor([e["j"] for e in entries], device=device)
    stack = dense.select(index)
    for r in range(1, max(len(c) for c in counts) + 1):
        active = [i for i, c in enumerate(counts) if len(c) >= r]
        position = torch.tensor(active, device=device)
        sub = stack.select(position)
        prune_stack(
            sub,
            [counts[i][r - 1] for i in active],
            ["magnitude"] * len(active),
            [None] * len(active),
            schemes=[entries[i]["scheme"] for i in active],
        )
        last = [a for a, i in enumerate(active) if len(counts[i]) == r]
        found = errors(sub, index[position]) if last else {}
        kept = layer_counts(sub)
        for a in last:
            e = entries[active[a]]
            add(
                e["j"],
                found,
                a,
                stage="pruned",
                **{**labels_of(e, kept[a], mode="lr_rewind", rounds=r), "method": "imp"},
            )
        train_stack(
            sub,
            *data["train"],
            index[position],
            schedule=retrain_schedule(config, "lr_rewind"),
            batch_size=config.batch_size,
            generators=[_generator(entries[i]["seed"], entries[i]["phase"], 0, 2, r) for i in active],
        )
        found = errors(sub, index[position]) if last else {}
        for a in last:
            e = entries[active[a]]
            add(
                e["j"],
                found,
                a,
                stage="retrained",
                **{**labels_of(e, kept[a], mode="lr_rewind", rounds=r), "method": "imp"},
            )
        for name in stack.params:
            stack.params[name][position] = sub.params[name]
        for name in stack.masks:
            stack.masks[name][position] = sub.masks[name]


def _seed(*parts: int) -> int:
    return int(np.random.SeedSequence([int(p) for p in parts]).generate_state(1)[0])


def _generator(*parts: int) -> torch.Generator:
    return torch.Generator().manual_seed(_seed(*parts))


def run_sweep(config: ProtocolConfig, dataset: Dataset | None = None) -> list[dict[str, Any]]:
    """All widths x seeds of ``config`` in this process, in order (the runner
    of :mod:`validation.nn.experiment` parallelises the same calls)."""
    dataset = load_protocol_data(config) if dataset is None else dataset
    rows: list[dict[str, Any]] = []
    for seed in config.seeds:
        for width in config.widths:
            rows.extend(run_width(config, dataset, width, seed))
    return rows


__all__ = [
    "ProtocolConfig",
    "budgets",
    "error_rate",
    "initial_model",
    "load_protocol_data",
    "prune_to_budget",
    "rewind",
    "run_sweep",
    "run_width",
    "run_width_batched",
    "lr_schedule",
    "retrain_schedule",
    "route_epochs",
    "imp_keep_counts",
    "train",
]
