"""Data sets for the neural-network experiments (docs/theory.md#claims, C7).

* ``mnist1d`` (default): generated procedurally and offline with
  ``mnist1d.data.make_dataset``. That function reseeds the *global* numpy and
  ``random`` generators; :func:`load_mnist1d` saves and restores both states,
  so calling it leaves the caller's random streams untouched.
* ``mnist``: the IDX files of LeCun's MNIST (``train-images-idx3-ubyte``,
  ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte``,
  ``t10k-labels-idx1-ubyte``, each optionally ``.gz``) in a directory the user
  gives; nothing is downloaded.
* ``cifar10``: CIFAR-10 from a local copy in a directory the user gives:
  the "binary version" (``data_batch_1.bin`` .. ``data_batch_5.bin``,
  ``test_batch.bin``; records of one label byte and 3072 pixel bytes, in the
  directory or its ``cifar-10-batches-bin`` sub-directory) or the "python
  version" pickle batches (``data_batch_1`` .. ``test_batch``, or
  ``cifar-10-batches-py``); nothing is downloaded.
* ``digits``: scikit-learn's 8x8 handwritten digits (``load_digits``, 1797
  images shipped with the package), pixels scaled to [0, 1]; each draw splits
  them by a seeded permutation into 1200 training-pool and 597 test images.

Every loader returns a :class:`Dataset` of numpy arrays (float32 inputs,
int64 labels). Optional symmetric label noise (:func:`with_label_noise`)
replaces a seeded fraction of *training* labels by a uniformly drawn
*different* class; test labels stay clean.
"""

from __future__ import annotations

import gzip
import pickle
import random
import struct
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from dctheory.errors import ConfigError

DATASETS = ("mnist1d", "mnist", "cifar10", "digits")

#: images of the digits data set that form the training pool (the rest: test)
DIGITS_TRAIN_POOL = 1200


@dataclass(frozen=True)
class Dataset:
    """Train and test arrays. ``x_*``: float32 of shape (n, *input_shape);
    ``y_*``: int64 labels in ``[0, num_classes)``."""

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    num_classes: int
    x_val: np.ndarray | None = None
    y_val: np.ndarray | None = None

    @property
    def input_shape(self) -> tuple[int, ...]:
        return tuple(self.x_train.shape[1:])


def load_mnist1d(num_samples: int = 5000, train_split: float = 0.8, seed: int = 42) -> Dataset:
    """MNIST-1D (Greydanus 2020) made by ``mnist1d.data.make_dataset`` with its
    default transformation parameters, ``num_samples`` signals of length 40,
    the first ``train_split`` of them for training. Deterministic in ``seed``;
    the global numpy and ``random`` states are restored afterwards."""
    if num_samples < 20:
        raise ConfigError(f"num_samples must be >= 20 (two per class), got {num_samples}")
    if not 0.0 < train_split < 1.0:
        raise ConfigError(f"train_split must be in (0, 1), got {train_split}")
    try:
        from mnist1d.data import get_dataset_args, make_dataset
    except ImportError as error:  # the optional ``nn`` extra
        raise ConfigError("the mnist1d data set needs the 'mnist1d' package (pip install 'dctheory[nn]')") from error
    args = get_dataset_args()
    args.num_samples, args.train_split, args.seed = int(num_samples), float(train_split), int(seed)
    # mnist1d draws from numpy's global generator: its state is saved and restored around the call.
    numpy_state, python_state = np.random.get_state(), random.getstate()  # noqa: NPY002
    try:
        raw = make_dataset(args)
    finally:
        np.random.set_state(numpy_state)  # noqa: NPY002
        random.setstate(python_state)
    return Dataset(
        name="mnist1d",
        x_train=np.asarray(raw["x"], dtype=np.float32),
        y_train=np.asarray(raw["y"], dtype=np.int64),
        x_test=np.asarray(raw["x_test"], dtype=np.float32),
        y_test=np.asarray(raw["y_test"], dtype=np.int64),
        num_classes=10,
    )


def _existing_directory(directory: str | Path | None, dataset: str) -> Path:
    if directory is None:
        raise ConfigError(f"the {dataset} data set needs data_dir, a local directory holding its files")
    path = Path(directory).expanduser()
    if not path.is_dir():
        raise ConfigError(f"data_dir {str(path)!r} for {dataset} is not an existing directory")
    return path


