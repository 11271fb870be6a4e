"""Neural-network pruning experiments (docs/theory.md#claims, claim C7).

Width sweeps of train -> prune -> retrain at fixed budgets of nonzero weights
(the paper's Figs. 1, 5, 6): :mod:`.models` (networks and the budget's unit),
:mod:`.data` (MNIST-1D, MNIST, CIFAR-10, label noise), :mod:`.protocol` (the
sweep itself). Needs the optional ``nn`` extra (torch, mnist1d); importing this
package alone does not import torch.
"""
