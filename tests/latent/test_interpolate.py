"""lerp and slerp against closed forms: endpoints, constant norm on the sphere, angles on the unit circle."""

import math

import pytest
import torch

from models.latent.interpolate import lerp, path, slerp


def test_lerp_is_the_straight_line():
    z0, z1 = torch.tensor([0.0, 2.0]), torch.tensor([4.0, -2.0])
    out = lerp(z0, z1, torch.tensor([0.0, 0.25, 1.0]))
    torch.testing.assert_close(out, torch.tensor([[0.0, 2.0], [1.0, 1.0], [4.0, -2.0]]))


def test_slerp_on_the_unit_circle_walks_the_angle_uniformly():
    a0, a1 = 0.3, 2.0
    z0, z1 = torch.tensor([math.cos(a0), math.sin(a0)]), torch.tensor([math.cos(a1), math.sin(a1)])
    t = torch.linspace(0, 1, 7)
    angles = a0 + t * (a1 - a0)
    expected = torch.stack([angles.cos(), angles.sin()], 1)
    torch.testing.assert_close(slerp(z0, z1, t), expected, atol=1e-6, rtol=0)


def test_slerp_keeps_the_norm_of_equal_norm_codes_while_lerp_shrinks_it():
    g = torch.Generator().manual_seed(0)
    z0, z1 = torch.randn(16, generator=g), torch.randn(16, generator=g)
    z1 = z1 / z1.norm() * z0.norm()
    t = torch.linspace(0, 1, 11)
    torch.testing.assert_close(slerp(z0, z1, t).norm(dim=1), z0.norm().expand(11), rtol=1e-5, atol=1e-5)
    assert lerp(z0, z1, t)[5].norm() < 0.95 * z0.norm()


def test_slerp_falls_back_to_lerp_for_parallel_or_zero_codes():
    z0 = torch.tensor([1.0, 1.0])
    t = torch.linspace(0, 1, 5)
    torch.testing.assert_close(slerp(z0, 3 * z0, t), lerp(z0, 3 * z0, t))
    torch.testing.assert_close(slerp(torch.zeros(2), z0, t), lerp(torch.zeros(2), z0, t))
    assert torch.isfinite(slerp(z0, -z0 + 1e-9, t)).all()


def test_path_checks_its_arguments():
    z0, z1 = torch.zeros(3), torch.ones(3)
    assert path(z0, z1, 5, "slerp").shape == (5, 3)
    with pytest.raises(ValueError, match="lerp"):
        path(z0, z1, 5, "cubic")
    with pytest.raises(ValueError, match="at least 2"):
        path(z0, z1, 1)
