"""Flow matching as a family of the run layer (:mod:`models.runs`): the page's training goes through the
run pool (capped, queued, checkpointed) like every other live training.

A job trains either a field from scratch (``Job("flow", FlowConfig)``) or its reflow
(``Job("flow", Reflow(FlowConfig))``: the 2-rectified flow of Liu et al. 2023, trained on the first flow's
own pairs (z, ODE(z)) from its weights; the trainer first trains the first flow, which takes seconds).
One step is one Adam step (:func:`models.flow.training.train_step`); the draws come from the run's
generators, seeded exactly as :func:`~models.flow.training.train_steps` seeds its own, so a job trains the
same field as ``fit(config)``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import torch

from ..runs.family import Family, register
from ..runs.job import Job
from ..runs.randomness import RunRandom
from . import reflow as reflow_mod
from .config import FlowConfig
from .training import TrainedFlow, build, cfm_loss, fit, optimizer, train_step


@dataclass(frozen=True)
class Reflow:
    """The reflow of the flow ``base`` trains (same settings, seed + 1, as many steps again)."""

    base: FlowConfig


@dataclass(frozen=True)
class FlowState:
    """A snapshot: ``step`` of ``total`` and the loss of every step so far (a copy)."""

    step: int
    total: int
    losses: np.ndarray


def flow_job(config: FlowConfig | Reflow) -> Job:
    seed = (config.base.seed + 1) if isinstance(config, Reflow) else config.seed
    return Job("flow", config, None, seed)


class FlowTrainer:
    """One field, its Adam and cosine schedule, the run's generators, and its losses."""

    def __init__(self, job: Job, device: torch.device | str = "cpu"):
        self.job = job
        self.pairs = None  # reflow: the first flow's pairs, made when training needs them (not to restore)
        self.reflow = isinstance(job.config, Reflow)
        self.config = replace(job.config.base, seed=job.config.base.seed + 1) if self.reflow else job.config
        if job.seed != self.config.seed:
            raise ValueError(f"A flow job's seed ({job.seed}) must be its config's ({self.config.seed}): use flow_job.")
        self.random = RunRandom(job.seed)  # torch: weights, t and reflow batches; numpy: source and target draws
        self.model = build(self.config, self.random.torch)
        self.opt, self.sched = optimizer(self.model, self.config)
        self.step, self.losses = 0, []

    def _first_flow(self) -> None:
        """Reflow: train the flow being straightened (deterministic: its own seed), take its pairs (z, ODE(z))
        and, at step 0, its weights."""
        first = fit(self.job.config.base)
        self.pairs = reflow_mod.model_pairs(first, seed=self.job.config.base.seed)
        if self.step == 0:
            self.model.load_state_dict(first.model.state_dict())

    def advance(self, command=None) -> None:
        if self.step >= self.config.steps:
            raise StopIteration
        if self.reflow and self.pairs is None:
            self._first_flow()
        self.losses.append(train_step(self.model, self.opt, self.sched, self.config, self.random.torch,
                                      self.random.numpy, self.pairs))
        self.step += 1

    def snapshot(self) -> FlowState:
        return FlowState(self.step, self.config.steps, np.asarray(self.losses, np.float32))

    def trained(self) -> TrainedFlow:
        """The field as the page's views take it (a copy in eval mode; the trainer keeps its own)."""
        model = build(self.config, torch.Generator().manual_seed(0))
        model.load_state_dict(self.model.state_dict())
        return TrainedFlow(self.config, model.eval().requires_grad_(False), np.asarray(self.losses, np.float32))

    def modules(self) -> dict[str, torch.nn.Module]:
        return {"v": self.model}

    def state_dict(self) -> dict:
        return {"v": self.model.state_dict(), "opt": self.opt.state_dict(), "sched": self.sched.state_dict(),
                "random": self.random.state_dict(), "step": self.step, "losses": list(self.losses)}

    def load_state_dict(self, state: dict) -> None:
        import copy

        self.model.load_state_dict(state["v"])
        self.opt.load_state_dict(copy.deepcopy(state["opt"]))
        self.sched.load_state_dict(state["sched"])
        self.random.load_state_dict(state["random"])
        self.step, self.losses = int(state["step"]), list(state["losses"])


FAMILY = register(Family(name="flow", make=FlowTrainer, code=(cfm_loss, train_step),
                         total_steps=lambda job: (job.config.base if isinstance(job.config, Reflow)
                                                  else job.config).steps))
