"""The exact Gaussian marginal field (models/flow/paths.py) against Monte Carlo and its own ODE."""

import numpy as np
import pytest
import torch

from models.flow.distributions import SHIFTED_COV, SHIFTED_MU
from models.flow.paths import conditional_velocity, euler_moments, gaussian_velocity, interpolate

MU0, S0 = np.zeros(2), np.eye(2)
MU1, S1 = np.asarray(SHIFTED_MU), np.asarray(SHIFTED_COV)


def test_interpolation_ends_and_constant_velocity():
    g = torch.Generator().manual_seed(0)
    x0, x1 = torch.randn((5, 2), generator=g), torch.randn((5, 2), generator=g)
    assert torch.allclose(interpolate(x0, x1, torch.zeros(5)), x0)
    assert torch.allclose(interpolate(x0, x1, torch.ones(5)), x1)
    h = 1e-3
    t = torch.full((5,), 0.4)
    fd = (interpolate(x0, x1, t + h) - interpolate(x0, x1, t)) / h
    assert torch.allclose(fd, conditional_velocity(x0, x1), atol=1e-3)


@pytest.mark.parametrize("t", [0.1, 0.5, 0.9])
def test_closed_form_is_the_conditional_mean_of_x1_minus_x0(t):
    """E[x1 - x0 | x_t near x] estimated by regression on 400k independent pairs equals v(x, t)."""
    rng = np.random.default_rng(0)
    n = 400_000
    x0 = rng.standard_normal((n, 2))
    x1 = MU1 + rng.standard_normal((n, 2)) @ np.linalg.cholesky(S1).T
    xt, u = (1 - t) * x0 + t * x1, x1 - x0
    design = np.hstack([xt, np.ones((n, 1))])
    coef, *_ = np.linalg.lstsq(design, u, rcond=None)  # E[u | x_t] is affine: regression recovers it
    probe = np.array([[0.0, 0.0], [1.0, -0.5], [2.0, 1.0]])
    mc = np.hstack([probe, np.ones((3, 1))]) @ coef
    assert np.allclose(gaussian_velocity(probe, t, MU0, S0, MU1, S1), mc, atol=0.02)


def test_euler_on_the_exact_field_carries_the_source_to_the_target_moments():
    for steps, tol in ((1000, 2e-3), (100, 2e-2)):
        m, S = euler_moments(MU0, S0, MU1, S1, steps)
        assert np.allclose(m, MU1, atol=tol) and np.allclose(S, S1, atol=tol), (steps, m, S)
    # a single step is not exact: the field at t = 0 points the whole Gaussian by its t = 0 velocity
    m1, S1_one = euler_moments(MU0, S0, MU1, S1, 1)
    assert np.allclose(m1, MU1)  # the mean moves by mu1 - mu0 at every t
    assert not np.allclose(S1_one, S1, atol=0.05)
