"""``linear_ae``: the 3 -> 2 -> 3 linear autoencoder on HOML's 3D data, one epoch per step."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch

from ...runs.family import Family, register
from ...runs.job import Job
from ...runs.randomness import RunRandom
from ...seed import seeded_init
from .. import linear_ae
from ..pca import fit_pca, mse


@dataclass(frozen=True)
class LinearRun:
    """A live run of the linear autoencoder: its config, and a pause after each epoch (slow motion, for a
    lecture audience; it changes nothing that is computed)."""

    ae: linear_ae.LinearAEConfig
    delay_s: float = 0.0


def linear_job(config: linear_ae.LinearAEConfig, delay_s: float = 0.0) -> Job:
    """The job of a linear-autoencoder run: seeded with ``config.seed``, on HOML's 3D data."""
    return Job("linear_ae", LinearRun(config, float(delay_s)), "homl_3d", config.seed)


class LinearAETrainer:
    """The linear autoencoder's weights, optimiser and generator; ``step`` counts epochs."""

    def __init__(self, job: Job, device: torch.device | str = "cpu"):
        config: linear_ae.LinearAEConfig = job.config.ae
        self.job, self.config, self.delay_s = job, config, job.config.delay_s
        self.device = torch.device(device)
        self.random = RunRandom(job.seed)  # initial weights, then every epoch's shuffle
        self.x_np = linear_ae.dataset(config)  # (n, D)
        pca = fit_pca(self.x_np, config.k)
        self.pca_mse = mse(self.x_np, pca.reconstruct(self.x_np))
        self.pca_basis = pca.components.T  # (D, k)
        with seeded_init(job.seed):  # nn.Linear draws before the Glorot init replaces its weights
            model = linear_ae.LinearAE(self.x_np.shape[1], config.k, generator=self.random.torch)
        self.model = model.to(self.device)
        self.opt = linear_ae.make_optimizer(config, self.model.parameters())
        self.x = torch.tensor(self.x_np, dtype=torch.float32, device=self.device)  # (n, D)
        self.batch = config.batch_size or len(self.x)
        self.step = 0
        self.hist_mse = np.full(config.epochs + 1, np.nan)
        self.hist_angles = np.full((config.epochs + 1, config.k), np.nan)
        self._measure()

    def _measure(self) -> None:
        self._now = linear_ae.measure(self.model, self.x_np, self.pca_basis, self.config, self.step)
        self.hist_mse[self.step], self.hist_angles[self.step] = self._now[4], self._now[5]

    def advance(self, command: str | None = None) -> None:
        """One epoch (:func:`models.pca_ae.linear_ae.epoch_step`), then the plane and the MSE are measured."""
        if self.step >= self.config.epochs:
            raise StopIteration  # the runner ends the run as done
        linear_ae.epoch_step(self.model, self.opt, self.x, self.batch, self.random.torch)
        self.step += 1
        if self.delay_s > 0:
            time.sleep(self.delay_s)
        self._measure()

    def snapshot(self) -> linear_ae.LinearState:
        w_enc, b_enc, w_dec, b_dec, err, angles = (v.copy() if isinstance(v, np.ndarray) else v for v in self._now)
        return linear_ae.LinearState(self.step, self.config.epochs, w_enc, b_enc, w_dec, b_dec, err, self.pca_mse,
                                     angles, np.arange(self.config.epochs + 1), self.hist_mse.copy(),
                                     self.hist_angles.copy())

    def modules(self) -> dict[str, torch.nn.Module]:
        return {"ae": self.model}

    def state_dict(self) -> dict:
        return {"ae": self.model.state_dict(), "opt": self.opt.state_dict(), "random": self.random.state_dict(),
                "step": self.step, "hist_mse": self.hist_mse.copy(), "hist_angles": self.hist_angles.copy()}

    def load_state_dict(self, state: dict) -> None:
        self.model.load_state_dict(state["ae"])
        self.opt.load_state_dict(state["opt"])
        self.random.load_state_dict(state["random"])
        self.step = int(state["step"])
        self.hist_mse, self.hist_angles = state["hist_mse"].copy(), state["hist_angles"].copy()
        self._measure()


# -- the nonlinear autoencoder on a curved sheet --------------------------------------------------------------


register(Family(name="linear_ae", make=LinearAETrainer,
                code=(LinearAETrainer.advance, linear_ae.epoch_step, linear_ae.measure),
                total_steps=lambda job: job.config.ae.epochs))
