"""Many networks of one architecture and width trained at once, as stacked tensors.

A :class:`ModelStack` holds M copies of one template network (same
architecture and width, different weights): each parameter is a tensor of
shape ``(M, *shape)`` (``torch.func.stack_module_state``), and every prunable
weight has a mask of the same shape (all ones for a dense network). The
forward pass is ``torch.func.vmap`` of ``torch.func.functional_call`` over the
model axis with the effective weights ``weight * mask``, so a linear layer
becomes one batched matmul and a convolution one grouped convolution.

Training (:func:`train_stack`) is the single-model :func:`validation.nn.protocol.train`
for every model at once:

* the loss is the sum over models of each model's mean cross-entropy, so the
  gradient of model m's parameters is exactly the gradient of its own loss;
* Adam acts elementwise, so one ``torch.optim.Adam`` over the stacked tensors
  is M independent Adams with the same settings and step count;
* model m draws its batch order from its own ``torch.Generator`` (one
  ``randperm`` per epoch, as the single path) and, through ``data_index``, may
  train on its own data set (the seeds of a sweep draw different data);
* a masked entry has gradient exactly 0 (the effective weight is
  ``weight * mask``), as under ``torch.nn.utils.prune``.

Pruning (:func:`prune_stack`) reproduces :func:`validation.nn.protocol.prune_to_budget`
per model: ``magnitude`` keeps the ``n_keep`` largest |w| over all prunable
layers (global) or per layer in proportion to the layer's size (layer-wise),
``random`` draws the same ``torch.rand`` scores that ``RandomUnstructured``
draws after ``torch.manual_seed(seed)``, so masks are identical to the
single-model path's. Networks with batch norm (ResNet-20) are not stacked.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn
from torch.func import functional_call, stack_module_state, vmap

from dctheory.errors import ConfigError
from validation.nn.models import prunable_parameters

PRUNING_SCHEMES = ("global", "layerwise")


@dataclass
class ModelStack:
    """M networks of one architecture: ``params[name]`` of shape (M, *shape),
    ``masks[name]`` for each prunable weight name (see the module docstring)."""

    template: nn.Module
    params: dict[str, torch.Tensor]
    masks: dict[str, torch.Tensor]

    @property
    def size(self) -> int:
        return next(iter(self.params.values())).shape[0]

    @property
    def prunable_names(self) -> list[str]:
        return list(self.masks)

    def effective(self) -> dict[str, torch.Tensor]:
        """The parameters the networks compute with: masked weights, other tensors as stored."""
        return {name: value * self.masks[name] if name in self.masks else value for name, value in self.params.items()}

    def select(self, index) -> ModelStack:
        """A new stack of the models ``index`` (copies; masks included)."""
        index = torch.as_tensor(index, dtype=torch.long)
        return ModelStack(
            self.template,
            {name: value.detach()[index].clone() for name, value in self.params.items()},
            {name: mask[index].clone() for name, mask in self.masks.items()},
        )

    def model(self, m: int) -> nn.Module:
        """Model ``m`` as an ordinary module holding its effective weights."""
        device = next(iter(self.params.values())).device
        module = copy.deepcopy(self.template).to_empty(device=device)
        with torch.no_grad():
            for name, value in self.effective().items():
                module.get_parameter(name).copy_(value[m])
        return module


def _prunable_names(module: nn.Module, prune_output: bool = True) -> list[str]:
    names = {id(sub): prefix for prefix, sub in module.named_modules()}
    return [
        f"{names[id(sub)]}.{attr}" if names[id(sub)] else attr
        for sub, attr in prunable_parameters(module, prune_output)
    ]


def stack_models(models: list[nn.Module], prune_output: bool = True) -> ModelStack:
    """Stack ``models`` (same architecture and shapes, no buffers) into dense ones'
    masks, one per prunable weight (the read-out's only with ``prune_output``)."""
    if not models:
        raise ConfigError("stack_models needs at least one model")
    if any(True for _ in models[0].buffers()):
        raise ConfigError("networks with buffers (batch norm) cannot be stacked; train them one at a time")
    params, _ = stack_module_state(models)
    params = {name: value.detach().clone() for name, value in params.items()}
    masks = {name: torch.ones_like(params[name]) for name in _prunable_names(models[0], prune_output)}
    template = copy.deepcopy(models[0]).to("meta")
    return ModelStack(template, params, masks)


def _mlp_logits(p: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    # TwoLayerMLP, one batched matmul per layer: (M, B, d) -> (M, B, classes)
    if "hidden.bias" in p:
        hidden = torch.baddbmm(p["hidden.bias"][:, None, :], x.flatten(2), p["hidden.weight"].transpose(1, 2))
    else:
        hidden = torch.bmm(x.flatten(2), p["hidden.weight"].transpose(1, 2))
    return torch.baddbmm(p["output.bias"][:, None, :], hidden.relu(), p["output.weight"].transpose(1, 2))


def _conv1d_logits(template: nn.Module, p: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    # Conv1DNet, the M networks as one grouped convolution per layer
    size, batch = x.shape[0], x.shape[1]
    out = x.reshape(size, batch, -1).transpose(0, 1)  # (B, M * 1, L)
    for index, layer in enumerate(template.features):
        if isinstance(layer, nn.Conv1d):
            weight = p[f"features.{index}.weight"]
            out = nn.functional.conv1d(
                out,
                weight.flatten(0, 1),
                p[f"features.{index}.bias"].flatten(),
                stride=layer.stride,
                padding=layer.padding,
                groups=size,
            )
        else:
            out = out.relu()
    features = out.reshape(batch, size, -1).transpose(0, 1)  # (M, B, channels * length)
    return torch.baddbmm(p["output.bias"][:, None, :], features, p["output.weight"].transpose(1, 2))


def stacked_logits(stack: ModelStack, x: torch.Tensor, params: dict | None = None) -> torch.Tensor:
    """Logits of every model on its own inputs: ``x`` of shape (M, B, *input), result
    (M, B, classes). The MLP and the Conv1D network are written out as batched
    matmuls and grouped convolutions (far less overhead per step than ``vmap``);
    any other buffer-free network goes through ``vmap(functional_call)``."""
    from validation.nn.models import Conv1DNet, TwoLayerMLP

    params = stack.effective() if params is None else params
    if isinstance(stack.template, TwoLayerMLP):
        return _mlp_logits(params, x)
    if isinstance(stack.template, Conv1DNet):
        return _conv1d_logits(stack.template, params, x)

    def one(p, inputs):
        return functional_call(stack.template, p, (inputs,))

    return vmap(one)(params, x)


def _gather(data: torch.Tensor, data_index: torch.Tensor, rows: torch.Tensor) -> torch.Tensor:
    # data: (G, n, ...), data_index: (M,), rows: (M, B) -> (M, B, ...)
    return data[data_index[:, None], rows]


def train_stack(
    stack: ModelStack,
    x: torch.Tensor,
    y: torch.Tensor,
    data_index: torch.Tensor,
    *,
    lr: float | None = None,
    epochs: int | None = None,
    batch_size: int,
    generators: list[torch.Generator],
    schedule: list[float] | None = None,
    snapshot_epoch: int | None = None,
) -> dict[str, torch.Tensor] | None:
    """Train every model of ``stack`` in place (module docstring): ``x`` (G, n, *input)
    and ``y`` (G, n) hold G training sets, model m trains on set ``data_index[m]``
    with batch order from ``generators[m]``. One fresh Adam runs either
    ``epochs`` epochs at the constant rate ``lr`` or one epoch per entry of
    ``schedule`` (the rate of that epoch). With ``snapshot_epoch`` = j, returns
    the parameters after j epochs (the weights weight rewinding returns to)."""
    schedule = _schedule(lr, epochs, schedule)
    size = stack.size
    if len(generators) != size or data_index.shape != (size,):
        raise ConfigError(
            f"need one generator and data index per model ({size}), got {len(generators)} and {tuple(data_index.shape)}"
        )
    leaves = {name: value.detach().clone().requires_grad_(True) for name, value in stack.params.items()}
    optimizer = torch.optim.Adam(list(leaves.values()), lr=schedule[0])
    n = x.shape[1]
    snapshot = None
    for epoch, rate in enumerate(schedule):
        if epoch == snapshot_epoch:
            snapshot = {name: value.detach().clone() for name, value in leaves.items()}
        for group in optimizer.param_groups:
            group["lr"] = rate
        orders = torch.stack([torch.randperm(n, generator=g) for g in generators]).to(x.device)
        for start in range(0, n, batch_size):
            rows = orders[:, start : start + batch_size]
            optimizer.zero_grad(set_to_none=True)
            params = {
                name: value * stack.masks[name] if name in stack.masks else value for name, value in leaves.items()
            }
            logits = stacked_logits(stack, _gather(x, data_index, rows), params)
            targets = _gather(y, data_index, rows)
            loss = nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten(), reduction="none")
            loss.view(size, -1).mean(dim=1).sum().backward()
            optimizer.step()
    stack.params = {name: value.detach() for name, value in leaves.items()}
    if snapshot_epoch is not None and snapshot is None:
        snapshot = {name: value.clone() for name, value in stack.params.items()}
    return snapshot


def _schedule(lr, epochs, schedule) -> list[float]:
    if schedule is None:
        if lr is None or epochs is None:
            raise ConfigError("train_stack needs lr and epochs, or a schedule")
        schedule = [float(lr)] * int(epochs)
    if not schedule or any(not rate > 0 for rate in schedule):
        raise ConfigError(f"a learning-rate schedule needs >= 1 epoch of rates > 0, got {list(schedule)[:5]}")
    return [float(rate) for rate in schedule]


@torch.no_grad()
def stack_error_rates(
    stack: ModelStack, x: torch.Tensor, y: torch.Tensor, data_index: torch.Tensor, batch_size: int = 2048
) -> np.ndarray:
    """Fraction misclassified per model, model m on set ``data_index[m]`` of ``x`` (G, n, ...)."""
    params = stack.effective()
    wrong = torch.zeros(stack.size, dtype=torch.long)
    n = x.shape[1]
    for start in range(0, n, batch_size):
        xs = x[data_index, start : start + batch_size]
        ys = y[data_index, start : start + batch_size]
        wrong += (stacked_logits(stack, xs, params).argmax(dim=2) != ys).sum(dim=1)
    return wrong.numpy() / n


def layer_quotas(sizes: list[int], n_keep: int) -> list[int]:
    """Kept weights per layer for layer-wise pruning to ``n_keep`` in total: each
    layer keeps ``n_keep * size / total`` rounded down, the remainder going to
    the largest fractional parts (earlier layers first on ties); at least 1 each."""
    total = sum(sizes)
    if not len(sizes) <= n_keep <= total:
        raise ConfigError(f"layer-wise budget must be in [{len(sizes)}, {total}], got {n_keep}")
    exact = [n_keep * size / total for size in sizes]
    quotas = [max(1, int(np.floor(e))) for e in exact]
    order = sorted(range(len(sizes)), key=lambda i: (-(exact[i] - np.floor(exact[i])), i))
    i = 0
    while sum(quotas) < n_keep:
        layer = order[i % len(order)]
        if quotas[layer] < sizes[layer]:
            quotas[layer] += 1
        i += 1
    while sum(quotas) > n_keep:  # only when the at-least-1 rule overshot
        layer = max((j for j in range(len(sizes)) if quotas[j] > 1), key=lambda j: quotas[j] - exact[j])
        quotas[layer] -= 1
    return quotas


def keep_mask(scores: torch.Tensor, n_keep: int, largest_pruned: bool) -> torch.Tensor:
    """Float mask of a flat score vector keeping ``n_keep`` entries, as
    ``torch.nn.utils.prune`` computes it: the ``total - n_keep`` pruned entries are
    ``topk(scores, largest=largest_pruned)`` (L1: the smallest |w|; random: the
    largest uniform scores)."""
    mask = torch.ones_like(scores)
    n_prune = scores.numel() - n_keep
    if n_prune > 0:
        mask[torch.topk(scores, k=n_prune, largest=largest_pruned).indices] = 0
    return mask


def model_masks(
    weights: list[torch.Tensor], n_keep: int, method: str, scheme: str = "global", seed: int | None = None
) -> list[torch.Tensor]:
    """Masks of one network's prunable ``weights`` keeping ``n_keep`` of them
    (module docstring); the random scores come from ``torch.Generator().manual_seed(seed)``,
    drawn layer by layer in order, as ``RandomUnstructured`` draws them after
    ``torch.manual_seed(seed)``."""
    if scheme not in PRUNING_SCHEMES:
        raise ConfigError(f"unknown pruning scheme {scheme!r}; expected one of {PRUNING_SCHEMES}")
    if method == "magnitude":
        scores = [w.detach().abs().flatten() for w in weights]
        largest = False
    elif method == "random":
        # RandomUnstructured draws torch.rand_like of what it prunes: the
        # concatenated weights (global) or each layer in turn (layer-wise)
        generator = torch.Generator().manual_seed(0 if seed is None else int(seed))
        if scheme == "layerwise":
            scores = [torch.rand(w.numel(), generator=generator) for w in weights]
        else:
            flat = torch.rand(sum(w.numel() for w in weights), generator=generator)
            scores = list(torch.split(flat, [w.numel() for w in weights]))
        largest = True
    else:
        raise ConfigError(f"unknown pruning method {method!r}; expected 'magnitude' or 'random'")
    sizes = [w.numel() for w in weights]
    if scheme == "global":
        flat_mask = keep_mask(torch.cat(scores), n_keep, largest)
        masks = torch.split(flat_mask, sizes)
    else:
        masks = [keep_mask(s, q, largest) for s, q in zip(scores, layer_quotas(sizes, n_keep))]
    return [mask.view_as(w) for mask, w in zip(masks, weights)]


def prune_stack(
    stack: ModelStack, n_keep: list[int], methods: list[str], seeds: list[int | None], schemes: list[str] | None = None
) -> None:
    """Replace the masks of ``stack`` in place: model m keeps ``n_keep[m]`` of its
    prunable weights by ``methods[m]`` and ``schemes[m]`` (default global;
    random scores from ``seeds[m]``), as :func:`model_masks`."""
    names = stack.prunable_names
    schemes = ["global"] * stack.size if schemes is None else schemes
    new = {name: torch.empty_like(stack.masks[name]) for name in names}
    # effective weights: an entry pruned before (iterative pruning) is 0 and goes first
    effective = stack.effective()
    for m in range(stack.size):
        weights = [effective[name][m].cpu() for name in names]
        for name, mask in zip(names, model_masks(weights, int(n_keep[m]), methods[m], schemes[m], seeds[m])):
            new[name][m] = mask
    stack.masks = new


__all__ = [
    "PRUNING_SCHEMES",
    "ModelStack",
    "keep_mask",
    "layer_quotas",
    "model_masks",
    "prune_stack",
    "stack_error_rates",
    "stack_models",
    "stacked_logits",
    "train_stack",
]
