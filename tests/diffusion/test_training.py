"""Training: the loss falls on real digits, configs validate, EMA is a moving average."""

import pytest
import torch

from models.diffusion.config import DiffusionConfig, default_config
from models.diffusion.training import build, ddpm_loss, ema_update, train_steps
from models.diffusion.schedules import make_schedule


def test_loss_decreases_on_digits():
    from models.data import load_images

    torch.manual_seed(0)
    cfg = DiffusionConfig(dataset="digits", base=16, mults=(1, 2, 2), patch=1, steps=150, batch_size=64,
                          lr=2e-3, warmup=20)
    states = list(train_steps(build(cfg), cfg, load_images("digits", "train").x, torch.device("cpu"),
                              preview_every=150))
    losses = states[-1].losses
    assert len(losses) == 150
    # at init eps_hat = 0 gives loss E[eps^2] = 1; a trained denoiser is far below
    assert sum(losses[:5]) / 5 > 0.8
    assert sum(losses[-20:]) / 20 < 0.45
    assert states[-1].preview.shape == (16, 8, 8)
    assert 0 <= states[-1].preview.min() and states[-1].preview.max() <= 1


def test_loss_of_the_exact_denoiser_is_zero_for_one_image():
    sched = make_schedule("linear", 1000)
    x0 = torch.rand(1, 1, 8, 8) * 2 - 1

    class Exact(torch.nn.Module):
        def forward(self, x_t, t_index):
            ab = torch.as_tensor(sched.alpha_bar, dtype=torch.float32)[t_index].reshape(-1, 1, 1, 1)
            return (x_t - ab.sqrt() * x0) / (1 - ab).sqrt()

    loss = ddpm_loss(Exact(), x0.expand(32, -1, -1, -1), sched, torch.Generator().manual_seed(0))
    assert float(loss) < 1e-8


def test_ema_update_is_a_convex_combination():
    a, b = torch.nn.Linear(2, 2), torch.nn.Linear(2, 2)
    wa, wb = a.weight.detach().clone(), b.weight.detach().clone()
    ema_update(a, b, 0.9)
    torch.testing.assert_close(a.weight, 0.9 * wa + 0.1 * wb)


def test_config_validation_explains():
    with pytest.raises(ValueError, match="digits or mnist"):
        DiffusionConfig(dataset="cifar")
    with pytest.raises(ValueError, match="linear, cosine"):
        DiffusionConfig(schedule="sigmoid")
    assert default_config("digits").dataset == "digits" and default_config("mnist").patch == 2
