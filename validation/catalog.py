"""Imports every experiment module so that each registers itself.

To add experiments from another package, add one import line here.
"""
