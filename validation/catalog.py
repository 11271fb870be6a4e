"""Imports every experiment module so that each registers itself.

To add experiments from another package, add one import line here.
"""
import validation.nn.experiment  # noqa: F401  (the nn experiment; torch is imported lazily)
