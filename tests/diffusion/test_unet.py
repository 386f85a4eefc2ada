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


def test_shipped_model_runs_channels_last_with_the_same_output():
    """load_model puts the CPU U-Net's weights in NHWC (channels_last) for oneDNN's faster convolutions;
    the network computes the same function as with the default NCHW layout."""
    import copy

    from models.diffusion import api

    model = api.load_model("mnist", torch.device("cpu")).model.eval()
    conv = next(m for m in model.modules() if isinstance(m, torch.nn.Conv2d) and m.kernel_size == (3, 3))
    assert conv.weight.is_contiguous(memory_format=torch.channels_last)
    nchw = copy.deepcopy(model).to(memory_format=torch.contiguous_format)
    assert conv.weight.is_contiguous(memory_format=torch.channels_last)  # the copy did not touch it
    x = torch.randn(4, 1, 28, 28, generator=torch.Generator().manual_seed(0))
    t = torch.tensor([1, 250, 500, 999])
    with torch.no_grad():
        a, b = model(x, t), nchw(x, t)
    torch.testing.assert_close(a, b, rtol=1e-4, atol=1e-5)
