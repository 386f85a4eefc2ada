"""Arrays for the zoo page's variant-specific views, computed from trained models (no UI here)."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .config import LABELS, ZooConfig, replace_variant
from .probe import reconstruct
from .recurrent import RecurrentAE
from .stacked import n_params
from .variants import build


def reconstruction_rows(models: dict[str, nn.Module], x0: torch.Tensor) -> tuple[list[np.ndarray], list[str]]:
    """The originals then each model's reconstructions, as (n, H, W) arrays in [0, 1], with row names.

    Args:
        models: variant -> trained network.
        x0: (n, C, H, W) test images.
    """
    rows, names = [x0[:, 0].numpy()], ["original"]
    for name, model in models.items():
        rows.append(reconstruct(model, x0)[:, 0].numpy())
        names.append(name)
    return rows, names


@torch.no_grad()
def recurrent_reading(model: RecurrentAE, x0: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """One image (H, W) and the encoder GRU's state after each of its rows, (H, hidden)."""
    device = next(model.parameters()).device
    states = model.read(x0[:1].to(device))[0].cpu().numpy()  # (H, hidden)
    return x0[0, 0].numpy(), states


def untied_twin_params(config: ZooConfig) -> tuple[int, int]:
    """(parameters of the tied autoencoder, parameters of its untied twin with the same layer sizes)."""
    return n_params(build(replace_variant(config, "tied"))), n_params(build(replace_variant(config, "stacked")))


JACOBIAN_SHRINKERS = ("contractive", "denoise_gauss", "denoise_dropout")


def jacobian_comparison(norms: dict[str, float]) -> str:
    """A sentence comparing measured ||J_f||_F of the contractive and denoising variants with the stacked one's.

    Args:
        norms: variant -> mean encoder Jacobian norm on held-out images.
    Returns:
        e.g. "Measured here, against Stacked's 19.39: Contractive 2.52 (0.13 x)." ("" when nothing to compare).
    """
    others = [n for n in JACOBIAN_SHRINKERS if n in norms]
    if not others:
        return ""
    if "stacked" not in norms:
        return "Add stacked to the variants to compare with the plain autoencoder's norm."
    base = norms["stacked"]
    parts = [f"{LABELS[n]} {norms[n]:.2f} ({norms[n] / base:.2f} x)" for n in others]
    return f"Measured here, against Stacked's {base:.2f}: " + "; ".join(parts) + "."
