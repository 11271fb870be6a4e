"""Train -> prune -> retrain width sweeps at fixed budgets of nonzero weights
(the paper's Sec. 3.3 and SM Sec. A; docs/theory.md#claims, claim C7).

For one width k and seed (:func:`run_width`):

1. build the width-k network (seeded initialisation ``theta_0``) and train it
   densely with Adam (cross-entropy, mini-batches, fixed epochs);
2. for every budget s (the prunable-weight count of a base width k0, see
   :func:`validation.nn.models.budget`) smaller than the network's count:

   * **magnitude**: prune globally to exactly s nonzero weights with
     ``torch.nn.utils.prune.global_unstructured(..., L1Unstructured, amount=P - s)``
     (the s weights largest in absolute value over all prunable layers survive);
   * **random**: the same call with ``RandomUnstructured`` (a uniformly random
     s-subset of all prunable weights; the baseline of the paper's Fig. 5(a), 6(b));

   each is evaluated right after pruning ("pruned", the no-retraining curves of
   Figs. 5(b), 6(c)), then retrained with the mask fixed, either from the
   trained weights (``retrain="finetune"``) or from ``theta_0`` on the kept
   entries (``retrain="rewind"``, what the authors' code does), and evaluated
   again ("retrained");
3. a width whose count is <= s is not pruned: its sparse network *is* its
   dense network, so no sparse rows are recorded for that budget (the dense
   network of width k0 is the reference every pruned network is compared with).

The mask is fixed during retraining because ``torch.nn.utils.prune`` computes
``weight = weight_orig * weight_mask`` before every forward pass, so a pruned
entry's gradient is exactly 0 and the effective weight stays exactly 0 whatever
the optimizer does to ``weight_orig``; retraining uses a fresh Adam.

Every row of the result is tidy: one (width, seed, budget, method, stage) with
its train and test error (fraction misclassified) and nonzero count.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn.utils import prune

from dctheory.errors import ConfigError
from validation.nn.data import DATASETS, Dataset, load_dataset
from validation.nn.models import ARCHITECTURES, budget, build_model, nonzero_count, prunable_count, prunable_parameters

RETRAIN_MODES = ("rewind", "finetune")
PRUNING_METHODS = ("magnitude", "random")
PRUNING_SCHEMES = ("global", "layerwise")


@dataclass(frozen=True)
class ProtocolConfig:
    """Everything that defines a width sweep. Defaults: the MNIST-1D MLP sweep.

    widths: the widths k swept; base_widths: the k0 whose prunable-weight
    counts are the budgets; seeds: one run of the whole protocol per seed
    (initialisation, batch order, random-pruning mask); lr, epochs,
    batch_size: Adam's dense training; retrain_epochs: the retraining phase
    (same optimizer settings; defaults to ``epochs``); retrain: "rewind" or
    "finetune"; label_noise: fraction of training labels flipped (seeded by
    ``data_seed``); n_train: subsample of the training set (None: all).

    The defaults were fixed before any pruning run, from dense training alone:
    Adam at lr 1e-2 for 60 epochs of batches of 100 drives the widest MLP
    (k = 256) to zero training error on MNIST-1D (lr 1e-3 leaves it at 15%),
    i.e. the sweep crosses the interpolation threshold as in the paper's Fig. 1.
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
    retrain: str = "rewind"
    label_noise: float = 0.0
    n_train: int | None = None
    data_dir: str | None = None
    data_seed: int = 0
    mnist1d_samples: int = 5000
    n_val: int = 0
    pruning: str = "global"
    max_width_ratio: int | None = None
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
        if self.epochs < 1 or (self.retrain_epochs is not None and self.retrain_epochs < 1):
            raise ConfigError(f"epochs and retrain_epochs must be >= 1, got {self.epochs}, {self.retrain_epochs}")
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

    @property
    def effective_retrain_epochs(self) -> int:
        return self.epochs if self.retrain_epochs is None else self.retrain_epochs

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


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
    """``{k0: prunable-weight count of the width-k0 network}`` for each base width."""
    return {
        k0: budget(config.architecture, k0, dataset.input_shape, dataset.num_classes)
        for k0 in config.base_widths
    }


