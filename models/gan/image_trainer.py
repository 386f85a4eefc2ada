"""The image GAN (dense, DCGAN, conditional) as a trainer of the run layer (:mod:`models.runs`).

A job names the dataset (``digits``, ``mnist``, ``fashion``); the trainer loads its training split itself
(:func:`models.data.load_images`), builds G and D under :func:`models.seed.seeded_init` with the job's seed
and draws every batch, z and label from the run's own generators (:class:`models.runs.randomness.RunRandom`).
One step (``advance()``) is k_d discriminator updates then one generator update, the maths of
:mod:`models.gan.image_train`. ``step`` counts generator updates.

The sample grids kept for scrubbing and the training GIF are taken on a schedule of *steps* (every
``snapshot_every`` generator updates), never of wall-clock time, so the same job gives the same snapshots
whatever the machine's speed or load.
"""

from __future__ import annotations

import math

import numpy as np
import torch

from ..runs.family import Family, register
from ..runs.job import Job
from ..runs.randomness import RunRandom
from ..threads import flush_denormals
from .config import ImageGANConfig
from .image_nets import DATASET_SHAPES
from .image_train import (MAX_SNAPSHOTS, SNAPSHOT_EVERY, ImageState, build, build_critic, check_losses,
                          critic_steps, d_update, fixed_inputs, g_update, make_optimizers, sample_grid)
from .losses import d_output
from .toy_train import _decimate

COMMANDS = ("both",)
LOSS_KEYS = ("d_loss", "g_loss", "d_real", "d_fake")


def image_job(config: ImageGANConfig) -> Job:
    """The job for a live image-GAN run: the config's dataset and seed."""
    return Job("gan_images", config, config.dataset, config.seed)