def read_idx(path: str | Path) -> np.ndarray:
    """An IDX file (LeCun's format; gzipped when the name ends in ``.gz``):
    big-endian magic ``0x0000 TT DD`` with type ``TT = 0x08`` (unsigned byte)
    and ``DD`` dimensions, then ``DD`` big-endian uint32 sizes, then the data."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as handle:
        content = handle.read()
    if len(content) < 4:
        raise ConfigError(f"{str(path)!r} is not an IDX file (shorter than its 4-byte magic)")
    zero, dtype_code, ndim = struct.unpack(">HBB", content[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ConfigError(f"{str(path)!r} is not an unsigned-byte IDX file (magic {content[:4].hex()})")
    shape = struct.unpack(f">{ndim}I", content[4 : 4 + 4 * ndim])
    data = np.frombuffer(content, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ConfigError(f"{str(path)!r}: header says shape {shape} but holds {data.size} values")
    return data.reshape(shape)


def _find_idx(directory: Path, stem: str) -> Path:
    for candidate in (directory / stem, directory / (stem + ".gz")):
        if candidate.is_file():
            return candidate
    raise ConfigError(f"MNIST file {stem!r} (or {stem}.gz) not found in {str(directory)!r}")


def load_mnist(data_dir: str | Path | None) -> Dataset:
    """MNIST from the four IDX files in ``data_dir``; pixels scaled to [0, 1],
    images of shape (28, 28) (or whatever the files hold)."""
    directory = _existing_directory(data_dir, "mnist")
    arrays = {
        stem: read_idx(_find_idx(directory, stem))
        for stem in (
            "train-images-idx3-ubyte",
            "train-labels-idx1-ubyte",
            "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte",
        )
    }
    for split in ("train", "t10k"):
        if arrays[f"{split}-images-idx3-ubyte"].shape[0] != arrays[f"{split}-labels-idx1-ubyte"].shape[0]:
            raise ConfigError(f"MNIST {split}: image and label files hold different numbers of samples")
    return Dataset(
        name="mnist",
        x_train=arrays["train-images-idx3-ubyte"].astype(np.float32) / 255.0,
        y_train=arrays["train-labels-idx1-ubyte"].astype(np.int64),
        x_test=arrays["t10k-images-idx3-ubyte"].astype(np.float32) / 255.0,
        y_test=arrays["t10k-labels-idx1-ubyte"].astype(np.int64),
        num_classes=10,
    )


def _read_cifar_batch(path: Path) -> tuple[np.ndarray, np.ndarray]:
    if not path.is_file():
        raise ConfigError(f"CIFAR-10 batch {path.name!r} not found in {str(path.parent)!r}")
    with open(path, "rb") as handle:
        batch = pickle.load(handle, encoding="bytes")
    data = np.asarray(batch[b"data"], dtype=np.uint8)
    labels = np.asarray(batch[b"labels"], dtype=np.int64)
    if data.ndim != 2 or data.shape[1] != 3072 or data.shape[0] != labels.shape[0]:
        raise ConfigError(
            f"{str(path)!r}: expected data of shape (n, 3072) and n labels, got {data.shape}, {labels.shape}"
        )
    return data.reshape(-1, 3, 32, 32), labels


def _read_cifar_binary(path: Path) -> tuple[np.ndarray, np.ndarray]:
    if not path.is_file():
        raise ConfigError(f"CIFAR-10 batch {path.name!r} not found in {str(path.parent)!r}")
    content = np.fromfile(path, dtype=np.uint8)
    if content.size == 0 or content.size % 3073:
        raise ConfigError(
            f"{str(path)!r}: a CIFAR-10 binary batch holds records of 3073 bytes, got {content.size} bytes"
        )
    records = content.reshape(-1, 3073)
    labels = records[:, 0].astype(np.int64)
    if labels.max() > 9:
        raise ConfigError(f"{str(path)!r}: labels must be in [0, 9], got {int(labels.max())}")
    return records[:, 1:].reshape(-1, 3, 32, 32), labels


def load_cifar10(data_dir: str | Path | None) -> Dataset:
    """CIFAR-10 from a local copy of its binary or python batches (module
    docstring); pixels scaled to [0, 1], images of shape (3, 32, 32) in
    channel-first order (the files' own layout)."""
    directory = _existing_directory(data_dir, "cifar10")
    for sub in ("cifar-10-batches-bin", "cifar-10-batches-py"):
        if (directory / sub).is_dir():
            directory = directory / sub
            break
    if (directory / "data_batch_1.bin").is_file() or (directory / "test_batch.bin").is_file():
        train = [_read_cifar_binary(directory / f"data_batch_{index}.bin") for index in range(1, 6)]
        x_test, y_test = _read_cifar_binary(directory / "test_batch.bin")
    else:
        train = [_read_cifar_batch(directory / f"data_batch_{index}") for index in range(1, 6)]
        x_test, y_test = _read_cifar_batch(directory / "test_batch")
    return Dataset(
        name="cifar10",
        x_train=np.concatenate([x for x, _ in train]).astype(np.float32) / 255.0,
        y_train=np.concatenate([y for _, y in train]),
        x_test=x_test.astype(np.float32) / 255.0,
        y_test=y_test,
        num_classes=10,
    )


def load_digits(seed: int = 0) -> Dataset:
    """scikit-learn's 8x8 digits (1797 images, 64 features scaled to [0, 1]):
    a permutation drawn from ``numpy.random.default_rng(seed)`` puts
    :data:`DIGITS_TRAIN_POOL` images in the training pool, the rest in the test set."""
    try:
        from sklearn.datasets import load_digits as sklearn_digits
    except ImportError as error:
        raise ConfigError("the digits data set needs scikit-learn (pip install scikit-learn)") from error
    raw = sklearn_digits()
    x = np.asarray(raw.data, dtype=np.float32) / 16.0
    y = np.asarray(raw.target, dtype=np.int64)
    order = np.random.default_rng(seed).permutation(y.size)
    train, test = order[:DIGITS_TRAIN_POOL], order[DIGITS_TRAIN_POOL:]
    return Dataset(name="digits", x_train=x[train], y_train=y[train], x_test=x[test], y_test=y[test], num_classes=10)


def with_label_noise(dataset: Dataset, fraction: float, seed: int) -> Dataset:
    """A copy of ``dataset`` in which exactly ``round(fraction * n_train)``
    training labels, chosen uniformly without replacement, are replaced by a
    uniformly drawn different class (``numpy.random.default_rng(seed)``)."""
    if not 0.0 <= fraction <= 1.0:
        raise ConfigError(f"label_noise must be in [0, 1], got {fraction}")
    if fraction == 0.0:
        return dataset
    rng = np.random.default_rng(seed)
    labels = dataset.y_train.copy()
    flipped = rng.choice(labels.size, size=round(fraction * labels.size), replace=False)
    shift = rng.integers(1, dataset.num_classes, size=flipped.size)
    labels[flipped] = (labels[flipped] + shift) % dataset.num_classes
    return replace(dataset, y_train=labels)


def subsample_train(dataset: Dataset, n_train: int | None, seed: int, n_val: int = 0) -> Dataset:
    """Split the training pool by a permutation drawn from
    ``numpy.random.default_rng(seed)``: its first ``n_train`` samples train
    (all but ``n_val`` when None), the next ``n_val`` form the validation split
    (``x_val``, ``y_val``; none when ``n_val`` is 0). Without either, the data
    set is returned unchanged."""
    if n_train is None and n_val == 0:
        return dataset
    pool = dataset.y_train.size
    if n_val < 0 or n_val >= pool:
        raise ConfigError(f"n_val must be in [0, {pool - 1}], got {n_val}")
    n_train = pool - n_val if n_train is None else n_train
    if n_train < 1 or n_train + n_val > pool:
        raise ConfigError(
            f"n_train must be in [1, {pool - n_val}] (training pool {pool} minus n_val {n_val}), got {n_train}"
        )
    order = np.random.default_rng(seed).permutation(pool)
    keep, val = order[:n_train], order[n_train : n_train + n_val]
    extra = dict(x_val=dataset.x_train[val], y_val=dataset.y_train[val]) if n_val else {}
    return replace(dataset, x_train=dataset.x_train[keep], y_train=dataset.y_train[keep], **extra)


def load_dataset(
    name: str,
    data_dir: str | Path | None = None,
    *,
    label_noise: float = 0.0,
    n_train: int | None = None,
    n_val: int = 0,
    seed: int = 0,
    mnist1d_samples: int = 5000,
) -> Dataset:
    """The data set ``name`` (one of :data:`DATASETS`), optionally split into
    ``n_train`` training and ``n_val`` validation samples and with a
    ``label_noise`` fraction of its training labels flipped. ``seed`` decides
    every draw: the MNIST-1D signals themselves (``mnist1d_samples`` of them,
    80% in the training pool), the digits' train/test split, the subsample and
    the flipped labels."""
    if name == "mnist1d":
        dataset = load_mnist1d(num_samples=mnist1d_samples, seed=seed)
    elif name == "mnist":
        dataset = load_mnist(data_dir)
    elif name == "cifar10":
        dataset = load_cifar10(data_dir)
    elif name == "digits":
        dataset = load_digits(seed)
    else:
        raise ConfigError(f"unknown dataset {name!r}; expected one of {DATASETS}")
    dataset = subsample_train(dataset, n_train, seed, n_val)
    return with_label_noise(dataset, label_noise, seed)