def pruning_phases(config: ProtocolConfig, dataset: Dataset, width: int, total: int) -> list[tuple[int, int, int]]:
    """``(phase, k0, budget)`` of every budget a width-``width`` network (``total``
    prunable weights) is pruned to: budgets below ``total``, and with
    ``max_width_ratio`` only those with ``width <= max_width_ratio * k0``.
    ``phase`` (1, 2, ... over all sorted budgets) seeds the phase's randomness."""
    return [
        (phase, k0, n_keep)
        for phase, (k0, n_keep) in enumerate(sorted(budgets(config, dataset).items()), start=1)
        if n_keep < total and (config.max_width_ratio is None or width <= config.max_width_ratio * k0)
    ]


def initial_model(config: ProtocolConfig, dataset: Dataset, width: int, seed: int) -> nn.Module:
    """The width-``width`` network initialised from ``torch.manual_seed(seed)``
    inside ``fork_rng``, so the global torch stream is left as it was."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return build_model(config.architecture, width, dataset.input_shape, dataset.num_classes)


def train(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    *,
    lr: float,
    epochs: int,
    batch_size: int,
    generator: torch.Generator,
) -> None:
    """Minimise the mean cross-entropy with a fresh Adam(lr) over ``epochs``
    passes of shuffled mini-batches (order drawn from ``generator``)."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_function = nn.CrossEntropyLoss()
    model.train()
    n = x.shape[0]
    for _ in range(epochs):
        order = torch.randperm(n, generator=generator)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            optimizer.zero_grad(set_to_none=True)
            loss_function(model(x[batch]), y[batch]).backward()
            optimizer.step()


@torch.no_grad()
def error_rate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 2048) -> float:
    """Fraction of samples whose arg-max prediction differs from the label."""
    model.eval()
    wrong = 0
    for start in range(0, x.shape[0], batch_size):
        wrong += int((model(x[start : start + batch_size]).argmax(dim=1) != y[start : start + batch_size]).sum())
    return wrong / x.shape[0]


