r"""The symbols that more than one formula module uses, defined once (docs/theory.md's notation).

sympy symbols with the same name and assumptions are equal, so a formula module
that defines its own ``n`` still agrees with this one; defining them here keeps
the names and assumptions from drifting apart.
"""

from __future__ import annotations

import sympy as sp

# -- finite size (docs/theory.md#finite-size, #thresholded-risk, #retraining) ---------------------------------
i = sp.Idx("i")  # a coordinate of the trained set D
m = sp.Symbol("m", positive=True, integer=True)  # trained features |D|
n = sp.Symbol("n", positive=True)  # sample size
xi = sp.Symbol("xi", positive=True)  # effective inverse regularization
tau = sp.Symbol("tau", positive=True)
tau2 = sp.Symbol("tau^2", positive=True)
sigma = sp.Symbol("sigma", nonnegative=True)  # label noise
sigma_D = sp.Symbol("sigma_D", nonnegative=True)  # effective noise: sigma and the features outside D
ridge = sp.Symbol("lambda_r", nonnegative=True)  # ridge strength (0: min-norm interpolation)
lam = sp.IndexedBase("lambda", nonnegative=True)  # eigenvalues of Sigma_DD
lam_s = sp.Symbol("lambda_i", positive=True)  # a single eigenvalue
b = sp.IndexedBase("b", real=True)  # rotated effective coefficients U^T beta_D
keep = sp.IndexedBase("eta", nonnegative=True)  # keep probabilities eta_i of a pruning rule (pi is 3.14159 only)

# -- the asymptotic law (docs/theory.md#asymptotic): atoms (Lam_k, B_k) with probabilities p_k ------
k = sp.Idx("k")
K = sp.Symbol("K", positive=True, integer=True)
kappa = sp.Symbol("kappa", positive=True)  # P / n
Lam = sp.IndexedBase("Lambda", nonnegative=True)
B = sp.IndexedBase("B", real=True)
p = sp.IndexedBase("p", nonnegative=True)
