"""DDPM training as a trainer of the run layer (:mod:`models.runs`): a job in, one step at a time.

A job is ``Job("ddpm", config, dataset, seed)`` with ``config`` a :class:`DiffusionConfig` and ``dataset``
its dataset name (:func:`ddpm_job`); the trainer loads the images itself. One step is one optimiser step
on L_simple (Ho et al. 2020, eq. 14) and the EMA update (:func:`models.diffusion.training.train_step`),
every draw (batch, t, eps) from the run's own generator (:class:`models.runs.randomness.RunRandom`).

What the page shows is a :class:`DDPMSnapshot` of values. The grid of EMA samples in it is drawn on a
schedule of *steps* (every ``preview_every`` steps and at the end of the planned run), from noise fixed by
the job's seed, so the same job shows the same grids whatever the machine's speed. The trained networks
themselves come from the run's checkpoint (:func:`trained_ema`), never from a snapshot.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ..data import load_images
from ..runs.family import Family, register
from ..runs.job import Job
from ..runs.randomness import RunRandom
from . import training
from .config import DiffusionConfig
from .forward import to_model_range
from .schedules import make_schedule

PREVIEW_SAMPLES = 16
MIN_PREVIEW_EVERY = 50


def ddpm_job(config: DiffusionConfig) -> Job:
    """The job that trains ``config`` on its dataset, seeded with ``config.seed``."""
    return Job("ddpm", config, config.dataset, config.seed)


def preview_every(config: DiffusionConfig) -> int:
    """Steps between preview grids: a tenth of the planned run, at least ``MIN_PREVIEW_EVERY``."""
    return max(MIN_PREVIEW_EVERY, config.steps // 10)


class TrainingDiverged(RuntimeError):
    """The loss became NaN or infinite; the message says at which step and what to change."""


@dataclass(frozen=True)
class DDPMSnapshot:
    """One moment of a DDPM run, as values (nothing in it changes when training goes on).

    Attributes:
        step: optimiser steps done; total: the planned run (config.steps).
        loss: the last step's L_simple (NaN at step 0); losses: (step,) float64, every step's loss.
        preview: (16, H, W) EMA samples in [0, 1] (DDIM-20 from fixed noise), or None before the first;
            preview_step: the step it was drawn at (0 when none).
        config: the run's :class:`DiffusionConfig`.
    """

    step: int
    total: int
    loss: float
    losses: np.ndarray
    preview: np.ndarray | None
    preview_step: int
    config: DiffusionConfig


class DDPMTrainer:
    """The U-Net eps_theta of one run, its EMA copy, Adam, the training images, the step, the losses and the
    run's generators."""

    def __init__(self, job: Job, device: torch.device | str = "cpu"):
        config = job.config
        if not isinstance(config, DiffusionConfig):
            raise TypeError(f"A ddpm job's config is a DiffusionConfig, got {type(config).__name__}.")
        if job.dataset != config.dataset:
            raise ValueError(f"The job trains on {job.dataset!r} but its config says {config.dataset!r}: "
                             "build the job with models.diffusion.trainer.ddpm_job(config).")
        self.job, self.config, self.device = job, config, torch.device(device)
        self.random = RunRandom(job.seed)
        self.model = training.build(config, seed=job.seed).to(self.device).train()
        self.ema = copy.deepcopy(self.model).eval().requires_grad_(False)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=config.lr)
        self.sched = make_schedule(config.schedule, config.T)
        self.x = to_model_range(load_images(job.dataset, "train").x.float()).to(self.device)  # (N, 1, H, W)
        self.preview_every = preview_every(config)
        self.step = 0
        self.losses: list[float] = []
        self.preview: np.ndarray | None = None
        self.preview_step = 0

    def advance(self, command: str | None = None) -> None:
        """One training step (:func:`models.diffusion.training.train_step`); ``command`` is ignored.

        Raises:
            TrainingDiverged: the loss is NaN or infinite.
        """
        step = self.step + 1
        loss = training.train_step(self.model, self.ema, self.opt, self.x, self.sched, self.config, step,
                                   self.random.torch)
        if not math.isfinite(loss):
            raise TrainingDiverged(f"L_simple became {loss} at step {step}: lower the learning rate "
                                   f"(now {self.config.lr:g}) and start a new run.")
        self.step = step
        self.losses.append(loss)
        if step % self.preview_every == 0 or step == self.config.steps:
            self.preview = training.preview(self.ema, self.sched, self.x.shape[-1], self.device,
                                            PREVIEW_SAMPLES, seed=self.job.seed)
            self.preview_step = step

    def snapshot(self) -> DDPMSnapshot:
        return DDPMSnapshot(self.step, self.config.steps, self.losses[-1] if self.losses else float("nan"),
                            np.asarray(self.losses, np.float64),
                            None if self.preview is None else self.preview.copy(), self.preview_step, self.config)

    # -- checkpoints -----------------------------------------------------------------------------------
    def modules(self) -> dict[str, torch.nn.Module]:
        return {"model": self.model, "ema": self.ema}

    def state_dict(self) -> dict:
        return {"model": self.model.state_dict(), "ema": self.ema.state_dict(), "opt": self.opt.state_dict(),
                "random": self.random.state_dict(), "step": self.step, "losses": list(self.losses),
                "preview": None if self.preview is None else torch.from_numpy(self.preview.copy()),
                "preview_step": self.preview_step}

    def load_state_dict(self, state: dict) -> None:
        self.model.load_state_dict(state["model"])
        self.ema.load_state_dict(state["ema"])
        # a copy: Adam would otherwise keep the very moment tensors of ``state`` (shared with another trainer
        # when the state came from memory, not from a file) and update them in place
        self.opt.load_state_dict(copy.deepcopy(state["opt"]))
        self.random.load_state_dict(state["random"])
        self.step = int(state["step"])
        self.losses = [float(v) for v in state["losses"]]
        self.preview = None if state["preview"] is None else state["preview"].numpy().copy()
        self.preview_step = int(state["preview_step"])


def trained_ema(job: Job, root: Path | None = None,
                device: torch.device | str = "cpu") -> tuple[torch.nn.Module, int] | None:
    """The EMA network of ``job``'s checkpoint, frozen for sampling, and its step; None without a checkpoint.

    How a page gets the network a run trained ("use this model"): from the checkpoint the run writes on
    pause, stop and finish, never from a live snapshot.
    """
    from ..runs.checkpoint import restore

    trainer = restore(job, root, device)
    if trainer is None:
        return None
    return training.frozen_copy(trainer.modules()["ema"]), trainer.step


FAMILY = register(Family(
    name="ddpm", make=DDPMTrainer,
    code=(DDPMTrainer.advance, training.train_step, training.ddpm_loss, training.optimise, training.ema_update),
    total_steps=lambda job: job.config.steps,
))
