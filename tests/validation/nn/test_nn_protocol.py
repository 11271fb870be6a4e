"""Invariants of train -> prune -> retrain (validation.nn.protocol)."""

import copy

import pytest

torch = pytest.importorskip("torch")

from dctheory.errors import ConfigError  # noqa: E402
from validation.nn.models import build_model, nonzero_count, prunable_count, prunable_parameters  # noqa: E402
from validation.nn.protocol import (  # noqa: E402
    ProtocolConfig,
    prune_to_budget,
    rewind,
    run_width,
    train,
)

pytestmark = pytest.mark.nn


def _trained_mlp(width=12, seed=0, epochs=2):
    torch.manual_seed(seed)
    model = build_model("mlp", width, (40,), 10)
    initial = copy.deepcopy(model.state_dict())
    x = torch.randn(64, 40, generator=torch.Generator().manual_seed(seed))
    y = torch.randint(0, 10, (64,), generator=torch.Generator().manual_seed(seed + 1))
    train(model, x, y, lr=1e-2, epochs=epochs, batch_size=16, generator=torch.Generator().manual_seed(2))
    return model, initial, x, y


def _kept_and_pruned_magnitudes(model):
    kept, pruned = [], []
    for module, name in prunable_parameters(model):
        original = getattr(module, name + "_orig").detach().abs()
        mask = getattr(module, name + "_mask").bool()
        kept.append(original[mask])
        pruned.append(original[~mask])
    return torch.cat(kept), torch.cat(pruned)


@pytest.mark.parametrize("n_keep", [1, 100, 371, 599])
def test_magnitude_pruning_keeps_exactly_the_budget_largest(n_keep):
    model, *_ = _trained_mlp()
    assert prunable_count(model) == 600
    prune_to_budget(model, n_keep, "magnitude")
    assert nonzero_count(model) == n_keep
    kept, pruned = _kept_and_pruned_magnitudes(model)
    assert kept.numel() == n_keep
    assert kept.min() >= pruned.max()  # global, not per layer


def test_random_pruning_same_count_different_support():
    magnitude, *_ = _trained_mlp()
    random_a, random_b = copy.deepcopy(magnitude), copy.deepcopy(magnitude)
    prune_to_budget(magnitude, 150, "magnitude")
    prune_to_budget(random_a, 150, "random", generator_seed=1)
    prune_to_budget(random_b, 150, "random", generator_seed=1)
    assert nonzero_count(random_a) == 150
    masks = [torch.cat([m.weight_mask.flatten() for m, _ in prunable_parameters(net)])
             for net in (magnitude, random_a, random_b)]
    assert torch.equal(masks[1], masks[2])  # seeded
    # a uniform 150-subset of 600 shares about 150 * 150/600 = 37.5 with the top-150
    overlap = int((masks[0] * masks[1]).sum())
    assert overlap < 75


def test_mask_stays_fixed_during_retraining():
    model, _, x, y = _trained_mlp()
    prune_to_budget(model, 80, "magnitude")
    masks = [m.weight_mask.clone() for m, _ in prunable_parameters(model)]
    before = [m.weight_orig.detach().clone() for m, _ in prunable_parameters(model)]
    train(model, x, y, lr=5e-2, epochs=3, batch_size=8, generator=torch.Generator().manual_seed(9))
    assert nonzero_count(model) == 80
    for (module, _), mask, old in zip(prunable_parameters(model), masks, before):
        assert torch.equal(module.weight_mask, mask)
        assert torch.all(module.weight[mask == 0] == 0)  # the effective weight used in forward
        new = module.weight_orig.detach()
        assert torch.equal(new[mask == 0], old[mask == 0])  # zero gradient, fresh Adam: untouched
        assert not torch.equal(new[mask == 1], old[mask == 1])  # the kept ones did train


