"""The networks of the paper's neural experiments, in plain torch.

* :class:`TwoLayerMLP` -- the 2-layer fully connected network of width k
  (the paper's MNIST experiment, SM Sec. A.2, Fig. 6).
* :class:`ResNet20` -- ResNet-20 (He et al. 2016, the CIFAR variant) whose
  base width k is the number of filters of the first stage (the paper's
  CIFAR-10 experiment, Sec. 3.3, Figs. 1 and 5, after Nakkiran et al. 2019).
* :class:`Conv1DNet` -- a small 1-D convolutional network for MNIST-1D
  (three stride-2 convolutions of k channels and a linear read-out, the
  shape of the CNN of the MNIST-1D paper).

The sparsity budget (docs/theory.md#claims, claim C7) counts **every
trainable parameter**: the budget of base width k0 is the trainable count of
the dense width-k0 network (:func:`budget`), and a pruned wide network is
pruned until its kept prunable weights plus its dense trainable tensors
(biases, batch-norm parameters, and the read-out layer when it is kept dense)
add up to the budget (:func:`prunable_budget`), as the paper's Fig. 1 asks
("the sparse model shares the same number of parameters amenable to training
as the base model"). **Prunable** weights are the weight tensors of every
``nn.Linear`` and ``nn.Conv1d/2d`` layer, the read-out layer (``output``)
included only with ``prune_output=True``: by default it stays dense, as in
OpenLTH's LeNet and ShrinkBench. The MLP may drop its hidden biases
(``hidden_bias=False``), so that every counted parameter is a weight.
"""

from __future__ import annotations

import torch
from torch import nn

from dctheory.errors import ConfigError

ARCHITECTURES = ("mlp", "resnet20", "conv1d")


def _check_width(width: int) -> int:
    if isinstance(width, bool) or not isinstance(width, int) or width < 1:
        raise ConfigError(f"width must be an integer >= 1, got {width!r}")
    return width


