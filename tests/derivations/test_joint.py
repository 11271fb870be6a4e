"""Joints: pointwise formulas compiled into one function (derivations.registry.Joint). Each joint's values are the
bits of its members' own generated functions, on both backends, across each argument's range."""

import math

import numpy as np
import pytest

from dctheory import _formulas
from dctheory._compiled import compiled, joint
from dctheory.errors import ConfigError
from derivations.printing import joint_plan
from derivations.registry import Joint, joints

# Each argument's range: wide enough for both branches of the Gaussian tail, densities that underflow, and
# shrinkage factors from 1e-12 to 1 - 1e-12.
_RANGES = {"tbar_i": (0.0, 45.0), "mubar_i": (-45.0, 45.0), "xi": (1e-6, 1e6), "lambda_i": (1e-6, 1e6)}


def _arguments(j, size, rng):
    out = []
    for name in _formulas.JOINTS[j.name]["arg_names"]:
        low, high = _RANGES[name]
        draw = rng.uniform(low, high, size) if low <= 0 else np.exp(rng.uniform(math.log(low), math.log(high), size))
        out.append(np.concatenate([draw, [low, high, 0.5 * (low + high)]]))
    return out


def test_generated_joints_are_the_registered_ones():
    assert list(_formulas.JOINTS) == [j.name for j in joints()]
    for j in joints():
        assert _formulas.JOINTS[j.name]["members"] == j.members


@pytest.mark.parametrize("name", [j.name for j in joints()])
def test_exactness_joint_values_are_the_bits_of_its_members(name):
    j = next(j for j in joints() if j.name == name)
    args = _arguments(j, 4000, np.random.default_rng(7))
    together = joint(name, "numpy")(*args)
    assert len(together) == len(j.members)
    for member, value in zip(j.members, together):
        np.testing.assert_array_equal(value, compiled(member, "numpy")(*args), err_msg=member)
    fused = joint(name, "math")
    separate = [compiled(member, "math") for member in j.members]
    for row in zip(*(a.tolist() for a in args)):
        assert fused(*row) == tuple(f(*row) for f in separate), row


def test_contract_a_joint_takes_pointwise_members_with_the_same_arguments():
    with pytest.raises(ValueError, match="has a sum or other arguments"):
        joint_plan(Joint("mixed", ("shrinkage", "ridge_equation"), "a sum among pointwise formulas"))
    with pytest.raises(ValueError, match="has a sum or other arguments"):
        joint_plan(Joint("unlike", ("shrinkage", "standardized_keep_probability"), "other arguments"))
    with pytest.raises(ConfigError, match="unknown joint 'nothing'"):
        joint("nothing")
    with pytest.raises(ValueError, match="'numpy' or 'math'"):
        joint("shrinkage_terms", "mpmath")
