"""Training v_theta with the conditional flow-matching loss.

    L_CFM(theta) = E_{t ~ U(0,1), (x0, x1) ~ pi} || v_theta(x_t, t) - (x1 - x0) ||^2,   x_t = (1 - t) x0 + t x1

(Lipman et al. 2023, eq. 9 with the straight path of eq. 20; Liu et al. 2023, eq. 1). pi is the pairing of a
batch: independent draws, mini-batch optimal transport, or fixed pairs (reflow). Every random draw of a run
(initial weights, data, t) comes from generators seeded by the config, never from the global one, so two
runs with the same config give the same network whatever else the server is doing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np
import torch
from torch import nn

from .config import FlowConfig
from .distributions import sample
from .net import VelocityMLP
from .pairing import pair
from .paths import conditional_velocity, interpolate


@dataclass(frozen=True)
class FlowStep:
    """One training step's numbers (a value: nothing in it changes later)."""

    step: int
    total: int
    loss: float


@dataclass
class TrainedFlow:
    """The trained field and its loss curve (losses: one float per step)."""

    config: FlowConfig
    model: VelocityMLP
    losses: np.ndarray


def build(config: FlowConfig, gen: torch.Generator) -> VelocityMLP:
    """A fresh MLP initialised as PyTorch's nn.Linear default, from ``gen`` (not the global generator)."""
    model = VelocityMLP(2, config.width, config.depth)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Linear):
                nn.init.kaiming_uniform_(m.weight, a=math.sqrt(5), generator=gen)
                bound = 1 / math.sqrt(m.in_features)
                nn.init.uniform_(m.bias, -bound, bound, generator=gen)
    return model


def cfm_loss(model: nn.Module, x0: torch.Tensor, x1: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """|| v_theta(x_t, t) - (x1 - x0) ||^2, averaged over the batch (summed over the 2 coordinates)."""
    x_t = interpolate(x0, x1, t)
    return (model(x_t, t) - conditional_velocity(x0, x1)).pow(2).sum(dim=1).mean()


def train_step(model: nn.Module, opt: torch.optim.Optimizer, sched, config: FlowConfig, gen: torch.Generator,
               rng: np.random.Generator, pairs: tuple[torch.Tensor, torch.Tensor] | None = None) -> float:
    """One Adam step on a fresh batch (or on ``pairs`` for reflow); returns the batch's loss.

    Batch: x0 ~ p0 and x1 ~ p1 drawn with ``rng`` and paired by ``config.pairing`` (or B of the fixed pairs,
    chosen with ``gen``); t ~ U(0, 1) with ``gen``. The learning rate then takes one cosine step.
    """
    if pairs is None:
        x0 = torch.from_numpy(sample(config.source, config.batch, rng))
        x1 = torch.from_numpy(sample(config.target, config.batch, rng, config.points))
        x0, x1 = pair(x0, x1, config.pairing)
    else:
        idx = torch.randint(0, pairs[0].shape[0], (config.batch,), generator=gen)
        x0, x1 = pairs[0][idx], pairs[1][idx]
    t = torch.rand(config.batch, generator=gen)
    loss = cfm_loss(model, x0, x1, t)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    sched.step()
    return loss.item()


def optimizer(model: nn.Module, config: FlowConfig):
    """Adam at ``lr``, cosine-annealed to lr / 10 over the run's steps."""
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    return opt, torch.optim.lr_scheduler.CosineAnnealingLR(opt, config.steps, eta_min=config.lr / 10)


def train_steps(config: FlowConfig, *, pairs: tuple[torch.Tensor, torch.Tensor] | None = None,
                init: VelocityMLP | None = None, model_out: list | None = None) -> Iterator[FlowStep]:
    """Train a field for ``config``; yields a :class:`FlowStep` after every step.

    Args:
        pairs: fixed (x0 (N, 2), x1 (N, 2)) pairs to train on (reflow); None draws source and target
            afresh each step and pairs them by ``config.pairing``.
        init: start from a copy of these weights (reflow starts from the previous flow).
        model_out: a list that receives the model being trained (so a caller can keep it).
    """
    gen = torch.Generator().manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    model = build(config, gen)
    if init is not None:
        model.load_state_dict(init.state_dict())
    if model_out is not None:
        model_out.append(model)
    opt, sched = optimizer(model, config)
    for step in range(1, config.steps + 1):
        loss = train_step(model, opt, sched, config, gen, rng, pairs)
        yield FlowStep(step, config.steps, loss)


def fit(config: FlowConfig, on_step: Callable[[FlowStep], None] | None = None, **kwargs) -> TrainedFlow:
    """Run :func:`train_steps` to the end; returns the trained field in eval mode and its losses."""
    from models.threads import limit_this_thread

    limit_this_thread(1)  # a 2-D MLP: one thread is fastest, and leaves the other core to the page
    holder: list = []
    losses = []
    for s in train_steps(config, model_out=holder, **kwargs):
        losses.append(s.loss)
        if on_step is not None:
            on_step(s)
    model = holder[0].eval().requires_grad_(False)
    return TrainedFlow(config, model, np.asarray(losses, np.float32))
