"""Stacked training (validation.nn.batched) against the single-model path
(validation.nn.protocol): same initialisations and batch orders give the same
weights to 1e-6, identical masks and equal error rates."""

import copy

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from dctheory.errors import ConfigError  # noqa: E402
from validation.nn.batched import (  # noqa: E402
    layer_quotas,
    prune_stack,
    stack_error_rates,
    stack_models,
    train_stack,
)
from validation.nn.models import build_model, prunable_parameters  # noqa: E402
from validation.nn.protocol import (  # noqa: E402
    RETRAIN_MODES,
    ProtocolConfig,
    _seed,
    error_rate,
    imp_keep_counts,
    initial_model,
    lr_schedule,
    prune_to_budget,
    route_epochs,
    run_width,
    run_width_batched,
    train,
)

pytestmark = pytest.mark.nn

# Float32 sums in a different order (batched matmuls, grouped convolutions)
# differ by ~1e-7 per step; after the few Adam steps below the weights agree
# far better than this bound.
WEIGHT_TOLERANCE = 1e-6


def _data(seed, n=120, length=40):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(n, length, generator=generator), torch.randint(0, 10, (n,), generator=generator)


def _single_weights(model):
    return {
        f"{index}": (getattr(m, name + "_orig", None) if hasattr(m, name + "_orig") else getattr(m, name))
        for index, (m, name) in enumerate(prunable_parameters(model))
    }


def _single_masks(model):
    return [getattr(m, name + "_mask").detach() for m, name in prunable_parameters(model)]


def _effective(model):
    out = []
    for m, name in prunable_parameters(model):
        mask = getattr(m, name + "_mask", None)
        weight = getattr(m, name + "_orig", getattr(m, name))
        out.append((weight * mask if mask is not None else weight).detach())
    return out


@pytest.mark.parametrize("architecture, width", [("mlp", 24), ("conv1d", 6)])
@pytest.mark.parametrize("scheme", ["global", "layerwise"])
def test_stacked_training_and_pruning_match_single_models(architecture, width, scheme):
    seeds = [3, 11, 29]
    data = [_data(s) for s in (0, 1, 2)]  # each model its own training set
    singles = []
    for seed in seeds:
        torch.manual_seed(seed)
        singles.append(build_model(architecture, width, (40,), 10))
    stack = stack_models([copy.deepcopy(m) for m in singles])
    x = torch.stack([d[0] for d in data])
    y = torch.stack([d[1] for d in data])
    index = torch.arange(3)

    # dense phase: 2 epochs of batches of 25 (the last batch of each epoch holds 20)
    for model, (xs, ys), seed in zip(singles, data, seeds):
        train(model, xs, ys, lr=1e-2, epochs=2, batch_size=25, generator=torch.Generator().manual_seed(seed))
    train_stack(
        stack,
        x,
        y,
        index,
        lr=1e-2,
        epochs=2,
        batch_size=25,
        generators=[torch.Generator().manual_seed(seed) for seed in seeds],
    )
    for m, model in enumerate(singles):
        for name, value in stack.model(m).named_parameters():
            assert torch.max(torch.abs(value - model.get_parameter(name))) < WEIGHT_TOLERANCE, name
    np.testing.assert_array_equal(
        stack_error_rates(stack, x, y, index), [error_rate(model, xs, ys) for model, (xs, ys) in zip(singles, data)]
    )

    # prune by magnitude (models 0, 2) and at random (model 1) to 40% of the weights
    total = sum(w.numel() for w in _effective(singles[0]))
    n_keep, methods, mask_seeds = int(0.4 * total), ["magnitude", "random", "magnitude"], [None, 77, None]
    for model, method, mask_seed in zip(singles, methods, mask_seeds):
        prune_to_budget(model, n_keep, method, generator_seed=mask_seed, scheme=scheme)
    prune_stack(stack, [n_keep] * 3, methods, mask_seeds, schemes=[scheme] * 3)
    for m, model in enumerate(singles):
        stacked = [stack.masks[name][m] for name in stack.prunable_names]
        for single_mask, stacked_mask in zip(_single_masks(model), stacked):
            assert torch.equal(single_mask, stacked_mask)
        assert int(sum(mask.sum() for mask in stacked)) == n_keep

    # fine-tune with the masks fixed
    for model, (xs, ys), seed in zip(singles, data, seeds):
        train(model, xs, ys, lr=1e-2, epochs=1, batch_size=25, generator=torch.Generator().manual_seed(seed + 1))
    train_stack(
        stack,
        x,
        y,
        index,
        lr=1e-2,
        epochs=1,
        batch_size=25,
        generators=[torch.Generator().manual_seed(seed + 1) for seed in seeds],
    )
    for m, model in enumerate(singles):
        stacked = [stack.effective()[name][m] for name in stack.prunable_names]
        for single, batched in zip(_effective(model), stacked):
            assert torch.max(torch.abs(single - batched)) < WEIGHT_TOLERANCE
            assert torch.equal(single == 0, batched == 0)  # pruned entries stay exactly 0
    np.testing.assert_array_equal(
        stack_error_rates(stack, x, y, index), [error_rate(model, xs, ys) for model, (xs, ys) in zip(singles, data)]
    )


