"""MNIST flow matching with classifier-free guidance: the loss and the guided velocity against their
definitions, on a small untrained network (the shipped model's claims: test_images_claims.py)."""

from __future__ import annotations

import pytest
import torch

from models.flow.images import sampling
from models.flow.images.config import NULL, ImageFlowConfig
from models.flow.images.training import build, flow_matching_loss

CFG = ImageFlowConfig(base=8, mults=(1, 2), patch=2)


@pytest.fixture(scope="module")
def model():
    torch.manual_seed(0)
    m = build(CFG)
    with torch.no_grad():  # the output layer starts at zero: give it weights so the fields differ
        m.conv_out.weight.normal_(0, 0.1)
        m.label_emb.weight.normal_(0, 1.0)
    return m.eval()


def test_guidance_zero_is_the_conditional_field_and_w_extrapolates(model):
    g = torch.Generator().manual_seed(1)
    x, t = torch.randn(6, 1, 28, 28, generator=g), torch.rand(6, generator=g)
    y = torch.tensor([0, 1, 2, 3, 4, 5])
    with torch.no_grad():
        v_c, v_u = model(x, t, y), model(x, t, torch.full_like(y, NULL))
    assert torch.equal(sampling.guided_velocity(model, x, t, y, 0.0), v_c)
    for w in (0.5, 3.0):
        assert torch.allclose(sampling.guided_velocity(model, x, t, y, w), (1 + w) * v_c - w * v_u, atol=1e-5)
    assert not torch.allclose(v_c, v_u)  # the label matters


def test_the_loss_is_the_conditional_flow_matching_loss_with_label_dropout(model):
    """Recompute L by hand from the same draws: x0 ~ N(0, I), t ~ U(0, 1), labels dropped with p."""
    x1 = torch.rand(5, 1, 28, 28) * 2 - 1
    y = torch.tensor([1, 2, 3, 4, 5])
    got = flow_matching_loss(model, x1, y, 0.5, torch.Generator().manual_seed(7))
    g = torch.Generator().manual_seed(7)
    x0, t, u = torch.randn(x1.shape, generator=g), torch.rand(5, generator=g), torch.rand(5, generator=g)
    y_used = torch.where(u < 0.5, torch.full_like(y, NULL), y)
    x_t = (1 - t)[:, None, None, None] * x0 + t[:, None, None, None] * x1
    with torch.no_grad():
        want = (model(x_t, t, y_used) - (x1 - x0)).pow(2).mean()
    assert float(got) == pytest.approx(float(want), rel=1e-6)


def test_euler_sampling_is_seeded_and_the_path_state_is_its_prefix(model):
    a = sampling.sample(model, 4, 5, 3, 2.0, seed=11)
    assert torch.equal(a, sampling.sample(model, 4, 5, 3, 2.0, seed=11)) and a.shape == (4, 1, 28, 28)
    assert 0 <= float(a.min()) and float(a.max()) <= 1
    # stopping at t = 1 with the same number of steps is the whole path (before clamping to [0, 1])
    end = sampling.path_state(model, 4, 1.0, 3, 2.0, seed=11, steps=5)
    assert torch.allclose((end.clamp(-1, 1) + 1) / 2, a, atol=1e-6)
