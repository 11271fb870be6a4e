"""Loaders on files in the true formats, written here; label noise; MNIST-1D
isolation of the global random generators (validation.nn.data)."""

import gzip
import pickle
import random
import struct

import numpy as np
import pytest

from dctheory.errors import ConfigError
from validation.nn.data import (
    Dataset,
    load_cifar10,
    load_dataset,
    load_mnist,
    read_idx,
    subsample_train,
    with_label_noise,
)


def _write_idx(path, array, gz):
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + array.astype(np.uint8).tobytes()
    if gz:
        with gzip.open(str(path) + ".gz", "wb") as handle:
            handle.write(payload)
    else:
        path.write_bytes(payload)


@pytest.fixture
def mnist_dir(tmp_path):
    rng = np.random.default_rng(0)
    arrays = {
        "train-images-idx3-ubyte": rng.integers(0, 256, size=(7, 28, 28)),
        "train-labels-idx1-ubyte": rng.integers(0, 10, size=7),
        "t10k-images-idx3-ubyte": rng.integers(0, 256, size=(3, 28, 28)),
        "t10k-labels-idx1-ubyte": rng.integers(0, 10, size=3),
    }
    # mixed: two files gzipped, two raw, as a user's directory might be
    for index, (stem, array) in enumerate(arrays.items()):
        _write_idx(tmp_path / stem, array, gz=index % 2 == 0)
    return tmp_path, arrays


def test_mnist_idx_roundtrip(mnist_dir):
    directory, arrays = mnist_dir
    data = load_mnist(directory)
    np.testing.assert_array_equal(data.y_train, arrays["train-labels-idx1-ubyte"])
    np.testing.assert_array_equal(data.y_test, arrays["t10k-labels-idx1-ubyte"])
    np.testing.assert_allclose(data.x_train * 255.0, arrays["train-images-idx3-ubyte"], atol=1e-4)
    assert data.x_test.shape == (3, 28, 28) and data.x_train.dtype == np.float32
    assert data.input_shape == (28, 28) and data.num_classes == 10


def test_idx_rejects_wrong_magic_and_truncation(tmp_path):
    bad = tmp_path / "bad"
    bad.write_bytes(struct.pack(">HBB", 0, 0x0D, 1) + struct.pack(">I", 2) + b"\x00" * 8)
    with pytest.raises(ConfigError, match="magic 00000d01"):
        read_idx(bad)
    short = tmp_path / "short"
    short.write_bytes(struct.pack(">HBB", 0, 0x08, 1) + struct.pack(">I", 5) + b"\x01\x02")
    with pytest.raises(ConfigError, match=r"\(5,\) but holds 2"):
        read_idx(short)


def test_mnist_missing_file_and_directory(mnist_dir, tmp_path):
    directory, _ = mnist_dir
    (directory / "t10k-labels-idx1-ubyte").unlink()
    with pytest.raises(ConfigError, match="t10k-labels-idx1-ubyte"):
        load_mnist(directory)
    with pytest.raises(ConfigError, match="nowhere"):
        load_mnist(tmp_path / "nowhere")
    with pytest.raises(ConfigError, match="data_dir"):
        load_mnist(None)


def _write_cifar(directory, rng, n):
    batches = {}
    for name in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
        batch = {
            b"batch_label": name.encode(),
            b"labels": list(rng.integers(0, 10, size=n).tolist()),
            b"data": rng.integers(0, 256, size=(n, 3072), dtype=np.uint8),
            b"filenames": [f"{i}.png".encode() for i in range(n)],
        }
        with open(directory / name, "wb") as handle:
            pickle.dump(batch, handle, protocol=2)
        batches[name] = batch
    return batches


def test_cifar10_pickle_batches(tmp_path):
    directory = tmp_path / "cifar-10-batches-py"
    directory.mkdir()
    batches = _write_cifar(directory, np.random.default_rng(1), n=4)
    data = load_cifar10(tmp_path)  # the parent directory is accepted too
    assert data.x_train.shape == (20, 3, 32, 32) and data.x_test.shape == (4, 3, 32, 32)
    # row layout: 1024 red, then green, then blue values, each row-major 32x32
    raw = batches["data_batch_2"][b"data"]
    sample, channel, row, col = 1, 2, 5, 7
    expected = raw[sample, channel * 1024 + row * 32 + col] / 255.0
    assert data.x_train[4 + sample, channel, row, col] == pytest.approx(expected)
    np.testing.assert_array_equal(data.y_test, batches["test_batch"][b"labels"])
    np.testing.assert_array_equal(data.y_train[8:12], batches["data_batch_3"][b"labels"])


def test_cifar10_missing_batch(tmp_path):
    _write_cifar(tmp_path, np.random.default_rng(2), n=2)
    (tmp_path / "data_batch_4").unlink()
    with pytest.raises(ConfigError, match="data_batch_4"):
        load_cifar10(tmp_path)


def _toy(n=1000, classes=10):
    rng = np.random.default_rng(5)
    return Dataset(
        name="toy",
        x_train=rng.normal(size=(n, 3)).astype(np.float32),
        y_train=rng.integers(0, classes, size=n),
        x_test=np.zeros((4, 3), np.float32),
        y_test=np.arange(4),
        num_classes=classes,
    )