class TwoLayerMLP(nn.Module):
    """``x -> W2 relu(W1 x + b1) + b2`` with ``W1`` of shape (width, in_features).

    Trainable parameters: ``width * (in_features + num_classes) + num_classes``,
    plus ``width`` hidden biases when ``hidden_bias``.
    """

    def __init__(self, in_features: int, width: int, num_classes: int, hidden_bias: bool = True):
        super().__init__()
        _check_width(width)
        self.hidden = nn.Linear(in_features, width, bias=hidden_bias)
        self.output = nn.Linear(width, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.output(torch.relu(self.hidden(x.flatten(1))))


class Conv1DNet(nn.Module):
    """Three Conv1d layers of ``width`` channels (kernel 5, 3, 3; stride 2), ReLU,
    then a linear read-out of the flattened feature map.

    Input shape (batch, length) or (batch, 1, length).
    """

    def __init__(self, length: int, width: int, num_classes: int):
        super().__init__()
        _check_width(width)
        self.features = nn.Sequential(
            nn.Conv1d(1, width, 5, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv1d(width, width, 3, stride=2, padding=1),
            nn.ReLU(),
            nn.Conv1d(width, width, 3, stride=2, padding=1),
            nn.ReLU(),
        )
        out_length = length
        for kernel, padding in ((5, 1), (3, 1), (3, 1)):
            out_length = (out_length + 2 * padding - kernel) // 2 + 1
        if out_length < 1:
            raise ConfigError(f"input length must be >= 5 for Conv1DNet, got {length}")
        self.output = nn.Linear(width * out_length, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 2:
            x = x.unsqueeze(1)
        return self.output(self.features(x).flatten(1))


class _BasicBlock(nn.Module):
    """Two 3x3 convolutions with batch norm; a 1x1 projection shortcut (with
    batch norm) when the shape changes (He et al. 2016, option B)."""

    def __init__(self, in_channels: int, out_channels: int, stride: int):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_channels != out_channels:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride, bias=False),
                nn.BatchNorm2d(out_channels),
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return torch.relu(out + self.shortcut(x))


class ResNet20(nn.Module):
    """ResNet-20 for 32x32 images: a 3x3 stem of ``width`` filters, three
    stages of three basic blocks with ``width, 2 width, 4 width`` filters
    (strides 1, 2, 2), global average pooling and a linear classifier.

    ``width = 16`` is the standard ResNet-20 (with projection shortcuts).
    """

    def __init__(self, width: int, num_classes: int = 10, in_channels: int = 3):
        super().__init__()
        _check_width(width)
        self.stem = nn.Conv2d(in_channels, width, 3, 1, 1, bias=False)
        self.bn = nn.BatchNorm2d(width)
        blocks = []
        channels = width
        for stage, stride in enumerate((1, 2, 2)):
            out_channels = width * 2**stage
            for block in range(3):
                blocks.append(_BasicBlock(channels, out_channels, stride if block == 0 else 1))
                channels = out_channels
        self.blocks = nn.Sequential(*blocks)
        self.output = nn.Linear(channels, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.relu(self.bn(self.stem(x)))
        out = self.blocks(out)
        return self.output(out.mean(dim=(2, 3)))


def build_model(
    architecture: str, width: int, input_shape: tuple[int, ...], num_classes: int, hidden_bias: bool = True
) -> nn.Module:
    """The network ``architecture`` (one of :data:`ARCHITECTURES`) of width ``width``
    for inputs of per-sample shape ``input_shape`` (e.g. ``(40,)``, ``(3, 32, 32)``).

    ``hidden_bias=False`` drops the MLP's hidden biases (the other
    architectures ignore it). Initialisation uses torch's global generator: seed it (or use
    ``torch.random.fork_rng``) around the call.

    Raises ConfigError for an unknown architecture, a width < 1, or an input
    shape the architecture does not take.
    """
    _check_width(width)
    if architecture == "mlp":
        in_features = 1
        for size in input_shape:
            in_features *= int(size)
        return TwoLayerMLP(in_features, width, num_classes, hidden_bias=hidden_bias)
    if architecture == "conv1d":
        if len(input_shape) != 1:
            raise ConfigError(f"conv1d takes 1-D inputs (shape (length,)), got input shape {input_shape}")
        return Conv1DNet(int(input_shape[0]), width, num_classes)
    if architecture == "resnet20":
        if len(input_shape) != 3:
            raise ConfigError(f"resnet20 takes images of shape (channels, height, width), got {input_shape}")
        return ResNet20(width, num_classes, in_channels=int(input_shape[0]))
    raise ConfigError(f"unknown architecture {architecture!r}; expected one of {ARCHITECTURES}")


def prunable_parameters(model: nn.Module, prune_output: bool = True) -> list[tuple[nn.Module, str]]:
    """The ``(module, "weight")`` pairs pruning may zero: the weight of every
    Linear and Conv layer, in module order, the read-out layer ``model.output``
    only when ``prune_output``. Biases and batch-norm parameters are never
    pruned (module docstring)."""
    output = getattr(model, "output", None)
    return [
        (module, "weight")
        for module in model.modules()
        if isinstance(module, (nn.Linear, nn.Conv1d, nn.Conv2d)) and (prune_output or module is not output)
    ]


def _effective_weight(module: nn.Module, name: str) -> torch.Tensor:
    # After torch.nn.utils.prune, ``module.weight`` is recomputed from
    # ``weight_orig * weight_mask`` by a forward pre-hook; read the product
    # directly so the value is current even between optimizer steps.
    mask = getattr(module, name + "_mask", None)
    if mask is None:
        return getattr(module, name)
    return getattr(module, name + "_orig") * mask


def prunable_count(model: nn.Module, prune_output: bool = True) -> int:
    """Number of prunable weights, pruned or not."""
    return sum(_effective_weight(m, n).numel() for m, n in prunable_parameters(model, prune_output))


def trainable_count(model: nn.Module) -> int:
    """Number of trainable parameters of the dense network (the budget's unit):
    every weight, bias and batch-norm parameter (``weight_orig`` counted once)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def nonzero_count(model: nn.Module, prune_output: bool = True) -> int:
    """Number of nonzero prunable weights, as the network computes with them
    (``weight_orig * weight_mask`` for pruned layers)."""
    with torch.no_grad():
        return sum(
            int(torch.count_nonzero(_effective_weight(m, n))) for m, n in prunable_parameters(model, prune_output)
        )


def budget(
    architecture: str, base_width: int, input_shape: tuple[int, ...], num_classes: int, hidden_bias: bool = True
) -> int:
    """The budget of base width k0: the trainable-parameter count of the dense
    network of width k0, biases included (docs/theory.md#claims, C7; the paper's Sec. 3.3)."""
    with torch.random.fork_rng(devices=[]):
        return trainable_count(build_model(architecture, base_width, input_shape, num_classes, hidden_bias))


def prunable_budget(model: nn.Module, total_budget: int, prune_output: bool = True) -> int:
    """Prunable weights a pruned ``model`` may keep so that its trainable count
    (kept prunable weights + every dense trainable tensor) equals ``total_budget``:
    ``total_budget - (trainable_count - prunable_count)``. May be < 1 (the dense
    tensors alone exceed the budget: the width cannot meet it)."""
    return int(total_budget) - (trainable_count(model) - prunable_count(model, prune_output))
