r"""ReLU random features and the equivalent linear Gaussian problem (docs/theory.md#random-features).

x ~ N(0, I_d), psi_i(x) = ReLU(w_i^T x), y = (x^T beta*)^2 + sigma_y z with ||beta*|| = 1.
Each moment is a Gaussian integral over the 2-dimensional span of the vectors
involved, computed here by sympy: Sigma_ij (degree-1 arc-cosine kernel, in
polar coordinates), E[psi_i y] and E[y^2].
"""

from __future__ import annotations

import sympy as sp

from derivations.gaussian import normal_pdf
from derivations.registry import Formula, check_identity, register

r_i, r_j = sp.symbols("r_i r_j", positive=True)
theta = sp.Symbol("theta_ij", nonnegative=True)
nu = sp.Symbol("nu_i", real=True)  # w_i^T beta* / r_i
sigma_y = sp.Symbol("sigma_y", nonnegative=True)
u, z, R, angle = sp.symbols("u z R varphi", real=True)


def _relu_kernel() -> sp.Expr:
    # (g1, g2) standard normal in the plane of w_i, w_j; w_i along angle 0, w_j at theta.
    # Both features are active for angle in (theta - pi/2, pi/2).
    radial = sp.integrate(R**3 * sp.exp(-(R**2) / 2), (R, 0, sp.oo)) / (2 * sp.pi)
    angular = sp.integrate(sp.cos(angle) * sp.cos(angle - theta), (angle, theta - sp.pi / 2, sp.pi / 2))
    return sp.simplify(r_i * r_j * radial * angular)


@register("relu_covariance")
def _covariance() -> Formula:
    derived = _relu_kernel()
    check_identity(
        derived - r_i * r_j * (sp.sin(theta) + (sp.pi - theta) * sp.cos(theta)) / (2 * sp.pi),
        "arc-cosine kernel of degree 1",
    )
    return Formula(
        "relu_covariance",
        "Sigma_ij = E[ReLU(w_i^T x) ReLU(w_j^T x)] (theta_ij the angle between w_i, w_j)",
        "docs/theory.md#random-features; this project",
        sp.Symbol(r"\Sigma_{ij}"),
        r_i * r_j * (sp.sin(theta) + (sp.pi - theta) * sp.cos(theta)) / (2 * sp.pi),
        (r_i, r_j, theta),
        r"0 \le \theta_{ij} \le \pi \ (\theta_{ii} = 0, \text{ so } \Sigma_{ii} = r_i^2 / 2)",
    )


@register("relu_label_correlation")
def _label_correlation() -> Formula:
    # w_i^T x = r_i u and x^T beta* = nu u + sqrt(1 - nu^2) z with (u, z) independent N(0, 1).
    label = (nu * u + sp.sqrt(1 - nu**2) * z) ** 2
    over_z = sp.integrate(sp.expand(label) * normal_pdf(z), (z, -sp.oo, sp.oo))
    derived = sp.simplify(sp.integrate(r_i * u * over_z * normal_pdf(u), (u, 0, sp.oo)))
    return Formula(
        "relu_label_correlation",
        "E[psi_i y] for the quadratic label (nu_i = <w_i, beta*>/r_i)",
        "docs/theory.md#random-features; this project",
        sp.Symbol(r"\mathbb{E}[\psi_{i} y]"),
        derived,
        (r_i, nu),
        r"-1 \le \nu_i \le 1",
    )


@register("label_second_moment")
def _label_second_moment() -> Formula:
    label = u**2 + sigma_y * z
    derived = sp.integrate(
        sp.integrate(sp.expand(label**2) * normal_pdf(z), (z, -sp.oo, sp.oo)) * normal_pdf(u), (u, -sp.oo, sp.oo)
    )
    return Formula(
        "label_second_moment",
        "E[y^2] for y = (x^T beta*)^2 + sigma_y z",
        "docs/theory.md#random-features; this project",
        sp.Symbol(r"\mathbb{E}[y^2]"),
        sp.simplify(derived),
        (sigma_y,),
        r"\|\beta^*\| = 1",
    )
