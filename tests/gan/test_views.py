"""The 2D views: heat map, manifold and arrows against closed forms with hand-made networks."""

import numpy as np
import torch
from torch import nn

from models.gan.config import ToyConfig
from models.gan.views2d import GRID, Z_LINES, Z_POINTS, compute_views, z_grid


def _linear(w, b=0.0, d_in=2):
    lin = nn.Linear(d_in, len(w) if isinstance(w[0], list) else 1)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor(w if isinstance(w[0], list) else [w], dtype=torch.float32))
        lin.bias.fill_(b)
    return lin


def test_views_of_identity_generator_and_linear_critic():
    cfg = ToyConfig(loss="wgan-gp", z_dim=2)
    g_net = _linear([[1.0, 0.0], [0.0, 1.0]])          # G(z) = z
    d_net = _linear([2.0, -1.0])                       # D(x) = 2 x0 - x1
    pool = torch.randn(5000, 2, generator=torch.Generator().manual_seed(0))
    z = torch.randn(2500, 2, generator=torch.Generator().manual_seed(1))
    v = compute_views(g_net, d_net, pool, z, cfg, None, None)
    # the manifold of G(z) = z is the z grid itself
    np.testing.assert_allclose(v.manifold, z_grid(2, "gaussian").numpy(), atol=1e-6)
    assert v.manifold.shape == (2, Z_LINES, Z_POINTS, 2)
    # heat map: D at (xs[j], ys[i]) is row i, column j
    assert v.d_grid.shape == (GRID, GRID)
    np.testing.assert_allclose(v.d_grid[5, 7], 2 * v.xs[7] - v.ys[5], atol=1e-5)
    # L_G = -D(G(z)), so -grad_x L_G = grad D = (2, -1) at every generated point
    np.testing.assert_allclose(v.arrow_dir, np.tile([2.0, -1.0], (len(v.arrow_at), 1)), atol=1e-6)
    np.testing.assert_allclose(v.fake, z[: len(v.fake)].numpy(), atol=1e-6)
    assert v.modes is None and v.d_label == "critic value D(x)"


def test_probability_heat_map_is_sigmoid_of_logit():
    cfg = ToyConfig(loss="nonsat")
    d_net = _linear([1.0, 1.0], b=0.5)
    g_net = _linear([[1.0, 0.0], [0.0, 1.0]])
    v = compute_views(g_net, d_net, torch.randn(1000, 2), torch.randn(100, 2), cfg, None, None)
    expect = 1 / (1 + np.exp(-(v.xs[None, :] + v.ys[:, None] + 0.5)))
    np.testing.assert_allclose(v.d_grid, expect, atol=1e-5)
    # non-saturating: -grad L_G = sigmoid(-a) * grad a = (1 - D) * (1, 1): points move towards "real"
    d = 1 / (1 + np.exp(-(v.arrow_at.sum(1) + 0.5)))
    np.testing.assert_allclose(v.arrow_dir, ((1 - d)[:, None] * np.ones(2)) / len(v.arrow_at) * len(v.arrow_at),
                               rtol=1e-4, atol=1e-6)


def test_z_grid_for_one_dimensional_and_uniform_noise():
    z = z_grid(1, "uniform")
    assert z.shape == (2, Z_LINES, Z_POINTS, 1) and z.abs().max() == 1.0
    z3 = z_grid(3, "gaussian")
    assert torch.all(z3[..., 2] == 0) and float(z3.max()) == 2.5