def test_rewind_restores_initial_weights_on_kept_entries():
    model, initial, *_ = _trained_mlp()
    prune_to_budget(model, 90, "magnitude")
    mask = model.hidden.weight_mask.bool()
    assert not torch.equal(model.hidden.weight_orig[mask], initial["hidden.weight"][mask])
    rewind(model, initial)
    assert torch.equal(model.hidden.weight_orig[mask], initial["hidden.weight"][mask])
    assert torch.equal(model.output.bias, initial["output.bias"])
    model(torch.zeros(1, 40))  # the pre-hook recomputes weight = orig * mask
    assert torch.equal(model.hidden.weight, initial["hidden.weight"] * model.hidden.weight_mask)
    assert nonzero_count(model) == 90


def test_prune_rejects_bad_budget_and_method():
    model, *_ = _trained_mlp()
    with pytest.raises(ConfigError, match=r"\[1, 600\].*601"):
        prune_to_budget(model, 601, "magnitude")
    with pytest.raises(ConfigError, match="0"):
        prune_to_budget(model, 0, "magnitude")
    with pytest.raises(ConfigError, match="'snip'"):
        prune_to_budget(model, 10, "snip")


QUICK = dict(widths=(2, 8), base_widths=(2, 4), seeds=(0,), epochs=2, batch_size=32)


def test_run_width_rows_and_budgets(small_mnist1d):
    config = ProtocolConfig(**QUICK)
    rows = run_width(config, small_mnist1d, 8, seed=0)
    dense = [r for r in rows if r["method"] == "dense"]
    assert len(dense) == 1 and dense[0]["nonzeros"] == dense[0]["params"] == 400
    sparse = [r for r in rows if r["method"] != "dense"]
    assert {(r["base_width"], r["method"], r["stage"]) for r in sparse} == {
        (k0, m, s) for k0 in (2, 4) for m in ("magnitude", "random") for s in ("pruned", "retrained")
    }
    for r in sparse:
        assert r["nonzeros"] == r["budget"] == 50 * r["base_width"]
        assert 0.0 <= r["test_error"] <= 1.0
    # a width whose count does not exceed the budget is only trained dense
    narrow = run_width(config, small_mnist1d, 2, seed=0)
    assert [r["method"] for r in narrow] == ["dense"]


def test_run_width_is_deterministic_and_leaves_global_rng(small_mnist1d):
    config = ProtocolConfig(**QUICK)
    state = torch.random.get_rng_state()
    first = run_width(config, small_mnist1d, 8, seed=0)
    assert torch.equal(state, torch.random.get_rng_state())
    assert run_width(config, small_mnist1d, 8, seed=0) == first
    other = run_width(config, small_mnist1d, 8, seed=1)
    assert [r["test_error"] for r in other] != [r["test_error"] for r in first]


def test_finetune_and_rewind_share_pruned_stage(small_mnist1d):
    rewound = run_width(ProtocolConfig(**QUICK), small_mnist1d, 8, seed=0)
    tuned = run_width(ProtocolConfig(**QUICK, retrain="finetune"), small_mnist1d, 8, seed=0)
    stage = lambda rows, s: [r["test_error"] for r in rows if r["stage"] == s]  # noqa: E731
    assert stage(rewound, "pruned") == stage(tuned, "pruned")
    assert stage(rewound, "retrained") != stage(tuned, "retrained")


@pytest.mark.parametrize(
    "override, word",
    [
        (dict(widths=(0, 4)), "0"),
        (dict(widths=(2, 4.5)), "4.5"),
        (dict(base_widths=()), "base_widths"),
        (dict(dataset="svhn"), "'svhn'"),
        (dict(architecture="vgg"), "'vgg'"),
        (dict(retrain="lottery"), "'lottery'"),
        (dict(lr=0.0), "lr"),
        (dict(label_noise=2.0), "label_noise"),
    ],
)
def test_config_rejects_bad_values(override, word):
    with pytest.raises(ConfigError, match=word):
        ProtocolConfig(**override)
