"""Shared fixtures of the nn tests: a small MNIST-1D made once per session,
and one torch thread per test (three engineers share two cores)."""

import pytest


@pytest.fixture(scope="session")
def small_mnist1d():
    pytest.importorskip("torch")
    pytest.importorskip("mnist1d")
    from validation.nn.data import load_mnist1d

    return load_mnist1d(num_samples=300, train_split=0.8, seed=3)


@pytest.fixture(autouse=True)
def _one_torch_thread():
    try:
        import torch
    except ImportError:
        yield
        return
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)
