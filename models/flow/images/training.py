"""Conditional flow matching on images with label dropout (the objective behind classifier-free guidance).

With x0 ~ N(0, I) (the source, noise), x1 a training image in [-1, 1] with label y, t ~ U(0, 1):

    x_t = (1 - t) x0 + t x1,    u_t = x1 - x0,
    L = E || v_theta(x_t, t, y~) - u_t ||^2,    y~ = NULL with probability p_uncond, else y

(Lipman et al. 2023, eq. 23 with sigma_min = 0, the rectified-flow path of Liu et al. 2023; label dropout
as Ho & Salimans 2022). Dropping the label trains the unconditional field v(x, t, NULL) in the same network.
"""

from __future__ import annotations

import torch
from torch import nn

from ...seed import seeded_init
from .config import NULL, ImageFlowConfig
from .net import CondUNet


def build(config: ImageFlowConfig, seed: int | None = None) -> CondUNet:
    """A freshly initialised network for ``config`` (weights drawn with ``seed``, default config.seed)."""
    with seeded_init(config.seed if seed is None else seed):
        return CondUNet(config.base, tuple(config.mults), config.patch)


def flow_matching_loss(model: nn.Module, x1: torch.Tensor, y: torch.Tensor, p_uncond: float,
                       generator: torch.Generator) -> torch.Tensor:
    """L above for a batch x1 (B, 1, H, W) in [-1, 1] with labels y (B,); every draw from ``generator``
    (a CPU generator: the same draws on every device)."""
    B, device = x1.shape[0], x1.device
    x0 = torch.randn(x1.shape, generator=generator).to(device)
    t = torch.rand(B, generator=generator).to(device)
    drop = torch.rand(B, generator=generator).to(device) < p_uncond
    y = torch.where(drop, torch.full_like(y, NULL), y)
    x_t = (1 - t)[:, None, None, None] * x0 + t[:, None, None, None] * x1
    return (model(x_t, t, y) - (x1 - x0)).pow(2).mean()


def train_step(model: nn.Module, ema: nn.Module, opt: torch.optim.Optimizer, x: torch.Tensor, labels: torch.Tensor,
               config: ImageFlowConfig, step: int, generator: torch.Generator) -> float:
    """One Adam step on L (warm-up, gradients clipped to norm 1), then the EMA update as the DDPM trainer's
    (:func:`models.diffusion.training.train_step`); returns the loss."""
    from ...diffusion.training import optimise, warm_up_lr

    device = next(model.parameters()).device
    warm_up_lr(opt, config, step)
    idx = torch.randint(0, x.shape[0], (min(config.batch_size, x.shape[0]),), generator=generator)
    loss = flow_matching_loss(model, x[idx].to(device), labels[idx].to(device), config.p_uncond, generator)
    return optimise(model, ema, opt, loss, config, step)
