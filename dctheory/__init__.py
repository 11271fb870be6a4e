"""dctheory: the distributional characterization (DC) of min-norm regression and pruning."""

__version__ = "0.1.0"
