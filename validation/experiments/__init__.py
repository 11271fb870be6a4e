"""The validation experiments, one module per family.

* :mod:`.linear`: Figs. 3 and 7 (risk vs m on Gaussian LGPs), the Toeplitz and
  randomly rotated covariances (DC sampling): fig3a, fig3b, fig7a, fig7b,
  toeplitz, rotation.
* :mod:`.ridge`: pruning after ridge regression: ridge.
* :mod:`.rank_one`: Lemma 1's rank-one excess risk: lemma1.
* :mod:`.random_features`: Figs. 2 and 4 on Gaussian inputs and the MNIST-1D
  random-features network: fig2, fig4, nn_rf.
* :mod:`.advise`: the advice of ``dctheory.advise`` checked by simulation: advise.
* :mod:`.theorem1`: Theorem 1's convergence rate: theorem1.
* :mod:`.finite_size`: the finite-size correction's coefficients: finite_size.
* :mod:`.universality`: the Gaussian theory against non-Gaussian designs: universality.
* :mod:`.iterative`: pruning in rounds with fresh retraining against its prediction: iterative.

Each module registers its experiments when imported; :mod:`validation.catalog`
imports them all. Importing this package imports none of them.
"""
