"""Training eps_theta with the simple DDPM loss, as a generator that yields one step's state.

L_simple = E_{t, x0, eps} || eps - eps_theta(sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) eps, t) ||^2
(Ho et al. 2020, eq. 14), with t uniform on 1..T. Sampling uses an exponential moving average of the
weights (Ho et al. sec. 4, decay 0.9999 there; smaller here because runs are short).
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch
from torch import nn

from ..threads import limit_this_thread
from ..checkpoints import OnStep
from .config import DiffusionConfig
from .forward import q_sample, to_model_range
from .schedules import Schedule, make_schedule
from .unet import UNet
from ..seed import seeded_init


def build(config: DiffusionConfig, seed: int | None = None) -> UNet:
    """A freshly initialised U-Net for ``config``, its weights drawn with ``seed`` (default config.seed)."""
    with seeded_init(config.seed if seed is None else seed):
        return UNet(1, config.base, tuple(config.mults), config.patch)


def ddpm_loss(model: nn.Module, x0: torch.Tensor, sched: Schedule, generator: torch.Generator | None = None,
              t: torch.Tensor | None = None) -> torch.Tensor:
    """L_simple (Ho et al. eq. 14): mean squared error between eps and eps_theta(x_t, t).

    Args:
        x0: (B, 1, H, W) images in [-1, 1].
        t: (B,) steps in 1..T; uniform random when None.
    Returns:
        scalar loss.
    """
    B = x0.shape[0]
    if t is None:
        t = torch.randint(1, sched.T + 1, (B,), generator=generator)
    eps = torch.randn(x0.shape, generator=generator).to(x0.device)
    x_t, _ = q_sample(x0, t, sched, eps)
    # the network sees t - 1 in 0..T-1, the array position
    return (model(x_t, (t - 1).to(x0.device)) - eps).pow(2).mean()


@torch.no_grad()
def ema_update(ema: nn.Module, model: nn.Module, decay: float) -> None:
    """theta_ema <- decay * theta_ema + (1 - decay) * theta."""
    for pe, p in zip(ema.parameters(), model.parameters()):
        pe.lerp_(p.detach(), 1.0 - decay)


def frozen_copy(model: nn.Module) -> nn.Module:
    """A detached copy in eval mode (to sample from while the original keeps training)."""
    return copy.deepcopy(model).eval().requires_grad_(False)


def train_step(model: nn.Module, ema: nn.Module, opt: torch.optim.Optimizer, x: torch.Tensor, sched: Schedule,
               config: DiffusionConfig, step: int, generator: torch.Generator) -> float:
    """One optimiser step on L_simple, then the EMA update; returns the step's loss.

    lr_step = lr * min(1, step / warmup)  (linear warm-up);  batch: ``batch_size`` images of ``x`` drawn
    uniformly with replacement; gradients clipped to norm 1 (as Ho et al.'s code);
    theta_ema <- d theta_ema + (1 - d) theta with d = min(ema_decay, (1 + step) / (10 + step)): the decay
    warms up so that the early EMA is not dominated by the random initialisation.

    Args:
        x: (N, 1, H, W) training images in [-1, 1] (any device: the batch moves to ``model``'s).
        step: the step being taken, 1-based.
        generator: the CPU generator every draw of the step (batch, t, eps) comes from.
    """
    device = next(model.parameters()).device
    warm_up_lr(opt, config, step)
    idx = torch.randint(0, x.shape[0], (min(config.batch_size, x.shape[0]),), generator=generator)
    loss = ddpm_loss(model, x[idx].to(device), sched, generator)
    return optimise(model, ema, opt, loss, config, step)


def warm_up_lr(opt: torch.optim.Optimizer, config, step: int) -> None:
    """lr_step = config.lr * min(1, step / config.warmup) in every parameter group."""
    for group in opt.param_groups:
        group["lr"] = config.lr * min(1.0, step / max(1, config.warmup))


def optimise(model: nn.Module, ema: nn.Module, opt: torch.optim.Optimizer, loss: torch.Tensor, config,
             step: int) -> float:
    """Backward, gradients clipped to norm 1, the optimiser's step, then the EMA update with the warmed-up
    decay d = min(config.ema_decay, (1 + step) / (10 + step)); returns the loss. Shared by the DDPM and the
    flow-matching trainers."""
    opt.zero_grad(set_to_none=True)
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    ema_update(ema, model, min(config.ema_decay, (1 + step) / (10 + step)))
    return loss.item()


@dataclass
class TrainState:
    """One training step's state.

    Attributes:
        step, total: steps done and planned.
        loss: this step's L_simple; losses: every step's loss so far (list of floats).
        ema: the EMA network (use it to sample; it is updated in place by later steps).
        elapsed_s: wall time since the start.
    """

    step: int
    total: int
    loss: float
    losses: list
    ema: nn.Module
    model: nn.Module
    optimizer: torch.optim.Optimizer
    elapsed_s: float
    preview: "np.ndarray | None" = None


def train_steps(model: nn.Module, config: DiffusionConfig, x_train: torch.Tensor, device: torch.device,
                start_step: int = 0, ema: nn.Module | None = None,
                optimizer: torch.optim.Optimizer | None = None, preview_every: int = 0) -> Iterator[TrainState]:
    """Train ``model`` in place on ``x_train``; yield a :class:`TrainState` after every step.

    Args:
        x_train: (N, 1, H, W) images in [0, 1] (scaled to [-1, 1] here).
        start_step, ema, optimizer: resume a run from these.
        preview_every: every that many steps (0 = never) draw 16 DDIM-20 samples from the EMA into
            ``state.preview`` (N, H, W) in [0, 1], computed here so the page never touches the weights.
    """
    if torch.device(device).type == "cpu":
        limit_this_thread(1)  # small convs: one thread is faster, and much faster on a busy machine
    sched = make_schedule(config.schedule, config.T)
    x = to_model_range(x_train.float())
    gen = torch.Generator().manual_seed(config.seed + start_step)
    model.to(device).train()
    ema = ema if ema is not None else copy.deepcopy(model)
    ema.to(device).eval().requires_grad_(False)
    opt = optimizer or torch.optim.Adam(model.parameters(), lr=config.lr)
    losses: list[float] = []
    grid = None
    t0 = time.perf_counter()
    for step in range(start_step + 1, config.steps + 1):
        losses.append(train_step(model, ema, opt, x, sched, config, step, gen))
        if preview_every and (step % preview_every == 0 or step == config.steps):
            grid = preview(ema, sched, x.shape[-1], device)
        yield TrainState(step, config.steps, losses[-1], losses, ema, model, opt, time.perf_counter() - t0, grid)


@torch.no_grad()
def preview(ema: nn.Module, sched: Schedule, size: int, device: torch.device, n: int = 16,
            seed: int = 0) -> np.ndarray:
    """n DDIM-20 samples of the EMA network, (n, H, W) in [0, 1], from fixed noise x_T ~ N(0, I) drawn with
    its own generator seeded with ``seed`` (so previews along a run compare, and no run's generator moves)."""
    from .forward import to_pixels
    from .samplers import as_eps_fn, last, sample_steps

    x_T = torch.randn((n, 1, size, size), generator=torch.Generator().manual_seed(seed)).to(device)
    return to_pixels(last(sample_steps(as_eps_fn(ema), sched, x_T, "ddim", 20)).x_t)[:, 0].cpu().numpy()


@torch.no_grad()
def heldout_loss(model: nn.Module, config: DiffusionConfig, x_test: torch.Tensor, device: torch.device,
                 n_t: int = 10, batch: int = 500) -> float:
    """L_simple on held-out images, averaged over n_t evenly spaced t with fixed noise (a reproducible number)."""
    sched = make_schedule(config.schedule, config.T)
    gen = torch.Generator().manual_seed(1234)
    x = to_model_range(x_test.float())
    total, count = 0.0, 0
    for t_val in torch.linspace(1, config.T, n_t).round().long().tolist():
        for i in range(0, x.shape[0], batch):
            xb = x[i:i + batch].to(device)
            t = torch.full((xb.shape[0],), t_val, dtype=torch.long)
            total += float(ddpm_loss(model.eval(), xb, sched, gen, t)) * xb.shape[0]
            count += xb.shape[0]
    return total / count


def fit(model: nn.Module, config: DiffusionConfig, device: torch.device, on_step: OnStep | None = None) -> dict:
    """``load_or_train``'s fit: train on the dataset's train split, copy the EMA weights into ``model``.

    Returns:
        metrics: final_loss (mean of the last 100 steps), heldout_loss, steps, wall_s.
    """
    from ..data import load_images

    if device.type == "cpu":
        limit_this_thread(1)  # small convs: one thread is faster on a shared 2-core box
    x_train = load_images(config.dataset, "train").x
    state = None
    for state in train_steps(model, config, x_train, device):
        if on_step is not None:
            on_step(state.step, state.total, {"loss": state.loss})
    model.load_state_dict(state.ema.state_dict())
    x_test = load_images(config.dataset, "test").x
    return {"final_loss": sum(state.losses[-100:]) / len(state.losses[-100:]),
            "heldout_loss": heldout_loss(model, config, x_test, device),
            "steps": state.step, "wall_s": state.elapsed_s}
