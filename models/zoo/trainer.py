"""The autoencoder zoo's live race as a trainer of the run layer (:mod:`models.runs`).

A job's config is a tuple of :class:`~models.zoo.config.ZooConfig`, one per variant, sharing the dataset,
steps, batch size and seed; its dataset is the dataset's name (the trainer loads the images itself). One
step draws one batch from the run's own generator and gives it to every variant in turn
(:meth:`models.zoo.training.VariantTrainer.step`), so they race on the same data. A snapshot holds the loss
curves as arrays; the page scores the trained networks after loading them from the run's checkpoint
(:func:`models.runs.checkpoint.restore`), which also keeps each variant's training time (wall clock, so
never part of a snapshot: equal jobs give equal snapshots).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import torch

from ..runs.family import Family, register
from ..runs.job import Job
from ..runs.randomness import RunRandom
from ..threads import flush_denormals
from . import greedy, training
from .config import ZooConfig
from .variants import build

SHARED = ("dataset", "steps", "batch_size", "seed", "exclude_digit")  # what a fair race keeps equal


def zoo_job(configs: Sequence[ZooConfig]) -> Job:
    """The job that trains ``configs`` side by side (one per variant, same dataset, steps, batches, seed)."""
    configs = tuple(configs)
    if not configs:
        raise ValueError("Pick at least one autoencoder variant to train.")
    first = configs[0]
    for c in configs[1:]:
        differs = [f for f in SHARED if getattr(c, f) != getattr(first, f)]
        if differs:
            raise ValueError(f"The variants of one race share {', '.join(SHARED)}; {c.variant} differs from "
                             f"{first.variant} in {', '.join(differs)}.")
    if len({c.variant for c in configs}) != len(configs):
        raise ValueError("Each variant may appear once in a race.")
    return Job("zoo", configs, first.dataset, first.seed)


def configs_of(job: Job) -> tuple[ZooConfig, ...]:
    return job.config if isinstance(job.config, tuple) else (job.config,)


@dataclass(frozen=True)
class ZooState:
    """One snapshot of a race (copied values only).

    Attributes:
        step, total: steps done and planned (every variant takes the same steps).
        losses: variant -> (n,) float32 loss history (recon + penalty), decimated to about HISTORY_POINTS.
        loss_steps: variant -> (n,) step numbers of those points.
        stage: variant -> current greedy stage name ("" for the other variants).
        configs: the variants' configs, in the race's order.
    """

    step: int
    total: int
    losses: dict
    loss_steps: dict
    stage: dict
    configs: tuple

    @property
    def done(self) -> bool:
        return self.step >= self.total


class ZooTrainer:
    """Every variant's network and optimiser, the shared batch order and the run's generators."""

    def __init__(self, job: Job, device: torch.device | str = "cpu"):
        self.job, self.device = job, torch.device(device)
        self.configs = configs_of(job)
        first = self.configs[0]
        if job.dataset != first.dataset:
            raise ValueError(f"Job dataset {job.dataset!r} differs from the configs' {first.dataset!r}.")
        flush_denormals()
        self.random = RunRandom(job.seed)
        self.x_train = training.training_images(first).to(self.device)  # (N, C, H, W)
        self.order = training.Shuffled(len(self.x_train), first.batch_size, self.random.torch)
        self.trainers = {c.variant: training.VariantTrainer(c, build(c).to(self.device), self.device)
                         for c in self.configs}
        self.history: dict[str, list[float]] = {v: [] for v in self.trainers}
        self.step, self.total = 0, first.steps

    def advance(self, command: str | None = None) -> None:
        """One batch for every variant."""
        if self.step >= self.total:
            raise StopIteration
        x0 = self.x_train[self.order.next().to(self.device)]  # (B, C, H, W)
        for name, trainer in self.trainers.items():
            loss, _ = trainer.step(x0)
            self.history[name].append(loss)
        self.step += 1
        if self.step == self.total:
            for trainer in self.trainers.values():
                trainer.model.eval()

    def time_s(self) -> dict[str, float]:
        """Variant -> seconds spent in its own updates (wall clock, this run and any it resumed)."""
        return {n: t.time_s for n, t in self.trainers.items()}

    def snapshot(self) -> ZooState:
        curves = {n: training.decimated(h) for n, h in self.history.items()}
        stage = {n: (greedy.STAGES[greedy.stage_of(max(self.step, 1) - 1, self.total)] if n == "greedy" else "")
                 for n in self.trainers}
        return ZooState(self.step, self.total, {n: c[1] for n, c in curves.items()},
                        {n: c[0] for n, c in curves.items()}, stage, self.configs)

    # -- checkpoints -----------------------------------------------------------------------------------
    def modules(self) -> dict[str, torch.nn.Module]:
        return {n: t.model for n, t in self.trainers.items()}

    def state_dict(self) -> dict:
        return {**{n: t.model.state_dict() for n, t in self.trainers.items()},  # weights under the modules' names
                "trainers": {n: t.state_dict() for n, t in self.trainers.items()}, "order": self.order.state_dict(),
                "random": self.random.state_dict(), "step": self.step,
                "history": {n: list(h) for n, h in self.history.items()}}

    def load_state_dict(self, state: dict) -> None:
        for n, t in self.trainers.items():
            t.model.load_state_dict(state[n])
            t.load_state_dict(state["trainers"][n])
        self.order.load_state_dict(state["order"])
        self.random.load_state_dict(state["random"])
        self.step = int(state["step"])
        self.history = {n: list(h) for n, h in state["history"].items()}
        if self.step >= self.total:
            for trainer in self.trainers.values():
                trainer.model.eval()


def _code():
    from . import contractive, denoising, sparse
    from .variants import loss_terms

    return (ZooTrainer.advance, training.VariantTrainer.step, loss_terms, denoising.corrupt, sparse.kl_penalty,
            contractive.jacobian_frobenius_sq, greedy.stage_loss)


FAMILY = register(Family(
    name="zoo", make=ZooTrainer, code=_code(),
    total_steps=lambda job: configs_of(job)[0].steps,
))