class ImageGANTrainer:
    """G and D of one image-GAN run, their optimisers, the training images and the run's generators.

    Args:
        job: a ``gan_images`` job (config: :class:`ImageGANConfig`, dataset: a dataset name).
        device: where the networks and images live.
        data: (x (N, C, H, W) in [0, 1], y (N,)) to train on instead of the job's dataset (the legacy
            :func:`models.gan.image_train.image_steps` and ``fit``).
        g_net: a generator to train in place (``fit`` trains the module a checkpoint will hold).
        snapshot_every: generator updates between kept grids.
    """

    def __init__(self, job: Job, device: torch.device | str = "cpu", *, data=None, g_net=None,
                 snapshot_every: int = SNAPSHOT_EVERY):
        config: ImageGANConfig = job.config
        if not isinstance(config, ImageGANConfig):
            raise TypeError(f"A gan_images job needs an ImageGANConfig, got {type(config).__name__}.")
        self.job, self.config, self.device = job, config, torch.device(device)
        self.snapshot_every = int(snapshot_every)
        flush_denormals()
        if data is None:
            from models.data import load_images

            if job.dataset != config.dataset:
                raise ValueError(f"The job trains on {job.dataset!r} but its config builds networks for "
                                 f"{config.dataset!r}; make them the same (image_job(config) does).")
            images = load_images(job.dataset, "train")
            x, y = images.x, images.y
        else:
            x, y = data
        shape = tuple(x.shape[1:])
        if shape != DATASET_SHAPES[config.dataset]:
            raise ValueError(f"Images of shape {shape} do not match the {config.dataset} network "
                             f"{DATASET_SHAPES[config.dataset]}.")
        self.x, self.y = x.to(self.device), y.to(self.device)  # (N, C, H, W), (N,)
        self.random = RunRandom(job.seed)
        g_net = g_net if g_net is not None else build(config, job.seed)
        self.g_net = g_net.to(self.device).train()
        self.d_net = build_critic(config, job.seed).to(self.device).train()
        self.g_params, self.d_params = list(self.g_net.parameters()), list(self.d_net.parameters())
        self.opt_g, self.opt_d = make_optimizers(self.g_params, self.d_params, config)
        # the fixed inputs behind every grid: their own generator, so grids never move the run's draws
        self.z_fix, self.y_fix = (t.to(self.device) for t in fixed_inputs(config, seed=job.seed + 12345))
        self.k_d = critic_steps(config)
        self.step = 0
        self.last = dict.fromkeys(LOSS_KEYS, math.nan)
        self.hist: dict[str, list] = {k: [] for k in ("step", *LOSS_KEYS)}
        self._grid: tuple[int, np.ndarray] | None = None  # (step, grid), computed once per step
        self.snapshots: list[tuple[int, np.ndarray]] = [(0, self.grid())]

    # -- one step --------------------------------------------------------------------------------------
    def advance(self, command: str | None = None) -> None:
        """One step: k_d discriminator updates, then one generator update.

        Raises:
            TrainingDiverged: a loss became NaN, infinite or absurdly large.
        """
        if (command or "both") not in COMMANDS:
            raise ValueError(f"Unknown command {command!r}: an image GAN takes full steps only ('both').")
        c, gen = self.config, self.random.torch
        for _ in range(self.k_d):
            l_d, d_real, d_fake = d_update(self.g_net, self.d_net, self.opt_d, self.d_params, self.x, self.y, c, gen)
        l_g = g_update(self.g_net, self.d_net, self.opt_g, self.g_params, c, gen, self.device)
        self.step += 1
        with torch.no_grad():  # one device sync for all four numbers
            vals = torch.stack([l_d.detach(), l_g.detach(), d_output(c.loss, d_real).mean(),
                                d_output(c.loss, d_fake).mean()]).tolist()
        check_losses(vals[0], vals[1], self.step, c)
        self.last.update(zip(LOSS_KEYS, vals))
        self.hist["step"].append(self.step)
        for k in LOSS_KEYS:
            self.hist[k].append(self.last[k])
        if self.step % self.snapshot_every == 0:
            self.snapshots.append((self.step, self.grid()))
            if len(self.snapshots) > MAX_SNAPSHOTS:  # keep the first and every other one after it
                self.snapshots[:] = self.snapshots[:1] + self.snapshots[2::2]

    # -- what the page sees ----------------------------------------------------------------------------
    def grid(self) -> np.ndarray:
        """(GRID_N, H, W) float32 in [0, 1]: G's samples from the fixed inputs at this step (computed once)."""
        if self._grid is None or self._grid[0] != self.step:
            self._grid = (self.step, sample_grid(self.g_net, self.z_fix, self.y_fix))
        return self._grid[1]

    def history(self) -> dict[str, np.ndarray]:
        """Decimated ``step, d_loss, g_loss, d_real, d_fake`` arrays (fresh copies)."""
        return _decimate(self.hist)

    def snapshot(self) -> ImageState:
        """An :class:`ImageState` of copied values at this step (nothing in it changes when training goes on)."""
        return ImageState(self.step, *self.last.values(), self.grid(), tuple(self.snapshots), self.history())

    # -- checkpoints -----------------------------------------------------------------------------------
    def modules(self) -> dict[str, torch.nn.Module]:
        return {"G": self.g_net, "D": self.d_net}

    def state_dict(self) -> dict:
        return {"G": self.g_net.state_dict(), "D": self.d_net.state_dict(), "opt_g": self.opt_g.state_dict(),
                "opt_d": self.opt_d.state_dict(), "random": self.random.state_dict(), "step": self.step,
                "last": dict(self.last), "hist": {k: list(v) for k, v in self.hist.items()},
                "snapshots": [(s, torch.from_numpy(g.copy())) for s, g in self.snapshots]}

    def load_state_dict(self, state: dict) -> None:
        self.g_net.load_state_dict(state["G"])
        self.d_net.load_state_dict(state["D"])
        self.opt_g.load_state_dict(state["opt_g"])
        self.opt_d.load_state_dict(state["opt_d"])
        self.random.load_state_dict(state["random"])
        self.step = int(state["step"])
        self.last = dict(state["last"])
        self.hist = {k: list(v) for k, v in state["hist"].items()}
        self.snapshots = [(int(s), g.numpy()) for s, g in state["snapshots"]]
        self._grid = None


def _code():
    from . import image_train as t, losses as l

    return (ImageGANTrainer.advance, t.d_update, t.g_update, l.d_loss_bce, l.g_loss_nonsat, l.gradient_penalty)


FAMILY = register(Family(name="gan_images", make=ImageGANTrainer, code=_code()))