def test_run_width_batched_gives_the_rows_of_run_width(small_mnist1d):
    config = ProtocolConfig(widths=(4, 16), base_widths=(4,), epochs=3, batch_size=60, rewind_epoch=1)
    seeds = [5, 8]
    batched = run_width_batched(config, [small_mnist1d, small_mnist1d], 16, seeds, modes=RETRAIN_MODES)
    for mode in RETRAIN_MODES:
        for seed in seeds:
            single = run_width(ProtocolConfig(**{**config.to_dict(), "retrain": mode}), small_mnist1d, 16, seed)
            mine = [
                {k: v for k, v in row.items() if k not in ("mode", "scheme", "layer_nonzeros", "lr", "rounds")}
                for row in batched
                if row["seed"] == seed and row["mode"] in (None, mode)
            ]
            key = lambda row: (row["method"], row["stage"])  # noqa: E731
            assert sorted(mine, key=key) == sorted(single, key=key)


def test_the_fair_baseline_trains_as_long_as_the_pruned_route(small_mnist1d):
    # the dense width-k0 network at each rate of the grid, route_epochs(config)
    # = 3 + 3 epochs of lr_schedule, equals one network trained so by train()
    config = ProtocolConfig(widths=(4, 16), base_widths=(4,), epochs=3, batch_size=60, baseline_lrs=(0.003, 0.03))
    rows = run_width_batched(config, [small_mnist1d], 4, [5], modes=("finetune", "lr_rewind"))
    fair = {r["lr"]: r for r in rows if r["method"] == "dense_fair"}
    assert sorted(fair) == [0.003, 0.03] and route_epochs(config, ("finetune", "lr_rewind")) == 6
    x, y = torch.from_numpy(small_mnist1d.x_train), torch.from_numpy(small_mnist1d.y_train)
    for rate, row in fair.items():
        model = initial_model(config, small_mnist1d, 4, 5)
        train(
            model,
            x,
            y,
            schedule=lr_schedule(config, rate, 6),
            batch_size=60,
            generator=torch.Generator().manual_seed(_seed(5, 0)),
        )
        assert row["train_error"] == error_rate(model, x, y)
        assert row["budget"] == row["trainable"] == 4 * 40 + 4 + 4 * 10 + 10
    assert fair[0.003]["train_error"] != fair[0.03]["train_error"]
    assert not [r for r in run_width_batched(config, [small_mnist1d], 16, [5]) if r["method"] == "dense_fair"]


def test_iterative_pruning_nests_its_masks_and_ends_at_the_budget(small_mnist1d):
    config = ProtocolConfig(widths=(4, 16), base_widths=(4,), epochs=2, batch_size=60, imp_rate=0.5)
    rows = run_width_batched(config, [small_mnist1d], 16, [5])
    imp = [r for r in rows if r["method"] == "imp"]
    one_shot = [r for r in rows if r["method"] == "magnitude"]
    n_keep = one_shot[0]["nonzeros"]
    assert {r["stage"] for r in imp} == {"pruned", "retrained"} and {r["mode"] for r in imp} == {"lr_rewind"}
    assert all(r["nonzeros"] == n_keep and r["trainable"] == r["budget"] for r in imp)
    assert imp[0]["rounds"] == len(imp_keep_counts(640, n_keep, 0.5))
    # nested masks: prune a stack round by round and check each mask inside the previous
    stack = stack_models([initial_model(config, small_mnist1d, 16, 5)], prune_output=False)
    previous = stack.masks["hidden.weight"].clone()
    for count in imp_keep_counts(640, n_keep, 0.5):
        prune_stack(stack, [count], ["magnitude"], [None])
        mask = stack.masks["hidden.weight"]
        assert int(mask.sum()) == count and bool(torch.all(mask <= previous))
        previous = mask.clone()


def test_layer_quotas_add_up_and_follow_the_sizes():
    sizes = [40, 480, 1600, 3072]
    for n_keep in (4, 100, 519, 2000, len(sizes) + 1, sum(sizes)):
        quotas = layer_quotas(sizes, n_keep)
        assert sum(quotas) == n_keep
        assert all(1 <= q <= s for q, s in zip(quotas, sizes))
        if n_keep * min(sizes) >= sum(sizes):  # every exact share >= 1: rounding moves each by < 1
            assert all(abs(q - n_keep * s / sum(sizes)) < 1 for q, s in zip(quotas, sizes))
    with pytest.raises(ConfigError, match=r"\[4, 5192\]"):
        layer_quotas(sizes, 3)


def test_global_pruning_starves_the_conv1d_read_out_and_layerwise_does_not():
    # Conv1D of width 32 pruned to the budget of width 8 (824 of 7904 weights,
    # 10% density): at initialisation the read-out weights (fan-in 160) are
    # smaller than the convolutions', so global magnitude pruning keeps far
    # fewer than 10% of them; layer-wise keeps each layer's share.
    torch.manual_seed(0)
    model = build_model("conv1d", 32, (40,), 10)
    stack = stack_models([model, copy.deepcopy(model)])
    prune_stack(stack, [824, 824], ["magnitude", "magnitude"], [None, None], schemes=["global", "layerwise"])
    read_out = stack.masks["output.weight"].flatten(1).sum(dim=1)
    assert stack.masks["output.weight"].shape[1:] == (10, 160)
    assert read_out[1] == layer_quotas([160, 3072, 3072, 1600], 824)[3] == 167
    assert read_out[0] < 0.5 * read_out[1]


def test_stacking_refuses_batch_norm_and_mismatched_generators():
    with pytest.raises(ConfigError, match="batch norm"):
        stack_models([build_model("resnet20", 1, (3, 8, 8), 10)])
    stack = stack_models([build_model("mlp", 3, (40,), 10)])
    x, y = _data(0)
    with pytest.raises(ConfigError, match="one generator"):
        train_stack(
            stack, x[None], y[None], torch.zeros(1, dtype=torch.long), lr=1e-2, epochs=1, batch_size=10, generators=[]
        )
