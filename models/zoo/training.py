"""Training the zoo: one variant's update, the shuffled batches, and ``fit``.

:class:`VariantTrainer` does one variant's update; the page's live race steps several of them in lock-step
(:mod:`models.zoo.trainer`, a family of the run layer); :func:`fit` trains one variant to the end (the
``fit`` that :func:`models.checkpoints.load_or_train` expects).
"""

from __future__ import annotations

import time
from typing import Generator

import numpy as np
import torch
from torch import nn

from .config import ZooConfig
from .variants import loss_terms

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

    def state_dict(self) -> dict:
        """Optimiser, noise generator, step and time: with the model's weights (saved by the caller, under
        the variant's name), all a bit-identical resume needs."""
        return {"optimizer": self.optimizer.state_dict(),
                "noise": self.noise.get_state(), "step_index": self.step_index, "time_s": self.time_s}

    def load_state_dict(self, state: dict) -> None:
        self.optimizer.load_state_dict(state["optimizer"])
        self.noise.set_state(state["noise"])
        self.step_index, self.time_s = int(state["step_index"]), float(state["time_s"])


class Shuffled:
    """Index batches of a permutation of range(n) drawn afresh each epoch (the last partial batch dropped).

    Resumable: :meth:`state_dict` holds the epoch's permutation and the position in it; the generator
    (the caller's) holds the rest.
    """

    def __init__(self, n: int, batch_size: int, generator: torch.Generator):
        self.n, self.batch_size, self.generator = n, min(batch_size, n), generator
        self.perm: torch.Tensor | None = None
        self.pos = 0

    def next(self) -> torch.Tensor:
        """The next (batch_size,) index batch."""
        if self.perm is None or self.pos + self.batch_size > self.n:
            self.perm, self.pos = torch.randperm(self.n, generator=self.generator), 0
        idx = self.perm[self.pos:self.pos + self.batch_size]
        self.pos += self.batch_size
        return idx

    def state_dict(self) -> dict:
        return {"perm": self.perm, "pos": self.pos}

    def load_state_dict(self, state: dict) -> None:
        self.perm, self.pos = state["perm"], int(state["pos"])


def batches(n: int, batch_size: int, steps: int, seed: int) -> Generator[torch.Tensor, None, None]:
    """Index batches of a reshuffled-every-epoch permutation of range(n), ``steps`` of them."""
    order = Shuffled(n, batch_size, torch.Generator().manual_seed(seed))
    for _ in range(steps):
        yield order.next()


def decimated(history: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """(steps, losses) of a per-step loss history, thinned to about ``HISTORY_POINTS`` points."""
    every = max(1, len(history) // HISTORY_POINTS)
    idx = np.arange(0, len(history), every)
    return idx + 1, np.asarray(history, dtype=np.float32)[idx]


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
