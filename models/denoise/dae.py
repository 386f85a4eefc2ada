"""The book's denoising autoencoders for 28x28 digits: dense and convolutional, Gaussian or dropout noise.

A denoising autoencoder (Vincent et al. 2008) is trained to reconstruct the clean x0 from a corrupted
y = c(x0): Gaussian y = x0 + sigma * eps, or masking (dropout) y = x0 * m, m_i ~ Bernoulli(1 - p).
The loss is the reconstruction error to the *clean* input, l = mean((g(f(y)) - x0)^2), so the code
must capture the digit, not the noise. Architectures follow Geron, *Hands-On Machine Learning*
(3rd ed., ch. 17): dense 784-100-30-100-784 there (wider here, 784-256-64-256-784, by default), and a convolutional one with a 3x3x64 code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .config import DAEConfig
from ..seed import seeded_init

KINDS = ("dense", "conv")
NOISES = ("gaussian", "dropout")
SIDE = 28


class DenseDAE(nn.Module):
    """784 -> hidden -> code -> hidden -> 784 with ReLU, sigmoid output in [0, 1]."""

    def __init__(self, hidden: int = 100, code: int = 30):
        super().__init__()
        self.encoder = nn.Sequential(nn.Flatten(), nn.Linear(SIDE * SIDE, hidden), nn.ReLU(), nn.Linear(hidden, code),
                                     nn.ReLU())
        self.decoder = nn.Sequential(nn.Linear(code, hidden), nn.ReLU(), nn.Linear(hidden, SIDE * SIDE), nn.Sigmoid())

    def forward(self, y: torch.Tensor) -> torch.Tensor:
        """(B, 1, 28, 28) noisy -> (B, 1, 28, 28) x0_hat in [0, 1]."""
        return self.decoder(self.encoder(y)).view(-1, 1, SIDE, SIDE)


class ConvDAE(nn.Module):
    """Conv 16-32-64 with 2x2 max-pooling to a (64, 3, 3) code, then three stride-2 transposed convs."""

    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # (B, 16, 14, 14)
            nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (B, 32, 7, 7)
            nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))  # (B, 64, 3, 3)
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(64, 32, 3, stride=2), nn.ReLU(),                              # (B, 32, 7, 7)
            nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),  # (B, 16, 14, 14)
            nn.ConvTranspose2d(16, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())  # (B, 1, 28, 28)

    def forward(self, y: torch.Tensor) -> torch.Tensor:
        """(B, 1, 28, 28) noisy -> (B, 1, 28, 28) x0_hat in [0, 1]."""
        return self.decoder(self.encoder(y))


def build(config: DAEConfig) -> nn.Module:
    """A freshly initialised DAE for ``config``."""
    if config.kind not in KINDS:
        raise ValueError(f"Unknown DAE kind {config.kind!r}; choose one of {KINDS}.")
    if config.noise not in NOISES:
        raise ValueError(f"Unknown DAE noise {config.noise!r}; choose one of {NOISES}.")
    with seeded_init(config.seed):
        return DenseDAE(config.hidden, config.code) if config.kind == "dense" else ConvDAE()


def corrupt_batch(x0: torch.Tensor, config: DAEConfig, gen: torch.Generator) -> torch.Tensor:
    """Training corruption: x0 + sigma * eps (Gaussian) or x0 * m, m ~ Bernoulli(1 - p) (dropout)."""
    if config.noise == "gaussian":
        return x0 + config.noise_level * torch.randn(x0.shape, generator=gen)
    return x0 * (torch.rand(x0.shape, generator=gen) >= config.noise_level).float()


@dataclass(frozen=True)
class TrainState:
    """One optimiser step: step (1-based), total steps, epoch, and the batch's MSE to the clean images."""

    step: int
    total: int
    epoch: int
    loss: float


def train_steps(model: nn.Module, config: DAEConfig, device: torch.device,
                x_train: torch.Tensor | None = None) -> Iterator[TrainState]:
    """Minimise mean((model(c(x0)) - x0)^2) with Adam on MNIST's training part; yield each step.

    Args:
        x_train: (N, 1, 28, 28) clean images in [0, 1]; default the 8,000-image MNIST training part.
    """
    if x_train is None:
        from ..data import load_images

        x_train = load_images("mnist", "train").x
    gen = torch.Generator().manual_seed(config.seed)
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    n = len(x_train)
    per_epoch = (n + config.batch - 1) // config.batch
    total = per_epoch * config.epochs
    step = 0
    model.train()
    for epoch in range(config.epochs):
        order = torch.randperm(n, generator=gen)
        for i in range(per_epoch):
            x0 = x_train[order[i * config.batch:(i + 1) * config.batch]]  # (B, 1, 28, 28)
            y = corrupt_batch(x0, config, gen)
            loss = F.mse_loss(model(y.to(device)), x0.to(device))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            yield TrainState(step, total, epoch + 1, loss.item())
    model.eval()


def fit(model: nn.Module, config: DAEConfig, device: torch.device, on_step=None) -> dict:
    """Train in place (``models.checkpoints`` Fit signature); returns {"steps", "final_loss"}."""
    state = None
    for state in train_steps(model, config, device):
        if on_step is not None:
            on_step(state.step, state.total, {"loss": state.loss, "epoch": state.epoch})
    return {"steps": state.step if state else 0, "final_loss": state.loss if state else None}


@torch.no_grad()
def denoise_batch(model: nn.Module, y: np.ndarray) -> np.ndarray:
    """Run a trained DAE on noisy 28x28 images.

    Args:
        y: (N, 1, 28, 28) or (28, 28) float noisy images (about [0, 1]).

    Returns:
        float32 array of y's shape in [0, 1].
    """
    arr = np.asarray(y, dtype=np.float32)
    if arr.shape[-2:] != (SIDE, SIDE):
        raise ValueError(f"the denoising autoencoders take 28x28 images, got {arr.shape[-2:]}; "
                         "resize first (models.denoise.pipeline.to_digit).")
    model.eval()
    device = next(model.parameters()).device
    x = torch.from_numpy(arr.reshape(-1, 1, SIDE, SIDE)).to(device)
    return model(x).cpu().numpy().reshape(arr.shape)
