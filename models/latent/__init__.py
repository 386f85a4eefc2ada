"""Latent-variable autoencoders: the plain AE, the VAE and the adversarial autoencoder.

Other pages generate images with :func:`sample`::

    from models.latent import sample
    x = sample("vae", "mnist", 64, seed=0)   # (64, 1, 28, 28) in [0, 1]
"""

from __future__ import annotations

import torch

from .config import KINDS, LATENT_DIMS, LatentConfig, default_config, shipped_configs

__all__ = ["KINDS", "LATENT_DIMS", "LatentConfig", "default_config", "shipped_configs", "sample"]


def sample(kind: str, dataset: str, n: int, seed: int, latent_dim: int = 16,
           device: torch.device | None = None) -> torch.Tensor:
    """Decode n codes drawn from the model's prior: (n, 1, H, W) float32 in [0, 1] on the CPU.

    Args:
        kind: ``"ae"``, ``"vae"`` or ``"aae"`` (the AE samples a Gaussian fitted to its training codes).
        dataset: ``"digits"`` or ``"mnist"`` (shipped weights); ``"fashion"`` trains on first use.
        n: number of images, >= 1.
        seed: fixes the codes.
        latent_dim: 2 or 16 for shipped weights.
    """
    from .explore import decode, load, prior_codes

    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}.")
    loaded = load(kind, dataset, latent_dim, device=device)
    z = prior_codes(kind, loaded.metrics, latent_dim, n, seed)  # (n, d)
    return decode(loaded.model, z)
