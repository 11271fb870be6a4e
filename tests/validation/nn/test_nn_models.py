"""Contracts and exact counts of the networks (validation.nn.models)."""

import pytest

torch = pytest.importorskip("torch")

from dctheory.errors import ConfigError  # noqa: E402
from validation.nn.models import (  # noqa: E402
    budget,
    build_model,
    nonzero_count,
    prunable_count,
    prunable_parameters,
)

pytestmark = pytest.mark.nn


@pytest.mark.parametrize("width", [1, 3, 17])
def test_mlp_counts_weights_not_biases(width):
    model = build_model("mlp", width, (40,), 10)
    assert prunable_count(model) == width * (40 + 10)
    everything = sum(p.numel() for p in model.parameters())
    assert everything - prunable_count(model) == width + 10  # the biases


@pytest.mark.parametrize("width", [1, 2, 3, 16])
def test_resnet20_count_closed_form(width):
    # stem 27k; stage 1: six 3x3 k->k convs; stage 2: 9*k*2k + 5*9*(2k)^2 + a
    # 1x1 projection k*2k; stage 3 likewise with 2k -> 4k; classifier 4k*10.
    # Sum: 1054 k^2 + 67 k (270,896 at k = 16: the usual "0.27M" ResNet-20).
    model = build_model("resnet20", width, (3, 32, 32), 10)
    assert prunable_count(model) == 1054 * width**2 + 67 * width
    assert len(prunable_parameters(model)) == 1 + 18 + 2 + 1  # convs, projections, linear


@pytest.mark.parametrize("width", [1, 4])
def test_conv1d_count_closed_form(width):
    # lengths 40 -> 19 -> 10 -> 5; weights 5k + 3k^2 + 3k^2 + 10 * 5k
    model = build_model("conv1d", width, (40,), 10)
    assert prunable_count(model) == 6 * width**2 + 55 * width


@pytest.mark.parametrize(
    "architecture, shape", [("mlp", (40,)), ("conv1d", (40,)), ("resnet20", (3, 32, 32)), ("mlp", (1, 28, 28))]
)
def test_forward_shapes(architecture, shape):
    model = build_model(architecture, 2, shape, 10)
    out = model(torch.zeros(5, *shape))
    assert tuple(out.shape) == (5, 10)
    assert nonzero_count(model) <= prunable_count(model)


def test_budget_is_count_of_base_width_and_leaves_global_rng():
    state = torch.random.get_rng_state()
    # every trainable parameter: 8 x 40 + 8 hidden, 10 x 8 + 10 read-out
    assert budget("mlp", 8, (40,), 10) == 418
    assert budget("mlp", 8, (40,), 10, hidden_bias=False) == 410
    assert torch.equal(state, torch.random.get_rng_state())


@pytest.mark.parametrize("width", [0, -2, 1.5, True])
def test_bad_width_names_value(width):
    with pytest.raises(ConfigError, match="width"):
        build_model("mlp", width, (40,), 10)


def test_unknown_architecture_and_bad_shapes():
    with pytest.raises(ConfigError, match="'vgg'"):
        build_model("vgg", 4, (40,), 10)
    with pytest.raises(ConfigError, match="resnet20"):
        build_model("resnet20", 4, (40,), 10)
    with pytest.raises(ConfigError, match="conv1d"):
        build_model("conv1d", 4, (3, 32, 32), 10)
