"""Samples from the shipped image GANs (the FID page's leaderboard and this page's gallery use them)."""

from __future__ import annotations

import numpy as np
import torch

from .config import IMAGE_KINDS, ImageGANConfig
from .image_nets import N_CLASSES
from .image_train import build, fit

# The configurations train.py ships (and the page loads): codings 30 as in the book.
SHIPPED: dict[tuple[str, str], ImageGANConfig] = {}
# (steps, learning rate) per dataset and kind; the MNIST lengths were chosen by FID and speckle (pretrained/gan.md)
for _ds, _runs in (("digits", {"dense": (3000, 1e-3), "cgan": (3000, 1e-3), "dcgan": (2000, 2e-4)}),
                   ("mnist", {"dense": (12000, 1e-3), "cgan": (12000, 1e-3), "dcgan": (5000, 5e-4)})):
    for _kind, (_steps, _lr) in _runs.items():
        SHIPPED[(_kind, _ds)] = ImageGANConfig(kind=_kind, dataset=_ds, lr=_lr, steps=_steps)


def shipped_config(kind: str, dataset: str) -> ImageGANConfig:
    """The configuration of the shipped weights (Fashion-MNIST uses MNIST's settings)."""
    if kind not in IMAGE_KINDS:
        raise ValueError(f"Unknown GAN kind {kind!r}; choose one of {', '.join(IMAGE_KINDS)}.")
    base = SHIPPED.get((kind, dataset)) or SHIPPED[(kind, "mnist")]
    return ImageGANConfig(**{**base.__dict__, "dataset": dataset})


def load_generator(kind: str, dataset: str, device=None, on_step=None):
    """:class:`models.checkpoints.Loaded` for the shipped generator (trains only if none exists)."""
    from models.checkpoints import load_or_train

    return load_or_train(shipped_config(kind, dataset), build, fit, device=device, on_step=on_step)


def codes(codings: int, n: int, seed: int) -> torch.Tensor:
    """The n codes z ~ N(0, I) (n, codings) that :func:`generate` draws with ``seed``."""
    return torch.randn(n, codings, generator=torch.Generator().manual_seed(int(seed)))


def generate(g_net: torch.nn.Module, codings: int, n: int, seed: int, labels=None) -> np.ndarray:
    """(n, H, W) float32 in [0, 1] from z ~ N(0, I) drawn with ``seed``; ``labels`` (n,) for the cGAN."""
    device = next(g_net.parameters()).device
    z = codes(codings, n, seed).to(device)
    y = (torch.as_tensor(labels) if labels is not None else torch.arange(n) % N_CLASSES).long().to(device)
    with torch.no_grad():
        return g_net.eval()(z, y)[:, 0].cpu().numpy().astype(np.float32)


def sample(kind: str, dataset: str, n: int, seed: int) -> np.ndarray:
    """n images from the shipped GAN ``kind`` (dense, dcgan, cgan) for ``dataset``.

    Returns:
        (n, 1, H, W) float32 in [0, 1]; the conditional GAN cycles through classes 0..9.
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}.")
    loaded = load_generator(kind, dataset)
    return generate(loaded.model, loaded.config.codings, n, seed)[:, None]
