"""Imports every experiment module so that each registers itself.

To add experiments from another package, add one import line here.
"""
from validation import experiments_linear  # noqa: F401
from validation import experiments_rf  # noqa: F401
from validation import experiments_rank_one  # noqa: F401
from validation import experiments_ridge  # noqa: F401
from validation import experiments_advise  # noqa: F401
from validation import experiments_theorem1  # noqa: F401
from validation import experiments_finite_size  # noqa: F401
import validation.nn.experiment  # noqa: F401,E402  (the nn experiment; torch is imported lazily)
import validation.nn.rf_experiment  # noqa: F401,E402  (random features on MNIST-1D vs the DC)
