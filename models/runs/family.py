"""Model families: how a :class:`~models.runs.job.Job` becomes a trainer, one registry for all of them.

A trainer holds one run's networks, optimisers and random generators, and is driven one step at a time:

    trainer = make_trainer(job, device)     # builds the networks (seeded by the job)
    trainer.advance()                       # one training step (a family may take commands: "d", "g")
    snap = trainer.snapshot()               # a value: numpy arrays and numbers copied out, never a network
    state = trainer.state_dict()            # everything a resume needs: weights, optimiser, step, RNG state
    trainer.load_state_dict(state)          # ... and continue exactly where it stopped

A family registers itself when its module is imported; :data:`MODULES` says which module that is, so a
job names its family by a string and nothing else needs importing up front.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

import torch

from .job import Job

# family name -> the module whose import registers it
MODULES = {
    "gan_toy": "models.gan.toy_trainer",
    "gan_images": "models.gan.image_trainer",
    "ddpm": "models.diffusion.trainer",
    "linear_ae": "models.pca_ae.trainers",
    "manifold_ae": "models.pca_ae.trainers",
    "image_ae_sweep": "models.pca_ae.trainers",
    "tsne": "models.pca_ae.trainers",
    "beta_vae": "models.latent.trainer",
    "zoo": "models.zoo.trainer",
    "flow": "models.flow.trainer",
    "fit": "models.runs.fit",
    "flow_images": "models.flow.images.trainer",
}


class Trainer(Protocol):
    """One run's training state. ``step`` counts training steps (what budgets and checkpoints count)."""

    job: Job
    step: int

    def advance(self, command: str | None = None) -> None: ...

    def snapshot(self) -> Any: ...

    def state_dict(self) -> dict: ...

    def load_state_dict(self, state: dict) -> None: ...

    def modules(self) -> dict[str, torch.nn.Module]: ...


@dataclass(frozen=True)
class Family:
    """A model family the run layer can train.

    Attributes:
        name: the name jobs use.
        make: ``(job, device) -> Trainer``.
        commands: single-step commands besides a full step (the GAN lab's ``d`` and ``g``), with labels.
        code: the functions behind one training step, for the page's "show the code".
        total_steps: ``job -> steps`` of a full run, or None when it runs until stopped.
        threads: PyTorch CPU threads for the run's thread (1 for small networks: fastest, and it leaves the
            other cores to the pages); None leaves the default.
    """

    name: str
    make: Callable[[Job, torch.device], Trainer]
    commands: tuple[tuple[str, str], ...] = ()
    code: tuple[Callable, ...] = field(default=(), repr=False)
    total_steps: Callable[[Job], int | None] = lambda job: None
    threads: int | None = 1


_REGISTRY: dict[str, Family] = {}


def register(family: Family) -> Family:
    _REGISTRY[family.name] = family
    return family


def family(name: str) -> Family:
    """The registered family ``name`` (importing its module on first use)."""
    if name not in _REGISTRY:
        if name not in MODULES:
            raise KeyError(f"No model family {name!r}; GenLab has {', '.join(sorted(MODULES))}.")
        importlib.import_module(MODULES[name])
    return _REGISTRY[name]


def make_trainer(job: Job, device: torch.device | str = "cpu") -> Trainer:
    return family(job.family).make(job, torch.device(device))