def test_label_noise_flips_exact_fraction_to_other_classes():
    data = _toy()
    noisy = with_label_noise(data, 0.2, seed=11)
    changed = noisy.y_train != data.y_train
    assert changed.sum() == 200  # every chosen label moves to a different class
    assert noisy.y_train.min() >= 0 and noisy.y_train.max() < 10
    np.testing.assert_array_equal(noisy.y_test, data.y_test)
    np.testing.assert_array_equal(with_label_noise(data, 0.2, seed=11).y_train, noisy.y_train)
    assert (with_label_noise(data, 0.2, seed=12).y_train != noisy.y_train).any()
    # the new class is uniform over the 9 others: each shift 1..9 about 200/9 times
    shifts = (noisy.y_train[changed] - data.y_train[changed]) % 10
    assert set(np.unique(shifts)) == set(range(1, 10))
    with pytest.raises(ConfigError, match=r"1\.5"):
        with_label_noise(data, 1.5, seed=0)


def test_subsample_train():
    data = _toy()
    small = subsample_train(data, 10, seed=0)
    assert small.x_train.shape == (10, 3)
    with pytest.raises(ConfigError, match="1001"):
        subsample_train(data, 1001, seed=0)


def test_unknown_dataset():
    with pytest.raises(ConfigError, match="'imagenet'"):
        load_dataset("imagenet")


@pytest.mark.nn
def test_mnist1d_leaves_global_generators_untouched():
    pytest.importorskip("mnist1d")
    from validation.nn.data import load_mnist1d

    np.random.seed(123)  # noqa: NPY002  (the global generator is what is checked)
    random.seed(456)
    expected_numpy, expected_python = np.random.random(3), random.random()  # noqa: NPY002
    np.random.seed(123)  # noqa: NPY002
    random.seed(456)
    first = load_mnist1d(num_samples=100, seed=7)
    np.testing.assert_array_equal(np.random.random(3), expected_numpy)  # noqa: NPY002
    assert random.random() == expected_python
    second = load_mnist1d(num_samples=100, seed=7)
    np.testing.assert_array_equal(first.x_train, second.x_train)
    assert first.x_train.shape == (80, 40) and first.x_test.shape == (20, 40)
    assert np.bincount(np.concatenate([first.y_train, first.y_test])).tolist() == [10] * 10
    other = load_mnist1d(num_samples=100, seed=8)
    assert not np.array_equal(first.x_train, other.x_train)


def _write_cifar_binary(directory, rng, n):
    """Batches in the CIFAR-10 binary format: n records of 1 label byte + 3072 pixel bytes."""
    records = {}
    for name in [f"data_batch_{i}.bin" for i in range(1, 6)] + ["test_batch.bin"]:
        labels = rng.integers(0, 10, size=n, dtype=np.uint8)
        pixels = rng.integers(0, 256, size=(n, 3072), dtype=np.uint8)
        np.concatenate([labels[:, None], pixels], axis=1).tofile(directory / name)
        records[name] = (labels, pixels)
    return records


def test_cifar10_binary_batches(tmp_path):
    directory = tmp_path / "cifar-10-batches-bin"
    directory.mkdir()
    records = _write_cifar_binary(directory, np.random.default_rng(3), n=3)
    data = load_cifar10(tmp_path)
    assert data.x_train.shape == (15, 3, 32, 32) and data.x_test.shape == (3, 3, 32, 32)
    labels, pixels = records["data_batch_5.bin"]
    sample, channel, row, col = 2, 1, 31, 4
    assert data.x_train[12 + sample, channel, row, col] == pytest.approx(
        pixels[sample, channel * 1024 + row * 32 + col] / 255.0
    )
    np.testing.assert_array_equal(data.y_train[12:15], labels)
    np.testing.assert_array_equal(data.y_test, records["test_batch.bin"][0])
    (directory / "test_batch.bin").write_bytes(b"\x01" * 3000)
    with pytest.raises(ConfigError, match="3073 bytes, got 3000"):
        load_cifar10(directory)


def test_validation_split_is_disjoint_and_seeded():
    data = _toy()
    split = subsample_train(data, 600, seed=4, n_val=300)
    assert split.x_train.shape == (600, 3) and split.x_val.shape == (300, 3)
    rows = {tuple(r) for r in data.x_train}
    train, val = {tuple(r) for r in split.x_train}, {tuple(r) for r in split.x_val}
    assert train | val <= rows and not train & val
    np.testing.assert_array_equal(subsample_train(data, 600, seed=4, n_val=300).x_val, split.x_val)
    with pytest.raises(ConfigError, match=r"n_train must be in \[1, 700\]"):
        subsample_train(data, 701, seed=0, n_val=300)


def test_digits_split_follows_the_seed():
    pytest.importorskip("sklearn")
    first = load_dataset("digits", n_train=1000, n_val=200, seed=1)
    assert first.x_train.shape == (1000, 64) and first.x_val.shape == (200, 64) and first.x_test.shape == (597, 64)
    assert 0.0 <= first.x_train.min() and first.x_train.max() <= 1.0
    again, other = load_dataset("digits", n_train=1000, n_val=200, seed=1), load_dataset("digits", seed=2)
    np.testing.assert_array_equal(first.x_test, again.x_test)
    assert not np.array_equal(first.x_test, other.x_test)


@pytest.mark.nn
def test_load_dataset_data_seed_draws_new_mnist1d_signals():
    pytest.importorskip("mnist1d")
    first = load_dataset("mnist1d", seed=0, mnist1d_samples=200)
    second = load_dataset("mnist1d", seed=1, mnist1d_samples=200)
    assert first.x_train.shape == second.x_train.shape == (160, 40)
    assert not np.array_equal(first.x_train, second.x_train)
    assert not np.array_equal(first.x_test, second.x_test)
    np.testing.assert_array_equal(first.x_test, load_dataset("mnist1d", seed=0, mnist1d_samples=200).x_test)
