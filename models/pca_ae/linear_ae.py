"""The undercomplete linear autoencoder of HOML ch. 17 (3 -> 2 -> 3, no activations, MSE loss).

With linear activations and the MSE loss, every minimum of the loss spans the same subspace as PCA
(Baldi & Hornik 1989, "Neural networks and principal component analysis"): the decoder's columns span
PCA's plane, and the codings are PCA's scores up to an invertible linear map. Training is a generator
that yields a :class:`LinearState` after every epoch, so a page can draw the plane as it turns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch
from torch import nn

from models.data import homl_3d

from ..threads import limit_this_thread
from .pca import PCAFit, mse
from .subspace import principal_angles

OPTIMIZERS = ("sgd", "adam")


@dataclass(frozen=True)
class LinearAEConfig:
    """Everything that defines one training run of the linear autoencoder.

    Attributes:
        n_points, data_seed: the HOML 3D dataset (:func:`models.data.homl_3d`).
        k: code size (2: a plane).
        optimizer: ``"sgd"`` (the book: SGD, learning rate 0.5) or ``"adam"``.
        lr: learning rate.
        epochs: passes over the data (the book: 500).
        batch_size: mini-batch size (Keras' default 32, as the book); 0 means the full batch.
        seed: initial weights and shuffling.
    """

    n_points: int = 200
    data_seed: int = 4
    k: int = 2
    optimizer: str = "sgd"
    lr: float = 0.5
    epochs: int = 500
    batch_size: int = 32
    seed: int = 0

    def __post_init__(self):
        if self.optimizer not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {self.optimizer!r}.")
        if not (self.lr > 0 and np.isfinite(self.lr)):
            raise ValueError(f"The learning rate must be a positive number, got {self.lr}.")
        if self.epochs < 1 or self.k < 1 or self.k > 3 or self.batch_size < 0 or self.n_points < 4:
            raise ValueError("Need epochs >= 1, 1 <= k <= 3, batch_size >= 0 and at least 4 points.")


class LinearAE(nn.Module):
    """x -> z = W_e x + b_e -> x_hat = W_d z + b_d: two dense layers with no activation."""

    def __init__(self, d: int = 3, k: int = 2, generator: torch.Generator | None = None):
        super().__init__()
        self.encoder = nn.Linear(d, k)
        self.decoder = nn.Linear(k, d)
        for layer in (self.encoder, self.decoder):  # Keras' defaults: Glorot uniform, zero bias
            nn.init.xavier_uniform_(layer.weight, generator=generator)
            nn.init.zeros_(layer.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, D) -> (B, D)
        return self.decoder(self.encoder(x))


def dataset(config: LinearAEConfig) -> np.ndarray:
    """The (n, 3) centred HOML 3D data a config trains on."""
    return homl_3d(m=config.n_points, seed=config.data_seed)


@dataclass(frozen=True)
class LinearState:
    """The autoencoder after ``epoch`` epochs, with the history so far.

    Attributes:
        w_enc: (k, D), b_enc: (k,), w_dec: (D, k), b_dec: (D,): the weights (numpy float64 copies).
        mse: reconstruction MSE on the whole dataset.
        pca_mse: PCA's MSE with the same k (the floor).
        angles: (k,) principal angles in degrees between span(w_dec) and PCA's subspace, largest first.
        hist_epoch, hist_mse: (epochs + 1,) buffers, valid up to index ``epoch`` included.
        hist_angles: (epochs + 1, k) buffer, valid likewise.
    """

    epoch: int
    epochs: int
    w_enc: np.ndarray
    b_enc: np.ndarray
    w_dec: np.ndarray
    b_dec: np.ndarray
    mse: float
    pca_mse: float
    angles: np.ndarray
    hist_epoch: np.ndarray
    hist_mse: np.ndarray
    hist_angles: np.ndarray

    @property
    def max_angle(self) -> float:
        return float(self.angles.max())

    @property
    def mse_ratio(self) -> float:
        """MSE / PCA's MSE (>= 1 up to rounding; 1 means the autoencoder is as good as PCA)."""
        return self.mse / self.pca_mse

    def encode(self, x: np.ndarray) -> np.ndarray:
        """Codings z = x W_e^T + b_e, (n, D) -> (n, k)."""
        return np.asarray(x, np.float64) @ self.w_enc.T + self.b_enc

    def reconstruct(self, x: np.ndarray) -> np.ndarray:
        """x_hat = z W_d^T + b_d, (n, D) -> (n, D)."""
        return self.encode(x) @ self.w_dec.T + self.b_dec

    def history(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(epochs (e,), mse (e,), angles (e, k)) up to the current epoch."""
        n = self.epoch + 1
        return self.hist_epoch[:n].copy(), self.hist_mse[:n].copy(), self.hist_angles[:n].copy()


def make_optimizer(config: LinearAEConfig, params) -> torch.optim.Optimizer:
    """SGD (the book's) or Adam with the config's learning rate."""
    if config.optimizer == "sgd":
        return torch.optim.SGD(params, lr=config.lr)
    return torch.optim.Adam(params, lr=config.lr)


def epoch_step(model: LinearAE, opt: torch.optim.Optimizer, x: torch.Tensor, batch: int,
               g: torch.Generator) -> None:
    """One epoch: mini-batch updates of MSE(x, x_hat) over a fresh shuffle of x (n, D), drawn from ``g``."""
    n = len(x)
    perm = torch.randperm(n, generator=g).to(x.device)
    for i in range(0, n, batch):
        xb = x[perm[i:i + batch]]  # (B, D)
        loss = ((model(xb) - xb) ** 2).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()


def measure(model: LinearAE, x_np: np.ndarray, pca_basis: np.ndarray, config: LinearAEConfig, epoch: int):
    """The weights (float64 copies), the MSE on all of x_np (n, D) and the principal angles to PCA's plane.

    Returns:
        (w_enc (k, D), b_enc (k,), w_dec (D, k), b_dec (D,), mse, angles (k,) in degrees, largest first).

    Raises:
        FloatingPointError: the loss is not finite (a learning rate too large), with advice.
    """
    w_enc = model.encoder.weight.detach().cpu().double().numpy()
    b_enc = model.encoder.bias.detach().cpu().double().numpy()
    w_dec = model.decoder.weight.detach().cpu().double().numpy()
    b_dec = model.decoder.bias.detach().cpu().double().numpy()
    x_hat = (x_np @ w_enc.T + b_enc) @ w_dec.T + b_dec
    err = mse(x_np, x_hat)
    if not np.isfinite(err):
        raise FloatingPointError(
            f"the loss became {err} at epoch {epoch}: learning rate {config.lr:g} is too large for "
            f"{config.optimizer.upper()}; try a smaller one (the book uses SGD with 0.5)")
    angles = principal_angles(w_dec, pca_basis)
    angles = np.pad(angles, (0, config.k - len(angles)), constant_values=90.0)  # rank-deficient decoder
    return w_enc, b_enc, w_dec, b_dec, err, angles


def train_linear_steps(config: LinearAEConfig, device: torch.device | str = "cpu",
                       delay_s: float = 0.0) -> Iterator[LinearState]:
    """Train the linear autoencoder, yielding its state at epoch 0 (initial weights) and after each epoch.

    Loss: MSE(x, x_hat) = mean over the batch and the D coordinates of (x - W_d (W_e x + b_e) - b_d)^2,
    minimised by mini-batch SGD or Adam on data reshuffled every epoch (:func:`epoch_step`). The loop is
    the run layer's trainer (:class:`models.pca_ae.trainers.LinearAETrainer`), driven here to the end.

    Args:
        config: the run's settings.
        device: where the tensors live (the CPU is fastest for this tiny model).
        delay_s: sleep after each epoch, so a lecture audience can watch the plane turn.

    Yields:
        :class:`LinearState`, ``config.epochs + 1`` times. A diverging run (non-finite loss) raises
        FloatingPointError with advice, which the runner shows on the page.
    """
    from .trainers import LinearAETrainer, linear_job

    limit_this_thread(1)
    trainer = LinearAETrainer(linear_job(config, delay_s), device)
    yield trainer.snapshot()
    while trainer.step < config.epochs:
        trainer.advance()
        yield trainer.snapshot()


def codings_vs_pca(state: LinearState, x: np.ndarray, pca: PCAFit):
    """PCA scores, the autoencoder's codings, and the best affine map from the codings to the scores.

    Returns:
        (z_pca (n, k), z_ae (n, k), :class:`models.pca_ae.subspace.LinearMap`).
    """
    from .subspace import best_linear_map

    z_pca, z_ae = pca.encode(x), state.encode(x)
    return z_pca, z_ae, best_linear_map(z_ae, z_pca)


def train_linear(config: LinearAEConfig, device: torch.device | str = "cpu") -> LinearState:
    """Run :func:`train_linear_steps` to the end and return the final state."""
    last = None
    for last in train_linear_steps(config, device):
        pass
    return last
