"""MNIST flow matching as a trainer of the run layer (family ``flow_images``): resumable, one step at a time.

``Job("flow_images", config, "mnist", config.seed)`` (:func:`flow_images_job`). A step is one Adam step on
the conditional flow-matching loss and the EMA update (:func:`.training.train_step`), every draw from the
run's own generator; its checkpoint holds both networks, Adam, the generator and the step, so
``python -m models.flow.images.train`` continues where a stopped or crashed training left off.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import numpy as np
import torch

from ...data import load_images
from ...diffusion.forward import to_model_range
from ...runs.family import Family, register
from ...runs.job import Job
from ...runs.randomness import RunRandom
from . import training
from .config import ImageFlowConfig


def flow_images_job(config: ImageFlowConfig) -> Job:
    return Job("flow_images", config, config.dataset, config.seed)


@dataclass(frozen=True)
class FlowImagesSnapshot:
    step: int
    total: int
    loss: float
    losses: np.ndarray  # (step,) every step's loss


class FlowImagesTrainer:
    def __init__(self, job: Job, device: torch.device | str = "cpu"):
        config = job.config
        if not isinstance(config, ImageFlowConfig):
            raise TypeError(f"A flow_images job's config is an ImageFlowConfig, got {type(config).__name__}.")
        self.job, self.config, self.device = job, config, torch.device(device)
        self.random = RunRandom(job.seed)
        self.model = training.build(config, seed=job.seed).to(self.device).train()
        self.ema = copy.deepcopy(self.model).eval().requires_grad_(False)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=config.lr)
        data = load_images(job.dataset, "train")
        self.x, self.y = to_model_range(data.x.float()).to(self.device), data.y.long().to(self.device)
        self.step, self.losses = 0, []

    def advance(self, command=None) -> None:
        if self.step >= self.config.steps:
            raise StopIteration
        step = self.step + 1
        loss = training.train_step(self.model, self.ema, self.opt, self.x, self.y, self.config, step,
                                   self.random.torch)
        if not math.isfinite(loss):
            raise FloatingPointError(f"The flow-matching loss became {loss} at step {step}: lower the learning "
                                     f"rate (now {self.config.lr:g}).")
        self.step = step
        self.losses.append(loss)

    def snapshot(self) -> FlowImagesSnapshot:
        return FlowImagesSnapshot(self.step, self.config.steps, self.losses[-1] if self.losses else float("nan"),
                                  np.asarray(self.losses, np.float64))

    def modules(self) -> dict[str, torch.nn.Module]:
        return {"model": self.model, "ema": self.ema}

    def state_dict(self) -> dict:
        return {"model": self.model.state_dict(), "ema": self.ema.state_dict(), "opt": self.opt.state_dict(),
                "random": self.random.state_dict(), "step": self.step, "losses": list(self.losses)}

    def load_state_dict(self, state: dict) -> None:
        self.model.load_state_dict(state["model"])
        self.ema.load_state_dict(state["ema"])
        self.opt.load_state_dict(copy.deepcopy(state["opt"]))
        self.random.load_state_dict(state["random"])
        self.step, self.losses = int(state["step"]), [float(v) for v in state["losses"]]


FAMILY = register(Family(
    name="flow_images", make=FlowImagesTrainer,
    code=(FlowImagesTrainer.advance, training.train_step, training.flow_matching_loss),
    total_steps=lambda job: job.config.steps, threads=None,
))


def fit(model, config: ImageFlowConfig, device, on_step=None) -> dict:
    """``load_or_train``'s fit: the whole training (resumable through this family's checkpoints when run by
    ``python -m models.flow.images.train``); the EMA weights go into ``model``."""
    import time

    trainer = FlowImagesTrainer(flow_images_job(config), device)
    t0 = time.perf_counter()
    while trainer.step < config.steps:
        trainer.advance()
        if on_step:
            on_step(trainer.step, config.steps, {"loss": trainer.losses[-1]})
    model.load_state_dict(trainer.ema.state_dict())
    return {"steps": trainer.step, "train_seconds": time.perf_counter() - t0, "final_loss": float(np.mean(trainer.losses[-200:])),
            "loss_history": trainer.losses[:: max(1, len(trainer.losses) // 500)]}
