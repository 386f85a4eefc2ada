"""Module-level build and fit functions for the tests of the ``fit`` family (a job names them by import path).

``slow_fit`` reports 200 steps of 10 ms, so a test can watch it queue, progress and be stopped; ``nested_fit``
loads another config with :func:`models.checkpoints.load_or_train` from inside its run, as the photo
denoiser's second stage loads its parent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import torch
from torch import nn

from models.checkpoints import load_or_train

CALLS: list = []  # (config, steps it reached)


@dataclass(frozen=True)
class LineConfig:
    width: int = 3
    steps: int = 200
    seed: int = 0
    parent: "LineConfig | None" = None


def build(config: LineConfig) -> nn.Module:
    g = torch.Generator().manual_seed(config.seed)
    model = nn.Linear(config.width, 1)
    with torch.no_grad():
        model.weight.copy_(torch.randn(1, config.width, generator=g))
        model.bias.zero_()
    return model


def slow_fit(model, config: LineConfig, device, on_step):
    """Gradient descent towards w = 1 (the loss is ||w - 1||^2), 10 ms a step."""
    done = 0
    for step in range(1, config.steps + 1):
        with torch.no_grad():
            model.weight.sub_(0.02 * 2 * (model.weight - 1.0))
        done = step
        if on_step:
            on_step(step, config.steps, {"loss": float(((model.weight - 1.0) ** 2).sum())})
        time.sleep(0.01)
    CALLS.append((config, done))
    return {"loss": float(((model.weight - 1.0) ** 2).sum()), "steps": done}


def nested_fit(model, config: LineConfig, device, on_step):
    parent = load_or_train(config.parent, build, slow_fit, device=device).model
    with torch.no_grad():
        model.weight.copy_(parent.weight * 2)
    CALLS.append((config, 1))
    return {"loss": 0.0}
