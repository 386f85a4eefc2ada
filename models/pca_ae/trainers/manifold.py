"""``manifold_ae``: the nonlinear autoencoder on a curved sheet, one full-batch Adam step per step."""

from __future__ import annotations


import torch

from ...runs.family import Family, register
from ...runs.job import Job
from .. import nonlinear_ae


RECORD_EVERY = 25  # steps between points of the loss curve (as train_manifold_steps)


def manifold_job(config: nonlinear_ae.ManifoldAEConfig) -> Job:
    """The job of a curved-sheet run: seeded with ``config.seed`` (the initial weights; training is full-batch,
    so nothing else is random)."""
    return Job("manifold_ae", config, config.manifold, config.seed)


class ManifoldTrainer:
    """The nonlinear autoencoder and its Adam optimiser; ``step`` counts full-batch steps."""

    def __init__(self, job: Job, device: torch.device | str = "cpu"):
        config: nonlinear_ae.ManifoldAEConfig = job.config
        if job.seed != config.seed:
            raise ValueError(f"A manifold_ae job's seed ({job.seed}) must be its config's ({config.seed}): "
                             "make the job with manifold_job(config).")
        self.job, self.config, self.device = job, config, torch.device(device)
        self.model = nonlinear_ae.build(config).to(self.device)  # seeded_init(config.seed)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=config.lr)
        x, _ = nonlinear_ae.manifold_data(config)
        self.xt = torch.tensor(x, dtype=torch.float32, device=self.device)  # (n, 3)
        self.step = 0
        self.hist_step: list[int] = []
        self.hist_mse: list[float] = []

    def advance(self, command: str | None = None) -> None:
        """One full-batch step (:func:`models.pca_ae.nonlinear_ae.manifold_step`)."""
        if self.step >= self.config.steps:
            raise StopIteration
        loss = nonlinear_ae.manifold_step(self.model, self.opt, self.xt)
        self.step += 1
        if self.step % RECORD_EVERY == 0 or self.step == self.config.steps:
            self.hist_mse.append(nonlinear_ae.checked_loss(loss, self.step))
            self.hist_step.append(self.step)

    def snapshot(self) -> nonlinear_ae.ManifoldState:
        # evaluate() copies everything out: new arrays from the network's outputs and the history lists
        return nonlinear_ae.evaluate(self.model, self.config, self.step, (self.hist_step, self.hist_mse))

    def modules(self) -> dict[str, torch.nn.Module]:
        return {"ae": self.model}

    def state_dict(self) -> dict:
        return {"ae": self.model.state_dict(), "opt": self.opt.state_dict(), "step": self.step,
                "hist_step": list(self.hist_step), "hist_mse": list(self.hist_mse)}

    def load_state_dict(self, state: dict) -> None:
        self.model.load_state_dict(state["ae"])
        self.opt.load_state_dict(state["opt"])
        self.step = int(state["step"])
        self.hist_step, self.hist_mse = list(state["hist_step"]), list(state["hist_mse"])


# -- the code-size sweep's missing autoencoders ---------------------------------------------------------------


register(Family(name="manifold_ae", make=ManifoldTrainer,
                code=(ManifoldTrainer.advance, nonlinear_ae.manifold_step),
                total_steps=lambda job: job.config.steps))
