"""The latent explorer's beta-VAE retrain as a trainer of the run layer (:mod:`models.runs`).

One step is one minibatch of :func:`models.latent.training.minibatch_step` (Adam on recon + beta * KL),
drawn from the run's own generator exactly as :func:`~models.latent.training.train_steps` draws: a fresh
permutation of the training images each epoch, then the noise eps of each batch. The last step also runs
the closed-form calibration (:func:`~models.latent.training.finish`) and measures the model on the held-out
images (:func:`~models.latent.training.evaluate`): the final snapshot carries those numbers, and the page
loads the calibrated networks from the run's checkpoint (:func:`models.runs.checkpoint.restore`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from models.data import load_images

from ..runs.family import Family, register
from ..runs.job import Job
from ..runs.randomness import RunRandom
from ..threads import flush_denormals
from . import training
from .config import LatentConfig


def beta_job(config: LatentConfig) -> Job:
    """The job that retrains ``config`` (a VAE) on its dataset, seeded with its seed."""
    return Job("beta_vae", config, config.dataset, config.seed)


def total_steps(config: LatentConfig) -> int:
    """Minibatches of a full run: epochs x (training images // batch size)."""
    n = len(load_images(config.dataset, "train", holdout=config.holdout).x)
    return training.steps_per_epoch(n, config) * config.epochs


@dataclass(frozen=True)
class HeldOut:
    """The finished model on the held-out images, nats per image (one-sample estimates, Kingma & Welling
    2014 eq. 10): ``recon`` = E[-log p(x0 | z)], ``kl`` = KL(q(z | x0) || p(z)), ``elbo`` = -(recon + kl)."""

    recon: float
    kl: float
    elbo: float


@dataclass(frozen=True)
class BetaVAEState:
    """One snapshot of a retrain (copied values only).

    Attributes:
        step, total: minibatches done and planned; epoch: the current epoch (0-based).
        recon, kl: the last batch's loss terms (nats per image; NaN before the first step).
        history: {"step", "recon", "kl"} -> (n,) float64 arrays, the decimated running means.
        held_out: the calibrated model measured on the held-out images, once the run has finished; else None.
        config: the config the run trains.
    """

    step: int
    total: int
    epoch: int
    recon: float
    kl: float
    history: dict
    held_out: HeldOut | None
    config: LatentConfig

    @property
    def done(self) -> bool:
        return self.held_out is not None


class BetaVAETrainer:
    """The VAE of one retrain, its optimiser, the epoch's batch order and the run's generators."""

    def __init__(self, job: Job, device: torch.device | str = "cpu"):
        config: LatentConfig = job.config
        if config.kind != "vae":
            raise ValueError(f"The beta_vae family trains VAEs; this config is a {config.kind!r}.")
        if job.dataset != config.dataset:
            raise ValueError(f"Job dataset {job.dataset!r} differs from the config's {config.dataset!r}.")
        self.job, self.config, self.device = job, config, torch.device(device)
        flush_denormals()
        self.random = RunRandom(job.seed)
        self.model = training.build(config).to(self.device).train()
        self.opts = training.optimizers(self.model, config)
        self.x_train = load_images(config.dataset, "train", holdout=config.holdout).x.to(self.device)
        self.per_epoch = training.steps_per_epoch(len(self.x_train), config)
        self.total = self.per_epoch * config.epochs
        self.history = training.LossHistory(self.total)
        self.step = 0
        self.order: torch.Tensor | None = None  # this epoch's permutation of the training images
        self.last = {"recon": float("nan"), "kl": float("nan")}
        self.held_out: HeldOut | None = None
        self.calibration: dict = {}

    def advance(self, command: str | None = None) -> None:
        """One minibatch; the last one also calibrates and measures the model (see the module docstring)."""
        if self.step >= self.total:
            raise StopIteration
        c = self.config
        b = self.step % self.per_epoch
        if b == 0:
            self.order = torch.randperm(len(self.x_train), generator=self.random.torch).to(self.device)
        x0 = self.x_train[self.order[b * c.batch_size:(b + 1) * c.batch_size]]  # (B, C, H, W)
        self.model.train()
        self.last = training.minibatch_step(self.model, c, self.opts, x0, self.random.torch)
        self.step += 1
        self.history.add(self.step, self.last)
        if self.step == self.total:
            self._finish()

    def _finish(self) -> None:
        self.calibration = training.finish(self.model, self.config, self.device)
        metrics = training.evaluate(self.model, self.config, self.device)
        self.held_out = HeldOut(metrics["test_recon"], metrics["test_kl"], metrics["test_elbo"])

    def snapshot(self) -> BetaVAEState:
        history = {k: np.asarray(v, np.float64) for k, v in self.history.points.items()}
        return BetaVAEState(self.step, self.total, min(self.step, self.total - 1) // self.per_epoch,
                            float(self.last["recon"]), float(self.last["kl"]), history, self.held_out, self.config)

    # -- checkpoints -----------------------------------------------------------------------------------
    def modules(self) -> dict[str, torch.nn.Module]:
        return {"vae": self.model}

    def state_dict(self) -> dict:
        return {"vae": self.model.state_dict(), "opts": [o.state_dict() for o in self.opts],
                "random": self.random.state_dict(), "step": self.step,
                "order": None if self.order is None else self.order.cpu(), "last": dict(self.last),
                "history": self.history.state_dict(), "calibration": self.calibration,
                "held_out": None if self.held_out is None else vars(self.held_out).copy()}

    def load_state_dict(self, state: dict) -> None:
        self.model.load_state_dict(state["vae"])
        for opt, s in zip(self.opts, state["opts"]):
            opt.load_state_dict(s)
        self.random.load_state_dict(state["random"])
        self.step = int(state["step"])
        self.order = None if state["order"] is None else state["order"].to(self.device)
        self.last = dict(state["last"])
        self.history.load_state_dict(state["history"])
        self.calibration = state["calibration"]
        self.held_out = None if state["held_out"] is None else HeldOut(**state["held_out"])
        if self.held_out is not None:
            self.model.eval()


def _code():
    from . import vae

    return (BetaVAETrainer.advance, training.minibatch_step, vae.VAE.loss, vae.kl_divergence, vae.reparameterize)


FAMILY = register(Family(
    name="beta_vae", make=BetaVAETrainer, code=_code(),
    total_steps=lambda job: total_steps(job.config),
))
