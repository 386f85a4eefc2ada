"""The GAN losses against PyTorch's binary cross-entropy and closed forms."""

import math

import torch
import torch.nn.functional as F

from models.gan import losses


def _logits():
    gen = torch.Generator().manual_seed(0)
    return torch.randn(64, 1, generator=gen) * 3, torch.randn(64, 1, generator=gen) * 3


def test_bce_losses_match_torch_binary_cross_entropy():
    a, b = _logits()
    ones, zeros = torch.ones_like(a), torch.zeros_like(b)
    ref_d = F.binary_cross_entropy_with_logits(a, ones) + F.binary_cross_entropy_with_logits(b, zeros)
    torch.testing.assert_close(losses.d_loss_bce(a, b), ref_d)
    # non-saturating G: -log D(G(z)) is BCE with target "real"
    torch.testing.assert_close(losses.g_loss_nonsat(b), F.binary_cross_entropy_with_logits(b, ones))
    # minimax G: log(1 - D(G(z))) is minus BCE with target "fake"
    torch.testing.assert_close(losses.g_loss_minimax(b), -F.binary_cross_entropy_with_logits(b, zeros))


def test_bce_closed_form_and_no_overflow():
    a, b = torch.tensor([[0.0]]), torch.tensor([[0.0]])
    assert math.isclose(losses.d_loss_bce(a, b).item(), 2 * math.log(2), rel_tol=1e-6)  # D = 1/2 everywhere
    big = torch.tensor([[200.0]])
    assert torch.isfinite(losses.d_loss_bce(-big, big))  # log(sigmoid(-200)) must not be log(0)
    assert math.isclose(losses.g_loss_nonsat(-big).item(), 200.0, rel_tol=1e-6)


def test_minimax_saturates_where_nonsat_does_not():
    """Early in training D rejects fakes (logit << 0): the minimax gradient vanishes (Goodfellow 2014, sec. 3)."""
    b = torch.tensor([[-8.0]], requires_grad=True)
    (g_sat,) = torch.autograd.grad(losses.g_loss_minimax(b), b)
    (g_ns,) = torch.autograd.grad(losses.g_loss_nonsat(b), b)
    assert abs(g_sat.item()) < 1e-3 < 0.9 < abs(g_ns.item())
    # closed forms: d/db[-softplus(b)] = -sigmoid(b), d/db[softplus(-b)] = -sigmoid(-b)
    assert math.isclose(g_sat.item(), -torch.sigmoid(torch.tensor(-8.0)).item(), rel_tol=1e-5)
    assert math.isclose(g_ns.item(), -torch.sigmoid(torch.tensor(8.0)).item(), rel_tol=1e-5)


def test_lsgan_and_wgan_closed_forms():
    d_real, d_fake = torch.tensor([[1.0], [3.0]]), torch.tensor([[0.0], [2.0]])
    # 1/2 mean((x-1)^2) + 1/2 mean(f^2) = 1/2 * (0 + 4)/2 + 1/2 * (0 + 4)/2 = 2
    assert math.isclose(losses.d_loss_lsgan(d_real, d_fake).item(), 2.0)
    assert math.isclose(losses.g_loss_lsgan(d_fake).item(), 0.5 * (1 + 1) / 2)
    assert math.isclose(losses.d_loss_wgan(d_real, d_fake).item(), 1.0 - 2.0)
    assert math.isclose(losses.g_loss_wgan(d_fake).item(), -1.0)


def test_gradient_penalty_of_a_linear_critic_is_closed_form():
    """D(x) = w.x has gradient w everywhere, so GP = (||w|| - 1)^2 whatever the points."""
    w = torch.tensor([[3.0, 4.0]])  # ||w|| = 5
    critic = lambda x: x @ w.T  # noqa: E731
    gen = torch.Generator().manual_seed(1)
    x, y = torch.randn(32, 2, generator=gen), torch.randn(32, 2, generator=gen)
    assert math.isclose(losses.gradient_penalty(critic, x, y, gen).item(), 16.0, rel_tol=1e-6)
    lin = torch.nn.Linear(2, 1)
    gp = losses.gradient_penalty(lin, x, y, gen)
    gp.backward()  # the penalty is differentiable w.r.t. the critic's weights (create_graph=True)
    norm = lin.weight.detach().norm()
    assert math.isclose(gp.item(), (norm.item() - 1) ** 2, rel_tol=1e-5)
    torch.testing.assert_close(lin.weight.grad, 2 * (norm - 1) * lin.weight.detach() / norm)


def test_images_penalty_uses_per_sample_norms():
    critic = lambda x: (x.flatten(1) * 0.5).sum(1, keepdim=True)  # noqa: E731  grad = 0.5 everywhere
    x = torch.rand(4, 1, 2, 2)
    # gradient of each sample is a (1, 2, 2) tensor of 0.5: norm = 0.5 * sqrt(4) = 1 -> penalty 0
    assert losses.gradient_penalty(critic, x, torch.rand(4, 1, 2, 2)).item() < 1e-10


def test_dispatch():
    a, b = _logits()
    for name in ("minimax", "nonsat", "lsgan", "wgan-gp"):
        assert torch.isfinite(losses.d_loss(name, a, b)) and torch.isfinite(losses.g_loss(name, b))
    assert torch.all((losses.d_output("nonsat", a) > 0) & (losses.d_output("nonsat", a) < 1))
    torch.testing.assert_close(losses.d_output("wgan-gp", a), a)
