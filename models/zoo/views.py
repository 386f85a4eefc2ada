"""Arrays for the zoo page's variant-specific views, computed from trained models (no UI here)."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from .config import ZooConfig, replace_variant
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