def prune_to_budget(model: nn.Module, n_keep: int, method: str, generator_seed: int | None = None,
                    scheme: str = "global") -> None:
    """Prune ``model`` in place to exactly ``n_keep`` kept weights over
    :func:`prunable_parameters`. ``scheme="global"``:
    ``torch.nn.utils.prune.global_unstructured`` over all prunable layers at
    once; ``scheme="layerwise"``: each layer keeps its share
    (:func:`validation.nn.batched.layer_quotas`: ``n_keep * size / total``,
    rounded so the shares add up) by the per-layer ``l1_unstructured`` /
    ``random_unstructured``. ``method="magnitude"`` keeps the largest |w|
    (L1Unstructured), ``method="random"`` a uniformly random subset
    (RandomUnstructured, drawn from ``torch.manual_seed(generator_seed)``
    inside ``fork_rng``).

    Raises ConfigError when n_keep is not in [1, prunable count] or the method
    or scheme is unknown.
    """
    from validation.nn.batched import layer_quotas

    total = prunable_count(model)
    if isinstance(n_keep, bool) or not isinstance(n_keep, (int, np.integer)) or not 1 <= n_keep <= total:
        raise ConfigError(f"budget must be an integer in [1, {total}] (the model's prunable weights), got {n_keep!r}")
    methods = {"magnitude": prune.L1Unstructured, "random": prune.RandomUnstructured}
    if method not in methods:
        raise ConfigError(f"unknown pruning method {method!r}; expected one of {PRUNING_METHODS}")
    if scheme not in PRUNING_SCHEMES:
        raise ConfigError(f"unknown pruning scheme {scheme!r}; expected one of {PRUNING_SCHEMES}")
    parameters = prunable_parameters(model)
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
    ``initial_state`` (the dense network's ``state_dict()`` at initialisation);
    for pruned layers this writes ``weight_orig``, leaving ``weight_mask``.
    Batch-norm running statistics are reset to theirs too."""
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


def run_width(config: ProtocolConfig, dataset: Dataset, width: int, seed: int) -> list[dict[str, Any]]:
    """The protocol (module docstring) for one width and one seed, one network
    at a time (any architecture, on ``config.device``): tidy rows

    ``{width, seed, base_width, budget, method, stage, params, nonzeros,
    train_error, test_error[, val_error]}`` with ``method`` in {dense, magnitude, random}
    and ``stage`` in {dense, pruned, retrained}; ``base_width`` and ``budget``
    are None on the dense row. ``val_error`` when the data set has a validation split.
    """
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ConfigError(f"width must be an integer >= 1, got {width!r}")
    device = config.device
    x_train, y_train = _tensors(dataset.x_train, dataset.y_train, device)
    training = dict(lr=config.lr, batch_size=config.batch_size)
    model = initial_model(config, dataset, int(width), seed).to(device)
    initial_state = copy.deepcopy(model.state_dict())
    total = prunable_count(model)

    def row(net: nn.Module, **labels: Any) -> dict[str, Any]:
        return dict(width=int(width), seed=int(seed), params=total, nonzeros=nonzero_count(net),
                    **_errors(net, dataset, device), **labels)

    # One generator per phase, each seeded from (seed, phase), so the dense
    # phase draws the same batches whatever budgets follow.
    train(model, x_train, y_train, epochs=config.epochs, generator=_generator(seed, 0), **training)
    rows = [row(model, base_width=None, budget=None, method="dense", stage="dense")]
    trained_state = copy.deepcopy(model.state_dict())
    for phase, k0, n_keep in pruning_phases(config, dataset, int(width), total):
        for method_index, method in enumerate(PRUNING_METHODS):
            sparse = initial_model(config, dataset, int(width), seed).to(device)
            sparse.load_state_dict(trained_state)
            prune_to_budget(sparse, n_keep, method, generator_seed=_seed(seed, phase, method_index),
                            scheme=config.pruning)
            labels = dict(base_width=k0, budget=n_keep, method=method)
            rows.append(row(sparse, stage="pruned", **labels))
            if config.retrain == "rewind":
                rewind(sparse, initial_state)
            train(
                sparse,
                x_train,
                y_train,
                epochs=config.effective_retrain_epochs,
                generator=_generator(seed, phase, method_index, 1),
                **training,
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
    random_schemes: tuple[str, ...] | None = None,
) -> list[dict[str, Any]]:
    """:func:`run_width` for every seed in ``seeds`` at once (seed j trains on
    ``datasets[j]``, all of one size), every retraining mode in ``modes`` and
    pruning scheme in ``schemes`` (defaults: ``config.retrain``, ``config.pruning``;
    random pruning only with the schemes in ``random_schemes``, default
    ``schemes``), with the networks stacked (:mod:`validation.nn.batched`; MLP and Conv1D).

    Same initialisations, batch orders, masks and random-pruning seeds as
    :func:`run_width`, so each (seed, mode, scheme) gives its rows up to float
    rounding; rows carry ``mode``, ``scheme`` and ``layer_nonzeros`` (kept
    weights per prunable layer) too (the pruned-stage row, which does not
    depend on the mode, is repeated for each mode).
    """
    from validation.nn.batched import prune_stack, stack_error_rates, stack_models, train_stack

    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ConfigError(f"width must be an integer >= 1, got {width!r}")
    if len(datasets) != len(seeds) or not seeds:
        raise ConfigError(f"need one data set per seed, got {len(datasets)} for {len(seeds)} seeds")
    modes = (config.retrain,) if modes is None else tuple(modes)
    schemes = (config.pruning,) if schemes is None else tuple(schemes)
    random_schemes = schemes if random_schemes is None else tuple(random_schemes)
    check_choices(modes, schemes + random_schemes)
    device = config.device
    width, seeds = int(width), [int(s) for s in seeds]
    splits = {"train": ("x_train", "y_train"), "test": ("x_test", "y_test")}
    if all(d.x_val is not None for d in datasets):
        splits["val"] = ("x_val", "y_val")
    data = {
        split: (torch.from_numpy(np.stack([getattr(d, xs) for d in datasets])).to(device),
                torch.from_numpy(np.stack([getattr(d, ys) for d in datasets])).to(device))
        for split, (xs, ys) in splits.items()
    }
    dataset = datasets[0]
    initial = stack_models([initial_model(config, dataset, width, seed).to(device) for seed in seeds])
    total = sum(int(np.prod(initial.params[name].shape[1:])) for name in initial.prunable_names)

    def errors(stack, data_index) -> dict[str, np.ndarray]:
        return {f"{split}_error": stack_error_rates(stack, *data[split], data_index) for split in data}

    seed_index = torch.arange(len(seeds), device=device)
    dense = initial.select(seed_index)
    train_stack(dense, *data["train"], seed_index, lr=config.lr, epochs=config.epochs,
                batch_size=config.batch_size, generators=[_generator(seed, 0) for seed in seeds])
    dense_errors = errors(dense, seed_index)
    rows: dict[int, list[dict[str, Any]]] = {seed: [] for seed in seeds}
    for j, seed in enumerate(seeds):
        rows[seed].append(dict(width=width, seed=seed, params=total, nonzeros=total,
                               **{k: float(v[j]) for k, v in dense_errors.items()},
                               base_width=None, budget=None, method="dense", stage="dense",
                               mode=None, scheme=None, layer_nonzeros=None))
    # one entry per (budget, method, scheme, seed); modes share its mask
    entries = [
        dict(phase=phase, k0=k0, budget=n_keep, method_index=mi, method=method, scheme=scheme, j=j, seed=seed)
        for phase, k0, n_keep in pruning_phases(config, dataset, width, total)
        for mi, method in enumerate(PRUNING_METHODS)
        for scheme in (schemes if method == "magnitude" else random_schemes)
        for j, seed in enumerate(seeds)
    ]
    if not entries:
        return [row for seed in seeds for row in rows[seed]]
    index = torch.tensor([e["j"] for e in entries], device=device)
    pruned = dense.select(index)
    prune_stack(pruned, [e["budget"] for e in entries], [e["method"] for e in entries],
                [_seed(e["seed"], e["phase"], e["method_index"]) for e in entries], schemes=[e["scheme"] for e in entries])
    pruned_errors = errors(pruned, index)
    layer_nonzeros = torch.stack([pruned.masks[name].flatten(1).sum(dim=1) for name in pruned.prunable_names], 1)
    nonzeros = layer_nonzeros.sum(dim=1)
    retrained = []
    for mode in modes:
        stack = pruned.select(torch.arange(len(entries), device=device))
        if mode == "rewind":
            initial_params = initial.select(index).params
            stack.params = {name: initial_params[name].clone() for name in stack.params}
        retrained.append(stack)
    combined = retrained[0]
    if len(retrained) > 1:
        combined = type(combined)(combined.template,
                                  {n: torch.cat([s.params[n] for s in retrained]) for n in combined.params},
                                  {n: torch.cat([s.masks[n] for s in retrained]) for n in combined.masks})
    all_index = index.repeat(len(modes))
    train_stack(combined, *data["train"], all_index, lr=config.lr, epochs=config.effective_retrain_epochs,
                batch_size=config.batch_size,
                generators=[_generator(e["seed"], e["phase"], e["method_index"], 1)
                            for _ in modes for e in entries])
    retrained_errors = errors(combined, all_index)
    for mi, mode in enumerate(modes):
        for i, e in enumerate(entries):
            labels = dict(width=width, seed=e["seed"], params=total, nonzeros=int(nonzeros[i]),
                          base_width=e["k0"], budget=e["budget"], method=e["method"])
            extra = dict(mode=mode, scheme=e["scheme"], layer_nonzeros=[int(v) for v in layer_nonzeros[i]])
            rows[e["seed"]].append(dict(**labels, **{k: float(v[i]) for k, v in pruned_errors.items()},
                                        stage="pruned", **extra))
            r = mi * len(entries) + i
            rows[e["seed"]].append(dict(**labels, **{k: float(v[r]) for k, v in retrained_errors.items()},
                                        stage="retrained", **extra))
    return [row for seed in seeds for row in rows[seed]]


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
    "train",
]
