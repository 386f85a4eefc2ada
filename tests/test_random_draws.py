"""Randomness per run: builds seeded by their config alone, and random draws that match their device.

* ``seeded_init``: a network built while other threads build theirs gets exactly the weights it gets
  alone (training draws never touch the global generator: see tests/runs/test_determinism.py).
* Every draw with an explicit ``generator=`` works when the tensors live on CUDA (a CPU generator cannot
  draw on CUDA: PyTorch raises). The CUDA half runs where ``torch.cuda.is_available()``.
"""

from __future__ import annotations

import threading

import pytest
import torch
from torch import nn

from models.gan import losses
from models.gan.config import ToyConfig
from models.gan.nets2d import build_toy_nets, sample_z
from models.seed import seeded_init

DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def _build(seed: int) -> nn.Module:
    with seeded_init(seed):
        return nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 64))


def _weights(m: nn.Module) -> list[torch.Tensor]:
    return [p.detach().clone() for p in m.parameters()]


def test_builds_at_the_same_time_get_the_weights_each_gets_alone():
    """Three threads build at once (two with seed 7, one with seed 8), twenty times each. Without the lock
    their constructors would interleave draws from the one global generator."""
    alone = _weights(_build(7))
    results: dict[int, list] = {}

    def builder(i: int):
        for _ in range(20):
            results.setdefault(i, []).append(_weights(_build(7 if i < 2 else 8)))

    threads = [threading.Thread(target=builder, args=(i,)) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in (0, 1):
        for ws in results[i]:
            assert all(torch.equal(a, b) for a, b in zip(ws, alone))
    assert not torch.equal(results[2][0][0], alone[0])  # another seed: other weights


def test_seeded_init_leaves_the_global_generator_where_it_was():
    torch.manual_seed(123)
    expected = torch.rand(5)
    torch.manual_seed(123)
    _build(1)
    assert torch.equal(torch.rand(5), expected)


@pytest.mark.parametrize("device", DEVICES)
def test_gradient_penalty_matches_the_closed_form_for_a_linear_critic(device):
    """D(x) = w . x has gradient w everywhere, so GP = (||w|| - 1)^2 whatever eps draws."""
    critic = nn.Linear(3, 1, bias=True).to(device)
    with torch.no_grad():
        critic.weight.copy_(torch.tensor([[3.0, 0.0, 4.0]]))
    x_real, x_fake = torch.randn(16, 3, device=device), torch.randn(16, 3, device=device)
    gen = torch.Generator().manual_seed(0)  # a CPU generator, as every training loop here has
    gp = losses.gradient_penalty(critic, x_real, x_fake, gen)
    assert gp.device.type == device
    assert gp.item() == pytest.approx((5.0 - 1.0) ** 2, rel=1e-5)


@pytest.mark.parametrize("device", DEVICES)
def test_gradient_penalty_draws_the_same_eps_on_every_device(device):
    critic = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1))
    x_real, x_fake = torch.randn(32, 2), torch.randn(32, 2)
    on_cpu = losses.gradient_penalty(critic, x_real, x_fake, torch.Generator().manual_seed(5))
    here = losses.gradient_penalty(critic.to(device), x_real.to(device), x_fake.to(device),
                                   torch.Generator().manual_seed(5))
    assert here.item() == pytest.approx(on_cpu.item(), rel=1e-4)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dist", ["gaussian", "uniform"])
def test_noise_z_from_a_cpu_generator_lands_on_the_device(device, dist):
    z = sample_z(64, 2, dist, torch.Generator().manual_seed(3), device=device)
    ref = sample_z(64, 2, dist, torch.Generator().manual_seed(3))
    assert z.device.type == device and torch.equal(z.cpu(), ref)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_a_wgan_gp_toy_run_trains_on_cuda():
    from models.gan.toy_train import toy_steps

    run = toy_steps(ToyConfig(loss="wgan-gp"), device="cuda", views_every_s=0)
    state = next(run)
    for _ in range(3):
        state = run.send(None)
    assert state.step == 3


def test_toy_nets_are_built_from_the_run_generator_alone():
    a = build_toy_nets(ToyConfig(), torch.Generator().manual_seed(0))
    torch.randn(100)  # the global generator moving does not matter
    b = build_toy_nets(ToyConfig(), torch.Generator().manual_seed(0))
    for na, nb in zip(a, b):
        assert all(torch.equal(p, q) for p, q in zip(na.parameters(), nb.parameters()))
