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
        if not 0.0 <= self.label_noise <= 1.0:
            raise ConfigError(f"label_noise must be in [0, 1], got {self.label_noise}")

    @property
    def effective_retrain_epochs(self) -> int:
        return self.epochs if self.retrain_epochs is None else self.retrain_epochs

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_protocol_data(config: ProtocolConfig) -> Dataset:
    """The data set of ``config`` (see :func:`validation.nn.data.load_dataset`)."""
    return load_dataset(
        config.dataset,
        config.data_dir,
        label_noise=config.label_noise,
        n_train=config.n_train,
        seed=config.data_seed,
        mnist1d_samples=config.mnist1d_samples,
    )


def budgets(config: ProtocolConfig, dataset: Dataset) -> dict[int, int]:
    """``{k0: prunable-weight count of the width-k0 network}`` for each base width."""
    return {
        k0: budget(config.architecture, k0, dataset.input_shape, dataset.num_classes)
        for k0 in config.base_widths
    }


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


def prune_to_budget(model: nn.Module, n_keep: int, method: str, generator_seed: int | None = None) -> None:
    """Prune ``model`` in place, globally over :func:`prunable_parameters`, to
    exactly ``n_keep`` kept weights with ``torch.nn.utils.prune.global_unstructured``:
    ``method="magnitude"`` keeps the ``n_keep`` largest |w| (L1Unstructured),
    ``method="random"`` a uniformly random ``n_keep``-subset (RandomUnstructured,
    drawn from ``torch.manual_seed(generator_seed)`` inside ``fork_rng``).

    Raises ConfigError when n_keep is not in [1, prunable count] or the method
    is unknown.
    """
    total = prunable_count(model)
    if isinstance(n_keep, bool) or not isinstance(n_keep, (int, np.integer)) or not 1 <= n_keep <= total:
        raise ConfigError(f"budget must be an integer in [1, {total}] (the model's prunable weights), got {n_keep!r}")
    methods = {"magnitude": prune.L1Unstructured, "random": prune.RandomUnstructured}
    if method not in methods:
        raise ConfigError(f"unknown pruning method {method!r}; expected one of {PRUNING_METHODS}")
    with torch.random.fork_rng(devices=[]):
        if generator_seed is not None:
            torch.manual_seed(generator_seed)
        prune.global_unstructured(
            prunable_parameters(model), pruning_method=methods[method], amount=int(total - n_keep)
        )


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


def _as_tensors(dataset: Dataset) -> tuple[torch.Tensor, ...]:
    return (
        torch.from_numpy(dataset.x_train),
        torch.from_numpy(dataset.y_train),
        torch.from_numpy(dataset.x_test),
        torch.from_numpy(dataset.y_test),
    )


def run_width(config: ProtocolConfig, dataset: Dataset, width: int, seed: int) -> list[dict[str, Any]]:
    """The protocol (module docstring) for one width and one seed: tidy rows

    ``{width, seed, base_width, budget, method, stage, params, nonzeros,
    train_error, test_error}`` with ``method`` in {dense, magnitude, random}
    and ``stage`` in {dense, pruned, retrained}; ``base_width`` and ``budget``
    are None on the dense row.
    """
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ConfigError(f"width must be an integer >= 1, got {width!r}")
    x_train, y_train, x_test, y_test = _as_tensors(dataset)
    training = dict(lr=config.lr, batch_size=config.batch_size)
    model = initial_model(config, dataset, int(width), seed)
    initial_state = copy.deepcopy(model.state_dict())
    total = prunable_count(model)

    def row(net: nn.Module, **labels: Any) -> dict[str, Any]:
        return dict(
            width=int(width),
            seed=int(seed),
            params=total,
            nonzeros=nonzero_count(net),
            train_error=error_rate(net, x_train, y_train),
            test_error=error_rate(net, x_test, y_test),
            **labels,
        )

    # One generator per phase, each seeded from (seed, phase), so the dense
    # phase draws the same batches whatever budgets follow.
    train(model, x_train, y_train, epochs=config.epochs, generator=_generator(seed, 0), **training)
    rows = [row(model, base_width=None, budget=None, method="dense", stage="dense")]
    trained_state = copy.deepcopy(model.state_dict())
    for phase, (k0, n_keep) in enumerate(sorted(budgets(config, dataset).items()), start=1):
        if n_keep >= total:
            continue
        for method_index, method in enumerate(PRUNING_METHODS):
            sparse = initial_model(config, dataset, int(width), seed)
            sparse.load_state_dict(trained_state)
            prune_to_budget(sparse, n_keep, method, generator_seed=_seed(seed, phase, method_index))
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
    "train",
]
