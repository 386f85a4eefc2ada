"""Training the zoo: several variants side by side on the same batches, one yielded state per step.

:func:`train_zoo` is the generator the page hands to :mod:`models.runner`; :func:`fit` trains one
variant to the end (the ``fit`` that :func:`models.checkpoints.load_or_train` expects).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Generator, Sequence

import numpy as np
import torch
from torch import nn

from ..threads import limit_this_thread
from . import greedy
from .config import ZooConfig
from .variants import build, loss_terms

HISTORY_POINTS = 1000  # loss curves are decimated to about this many points for live plots


class VariantTrainer:
    """Adam on one variant; :meth:`step` does one update and times it.

    Args:
        config: the variant's config.
        model: its network (from :func:`models.zoo.variants.build`), already on ``device``.
    """

    def __init__(self, config: ZooConfig, model: nn.Module, device: torch.device):
        self.config, self.model, self.device = config, model, device
        self.optimizer = torch.optim.Adam(model.parameters(), lr=config.lr)
        self.noise = torch.Generator().manual_seed(config.seed + 1)
        self.step_index = 0
        self.time_s = 0.0

    def step(self, x0: torch.Tensor) -> tuple[float, float]:
        """One optimiser step on (B, C, H, W) images; returns (loss, penalty)."""
        t0 = time.perf_counter()
        self.model.train()
        terms = loss_terms(self.model, x0, self.config, self.step_index, self.noise)
        self.optimizer.zero_grad(set_to_none=True)
        terms.loss.backward()
        self.optimizer.step()
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
        self.time_s += time.perf_counter() - t0
        self.step_index += 1
        return terms.recon + terms.penalty, terms.penalty


def batches(n: int, batch_size: int, steps: int, seed: int) -> Generator[torch.Tensor, None, None]:
    """Index batches of a reshuffled-every-epoch permutation of range(n), ``steps`` of them."""
    gen = torch.Generator().manual_seed(seed)
    batch_size = min(batch_size, n)
    done = 0
    while done < steps:
        perm = torch.randperm(n, generator=gen)
        for i in range(0, n - batch_size + 1, batch_size):
            if done == steps:
                return
            yield perm[i:i + batch_size]
            done += 1


@dataclass
class ZooState:
    """What the page draws after each step of :func:`train_zoo`.

    Attributes:
        step, total: steps done and planned (every variant takes the same steps).
        losses: variant -> (n,) loss history, decimated to about ``HISTORY_POINTS`` points.
        loss_steps: variant -> (n,) step numbers of those points.
        time_s: variant -> seconds spent in its own updates.
        stage: variant -> current greedy stage name ("" for non-greedy variants).
        models: variant -> the network (read it only once ``done``).
        configs: variant -> its config.
        done: training finished.
    """

    step: int
    total: int
    losses: dict[str, np.ndarray]
    loss_steps: dict[str, np.ndarray]
    time_s: dict[str, float]
    stage: dict[str, str]
    models: dict[str, nn.Module] = field(repr=False)
    configs: dict[str, ZooConfig] = field(default_factory=dict)
    done: bool = False


def _decimated(history: list[float]) -> tuple[np.ndarray, np.ndarray]:
    every = max(1, len(history) // HISTORY_POINTS)
    idx = np.arange(0, len(history), every)
    return idx + 1, np.asarray(history, dtype=np.float32)[idx]


def train_zoo(configs: Sequence[ZooConfig], x_train: torch.Tensor, device: torch.device | None = None,
              threads: int | None = 1) -> Generator[ZooState, None, None]:
    """Train every config on the same mini-batches in lock-step, yielding a :class:`ZooState` per step.

    Args:
        configs: one config per variant (same dataset, steps, batch size and seed for a fair race).
        x_train: (N, C, H, W) training images in [0, 1].
        device: where to train (default CPU).
        threads: torch CPU threads for the training thread (1 is fastest for these small nets).
    """
    if not configs:
        raise ValueError("Pick at least one autoencoder variant to train.")
    if threads:
        limit_this_thread(threads)
    device = device or torch.device("cpu")
    first = configs[0]
    trainers = {c.variant: VariantTrainer(c, build(c).to(device), device) for c in configs}
    history: dict[str, list[float]] = {v: [] for v in trainers}
    x_train = x_train.to(device)
    for step, idx in enumerate(batches(len(x_train), first.batch_size, first.steps, first.seed), start=1):
        x0 = x_train[idx.to(device)]  # (B, C, H, W)
        for name, trainer in trainers.items():
            loss, _ = trainer.step(x0)
            history[name].append(loss)
        yield _state(step, first.steps, trainers, history, done=False)
    for trainer in trainers.values():
        trainer.model.eval()
    yield _state(first.steps, first.steps, trainers, history, done=True)


def _state(step, total, trainers, history, done) -> ZooState:
    curves = {name: _decimated(h) for name, h in history.items()}
    return ZooState(
        step=step, total=total,
        losses={n: c[1] for n, c in curves.items()}, loss_steps={n: c[0] for n, c in curves.items()},
        time_s={n: t.time_s for n, t in trainers.items()},
        stage={n: (greedy.STAGES[greedy.stage_of(min(step, total) - 1, total)] if n == "greedy" else "")
               for n in trainers},
        models={n: t.model for n, t in trainers.items()}, configs={n: t.config for n, t in trainers.items()},
        done=done)


def fit(model: nn.Module, config: ZooConfig, device: torch.device, on_step=None,
        x_train: torch.Tensor | None = None) -> dict:
    """Train one variant on its dataset's training split (the ``fit`` of ``load_or_train``).

    Returns:
        metrics: ``train_time_s``, ``final_loss``, ``steps``, ``n_train``, and ``loss_steps``/``loss_history``
        (the loss curve decimated to at most 200 points).
    """
    if x_train is None:
        x_train = training_images(config)
    trainer = VariantTrainer(config, model, device)
    x_train = x_train.to(device)
    loss, history = float("nan"), []
    for step, idx in enumerate(batches(len(x_train), config.batch_size, config.steps, config.seed), start=1):
        loss, _ = trainer.step(x_train[idx.to(device)])
        history.append(loss)
        if on_step is not None and (step % 50 == 0 or step == config.steps):
            on_step(step, config.steps, {"loss": loss})
    model.eval()
    every = max(1, len(history) // 200)
    return {"train_time_s": trainer.time_s, "final_loss": loss, "steps": config.steps, "n_train": len(x_train),
            "loss_steps": list(range(1, len(history) + 1, every)), "loss_history": history[::every]}


def training_images(config: ZooConfig) -> torch.Tensor:
    """The config's training images: its dataset's train split, without ``exclude_digit`` when set."""
    from models.data import load_images

    data = load_images(config.dataset, "train")
    if config.exclude_digit >= 0:
        return data.x[data.y != config.exclude_digit]
    return data.x
