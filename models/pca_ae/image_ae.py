"""Autoencoders on images for the code-size sweep: linear (D-k-D) and the book's stacked (D-100-k-100-D).

HOML ch. 17's stacked autoencoder for 28x28 images is Flatten, Dense(100, ReLU), Dense(30, ReLU) for the
encoder and Dense(100, ReLU), Dense(784) for the decoder, trained with MSE and Nadam; here the 30 is the
code size k. The linear autoencoder (no activations) can at best match PCA with the same k (Baldi &
Hornik 1989); the stacked one can do better because it is nonlinear.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..threads import limit_this_thread
from models.checkpoints import OnStep
from models.data import load_images
from ..seed import seeded_init

KINDS = {"linear": "Linear autoencoder", "stacked": "Stacked autoencoder (book)"}
INPUT_DIM = {"digits": 64, "mnist": 784, "fashion": 784}
# Code sizes the shipped weights cover (PCA is closed form, so it is drawn for every k).
SHIPPED_KS = (2, 5, 10, 30)
# The page opens at this k: there the shipped stacked autoencoder beats PCA's held-out error on MNIST
# (0.0280 against 0.0352) and on the 8x8 digits (0.0164 against 0.0198); tests/pca_ae/test_claims.py.
DEFAULT_K = 10


@dataclass(frozen=True)
class ImageAEConfig:
    """One image autoencoder.

    Attributes:
        dataset: ``digits``, ``mnist`` or ``fashion`` (its train split; the test split is held out).
        kind: ``"linear"`` (D-k-D) or ``"stacked"`` (D-hidden-k-hidden-D with ReLU, the book's).
        k: code size; hidden: the stacked autoencoder's hidden width (the book: 100).
        epochs, batch_size, lr: Nadam on the MSE loss; seed: weights and shuffling.
    """

    dataset: str = "digits"
    kind: str = "stacked"
    k: int = 30
    hidden: int = 100
    epochs: int = 40
    batch_size: int = 64
    lr: float = 2e-3
    seed: int = 0

    def __post_init__(self):
        if self.dataset not in INPUT_DIM:
            raise ValueError(f"dataset must be one of {', '.join(INPUT_DIM)}, got {self.dataset!r}.")
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}.")
        if not 1 <= self.k <= INPUT_DIM[self.dataset]:
            raise ValueError(f"k must be between 1 and {INPUT_DIM[self.dataset]}, got {self.k}.")


def default_config(dataset: str, kind: str, k: int) -> ImageAEConfig:
    """The shipped training recipe: more epochs on the small digits set, a larger step for the linear model
    (its loss surface is badly conditioned, and it has no ReLU to keep stable)."""
    epochs = 60 if dataset == "digits" else 40
    lr = (1e-2 if dataset == "digits" else 3e-3) if kind == "linear" else 2e-3
    return ImageAEConfig(dataset=dataset, kind=kind, k=k, epochs=epochs, lr=lr)


class ImageAE(nn.Module):
    """Flattened image (B, D) -> code (B, k) -> reconstruction (B, D)."""

    def __init__(self, d: int, k: int, kind: str = "stacked", hidden: int = 100):
        super().__init__()
        if kind == "linear":
            self.encoder = nn.Sequential(nn.Linear(d, k))
            self.decoder = nn.Sequential(nn.Linear(k, d))
        else:
            self.encoder = nn.Sequential(nn.Linear(d, hidden), nn.ReLU(), nn.Linear(hidden, k), nn.ReLU())
            self.decoder = nn.Sequential(nn.Linear(k, hidden), nn.ReLU(), nn.Linear(hidden, d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, D) -> (B, D)
        return self.decoder(self.encoder(x))


def build(config: ImageAEConfig) -> ImageAE:
    """A freshly initialised network for a config."""
    with seeded_init(config.seed):
        return ImageAE(INPUT_DIM[config.dataset], config.k, config.kind, config.hidden)


def flatten(x: torch.Tensor) -> np.ndarray:
    """Images (N, 1, H, W) in [0, 1] -> (N, H*W) float32 numpy."""
    return x.reshape(len(x), -1).cpu().numpy().astype(np.float32)


def encode(model: nn.Module, x: np.ndarray, batch: int = 1024) -> np.ndarray:
    """Codings (N, k) of flattened images x (N, D)."""
    device = next(model.parameters()).device
    out = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            out.append(model.encoder(torch.as_tensor(x[i:i + batch], device=device)).cpu().numpy())
    return np.concatenate(out).astype(np.float64)


def reconstruct(model: nn.Module, x: np.ndarray, batch: int = 1024) -> np.ndarray:
    """Reconstructions (N, D) of flattened images x (N, D)."""
    device = next(model.parameters()).device
    out = []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            out.append(model(torch.as_tensor(x[i:i + batch], device=device)).cpu().numpy())
    return np.concatenate(out).astype(np.float64)


def optimizer(model: nn.Module, config: ImageAEConfig) -> torch.optim.Optimizer:
    """Nadam, as the book."""
    return torch.optim.NAdam(model.parameters(), lr=config.lr)


def epoch_step(model: nn.Module, opt: torch.optim.Optimizer, x_train: torch.Tensor, batch_size: int,
               g: torch.Generator) -> float:
    """One epoch of mini-batch updates of MSE(x, x_hat) over a shuffle of x_train (N, D) drawn from ``g``;
    returns the epoch's mean training loss."""
    perm = torch.randperm(len(x_train), generator=g).to(x_train.device)
    total = 0.0
    for i in range(0, len(x_train), batch_size):
        xb = x_train[perm[i:i + batch_size]]  # (B, D)
        loss = ((model(xb) - xb) ** 2).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        total += float(loss.detach()) * len(xb)
    return total / len(x_train)


def held_out_mse(model: nn.Module, x_test: np.ndarray) -> float:
    """Reconstruction MSE per pixel of flattened held-out images x_test (N, D)."""
    return float(np.mean((reconstruct(model, x_test) - x_test) ** 2))


def fit(model: nn.Module, config: ImageAEConfig, device: torch.device, on_step: OnStep | None = None) -> dict:
    """Train ``model`` in place on the dataset's train split with Nadam on the MSE; measure on the test split.

    Args:
        model: from :func:`build`, already on ``device``.
        on_step: called after every epoch with ``(epoch, epochs, {"mse": train loss})``.

    Returns:
        {"train_mse", "test_mse", "epochs", "seconds", "n_train", "n_test"}.
    """
    limit_this_thread(1)
    t0 = time.perf_counter()
    x_train = torch.as_tensor(flatten(load_images(config.dataset, "train").x), device=device)  # (N, D)
    x_test = flatten(load_images(config.dataset, "test").x)
    g = torch.Generator().manual_seed(config.seed)
    opt = optimizer(model, config)
    model.train()
    train_mse = float("nan")
    for epoch in range(1, config.epochs + 1):
        train_mse = epoch_step(model, opt, x_train, config.batch_size, g)
        if on_step is not None:
            on_step(epoch, config.epochs, {"mse": train_mse})
    model.eval()
    test_mse = held_out_mse(model, x_test)
    return {"train_mse": train_mse, "test_mse": test_mse, "epochs": config.epochs,
            "seconds": round(time.perf_counter() - t0, 1), "n_train": len(x_train), "n_test": len(x_test)}


@dataclass(frozen=True)
class SweepProgress:
    """Training the sweep's missing autoencoders (a run of :class:`models.pca_ae.trainers.SweepTrainer`).

    Attributes:
        done, total: models trained of those missing; label: the one training now (or the last one).
        epoch, epochs: where the model training now stands.
        train_mse: its last epoch's mean training loss (NaN before its first epoch).
    """

    done: int
    total: int
    label: str
    epoch: int = 0
    epochs: int = 0
    train_mse: float = float("nan")


def sweep_configs(dataset: str, ks: tuple[int, ...] = SHIPPED_KS) -> list[ImageAEConfig]:
    """The linear and stacked autoencoder configs of the k sweep for a dataset (linear first)."""
    return [default_config(dataset, kind, k) for kind in KINDS for k in ks]


def missing_weights(configs: list[ImageAEConfig]) -> list[ImageAEConfig]:
    """The configs with neither shipped nor cached weights (they would train on first use)."""
    from models.checkpoints import weight_paths

    return [c for c in configs if not any(p.is_file() for p in weight_paths(c))]


def test_errors(models: dict[ImageAEConfig, nn.Module], x_test: np.ndarray) -> dict[str, dict[int, float]]:
    """Held-out reconstruction MSE per pixel of each model: {kind: {k: MSE}}, x_test (N, D) in [0, 1]."""
    out: dict[str, dict[int, float]] = {}
    for config, model in models.items():
        out.setdefault(config.kind, {})[config.k] = float(np.mean((reconstruct(model, x_test) - x_test) ** 2))
    return out


def one_per_class(y: np.ndarray, n: int = 10) -> np.ndarray:
    """Indices of the first image of each class (then the next ones), n in all: a varied row to show."""
    y = np.asarray(y)
    first = [int(np.flatnonzero(y == c)[0]) for c in np.unique(y)]
    rest = [i for i in range(len(y)) if i not in set(first)]
    return np.array((first + rest)[:n])
