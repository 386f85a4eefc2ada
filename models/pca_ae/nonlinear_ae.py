"""A small nonlinear autoencoder on a curved 3D manifold (S-curve, swiss roll), against PCA.

PCA can only flatten the data onto a plane; an autoencoder with nonlinear layers can learn the
manifold's own 2D coordinates ("unroll" it) and reconstruct it far better with the same code size
(Hinton & Salakhutdinov 2006, "Reducing the dimensionality of data with neural networks").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import numpy as np
import torch
from torch import nn

from models.checkpoints import OnStep
from models.data import s_curve, swiss_roll

from ..threads import limit_this_thread
from .pca import fit_pca, mse
from ..seed import seeded_init

MANIFOLDS = {"s_curve": "S-curve", "swiss_roll": "Swiss roll"}


@dataclass(frozen=True)
class ManifoldAEConfig:
    """Data, network and training of the nonlinear autoencoder.

    Attributes:
        manifold: ``"s_curve"`` or ``"swiss_roll"`` (scikit-learn's generators).
        n_points, noise, data_seed: the dataset.
        hidden: width of the two hidden layers on each side (3 -> h -> h -> k -> h -> h -> 3, SiLU).
        k: code size.
        steps: full-batch Adam steps; lr: its learning rate.
        seed: initial weights.
    """

    manifold: str = "s_curve"
    n_points: int = 1000
    noise: float = 0.05
    data_seed: int = 0
    hidden: int = 64
    k: int = 2
    steps: int = 1500
    lr: float = 3e-3
    seed: int = 0

    def __post_init__(self):
        if self.manifold not in MANIFOLDS:
            raise ValueError(f"manifold must be one of {', '.join(MANIFOLDS)}, got {self.manifold!r}.")
        if self.steps < 1 or self.hidden < 1 or not 1 <= self.k <= 3 or not self.lr > 0:
            raise ValueError("Need steps >= 1, hidden >= 1, 1 <= k <= 3 and a positive learning rate.")


def manifold_data(config: ManifoldAEConfig) -> tuple[np.ndarray, np.ndarray]:
    """The manifold, centred and divided by its overall standard deviation (one scalar: shape is kept).

    Returns:
        x: (n, 3) float64 with mean 0 and mean squared entry 1, t: (n,) position along the manifold.
    """
    make = s_curve if config.manifold == "s_curve" else swiss_roll
    x, t = make(n=config.n_points, noise=config.noise, seed=config.data_seed)
    x = x - x.mean(axis=0)
    return x / np.sqrt(np.mean(x**2)), t


class ManifoldAE(nn.Module):
    """Encoder 3 -> h -> h -> k and decoder k -> h -> h -> 3, SiLU between layers, linear code and output."""

    def __init__(self, hidden: int = 64, k: int = 2, d: int = 3):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(d, hidden), nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(),
                                     nn.Linear(hidden, k))
        self.decoder = nn.Sequential(nn.Linear(k, hidden), nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(),
                                     nn.Linear(hidden, d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # (B, 3) -> (B, 3)
        return self.decoder(self.encoder(x))


def build(config: ManifoldAEConfig) -> ManifoldAE:
    """A freshly initialised network for a config (seeded, so the same config gives the same start)."""
    with seeded_init(config.seed):
        return ManifoldAE(config.hidden, config.k)


@dataclass(frozen=True)
class ManifoldState:
    """The nonlinear autoencoder after ``step`` steps.

    Attributes:
        mse: reconstruction MSE on the data; pca_mse: PCA's with the same k.
        codes: (n, k) codings; recon: (n, 3) reconstructions.
        hist_step, hist_mse: the loss curve so far (one point per yield).
    """

    step: int
    steps: int
    mse: float
    pca_mse: float
    codes: np.ndarray
    recon: np.ndarray
    hist_step: np.ndarray
    hist_mse: np.ndarray


def evaluate(model: nn.Module, config: ManifoldAEConfig, step: int | None = None,
             hist: tuple[list, list] | None = None) -> ManifoldState:
    """Codings, reconstructions and MSE of a model on its config's data, next to PCA's MSE.

    Args:
        step: the training step reached (default: all of ``config.steps``).
        hist: (steps, losses) of the training curve so far, e.g. ``(metrics["hist_step"],
            metrics["hist_mse"])`` of a checkpoint written by :func:`fit`.
    """
    x, _ = manifold_data(config)
    device = next(model.parameters()).device
    with torch.no_grad():
        xt = torch.tensor(x, dtype=torch.float32, device=device)  # (n, 3)
        z = model.encoder(xt)  # (n, k)
        x_hat = model.decoder(z)  # (n, 3)
    recon = x_hat.double().cpu().numpy()
    floor = mse(x, fit_pca(x, config.k).reconstruct(x))
    steps_, mses = hist if hist is not None else ([], [])
    return ManifoldState(config.steps if step is None else step, config.steps, mse(x, recon), floor,
                         z.double().cpu().numpy(), recon, np.array(steps_), np.array(mses))


def manifold_step(model: nn.Module, opt: torch.optim.Optimizer, xt: torch.Tensor) -> torch.Tensor:
    """One full-batch step on MSE(x, decoder(encoder(x))), x (n, 3); returns the loss before the update."""
    loss = ((model(xt) - xt) ** 2).mean()
    opt.zero_grad(set_to_none=True)
    loss.backward()
    opt.step()
    return loss.detach()


def checked_loss(loss: torch.Tensor, step: int) -> float:
    """The loss as a float; FloatingPointError with advice when it is not finite."""
    value = float(loss)
    if not np.isfinite(value):
        raise FloatingPointError(f"the loss became {value} at step {step}; lower the learning rate")
    return value


def train_manifold_steps(config: ManifoldAEConfig, device: torch.device | str = "cpu",
                         model: nn.Module | None = None, every: int = 25) -> Iterator[ManifoldState]:
    """Train by full-batch Adam on MSE(x, decoder(encoder(x))), yielding the state every ``every`` steps.

    Args:
        config: the run's settings.
        device: where to train.
        model: train this network in place (e.g. for :func:`fit`); default a fresh :func:`build`.
        every: steps between yields (the first yield is the untrained network, the last the trained one).
    """
    limit_this_thread(1)
    device = torch.device(device)
    model = (model or build(config)).to(device)
    x, _ = manifold_data(config)
    xt = torch.tensor(x, dtype=torch.float32, device=device)  # (n, 3)
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    hist_step: list[int] = []
    hist_mse: list[float] = []
    yield evaluate(model, config, 0, (hist_step, hist_mse))
    for step in range(1, config.steps + 1):
        loss = manifold_step(model, opt, xt)
        if step % every == 0 or step == config.steps:
            value = checked_loss(loss, step)
            hist_step.append(step)
            hist_mse.append(value)
            yield evaluate(model, config, step, (list(hist_step), list(hist_mse)))


def fit(model: nn.Module, config: ManifoldAEConfig, device: torch.device, on_step: OnStep | None = None) -> dict:
    """Train ``model`` in place (the ``fit`` of :func:`models.checkpoints.load_or_train`); returns metrics."""
    last = None
    for last in train_manifold_steps(config, device, model=model):
        if on_step is not None:
            on_step(last.step, config.steps, {"mse": last.mse})
    return {"mse": last.mse, "pca_mse": last.pca_mse, "steps": config.steps,
            "hist_step": [int(v) for v in last.hist_step], "hist_mse": [float(v) for v in last.hist_mse]}
