"""The configuration that defines a diffusion model and its training; its hash names the weights file."""

from __future__ import annotations

from dataclasses import dataclass

from .schedules import KINDS


@dataclass(frozen=True)
class DiffusionConfig:
    """Everything that defines a trained eps_theta: network size, schedule, data and training.

    Attributes:
        dataset: ``"digits"`` (8x8) or ``"mnist"`` (28x28); trained on the ``train`` split.
        base, mults: U-Net width (channels base * mults[i] at level i).
        patch: pixel-unshuffle factor (2: the U-Net runs at half resolution, about 2x cheaper on a CPU).
        schedule, T: noise schedule kind (``linear``/``cosine``) and number of steps.
        steps: optimiser steps; batch_size: images per step; lr: Adam learning rate (after warm-up).
        ema_decay: decay of the exponential moving average of the weights used for sampling.
        seed: seeds initialisation, batches and noise.
    """

    dataset: str = "mnist"
    base: int = 32
    mults: tuple[int, ...] = (1, 2, 2)
    patch: int = 2
    schedule: str = "linear"
    T: int = 1000
    steps: int = 7000
    batch_size: int = 64
    lr: float = 2e-3
    warmup: int = 200
    ema_decay: float = 0.999
    seed: int = 0

    def __post_init__(self):
        if self.dataset not in ("digits", "mnist", "fashion"):
            raise ValueError(f"Unknown dataset {self.dataset!r}: the diffusion page trains on digits or mnist.")
        if self.schedule not in KINDS:
            raise ValueError(f"Unknown schedule {self.schedule!r}: choose one of {', '.join(KINDS)}.")
        if self.steps < 1 or self.batch_size < 1 or self.T < 2:
            raise ValueError("steps and batch_size must be >= 1 and T >= 2.")


def default_config(dataset: str) -> DiffusionConfig:
    """The configuration whose weights ship in ``pretrained/`` for ``dataset``."""
    if dataset == "digits":
        return DiffusionConfig(dataset="digits", base=16, mults=(1, 2, 2), patch=1, steps=3000)
    # MNIST: 20,000 steps (160 epochs of its 8,000 training images) reach the sample-quality goal of the
    # model card; a model trained on demand for another dataset stops at the class default.
    return DiffusionConfig(dataset=dataset, steps=20000 if dataset == "mnist" else DiffusionConfig.steps)


# The network the DDPM page's Train tab trains live: on MNIST a smaller U-Net than the shipped one (base 16,
# two levels at half resolution: 122k parameters against 767k), 2.5 times as many steps per second, so
# that digits appear within a few minutes on a laptop's CPU (`python -m bench` measures how sure the
# classifier is of its samples after the default run; bench/diffusion.py). The 8x8 digits keep the
# shipped architecture, already small.
LIVE_STEPS = {"digits": 500, "mnist": 3000}


def live_config(dataset: str, schedule: str = "linear", T: int = 1000, steps: int | None = None,
                seed: int = 0) -> DiffusionConfig:
    """The Train tab's configuration for ``dataset`` (``steps`` default: :data:`LIVE_STEPS`)."""
    base = default_config(dataset)
    arch = dict(base=base.base, mults=base.mults, patch=base.patch) if dataset == "digits" else \
        dict(base=16, mults=(1, 2), patch=2)
    return DiffusionConfig(dataset=dataset, schedule=schedule, T=T, seed=seed,
                           steps=LIVE_STEPS.get(dataset, 3000) if steps is None else steps,
                           batch_size=base.batch_size, lr=base.lr, **arch)
