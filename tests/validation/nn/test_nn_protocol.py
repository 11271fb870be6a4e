"""Invariants of train -> prune -> retrain (validation.nn.protocol)."""

import copy

import pytest

torch = pytest.importorskip("torch")

from dctheory.errors import ConfigError  # noqa: E402
from validation.nn.models import build_model, nonzero_count, prunable_count, prunable_parameters  # noqa: E402
from validation.nn.protocol import (  # noqa: E402
    RETRAIN_MODES,
    ProtocolConfig,
    imp_keep_counts,
    lr_schedule,
    prune_to_budget,
    retrain_schedule,
    rewind,
    route_epochs,
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
    masks = [
        torch.cat([m.weight_mask.flatten() for m, _ in prunable_parameters(net)])
        for net in (magnitude, random_a, random_b)
    ]
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
    # default: hidden biases, the read-out layer dense. Width k has 40 k hidden
    # weights (prunable), k hidden biases, 10 k + 10 read-out parameters: the
    # budget of k0 is 51 k0 + 10, and width 8 keeps budget - (8 + 80 + 10) hidden weights
    config = ProtocolConfig(**QUICK)
    rows = run_width(config, small_mnist1d, 8, seed=0)
    dense = [r for r in rows if r["method"] == "dense"]
    assert len(dense) == 1 and dense[0]["nonzeros"] == dense[0]["params"] == 320
    assert dense[0]["trainable"] == 418
    sparse = [r for r in rows if r["method"] != "dense"]
    assert {(r["base_width"], r["method"], r["stage"]) for r in sparse} == {
        (k0, m, s) for k0 in (2, 4) for m in ("magnitude", "random") for s in ("pruned", "retrained")
    }
    for r in sparse:
        assert r["trainable"] == r["budget"] == 51 * r["base_width"] + 10
        assert r["nonzeros"] == r["budget"] - 98
        assert 0.0 <= r["test_error"] <= 1.0
    # a width whose count does not exceed the budget is only trained dense
    narrow = run_width(config, small_mnist1d, 2, seed=0)
    assert [r["method"] for r in narrow] == ["dense"]


def test_budget_without_hidden_biases_and_with_the_read_out_pruned(small_mnist1d):
    # bias-free hidden layer: budget 50 k0 + 10. Read-out dense: width 8 keeps
    # 110 - 90 = 20 hidden weights for k0 = 2; a width whose read-out alone
    # exceeds the budget (k0 = 2: 10 k + 10 >= 110 from k = 10) is not pruned to it
    config = ProtocolConfig(**{**QUICK, "widths": (2, 8, 12)}, hidden_bias=False)
    rows = run_width(config, small_mnist1d, 8, seed=0)
    assert {(r["base_width"], r["budget"], r["nonzeros"]) for r in rows if r["method"] == "magnitude"} == {
        (2, 110, 20),
        (4, 210, 120),
    }
    wide = run_width(config, small_mnist1d, 12, seed=0)
    assert {r["base_width"] for r in wide if r["method"] == "magnitude"} == {4}
    # read-out pruned: every width counts 50 k + 10, so 50 k0 weights are kept
    pruned_out = run_width(ProtocolConfig(**QUICK, hidden_bias=False, prune_output=True), small_mnist1d, 8, seed=0)
    assert {(r["base_width"], r["nonzeros"], r["trainable"]) for r in pruned_out if r["method"] == "random"} == {
        (2, 100, 110),
        (4, 200, 210),
    }


def test_the_read_out_layer_stays_dense_by_default():
    torch.manual_seed(0)
    model = build_model("mlp", 12, (40,), 10)
    read_out = model.output.weight.detach().clone()
    prune_to_budget(model, 50, "magnitude", prune_output=False)
    assert not hasattr(model.output, "weight_mask") and torch.equal(model.output.weight, read_out)
    assert nonzero_count(model, prune_output=False) == 50 and prunable_count(model, prune_output=False) == 480


def test_schedules_of_the_retraining_modes():
    config = ProtocolConfig(lr=0.01, epochs=8, lr_decay_at=0.75, lr_decay=0.1, rewind_epoch=2, retrain_epochs=5)
    assert lr_schedule(config) == pytest.approx([0.01] * 6 + [0.001] * 2)
    assert retrain_schedule(config, "finetune") == pytest.approx([0.001] * 5)
    assert retrain_schedule(config, "lr_rewind") == retrain_schedule(config, "reset") == lr_schedule(config)
    assert retrain_schedule(config, "weight_rewind") == pytest.approx([0.01] * 4 + [0.001] * 2)
    assert route_epochs(config) == 16 and route_epochs(config, ("finetune",)) == 13
    assert lr_schedule(config, 0.03, 16) == pytest.approx([0.03] * 12 + [0.003] * 4)
    with pytest.raises(ConfigError, match="rewind_epoch"):
        retrain_schedule(ProtocolConfig(epochs=2, rewind_epoch=2), "weight_rewind")


def test_iterative_keep_counts_are_geometric_and_end_at_the_budget():
    # 20% per round from 1000 to 100: ceil(log 0.1 / log 0.8) = 11 rounds at rate 1 - 0.1^(1/11) = 18.9%
    counts = imp_keep_counts(1000, 100, 0.2)
    assert len(counts) == 11 and counts[-1] == 100
    assert counts[0] == round(1000 * 0.1 ** (1 / 11)) == 811
    previous = 1000
    for count in counts:
        assert count < previous and count >= 0.8 * previous - 1  # at most 20% (up to rounding) per round
        previous = count
    assert imp_keep_counts(1000, 900, 0.2) == [900]
    with pytest.raises(ConfigError, match="n_keep"):
        imp_keep_counts(100, 100, 0.2)


def test_weight_rewinding_returns_to_the_weights_of_epoch_k():
    _, _, x, y = _trained_mlp(epochs=1)
    torch.manual_seed(4)
    a = build_model("mlp", 6, (40,), 10)
    b = copy.deepcopy(a)
    snapshot = train(
        a,
        x,
        y,
        schedule=[0.01, 0.01, 0.001],
        batch_size=16,
        generator=torch.Generator().manual_seed(1),
        snapshot_epoch=2,
    )
    train(b, x, y, schedule=[0.01, 0.01], batch_size=16, generator=torch.Generator().manual_seed(1))
    for name, value in b.state_dict().items():
        assert torch.equal(snapshot[name], value), name
    assert not torch.equal(a.hidden.weight, b.hidden.weight)


def test_retraining_modes_share_the_pruned_stage(small_mnist1d):
    found = {
        mode: run_width(ProtocolConfig(**QUICK, retrain=mode, rewind_epoch=1), small_mnist1d, 8, seed=0)
        for mode in RETRAIN_MODES
    }
    stage = lambda rows, s: [r["test_error"] for r in rows if r["stage"] == s]  # noqa: E731
    assert all(stage(rows, "pruned") == stage(found["finetune"], "pruned") for rows in found.values())
    retrained = {mode: tuple(stage(rows, "retrained")) for mode, rows in found.items()}
    assert len(set(retrained.values())) == len(RETRAIN_MODES)


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
        (dict(retrain="rewind"), "'rewind'"),
        (dict(retrain="weight_rewind", epochs=3, rewind_epoch=3), "rewind_epoch"),
        (dict(imp_rate=1.0), "imp_rate"),
        (dict(baseline_lrs=(0.01, 0.0)), "baseline_lrs"),
        (dict(lr_decay=0.0), "lr_decay"),
        (dict(label_noise=2.0), "label_noise"),
    ],
)
def test_config_rejects_bad_values(override, word):
    with pytest.raises(ConfigError, match=word):
        ProtocolConfig(**override)
